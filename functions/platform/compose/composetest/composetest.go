// Package composetest builds observed state for builder tests.
package composetest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/fintech-platform/payment-platform/functions/platform/wiring"

	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composed"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
)

// Res is one observed resource: its name in the pipeline, whether it is Ready,
// and fields to set, as dotted paths (status.atProvider.id) to values.
type Res struct {
	Name   string
	Ready  bool
	Fields map[string]any
}

// Observed returns observed state holding rs.
func Observed(rs ...Res) compose.Observed {
	o := compose.Observed{}
	for _, r := range rs {
		u := composed.New()
		status := "False"
		if r.Ready {
			status = "True"
		}
		_ = u.SetValue("status.conditions", []any{map[string]any{"type": "Ready", "status": status, "reason": "Test"}})
		for p, v := range r.Fields {
			if err := u.SetValue(p, v); err != nil {
				panic(err)
			}
		}
		o[resource.Name(r.Name)] = resource.ObservedComposed{Resource: u}
	}
	return o
}

// Resource returns one observed composed resource, Ready when ready, holding
// each value at its field path (status.atProvider.arn…).
func Resource(ready bool, fields map[string]any) resource.ObservedComposed {
	return Observed(Res{Name: "r", Ready: ready, Fields: fields})["r"]
}

// CheckSelectors fails t for every selector in v (an object as a map) that
// could match a resource of another environment: each must match the
// controller (the same XR) or the environment label, and none may name another
// namespace (SPEC X-4).
func CheckSelectors(t *testing.T, at string, v any, suffix string) {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if strings.HasSuffix(k, "Selector") {
				s, _ := e.(map[string]any)
				labels, _ := s["matchLabels"].(map[string]any)
				if s["namespace"] != nil {
					t.Errorf("%s.%s reaches into namespace %v", at, k, s["namespace"])
				}
				if s["matchControllerRef"] != true && labels[wiring.LabelEnvironment] != suffix {
					t.Errorf("%s.%s = %v selects beyond environment %s", at, k, e, suffix)
				}
			}
			CheckSelectors(t, at+"."+k, e, suffix)
		}
	case []any:
		for i, e := range v {
			CheckSelectors(t, fmt.Sprintf("%s[%d]", at, i), e, suffix)
		}
	}
}

// Get returns the desired resource name as a T, failing t if it is absent or
// of another type.
func Get[T any](t *testing.T, d *compose.Desired, name string) T {
	t.Helper()
	o := d.Get(name)
	if o == nil {
		t.Fatalf("%s is not in desired state; waiting: %v", name, d.Waiting)
	}
	r, ok := o.(T)
	if !ok {
		t.Fatalf("%s is a %T", name, o)
	}
	return r
}

// Of returns the desired resources that are Ts, by name.
func Of[T any](d *compose.Desired) map[string]T {
	out := map[string]T{}
	for n, o := range d.Resources {
		if v, ok := o.(T); ok {
			out[string(n)] = v
		}
	}
	return out
}

// Status returns d's typed status as the XR would hold it, a JSON object, so
// that tests can read it by field name.
func Status(t *testing.T, d *compose.Desired) map[string]any {
	t.Helper()
	b, err := json.Marshal(d.Status)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// Zones are the three zones of the default region the builder tests use.
var Zones = []string{"us-east-1a", "us-east-1b", "us-east-1c"}

// Build returns what build composes from s given obs, failing t on an error.
func Build[S any](t *testing.T, build func(S, compose.Observed) (*compose.Desired, error), s S, obs compose.Observed) *compose.Desired {
	t.Helper()
	d, err := build(s, obs)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return d
}

// Count returns how many desired resources are Ts.
func Count[T any](d *compose.Desired) int { return len(Of[T](d)) }
