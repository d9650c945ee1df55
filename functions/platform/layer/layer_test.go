package layer

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composite"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
)

type params struct {
	Size int `json:"size"`
}

type status struct{ Seen int }

func xr(t *testing.T, params map[string]any) *resource.Composite {
	t.Helper()
	c := composite.New()
	c.SetKind("Thing")
	if params != nil {
		if err := c.SetValue("spec.parameters", params); err != nil {
			t.Fatal(err)
		}
	}
	return &resource.Composite{Resource: c}
}

// TestNew_ReadsParametersIntoTheSpecType: the builder gets spec.parameters as
// its typed spec, and the layer records its types and kind.
func TestNew_ReadsParametersIntoTheSpecType(t *testing.T) {
	l := New[params, status]("Thing", func(p params, _ compose.Observed) (*compose.Desired, error) {
		d := compose.NewDesired()
		d.Status = status{Seen: p.Size}
		return d, nil
	})
	d, err := l.Build(xr(t, map[string]any{"size": 3}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Status.(status).Seen; got != 3 {
		t.Errorf("the builder saw size %d, want 3", got)
	}
	if l.Name() != "thing" || l.Spec != reflect.TypeFor[params]() || l.Status != reflect.TypeFor[status]() {
		t.Errorf("layer %+v", l)
	}
}

// TestNew_ErrorsAndWrongStatus: unreadable parameters and a builder's error
// are errors; a builder returning a status of another type is a bug, a panic.
func TestNew_ErrorsAndWrongStatus(t *testing.T) {
	boom := errors.New("boom")
	failing := New[params, status]("Thing", func(params, compose.Observed) (*compose.Desired, error) { return nil, boom })
	if _, err := failing.Build(xr(t, map[string]any{"size": 1}), nil); !errors.Is(err, boom) {
		t.Errorf("builder error: got %v", err)
	}
	if _, err := failing.Build(xr(t, map[string]any{"size": "big"}), nil); err == nil || !strings.Contains(err.Error(), "spec.parameters") {
		t.Errorf("unreadable parameters: got %v", err)
	}
	wrong := New[params, status]("Thing", func(params, compose.Observed) (*compose.Desired, error) {
		d := compose.NewDesired()
		d.Status = "not a status"
		return d, nil
	})
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "the Thing builder returned a string status") {
			t.Errorf("want a panic naming the kind and the type, got %v", r)
		}
	}()
	_, _ = wrong.Build(xr(t, map[string]any{"size": 1}), nil)
}
