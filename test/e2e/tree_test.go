package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/fintech-platform/payment-platform/functions/platform/fn"
	"github.com/fintech-platform/payment-platform/test/e2e/controlplane"
	"github.com/fintech-platform/payment-platform/test/rendertree"
)

var usageGVK = schema.GroupVersionKind{Group: "protection.crossplane.io", Version: "v1beta1", Kind: "Usage"}

// ourKinds are the XR kinds the package defines, read from its XRDs.
func ourKinds(t *testing.T) []schema.GroupVersionKind {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(root, "apis", "*", "definition.yaml"))
	objs, err := controlplane.ReadObjects(files...)
	if err != nil {
		t.Fatal(err)
	}
	var out []schema.GroupVersionKind
	for _, o := range objs {
		if o.GetKind() != xrdGVK.Kind {
			continue
		}
		group, _, _ := unstructured.NestedString(o.Object, "spec", "group")
		kind, _, _ := unstructured.NestedString(o.Object, "spec", "names", "kind")
		vs, _, _ := unstructured.NestedSlice(o.Object, "spec", "versions")
		for _, v := range vs {
			name, _ := v.(map[string]any)["name"].(string)
			out = append(out, schema.GroupVersionKind{Group: group, Version: name, Kind: kind})
		}
	}
	return out
}

// treeKinds are every kind a claim's tree can hold.
func treeKinds(t *testing.T) []schema.GroupVersionKind {
	t.Helper()
	return slices.Concat(ourKinds(t), fn.ManagedKinds(), []schema.GroupVersionKind{usageGVK})
}

// realTree lists everything of the tree's kinds in ns.
func realTree(ctx context.Context, t *testing.T, ns string) []*unstructured.Unstructured {
	t.Helper()
	var out []*unstructured.Unstructured
	for _, k := range treeKinds(t) {
		l, err := list(ctx, k, ns)
		if err != nil {
			t.Fatalf("list %s: %v", k.Kind, err)
		}
		out = append(out, l...)
	}
	return out
}

// renderedTree renders file offline, pass by pass to its fixed point, and
// returns the settled pass: what the real control plane should converge to.
func renderedTree(t *testing.T, file string) []*unstructured.Unstructured {
	t.Helper()
	r := &rendertree.Renderer{Crank: os.Getenv("CRANK"), Root: root, Target: renderTarget, Work: t.TempDir()}
	passes, ok, err := r.Passes(file, 20)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Fatalf("%s: no fixed point in 20 passes", file)
	}
	return passes[len(passes)-1]
}

// A node is what must agree between the rendered and the real tree for one
// resource: its kind, the labels and external name the function sets, what it
// asks of AWS (forProvider) or of a layer (parameters), and an XR's outputs.
type node struct {
	APIVersion, Kind string
	Labels           map[string]string
	ExternalName     string
	Spec             any
	Status           any
}

// nodes indexes docs by tree path (root name, then composition resource
// names). A resource whose XR is not (or no longer, or not yet) in docs is
// indexed under "orphan:" and its kind and name.
func nodes(docs []*unstructured.Unstructured) map[string]node {
	byName := map[string]*unstructured.Unstructured{}
	for _, d := range docs {
		byName[d.GetKind()+"/"+d.GetName()] = d
	}
	out := map[string]node{}
	for _, d := range docs {
		path, ok := pathIn(d, byName)
		if !ok {
			path = "orphan:" + d.GetKind() + "/" + d.GetName()
		}
		out[path] = summarize(d)
	}
	return out
}

func pathIn(d *unstructured.Unstructured, byName map[string]*unstructured.Unstructured) (string, bool) {
	path := ""
	for cur := d; ; {
		ref := controllerOf(cur)
		if ref == nil {
			return strings.TrimSuffix(cur.GetName()+"/"+path, "/"), true
		}
		path = strings.TrimSuffix(cur.GetAnnotations()["crossplane.io/composition-resource-name"]+"/"+path, "/")
		parent, ok := byName[ref.Kind+"/"+ref.Name]
		if !ok {
			return "", false
		}
		cur = parent
	}
}

func summarize(d *unstructured.Unstructured) node {
	n := node{APIVersion: d.GetAPIVersion(), Kind: d.GetKind(), Labels: map[string]string{}}
	for k, v := range d.GetLabels() {
		// Crossplane's own labels name XRs, whose names the render makes up.
		if !strings.HasPrefix(k, "crossplane.io/") {
			n.Labels[k] = v
		}
	}
	n.ExternalName = d.GetAnnotations()["crossplane.io/external-name"]
	switch {
	case strings.HasPrefix(d.GetAPIVersion(), rendertree.Group+"/"):
		n.Spec, _, _ = unstructured.NestedFieldCopy(d.Object, "spec", "parameters")
		st, _, _ := unstructured.NestedMap(d.Object, "status")
		delete(st, "conditions")
		n.Status = st
	case d.GetKind() == usageGVK.Kind:
		// The Usage controller resolves selectors into resourceRefs: compare
		// what the function asked for.
		spec, _, _ := unstructured.NestedMap(d.Object, "spec")
		for _, side := range []string{"of", "by"} {
			if m, ok := spec[side].(map[string]any); ok && m["resourceSelector"] != nil {
				delete(m, "resourceRef")
			}
		}
		n.Spec = spec
	default:
		n.Spec, _, _ = unstructured.NestedFieldCopy(d.Object, "spec", "forProvider")
	}
	n.Spec, n.Status = jsonValue(n.Spec), jsonValue(n.Status)
	return n
}

// jsonValue gives v the types encoding/json decodes to (float64 numbers), so
// values read from YAML and from the API server compare equal.
func jsonValue(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return err.Error()
	}
	return out
}

// treeDiff is empty when the real tree holds exactly the rendered one.
func treeDiff(rendered, live map[string]node) string {
	return cmp.Diff(rendered, live)
}

// xrStates returns, by tree path, each of our XRs' Ready condition and layer
// states: the parts of their status that carry no AWS id.
func xrStates(docs []*unstructured.Unstructured) map[string]string {
	byName := map[string]*unstructured.Unstructured{}
	for _, d := range docs {
		byName[d.GetKind()+"/"+d.GetName()] = d
	}
	out := map[string]string{}
	for _, d := range docs {
		if !strings.HasPrefix(d.GetAPIVersion(), rendertree.Group+"/") {
			continue
		}
		path, _ := pathIn(d, byName)
		layers, _, _ := unstructured.NestedStringMap(d.Object, "status", "layers")
		out[path] = "Ready=" + controlplane.Condition(d, "Ready") + " layers=" + fmt.Sprint(layers)
	}
	return out
}

// paths returns the sorted tree paths of docs.
func paths(docs []*unstructured.Unstructured) []string {
	return slices.Sorted(maps.Keys(nodes(docs)))
}
