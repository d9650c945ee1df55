package network

import (
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/layers/endpoints"
	"github.com/fintech-platform/payment-platform/functions/platform/layers/nat"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// addChildren adds the NatInstances and VpcEndpoints XRs. They select this
// layer's VPC, subnets and route tables by label, so they wait until the VPC is
// ready; once they exist they stay.
func addChildren(d *compose.Desired, spec Spec, obs compose.Observed) {
	vpcReady := obs.Ready(keyVPC)
	d.AddWhen(vpcReady, obs, keyNAT, compose.MustXR(nat.Kind,
		spec.Env().Labels(wiring.LayerNetwork, wiring.LabelComponent, "nat"),
		nat.Spec{Common: spec.Common, AvailabilityZones: spec.AvailabilityZones, CIDR: spec.CIDR, InstanceType: spec.NATInstanceType},
	), "the VPC to be ready")
	d.AddWhen(vpcReady, obs, keyEndpoints, compose.MustXR(endpoints.Kind,
		spec.Env().Labels(wiring.LayerNetwork, wiring.LabelComponent, "endpoints"),
		endpoints.Spec{Common: spec.Common, AvailabilityZones: spec.AvailabilityZones, CIDR: spec.CIDR},
	), "the VPC to be ready")
}

// status returns the outputs other layers and the tenant need, copied from
// observed resources. A list is reported only when all three zones are known,
// so consumers never see a partial set.
func status(spec Spec, obs compose.Observed) map[string]any {
	out := compose.Outputs{}
	out.Set("vpcId", obs.String(keyVPC, "status.atProvider.id"))
	// The VPC's owner is the account; the keys layer needs it for key policies.
	out.Set("accountId", obs.String(keyVPC, "status.atProvider.ownerId"))
	out.Set("flowLogGroup", obs.String(keyFlowLogs, wiring.ExternalNamePath))
	subnets := map[string]any{}
	for _, tier := range Tiers {
		ids := make([]any, 0, len(spec.AvailabilityZones))
		for _, zone := range spec.AvailabilityZones {
			if id := obs.String(keySubnet(tier, zone), "status.atProvider.id"); id != "" {
				ids = append(ids, id)
			}
		}
		if len(ids) == len(spec.AvailabilityZones) {
			subnets[tier] = ids
		}
	}
	if len(subnets) > 0 {
		out["subnetIds"] = subnets
	}
	sgs := map[string]any{}
	if id := obs.String(keyNAT, "status.securityGroupId"); id != "" {
		sgs["nat"] = id
	}
	if id := obs.String(keyEndpoints, "status.securityGroupId"); id != "" {
		sgs["endpoints"] = id
	}
	if len(sgs) > 0 {
		out["securityGroupIds"] = sgs
	}
	if ids := obs.Value(keyNAT, "status.instanceIds"); ids != nil {
		out["natInstanceIds"] = ids
	}
	return out
}
