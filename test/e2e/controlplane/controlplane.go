// Package controlplane runs a real Crossplane control plane on loopback, out of
// cluster and without containers: etcd, kube-apiserver, Crossplane core (with
// its Usage webhook) and, once the XRDs are established,
// kube-controller-manager for garbage collection, plus the composition
// function served over mTLS and registered as Crossplane expects a packaged
// function to be. Every certificate comes from one throwaway CA. Stop ends
// every process it started, by process group.
package controlplane

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
)

// Config says where the binaries are and where the control plane may write.
type Config struct {
	// Etcd, APIServer, ControllerManager, Crossplane and Function are the
	// binaries to run.
	Etcd, APIServer, ControllerManager, Crossplane, Function string
	// Dir is a scratch directory: data, certificates, kubeconfig and one log
	// per process.
	Dir string
	// CrossplaneCRDs is the folder of Crossplane's own CRDs (its module's
	// cluster/crds).
	CrossplaneCRDs string
	// FunctionName is the name the Compositions' functionRef uses.
	FunctionName string
}

// A ControlPlane is a running control plane.
type ControlPlane struct {
	cfg Config
	pki *PKI

	// Kubeconfig is the path of an admin kubeconfig (for kubectl).
	Kubeconfig string
	// Rest is the admin client configuration.
	Rest *rest.Config
	// Dynamic is an admin client.
	Dynamic dynamic.Interface
	mapper  *restmapper.DeferredDiscoveryRESTMapper
	etcd    string

	// FunctionLog is the path of the function's log.
	FunctionLog string

	mu    sync.Mutex
	procs []*process
}

// Start brings up etcd, the API server, the function and Crossplane core, and
// registers the function. On error it stops what it started.
func Start(ctx context.Context, cfg Config) (cp *ControlPlane, err error) {
	if cfg.FunctionName == "" {
		return nil, errors.New("no function name")
	}
	for name, bin := range map[string]string{"etcd": cfg.Etcd, "kube-apiserver": cfg.APIServer, "kube-controller-manager": cfg.ControllerManager, "crossplane": cfg.Crossplane, "function": cfg.Function} {
		if _, err := os.Stat(bin); bin == "" || err != nil {
			return nil, fmt.Errorf("%s binary %q: %w", name, bin, err)
		}
	}
	pki, err := NewPKI()
	if err != nil {
		return nil, err
	}
	cp = &ControlPlane{cfg: cfg, pki: pki, FunctionLog: filepath.Join(cfg.Dir, "function.log")}
	defer func() {
		if err != nil {
			cp.Stop()
			cp = nil
		}
	}()
	steps := []func(context.Context) error{cp.startEtcd, cp.startAPIServer, cp.startFunction, cp.startCrossplane}
	for _, s := range steps {
		if err := s(ctx); err != nil {
			return cp, err
		}
	}
	return cp, nil
}

// Stop ends every process, the last started first.
func (cp *ControlPlane) Stop() {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	for i := len(cp.procs) - 1; i >= 0; i-- {
		cp.procs[i].stop(10 * time.Second)
	}
	cp.procs = nil
}

// Logs returns the tail of each process's log, for a failing test to print.
func (cp *ControlPlane) Logs(n int64) string {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	var b strings.Builder
	for _, p := range cp.procs {
		fmt.Fprintf(&b, "==> %s (%s)\n%s\n", p.name, p.log, p.tail(n))
	}
	return b.String()
}

// Exited returns the processes that have ended, which a running control plane
// should have none of.
func (cp *ControlPlane) Exited() []string {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	var out []string
	for _, p := range cp.procs {
		if done, err := p.exited(); done {
			out = append(out, fmt.Sprintf("%s: %v", p.name, err))
		}
	}
	return out
}

func (cp *ControlPlane) run(name string, env []string, bin string, args ...string) (*process, error) {
	p, err := start(name, cp.cfg.Dir, env, bin, args...)
	if err != nil {
		return nil, err
	}
	cp.mu.Lock()
	cp.procs = append(cp.procs, p)
	cp.mu.Unlock()
	return p, nil
}

func (cp *ControlPlane) path(elem ...string) string {
	return filepath.Join(append([]string{cp.cfg.Dir}, elem...)...)
}

func (cp *ControlPlane) startEtcd(ctx context.Context) error {
	ports, err := freePorts(2)
	if err != nil {
		return err
	}
	client := "http://127.0.0.1:" + strconv.Itoa(ports[0])
	peer := "http://127.0.0.1:" + strconv.Itoa(ports[1])
	p, err := cp.run("etcd", nil, cp.cfg.Etcd,
		"--name=e2e", "--data-dir="+cp.path("etcd"),
		"--listen-client-urls="+client, "--advertise-client-urls="+client,
		"--listen-peer-urls="+peer, "--initial-advertise-peer-urls="+peer,
		"--initial-cluster=e2e="+peer, "--log-level=warn", "--logger=zap")
	if err != nil {
		return err
	}
	cp.etcd = client
	return p.waitFor(ctx, "health", httpOK(&http.Client{Timeout: time.Second}, client+"/health"))
}

func (cp *ControlPlane) startAPIServer(ctx context.Context) error {
	serving, err := cp.pki.Server("kube-apiserver")
	if err != nil {
		return err
	}
	admin, err := cp.pki.Client("admin", "system:masters")
	if err != nil {
		return err
	}
	sa, err := ServiceAccountKey()
	if err != nil {
		return err
	}
	dir := cp.path("pki", "apiserver")
	if err := cp.pki.WriteDir(dir, serving); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "sa.key"), sa, 0o600); err != nil {
		return err
	}
	ports, err := freePorts(1)
	if err != nil {
		return err
	}
	host := "https://127.0.0.1:" + strconv.Itoa(ports[0])
	p, err := cp.run("kube-apiserver", nil, cp.cfg.APIServer,
		"--etcd-servers="+cp.etcd,
		"--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--secure-port="+strconv.Itoa(ports[0]),
		"--tls-cert-file="+filepath.Join(dir, "tls.crt"), "--tls-private-key-file="+filepath.Join(dir, "tls.key"),
		"--client-ca-file="+filepath.Join(dir, "ca.crt"),
		"--service-account-issuer=https://kubernetes.default.svc",
		"--service-account-key-file="+filepath.Join(dir, "sa.key"),
		"--service-account-signing-key-file="+filepath.Join(dir, "sa.key"),
		"--service-cluster-ip-range=10.96.0.0/24",
		"--authorization-mode=RBAC",
		"--profiling=false")
	if err != nil {
		return err
	}

	cp.Rest = &rest.Config{
		Host:            host,
		TLSClientConfig: rest.TLSClientConfig{CAData: cp.pki.CAPEM, CertData: admin.CertPEM, KeyData: admin.KeyPEM},
		QPS:             200,
		Burst:           400,
	}
	pair, err := tls.X509KeyPair(admin.CertPEM, admin.KeyPEM)
	if err != nil {
		return err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(cp.pki.CAPEM)
	probe := tlsClient(&tls.Config{RootCAs: pool, Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12})
	if err := p.waitFor(ctx, "readyz", httpOK(probe, host+"/readyz")); err != nil {
		return err
	}

	cp.Kubeconfig = cp.path("admin.kubeconfig")
	if err := os.WriteFile(cp.Kubeconfig, kubeconfig(host, cp.pki.CAPEM, admin), 0o600); err != nil {
		return err
	}
	if cp.Dynamic, err = dynamic.NewForConfig(cp.Rest); err != nil {
		return err
	}
	disco, err := discovery.NewDiscoveryClientForConfig(cp.Rest)
	if err != nil {
		return err
	}
	cp.mapper = restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(disco))
	return nil
}

// startFunction serves the composition function with mTLS on loopback, as a
// Function's runtime would in a cluster.
func (cp *ControlPlane) startFunction(ctx context.Context) error {
	c, err := cp.pki.Server("function")
	if err != nil {
		return err
	}
	dir := cp.path("pki", "function")
	if err := cp.pki.WriteDir(dir, c); err != nil {
		return err
	}
	ports, err := freePorts(1)
	if err != nil {
		return err
	}
	addr := "127.0.0.1:" + strconv.Itoa(ports[0])
	p, err := cp.run("function", []string{"TLS_SERVER_CERTS_DIR=" + dir}, cp.cfg.Function, "--address="+addr, "--debug")
	if err != nil {
		return err
	}
	if err := p.waitFor(ctx, "listener", listening(addr)); err != nil {
		return err
	}
	return cp.registerFunction(ctx, addr)
}

// registerFunction makes the function known to Crossplane as if its package
// manager had installed it: a Function and an active FunctionRevision whose
// status names the endpoint and the composition capability. Both are paused,
// so the package manager (which has no registry to pull from) leaves them be.
func (cp *ControlPlane) registerFunction(ctx context.Context, addr string) error {
	crds, err := filepath.Glob(filepath.Join(cp.cfg.CrossplaneCRDs, "*.yaml"))
	if err != nil || len(crds) == 0 {
		return fmt.Errorf("no Crossplane CRDs in %q: %w", cp.cfg.CrossplaneCRDs, err)
	}
	if err := cp.ApplyFiles(ctx, crds...); err != nil {
		return err
	}
	if err := cp.WaitEstablished(ctx); err != nil {
		return err
	}
	name := cp.cfg.FunctionName
	paused := map[string]any{"crossplane.io/paused": "true"}
	fn := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "pkg.crossplane.io/v1", "kind": "Function",
		"metadata": map[string]any{"name": name, "annotations": paused},
		"spec":     map[string]any{"package": "xpkg.upbound.io/fintech-platform/" + name + ":e2e"},
	}}
	rev := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "pkg.crossplane.io/v1", "kind": "FunctionRevision",
		"metadata": map[string]any{
			"name": name + "-e2e", "annotations": paused,
			"labels": map[string]any{"pkg.crossplane.io/package": name},
		},
		"spec": map[string]any{"desiredState": "Active", "image": "xpkg.upbound.io/fintech-platform/" + name + ":e2e", "revision": int64(1)},
	}}
	if err := cp.Apply(ctx, fn, rev); err != nil {
		return err
	}
	return cp.ApplyStatus(ctx, rev, map[string]any{"endpoint": addr, "capabilities": []any{"composition"}})
}

func (cp *ControlPlane) startCrossplane(ctx context.Context) error {
	client, err := cp.pki.Client("crossplane")
	if err != nil {
		return err
	}
	server, err := cp.pki.Server("crossplane-webhook")
	if err != nil {
		return err
	}
	clientDir, serverDir := cp.path("pki", "crossplane-client"), cp.path("pki", "crossplane-webhook")
	if err := errors.Join(cp.pki.WriteDir(clientDir, client), cp.pki.WriteDir(serverDir, server)); err != nil {
		return err
	}
	ports, err := freePorts(3)
	if err != nil {
		return err
	}
	webhook, metrics, health := ports[0], ports[1], ports[2]
	if err := cp.Apply(ctx, namespace("crossplane-system"), usageWebhook(webhook, cp.pki.CAPEM)); err != nil {
		return err
	}
	p, err := cp.run("crossplane", []string{"KUBECONFIG=" + cp.Kubeconfig}, cp.cfg.Crossplane,
		"core", "start",
		"--package-runtime=External",
		"--enable-webhooks=true",
		"--webhook-port="+strconv.Itoa(webhook),
		"--metrics-port="+strconv.Itoa(metrics),
		"--health-probe-port="+strconv.Itoa(health),
		"--tls-server-certs-dir="+serverDir,
		"--tls-client-certs-dir="+clientDir,
		"--cache-dir="+cp.path("xpkg-cache"),
		"--namespace=crossplane-system",
		"--debug")
	if err != nil {
		return err
	}
	return p.waitFor(ctx, "readyz", httpOK(&http.Client{Timeout: time.Second}, fmt.Sprintf("http://127.0.0.1:%d/readyz", health)))
}

// StartControllerManager starts kube-controller-manager with only the
// garbage collector (which deletes a deleted XR's composed resources through
// their owner references) and the namespace controller. Start it once the
// XRDs are established, so its first discovery sees their kinds.
func (cp *ControlPlane) StartControllerManager(ctx context.Context) error {
	ports, err := freePorts(1)
	if err != nil {
		return err
	}
	p, err := cp.run("kube-controller-manager", nil, cp.cfg.ControllerManager,
		"--kubeconfig="+cp.Kubeconfig,
		"--authentication-kubeconfig="+cp.Kubeconfig,
		"--authorization-kubeconfig="+cp.Kubeconfig,
		"--controllers=garbagecollector,namespace",
		"--leader-elect=false",
		"--use-service-account-credentials=false",
		"--bind-address=127.0.0.1", "--secure-port="+strconv.Itoa(ports[0]),
		"--cert-dir="+cp.path("pki", "kcm"),
		"--concurrent-gc-syncs=20",
		"--profiling=false")
	if err != nil {
		return err
	}
	insecure := tlsClient(&tls.Config{InsecureSkipVerify: true}) //nolint:gosec // Probing our own loopback server with its self-signed certificate.
	return p.waitFor(ctx, "healthz", httpOK(insecure, fmt.Sprintf("https://127.0.0.1:%d/healthz", ports[0])))
}

// kubeconfig writes an admin kubeconfig for kubectl.
func kubeconfig(host string, ca []byte, c *Cert) []byte {
	b64 := encodeBase64
	return []byte(`apiVersion: v1
kind: Config
clusters:
- name: e2e
  cluster: {server: "` + host + `", certificate-authority-data: "` + b64(ca) + `"}
users:
- name: admin
  user: {client-certificate-data: "` + b64(c.CertPEM) + `", client-key-data: "` + b64(c.KeyPEM) + `"}
contexts:
- name: e2e
  context: {cluster: e2e, user: admin}
current-context: e2e
`)
}

func namespace(name string) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": name},
	}}
}

// usageWebhook is Crossplane's own no-usages webhook (the one its init
// container installs from cluster/webhookconfigurations/usage.yaml), pointed
// at core's webhook server on loopback: a DELETE of anything labeled in-use
// is refused while a Usage names it.
func usageWebhook(port int, ca []byte) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration",
		"metadata": map[string]any{"name": "crossplane-no-usages"},
		"webhooks": []any{map[string]any{
			"name":                    "nousages.protection.crossplane.io",
			"admissionReviewVersions": []any{"v1"},
			"clientConfig": map[string]any{
				"url":      fmt.Sprintf("https://127.0.0.1:%d/validate-no-usages", port),
				"caBundle": encodeBase64(ca),
			},
			"failurePolicy":  "Fail",
			"sideEffects":    "None",
			"objectSelector": map[string]any{"matchLabels": map[string]any{"crossplane.io/in-use": "true"}},
			"rules": []any{map[string]any{
				"apiGroups": []any{"*"}, "apiVersions": []any{"*"}, "operations": []any{"DELETE"}, "resources": []any{"*"},
			}},
		}},
	}}
}
