package api

import (
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
)

// Kinds of the endpoints' XRs, composed by a Network and a VpcEndpoints.
const (
	KindVpcEndpoints      = "VpcEndpoints"
	KindInterfaceEndpoint = "InterfaceEndpoint"
)

// GatewayServices are reached through gateway endpoints on the private route tables.
var GatewayServices = []string{"s3", "dynamodb"}

// InterfaceServices are reached through interface endpoints in the private
// subnets: image pulls (ECR API and DKR), secrets, logs, the payment queue,
// keys, role credentials and CloudWatch metrics; and Systems Manager (ssm,
// ssmmessages, ec2messages: the SSM agent's three services, SPEC NET-8). The
// NAT instances sit in the public subnets with a path to the internet, but
// private DNS answers for the whole VPC, so their agents reach Systems Manager
// through these endpoints too: patching does not depend on the internet path,
// and workloads in the private subnets get the same access.
var InterfaceServices = []string{"ecr.api", "ecr.dkr", "secretsmanager", "logs", "sqs", "kms", "sts", "monitoring", "ssm", "ssmmessages", "ec2messages"}

// VpcEndpointsSpec is a VpcEndpoints XR's spec.parameters.
type VpcEndpointsSpec struct {
	compose.Common
	AvailabilityZones []string `json:"availabilityZones"`
	CIDR              string   `json:"cidr"`
}

// Validate checks the parameters at p.
func (s *VpcEndpointsSpec) Validate(p *field.Path) field.ErrorList {
	return validateInVPC(p, s.Common, s.AvailabilityZones, s.CIDR)
}

// VpcEndpointsStatus is a VpcEndpoints XR's status.
type VpcEndpointsStatus struct {
	SecurityGroupID string `json:"securityGroupId,omitempty"`
	// EndpointIDs maps each service to its endpoint's id.
	EndpointIDs map[string]string `json:"endpointIds,omitempty"`
}

// InterfaceEndpointSpec is an InterfaceEndpoint XR's spec.parameters.
type InterfaceEndpointSpec struct {
	compose.Common
	AvailabilityZones []string `json:"availabilityZones"`
	// Service is the short service name, one of InterfaceServices.
	Service string `json:"service"`
}

// Validate checks the parameters at p.
func (s *InterfaceEndpointSpec) Validate(p *field.Path) field.ErrorList {
	errs := validateZoned(p, s.Common, s.AvailabilityZones)
	if !contains(InterfaceServices, s.Service) {
		errs = append(errs, field.NotSupported(p.Child("service"), s.Service, InterfaceServices))
	}
	return errs
}

// InterfaceEndpointStatus is an InterfaceEndpoint XR's status.
type InterfaceEndpointStatus struct {
	EndpointID string `json:"endpointId,omitempty"`
}
