package controlplane

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	kyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/dynamic"
)

// fieldManager owns what the harness applies.
const fieldManager = "payment-platform-e2e"

// ReadObjects parses the YAML streams in files into objects.
func ReadObjects(files ...string) ([]*unstructured.Unstructured, error) {
	var out []*unstructured.Unstructured
	for _, f := range files {
		b, err := os.ReadFile(f) //nolint:gosec // The caller's manifests.
		if err != nil {
			return nil, err
		}
		dec := kyaml.NewYAMLOrJSONDecoder(bytes.NewReader(b), 4096)
		for {
			m := map[string]any{}
			if err := dec.Decode(&m); err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			if len(m) > 0 {
				out = append(out, &unstructured.Unstructured{Object: m})
			}
		}
	}
	return out, nil
}

// Resource returns a client for objects of kind gvk, namespaced to ns when the
// kind is namespaced. It rediscovers the API once when the kind is unknown
// (a CRD that was just established).
func (cp *ControlPlane) Resource(gvk schema.GroupVersionKind, ns string) (dynamic.ResourceInterface, error) {
	m, err := cp.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if meta.IsNoMatchError(err) {
		cp.mapper.Reset()
		m, err = cp.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	}
	if err != nil {
		return nil, err
	}
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		return cp.Dynamic.Resource(m.Resource).Namespace(ns), nil
	}
	return cp.Dynamic.Resource(m.Resource), nil
}

// For returns a client for objects like o.
func (cp *ControlPlane) For(o *unstructured.Unstructured) (dynamic.ResourceInterface, error) {
	return cp.Resource(o.GroupVersionKind(), o.GetNamespace())
}

// Apply server-side applies objs in order.
func (cp *ControlPlane) Apply(ctx context.Context, objs ...*unstructured.Unstructured) error {
	for _, o := range objs {
		r, err := cp.For(o)
		if err != nil {
			return fmt.Errorf("%s %s: %w", o.GetKind(), o.GetName(), err)
		}
		if _, err := r.Apply(ctx, o.GetName(), o, metav1.ApplyOptions{FieldManager: fieldManager, Force: true}); err != nil {
			return fmt.Errorf("cannot apply %s %s: %w", o.GetKind(), o.GetName(), err)
		}
	}
	return nil
}

// ApplyFiles applies every object in files.
func (cp *ControlPlane) ApplyFiles(ctx context.Context, files ...string) error {
	objs, err := ReadObjects(files...)
	if err != nil {
		return err
	}
	return cp.Apply(ctx, objs...)
}

// ApplyStatus merges status into o's status subresource.
func (cp *ControlPlane) ApplyStatus(ctx context.Context, o *unstructured.Unstructured, status map[string]any) error {
	r, err := cp.For(o)
	if err != nil {
		return err
	}
	patch, err := json.Marshal(map[string]any{"status": status})
	if err != nil {
		return err
	}
	_, err = r.Patch(ctx, o.GetName(), types.MergePatchType, patch, metav1.PatchOptions{FieldManager: fieldManager}, "status")
	return err
}

// Get returns the current o, or nil if it does not exist.
func (cp *ControlPlane) Get(ctx context.Context, o *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	r, err := cp.For(o)
	if err != nil {
		return nil, err
	}
	got, err := r.Get(ctx, o.GetName(), metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, nil
	}
	return got, err
}

// WaitEstablished waits until every CRD is Established.
func (cp *ControlPlane) WaitEstablished(ctx context.Context) error {
	crds := schema.GroupVersionKind{Group: "apiextensions.k8s.io", Version: "v1", Kind: "CustomResourceDefinition"}
	return Poll(ctx, 100*time.Millisecond, func() (bool, error) {
		r, err := cp.Resource(crds, "")
		if err != nil {
			return false, err
		}
		l, err := r.List(ctx, metav1.ListOptions{})
		if err != nil {
			return false, err
		}
		for _, c := range l.Items {
			if Condition(&c, "Established") != "True" {
				return false, nil
			}
		}
		cp.mapper.Reset()
		return true, nil
	})
}

// Kubectl runs kubectl against the control plane, as a user would, and returns
// its combined output.
func (cp *ControlPlane) Kubectl(ctx context.Context, stdin []byte, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "kubectl", append([]string{"--kubeconfig", cp.Kubeconfig}, args...)...) //nolint:gosec // kubectl with our arguments.
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// Condition returns the status of o's condition typ, or "" if it has none.
func Condition(o *unstructured.Unstructured, typ string) string {
	s, _ := ConditionOf(o, typ)
	return s
}

// ConditionOf returns the status and message of o's condition typ.
func ConditionOf(o *unstructured.Unstructured, typ string) (status, message string) {
	cs, _, _ := unstructured.NestedSlice(o.Object, "status", "conditions")
	for _, c := range cs {
		m, ok := c.(map[string]any)
		if !ok || m["type"] != typ {
			continue
		}
		s, _ := m["status"].(string)
		msg, _ := m["message"].(string)
		return s, msg
	}
	return "", ""
}

// Poll calls done every interval until it returns true or an error, or ctx
// ends, or the optional timeout passes.
func Poll(ctx context.Context, interval time.Duration, done func() (bool, error), timeout ...time.Duration) error {
	if len(timeout) > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout[0])
		defer cancel()
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		ok, err := done()
		if err != nil || ok {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

func encodeBase64(b []byte) string {
	return base64.StdEncoding.EncodeToString(b)
}
