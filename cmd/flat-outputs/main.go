// Command flat-outputs writes a live PaymentPlatform claim's status outputs to
// cfn-outputs/flat-outputs.json (SPEC D-4), the file the integration tests
// read:
//
//	go run ./cmd/flat-outputs -n payments payments
//	go run ./cmd/flat-outputs -f claim.json     # a claim saved with kubectl get -o json
//
// It reads the claim with kubectl (the current context) unless -f is given.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"

	"github.com/fintech-platform/payment-platform/internal/outputs"
)

func main() {
	ns := flag.String("n", "default", "the claim's namespace")
	file := flag.String("f", "", "read the claim from this JSON file instead of kubectl")
	to := flag.String("o", outputs.File, "where to write the outputs")
	flag.Usage = func() {
		_, _ = fmt.Fprintf(flag.CommandLine.Output(), "usage: flat-outputs [-n namespace] [-o file] NAME | -f claim.json\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if err := run(*ns, *file, *to, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "flat-outputs:", err)
		os.Exit(1)
	}
}

func run(ns, file, to string, args []string) error {
	var raw []byte
	var err error
	switch {
	case file != "":
		raw, err = os.ReadFile(file) //nolint:gosec // The file the operator names.
	case len(args) == 1:
		var stderr bytes.Buffer
		// Arguments, not a shell line: the name cannot inject anything.
		cmd := exec.Command("kubectl", "get", "paymentplatform", args[0], "-n", ns, "-o", "json") //nolint:gosec // See above.
		cmd.Stderr = &stderr
		raw, err = cmd.Output()
		if err != nil {
			err = fmt.Errorf("kubectl get paymentplatform %s -n %s: %w: %s", args[0], ns, err, stderr.String())
		}
	default:
		flag.Usage()
		return fmt.Errorf("give the claim's name, or -f")
	}
	if err != nil {
		return err
	}
	var claim map[string]any
	if err := json.Unmarshal(raw, &claim); err != nil {
		return fmt.Errorf("the claim is not JSON: %w", err)
	}
	if k, _ := claim["kind"].(string); k != "PaymentPlatform" {
		return fmt.Errorf("want a PaymentPlatform, got kind %q", k)
	}
	outs, err := outputs.Flatten(claim)
	if err != nil {
		return err
	}
	if len(outs) == 0 {
		return fmt.Errorf("the claim has no outputs yet: is it composed?")
	}
	if err := outputs.Write(to, outs); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%d outputs written to %s\n", len(outs), to)
	return nil
}
