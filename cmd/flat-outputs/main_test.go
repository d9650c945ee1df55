package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fintech-platform/payment-platform/internal/outputs"
)

// TestRun_FromAFile_D4: a claim saved as JSON becomes the outputs file; a
// claim of another kind, or one with nothing composed yet, is refused.
func TestRun_FromAFile_D4(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	to := filepath.Join(dir, "out", "flat-outputs.json")
	claim := write("claim.json", `{"kind":"PaymentPlatform","spec":{"parameters":{"region":"us-east-1"}},"status":{"network":{"vpcId":"vpc-1"}}}`)
	if err := run("", claim, to, nil); err != nil {
		t.Fatal(err)
	}
	got, err := outputs.Read(to)
	if err != nil {
		t.Fatal(err)
	}
	if got["NetworkVpcId"] != "vpc-1" || got["Region"] != "us-east-1" {
		t.Errorf("outputs %v", got)
	}
	for body, want := range map[string]string{
		`{"kind":"Network"}`:         `want a PaymentPlatform`,
		`{"kind":"PaymentPlatform"}`: `no outputs yet`,
		`not json`:                   `not JSON`,
	} {
		if err := run("", write("bad.json", body), to, nil); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error saying %q", body, err, want)
		}
	}
	if err := run("", "", to, nil); err == nil {
		t.Error("no claim name and no file: want an error")
	}
}
