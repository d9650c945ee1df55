// Command scan is make scan: it renders every example claim, converts what
// each renders to Terraform configuration, runs trivy's checks over it and
// compares the findings with the reviewed accepted ones. It fails on a finding
// nobody accepted and on an acceptance that matches nothing any more.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fintech-platform/payment-platform/test/scan"
)

func main() {
	var o options
	flag.StringVar(&o.root, "root", ".", "repository root")
	flag.StringVar(&o.render, "render", "", "the render command, words separated by spaces; it is run from the root with the example appended and prints the settled render as YAML")
	flag.StringVar(&o.trivy, "trivy", "bin/trivy", "path of trivy")
	flag.StringVar(&o.out, "out", "_output/scan", "where the Terraform configuration of each example is written (emptied first)")
	flag.StringVar(&o.cache, "cache", "_output/trivy-cache", "trivy's cache folder")
	flag.StringVar(&o.accepted, "accepted", "test/scan/accepted.yaml", "the reviewed accepted findings")
	flag.IntVar(&o.jobs, "j", 2, "examples rendered at once")
	flag.StringVar(&o.closed, "closed", "PaymentPlatform", "comma-separated XR kinds whose render must be closed: every reference resolves within it (a layer rendered alone selects what other layers make; a whole claim must not)")
	flag.Parse()
	if o.render == "" || flag.NArg() != 0 || o.jobs < 1 {
		fmt.Fprintln(os.Stderr, "usage: scan -render 'COMMAND ARGS' [flags]")
		flag.PrintDefaults()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	failed, err := run(ctx, o)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "scan:", err)
		os.Exit(1)
	}
	if failed {
		os.Exit(1)
	}
}

type options struct {
	root, render, trivy, out, cache, accepted, closed string
	jobs                                              int
}

// example is one example claim and what became of it.
type example struct {
	file      string
	dir       string // its folder under out, slash-separated, relative to out
	kind      string // of its XR
	resources int
	inputs    []scan.Input
	notes     []string
	err       error
}

func run(ctx context.Context, o options) (bool, error) {
	start := time.Now()
	accepted, err := scan.LoadAccepted(filepath.Join(o.root, o.accepted))
	if err != nil {
		return false, err
	}
	files, err := scan.Examples(o.root)
	if err != nil {
		return false, err
	}
	if len(files) == 0 {
		return false, fmt.Errorf("no example claims (apiVersion %s) under %s", scan.ClaimAPIVersion, filepath.Join(o.root, "examples"))
	}
	dir, err := scan.ProviderDir()
	if err != nil {
		return false, err
	}
	p, err := scan.LoadProvider(dir)
	if err != nil {
		return false, err
	}
	if err := os.RemoveAll(o.out); err != nil {
		return false, err
	}

	examples := make([]*example, len(files))
	c := &scan.Converter{Provider: p}
	var mu sync.Mutex // the converter's caches are not safe for concurrent use
	var wg sync.WaitGroup
	sem := make(chan struct{}, o.jobs)
	for i, f := range files {
		e := &example{file: f, dir: strings.TrimSuffix(f, path.Ext(f))}
		examples[i] = e
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			e.err = convert(ctx, o, c, &mu, e)
		}()
	}
	wg.Wait()
	for _, e := range examples {
		if e.err != nil {
			return false, e.err
		}
	}
	fmt.Printf("rendered and converted %d examples in %s\n", len(examples), time.Since(start).Round(time.Second))

	findings, err := scan.Trivy(ctx, o.trivy, o.cache, o.out)
	if err != nil {
		return false, err
	}
	for i := range findings {
		for _, e := range examples {
			if path.Dir(findings[i].Target) == e.dir {
				findings[i].Example = e.file
			}
		}
	}
	v := scan.Judge(findings, accepted)
	open := report(examples, v, strings.Split(o.closed, ","))
	fmt.Printf("make scan: %d findings, %d accepted, %d not accepted, %d stale acceptances, %d claims with open references (%s)\n",
		len(findings), len(v.Accepted), len(v.New), len(v.Stale), open, time.Since(start).Round(time.Second))
	return v.Failed() || open > 0, nil
}

// convert renders one example and writes its Terraform configuration (and the
// render it came from, for whoever reads a finding) under out.
func convert(ctx context.Context, o options, c *scan.Converter, mu *sync.Mutex, e *example) error {
	docs, err := scan.Render(ctx, o.root, strings.Fields(o.render), e.file)
	if err != nil {
		return err
	}
	mu.Lock()
	cv, err := c.Convert(docs)
	var hcl []byte
	if err == nil {
		hcl, err = c.HCL(cv)
	}
	mu.Unlock()
	if err != nil {
		return fmt.Errorf("%s: %w", e.file, err)
	}
	if len(cv.Resources) == 0 {
		return fmt.Errorf("%s renders no managed resources", e.file)
	}
	e.resources, e.inputs, e.notes = len(cv.Resources), cv.Inputs, cv.Unsupported
	for _, d := range docs {
		if d.GetAPIVersion() == scan.ClaimAPIVersion {
			e.kind = d.GetKind() // the rendered stream starts with the example's own XR
			break
		}
	}
	d := filepath.Join(o.out, filepath.FromSlash(e.dir))
	if err := os.MkdirAll(d, 0o750); err != nil {
		return err
	}
	header := fmt.Sprintf("# What %s renders (settled pass), as Terraform for make scan. Generated; do not edit.\n\n", e.file)
	return os.WriteFile(filepath.Join(d, "main.tf"), append([]byte(header), hcl...), 0o600)
}

// report prints each example's findings and inputs, and returns how many
// examples of a closed kind have inputs.
func report(examples []*example, v scan.Verdict, closed []string) int {
	open := 0
	for _, e := range examples {
		fmt.Printf("\n%s (%s): %d managed resources\n", e.file, e.kind, e.resources)
		isClosed := slices.Contains(closed, e.kind)
		if isClosed && len(e.inputs) > 0 {
			open++
		}
		for _, in := range e.inputs {
			if isClosed {
				fmt.Printf("  OPEN        %s\n", in)
			} else {
				fmt.Printf("  input       %s\n", in)
			}
		}
		for _, n := range e.notes {
			fmt.Printf("  unsupported %s\n", n)
		}
		for i := range v.Accepted {
			if f := &v.Accepted[i]; f.Example == e.file {
				fmt.Printf("  accepted    %s\n", f)
			}
		}
		for i := range v.New {
			if f := &v.New[i]; f.Example == e.file {
				fmt.Printf("  FINDING     %s\n              %s\n", f, f.Message)
			}
		}
	}
	for i := range v.New {
		if f := &v.New[i]; f.Example == "" {
			fmt.Printf("\n%s: FINDING %s\n", f.Target, f)
		}
	}
	for _, a := range v.Stale {
		fmt.Printf("\nSTALE acceptance %s %s (examples %v): matches no finding; remove it from the accepted file\n", a.ID, a.Resource, a.Examples)
	}
	fmt.Println()
	return open
}
