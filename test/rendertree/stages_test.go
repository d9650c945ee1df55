package rendertree

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// treePaths names every document of one pass by its tree path: the root XR by
// its name, everything else by its controller's path and its name in that
// controller's pipeline (payments/network/vpc), the paths the render itself
// walks. The render lists each XR before what it composes, so one walk finds
// every controller before its resources.
func treePaths(docs []*unstructured.Unstructured) (map[*unstructured.Unstructured]string, error) {
	xrs := map[string]string{} // controller kind/name → path
	out := make(map[*unstructured.Unstructured]string, len(docs))
	seen := map[string]bool{}
	for _, d := range docs {
		path := d.GetName()
		if c := controller(d); c != "" {
			parent, ok := xrs[c]
			if !ok {
				return nil, fmt.Errorf("%s %s is composed by %s, which the render did not list before it", d.GetKind(), resourceName(d), c)
			}
			path = parent + "/" + resourceName(d)
		}
		if seen[path] {
			return nil, fmt.Errorf("two resources at %s", path)
		}
		seen[path] = true
		out[d] = path
		if isOurs(d) {
			k := d.GetKind() + "/" + d.GetName()
			if _, dup := xrs[k]; dup {
				return nil, fmt.Errorf("two XRs named %s", k)
			}
			xrs[k] = path
		}
	}
	return out, nil
}

// kindOf is d's kind, prefixed by the first label of its API group unless it
// is one of ours: ec2/Instance and rds/Instance are different things.
func kindOf(d *unstructured.Unstructured) string {
	if isOurs(d) {
		return d.GetKind()
	}
	group, _, _ := strings.Cut(d.GetObjectKind().GroupVersionKind().Group, ".")
	return group + "/" + d.GetKind()
}

// The columns of a stage summary line, wide enough for every tree path and
// kind we have; a longer one only shifts its own line.
const (
	pathWidth = 70
	kindWidth = 39
)

// stages summarizes the passes before the settled one, one line per resource
// per pass, sorted by tree path, each line starting with its pass so that a
// diff names the pass of every changed line:
//
//	2 payments/database                   Database                 creating
//	2 payments/database                   waits                    cluster waits for its log group to be ready
//	2 payments/database/api-keys-secret   secretsmanager/Secret    creating
//
// A composed resource is "creating" the pass it first appears and "ready"
// once observed (the simulated AWS reports whatever exists ready). An XR is
// "ready" or "creating" by its Ready condition and, while its Composed
// condition is False, has a "waits" line per clause of its message.
func stages(example string, passes [][]*unstructured.Unstructured) ([]byte, error) {
	settled := len(passes) - 1
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s: the passes before the settled one, pass %d (in full in %s).\n",
		filepath.ToSlash(strings.TrimPrefix(example, root+string(filepath.Separator))), settled, filepath.ToSlash(filepath.Join(goldenDir, fixture(example)+".yaml")))
	b.WriteString("# Pass n observes what pass n-1 desired as created and ready. A line per resource per pass:\n")
	b.WriteString("# pass, tree path, kind, and \"creating\" (first desired) or \"ready\" (observed); an XR's\n")
	b.WriteString("# state is its Ready condition, and each thing its Composed condition waits for is a \"waits\" line.\n")
	prev := map[string]bool{}
	for i, docs := range passes[:settled] {
		paths, err := treePaths(docs)
		if err != nil {
			return nil, fmt.Errorf("pass %d: %w", i, err)
		}
		var lines []string
		line := func(path, kind, state string) {
			lines = append(lines, fmt.Sprintf("%d %-*s %-*s %s", i, pathWidth, path, kindWidth, kind, state))
		}
		now := map[string]bool{}
		for _, d := range docs {
			path := paths[d]
			now[path] = true
			if !isOurs(d) {
				state := "creating"
				if prev[path] {
					state = "ready"
				}
				line(path, kindOf(d), state)
				continue
			}
			state := "creating"
			if s, _ := condition(d, "Ready"); s == "True" {
				state = "ready"
			}
			line(path, kindOf(d), state)
			if s, msg := condition(d, "Composed"); s == "False" {
				for _, c := range strings.Split(msg, "; ") {
					line(path, "waits", strings.Join(strings.Fields(c), " "))
				}
			}
		}
		sort.SliceStable(lines, func(a, c int) bool { return lineKey(lines[a]) < lineKey(lines[c]) })
		b.WriteString("\n")
		for _, l := range lines {
			b.WriteString(strings.TrimRight(l, " ") + "\n")
		}
		prev = now
	}
	return b.Bytes(), nil
}

// lineKey sorts summary lines by tree path, then an XR's own line before its
// waits, keeping the waits in the order of the message.
func lineKey(l string) string {
	f := strings.Fields(l)
	if f[2] == "waits" {
		return f[1] + "\x01"
	}
	return f[1] + "\x00"
}

// staleFixtures fails for every file matching one of the patterns that no
// example produces any more (a removed example, the old one-file-per-pass
// layout); -update removes it, unless a render failed.
func staleFixtures(t *testing.T, want map[string]bool, patterns ...string) {
	t.Helper()
	remove := *update && !t.Failed()
	for _, p := range patterns {
		files, err := filepath.Glob(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if want[f] {
				continue
			}
			if remove {
				if err := os.Remove(f); err != nil {
					t.Error(err)
				}
				continue
			}
			t.Errorf("%s is a fixture of no example or stage the render reaches: remove it (go test ./test/rendertree -update)", f)
		}
	}
}
