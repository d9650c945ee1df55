// Package compose holds what every layer builder repeats: the parameters all
// layers share, labels and tags, provider config and selectors, the set of
// desired resources a builder returns, and reads of observed state.
package compose

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"sort"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	xpv1 "github.com/crossplane/crossplane-runtime/v2/apis/common/v1"
	xpv2 "github.com/crossplane/crossplane-runtime/v2/apis/common/v2"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/crossplane/function-sdk-go/resource"

	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// DefaultProviderConfig is the namespaced ProviderConfig used when a claim does not name one.
const DefaultProviderConfig = "default"

// Common is the part of every layer's parameters that says where resources go
// and for which environment.
type Common struct {
	EnvironmentSuffix  string            `json:"environmentSuffix"`
	Region             string            `json:"region,omitempty"`
	ProviderConfigName string            `json:"providerConfigName,omitempty"`
	Tags               map[string]string `json:"tags,omitempty"`
	// RetainData is the data-retention mode (SPEC X-7, ADR 0012), on unless
	// false: deleting the XR then loses no data. What holds or decrypts data
	// (KMS keys, log groups, the cluster) is kept in AWS; everything else is
	// deleted. Parents pass it to their children with the rest of Common.
	RetainData *bool `json:"retainData,omitempty"`
}

// Retains reports whether the data-retention mode is on.
func (c Common) Retains() bool { return c.RetainData == nil || *c.RetainData }

// retained are the management policies of a resource kept in AWS when it is
// deleted: everything but Delete.
var retained = xpv1.ManagementPolicies{xpv1.ManagementActionObserve, xpv1.ManagementActionCreate, xpv1.ManagementActionUpdate, xpv1.ManagementActionLateInitialize}

// Env is the environment the resources go to: the key of its labels and selectors.
func (c Common) Env() wiring.Env { return wiring.Env(c.EnvironmentSuffix) }

// TagsFor returns the AWS tags of a resource named name: the claim's tags, then
// the platform's own, which a claim cannot override.
func (c Common) TagsFor(name string) map[string]*string {
	t := make(map[string]*string, len(c.Tags)+3)
	for k, v := range c.Tags {
		t[k] = ptr(v)
	}
	t["Name"] = ptr(name)
	t[wiring.LabelEnvironment] = ptr(c.EnvironmentSuffix)
	t["managed-by"] = ptr("crossplane")
	return t
}

// ManagedSpec returns the managed-resource spec every composed MR carries: the
// tenant's namespaced ProviderConfig and the default (delete) policies, so
// deleting the claim deletes what it created (SPEC X-3).
func (c Common) ManagedSpec() xpv2.ManagedResourceSpec {
	name := c.ProviderConfigName
	if name == "" {
		name = DefaultProviderConfig
	}
	return xpv2.ManagedResourceSpec{ProviderConfigReference: &xpv1.ProviderConfigReference{Kind: "ProviderConfig", Name: name}}
}

// DataSpec is ManagedSpec for a resource that holds or decrypts data (a KMS
// key and its alias, a log group): in the data-retention mode its management
// policies leave out Delete, so deleting the claim leaves it in AWS for an
// operator to clean up by hand (docs/data-retention.md); otherwise it is
// deleted like everything else (SPEC X-3).
func (c Common) DataSpec() xpv2.ManagedResourceSpec {
	s := c.ManagedSpec()
	if c.Retains() {
		s.ManagementPolicies = slices.Clone(retained)
	}
	return s
}

// Desired is what a builder returns: the resources it wants, keyed by their
// stable names in the pipeline, the XR status it derived from observed state,
// and what it held back and why.
type Desired struct {
	Resources map[resource.Name]runtime.Object
	// Status is the layer's status (its api.<Kind>Status), merged into the
	// XR's status; the layer's registry entry says its type.
	Status any
	// Waiting lists, sorted, the resources not created yet and what they wait for.
	Waiting []string
	// Warnings are problems the tenant should hear about that block nothing.
	Warnings []string
	// Conditions are set on the XR besides Ready and Composed, in a fixed
	// order (the claim's: one per layer).
	Conditions []Condition
}

// A Condition is one condition the function sets on the XR.
type Condition struct {
	Type    string
	Status  bool
	Reason  string
	Message string
}

// NewDesired returns an empty Desired.
func NewDesired() *Desired {
	return &Desired{Resources: map[resource.Name]runtime.Object{}}
}

// Add puts o in desired state under name.
func (d *Desired) Add(name string, o runtime.Object) {
	d.Resources[resource.Name(name)] = o
}

// Get returns the desired resource named name, or nil.
func (d *Desired) Get(name string) runtime.Object {
	return d.Resources[resource.Name(name)]
}

// AddWhen puts o in desired state when its prerequisite is met or when it
// already exists. A resource that exists is never dropped: Crossplane would
// delete it in AWS.
func (d *Desired) AddWhen(ready bool, obs Observed, name string, o runtime.Object, waitsFor string) {
	if ready || obs.Exists(name) {
		d.Add(name, o)
		return
	}
	d.Waiting = append(d.Waiting, name+" waits for "+waitsFor)
	sort.Strings(d.Waiting)
}

// Observed is the observed state of an XR's composed resources.
type Observed map[resource.Name]resource.ObservedComposed

// Exists reports whether the named resource has been observed.
func (o Observed) Exists(name string) bool {
	_, ok := o[resource.Name(name)]
	return ok
}

// Ready reports whether the named resource is observed with Ready=True.
func (o Observed) Ready(name string) bool {
	conds, _ := o.Value(name, "status.conditions").([]any)
	for _, c := range conds {
		if m, ok := c.(map[string]any); ok && m["type"] == string(xpv1.TypeReady) {
			return m["status"] == "True"
		}
	}
	return false
}

// String returns the string at path in the named observed resource, or "".
func (o Observed) String(name, path string) string {
	s, _ := o.Value(name, path).(string)
	return s
}

// StatusOf returns the status of the named observed XR (a child layer) as a
// T, or nil while it is not observed or reports nothing yet. It is how a parent
// layer reads what a child made.
func StatusOf[T any](o Observed, name string) (*T, error) {
	m, _ := o.Value(name, "status").(map[string]any)
	if len(m) == 0 {
		return nil, nil
	}
	var t T
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(m, &t); err != nil {
		return nil, fmt.Errorf("cannot read the status of %s: %w", name, err)
	}
	if reflect.ValueOf(t).IsZero() {
		return nil, nil
	}
	return &t, nil
}

// All returns the string at path of every named resource, in order, or nil
// unless every one is known: a status never shows a partial set (two of three
// zones' subnets, say).
func (o Observed) All(path string, names ...string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		v := o.String(n, path)
		if v == "" {
			return nil
		}
		out = append(out, v)
	}
	return out
}

// Sticky returns learnt, the value of an input learnt from observed state,
// or, while it is not (yet, or any more) observed, the value the existing
// resource name already has at path. A resource that exists keeps what it was
// made with when its source disappears for a moment; a value that must be
// remembered lives in the resource itself, never parsed out of a document.
func Sticky[T string | []string](learnt T, o Observed, name, path string) T {
	if len(learnt) > 0 {
		return learnt
	}
	var out T
	switch p := any(&out).(type) {
	case *string:
		*p = o.String(name, path)
	case *[]string:
		l, _ := o.Value(name, path).([]any)
		for _, v := range l {
			if s, ok := v.(string); ok {
				*p = append(*p, s)
			}
		}
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// Ptr returns a pointer to v, for the provider structs' optional fields.
func Ptr[T any](v T) *T { return &v }

// APIVersion is the API version of the platform's own XRs.
const APIVersion = "payments.platform.io/v1alpha1"

// XR returns a composed XR of kind with spec.parameters set from params, which
// must marshal to a JSON object.
func XR(kind string, labels map[string]string, params any) (*unstructured.Unstructured, error) {
	b, err := json.Marshal(params)
	if err != nil {
		return nil, err
	}
	p := map[string]any{}
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, err
	}
	u := &unstructured.Unstructured{Object: map[string]any{"spec": map[string]any{"parameters": p}}}
	u.SetAPIVersion(APIVersion)
	u.SetKind(kind)
	u.SetLabels(labels)
	return u, nil
}

// MustXR is XR for parameters that are plain structs of strings, slices and
// maps, whose marshaling cannot fail.
func MustXR(kind string, labels map[string]string, params any) *unstructured.Unstructured {
	u, err := XR(kind, labels, params)
	if err != nil {
		panic(err)
	}
	return u
}

// Value returns the value at path in the named observed resource, or nil.
// path is dotted, with a bracketed segment for keys holding dots and for list
// indexes: metadata.annotations[crossplane.io/external-name],
// status.atProvider.masterUserSecret[0].secretArn. Every RunFunction reads
// many fields; walking the map directly avoids fieldpath's JSON round trips.
func (o Observed) Value(name, path string) any {
	r, ok := o[resource.Name(name)]
	if !ok || r.Resource == nil {
		return nil
	}
	var v any = r.Resource.Object
	for path != "" {
		var seg string
		switch path[0] {
		case '[':
			end := strings.IndexByte(path, ']')
			if end < 0 {
				return nil
			}
			seg, path = path[1:end], strings.TrimPrefix(path[end+1:], ".")
		default:
			end := strings.IndexAny(path, ".[")
			if end < 0 {
				seg, path = path, ""
			} else {
				seg, path = path[:end], strings.TrimPrefix(path[end:], ".")
			}
		}
		switch c := v.(type) {
		case map[string]any:
			v = c[seg]
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(c) {
				return nil
			}
			v = c[i]
		default:
			return nil
		}
	}
	return v
}
