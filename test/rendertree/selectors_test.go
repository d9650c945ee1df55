package rendertree

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	xpmeta "github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	"github.com/crossplane/crossplane-runtime/v2/pkg/test"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// render neither resolves references nor lets a resource wait for one (the
// simulated AWS reports everything ready), so a selector that matches nothing,
// or two things, would pass every other test. This one resolves every
// selector of every pass with the provider's own code: each managed resource
// type's generated ResolveReferences, called as crossplane-runtime's managed
// reconciler calls it (managed.APISimpleReferenceResolver), against a world
// (world_test.go) that records what each List returned, which the resolver
// does not say: it takes the first match of a single reference.

// beside lists, for each example of one layer on its own, the examples its
// comment says to apply beside it, in the same namespace: their settled
// resources are what its selectors reach beyond itself. Of those, an XR of
// the example's own kind and all it composes are left out: the example stands
// in for it (a Network composes the NatInstances the natinstances example
// replaces).
var beside = map[string][]string{
	"apigateway/apigateway.yaml":               {"network/network.yaml", "keyset/keyset.yaml", "compute/compute.yaml"},
	"compute/compute.yaml":                     {"network/network.yaml", "keyset/keyset.yaml", "apigateway/apigateway.yaml"},
	"database/database.yaml":                   {"network/network.yaml", "keyset/keyset.yaml"},
	"documents/documents.yaml":                 {"keyset/keyset.yaml"},
	"interfaceendpoint/interfaceendpoint.yaml": {"network/network.yaml"},
	"messaging/messaging.yaml":                 {"network/network.yaml", "keyset/keyset.yaml"},
	"natinstances/natinstances.yaml":           {"network/network.yaml"},
	"network/network.yaml":                     {"keyset/keyset.yaml"},
	"observability/observability.yaml":         {"keyset/keyset.yaml"},
	"vpcendpoints/vpcendpoints.yaml":           {"network/network.yaml"},
}

// A selector is one *Selector field of a resource.
type selector struct {
	at    []any  // the keys and indexes that lead to it
	field string // spec.forProvider.kmsKeyIdSelector
	own   bool   // matchControllerRef
	ns    string // the namespace it names, if any
}

// selectors finds every *Selector in v, which is at at.
func selectors(v any, at []any) []selector {
	var out []selector
	switch v := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			here := append(slices.Clone(at), k)
			if s, ok := v[k].(map[string]any); ok && strings.HasSuffix(k, "Selector") {
				own, _ := s["matchControllerRef"].(bool)
				ns, _ := s["namespace"].(string)
				out = append(out, selector{at: here, field: fieldPath(here), own: own, ns: ns})
				continue
			}
			out = append(out, selectors(v[k], here)...)
		}
	case []any:
		for i, e := range v {
			out = append(out, selectors(e, append(slices.Clone(at), i))...)
		}
	}
	return out
}

func fieldPath(at []any) string {
	var b strings.Builder
	for _, p := range at {
		if i, ok := p.(int); ok {
			fmt.Fprintf(&b, "[%d]", i)
			continue
		}
		if b.Len() > 0 {
			b.WriteString(".")
		}
		fmt.Fprint(&b, p)
	}
	return b.String()
}

// parent returns the object holding the field at at, in o, or nil.
func parent(o map[string]any, at []any) map[string]any {
	var v any = o
	for _, p := range at[:len(at)-1] {
		switch p := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[p]
		case int:
			l, _ := v.([]any)
			if p >= len(l) {
				return nil
			}
			v = l[p]
		}
	}
	m, _ := v.(map[string]any)
	return m
}

// fillsList says whether the selector at at in the typed resource o fills a
// list of values: whether its Go struct has a <name>Refs field beside it
// (upjet's shape; a single value has <name>Ref).
func fillsList(o any, at []any) bool {
	t := reflect.TypeOf(o)
	for _, p := range at[:len(at)-1] {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if _, ok := p.(int); ok {
			t = t.Elem()
			continue
		}
		f, ok := jsonField(t, p.(string))
		if !ok {
			return false
		}
		t = f.Type
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	name, _ := at[len(at)-1].(string)
	_, ok := jsonField(t, strings.TrimSuffix(name, "Selector")+"Refs")
	return ok
}

// jsonField finds the field of struct type t that JSON calls name, looking
// into inlined structs.
func jsonField(t reflect.Type, name string) (reflect.StructField, bool) {
	if t.Kind() != reflect.Struct {
		return reflect.StructField{}, false
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == name {
			return f, true
		}
		if f.Anonymous && tag == "" {
			if g, ok := jsonField(f.Type, name); ok {
				return g, true
			}
		}
	}
	return reflect.StructField{}, false
}

// A resolution is what one selector of one resource resolved to in one pass.
type resolution struct {
	targets []string // tree paths, sorted
	listed  string   // what the resolver listed
	problem string   // what is wrong with it, whatever the pass
}

// resolveSelectors resolves every selector of the managed resource d, one at
// a time (the others removed, so that a selector matching nothing does not
// stop the resolver before the next), and returns what each resolved to, by
// field.
func (w *world) resolveSelectors(d *unstructured.Unstructured) (map[string]resolution, error) {
	all := selectors(d.Object["spec"], []any{"spec"})
	from, err := typed(d)
	if err != nil {
		return nil, err
	}
	out := map[string]resolution{}
	for _, s := range all {
		u := d.DeepCopy()
		for _, o := range all {
			if o.field != s.field {
				delete(parent(u.Object, o.at), o.at[len(o.at)-1].(string))
			}
		}
		m, err := typed(u)
		if err != nil {
			return nil, err
		}
		mc := test.NewMockClient()
		mc.MockList = list
		mc.MockGet = get
		w.calls = nil
		rerr := managed.NewAPISimpleReferenceResolver(mc).ResolveReferences(withWorld(context.Background(), w), m)
		after, err := runtime.DefaultUnstructuredConverter.ToUnstructured(m)
		if err != nil {
			return nil, err
		}
		out[s.field] = w.judgeResolved(d, from, s, fillsList(m, s.at), rerr, parent(after, s.at))
	}
	return out, nil
}

// judgeResolved tells what selector s of d (typed: from) resolved to, from
// the List calls the resolver made, its error, and the object holding the
// field afterwards (p), and what is wrong with it.
func (w *world) judgeResolved(d *unstructured.Unstructured, from resource.Managed, s selector, multi bool, rerr error, p map[string]any) resolution {
	var r resolution
	var problems []string
	env := d.GetLabels()[wiring.LabelEnvironment]
	if env == "" {
		problems = append(problems, "the resource has no "+wiring.LabelEnvironment+" label")
	}
	if s.ns != "" && s.ns != d.GetNamespace() {
		problems = append(problems, "reaches into namespace "+s.ns)
	}
	if len(w.calls) != 1 {
		problems = append(problems, fmt.Sprintf("read by %d List calls, want 1 (none: the field has a value, so the resolver skips the selector)", len(w.calls)))
	}
	var listed []string
	for _, c := range w.calls {
		own := 0
		for _, t := range c.items {
			if s.own && !xpmeta.HaveSameController(from, t) {
				continue
			}
			own++
			r.targets = append(r.targets, w.byUID[t.GetUID()])
			if e := t.GetLabels()[wiring.LabelEnvironment]; e != env {
				problems = append(problems, fmt.Sprintf("matches %s of environment %q", w.byUID[t.GetUID()], e))
			}
		}
		l := c.String()
		if s.own {
			l += fmt.Sprintf(", %d of its controller", own)
		}
		listed = append(listed, l)
	}
	slices.Sort(r.targets)
	r.listed = strings.Join(listed, "; ")
	base := strings.TrimSuffix(s.at[len(s.at)-1].(string), "Selector")
	switch {
	case !multi && len(r.targets) > 1:
		problems = append(problems, fmt.Sprintf("is ambiguous, matches %s: the resolver takes whichever it lists first", strings.Join(r.targets, ", ")))
	case rerr != nil && len(r.targets) > 0:
		problems = append(problems, rerr.Error())
	case rerr == nil && !filled(p, base, multi, len(r.targets)):
		problems = append(problems, fmt.Sprintf("resolved, but %s and its reference do not name the %d resources matched", base, len(r.targets)))
	}
	r.problem = strings.Join(problems, "; ")
	return r
}

// filled says whether the resolver wrote the value(s) and reference(s) of
// the n resources matched beside the selector: field and fieldRef, or
// fields and fieldRefs.
func filled(p map[string]any, base string, multi bool, n int) bool {
	if !multi {
		v, _ := p[base].(string)
		ref, _ := p[base+"Ref"].(map[string]any)
		return n == 1 && v != "" && ref["name"] != nil
	}
	refs, _ := p[base+"Refs"].([]any)
	vals, ok := p[base].([]any)
	if !ok {
		vals, _ = p[base+"s"].([]any)
	}
	return n > 0 && len(refs) == n && len(vals) == n
}

// check resolves every selector of every managed resource and Usage of the
// world's own pass and returns, by "tree path field", what each resolved to.
func (w *world) check() (map[string]resolution, error) {
	out := map[string]resolution{}
	for _, d := range w.docs[:w.own] {
		p := w.path[d]
		switch {
		case isOurs(d):
			for _, s := range selectors(d.Object["spec"], []any{"spec"}) {
				out[p+" "+s.field] = resolution{problem: "is an XR's selector, which nothing resolves and this test does not check"}
			}
		case d.GetAPIVersion() == UsageAPIVersion:
			for _, side := range []string{"of", "by"} {
				out[p+" spec."+side+".resourceSelector"] = w.usage(d, side)
			}
		default:
			rs, err := w.resolveSelectors(d)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			for f, r := range rs {
				out[p+" "+f] = r
			}
		}
	}
	return out, nil
}

// usage resolves one side of Usage u as Crossplane does, with the X-8 tests'
// matcher (resolve): the kind, in u's namespace, every label, and with
// matchControllerRef, u's own controller. Crossplane takes the first match.
func (w *world) usage(u *unstructured.Unstructured, side string) resolution {
	var r resolution
	var problems []string
	kind, _, _ := unstructured.NestedString(u.Object, "spec", side, "kind")
	sel, _, _ := unstructured.NestedStringMap(u.Object, "spec", side, "resourceSelector", "matchLabels")
	own, _, _ := unstructured.NestedBool(u.Object, "spec", side, "resourceSelector", "matchControllerRef")
	r.listed = fmt.Sprintf("selected %s %s in %s", kind, labels.SelectorFromSet(sel), u.GetNamespace())
	if own {
		r.listed += " of its controller"
	}
	env := u.GetLabels()[wiring.LabelEnvironment]
	for _, t := range resolve(w.docs, u, side) {
		r.targets = append(r.targets, w.path[t])
		if e := t.GetLabels()[wiring.LabelEnvironment]; e != env {
			problems = append(problems, fmt.Sprintf("matches %s of environment %q", w.path[t], e))
		}
	}
	slices.Sort(r.targets)
	if len(r.targets) > 1 {
		problems = append(problems, fmt.Sprintf("is ambiguous, matches %s: Crossplane takes whichever it lists first", strings.Join(r.targets, ", ")))
	}
	r.problem = strings.Join(problems, "; ")
	return r
}

// judge compares what the selectors of one pass resolved to (now) with what
// they resolve to once everything exists (settled) and returns what is wrong:
//   - whatever resolving found wrong (a choice, another environment, no value);
//   - in the settled pass, a selector that matches nothing;
//   - before it, a selector that matches nothing while what it settles on
//     exists already, or that matches other resources than it settles on: the
//     resolver keeps its first answer, so a list resolved while some of its
//     resources are missing stays short for good.
//
// A selector that matches nothing because what it settles on does not exist
// yet only waits; waits says for what.
func judge(now, settled map[string]resolution, exists map[string]bool, isSettled bool) (problems, waits []string) {
	for _, k := range slices.Sorted(maps.Keys(now)) {
		r := now[k]
		if r.problem != "" {
			problems = append(problems, k+" "+r.problem)
		}
		want, ok := settled[k]
		switch {
		case isSettled && len(r.targets) == 0:
			problems = append(problems, fmt.Sprintf("%s matches nothing (%s)", k, r.listed))
		case isSettled:
		case !ok:
			problems = append(problems, k+" is gone from the settled pass")
		case len(r.targets) == 0 && slices.ContainsFunc(want.targets, func(t string) bool { return exists[t] }):
			problems = append(problems, fmt.Sprintf("%s matches nothing, though %s exists (%s)", k, strings.Join(want.targets, ", "), r.listed))
		case len(r.targets) == 0:
			waits = append(waits, fmt.Sprintf("%s waits for %s", k, strings.Join(want.targets, ", ")))
		case !slices.Equal(r.targets, want.targets):
			problems = append(problems, fmt.Sprintf("%s matches %s, and %s once everything exists: the resolver keeps its first answer", k, strings.Join(r.targets, ", "), strings.Join(want.targets, ", ")))
		}
	}
	return problems, waits
}

// contextOf returns the settled documents of the examples beside ex, without
// the XRs of ex's own kind and what they compose.
func contextOf(t *testing.T, ex string) [][]*unstructured.Unstructured {
	t.Helper()
	rel := filepath.ToSlash(strings.TrimPrefix(ex, filepath.Join(root, "examples")+string(filepath.Separator)))
	kind := converge(t, ex)[0][0].GetKind()
	var out [][]*unstructured.Unstructured
	for _, b := range beside[rel] {
		passes := converge(t, filepath.Join(root, "examples", filepath.FromSlash(b)))
		docs := passes[len(passes)-1]
		paths, err := treePaths(docs)
		if err != nil {
			t.Fatal(err)
		}
		var standIns []string
		for _, d := range docs {
			if isOurs(d) && d.GetKind() == kind {
				standIns = append(standIns, paths[d]+"/")
			}
		}
		var kept []*unstructured.Unstructured
		for _, d := range docs {
			if !slices.ContainsFunc(standIns, func(p string) bool { return strings.HasPrefix(paths[d]+"/", p) }) {
				kept = append(kept, d)
			}
		}
		out = append(out, kept)
	}
	return out
}

// checkSelectors resolves every selector of every pass of ex, edited by edit
// if not nil, and returns per pass what is wrong and what waits, and how many
// selectors it resolved in all.
func checkSelectors(t *testing.T, ex string, edit func(string, *unstructured.Unstructured)) (problems, waits [][]string, n int) {
	t.Helper()
	if err := resolverReady(); err != nil {
		t.Fatal(err)
	}
	passes, context := converge(t, ex), contextOf(t, ex)
	results := make([]map[string]resolution, len(passes))
	exists := make([]map[string]bool, len(passes))
	for i, p := range passes {
		w, err := newWorld(p, context, edit)
		if err != nil {
			t.Fatalf("pass %d: %v", i, err)
		}
		if results[i], err = w.check(); err != nil {
			t.Fatalf("pass %d: %v", i, err)
		}
		exists[i] = map[string]bool{}
		for _, d := range w.docs {
			exists[i][w.path[d]] = true
		}
		n += len(results[i])
	}
	problems, waits = make([][]string, len(passes)), make([][]string, len(passes))
	for i := range passes {
		problems[i], waits[i] = judge(results[i], results[len(passes)-1], exists[i], i == len(passes)-1)
	}
	return problems, waits, n
}

// TestRender_SelectorsResolveWithinTheEnvironment_X4: in every pass of every
// example, every selector of every managed resource resolves, through the
// provider's own ResolveReferences, to exactly what it is meant to: a single
// reference to one resource (never a choice), a list to at least one, only
// resources of its own namespace and environment, of its own controller when
// it says matchControllerRef; every Usage's selectors to one resource each.
// Before the settled pass a selector may match nothing while what it settles
// on does not exist yet (logged), never something else.
func TestRender_SelectorsResolveWithinTheEnvironment_X4(t *testing.T) {
	for _, ex := range exampleFiles(t) {
		t.Run(fixture(ex), func(t *testing.T) {
			problems, waits, n := checkSelectors(t, ex, nil)
			for i := range problems {
				for _, p := range problems[i] {
					t.Errorf("pass %d: %s", i, p)
				}
				for _, w := range waits[i] {
					t.Logf("pass %d: %s", i, w)
				}
			}
			if n == 0 {
				t.Errorf("no selector found in %d passes", len(problems))
			}
		})
	}

	// One label (or controller) of one resource changed in the minimal
	// claim, and what the check must then report of its settled pass.
	relabel := func(at, key, value string) func(string, *unstructured.Unstructured) {
		return func(path string, d *unstructured.Unstructured) {
			if path == at {
				l := d.GetLabels()
				l[key] = value
				d.SetLabels(l)
			}
		}
	}
	cases := map[string]struct {
		reason string
		edit   func(string, *unstructured.Unstructured)
		want   []string
	}{
		"DatabaseSubnetRetiered": {
			reason: "a database subnet labeled private: what selects it finds nothing, and what selects the private subnet of its zone finds two",
			edit:   relabel("payments/network/subnet-database-us-east-1a", wiring.LabelTier, wiring.TierPrivate),
			want: []string{
				"payments/database/usage-subnet-database-us-east-1a-by-subnet-group spec.of.resourceSelector matches nothing",
				"payments/network/route-table-association-database-us-east-1a spec.forProvider.subnetIdSelector matches nothing",
				"payments/network/endpoints/interface-kms/subnet-us-east-1a spec.forProvider.subnetIdSelector is ambiguous, matches payments/network/subnet-database-us-east-1a, payments/network/subnet-private-us-east-1a",
			},
		},
		"LogsKeyRepurposed": {
			reason: "the logs key labeled for messaging: what the logs key encrypts finds no key",
			edit:   relabel("payments/keys/key-logs", wiring.LabelPurpose, wiring.KeyMessaging),
			want: []string{
				"payments/network/flow-log-group spec.forProvider.kmsKeyIdSelector matches nothing",
				"payments/database/log-group spec.forProvider.kmsKeyIdSelector matches nothing",
				"payments/network/usage-key-logs-by-flow-log-group spec.of.resourceSelector matches nothing",
			},
		},
		"KeyOfAnotherEnvironment": {
			reason: "the database key labeled for another environment: the cluster finds no key",
			edit:   relabel("payments/keys/key-database", wiring.LabelEnvironment, "prod"),
			want:   []string{"payments/database/cluster spec.forProvider.kmsKeyIdSelector matches nothing"},
		},
		"SelectorWithoutEnvironment": {
			reason: "the flow-log group selecting its key by purpose only, beside another environment's logs key: a choice, across environments",
			edit: func(path string, d *unstructured.Unstructured) {
				switch path {
				case "payments/network/flow-log-group":
					unstructured.RemoveNestedField(d.Object, "spec", "forProvider", "kmsKeyIdSelector", "matchLabels", wiring.LabelEnvironment)
				case "payments/keys/key-messaging":
					relabel(path, wiring.LabelPurpose, wiring.KeyLogs)(path, d)
					relabel(path, wiring.LabelEnvironment, "prod")(path, d)
				}
			},
			want: []string{`payments/network/flow-log-group spec.forProvider.kmsKeyIdSelector matches payments/keys/key-messaging of environment "prod"; is ambiguous, matches payments/keys/key-logs, payments/keys/key-messaging`},
		},
		"VPCOfAnotherController": {
			reason: "the VPC controlled by another XR: what selects it by matchControllerRef finds nothing",
			edit: func(path string, d *unstructured.Unstructured) {
				if path == "payments/network/vpc" {
					refs := d.GetOwnerReferences()
					refs[0].UID = "another"
					d.SetOwnerReferences(refs)
				}
			},
			want: []string{"payments/network/subnet-public-us-east-1a spec.forProvider.vpcIdSelector matches nothing"},
		},
	}
	minimal := filepath.Join(root, "examples", "paymentplatform", "minimal.yaml")
	for name, tc := range cases {
		t.Run("FailsWhen"+name, func(t *testing.T) {
			problems, _, _ := checkSelectors(t, minimal, tc.edit)
			got := problems[len(problems)-1]
			for _, w := range tc.want {
				if !slices.ContainsFunc(got, func(p string) bool { return strings.HasPrefix(p, w) }) {
					t.Errorf("%s: want %q among the problems of the settled pass, got\n  %s", tc.reason, w, strings.Join(got, "\n  "))
				}
			}
		})
	}
}
