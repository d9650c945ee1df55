// Package secgroup makes security groups and their rules, all alike: named by
// the naming rule, in the environment's VPC, with rules as separate resources
// (the provider's groups carry no inline rules and start with no egress).
package secgroup

import (
	xpv1 "github.com/crossplane/crossplane-runtime/v2/apis/common/v1"
	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/wiring"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
)

// Group returns the security group named name in the environment's VPC.
func Group(c compose.Common, name, description string, labels map[string]string) *ec2v1beta1.SecurityGroup {
	return &ec2v1beta1.SecurityGroup{
		ObjectMeta: wiring.Meta(labels),
		Spec: ec2v1beta1.SecurityGroupSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: ec2v1beta1.SecurityGroupParameters_2{
				Region:        &c.Region,
				Name:          &name,
				Description:   &description,
				VPCIDSelector: c.Env().SelectVPC(),
				Tags:          c.TagsFor(name),
			},
		},
	}
}

// AllTraffic is the protocol of a rule for every protocol and port.
const AllTraffic = "-1"

// A Rule is traffic one group allows, in or out.
type Rule struct {
	Description string
	// Group selects the security group the rule belongs to.
	Group *xpv1.NamespacedSelector
	// Protocol is tcp, udp or AllTraffic; Port the one port allowed (unset for AllTraffic).
	Protocol string
	Port     int
	// The other side: a CIDR block, or the security group PeerGroup selects.
	CIDR      string
	PeerGroup *xpv1.NamespacedSelector
}

func (r Rule) ports() (from, to *float64) {
	if r.Protocol == AllTraffic {
		return nil, nil
	}
	p := float64(r.Port)
	return &p, &p
}

func (r Rule) cidr() *string {
	if r.CIDR == "" {
		return nil
	}
	return &r.CIDR
}

// Ingress returns the rule letting the peer reach the group.
func Ingress(c compose.Common, labels map[string]string, r Rule) *ec2v1beta1.SecurityGroupIngressRule {
	from, to := r.ports()
	return &ec2v1beta1.SecurityGroupIngressRule{
		ObjectMeta: wiring.Meta(labels),
		Spec: ec2v1beta1.SecurityGroupIngressRuleSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: ec2v1beta1.SecurityGroupIngressRuleParameters{
				Region:                            &c.Region,
				Description:                       &r.Description,
				IPProtocol:                        &r.Protocol,
				FromPort:                          from,
				ToPort:                            to,
				CidrIPv4:                          r.cidr(),
				SecurityGroupIDSelector:           r.Group,
				ReferencedSecurityGroupIDSelector: r.PeerGroup,
			},
		},
	}
}

// Egress returns the rule letting the group reach the peer. The provider's
// egress and ingress rule parameters have the same fields, so an egress rule is
// the ingress rule's parameters converted.
func Egress(c compose.Common, labels map[string]string, r Rule) *ec2v1beta1.SecurityGroupEgressRule {
	in := Ingress(c, labels, r)
	return &ec2v1beta1.SecurityGroupEgressRule{
		ObjectMeta: in.ObjectMeta,
		Spec: ec2v1beta1.SecurityGroupEgressRuleSpec{
			ManagedResourceSpec: in.Spec.ManagedResourceSpec,
			ForProvider:         ec2v1beta1.SecurityGroupEgressRuleParameters(in.Spec.ForProvider),
		},
	}
}
