// Package pkg_test builds the configuration and function packages offline and
// checks the configuration depends on what the function composes.
package pkg_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/crossplane/function-sdk-go/resource/composed"
	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/fintech-platform/payment-platform/functions/platform/fn"
)

const root = "../.."

func crank(t *testing.T) string {
	t.Helper()
	c := os.Getenv("CRANK")
	if _, err := os.Stat(c); c == "" || err != nil { //nolint:gosec // The CLI path the Makefile passes.
		if os.Getenv("CI") != "" {
			t.Fatal("CRANK must point at the Crossplane CLI: run `make test`")
		}
		t.Skip("CRANK must point at the Crossplane CLI: run `make test`")
	}
	return c
}

func copyInto(t *testing.T, dir string, globs ...string) {
	t.Helper()
	for _, g := range globs {
		files, _ := filepath.Glob(filepath.Join(root, g))
		if len(files) == 0 {
			t.Fatalf("nothing matches %s", g)
		}
		for _, f := range files {
			b, err := os.ReadFile(f) //nolint:gosec // Repository files.
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(filepath.Dir(f)) + "-" + filepath.Base(f)
			if filepath.Base(f) == "crossplane.yaml" {
				name = "crossplane.yaml"
			}
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil { //nolint:gosec // Into the test's temp dir.
				t.Fatal(err)
			}
		}
	}
}

func build(t *testing.T, dir, examples string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "package.xpkg")
	cmd := exec.Command(crank(t), "xpkg", "build", "--package-root", dir, "--examples-root", examples, "--package-file", out) //nolint:gosec // Our CLI, our files.
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("crossplane xpkg build: %v\n%s", err, b)
	}
	if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
		t.Fatalf("no package written: %v", err)
	}
}

func TestPackage_ConfigurationBuilds_D1(t *testing.T) {
	dir := t.TempDir()
	copyInto(t, dir, "package/configuration/*.yaml", "apis/*/*.yaml")
	build(t, dir, filepath.Join(root, "examples"))
}

func TestPackage_FunctionMetadataBuilds_D1(t *testing.T) {
	dir := t.TempDir()
	copyInto(t, dir, "package/function/crossplane.yaml")
	build(t, dir, t.TempDir())
}

// TestPackage_DependsOnWhatTheFunctionComposes_D1: every provider API group the
// function composes has its provider family member in dependsOn, on the v2.5
// line the typed APIs come from, and the function dependency is the package
// examples/functions.yaml names.
func TestPackage_DependsOnWhatTheFunctionComposes_D1(t *testing.T) {
	var meta struct {
		Spec struct {
			DependsOn []struct {
				Provider string `json:"provider"`
				Function string `json:"function"`
				Version  string `json:"version"`
			} `json:"dependsOn"`
		} `json:"spec"`
	}
	read(t, "package/configuration/crossplane.yaml", &meta)
	deps := map[string]string{}
	for _, d := range meta.Spec.DependsOn {
		deps[d.Provider+d.Function] = d.Version
	}

	groups := map[string]bool{}
	for gvk := range composed.Scheme.AllKnownTypes() {
		if svc, ok := strings.CutSuffix(gvk.Group, ".aws.m.upbound.io"); ok {
			groups[svc] = true
		}
	}
	if len(groups) == 0 {
		t.Fatal("the function registers no provider API group")
	}
	var missing []string
	for svc := range groups {
		if v := deps["xpkg.upbound.io/upbound/provider-aws-"+svc]; v != ">=v2.5.0 <v2.6.0" {
			missing = append(missing, svc+" ("+v+")")
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("dependsOn lacks, or is off the v2.5 line for, provider-aws-%v", missing)
	}

	var fn struct {
		Spec struct {
			Package string `json:"package"`
		} `json:"spec"`
	}
	read(t, "examples/functions.yaml", &fn)
	pkg, tag, _ := strings.Cut(fn.Spec.Package, ":")
	if deps[pkg] != tag {
		t.Errorf("dependsOn function %s = %q, examples/functions.yaml uses %q", pkg, deps[pkg], tag)
	}
}

func read(t *testing.T, file string, into any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, file)) //nolint:gosec // Repository files.
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, into); err != nil {
		t.Fatal(err)
	}
}

// TestPackage_ActivationPolicyMatchesFunction_D8: the configuration's
// ManagedResourceActivationPolicy activates exactly the managed resource kinds
// the function composes, named as the provider's CRDs name them, with no
// wildcard (a wildcard would activate CRDs nobody uses).
func TestPackage_ActivationPolicyMatchesFunction_D8(t *testing.T) {
	var mrap struct {
		Kind string `json:"kind"`
		Spec struct {
			Activate []string `json:"activate"`
		} `json:"spec"`
	}
	read(t, "package/configuration/mrap.yaml", &mrap)
	if mrap.Kind != "ManagedResourceActivationPolicy" {
		t.Fatalf("package/configuration/mrap.yaml is a %s", mrap.Kind)
	}
	plural := crdPlurals(t)
	var want []string
	for _, gvk := range fn.ManagedKinds() {
		p, ok := plural[gvk.GroupKind().String()]
		if !ok {
			t.Fatalf("no provider CRD defines %s", gvk)
		}
		want = append(want, p+"."+gvk.Group)
	}
	got := slices.Sorted(slices.Values(mrap.Spec.Activate))
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mrap.yaml activations differ from the kinds the function composes (-function +mrap):\n%s", diff)
	}
}

// crdPlurals maps Kind.group to the plural of every provider CRD that
// `make test` gathers into SCHEMAS.
func crdPlurals(t *testing.T) map[string]string {
	t.Helper()
	dir := os.Getenv("SCHEMAS")
	files, _ := filepath.Glob(filepath.Join(dir, "crds", "*.yaml"))
	if dir == "" || len(files) == 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("SCHEMAS must point at the gathered schemas: run `make test`")
		}
		t.Skip("SCHEMAS must point at the gathered schemas: run `make test`")
	}
	out := map[string]string{}
	for _, f := range files {
		var crd struct {
			Spec struct {
				Group string `json:"group"`
				Names struct {
					Kind   string `json:"kind"`
					Plural string `json:"plural"`
				} `json:"names"`
			} `json:"spec"`
		}
		b, err := os.ReadFile(f) //nolint:gosec // Gathered schemas.
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(b, &crd); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[crd.Spec.Names.Kind+"."+crd.Spec.Group] = crd.Spec.Names.Plural
	}
	return out
}
