// Package endpoints builds the VpcEndpoints and InterfaceEndpoint XRs (SPEC
// NET-5): gateway endpoints for S3 and DynamoDB on the private route tables, and
// interface endpoints with private DNS in the private subnets for every AWS
// service the workloads call, so that traffic never crosses the internet.
//
// The provider models an endpoint's subnets, security groups and route tables as
// separate association resources, so eight interface endpoints over three zones
// come to 40 resources. Each interface endpoint is therefore its own small XR,
// which keeps every XR within the 40-resource budget of docs/architecture.md.
package endpoints

import (
	"fmt"

	"github.com/fintech-platform/payment-platform/functions/platform/wiring"

	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/secgroup"
)

// Kinds of the XRs this package builds.
const (
	Kind          = "VpcEndpoints"
	InterfaceKind = "InterfaceEndpoint"
)

// Layer is the value of the layer label; endpoints are part of the network.
const Layer = "network"

// ComponentSecurityGroup labels the security group every interface endpoint uses.
const ComponentSecurityGroup = "endpoints-security-group"

// GatewayServices are reached through gateway endpoints on the private route tables.
var GatewayServices = []string{"s3", "dynamodb"}

// InterfaceServices are reached through interface endpoints in the private
// subnets: image pulls (ECR API and DKR), secrets, logs, the payment queue,
// keys, role credentials and CloudWatch metrics.
var InterfaceServices = []string{"ecr.api", "ecr.dkr", "secretsmanager", "logs", "sqs", "kms", "sts", "monitoring"}

// Spec is a VpcEndpoints XR's spec.parameters.
type Spec struct {
	compose.Common
	AvailabilityZones []string `json:"availabilityZones"`
	CIDR              string   `json:"cidr"`
}

// InterfaceSpec is an InterfaceEndpoint XR's spec.parameters.
type InterfaceSpec struct {
	compose.Common
	AvailabilityZones []string `json:"availabilityZones"`
	// Service is the short service name, such as ecr.api.
	Service string `json:"service"`
}

// ServiceName returns the endpoint service name of service in region.
func ServiceName(region, service string) string {
	return "com.amazonaws." + region + "." + service
}

// key turns a service name into a pipeline key: ecr.api → ecr-api.
func key(service string) string {
	b := []byte(service)
	for i := range b {
		if b[i] == '.' {
			b[i] = '-'
		}
	}
	return string(b)
}

func validate(c compose.Common, zones []string) error {
	if err := naming.ValidateSuffix(c.EnvironmentSuffix); err != nil {
		return err
	}
	if c.Region == "" || len(zones) == 0 {
		return fmt.Errorf("spec.parameters.region and availabilityZones are required")
	}
	return nil
}

// Build returns the VpcEndpoints XR's desired resources.
func Build(spec Spec, obs compose.Observed) (*compose.Desired, error) {
	if err := validate(spec.Common, spec.AvailabilityZones); err != nil {
		return nil, err
	}
	if spec.CIDR == "" {
		return nil, fmt.Errorf("spec.parameters.cidr is required")
	}
	c := spec.Common
	suffix := c.EnvironmentSuffix
	d := compose.NewDesired()
	meta := func(kv ...string) metav1.ObjectMeta {
		return metav1.ObjectMeta{Labels: c.Env().Labels(wiring.LayerNetwork, kv...)}
	}

	sgLabels := c.Env().Labels(wiring.LayerNetwork, wiring.LabelComponent, ComponentSecurityGroup)
	d.Add("security-group", secgroup.Group(c, naming.MustName(naming.SecurityGroup, "endpoints", suffix), "VPC interface endpoints: HTTPS from the VPC only", sgLabels))
	d.Add("security-group-ingress-https", secgroup.Ingress(c, sgLabels, secgroup.Rule{
		Description: "HTTPS from the VPC", Group: wiring.Own(wiring.LabelComponent, ComponentSecurityGroup),
		Protocol: "tcp", Port: 443, CIDR: spec.CIDR,
	}))

	out := compose.Outputs{}
	out.Set("securityGroupId", obs.String("security-group", "status.atProvider.id"))
	ids := map[string]any{}
	for _, svc := range GatewayServices {
		name := naming.MustName(naming.VPCEndpoint, svc, suffix)
		k := "gateway-" + key(svc)
		d.Add(k, &ec2v1beta1.VPCEndpoint{
			ObjectMeta: meta(wiring.LabelComponent, "gateway-endpoint", wiring.LabelPurpose, key(svc)),
			Spec: ec2v1beta1.VPCEndpointSpec{
				ManagedResourceSpec: c.ManagedSpec(),
				ForProvider: ec2v1beta1.VPCEndpointParameters_2{
					Region:          &c.Region,
					ServiceName:     compose.Ptr(ServiceName(c.Region, svc)),
					VPCEndpointType: compose.Ptr("Gateway"),
					VPCIDSelector:   c.Env().SelectVPC(),
					Tags:            c.TagsFor(name),
				},
			},
		})
		for _, zone := range spec.AvailabilityZones {
			d.Add(k+"-route-table-"+zone, &ec2v1beta1.VPCEndpointRouteTableAssociation{
				ObjectMeta: meta(wiring.LabelComponent, "gateway-endpoint", wiring.LabelPurpose, key(svc), wiring.LabelZone, zone),
				Spec: ec2v1beta1.VPCEndpointRouteTableAssociationSpec{
					ManagedResourceSpec: c.ManagedSpec(),
					ForProvider: ec2v1beta1.VPCEndpointRouteTableAssociationParameters{
						Region:                &c.Region,
						RouteTableIDSelector:  c.Env().SelectRouteTable(wiring.TierPrivate, zone),
						VPCEndpointIDSelector: wiring.Own(wiring.LabelComponent, "gateway-endpoint", wiring.LabelPurpose, key(svc)),
					},
				},
			})
		}
		if id := obs.String(k, "status.atProvider.id"); id != "" {
			ids[svc] = id
		}
	}
	for _, svc := range InterfaceServices {
		k := "interface-" + key(svc)
		d.Add(k, compose.MustXR(InterfaceKind,
			c.Env().Labels(wiring.LayerNetwork, wiring.LabelComponent, "interface-endpoint", wiring.LabelPurpose, key(svc)),
			InterfaceSpec{Common: c, AvailabilityZones: spec.AvailabilityZones, Service: svc}))
		if id := obs.String(k, "status.endpointId"); id != "" {
			ids[svc] = id
		}
	}
	if len(ids) > 0 {
		out["endpointIds"] = ids
	}
	d.Status = out
	return d, nil
}

// BuildInterface returns an InterfaceEndpoint XR's desired resources: the
// endpoint with private DNS, one subnet association per private subnet and the
// association with the endpoints security group (replacing the VPC default
// group, which the network layer keeps closed).
func BuildInterface(spec InterfaceSpec, obs compose.Observed) (*compose.Desired, error) {
	if err := validate(spec.Common, spec.AvailabilityZones); err != nil {
		return nil, err
	}
	known := false
	for _, s := range InterfaceServices {
		known = known || s == spec.Service
	}
	if !known {
		return nil, fmt.Errorf("spec.parameters.service %q is not one of %v", spec.Service, InterfaceServices)
	}
	c := spec.Common
	d := compose.NewDesired()
	labels := func(kv ...string) metav1.ObjectMeta {
		return metav1.ObjectMeta{Labels: c.Env().Labels(wiring.LayerNetwork, append([]string{wiring.LabelComponent, "interface-endpoint", wiring.LabelPurpose, key(spec.Service)}, kv...)...)}
	}
	name := naming.MustName(naming.VPCEndpoint, key(spec.Service), c.EnvironmentSuffix)
	d.Add("endpoint", &ec2v1beta1.VPCEndpoint{
		ObjectMeta: labels(),
		Spec: ec2v1beta1.VPCEndpointSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: ec2v1beta1.VPCEndpointParameters_2{
				Region:            &c.Region,
				ServiceName:       compose.Ptr(ServiceName(c.Region, spec.Service)),
				VPCEndpointType:   compose.Ptr("Interface"),
				PrivateDNSEnabled: compose.Ptr(true),
				VPCIDSelector:     c.Env().SelectVPC(),
				Tags:              c.TagsFor(name),
			},
		},
	})
	for _, zone := range spec.AvailabilityZones {
		d.Add("subnet-"+zone, &ec2v1beta1.VPCEndpointSubnetAssociation{
			ObjectMeta: labels(wiring.LabelZone, zone),
			Spec: ec2v1beta1.VPCEndpointSubnetAssociationSpec{
				ManagedResourceSpec: c.ManagedSpec(),
				ForProvider: ec2v1beta1.VPCEndpointSubnetAssociationParameters{
					Region:                &c.Region,
					SubnetIDSelector:      c.Env().SelectSubnet(wiring.TierPrivate, zone),
					VPCEndpointIDSelector: wiring.Own(),
				},
			},
		})
	}
	d.Add("security-group", &ec2v1beta1.VPCEndpointSecurityGroupAssociation{
		ObjectMeta: labels(),
		Spec: ec2v1beta1.VPCEndpointSecurityGroupAssociationSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: ec2v1beta1.VPCEndpointSecurityGroupAssociationParameters{
				Region:                    &c.Region,
				SecurityGroupIDSelector:   c.Env().Select(wiring.LabelComponent, ComponentSecurityGroup),
				VPCEndpointIDSelector:     wiring.Own(),
				ReplaceDefaultAssociation: compose.Ptr(true),
			},
		},
	})
	out := compose.Outputs{}
	out.Set("endpointId", obs.String("endpoint", "status.atProvider.id"))
	d.Status = out
	return d, nil
}
