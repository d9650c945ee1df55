package network

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
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
	"github.com/fintech-platform/payment-platform/functions/platform/iampolicy"
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

// account is the made-up account the tests' VPC reports as its owner.
const account = "123456789012"

// flowLogsReady is observed state in which the VPC reports its owner and the
// flow log's role and group are ready: everything of NET-6 is composed.
func flowLogsReady() compose.Observed {
	return ct.Observed(
		ct.Res{Name: keyVPC, Ready: true, Fields: map[string]any{"status.atProvider.ownerId": account}},
		ct.Res{Name: keyFlowRole, Ready: true}, ct.Res{Name: keyFlowLogs, Ready: true})
}

func TestNetwork_FlowLogsEncryptedAndRetained_NET6_OBS3(t *testing.T) {
	d := ct.Build(t, Build, spec(), flowLogsReady())
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
		"flow-log waits for the flow-log-role and the flow-log-group to be ready",
		"flow-log-role waits for the VPC to report its owner (the account the role names)",
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
	d := ct.Build(t, Build, s, ct.Observed(ct.Res{Name: keyVPC, Ready: true, Fields: map[string]any{"status.atProvider.ownerId": account}},
		ct.Res{Name: keyFlowRole, Ready: true}, ct.Res{Name: keyFlowLogs, Ready: true}, ct.Res{Name: keyFlowLog, Ready: true}))
	if d.Get(keyFlowRole) == nil || d.Get(keyFlowLog) == nil {
		t.Fatalf("the flow-log role and flow log are not composed; waiting: %v", d.Waiting)
	}
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

// TestNetwork_FlowLogRoleNamesItsAccount_NET6: the flow-log role is scoped to
// the VPC owner's account, never "*": every ARN in its trust and delivery
// policies names the account, and the trust policy holds aws:SourceAccount
// beside aws:SourceArn (AWS's confused-deputy guidance for flow logs).
func TestNetwork_FlowLogRoleNamesItsAccount_NET6(t *testing.T) {
	d := ct.Build(t, Build, spec(), flowLogsReady())
	role := ct.Get[*iamv1beta1.Role](t, d, keyFlowRole)
	if got := role.Annotations[AnnotationAccountID]; got != account {
		t.Errorf("annotation %s = %q, want %q: the role remembers its account", AnnotationAccountID, got, account)
	}
	checkScopedToAccount(t, role, account)

	var trust iampolicy.Document
	if err := json.Unmarshal([]byte(*role.Spec.ForProvider.AssumeRolePolicy), &trust); err != nil {
		t.Fatal(err)
	}
	if len(trust.Statement) != 1 {
		t.Fatalf("trust policy has %d statements, want 1", len(trust.Statement))
	}
	st := trust.Statement[0]
	if st.Principal["Service"] != "vpc-flow-logs.amazonaws.com" || fmt.Sprint(st.Action) != "[sts:AssumeRole]" {
		t.Errorf("trust statement = %+v, want vpc-flow-logs.amazonaws.com assuming the role", st)
	}
	if got := st.Condition["StringEquals"]["aws:SourceAccount"]; got != account {
		t.Errorf("aws:SourceAccount = %v, want %s", got, account)
	}
	if got := st.Condition["ArnLike"]["aws:SourceArn"]; got != "arn:aws:ec2:us-east-1:"+account+":vpc-flow-log/*" {
		t.Errorf("aws:SourceArn = %v, want this account's flow logs in us-east-1", got)
	}
	var deliver iampolicy.Document
	if err := json.Unmarshal([]byte(*role.Spec.ForProvider.InlinePolicy[0].Policy), &deliver); err != nil {
		t.Fatal(err)
	}
	want := []string{"arn:aws:logs:us-east-1:" + account + ":log-group:logs-vpc-flow-dev", "arn:aws:logs:us-east-1:" + account + ":log-group:logs-vpc-flow-dev:*"}
	if got := deliver.Statement[0].Resource; !slices.Equal(got, want) {
		t.Errorf("delivery resources = %v, want %v", got, want)
	}
}

// checkScopedToAccount fails t unless every ARN in role's policies names
// account: a "*" (or empty) account field anywhere is a failure.
func checkScopedToAccount(t *testing.T, role *iamv1beta1.Role, account string) {
	t.Helper()
	docs := []string{*role.Spec.ForProvider.AssumeRolePolicy}
	for _, p := range role.Spec.ForProvider.InlinePolicy {
		docs = append(docs, *p.Policy)
	}
	arns := 0
	for _, doc := range docs {
		var v any
		if err := json.Unmarshal([]byte(doc), &v); err != nil {
			t.Fatalf("policy %s: %v", doc, err)
		}
		walkStrings(v, func(s string) {
			if !strings.HasPrefix(s, "arn:") {
				return
			}
			arns++
			if f := strings.SplitN(s, ":", 6); len(f) < 6 || f[4] != account {
				t.Errorf("%s does not name account %s: %s", s, account, doc)
			}
		})
	}
	if arns < 3 {
		t.Errorf("only %d ARNs in the role's policies, want the source ARN and the log group's two", arns)
	}
}

// walkStrings calls f with every string in v, a decoded JSON value.
func walkStrings(v any, f func(string)) {
	switch v := v.(type) {
	case string:
		f(v)
	case []any:
		for _, e := range v {
			walkStrings(e, f)
		}
	case map[string]any:
		for _, e := range v {
			walkStrings(e, f)
		}
	}
}

// TestNetwork_FlowLogRoleWaitsForTheAccount_NET6: the role is composed once
// the VPC reports its owner; once it exists it stays, with its account, while
// the VPC does not report one (from its annotation, or from its own ARN for a
// role made before it carried the annotation).
func TestNetwork_FlowLogRoleWaitsForTheAccount_NET6(t *testing.T) {
	cases := map[string]struct {
		obs         compose.Observed
		wantAccount string // "" when the role must not be composed
	}{
		"nothing observed":                        {obs: nil},
		"VPC without its owner yet":               {obs: ct.Observed(ct.Res{Name: keyVPC, Ready: true})},
		"VPC reports its owner":                   {obs: ct.Observed(ct.Res{Name: keyVPC, Fields: map[string]any{"status.atProvider.ownerId": account}}), wantAccount: account},
		"role kept by its annotation":             {obs: ct.Observed(ct.Res{Name: keyFlowRole, Fields: map[string]any{"metadata.annotations": map[string]any{AnnotationAccountID: "210987654321"}}}), wantAccount: "210987654321"},
		"role without annotation kept by its ARN": {obs: ct.Observed(ct.Res{Name: keyFlowRole, Fields: map[string]any{"status.atProvider.arn": "arn:aws:iam::210987654321:role/role-vpc-flow-logs-dev"}}), wantAccount: "210987654321"},
		"the VPC's owner wins over the annotation": {obs: ct.Observed(
			ct.Res{Name: keyVPC, Fields: map[string]any{"status.atProvider.ownerId": account}},
			ct.Res{Name: keyFlowRole, Fields: map[string]any{"metadata.annotations": map[string]any{AnnotationAccountID: "210987654321"}}}), wantAccount: account},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d := ct.Build(t, Build, spec(), tc.obs)
			role, _ := d.Get(keyFlowRole).(*iamv1beta1.Role)
			if tc.wantAccount == "" {
				if role != nil {
					t.Fatalf("role composed with account %q before the VPC reports its owner", role.Annotations[AnnotationAccountID])
				}
				if !slices.Contains(d.Waiting, keyFlowRole+" waits for the VPC to report its owner (the account the role names)") {
					t.Errorf("waiting = %v, want the role waiting for the VPC's owner", d.Waiting)
				}
				return
			}
			if role == nil {
				t.Fatalf("role not composed; waiting: %v", d.Waiting)
			}
			if got := role.Annotations[AnnotationAccountID]; got != tc.wantAccount {
				t.Errorf("account = %q, want %q", got, tc.wantAccount)
			}
			checkScopedToAccount(t, role, tc.wantAccount)
		})
	}
	if got := accountOf("not-an-arn"); got != "" {
		t.Errorf("accountOf(not-an-arn) = %q", got)
	}
}

// TestNetwork_FlowLogWaitsForWhatItReferences_NET6: the flow log selects its
// role and log group, so it waits for both; an existing flow log stays.
func TestNetwork_FlowLogWaitsForWhatItReferences_NET6(t *testing.T) {
	owner := ct.Res{Name: keyVPC, Ready: true, Fields: map[string]any{"status.atProvider.ownerId": account}}
	cases := map[string]struct {
		obs  compose.Observed
		want bool
	}{
		"role and group ready":   {obs: flowLogsReady(), want: true},
		"role not ready":         {obs: ct.Observed(owner, ct.Res{Name: keyFlowRole}, ct.Res{Name: keyFlowLogs, Ready: true})},
		"group not ready":        {obs: ct.Observed(owner, ct.Res{Name: keyFlowRole, Ready: true}, ct.Res{Name: keyFlowLogs})},
		"neither observed":       {obs: ct.Observed(owner)},
		"existing flow log kept": {obs: ct.Observed(ct.Res{Name: keyFlowLog}), want: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d := ct.Build(t, Build, spec(), tc.obs)
			if got := d.Get(keyFlowLog) != nil; got != tc.want {
				t.Errorf("flow log composed = %v, want %v; waiting: %v", got, tc.want, d.Waiting)
			}
		})
	}
}
