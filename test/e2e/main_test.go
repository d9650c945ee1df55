// Package e2e installs the package on a real control plane (etcd,
// kube-apiserver, Crossplane core with its Usage webhook,
// kube-controller-manager's garbage collector, the function over mTLS) and
// proves what no simulation can: the API server accepts every CRD Crossplane
// generates from our XRDs, refuses bad claims, composes every example into
// the tree the offline render predicts, and deletes a tenant's tree in order
// without touching another's.
//
// `make e2e` builds the binaries and runs it; plain `go test ./...` skips it.
package e2e

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/fintech-platform/payment-platform/functions/platform/fn"
	"github.com/fintech-platform/payment-platform/test/e2e/controlplane"
	"github.com/fintech-platform/payment-platform/test/rendertree"
)

const (
	root         = "../.."
	functionName = "function-payment-platform"
)

var (
	cp       *controlplane.ControlPlane
	provider *simulatedProvider
	// renderTarget is the in-process function crossplane render talks to.
	renderTarget string
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if os.Getenv("E2E") == "" {
		fmt.Println("skipping the end-to-end tests: run `make e2e`")
		return 0
	}
	dir, err := os.MkdirTemp("", "payment-platform-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	code := 1
	defer func() {
		if code == 0 && os.Getenv("E2E_KEEP") == "" {
			_ = os.RemoveAll(dir)
		} else {
			fmt.Fprintln(os.Stderr, "control plane logs kept in", dir)
		}
	}()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Stop the control plane on SIGINT/SIGTERM too: go test's own timeout
	// kills the binary, and Pdeathsig takes the children with it.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-sig
		if cp != nil {
			cp.Stop()
		}
		os.Exit(1)
	}()

	start := time.Now()
	if err := setUp(ctx, dir); err != nil {
		fmt.Fprintln(os.Stderr, "cannot set up the control plane:", err)
		if cp != nil {
			fmt.Fprintln(os.Stderr, cp.Logs(3000))
			cp.Stop()
		}
		return 1
	}
	fmt.Printf("control plane up, package installed in %s\n", time.Since(start).Round(100*time.Millisecond))

	code = m.Run()
	if code != 0 {
		fmt.Fprintln(os.Stderr, cp.Logs(3000))
	}
	provider.stop()
	cp.Stop()
	return code
}

func setUp(ctx context.Context, dir string) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()

	schemas := os.Getenv("SCHEMAS")
	version := os.Getenv("CROSSPLANE_VERSION")
	cfg := controlplane.Config{
		Etcd:              env("ETCD", "/usr/bin/etcd"),
		APIServer:         os.Getenv("KUBE_APISERVER"),
		ControllerManager: os.Getenv("KUBE_CONTROLLER_MANAGER"),
		Crossplane:        os.Getenv("CROSSPLANE"),
		Function:          os.Getenv("FUNCTION"),
		CrossplaneCRDs:    filepath.Join(schemas, "cache", "xpkg.crossplane.io", "crossplane", "crossplane@"+version),
		Dir:               dir,
		FunctionName:      functionName,
	}
	var err error
	if cp, err = controlplane.Start(ctx, cfg); err != nil {
		return err
	}

	// The provider's CRDs: only the kinds the function composes, and the
	// namespaced ProviderConfig each tenant namespace needs.
	crds, err := providerCRDs(filepath.Join(schemas, "crds"), fn.ManagedKinds())
	if err != nil {
		return err
	}
	if err := cp.ApplyFiles(ctx, crds...); err != nil {
		return err
	}
	if err := cp.WaitEstablished(ctx); err != nil {
		return err
	}
	if err := installPackage(ctx); err != nil {
		return err
	}
	if err := cp.StartControllerManager(ctx); err != nil {
		return err
	}

	provider, err = startProvider(cp, filepath.Join(schemas, "crds"))
	if err != nil {
		return err
	}

	addr, stop, err := rendertree.Serve()
	if err != nil {
		return err
	}
	_ = stop // Served until the test binary exits.
	renderTarget = addr
	return nil
}

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
