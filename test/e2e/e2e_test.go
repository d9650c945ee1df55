package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/layers/platform"
	"github.com/fintech-platform/payment-platform/test/e2e/controlplane"
	"github.com/fintech-platform/payment-platform/test/rendertree"
)

// The tests run in this order and share the tenants the examples test
// composes; the deletion test comes last.

func TestXRDs_EstablishedWithEveryCRDAccepted_D6(t *testing.T) {
	ctx := context.Background()
	xrds, err := list(ctx, xrdGVK, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := len(ourKinds(t)); len(xrds) != want {
		t.Fatalf("%d XRDs in the cluster, %d in apis/", len(xrds), want)
	}
	for _, x := range xrds {
		if s, msg := controlplane.ConditionOf(x, "Established"); s != "True" {
			t.Errorf("XRD %s not Established: %s", x.GetName(), msg)
		}
		// Namespaced v2 XRDs offer no claim; one that names a claim must offer it.
		if _, ok, _ := unstructured.NestedMap(x.Object, "spec", "claimNames"); ok {
			if s, msg := controlplane.ConditionOf(x, "Offered"); s != "True" {
				t.Errorf("XRD %s not Offered: %s", x.GetName(), msg)
			}
		}
		crd := &unstructured.Unstructured{}
		crd.SetGroupVersionKind(crdGVK)
		crd.SetName(x.GetName())
		got, err := cp.Get(ctx, crd)
		if err != nil || got == nil {
			t.Errorf("no CRD for XRD %s: %v", x.GetName(), err)
		}
	}
	// A CRD the API server refuses (a CEL rule over its cost budget, say)
	// shows only as a Warning event on the XRD.
	warnings, err := xrdWarnings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range warnings {
		t.Errorf("XRD warning: %s", w)
	}
}

func TestCompositionRevisions_ValidPipeline_D6(t *testing.T) {
	revs, err := list(context.Background(), revisionGVK, "")
	if err != nil {
		t.Fatal(err)
	}
	comps, _ := filepath.Glob(filepath.Join(root, "apis", "*", "composition.yaml"))
	if len(revs) < len(comps) {
		t.Fatalf("%d composition revisions for %d compositions", len(revs), len(comps))
	}
	for _, r := range revs {
		if s, msg := controlplane.ConditionOf(r, "ValidPipeline"); s != "True" {
			t.Errorf("%s: ValidPipeline %q: %s", r.GetName(), s, msg)
		}
	}
}

// The examples, each group applied together in its own namespace and again in
// a second one: two tenants with the same claims. The Network example needs
// the keys of its environment beside it, as its comment says.
var examples = [][]string{
	{"examples/paymentplatform/full.yaml"},
	{"examples/paymentplatform/minimal.yaml"},
	{"examples/network/network.yaml", "examples/keyset/keyset.yaml"},
}

// A tenant is one group of example claims applied in one namespace.
type tenant struct {
	files    []string
	ns       string
	claims   []*unstructured.Unstructured
	rendered [][]*unstructured.Unstructured // per claim, its settled render
}

func (tn *tenant) String() string { return tn.ns + "/" + tn.claims[0].GetName() }

// claim is the tenant's first claim, the one the group is named after.
func (tn *tenant) claim() *unstructured.Unstructured { return tn.claims[0] }

var (
	tenantsOnce sync.Once
	tenants     []*tenant
	tenantsErr  string
)

// composedTenants applies every example in two namespaces once and returns the
// tenants, or skips the caller if composing failed (that test reports why).
func composedTenants(t *testing.T) []*tenant {
	t.Helper()
	tenantsOnce.Do(func() { tenantsErr = composeTenants(t) })
	if tenantsErr != "" {
		t.Skip("the examples did not compose: " + tenantsErr)
	}
	return tenants
}

// TestExamples_ComposeTheRenderedTree_D6_X4 applies every example claim in two
// namespaces and lets the simulated provider drive them. Each tree must end
// exactly as the offline render's settled pass predicts (kinds, tree paths,
// labels, external names, forProvider, parameters, XR status outputs, and
// readiness), with each tenant's ids its own.
func TestExamples_ComposeTheRenderedTree_D6_X4(t *testing.T) {
	composedTenants(t)
}

func composeTenants(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	for _, group := range examples {
		var claims []*unstructured.Unstructured
		var rendered [][]*unstructured.Unstructured
		for _, f := range group {
			objs, err := controlplane.ReadObjects(filepath.Join(root, f))
			if err != nil || len(objs) != 1 {
				t.Fatalf("%s: %v", f, err)
			}
			claims = append(claims, objs[0])
			rendered = append(rendered, renderedTree(t, filepath.Join(root, f)))
		}
		for i, ns := range []string{claims[0].GetNamespace(), claims[0].GetNamespace() + "-b"} {
			tn := &tenant{files: group, ns: ns, rendered: rendered}
			for _, c := range claims {
				c = c.DeepCopy()
				c.SetNamespace(ns)
				tn.claims = append(tn.claims, c)
			}
			if i > 0 {
				provider.tenant(ns)
			}
			tenants = append(tenants, tn)
		}
	}

	start := time.Now()
	calls := functionCalls(t)
	for _, tn := range tenants {
		for _, c := range tn.claims {
			if err := prepareNamespace(ctx, tn.ns, c); err != nil {
				t.Fatal(err)
			}
			applyClaim(ctx, t, c)
		}
	}

	// Converge: every tree equals its render (tenant-b's with its own ids),
	// and every claim is as ready as the render says it ends.
	// The full claim's seven passes take about 7 minutes on 2 cores since the
	// service and API layers joined (Crossplane re-reconciles a parent on its
	// poll interval); 12 leaves room for a loaded machine.
	deadline := time.Now().Add(12 * time.Minute)
	readyAt := map[string]time.Duration{}
	for _, tn := range tenants {
		for {
			diff := tenantDiff(ctx, t, tn)
			if diff == "" {
				readyAt[tn.String()] = time.Since(start)
				break
			}
			if time.Now().After(deadline) {
				t.Errorf("%s never composed the rendered tree (-rendered +real):\n%s", tn, diff)
				return tn.String() + " did not converge"
			}
			time.Sleep(time.Second)
		}
	}
	for _, err := range provider.Errors() {
		t.Errorf("simulated provider: %v", err)
	}
	t.Logf("all %d tenants composed their rendered trees in %s; %d function calls composed", len(tenants), time.Since(start).Round(100*time.Millisecond), functionCalls(t)-calls)
	for _, tn := range tenants {
		t.Logf("  %s: %s, %d function calls composed its tree", tn, readyAt[tn.String()].Round(100*time.Millisecond), functionCallsIn(t, tn.ns))
	}
	if t.Failed() {
		return "see TestExamples_ComposeTheRenderedTree_D6_X4"
	}
	return ""
}

// tenantDiff compares the tenant's real tree with the render, and each claim's
// readiness with the render's. The second tenant's made-up ids carry its
// namespace, so there only the tree paths and readiness are compared;
// TestTenants_OwnIDs_X4 checks the ids apart.
func tenantDiff(ctx context.Context, t *testing.T, tn *tenant) string {
	t.Helper()
	for i, c := range tn.claims {
		got, err := cp.Get(ctx, c)
		if err != nil || got == nil {
			return fmt.Sprintf("%s %s: %v", c.GetKind(), c.GetName(), err)
		}
		want := controlplane.Condition(tn.rendered[i][0], "Ready")
		if s, msg := controlplane.ConditionOf(got, "Ready"); s != want {
			return fmt.Sprintf("%s %s: Ready=%q (%s), the render ends %q", c.GetKind(), c.GetName(), s, msg, want)
		}
	}
	rendered := slices.Concat(tn.rendered...)
	live := realTree(ctx, t, tn.ns)
	if !strings.HasSuffix(tn.ns, "-b") {
		return treeDiff(nodes(rendered), nodes(live))
	}
	got, want := paths(live), paths(rendered)
	if !slices.Equal(got, want) {
		return fmt.Sprintf("tree paths differ:\nrendered %v\nreal     %v", want, got)
	}
	// Equal paths alone come early for a claim that never ends Ready (the
	// minimal one): its layers must also be as ready as the render's.
	return cmp.Diff(xrStates(rendered), xrStates(live))
}

// TestTenants_OwnIDs_X4: two tenants with the same claim in two namespaces see
// only their own resources: no id in one claim's status appears in the other's.
func TestTenants_OwnIDs_X4(t *testing.T) {
	ts := composedTenants(t)
	ctx := context.Background()
	for i := 0; i+1 < len(ts); i += 2 {
		a, b := claimStatus(ctx, t, ts[i]), claimStatus(ctx, t, ts[i+1])
		ia, ib := awsIDs(a), awsIDs(b)
		var shared []string
		for id := range ia {
			if ib[id] {
				shared = append(shared, id)
			}
		}
		sort.Strings(shared)
		if len(shared) > 0 {
			t.Errorf("%s and %s share ids %v", ts[i], ts[i+1], shared)
		}
		if len(ia) == 0 {
			t.Errorf("%s has no ids in its status", ts[i])
		}
	}
}

// awsIDs returns the ids AWS would assign (VPC, subnet, security group,
// instance, KMS key) found in s.
func awsIDs(s string) map[string]bool {
	out := map[string]bool{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(" \n:\"'[]{},", r) }) {
		for _, p := range []string{"vpc-", "subnet-", "sg-", "i-", "key/"} {
			if strings.HasPrefix(f, p) {
				out[f] = true
			}
		}
	}
	return out
}

func claimStatus(ctx context.Context, t *testing.T, tn *tenant) string {
	t.Helper()
	got, err := cp.Get(ctx, tn.claim())
	if err != nil || got == nil {
		t.Fatalf("%s: %v", tn, err)
	}
	st, _, _ := unstructured.NestedMap(got.Object, "status")
	delete(st, "conditions")
	return fmt.Sprint(st)
}

// TestClaim_StatusCarriesEveryOutput_API04: once composed, the full claim's
// status has a value for every output its XRD declares, but the warnings: the
// full claim is sized for production, so no layer warns (a warning reaching
// the claim is TestPlatform_LayerWarningsReachTheClaim_API04 and
// TestRender_PrintsTheFunctionsWarnings_API04).
func TestClaim_StatusCarriesEveryOutput_API04(t *testing.T) {
	ts := composedTenants(t)
	ctx := context.Background()
	var xrd map[string]any
	if err := readYAML("apis/paymentplatform/definition.yaml", &xrd); err != nil {
		t.Fatal(err)
	}
	vs, _, _ := unstructured.NestedSlice(xrd, "spec", "versions")
	declared, _, _ := unstructured.NestedMap(vs[0].(map[string]any), "schema", "openAPIV3Schema", "properties", "status")
	for _, tn := range ts {
		if tn.files[0] != "examples/paymentplatform/full.yaml" {
			continue
		}
		got, err := cp.Get(ctx, tn.claim())
		if err != nil || got == nil {
			t.Fatalf("%s: %v", tn, err)
		}
		// A ready condition per layer, set by the function on the real claim.
		for _, l := range platform.Layers {
			typ := platform.LayerCondition(l, api.StateReady).Type
			if s, msg := controlplane.ConditionOf(got, typ); s != "True" {
				t.Errorf("%s: condition %s is %q (%s), want True", tn, typ, s, msg)
			}
		}
		st, _, _ := unstructured.NestedMap(got.Object, "status")
		for _, missing := range rendertree.Unset(declared, st, "status") {
			if missing == "status.warnings" || strings.HasSuffix(missing, ".warnings") {
				if w, _, _ := unstructured.NestedStringSlice(st, "warnings"); len(w) > 0 {
					t.Errorf("%s: the production claim warns: %v", tn, w)
				}
				continue
			}
			t.Errorf("%s: %s is declared but not set", tn, missing)
		}
	}
}

// TestClaim_PrinterColumns_API04: kubectl get shows each tenant's suffix,
// region, VPC and layer states.
func TestClaim_PrinterColumns_API04(t *testing.T) {
	ts := composedTenants(t)
	out, err := cp.Kubectl(context.Background(), nil, "get", "paymentplatform", "-A")
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	header := strings.Fields(lines[0])
	for _, col := range []string{"SUFFIX", "REGION", "VPC", "NETWORK", "KEYS", "DATABASE", "COMPUTE", "API", "MESSAGING", "DOCUMENTS", "OBSERVABILITY"} {
		if !slices.Contains(header, col) {
			t.Errorf("no %s column in %q", col, lines[0])
		}
	}
	for _, tn := range ts {
		if tn.claim().GetKind() != "PaymentPlatform" {
			continue
		}
		row := ""
		for _, l := range lines[1:] {
			if f := strings.Fields(l); len(f) > 1 && f[0] == tn.ns && f[1] == tn.claim().GetName() {
				row = l
			}
		}
		if row == "" {
			t.Errorf("%s is not listed:\n%s", tn, out)
			continue
		}
		// Each layer's state as the claim's status says, in its column.
		got, err := cp.Get(context.Background(), tn.claim())
		if err != nil || got == nil {
			t.Fatalf("%s: %v", tn, err)
		}
		layers, _, _ := unstructured.NestedStringMap(got.Object, "status", "layers")
		if len(layers) != len(platform.Layers) {
			t.Errorf("%s: status.layers %v, want one state per layer", tn, layers)
		}
		f := strings.Fields(row)
		for _, l := range platform.Layers {
			i := slices.Index(header, strings.ToUpper(l))
			if i < 0 || i >= len(f) || f[i] != layers[l] {
				t.Errorf("%s: column %s of %q, want %q", tn, strings.ToUpper(l), row, layers[l])
			}
		}
		if !strings.Contains(row, "vpc-") {
			t.Errorf("%s: want its VPC in %q", tn, row)
		}
	}
}

// TestClaim_EditsDeleteNothing_API05: on a composed claim, edits to immutable
// fields and invalid edits are refused, and no composed resource is lost.
func TestClaim_EditsDeleteNothing_API05(t *testing.T) {
	ts := composedTenants(t)
	ctx := context.Background()
	tn := ts[0]
	before := uids(ctx, t, tn.ns)

	edits := []struct {
		name, patch, want string
	}{
		{"suffix is immutable", `{"spec":{"parameters":{"environmentSuffix":"other"}}}`, "environmentSuffix is immutable"},
		{"region is immutable", `{"spec":{"parameters":{"region":"us-west-2","availabilityZones":["us-west-2a","us-west-2b","us-west-2c"],"replicaRegion":"us-east-1"}}}`, "region is immutable"},
		{"zones are immutable", `{"spec":{"parameters":{"availabilityZones":["us-east-1a","us-east-1b","us-east-1d"]}}}`, "availabilityZones is immutable"},
		{"cidr is immutable", `{"spec":{"parameters":{"network":{"cidr":"10.99.0.0/16"}}}}`, "cidr is immutable"},
		{"account is immutable", `{"spec":{"parameters":{"accountId":"111111111111"}}}`, "accountId is immutable once set"},
		{"account cannot be removed", `{"spec":{"parameters":{"accountId":null}}}`, "accountId is immutable once set"},
		{"invalid cidr", `{"spec":{"parameters":{"network":{"cidr":"10.20.0.0/8"}}}}`, "spec.parameters.network.cidr"},
		{"invalid database class", `{"spec":{"parameters":{"database":{"instanceClass":"db.m1.small"}}}}`, "spec.parameters.database.instanceClass"},
	}
	for _, e := range edits {
		out, err := cp.Kubectl(ctx, nil, "patch", "-n", tn.ns, "paymentplatform", tn.claim().GetName(), "--type=merge", "-p", e.patch)
		if err == nil {
			t.Errorf("%s: the API server accepted %s", e.name, e.patch)
			continue
		}
		if !strings.Contains(out, e.want) {
			t.Errorf("%s: refused without naming %q: %s", e.name, e.want, out)
		}
	}
	// Let Crossplane reconcile whatever it saw, then count again.
	time.Sleep(3 * time.Second)
	after := uids(ctx, t, tn.ns)
	for k, uid := range before {
		if after[k] != uid {
			t.Errorf("%s was deleted or replaced by an edit", k)
		}
	}
}

func uids(ctx context.Context, t *testing.T, ns string) map[string]types.UID {
	t.Helper()
	out := map[string]types.UID{}
	for _, d := range realTree(ctx, t, ns) {
		out[d.GetKind()+"/"+d.GetName()] = d.GetUID()
	}
	if len(out) == 0 {
		t.Fatalf("nothing composed in %s", ns)
	}
	return out
}

// TestUsage_RefusesDeletingAResourceInUse_X8: while a Usage names a resource
// and its user exists, the API server refuses to delete it.
func TestUsage_RefusesDeletingAResourceInUse_X8(t *testing.T) {
	ts := composedTenants(t)
	ctx := context.Background()
	usages, err := list(ctx, usageGVK, ts[0].ns)
	if err != nil {
		t.Fatal(err)
	}
	if len(usages) == 0 {
		t.Fatalf("no Usage in %s", ts[0].ns)
	}
	for _, u := range usages {
		if s, msg := controlplane.ConditionOf(u, "Ready"); s != "True" {
			t.Errorf("Usage %s not Ready: %s", u.GetName(), msg)
		}
		of := usedResource(t, u, "of")
		if of == nil {
			continue
		}
		r, err := cp.For(of)
		if err != nil {
			t.Fatal(err)
		}
		err = r.Delete(ctx, of.GetName(), metav1.DeleteOptions{DryRun: []string{metav1.DryRunAll}})
		if err == nil {
			t.Errorf("deleting %s %s, in use per Usage %s, was admitted", of.GetKind(), of.GetName(), u.GetName())
			continue
		}
		if !strings.Contains(err.Error(), "in-use by") {
			t.Errorf("deleting %s %s refused for another reason: %v", of.GetKind(), of.GetName(), err)
		}
	}
}

// usedResource returns the resource a Usage's side ("of" or "by") resolved to.
func usedResource(t *testing.T, u *unstructured.Unstructured, side string) *unstructured.Unstructured {
	t.Helper()
	apiVersion, _, _ := unstructured.NestedString(u.Object, "spec", side, "apiVersion")
	kind, _, _ := unstructured.NestedString(u.Object, "spec", side, "kind")
	name, _, _ := unstructured.NestedString(u.Object, "spec", side, "resourceRef", "name")
	if name == "" {
		t.Errorf("Usage %s: %s is not resolved", u.GetName(), side)
		return nil
	}
	o := &unstructured.Unstructured{}
	o.SetAPIVersion(apiVersion)
	o.SetKind(kind)
	o.SetNamespace(u.GetNamespace())
	o.SetName(name)
	return o
}

// TestDelete_RemovesOnlyItsTreeInOrder_X3_X4_X8: deleting a claim removes its
// whole tree, users before what they use (per the Usages), and leaves the
// other tenant with the same claim untouched.
func TestDelete_RemovesOnlyItsTreeInOrder_X3_X4_X8(t *testing.T) {
	ts := composedTenants(t)
	ctx := context.Background()
	victim, other := ts[0], ts[1]
	otherBefore := uids(ctx, t, other.ns)

	// The Usages, resolved, before anything goes.
	type pair struct{ of, by string }
	var pairs []pair
	usages, err := list(ctx, usageGVK, victim.ns)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range usages {
		of, by := usedResource(t, u, "of"), usedResource(t, u, "by")
		if of != nil && by != nil {
			pairs = append(pairs, pair{of.GetKind() + "/" + of.GetName(), by.GetKind() + "/" + by.GetName()})
		}
	}

	// Record in which round of listing each object of the tree is first
	// missing. (Watches are no good here: kube-apiserver's watch cache over
	// Debian's etcd 3.4 answers new watches with "too large resource version".)
	gone := map[string]int{}
	present := func(round int) int {
		n := 0
		seen := map[string]bool{}
		for _, d := range realTree(ctx, t, victim.ns) {
			seen[d.GetKind()+"/"+d.GetName()] = true
			n++
		}
		for _, p := range pairs {
			for _, k := range []string{p.of, p.by} {
				if !seen[k] && gone[k] == 0 {
					gone[k] = round
				}
			}
		}
		return n
	}
	present(0)

	start := time.Now()
	if out, err := cp.Kubectl(ctx, nil, "delete", "-n", victim.ns, strings.ToLower(victim.claim().GetKind()), victim.claim().GetName(), "--wait=false"); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	round := 0
	err = controlplane.Poll(ctx, 200*time.Millisecond, func() (bool, error) {
		if time.Since(start) > 4*time.Minute {
			return false, fmt.Errorf("still there after 4 minutes: %v", summary(realTree(ctx, t, victim.ns)))
		}
		round++
		return present(round) == 0, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s deleted with its whole tree in %s (%d rounds of listing)", victim, time.Since(start).Round(100*time.Millisecond), round)

	strict := 0
	for _, p := range pairs {
		switch {
		case gone[p.by] == 0 || gone[p.of] == 0:
			t.Errorf("%s or %s was gone before the claim was deleted", p.by, p.of)
		case gone[p.of] < gone[p.by]:
			t.Errorf("%s went (round %d) before its user %s (round %d)", p.of, gone[p.of], p.by, gone[p.by])
		case gone[p.of] > gone[p.by]:
			strict++
		}
	}
	t.Logf("%d Usage pairs: %d users seen gone strictly before what they use, the rest in the same round", len(pairs), strict)
	after := uids(ctx, t, other.ns)
	if len(after) != len(otherBefore) {
		t.Errorf("%s had %d objects, now %d", other, len(otherBefore), len(after))
	}
	for k, uid := range otherBefore {
		if after[k] != uid {
			t.Errorf("%s of %s was deleted or replaced", k, other)
		}
	}
}

func summary(docs []*unstructured.Unstructured) []string {
	out := make([]string, 0, len(docs))
	for _, d := range docs {
		out = append(out, d.GetKind()+"/"+d.GetName())
	}
	sort.Strings(out)
	return out
}

// prepareNamespace makes ns and the ProviderConfig the claim names.
func prepareNamespace(ctx context.Context, ns string, claim *unstructured.Unstructured) error {
	pc, _, _ := unstructured.NestedString(claim.Object, "spec", "parameters", "providerConfigName")
	if pc == "" {
		pc = "default"
	}
	return cp.Apply(ctx, namespace(ns),
		&unstructured.Unstructured{Object: map[string]any{
			"apiVersion": "aws.m.upbound.io/v1beta1", "kind": "ProviderConfig",
			"metadata": map[string]any{"name": pc, "namespace": ns},
			"spec":     map[string]any{"credentials": map[string]any{"source": "None"}},
		}})
}

func namespace(name string) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": name}}}
}

// applyClaim applies a claim with kubectl, as a tenant would.
func applyClaim(ctx context.Context, t *testing.T, claim *unstructured.Unstructured) {
	t.Helper()
	b, err := claim.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if out, err := cp.Kubectl(ctx, b, "apply", "-f", "-"); err != nil {
		t.Fatalf("kubectl apply %s/%s: %v: %s", claim.GetNamespace(), claim.GetName(), err, out)
	}
}

// functionCallsIn counts the RunFunction calls that composed an XR in ns.
func functionCallsIn(t *testing.T, ns string) int {
	t.Helper()
	b, err := os.ReadFile(cp.FunctionLog)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range bytes.Split(b, []byte("\n")) {
		if bytes.Contains(l, []byte("\tComposed\t")) && bytes.Contains(l, []byte(`"namespace": "`+ns+`"`)) {
			n++
		}
	}
	return n
}

// functionCalls counts the RunFunction calls that composed (the function logs
// each at debug level).
func functionCalls(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile(cp.FunctionLog)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(b, []byte("\tComposed\t"))
}

// TestInvalidClaims_RefusedNamingTheField_API05_API07 applies every claim of
// the project's invalid set with kubectl. Each must be refused by the API
// server naming the field and the rule (the file's "# want:" line), or stored
// and refused by the function with a fatal result naming them, with nothing
// composed.
func TestInvalidClaims_RefusedNamingTheField_API05_API07(t *testing.T) {
	ctx := context.Background()
	claims, err := rendertree.InvalidClaims(root)
	if err != nil {
		t.Fatal(err)
	}
	refused, fatal := 0, 0
	for _, c := range claims {
		f, want := c.File, c.Want
		t.Run(filepath.Base(f), func(t *testing.T) {
			objs, err := controlplane.ReadObjects(f)
			if err != nil || len(objs) != 1 {
				t.Fatalf("%v", err)
			}
			claim := objs[0]
			if err := cp.Apply(ctx, namespace(claim.GetNamespace())); err != nil {
				t.Fatal(err)
			}
			out, err := cp.Kubectl(ctx, nil, "apply", "-f", f)
			if err != nil {
				refused++
				if !strings.Contains(out, want) {
					t.Errorf("the API server refused it, but not naming %q:\n%s", want, out)
				}
				return
			}
			// Stored: the function must refuse it, and compose nothing.
			defer func() {
				_, _ = cp.Kubectl(ctx, nil, "delete", "-f", f, "--wait=true", "--timeout=60s")
			}()
			var msg string
			err = controlplane.Poll(ctx, 250*time.Millisecond, func() (bool, error) {
				got, err := cp.Get(ctx, claim)
				if err != nil || got == nil {
					return false, err
				}
				var s string
				s, msg = controlplane.ConditionOf(got, "Synced")
				return s == "False" && strings.Contains(msg, "fatal"), nil
			}, 30*time.Second)
			if err != nil {
				t.Fatalf("stored, and no fatal result from the function in 30s (Synced: %q)", msg)
			}
			fatal++
			if !strings.Contains(msg, want) {
				t.Errorf("the function refused it, but not naming %q: %s", want, msg)
			}
			if tree := summary(realTree(ctx, t, claim.GetNamespace())); len(tree) != 1 {
				t.Errorf("an invalid claim composed %v", tree)
			}
		})
	}
	t.Logf("%d invalid claims: %d refused by the API server, %d by the function", len(claims), refused, fatal)
}
