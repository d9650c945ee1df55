// Package nat builds the NatInstances XR (SPEC NET-3, X-5): one NAT instance
// per availability zone in that zone's public subnet, and the default route of
// that zone's private route table pointing at it. Instances instead of NAT
// gateways cut the fixed cost of egress by an order of magnitude.
package nat

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"

	"github.com/fintech-platform/payment-platform/functions/platform/wiring"

	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/fintech-platform/payment-platform/functions/platform/aws"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/secgroup"
)

// Kind is the kind of the XR this package builds.
const Kind = "NatInstances"

// Layer is the value of the layer label on what this package composes; NAT is
// part of the network layer.
const Layer = "network"

// DefaultInstanceType is a Graviton burstable instance: up to 5 Gbps, enough
// for the egress of the payment workloads (AWS service traffic goes through VPC
// endpoints, not the NAT).
const DefaultInstanceType = "t4g.small"

// Spec is a NatInstances XR's spec.parameters.
type Spec struct {
	compose.Common
	AvailabilityZones []string `json:"availabilityZones"`
	CIDR              string   `json:"cidr"`
	InstanceType      string   `json:"instanceType,omitempty"`
}

// graviton matches instance families with an AWS Graviton (arm64) processor:
// the generation digit is followed by a "g" (t4g, c7gn, m8g…), and a1, the
// first generation.
var graviton = regexp.MustCompile(`^([a-z]+[0-9]+g[a-z]*|a1)\.`)

// ValidateInstanceType checks an EC2 instance type given as a Network's
// spec.parameters.natInstanceType.
func ValidateInstanceType(t string) error {
	return CheckInstanceType("spec.parameters.natInstanceType", t)
}

// CheckInstanceType checks that the instance type given in field is one the
// aws package admits for NAT instances, as the XRDs' enums do (SPEC API-0.7).
func CheckInstanceType(field, t string) error {
	if !aws.IsNATInstanceType(t) {
		return fmt.Errorf("%s %q is not an EC2 instance type admitted for NAT instances: one of %s", field, t, strings.Join(aws.NATInstanceTypes(), ", "))
	}
	return nil
}

// ImageParameter is the SSM parameter of the current Amazon Linux 2023 AMI for
// the instance type's architecture; EC2 resolves it at launch, so a new
// instance always gets the current patched image.
func ImageParameter(instanceType string) string {
	arch := "x86_64"
	if graviton.MatchString(instanceType) {
		arch = "arm64"
	}
	return "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-" + arch
}

// UserData returns the boot script that turns an Amazon Linux 2023 instance into
// a NAT for cidr. The dnf install is retried: at boot it can lose a race for the
// package lock, and a NAT without iptables forwards nothing and says nothing.
func UserData(cidr string) string {
	return strings.Join([]string{
		"#!/bin/bash",
		"set -euo pipefail",
		"for attempt in 1 2 3 4 5 6 7 8 9 10; do",
		"  dnf install -y iptables-services && break",
		"  echo \"dnf install failed (attempt $attempt), retrying\" >&2; sleep 15",
		"done",
		"rpm -q iptables-services",
		"echo 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/90-nat.conf",
		"sysctl --system",
		"systemctl enable --now iptables",
		"iface=$(ip route show default | awk '{print $5; exit}')",
		"iptables -F",
		"iptables -t nat -F",
		"iptables -t nat -A POSTROUTING -o \"$iface\" -s " + cidr + " -j MASQUERADE",
		"service iptables save",
		"",
	}, "\n")
}

// Pipeline keys.
const (
	keySG      = "security-group"
	keyIngress = "security-group-ingress-vpc"
	keyEgress  = "security-group-egress-all"
	keyLT      = "launch-template"
)

func keyInstance(zone string) string { return "instance-" + zone }
func keyRoute(zone string) string    { return "route-private-default-" + zone }

// Build returns the NAT instances of spec given what is observed.
func Build(spec Spec, obs compose.Observed) (*compose.Desired, error) {
	if spec.InstanceType == "" {
		spec.InstanceType = DefaultInstanceType
	}
	if err := naming.ValidateSuffix(spec.EnvironmentSuffix); err != nil {
		return nil, err
	}
	if err := CheckInstanceType("spec.parameters.instanceType", spec.InstanceType); err != nil {
		return nil, err
	}
	if len(spec.AvailabilityZones) == 0 || spec.CIDR == "" || spec.Region == "" {
		return nil, fmt.Errorf("spec.parameters.region, availabilityZones and cidr are required")
	}
	c := spec.Common
	suffix := c.EnvironmentSuffix
	d := compose.NewDesired()
	labels := func(kv ...string) metav1.ObjectMeta {
		return metav1.ObjectMeta{Labels: c.Env().Labels(wiring.LayerNetwork, append([]string{wiring.LabelComponent, "nat"}, kv...)...)}
	}

	sgLabels := labels().Labels
	d.Add(keySG, secgroup.Group(c, naming.MustName(naming.SecurityGroup, "nat", suffix), "NAT instances: traffic from the VPC only", sgLabels))
	d.Add(keyIngress, secgroup.Ingress(c, sgLabels, secgroup.Rule{
		Description: "all traffic from the VPC, to be forwarded", Group: wiring.Own(),
		Protocol: secgroup.AllTraffic, CIDR: spec.CIDR,
	}))
	d.Add(keyEgress, secgroup.Egress(c, sgLabels, secgroup.Rule{
		Description: "forwarded traffic to the internet", Group: wiring.Own(),
		Protocol: secgroup.AllTraffic, CIDR: "0.0.0.0/0",
	}))

	ltName := naming.MustName(naming.LaunchTemplate, "nat", suffix)
	d.Add(keyLT, &ec2v1beta1.LaunchTemplate{
		ObjectMeta: labels(),
		Spec: ec2v1beta1.LaunchTemplateSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: ec2v1beta1.LaunchTemplateParameters_2{
				Region:       &c.Region,
				Name:         &ltName,
				Description:  compose.Ptr("NAT instance: Amazon Linux 2023, IMDSv2 only"),
				ImageID:      compose.Ptr(ImageParameter(spec.InstanceType)),
				InstanceType: &spec.InstanceType,
				MetadataOptions: &ec2v1beta1.LaunchTemplateMetadataOptionsParameters{
					HTTPEndpoint:            compose.Ptr("enabled"),
					HTTPTokens:              compose.Ptr("required"),
					HTTPPutResponseHopLimit: compose.Ptr(float64(1)),
				},
				BlockDeviceMappings: []ec2v1beta1.BlockDeviceMappingsParameters{{
					DeviceName: compose.Ptr("/dev/xvda"),
					EBS: &ec2v1beta1.EBSParameters{
						Encrypted:           compose.Ptr("true"),
						VolumeType:          compose.Ptr("gp3"),
						VolumeSize:          compose.Ptr(float64(8)),
						DeleteOnTermination: compose.Ptr("true"),
					},
				}},
				UserData:             compose.Ptr(base64.StdEncoding.EncodeToString([]byte(UserData(spec.CIDR)))),
				UpdateDefaultVersion: compose.Ptr(true),
				Tags:                 c.TagsFor(ltName),
			},
		},
	})

	sg := obs.String(keySG, "status.atProvider.id")
	instanceIDs := make([]any, 0, len(spec.AvailabilityZones))
	publicIPs := make([]any, 0, len(spec.AvailabilityZones))
	for _, zone := range spec.AvailabilityZones {
		name := naming.MustName(naming.NATInstance, zone, suffix)
		// An instance launched before its template exists fails, so wait.
		d.AddWhen(obs.Ready(keyLT), obs, keyInstance(zone), &ec2v1beta1.Instance{
			ObjectMeta: labels(wiring.LabelZone, zone),
			Spec: ec2v1beta1.InstanceSpec{
				ManagedResourceSpec: c.ManagedSpec(),
				ForProvider: ec2v1beta1.InstanceParameters{
					Region:                     &c.Region,
					LaunchTemplate:             &ec2v1beta1.LaunchTemplateParameters{Name: &ltName, Version: compose.Ptr("$Default")},
					SubnetIDSelector:           c.Env().SelectSubnet(wiring.TierPublic, zone),
					VPCSecurityGroupIDSelector: wiring.Own(),
					// A NAT forwards packets that are neither from nor to itself.
					SourceDestCheck: compose.Ptr(false),
					Tags:            c.TagsFor(name),
				},
			},
		}, "the launch template to be ready")

		// The private route table of this zone sends everything non-local to the
		// NAT instance of the same zone, so losing one zone loses only that
		// zone's egress. The instance's network interface id has no reference
		// field, so the route waits until the instance reports it.
		eni := obs.String(keyInstance(zone), "status.atProvider.primaryNetworkInterfaceId")
		if eni == "" {
			// Keep an existing route as it is while its instance is not observed.
			eni = obs.String(keyRoute(zone), "spec.forProvider.networkInterfaceId")
		}
		var target *string
		if eni != "" {
			target = &eni
		}
		d.AddWhen(eni != "", obs, keyRoute(zone), &ec2v1beta1.Route{
			ObjectMeta: labels(wiring.LabelZone, zone),
			Spec: ec2v1beta1.RouteSpec{
				ManagedResourceSpec: c.ManagedSpec(),
				ForProvider: ec2v1beta1.RouteParameters_2{
					Region:               &c.Region,
					DestinationCidrBlock: compose.Ptr("0.0.0.0/0"),
					RouteTableIDSelector: c.Env().SelectRouteTable(wiring.TierPrivate, zone),
					NetworkInterfaceID:   target,
				},
			},
		}, "the NAT instance in "+zone+" to report its network interface")

		if id := obs.String(keyInstance(zone), "status.atProvider.id"); id != "" {
			instanceIDs = append(instanceIDs, id)
		}
		if ip := obs.String(keyInstance(zone), "status.atProvider.publicIp"); ip != "" {
			publicIPs = append(publicIPs, ip)
		}
	}

	out := compose.Outputs{}
	out.Set("securityGroupId", sg)
	if len(instanceIDs) == len(spec.AvailabilityZones) {
		out["instanceIds"] = instanceIDs
	}
	if len(publicIPs) == len(spec.AvailabilityZones) {
		out["publicIps"] = publicIPs
	}
	d.Status = out
	return d, nil
}
