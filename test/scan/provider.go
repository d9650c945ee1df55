package scan

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"
)

// ProviderModule is the provider-upjet-aws module whose types the function
// composes; its source in the module cache is what Provider reads.
const ProviderModule = "github.com/upbound/provider-aws/v2"

// groupSuffix ends the API group of every namespaced provider-upjet-aws kind.
const groupSuffix = ".aws.m.upbound.io"

// Provider is what the converter reads from the provider module's source: the
// Terraform schema of every resource (config/schema.json, which says what is
// a nested block and what an attribute) and, per kind, its reference fields
// (the generated zz_generated.resolvers.go, which says which kind a selector
// picks and which of its attributes becomes the value).
type Provider struct {
	dir     string
	schemas map[string]*Block
	// resolvers holds each parsed resolvers file by path.
	resolvers map[string]*ast.File
}

// Block is the Terraform schema of a resource or of one of its nested blocks.
type Block struct {
	Attributes map[string]struct{} `json:"attributes"`
	BlockTypes map[string]struct {
		Block Block `json:"block"`
	} `json:"block_types"`
}

// Ref is one reference field of a kind: the value a selector or a named
// reference fills, as paths of JSON field names below the object's root, a
// "*" standing for every element of a list.
type Ref struct {
	// Value is where the resolved value goes; Selector and Reference are the
	// fields beside it that pick the target (Reference holds a list of names
	// when Multi).
	Value, Selector, Reference []string
	// Multi is true when the value is a list (ResolveMultiple).
	Multi bool
	// Target is the kind the reference points at.
	Target schema.GroupVersionKind
	// Attr is the Terraform attribute of the target that becomes the value:
	// id, arn or an argument; empty when the provider extracts the value in a
	// way this package does not know (such a reference is left unresolved).
	Attr string
	// Scalar is false when the value is not a string (references to numbers
	// exist); such references are left unresolved too.
	Scalar bool
}

// ProviderDir returns the provider module's folder in the module cache, as the
// root module (the module enclosing the working directory) requires it.
func ProviderDir() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", ProviderModule).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", fmt.Errorf("go list -m %s: %w: %s", ProviderModule, err, ee.Stderr)
		}
		return "", fmt.Errorf("go list -m %s: %w", ProviderModule, err)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		return "", fmt.Errorf("%s is not in the module cache: run go mod download", ProviderModule)
	}
	return dir, nil
}

// LoadProvider reads the provider's Terraform schema from the module folder
// dir (see ProviderDir).
func LoadProvider(dir string) (*Provider, error) {
	f, err := os.Open(filepath.Join(dir, "config", "schema.json")) //nolint:gosec // The provider module's own file.
	if err != nil {
		return nil, err
	}
	defer f.Close() //nolint:errcheck // Read only.
	var s struct {
		Schemas map[string]struct {
			Resources map[string]struct {
				Block Block `json:"block"`
			} `json:"resource_schemas"`
		} `json:"provider_schemas"`
	}
	if err := json.NewDecoder(f).Decode(&s); err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name(), err)
	}
	p := &Provider{dir: dir, schemas: map[string]*Block{}, resolvers: map[string]*ast.File{}}
	for _, ps := range s.Schemas {
		for t, r := range ps.Resources {
			b := r.Block
			p.schemas[t] = &b
		}
	}
	if len(p.schemas) == 0 {
		return nil, fmt.Errorf("%s: no resource schemas", f.Name())
	}
	return p, nil
}

// Schema returns the Terraform schema of resource type t.
func (p *Provider) Schema(t string) (*Block, bool) {
	b, ok := p.schemas[t]
	return b, ok
}

// Refs returns the reference fields of kind gvk, whose Go type is typ (a
// struct type), as the provider's generated ResolveReferences resolves them.
func (p *Provider) Refs(gvk schema.GroupVersionKind, typ reflect.Type) ([]Ref, error) {
	svc, ok := strings.CutSuffix(gvk.Group, groupSuffix)
	if !ok {
		return nil, fmt.Errorf("%s is not a namespaced provider-upjet-aws kind", gvk)
	}
	path := filepath.Join(p.dir, "apis", "namespaced", svc, gvk.Version, "zz_generated.resolvers.go")
	f, ok := p.resolvers[path]
	if !ok {
		var err error
		f, err = parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil && !os.IsNotExist(err) {
			return nil, err
		}
		p.resolvers[path] = f // nil: a group without references.
	}
	if f == nil {
		return nil, nil
	}
	var refs []Ref
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Name.Name != "ResolveReferences" || fd.Recv == nil || receiver(fd) != gvk.Kind {
			continue
		}
		var target schema.GroupVersionKind
		var err error
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if err != nil {
				return false
			}
			switch n := n.(type) {
			case *ast.CallExpr:
				if name(n.Fun) == "apisresolver.GetManagedResource" && len(n.Args) == 4 {
					g, v, k := lit(n.Args[0]), lit(n.Args[1]), lit(n.Args[2])
					target = schema.GroupVersionKind{Group: g, Version: v, Kind: k}
				}
			case *ast.CompositeLit:
				var r *Ref
				r, err = request(n, target, typ)
				if r != nil {
					refs = append(refs, *r)
				}
			}
			return true
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, gvk.Kind, err)
		}
	}
	return refs, nil
}

// request reads one reference.(Multi)NamespacedResolutionRequest literal; it
// returns nil for any other literal.
func request(cl *ast.CompositeLit, target schema.GroupVersionKind, typ reflect.Type) (*Ref, error) {
	var multi bool
	switch name(cl.Type) {
	case "reference.NamespacedResolutionRequest":
	case "reference.MultiNamespacedResolutionRequest":
		multi = true
	default:
		return nil, nil
	}
	if target.Kind == "" {
		return nil, errors.New("a resolution request before any GetManagedResource")
	}
	r := &Ref{Multi: multi, Target: target}
	for _, e := range cl.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		var err error
		switch name(kv.Key) {
		case "CurrentValue", "CurrentValues":
			call, ok := kv.Value.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return nil, fmt.Errorf("unexpected current value %s", name(kv.Value))
			}
			fn := name(call.Fun)
			r.Scalar = fn == "reference.FromPtrValue" || fn == "reference.FromPtrValues"
			r.Value, err = jsonPath(call.Args[0], typ)
		case "Selector":
			r.Selector, err = jsonPath(kv.Value, typ)
		case "Reference", "References":
			r.Reference, err = jsonPath(kv.Value, typ)
		case "Extract":
			r.Attr = extracted(kv.Value)
		}
		if err != nil {
			return nil, err
		}
	}
	if r.Value == nil || r.Selector == nil || r.Reference == nil {
		return nil, fmt.Errorf("incomplete resolution request for %s", target.Kind)
	}
	return r, nil
}

// extracted names the Terraform attribute an extractor reads from the target:
// the external name and the Terraform id are a resource's id, status.atProvider
// and spec.forProvider fields are named by their Terraform names.
func extracted(e ast.Expr) string {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return ""
	}
	// The package of common extractors is imported under more than one name
	// (common, common1), so extractors are known by their function names.
	_, fn, _ := strings.Cut(name(call.Fun), ".")
	switch fn {
	case "ExternalName", "ExtractResourceID", "TerraformID":
		return "id"
	case "ARNExtractor":
		return "arn"
	case "ExtractParamPath":
		if len(call.Args) > 0 {
			return lit(call.Args[0])
		}
	}
	return ""
}

// jsonPath turns a Go expression such as mg.Spec.ForProvider.Ingress[i].CidrBlocks
// into the JSON field names of typ: spec, forProvider, ingress, *, cidrBlocks.
func jsonPath(e ast.Expr, typ reflect.Type) ([]string, error) {
	var goPath []string
	for {
		switch x := e.(type) {
		case *ast.SelectorExpr:
			goPath = append(goPath, x.Sel.Name)
			e = x.X
			continue
		case *ast.IndexExpr:
			goPath = append(goPath, "*")
			e = x.X
			continue
		case *ast.Ident: // mg, the object itself.
		default:
			return nil, fmt.Errorf("unexpected field expression %T", e)
		}
		break
	}
	out := make([]string, 0, len(goPath))
	t := typ
	for i := len(goPath) - 1; i >= 0; i-- {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if goPath[i] == "*" {
			if t.Kind() != reflect.Slice {
				return nil, fmt.Errorf("%s: index into %s", strings.Join(out, "."), t)
			}
			t = t.Elem()
			out = append(out, "*")
			continue
		}
		if t.Kind() != reflect.Struct {
			return nil, fmt.Errorf("%s: field %s of %s", strings.Join(out, "."), goPath[i], t)
		}
		f, ok := t.FieldByName(goPath[i])
		if !ok {
			return nil, fmt.Errorf("%s has no field %s", t, goPath[i])
		}
		j, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if j == "" || j == "-" {
			return nil, fmt.Errorf("%s.%s has no JSON name", t, goPath[i])
		}
		out = append(out, j)
		t = f.Type
	}
	return out, nil
}

// receiver is the type name of a method's receiver (*T or T).
func receiver(fd *ast.FuncDecl) string {
	t := fd.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// name spells an identifier or a pkg.Name selector; "" for anything else.
func name(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		if p, ok := x.X.(*ast.Ident); ok {
			return p.Name + "." + x.Sel.Name
		}
	}
	return ""
}

// lit is the value of a string literal; "" for anything else.
func lit(e ast.Expr) string {
	b, ok := e.(*ast.BasicLit)
	if !ok || b.Kind != token.STRING {
		return ""
	}
	s, err := strconv.Unquote(b.Value)
	if err != nil {
		return ""
	}
	return s
}
