package platform

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fintech-platform/payment-platform/functions/platform/api"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	ct "github.com/fintech-platform/payment-platform/functions/platform/compose/composetest"
)

// truststore is a CA certificate (the full example's).
const truststore = `-----BEGIN CERTIFICATE-----
MIIBnzCCAUWgAwIBAgIUacaRMLOwqAo3hmXtxkKOMV/XHTIwCgYIKoZIzj0EAwIw
JTEjMCEGA1UEAwwaRXhhbXBsZSBQYXltZW50cyBDbGllbnQgQ0EwHhcNMjYxMTI0
MTgyMzEwWhcNMzYxMTIxMTgyMzEwWjAlMSMwIQYDVQQDDBpFeGFtcGxlIFBheW1l
bnRzIENsaWVudCBDQTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABGA6OZO9Fm70
fwyhiRLFchLeI6J8LPJ0ED91aWxEhmJ7KYtg5Zi0ceb6Ca3r06mn17Df2LXRRQeM
IGrdTjukPlOjUzBRMB0GA1UdDgQWBBTr/zFv6cCrTTTIQUnX+GRzugDSczAfBgNV
HSMEGDAWgBTr/zFv6cCrTTTIQUnX+GRzugDSczAPBgNVHRMBAf8EBTADAQH/MAoG
CCqGSM49BAMCA0gAMEUCIQCI9R33rKr1lCJQgtAx3AWSotkffjKDKVmifTGPOUOZ
KQIgLSBE0/cYilTGPH1W8h5rCcIJNo9408/J4njxNaqqxC4=
-----END CERTIFICATE-----
`

const certificate = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"

// minimal is a claim with its API: the fewest parameters that compose every layer.
func minimal() api.PaymentPlatformSpec {
	return api.PaymentPlatformSpec{Common: compose.Common{EnvironmentSuffix: "dev"}, Compute: api.ComputeSettings{Image: "1.0.0"},
		API: &api.GatewaySettings{DomainName: "api.dev.example.com", CertificateARN: certificate, TruststorePEM: truststore}}
}

func params(t *testing.T, d *compose.Desired, key string) map[string]any {
	t.Helper()
	u, ok := d.Get(key).(*unstructured.Unstructured)
	if !ok {
		t.Fatalf("%s not composed", key)
	}
	p, _, _ := unstructured.NestedMap(u.Object, "spec", "parameters")
	return p
}

func TestPlatform_Defaults_API03(t *testing.T) {
	d, err := Build(minimal(), nil)
	if err != nil {
		t.Fatal(err)
	}
	n := params(t, d, KeyNetwork)
	if n["region"] != "us-east-1" || n["cidr"] != "10.0.0.0/16" || n["environmentSuffix"] != "dev" {
		t.Errorf("network parameters = %v", n)
	}
	z := n["availabilityZones"].([]any)
	if len(z) != 3 || z[0] != "us-east-1a" || z[1] != "us-east-1b" || z[2] != "us-east-1c" {
		t.Errorf("zones = %v", z)
	}
}

// TestPlatform_KeysWaitForAccount proves the KeySet's gating: it waits for an
// account id, takes it from the claim or the VPC owner, and once it exists
// keeps the account it was made with.
func TestPlatform_KeysWaitForAccount_KMS1(t *testing.T) {
	d, _ := Build(minimal(), nil)
	// Every layer but the network waits for the account.
	if _, ok := d.Resources[KeyKeys]; ok || len(d.Waiting) != len(Layers)-1 {
		t.Fatalf("KeySet composed without an account id; waiting = %v", d.Waiting)
	}

	withAccount := minimal()
	withAccount.AccountID = "111111111111"
	d, _ = Build(withAccount, nil)
	if got := params(t, d, KeyKeys)["accountId"]; got != "111111111111" {
		t.Errorf("accountId = %v, want the claim's", got)
	}
	if got := params(t, d, KeyKeys)["replicaRegion"]; got != "us-west-2" {
		t.Errorf("replicaRegion = %v, want the default us-west-2", got)
	}

	d, _ = Build(minimal(), ct.Observed(ct.Res{Name: KeyNetwork, Fields: map[string]any{"status.accountId": "222222222222"}}))
	if got := params(t, d, KeyKeys)["accountId"]; got != "222222222222" {
		t.Errorf("accountId = %v, want the VPC owner's", got)
	}

	// The network's status is gone for a moment: the KeySet stays as it was.
	d, _ = Build(minimal(), ct.Observed(ct.Res{Name: KeyNetwork}, ct.Res{Name: KeyKeys, Fields: map[string]any{"spec.parameters.accountId": "222222222222"}}))
	if got := params(t, d, KeyKeys)["accountId"]; got != "222222222222" {
		t.Errorf("accountId = %v: an existing KeySet must keep its account", got)
	}
	d, _ = Build(minimal(), ct.Observed(ct.Res{Name: KeyDatabase, Fields: map[string]any{"spec.parameters.accountId": "333333333333"}}))
	if got := params(t, d, KeyDatabase)["accountId"]; got != "333333333333" {
		t.Errorf("accountId = %v: an existing Database must keep its account", got)
	}
}

func TestPlatform_StatusAndLayers_API04(t *testing.T) {
	obs := ct.Observed(
		ct.Res{Name: KeyNetwork, Ready: true, Fields: map[string]any{
			"status.vpcId": "vpc-1", "status.accountId": "123456789012", "status.flowLogGroup": "logs-vpc-flow-dev",
			"status.subnetIds": map[string]any{"public": []any{"a", "b", "c"}},
		}},
		ct.Res{Name: KeyKeys, Fields: map[string]any{"status.keyArns": map[string]any{"logs": "arn:aws:kms:us-east-1:123456789012:key/1"}}},
	)
	d, err := Build(minimal(), obs)
	if err != nil {
		t.Fatal(err)
	}
	want := api.PaymentPlatformStatus{
		AccountID: "123456789012",
		Layers: map[string]string{KeyNetwork: api.StateReady, KeyKeys: api.StateCreating, KeyDatabase: api.StatePending,
			KeyCompute: api.StatePending, KeyAPI: api.StatePending, KeyMessaging: api.StatePending,
			KeyDocuments: api.StatePending, KeyObservability: api.StatePending},
		Network: &api.NetworkStatus{VPCID: "vpc-1", AccountID: "123456789012", FlowLogGroup: "logs-vpc-flow-dev",
			SubnetIDs: &api.SubnetIDs{Public: []string{"a", "b", "c"}}},
		Keys: &api.KeySetStatus{KeyARNs: map[string]string{"logs": "arn:aws:kms:us-east-1:123456789012:key/1"}},
	}
	if diff := cmp.Diff(want, d.Status); diff != "" {
		t.Errorf("status (-want +got):\n%s", diff)
	}
}

func TestPlatform_Validate_API05(t *testing.T) {
	cases := map[string]struct {
		mutate func(*api.PaymentPlatformSpec)
		want   string
	}{
		"Suffix":          {func(s *api.PaymentPlatformSpec) { s.EnvironmentSuffix = "Dev" }, "spec.parameters.environmentSuffix"},
		"Region":          {func(s *api.PaymentPlatformSpec) { s.Region = "mars-1" }, "spec.parameters.region"},
		"ReplicaRegion":   {func(s *api.PaymentPlatformSpec) { s.ReplicaRegion = "west" }, "spec.parameters.replicaRegion"},
		"ReplicaSame":     {func(s *api.PaymentPlatformSpec) { s.ReplicaRegion = "us-east-1" }, "must differ"},
		"Zones":           {func(s *api.PaymentPlatformSpec) { s.AvailabilityZones = []string{"us-east-1a"} }, "spec.parameters.availabilityZones"},
		"CIDR":            {func(s *api.PaymentPlatformSpec) { s.Network.CIDR = "10.0.1.0/16" }, "spec.parameters.network.cidr"},
		"NATInstanceType": {func(s *api.PaymentPlatformSpec) { s.Network.NATInstanceType = "x" }, "spec.parameters.network.natInstanceType"},
		"AccountID":       {func(s *api.PaymentPlatformSpec) { s.AccountID = "12" }, "spec.parameters.accountId"},
		"DatabaseClass":   {func(s *api.PaymentPlatformSpec) { s.Database.InstanceClass = "db.x1.huge" }, "spec.parameters.database.instanceClass"},
		// What AWS accepts, not only the shape (SPEC API-0.7).
		"UnknownRegion": {func(s *api.PaymentPlatformSpec) { s.Region = "us-east-9" }, `spec.parameters.region: Unsupported value: "us-east-9"`},
		"UnknownZone": {func(s *api.PaymentPlatformSpec) {
			s.AvailabilityZones = []string{"us-east-1a", "us-east-1b", "us-east-1z"}
		}, `spec.parameters.availabilityZones[2]: Unsupported value: "us-east-1z"`},
		"UnknownNATType": {func(s *api.PaymentPlatformSpec) { s.Network.NATInstanceType = "t4g.huge" }, `spec.parameters.network.natInstanceType: Unsupported value: "t4g.huge"`},
		"UnknownEngine":  {func(s *api.PaymentPlatformSpec) { s.Database.EngineVersion = "16.99" }, `spec.parameters.database.engineVersion: Unsupported value: "16.99"`},
		"ReservedCIDR":   {func(s *api.PaymentPlatformSpec) { s.Network.CIDR = "169.254.0.0/16" }, `spec.parameters.network.cidr: Invalid value: "169.254.0.0/16": is in 169.254.0.0/16`},
		"AWSTag":         {func(s *api.PaymentPlatformSpec) { s.Tags = map[string]string{"AWS:owner": "me"} }, "spec.parameters.tags[AWS:owner]"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := minimal()
			tc.mutate(&s)
			if _, err := Build(s, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one naming %q", err, tc.want)
			}
		})
	}
}

// TestPlatform_DatabaseWiring: the Database gets the account, the claim's
// database settings and, once the network reports them, the private subnets;
// an existing Database keeps the subnets it was given.
func TestPlatform_DatabaseWiring_DB1(t *testing.T) {
	s := minimal()
	s.AccountID = "111111111111"
	s.Database.InstanceClass = "db.r7g.large"
	s.Database.DeletionProtection = true
	d, err := Build(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := params(t, d, KeyDatabase)
	if p["accountId"] != "111111111111" || p["instanceClass"] != "db.r7g.large" || p["deletionProtection"] != true || p["engineVersion"] != "16.6" {
		t.Errorf("database parameters = %v", p)
	}
	if _, ok := p["privateSubnetIds"]; ok {
		t.Errorf("private subnets passed before the network reported them: %v", p["privateSubnetIds"])
	}
	net := ct.Observed(ct.Res{Name: KeyNetwork, Fields: map[string]any{"status.subnetIds": map[string]any{"private": []any{"s-a", "s-b", "s-c"}}}})
	d, _ = Build(s, net)
	if got := params(t, d, KeyDatabase)["privateSubnetIds"]; fmt.Sprint(got) != "[s-a s-b s-c]" {
		t.Errorf("privateSubnetIds = %v", got)
	}
	kept := ct.Observed(ct.Res{Name: KeyDatabase, Fields: map[string]any{"spec.parameters.privateSubnetIds": []any{"s-x", "s-y", "s-z"}}})
	d, _ = Build(s, kept)
	if got := params(t, d, KeyDatabase)["privateSubnetIds"]; fmt.Sprint(got) != "[s-x s-y s-z]" {
		t.Errorf("privateSubnetIds = %v: an existing Database keeps its subnets", got)
	}
	db := ct.Observed(ct.Res{Name: KeyDatabase, Ready: true, Fields: map[string]any{"status.proxyEndpoint": "proxy.example", "status.port": int64(5432)}})
	st, _ := Build(s, db)
	out := st.Status.(api.PaymentPlatformStatus)
	if out.Database == nil || out.Database.ProxyEndpoint != "proxy.example" || out.Database.Port != 5432 || out.Layers[KeyDatabase] != api.StateReady {
		t.Errorf("status = %+v", out)
	}
}

// TestPlatform_AccountMustBeTheVPCOwner_API05: a given accountId that is not
// the VPC's owner is refused naming the field, and nothing is composed.
func TestPlatform_AccountMustBeTheVPCOwner_API05(t *testing.T) {
	s := minimal()
	s.AccountID = "111111111111"
	obs := ct.Observed(ct.Res{Name: KeyNetwork, Ready: true, Fields: map[string]any{"status.accountId": "123456789012"}})
	d, err := Build(s, obs)
	if err == nil || d != nil || !strings.Contains(err.Error(), `spec.parameters.accountId: Invalid value: "111111111111": is not the account the VPC was created in (123456789012`) {
		t.Errorf("Build = %v, %v; want a refusal naming spec.parameters.accountId and the owner", d, err)
	}
	s.AccountID = "123456789012"
	if _, err := Build(s, obs); err != nil {
		t.Errorf("the VPC owner's own account refused: %v", err)
	}
}

// TestPlatform_LayerWarningsReachTheClaim_API04: a layer's warnings show in
// the claim's status, prefixed with the layer, and as Warning results on it.
func TestPlatform_LayerWarningsReachTheClaim_API04(t *testing.T) {
	obs := ct.Observed(ct.Res{Name: KeyDatabase, Fields: map[string]any{"status.warnings": []any{"instanceClass db.t4g.medium is small"}}},
		ct.Res{Name: KeyObservability, Fields: map[string]any{"status.warnings": []any{"a subscription was kept"}}})
	d, err := Build(minimal(), obs)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"database: instanceClass db.t4g.medium is small", "observability: a subscription was kept"}
	if diff := cmp.Diff(want, d.Status.(api.PaymentPlatformStatus).Warnings); diff != "" {
		t.Errorf("status.warnings (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, d.Warnings); diff != "" {
		t.Errorf("warning results (-want +got):\n%s", diff)
	}
}

// TestPlatform_ServiceAndAPIWiredFromStatuses_CMP4_API3: the service layer
// gets the account, the load and where the tasks connect from the database's
// status, and the API's certificate for its listener; the API gets the ALB the
// service layer reports; each waits for the account and neither drops what
// it had.
func TestPlatform_ServiceAndAPIWiredFromStatuses_CMP4_API3(t *testing.T) {
	obs := ct.Observed(
		ct.Res{Name: KeyNetwork, Ready: true, Fields: map[string]any{"status.accountId": "123456789012"}},
		ct.Res{Name: KeyDatabase, Fields: map[string]any{
			"status.proxyEndpoint": "rdsproxy-payments-dev.proxy-abc.us-east-1.rds.amazonaws.com", "status.proxyResourceId": "prx-0123456789abcdef0",
			"status.securityGroupIds": map[string]any{"client-api": "sg-0123456789abcdef0", "client-worker": "sg-1"},
		}},
		ct.Res{Name: KeyCompute, Fields: map[string]any{"status.loadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb-payments-dev/0123456789abcdef"}},
	)
	d, err := Build(minimal(), obs)
	if err != nil {
		t.Fatal(err)
	}
	c := params(t, d, KeyCompute)
	want := map[string]any{
		"accountId": "123456789012", "concurrentTransactions": int64(10000), "certificateArn": certificate, "image": "1.0.0",
		"databaseEndpoint": "rdsproxy-payments-dev.proxy-abc.us-east-1.rds.amazonaws.com", "proxyResourceId": "prx-0123456789abcdef0",
		"clientSecurityGroupId": "sg-0123456789abcdef0",
	}
	for k, v := range want {
		if fmt.Sprint(c[k]) != fmt.Sprint(v) {
			t.Errorf("compute %s = %v, want %v", k, c[k], v)
		}
	}
	if got := params(t, d, KeyAPI)["loadBalancerArn"]; got != "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb-payments-dev/0123456789abcdef" {
		t.Errorf("api loadBalancerArn = %v, want the compute layer's", got)
	}

	// A claim's own listener certificate wins over the API's.
	own := minimal()
	own.Compute.CertificateARN = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
	d, _ = Build(own, obs)
	if got := params(t, d, KeyCompute)["certificateArn"]; got != own.Compute.CertificateARN {
		t.Errorf("compute certificateArn = %v, want the claim's", got)
	}
}

// TestPlatform_NoAPIWarnsAndAnAPIStays_API04_API05: a claim without
// spec.parameters.api composes no ApiGateway and says so on the claim; once
// an ApiGateway exists, removing spec.parameters.api is refused naming it
// (nothing is deleted).
func TestPlatform_NoAPIWarnsAndAnAPIStays_API04_API05(t *testing.T) {
	noAPI := minimal()
	noAPI.API = nil
	obs := ct.Observed(ct.Res{Name: KeyNetwork, Ready: true, Fields: map[string]any{"status.accountId": "123456789012"}})
	d, err := Build(noAPI, obs)
	if err != nil {
		t.Fatal(err)
	}
	if d.Get(KeyAPI) != nil {
		t.Error("an ApiGateway composed without spec.parameters.api")
	}
	if diff := cmp.Diff([]string{NoAPIWarning}, d.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	obs = ct.Observed(ct.Res{Name: KeyNetwork, Ready: true, Fields: map[string]any{"status.accountId": "123456789012"}}, ct.Res{Name: KeyAPI})
	if _, err := Build(noAPI, obs); err == nil || !strings.Contains(err.Error(), "spec.parameters.api: Forbidden: cannot be removed once set") {
		t.Errorf("err = %v, want spec.parameters.api refused", err)
	}
}

// TestPlatform_MessagingDocumentsObservabilityWired_ASY4_STO3_OBS2: each new
// layer gets the account and what the others report as it appears: the
// messaging layer the messaging key, the proxy and the worker's client group
// and repository; the documents layer both documents keys and the replica
// region; the observability layer the key, the service's, database's and
// messaging layer's names and ARNs; and the service layer the queue, its ARN
// and key together, only once all three are known.
func TestPlatform_MessagingDocumentsObservabilityWired_ASY4_STO3_OBS2(t *testing.T) {
	const (
		account    = "123456789012"
		msgKey     = "arn:aws:kms:us-east-1:123456789012:key/m"
		docKey     = "arn:aws:kms:us-east-1:123456789012:key/d"
		replicaKey = "arn:aws:kms:us-west-2:123456789012:key/r"
		queueURL   = "https://sqs.us-east-1.amazonaws.com/123456789012/sqs-payments-dev"
		queueARN   = "arn:aws:sqs:us-east-1:123456789012:sqs-payments-dev"
		dlqARN     = "arn:aws:sqs:us-east-1:123456789012:sqs-payments-dlq-dev"
		alb        = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb-payments-dev/0123456789abcdef"
		tg         = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg-api-dev/0123456789abcdef"
		acl        = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/waf-alb-dev/abc"
		repo       = "123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-worker-dev"
	)
	network := ct.Res{Name: KeyNetwork, Ready: true, Fields: map[string]any{"status.accountId": account}}
	keys := ct.Res{Name: KeyKeys, Fields: map[string]any{"status.keyArns": map[string]any{
		"messaging": msgKey, "documents": docKey, "documents-replica": replicaKey,
	}}}
	database := ct.Res{Name: KeyDatabase, Fields: map[string]any{
		"status.proxyEndpoint": "proxy.example", "status.proxyResourceId": "prx-0123456789abcdef0", "status.clusterIdentifier": "aurora-payments-dev",
		"status.securityGroupIds": map[string]any{"client-api": "sg-a", "client-worker": "sg-w"},
	}}
	compute := ct.Res{Name: KeyCompute, Fields: map[string]any{
		"status.loadBalancerArn": alb, "status.targetGroupArn": tg, "status.webAclArn": acl,
		"status.clusterName": "ecs-payments-dev", "status.serviceName": "svc-api-dev",
		"status.repositoryUrls": map[string]any{"api": "x", "worker": repo},
	}}
	messaging := ct.Res{Name: KeyMessaging, Fields: map[string]any{
		"status.queueUrl": queueURL, "status.queueArn": queueARN, "status.deadLetterQueueArn": dlqARN, "status.functionName": "lambda-worker-dev",
	}}

	check := func(d *compose.Desired, key string, want map[string]any) {
		t.Helper()
		p := params(t, d, key)
		for k, v := range want {
			if fmt.Sprint(p[k]) != fmt.Sprint(v) {
				t.Errorf("%s %s = %v, want %v", key, k, p[k], v)
			}
		}
	}

	// Only the account known: every layer is composed, with nothing from
	// the others yet, and the service layer has no queue.
	d, err := Build(minimal(), ct.Observed(network))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{KeyMessaging, KeyDocuments, KeyObservability} {
		check(d, k, map[string]any{"accountId": account})
	}
	for _, k := range []string{"queueUrl", "queueArn", "messagingKeyArn"} {
		if v, ok := params(t, d, KeyCompute)[k]; ok {
			t.Errorf("compute %s = %v before the messaging layer reports it", k, v)
		}
	}

	// The queue without the key: the service layer still gets none of the three.
	d, _ = Build(minimal(), ct.Observed(network, messaging))
	if v, ok := params(t, d, KeyCompute)["queueUrl"]; ok {
		t.Errorf("compute queueUrl = %v without the messaging key", v)
	}
	// Once the service layer has them, they stay while the statuses they came
	// from are gone for a moment.
	given := ct.Res{Name: KeyCompute, Fields: map[string]any{"spec.parameters.queueUrl": queueURL, "spec.parameters.queueArn": queueARN, "spec.parameters.messagingKeyArn": msgKey}}
	d, _ = Build(minimal(), ct.Observed(network, given))
	check(d, KeyCompute, map[string]any{"queueUrl": queueURL, "queueArn": queueARN, "messagingKeyArn": msgKey})

	documents := ct.Res{Name: KeyDocuments, Fields: map[string]any{"status.logBucketName": "s3-documents-logs-123456789012-dev"}}
	d, err = Build(minimal(), ct.Observed(network, keys, database, compute, messaging, documents))
	if err != nil {
		t.Fatal(err)
	}
	// The truststore bucket logs to the documents layer's log bucket.
	check(d, KeyAPI, map[string]any{"logBucketName": "s3-documents-logs-123456789012-dev"})
	check(d, KeyMessaging, map[string]any{
		"messagingKeyArn": msgKey, "databaseEndpoint": "proxy.example", "proxyResourceId": "prx-0123456789abcdef0",
		"clientSecurityGroupId": "sg-w", "workerRepositoryUrl": repo,
	})
	check(d, KeyDocuments, map[string]any{"documentsKeyArn": docKey, "replicaKeyArn": replicaKey, "replicaRegion": "us-west-2"})
	check(d, KeyObservability, map[string]any{
		"messagingKeyArn": msgKey, "loadBalancerArn": alb, "targetGroupArn": tg, "webAclArn": acl,
		"clusterName": "ecs-payments-dev", "serviceName": "svc-api-dev", "dbClusterIdentifier": "aurora-payments-dev",
		"queueArn": queueARN, "deadLetterQueueArn": dlqARN, "functionName": "lambda-worker-dev",
	})
	check(d, KeyCompute, map[string]any{"queueUrl": queueURL, "queueArn": queueARN, "messagingKeyArn": msgKey})
}

// TestPlatform_ReadyConditionPerLayer_API04: the claim carries a condition
// per layer, <Layer>Ready, true only when that layer's XR is ready, its reason
// the layer's state.
func TestPlatform_ReadyConditionPerLayer_API04(t *testing.T) {
	obs := ct.Observed(
		ct.Res{Name: KeyNetwork, Ready: true, Fields: map[string]any{"status.accountId": "123456789012"}},
		ct.Res{Name: KeyKeys},
	)
	d, err := Build(minimal(), obs)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]compose.Condition{}
	for _, c := range d.Conditions {
		got[c.Type] = c
	}
	want := map[string]compose.Condition{
		"NetworkReady":       {Type: "NetworkReady", Status: true, Reason: api.StateReady},
		"KeysReady":          {Type: "KeysReady", Reason: api.StateCreating, Message: "the keys layer is composed and not ready yet"},
		"DatabaseReady":      {Type: "DatabaseReady", Reason: api.StatePending, Message: "the database layer is not composed yet"},
		"ComputeReady":       {Type: "ComputeReady", Reason: api.StatePending, Message: "the compute layer is not composed yet"},
		"APIReady":           {Type: "APIReady", Reason: api.StatePending, Message: "the api layer is not composed yet"},
		"MessagingReady":     {Type: "MessagingReady", Reason: api.StatePending, Message: "the messaging layer is not composed yet"},
		"DocumentsReady":     {Type: "DocumentsReady", Reason: api.StatePending, Message: "the documents layer is not composed yet"},
		"ObservabilityReady": {Type: "ObservabilityReady", Reason: api.StatePending, Message: "the observability layer is not composed yet"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("conditions (-want +got):\n%s", diff)
	}
	if len(d.Conditions) != len(Layers) {
		t.Errorf("%d conditions for %d layers", len(d.Conditions), len(Layers))
	}
	// A claim without an API says so, rather than "not composed yet".
	noAPI := minimal()
	noAPI.API = nil
	d, _ = Build(noAPI, obs)
	for _, c := range d.Conditions {
		if c.Type == "APIReady" && (c.Status || c.Reason != "NotRequested") {
			t.Errorf("APIReady without an API: %+v", c)
		}
	}
}
