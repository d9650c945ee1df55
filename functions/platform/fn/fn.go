// Package fn is the composition function: it reads the XR, hands it to the
// builder of its kind, and turns what the builder wants into desired state,
// readiness and status. All decisions about resources live in the builders.
package fn

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/crossplane/function-sdk-go/errors"
	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composed"
	"github.com/crossplane/function-sdk-go/response"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/layer"
	"github.com/fintech-platform/payment-platform/functions/platform/layers/apigateway"
	"github.com/fintech-platform/payment-platform/functions/platform/layers/compute"
	"github.com/fintech-platform/payment-platform/functions/platform/layers/database"
	"github.com/fintech-platform/payment-platform/functions/platform/layers/documents"
	"github.com/fintech-platform/payment-platform/functions/platform/layers/endpoints"
	"github.com/fintech-platform/payment-platform/functions/platform/layers/keys"
	"github.com/fintech-platform/payment-platform/functions/platform/layers/messaging"
	"github.com/fintech-platform/payment-platform/functions/platform/layers/nat"
	"github.com/fintech-platform/payment-platform/functions/platform/layers/network"
	"github.com/fintech-platform/payment-platform/functions/platform/layers/observability"
	"github.com/fintech-platform/payment-platform/functions/platform/layers/platform"
)

// layers is the registry: every XR kind the function composes. Adding a layer
// is one line here (docs/adding-a-layer.md).
var layers = []layer.Layer{
	platform.Layer,
	network.Layer,
	nat.Layer,
	endpoints.Layer,
	endpoints.InterfaceLayer,
	keys.Layer,
	database.Layer,
	compute.Layer,
	apigateway.Layer,
	documents.Layer,
	messaging.Layer,
	observability.Layer,
}

// Layers returns the registry, in its order.
func Layers() []layer.Layer { return slices.Clone(layers) }

// Layer returns the layer that composes XRs of kind.
func Layer(kind string) (layer.Layer, bool) {
	i := slices.IndexFunc(layers, func(l layer.Layer) bool { return l.Kind == kind })
	if i < 0 {
		return layer.Layer{}, false
	}
	return layers[i], true
}

// Kinds returns the XR kinds the function serves, sorted.
func Kinds() []string {
	k := make([]string, 0, len(layers))
	for _, l := range layers {
		k = append(k, l.Kind)
	}
	slices.Sort(k)
	return k
}

// Function is the payment platform's composition function.
type Function struct {
	fnv1.UnimplementedFunctionRunnerServiceServer

	Log logging.Logger
}

// RunFunction composes the XR in req.
func (f *Function) RunFunction(_ context.Context, req *fnv1.RunFunctionRequest) (rsp *fnv1.RunFunctionResponse, _ error) {
	rsp = response.To(req, response.DefaultTTL)
	defer func() {
		// A bug in a builder must not take the server down or, worse, return a
		// partial desired state that would delete resources: fail the call.
		if r := recover(); r != nil {
			rsp = response.To(req, response.DefaultTTL)
			response.Fatal(rsp, errors.Errorf("internal error while composing: %v", r))
		}
	}()

	xr, err := request.GetObservedCompositeResource(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot get observed composite resource"))
		return rsp, nil
	}
	kind, name := xr.Resource.GetKind(), xr.Resource.GetName()
	log := f.log().WithValues("kind", kind, "name", name, "namespace", xr.Resource.GetNamespace())

	l, ok := Layer(kind)
	if !ok {
		response.Fatal(rsp, errors.Errorf("this function composes %s, not %s", strings.Join(Kinds(), ", "), kind))
		return rsp, nil
	}
	observed, err := request.GetObservedComposedResources(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot get observed composed resources"))
		return rsp, nil
	}
	obs := compose.Observed(observed)

	d, err := l.Build(xr, obs)
	if err != nil {
		// Fatal: Crossplane applies nothing from this call, so nothing that
		// exists is deleted because of bad input (SPEC API-0.5).
		response.Fatal(rsp, errors.Wrapf(err, "invalid %s %q", kind, name))
		return rsp, nil
	}
	if err := keepObserved(obs, d); err != nil {
		response.Fatal(rsp, err)
		return rsp, nil
	}

	desired, err := toDesired(obs, d)
	if err != nil {
		response.Fatal(rsp, err)
		return rsp, nil
	}
	if err := response.SetDesiredComposedResources(rsp, desired); err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot set desired composed resources"))
		return rsp, nil
	}

	dxr, err := request.GetDesiredCompositeResource(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot get desired composite resource"))
		return rsp, nil
	}
	if err := setStatus(dxr, d.Status); err != nil {
		response.Fatal(rsp, err)
		return rsp, nil
	}
	for _, w := range d.Warnings {
		response.Warning(rsp, errors.New(w)).TargetComposite()
	}
	for _, c := range d.Conditions {
		set := response.ConditionFalse
		if c.Status {
			set = response.ConditionTrue
		}
		o := set(rsp, c.Type, c.Reason)
		if c.Message != "" {
			o = o.WithMessage(c.Message)
		}
		o.TargetComposite()
	}
	if len(d.Waiting) > 0 {
		// Resources held back are not in desired state, so Crossplane cannot see
		// that they are missing: say so, and keep the XR not ready.
		dxr.Ready = resource.ReadyFalse
		response.ConditionFalse(rsp, "Composed", "WaitingForPrerequisites").
			WithMessage(strings.Join(d.Waiting, "; ")).TargetComposite()
	} else {
		response.ConditionTrue(rsp, "Composed", "AllResourcesComposed").TargetComposite()
	}
	if err := response.SetDesiredCompositeResource(rsp, dxr); err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot set desired composite resource"))
		return rsp, nil
	}
	log.Debug("Composed", "desired", len(desired), "observed", len(observed), "waiting", len(d.Waiting))
	return rsp, nil
}

func (f *Function) log() logging.Logger {
	if f.Log == nil {
		return logging.NewNopLogger()
	}
	return f.Log
}

// keepObserved refuses a desired state that lacks an observed resource:
// Crossplane would delete it in AWS. Builders never do this; this is the net
// under them.
func keepObserved(obs compose.Observed, d *compose.Desired) error {
	var missing []string
	for n := range obs {
		if _, ok := d.Resources[n]; !ok {
			missing = append(missing, string(n))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	slices.Sort(missing)
	return fmt.Errorf("refusing to drop observed resources %s from desired state: Crossplane would delete them", strings.Join(missing, ", "))
}

// toDesired converts the builder's typed objects and marks each ready when it
// is observed ready, as function-auto-ready does.
func toDesired(obs compose.Observed, d *compose.Desired) (map[resource.Name]*resource.DesiredComposed, error) {
	out := make(map[resource.Name]*resource.DesiredComposed, len(d.Resources))
	for n, o := range d.Resources {
		cd, err := composed.From(o)
		if err != nil {
			return nil, errors.Wrapf(err, "cannot convert composed resource %q", n)
		}
		ready := resource.ReadyFalse
		if obs.Ready(string(n)) {
			ready = resource.ReadyTrue
		}
		out[n] = &resource.DesiredComposed{Resource: cd, Ready: ready}
	}
	return out, nil
}

// setStatus merges the layer's typed status into the desired XR's status.
func setStatus(dxr *resource.Composite, status any) error {
	if status == nil {
		return nil
	}
	// The converter takes a pointer; the layers return their status by value.
	p := reflect.New(reflect.TypeOf(status))
	p.Elem().Set(reflect.ValueOf(status))
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(p.Interface())
	if err != nil {
		return errors.Wrap(err, "cannot convert the status")
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if err := dxr.Resource.SetValue("status."+k, m[k]); err != nil {
			return errors.Wrapf(err, "cannot set status.%s", k)
		}
	}
	return nil
}
