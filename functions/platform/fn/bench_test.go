package fn

import (
	"context"
	"fmt"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"github.com/crossplane/function-sdk-go/resource"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/layer"
)

// layers are the XRs the benchmarks compose, with the parameters Crossplane
// would send (the XRD's defaults applied).
var benchLayers = []struct {
	kind   string
	params map[string]any
}{
	{"PaymentPlatform", map[string]any{"environmentSuffix": "prod", "region": "us-east-1", "availabilityZones": []any{"us-east-1a", "us-east-1b", "us-east-1c"}, "replicaRegion": "us-west-2", "accountId": "123456789012", "network": map[string]any{"cidr": "10.0.0.0/16"}}},
	{"Network", map[string]any{"environmentSuffix": "prod", "region": "us-east-1", "availabilityZones": []any{"us-east-1a", "us-east-1b", "us-east-1c"}, "cidr": "10.0.0.0/16", "natInstanceType": "t4g.small"}},
	{"NatInstances", map[string]any{"environmentSuffix": "prod", "region": "us-east-1", "availabilityZones": []any{"us-east-1a", "us-east-1b", "us-east-1c"}, "cidr": "10.0.0.0/16"}},
	{"VpcEndpoints", map[string]any{"environmentSuffix": "prod", "region": "us-east-1", "availabilityZones": []any{"us-east-1a", "us-east-1b", "us-east-1c"}, "cidr": "10.0.0.0/16"}},
	{"InterfaceEndpoint", map[string]any{"environmentSuffix": "prod", "region": "us-east-1", "availabilityZones": []any{"us-east-1a", "us-east-1b", "us-east-1c"}, "service": "ecr.api"}},
	{"KeySet", map[string]any{"environmentSuffix": "prod", "region": "us-east-1", "replicaRegion": "us-west-2", "accountId": "123456789012"}},
	{"Database", map[string]any{"environmentSuffix": "prod", "region": "us-east-1", "availabilityZones": []any{"us-east-1a", "us-east-1b", "us-east-1c"}, "accountId": "123456789012", "privateSubnetIds": []any{"subnet-a", "subnet-b", "subnet-c"}}},
}

// steadyState returns the request Crossplane sends once everything the XR
// composes exists: every desired resource observed the way the API server
// returns it, with metadata, managed fields, and a status whose atProvider
// mirrors forProvider as the provider reports it.
func steadyState(tb testing.TB, kind string, params map[string]any) *fnv1.RunFunctionRequest {
	tb.Helper()
	r := req(xr(kind, params), nil)
	for round := 0; round < 5; round++ {
		rsp, err := (&Function{}).RunFunction(context.Background(), r)
		if err != nil || fatal(rsp) != "" {
			tb.Fatalf("%s: %v %s", kind, err, fatal(rsp))
		}
		next := req(xr(kind, params), nil)
		for name, d := range rsp.GetDesired().GetResources() {
			next.Observed.Resources[name] = &fnv1.Resource{Resource: observe(name, d.GetResource())}
		}
		if len(next.Observed.Resources) == len(r.Observed.Resources) {
			return next
		}
		r = next
	}
	return r
}

func observe(name string, desired *structpb.Struct) *structpb.Struct {
	o := desired.AsMap()
	md, _ := o["metadata"].(map[string]any)
	if md == nil {
		md = map[string]any{}
	}
	md["name"] = "payments-" + name + "-x7k2p"
	md["namespace"] = "tenant-prod"
	md["uid"] = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
	md["resourceVersion"] = "123456789"
	md["generation"] = 3
	md["creationTimestamp"] = "2026-11-23T10:00:00Z"
	md["ownerReferences"] = []any{map[string]any{"apiVersion": "payments.platform.io/v1alpha1", "kind": "Network", "name": "payments-network", "uid": "1f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "controller": true, "blockOwnerDeletion": true}}
	spec, _ := o["spec"].(map[string]any)
	fp, _ := spec["forProvider"].(map[string]any)
	if fp == nil {
		fp, _ = spec["parameters"].(map[string]any)
	}
	fields := map[string]any{}
	at := map[string]any{}
	for k, v := range fp {
		fields["f:"+k] = map[string]any{}
		at[k] = v
	}
	at["id"] = "id-0123456789abcdef0"
	at["primaryNetworkInterfaceId"] = "eni-0123456789abcdef0"
	at["clusterResourceId"] = "cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	at["masterUserSecret"] = []any{map[string]any{"secretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-abc", "secretStatus": "active"}} //nolint:gosec // An ARN, not a credential.
	at["arn"] = "arn:aws:ec2:us-east-1:123456789012:thing/id-0123456789abcdef0"
	at["tagsAll"] = fp["tags"]
	md["managedFields"] = []any{
		map[string]any{"manager": "apiextensions.crossplane.io/composed/0f1e2d3c", "operation": "Apply", "apiVersion": o["apiVersion"], "fieldsType": "FieldsV1", "time": "2026-11-23T10:00:00Z", "fieldsV1": map[string]any{"f:spec": map[string]any{"f:forProvider": fields}}},
		map[string]any{"manager": "provider-aws", "operation": "Update", "apiVersion": o["apiVersion"], "fieldsType": "FieldsV1", "time": "2026-11-23T10:00:00Z", "subresource": "status", "fieldsV1": map[string]any{"f:status": map[string]any{"f:atProvider": fields, "f:conditions": map[string]any{}}}},
	}
	o["metadata"] = md
	o["status"] = map[string]any{
		"atProvider": at,
		"conditions": []any{
			map[string]any{"type": "Ready", "status": "True", "reason": "Available", "lastTransitionTime": "2026-11-23T10:00:00Z"},
			map[string]any{"type": "Synced", "status": "True", "reason": "ReconcileSuccess", "lastTransitionTime": "2026-11-23T10:00:00Z"},
		},
	}
	s, err := structpb.NewStruct(o)
	if err != nil {
		panic(err)
	}
	return s
}

// BenchmarkRunFunction measures RunFunction per layer in steady state, and the
// floor no function can beat: protobuf marshal and unmarshal of the same
// request plus marshal of the response (gRPC does this around every call).
func BenchmarkRunFunction(b *testing.B) {
	for _, l := range benchLayers {
		r := steadyState(b, l.kind, l.params)
		reqBytes, _ := proto.Marshal(r)
		rsp, _ := (&Function{}).RunFunction(context.Background(), r)
		rspBytes, _ := proto.Marshal(rsp)
		n := float64(len(rsp.GetDesired().GetResources()))

		b.Run(fmt.Sprintf("%s/function", l.kind), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := (&Function{}).RunFunction(context.Background(), r); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(reqBytes)), "req-bytes")
			b.ReportMetric(float64(len(rspBytes)), "rsp-bytes")
			b.ReportMetric(n, "resources")
		})
		b.Run(fmt.Sprintf("%s/builder", l.kind), func(b *testing.B) {
			build, x, obs := builderOf(b, r)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := build(x, obs); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("%s/floor", l.kind), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				buf, err := proto.Marshal(r)
				if err != nil {
					b.Fatal(err)
				}
				in := &fnv1.RunFunctionRequest{}
				if err := proto.Unmarshal(buf, in); err != nil {
					b.Fatal(err)
				}
				if _, err := proto.Marshal(rsp); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// builderOf returns the builder of r's XR kind with its inputs already parsed,
// to measure the builder alone.
func builderOf(tb testing.TB, r *fnv1.RunFunctionRequest) (layer.Builder, *resource.Composite, compose.Observed) {
	tb.Helper()
	x, err := request.GetObservedCompositeResource(r)
	if err != nil {
		tb.Fatal(err)
	}
	o, err := request.GetObservedComposedResources(r)
	if err != nil {
		tb.Fatal(err)
	}
	l, _ := Layer(x.Resource.GetKind())
	return l.Build, x, compose.Observed(o)
}

// TestRunFunction_RequestBudget keeps each layer's steady-state request under
// 1 MiB and 40 resources (docs/architecture.md), and the builders within 300
// allocations per resource they emit.
func TestRunFunction_RequestBudget(t *testing.T) {
	for _, l := range benchLayers {
		r := steadyState(t, l.kind, l.params)
		size := proto.Size(r)
		n := len(r.GetObserved().GetResources())
		if size > 1<<20 || n > 40 {
			t.Errorf("%s: steady-state request %d bytes with %d resources; budget 1 MiB and 40", l.kind, size, n)
		}
		build, x, obs := builderOf(t, r)
		allocs := testing.AllocsPerRun(5, func() { _, _ = build(x, obs) })
		if per := allocs / float64(n); per > 300 {
			t.Errorf("%s: builder makes %.0f allocations per resource, budget 300", l.kind, per)
		}
		t.Logf("%s: %d resources, request %d bytes, builder %.0f allocs (%.0f per resource)", l.kind, n, size, allocs, allocs/float64(n))
	}
}
