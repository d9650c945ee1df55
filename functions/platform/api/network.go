package api

import (
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
)

// KindNetwork is the kind of the network layer's XR.
const KindNetwork = "Network"

// Defaults the XRDs also declare; applied by the function too so it gives the
// same answer when it runs without the XRD (unit tests, render without --xrd).
const (
	DefaultRegion = "us-east-1"
	DefaultCIDR   = "10.0.0.0/16"
)

// DefaultZones returns the three default availability zones of region.
func DefaultZones(region string) []string {
	return []string{region + "a", region + "b", region + "c"}
}

// defaultZoned defaults the region and, in it, the three zones.
func defaultZoned(c *compose.Common, zones *[]string) {
	if c.Region == "" {
		c.Region = DefaultRegion
	}
	if len(*zones) == 0 {
		*zones = DefaultZones(c.Region)
	}
}

// NetworkSpec is a Network's spec.parameters.
type NetworkSpec struct {
	compose.Common
	AvailabilityZones []string `json:"availabilityZones"`
	CIDR              string   `json:"cidr"`
	// NATInstanceType is the EC2 instance type of the NAT instances.
	NATInstanceType string `json:"natInstanceType,omitempty"`
}

// Default fills in what the XR left out.
func (s *NetworkSpec) Default() {
	defaultZoned(&s.Common, &s.AvailabilityZones)
	if s.CIDR == "" {
		s.CIDR = DefaultCIDR
	}
	if s.NATInstanceType == "" {
		s.NATInstanceType = DefaultNATInstanceType
	}
}

// Validate checks the parameters at p.
func (s *NetworkSpec) Validate(p *field.Path) field.ErrorList {
	errs := validateInVPC(p, s.Common, s.AvailabilityZones, s.CIDR)
	return append(errs, ValidateNATInstanceType(p.Child("natInstanceType"), s.NATInstanceType)...)
}

// NetworkStatus is a Network's status: what the other layers and the tenant
// need. A list is reported only when all three zones are known, so consumers
// never see a partial set.
type NetworkStatus struct {
	// AccountID is the VPC's owner; the keys and database layers name it.
	AccountID        string                   `json:"accountId,omitempty"`
	VPCID            string                   `json:"vpcId,omitempty"`
	FlowLogGroup     string                   `json:"flowLogGroup,omitempty"`
	SubnetIDs        *SubnetIDs               `json:"subnetIds,omitempty"`
	SecurityGroupIDs *NetworkSecurityGroupIDs `json:"securityGroupIds,omitempty"`
	NATInstanceIDs   []string                 `json:"natInstanceIds,omitempty"`
}

// SubnetIDs are the subnet ids of each tier, in the order of the zones.
type SubnetIDs struct {
	Public   []string `json:"public,omitempty"`
	Private  []string `json:"private,omitempty"`
	Database []string `json:"database,omitempty"`
}

// NetworkSecurityGroupIDs are the network's security groups.
type NetworkSecurityGroupIDs struct {
	NAT       string `json:"nat,omitempty"`
	Endpoints string `json:"endpoints,omitempty"`
}
