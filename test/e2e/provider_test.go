package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/fintech-platform/payment-platform/functions/platform/fn"
	"github.com/fintech-platform/payment-platform/test/e2e/controlplane"
	"github.com/fintech-platform/payment-platform/test/rendertree"
)

// simulatedProvider stands in for provider-upjet-aws: it reports every managed
// resource created and ready, with the made-up ids the offline render
// simulation reports for the same resource (derived from its place in the
// tree), writing only status.atProvider fields the resource's CRD has. So a
// real tree driven by it can be compared with the render's settled output.
type simulatedProvider struct {
	kinds  []schema.GroupVersionKind
	fields map[schema.GroupVersionKind]map[string]bool
	cancel context.CancelFunc
	done   chan struct{}

	mu sync.Mutex
	// prefix names the tenant in the tree paths of a namespace's resources,
	// so two tenants with the same claim get different ids.
	prefix map[string]string
	errs   []error
}

func startProvider(_ *controlplane.ControlPlane, crdDir string) (*simulatedProvider, error) {
	p := &simulatedProvider{
		kinds:  fn.ManagedKinds(),
		fields: map[schema.GroupVersionKind]map[string]bool{},
		prefix: map[string]string{},
		done:   make(chan struct{}),
	}
	files, _ := filepath.Glob(filepath.Join(crdDir, "*.yaml"))
	objs, err := controlplane.ReadObjects(files...)
	if err != nil {
		return nil, err
	}
	for _, crd := range objs {
		group, _, _ := unstructured.NestedString(crd.Object, "spec", "group")
		kind, _, _ := unstructured.NestedString(crd.Object, "spec", "names", "kind")
		versions, _, _ := unstructured.NestedSlice(crd.Object, "spec", "versions")
		for _, v := range versions {
			vm, _ := v.(map[string]any)
			name, _ := vm["name"].(string)
			props, _, _ := unstructured.NestedMap(vm, "schema", "openAPIV3Schema", "properties", "status", "properties", "atProvider", "properties")
			set := map[string]bool{}
			for k := range props {
				set[k] = true
			}
			p.fields[schema.GroupVersionKind{Group: group, Version: name, Kind: kind}] = set
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	go p.loop(ctx)
	return p, nil
}

// tenant makes the resources in ns get ids of their own.
func (p *simulatedProvider) tenant(ns string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.prefix[ns] = ns + ":"
}

func (p *simulatedProvider) stop() {
	if p == nil {
		return
	}
	p.cancel()
	<-p.done
}

// Errors returns what went wrong while reporting status.
func (p *simulatedProvider) Errors() []error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]error(nil), p.errs...)
}

func (p *simulatedProvider) loop(ctx context.Context) {
	defer close(p.done)
	t := time.NewTicker(300 * time.Millisecond)
	defer t.Stop()
	for {
		for _, k := range p.kinds {
			if err := p.reconcile(ctx, k); err != nil && ctx.Err() == nil {
				p.mu.Lock()
				p.errs = append(p.errs, err)
				p.mu.Unlock()
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (p *simulatedProvider) reconcile(ctx context.Context, k schema.GroupVersionKind) error {
	objs, err := list(ctx, k, "")
	if err != nil {
		return err
	}
	for _, o := range objs {
		if o.GetDeletionTimestamp() != nil || controlplane.Condition(o, "Ready") == "True" {
			continue
		}
		path, err := treePath(ctx, o)
		if err != nil {
			continue // Its XR is gone or not yet cached: the next round sees it.
		}
		p.mu.Lock()
		path = p.prefix[o.GetNamespace()] + path
		p.mu.Unlock()

		sim := o.DeepCopy()
		rendertree.Observe(sim, path)
		at, _, _ := unstructured.NestedMap(sim.Object, "status", "atProvider")
		for f := range at {
			if !p.fields[k][f] {
				delete(at, f)
			}
		}
		conds, _, _ := unstructured.NestedSlice(sim.Object, "status", "conditions")
		now := metav1.Now().UTC().Format(time.RFC3339)
		for _, c := range conds {
			if m, ok := c.(map[string]any); ok {
				m["lastTransitionTime"] = now
			}
		}
		if err := cp.ApplyStatus(ctx, o, map[string]any{"atProvider": at, "conditions": conds}); err != nil {
			return fmt.Errorf("%s %s/%s: %w", k.Kind, o.GetNamespace(), o.GetName(), err)
		}
	}
	return nil
}

// treePath names o by the composition resource names from the claim down:
// payments/network/endpoints/vpce-ssm. The offline render names the same
// resource the same way.
func treePath(ctx context.Context, o *unstructured.Unstructured) (string, error) {
	path := ""
	cur := o
	for range 10 {
		ref := controllerOf(cur)
		if ref == nil {
			if path == "" {
				return cur.GetName(), nil
			}
			return cur.GetName() + "/" + path, nil
		}
		name := cur.GetAnnotations()["crossplane.io/composition-resource-name"]
		if path == "" {
			path = name
		} else {
			path = name + "/" + path
		}
		gv, err := schema.ParseGroupVersion(ref.APIVersion)
		if err != nil {
			return "", err
		}
		parent := &unstructured.Unstructured{}
		parent.SetGroupVersionKind(gv.WithKind(ref.Kind))
		parent.SetNamespace(o.GetNamespace())
		parent.SetName(ref.Name)
		got, err := cp.Get(ctx, parent)
		if err != nil || got == nil {
			return "", fmt.Errorf("no %s %s: %w", ref.Kind, ref.Name, err)
		}
		cur = got
	}
	return "", fmt.Errorf("%s %s is nested too deep", o.GetKind(), o.GetName())
}

func controllerOf(o *unstructured.Unstructured) *metav1.OwnerReference {
	for _, r := range o.GetOwnerReferences() {
		if r.Controller != nil && *r.Controller {
			return &r
		}
	}
	return nil
}
