// Package network builds the network layer (SPEC NET-1…NET-6): a VPC over three
// availability zones with public, private and database subnets, routing, flow
// logs, and the NatInstances and VpcEndpoints XRs that complete it.
package network

import (
	"fmt"
	"strings"

	"github.com/fintech-platform/payment-platform/functions/platform/wiring"

	cwlv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatchlogs/v1beta1"
	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"
	iamv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/iam/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/iampolicy"
	"github.com/fintech-platform/payment-platform/functions/platform/layer"
	"github.com/fintech-platform/payment-platform/functions/platform/logs"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/usage"
)

// Layer is the network's entry in the function's registry.
var Layer = layer.New[api.NetworkSpec, api.NetworkStatus](api.KindNetwork, Build,
	&ec2v1beta1.VPC{}, &ec2v1beta1.InternetGateway{}, &ec2v1beta1.Subnet{}, &ec2v1beta1.RouteTable{},
	&ec2v1beta1.Route{}, &ec2v1beta1.RouteTableAssociation{}, &ec2v1beta1.DefaultSecurityGroup{},
	&cwlv1beta1.Group{}, &iamv1beta1.Role{}, &ec2v1beta1.FlowLog{})

// Components only this layer's own resources select on.
const (
	componentIGW      = "internet-gateway"
	componentFlowLogs = "flow-logs"
)

// Resource names in the pipeline. They are stable keys: renaming one would make
// Crossplane delete the old resource and create a new one.
const (
	keyVPC         = "vpc"
	keyIGW         = "internet-gateway"
	keyPublicRT    = "route-table-public"
	keyPublicRoute = "route-public-internet"
	keyDatabaseRT  = "route-table-database"
	keyDefaultSG   = "default-security-group"
	keyFlowLogs    = "flow-log-group"
	keyFlowRole    = "flow-log-role"
	keyFlowLog     = "flow-log"
	// Usages (SPEC X-8), named usage-<used>-by-<user>.
	keyUsageLogsKey = "usage-key-logs-by-" + keyFlowLogs
	keyUsageGroup   = "usage-" + keyFlowLogs + "-by-" + keyFlowLog
	keyNAT          = "nat-instances"
	keyEndpoints    = "endpoints"
)

// Keys of the per-zone resources.
func keySubnet(tier, zone string) string      { return "subnet-" + tier + "-" + zone }
func keyPrivateRT(zone string) string         { return "route-table-private-" + zone }
func keyAssociation(tier, zone string) string { return "route-table-association-" + tier + "-" + zone }

// Build returns the network layer's desired resources for spec given what is
// observed. It is pure: the same inputs always give the same output.
func Build(spec api.NetworkSpec, obs compose.Observed) (*compose.Desired, error) {
	spec.Default()
	if errs := spec.Validate(api.Parameters); len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	vpcCIDR, _ := api.ValidateCIDR(api.Parameters.Child("cidr"), spec.CIDR)
	c := spec.Common
	suffix := c.EnvironmentSuffix
	d := compose.NewDesired()

	vpcName := naming.MustName(naming.VPC, "payments", suffix)
	d.Add(keyVPC, &ec2v1beta1.VPC{
		ObjectMeta: wiring.Meta(c.Env().Labels(wiring.LayerNetwork, wiring.LabelComponent, wiring.ComponentVPC)),
		Spec: ec2v1beta1.VPCSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: ec2v1beta1.VPCParameters_2{
				Region:             &c.Region,
				CidrBlock:          compose.Ptr(vpcCIDR.String()),
				EnableDNSHostnames: compose.Ptr(true),
				EnableDNSSupport:   compose.Ptr(true),
				Tags:               c.TagsFor(vpcName),
			},
		},
	})
	ownVPC := wiring.Own(wiring.LabelComponent, wiring.ComponentVPC)

	d.Add(keyIGW, &ec2v1beta1.InternetGateway{
		ObjectMeta: wiring.Meta(c.Env().Labels(wiring.LayerNetwork, wiring.LabelComponent, componentIGW)),
		Spec: ec2v1beta1.InternetGatewaySpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: ec2v1beta1.InternetGatewayParameters_2{
				Region:        &c.Region,
				VPCIDSelector: ownVPC,
				Tags:          c.TagsFor(naming.MustName(naming.InternetGW, "payments", suffix)),
			},
		},
	})

	// Subnets: NET-2. Public subnets give instances a public IP so the NAT
	// instances can reach the internet without elastic IPs.
	for zi, zone := range spec.AvailabilityZones {
		for _, tier := range wiring.Tiers {
			d.Add(keySubnet(tier, zone), &ec2v1beta1.Subnet{
				ObjectMeta: wiring.Meta(c.Env().Labels(wiring.LayerNetwork, wiring.LabelComponent, wiring.ComponentSubnet, wiring.LabelTier, tier, wiring.LabelZone, zone)),
				Spec: ec2v1beta1.SubnetSpec{
					ManagedResourceSpec: c.ManagedSpec(),
					ForProvider: ec2v1beta1.SubnetParameters_2{
						Region:              &c.Region,
						AvailabilityZone:    compose.Ptr(zone),
						CidrBlock:           compose.Ptr(SubnetCIDR(vpcCIDR, tier, zi).String()),
						MapPublicIPOnLaunch: compose.Ptr(tier == wiring.TierPublic),
						VPCIDSelector:       ownVPC,
						Tags:                c.TagsFor(naming.MustName(naming.Subnet, tier+"-"+zone, suffix)),
					},
				},
			})
		}
	}

	// Routing: NET-4. One public table routed to the internet gateway; one
	// private table per zone, whose default route the NatInstances XR adds
	// towards the NAT instance of that zone; one database table with the local
	// route only.
	d.Add(keyPublicRT, routeTable(c, wiring.TierPublic, "", naming.MustName(naming.RouteTable, wiring.TierPublic, suffix)))
	d.Add(keyPublicRoute, &ec2v1beta1.Route{
		ObjectMeta: wiring.Meta(c.Env().Labels(wiring.LayerNetwork, wiring.LabelComponent, "route", wiring.LabelTier, wiring.TierPublic)),
		Spec: ec2v1beta1.RouteSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: ec2v1beta1.RouteParameters_2{
				Region:               &c.Region,
				DestinationCidrBlock: compose.Ptr("0.0.0.0/0"),
				RouteTableIDSelector: wiring.Own(wiring.LabelComponent, wiring.ComponentRouteTable, wiring.LabelTier, wiring.TierPublic),
				GatewayIDSelector:    wiring.Own(wiring.LabelComponent, componentIGW),
			},
		},
	})
	d.Add(keyDatabaseRT, routeTable(c, wiring.TierDatabase, "", naming.MustName(naming.RouteTable, wiring.TierDatabase, suffix)))
	for _, zone := range spec.AvailabilityZones {
		d.Add(keyPrivateRT(zone), routeTable(c, wiring.TierPrivate, zone, naming.MustName(naming.RouteTable, wiring.TierPrivate+"-"+zone, suffix)))
		for _, tier := range wiring.Tiers {
			rt := wiring.Own(wiring.LabelComponent, wiring.ComponentRouteTable, wiring.LabelTier, tier)
			if tier == wiring.TierPrivate {
				rt.MatchLabels[wiring.LabelZone] = zone
			}
			d.Add(keyAssociation(tier, zone), &ec2v1beta1.RouteTableAssociation{
				ObjectMeta: wiring.Meta(c.Env().Labels(wiring.LayerNetwork, wiring.LabelComponent, "route-table-association", wiring.LabelTier, tier, wiring.LabelZone, zone)),
				Spec: ec2v1beta1.RouteTableAssociationSpec{
					ManagedResourceSpec: c.ManagedSpec(),
					ForProvider: ec2v1beta1.RouteTableAssociationParameters{
						Region:               &c.Region,
						RouteTableIDSelector: rt,
						SubnetIDSelector:     wiring.Own(wiring.LabelComponent, wiring.ComponentSubnet, wiring.LabelTier, tier, wiring.LabelZone, zone),
					},
				},
			})
		}
	}

	// The VPC's default security group, managed with no rules: anything that
	// falls back to it can neither send nor receive.
	d.Add(keyDefaultSG, &ec2v1beta1.DefaultSecurityGroup{
		ObjectMeta: wiring.Meta(c.Env().Labels(wiring.LayerNetwork, wiring.LabelComponent, "default-security-group")),
		Spec: ec2v1beta1.DefaultSecurityGroupSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: ec2v1beta1.DefaultSecurityGroupParameters{
				Region:        &c.Region,
				VPCIDSelector: ownVPC,
				Tags:          c.TagsFor(naming.MustName(naming.SecurityGroup, "default", suffix)),
			},
		},
	})

	addFlowLogs(d, c, obs)
	addChildren(d, spec, obs)
	st, err := status(spec, obs)
	if err != nil {
		return nil, err
	}
	d.Status = st
	return d, nil
}

func routeTable(c compose.Common, tier, zone, name string) *ec2v1beta1.RouteTable {
	kv := []string{wiring.LabelComponent, wiring.ComponentRouteTable, wiring.LabelTier, tier}
	if zone != "" {
		kv = append(kv, wiring.LabelZone, zone)
	}
	return &ec2v1beta1.RouteTable{
		ObjectMeta: wiring.Meta(c.Env().Labels(wiring.LayerNetwork, kv...)),
		Spec: ec2v1beta1.RouteTableSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: ec2v1beta1.RouteTableParameters_2{
				Region:        &c.Region,
				VPCIDSelector: wiring.Own(wiring.LabelComponent, wiring.ComponentVPC),
				Tags:          c.TagsFor(name),
			},
		},
	}
}

// AnnotationAccountID is on the flow-log role: it remembers the account its
// policies name, so the role keeps them while the VPC is not observed.
const AnnotationAccountID = wiring.LabelPrefix + "account-id"

// addFlowLogs adds NET-6: VPC flow logs into a log group encrypted with the
// environment's logs key and kept seven years, delivered by a role that may
// write to that log group only.
func addFlowLogs(d *compose.Desired, c compose.Common, obs compose.Observed) {
	suffix := c.EnvironmentSuffix
	group := naming.MustName(naming.LogGroup, "vpc-flow", suffix)
	d.Add(keyFlowLogs, logs.Group(c, group, c.Env().Labels(wiring.LayerNetwork, wiring.LabelComponent, componentFlowLogs)))

	// The role names its account everywhere: in the trust policy, so that
	// only flow logs of this account (aws:SourceAccount) and region
	// (aws:SourceArn) can have the service assume it, AWS's confused-deputy
	// guidance; and in the log-group ARNs it may write to. The account is the
	// VPC's owner, known once the VPC exists; the role remembers it. A role
	// made before it carried the annotation has the account in its own ARN.
	account := compose.Sticky(obs.String(keyVPC, "status.atProvider.ownerId"), obs, keyFlowRole, "metadata.annotations["+AnnotationAccountID+"]")
	if account == "" {
		account = accountOf(obs.String(keyFlowRole, "status.atProvider.arn"))
	}
	groupARN := fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", c.Region, account, group)
	role := naming.MustName(naming.IAMRole, "vpc-flow-logs", suffix)
	roleMeta := wiring.Named(role, c.Env().Labels(wiring.LayerNetwork, wiring.LabelComponent, componentFlowLogs))
	roleMeta.Annotations[AnnotationAccountID] = account
	d.AddWhen(account != "", obs, keyFlowRole, &iamv1beta1.Role{
		ObjectMeta: roleMeta,
		Spec: iamv1beta1.RoleSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: iamv1beta1.RoleParameters{
				AssumeRolePolicy: compose.Ptr(iampolicy.AssumeRole("vpc-flow-logs.amazonaws.com", map[string]map[string]any{
					"StringEquals": {"aws:SourceAccount": account},
					"ArnLike":      {"aws:SourceArn": fmt.Sprintf("arn:aws:ec2:%s:%s:vpc-flow-log/*", c.Region, account)},
				})),
				InlinePolicy: []iamv1beta1.InlinePolicyParameters{{
					Name: compose.Ptr("deliver-flow-logs"),
					Policy: compose.Ptr(iampolicy.JSON(iampolicy.Allow("DeliverToOwnLogGroup",
						[]string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"},
						groupARN, groupARN+":*"))),
				}},
				Tags: c.TagsFor(role),
			},
		},
	}, "the VPC to report its owner (the account the role names)")

	// The flow log selects the role and the log group for their ARNs: it
	// waits for both to be ready rather than fail resolving a reference to
	// nothing (the role waits for the VPC, the group for the logs key).
	d.AddWhen(obs.Ready(keyFlowRole) && obs.Ready(keyFlowLogs), obs, keyFlowLog, &ec2v1beta1.FlowLog{
		ObjectMeta: wiring.Meta(c.Env().Labels(wiring.LayerNetwork, wiring.LabelComponent, componentFlowLogs)),
		Spec: ec2v1beta1.FlowLogSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: ec2v1beta1.FlowLogParameters{
				Region:                 &c.Region,
				VPCIDSelector:          wiring.Own(wiring.LabelComponent, wiring.ComponentVPC),
				TrafficType:            compose.Ptr("ALL"),
				LogDestinationType:     compose.Ptr("cloud-watch-logs"),
				LogDestinationSelector: wiring.Own(wiring.LabelComponent, componentFlowLogs),
				IAMRoleArnSelector:     wiring.Own(wiring.LabelComponent, componentFlowLogs),
				MaxAggregationInterval: compose.Ptr(float64(60)),
				Tags:                   c.TagsFor(naming.MustName(naming.FlowLog, "vpc", suffix)),
			},
		},
	}, "the "+keyFlowRole+" and the "+keyFlowLogs+" to be ready")

	// Deletion order (SPEC X-8): the logs key outlives the group it encrypts,
	// the group the flow log delivering to it. Each Usage waits for its user
	// to be ready, which proves what it uses exists.
	labels := c.Env().Labels(wiring.LayerNetwork, wiring.LabelComponent, wiring.ComponentUsage)
	groupRef := usage.Ref{GVK: cwlv1beta1.Group_GroupVersionKind, Selector: wiring.Own(wiring.LabelComponent, componentFlowLogs)}
	d.AddWhen(obs.Ready(keyFlowLogs), obs, keyUsageLogsKey, usage.New(labels, c.Env().KeyRef(wiring.KeyLogs), groupRef), "the "+keyFlowLogs+" to be ready")
	d.AddWhen(obs.Ready(keyFlowLog), obs, keyUsageGroup, usage.New(labels, groupRef,
		usage.Ref{GVK: ec2v1beta1.FlowLog_GroupVersionKind, Selector: wiring.Own(wiring.LabelComponent, componentFlowLogs)}), "the "+keyFlowLog+" to be ready")
}

// accountOf returns the account field of an ARN (arn:aws:iam::<account>:role/…),
// or "" when arn is not one.
func accountOf(arn string) string {
	f := strings.SplitN(arn, ":", 6)
	if len(f) < 6 || f[0] != "arn" {
		return ""
	}
	return f[4]
}
