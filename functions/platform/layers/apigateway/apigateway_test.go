package apigateway

import (
	"bytes"
	"encoding/json"
	"maps"
	"strings"
	"testing"

	xpv1 "github.com/crossplane/crossplane-runtime/v2/apis/common/v1"
	"github.com/crossplane/function-sdk-go/resource"
	agv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/apigateway/v1beta1"
	agv2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/apigatewayv2/v1beta1"
	cwlv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatchlogs/v1beta1"
	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"
	s3v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/s3/v1beta1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	ct "github.com/fintech-platform/payment-platform/functions/platform/compose/composetest"
	"github.com/fintech-platform/payment-platform/functions/platform/iampolicy"
	"github.com/fintech-platform/payment-platform/functions/platform/logs"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

const (
	account = "123456789012"
	albARN  = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb-payments-dev/0123456789abcdef"
	certARN = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
	linkID  = "vpclink0abc"
	apiID   = "a1b2c3d4e5"
	rootID  = "r00tid"
	version = "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"
)

// caPEM is a CA certificate made for the tests (openssl, P-256).
const caPEM = `-----BEGIN CERTIFICATE-----
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

func spec() api.GatewaySpec {
	return api.GatewaySpec{
		Common:          compose.Common{EnvironmentSuffix: "dev", Region: "us-east-1"},
		AccountID:       account,
		LoadBalancerARN: albARN,
		GatewaySettings: api.GatewaySettings{
			DomainName:     "api.dev.payments.example.com",
			CertificateARN: certARN,
			TruststorePEM:  caPEM,
			UsagePlans: []api.UsagePlan{
				{Name: "partners", RateLimit: 500, BurstLimit: 800, QuotaLimit: 1000000, QuotaPeriod: "DAY", APIKeys: []string{"acme", "globex"}},
				{Name: "internal", APIKeys: []string{"backoffice"}},
			},
		},
	}
}

var clients = []string{"acme", "globex", "backoffice"}

// everythingReady is observed state where every resource of spec exists
// and reports what AWS would.
func everythingReady() compose.Observed {
	rs := []ct.Res{
		{Name: keySecurityGroup, Ready: true},
		{Name: keyVPCLink, Ready: true, Fields: map[string]any{"status.atProvider.id": linkID}},
		{Name: keyRestAPI, Ready: true, Fields: map[string]any{"status.atProvider.id": apiID, "status.atProvider.rootResourceId": rootID}},
		{Name: keyProxyResource, Ready: true},
		{Name: keyDeployment, Ready: true},
		{Name: keyStage, Ready: true, Fields: map[string]any{"status.atProvider.invokeUrl": "https://" + apiID + ".execute-api.us-east-1.amazonaws.com/stage-payments-dev"}},
		{Name: keyMethodSetting, Ready: true},
		{Name: keyAccessLogs, Ready: true, Fields: map[string]any{wiring.ExternalNamePath: "logs-api-access-dev"}},
		{Name: keyExecLogs, Ready: true},
		{Name: keyBucket, Ready: true, Fields: map[string]any{wiring.ExternalNamePath: TruststoreBucket(account, "dev")}},
		{Name: keyVersioning, Ready: true},
		{Name: keyEncryption, Ready: true},
		{Name: keyTruststore, Ready: true, Fields: map[string]any{"status.atProvider.versionId": version}},
		{Name: keyDomainName, Ready: true, Fields: map[string]any{
			"status.atProvider.regionalDomainName": "d-abc123.execute-api.us-east-1.amazonaws.com",
			"status.atProvider.regionalZoneId":     "Z1UJRXOUMOOFQ8",
		}},
		{Name: keyMapping, Ready: true},
	}
	for _, r := range routes {
		rs = append(rs, ct.Res{Name: keyMethod(r), Ready: true}, ct.Res{Name: keyIntegration(r), Ready: true})
	}
	for _, p := range []string{"partners", "internal"} {
		rs = append(rs, ct.Res{Name: keyUsagePlan(p), Ready: true, Fields: map[string]any{"status.atProvider.id": "plan-" + p}})
	}
	for _, c := range clients {
		rs = append(rs, ct.Res{Name: keyAPIKey(c), Ready: true, Fields: map[string]any{"status.atProvider.id": "key-" + c}},
			ct.Res{Name: keyPlanKey(c), Ready: true})
	}
	return ct.Observed(rs...)
}

func TestAPIGateway_ExecuteAPIDisabledMutualTLSOnly_API1(t *testing.T) {
	d := ct.Build(t, Build, spec(), everythingReady())
	r := ct.Get[*agv1beta1.RestAPI](t, d, keyRestAPI).Spec.ForProvider
	if r.DisableExecuteAPIEndpoint == nil || !*r.DisableExecuteAPIEndpoint {
		t.Error("the default execute-api endpoint is on: clients could bypass mutual TLS")
	}
	if len(r.EndpointConfiguration.Types) != 1 || *r.EndpointConfiguration.Types[0] != "REGIONAL" {
		t.Errorf("REST API endpoint %v, want REGIONAL", r.EndpointConfiguration.Types)
	}

	dn := ct.Get[*agv1beta1.DomainName](t, d, keyDomainName).Spec.ForProvider
	if *dn.SecurityPolicy != "TLS_1_2" || *dn.EndpointConfiguration.Types[0] != "REGIONAL" || *dn.RegionalCertificateArn != certARN || dn.CertificateArn != nil {
		t.Errorf("domain: policy %s, endpoint %s, regional certificate %v, edge certificate %v: want TLS_1_2, REGIONAL, the claim's certificate",
			*dn.SecurityPolicy, *dn.EndpointConfiguration.Types[0], dn.RegionalCertificateArn, dn.CertificateArn)
	}
	// The truststore URI points at the layer's own bucket and object, at
	// the version the object reports.
	bucket := ct.Get[*s3v1beta1.Bucket](t, d, keyBucket)
	obj := ct.Get[*s3v1beta1.Object](t, d, keyTruststore).Spec.ForProvider
	want := "s3://" + bucket.Annotations[wiring.AnnotationExternalName] + "/" + *obj.Key
	if dn.MutualTLSAuthentication == nil || *dn.MutualTLSAuthentication.TruststoreURI != want || *dn.MutualTLSAuthentication.TruststoreVersion != version {
		t.Errorf("mutual TLS %+v, want truststore %s at version %s", dn.MutualTLSAuthentication, want, version)
	}
	if !*obj.BucketSelector.MatchControllerRef || obj.BucketSelector.MatchLabels[wiring.LabelComponent] != bucket.Labels[wiring.LabelComponent] {
		t.Errorf("truststore object selects bucket %+v, not the layer's own", obj.BucketSelector)
	}
	if *obj.Content != caPEM {
		t.Error("truststore object's content is not the claim's PEM")
	}
	m := ct.Get[*agv1beta1.BasePathMapping](t, d, keyMapping).Spec.ForProvider
	if m.BasePath != nil || !*m.DomainNameSelector.MatchControllerRef || !*m.StageNameSelector.MatchControllerRef || !*m.APIIDSelector.MatchControllerRef {
		t.Errorf("base path mapping %+v, want the domain's root mapped to the layer's own stage", m)
	}

	// Before the object reports a version the domain waits; once made it
	// stays, with the version it has, while the object is not observed.
	obs := everythingReady()
	delete(obs, keyTruststore)
	delete(obs, keyDomainName)
	if d := ct.Build(t, Build, spec(), obs); d.Get(keyDomainName) != nil || !waits(d, keyDomainName) {
		t.Errorf("domain composed before the truststore has a version; waiting: %v", d.Waiting)
	}
	obs = everythingReady()
	delete(obs, keyTruststore)
	obs[keyDomainName] = ct.Resource(true, map[string]any{"spec.forProvider.mutualTlsAuthentication.truststoreVersion": "old"})
	dn = ct.Get[*agv1beta1.DomainName](t, ct.Build(t, Build, spec(), obs), keyDomainName).Spec.ForProvider
	if *dn.MutualTLSAuthentication.TruststoreVersion != "old" {
		t.Errorf("existing domain's truststore version %s, want the one it has (old)", *dn.MutualTLSAuthentication.TruststoreVersion)
	}
}

func waits(d *compose.Desired, key string) bool {
	for _, w := range d.Waiting {
		if strings.HasPrefix(w, key+" waits for ") {
			return true
		}
	}
	return false
}

func TestAPIGateway_TruststoreBucketLockedDown_API1(t *testing.T) {
	d := ct.Build(t, Build, spec(), everythingReady())
	b := ct.Get[*s3v1beta1.Bucket](t, d, keyBucket)
	if got := b.Annotations[wiring.AnnotationExternalName]; got != "s3-truststore-123456789012-dev" {
		t.Errorf("bucket %s, want s3-truststore-<account>-<suffix>", got)
	}
	if b.Spec.ManagementPolicies != nil || !*b.Spec.ForProvider.ForceDestroy {
		t.Errorf("bucket policies %v force destroy %v: the truststore is configuration, deleted with the XR", b.Spec.ManagementPolicies, *b.Spec.ForProvider.ForceDestroy)
	}
	if v := ct.Get[*s3v1beta1.BucketVersioning](t, d, keyVersioning).Spec.ForProvider.VersioningConfiguration; *v.Status != "Enabled" {
		t.Errorf("versioning %s", *v.Status)
	}
	rule := ct.Get[*s3v1beta1.BucketServerSideEncryptionConfiguration](t, d, keyEncryption).Spec.ForProvider.Rule[0]
	if by := rule.ApplyServerSideEncryptionByDefault; *by.SseAlgorithm != "aws:kms" || by.KMSMasterKeyIDSelector.MatchLabels[wiring.LabelPurpose] != wiring.KeyDocuments || by.KMSMasterKeyIDSelector.MatchLabels[wiring.LabelEnvironment] != "dev" {
		t.Errorf("encryption %s with %v, want SSE-KMS with the environment's S3 (documents) key", *by.SseAlgorithm, by.KMSMasterKeyIDSelector)
	}
	if o := ct.Get[*s3v1beta1.Object](t, d, keyTruststore).Spec.ForProvider; *o.ServerSideEncryption != "aws:kms" || o.KMSKeyIDSelector.MatchLabels[wiring.LabelPurpose] != wiring.KeyDocuments {
		t.Errorf("object encryption %s with %v", *o.ServerSideEncryption, o.KMSKeyIDSelector)
	}
	pab := ct.Get[*s3v1beta1.BucketPublicAccessBlock](t, d, keyPublicAccess).Spec.ForProvider
	if !*pab.BlockPublicAcls || !*pab.BlockPublicPolicy || !*pab.IgnorePublicAcls || !*pab.RestrictPublicBuckets {
		t.Errorf("public access block %+v: want all four", pab)
	}
	if o := ct.Get[*s3v1beta1.BucketOwnershipControls](t, d, keyOwnership).Spec.ForProvider.Rule; *o.ObjectOwnership != "BucketOwnerEnforced" {
		t.Errorf("ownership %s, want ACLs off", *o.ObjectOwnership)
	}
	var doc iampolicy.Document
	if err := json.Unmarshal([]byte(*ct.Get[*s3v1beta1.BucketPolicy](t, d, keyPolicy).Spec.ForProvider.Policy), &doc); err != nil {
		t.Fatal(err)
	}
	st := doc.Statement[0]
	arn := "arn:aws:s3:::s3-truststore-123456789012-dev"
	if st.Effect != "Deny" || st.Condition["Bool"]["aws:SecureTransport"] != "false" || strings.Join(st.Resource, ",") != arn+","+arn+"/*" {
		t.Errorf("bucket policy %+v, want non-TLS requests denied on the bucket and its objects", st)
	}
	for k, sel := range map[string]*xpv1.NamespacedSelector{
		keyVersioning:   ct.Get[*s3v1beta1.BucketVersioning](t, d, keyVersioning).Spec.ForProvider.BucketSelector,
		keyPublicAccess: pab.BucketSelector,
		keyPolicy:       ct.Get[*s3v1beta1.BucketPolicy](t, d, keyPolicy).Spec.ForProvider.BucketSelector,
	} {
		if !*sel.MatchControllerRef || sel.MatchLabels[wiring.LabelComponent] != componentBucket {
			t.Errorf("%s selects %+v, not the layer's bucket", k, sel)
		}
	}

	// The object is written only under the key: it waits for encryption.
	obs := everythingReady()
	delete(obs, keyEncryption)
	delete(obs, keyTruststore)
	if d := ct.Build(t, Build, spec(), obs); d.Get(keyTruststore) != nil {
		t.Error("truststore written before the bucket encrypts with the key")
	}
}

func TestAPIGateway_ThrottleAndAPIKeysOnEveryMethod_API2(t *testing.T) {
	s := spec()
	s.BurstLimit = 3000
	d := ct.Build(t, Build, s, everythingReady())
	ms := ct.Get[*agv1beta1.MethodSettings](t, d, keyMethodSetting).Spec.ForProvider
	if *ms.MethodPath != "*/*" || *ms.Settings.ThrottlingRateLimit != 1000 || *ms.Settings.ThrottlingBurstLimit != 3000 {
		t.Errorf("method settings %s rate %v burst %v, want */* at exactly 1000 rps and burst 3000", *ms.MethodPath, *ms.Settings.ThrottlingRateLimit, *ms.Settings.ThrottlingBurstLimit)
	}
	if *ms.Settings.DataTraceEnabled || *ms.Settings.CachingEnabled {
		t.Error("request bodies logged or responses cached")
	}
	def := ct.Get[*agv1beta1.MethodSettings](t, ct.Build(t, Build, spec(), everythingReady()), keyMethodSetting).Spec.ForProvider.Settings
	if *def.ThrottlingBurstLimit != api.DefaultBurstLimit || *def.ThrottlingRateLimit != api.RateLimit {
		t.Errorf("default burst %v rate %v, want %d and %d", *def.ThrottlingBurstLimit, *def.ThrottlingRateLimit, api.DefaultBurstLimit, api.RateLimit)
	}

	methods := ct.Of[*agv1beta1.Method](d)
	if len(methods) != len(routes) {
		t.Fatalf("%d methods, want the root's and {proxy+}'s", len(methods))
	}
	for k, m := range methods {
		if m.Spec.ForProvider.APIKeyRequired == nil || !*m.Spec.ForProvider.APIKeyRequired {
			t.Errorf("%s does not require an API key", k)
		}
	}
	if r := ct.Get[*agv1beta1.Resource](t, d, keyProxyResource).Spec.ForProvider; *r.PathPart != "{proxy+}" {
		t.Errorf("resource %s, want {proxy+}", *r.PathPart)
	}
	if id := *ct.Get[*agv1beta1.Method](t, d, keyMethod(routeRoot)).Spec.ForProvider.ResourceID; id != rootID {
		t.Errorf("root method on resource %s, want the API's root %s", id, rootID)
	}

	plan := ct.Get[*agv1beta1.UsagePlan](t, d, keyUsagePlan("partners")).Spec.ForProvider
	if *plan.Name != "usageplan-partners-dev" || *plan.ThrottleSettings.RateLimit != 500 || *plan.ThrottleSettings.BurstLimit != 800 ||
		*plan.QuotaSettings.Limit != 1000000 || *plan.QuotaSettings.Period != "DAY" {
		t.Errorf("plan %s throttle %v/%v quota %v/%s", *plan.Name, *plan.ThrottleSettings.RateLimit, *plan.ThrottleSettings.BurstLimit, *plan.QuotaSettings.Limit, *plan.QuotaSettings.Period)
	}
	if st := plan.APIStages[0]; !*st.APIIDSelector.MatchControllerRef || st.StageSelector.MatchLabels[wiring.LabelComponent] != componentStage {
		t.Errorf("plan stage %+v, want the layer's own API and stage", st)
	}
	internal := ct.Get[*agv1beta1.UsagePlan](t, d, keyUsagePlan("internal")).Spec.ForProvider
	if *internal.ThrottleSettings.RateLimit != api.RateLimit || *internal.ThrottleSettings.BurstLimit != 3000 || *internal.QuotaSettings.Period != "MONTH" {
		t.Errorf("defaulted plan %v/%v %s", *internal.ThrottleSettings.RateLimit, *internal.ThrottleSettings.BurstLimit, *internal.QuotaSettings.Period)
	}
	// Each key is in its own plan, by labels.
	for plan, keys := range map[string][]string{"partners": {"acme", "globex"}, "internal": {"backoffice"}} {
		for _, c := range keys {
			pk := ct.Get[*agv1beta1.UsagePlanKey](t, d, keyPlanKey(c)).Spec.ForProvider
			if *pk.KeyType != "API_KEY" || pk.KeyIDSelector.MatchLabels[wiring.LabelPurpose] != c || pk.KeyIDSelector.MatchLabels[wiring.LabelComponent] != componentAPIKey ||
				pk.UsagePlanIDSelector.MatchLabels[wiring.LabelPurpose] != plan || !*pk.UsagePlanIDSelector.MatchControllerRef {
				t.Errorf("usage plan key %s selects key %v plan %v", c, pk.KeyIDSelector.MatchLabels, pk.UsagePlanIDSelector.MatchLabels)
			}
			key := ct.Get[*agv1beta1.APIKey](t, d, keyAPIKey(c))
			if key.Labels[wiring.LabelPurpose] != c || key.Labels[wiring.LabelComponent] != componentAPIKey {
				t.Errorf("key %s labels %v do not match its plan key's selector", c, key.Labels)
			}
		}
	}
	if n := ct.Count[*agv1beta1.APIKey](d); n != len(clients) {
		t.Errorf("%d API keys, want %d", n, len(clients))
	}

	// A claim without plans gets one plan with one key.
	s = spec()
	s.UsagePlans = nil
	d = ct.Build(t, Build, s, nil)
	if ct.Get[*agv1beta1.APIKey](t, d, keyAPIKey("default")) == nil || !waits(d, keyUsagePlan("standard")) {
		t.Errorf("default plan: waiting %v", d.Waiting)
	}
}

func TestAPIGateway_KeyValuesNeverInSpecOrStatus_API2(t *testing.T) {
	d := ct.Build(t, Build, spec(), everythingReady())
	for _, c := range clients {
		k := ct.Get[*agv1beta1.APIKey](t, d, keyAPIKey(c))
		if k.Spec.ForProvider.ValueSecretRef != nil {
			t.Errorf("%s: a value is passed in; AWS should make it", c)
		}
		if ref := k.Spec.WriteConnectionSecretToReference; ref == nil || ref.Name != "apikey-"+c+"-dev" {
			t.Errorf("%s: value written to %+v, want the Secret apikey-%s-dev", c, ref, c)
		}
	}
	st := ct.Status(t, d)
	b, _ := json.Marshal(st)
	if strings.Contains(strings.ToLower(string(b)), "value") {
		t.Errorf("status mentions a value: %s", b)
	}
	secrets, _ := st["apiKeySecrets"].(map[string]any)
	ids, _ := st["apiKeyIds"].(map[string]any)
	if secrets["acme"] != "apikey-acme-dev" || ids["acme"] != "key-acme" || len(secrets) != len(clients) {
		t.Errorf("status keys %v secrets %v", ids, secrets)
	}
}

func TestAPIGateway_PrivateIntegrationThroughVPCLink_API3(t *testing.T) {
	d := ct.Build(t, Build, spec(), everythingReady())
	for _, r := range routes {
		p := ct.Get[*agv1beta1.Integration](t, d, keyIntegration(r)).Spec.ForProvider
		if *p.Type != "HTTP_PROXY" || *p.ConnectionType != "VPC_LINK" || *p.ConnectionID != linkID || *p.IntegrationTarget != albARN {
			t.Errorf("%s: %s %s link %s target %s, want HTTP_PROXY through VPC link %s to %s", r, *p.Type, *p.ConnectionType, *p.ConnectionID, *p.IntegrationTarget, linkID, albARN)
		}
		if !strings.HasPrefix(*p.URI, "https://api.dev.payments.example.com:443/") {
			t.Errorf("%s: uri %s, want HTTPS to the backend host on the listener's port", r, *p.URI)
		}
	}
	p := ct.Get[*agv1beta1.Integration](t, d, keyIntegration(routeProxy)).Spec.ForProvider
	if *p.URI != "https://api.dev.payments.example.com:443/{proxy}" || *p.RequestParameters["integration.request.path.proxy"] != "method.request.path.proxy" {
		t.Errorf("proxy integration %s %v, want the path passed on", *p.URI, p.RequestParameters)
	}
	s := spec()
	s.BackendHostName = "internal.payments.example.com"
	p = ct.Get[*agv1beta1.Integration](t, ct.Build(t, Build, s, everythingReady()), keyIntegration(routeRoot)).Spec.ForProvider
	if *p.URI != "https://internal.payments.example.com:443/" {
		t.Errorf("root uri %s, want the backend host name", *p.URI)
	}

	// Without the ALB's ARN, or the link's id, the integrations (and the
	// deployment and stage) wait.
	obs := ct.Observed(ct.Res{Name: keyRestAPI, Ready: true, Fields: map[string]any{"status.atProvider.id": apiID, "status.atProvider.rootResourceId": rootID}},
		ct.Res{Name: keyMethod(routeRoot), Ready: true}, ct.Res{Name: keyMethod(routeProxy), Ready: true})
	s = spec()
	s.LoadBalancerARN = ""
	d = ct.Build(t, Build, s, obs)
	if n := ct.Count[*agv1beta1.Integration](d); n != 0 || !waits(d, keyIntegration(routeProxy)) || !strings.Contains(strings.Join(d.Waiting, ";"), "loadBalancerArn") {
		t.Errorf("%d integrations without the ALB's ARN; waiting %v", n, d.Waiting)
	}
	if d = ct.Build(t, Build, spec(), obs); ct.Count[*agv1beta1.Integration](d) != 0 || !strings.Contains(strings.Join(d.Waiting, ";"), "VPC link to report its id") {
		t.Errorf("integrations before the VPC link has an id; waiting %v", d.Waiting)
	}
	// Once made they stay, with what they have, whatever goes missing.
	obs = everythingReady()
	delete(obs, keyVPCLink)
	obs[resource.Name(keyIntegration(routeProxy))] = ct.Resource(true, map[string]any{"spec.forProvider.connectionId": linkID, "spec.forProvider.integrationTarget": albARN})
	d = ct.Build(t, Build, s, obs)
	p = ct.Get[*agv1beta1.Integration](t, d, keyIntegration(routeProxy)).Spec.ForProvider
	if *p.ConnectionID != linkID || *p.IntegrationTarget != albARN {
		t.Errorf("existing integration changed to link %v target %v", p.ConnectionID, p.IntegrationTarget)
	}
	if d.Get(keyDeployment) == nil || d.Get(keyStage) == nil {
		t.Error("an existing deployment or stage was dropped")
	}
}

func TestAPIGateway_AccessLogsEncryptedAndMetrics_API4(t *testing.T) {
	d := ct.Build(t, Build, spec(), everythingReady())
	groups := ct.Of[*cwlv1beta1.Group](d)
	if len(groups) != 2 {
		t.Fatalf("%d log groups, want access and execution", len(groups))
	}
	for k, g := range groups {
		p := g.Spec.ForProvider
		if *p.RetentionInDays != 2557 || logs.RetentionDays != 2557 || p.KMSKeyIDSelector.MatchLabels[wiring.LabelPurpose] != wiring.KeyLogs ||
			p.KMSKeyIDSelector.MatchLabels[wiring.LabelEnvironment] != "dev" {
			t.Errorf("%s: retention %v key %v, want 2557 days encrypted with the environment's logs key", k, *p.RetentionInDays, p.KMSKeyIDSelector)
		}
		// In the data-retention mode the groups stay in AWS.
		if len(g.Spec.ManagementPolicies) == 0 || strings.Contains(strings.ToLower(strings.Join(policies(g.Spec.ManagementPolicies), ",")), "delete") {
			t.Errorf("%s: management policies %v, want the data-retention ones", k, g.Spec.ManagementPolicies)
		}
		// The logs key admits the environment's groups only: *-<suffix>
		// and /aws/*-<suffix>/* (keys.LogGroupARNs).
		if name := g.Annotations[wiring.AnnotationExternalName]; !strings.HasSuffix(name, "-dev") {
			t.Errorf("%s: %s is not among the log groups the logs key admits", k, name)
		}
	}
	if g := groups[keyExecLogs]; g.Annotations[wiring.AnnotationExternalName] != "API-Gateway-Execution-Logs_"+apiID+"/stage-payments-dev" {
		t.Errorf("execution log group %s", g.Annotations[wiring.AnnotationExternalName])
	}

	st := ct.Get[*agv1beta1.Stage](t, d, keyStage).Spec.ForProvider
	want := "arn:aws:logs:us-east-1:123456789012:log-group:" + groups[keyAccessLogs].Annotations[wiring.AnnotationExternalName]
	if *st.AccessLogSettings.DestinationArn != want || !*st.XrayTracingEnabled {
		t.Errorf("stage logs to %s (X-Ray %v), want %s", *st.AccessLogSettings.DestinationArn, *st.XrayTracingEnabled, want)
	}
	var line map[string]string
	if err := json.Unmarshal([]byte(*st.AccessLogSettings.Format), &line); err != nil {
		t.Fatalf("access log format is not JSON: %v", err)
	}
	for _, f := range []string{"requestId", "ip", "caller", "user", "requestTime", "httpMethod", "resourcePath", "status", "protocol", "responseLength", "integrationLatency", "clientCertSubjectDN", "clientCertSerialNumber", "apiKeyId"} {
		if line[f] == "" {
			t.Errorf("access log line lacks %s", f)
		}
	}
	if strings.Contains(*st.AccessLogSettings.Format, "$context.identity.apiKey\"") {
		t.Error("access log line carries the API key itself")
	}
	if ms := ct.Get[*agv1beta1.MethodSettings](t, d, keyMethodSetting).Spec.ForProvider.Settings; !*ms.MetricsEnabled {
		t.Error("stage metrics off")
	}

	// The stage waits for its log group; the execution group for the API's id.
	obs := everythingReady()
	delete(obs, keyAccessLogs)
	delete(obs, keyStage)
	delete(obs, keyExecLogs)
	delete(obs, keyRestAPI)
	d = ct.Build(t, Build, spec(), obs)
	if d.Get(keyStage) != nil || d.Get(keyExecLogs) != nil || !waits(d, keyExecLogs) {
		t.Errorf("stage or execution log group before their prerequisites; waiting %v", d.Waiting)
	}
}

func policies(p xpv1.ManagementPolicies) []string {
	out := make([]string, 0, len(p))
	for _, a := range p {
		out = append(out, string(a))
	}
	return out
}

func TestAPIGateway_VPCLinkReachesTheALBOnly_EDGE3(t *testing.T) {
	d := ct.Build(t, Build, spec(), nil)
	sg := ct.Get[*ec2v1beta1.SecurityGroup](t, d, keySecurityGroup)
	if sg.Labels[wiring.LabelPurpose] != wiring.SGVPCLink || sg.Labels[wiring.LabelComponent] != wiring.ComponentSecurityGroup || sg.Labels[wiring.LabelLayer] != wiring.LayerAPI {
		t.Errorf("VPC link group labels %v: the ALB's group selects it by purpose %s", sg.Labels, wiring.SGVPCLink)
	}
	if n := ct.Count[*ec2v1beta1.SecurityGroupIngressRule](d); n != 0 {
		t.Errorf("%d ingress rules on the VPC link's group, want none", n)
	}
	eg := ct.Of[*ec2v1beta1.SecurityGroupEgressRule](d)
	if len(eg) != 1 {
		t.Fatalf("%d egress rules, want one", len(eg))
	}
	p := eg[keyEgress].Spec.ForProvider
	peer := p.ReferencedSecurityGroupIDSelector.MatchLabels
	if *p.IPProtocol != "tcp" || *p.FromPort != 443 || *p.ToPort != 443 || p.CidrIPv4 != nil ||
		peer[wiring.LabelPurpose] != wiring.SGLoadBalancer || peer[wiring.LabelEnvironment] != "dev" || peer[wiring.LabelComponent] != wiring.ComponentSecurityGroup ||
		p.SecurityGroupIDSelector.MatchLabels[wiring.LabelPurpose] != wiring.SGVPCLink {
		t.Errorf("egress %s %v-%v cidr %v to %v, want tcp 443 to the environment's load-balancer group only", *p.IPProtocol, *p.FromPort, *p.ToPort, p.CidrIPv4, peer)
	}
	link := ct.Get[*agv2v1beta1.VPCLink](t, d, keyVPCLink).Spec.ForProvider
	if link.SubnetIDSelector.MatchLabels[wiring.LabelTier] != wiring.TierPrivate || link.SecurityGroupIDSelector.MatchLabels[wiring.LabelPurpose] != wiring.SGVPCLink || !*link.SecurityGroupIDSelector.MatchControllerRef {
		t.Errorf("VPC link in %v with %v, want the private subnets and its own group", link.SubnetIDSelector.MatchLabels, link.SecurityGroupIDSelector)
	}
}

func TestAPIGateway_SelectorsStayInTheEnvironment_X4(t *testing.T) {
	d := ct.Build(t, Build, spec(), everythingReady())
	for name, o := range d.Resources {
		u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o)
		if err != nil {
			t.Fatal(err)
		}
		ct.CheckSelectors(t, string(name), u, "dev")
	}
}

func TestAPIGateway_StatusOnlyWhatIsKnown_API04(t *testing.T) {
	if st := ct.Status(t, ct.Build(t, Build, spec(), nil)); len(st) != 0 {
		t.Errorf("status %v before anything is observed", st)
	}
	st := ct.Build(t, Build, spec(), everythingReady()).Status.(api.GatewayStatus)
	want := api.GatewayStatus{
		APIID: apiID, DomainName: "api.dev.payments.example.com", URL: "https://api.dev.payments.example.com/",
		RegionalDomainName: "d-abc123.execute-api.us-east-1.amazonaws.com", RegionalHostedZoneID: "Z1UJRXOUMOOFQ8",
		StageName: "stage-payments-dev", StageInvokeURL: "https://" + apiID + ".execute-api.us-east-1.amazonaws.com/stage-payments-dev",
		VPCLinkID: linkID, AccessLogGroup: "logs-api-access-dev", TruststoreBucket: "s3-truststore-123456789012-dev",
		TruststoreURI: "s3://s3-truststore-123456789012-dev/truststore.pem", TruststoreVersion: version,
		UsagePlanIDs:  map[string]string{"partners": "plan-partners", "internal": "plan-internal"},
		APIKeyIDs:     map[string]string{"acme": "key-acme", "globex": "key-globex", "backoffice": "key-backoffice"},
		APIKeySecrets: map[string]string{"acme": "apikey-acme-dev", "globex": "apikey-globex-dev", "backoffice": "apikey-backoffice-dev"},
	}
	a, _ := json.Marshal(st)
	b, _ := json.Marshal(want)
	if !bytes.Equal(a, b) {
		t.Errorf("status\n%s\nwant\n%s", a, b)
	}
}

func TestAPIGateway_WithinTheResourceBudget(t *testing.T) {
	s := spec()
	s.UsagePlans = []api.UsagePlan{
		{Name: "a", APIKeys: []string{"k1", "k2", "k3"}},
		{Name: "b", APIKeys: []string{"k4"}},
		{Name: "c", APIKeys: []string{"k5"}},
	}
	obs := everythingReady()
	for _, p := range []string{"a", "b", "c"} {
		obs[resource.Name(keyUsagePlan(p))] = ct.Resource(true, nil)
	}
	for _, k := range []string{"k1", "k2", "k3", "k4", "k5"} {
		obs[resource.Name(keyAPIKey(k))] = ct.Resource(true, nil)
	}
	d := ct.Build(t, Build, s, obs)
	if len(s.UsagePlans) != api.MaxUsagePlans {
		t.Fatalf("the test must use the most plans")
	}
	if n := len(d.Resources); n > 40 {
		t.Errorf("%d resources at the most plans and keys the XRD admits; the budget is 40", n)
	}
}

func TestAPIGateway_BadInputNamesTheField_API05(t *testing.T) {
	other := "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIN1234567890123456789012345678901234567890ab\n-----END PRIVATE KEY-----\n"
	cases := map[string]struct {
		edit func(*api.GatewaySpec)
		want string
	}{
		"suffix":             {func(s *api.GatewaySpec) { s.EnvironmentSuffix = "Dev" }, "spec.parameters.environmentSuffix"},
		"account":            {func(s *api.GatewaySpec) { s.AccountID = "12345" }, "spec.parameters.accountId"},
		"domain missing":     {func(s *api.GatewaySpec) { s.DomainName = "" }, "spec.parameters.domainName"},
		"domain wildcard":    {func(s *api.GatewaySpec) { s.DomainName = "*.example.com" }, "spec.parameters.domainName"},
		"domain upper":       {func(s *api.GatewaySpec) { s.DomainName = "API.example.com" }, "spec.parameters.domainName"},
		"backend host":       {func(s *api.GatewaySpec) { s.BackendHostName = "no_underscores.example.com" }, "spec.parameters.backendHostName"},
		"certificate":        {func(s *api.GatewaySpec) { s.CertificateARN = "arn:aws:iam::123456789012:server-certificate/x" }, "spec.parameters.certificateArn"},
		"certificate region": {func(s *api.GatewaySpec) { s.CertificateARN = strings.Replace(certARN, "us-east-1", "us-west-2", 1) }, "spec.parameters.certificateArn: Invalid value: \"arn:aws:acm:us-west-2"},
		"load balancer": {func(s *api.GatewaySpec) {
			s.LoadBalancerARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/x/0123456789abcdef"
		}, "spec.parameters.loadBalancerArn"},
		"truststore empty":    {func(s *api.GatewaySpec) { s.TruststorePEM = "" }, "spec.parameters.truststorePem"},
		"truststore garbage":  {func(s *api.GatewaySpec) { s.TruststorePEM = "not a certificate" }, "spec.parameters.truststorePem"},
		"truststore key":      {func(s *api.GatewaySpec) { s.TruststorePEM = caPEM + other }, "PRIVATE KEY"},
		"truststore trailing": {func(s *api.GatewaySpec) { s.TruststorePEM = caPEM + "junk" }, "something other than PEM"},
		"truststore bad cert": {func(s *api.GatewaySpec) {
			s.TruststorePEM = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
		}, "certificate 1"},
		"truststore too long": {func(s *api.GatewaySpec) { s.TruststorePEM = strings.Repeat(caPEM, 200) }, "spec.parameters.truststorePem: Too long"},
		"burst zero":          {func(s *api.GatewaySpec) { s.BurstLimit = -1 }, "spec.parameters.burstLimit"},
		"burst 5001":          {func(s *api.GatewaySpec) { s.BurstLimit = 5001 }, "spec.parameters.burstLimit"},
		"plan name":           {func(s *api.GatewaySpec) { s.UsagePlans[0].Name = "Partners" }, "spec.parameters.usagePlans[0].name"},
		"plan duplicate":      {func(s *api.GatewaySpec) { s.UsagePlans[1].Name = "partners" }, "spec.parameters.usagePlans[1].name: Duplicate"},
		"plan rate":           {func(s *api.GatewaySpec) { s.UsagePlans[0].RateLimit = 1001 }, "spec.parameters.usagePlans[0].rateLimit"},
		"plan burst":          {func(s *api.GatewaySpec) { s.UsagePlans[0].BurstLimit = 2001 }, "spec.parameters.usagePlans[0].burstLimit"},
		"plan quota":          {func(s *api.GatewaySpec) { s.UsagePlans[0].QuotaLimit = -5 }, "spec.parameters.usagePlans[0].quotaLimit"},
		"plan period":         {func(s *api.GatewaySpec) { s.UsagePlans[0].QuotaPeriod = "YEAR" }, "spec.parameters.usagePlans[0].quotaPeriod"},
		"plan no keys":        {func(s *api.GatewaySpec) { s.UsagePlans[1].APIKeys = nil }, "spec.parameters.usagePlans[1].apiKeys: Required"},
		"key name":            {func(s *api.GatewaySpec) { s.UsagePlans[0].APIKeys[0] = "acme-bank" }, "spec.parameters.usagePlans[0].apiKeys[0]"},
		"key in two plans":    {func(s *api.GatewaySpec) { s.UsagePlans[1].APIKeys = []string{"acme"} }, "spec.parameters.usagePlans[1].apiKeys[0]: Duplicate"},
		"too many keys": {func(s *api.GatewaySpec) {
			s.UsagePlans[0].APIKeys = []string{"a", "b", "c", "d", "e", "f"}
		}, "spec.parameters.usagePlans[0].apiKeys: Too many"},
		"too many in all": {func(s *api.GatewaySpec) {
			s.UsagePlans[0].APIKeys = []string{"a", "b", "c", "d", "e"}
			s.UsagePlans[1].APIKeys = []string{"f", "g", "h"}
		}, "spec.parameters.usagePlans: Too many: 8"},
		"too many plans": {func(s *api.GatewaySpec) {
			s.UsagePlans = append(s.UsagePlans, api.UsagePlan{Name: "x", APIKeys: []string{"x"}}, api.UsagePlan{Name: "y", APIKeys: []string{"y"}})
		}, "spec.parameters.usagePlans: Too many: 4"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := spec()
			s.UsagePlans = []api.UsagePlan{
				{Name: "partners", APIKeys: []string{"acme", "globex"}},
				{Name: "internal", APIKeys: []string{"backoffice"}},
			}
			tc.edit(&s)
			d, err := Build(s, everythingReady())
			if err == nil {
				t.Fatalf("built %d resources, want an error naming %s", len(d.Resources), tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name %q", err, tc.want)
			}
		})
	}
}

// TestAPIGateway_TruststoreAccessLogs_API1: the truststore bucket's server
// access logs go to the documents layer's log bucket, under the prefix its
// policy admits S3's logging service to; the logging waits for that bucket's
// name and, once made, keeps the bucket it names.
func TestAPIGateway_TruststoreAccessLogs_API1(t *testing.T) {
	const logs = "s3-documents-logs-123456789012-dev"
	if d := ct.Build(t, Build, spec(), everythingReady()); d.Get(keyLogging) != nil || !waits(d, keyLogging) {
		t.Error("truststore logging composed without the log bucket's name")
	}
	s := spec()
	s.LogBucketName = logs
	l := ct.Get[*s3v1beta1.BucketLogging](t, ct.Build(t, Build, s, everythingReady()), keyLogging).Spec.ForProvider
	if *l.TargetBucket != logs || *l.TargetPrefix != "access/truststore/" || !strings.HasPrefix(*l.TargetPrefix, wiring.AccessLogPrefix) {
		t.Errorf("logs to %s under %s, want %s under access/truststore/", *l.TargetBucket, *l.TargetPrefix, logs)
	}
	if l.BucketSelector.MatchLabels[wiring.LabelComponent] != componentBucket || l.BucketSelector.MatchControllerRef == nil || !*l.BucketSelector.MatchControllerRef {
		t.Errorf("logging selects %v, want the layer's own truststore bucket", l.BucketSelector)
	}
	// The claim loses the documents' status for a moment: the logging stays,
	// naming the bucket it had.
	obs := everythingReady()
	maps.Copy(obs, ct.Observed(ct.Res{Name: keyLogging, Ready: true, Fields: map[string]any{"spec.forProvider.targetBucket": logs}}))
	if l := ct.Get[*s3v1beta1.BucketLogging](t, ct.Build(t, Build, spec(), obs), keyLogging).Spec.ForProvider; *l.TargetBucket != logs {
		t.Errorf("an existing logging now names %q, want it kept at %s", *l.TargetBucket, logs)
	}
	bad := spec()
	bad.Default()
	bad.LogBucketName = "Not_A_Bucket"
	if errs := bad.Validate(api.Parameters); len(errs) != 1 || errs[0].Field != "spec.parameters.logBucketName" {
		t.Errorf("an invalid log bucket name: %v", errs)
	}
}
