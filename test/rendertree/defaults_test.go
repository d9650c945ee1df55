package rendertree

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"
)

// crdSchemas reads the provider's CRDs from the schemas folder into the
// structural schema of each served version, by group, version and kind.
func crdSchemas(t *testing.T) map[schema.GroupVersionKind]*structuralschema.Structural {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(schemas, "crds", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no CRDs in %s: %v", schemas, err)
	}
	out := map[schema.GroupVersionKind]*structuralschema.Structural{}
	for _, f := range files {
		b, err := os.ReadFile(f) //nolint:gosec // The provider's CRDs hack/schemas.sh gathered.
		if err != nil {
			t.Fatal(err)
		}
		var crd apiextv1.CustomResourceDefinition
		if err := yaml.Unmarshal(b, &crd); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, v := range crd.Spec.Versions {
			if v.Schema == nil || v.Schema.OpenAPIV3Schema == nil {
				continue
			}
			var internal apiextensions.JSONSchemaProps
			if err := apiextv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(v.Schema.OpenAPIV3Schema, &internal, nil); err != nil {
				t.Fatalf("%s %s: %v", crd.Name, v.Name, err)
			}
			s, err := structuralschema.NewStructural(&internal)
			if err != nil {
				t.Fatalf("%s %s: %v", crd.Name, v.Name, err)
			}
			out[schema.GroupVersionKind{Group: crd.Spec.Group, Version: v.Name, Kind: crd.Spec.Names.Kind}] = s
		}
	}
	return out
}

// TestRender_NothingTheAPIServerWouldDefault_D6: every managed resource of
// every example's settled render already holds every default its CRD
// declares, so what the function applies is what the API server stores. A
// field the API server fills in (the index the provider injects as the key
// of a listener's actions, say) would otherwise differ between the render
// and the real tree, and make e2e would find the tree never settles.
func TestRender_NothingTheAPIServerWouldDefault_D6(t *testing.T) {
	requireTools(t)
	crds := crdSchemas(t)
	for _, ex := range exampleFiles(t) {
		t.Run(fixture(ex), func(t *testing.T) {
			passes := converge(t, ex)
			for _, d := range Managed(passes[len(passes)-1]) {
				s, ok := crds[d.GroupVersionKind()]
				if !ok {
					t.Errorf("%s %s: no CRD in %s", d.GroupVersionKind(), d.GetName(), schemas)
					continue
				}
				defaulted := d.DeepCopy()
				structuraldefaulting.Default(defaulted.Object, s)
				// What the layers set: the parameters. (Crossplane's own
				// fields, such as managementPolicies' default, are not theirs.)
				for _, f := range []string{"forProvider", "initProvider"} {
					before, _, _ := unstructured.NestedMap(d.Object, "spec", f)
					after, _, _ := unstructured.NestedMap(defaulted.Object, "spec", f)
					if diff := cmp.Diff(before, after); diff != "" {
						t.Errorf("%s %s: the API server would default spec.%s (-rendered +stored):\n%s", d.GetKind(), d.GetName(), f, diff)
					}
				}
			}
		})
	}
}
