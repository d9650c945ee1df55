package rendertree

import (
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	ct "github.com/fintech-platform/payment-platform/functions/platform/compose/composetest"
)

// The whole-render properties below hold for every resource a claim ends up
// with, whatever layer makes it; they are checked on the fixed point of the
// full example and of the minimal one (two tenants).
// examples maps each example's environment suffix to its file: two tenants.
var examples = map[string]string{"prod": "full.yaml", "dev": "minimal.yaml"}

// settled returns the fixed point of each example, by suffix.
func settled(t *testing.T) map[string][]*unstructured.Unstructured {
	t.Helper()
	out := map[string][]*unstructured.Unstructured{}
	for suffix, ex := range examples {
		passes := converge(t, filepath.Join(root, "examples", ex))
		out[suffix] = passes[len(passes)-1]
	}
	return out
}

func forProvider(d *unstructured.Unstructured) map[string]any {
	m, _, _ := unstructured.NestedMap(d.Object, "spec", "forProvider")
	return m
}

func TestRender_EveryLogGroupEncryptedSevenYears_OBS3(t *testing.T) {
	for suffix, docs := range settled(t) {
		groups := byKind(docs, "Group")
		if len(groups) == 0 {
			t.Fatalf("%s: no log group", suffix)
		}
		for _, g := range groups {
			fp := forProvider(g)
			if r, _ := fp["retentionInDays"].(float64); r != 2557 {
				t.Errorf("%s: log group %s retention %v, want 2557", suffix, g.GetAnnotations()["crossplane.io/external-name"], fp["retentionInDays"])
			}
			sel, _, _ := unstructured.NestedStringMap(g.Object, "spec", "forProvider", "kmsKeyIdSelector", "matchLabels")
			if sel["payments.platform.io/purpose"] != "logs" || sel["payments.platform.io/environment"] != suffix {
				t.Errorf("%s: log group not encrypted with its environment's logs key: %v", suffix, sel)
			}
		}
	}
}

func TestRender_EveryKeyRotated_KMS1(t *testing.T) {
	for suffix, docs := range settled(t) {
		keys := byKind(docs, "Key")
		if len(keys) != 6 {
			t.Errorf("%s: %d keys, want 6", suffix, len(keys))
		}
		for _, k := range keys {
			if fp := forProvider(k); fp["enableKeyRotation"] != true || fp["policy"] == nil {
				t.Errorf("%s: key %s rotation %v policy set %v", suffix, k.GetLabels()["payments.platform.io/purpose"], fp["enableKeyRotation"], fp["policy"] != nil)
			}
		}
	}
}

func TestRender_NoNATGateway_X5(t *testing.T) {
	for suffix, docs := range settled(t) {
		if n := len(byKind(docs, "NATGateway")); n != 0 {
			t.Errorf("%s: %d NAT gateways", suffix, n)
		}
		if n := len(byKind(docs, "Instance")); n != 3 {
			t.Errorf("%s: %d NAT instances, want 3", suffix, n)
		}
	}
}

// TestRender_EverythingDestroyable_X3: every composed resource is owned by the
// XR that composed it (deleting the claim deletes the tree) and none is told to
// orphan its AWS resource.
func TestRender_EverythingDestroyable_X3(t *testing.T) {
	for suffix, docs := range settled(t) {
		for _, d := range docs[1:] {
			if owner(d) == "" {
				t.Errorf("%s: %s %s has no controller owner", suffix, d.GetKind(), resourceName(d))
			}
			if p, _, _ := unstructured.NestedString(d.Object, "spec", "deletionPolicy"); p == "Orphan" {
				t.Errorf("%s: %s %s orphans its AWS resource", suffix, d.GetKind(), resourceName(d))
			}
			if mp, ok, _ := unstructured.NestedStringSlice(d.Object, "spec", "managementPolicies"); ok && !contains(mp, "*") && !contains(mp, "Delete") {
				t.Errorf("%s: %s %s may not delete: %v", suffix, d.GetKind(), resourceName(d), mp)
			}
		}
		for _, k := range byKind(docs, "Key") {
			if w, _ := forProvider(k)["deletionWindowInDays"].(float64); w != 7 {
				t.Errorf("%s: key deletion window %v, want the 7-day minimum", suffix, w)
			}
		}
	}
}

// TestRender_TwoTenantsNeverCollide_X4: two claims in two namespaces share no
// AWS name, and no selector of one can match the other's resources.
func TestRender_TwoTenantsNeverCollide_X4(t *testing.T) {
	all := settled(t)
	names := map[string]string{}
	for suffix, docs := range all {
		for _, d := range docs {
			if !strings.HasPrefix(d.GetNamespace(), "tenant-") {
				t.Errorf("%s: %s in namespace %q", suffix, d.GetKind(), d.GetNamespace())
			}
			for _, n := range awsNames(d) {
				if !strings.Contains(n, suffix) {
					t.Errorf("%s: AWS name %q lacks the environment suffix (X-1)", suffix, n)
				}
				if other, ok := names[n]; ok && other != suffix {
					t.Errorf("AWS name %q used by both %s and %s", n, suffix, other)
				}
				names[n] = suffix
			}
			ct.CheckSelectors(t, suffix+"/"+d.GetKind(), d.Object, suffix)
		}
	}
	if len(names) < 50 {
		t.Errorf("only %d AWS names checked", len(names))
	}
}

// awsNames returns the names d has in AWS: its external name when we set it,
// its name field, its Name tag.
func awsNames(d *unstructured.Unstructured) []string {
	var out []string
	if n := d.GetAnnotations()["crossplane.io/external-name"]; n != "" {
		out = append(out, n)
	}
	fp := forProvider(d)
	if n, ok := fp["name"].(string); ok {
		out = append(out, n)
	}
	if tags, ok := fp["tags"].(map[string]any); ok {
		if n, ok := tags["Name"].(string); ok {
			out = append(out, n)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
