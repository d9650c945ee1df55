// Package outputs turns a PaymentPlatform claim into the flat outputs file
// the integration tests read (SPEC D-4): cfn-outputs/flat-outputs.json, one
// JSON object of string keys to string values.
//
// A key is the path of a value in the claim's status, each segment in upper
// camel case and concatenated: status.network.vpcId is NetworkVpcId,
// status.keys.keyArns["documents-replica"] is KeysKeyArnsDocumentsReplica, and
// a list's elements are numbered from 0 (NetworkSubnetIdsPrivate0). The
// claim's region, replica region, environment suffix and availability zones
// come from its spec (Region, ReplicaRegion, EnvironmentSuffix,
// AvailabilityZones0…). Conditions, layer states and warnings (the claim's
// and each layer's) are not outputs.
package outputs

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// File is where the outputs file goes, relative to the repository root.
const File = "cfn-outputs/flat-outputs.json"

// notOutputs are the status fields that say how the claim is, not what it made.
var notOutputs = map[string]bool{"conditions": true, "layers": true, "warnings": true}

// specOutputs are the spec parameters the tests need to know where to look.
var specOutputs = []string{"environmentSuffix", "region", "replicaRegion", "availabilityZones"}

// Flatten returns the flat outputs of claim, a PaymentPlatform as the API
// server returns it (defaults applied). Two paths that would give the same key
// are an error, never a silent overwrite.
func Flatten(claim map[string]any) (map[string]string, error) {
	out := map[string]string{}
	params, _ := dig(claim, "spec", "parameters").(map[string]any)
	for _, k := range specOutputs {
		if v, ok := params[k]; ok {
			if err := flatten(out, Key(k), v); err != nil {
				return nil, err
			}
		}
	}
	status, _ := dig(claim, "status").(map[string]any)
	for _, k := range sortedKeys(status) {
		if notOutputs[k] {
			continue
		}
		if err := flatten(out, Key(k), status[k]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func flatten(out map[string]string, key string, v any) error {
	switch v := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(v) {
			if k == "warnings" {
				// A layer's warnings say how it is, like the claim's.
				continue
			}
			if err := flatten(out, key+Key(k), v[k]); err != nil {
				return err
			}
		}
		return nil
	case []any:
		for i, e := range v {
			if err := flatten(out, key+strconv.Itoa(i), e); err != nil {
				return err
			}
		}
		return nil
	case nil:
		return nil
	}
	if _, dup := out[key]; dup {
		return fmt.Errorf("two status fields flatten to the key %q", key)
	}
	switch v := v.(type) {
	case string:
		out[key] = v
	case float64:
		out[key] = strconv.FormatFloat(v, 'f', -1, 64)
	default:
		out[key] = fmt.Sprint(v)
	}
	return nil
}

// Key turns a status field name or map key into a key segment: upper camel
// case, with '-', '_', '.' and '/' as word breaks (documents-replica is
// DocumentsReplica).
func Key(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if r == '-' || r == '_' || r == '.' || r == '/' {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Write writes outs to path as indented JSON with sorted keys, creating its
// directory.
func Write(path string, outs map[string]string) error {
	b, err := json.MarshalIndent(outs, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o600)
}

// Read reads an outputs file.
func Read(path string) (map[string]string, error) {
	b, err := os.ReadFile(path) //nolint:gosec // The outputs file the caller names.
	if err != nil {
		return nil, err
	}
	var outs map[string]string
	if err := json.Unmarshal(b, &outs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return outs, nil
}

func dig(m map[string]any, path ...string) any {
	var cur any = m
	for _, p := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[p]
	}
	return cur
}

func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
