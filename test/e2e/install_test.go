package e2e

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"

	"github.com/fintech-platform/payment-platform/test/e2e/controlplane"
)

var (
	xrdGVK      = schema.GroupVersionKind{Group: "apiextensions.crossplane.io", Version: "v2", Kind: "CompositeResourceDefinition"}
	revisionGVK = schema.GroupVersionKind{Group: "apiextensions.crossplane.io", Version: "v1", Kind: "CompositionRevision"}
	eventGVK    = schema.GroupVersionKind{Version: "v1", Kind: "Event"}
	crdGVK      = schema.GroupVersionKind{Group: "apiextensions.k8s.io", Version: "v1", Kind: "CustomResourceDefinition"}
)

// providerCRDs returns the files in dir that define one of kinds, and the
// namespaced ProviderConfig.
func providerCRDs(dir string, kinds []schema.GroupVersionKind) ([]string, error) {
	want := map[string]bool{"ProviderConfig.aws.m.upbound.io": true}
	for _, k := range kinds {
		want[k.GroupKind().String()] = true
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range files {
		objs, err := controlplane.ReadObjects(f)
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			kind, _, _ := unstructured.NestedString(o.Object, "spec", "names", "kind")
			group, _, _ := unstructured.NestedString(o.Object, "spec", "group")
			if want[kind+"."+group] {
				out = append(out, f)
				delete(want, kind+"."+group)
			}
		}
	}
	if len(want) > 0 {
		return nil, fmt.Errorf("no CRD in %s for %v", dir, want)
	}
	return out, nil
}

// installPackage applies what the configuration package ships (XRDs,
// Compositions, the activation policy) and waits until Crossplane has made a
// CRD of every XRD and a valid revision of every Composition.
func installPackage(ctx context.Context) error {
	xrds, _ := filepath.Glob(filepath.Join(root, "apis", "*", "definition.yaml"))
	comps, _ := filepath.Glob(filepath.Join(root, "apis", "*", "composition.yaml"))
	if len(xrds) == 0 || len(comps) == 0 {
		return errors.New("no XRDs or Compositions found")
	}
	if err := cp.ApplyFiles(ctx, xrds...); err != nil {
		return err
	}
	if err := waitXRDs(ctx, len(xrds)); err != nil {
		return err
	}
	if err := cp.ApplyFiles(ctx, append(comps, filepath.Join(root, "package", "configuration", "mrap.yaml"))...); err != nil {
		return err
	}
	return waitRevisions(ctx, len(comps))
}

// waitXRDs waits for n XRDs to be Established. On timeout it says why, from
// the XRDs' events: that is where a CRD the API server refused shows.
func waitXRDs(ctx context.Context, n int) error {
	wctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	err := controlplane.Poll(wctx, 250*time.Millisecond, func() (bool, error) {
		l, err := list(wctx, xrdGVK, "")
		if err != nil {
			return false, err
		}
		ok := 0
		for i := range l {
			if controlplane.Condition(l[i], "Established") == "True" {
				ok++
			}
		}
		return ok == n, nil
	})
	if err == nil {
		return nil
	}
	warnings, _ := xrdWarnings(ctx)
	return fmt.Errorf("not every XRD is established: %w\n%s", err, strings.Join(warnings, "\n"))
}

// xrdWarnings returns the Warning events of every XRD but one: Crossplane
// racing its own cache ("already exists") when it first creates a CRD, which
// it retries.
func xrdWarnings(ctx context.Context) ([]string, error) {
	evs, err := list(ctx, eventGVK, "")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range evs {
		kind, _, _ := unstructured.NestedString(e.Object, "involvedObject", "kind")
		name, _, _ := unstructured.NestedString(e.Object, "involvedObject", "name")
		typ, _, _ := unstructured.NestedString(e.Object, "type")
		msg, _, _ := unstructured.NestedString(e.Object, "message")
		if kind == xrdGVK.Kind && typ == "Warning" && !strings.Contains(msg, "already exists") {
			out = append(out, name+": "+msg)
		}
	}
	return out, nil
}

func waitRevisions(ctx context.Context, n int) error {
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	var last []string
	err := controlplane.Poll(wctx, 250*time.Millisecond, func() (bool, error) {
		l, err := list(wctx, revisionGVK, "")
		if err != nil {
			return false, err
		}
		last = last[:0]
		for i := range l {
			if s, msg := controlplane.ConditionOf(l[i], "ValidPipeline"); s != "True" {
				last = append(last, fmt.Sprintf("%s: ValidPipeline=%q %s", l[i].GetName(), s, msg))
			}
		}
		return len(l) >= n && len(last) == 0, nil
	})
	if err != nil {
		return fmt.Errorf("composition revisions not valid: %w: %v", err, last)
	}
	return nil
}

func list(ctx context.Context, gvk schema.GroupVersionKind, ns string) ([]*unstructured.Unstructured, error) {
	r, err := cp.Resource(gvk, ns)
	if err != nil {
		return nil, err
	}
	l, err := r.List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	out := make([]*unstructured.Unstructured, len(l.Items))
	for i := range l.Items {
		out[i] = &l.Items[i]
	}
	return out, nil
}

// readYAML reads one repository file into v.
func readYAML(file string, v any) error {
	objs, err := controlplane.ReadObjects(filepath.Join(root, file))
	if err != nil {
		return err
	}
	if len(objs) != 1 {
		return fmt.Errorf("%s holds %d objects", file, len(objs))
	}
	b, err := yaml.Marshal(objs[0].Object)
	if err != nil {
		return err
	}
	return yaml.Unmarshal(b, v)
}
