package scan

import (
	"errors"
	"fmt"
	"os"
	"path"
	"strings"

	"sigs.k8s.io/yaml"
)

// Acceptance is one reviewed finding that does not apply, with the reason.
type Acceptance struct {
	// ID is the check, AVD-AWS-0104 (the AVD- prefix may be left out).
	ID string `json:"id"`
	// Resource is the Terraform address, or a path.Match pattern of addresses
	// (aws_subnet.*_subnet-public-*).
	Resource string `json:"resource"`
	// Examples, if given, limits the acceptance to these example files
	// (path.Match patterns of slash paths from the repository root).
	Examples []string `json:"examples,omitempty"`
	// Reason says why the finding does not apply or where it is mitigated.
	Reason string `json:"reason"`
}

// LoadAccepted reads the accepted findings file and checks every entry names
// a check, a resource and a reason, and that its patterns are well formed.
func LoadAccepted(file string) ([]Acceptance, error) {
	b, err := os.ReadFile(file) //nolint:gosec // The repository's own reviewed file.
	if err != nil {
		return nil, err
	}
	var f struct {
		Accepted []Acceptance `json:"accepted"`
	}
	if err := yaml.UnmarshalStrict(b, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	var errs []error
	for i, a := range f.Accepted {
		at := fmt.Sprintf("%s: accepted[%d]", file, i)
		if a.ID == "" || a.Resource == "" || strings.TrimSpace(a.Reason) == "" {
			errs = append(errs, fmt.Errorf("%s: id, resource and reason are required", at))
		}
		for _, p := range append([]string{a.Resource}, a.Examples...) {
			if _, err := path.Match(p, ""); err != nil {
				errs = append(errs, fmt.Errorf("%s: pattern %q: %w", at, p, err))
			}
		}
	}
	return f.Accepted, errors.Join(errs...)
}

// Matches reports whether a accepts finding f.
func (a Acceptance) Matches(f *Finding) bool {
	if !f.Is(a.ID) {
		return false
	}
	if ok, _ := path.Match(a.Resource, f.Resource); !ok {
		return false
	}
	if len(a.Examples) == 0 {
		return true
	}
	for _, e := range a.Examples {
		if ok, _ := path.Match(e, f.Example); ok {
			return true
		}
	}
	return false
}

// Verdict is what Judge makes of the findings.
type Verdict struct {
	// Accepted are the findings an acceptance covers; New the others.
	Accepted, New []Finding
	// Stale are the acceptances no finding matched: what they accepted is
	// gone, and kept they would hide its return.
	Stale []Acceptance
}

// Failed reports whether the scan fails: a new finding or a stale acceptance.
func (v Verdict) Failed() bool { return len(v.New) > 0 || len(v.Stale) > 0 }

// Judge sorts findings into accepted and new, and finds stale acceptances.
func Judge(findings []Finding, accepted []Acceptance) Verdict {
	var v Verdict
	used := make([]bool, len(accepted))
	for i := range findings {
		f := &findings[i]
		ok := false
		for i, a := range accepted {
			if a.Matches(f) {
				used[i], ok = true, true
			}
		}
		if ok {
			v.Accepted = append(v.Accepted, *f)
		} else {
			v.New = append(v.New, *f)
		}
	}
	for i, a := range accepted {
		if !used[i] {
			v.Stale = append(v.Stale, a)
		}
	}
	return v
}
