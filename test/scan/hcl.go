package scan

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// HCL writes the converted resources as Terraform configuration, one resource
// block each: arguments as attributes, nested blocks as blocks (as the
// provider's Terraform schema says; a scanner reads a nested block only as a
// block), references as traversals.
func (c *Converter) HCL(cv *Converted) ([]byte, error) {
	f := hclwrite.NewEmptyFile()
	root := f.Body()
	for i, r := range cv.Resources {
		s, ok := c.Provider.Schema(r.Type)
		if !ok {
			return nil, fmt.Errorf("%s: %w", r.Address(), errNoSchema)
		}
		if i > 0 {
			root.AppendNewline()
		}
		b := root.AppendNewBlock("resource", []string{r.Type, r.Name})
		if err := body(b.Body(), s, cv.params[r], r.Address()); err != nil {
			return nil, err
		}
	}
	for _, in := range cv.Inputs {
		root.AppendNewline()
		v := root.AppendNewBlock("variable", []string{in.Variable}).Body()
		v.SetAttributeRaw("type", hclwrite.TokensForIdentifier("string"))
		v.SetAttributeValue("description", cty.StringVal(fmt.Sprintf("%s of %s: the %s its selector picks, made outside this render", in.Field, in.Resource, in.Target)))
	}
	return f.Bytes(), nil
}

// body writes params into b following schema s; where names the block in
// errors.
func body(b *hclwrite.Body, s *Block, params map[string]any, where string) error {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := params[k]
		if v == nil {
			continue
		}
		if _, ok := s.Attributes[k]; ok {
			t, err := tokens(v)
			if err != nil {
				return fmt.Errorf("%s.%s: %w", where, k, err)
			}
			b.SetAttributeRaw(k, t)
			continue
		}
		bt, ok := s.BlockTypes[k]
		if !ok {
			return fmt.Errorf("%s.%s: neither an argument nor a block in the Terraform schema", where, k)
		}
		var elems []any
		switch v := v.(type) {
		case map[string]any:
			elems = []any{v}
		case []any:
			elems = v
		default:
			return fmt.Errorf("%s.%s: a block given as %T", where, k, v)
		}
		for i, e := range elems {
			m, ok := e.(map[string]any)
			if !ok {
				return fmt.Errorf("%s.%s[%d]: a block given as %T", where, k, i, e)
			}
			child := b.AppendNewBlock(k, nil)
			if err := body(child.Body(), &bt.Block, m, fmt.Sprintf("%s.%s[%d]", where, k, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// tokens writes an argument's value: a reference as a traversal, anything
// else as its literal.
func tokens(v any) (hclwrite.Tokens, error) {
	switch v := v.(type) {
	case string:
		if ref, ok := strings.CutPrefix(v, refPrefix); ok {
			var t hcl.Traversal
			for i, part := range strings.Split(ref, ".") {
				if i == 0 {
					t = append(t, hcl.TraverseRoot{Name: part})
					continue
				}
				t = append(t, hcl.TraverseAttr{Name: part})
			}
			return hclwrite.TokensForTraversal(t), nil
		}
		return hclwrite.TokensForValue(cty.StringVal(v)), nil
	case bool:
		return hclwrite.TokensForValue(cty.BoolVal(v)), nil
	case float64:
		return hclwrite.TokensForValue(cty.NumberFloatVal(v)), nil
	case int64:
		return hclwrite.TokensForValue(cty.NumberIntVal(v)), nil
	case int:
		return hclwrite.TokensForValue(cty.NumberIntVal(int64(v))), nil
	case json.Number:
		n, err := cty.ParseNumberVal(v.String())
		if err != nil {
			return nil, err
		}
		return hclwrite.TokensForValue(n), nil
	case []any:
		elems := make([]hclwrite.Tokens, len(v))
		for i, e := range v {
			t, err := tokens(e)
			if err != nil {
				return nil, err
			}
			elems[i] = t
		}
		return hclwrite.TokensForTuple(elems), nil
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		attrs := make([]hclwrite.ObjectAttrTokens, 0, len(v))
		for _, k := range keys {
			t, err := tokens(v[k])
			if err != nil {
				return nil, err
			}
			attrs = append(attrs, hclwrite.ObjectAttrTokens{Name: hclwrite.TokensForValue(cty.StringVal(k)), Value: t})
		}
		return hclwrite.TokensForObject(attrs), nil
	case nil:
		return hclwrite.TokensForValue(cty.NullVal(cty.DynamicPseudoType)), nil
	}
	return nil, fmt.Errorf("a value of type %T", v)
}
