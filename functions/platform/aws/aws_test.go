package aws_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/fintech-platform/payment-platform/functions/platform/aws"
)

// TestRegions_EachHasThreeZones_API07_NET1: every listed region can host a
// platform (three distinct zones), and its zones are exactly its name plus one
// letter.
func TestRegions_EachHasThreeZones_API07_NET1(t *testing.T) {
	name := regexp.MustCompile(`^[a-z]{2}-[a-z]+-[0-9]$`)
	regions := aws.Regions()
	if len(regions) < 30 || !slices.IsSorted(regions) {
		t.Fatalf("regions = %v, want the 30-odd commercial regions, sorted", regions)
	}
	all := 0
	for _, r := range regions {
		if !name.MatchString(r) || !aws.IsRegion(r) {
			t.Errorf("region %q is not a commercial region name", r)
		}
		zones := aws.ZonesOf(r)
		if len(zones) < 3 {
			t.Errorf("%s has zones %v, a platform needs three", r, zones)
		}
		for _, z := range zones {
			if !aws.IsZoneOf(r, z) || len(z) != len(r)+1 {
				t.Errorf("%s: zone %q", r, z)
			}
		}
		all += len(zones)
	}
	if z := aws.Zones(); len(z) != all || !slices.IsSorted(z) {
		t.Errorf("Zones() has %d zones, the regions %d", len(z), all)
	}
}

// TestIsZoneOf_RealZonesOnly_API07: a zone letter AWS does not have, a zone of
// another region or a region not listed is refused.
func TestIsZoneOf_RealZonesOnly_API07(t *testing.T) {
	cases := map[[2]string]bool{
		{"us-east-1", "us-east-1a"}:         true,
		{"us-east-1", "us-east-1f"}:         true,
		{"us-east-1", "us-east-1g"}:         false,
		{"us-east-1", "us-east-1z"}:         false,
		{"ca-central-1", "ca-central-1c"}:   false, // Canada has a, b and d.
		{"ca-central-1", "ca-central-1d"}:   true,
		{"us-west-2", "us-west-2d"}:         true,
		{"us-east-1", "us-west-2a"}:         false,
		{"us-east-1", "us-east-1"}:          false,
		{"us-east-1", "us-east-1aa"}:        false,
		{"us-east-9", "us-east-9a"}:         false,
		{"us-gov-west-1", "us-gov-west-1a"}: false,
	}
	for c, want := range cases {
		if got := aws.IsZoneOf(c[0], c[1]); got != want {
			t.Errorf("IsZoneOf(%s, %s) = %v, want %v", c[0], c[1], got, want)
		}
	}
	if aws.IsRegion("us-east-9") || aws.IsRegion("") || len(aws.ZonesOf("us-east-9")) != 0 {
		t.Error("an unknown region is admitted")
	}
}

// TestLists_SortedUniqueAndReal_API07: the instance-type and engine-version
// lists hold each value once, in a stable order, each of the shape EC2 and RDS
// use; the accessors return copies.
func TestLists_SortedUniqueAndReal_API07(t *testing.T) {
	types := aws.NATInstanceTypes()
	if !slices.IsSorted(types) || len(slices.Compact(slices.Clone(types))) != len(types) {
		t.Errorf("NAT instance types not sorted and unique: %v", types)
	}
	shape := regexp.MustCompile(`^[a-z][a-z0-9]*\.(nano|micro|small|medium|large|[0-9]*xlarge)$`)
	for _, it := range types {
		if !shape.MatchString(it) || !aws.IsNATInstanceType(it) {
			t.Errorf("instance type %q", it)
		}
	}
	versions := aws.AuroraPostgreSQLVersions()
	seen := map[string]bool{}
	for _, v := range versions {
		if seen[v] || !aws.IsAuroraPostgreSQLVersion(v) || !strings.HasPrefix(v, "16.") && !strings.HasPrefix(v, "17.") {
			t.Errorf("engine version %q", v)
		}
		seen[v] = true
	}
	for _, v := range []string{"16.99", "16.5", "16.7", "17.0", "15.4", "16", ""} {
		if aws.IsAuroraPostgreSQLVersion(v) {
			t.Errorf("engine version %q admitted; Aurora never released it", v)
		}
	}
	types[0], versions[0] = "x", "x"
	if aws.NATInstanceTypes()[0] == "x" || aws.AuroraPostgreSQLVersions()[0] == "x" {
		t.Error("an accessor returned the list itself")
	}
}

// TestTags_ReservedPrefixAndCharacters_API07: aws: is reserved in any case;
// letters, digits, spaces and _ . : / = + - @ are allowed, in any script.
func TestTags_ReservedPrefixAndCharacters_API07(t *testing.T) {
	for s, want := range map[string]bool{"aws:owner": true, "AWS:owner": true, "Aws:x": true, "aws:": true, "aws": false, "awsome": false, "owner": false, "": false} {
		if got := aws.ReservedTagPrefix(s); got != want {
			t.Errorf("ReservedTagPrefix(%q) = %v, want %v", s, got, want)
		}
	}
	allowed := regexp.MustCompile(aws.TagPattern)
	for s, want := range map[string]bool{"cost-center": true, "team/owner@x.io": true, "a b=c+d:e_f": true, "Zürich 東京": true, "": true, "a*b": false, "a#b": false, "a\nb": false, "<x>": false} {
		if got := allowed.MatchString(s); got != want {
			t.Errorf("TagPattern matches %q = %v, want %v", s, got, want)
		}
	}
}

// TestAuroraInstanceClasses_MaxConnections_API07: every admitted class has the
// default max_connections AWS tabulates, at most 5000, sorted; others none.
func TestAuroraInstanceClasses_MaxConnections_API07(t *testing.T) {
	classes := aws.AuroraInstanceClasses()
	if !slices.IsSorted(classes) || len(classes) == 0 {
		t.Fatalf("classes = %v, want sorted and some", classes)
	}
	for _, c := range classes {
		if n, ok := aws.AuroraMaxConnections(c); !ok || n < 1 || n > 5000 {
			t.Errorf("%s: max_connections %d, %v", c, n, ok)
		}
	}
	if n, _ := aws.AuroraMaxConnections("db.r6g.xlarge"); n != 3479 {
		t.Errorf("db.r6g.xlarge: %d, AWS tabulates 3479", n)
	}
	if _, ok := aws.AuroraMaxConnections("db.t3.medium"); ok {
		t.Error("db.t3.medium admitted")
	}
}
