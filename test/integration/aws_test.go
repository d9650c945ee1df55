//go:build integration

package integration

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	cwltypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/aws-sdk-go-v2/service/wafv2"

	"github.com/fintech-platform/payment-platform/internal/outputs"
)

// deployment is what every check starts from: the outputs file and an AWS
// configuration for the claim's region.
type deployment struct {
	outs map[string]string
	cfg  aws.Config
}

// deployed reads the outputs file and AWS credentials, or skips saying why.
func deployed(t *testing.T) *deployment {
	t.Helper()
	path := os.Getenv("FLAT_OUTPUTS")
	if path == "" {
		path = filepath.Join("..", "..", outputs.File)
	}
	outs, err := outputs.Read(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("no %s: these tests check a real deployment. Compose a claim in AWS, then `make outputs CLAIM=<name> NAMESPACE=<ns>` writes the file (README, \"After a real deployment\")", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	region := one(t, outs, KeyRegion)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(region))
	if err == nil {
		_, err = cfg.Credentials.Retrieve(ctx)
	}
	if err != nil {
		t.Skipf("%s is there but AWS is not reachable with the default credential chain: %v", path, err)
	}
	return &deployment{outs: outs, cfg: cfg}
}

func one(t *testing.T, outs map[string]string, key string) string {
	t.Helper()
	v, ok := Values(outs, key)
	if !ok || len(v) != 1 {
		t.Fatalf("the outputs have no %s", key)
	}
	return v[0]
}

func list(t *testing.T, outs map[string]string, key string) []string {
	t.Helper()
	v, ok := Values(outs, key)
	if !ok {
		t.Fatalf("the outputs have no %s", strings.TrimSuffix(key, "*")+"0…")
	}
	return v
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

// TestSubnets_ThreeZonesPerTier_NET1_NET2: each tier has one subnet in each
// of the claim's three zones, all in the VPC.
func TestSubnets_ThreeZonesPerTier_NET1_NET2(t *testing.T) {
	d := deployed(t)
	c := ec2.NewFromConfig(d.cfg)
	vpc, zones := one(t, d.outs, KeyVPC), list(t, d.outs, KeyZones)
	for _, tier := range []string{KeySubnetsPublic, KeySubnetsPrivate, KeySubnetsDB} {
		ids := list(t, d.outs, tier)
		got, err := c.DescribeSubnets(ctx(t), &ec2.DescribeSubnetsInput{SubnetIds: ids})
		if err != nil {
			t.Fatal(err)
		}
		var azs []string
		for _, s := range got.Subnets {
			if aws.ToString(s.VpcId) != vpc {
				t.Errorf("%s: subnet %s is in %s, not the VPC %s", tier, aws.ToString(s.SubnetId), aws.ToString(s.VpcId), vpc)
			}
			azs = append(azs, aws.ToString(s.AvailabilityZone))
		}
		slices.Sort(azs)
		if want := slices.Sorted(slices.Values(zones)); !slices.Equal(azs, want) {
			t.Errorf("%s: subnets in %v, want one in each of %v", tier, azs, want)
		}
	}
}

// TestNAT_InstancesAndRoutes_NET3_NET4: each NAT instance forwards (source/dest
// check off) with IMDSv2 required; each private subnet's default route goes
// to the NAT instance of its own zone; database subnets have no default route.
func TestNAT_InstancesAndRoutes_NET3_NET4(t *testing.T) {
	d := deployed(t)
	c := ec2.NewFromConfig(d.cfg)
	got, err := c.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{InstanceIds: list(t, d.outs, KeyNATInstances)})
	if err != nil {
		t.Fatal(err)
	}
	natInZone := map[string]ec2types.Instance{}
	for _, r := range got.Reservations {
		for _, in := range r.Instances {
			id := aws.ToString(in.InstanceId)
			if aws.ToBool(in.SourceDestCheck) {
				t.Errorf("NAT instance %s checks source/destination: it cannot forward", id)
			}
			if in.MetadataOptions == nil || in.MetadataOptions.HttpTokens != ec2types.HttpTokensStateRequired {
				t.Errorf("NAT instance %s does not require IMDSv2", id)
			}
			natInZone[aws.ToString(in.Placement.AvailabilityZone)] = in
		}
	}
	if len(natInZone) != 3 {
		t.Errorf("NAT instances in %d zones, want 3", len(natInZone))
	}
	subnets, err := c.DescribeSubnets(ctx(t), &ec2.DescribeSubnetsInput{SubnetIds: list(t, d.outs, KeySubnetsPrivate)})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range subnets.Subnets {
		nat, ok := natInZone[aws.ToString(s.AvailabilityZone)]
		if !ok {
			t.Errorf("private subnet %s: no NAT instance in its zone", aws.ToString(s.SubnetId))
			continue
		}
		target := defaultRoute(t, c, aws.ToString(s.SubnetId))
		if target == nil || !routesTo(*target, nat) {
			t.Errorf("private subnet %s: default route %v, want the NAT instance %s of its zone", aws.ToString(s.SubnetId), describe(target), aws.ToString(nat.InstanceId))
		}
	}
	for _, id := range list(t, d.outs, KeySubnetsDB) {
		if r := defaultRoute(t, c, id); r != nil {
			t.Errorf("database subnet %s has a default route %s: it must be local only", id, describe(r))
		}
	}
}

func defaultRoute(t *testing.T, c *ec2.Client, subnet string) *ec2types.Route {
	t.Helper()
	got, err := c.DescribeRouteTables(ctx(t), &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{{Name: aws.String("association.subnet-id"), Values: []string{subnet}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.RouteTables) != 1 {
		t.Fatalf("subnet %s: %d route tables associated, want 1", subnet, len(got.RouteTables))
	}
	routes := got.RouteTables[0].Routes
	for i := range routes {
		if aws.ToString(routes[i].DestinationCidrBlock) == "0.0.0.0/0" {
			return &routes[i]
		}
	}
	return nil
}

func routesTo(r ec2types.Route, nat ec2types.Instance) bool {
	if aws.ToString(r.InstanceId) == aws.ToString(nat.InstanceId) {
		return true
	}
	for i := range nat.NetworkInterfaces {
		if aws.ToString(r.NetworkInterfaceId) == aws.ToString(nat.NetworkInterfaces[i].NetworkInterfaceId) {
			return true
		}
	}
	return false
}

func describe(r *ec2types.Route) string {
	if r == nil {
		return "none"
	}
	b, _ := json.Marshal(r)
	return string(b)
}

// TestAurora_IAMAuthEncryptedThreeZones_DB1_DB2_DB3_DB5: IAM authentication,
// storage encrypted with the database key, one writer and two readers in
// three zones, none public.
func TestAurora_IAMAuthEncryptedThreeZones_DB1_DB2_DB3_DB5(t *testing.T) {
	d := deployed(t)
	c := rds.NewFromConfig(d.cfg)
	id := one(t, d.outs, KeyDBCluster)
	got, err := c.DescribeDBClusters(ctx(t), &rds.DescribeDBClustersInput{DBClusterIdentifier: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.DBClusters) != 1 {
		t.Fatalf("%d clusters named %s", len(got.DBClusters), id)
	}
	cl := got.DBClusters[0]
	if !aws.ToBool(cl.IAMDatabaseAuthenticationEnabled) {
		t.Error("IAM database authentication is off (DB-3)")
	}
	if !aws.ToBool(cl.StorageEncrypted) || aws.ToString(cl.KmsKeyId) != one(t, d.outs, KeyDatabaseKey) {
		t.Errorf("storage encrypted %v with %s, want the database key %s (DB-2)", aws.ToBool(cl.StorageEncrypted), aws.ToString(cl.KmsKeyId), one(t, d.outs, KeyDatabaseKey))
	}
	writers := 0
	for _, m := range cl.DBClusterMembers {
		if aws.ToBool(m.IsClusterWriter) {
			writers++
		}
	}
	if writers != 1 || len(cl.DBClusterMembers) != 3 {
		t.Errorf("%d members, %d writers; want one writer and two readers (DB-1)", len(cl.DBClusterMembers), writers)
	}
	ins, err := c.DescribeDBInstances(ctx(t), &rds.DescribeDBInstancesInput{Filters: []rdstypes.Filter{{Name: aws.String("db-cluster-id"), Values: []string{id}}}})
	if err != nil {
		t.Fatal(err)
	}
	zones := map[string]bool{}
	for _, in := range ins.DBInstances {
		zones[aws.ToString(in.AvailabilityZone)] = true
		if aws.ToBool(in.PubliclyAccessible) {
			t.Errorf("instance %s is publicly accessible (DB-5)", aws.ToString(in.DBInstanceIdentifier))
		}
	}
	if len(zones) != 3 {
		t.Errorf("instances in %d zones, want 3 (DB-1)", len(zones))
	}
}

// TestWAF_OnTheLoadBalancer_EDGE2: the web ACL the outputs name is the one
// associated with the ALB.
func TestWAF_OnTheLoadBalancer_EDGE2(t *testing.T) {
	d := deployed(t)
	got, err := wafv2.NewFromConfig(d.cfg).GetWebACLForResource(ctx(t), &wafv2.GetWebACLForResourceInput{ResourceArn: aws.String(one(t, d.outs, KeyLoadBalancer))})
	if err != nil {
		t.Fatal(err)
	}
	if got.WebACL == nil || aws.ToString(got.WebACL.ARN) != one(t, d.outs, KeyWebACL) {
		t.Errorf("the ALB's web ACL is %v, want %s", got.WebACL, one(t, d.outs, KeyWebACL))
	}
}

// TestAPI_MutualTLSOnly_API1: the custom domain requires TLS 1.2 and a client
// certificate from the truststore, and the execute-api endpoint is off.
func TestAPI_MutualTLSOnly_API1(t *testing.T) {
	d := deployed(t)
	c := apigateway.NewFromConfig(d.cfg)
	dom, err := c.GetDomainName(ctx(t), &apigateway.GetDomainNameInput{DomainName: aws.String(one(t, d.outs, KeyDomain))})
	if err != nil {
		t.Fatal(err)
	}
	if dom.SecurityPolicy != "TLS_1_2" {
		t.Errorf("security policy %s, want TLS_1_2", dom.SecurityPolicy)
	}
	if dom.MutualTlsAuthentication == nil || aws.ToString(dom.MutualTlsAuthentication.TruststoreUri) == "" {
		t.Error("the domain has no mutual TLS truststore")
	}
	api, err := c.GetRestApi(ctx(t), &apigateway.GetRestApiInput{RestApiId: aws.String(one(t, d.outs, KeyRestAPI))})
	if err != nil {
		t.Fatal(err)
	}
	if !api.DisableExecuteApiEndpoint {
		t.Error("the execute-api endpoint is on: clients could skip mutual TLS")
	}
}

// TestLogGroups_EncryptedSevenYears_OBS3: every log group the outputs name is
// kept 2557 days and encrypted.
func TestLogGroups_EncryptedSevenYears_OBS3(t *testing.T) {
	d := deployed(t)
	c := cloudwatchlogs.NewFromConfig(d.cfg)
	var names []string
	for k, v := range d.outs {
		if strings.Contains(k, "LogGroup") {
			names = append(names, v)
		}
	}
	slices.Sort(names)
	if len(names) == 0 {
		t.Fatal("the outputs name no log group")
	}
	for _, n := range names {
		got, err := c.DescribeLogGroups(ctx(t), &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(n)})
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(got.LogGroups, func(g cwltypes.LogGroup) bool { return aws.ToString(g.LogGroupName) == n })
		if i < 0 {
			t.Errorf("log group %s does not exist", n)
			continue
		}
		g := got.LogGroups[i]
		if aws.ToInt32(g.RetentionInDays) != 2557 {
			t.Errorf("log group %s keeps %d days, want 2557", n, aws.ToInt32(g.RetentionInDays))
		}
		if aws.ToString(g.KmsKeyId) == "" {
			t.Errorf("log group %s is not encrypted with a key of ours", n)
		}
	}
}

// TestQueue_RedriveAndEncryption_ASY1_ASY3: the payment queue is encrypted,
// redrives to the DLQ after a bounded number of receives, and its visibility
// timeout is at least six times the worker's timeout; the DLQ keeps 14 days.
func TestQueue_RedriveAndEncryption_ASY1_ASY3(t *testing.T) {
	d := deployed(t)
	c := sqs.NewFromConfig(d.cfg)
	q := queueAttributes(t, c, one(t, d.outs, KeyQueueURL))
	dlq := queueAttributes(t, c, one(t, d.outs, KeyDLQURL))
	for name, a := range map[string]map[string]string{"queue": q, "DLQ": dlq} {
		if a["KmsMasterKeyId"] == "" {
			t.Errorf("the %s is not encrypted with a key of ours", name)
		}
	}
	var redrive struct {
		DeadLetterTargetArn string `json:"deadLetterTargetArn"`
		MaxReceiveCount     any    `json:"maxReceiveCount"`
	}
	if err := json.Unmarshal([]byte(q["RedrivePolicy"]), &redrive); err != nil {
		t.Fatalf("redrive policy %q: %v", q["RedrivePolicy"], err)
	}
	if redrive.DeadLetterTargetArn != dlq["QueueArn"] {
		t.Errorf("the queue redrives to %s, want the DLQ %s", redrive.DeadLetterTargetArn, dlq["QueueArn"])
	}
	if dlq["MessageRetentionPeriod"] != "1209600" {
		t.Errorf("the DLQ keeps messages %s s, want 14 days", dlq["MessageRetentionPeriod"])
	}
	fn, err := lambda.NewFromConfig(d.cfg).GetFunctionConfiguration(ctx(t), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(one(t, d.outs, KeyFunction))})
	if err != nil {
		t.Fatal(err)
	}
	vis, _ := strconv.Atoi(q["VisibilityTimeout"])
	if vis < 6*int(aws.ToInt32(fn.Timeout)) {
		t.Errorf("visibility timeout %d s, under six times the worker's %d s (ASY-3)", vis, aws.ToInt32(fn.Timeout))
	}
}

func queueAttributes(t *testing.T, c *sqs.Client, url string) map[string]string {
	t.Helper()
	got, err := c.GetQueueAttributes(ctx(t), &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll}})
	if err != nil {
		t.Fatal(err)
	}
	return got.Attributes
}

// TestDocuments_EncryptedVersionedReplicated_STO1_STO3: both buckets are
// SSE-KMS with their region's documents key, versioned and closed to the
// public; the source replicates KMS-encrypted objects and delete markers to
// the replica.
func TestDocuments_EncryptedVersionedReplicated_STO1_STO3(t *testing.T) {
	d := deployed(t)
	src, dst := one(t, d.outs, KeyBucket), one(t, d.outs, KeyReplicaBucket)
	home := s3.NewFromConfig(d.cfg)
	away := s3.NewFromConfig(d.cfg, func(o *s3.Options) { o.Region = one(t, d.outs, KeyReplicaRegion) })
	for _, b := range []struct {
		c            *s3.Client
		name, keyArn string
	}{{home, src, one(t, d.outs, KeyDocumentsKey)}, {away, dst, one(t, d.outs, KeyReplicaKey)}} {
		enc, err := b.c.GetBucketEncryption(ctx(t), &s3.GetBucketEncryptionInput{Bucket: aws.String(b.name)})
		if err != nil {
			t.Fatal(err)
		}
		r := enc.ServerSideEncryptionConfiguration.Rules
		if len(r) != 1 || r[0].ApplyServerSideEncryptionByDefault == nil ||
			r[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm != s3types.ServerSideEncryptionAwsKms ||
			aws.ToString(r[0].ApplyServerSideEncryptionByDefault.KMSMasterKeyID) != b.keyArn {
			t.Errorf("%s: default encryption is not SSE-KMS with %s", b.name, b.keyArn)
		}
		v, err := b.c.GetBucketVersioning(ctx(t), &s3.GetBucketVersioningInput{Bucket: aws.String(b.name)})
		if err != nil {
			t.Fatal(err)
		}
		if v.Status != s3types.BucketVersioningStatusEnabled {
			t.Errorf("%s: versioning %q", b.name, v.Status)
		}
		pab, err := b.c.GetPublicAccessBlock(ctx(t), &s3.GetPublicAccessBlockInput{Bucket: aws.String(b.name)})
		if err != nil {
			t.Fatal(err)
		}
		p := pab.PublicAccessBlockConfiguration
		if !aws.ToBool(p.BlockPublicAcls) || !aws.ToBool(p.BlockPublicPolicy) || !aws.ToBool(p.IgnorePublicAcls) || !aws.ToBool(p.RestrictPublicBuckets) {
			t.Errorf("%s: not all four public access blocks are on", b.name)
		}
	}
	rep, err := home.GetBucketReplication(ctx(t), &s3.GetBucketReplicationInput{Bucket: aws.String(src)})
	if err != nil {
		t.Fatal(err)
	}
	ok := false
	for _, r := range rep.ReplicationConfiguration.Rules {
		if r.Status != s3types.ReplicationRuleStatusEnabled || r.Destination == nil || aws.ToString(r.Destination.Bucket) != "arn:aws:s3:::"+dst {
			continue
		}
		kms := r.SourceSelectionCriteria != nil && r.SourceSelectionCriteria.SseKmsEncryptedObjects != nil &&
			r.SourceSelectionCriteria.SseKmsEncryptedObjects.Status == s3types.SseKmsEncryptedObjectsStatusEnabled
		markers := r.DeleteMarkerReplication != nil && r.DeleteMarkerReplication.Status == s3types.DeleteMarkerReplicationStatusEnabled
		ok = ok || kms && markers && r.Destination.EncryptionConfiguration != nil &&
			aws.ToString(r.Destination.EncryptionConfiguration.ReplicaKmsKeyID) == one(t, d.outs, KeyReplicaKey)
	}
	if !ok {
		t.Errorf("%s does not replicate KMS-encrypted objects and delete markers to %s under the replica key", src, dst)
	}
}

// TestAlarms_NotifyTheEncryptedTopic_OBS1_OBS2_ASY5: the alarm topic is
// encrypted with a key of ours, every alarm the outputs name exists and
// notifies it (the DLQ's among them), and the dashboard exists.
func TestAlarms_NotifyTheEncryptedTopic_OBS1_OBS2_ASY5(t *testing.T) {
	d := deployed(t)
	topic := one(t, d.outs, KeyTopic)
	attrs, err := sns.NewFromConfig(d.cfg).GetTopicAttributes(ctx(t), &sns.GetTopicAttributesInput{TopicArn: aws.String(topic)})
	if err != nil {
		t.Fatal(err)
	}
	if attrs.Attributes["KmsMasterKeyId"] != one(t, d.outs, KeyMessagingKey) {
		t.Errorf("the alarm topic is encrypted with %q, want the messaging key", attrs.Attributes["KmsMasterKeyId"])
	}
	cw := cloudwatch.NewFromConfig(d.cfg)
	names := list(t, d.outs, KeyAlarms)
	got, err := cw.DescribeAlarms(ctx(t), &cloudwatch.DescribeAlarmsInput{AlarmNames: names})
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, a := range got.MetricAlarms {
		found[aws.ToString(a.AlarmName)] = true
		if !slices.Contains(a.AlarmActions, topic) {
			t.Errorf("alarm %s does not notify %s", aws.ToString(a.AlarmName), topic)
		}
	}
	for _, n := range names {
		if !found[n] {
			t.Errorf("alarm %s does not exist", n)
		}
	}
	if !slices.ContainsFunc(names, func(n string) bool { return strings.Contains(n, "dlq") }) {
		t.Errorf("no alarm on the dead-letter queue among %v (ASY-5)", names)
	}
	if _, err := cw.GetDashboard(ctx(t), &cloudwatch.GetDashboardInput{DashboardName: aws.String(one(t, d.outs, KeyDashboard))}); err != nil {
		t.Errorf("dashboard: %v", err)
	}
}
