package xrd_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"sigs.k8s.io/yaml"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/layers/platform"
	"github.com/fintech-platform/payment-platform/test/rendertree"
)

// apiServer validates a PaymentPlatform as kube-apiserver does on create: it
// defaults, refuses unknown fields (kubectl's strict field validation),
// validates against the OpenAPI schema and, unless an error already blocks
// them, evaluates the CEL rules; each error prints as the API server prints
// it (customresource strategy, apiextensions-apiserver).
type apiServer struct {
	schema *structuralschema.Structural
	open   apiservervalidation.SchemaValidator
	cel    *cel.Validator
}

func newAPIServer(t *testing.T, x obj) apiServer {
	t.Helper()
	// The internal form keeps a schema all versions share at spec.validation.
	s := crdOf(t, x).Spec.Validation.OpenAPIV3Schema
	ss, err := structuralschema.NewStructural(s)
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := apiservervalidation.NewSchemaValidator(s)
	if err != nil {
		t.Fatal(err)
	}
	return apiServer{schema: ss, open: v, cel: cel.NewValidator(ss, true, celconfig.PerCallLimit)}
}

func (a apiServer) create(t *testing.T, o map[string]any) field.ErrorList {
	t.Helper()
	var errs field.ErrorList
	for _, p := range pruning.PruneWithOptions(o, a.schema, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true}) {
		errs = append(errs, field.Invalid(nil, nil, `strict decoding error: unknown field "`+p+`"`))
	}
	structuraldefaulting.Default(o, a.schema)
	errs = append(errs, apiservervalidation.ValidateCustomResource(nil, o, a.open)...)
	for _, e := range errs {
		switch e.Type {
		case field.ErrorTypeNotSupported, field.ErrorTypeRequired, field.ErrorTypeTooLong, field.ErrorTypeTooMany, field.ErrorTypeTypeInvalid:
			return append(errs, field.Invalid(nil, nil, "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"))
		}
	}
	celErrs, _ := a.cel.Validate(t.Context(), nil, a.schema, o, nil, celconfig.RuntimeCELCostBudget)
	return append(errs, celErrs...)
}

// TestXRD_InvalidClaimsRefusedAtApplyOrByTheFunction_API05_API07 takes each
// claim of test/rendertree/testdata/invalid through what a real control plane
// does with it: the API server's validation of the PaymentPlatform (the same
// library, the same messages), and, for a claim the API server stores, the
// function's own checks, which must refuse it before anything is composed.
// Either way the refusal must contain the file's "# want:" line, which
// TestRender_InvalidClaims_API05 also finds in crossplane beta validate's
// output, and make e2e in the real API server's.
func TestXRD_InvalidClaimsRefusedAtApplyOrByTheFunction_API05_API07(t *testing.T) {
	server := newAPIServer(t, xrds(t)["PaymentPlatform"])
	claims, err := rendertree.InvalidClaims(root)
	if err != nil {
		t.Fatal(err)
	}
	atApply := 0
	for _, c := range claims {
		b, want := c.Body, c.Want
		t.Run(filepath.Base(c.File), func(t *testing.T) {
			o := map[string]any{}
			if err := yaml.Unmarshal(b, &o); err != nil {
				t.Fatal(err)
			}
			if errs := server.create(t, o); len(errs) > 0 {
				atApply++
				if msg := errs.ToAggregate().Error(); !strings.Contains(msg, want) {
					t.Errorf("the API server refuses it, but not with %q:\n%s", want, msg)
				}
				return
			}
			// Stored: the function must refuse it, naming the field.
			params, _ := json.Marshal(o["spec"].(map[string]any)["parameters"])
			var s api.PaymentPlatformSpec
			if err := json.Unmarshal(params, &s); err != nil {
				t.Fatal(err)
			}
			if _, err := platform.Build(s, nil); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("the API server stores it and the function answers %v, want a refusal with %q", err, want)
			}
		})
	}
	t.Logf("%d of %d invalid claims refused at apply, the rest by the function", atApply, len(claims))
}
