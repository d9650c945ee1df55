package network

import (
	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// Components of the child XRs.
const (
	componentNAT       = "nat"
	componentEndpoints = "endpoints"
)

// addChildren adds the NatInstances and VpcEndpoints XRs. They select this
// layer's VPC, subnets and route tables by label, so they wait until the VPC is
// ready; once they exist they stay.
func addChildren(d *compose.Desired, spec api.NetworkSpec, obs compose.Observed) {
	vpcReady := obs.Ready(keyVPC)
	env := spec.Env()
	d.AddWhen(vpcReady, obs, keyNAT, compose.MustXR(api.KindNatInstances,
		env.Labels(wiring.LayerNetwork, wiring.LabelComponent, componentNAT),
		api.NatInstancesSpec{Common: spec.Common, AvailabilityZones: spec.AvailabilityZones, CIDR: spec.CIDR, InstanceType: spec.NATInstanceType},
	), "the VPC to be ready")
	d.AddWhen(vpcReady, obs, keyEndpoints, compose.MustXR(api.KindVpcEndpoints,
		env.Labels(wiring.LayerNetwork, wiring.LabelComponent, componentEndpoints),
		api.VpcEndpointsSpec{Common: spec.Common, AvailabilityZones: spec.AvailabilityZones, CIDR: spec.CIDR},
	), "the VPC to be ready")
}

// status returns the outputs other layers and the tenant need, copied from
// observed resources and the child XRs' statuses. A list is reported only when
// all three zones are known, so consumers never see a partial set.
func status(spec api.NetworkSpec, obs compose.Observed) (api.NetworkStatus, error) {
	st := api.NetworkStatus{
		VPCID: obs.String(keyVPC, "status.atProvider.id"),
		// The VPC's owner is the account; the keys layer needs it for key policies.
		AccountID:    obs.String(keyVPC, "status.atProvider.ownerId"),
		FlowLogGroup: obs.String(keyFlowLogs, wiring.ExternalNamePath),
	}
	subnets := api.SubnetIDs{}
	for tier, ids := range map[string]*[]string{wiring.TierPublic: &subnets.Public, wiring.TierPrivate: &subnets.Private, wiring.TierDatabase: &subnets.Database} {
		keys := make([]string, 0, len(spec.AvailabilityZones))
		for _, zone := range spec.AvailabilityZones {
			keys = append(keys, keySubnet(tier, zone))
		}
		*ids = obs.All("status.atProvider.id", keys...)
	}
	if len(subnets.Public)+len(subnets.Private)+len(subnets.Database) > 0 {
		st.SubnetIDs = &subnets
	}

	nat, err := compose.StatusOf[api.NatInstancesStatus](obs, keyNAT)
	if err != nil {
		return st, err
	}
	endpoints, err := compose.StatusOf[api.VpcEndpointsStatus](obs, keyEndpoints)
	if err != nil {
		return st, err
	}
	sgs := api.NetworkSecurityGroupIDs{}
	if nat != nil {
		sgs.NAT = nat.SecurityGroupID
		st.NATInstanceIDs = nat.InstanceIDs
	}
	if endpoints != nil {
		sgs.Endpoints = endpoints.SecurityGroupID
	}
	if sgs != (api.NetworkSecurityGroupIDs{}) {
		st.SecurityGroupIDs = &sgs
	}
	return st, nil
}
