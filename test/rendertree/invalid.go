package rendertree

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// MinInvalidClaims is how many claims the invalid set must hold: make e2e
// applies each through a real API server (issue: at least 48).
const MinInvalidClaims = 48

// An InvalidClaim is one claim of the project's invalid set
// (test/rendertree/testdata/invalid) and what its refusal must say.
type InvalidClaim struct {
	// File is the claim's path.
	File string
	// Want is a substring the refusal must contain: the file's first line,
	// "# want: <field and rule>".
	Want string
	// Body is the whole file.
	Body []byte
}

// InvalidClaims reads the invalid set below the repository root, sorted by
// file name, and refuses a set smaller than MinInvalidClaims or a file
// without its "# want:" line.
func InvalidClaims(root string) ([]InvalidClaim, error) {
	files, err := filepath.Glob(filepath.Join(root, "test", "rendertree", "testdata", "invalid", "*.yaml"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	if len(files) < MinInvalidClaims {
		return nil, fmt.Errorf("want at least %d invalid claims, found %d", MinInvalidClaims, len(files))
	}
	out := make([]InvalidClaim, 0, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f) //nolint:gosec // Test data below the repository root.
		if err != nil {
			return nil, err
		}
		first, _, _ := strings.Cut(string(b), "\n")
		want, ok := strings.CutPrefix(first, "# want: ")
		if !ok {
			return nil, fmt.Errorf("%s has no # want: line", f)
		}
		out = append(out, InvalidClaim{File: f, Want: want, Body: b})
	}
	return out, nil
}
