package xrd_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/fintech-platform/payment-platform/functions/platform/fn"
)

// TestXRDs_DeclareExactlyTheGoTypes_API04: for every layer in the function's
// registry, its XRD's spec.parameters and status declare exactly the fields of
// the layer's Go Spec and Status types, with matching types, both ways: a Go
// field the XRD lacks would be pruned by the API server (the tenant never sees
// it, or the layer never gets it), an XRD field without a Go field is one the
// function ignores.
func TestXRDs_DeclareExactlyTheGoTypes_API04(t *testing.T) {
	x := xrds(t)
	if len(x) != len(fn.Layers()) {
		t.Errorf("%d XRDs in apis/, %d layers in the registry", len(x), len(fn.Layers()))
	}
	for _, l := range fn.Layers() {
		xrd, ok := x[l.Kind]
		if !ok {
			t.Errorf("no XRD in apis/%s for the registry's %s", l.Name(), l.Kind)
			continue
		}
		props := get(version(xrd), "schema", "openAPIV3Schema", "properties").(obj)
		for _, d := range mismatches(l.Kind+" spec.parameters", l.Spec, get(props, "spec", "properties", "parameters")) {
			t.Error(d)
		}
		for _, d := range mismatches(l.Kind+" status", l.Status, props["status"]) {
			t.Error(d)
		}
	}
}

// TestXRDs_TypeComparisonCanFail: the comparison reports a field missing on
// either side and a type that differs.
func TestXRDs_TypeComparisonCanFail(t *testing.T) {
	type inner struct {
		N int `json:"n"`
	}
	type status struct {
		A string           `json:"a,omitempty"`
		B []inner          `json:"b,omitempty"`
		C map[string]bool  `json:"c,omitempty"`
		D *inner           `json:"d,omitempty"`
		E map[string]inner `json:"e"`
	}
	schema := obj{"type": "object", "properties": obj{
		"a": obj{"type": "integer"},
		"b": obj{"type": "array", "items": obj{"type": "object", "properties": obj{"n": obj{"type": "integer"}}}},
		"c": obj{"type": "object", "additionalProperties": obj{"type": "string"}},
		"d": obj{"type": "object", "properties": obj{"n": obj{"type": "integer"}, "extra": obj{"type": "string"}}},
		"z": obj{"type": "string"},
	}}
	got := strings.Join(mismatches("X status", reflect.TypeFor[status](), schema), "\n")
	for _, want := range []string{
		"X status.a: Go string, XRD integer",
		"X status.c[*]: Go bool, XRD string",
		"X status.d.extra: declared by the XRD, no Go field",
		"X status.e: Go field not declared by the XRD",
		"X status.z: declared by the XRD, no Go field",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "status.b") {
		t.Errorf("a matching list reported:\n%s", got)
	}
}

// mismatches compares the Go type t with the OpenAPI schema s at path at.
func mismatches(at string, t reflect.Type, s any) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	schema, _ := s.(obj)
	want := map[reflect.Kind]string{
		reflect.Struct: "object", reflect.Map: "object", reflect.Slice: "array", reflect.String: "string",
		reflect.Bool: "boolean", reflect.Int: "integer", reflect.Int32: "integer", reflect.Int64: "integer",
		reflect.Float64: "number",
	}[t.Kind()]
	if schema["type"] != want {
		return []string{at + ": Go " + t.Kind().String() + ", XRD " + toString(schema["type"])}
	}
	switch t.Kind() {
	case reflect.Slice:
		return mismatches(at+"[]", t.Elem(), schema["items"])
	case reflect.Map:
		return mismatches(at+"[*]", t.Elem(), schema["additionalProperties"])
	case reflect.Struct:
		var out []string
		props, _ := schema["properties"].(obj)
		fields := jsonFields(t)
		for _, name := range slices.Sorted(mapKeys(fields)) {
			if _, ok := props[name]; !ok {
				out = append(out, at+"."+name+": Go field not declared by the XRD")
				continue
			}
			out = append(out, mismatches(at+"."+name, fields[name], props[name])...)
		}
		for _, name := range slices.Sorted(mapKeys(props)) {
			if _, ok := fields[name]; !ok {
				out = append(out, at+"."+name+": declared by the XRD, no Go field")
			}
		}
		return out
	}
	return nil
}

// jsonFields returns the JSON fields of struct t, embedded structs inlined as
// encoding/json does.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-" || !f.IsExported():
		case f.Anonymous && name == "":
			for n, ft := range jsonFields(f.Type) {
				out[n] = ft
			}
		default:
			if name == "" {
				name = f.Name
			}
			out[name] = f.Type
		}
	}
	return out
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}
