package scan

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/crossplane/function-sdk-go/resource/composed"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	// The function registers the managed kinds it composes in composed.Scheme
	// (fn.ManagedKinds); those are the kinds this package can decode.
	_ "github.com/fintech-platform/payment-platform/functions/platform/fn"
)

// terraformed is what every provider-upjet-aws type offers: its Terraform
// resource type and its parameters (spec.forProvider over spec.initProvider)
// as Terraform arguments.
type terraformed interface {
	runtime.Object
	GetTerraformResourceType() string
	GetMergedParameters(shouldMergeInitProvider bool) (map[string]any, error)
}

// Resource is one managed resource in its Terraform shape.
type Resource struct {
	// Type is the Terraform resource type, Name the resource's label: its
	// metadata.name, so a finding names the rendered object.
	Type, Name string
	// Object is the rendered object, its references resolved.
	Object *unstructured.Unstructured
}

// Address is the resource's Terraform address, type.name, as findings name it.
func (r *Resource) Address() string { return r.Type + "." + r.Name }

// Converted is what Convert made of one rendered tree.
type Converted struct {
	// Resources are the managed resources, in rendered order.
	Resources []*Resource
	// Inputs are the references that pick nothing in the render: a layer
	// rendered alone selects what other layers make. Each becomes a Terraform
	// input variable, a value given from elsewhere: the provider creates
	// nothing until such a reference resolves, so the value will be set, only
	// not known here.
	Inputs []Input
	// Unsupported names each reference this package cannot express (a
	// number, or a value the provider extracts in an unknown way); the field
	// stays as rendered.
	Unsupported []string
	params      map[*Resource]map[string]any
	variables   map[string]bool
}

// Input is a reference the render leaves to something outside it.
type Input struct {
	// Variable is the input variable's name.
	Variable string
	// Resource is the address of the resource whose field it fills, Field the
	// field's JSON path, Target the kind the reference selects.
	Resource, Field, Target string
}

func (i Input) String() string {
	return fmt.Sprintf("%s %s: no %s in the render matches (var.%s)", i.Resource, i.Field, i.Target, i.Variable)
}

// Converter turns rendered managed resources into Terraform configuration.
type Converter struct {
	// Provider gives the Terraform schemas and the reference fields.
	Provider *Provider
}

// refPrefix marks a string value that stands for a Terraform reference
// (type.name.attribute) until it is written as one; no value AWS accepts
// starts with a NUL.
const refPrefix = "\x00ref:"

// Convert converts the managed resources among docs (the rendered stream of
// one claim: XRs, Usages and managed resources) and resolves their
// references against each other. Anything that is not a namespaced
// provider-upjet-aws kind is skipped.
func (c *Converter) Convert(docs []*unstructured.Unstructured) (*Converted, error) {
	out := &Converted{params: map[*Resource]map[string]any{}, variables: map[string]bool{}}
	byKey := map[string]*Resource{}
	labels := map[string]string{}
	objs := map[*Resource]terraformed{}
	for _, d := range docs {
		gvk := d.GroupVersionKind()
		if !strings.HasSuffix(gvk.Group, groupSuffix) {
			continue
		}
		o, err := composed.Scheme.New(gvk)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", gvk.Kind, d.GetName(), err)
		}
		tf, ok := o.(terraformed)
		if !ok {
			return nil, fmt.Errorf("%s is not a Terraform-backed kind", gvk)
		}
		r := &Resource{Type: tf.GetTerraformResourceType(), Name: label(d), Object: d.DeepCopy()}
		if prev, dup := labels[r.Address()]; dup {
			return nil, fmt.Errorf("%s and %s/%s both convert to %s", prev, d.GetNamespace(), d.GetName(), r.Address())
		}
		labels[r.Address()] = d.GetNamespace() + "/" + d.GetName()
		// A render names composed resources after the claim and their
		// composition resource name, so names can repeat across XRs (a real
		// control plane generates unique ones); a name reference to a
		// repeated name is ambiguous and resolves to nothing.
		k := key(gvk, d.GetNamespace(), d.GetName())
		if _, dup := byKey[k]; dup {
			byKey[k] = nil
		} else {
			byKey[k] = r
		}
		objs[r] = tf
		out.Resources = append(out.Resources, r)
	}
	for _, r := range out.Resources {
		gvk := r.Object.GroupVersionKind()
		refs, err := c.Provider.Refs(gvk, reflect.TypeOf(objs[r]).Elem())
		if err != nil {
			return nil, err
		}
		for i := range refs {
			out.resolve(r, &refs[i], byKey)
		}
		tf := objs[r]
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(r.Object.Object, tf); err != nil {
			return nil, fmt.Errorf("%s %s: %w", gvk.Kind, r.Object.GetName(), err)
		}
		p, err := tf.GetMergedParameters(true)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", gvk.Kind, r.Object.GetName(), err)
		}
		out.params[r] = p
	}
	return out, nil
}

// resolve fills the value of ref in r from the resources the reference picks,
// as the provider would: a value already set stays unless the policy says
// Always; a named reference wins over a selector; a selector picks, by name
// order, the first resource of the target kind in the selector's namespace
// whose labels match and, with matchControllerRef, that has r's controller
// (the XR that composed both). A reference that picks nothing becomes an
// input variable.
func (cv *Converted) resolve(r *Resource, ref *Ref, byKey map[string]*Resource) {
	parent := ref.Value[:len(ref.Value)-1]
	valueKey, selKey, refKey := last(ref.Value), last(ref.Selector), last(ref.Reference)
	field := strings.Join(ref.Value, ".")
	for _, m := range objects(r.Object.Object, parent) {
		sel, _ := m[selKey].(map[string]any)
		named := m[refKey]
		if sel == nil && named == nil {
			continue
		}
		if set(m[valueKey]) && !always(sel, named) {
			continue
		}
		if !ref.Scalar || ref.Attr == "" {
			cv.Unsupported = append(cv.Unsupported, fmt.Sprintf("%s %s: a reference this scan cannot express (left as rendered)", r.Address(), field))
			continue
		}
		var targets []string
		switch {
		case named != nil:
			for _, n := range names(named) {
				ns := str(n["namespace"])
				if ns == "" {
					ns = r.Object.GetNamespace()
				}
				if t := byKey[key(ref.Target, ns, str(n["name"]))]; t != nil {
					targets = append(targets, t.Address()+"."+ref.Attr)
				}
			}
		default:
			for _, t := range pick(r, ref.Target, sel, cv.Resources) {
				targets = append(targets, t.Address()+"."+ref.Attr)
			}
		}
		if len(targets) == 0 {
			v := r.Name + "_" + valueKey
			for i := 2; cv.variables[v]; i++ {
				v = fmt.Sprintf("%s_%s_%d", r.Name, valueKey, i)
			}
			cv.variables[v] = true
			cv.Inputs = append(cv.Inputs, Input{Variable: v, Resource: r.Address(), Field: field, Target: ref.Target.Kind})
			targets = []string{"var." + v}
		}
		if !ref.Multi {
			m[valueKey] = refPrefix + targets[0]
			continue
		}
		vs := make([]any, len(targets))
		for i, t := range targets {
			vs[i] = refPrefix + t
		}
		m[valueKey] = vs
	}
}

// pick returns the resources a selector matches, in name order.
func pick(from *Resource, target schema.GroupVersionKind, sel map[string]any, all []*Resource) []*Resource {
	ns := str(sel["namespace"])
	if ns == "" {
		ns = from.Object.GetNamespace()
	}
	want, _ := sel["matchLabels"].(map[string]any)
	controller, _ := sel["matchControllerRef"].(bool)
	var out []*Resource
	for _, t := range all {
		o := t.Object
		if o.GroupVersionKind() != target || o.GetNamespace() != ns {
			continue
		}
		if !matches(o.GetLabels(), want) || controller && !sameController(from.Object, o) {
			continue
		}
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b *Resource) int { return strings.Compare(a.Object.GetName(), b.Object.GetName()) })
	return out
}

func matches(have map[string]string, want map[string]any) bool {
	for k, v := range want {
		if hv, ok := have[k]; !ok || hv != str(v) {
			return false
		}
	}
	return true
}

// sameController reports whether a and b were composed by the same XR. A
// render leaves owner UIDs empty, so the owner is told by its kind and name.
func sameController(a, b *unstructured.Unstructured) bool {
	ca, cb := controllerOf(a), controllerOf(b)
	if ca == nil || cb == nil {
		return false
	}
	if ca.UID != "" && cb.UID != "" {
		return ca.UID == cb.UID
	}
	return ca.APIVersion == cb.APIVersion && ca.Kind == cb.Kind && ca.Name == cb.Name
}

func controllerOf(o *unstructured.Unstructured) *metav1.OwnerReference {
	for _, ref := range o.GetOwnerReferences() {
		if ref.Controller != nil && *ref.Controller {
			return &ref
		}
	}
	return nil
}

// always reports whether the selector's or a reference's policy resolves on
// every reconcile, replacing a value already set.
func always(sel map[string]any, named any) bool {
	policies := []any{sel["policy"]}
	for _, n := range names(named) {
		policies = append(policies, n["policy"])
	}
	for _, p := range policies {
		if m, ok := p.(map[string]any); ok && m["resolve"] == "Always" {
			return true
		}
	}
	return false
}

// names returns a named reference, or each of a list of them, as objects.
func names(v any) []map[string]any {
	switch v := v.(type) {
	case map[string]any:
		return []map[string]any{v}
	case []any:
		var out []map[string]any
		for _, e := range v {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}

// objects returns the objects at path below o, "*" standing for every element
// of a list.
func objects(o map[string]any, path []string) []map[string]any {
	cur := []any{o}
	for _, p := range path {
		var next []any
		for _, c := range cur {
			switch p {
			case "*":
				if l, ok := c.([]any); ok {
					next = append(next, l...)
				}
			default:
				if m, ok := c.(map[string]any); ok && m[p] != nil {
					next = append(next, m[p])
				}
			}
		}
		cur = next
	}
	out := make([]map[string]any, 0, len(cur))
	for _, c := range cur {
		if m, ok := c.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func set(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case string:
		return v != ""
	case []any:
		return len(v) > 0
	}
	return true
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func last(p []string) string { return p[len(p)-1] }

func key(gvk schema.GroupVersionKind, ns, name string) string {
	return gvk.Group + "/" + gvk.Kind + "/" + ns + "/" + name
}

// notLabel matches what cannot be in a Terraform resource label.
var notLabel = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// label names a resource in Terraform: its controller XR's name and its
// composition resource name (unique in the render, and they say where the
// resource comes from), or else its own name; as a Terraform label (letters,
// digits, underscores and hyphens, not starting with a digit or hyphen).
func label(o *unstructured.Unstructured) string {
	n := o.GetName()
	if c, rn := controllerOf(o), o.GetAnnotations()[compositionResourceName]; c != nil && rn != "" {
		n = c.Name + "_" + rn
	}
	l := notLabel.ReplaceAllString(n, "_")
	if l == "" || l[0] != '_' && (l[0] < 'a' || l[0] > 'z') && (l[0] < 'A' || l[0] > 'Z') {
		l = "r_" + l
	}
	return l
}

// compositionResourceName is the annotation naming a composed resource within
// its XR's desired state.
const compositionResourceName = "crossplane.io/composition-resource-name"

// errNoSchema is returned for a Terraform type the provider has no schema for.
var errNoSchema = errors.New("no Terraform schema")
