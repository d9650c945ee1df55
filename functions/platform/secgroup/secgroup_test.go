package secgroup

import (
	"testing"

	"github.com/fintech-platform/payment-platform/functions/platform/wiring"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
)

var c = compose.Common{EnvironmentSuffix: "dev", Region: "us-east-1"}

func TestGroup_InEnvironmentVPC_X4(t *testing.T) {
	g := Group(c, "secgroup-x-dev", "why", map[string]string{"a": "b"}).Spec.ForProvider
	if *g.Name != "secgroup-x-dev" || *g.Description != "why" || g.VPCIDSelector.MatchLabels[wiring.LabelEnvironment] != "dev" || *g.Tags["Name"] != "secgroup-x-dev" {
		t.Errorf("group = %+v", g)
	}
}

func TestRules_PortsAndPeers_DB5_NET3(t *testing.T) {
	own := wiring.Own()
	all := Ingress(c, nil, Rule{Description: "d", Group: own, Protocol: AllTraffic, CIDR: "10.0.0.0/16"}).Spec.ForProvider
	if all.FromPort != nil || all.ToPort != nil || *all.IPProtocol != "-1" || *all.CidrIPv4 != "10.0.0.0/16" || all.ReferencedSecurityGroupIDSelector != nil {
		t.Errorf("all-traffic rule = %+v", all)
	}
	peer := wiring.Own(wiring.LabelPurpose, "proxy")
	pg := Egress(c, nil, Rule{Description: "d", Group: own, Protocol: "tcp", Port: 5432, PeerGroup: peer}).Spec.ForProvider
	if *pg.FromPort != 5432 || *pg.ToPort != 5432 || pg.CidrIPv4 != nil || pg.ReferencedSecurityGroupIDSelector != peer || pg.SecurityGroupIDSelector != own {
		t.Errorf("tcp rule = %+v", pg)
	}
}
