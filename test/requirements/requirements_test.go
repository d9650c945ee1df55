// Package requirements holds the tests about the project's own promises:
// that every SPEC requirement is proved by a test that exists
// (docs/requirements.md), and that the README's commands are the ones CI runs.
package requirements

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const root = "../.."

// The SPEC lives beside the repository (../shared), as in CI.
var specPath = filepath.Join(root, "..", "shared", "SPEC.md")

var (
	specID  = regexp.MustCompile(`(?m)^- ([A-Z]+-[0-9]+(?:\.[0-9]+)?) `)
	row     = regexp.MustCompile(`(?m)^\| ([A-Z]+-[0-9]+(?:\.[0-9]+)?) \|[^|]*\|(.*)\|\s*$`)
	named   = regexp.MustCompile("`(Test[A-Za-z0-9_]+)(?:/[^`]*)?`")
	testFun = regexp.MustCompile(`(?m)^func (Test[A-Za-z0-9_]+)\(t \*testing\.T\)`)
)

// TestRequirements_EverySpecIDProvedByExistingTests_D2: docs/requirements.md
// maps every ID of the SPEC to at least one test, every test it names exists
// (a renamed or deleted test is caught), and it lists no ID the SPEC lacks.
func TestRequirements_EverySpecIDProvedByExistingTests_D2(t *testing.T) {
	spec, err := os.ReadFile(specPath) //nolint:gosec // The SPEC beside the repository.
	if err != nil {
		t.Fatalf("the SPEC is read from %s (../shared beside the repository, as CI has it): %v", specPath, err)
	}
	doc, err := os.ReadFile(filepath.Join(root, "docs", "requirements.md"))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, m := range specID.FindAllStringSubmatch(string(spec), -1) {
		ids[m[1]] = true
	}
	if len(ids) < 50 {
		t.Fatalf("only %d IDs read from the SPEC: has its format changed?", len(ids))
	}
	exists := existingTests(t)
	proved := map[string][]string{}
	for _, m := range row.FindAllStringSubmatch(string(doc), -1) {
		id := m[1]
		if !ids[id] {
			t.Errorf("docs/requirements.md lists %s, which the SPEC does not have", id)
		}
		for _, n := range named.FindAllStringSubmatch(m[2], -1) {
			if !exists[n[1]] {
				t.Errorf("%s: docs/requirements.md names %s, and no test has that name", id, n[1])
				continue
			}
			proved[id] = append(proved[id], n[1])
		}
	}
	for _, id := range slices.Sorted(func(yield func(string) bool) {
		for id := range ids {
			if !yield(id) {
				return
			}
		}
	}) {
		if len(proved[id]) == 0 {
			t.Errorf("%s: no test proves it in docs/requirements.md", id)
		}
	}
}

// existingTests returns the names of every test function in the repository,
// the integration tests (behind their build tag) among them.
func existingTests(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "_output" || d.Name() == "bin" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path) //nolint:gosec // Files of the repository.
		if err != nil {
			return err
		}
		for _, m := range testFun.FindAllStringSubmatch(string(b), -1) {
			out[m[1]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 100 {
		t.Fatalf("only %d tests found under %s", len(out), root)
	}
	return out
}

// TestRequirements_ANamedTestMustExist: the check above can fail: a made-up
// name is not among the tests found.
func TestRequirements_ANamedTestMustExist(t *testing.T) {
	exists := existingTests(t)
	if !exists["TestRequirements_EverySpecIDProvedByExistingTests_D2"] {
		t.Error("this package's own test was not found")
	}
	if exists["TestNoSuchTest_X0"] {
		t.Error("a test that does not exist was found")
	}
	m := row.FindStringSubmatch("| NET-1 | VPC | `TestNetwork_VPC_NET1`, `TestRender_Stages_D3/AllReady` |")
	if len(m) < 3 || m[1] != "NET-1" {
		t.Fatalf("a table row was not read: %v", m)
	}
	var got []string
	for _, n := range named.FindAllStringSubmatch(m[2], -1) {
		got = append(got, n[1])
	}
	if !slices.Equal(got, []string{"TestNetwork_VPC_NET1", "TestRender_Stages_D3"}) {
		t.Errorf("tests read from a row: %v", got)
	}
}

// TestREADME_CommandsAreWhatCIRuns_D5: the README says what the project is,
// how to render the example claim and run the tests, how to deploy, the claim
// reference and the architecture; and every make command its command list
// (the first block under "The commands") shows is one .ci/run runs, so the README's commands are the ones CI proves.
func TestREADME_CommandsAreWhatCIRuns_D5(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	ci, err := os.ReadFile(filepath.Join(root, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"## The commands", "## The claim", "## Deploying to a real control plane", "## How it fits together", "make render", "make test", "make outputs", "make integration"} {
		if !strings.Contains(string(readme), h) {
			t.Errorf("the README has no %q", h)
		}
	}
	block := firstBlock(section(string(readme), "## The commands"))
	cmds := regexp.MustCompile(`(?m)^make ([a-z]+)\b`).FindAllStringSubmatch(block, -1)
	if len(cmds) < 2 {
		t.Fatalf("the README's command list shows %d make commands", len(cmds))
	}
	for _, c := range cmds {
		if c[1] == "render" {
			// Rendering is what the tests do to every example; CI runs it
			// through make test.
			continue
		}
		if !regexp.MustCompile(`(?m)^make ` + c[1] + `\b`).Match(ci) {
			t.Errorf("the README lists `make %s` among its commands; .ci/run does not run it", c[1])
		}
	}
}

// firstBlock returns the first fenced code block of s.
func firstBlock(s string) string {
	parts := strings.SplitN(s, "```", 3)
	if len(parts) < 3 {
		return ""
	}
	return parts[1]
}

// section returns the text of the README from heading to the next "## ".
func section(s, heading string) string {
	i := strings.Index(s, heading)
	if i < 0 {
		return ""
	}
	s = s[i+len(heading):]
	if j := strings.Index(s, "\n## "); j >= 0 {
		s = s[:j]
	}
	return s
}

// TestLayers_EachHasUnitTests_D2: every layer package, and every other
// package of the function, has unit tests of its own.
func TestLayers_EachHasUnitTests_D2(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(root, "functions", "platform", "*"))
	if err != nil {
		t.Fatal(err)
	}
	layers, _ := filepath.Glob(filepath.Join(root, "functions", "platform", "layers", "*"))
	n := 0
	for _, d := range append(dirs, layers...) {
		if st, err := os.Stat(d); err != nil || !st.IsDir() || filepath.Base(d) == "layers" {
			continue
		}
		srcs, _ := filepath.Glob(filepath.Join(d, "*.go"))
		tests, _ := filepath.Glob(filepath.Join(d, "*_test.go"))
		if len(srcs) == 0 {
			continue
		}
		n++
		if len(tests) == 0 {
			t.Errorf("%s has no unit tests", d)
		}
	}
	if n < 10 {
		t.Fatalf("only %d packages found under functions/platform", n)
	}
}
