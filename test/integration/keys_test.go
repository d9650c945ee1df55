package integration

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	k8syaml "k8s.io/apimachinery/pkg/util/yaml"

	"github.com/fintech-platform/payment-platform/internal/outputs"
)

// TestOutputs_FullClaimHasEveryKeyTheChecksRead_D4: the full example's
// settled status (the render golden, which make e2e proves a real control
// plane reaches) flattens to outputs holding every key the integration checks
// read, so a renamed status field cannot leave them reading nothing.
func TestOutputs_FullClaimHasEveryKeyTheChecksRead_D4(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "rendertree", "testdata", "golden", "paymentplatform-full.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var claim map[string]any
	dec := k8syaml.NewYAMLOrJSONDecoder(bytes.NewReader(b), 4096)
	for {
		var doc map[string]any
		if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if doc["kind"] == "PaymentPlatform" {
			claim = doc
			break
		}
	}
	if claim == nil {
		t.Fatal("no PaymentPlatform in the full example's golden render")
	}
	outs, err := outputs.Flatten(claim)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range Keys {
		if _, ok := Values(outs, k); !ok {
			t.Errorf("the full claim's outputs have no %s", k)
		}
	}
	if v, _ := Values(outs, KeyZones); len(v) != 3 {
		t.Errorf("%s: %v, want three zones", KeyZones, v)
	}
}

// TestValues_ListsAndMissing: a list key gathers key0, key1, … in order; a
// missing or empty key is not there.
func TestValues_ListsAndMissing(t *testing.T) {
	outs := map[string]string{"A0": "x", "A1": "y", "A3": "z", "B": "", "C": "c"}
	if v, ok := Values(outs, "A*"); !ok || len(v) != 2 || v[0] != "x" || v[1] != "y" {
		t.Errorf("A*: %v %v", v, ok)
	}
	for _, k := range []string{"B", "D", "D*"} {
		if v, ok := Values(outs, k); ok {
			t.Errorf("%s: %v, want none", k, v)
		}
	}
	if v, ok := Values(outs, "C"); !ok || v[0] != "c" {
		t.Errorf("C: %v %v", v, ok)
	}
}
