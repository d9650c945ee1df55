package fn

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource/composed"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"
)

// What a call costs is measured on the request Crossplane sends in steady
// state, where every reconcile of a settled environment lands: the XR and
// everything it composes, each as the API server returns it once AWS has
// created it. Nothing of it is a fixture file: the XR is the kind's example
// with the XRD's defaults, and each observed object is generated from what the
// function desires and from the provider's Go types, deterministically, so the
// requests follow the builders and the provider version.

// repoRoot is the repository, from this package's directory.
const repoRoot = "../../.."

// Budgets, on ratios measured in the same run (docs/performance.md): the
// function's whole per-call cost against the floor any function pays. On 2
// busy cores the CPU time ratio measured 1.4–1.9× (with -cover or without)
// and the allocation ratio 1.27–1.36×: the floor is most of a call. The time
// budget leaves room for that noise; allocations are exact.
const (
	maxWholeOverFloor  = 2.5 // CPU time
	maxAllocsOverFloor = 1.6 // allocations
)

// A benchCase is one layer's steady-state request.
type benchCase struct {
	kind      string
	request   []byte                    // marshaled, as gRPC receives it
	response  *fnv1.RunFunctionResponse // the function's answer to it
	resources int                       // composed resources observed
	managed   []int                     // JSON size of each observed managed resource
}

// benchCases returns a steady-state request for every kind in the registry,
// made once per test binary.
func benchCases(tb testing.TB) []benchCase {
	tb.Helper()
	casesMu.Lock()
	defer casesMu.Unlock()
	if cases == nil {
		cases = makeBenchCases(tb)
	}
	return cases
}

var (
	casesMu sync.Mutex
	cases   []benchCase
)

func makeBenchCases(tb testing.TB) []benchCase {
	tb.Helper()
	var out []benchCase
	for _, l := range Layers() {
		x := exampleXR(tb, l.Kind, l.Name())
		obs, status := settle(tb, x)
		req := newRequest(tb, x, status, obs)
		b, err := proto.Marshal(req)
		if err != nil {
			tb.Fatal(err)
		}
		rsp, err := wholeCall(b)
		if err != nil {
			tb.Fatal(err)
		}
		c := benchCase{kind: l.Kind, request: b, response: &fnv1.RunFunctionResponse{}, resources: len(obs)}
		if err := proto.Unmarshal(rsp, c.response); err != nil {
			tb.Fatal(err)
		}
		for _, cd := range c.response.GetConditions() {
			if cd.GetStatus() != fnv1.Status_STATUS_CONDITION_TRUE {
				tb.Fatalf("%s: not in steady state: %s %s: %s", l.Kind, cd.GetType(), cd.GetReason(), cd.GetMessage())
			}
		}
		for _, o := range obs {
			if _, ok := lookup(o, "status", "atProvider").(map[string]any); ok {
				j, _ := json.Marshal(o)
				c.managed = append(c.managed, len(j))
			}
		}
		out = append(out, c)
	}
	return out
}

// wholeCall is what one call costs the function: gRPC's unmarshal of the
// request, RunFunction, gRPC's marshal of the response. The request is new
// on every call, as over the wire: response.To shares req.Desired with the
// response, so a reused request would carry the previous call's desired state.
func wholeCall(request []byte) ([]byte, error) {
	req := &fnv1.RunFunctionRequest{}
	if err := proto.Unmarshal(request, req); err != nil {
		return nil, err
	}
	rsp, err := (&Function{}).RunFunction(context.Background(), req)
	if err != nil {
		return nil, err
	}
	return proto.Marshal(rsp)
}

// floorCall is what any function pays for the same call: the unmarshal of the
// request and the marshal of an equivalent response.
func floorCall(request []byte, rsp *fnv1.RunFunctionResponse) error {
	req := &fnv1.RunFunctionRequest{}
	if err := proto.Unmarshal(request, req); err != nil {
		return err
	}
	_, err := proto.Marshal(rsp)
	return err
}

// BenchmarkRunFunction measures, per layer and in steady state, the floor and
// the whole call, in that order: `benchstat -col /cost` (make bench) then
// shows the whole call against the floor of the same run. Besides wall time
// it reports the process's CPU time per call (cpu-sec/op, garbage collection
// included), which other processes on a shared machine do not inflate.
func BenchmarkRunFunction(b *testing.B) {
	for _, c := range benchCases(b) {
		bench := func(b *testing.B, call func() error) {
			b.ReportAllocs()
			start := cpuTime(b)
			for b.Loop() {
				if err := call(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N), "cpu-ns/op")
		}
		b.Run("kind="+c.kind+"/cost=floor", func(b *testing.B) {
			bench(b, func() error { return floorCall(c.request, c.response) })
		})
		b.Run("kind="+c.kind+"/cost=whole", func(b *testing.B) {
			bench(b, func() error { _, err := wholeCall(c.request); return err })
		})
	}
}

// TestRunFunction_RequestBudget keeps each layer's steady-state request under
// 1 MiB and 40 resources (docs/architecture.md), and checks that the observed
// objects are as large as real ones (about 7 KB per managed resource), so
// that the budgets below are measured on what Crossplane really sends.
func TestRunFunction_RequestBudget(t *testing.T) {
	var all []int
	for _, c := range benchCases(t) {
		if len(c.request) > 1<<20 || c.resources > 40 {
			t.Errorf("%s: steady-state request %d bytes with %d resources; budget 1 MiB and 40", c.kind, len(c.request), c.resources)
		}
		all = append(all, c.managed...)
		t.Logf("%s: %d resources (%d managed, JSON %s per object), request %.1f KiB, response %.1f KiB",
			c.kind, c.resources, len(c.managed), sizeSummary(c.managed), float64(len(c.request))/1024, float64(proto.Size(c.response))/1024)
	}
	t.Logf("all layers: %d managed resources, JSON %s per object", len(all), sizeSummary(all))
	if m := meanOf(all); m < 5000 || m > 10000 {
		t.Errorf("observed managed resources average %.0f bytes of JSON; real ones are about 7 KB", m)
	}
}

// TestRunFunction_CostBudget keeps the function's whole per-call cost within
// a multiple of the floor, on every layer's steady-state request. Both are
// measured here, in the same run, so the ratio holds on a busy machine where
// absolute times do not; a ratio over budget is measured once more before it
// fails, as noise rarely strikes twice and a regression does.
func TestRunFunction_CostBudget(t *testing.T) {
	for _, c := range benchCases(t) {
		ratio, whole, floor := costs(t, c)
		if ratio > maxWholeOverFloor {
			t.Logf("%s: %.2f× the floor, measuring again", c.kind, ratio)
			ratio, whole, floor = costs(t, c)
		}
		wa := testing.AllocsPerRun(3, func() { _, _ = wholeCall(c.request) })
		fa := testing.AllocsPerRun(3, func() { _ = floorCall(c.request, c.response) })
		t.Logf("%s: CPU time whole %v, floor %v: %.2f×; allocations %.0f and %.0f: %.2f×", c.kind, whole, floor, ratio, wa, fa, wa/fa)
		if ratio > maxWholeOverFloor {
			t.Errorf("%s: a call costs %.2f× the floor in CPU time (%v against %v); budget %.2f×", c.kind, ratio, whole, floor, maxWholeOverFloor)
		}
		if r := wa / fa; r > maxAllocsOverFloor {
			t.Errorf("%s: a call makes %.2f× the floor's allocations (%.0f against %.0f); budget %.2f×", c.kind, r, wa, fa, maxAllocsOverFloor)
		}
	}
}

// costs times the whole call and the floor alternately, in 11 rounds of about
// 10 ms each, and returns the median of the rounds' ratios (whole over floor)
// and each one's fastest round. Time is this process's CPU time (its garbage
// collection included), which other processes on the machine do not add to;
// alternating has both see the same caches, and the median ignores the rounds
// something else disturbed.
func costs(tb testing.TB, c benchCase) (ratio float64, whole, floor time.Duration) {
	tb.Helper()
	per := func(n int, f func() error) time.Duration {
		start := cpuTime(tb)
		for range n {
			if err := f(); err != nil {
				tb.Fatal(err)
			}
		}
		return (cpuTime(tb) - start) / time.Duration(n)
	}
	w := func() error { _, err := wholeCall(c.request); return err }
	f := func() error { return floorCall(c.request, c.response) }
	n := max(1, int(10*time.Millisecond/max(per(1, w), time.Microsecond)))
	whole, floor = time.Hour, time.Hour
	ratios := make([]float64, 0, 11)
	for range 11 {
		wr, fr := per(n, w), per(n, f)
		ratios = append(ratios, float64(wr)/float64(fr))
		whole, floor = min(whole, wr), min(floor, fr)
	}
	slices.Sort(ratios)
	return ratios[len(ratios)/2], whole, floor
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime(tb testing.TB) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// exampleXR returns the first example of kind in examples/<name>/, as the API
// server stores it: with the XRD's defaults and server-set metadata.
func exampleXR(tb testing.TB, kind, name string) map[string]any {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot, "examples", name, "*.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	slices.Sort(files)
	for _, f := range files {
		b, err := os.ReadFile(f) //nolint:gosec // A path of this repository.
		if err != nil {
			tb.Fatal(err)
		}
		for _, doc := range strings.Split(string(b), "\n---") {
			x := map[string]any{}
			if err := yaml.Unmarshal([]byte(doc), &x); err != nil {
				tb.Fatalf("%s: %v", f, err)
			}
			if x["kind"] != kind {
				continue
			}
			applyXRDDefaults(tb, x)
			serverMeta(lookup(x, "metadata").(map[string]any))
			return x
		}
	}
	tb.Fatalf("%s: no example in examples/%s; every kind in the registry needs one", kind, name)
	return nil
}

// applyXRDDefaults applies the defaults of x's XRD, as the API server does.
func applyXRDDefaults(tb testing.TB, x map[string]any) {
	tb.Helper()
	name, ok := layerName(x["kind"])
	if !ok {
		tb.Fatalf("%v is not in the registry", x["kind"])
	}
	b, err := os.ReadFile(filepath.Join(repoRoot, "apis", name, "definition.yaml")) //nolint:gosec // A path of this repository.
	if err != nil {
		tb.Fatal(err)
	}
	var xrd struct {
		Spec struct {
			Versions []struct {
				Schema struct {
					OpenAPIV3Schema apiextv1.JSONSchemaProps `json:"openAPIV3Schema"`
				} `json:"schema"`
			} `json:"versions"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(b, &xrd); err != nil || len(xrd.Spec.Versions) == 0 {
		tb.Fatalf("XRD of %v: %v", x["kind"], err)
	}
	s := &apiextensions.JSONSchemaProps{}
	if err := apiextv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(&xrd.Spec.Versions[0].Schema.OpenAPIV3Schema, s, nil); err != nil {
		tb.Fatal(err)
	}
	ss, err := structuralschema.NewStructural(s)
	if err != nil {
		tb.Fatal(err)
	}
	structuraldefaulting.Default(x, ss)
}

// layerName returns the directory under apis/ and examples/ of the layer that
// composes kind, if the registry has one.
func layerName(kind any) (string, bool) {
	for _, l := range Layers() {
		if l.Kind == kind {
			return l.Name(), true
		}
	}
	return "", false
}

// settle runs the function on x until what it desires no longer changes: each
// pass's desired resources come back observed, as AWS and the API server
// would return them, and the XR carries the status the function set. It
// returns what the settled request observes and the XR's settled status.
func settle(tb testing.TB, x map[string]any) (map[string]map[string]any, map[string]any) {
	tb.Helper()
	key, err := json.Marshal(x)
	if err != nil {
		tb.Fatal(err)
	}
	settledMu.Lock()
	s, ok := settled[string(key)]
	settledMu.Unlock()
	if !ok {
		s.obs, s.status = settleOnce(tb, x)
		settledMu.Lock()
		settled[string(key)] = s
		settledMu.Unlock()
	}
	return s.obs, s.status
}

// settled remembers each XR's steady state: a parent's every pass observes
// its child XRs settled, and they settle the same way each time.
var (
	settledMu sync.Mutex
	settled   = map[string]struct {
		obs    map[string]map[string]any
		status map[string]any
	}{}
)

func settleOnce(tb testing.TB, x map[string]any) (map[string]map[string]any, map[string]any) {
	tb.Helper()
	obs := map[string]map[string]any{}
	var status map[string]any
	var last *fnv1.State
	for range 10 {
		rsp, err := (&Function{}).RunFunction(context.Background(), newRequest(tb, x, status, obs))
		if err != nil {
			tb.Fatal(err)
		}
		for _, r := range rsp.GetResults() {
			if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
				tb.Fatalf("%v: %s", x["kind"], r.GetMessage())
			}
		}
		desired := rsp.GetDesired()
		if proto.Equal(desired, last) {
			return obs, status
		}
		next := map[string]map[string]any{}
		for n, d := range rsp.GetDesired().GetResources() {
			next[n] = asObserved(tb, n, d.GetResource().AsMap(), x)
		}
		status, _ = desired.GetComposite().GetResource().AsMap()["status"].(map[string]any)
		obs, last = next, desired
	}
	tb.Fatalf("%v: desired state still changes after 10 passes", x["kind"])
	return nil, nil
}

// newRequest is the request Crossplane sends for x when obs exist: the first
// (only) function of the pipeline gets an empty desired state.
func newRequest(tb testing.TB, x, status map[string]any, obs map[string]map[string]any) *fnv1.RunFunctionRequest {
	tb.Helper()
	r := &fnv1.RunFunctionRequest{
		Meta: &fnv1.RequestMeta{
			Tag: hexOf(fmt.Sprint(x, status), 64),
			Capabilities: []fnv1.Capability{fnv1.Capability_CAPABILITY_CAPABILITIES, fnv1.Capability_CAPABILITY_REQUIRED_RESOURCES,
				fnv1.Capability_CAPABILITY_CREDENTIALS, fnv1.Capability_CAPABILITY_CONDITIONS, fnv1.Capability_CAPABILITY_REQUIRED_SCHEMAS},
		},
		Observed: &fnv1.State{Composite: &fnv1.Resource{Resource: toStruct(tb, xrAsObserved(x, status, obs))}, Resources: map[string]*fnv1.Resource{}},
		Desired:  &fnv1.State{},
	}
	for n, o := range obs {
		r.Observed.Resources[n] = &fnv1.Resource{Resource: toStruct(tb, o)}
	}
	return r
}

func toStruct(tb testing.TB, o map[string]any) *structpb.Struct {
	tb.Helper()
	s, err := structpb.NewStruct(o)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// asObserved returns the resource the function desires as name for XR x, as
// the API server returns it once it exists: a managed resource as its
// provider leaves it, an XR of ours composed to its own steady state,
// anything else (Usages) ready.
func asObserved(tb testing.TB, name string, desired, x map[string]any) map[string]any {
	tb.Helper()
	o, _ := runtime.DeepCopyJSONValue(desired).(map[string]any)
	apiVersion, _ := o["apiVersion"].(string)
	kind, _ := o["kind"].(string)
	md := composedMeta(name, o, x)
	if _, ok := layerName(kind); ok {
		applyXRDDefaults(tb, o)
		obs, status := settle(tb, o)
		return xrAsObserved(o, status, obs)
	}
	apply := applyEntry(o)
	if t, ok := managedType(schema.FromAPIVersionAndKind(apiVersion, kind)); ok {
		return asManaged(o, apply, t)
	}
	o["status"] = map[string]any{"conditions": trueConditions(
		"Ready", "Available", "Synced", "ReconcileSuccess")}
	md["managedFields"] = []any{apply, managedField("crossplane", "Update", apiVersion, "status", runtime.DeepCopyJSON(map[string]any{"status": o["status"]}))}
	return o
}

// applyEntry is the managedFields entry of whoever applied o: Crossplane for a
// composed resource (what the function desired, with Crossplane's metadata),
// kubectl for an XR that nothing composes.
func applyEntry(o map[string]any) map[string]any {
	md := o["metadata"].(map[string]any)
	refs, _ := md["ownerReferences"].([]any)
	if len(refs) == 0 {
		return managedField("kubectl", "Apply", o["apiVersion"].(string), "", map[string]any{"spec": map[string]any{"parameters": lookup(o, "spec", "parameters")}})
	}
	owner, _ := refs[0].(map[string]any)
	fields := map[string]any{"metadata": map[string]any{"labels": md["labels"], "annotations": md["annotations"], "ownerReferences": refs}, "spec": o["spec"]}
	return managedField("apiextensions.crossplane.io/composed/"+hexOf(fmt.Sprint(owner["uid"]), 12), "Apply", o["apiVersion"].(string), "", runtime.DeepCopyJSON(fields))
}

// managedType is the provider's Go type of gvk, if gvk is a managed resource
// the function composes (composed.Scheme knows them, see scheme.go).
func managedType(gvk schema.GroupVersionKind) (reflect.Type, bool) {
	o, err := composed.Scheme.New(gvk)
	if err != nil {
		return nil, false
	}
	t := reflect.TypeOf(o).Elem()
	st, ok := t.FieldByName("Status")
	if !ok {
		return nil, false
	}
	if _, ok := st.Type.FieldByName("AtProvider"); !ok {
		return nil, false
	}
	return t, true
}

// asManaged returns o, desired, as provider-upjet-aws leaves it in steady
// state: references resolved, its tags added, every field AWS reports in
// status.atProvider, the fields the desired spec left empty late-initialized
// from them, three conditions, and the managed fields of the three writers
// (the function's apply, the provider's spec update, its status update).
func asManaged(o, apply map[string]any, t reflect.Type) map[string]any {
	md := o["metadata"].(map[string]any)
	spec := o["spec"].(map[string]any)
	fp, _ := spec["forProvider"].(map[string]any)
	if fp == nil {
		fp = map[string]any{}
		spec["forProvider"] = fp
	}
	st, _ := t.FieldByName("Spec")
	fpField, _ := st.Type.FieldByName("ForProvider")
	params := fieldsOf(fpField.Type)
	sf, _ := t.FieldByName("Status")
	atField, _ := sf.Type.FieldByName("AtProvider")
	at := atField.Type
	observation := fieldsOf(at)

	gvk := schema.FromAPIVersionAndKind(o["apiVersion"].(string), o["kind"].(string))
	v := awsValues{name: md["name"].(string), kind: gvk.Kind, service: strings.Split(gvk.Group, ".")[0], region: "us-east-1"}
	if r, ok := fp["region"].(string); ok {
		v.region = r
	}
	v.id = v.resourceID()
	written := map[string]any{} // what the provider writes into forProvider

	// The reference resolver writes the id a reference or selector names and,
	// for a selector, the reference it chose.
	for _, k := range slices.Sorted(maps.Keys(fp)) {
		base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(k, "Selector"), "Refs"), "Ref")
		if base == k {
			continue
		}
		switch {
		case params[base] != nil && fp[base] == nil:
			written[base] = v.str(base, 0)
			if strings.HasSuffix(k, "Selector") && fp[base+"Ref"] == nil {
				written[base+"Ref"] = map[string]any{"name": v.name + "-" + strings.ToLower(base)}
			}
		case params[base+"s"] != nil && fp[base+"s"] == nil:
			written[base+"s"] = []any{v.str(base, 0), v.str(base, 1), v.str(base, 2)}
			if strings.HasSuffix(k, "Selector") && fp[base+"Refs"] == nil {
				written[base+"Refs"] = []any{map[string]any{"name": v.name + "-" + strings.ToLower(base) + "-a"},
					map[string]any{"name": v.name + "-" + strings.ToLower(base) + "-b"}, map[string]any{"name": v.name + "-" + strings.ToLower(base) + "-c"}}
			}
		}
	}
	// Upjet's tagger adds three tags to every taggable resource.
	if params["tags"] != nil {
		pc, _ := lookup(spec, "providerConfigRef", "name").(string)
		written["tags"] = map[string]any{"crossplane-kind": strings.ToLower(gvk.Kind) + "." + gvk.Group, "crossplane-name": v.name, "crossplane-providerconfig": pc}
		tags, _ := fp["tags"].(map[string]any)
		if tags == nil {
			tags = map[string]any{}
			fp["tags"] = tags
		}
		for k, tv := range written["tags"].(map[string]any) {
			tags[k] = tv
		}
	}
	for k, wv := range written {
		if k != "tags" {
			fp[k] = wv
		}
	}

	// What AWS reports: every field of the observation, with what was asked
	// for where it was asked for.
	atp := v.value(at, "", 0, 0).(map[string]any)
	for k, fv := range fp {
		if observation[k] != nil {
			atp[k] = runtime.DeepCopyJSONValue(fv)
		}
	}
	if observation["tagsAll"] != nil && fp["tags"] != nil {
		atp["tagsAll"] = runtime.DeepCopyJSONValue(fp["tags"])
	}
	// Late initialization: a parameter the spec leaves empty takes the value
	// AWS reports. Blocks (nested objects) are left out: AWS reports none for
	// a feature that is not asked for (a restore source, an S3 import).
	for k, pt := range params {
		if _, set := fp[k]; set || isBlock(pt) {
			continue
		}
		if av, ok := atp[k]; ok {
			fp[k] = pruneTo(runtime.DeepCopyJSONValue(av), pt)
			written[k] = fp[k]
		}
	}
	// The provider writes its typed object back: an empty initProvider
	// appears, and the CRD's defaults are there.
	if spec["initProvider"] == nil {
		spec["initProvider"] = map[string]any{}
	}
	if spec["managementPolicies"] == nil {
		spec["managementPolicies"] = []any{"*"}
	}
	if spec["providerConfigRef"] == nil {
		spec["providerConfigRef"] = map[string]any{"kind": "ClusterProviderConfig", "name": "default"}
	}

	ann := md["annotations"].(map[string]any)
	providerMeta := map[string]any{
		"crossplane.io/external-create-pending":   timestamp,
		"crossplane.io/external-create-succeeded": timestamp,
	}
	if ann["crossplane.io/external-name"] == nil {
		providerMeta["crossplane.io/external-name"] = v.id
	}
	for k, av := range providerMeta {
		ann[k] = av
	}
	md["finalizers"] = []any{"finalizer.managedresource.crossplane.io"}

	o["status"] = map[string]any{
		"atProvider": atp,
		"conditions": trueConditions("Ready", "Available", "Synced", "ReconcileSuccess",
			"LastAsyncOperation", "Success"),
		"observedGeneration": generation,
	}
	apiVersion := o["apiVersion"].(string)
	md["managedFields"] = []any{
		apply,
		managedField("provider", "Update", apiVersion, "", map[string]any{
			"metadata": map[string]any{"annotations": providerMeta, "finalizers": md["finalizers"]},
			"spec":     map[string]any{"forProvider": written, "initProvider": map[string]any{}},
		}),
		managedField("provider", "Update", apiVersion, "status", map[string]any{"status": o["status"]}),
	}
	return o
}

// xrAsObserved returns XR x as the API server returns it once its resources
// obs exist: Crossplane's references and finalizer, the status the function
// set and the conditions Crossplane set.
func xrAsObserved(x, status map[string]any, obs map[string]map[string]any) map[string]any {
	o, _ := runtime.DeepCopyJSONValue(x).(map[string]any)
	apply := applyEntry(o)
	md := o["metadata"].(map[string]any)
	name := md["name"].(string)
	labels, _ := md["labels"].(map[string]any)
	if labels == nil {
		labels = map[string]any{}
		md["labels"] = labels
	}
	labels["crossplane.io/composite"] = name
	md["finalizers"] = []any{"composite.apiextensions.crossplane.io"}

	refs := make([]any, 0, len(obs))
	for _, n := range slices.Sorted(maps.Keys(obs)) {
		refs = append(refs, map[string]any{"apiVersion": obs[n]["apiVersion"], "kind": obs[n]["kind"], "name": lookup(obs[n], "metadata", "name")})
	}
	composition := strings.ToLower(o["kind"].(string))
	xp := map[string]any{
		"compositionRef":          map[string]any{"name": composition},
		"compositionRevisionRef":  map[string]any{"name": composition + "-" + hexOf(composition, 7)},
		"compositionUpdatePolicy": "Automatic",
		"resourceRefs":            refs,
	}
	spec := o["spec"].(map[string]any)
	spec["crossplane"] = xp

	st := map[string]any{}
	for k, sv := range status {
		st[k] = runtime.DeepCopyJSONValue(sv)
	}
	st["conditions"] = trueConditions("Synced", "ReconcileSuccess", "Ready", "Available",
		"Composed", "AllResourcesComposed")
	o["status"] = st

	apiVersion := o["apiVersion"].(string)
	md["managedFields"] = []any{
		apply,
		managedField("apiextensions.crossplane.io/composite", "Update", apiVersion, "", map[string]any{
			"metadata": map[string]any{"finalizers": md["finalizers"], "labels": map[string]any{"crossplane.io/composite": name}},
			"spec":     map[string]any{"crossplane": xp},
		}),
		managedField("apiextensions.crossplane.io/composite", "Update", apiVersion, "status", map[string]any{"status": st}),
	}
	return o
}

const (
	timestamp  = "2026-11-23T10:00:00Z"
	generation = int64(3)
)

// serverMeta adds what the API server sets on every object it stores.
func serverMeta(md map[string]any) {
	key := fmt.Sprint(md["namespace"], "/", md["name"])
	md["uid"] = fakeUID(key)
	md["resourceVersion"] = strconv.FormatUint(100000+numOf(key)%900000, 10)
	md["generation"] = generation
	md["creationTimestamp"] = timestamp
}

// composedMeta completes o's metadata as Crossplane composes it for XR x
// and the API server stores it, and returns it.
func composedMeta(name string, o, x map[string]any) map[string]any {
	md, _ := o["metadata"].(map[string]any)
	if md == nil {
		md = map[string]any{}
		o["metadata"] = md
	}
	xname, _ := lookup(x, "metadata", "name").(string)
	if md["name"] == nil {
		md["name"] = xname + "-" + hexOf(name, 5)
	}
	md["generateName"] = xname + "-"
	md["namespace"] = lookup(x, "metadata", "namespace")
	serverMeta(md)
	for _, k := range []string{"labels", "annotations"} {
		if md[k] == nil {
			md[k] = map[string]any{}
		}
	}
	md["labels"].(map[string]any)["crossplane.io/composite"] = xname
	md["annotations"].(map[string]any)["crossplane.io/composition-resource-name"] = name
	md["ownerReferences"] = []any{map[string]any{"apiVersion": x["apiVersion"], "kind": x["kind"], "name": xname, "uid": lookup(x, "metadata", "uid"),
		"controller": true, "blockOwnerDeletion": true}}
	return md
}

// trueConditions are conditions of type and reason, pairwise, all True.
func trueConditions(typeReason ...string) []any {
	out := make([]any, 0, len(typeReason)/2)
	for i := 0; i+1 < len(typeReason); i += 2 {
		out = append(out, map[string]any{"type": typeReason[i], "status": "True", "reason": typeReason[i+1],
			"lastTransitionTime": timestamp, "observedGeneration": generation})
	}
	return out
}

// managedField is one entry of metadata.managedFields: manager owns fields.
func managedField(manager, operation, apiVersion, subresource string, fields map[string]any) map[string]any {
	e := map[string]any{"manager": manager, "operation": operation, "apiVersion": apiVersion, "time": timestamp,
		"fieldsType": "FieldsV1", "fieldsV1": fieldSet(fields)}
	if subresource != "" {
		e["subresource"] = subresource
	}
	return e
}

// fieldSet is the FieldsV1 form of the fields set in v.
func fieldSet(v map[string]any) map[string]any {
	out := make(map[string]any, len(v))
	for k, c := range v {
		out["f:"+k] = fieldSetOf(k, c)
	}
	return out
}

func fieldSetOf(k string, v any) map[string]any {
	switch c := v.(type) {
	case map[string]any:
		if len(c) == 0 {
			return map[string]any{}
		}
		m := fieldSet(c)
		m["."] = map[string]any{}
		return m
	case []any:
		// Conditions (by type), owner references (by uid) and finalizers (a
		// set) list their items; the provider's lists are atomic.
		m := map[string]any{".": map[string]any{}}
		for _, e := range c {
			em, _ := e.(map[string]any)
			switch k {
			case "finalizers":
				m[fmt.Sprintf("v:%q", e)] = map[string]any{}
			case "conditions":
				m[fmt.Sprintf(`k:{"type":%q}`, em["type"])] = fieldSetOf("", em)
			case "ownerReferences":
				m[fmt.Sprintf(`k:{"uid":%q}`, em["uid"])] = fieldSetOf("", em)
			default:
				return map[string]any{}
			}
		}
		return m
	}
	return map[string]any{}
}

// awsValues makes up what AWS reports for one resource, deterministically
// and about as long as the real values.
type awsValues struct {
	name, kind, service, region, id string
}

// idPrefixes are the EC2 id prefixes of the kinds whose id is one; the other
// kinds' id is their name.
var idPrefixes = map[string]string{
	"VPC": "vpc", "Subnet": "subnet", "SecurityGroup": "sg", "DefaultSecurityGroup": "sg", "RouteTable": "rtb",
	"RouteTableAssociation": "rtbassoc", "InternetGateway": "igw", "Instance": "i", "LaunchTemplate": "lt",
	"VPCEndpoint": "vpce", "FlowLog": "fl", "SecurityGroupIngressRule": "sgr", "SecurityGroupEgressRule": "sgr",
}

func (v awsValues) resourceID() string {
	if p, ok := idPrefixes[v.kind]; ok {
		return p + "-0" + hexOf(v.name, 16)
	}
	return v.name
}

// value is a value of type t for field, the i-th of a list.
func (v awsValues) value(t reflect.Type, field string, i, depth int) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return v.str(field, i)
	case reflect.Bool:
		return true
	case reflect.Float32, reflect.Float64, reflect.Int, reflect.Int32, reflect.Int64:
		return v.num(field)
	case reflect.Slice:
		e := t.Elem()
		for e.Kind() == reflect.Pointer {
			e = e.Elem()
		}
		if e.Kind() == reflect.Struct {
			return []any{v.value(e, field, 0, depth+1)}
		}
		return []any{v.value(e, field, 0, depth+1), v.value(e, field, 1, depth+1)}
	case reflect.Map:
		return map[string]any{strings.ToLower(field) + "-key": v.value(t.Elem(), field, i, depth+1)}
	case reflect.Struct:
		m := map[string]any{}
		if depth > 6 {
			return m
		}
		for name, ft := range fieldsOf(t) {
			if fv := v.value(ft, name, i, depth+1); fv != nil {
				m[name] = fv
			}
		}
		return m
	default:
		return nil
	}
}

const keyPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"}]}`

func (v awsValues) str(field string, i int) string {
	f := strings.ToLower(field)
	h := hexOf(v.name+"/"+field+strconv.Itoa(i), 16)
	switch {
	case f == "id" && i == 0:
		return v.id
	case f == "region":
		return v.region
	case strings.Contains(f, "availabilityzone"):
		if strings.HasSuffix(f, "id") {
			return "use1-az" + strconv.Itoa(i+1)
		}
		return v.region + string("abcdef"[i%6])
	case v.service == "rds" && v.kind == "Proxy" && f == "arn":
		// The proxy's resource id, prx- and 17 hexadecimal digits, is what
		// its clients' rds-db:connect names.
		return "arn:aws:rds:" + v.region + ":123456789012:db-proxy:prx-" + hexOf(v.name, 17)
	case v.service == "elbv2" && v.kind == "LB" && f == "arn":
		return "arn:aws:elasticloadbalancing:" + v.region + ":123456789012:loadbalancer/app/" + strings.ToLower(v.name[:min(len(v.name), 32)]) + "/" + hexOf(v.name, 16)
	case v.service == "elbv2" && v.kind == "LBTargetGroup" && f == "arn":
		// Its tail targetgroup/<name>/<id> is the TargetGroup dimension the
		// observability layer reads.
		return "arn:aws:elasticloadbalancing:" + v.region + ":123456789012:targetgroup/" + strings.ToLower(v.name[:min(len(v.name), 32)]) + "/" + hexOf(v.name, 16)
	case v.service == "wafv2" && v.kind == "WebACL" && f == "arn":
		// A regional web ACL's ARN: its name, then a UUID.
		u := hexOf(v.name, 32)
		return "arn:aws:wafv2:" + v.region + ":123456789012:regional/webacl/" + v.name + "/" + u[:8] + "-" + u[8:12] + "-" + u[12:16] + "-" + u[16:20] + "-" + u[20:]
	case v.service == "sns" && v.kind == "Topic" && f == "arn":
		// A topic's ARN ends with its name; alarms notify it.
		return "arn:aws:sns:" + v.region + ":123456789012:" + v.name
	case v.service == "kms" && v.kind == "Key" && f == "arn":
		// A key's id is a UUID, which the layers given a key ARN check.
		u := hexOf(v.name, 32)
		return "arn:aws:kms:" + v.region + ":123456789012:key/" + u[:8] + "-" + u[8:12] + "-" + u[12:16] + "-" + u[16:20] + "-" + u[20:]
	case v.service == "sqs" && v.kind == "Queue" && (f == "arn" || f == "url"):
		// A queue's ARN and URL end with its name.
		name := v.name[:min(len(v.name), 80)]
		if f == "url" {
			return "https://sqs." + v.region + ".amazonaws.com/123456789012/" + name
		}
		return "arn:aws:sqs:" + v.region + ":123456789012:" + name
	case v.service == "ecr" && v.kind == "Repository" && f == "repositoryurl":
		return "123456789012.dkr.ecr." + v.region + ".amazonaws.com/" + strings.ToLower(v.name)
	case strings.HasSuffix(f, "arn") || strings.HasSuffix(f, "arns"):
		what := strings.TrimSuffix(strings.TrimSuffix(f, "s"), "arn")
		if what == "" {
			what = strings.ToLower(v.kind)
		}
		return "arn:aws:" + v.service + ":" + v.region + ":123456789012:" + what + "/" + v.name + "-" + h[:6]
	case strings.HasSuffix(f, "ownerid") || strings.HasSuffix(f, "accountid"):
		return "123456789012"
	case strings.HasSuffix(f, "id") || strings.HasSuffix(f, "ids"):
		return strings.TrimSuffix(strings.TrimSuffix(f, "s"), "id") + "-0" + h
	case strings.Contains(f, "ipv6"):
		return "2600:1f18:4e2:c00::/56"
	case strings.Contains(f, "cidr"):
		return "10.0." + strconv.Itoa(i) + ".0/24"
	case strings.HasSuffix(f, "ip") || strings.HasSuffix(f, "ips"):
		return "10.0." + strconv.Itoa(i) + "." + strconv.FormatUint(10+numOf(h)%240, 10)
	case strings.HasSuffix(f, "time") || strings.Contains(f, "date") || strings.Contains(f, "timestamp"):
		return timestamp
	case strings.Contains(f, "window"):
		return "sun:05:00-sun:06:00"
	case strings.Contains(f, "policy") || strings.Contains(f, "document"):
		return keyPolicy
	case strings.Contains(f, "endpoint") || strings.Contains(f, "dns") || strings.Contains(f, "address") || strings.Contains(f, "host"):
		return v.name + "." + h[:12] + "." + v.region + "." + v.service + ".amazonaws.com"
	case strings.HasSuffix(f, "name"):
		return v.name
	case strings.Contains(f, "state") || strings.Contains(f, "status"):
		return "available"
	default:
		return f
	}
}

func (awsValues) num(field string) float64 {
	f := strings.ToLower(field)
	switch {
	case strings.Contains(f, "port"):
		return 5432
	case strings.Contains(f, "days") || strings.Contains(f, "period"):
		return 7
	default:
		return 1
	}
}

// isBlock tells whether t is a nested object or a list of them.
func isBlock(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct
}

// fieldsOf returns the fields of struct t by JSON name, embedded ones inlined.
func fieldsOf(t reflect.Type) map[string]reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	out := map[string]reflect.Type{}
	if t.Kind() != reflect.Struct {
		return out
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-" || !f.IsExported():
		case f.Anonymous && name == "":
			for n, ft := range fieldsOf(f.Type) {
				out[n] = ft
			}
		case name == "":
			out[f.Name] = f.Type
		default:
			out[name] = f.Type
		}
	}
	return out
}

// pruneTo keeps of v what type t has a field for.
func pruneTo(v any, t reflect.Type) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		fs := fieldsOf(t)
		out := map[string]any{}
		for k, c := range m {
			if ft, ok := fs[k]; ok {
				out[k] = pruneTo(c, ft)
			}
		}
		return out
	case reflect.Slice:
		l, ok := v.([]any)
		if !ok {
			return v
		}
		out := make([]any, len(l))
		for i, e := range l {
			out[i] = pruneTo(e, t.Elem())
		}
		return out
	default:
		return v
	}
}

func lookup(o any, path ...string) any {
	for _, p := range path {
		m, ok := o.(map[string]any)
		if !ok {
			return nil
		}
		o = m[p]
	}
	return o
}

// hexOf returns n (at most 64) hex digits derived from s.
func hexOf(s string, n int) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])[:n]
}

// numOf returns a number derived from s.
func numOf(s string) uint64 {
	h := sha256.Sum256([]byte(s))
	return binary.BigEndian.Uint64(h[:8])
}

func fakeUID(s string) string {
	h := hexOf(s, 32)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// sizeSummary summarizes object sizes: mean, and smallest to largest.
func sizeSummary(s []int) string {
	if len(s) == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f KB mean (%.1f–%.1f)", meanOf(s)/1000, float64(slices.Min(s))/1000, float64(slices.Max(s))/1000)
}

func meanOf(s []int) float64 {
	if len(s) == 0 {
		return 0
	}
	t := 0
	for _, n := range s {
		t += n
	}
	return float64(t) / float64(len(s))
}
