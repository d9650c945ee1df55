package fn

import (
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/types/known/structpb"
)

// TestRunFunction_UsagesReadyFromTheirCondition_X8: a Usage goes out as
// Crossplane's protection.crossplane.io/v1beta1 Usage, and is ready when
// Crossplane's usage controller has marked it Ready (reason Available, once
// both sides resolved), like any composed resource; Crossplane holds the XR
// not ready until every Usage is.
func TestRunFunction_UsagesReadyFromTheirCondition_X8(t *testing.T) {
	const (
		resolved = "usage-key-database-by-cluster"
		fresh    = "usage-key-secrets-by-cluster"
	)
	obs := map[string]*structpb.Struct{
		"log-group": observed("cloudwatchlogs.aws.m.upbound.io/v1beta1", "Group", true, nil),
		"cluster":   observed("rds.aws.m.upbound.io/v1beta1", "Cluster", true, nil),
		resolved:    observed("protection.crossplane.io/v1beta1", "Usage", true, nil),
		fresh:       observed("protection.crossplane.io/v1beta1", "Usage", false, nil),
	}
	params := map[string]any{"environmentSuffix": "dev", "region": "us-east-1", "availabilityZones": []any{"us-east-1a", "us-east-1b", "us-east-1c"}, "accountId": "123456789012"}
	rsp := run(t, req(xr("Database", params), obs))
	if msg := fatal(rsp); msg != "" {
		t.Fatal(msg)
	}
	res := rsp.GetDesired().GetResources()
	for name, want := range map[string]fnv1.Ready{resolved: fnv1.Ready_READY_TRUE, fresh: fnv1.Ready_READY_FALSE} {
		r := res[name]
		f := r.GetResource().GetFields()
		if f["apiVersion"].GetStringValue() != "protection.crossplane.io/v1beta1" || f["kind"].GetStringValue() != "Usage" {
			t.Errorf("%s sent as %s %s", name, f["apiVersion"].GetStringValue(), f["kind"].GetStringValue())
		}
		if r.GetReady() != want {
			t.Errorf("%s ready = %v, want %v", name, r.GetReady(), want)
		}
	}
}
