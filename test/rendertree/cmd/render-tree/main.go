// Command render-tree prints what a PaymentPlatform claim (or any layer XR)
// composes, through every level, as one YAML stream. It runs the function in
// process and calls the Crossplane CLI for each level; nothing leaves the machine.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/fintech-platform/payment-platform/test/rendertree"
)

// maxPasses bounds -passes=0; the deepest tree converges in well under this.
const maxPasses = 20

func main() {
	crank := flag.String("crank", "bin/crank", "path of the Crossplane CLI")
	root := flag.String("root", ".", "repository root")
	passes := flag.Int("passes", 1, "simulated reconcile passes; each observes what the one before desired as created and ready (0: until nothing changes)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: render-tree [flags] XR.yaml")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 || *passes < 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*crank, *root, *passes, flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, "render-tree:", err)
		os.Exit(1)
	}
}

func run(crank, root string, passes int, xr string) error {
	addr, stop, err := rendertree.Serve()
	if err != nil {
		return err
	}
	defer stop()
	work, err := os.MkdirTemp("", "render-tree-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work) //nolint:errcheck // Best effort.
	r := &rendertree.Renderer{Crank: crank, Root: root, Target: addr, Work: work}

	n := passes
	if n == 0 {
		n = maxPasses
	}
	all, converged, err := r.Passes(xr, n)
	if err != nil {
		return err
	}
	if passes == 0 && !converged {
		return fmt.Errorf("%s did not converge in %d passes", xr, maxPasses)
	}
	y, err := rendertree.Marshal(all[len(all)-1])
	if err != nil {
		return err
	}
	// What the function said about the last pass (warnings, such as an
	// instance class too small for the load), beside the tree, not in it.
	for _, res := range r.Results() {
		fmt.Fprintln(os.Stderr, res)
	}
	_, err = os.Stdout.Write(y)
	return err
}
