package xrd_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/fintech-platform/payment-platform/functions/platform/aws"
)

// prop is a schema property found under spec.parameters.
type prop struct {
	path   string
	schema obj
}

// fields returns every property under s named one of names, at any depth,
// with its path (network.natInstanceType); for a list, its items.
func fields(s obj, prefix string, names ...string) []prop {
	var out []prop
	props, _ := s["properties"].(obj)
	for n, p := range props {
		p := p.(obj)
		path := strings.TrimPrefix(prefix+"."+n, ".")
		if slices.Contains(names, n) {
			if items, ok := p["items"].(obj); ok {
				out = append(out, prop{path + "[*]", items})
			} else {
				out = append(out, prop{path, p})
			}
		}
		out = append(out, fields(p, path, names...)...)
	}
	return out
}

// TestXRD_EnumsMatchAWSLists_API07: every XRD field that names a region, an
// availability zone, a NAT instance type or an Aurora engine version carries
// the list of functions/platform/aws as its enum, exactly (both directions),
// so kubectl apply refuses what the function refuses and the two lists cannot
// drift. A string a CEL rule reads is bounded by maxLength, at least as long
// as the longest value.
func TestXRD_EnumsMatchAWSLists_API07(t *testing.T) {
	lists := []struct {
		names []string
		want  []string
	}{
		{[]string{"region", "replicaRegion"}, aws.Regions()},
		{[]string{"availabilityZones"}, aws.Zones()},
		{[]string{"natInstanceType", "instanceType"}, aws.NATInstanceTypes()},
		{[]string{"engineVersion"}, aws.AuroraPostgreSQLVersions()},
	}
	seen := map[string]int{}
	for kind, x := range xrds(t) {
		for _, l := range lists {
			for _, f := range fields(params(x), "", l.names...) {
				seen[l.names[0]]++
				got := map[string]bool{}
				enum, _ := f.schema["enum"].([]any)
				for _, v := range enum {
					got[toString(v)] = true
				}
				var missing, extra []string
				for _, w := range l.want {
					if !got[w] {
						missing = append(missing, w)
					}
					delete(got, w)
				}
				for v := range got {
					extra = append(extra, v)
				}
				if len(missing)+len(extra) > 0 {
					slices.Sort(extra)
					t.Errorf("%s spec.parameters.%s: enum lacks %v and has %v that functions/platform/aws does not list; want\n  enum: [\"%s\"]",
						kind, f.path, missing, extra, strings.Join(l.want, `", "`))
				}
				if ml, ok := f.schema["maxLength"].(float64); ok {
					for _, w := range l.want {
						if len(w) > int(ml) {
							t.Errorf("%s spec.parameters.%s: maxLength %v is shorter than %q", kind, f.path, ml, w)
						}
					}
				}
			}
		}
	}
	// Every layer that takes a region takes zones but the API layer (a
	// regional service: no zones to choose), the compute and messaging
	// layers (their subnets' zones are the network's) and the documents layer (S3 has no
	// zones to choose; it takes a replica region, as the keys do), the observability layer
	// (CloudWatch and SNS are regional), and the claim, the network
	// and the NAT instances take an instance type; the claim and the database
	// an engine version.
	want := map[string]int{"region": 15, "availabilityZones": 6, "natInstanceType": 3, "engineVersion": 2}
	for n, w := range want {
		if seen[n] != w {
			t.Errorf("%d XRD fields checked against the %s list, want %d: a field was renamed or added", seen[n], n, w)
		}
	}
}
