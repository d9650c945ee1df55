package network

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strings"

	"github.com/fintech-platform/payment-platform/functions/platform/wiring"

	"github.com/fintech-platform/payment-platform/functions/platform/aws"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/layers/nat"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
)

// Tiers of subnets, in the order their CIDR blocks are carved from the VPC.
const (
	TierPublic   = wiring.TierPublic
	TierPrivate  = wiring.TierPrivate
	TierDatabase = wiring.TierDatabase
)

// Tiers lists the subnet tiers in CIDR order.
var Tiers = []string{TierPublic, TierPrivate, TierDatabase}

// Spec is a Network XR's spec.parameters.
type Spec struct {
	compose.Common
	AvailabilityZones []string `json:"availabilityZones"`
	CIDR              string   `json:"cidr"`
	// NATInstanceType is the EC2 instance type of the NAT instances.
	NATInstanceType string `json:"natInstanceType,omitempty"`
}

// Defaults the XRD also declares; applied here too so the function gives the
// same answer when it runs without the XRD (unit tests, render without --xrd).
const (
	DefaultRegion = "us-east-1"
	DefaultCIDR   = "10.0.0.0/16"
)

// DefaultZones returns the three default availability zones of region.
func DefaultZones(region string) []string {
	return []string{region + "a", region + "b", region + "c"}
}

// Default fills in what the claim left out.
func (s *Spec) Default() {
	if s.Region == "" {
		s.Region = DefaultRegion
	}
	if len(s.AvailabilityZones) == 0 {
		s.AvailabilityZones = DefaultZones(s.Region)
	}
	if s.CIDR == "" {
		s.CIDR = DefaultCIDR
	}
	if s.NATInstanceType == "" {
		s.NATInstanceType = nat.DefaultInstanceType
	}
}

// Minimum and maximum VPC prefix lengths. AWS admits /16 to /28; the VPC is cut
// into 16 equal blocks (4 more bits) of which 9 become subnets, and AWS's
// smallest subnet is /28, so the VPC can be at most a /24.
const (
	MinPrefix = 16
	MaxPrefix = 24
)

// Validate checks the parameters and names the field and rule that fail.
func (s *Spec) Validate() error {
	if err := naming.ValidateSuffix(s.EnvironmentSuffix); err != nil {
		return err
	}
	if err := ValidateZones(s.Region, s.AvailabilityZones); err != nil {
		return err
	}
	if _, err := ParseCIDR(s.CIDR); err != nil {
		return err
	}
	return nat.CheckInstanceType("spec.parameters.natInstanceType", s.NATInstanceType)
}

// ValidateZones checks that zones are three distinct zones of region.
func ValidateZones(region string, zones []string) error {
	if len(zones) != 3 {
		return fmt.Errorf("spec.parameters.availabilityZones must list exactly 3 zones, got %d", len(zones))
	}
	seen := map[string]bool{}
	for i, z := range zones {
		if !aws.IsZoneOf(region, z) {
			return fmt.Errorf("spec.parameters.availabilityZones[%d] %q is not a zone of region %q: its zones are %s", i, z, region, strings.Join(aws.ZonesOf(region), ", "))
		}
		if seen[z] {
			return fmt.Errorf("spec.parameters.availabilityZones[%d] %q is listed twice; the three zones must differ", i, z)
		}
		seen[z] = true
	}
	return nil
}

// ParseCIDR parses and checks the VPC CIDR of a Network.
func ParseCIDR(cidr string) (netip.Prefix, error) {
	return ParseCIDRField("spec.parameters.cidr", cidr)
}

// ParseCIDRField parses and checks a VPC CIDR given in field.
func ParseCIDRField(field, cidr string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(cidr)
	if err != nil || !p.Addr().Is4() {
		return netip.Prefix{}, fmt.Errorf("%s %q is not an IPv4 CIDR block such as 10.0.0.0/16", field, cidr)
	}
	if p.Masked() != p {
		return netip.Prefix{}, fmt.Errorf("%s %q has host bits set; did you mean %s?", field, cidr, p.Masked())
	}
	if p.Bits() < MinPrefix || p.Bits() > MaxPrefix {
		return netip.Prefix{}, fmt.Errorf("%s %q must be a /%d to /%d: AWS admits no VPC larger than /16, and 9 subnets of at least /28 need a /24", field, cidr, MinPrefix, MaxPrefix)
	}
	for _, r := range reserved {
		if r.Overlaps(p) {
			return netip.Prefix{}, fmt.Errorf("%s %q is in %s, which AWS does not admit for a VPC (this network, loopback, link-local, multicast and reserved ranges)", field, cidr, r)
		}
	}
	return p, nil
}

// reserved are the IPv4 ranges AWS refuses for a VPC: this network, loopback,
// link-local, and multicast and the reserved class E above it.
var reserved = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("224.0.0.0/3"),
}

// SubnetCIDR returns the CIDR block of the subnet of tier in the zone with index
// zone (0, 1, 2). The VPC is cut into 16 blocks; tier t, zone z gets block
// 4t+z, leaving one spare block per tier to grow into.
func SubnetCIDR(vpc netip.Prefix, tier string, zone int) netip.Prefix {
	t := 0
	for i, n := range Tiers {
		if n == tier {
			t = i
		}
	}
	bits := vpc.Bits() + 4
	a := vpc.Addr().As4()
	// Block 4t+zone of 16 (t < 3, zone < 3) of a /16–/24: no overflow.
	block := uint32(4*t+zone) << (32 - bits) //nolint:gosec // 0 ≤ 4t+zone < 16, bits ≤ 28.
	var out [4]byte
	binary.BigEndian.PutUint32(out[:], binary.BigEndian.Uint32(a[:])+block)
	return netip.PrefixFrom(netip.AddrFrom4(out), bits)
}
