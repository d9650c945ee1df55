// Package usage makes the Crossplane Usages that order deletion (SPEC X-8). A
// Usage says that one resource (of) must not be deleted while another (by)
// exists: Crossplane's webhook refuses to delete a used resource, and a Usage
// composed with its user is only removed once that user is gone. Deleting a
// claim therefore tears its tree down users first: the cluster before the keys
// and subnets it lives on, the proxy before the cluster.
//
// Usage is Crossplane's own kind (protection.crossplane.io/v1beta1, namespaced),
// mirrored here with the fields the platform sets rather than imported from
// github.com/crossplane/crossplane/v2, whose module would bend the function's
// dependencies (ADR 0007).
package usage

import (
	xpv1 "github.com/crossplane/crossplane-runtime/v2/apis/common/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Component is the component label of every Usage the platform composes.
const Component = "usage"

// GroupVersionKind is the kind of a namespaced Usage in Crossplane v2.
var GroupVersionKind = schema.GroupVersionKind{Group: "protection.crossplane.io", Version: "v1beta1", Kind: "Usage"}

// A Usage keeps Spec.Of from being deleted while Spec.By exists.
type Usage struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec Spec `json:"spec"`
}

// Spec is a Usage's spec. Both sides are always set: a Usage without a user
// would block deletion forever.
type Spec struct {
	// Of is the resource in use.
	Of Resource `json:"of"`
	// By is the resource using it.
	By *Resource `json:"by,omitempty"`
	// ReplayDeletion makes Crossplane delete Of again as soon as the Usage
	// goes, if its deletion was refused while in use, instead of leaving it to
	// the garbage collector's growing back-off.
	ReplayDeletion *bool `json:"replayDeletion,omitempty"`
}

// Resource is one side of a Usage: a kind, and a selector Crossplane resolves
// to a name once, in the Usage's namespace. Composed resources have generated
// names, so the platform always selects.
type Resource struct {
	APIVersion       string    `json:"apiVersion"`
	Kind             string    `json:"kind"`
	ResourceSelector *Selector `json:"resourceSelector"`
}

// Selector matches labels and, with MatchControllerRef, only resources
// composed by the same XR as the Usage. Crossplane takes the first match, so a
// selector must match exactly one resource of its kind.
type Selector struct {
	MatchLabels        map[string]string `json:"matchLabels,omitempty"`
	MatchControllerRef *bool             `json:"matchControllerRef,omitempty"`
}

// Ref names one side of a Usage with the selectors the builders already use
// for references: compose.Own for a resource of the same XR, Common.Select*
// for another layer's.
type Ref struct {
	GVK      schema.GroupVersionKind
	Selector *xpv1.NamespacedSelector
}

// New returns the Usage, labeled labels, that keeps of until by is gone.
func New(labels map[string]string, of, by Ref) *Usage {
	return &Usage{
		TypeMeta:   metav1.TypeMeta{APIVersion: GroupVersionKind.GroupVersion().String(), Kind: GroupVersionKind.Kind},
		ObjectMeta: metav1.ObjectMeta{Labels: labels},
		Spec: Spec{
			Of:             resource(of),
			By:             ptr(resource(by)),
			ReplayDeletion: ptr(true),
		},
	}
}

func resource(r Ref) Resource {
	s := &Selector{MatchControllerRef: r.Selector.MatchControllerRef}
	if len(r.Selector.MatchLabels) > 0 {
		s.MatchLabels = make(map[string]string, len(r.Selector.MatchLabels))
		for k, v := range r.Selector.MatchLabels {
			s.MatchLabels[k] = v
		}
	}
	return Resource{APIVersion: r.GVK.GroupVersion().String(), Kind: r.GVK.Kind, ResourceSelector: s}
}

// AddToScheme registers Usage in s, so that composed.From can name its kind.
func AddToScheme(s *runtime.Scheme) error {
	s.AddKnownTypeWithName(GroupVersionKind, &Usage{})
	return nil
}

// DeepCopyObject returns a deep copy of u.
func (u *Usage) DeepCopyObject() runtime.Object {
	if u == nil {
		return nil
	}
	out := &Usage{TypeMeta: u.TypeMeta, Spec: Spec{Of: u.Spec.Of.deepCopy()}}
	u.DeepCopyInto(&out.ObjectMeta)
	if u.Spec.By != nil {
		out.Spec.By = ptr(u.Spec.By.deepCopy())
	}
	if u.Spec.ReplayDeletion != nil {
		out.Spec.ReplayDeletion = ptr(*u.Spec.ReplayDeletion)
	}
	return out
}

func (r Resource) deepCopy() Resource {
	if r.ResourceSelector == nil {
		return r
	}
	s := &Selector{}
	if r.ResourceSelector.MatchControllerRef != nil {
		s.MatchControllerRef = ptr(*r.ResourceSelector.MatchControllerRef)
	}
	if r.ResourceSelector.MatchLabels != nil {
		s.MatchLabels = make(map[string]string, len(r.ResourceSelector.MatchLabels))
		for k, v := range r.ResourceSelector.MatchLabels {
			s.MatchLabels[k] = v
		}
	}
	r.ResourceSelector = s
	return r
}

func ptr[T any](v T) *T { return &v }
