// Package xrd_test checks the XRDs and Compositions against each other and
// against the function: the schema must admit what the function writes (or
// Crossplane prunes it silently) and enforce the same rules the function does.
package xrd_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/aws"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
)

const root = "../.."

type obj = map[string]any

func load(t *testing.T, file string) map[string]obj {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(root, "apis", "*", file))
	out := map[string]obj{}
	for _, f := range files {
		b, err := os.ReadFile(f) //nolint:gosec // Repository files.
		if err != nil {
			t.Fatal(err)
		}
		o := obj{}
		if err := yaml.Unmarshal(b, &o); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[filepath.Base(filepath.Dir(f))] = o
	}
	return out
}

func get(o any, path ...string) any {
	for _, p := range path {
		m, ok := o.(obj)
		if !ok {
			return nil
		}
		o = m[p]
	}
	return o
}

func xrds(t *testing.T) map[string]obj {
	t.Helper()
	out := map[string]obj{}
	for _, x := range load(t, "definition.yaml") {
		out[get(x, "spec", "names", "kind").(string)] = x
	}
	return out
}

func version(x obj) obj { return get(x, "spec", "versions").([]any)[0].(obj) }

func params(x obj) obj {
	return get(version(x), "schema", "openAPIV3Schema", "properties", "spec", "properties", "parameters").(obj)
}

func TestXRDs_NamespacedV2WithComposition_API01_D1(t *testing.T) {
	comps := map[string]string{}
	for _, c := range load(t, "composition.yaml") {
		if get(c, "spec", "mode") != "Pipeline" {
			t.Errorf("composition %v is not in Pipeline mode", get(c, "metadata", "name"))
		}
		comps[get(c, "metadata", "name").(string)] = get(c, "spec", "compositeTypeRef", "kind").(string)
	}
	all := xrds(t)
	want := []string{"ApiGateway", "Compute", "Database", "Documents", "InterfaceEndpoint", "KeySet", "Messaging", "NatInstances", "Network", "Observability", "PaymentPlatform", "VpcEndpoints"}
	var got []string
	for k := range all {
		got = append(got, k)
	}
	sort.Strings(got)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("XRD kinds = %v, want %v", got, want)
	}
	for kind, x := range all {
		if x["apiVersion"] != "apiextensions.crossplane.io/v2" || get(x, "spec", "scope") != "Namespaced" || get(x, "spec", "group") != "payments.platform.io" {
			t.Errorf("%s: %v scope %v group %v", kind, x["apiVersion"], get(x, "spec", "scope"), get(x, "spec", "group"))
		}
		if version(x)["name"] != strings.TrimPrefix(compose.APIVersion, "payments.platform.io/") {
			t.Errorf("%s: version %v, the function writes %s", kind, version(x)["name"], compose.APIVersion)
		}
		ref, _ := get(x, "spec", "defaultCompositionRef", "name").(string)
		if comps[ref] != kind {
			t.Errorf("%s: default composition %q composes %q", kind, ref, comps[ref])
		}
	}
}

// TestXRDs_SuffixRuleMatchesNaming_API02: every XRD bounds environmentSuffix
// exactly as the naming package does, whose tests prove every name fits.
func TestXRDs_SuffixRuleMatchesNaming_API02(t *testing.T) {
	for kind, x := range xrds(t) {
		s := get(params(x), "properties", "environmentSuffix").(obj)
		if s["pattern"] != naming.SuffixPattern || s["maxLength"] != float64(naming.MaxSuffixLength) {
			t.Errorf("%s: environmentSuffix pattern %v maxLength %v, want %s and %d", kind, s["pattern"], s["maxLength"], naming.SuffixPattern, naming.MaxSuffixLength)
		}
		req, _ := params(x)["required"].([]any)
		if len(req) == 0 || req[0] != "environmentSuffix" {
			t.Errorf("%s: environmentSuffix is not required: %v", kind, req)
		}
	}
}

// TestXRDs_ClaimDefaults_API03: only environmentSuffix is required, and the
// schema's defaults are the function's.
func TestXRDs_ClaimDefaults_API03(t *testing.T) {
	p := params(xrds(t)["PaymentPlatform"])
	if req := p["required"].([]any); len(req) != 1 {
		t.Errorf("claim requires %v, want only environmentSuffix", req)
	}
	def := func(path ...string) any { return get(p, append([]string{"properties"}, append(path, "default")...)...) }
	checks := map[string][2]any{
		"region":        {def("region"), api.DefaultRegion},
		"replicaRegion": {def("replicaRegion"), api.DefaultReplicaRegion},
		"cidr":          {get(p, "properties", "network", "properties", "cidr", "default"), api.DefaultCIDR},
		"natType":       {get(p, "properties", "network", "properties", "natInstanceType", "default"), api.DefaultNATInstanceType},
		"zones":         {def("availabilityZones"), strings.Join(api.DefaultZones(api.DefaultRegion), ",")},
	}
	db := func(f string) any { return get(p, "properties", "database", "properties", f, "default") }
	checks["instanceClass"] = [2]any{db("instanceClass"), api.DefaultInstanceClass}
	checks["engineVersion"] = [2]any{db("engineVersion"), api.DefaultEngineVersion}
	checks["backupRetentionDays"] = [2]any{db("backupRetentionDays"), float64(api.DefaultBackupRetentionDays)}
	checks["instanceClasses"] = [2]any{get(p, "properties", "database", "properties", "instanceClass", "enum"), strings.Join(aws.AuroraInstanceClasses(), ",")}
	layer := params(xrds(t)["Database"])
	checks["layer instanceClasses"] = [2]any{get(layer, "properties", "instanceClass", "enum"), strings.Join(aws.AuroraInstanceClasses(), ",")}
	checks["layer instanceClass"] = [2]any{get(layer, "properties", "instanceClass", "default"), api.DefaultInstanceClass}
	for name, c := range checks {
		if toString(c[0]) != toString(c[1]) {
			t.Errorf("%s: XRD default %v, function default %v", name, c[0], c[1])
		}
	}
}

func toString(v any) string {
	switch v := v.(type) {
	case []any:
		s := make([]string, len(v))
		for i, e := range v {
			s[i] = toString(e)
		}
		return strings.Join(s, ",")
	case string:
		return v
	case nil:
		return "<nil>"
	}
	b, _ := yaml.Marshal(v)
	return strings.TrimSpace(string(b))
}

func TestXRDs_PrinterColumns_API04(t *testing.T) {
	cols := map[string]string{}
	for _, c := range version(xrds(t)["PaymentPlatform"])["additionalPrinterColumns"].([]any) {
		cols[c.(obj)["name"].(string)] = c.(obj)["jsonPath"].(string)
	}
	want := map[string]string{"Suffix": ".spec.parameters.environmentSuffix", "Region": ".spec.parameters.region", "VPC": ".status.network.vpcId", "Network": ".status.layers.network", "Keys": ".status.layers.keys", "Database": ".status.layers.database", "Compute": ".status.layers.compute", "API": ".status.layers.api", "URL": ".status.api.url"}
	for n, p := range want {
		if cols[n] != p {
			t.Errorf("column %s = %q, want %q", n, cols[n], p)
		}
	}
}
