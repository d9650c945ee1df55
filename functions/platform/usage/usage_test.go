package usage

import (
	"encoding/json"
	"reflect"
	"testing"

	xpv1 "github.com/crossplane/crossplane-runtime/v2/apis/common/v1"
	"github.com/crossplane/function-sdk-go/resource/composed"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

var (
	keyGVK     = schema.GroupVersionKind{Group: "kms.aws.m.upbound.io", Version: "v1beta1", Kind: "Key"}
	clusterGVK = schema.GroupVersionKind{Group: "rds.aws.m.upbound.io", Version: "v1beta1", Kind: "Cluster"}
)

func example() (of, by Ref) {
	yes := true
	return Ref{GVK: keyGVK, Selector: &xpv1.NamespacedSelector{MatchLabels: map[string]string{"env": "dev", "purpose": "database"}}},
		Ref{GVK: clusterGVK, Selector: &xpv1.NamespacedSelector{MatchControllerRef: &yes, MatchLabels: map[string]string{"component": "cluster"}}}
}

// TestUsage_WireShape_X8: through composed.From, as the function sends it, a
// Usage is exactly what Crossplane's CRD (protection.crossplane.io/v1beta1)
// takes: of and by selected, deletion replayed, no empty metadata or status.
func TestUsage_WireShape_X8(t *testing.T) {
	s := runtime.NewScheme()
	if err := AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	if kinds, _, err := s.ObjectKinds(&Usage{}); err != nil || len(kinds) != 1 || kinds[0] != GroupVersionKind {
		t.Fatalf("scheme knows Usage as %v (%v)", kinds, err)
	}
	if err := AddToScheme(composed.Scheme); err != nil {
		t.Fatal(err)
	}
	of, by := example()
	cd, err := composed.From(New(map[string]string{"layer": "database"}, of, by))
	if err != nil {
		t.Fatal(err)
	}
	want := `{
		"apiVersion": "protection.crossplane.io/v1beta1",
		"kind": "Usage",
		"metadata": {"labels": {"layer": "database"}},
		"spec": {
			"of": {"apiVersion": "kms.aws.m.upbound.io/v1beta1", "kind": "Key",
			       "resourceSelector": {"matchLabels": {"env": "dev", "purpose": "database"}}},
			"by": {"apiVersion": "rds.aws.m.upbound.io/v1beta1", "kind": "Cluster",
			       "resourceSelector": {"matchControllerRef": true, "matchLabels": {"component": "cluster"}}},
			"replayDeletion": true
		}
	}`
	var w map[string]any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(w, cd.Object) {
		got, _ := json.MarshalIndent(cd.Object, "", "  ")
		t.Errorf("Usage on the wire:\n%s\nwant:\n%s", got, want)
	}
}

// TestUsage_OwnsItsSelectors: a Usage copies the selectors it is given, so a
// builder reusing a selector cannot change a Usage behind its back.
func TestUsage_OwnsItsSelectors(t *testing.T) {
	of, by := example()
	u := New(nil, of, by)
	of.Selector.MatchLabels["purpose"] = "logs"
	if got := u.Spec.Of.ResourceSelector.MatchLabels["purpose"]; got != "database" {
		t.Errorf("of selector followed its source: purpose %q", got)
	}
	own := Ref{GVK: clusterGVK, Selector: &xpv1.NamespacedSelector{}}
	if s := New(nil, own, by).Spec.Of.ResourceSelector; s.MatchLabels != nil || s.MatchControllerRef != nil {
		t.Errorf("empty selector became %+v", s)
	}
}

func TestUsage_DeepCopy(t *testing.T) {
	of, by := example()
	u := New(map[string]string{"a": "b"}, of, by)
	c, ok := u.DeepCopyObject().(*Usage)
	if !ok || !reflect.DeepEqual(u, c) {
		t.Fatalf("copy %+v differs from %+v", c, u)
	}
	c.Labels["a"] = "x"
	c.Spec.Of.ResourceSelector.MatchLabels["env"] = "prod"
	*c.Spec.By.ResourceSelector.MatchControllerRef = false
	*c.Spec.ReplayDeletion = false
	if u.Labels["a"] != "b" || u.Spec.Of.ResourceSelector.MatchLabels["env"] != "dev" || !*u.Spec.By.ResourceSelector.MatchControllerRef || !*u.Spec.ReplayDeletion {
		t.Errorf("changing the copy changed the original: %+v", u)
	}
	if (*Usage)(nil).DeepCopyObject() != nil {
		t.Error("a nil Usage copied to non-nil")
	}
	bare := &Usage{}
	if c, _ := bare.DeepCopyObject().(*Usage); c.Spec.By != nil || c.Spec.ReplayDeletion != nil || c.Spec.Of.ResourceSelector != nil {
		t.Errorf("empty Usage copied to %+v", c)
	}
}
