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
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"

	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/layer"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/secgroup"
)

// Layer is the VpcEndpoints XR's entry in the function's registry.
var Layer = layer.New[api.VpcEndpointsSpec, api.VpcEndpointsStatus](api.KindVpcEndpoints, Build,
	&ec2v1beta1.SecurityGroup{}, &ec2v1beta1.SecurityGroupIngressRule{},
	&ec2v1beta1.VPCEndpoint{}, &ec2v1beta1.VPCEndpointRouteTableAssociation{})

// InterfaceLayer is the InterfaceEndpoint XR's entry in the function's registry.
var InterfaceLayer = layer.New[api.InterfaceEndpointSpec, api.InterfaceEndpointStatus](api.KindInterfaceEndpoint, BuildInterface,
	&ec2v1beta1.VPCEndpoint{}, &ec2v1beta1.VPCEndpointSubnetAssociation{}, &ec2v1beta1.VPCEndpointSecurityGroupAssociation{})

// Components of the endpoints.
const (
	componentGateway   = "gateway-endpoint"
	componentInterface = "interface-endpoint"
)

// ServiceName returns the endpoint service name of service in region.
func ServiceName(region, service string) string {
	return "com.amazonaws." + region + "." + service
}

// key turns a service name into a pipeline key, label value and name
// purpose: ecr.api → ecr-api.
func key(service string) string { return api.EndpointKey(service) }

// Build returns the VpcEndpoints XR's desired resources.
func Build(spec api.VpcEndpointsSpec, obs compose.Observed) (*compose.Desired, error) {
	if errs := spec.Validate(api.Parameters); len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	c := spec.Common
	suffix := c.EnvironmentSuffix
	d := compose.NewDesired()
	meta := func(kv ...string) metav1.ObjectMeta {
		return metav1.ObjectMeta{Labels: c.Env().Labels(wiring.LayerNetwork, kv...)}
	}

	env := c.Env()
	d.Add("security-group", secgroup.Group(c, naming.MustName(naming.SecurityGroup, "endpoints", suffix), "VPC interface endpoints: HTTPS from the VPC only",
		env.SecurityGroup(wiring.LayerNetwork, wiring.ComponentSecurityGroup, wiring.SGEndpoints)))
	d.Add("security-group-ingress-https", secgroup.Ingress(c, env.SecurityGroup(wiring.LayerNetwork, wiring.ComponentSecurityGroupRule, wiring.SGEndpoints), secgroup.Rule{
		Description: "HTTPS from the VPC", Group: wiring.OwnSecurityGroup(wiring.SGEndpoints),
		Protocol: "tcp", Port: 443, CIDR: spec.CIDR,
	}))

	ids := map[string]string{}
	for _, svc := range api.GatewayServices {
		name := naming.MustName(naming.VPCEndpoint, svc, suffix)
		k := "gateway-" + key(svc)
		d.Add(k, &ec2v1beta1.VPCEndpoint{
			ObjectMeta: meta(wiring.LabelComponent, componentGateway, wiring.LabelPurpose, key(svc)),
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
				ObjectMeta: meta(wiring.LabelComponent, componentGateway, wiring.LabelPurpose, key(svc), wiring.LabelZone, zone),
				Spec: ec2v1beta1.VPCEndpointRouteTableAssociationSpec{
					ManagedResourceSpec: c.ManagedSpec(),
					ForProvider: ec2v1beta1.VPCEndpointRouteTableAssociationParameters{
						Region:                &c.Region,
						RouteTableIDSelector:  c.Env().SelectRouteTable(wiring.TierPrivate, zone),
						VPCEndpointIDSelector: wiring.Own(wiring.LabelComponent, componentGateway, wiring.LabelPurpose, key(svc)),
					},
				},
			})
		}
		if id := obs.String(k, "status.atProvider.id"); id != "" {
			ids[svc] = id
		}
	}
	for _, svc := range api.InterfaceServices {
		k := "interface-" + key(svc)
		d.Add(k, compose.MustXR(api.KindInterfaceEndpoint,
			c.Env().Labels(wiring.LayerNetwork, wiring.LabelComponent, componentInterface, wiring.LabelPurpose, key(svc)),
			api.InterfaceEndpointSpec{Common: c, AvailabilityZones: spec.AvailabilityZones, Service: svc}))
		if id := obs.String(k, "status.endpointId"); id != "" {
			ids[svc] = id
		}
	}
	st := api.VpcEndpointsStatus{SecurityGroupID: obs.String("security-group", "status.atProvider.id")}
	if len(ids) > 0 {
		st.EndpointIDs = ids
	}
	d.Status = st
	return d, nil
}

// BuildInterface returns an InterfaceEndpoint XR's desired resources: the
// endpoint with private DNS, one subnet association per private subnet and the
// association with the endpoints security group (replacing the VPC default
// group, which the network layer keeps closed).
func BuildInterface(spec api.InterfaceEndpointSpec, obs compose.Observed) (*compose.Desired, error) {
	if errs := spec.Validate(api.Parameters); len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	c := spec.Common
	d := compose.NewDesired()
	labels := func(kv ...string) metav1.ObjectMeta {
		return metav1.ObjectMeta{Labels: c.Env().Labels(wiring.LayerNetwork, append([]string{wiring.LabelComponent, componentInterface, wiring.LabelPurpose, key(spec.Service)}, kv...)...)}
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
				SecurityGroupIDSelector:   c.Env().SelectSecurityGroup(wiring.SGEndpoints),
				VPCEndpointIDSelector:     wiring.Own(),
				ReplaceDefaultAssociation: compose.Ptr(true),
			},
		},
	})
	d.Status = api.InterfaceEndpointStatus{EndpointID: obs.String("endpoint", "status.atProvider.id")}
	return d, nil
}
