package rendertree

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

var update = flag.Bool("update", false, "rewrite the fixtures in testdata/golden and testdata/stages")

// The tests need the Crossplane CLI and the schemas that `make tools` gathers;
// `make test` passes them as CRANK and SCHEMAS.
var (
	crank   = os.Getenv("CRANK")
	schemas = os.Getenv("SCHEMAS")
	target  string
	root    = "../.."
)

func TestMain(m *testing.M) {
	flag.Parse()
	addr, stop, err := Serve()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	target = addr
	code := m.Run()
	stop()
	os.Exit(code)
}

// requireTools skips a test that cannot run without the CLI, except in CI,
// where a missing tool is a broken build, not a reason to pass.
func requireTools(t *testing.T) {
	t.Helper()
	for _, p := range []string{crank, schemas} {
		if _, err := os.Stat(p); p == "" || err != nil {
			msg := "CRANK and SCHEMAS must point at the Crossplane CLI and the schemas: run `make test`"
			if os.Getenv("CI") != "" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
}

func renderer(t *testing.T) *Renderer {
	t.Helper()
	requireTools(t)
	return &Renderer{Crank: crank, Root: root, Target: target, Work: t.TempDir()}
}

// rendered memoizes converge: rendering an example to its fixed point takes
// seconds, and several tests read the same passes (none modifies them).
var (
	renderedMu sync.Mutex
	rendered   = map[string][][]*unstructured.Unstructured{}
)

// converge renders file pass by pass until nothing changes and returns the passes.
func converge(t *testing.T, file string) [][]*unstructured.Unstructured {
	t.Helper()
	renderedMu.Lock()
	defer renderedMu.Unlock()
	if p, ok := rendered[file]; ok {
		return p
	}
	p := convergeFresh(t, file)
	rendered[file] = p
	return p
}

func convergeFresh(t *testing.T, file string) [][]*unstructured.Unstructured {
	t.Helper()
	passes, ok, err := renderer(t).Passes(file, 20)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Fatalf("%s: no fixed point in 20 passes", file)
	}
	return passes
}

// identity names a composed resource by the XR that composed it and its name
// in that XR's pipeline: what Crossplane uses to tell resources apart.
func identity(d *unstructured.Unstructured) string {
	return owner(d) + "/" + resourceName(d)
}

// owner is the name of the XR that composed d.
func owner(d *unstructured.Unstructured) string {
	for _, o := range d.GetOwnerReferences() {
		if o.Controller != nil && *o.Controller {
			return o.Name
		}
	}
	return ""
}

func byKind(docs []*unstructured.Unstructured, kind string) []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	for _, d := range docs {
		if d.GetKind() == kind {
			out = append(out, d)
		}
	}
	return out
}

func str(t *testing.T, d *unstructured.Unstructured, path ...string) string {
	t.Helper()
	s, _, _ := unstructured.NestedString(d.Object, path...)
	return s
}

func condition(d *unstructured.Unstructured, typ string) (status, message string) {
	cs, _, _ := unstructured.NestedSlice(d.Object, "status", "conditions")
	for _, c := range cs {
		m, _ := c.(map[string]any)
		if m["type"] == typ {
			s, _ := m["status"].(string)
			msg, _ := m["message"].(string)
			return s, msg
		}
	}
	return "", ""
}

// golden compares got with the fixture file, or writes it there with -update.
func golden(t *testing.T, file string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file) //nolint:gosec // Test data.
	if err != nil {
		t.Fatalf("%v (run go test ./test/rendertree -update after checking the output)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the render; if the change is intended, review it and run `go test ./test/rendertree -update`", file)
	}
}

// exampleFiles returns every example claim, examples/<kind>/<name>.yaml
// (functions.yaml is render's list of functions, not a claim), sorted.
func exampleFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(root, "examples", "*", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out := files[:0]
	for _, f := range files {
		if filepath.Base(f) != "functions.yaml" {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	if len(out) < 3 {
		t.Fatalf("want at least 3 examples, found %d", len(out))
	}
	return out
}

// fixture is the name an example's fixtures go by: <kind>-<name>, from
// examples/<kind>/<name>.yaml.
func fixture(example string) string {
	return filepath.Base(filepath.Dir(example)) + "-" + strings.TrimSuffix(filepath.Base(example), ".yaml")
}

// Where the fixtures live: the settled pass of each example in full, and a
// summary of the passes before it.
var (
	goldenDir = filepath.Join("testdata", "golden")
	stagesDir = filepath.Join("testdata", "stages")
)

// TestRender_Stages_D3 steps every example through a simulated control plane:
// nothing observed, then what the first pass desired observed ready, and so
// on until nothing changes. The settled pass is kept in full
// (testdata/golden/<kind>-<name>.yaml), the passes before it as a summary of
// what appears when and what waits for what (testdata/stages/<kind>-<name>.txt);
// a fixture of an example that no longer exists fails. The subtests then prove
// on the minimal claim gating, readiness, status outputs, and that nothing
// once desired is ever dropped.
func TestRender_Stages_D3(t *testing.T) {
	want := map[string]bool{}
	for _, ex := range exampleFiles(t) {
		name := fixture(ex)
		settledFile, stagesFile := filepath.Join(goldenDir, name+".yaml"), filepath.Join(stagesDir, name+".txt")
		want[settledFile], want[stagesFile] = true, true
		t.Run(name, func(t *testing.T) {
			passes := converge(t, ex)
			y, err := Marshal(passes[len(passes)-1])
			if err != nil {
				t.Fatal(err)
			}
			golden(t, settledFile, y)
			s, err := stages(ex, passes)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, stagesFile, s)
		})
	}
	staleFixtures(t, want, filepath.Join(goldenDir, "*.yaml"), filepath.Join(stagesDir, "*.txt"))

	passes := converge(t, filepath.Join(root, "examples", "paymentplatform", "minimal.yaml"))
	if len(passes) < 3 {
		t.Fatalf("want at least 3 stages (nothing, some, all ready), got %d", len(passes))
	}
	first, last := passes[0], passes[len(passes)-1]
	// The stage where the keys appear: the VPC has reported its owner.
	keysAt := 0
	for i, p := range passes {
		if len(byKind(p, "KeySet")) > 0 {
			keysAt = i
			break
		}
	}
	second := passes[keysAt]

	t.Run("NothingObserved", func(t *testing.T) {
		if n := len(byKind(first, "Network")); n != 1 {
			t.Errorf("want the Network layer composed at once, got %d", n)
		}
		// No account id yet: the keys wait for the VPC's owner.
		if n := len(byKind(first, "KeySet")); n != 0 {
			t.Errorf("KeySet composed before the account id is known")
		}
		for _, k := range []string{"NatInstances", "VpcEndpoints", "Instance"} {
			if n := len(byKind(first, k)); n != 0 {
				t.Errorf("%s composed before the VPC is ready", k)
			}
		}
		pp := first[0]
		if s, _ := condition(pp, "Ready"); s != "False" {
			t.Errorf("claim Ready = %q, want False", s)
		}
		if s, msg := condition(pp, "Composed"); s != "False" || !strings.Contains(msg, "account id") {
			t.Errorf("claim Composed = %q %q, want False naming the account id it waits for", s, msg)
		}
		if got := str(t, pp, "status", "layers", "network"); got != "Pending" {
			t.Errorf("status.layers.network = %q, want Pending", got)
		}
		if got := str(t, pp, "status", "layers", "keys"); got != "Pending" {
			t.Errorf("status.layers.keys = %q, want Pending", got)
		}
	})

	t.Run("SomeReady", func(t *testing.T) {
		ks := byKind(second, "KeySet")
		if keysAt == 0 || len(ks) != 1 {
			t.Fatalf("want the KeySet once the VPC reports its owner, got %d at pass %d", len(ks), keysAt)
		}
		if s := str(t, passes[keysAt-1][0], "status", "layers", "network"); s == "Pending" {
			t.Errorf("keys composed before the network existed")
		}
		if got := str(t, ks[0], "spec", "parameters", "accountId"); got != Account {
			t.Errorf("KeySet accountId = %q, want the VPC owner %q", got, Account)
		}
		// NAT instances wait for their launch template, which comes with the
		// NatInstances XR: the pass that first composes the XR has no instance.
		for i, p := range passes {
			if len(byKind(p, "NatInstances")) > 0 {
				if n := len(byKind(p, "Instance")); n != 0 {
					t.Errorf("pass %d: %d NAT instances composed with their launch template, before it is ready", i, n)
				}
				if len(byKind(p, "LaunchTemplate")) != 1 {
					t.Errorf("pass %d: want the launch template with the NatInstances XR", i)
				}
				break
			}
		}
	})

	// The minimal claim has no API, so no certificate: its listener and
	// service wait, and the claim says so (ADR 0015). The full example
	// becomes Ready.
	t.Run("NoAPINeverReady", func(t *testing.T) {
		pp := last[0]
		if s, _ := condition(pp, "Ready"); s != "False" {
			t.Errorf("minimal claim Ready = %q, want False: it has no API and no certificate", s)
		}
		if got := str(t, pp, "status", "layers", "api"); got != "Pending" {
			t.Errorf("status.layers.api = %q, want Pending", got)
		}
		warnings, _, _ := unstructured.NestedStringSlice(pp.Object, "status", "warnings")
		if len(warnings) != 1 || !strings.Contains(warnings[0], "spec.parameters.api is not set") {
			t.Errorf("status.warnings = %q, want the missing API named", warnings)
		}
	})

	full := converge(t, filepath.Join(root, "examples", "paymentplatform", "full.yaml"))
	t.Run("AllReady", func(t *testing.T) {
		last := full[len(full)-1]
		pp := last[0]
		if s, _ := condition(pp, "Ready"); s != "True" {
			t.Errorf("claim Ready = %q, want True", s)
		}
		// The claim nests each layer's status under the layer's name.
		if !strings.HasPrefix(str(t, pp, "status", "network", "vpcId"), "vpc-") {
			t.Errorf("status.network.vpcId = %q", str(t, pp, "status", "network", "vpcId"))
		}
		for _, tier := range []string{"public", "private", "database"} {
			ids, _, _ := unstructured.NestedStringSlice(pp.Object, "status", "network", "subnetIds", tier)
			if len(ids) != 3 {
				t.Errorf("status.network.subnetIds.%s = %v, want 3 ids", tier, ids)
			}
		}
		arns, _, _ := unstructured.NestedStringMap(pp.Object, "status", "keys", "keyArns")
		if len(arns) != 6 {
			t.Errorf("status.keys.keyArns = %v, want 6", arns)
		}
		layers, _, _ := unstructured.NestedStringMap(pp.Object, "status", "layers")
		for l, s := range layers {
			if s != "Ready" {
				t.Errorf("status.layers.%s = %s, want Ready", l, s)
			}
		}
		if n := len(byKind(last, "Instance")); n != 3 {
			t.Errorf("want 3 NAT instances, got %d", n)
		}
		// Every output the claim's XRD declares is set once all is ready
		// (make e2e checks the same on a real control plane).
		b, err := os.ReadFile(filepath.Join(root, "apis", "paymentplatform", "definition.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		xrds, err := Parse(b)
		if err != nil || len(xrds) != 1 {
			t.Fatalf("the claim's XRD: %v", err)
		}
		vs, _, _ := unstructured.NestedSlice(xrds[0].Object, "spec", "versions")
		declared, _, _ := unstructured.NestedMap(vs[0].(map[string]any), "schema", "openAPIV3Schema", "properties", "status")
		st, _, _ := unstructured.NestedMap(pp.Object, "status")
		for _, missing := range Unset(declared, st, "status") {
			if !strings.HasSuffix(missing, ".warnings") {
				t.Errorf("%s is declared but not set", missing)
			}
		}
	})

	t.Run("DatabaseGates", func(t *testing.T) {
		first := func(kind string, n int) int {
			for i, p := range passes {
				if len(byKind(p, kind)) >= n {
					return i
				}
			}
			return -1
		}
		logGroups, cluster, writer, readers, rotation := first("Group", 2), first("Cluster", 1), first("ClusterInstance", 1), first("ClusterInstance", 3), first("SecretRotation", 1)
		if logGroups < 0 || cluster <= logGroups || writer <= cluster || readers <= writer || rotation <= cluster {
			t.Errorf("first passes: log groups %d, cluster %d, writer %d, readers %d, rotation %d: want each after the one it waits for", logGroups, cluster, writer, readers, rotation)
		}
		for _, i := range byKind(last, "ClusterInstance") {
			if tier, _, _ := unstructured.NestedFloat64(i.Object, "spec", "forProvider", "promotionTier"); tier == 0 && !strings.HasSuffix(str(t, i, "spec", "forProvider", "availabilityZone"), "a") {
				t.Errorf("the writer is not the first zone's instance")
			}
		}
	})

	t.Run("NeverDropped", func(t *testing.T) {
		for i := 0; i+1 < len(passes); i++ {
			next := map[string]bool{}
			for _, d := range passes[i+1] {
				next[identity(d)] = true
			}
			for _, d := range passes[i] {
				if resourceName(d) != "" && !next[identity(d)] {
					t.Errorf("pass %d desired %s %s, pass %d dropped it", i, d.GetKind(), identity(d), i+1)
				}
			}
		}
	})
}

// TestRender_BudgetPerXR keeps every XR within 40 composed resources, so each
// RunFunction request stays small and each reconcile fast.
func TestRender_BudgetPerXR(t *testing.T) {
	passes := converge(t, filepath.Join(root, "examples", "paymentplatform", "full.yaml"))
	count := map[string]int{}
	for _, d := range passes[len(passes)-1] {
		if c := owner(d); c != "" {
			count[c]++
		}
	}
	if len(count) < 13 {
		t.Errorf("want composed resources under at least 13 XRs, got %v", count)
	}
	for xr, n := range count {
		if n > 40 {
			t.Errorf("XR %s composes %d resources; the budget is 40", xr, n)
		}
	}
}

// validate runs crossplane beta validate once on every pass, each written to
// its own file, against our XRDs and the provider's CRDs, and returns its output.
func validate(t *testing.T, passes [][]*unstructured.Unstructured) (string, error) {
	t.Helper()
	dir := t.TempDir()
	for i, p := range passes {
		if err := write(filepath.Join(dir, fmt.Sprintf("pass-%d.yaml", i)), p); err != nil {
			t.Fatal(err)
		}
	}
	return validateFile(dir)
}

func validateFile(f string) (string, error) {
	cmd := exec.Command(crank, "beta", "validate", //nolint:gosec // Our CLI, our files.
		filepath.Join(root, "apis")+","+filepath.Join(schemas, "crds"), f,
		"--cache-dir", filepath.Join(schemas, "cache"))
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestRender_ValidatesAgainstSchemas_D3 validates every rendered resource of
// every example at every stage against the provider's own CRDs, and every XR
// against our XRDs.
func TestRender_ValidatesAgainstSchemas_D3(t *testing.T) {
	for _, ex := range exampleFiles(t) {
		t.Run(filepath.Base(ex), func(t *testing.T) {
			passes := converge(t, ex)
			out, err := validate(t, passes)
			total := 0
			for _, p := range passes {
				total += len(p)
			}
			if err != nil || !strings.Contains(out, fmt.Sprintf("Total %d resources: 0 missing schemas, %d success cases, 0 failure cases", total, total)) {
				t.Errorf("the %d passes do not validate: %v\n%s", len(passes), err, out)
			}
		})
	}
}

// TestRender_Deterministic renders the full claim twice through every stage and
// wants the same bytes.
func TestRender_Deterministic(t *testing.T) {
	ex := filepath.Join(root, "examples", "paymentplatform", "full.yaml")
	a, b := converge(t, ex), convergeFresh(t, ex)
	if len(a) != len(b) {
		t.Fatalf("%d passes, then %d", len(a), len(b))
	}
	for i := range a {
		ya, _ := Marshal(a[i])
		yb, _ := Marshal(b[i])
		if !bytes.Equal(ya, yb) {
			t.Errorf("pass %d rendered different bytes the second time", i)
		}
	}
}

// TestRender_InvalidClaims_API05 feeds invalid claims to the XRD schema and, for
// rules only the function can check, to the function. Each must be rejected
// with a message naming the field and the rule (the file's "# want:" line).
func TestRender_InvalidClaims_API05(t *testing.T) {
	r := renderer(t)
	claims, err := InvalidClaims(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range claims {
		f, want := c.File, c.Want
		t.Run(filepath.Base(f), func(t *testing.T) {
			out, verr := validateFile(f)
			if verr != nil {
				if !strings.Contains(out, want) {
					t.Errorf("schema rejected it, but not with %q:\n%s", want, out)
				}
				return
			}
			// The schema admits it: the function must refuse it.
			_, _, rerr := r.Render(f, NewState())
			if rerr == nil {
				t.Fatalf("neither the schema nor the function rejected it")
			}
			if !strings.Contains(rerr.Error(), want) || !strings.Contains(rerr.Error(), "fatal result") {
				t.Errorf("function rejected it with %q, want a fatal result naming %q", rerr, want)
			}
		})
	}
}

// TestRender_PrintsTheFunctionsWarnings_API04: what the function warns about
// reaches the render's results, on the claim and on the layer that found it,
// and not the rendered tree.
func TestRender_PrintsTheFunctionsWarnings_API04(t *testing.T) {
	f := filepath.Join(t.TempDir(), "small.yaml")
	claim := "apiVersion: payments.platform.io/v1alpha1\nkind: PaymentPlatform\nmetadata: {name: small, namespace: tenant-x}\n" +
		"spec:\n  parameters:\n    environmentSuffix: small\n    accountId: \"123456789012\"\n    database: {instanceClass: db.t4g.medium}\n"
	if err := os.WriteFile(f, []byte(claim), 0o600); err != nil {
		t.Fatal(err)
	}
	r := renderer(t)
	if _, _, err := r.Passes(f, 8); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(r.Results(), "\n")
	for _, want := range []string{"small: WARNING: database: instanceClass db.t4g.medium", "small/database: WARNING: instanceClass db.t4g.medium"} {
		if !strings.Contains(got, want) {
			t.Errorf("results lack %q:\n%s", want, got)
		}
	}
}
