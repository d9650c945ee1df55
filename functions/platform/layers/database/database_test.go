package database

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	xpv1 "github.com/crossplane/crossplane-runtime/v2/apis/common/v1"

	"github.com/fintech-platform/payment-platform/functions/platform/api"

	"github.com/fintech-platform/payment-platform/functions/platform/wiring"

	cwlv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatchlogs/v1beta1"
	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"
	iamv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/iam/v1beta1"
	rdsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/rds/v1beta1"
	smv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/secretsmanager/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/capacity"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	ct "github.com/fintech-platform/payment-platform/functions/platform/compose/composetest"
	"github.com/fintech-platform/payment-platform/functions/platform/iampolicy"
)

const account = "123456789012"

var zones = ct.Zones

func spec() api.DatabaseSpec {
	return api.DatabaseSpec{Common: compose.Common{EnvironmentSuffix: "dev", Region: "us-east-1"}, AccountID: account, AvailabilityZones: zones}
}

const clusterID = "cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ"
const secretARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-abc" //nolint:gosec // An ARN, not a credential.

// everythingReady is observed state where the cluster and writer exist.
func everythingReady() compose.Observed {
	return ct.Observed(
		ct.Res{Name: keyLogGroup, Ready: true},
		ct.Res{Name: keyCluster, Ready: true, Fields: map[string]any{
			"status.atProvider.clusterResourceId": clusterID,
			"status.atProvider.masterUserSecret":  []any{map[string]any{"secretArn": secretARN}},
		}},
		ct.Res{Name: keyInstance("us-east-1a"), Ready: true},
	)
}

func TestDatabase_OneWriterTwoReadersInThreeZones_DB1(t *testing.T) {
	d := ct.Build(t, Build, spec(), nil)
	if n := len(ct.Of[*rdsv1beta1.ClusterInstance](d)); n != 0 {
		t.Errorf("%d instances before the cluster exists", n)
	}
	if d.Get(keyCluster) != nil {
		t.Error("cluster composed before its log group is ready")
	}

	// Cluster ready: the writer, in the first zone, alone.
	d = ct.Build(t, Build, spec(), ct.Observed(ct.Res{Name: keyLogGroup, Ready: true}, ct.Res{Name: keyCluster, Ready: true}))
	inst := ct.Of[*rdsv1beta1.ClusterInstance](d)
	if len(inst) != 1 || inst[keyInstance("us-east-1a")] == nil {
		t.Fatalf("want only the writer in us-east-1a once the cluster is ready, got %v", keysOf(inst))
	}

	d = ct.Build(t, Build, spec(), everythingReady())
	inst = ct.Of[*rdsv1beta1.ClusterInstance](d)
	if len(inst) != 3 {
		t.Fatalf("want 3 instances, got %d", len(inst))
	}
	seen := map[string]bool{}
	writers := 0
	for k, i := range inst {
		p := i.Spec.ForProvider
		seen[*p.AvailabilityZone] = true
		if *p.PromotionTier == 0 {
			writers++
			if k != keyInstance("us-east-1a") {
				t.Errorf("writer is %s, want the first zone's", k)
			}
		} else if *p.PromotionTier != 1 {
			t.Errorf("%s promotion tier %v", k, *p.PromotionTier)
		}
		if !*p.ClusterIdentifierSelector.MatchControllerRef || *p.InstanceClass != api.DefaultInstanceClass {
			t.Errorf("%s: cluster selector %+v class %s", k, p.ClusterIdentifierSelector, *p.InstanceClass)
		}
	}
	if len(seen) != 3 || writers != 1 {
		t.Errorf("zones %v, writers %d: want three distinct zones and one writer", seen, writers)
	}
	sg := ct.Get[*rdsv1beta1.SubnetGroup](t, d, keySubnetGroup).Spec.ForProvider.SubnetIDSelector.MatchLabels
	if sg[wiring.LabelTier] != wiring.TierDatabase || sg[wiring.LabelComponent] != wiring.ComponentSubnet || sg[wiring.LabelEnvironment] != "dev" || sg[wiring.LabelZone] != "" {
		t.Errorf("subnet group selects %v, want the environment's three database subnets", sg)
	}
}

func keysOf[T any](m map[string]T) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	return k
}

func TestDatabase_EncryptedWithDatabaseKey_DB2(t *testing.T) {
	d := ct.Build(t, Build, spec(), everythingReady())
	p := ct.Get[*rdsv1beta1.Cluster](t, d, keyCluster).Spec.ForProvider
	if !*p.StorageEncrypted || p.KMSKeyIDSelector.MatchLabels[wiring.LabelPurpose] != "database" || p.KMSKeyIDSelector.MatchLabels[wiring.LabelEnvironment] != "dev" {
		t.Errorf("storage encrypted %v with %v, want the environment's database key", *p.StorageEncrypted, p.KMSKeyIDSelector)
	}
	for k, i := range ct.Of[*rdsv1beta1.ClusterInstance](d) {
		ip := i.Spec.ForProvider
		if !*ip.PerformanceInsightsEnabled || ip.PerformanceInsightsKMSKeyIDSelector.MatchLabels[wiring.LabelPurpose] != "database" {
			t.Errorf("%s: Performance Insights not encrypted with the database key", k)
		}
	}
	s := spec()
	s.PerformanceInsights = compose.Ptr(false)
	for k, i := range ct.Of[*rdsv1beta1.ClusterInstance](ct.Build(t, Build, s, everythingReady())) {
		if *i.Spec.ForProvider.PerformanceInsightsEnabled || i.Spec.ForProvider.PerformanceInsightsKMSKeyIDSelector != nil {
			t.Errorf("%s: Performance Insights on though the claim turned it off", k)
		}
	}
}

func TestDatabase_IAMAuthThroughProxy_DB3(t *testing.T) {
	d := ct.Build(t, Build, spec(), nil)
	if d.Get(keyProxyRole) != nil {
		t.Error("proxy role composed before the cluster reports its resource id")
	}
	d = ct.Build(t, Build, spec(), everythingReady())
	c := ct.Get[*rdsv1beta1.Cluster](t, d, keyCluster).Spec.ForProvider
	if !*c.IAMDatabaseAuthenticationEnabled {
		t.Error("IAM database authentication off")
	}
	px := ct.Get[*rdsv1beta1.Proxy](t, d, keyProxy).Spec.ForProvider
	if *px.DefaultAuthScheme != "IAM_AUTH" || !*px.RequireTLS || len(px.Auth) != 0 || *px.EngineFamily != "POSTGRESQL" {
		t.Errorf("proxy auth %s tls %v auth blocks %d: want IAM end to end, TLS, no secrets", *px.DefaultAuthScheme, *px.RequireTLS, len(px.Auth))
	}
	if px.VPCSubnetIdsSelector.MatchLabels[wiring.LabelTier] != wiring.TierPrivate {
		t.Errorf("proxy subnets %v, want the private tier", px.VPCSubnetIdsSelector.MatchLabels)
	}
	role := ct.Get[*iamv1beta1.Role](t, d, keyProxyRole).Spec.ForProvider
	var doc iampolicy.Document
	if err := json.Unmarshal([]byte(*role.InlinePolicy[0].Policy), &doc); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"arn:aws:rds-db:us-east-1:123456789012:dbuser:" + clusterID + "/payments_api",
		"arn:aws:rds-db:us-east-1:123456789012:dbuser:" + clusterID + "/payments_worker",
	}
	if len(doc.Statement) != 1 || strings.Join(doc.Statement[0].Action, ",") != "rds-db:connect" || strings.Join(doc.Statement[0].Resource, ",") != strings.Join(want, ",") {
		t.Errorf("proxy role may %v on %v, want rds-db:connect on exactly %v", doc.Statement[0].Action, doc.Statement[0].Resource, want)
	}
	if !strings.Contains(*role.AssumeRolePolicy, `"rds.amazonaws.com"`) || !strings.Contains(*role.AssumeRolePolicy, account) {
		t.Errorf("trust policy = %s", *role.AssumeRolePolicy)
	}
	// The role keeps its policy while the cluster is not observed.
	prev := ct.Observed(ct.Res{Name: keyProxyRole, Fields: map[string]any{"metadata.annotations": map[string]any{AnnotationClusterResourceID: clusterID}}})
	if r, ok := ct.Build(t, Build, spec(), prev).Get(keyProxyRole).(*iamv1beta1.Role); !ok || *r.Spec.ForProvider.InlinePolicy[0].Policy != *role.InlinePolicy[0].Policy {
		t.Error("the proxy role changed or vanished while the cluster was not observed")
	}
}

func TestConnectStatement_OwnUserOnly_DB3_CMP4(t *testing.T) {
	st := wiring.ConnectStatement("eu-west-1", account, "prx-0123456789abcdef0", "payments_api")
	if st.Effect != "Allow" || len(st.Action) != 1 || st.Action[0] != "rds-db:connect" ||
		len(st.Resource) != 1 || st.Resource[0] != "arn:aws:rds-db:eu-west-1:123456789012:dbuser:prx-0123456789abcdef0/payments_api" {
		t.Errorf("statement = %+v", st)
	}
}

func TestDatabase_TLSAndLogExport_DB4_OBS3(t *testing.T) {
	d := ct.Build(t, Build, spec(), everythingReady())
	pg := ct.Get[*rdsv1beta1.ClusterParameterGroup](t, d, keyParamGroup).Spec.ForProvider
	params := map[string]string{}
	for _, p := range pg.Parameter {
		params[*p.Name] = *p.Value
	}
	if params["rds.force_ssl"] != "1" || params["ssl_min_protocol_version"] != "TLSv1.2" || params["log_connections"] != "1" {
		t.Errorf("parameters = %v", params)
	}
	if *pg.Family != "aurora-postgresql16" {
		t.Errorf("family %s for engine %s", *pg.Family, api.DefaultEngineVersion)
	}
	c := ct.Get[*rdsv1beta1.Cluster](t, d, keyCluster).Spec.ForProvider
	if len(c.EnabledCloudwatchLogsExports) != 1 || *c.EnabledCloudwatchLogsExports[0] != "postgresql" || !*c.DBClusterParameterGroupNameSelector.MatchControllerRef {
		t.Errorf("log exports %v, parameter group %+v", c.EnabledCloudwatchLogsExports, c.DBClusterParameterGroupNameSelector)
	}
	lg := ct.Get[*cwlv1beta1.Group](t, d, keyLogGroup)
	if lg.Annotations["crossplane.io/external-name"] != "/aws/rds/cluster/aurora-payments-dev/postgresql" {
		t.Errorf("log group %q is not where RDS exports the cluster's log", lg.Annotations["crossplane.io/external-name"])
	}
	if *lg.Spec.ForProvider.RetentionInDays != 2557 || lg.Spec.ForProvider.KMSKeyIDSelector.MatchLabels[wiring.LabelPurpose] != "logs" {
		t.Errorf("log group retention %v key %v", *lg.Spec.ForProvider.RetentionInDays, lg.Spec.ForProvider.KMSKeyIDSelector.MatchLabels)
	}
	s := spec()
	s.EngineVersion = "17.4"
	if f := *ct.Get[*rdsv1beta1.ClusterParameterGroup](t, ct.Build(t, Build, s, nil), keyParamGroup).Spec.ForProvider.Family; f != "aurora-postgresql17" {
		t.Errorf("family for 17.4 = %s", f)
	}
}

// TestDatabase_OnlyTheProxyAndItsClientsReach_DB5: 5432 from the proxy to the
// cluster, from the two client groups to the proxy; nothing else, and no
// instance is public.
func TestDatabase_OnlyTheProxyAndItsClientsReach_DB5(t *testing.T) {
	d := ct.Build(t, Build, spec(), everythingReady())
	for k, i := range ct.Of[*rdsv1beta1.ClusterInstance](d) {
		if *i.Spec.ForProvider.PubliclyAccessible {
			t.Errorf("%s is publicly accessible", k)
		}
	}
	c := ct.Get[*rdsv1beta1.Cluster](t, d, keyCluster).Spec.ForProvider
	if c.VPCSecurityGroupIDSelector.MatchLabels[wiring.LabelPurpose] != wiring.SGDatabase {
		t.Errorf("cluster security group %v", c.VPCSecurityGroupIDSelector.MatchLabels)
	}
	ingress := map[string][]string{}
	for k, r := range ct.Of[*ec2v1beta1.SecurityGroupIngressRule](d) {
		p := r.Spec.ForProvider
		if p.CidrIPv4 != nil || *p.FromPort != Port || *p.ToPort != Port || *p.IPProtocol != "tcp" {
			t.Errorf("%s: %+v, want tcp 5432 from a security group only", k, p)
		}
		to, from := p.SecurityGroupIDSelector.MatchLabels[wiring.LabelPurpose], p.ReferencedSecurityGroupIDSelector.MatchLabels[wiring.LabelPurpose]
		ingress[to] = append(ingress[to], from)
	}
	if strings.Join(ingress[wiring.SGDatabase], ",") != wiring.SGProxy {
		t.Errorf("the cluster admits %v, want the proxy only", ingress[wiring.SGDatabase])
	}
	if got := strings.Join(sorted(ingress[wiring.SGProxy]), ","); got != "client-api,client-worker" {
		t.Errorf("the proxy admits %v, want the API tasks and the worker only", got)
	}
	if len(ingress) != 2 {
		t.Errorf("ingress rules on %v", keysOf(ingress))
	}
	egress := map[string]string{}
	for _, r := range ct.Of[*ec2v1beta1.SecurityGroupEgressRule](d) {
		p := r.Spec.ForProvider
		egress[p.SecurityGroupIDSelector.MatchLabels[wiring.LabelPurpose]] = p.ReferencedSecurityGroupIDSelector.MatchLabels[wiring.LabelPurpose]
	}
	if egress[wiring.SGProxy] != wiring.SGDatabase || egress[wiring.SGClientAPI] != wiring.SGProxy || egress[wiring.SGClientWorker] != wiring.SGProxy || len(egress) != 3 {
		t.Errorf("egress = %v", egress)
	}
}

func sorted(s []string) []string {
	out := append([]string{}, s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// TestDatabase_RetainedOrDestroyable_DB6_X3_X7: in the data-retention mode
// (the default) the cluster is protected and leaves a final snapshot; with it
// off it is destroyable unless the tenant protects it; its log group is kept
// only in the retention mode.
func TestDatabase_RetainedOrDestroyable_DB6_X3_X7(t *testing.T) {
	c := ct.Get[*rdsv1beta1.Cluster](t, ct.Build(t, Build, spec(), everythingReady()), keyCluster).Spec.ForProvider
	if !*c.DeletionProtection || *c.SkipFinalSnapshot || *c.FinalSnapshotIdentifier != "aurora-payments-dev-final" {
		t.Errorf("retained by default: deletion protection %v, skip final snapshot %v", *c.DeletionProtection, *c.SkipFinalSnapshot)
	}
	s := spec()
	s.RetainData = compose.Ptr(false)
	d := ct.Build(t, Build, s, everythingReady())
	c = ct.Get[*rdsv1beta1.Cluster](t, d, keyCluster).Spec.ForProvider
	if *c.DeletionProtection || !*c.SkipFinalSnapshot || c.FinalSnapshotIdentifier != nil || *c.BackupRetentionPeriod != 7 {
		t.Errorf("deletion protection %v, skip final snapshot %v, retention %v", *c.DeletionProtection, *c.SkipFinalSnapshot, *c.BackupRetentionPeriod)
	}
	for n, o := range d.Resources {
		m, ok := o.(interface {
			GetManagementPolicies() xpv1.ManagementPolicies
		})
		if ok && len(m.GetManagementPolicies()) > 0 {
			t.Errorf("%s has management policies %v with retainData false", n, m.GetManagementPolicies())
		}
	}
	s.DeletionProtection, s.FinalSnapshot, s.BackupRetentionDays = true, true, 35
	c = ct.Get[*rdsv1beta1.Cluster](t, ct.Build(t, Build, s, everythingReady()), keyCluster).Spec.ForProvider
	if !*c.DeletionProtection || *c.SkipFinalSnapshot || *c.FinalSnapshotIdentifier != "aurora-payments-dev-final" || *c.BackupRetentionPeriod != 35 {
		t.Errorf("production settings not honored: %v %v %v %v", *c.DeletionProtection, *c.SkipFinalSnapshot, c.FinalSnapshotIdentifier, *c.BackupRetentionPeriod)
	}
}

func TestDatabase_MasterSecretManagedAndRotated_SEC1_SEC2(t *testing.T) {
	d := ct.Build(t, Build, spec(), ct.Observed(ct.Res{Name: keyLogGroup, Ready: true}))
	c := ct.Get[*rdsv1beta1.Cluster](t, d, keyCluster).Spec.ForProvider
	if !*c.ManageMasterUserPassword || c.MasterUserSecretKMSKeyIDSelector.MatchLabels[wiring.LabelPurpose] != "secrets" {
		t.Errorf("master password managed %v with key %v", *c.ManageMasterUserPassword, c.MasterUserSecretKMSKeyIDSelector)
	}
	if d.Get(keyRotation) != nil {
		t.Error("rotation composed before the cluster reports its secret")
	}
	r := ct.Get[*smv1beta1.SecretRotation](t, ct.Build(t, Build, spec(), everythingReady()), keyRotation).Spec.ForProvider
	if *r.SecretID != secretARN || *r.RotationRules.AutomaticallyAfterDays != 30 || r.RotationLambdaArn != nil {
		t.Errorf("rotation of %v every %v days (lambda %v), want the cluster's secret every 30 days, rotated by RDS", r.SecretID, r.RotationRules.AutomaticallyAfterDays, r.RotationLambdaArn)
	}
	// Kept with its secret while the cluster is not observed.
	kept := ct.Observed(ct.Res{Name: keyRotation, Fields: map[string]any{"spec.forProvider.secretId": secretARN}})
	if r, ok := ct.Build(t, Build, spec(), kept).Get(keyRotation).(*smv1beta1.SecretRotation); !ok || *r.Spec.ForProvider.SecretID != secretARN {
		t.Error("rotation dropped or changed while the cluster was not observed")
	}
	k := ct.Get[*smv1beta1.Secret](t, d, keyAPIKeys).Spec.ForProvider
	if k.KMSKeyIDSelector.MatchLabels[wiring.LabelPurpose] != "secrets" || *k.Name != "secret/api-keys/dev" {
		t.Errorf("API keys secret %s with key %v", *k.Name, k.KMSKeyIDSelector.MatchLabels)
	}
}

func TestDatabase_ProxyTargetsAndReadOnlyEndpoint(t *testing.T) {
	d := ct.Build(t, Build, spec(), nil)
	if d.Get(keyProxyTarget) != nil || d.Get(keyProxyReadOnly) != nil {
		t.Error("proxy target before the cluster, or read-only endpoint without subnets")
	}
	s := spec()
	s.PrivateSubnetIDs = []string{"subnet-a", "subnet-b", "subnet-c"}
	d = ct.Build(t, Build, s, everythingReady())
	if tg := ct.Get[*rdsv1beta1.ProxyTarget](t, d, keyProxyTarget).Spec.ForProvider; *tg.DBClusterIdentifier != "aurora-payments-dev" {
		t.Errorf("proxy target %s", *tg.DBClusterIdentifier)
	}
	pool := ct.Get[*rdsv1beta1.ProxyDefaultTargetGroup](t, d, keyProxyTargets).Spec.ForProvider.ConnectionPoolConfig
	if *pool.MaxConnectionsPercent != capacity.ProxyMaxConnectionsPercent {
		t.Errorf("pool %v%%", *pool.MaxConnectionsPercent)
	}
	ro := ct.Get[*rdsv1beta1.ProxyEndpoint](t, d, keyProxyReadOnly).Spec.ForProvider
	if *ro.TargetRole != "READ_ONLY" || len(ro.VPCSubnetIds) != 3 || *ro.VPCSubnetIds[2] != "subnet-c" {
		t.Errorf("read-only endpoint %s in %d subnets", *ro.TargetRole, len(ro.VPCSubnetIds))
	}
	kept := ct.Observed(ct.Res{Name: keyProxyReadOnly, Fields: map[string]any{"spec.forProvider.vpcSubnetIds": []any{"subnet-x", "subnet-y", "subnet-z"}}})
	if e, ok := ct.Build(t, Build, spec(), kept).Get(keyProxyReadOnly).(*rdsv1beta1.ProxyEndpoint); !ok || *e.Spec.ForProvider.VPCSubnetIds[0] != "subnet-x" {
		t.Error("read-only endpoint dropped or moved when the subnets were not passed")
	}
}

func TestDatabase_Status_API04(t *testing.T) {
	obs := everythingReady()
	for k, v := range ct.Observed(
		ct.Res{Name: keyProxy, Fields: map[string]any{"status.atProvider.arn": "arn:aws:rds:us-east-1:123456789012:db-proxy:prx-0abc", "status.atProvider.endpoint": "proxy.example"}},
		ct.Res{Name: keySG(wiring.SGClientAPI), Fields: map[string]any{"status.atProvider.id": "sg-api"}},
	) {
		obs[k] = v
	}
	s := ct.Build(t, Build, spec(), obs).Status.(api.DatabaseStatus)
	if s.ProxyResourceID != "prx-0abc" || s.ProxyEndpoint != "proxy.example" || s.ClusterResourceID != clusterID || s.MasterSecretARN != secretARN || s.Port != 5432 {
		t.Errorf("status = %+v", s)
	}
	if s.SecurityGroupIDs[wiring.SGClientAPI] != "sg-api" {
		t.Errorf("security groups = %v", s.SecurityGroupIDs)
	}
	if s := ct.Build(t, Build, spec(), nil).Status; !reflect.ValueOf(s).IsZero() {
		t.Errorf("status before anything exists = %v", s)
	}
}

func TestDatabase_Validate_API05(t *testing.T) {
	cases := map[string]struct {
		mutate func(*api.DatabaseSpec)
		want   string
	}{
		"InstanceClass":     {func(s *api.DatabaseSpec) { s.InstanceClass = "db.m5.large" }, "spec.parameters.instanceClass"},
		"EngineVersion":     {func(s *api.DatabaseSpec) { s.EngineVersion = "15.4" }, "spec.parameters.engineVersion"},
		"BackupTooShort":    {func(s *api.DatabaseSpec) { s.BackupRetentionDays = 3 }, "spec.parameters.backupRetentionDays: Invalid value: 3: must be 7 to 35 days"},
		"BackupTooLong":     {func(s *api.DatabaseSpec) { s.BackupRetentionDays = 36 }, "spec.parameters.backupRetentionDays"},
		"AccountID":         {func(s *api.DatabaseSpec) { s.AccountID = "" }, "spec.parameters.accountId"},
		"Zones":             {func(s *api.DatabaseSpec) { s.AvailabilityZones = zones[:2] }, "spec.parameters.availabilityZones"},
		"EnvironmentSuffix": {func(s *api.DatabaseSpec) { s.EnvironmentSuffix = "-x" }, "spec.parameters.environmentSuffix"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := spec()
			tc.mutate(&s)
			if _, err := Build(s, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one naming %q", err, tc.want)
			}
		})
	}
}

// TestDatabase_WarnsWhenTheClassFallsShortOfTheLoad: the connection budget of
// docs/capacity.md (capacity.RequiredConnections) is checked against the
// load the spec carries: the default class carries the default load without a
// warning, a small class or a larger load is warned about, naming both.
func TestDatabase_WarnsWhenTheClassFallsShortOfTheLoad(t *testing.T) {
	if w := ct.Build(t, Build, spec(), nil).Warnings; len(w) != 0 {
		t.Errorf("warnings for the default class: %v", w)
	}
	cases := map[string]struct {
		class string
		load  int
		want  string
	}{
		"SmallClass":  {"db.t4g.medium", 0, "db.t4g.medium gives the proxy 364 connections; 10000 concurrent transactions need 1500"},
		"LargerLoad":  {"", 50000, "db.r6g.xlarge gives the proxy 3131 connections; 50000 concurrent transactions need 7500"},
		"LargerClass": {"db.r6g.2xlarge", 50000, "db.r6g.2xlarge gives the proxy 4500 connections; 50000 concurrent transactions need 7500"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := spec()
			s.InstanceClass, s.ConcurrentTransactions = tc.class, tc.load
			if w := ct.Build(t, Build, s, nil).Warnings; len(w) != 1 || !strings.Contains(w[0], tc.want) {
				t.Errorf("warnings = %v, want one containing %q", w, tc.want)
			}
		})
	}
}
