package outputs

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFlatten_KeysFromStatusPaths_D4: every status value becomes one string
// under its path in upper camel case, lists numbered, the spec's region and
// zones included, conditions, layer states and warnings left out.
func TestFlatten_KeysFromStatusPaths_D4(t *testing.T) {
	claim := map[string]any{
		"spec": map[string]any{"parameters": map[string]any{
			"environmentSuffix": "prod", "region": "us-east-1", "replicaRegion": "us-west-2",
			"availabilityZones": []any{"us-east-1a", "us-east-1b"},
			"database":          map[string]any{"instanceClass": "db.r6g.large"},
		}},
		"status": map[string]any{
			"conditions": []any{map[string]any{"type": "Ready"}},
			"layers":     map[string]any{"network": "Ready"},
			"warnings":   []any{"w"},
			"network": map[string]any{
				"vpcId":     "vpc-1",
				"subnetIds": map[string]any{"private": []any{"subnet-a", "subnet-b"}},
			},
			"keys":     map[string]any{"keyArns": map[string]any{"documents-replica": "arn:k"}},
			"database": map[string]any{"port": float64(5432), "iam": true, "none": nil, "warnings": []any{"small"}},
		},
	}
	got, err := Flatten(claim)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"EnvironmentSuffix":           "prod",
		"Region":                      "us-east-1",
		"ReplicaRegion":               "us-west-2",
		"AvailabilityZones0":          "us-east-1a",
		"AvailabilityZones1":          "us-east-1b",
		"NetworkVpcId":                "vpc-1",
		"NetworkSubnetIdsPrivate0":    "subnet-a",
		"NetworkSubnetIdsPrivate1":    "subnet-b",
		"KeysKeyArnsDocumentsReplica": "arn:k",
		"DatabasePort":                "5432",
		"DatabaseIam":                 "true",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestFlatten_CollisionIsAnError_D4: two paths flattening to one key fail
// rather than one silently replacing the other.
func TestFlatten_CollisionIsAnError_D4(t *testing.T) {
	claim := map[string]any{"status": map[string]any{
		"api": map[string]any{"keyIds": map[string]any{"a-b": "1", "aB": "2"}},
	}}
	if _, err := Flatten(claim); err == nil || !strings.Contains(err.Error(), "ApiKeyIdsAB") {
		t.Errorf("want an error naming the key ApiKeyIdsAB, got %v", err)
	}
}

// TestWriteRead_RoundTrip_D4: what Write writes, Read reads back, and the
// file is sorted, indented JSON (the same claim gives the same bytes).
func TestWriteRead_RoundTrip_D4(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cfn-outputs", "flat-outputs.json")
	in := map[string]string{"B": "2", "A": "1"}
	if err := Write(path, in); err != nil {
		t.Fatal(err)
	}
	got, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(in, got); d != "" {
		t.Errorf("(-wrote +read):\n%s", d)
	}
}

func TestKey(t *testing.T) {
	for in, want := range map[string]string{
		"vpcId": "VpcId", "documents-replica": "DocumentsReplica", "container_insights": "ContainerInsights",
		"a.b/c": "ABC", "": "",
	} {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
	}
}
