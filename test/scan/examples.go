package scan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	kyaml "k8s.io/apimachinery/pkg/util/yaml"
)

// ClaimAPIVersion is the API version of the platform's XRs; an example is a
// YAML file under examples/ holding one.
const ClaimAPIVersion = "payments.platform.io/v1alpha1"

// Examples returns the example claims under root/examples (however they are
// laid out), as slash-separated paths from root, sorted: every YAML file with
// a document of ClaimAPIVersion. Anything else there (the Function render
// uses) is not an example.
func Examples(root string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(filepath.Join(root, "examples"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if ext := filepath.Ext(p); ext != ".yaml" && ext != ".yml" {
			return nil
		}
		b, err := os.ReadFile(p) //nolint:gosec // Walking the repository's examples.
		if err != nil {
			return err
		}
		docs, err := Parse(b)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if slices.ContainsFunc(docs, func(d *unstructured.Unstructured) bool { return d.GetAPIVersion() == ClaimAPIVersion }) {
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(out)
	return out, err
}

// Render runs the render command argv with the example file appended (from
// root) and parses the YAML stream it prints.
func Render(ctx context.Context, root string, argv []string, example string) ([]*unstructured.Unstructured, error) {
	if len(argv) == 0 {
		return nil, errors.New("no render command")
	}
	cmd := exec.CommandContext(ctx, argv[0], append(argv[1:], example)...) //nolint:gosec // The render tool the Makefile names.
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("render %s: %w: %s", example, err, strings.TrimSpace(stderr.String()))
	}
	return Parse(out)
}

// Parse reads a YAML stream into objects, skipping empty documents.
func Parse(b []byte) ([]*unstructured.Unstructured, error) {
	d := kyaml.NewYAMLOrJSONDecoder(bytes.NewReader(b), 4096)
	var out []*unstructured.Unstructured
	for {
		u := &unstructured.Unstructured{}
		err := d.Decode(&u.Object)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if len(u.Object) > 0 {
			out = append(out, u)
		}
	}
}
