// Package nat builds the NatInstances XR (SPEC NET-3, NET-8, X-5): one NAT
// instance per availability zone in that zone's public subnet, and the default
// route of that zone's private route table pointing at it. Instances instead of
// NAT gateways cut the fixed cost of egress by an order of magnitude; an
// instance profile lets Systems Manager patch them.
package nat

import (
	"encoding/base64"
	"regexp"
	"strings"

	"github.com/fintech-platform/payment-platform/functions/platform/wiring"

	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"
	iamv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/iam/v1beta1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/iampolicy"
	"github.com/fintech-platform/payment-platform/functions/platform/layer"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/secgroup"
)

// Layer is the NAT instances' entry in the function's registry.
var Layer = layer.New[api.NatInstancesSpec, api.NatInstancesStatus](api.KindNatInstances, Build,
	&ec2v1beta1.SecurityGroup{}, &ec2v1beta1.SecurityGroupIngressRule{}, &ec2v1beta1.SecurityGroupEgressRule{},
	&ec2v1beta1.LaunchTemplate{}, &ec2v1beta1.Instance{}, &ec2v1beta1.Route{},
	&iamv1beta1.Role{}, &iamv1beta1.RolePolicyAttachment{}, &iamv1beta1.InstanceProfile{})

// componentNAT labels the launch template, instances and routes; the security
// group and its rules are labeled as every security group is (wiring).
const componentNAT = "nat"

// graviton matches instance families with an AWS Graviton (arm64) processor:
// the generation digit is followed by a "g" (t4g, c7gn, m8g…), and a1, the
// first generation.
var graviton = regexp.MustCompile(`^([a-z]+[0-9]+g[a-z]*|a1)\.`)

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

// SSMPolicyARN is the AWS managed policy that lets the Systems Manager agent
// register an instance and run what Patch Manager and Session Manager send it.
const SSMPolicyARN = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"

// Pipeline keys.
const (
	keySG      = "security-group"
	keyIngress = "security-group-ingress-vpc"
	keyEgress  = "security-group-egress-all"
	keyLT      = "launch-template"
	keyRole    = "iam-role"
	keySSM     = "iam-role-policy-ssm"
	keyProfile = "iam-instance-profile"
)

func keyInstance(zone string) string { return "instance-" + zone }
func keyRoute(zone string) string    { return "route-private-default-" + zone }

// Build returns the NAT instances of spec given what is observed.
func Build(spec api.NatInstancesSpec, obs compose.Observed) (*compose.Desired, error) {
	spec.Default()
	if errs := spec.Validate(api.Parameters); len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	c := spec.Common
	suffix := c.EnvironmentSuffix
	d := compose.NewDesired()
	labels := func(kv ...string) metav1.ObjectMeta {
		return metav1.ObjectMeta{Labels: c.Env().Labels(wiring.LayerNetwork, append([]string{wiring.LabelComponent, componentNAT}, kv...)...)}
	}

	env := c.Env()
	ruleLabels := env.SecurityGroup(wiring.LayerNetwork, wiring.ComponentSecurityGroupRule, wiring.SGNAT)
	d.Add(keySG, secgroup.Group(c, naming.MustName(naming.SecurityGroup, "nat", suffix), "NAT instances: traffic from the VPC only",
		env.SecurityGroup(wiring.LayerNetwork, wiring.ComponentSecurityGroup, wiring.SGNAT)))
	d.Add(keyIngress, secgroup.Ingress(c, ruleLabels, secgroup.Rule{
		Description: "all traffic from the VPC, to be forwarded", Group: wiring.OwnSecurityGroup(wiring.SGNAT),
		Protocol: secgroup.AllTraffic, CIDR: spec.CIDR,
	}))
	d.Add(keyEgress, secgroup.Egress(c, ruleLabels, secgroup.Rule{
		Description: "forwarded traffic to the internet", Group: wiring.OwnSecurityGroup(wiring.SGNAT),
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

	profile := addInstanceProfile(d, c)

	for _, zone := range spec.AvailabilityZones {
		name := naming.MustName(naming.NATInstance, zone, suffix)
		// The instance names its profile itself rather than through the
		// launch template: a new template version makes the provider replace
		// every instance launched from $Default, which it refuses to do, so
		// instances that exist would never get the profile. On the instance,
		// EC2 associates it in place. The name is a literal (the field has no
		// selector): set once the profile is ready, kept once the instance has it.
		prof := ""
		if obs.Ready(keyProfile) {
			prof = profile
		}
		prof = compose.Sticky(prof, obs, keyInstance(zone), "spec.forProvider.iamInstanceProfile")
		var profileRef *string
		if prof != "" {
			profileRef = &prof
		}
		// An instance launched before its template exists fails, so wait;
		// one launched before its profile would start without it, so wait.
		d.AddWhen(obs.Ready(keyLT) && obs.Ready(keyProfile), obs, keyInstance(zone), &ec2v1beta1.Instance{
			ObjectMeta: labels(wiring.LabelZone, zone),
			Spec: ec2v1beta1.InstanceSpec{
				ManagedResourceSpec: c.ManagedSpec(),
				ForProvider: ec2v1beta1.InstanceParameters{
					Region:                     &c.Region,
					LaunchTemplate:             &ec2v1beta1.LaunchTemplateParameters{Name: &ltName, Version: compose.Ptr("$Default")},
					IAMInstanceProfile:         profileRef,
					SubnetIDSelector:           c.Env().SelectSubnet(wiring.TierPublic, zone),
					VPCSecurityGroupIDSelector: wiring.OwnSecurityGroup(wiring.SGNAT),
					// A NAT forwards packets that are neither from nor to itself.
					SourceDestCheck: compose.Ptr(false),
					Tags:            c.TagsFor(name),
				},
			},
		}, "the launch template and the instance profile to be ready")

		// The private route table of this zone sends everything non-local to the
		// NAT instance of the same zone, so losing one zone loses only that
		// zone's egress. The instance's network interface id has no reference
		// field, so the route waits until the instance reports it.
		// An existing route keeps its target while its instance is not observed.
		eni := compose.Sticky(obs.String(keyInstance(zone), "status.atProvider.primaryNetworkInterfaceId"), obs, keyRoute(zone), "spec.forProvider.networkInterfaceId")
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
	}

	instances := make([]string, 0, len(spec.AvailabilityZones))
	for _, zone := range spec.AvailabilityZones {
		instances = append(instances, keyInstance(zone))
	}
	d.Status = api.NatInstancesStatus{
		SecurityGroupID: obs.String(keySG, "status.atProvider.id"),
		InstanceIDs:     obs.All("status.atProvider.id", instances...),
		PublicIPs:       obs.All("status.atProvider.publicIp", instances...),
	}
	return d, nil
}

// addInstanceProfile adds SPEC NET-8: the NAT instances' role, trusted by EC2,
// with the AWS managed policy Systems Manager needs to patch them (Patch
// Manager) and to open sessions without SSH (Session Manager), and the
// instance profile carrying it. It returns the profile's name.
func addInstanceProfile(d *compose.Desired, c compose.Common) string {
	suffix := c.EnvironmentSuffix
	meta := func(name string) metav1.ObjectMeta {
		return wiring.Named(name, c.Env().Labels(wiring.LayerNetwork, wiring.LabelComponent, componentNAT))
	}

	// EC2 assumes the role for the instances it launches with the profile;
	// iam:PassRole on the profile is what controls who may do that, and EC2
	// sets no aws:SourceAccount or aws:SourceArn to condition on.
	role := naming.MustName(naming.IAMRole, "nat", suffix)
	d.Add(keyRole, &iamv1beta1.Role{
		ObjectMeta: meta(role),
		Spec: iamv1beta1.RoleSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: iamv1beta1.RoleParameters{
				Description:      compose.Ptr("NAT instances: patched and reached through Systems Manager"),
				AssumeRolePolicy: compose.Ptr(iampolicy.AssumeRole("ec2.amazonaws.com", nil)),
				Tags:             c.TagsFor(role),
			},
		},
	})
	d.Add(keySSM, &iamv1beta1.RolePolicyAttachment{
		ObjectMeta: metav1.ObjectMeta{Labels: c.Env().Labels(wiring.LayerNetwork, wiring.LabelComponent, componentNAT)},
		Spec: iamv1beta1.RolePolicyAttachmentSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: iamv1beta1.RolePolicyAttachmentParameters{
				PolicyArn:    compose.Ptr(SSMPolicyARN),
				RoleSelector: wiring.Own(wiring.LabelComponent, componentNAT),
			},
		},
	})
	profile := naming.MustName(naming.InstanceProfile, "nat", suffix)
	d.Add(keyProfile, &iamv1beta1.InstanceProfile{
		ObjectMeta: meta(profile),
		Spec: iamv1beta1.InstanceProfileSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: iamv1beta1.InstanceProfileParameters{
				RoleSelector: wiring.Own(wiring.LabelComponent, componentNAT),
				Tags:         c.TagsFor(profile),
			},
		},
	})
	return profile
}
