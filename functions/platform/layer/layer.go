// Package layer describes the unit the function is built from: one XR kind,
// the Go types of its parameters and status, the builder that composes it and
// the provider kinds it composes. The function's registry (fn.Layers) is a list
// of these; dispatch, scheme registration, schema gathering, the render tool and
// the table-driven tests all range over it, so adding a layer is one new
// package and one line in that list (docs/adding-a-layer.md).
package layer

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/crossplane/function-sdk-go/errors"
	"github.com/crossplane/function-sdk-go/resource"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
)

// A Builder turns an XR and the observed state of what it composes into
// desired state.
type Builder func(xr *resource.Composite, obs compose.Observed) (*compose.Desired, error)

// A Layer is one XR kind the function composes.
type Layer struct {
	// Kind is the XR's kind.
	Kind string
	// Build composes an XR of Kind.
	Build Builder
	// Spec and Status are the Go types of the XR's spec.parameters and status.
	// The XRD in apis/<Name()>/definition.yaml declares exactly their fields
	// (test/xrd checks both ways).
	Spec, Status reflect.Type
	// Managed are the provider kinds the layer composes, as typed objects.
	Managed []runtime.Object
}

// Name is the layer's directory under apis/ and examples/: its kind in lower case.
func (l Layer) Name() string { return strings.ToLower(l.Kind) }

// New describes the layer of kind, composed by build from parameters S into a
// Desired whose Status is a T.
func New[S, T any](kind string, build func(S, compose.Observed) (*compose.Desired, error), managed ...runtime.Object) Layer {
	return Layer{
		Kind: kind,
		Build: func(xr *resource.Composite, obs compose.Observed) (*compose.Desired, error) {
			var s S
			if err := xr.Resource.GetValueInto("spec.parameters", &s); err != nil {
				return nil, errors.Wrap(err, "cannot read spec.parameters")
			}
			d, err := build(s, obs)
			if err != nil {
				return nil, err
			}
			if _, ok := d.Status.(T); !ok {
				// A builder bug, not bad input: the function fails the call.
				panic(fmt.Sprintf("the %s builder returned a %T status, not a %T", kind, d.Status, *new(T)))
			}
			return d, nil
		},
		Spec:    reflect.TypeFor[S](),
		Status:  reflect.TypeFor[T](),
		Managed: managed,
	}
}
