package xrd_test

import (
	"strings"
	"testing"

	apiextensions "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// crdOf builds the CustomResourceDefinition Crossplane derives from an XRD: the
// XRD's schema under a CRD of the same names, as internal/xcrd does. The fields
// Crossplane adds (spec.crossplane, status.conditions…) carry no CEL rules, so
// the rules this test prices are exactly ours.
func crdOf(t *testing.T, x obj) *apiextensions.CustomResourceDefinition {
	t.Helper()
	v := version(x)
	b, err := yaml.Marshal(get(v, "schema", "openAPIV3Schema"))
	if err != nil {
		t.Fatal(err)
	}
	schema := &apiextv1.JSONSchemaProps{}
	if err := yaml.Unmarshal(b, schema); err != nil {
		t.Fatal(err)
	}
	// Crossplane's base properties: apiVersion, kind and a bounded metadata.name.
	schema.Properties["apiVersion"] = apiextv1.JSONSchemaProps{Type: "string"}
	schema.Properties["kind"] = apiextv1.JSONSchemaProps{Type: "string"}
	schema.Properties["metadata"] = apiextv1.JSONSchemaProps{Type: "object", Properties: map[string]apiextv1.JSONSchemaProps{
		"name": {Type: "string", MaxLength: ptr(int64(63))},
	}}
	var cols []apiextv1.CustomResourceColumnDefinition
	if c, ok := v["additionalPrinterColumns"]; ok {
		b, _ := yaml.Marshal(c)
		if err := yaml.Unmarshal(b, &cols); err != nil {
			t.Fatal(err)
		}
	}
	group := get(x, "spec", "group").(string)
	kind := get(x, "spec", "names", "kind").(string)
	plural := get(x, "spec", "names", "plural").(string)
	name := v["name"].(string)
	crd := &apiextv1.CustomResourceDefinition{
		ObjectMeta: metav1.ObjectMeta{Name: plural + "." + group},
		Spec: apiextv1.CustomResourceDefinitionSpec{
			Group: group,
			Names: apiextv1.CustomResourceDefinitionNames{
				Kind: kind, ListKind: kind + "List", Plural: plural, Singular: strings.ToLower(kind),
				Categories: []string{"crossplane", "payments", "composite"},
			},
			Scope: apiextv1.NamespaceScoped,
			Versions: []apiextv1.CustomResourceDefinitionVersion{{
				Name: name, Served: true, Storage: true,
				Schema:                   &apiextv1.CustomResourceValidation{OpenAPIV3Schema: schema},
				Subresources:             &apiextv1.CustomResourceSubresources{Status: &apiextv1.CustomResourceSubresourceStatus{}},
				AdditionalPrinterColumns: cols,
			}},
		},
		Status: apiextv1.CustomResourceDefinitionStatus{StoredVersions: []string{name}},
	}
	apiextv1.SetObjectDefaults_CustomResourceDefinition(crd)
	out := &apiextensions.CustomResourceDefinition{}
	if err := apiextv1.Convert_v1_CustomResourceDefinition_To_apiextensions_CustomResourceDefinition(crd, out, nil); err != nil {
		t.Fatal(err)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// TestXRD_CELCostWithinBudget_D6 validates the CRD Crossplane generates from
// each XRD with the API server's own CRD validation (k8s.io/apiextensions-
// apiserver), which estimates every CEL rule's cost against the per-rule and
// per-CRD budgets, checks defaults against the schema and the schema is
// structural. A real API server refuses such a CRD and the XR kind never
// exists, while crossplane beta validate passes it: a string a rule splits or
// matches needs maxLength, a list or map a rule walks needs maxItems or
// maxProperties.
func TestXRD_CELCostWithinBudget_D6(t *testing.T) {
	for kind, x := range xrds(t) {
		t.Run(kind, func(t *testing.T) {
			for _, e := range validation.ValidateCustomResourceDefinition(t.Context(), crdOf(t, x)) {
				t.Errorf("the API server would refuse the %s CRD: %v", kind, e)
			}
		})
	}
}
