package api

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/fintech-platform/payment-platform/functions/platform/aws"
	"github.com/fintech-platform/payment-platform/functions/platform/capacity"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
)

// The validators of inputs more than one XR has, each called with the path the
// input has in the XR at hand.

// ValidateAccountID checks that id is an AWS account id.
var ValidateAccountID = compose.ValidateAccountID

// ValidateReplicaRegion checks the replica region: a region, and not region
// itself (a replica in the same region survives no regional outage).
func ValidateReplicaRegion(p *field.Path, region, replica string) field.ErrorList {
	if errs := compose.ValidateRegion(p, replica); len(errs) > 0 {
		return errs
	}
	if replica == region {
		return field.ErrorList{field.Invalid(p, replica, "must differ from spec.parameters.region: a replica in the same region survives no regional outage")}
	}
	return nil
}

// ValidateZones checks that zones are three distinct zones of region.
func ValidateZones(p *field.Path, region string, zones []string) field.ErrorList {
	if len(zones) != 3 {
		return field.ErrorList{field.Invalid(p, strings.Join(zones, ","), fmt.Sprintf("must list exactly 3 zones, got %d", len(zones)))}
	}
	var errs field.ErrorList
	for i, z := range zones {
		switch {
		case !aws.IsZoneOf(region, z):
			errs = append(errs, field.NotSupported(p.Index(i), z, aws.ZonesOf(region)))
		case slices.Index(zones, z) < i:
			errs = append(errs, field.Duplicate(p.Index(i), z))
		}
	}
	return errs
}

// Minimum and maximum VPC prefix lengths. AWS admits /16 to /28; the VPC is cut
// into 16 equal blocks (4 more bits) of which 9 become subnets, and AWS's
// smallest subnet is /28, so the VPC can be at most a /24. What a claim puts
// in the subnets needs more: ValidateAddressBudget.
const (
	MinPrefix = 16
	MaxPrefix = 24
)

// reserved are the IPv4 ranges AWS refuses for a VPC: this network, loopback,
// link-local, and multicast and the reserved class E above it.
var reserved = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("224.0.0.0/3"),
}

// ValidateCIDR parses and checks a VPC CIDR block.
func ValidateCIDR(p *field.Path, cidr string) (netip.Prefix, field.ErrorList) {
	pfx, err := netip.ParsePrefix(cidr)
	if err != nil || !pfx.Addr().Is4() {
		return netip.Prefix{}, field.ErrorList{field.Invalid(p, cidr, "must be an IPv4 CIDR block such as 10.0.0.0/16")}
	}
	if pfx.Masked() != pfx {
		return netip.Prefix{}, field.ErrorList{field.Invalid(p, cidr, fmt.Sprintf("has host bits set; did you mean %s?", pfx.Masked()))}
	}
	if pfx.Bits() < MinPrefix || pfx.Bits() > MaxPrefix {
		return netip.Prefix{}, field.ErrorList{field.Invalid(p, cidr, fmt.Sprintf("must be a /%d to /%d: AWS admits no VPC larger than /16, and 9 subnets of at least /28 need a /24", MinPrefix, MaxPrefix))}
	}
	for _, r := range reserved {
		if r.Overlaps(pfx) {
			return netip.Prefix{}, field.ErrorList{field.Invalid(p, cidr, fmt.Sprintf("is in %s, which AWS does not admit for a VPC (this network, loopback, link-local, multicast and reserved ranges)", r))}
		}
	}
	return pfx, nil
}

// ValidateAddressBudget checks that the subnets of vpc hold what load puts in
// them (SPEC NET-7), naming the smallest VPC that would.
func ValidateAddressBudget(p *field.Path, vpc netip.Prefix, load capacity.Load) field.ErrorList {
	short, fits := capacity.Check(capacity.Budget(load), vpc.Bits())
	if len(short) == 0 {
		return nil
	}
	msg := "is too small for this claim: " + strings.Join(short, "; ")
	if fits > 0 {
		msg += fmt.Sprintf(". The smallest VPC that fits is a /%d (docs/capacity.md, \"Addresses\")", fits)
	} else {
		msg += ". Not even a /16 fits: lower spec.parameters.capacity.concurrentTransactions"
	}
	return field.ErrorList{field.Invalid(p, vpc.String(), msg)}
}

// ValidateConcurrentTransactions checks the load a claim is sized for.
func ValidateConcurrentTransactions(p *field.Path, n int) field.ErrorList {
	if n < capacity.MinConcurrentTransactions || n > capacity.MaxConcurrentTransactions {
		return field.ErrorList{field.Invalid(p, n, fmt.Sprintf("must be %d to %d", capacity.MinConcurrentTransactions, capacity.MaxConcurrentTransactions))}
	}
	return nil
}

// ValidateNATInstanceType checks that t is an instance type the aws package
// admits for NAT instances, as the XRDs' enums do (SPEC API-0.7).
func ValidateNATInstanceType(p *field.Path, t string) field.ErrorList {
	if !aws.IsNATInstanceType(t) {
		return field.ErrorList{field.NotSupported(p, t, aws.NATInstanceTypes())}
	}
	return nil
}

// validateZoned checks what every XR placed in three zones shares: the common
// parameters, the zones, and the names derived from them.
func validateZoned(p *field.Path, c compose.Common, zones []string) field.ErrorList {
	errs := append(c.Validate(p), ValidateZones(p.Child("availabilityZones"), c.Region, zones)...)
	if len(errs) == 0 {
		errs = ValidateNames(p, c.EnvironmentSuffix, NameInputs{Zones: zones})
	}
	return errs
}

// validateInVPC checks what every network XR shares: validateZoned and the
// VPC's CIDR block.
func validateInVPC(p *field.Path, c compose.Common, zones []string, cidr string) field.ErrorList {
	_, errs := ValidateCIDR(p.Child("cidr"), cidr)
	return append(validateZoned(p, c, zones), errs...)
}

func contains(list []string, v string) bool { return slices.Contains(list, v) }
