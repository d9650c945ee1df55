package network

import (
	"strings"
	"testing"
)

// TestValidateZones_RealZonesOfTheRegion_API07: a zone letter AWS does not
// have in the region (us-east-1z, ca-central-1c) is refused, naming the field
// and the region's zones.
func TestValidateZones_RealZonesOfTheRegion_API07(t *testing.T) {
	cases := map[string]struct {
		region string
		zones  []string
		want   string
	}{
		"default":        {"us-east-1", []string{"us-east-1a", "us-east-1b", "us-east-1c"}, ""},
		"canada":         {"ca-central-1", []string{"ca-central-1a", "ca-central-1b", "ca-central-1d"}, ""},
		"no such letter": {"us-east-1", []string{"us-east-1a", "us-east-1b", "us-east-1z"}, `spec.parameters.availabilityZones[2] "us-east-1z" is not a zone of region "us-east-1": its zones are us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f`},
		"canada c":       {"ca-central-1", []string{"ca-central-1a", "ca-central-1b", "ca-central-1c"}, `"ca-central-1c" is not a zone of region "ca-central-1": its zones are ca-central-1a, ca-central-1b, ca-central-1d`},
		"unknown region": {"us-east-9", []string{"us-east-9a", "us-east-9b", "us-east-9c"}, `spec.parameters.availabilityZones[0] "us-east-9a" is not a zone of region "us-east-9"`},
	}
	for name, tc := range cases {
		err := ValidateZones(tc.region, tc.zones)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: error = %v, want %q", name, err, tc.want)
		}
	}
}

// TestParseCIDR_ReservedRanges_API07: AWS refuses VPCs in this network,
// loopback, link-local, multicast and the reserved range above it.
func TestParseCIDR_ReservedRanges_API07(t *testing.T) {
	for cidr, refused := range map[string]bool{
		"10.0.0.0/16": false, "172.16.0.0/16": false, "192.168.0.0/24": false, "100.64.0.0/16": false, "11.0.0.0/16": false,
		"0.0.0.0/16": true, "127.0.0.0/16": true, "169.254.0.0/16": true, "224.0.0.0/16": true, "239.1.0.0/16": true, "240.0.0.0/16": true, "255.255.255.0/24": true,
	} {
		_, err := ParseCIDRField("spec.parameters.network.cidr", cidr)
		if refused != (err != nil) {
			t.Errorf("ParseCIDR(%s) = %v, want refused %v", cidr, err, refused)
		}
		if err != nil && !strings.Contains(err.Error(), `spec.parameters.network.cidr "`+cidr+`" is in `) {
			t.Errorf("ParseCIDR(%s) = %q, want the field and the reserved range", cidr, err)
		}
	}
}
