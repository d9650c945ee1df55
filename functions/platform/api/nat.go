package api

import (
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
)

// KindNatInstances is the kind of the NAT instances' XR, composed by a Network.
const KindNatInstances = "NatInstances"

// DefaultNATInstanceType is a Graviton burstable instance: up to 5 Gbps, enough
// for the egress of the payment workloads (AWS service traffic goes through VPC
// endpoints, not the NAT).
const DefaultNATInstanceType = "t4g.small"

// NatInstancesSpec is a NatInstances XR's spec.parameters.
type NatInstancesSpec struct {
	compose.Common
	AvailabilityZones []string `json:"availabilityZones"`
	CIDR              string   `json:"cidr"`
	InstanceType      string   `json:"instanceType,omitempty"`
}

// Default fills in what the XR left out.
func (s *NatInstancesSpec) Default() {
	if s.InstanceType == "" {
		s.InstanceType = DefaultNATInstanceType
	}
}

// Validate checks the parameters at p.
func (s *NatInstancesSpec) Validate(p *field.Path) field.ErrorList {
	errs := validateInVPC(p, s.Common, s.AvailabilityZones, s.CIDR)
	return append(errs, ValidateNATInstanceType(p.Child("instanceType"), s.InstanceType)...)
}

// NatInstancesStatus is a NatInstances XR's status.
type NatInstancesStatus struct {
	SecurityGroupID string   `json:"securityGroupId,omitempty"`
	InstanceIDs     []string `json:"instanceIds,omitempty"`
	PublicIPs       []string `json:"publicIps,omitempty"`
}
