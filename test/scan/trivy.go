package scan

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// Finding is one check trivy failed.
type Finding struct {
	// Target is the scanned file, relative to the scanned folder, slash-separated.
	Target string
	// ID is the check's ID as trivy prints it (AVD-AWS-0104 or AWS-0104).
	ID string
	// AVDID is the check's AVD ID (AVD-AWS-0104).
	AVDID    string
	Severity string
	Title    string
	Message  string
	// Resource is the Terraform address the finding is about.
	Resource string
	// Example is the example claim whose render the finding is in, a
	// slash-separated path from the repository root; set by the caller.
	Example string
}

// Is reports whether the finding is of check id, given with or without the
// AVD- prefix.
func (f *Finding) Is(id string) bool {
	id = strings.TrimPrefix(id, "AVD-")
	return strings.TrimPrefix(f.ID, "AVD-") == id || strings.TrimPrefix(f.AVDID, "AVD-") == id
}

func (f *Finding) String() string {
	id := f.AVDID
	if id == "" {
		id = f.ID
	}
	return fmt.Sprintf("%s %s %s: %s", id, f.Severity, f.Resource, f.Title)
}

// Trivy runs trivy's Terraform misconfiguration checks over dir, offline (the
// checks embedded in the binary, nothing fetched, nothing reported), with
// cache as its cache folder, and returns the failed checks. Each folder under
// dir holding .tf files is scanned as a Terraform root module of its own.
func Trivy(ctx context.Context, trivy, cache, dir string) ([]Finding, error) {
	out := filepath.Join(cache, "report.json")
	if err := os.MkdirAll(cache, 0o750); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, trivy, "config", //nolint:gosec // The trivy the Makefile builds, on our own output.
		"--cache-dir", cache,
		"--skip-check-update", "--skip-version-check", "--disable-telemetry",
		"--misconfig-scanners", "terraform",
		"--format", "json", "--output", out,
		"--quiet",
		dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("trivy config %s: %w: %s", dir, err, strings.TrimSpace(stderr.String()))
	}
	b, err := os.ReadFile(out) //nolint:gosec // Written by trivy just now.
	if err != nil {
		return nil, err
	}
	return parseReport(b)
}

// parseReport reads the failed checks from trivy's JSON report.
func parseReport(b []byte) ([]Finding, error) {
	var r struct {
		Results []struct {
			Target            string
			Misconfigurations []struct {
				ID, AVDID, Title, Message, Severity, Status string
				CauseMetadata                               struct {
					Resource string
				}
			}
		}
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("trivy's report: %w", err)
	}
	var out []Finding
	for _, res := range r.Results {
		for _, m := range res.Misconfigurations {
			if m.Status != "FAIL" {
				continue
			}
			out = append(out, Finding{
				Target: filepath.ToSlash(res.Target), ID: m.ID, AVDID: m.AVDID, Severity: m.Severity,
				Title: m.Title, Message: m.Message, Resource: m.CauseMetadata.Resource,
			})
		}
	}
	slices.SortFunc(out, func(a, b Finding) int {
		return strings.Compare(a.Target+" "+a.Resource+" "+a.AVDID, b.Target+" "+b.Resource+" "+b.AVDID)
	})
	return out, nil
}
