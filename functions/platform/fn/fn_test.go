package fn

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
	"google.golang.org/protobuf/types/known/structpb"
	corev1 "k8s.io/api/core/v1"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/layer"
)

func xr(kind string, params map[string]any) *structpb.Struct {
	return resource.MustStructObject(&unstructuredXR{kind: kind, params: params})
}

func req(x *structpb.Struct, observed map[string]*structpb.Struct) *fnv1.RunFunctionRequest {
	r := &fnv1.RunFunctionRequest{Observed: &fnv1.State{Composite: &fnv1.Resource{Resource: x}, Resources: map[string]*fnv1.Resource{}}}
	for n, o := range observed {
		r.Observed.Resources[n] = &fnv1.Resource{Resource: o}
	}
	return r
}

func observed(apiVersion, kind string, ready bool, status map[string]any) *structpb.Struct {
	s := "False"
	if ready {
		s = "True"
	}
	st := map[string]any{"conditions": []any{map[string]any{"type": "Ready", "status": s}}}
	for k, v := range status {
		st[k] = v
	}
	return resource.MustStructJSON(mustJSON(map[string]any{
		"apiVersion": apiVersion, "kind": kind,
		"metadata": map[string]any{"name": strings.ToLower(kind), "namespace": "tenant"},
		"status":   st,
	}))
}

func run(t *testing.T, r *fnv1.RunFunctionRequest) *fnv1.RunFunctionResponse {
	t.Helper()
	rsp, err := (&Function{}).RunFunction(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return rsp
}

func fatal(rsp *fnv1.RunFunctionResponse) string {
	for _, r := range rsp.GetResults() {
		if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
			return r.GetMessage()
		}
	}
	return ""
}

// testTruststore is a CA certificate made for the tests (openssl, P-256).
const testTruststore = `-----BEGIN CERTIFICATE-----
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

func TestRunFunction_DispatchesEveryKind_D1(t *testing.T) {
	common := map[string]any{"environmentSuffix": "dev", "region": "us-east-1", "availabilityZones": []any{"us-east-1a", "us-east-1b", "us-east-1c"}}
	with := func(kv ...any) map[string]any {
		m := map[string]any{}
		for k, v := range common {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	cases := map[string]struct {
		params map[string]any
		want   int
	}{
		// Every layer but the API (the claim has none).
		"PaymentPlatform":   {map[string]any{"environmentSuffix": "dev", "accountId": "123456789012"}, 7},
		"Network":           {with("cidr", "10.0.0.0/16"), 28},
		"NatInstances":      {with("cidr", "10.0.0.0/16"), 7},
		"VpcEndpoints":      {with("cidr", "10.0.0.0/16"), 21},
		"InterfaceEndpoint": {with("service", "sqs"), 5},
		"KeySet":            {with("replicaRegion", "us-west-2", "accountId", "123456789012"), 12},
		"Database":          {with("accountId", "123456789012"), 16},
		"Compute": {with("accountId", "123456789012", "image", "1.0.0", "proxyResourceId", "prx-0123456789abcdef0",
			"certificateArn", "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"), 19},
		"ApiGateway": {with("accountId", "123456789012", "domainName", "api.example.com", "truststorePem", testTruststore,
			"certificateArn", "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"), 14},
		"Documents": {with("accountId", "123456789012"), 24},
		// Without the messaging key or the database's outputs: the log
		// group and the worker's security group with its rule.
		"Messaging": {with("accountId", "123456789012"), 3},
		// Without the messaging key: the dashboard alone (the topic, and so
		// every alarm, waits for the key).
		"Observability": {with("accountId", "123456789012"), 1},
	}
	if len(cases) != len(Kinds()) {
		t.Fatalf("cases cover %d kinds, the function serves %v", len(cases), Kinds())
	}
	for kind, tc := range cases {
		t.Run(kind, func(t *testing.T) {
			rsp := run(t, req(xr(kind, tc.params), nil))
			if msg := fatal(rsp); msg != "" {
				t.Fatal(msg)
			}
			if got := len(rsp.GetDesired().GetResources()); got != tc.want {
				t.Errorf("desired %d resources, want %d", got, tc.want)
			}
		})
	}
}

func TestRunFunction_UnknownKind(t *testing.T) {
	rsp := run(t, req(xr("Cache", map[string]any{}), nil))
	if msg := fatal(rsp); !strings.Contains(msg, "not Cache") || !strings.Contains(msg, "PaymentPlatform") {
		t.Errorf("fatal = %q", msg)
	}
}

// TestRunFunction_BadInputChangesNothing_API05: a fatal result with no desired
// resources; Crossplane then applies nothing and deletes nothing.
func TestRunFunction_BadInputChangesNothing_API05(t *testing.T) {
	obs := map[string]*structpb.Struct{"network": observed(compose.APIVersion, "Network", true, nil)}
	rsp := run(t, req(xr("PaymentPlatform", map[string]any{"environmentSuffix": "dev", "network": map[string]any{"cidr": "10.0.0.0/8"}}), obs))
	msg := fatal(rsp)
	if !strings.Contains(msg, `invalid PaymentPlatform "payments"`) || !strings.Contains(msg, "spec.parameters.network.cidr") {
		t.Errorf("fatal = %q, want the XR and the field named", msg)
	}
	if n := len(rsp.GetDesired().GetResources()); n != 0 {
		t.Errorf("a rejected claim still desired %d resources", n)
	}
}

func TestRunFunction_RefusesToDropObserved(t *testing.T) {
	obs := map[string]*structpb.Struct{"something-from-an-older-version": observed("ec2.aws.m.upbound.io/v1beta1", "VPC", true, nil)}
	rsp := run(t, req(xr("PaymentPlatform", map[string]any{"environmentSuffix": "dev"}), obs))
	if msg := fatal(rsp); !strings.Contains(msg, "refusing to drop observed resources something-from-an-older-version") {
		t.Errorf("fatal = %q", msg)
	}
	if n := len(rsp.GetDesired().GetResources()); n != 0 {
		t.Errorf("desired %d resources alongside the refusal", n)
	}
}

func TestRunFunction_ReadinessStatusAndWaiting_API04(t *testing.T) {
	obs := map[string]*structpb.Struct{
		"network": observed(compose.APIVersion, "Network", true, map[string]any{"vpcId": "vpc-1", "accountId": "123456789012"}),
	}
	rsp := run(t, req(xr("PaymentPlatform", map[string]any{"environmentSuffix": "dev"}), obs))
	if msg := fatal(rsp); msg != "" {
		t.Fatal(msg)
	}
	res := rsp.GetDesired().GetResources()
	if res["network"].GetReady() != fnv1.Ready_READY_TRUE || res["keys"].GetReady() != fnv1.Ready_READY_FALSE {
		t.Errorf("readiness network=%v keys=%v: want it from each observed Ready", res["network"].GetReady(), res["keys"].GetReady())
	}
	st := rsp.GetDesired().GetComposite().GetResource().GetFields()["status"].GetStructValue().GetFields()
	if st["network"].GetStructValue().GetFields()["vpcId"].GetStringValue() != "vpc-1" || st["layers"].GetStructValue().GetFields()["network"].GetStringValue() != "Ready" {
		t.Errorf("status = %v", st)
	}
	// A condition per layer on the claim: true for the ready network, false
	// with its state for the others.
	conds := map[string]*fnv1.Condition{}
	for _, c := range rsp.GetConditions() {
		conds[c.GetType()] = c
	}
	if c := conds["NetworkReady"]; c.GetStatus() != fnv1.Status_STATUS_CONDITION_TRUE || c.GetTarget() != fnv1.Target_TARGET_COMPOSITE {
		t.Errorf("NetworkReady = %v", c)
	}
	if c := conds["KeysReady"]; c.GetStatus() != fnv1.Status_STATUS_CONDITION_FALSE || c.GetReason() != "Pending" {
		t.Errorf("KeysReady = %v", c)
	}

	// Nothing observed: the keys wait, and the claim is held not ready.
	rsp = run(t, req(xr("PaymentPlatform", map[string]any{"environmentSuffix": "dev"}), nil))
	if rsp.GetDesired().GetComposite().GetReady() != fnv1.Ready_READY_FALSE {
		t.Errorf("claim readiness = %v while the keys wait", rsp.GetDesired().GetComposite().GetReady())
	}
	var composed *fnv1.Condition
	for _, c := range rsp.GetConditions() {
		if c.GetType() == "Composed" {
			composed = c
		}
	}
	if composed == nil || composed.GetStatus() != fnv1.Status_STATUS_CONDITION_FALSE || !strings.Contains(composed.GetMessage(), "keys waits for the account id") {
		t.Errorf("Composed condition = %v", composed)
	}
}

func TestRunFunction_PanicIsFatal(t *testing.T) {
	register(t, layer.Layer{Kind: "Boom", Build: func(*resource.Composite, compose.Observed) (*compose.Desired, error) { panic("bug") }})
	rsp := run(t, req(xr("Boom", nil), nil))
	if msg := fatal(rsp); !strings.Contains(msg, "internal error while composing: bug") {
		t.Errorf("fatal = %q", msg)
	}
	if len(rsp.GetDesired().GetResources()) != 0 {
		t.Error("a panicking builder left desired resources")
	}
}

func TestRunFunction_UnreadableParameters_API05(t *testing.T) {
	rsp := run(t, req(xr("Network", map[string]any{"environmentSuffix": 42}), nil))
	if msg := fatal(rsp); !strings.Contains(msg, "cannot read spec.parameters") {
		t.Errorf("fatal = %q", msg)
	}
}

func TestRunFunction_NoObservedComposite(t *testing.T) {
	rsp := run(t, &fnv1.RunFunctionRequest{})
	if msg := fatal(rsp); msg == "" {
		t.Error("a request without an XR was not refused")
	}
}

func TestRunFunction_UnregisteredKindIsFatal(t *testing.T) {
	register(t, layer.Layer{Kind: "Alien", Build: func(*resource.Composite, compose.Observed) (*compose.Desired, error) {
		d := compose.NewDesired()
		d.Add("config", &corev1.ConfigMap{})
		return d, nil
	}})
	rsp := (&Function{Log: logging.NewNopLogger()}).RunFunction
	out, err := rsp(context.Background(), req(xr("Alien", nil), nil))
	if err != nil {
		t.Fatal(err)
	}
	if msg := fatal(out); !strings.Contains(msg, `cannot convert composed resource "config"`) {
		t.Errorf("fatal = %q", msg)
	}
}

func TestRunFunction_WarningsReachTheClaim(t *testing.T) {
	rsp := run(t, req(xr("Database", map[string]any{"environmentSuffix": "dev", "region": "us-east-1", "availabilityZones": []any{"us-east-1a", "us-east-1b", "us-east-1c"}, "accountId": "123456789012", "instanceClass": "db.t4g.medium"}), nil))
	var warned bool
	for _, r := range rsp.GetResults() {
		warned = warned || (r.GetSeverity() == fnv1.Severity_SEVERITY_WARNING && strings.Contains(r.GetMessage(), "db.t4g.medium") && r.GetTarget() == fnv1.Target_TARGET_COMPOSITE)
	}
	if !warned || fatal(rsp) != "" {
		t.Errorf("results = %v, want a warning about the instance class on the XR", rsp.GetResults())
	}
}

// register adds l to the registry for the rest of the test.
func register(t *testing.T, l layer.Layer) {
	t.Helper()
	saved := layers
	layers = append(slices.Clone(layers), l)
	t.Cleanup(func() { layers = saved })
}
