package network

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/fintech-platform/payment-platform/functions/platform/api"

	"github.com/fintech-platform/payment-platform/functions/platform/wiring"

	xpv1 "github.com/crossplane/crossplane-runtime/v2/apis/common/v1"
	cwlv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatchlogs/v1beta1"
	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"
	iamv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/iam/v1beta1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/crossplane/function-sdk-go/resource"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	ct "github.com/fintech-platform/payment-platform/functions/platform/compose/composetest"
	"github.com/fintech-platform/payment-platform/functions/platform/usage"
)

var zones = ct.Zones

func spec() api.NetworkSpec {
	return api.NetworkSpec{Common: compose.Common{EnvironmentSuffix: "dev", Region: "us-east-1"}}
}

func TestNetwork_VPCInRegionOverThreeZones_NET1_X2(t *testing.T) {
	d := ct.Build(t, Build, spec(), nil)
	vpcs := ct.Of[*ec2v1beta1.VPC](d)
	if len(vpcs) != 1 {
		t.Fatalf("want one VPC, got %d", len(vpcs))
	}
	v := vpcs[keyVPC].Spec.ForProvider
	if *v.Region != "us-east-1" || *v.CidrBlock != "10.0.0.0/16" || !*v.EnableDNSSupport || !*v.EnableDNSHostnames {
		t.Errorf("VPC = region %s cidr %s dns %v/%v", *v.Region, *v.CidrBlock, *v.EnableDNSSupport, *v.EnableDNSHostnames)
	}
	seen := map[string]bool{}
	for _, s := range ct.Of[*ec2v1beta1.Subnet](d) {
		seen[*s.Spec.ForProvider.AvailabilityZone] = true
	}
	if len(seen) != 3 || !seen["us-east-1a"] || !seen["us-east-1b"] || !seen["us-east-1c"] {
		t.Errorf("subnets span %v, want the three default zones", seen)
	}
}

func TestNetwork_ThreeTiersPerZone_NET2(t *testing.T) {
	d := ct.Build(t, Build, spec(), nil)
	subnets := ct.Of[*ec2v1beta1.Subnet](d)
	if len(subnets) != 9 {
		t.Fatalf("want 9 subnets, got %d", len(subnets))
	}
	vpc := netip.MustParsePrefix("10.0.0.0/16")
	var blocks []netip.Prefix
	for _, tier := range wiring.Tiers {
		for _, z := range zones {
			s, ok := subnets[keySubnet(tier, z)]
			if !ok {
				t.Fatalf("no %s subnet in %s", tier, z)
			}
			l := s.Labels
			if l[wiring.LabelTier] != tier || l[wiring.LabelZone] != z || l[wiring.LabelEnvironment] != "dev" {
				t.Errorf("%s/%s labels = %v", tier, z, l)
			}
			if got := *s.Spec.ForProvider.MapPublicIPOnLaunch; got != (tier == wiring.TierPublic) {
				t.Errorf("%s/%s mapPublicIpOnLaunch = %v", tier, z, got)
			}
			p := netip.MustParsePrefix(*s.Spec.ForProvider.CidrBlock)
			if !vpc.Overlaps(p) || p.Bits() != 20 {
				t.Errorf("%s/%s cidr %s is not a /20 of the VPC", tier, z, p)
			}
			for _, b := range blocks {
				if b.Overlaps(p) {
					t.Errorf("%s overlaps %s", p, b)
				}
			}
			blocks = append(blocks, p)
		}
	}
}

func TestNetwork_SubnetCIDRsFitSmallestVPC_NET2(t *testing.T) {
	vpc := netip.MustParsePrefix("192.168.4.0/24")
	last := SubnetCIDR(vpc, wiring.TierDatabase, 2)
	if last.String() != "192.168.4.160/28" || !vpc.Contains(last.Addr()) {
		t.Errorf("last subnet of a /24 = %s, want 192.168.4.160/28", last)
	}
}

// TestNetwork_Routing_NET4 proves each subnet tier's routing: public through the
// internet gateway, each private subnet to its own zone's table (whose default
// route the NatInstances XR adds), database subnets to a table with no route
// beyond the VPC.
func TestNetwork_Routing_NET4(t *testing.T) {
	d := ct.Build(t, Build, spec(), nil)
	routes := ct.Of[*ec2v1beta1.Route](d)
	if len(routes) != 1 {
		t.Fatalf("want only the public default route in the network layer, got %d routes", len(routes))
	}
	r := routes[keyPublicRoute].Spec.ForProvider
	if *r.DestinationCidrBlock != "0.0.0.0/0" || r.GatewayIDSelector.MatchLabels[wiring.LabelComponent] != componentIGW ||
		r.RouteTableIDSelector.MatchLabels[wiring.LabelTier] != wiring.TierPublic || !*r.RouteTableIDSelector.MatchControllerRef {
		t.Errorf("public route = %+v", r)
	}
	tables := ct.Of[*ec2v1beta1.RouteTable](d)
	if len(tables) != 5 {
		t.Errorf("want 5 route tables (public, database, 3 private), got %d", len(tables))
	}
	assoc := ct.Of[*ec2v1beta1.RouteTableAssociation](d)
	if len(assoc) != 9 {
		t.Fatalf("want 9 route table associations, got %d", len(assoc))
	}
	for _, tier := range wiring.Tiers {
		for _, z := range zones {
			a := assoc[keyAssociation(tier, z)].Spec.ForProvider
			sub, rt := a.SubnetIDSelector.MatchLabels, a.RouteTableIDSelector.MatchLabels
			if sub[wiring.LabelTier] != tier || sub[wiring.LabelZone] != z || rt[wiring.LabelTier] != tier {
				t.Errorf("%s/%s association selects subnet %v and table %v", tier, z, sub, rt)
			}
			if tier == wiring.TierPrivate && rt[wiring.LabelZone] != z {
				t.Errorf("private subnet in %s uses the private table of %q", z, rt[wiring.LabelZone])
			}
			if tier != wiring.TierPrivate && rt[wiring.LabelZone] != "" {
				t.Errorf("%s subnets share one table, got zone %q", tier, rt[wiring.LabelZone])
			}
		}
	}
	// No NAT gateway anywhere: egress goes through NAT instances.
	for n, o := range d.Resources {
		if _, ok := o.(*ec2v1beta1.NATGateway); ok {
			t.Errorf("%s is a NAT gateway", n)
		}
	}
}

func TestNetwork_DefaultSecurityGroupClosed_NET5(t *testing.T) {
	d := ct.Build(t, Build, spec(), nil)
	sg := ct.Of[*ec2v1beta1.DefaultSecurityGroup](d)[keyDefaultSG]
	if sg == nil || len(sg.Spec.ForProvider.Ingress) != 0 || len(sg.Spec.ForProvider.Egress) != 0 {
		t.Errorf("default security group must be managed with no rules, got %+v", sg)
	}
}

func TestNetwork_FlowLogsEncryptedAndRetained_NET6_OBS3(t *testing.T) {
	d := ct.Build(t, Build, spec(), nil)
	g := ct.Of[*cwlv1beta1.Group](d)[keyFlowLogs]
	if g == nil {
		t.Fatal("no flow log group")
	}
	if *g.Spec.ForProvider.RetentionInDays != 2557 {
		t.Errorf("retention = %v, want 2557 (7 years; 2555 is not a CloudWatch value)", *g.Spec.ForProvider.RetentionInDays)
	}
	k := g.Spec.ForProvider.KMSKeyIDSelector.MatchLabels
	if k[wiring.LabelPurpose] != "logs" || k[wiring.LabelEnvironment] != "dev" || k[wiring.LabelComponent] != "kms-key" {
		t.Errorf("log group key selector = %v, want this environment's logs key", k)
	}
	if name := g.Annotations["crossplane.io/external-name"]; name != "logs-vpc-flow-dev" {
		t.Errorf("log group name = %q", name)
	}
	fl := ct.Of[*ec2v1beta1.FlowLog](d)[keyFlowLog].Spec.ForProvider
	if *fl.TrafficType != "ALL" || *fl.LogDestinationType != "cloud-watch-logs" || !*fl.VPCIDSelector.MatchControllerRef {
		t.Errorf("flow log = %+v", fl)
	}
	role := ct.Of[*iamv1beta1.Role](d)[keyFlowRole].Spec.ForProvider
	if !strings.Contains(*role.AssumeRolePolicy, `"vpc-flow-logs.amazonaws.com"`) || !strings.Contains(*role.AssumeRolePolicy, "aws:SourceArn") {
		t.Errorf("trust policy = %s", *role.AssumeRolePolicy)
	}
	pol := *role.InlinePolicy[0].Policy
	if !strings.Contains(pol, "log-group:logs-vpc-flow-dev") || strings.Contains(pol, `"*"`) || strings.Contains(pol, "CreateLogGroup") {
		t.Errorf("delivery policy is not limited to its own log group: %s", pol)
	}
}

func TestNetwork_ChildrenWaitForVPC_NeverDropped(t *testing.T) {
	d := ct.Build(t, Build, spec(), nil)
	if _, ok := d.Resources[keyNAT]; ok {
		t.Error("NatInstances composed before the VPC is ready")
	}
	want := []string{
		"endpoints waits for the VPC to be ready",
		"nat-instances waits for the VPC to be ready",
		"usage-flow-log-group-by-flow-log waits for the flow-log to be ready",
		"usage-key-logs-by-flow-log-group waits for the flow-log-group to be ready",
	}
	if strings.Join(d.Waiting, "; ") != strings.Join(want, "; ") {
		t.Errorf("waiting = %v, want %v", d.Waiting, want)
	}
	d = ct.Build(t, Build, spec(), ct.Observed(ct.Res{Name: keyVPC, Ready: true}))
	for _, k := range []string{keyNAT, keyEndpoints} {
		u, ok := d.Resources[resource.Name(k)].(*unstructured.Unstructured)
		if !ok {
			t.Fatalf("%s not composed once the VPC is ready", k)
		}
		if z, _, _ := unstructured.NestedStringSlice(u.Object, "spec", "parameters", "availabilityZones"); len(z) != 3 {
			t.Errorf("%s zones = %v", k, z)
		}
	}
	// The VPC becomes unready: what exists stays.
	d = ct.Build(t, Build, spec(), ct.Observed(ct.Res{Name: keyVPC}, ct.Res{Name: keyNAT}, ct.Res{Name: keyEndpoints}))
	if d.Resources[keyNAT] == nil || d.Resources[keyEndpoints] == nil {
		t.Error("an observed child XR was dropped")
	}
}

func TestNetwork_StatusFromObserved_API04(t *testing.T) {
	var rs []ct.Res
	rs = append(rs, ct.Res{Name: keyVPC, Ready: true, Fields: map[string]any{"status.atProvider.id": "vpc-1", "status.atProvider.ownerId": "123456789012"}})
	for _, tier := range wiring.Tiers {
		for _, z := range zones {
			rs = append(rs, ct.Res{Name: keySubnet(tier, z), Fields: map[string]any{"status.atProvider.id": "subnet-" + tier + z}})
		}
	}
	rs = append(rs, ct.Res{Name: keyNAT, Fields: map[string]any{"status.securityGroupId": "sg-nat", "status.instanceIds": []any{"i-1", "i-2", "i-3"}}},
		ct.Res{Name: keyEndpoints, Fields: map[string]any{"status.securityGroupId": "sg-vpce"}})
	d := ct.Build(t, Build, spec(), ct.Observed(rs...))
	s := ct.Status(t, d)
	if s["vpcId"] != "vpc-1" || s["accountId"] != "123456789012" {
		t.Errorf("status = %v", s)
	}
	sub := s["subnetIds"].(map[string]any)
	if got := sub["private"].([]any); len(got) != 3 || got[1] != "subnet-privateus-east-1b" {
		t.Errorf("private subnets = %v, want zone order", got)
	}
	if sg := s["securityGroupIds"].(map[string]any); sg["nat"] != "sg-nat" || sg["endpoints"] != "sg-vpce" {
		t.Errorf("security groups = %v", sg)
	}
	// A tier with a subnet missing is not reported at all.
	d = ct.Build(t, Build, spec(), ct.Observed(rs[:5]...))
	if sub, ok := ct.Status(t, d)["subnetIds"].(map[string]any); ok && sub["database"] != nil {
		t.Errorf("partial database subnets reported: %v", sub)
	}
}

func TestNetwork_Validate_API05(t *testing.T) {
	cases := map[string]struct {
		mutate func(*api.NetworkSpec)
		want   string
	}{
		"SuffixMissing":   {func(s *api.NetworkSpec) { s.EnvironmentSuffix = "" }, "spec.parameters.environmentSuffix"},
		"TwoZones":        {func(s *api.NetworkSpec) { s.AvailabilityZones = zones[:2] }, "exactly 3"},
		"DuplicateZone":   {func(s *api.NetworkSpec) { s.AvailabilityZones = []string{"us-east-1a", "us-east-1a", "us-east-1b"} }, "spec.parameters.availabilityZones[1]: Duplicate value"},
		"ZoneElsewhere":   {func(s *api.NetworkSpec) { s.AvailabilityZones = []string{"us-east-1a", "us-east-1b", "eu-west-1a"} }, `spec.parameters.availabilityZones[2]: Unsupported value: "eu-west-1a"`},
		"CIDRGarbage":     {func(s *api.NetworkSpec) { s.CIDR = "ten/16" }, "spec.parameters.cidr"},
		"CIDRv6":          {func(s *api.NetworkSpec) { s.CIDR = "fd00::/56" }, "IPv4"},
		"CIDRHostBits":    {func(s *api.NetworkSpec) { s.CIDR = "10.0.0.1/16" }, "host bits"},
		"CIDRTooSmall":    {func(s *api.NetworkSpec) { s.CIDR = "10.0.0.0/26" }, "/16 to /24"},
		"CIDRTooLarge":    {func(s *api.NetworkSpec) { s.CIDR = "10.0.0.0/12" }, "/16 to /24"},
		"NATInstanceType": {func(s *api.NetworkSpec) { s.NATInstanceType = "huge" }, "spec.parameters.natInstanceType"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := spec()
			tc.mutate(&s)
			_, err := Build(s, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one naming %q", err, tc.want)
			}
		})
	}
}

func TestNetwork_EveryResourceTaggedAndOnProviderConfig_X1(t *testing.T) {
	s := spec()
	s.ProviderConfigName = "aws-dev"
	s.Tags = map[string]string{"team": "payments", "Name": "spoofed"}
	d := ct.Build(t, Build, s, ct.Observed(ct.Res{Name: keyVPC, Ready: true}, ct.Res{Name: keyFlowLogs, Ready: true}, ct.Res{Name: keyFlowLog, Ready: true}))
	for n, o := range d.Resources {
		if _, ok := o.(*usage.Usage); ok {
			continue // Crossplane's own kind: no ProviderConfig, nothing in AWS to tag.
		}
		if u, ok := o.(*unstructured.Unstructured); ok {
			if pc, _, _ := unstructured.NestedString(u.Object, "spec", "parameters", "providerConfigName"); pc != "aws-dev" {
				t.Errorf("%s: providerConfigName %q", n, pc)
			}
			continue
		}
		m, ok := o.(interface {
			GetProviderConfigReference() *xpv1.ProviderConfigReference
		})
		if !ok || m.GetProviderConfigReference().Name != "aws-dev" {
			t.Errorf("%s does not use the claim's ProviderConfig", n)
		}
	}
	vpc := ct.Of[*ec2v1beta1.VPC](d)[keyVPC].Spec.ForProvider.Tags
	if *vpc["team"] != "payments" || *vpc["Name"] != "vpc-payments-dev" {
		t.Errorf("VPC tags = team %s Name %s: claim tags kept, Name not overridable", *vpc["team"], *vpc["Name"])
	}
}

// TestNetwork_FlowLogsOutliveTheirUsers_X8: the logs key outlives the flow-log
// group it encrypts, the group the flow log delivering to it. Each Usage waits
// for its user to be ready and stays once composed.
func TestNetwork_FlowLogsOutliveTheirUsers_X8(t *testing.T) {
	if n := len(ct.Of[*usage.Usage](ct.Build(t, Build, spec(), nil))); n != 0 {
		t.Errorf("%d Usages before their users are ready", n)
	}
	d := ct.Build(t, Build, spec(), ct.Observed(ct.Res{Name: keyFlowLogs, Ready: true}, ct.Res{Name: keyFlowLog, Ready: true}))
	got := ct.Of[*usage.Usage](d)
	own := func(r *usage.Resource) bool {
		return r.ResourceSelector.MatchControllerRef != nil && *r.ResourceSelector.MatchControllerRef
	}
	k := got[keyUsageLogsKey]
	if k == nil || k.Spec.Of.Kind != "Key" || k.Spec.Of.ResourceSelector.MatchLabels[wiring.LabelPurpose] != "logs" ||
		k.Spec.Of.ResourceSelector.MatchLabels[wiring.LabelEnvironment] != "dev" || own(&k.Spec.Of) ||
		k.Spec.By.Kind != "Group" || !own(k.Spec.By) || k.Spec.By.ResourceSelector.MatchLabels[wiring.LabelComponent] != componentFlowLogs {
		t.Errorf("%s = %+v, want the environment's logs key used by this XR's flow-log group", keyUsageLogsKey, k)
	}
	g := got[keyUsageGroup]
	if g == nil || g.Spec.Of.Kind != "Group" || !own(&g.Spec.Of) || g.Spec.By.Kind != "FlowLog" || g.Spec.By.APIVersion != "ec2.aws.m.upbound.io/v1beta1" || !own(g.Spec.By) {
		t.Errorf("%s = %+v, want this XR's flow-log group used by its flow log", keyUsageGroup, g)
	}
	if len(got) != 2 {
		t.Errorf("%d Usages, want 2", len(got))
	}
	kept := ct.Build(t, Build, spec(), ct.Observed(ct.Res{Name: keyUsageLogsKey}, ct.Res{Name: keyUsageGroup}))
	if len(ct.Of[*usage.Usage](kept)) != 2 {
		t.Error("an observed Usage was dropped when its user was not ready")
	}
}
