package nat

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/fintech-platform/payment-platform/functions/platform/api"

	xpv1 "github.com/crossplane/crossplane-runtime/v2/apis/common/v1"
	"github.com/crossplane/function-sdk-go/resource"
	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"
	iamv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/iam/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/aws"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	ct "github.com/fintech-platform/payment-platform/functions/platform/compose/composetest"
	"github.com/fintech-platform/payment-platform/functions/platform/iampolicy"
)

var zones = ct.Zones

func spec() api.NatInstancesSpec {
	return api.NatInstancesSpec{
		Common:            compose.Common{EnvironmentSuffix: "dev", Region: "us-east-1"},
		AvailabilityZones: zones,
		CIDR:              "10.0.0.0/16",
	}
}

// ltReady is observed state in which what the instances wait for, the
// launch template and the instance profile, is ready.
func ltReady() compose.Observed {
	return compose.Observed{"launch-template": ct.Resource(true, nil), "iam-instance-profile": ct.Resource(true, nil)}
}

func TestNAT_OnePerZoneInPublicSubnet_NET3(t *testing.T) {
	d := ct.Build(t, Build, spec(), ltReady())
	instances := 0
	for _, o := range d.Resources {
		if _, ok := o.(*ec2v1beta1.Instance); ok {
			instances++
		}
	}
	if instances != len(zones) {
		t.Errorf("desired holds %d instances, want one per zone (%d)", instances, len(zones))
	}
	for _, zone := range zones {
		t.Run(zone, func(t *testing.T) {
			i := ct.Get[*ec2v1beta1.Instance](t, d, "instance-"+zone)
			p := i.Spec.ForProvider
			if p.SubnetIDSelector == nil {
				t.Fatal("instance has no subnet selector")
			}
			want := map[string]string{
				"payments.platform.io/environment": "dev",
				"payments.platform.io/component":   "subnet",
				"payments.platform.io/tier":        "public",
				"payments.platform.io/zone":        zone,
			}
			if fmt.Sprint(p.SubnetIDSelector.MatchLabels) != fmt.Sprint(want) {
				t.Errorf("subnet selector labels = %v, want %v", p.SubnetIDSelector.MatchLabels, want)
			}
			if p.SourceDestCheck == nil || *p.SourceDestCheck {
				t.Errorf("sourceDestCheck = %v, want false: a NAT forwards packets neither from nor to itself", p.SourceDestCheck)
			}
			if p.LaunchTemplate == nil || p.LaunchTemplate.Name == nil || *p.LaunchTemplate.Name != "lt-nat-dev" {
				t.Errorf("launch template = %+v, want lt-nat-dev", p.LaunchTemplate)
			}
			if p.LaunchTemplate != nil && (p.LaunchTemplate.Version == nil || *p.LaunchTemplate.Version != "$Default") {
				t.Errorf("launch template version = %v, want $Default", p.LaunchTemplate.Version)
			}
			if s := p.VPCSecurityGroupIDSelector; s == nil || s.MatchControllerRef == nil || !*s.MatchControllerRef {
				t.Errorf("security group selector = %+v, want the NAT group of the same XR", s)
			}
			if p.Region == nil || *p.Region != "us-east-1" {
				t.Errorf("region = %v, want us-east-1", p.Region)
			}
			if got := i.Labels["payments.platform.io/zone"]; got != zone {
				t.Errorf("zone label = %q, want %q", got, zone)
			}
			if n := p.Tags["Name"]; n == nil || *n != "nat-"+zone+"-dev" {
				t.Errorf("Name tag = %v, want nat-%s-dev", n, zone)
			}
		})
	}
}

func TestNAT_LaunchTemplateCurrentAMIAndIMDSv2_NET3(t *testing.T) {
	cases := map[string]struct {
		instanceType string
		wantType     string
		wantArch     string
	}{
		"default is graviton":  {instanceType: "", wantType: "t4g.small", wantArch: "arm64"},
		"t4g":                  {instanceType: "t4g.nano", wantType: "t4g.nano", wantArch: "arm64"},
		"c7gn":                 {instanceType: "c7gn.large", wantType: "c7gn.large", wantArch: "arm64"},
		"t3":                   {instanceType: "t3.micro", wantType: "t3.micro", wantArch: "x86_64"},
		"t3a":                  {instanceType: "t3a.small", wantType: "t3a.small", wantArch: "x86_64"},
		"c6in is not graviton": {instanceType: "c6in.large", wantType: "c6in.large", wantArch: "x86_64"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := spec()
			s.InstanceType = tc.instanceType
			d := ct.Build(t, Build, s, nil)
			p := ct.Get[*ec2v1beta1.LaunchTemplate](t, d, "launch-template").Spec.ForProvider
			if p.ImageID == nil || !strings.HasPrefix(*p.ImageID, "resolve:ssm:") || !strings.HasSuffix(*p.ImageID, "-"+tc.wantArch) {
				t.Errorf("imageId = %v, want an SSM parameter resolved at launch ending in %s", p.ImageID, tc.wantArch)
			}
			if p.ImageID != nil && !strings.Contains(*p.ImageID, "/aws/service/ami-amazon-linux-latest/al2023-") {
				t.Errorf("imageId = %s, want the current Amazon Linux 2023 public parameter", *p.ImageID)
			}
			if p.InstanceType == nil || *p.InstanceType != tc.wantType {
				t.Errorf("instanceType = %v, want %s", p.InstanceType, tc.wantType)
			}
			m := p.MetadataOptions
			if m == nil || m.HTTPTokens == nil || *m.HTTPTokens != "required" {
				t.Fatalf("metadata options = %+v, want httpTokens required (IMDSv2 only)", m)
			}
			if m.HTTPEndpoint == nil || *m.HTTPEndpoint != "enabled" {
				t.Errorf("httpEndpoint = %v, want enabled", m.HTTPEndpoint)
			}
			if m.HTTPPutResponseHopLimit == nil || *m.HTTPPutResponseHopLimit != 1 {
				t.Errorf("hop limit = %v, want 1", m.HTTPPutResponseHopLimit)
			}
			if len(p.BlockDeviceMappings) != 1 || p.BlockDeviceMappings[0].EBS == nil ||
				p.BlockDeviceMappings[0].EBS.Encrypted == nil || *p.BlockDeviceMappings[0].EBS.Encrypted != "true" {
				t.Errorf("block devices = %+v, want one encrypted root volume", p.BlockDeviceMappings)
			}
			if p.Name == nil || *p.Name != "lt-nat-dev" {
				t.Errorf("name = %v, want lt-nat-dev", p.Name)
			}
		})
	}
}

// TestImageParameter_EveryAdmittedTypeGetsItsArchitecture_NET3: the AMI of
// every admitted NAT type matches the processor of its family, listed here by
// hand (Graviton: c6gn, c7g, c7gn, c8g, t4g).
func TestImageParameter_EveryAdmittedTypeGetsItsArchitecture_NET3(t *testing.T) {
	graviton := []string{"c6gn", "c7g", "c7gn", "c8g", "t4g"}
	for _, it := range aws.NATInstanceTypes() {
		family, _, _ := strings.Cut(it, ".")
		arch := "x86_64"
		if slices.Contains(graviton, family) {
			arch = "arm64"
		}
		if got := ImageParameter(it); !strings.HasSuffix(got, "-"+arch) {
			t.Errorf("ImageParameter(%q) = %q, want the %s AMI", it, got, arch)
		}
	}
}

func TestImageParameter_ArchitectureOfInstanceType_NET3(t *testing.T) {
	cases := map[string]string{
		"t4g.small":   "arm64",
		"m6gd.large":  "arm64",
		"r8g.xlarge":  "arm64",
		"im4gn.large": "arm64",
		"a1.large":    "arm64",
		"t3.micro":    "x86_64",
		"t3a.micro":   "x86_64",
		"m5.large":    "x86_64",
		"c6in.large":  "x86_64",
		"g4dn.xlarge": "x86_64",
	}
	for it, arch := range cases {
		t.Run(it, func(t *testing.T) {
			want := "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-" + arch
			if got := ImageParameter(it); got != want {
				t.Errorf("ImageParameter(%q) = %q, want %q", it, got, want)
			}
		})
	}
}

func TestNAT_UserDataForwardsAndMasquerades_NET3(t *testing.T) {
	for _, cidr := range []string{"10.0.0.0/16", "172.16.0.0/20"} {
		t.Run(cidr, func(t *testing.T) {
			s := spec()
			s.CIDR = cidr
			d := ct.Build(t, Build, s, nil)
			p := ct.Get[*ec2v1beta1.LaunchTemplate](t, d, "launch-template").Spec.ForProvider
			if p.UserData == nil {
				t.Fatal("launch template has no user data")
			}
			b, err := base64.StdEncoding.DecodeString(*p.UserData)
			if err != nil {
				t.Fatalf("user data is not base64: %v", err)
			}
			script := string(b)
			if script != UserData(cidr) {
				t.Errorf("user data decodes to a script other than UserData(%q)", cidr)
			}
			lines := strings.Split(script, "\n")
			if lines[0] != "#!/bin/bash" {
				t.Errorf("first line = %q, want a bash shebang", lines[0])
			}
			for _, want := range []string{
				"net.ipv4.ip_forward = 1",
				"sysctl --system",
				"iptables -t nat -A POSTROUTING -o \"$iface\" -s " + cidr + " -j MASQUERADE",
				"service iptables save",
			} {
				if !strings.Contains(script, want) {
					t.Errorf("user data lacks %q:\n%s", want, script)
				}
			}
			// dnf install must sit inside a loop that stops on success.
			loop, install, done := index(lines, "for attempt in"), index(lines, "dnf install -y iptables-services && break"), index(lines, "done")
			if loop < 0 || install < 0 || done < 0 || loop >= install || install >= done {
				t.Errorf("dnf install is not retried in a loop (for at %d, install at %d, done at %d):\n%s", loop, install, done, script)
			}
			if strings.Count(script, "dnf install -y") != 1 {
				t.Errorf("dnf install appears outside its retry loop:\n%s", script)
			}
			if fwd, masq := index(lines, "ip_forward"), index(lines, "MASQUERADE"); fwd < install || masq < install {
				t.Errorf("forwarding (line %d) or masquerade (line %d) is set up before iptables is installed (line %d)", fwd, masq, install)
			}
		})
	}
}

// index returns the index of the first line containing s, or -1.
func index(lines []string, s string) int {
	for i, l := range lines {
		if strings.Contains(l, s) {
			return i
		}
	}
	return -1
}

func TestNAT_SecurityGroupAdmitsOnlyVPC_NET3(t *testing.T) {
	d := ct.Build(t, Build, spec(), ltReady())
	var ingress []*ec2v1beta1.SecurityGroupIngressRule
	for _, o := range d.Resources {
		if r, ok := o.(*ec2v1beta1.SecurityGroupIngressRule); ok {
			ingress = append(ingress, r)
		}
	}
	if len(ingress) != 1 {
		t.Fatalf("desired holds %d ingress rules, want 1", len(ingress))
	}
	p := ingress[0].Spec.ForProvider
	if p.CidrIPv4 == nil || *p.CidrIPv4 != "10.0.0.0/16" {
		t.Errorf("ingress cidrIpv4 = %v, want the VPC CIDR 10.0.0.0/16", p.CidrIPv4)
	}
	if p.CidrIPv6 != nil || p.PrefixListID != nil || p.ReferencedSecurityGroupID != nil || p.ReferencedSecurityGroupIDRef != nil || p.ReferencedSecurityGroupIDSelector != nil {
		t.Errorf("ingress admits a source other than the VPC CIDR: %+v", p)
	}
	if s := p.SecurityGroupIDSelector; s == nil || s.MatchControllerRef == nil || !*s.MatchControllerRef {
		t.Errorf("ingress rule selects %+v, want the NAT group of the same XR", s)
	}
	sg := ct.Get[*ec2v1beta1.SecurityGroup](t, d, "security-group").Spec.ForProvider
	if sg.Name == nil || *sg.Name != "secgroup-nat-dev" {
		t.Errorf("security group name = %v, want secgroup-nat-dev", sg.Name)
	}
	if sg.VPCIDSelector == nil || sg.VPCIDSelector.MatchLabels["payments.platform.io/component"] != "vpc" || sg.VPCIDSelector.MatchLabels["payments.platform.io/environment"] != "dev" {
		t.Errorf("security group VPC selector = %+v, want this environment's VPC", sg.VPCIDSelector)
	}
	eg := ct.Get[*ec2v1beta1.SecurityGroupEgressRule](t, d, "security-group-egress-all").Spec.ForProvider
	if eg.CidrIPv4 == nil || *eg.CidrIPv4 != "0.0.0.0/0" {
		t.Errorf("egress cidrIpv4 = %v, want 0.0.0.0/0 for forwarded traffic", eg.CidrIPv4)
	}
}

// stages are the observed states NatInstances goes through, from nothing to
// all instances and routes existing.
func stages() map[string]compose.Observed {
	all := compose.Observed{"launch-template": ct.Resource(true, nil), "security-group": ct.Resource(true, map[string]any{"status.atProvider.id": "sg-1"}),
		"iam-role": ct.Resource(true, nil), "iam-role-policy-ssm": ct.Resource(true, nil), "iam-instance-profile": ct.Resource(true, nil)}
	for _, z := range zones {
		all[resource.Name("instance-"+z)] = ct.Resource(true, map[string]any{"status.atProvider.id": "i-" + z, "status.atProvider.primaryNetworkInterfaceId": "eni-" + z})
		all[resource.Name("route-private-default-"+z)] = ct.Resource(true, map[string]any{"spec.forProvider.networkInterfaceId": "eni-" + z})
	}
	return map[string]compose.Observed{"nothing": nil, "launch template and profile ready": ltReady(), "everything": all}
}

func TestNAT_NoNATGateway_X5(t *testing.T) {
	for name, obs := range stages() {
		t.Run(name, func(t *testing.T) {
			d := ct.Build(t, Build, spec(), obs)
			for k, o := range d.Resources {
				if _, ok := o.(*ec2v1beta1.NATGateway); ok || strings.Contains(fmt.Sprintf("%T", o), "NATGateway") {
					t.Errorf("%s is a %T; the platform uses NAT instances, not gateways", k, o)
				}
			}
		})
	}
}

func TestNAT_SelectorsStayInOwnEnvironment_X4(t *testing.T) {
	for name, obs := range stages() {
		t.Run(name, func(t *testing.T) {
			d := ct.Build(t, Build, spec(), obs)
			for k, o := range d.Resources {
				b, err := json.Marshal(o)
				if err != nil {
					t.Fatalf("%s: %v", k, err)
				}
				var m map[string]any
				if err := json.Unmarshal(b, &m); err != nil {
					t.Fatalf("%s: %v", k, err)
				}
				if env := m["metadata"].(map[string]any)["labels"].(map[string]any)["payments.platform.io/environment"]; env != "dev" {
					t.Errorf("%s has environment label %v, want dev", k, env)
				}
				ct.CheckSelectors(t, string(k), m, "dev")
			}
		})
	}
}

func TestNAT_InstancesWaitForLaunchTemplate_NET3(t *testing.T) {
	cases := map[string]struct {
		obs           compose.Observed
		wantInstances []string
	}{
		"launch template not observed":      {obs: nil},
		"launch template not ready":         {obs: compose.Observed{"launch-template": ct.Resource(false, nil), "iam-instance-profile": ct.Resource(true, nil)}},
		"profile not ready":                 {obs: compose.Observed{"launch-template": ct.Resource(true, nil), "iam-instance-profile": ct.Resource(false, nil)}},
		"profile not observed":              {obs: compose.Observed{"launch-template": ct.Resource(true, nil)}},
		"launch template and profile ready": {obs: ltReady(), wantInstances: zones},
		"observed instance kept though the template is not ready": {
			obs:           compose.Observed{"launch-template": ct.Resource(false, nil), "instance-us-east-1b": ct.Resource(true, nil)},
			wantInstances: []string{"us-east-1b"},
		},
		"observed instance kept though the template is not observed": {
			obs:           compose.Observed{"instance-us-east-1c": ct.Resource(false, nil)},
			wantInstances: []string{"us-east-1c"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d := ct.Build(t, Build, spec(), tc.obs)
			want := map[string]bool{}
			for _, z := range tc.wantInstances {
				want[z] = true
			}
			for _, z := range zones {
				_, got := d.Resources[resource.Name("instance-"+z)]
				if got != want[z] {
					t.Errorf("instance-%s in desired = %v, want %v", z, got, want[z])
				}
				waiting := contains(d.Waiting, "instance-"+z+" waits for the launch template and the instance profile to be ready")
				if waiting == want[z] {
					t.Errorf("instance-%s listed as waiting = %v, want %v; waiting: %v", z, waiting, !want[z], d.Waiting)
				}
			}
			// The template, the profile with its role, and the security group never wait.
			for _, k := range []string{"launch-template", "security-group", "security-group-ingress-vpc", "security-group-egress-all", "iam-role", "iam-role-policy-ssm", "iam-instance-profile"} {
				if _, ok := d.Resources[resource.Name(k)]; !ok {
					t.Errorf("%s is not in desired state", k)
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func TestNAT_PrivateRouteToOwnZoneInstance_NET4(t *testing.T) {
	cases := map[string]struct {
		obs        compose.Observed
		wantRoutes map[string]string // zone → ENI
	}{
		"no instance observed": {obs: ltReady(), wantRoutes: map[string]string{}},
		"instance observed without its interface": {
			obs:        compose.Observed{"launch-template": ct.Resource(true, nil), "instance-us-east-1a": ct.Resource(false, map[string]any{"status.atProvider.id": "i-a"})},
			wantRoutes: map[string]string{},
		},
		"one instance reports its interface": {
			obs:        compose.Observed{"launch-template": ct.Resource(true, nil), "instance-us-east-1b": ct.Resource(true, map[string]any{"status.atProvider.primaryNetworkInterfaceId": "eni-b"})},
			wantRoutes: map[string]string{"us-east-1b": "eni-b"},
		},
		"every instance reports its interface": {
			obs: compose.Observed{
				"launch-template":     ct.Resource(true, nil),
				"instance-us-east-1a": ct.Resource(true, map[string]any{"status.atProvider.primaryNetworkInterfaceId": "eni-a"}),
				"instance-us-east-1b": ct.Resource(true, map[string]any{"status.atProvider.primaryNetworkInterfaceId": "eni-b"}),
				"instance-us-east-1c": ct.Resource(true, map[string]any{"status.atProvider.primaryNetworkInterfaceId": "eni-c"}),
			},
			wantRoutes: map[string]string{"us-east-1a": "eni-a", "us-east-1b": "eni-b", "us-east-1c": "eni-c"},
		},
		"observed route kept with its old interface while its instance is not observed": {
			obs:        compose.Observed{"route-private-default-us-east-1c": ct.Resource(true, map[string]any{"spec.forProvider.networkInterfaceId": "eni-old"})},
			wantRoutes: map[string]string{"us-east-1c": "eni-old"},
		},
		"observed route without an interface is kept without an empty one": {
			obs:        compose.Observed{"route-private-default-us-east-1b": ct.Resource(true, nil)},
			wantRoutes: map[string]string{"us-east-1b": ""},
		},
		"observed route follows a replaced instance's new interface": {
			obs: compose.Observed{
				"route-private-default-us-east-1a": ct.Resource(true, map[string]any{"spec.forProvider.networkInterfaceId": "eni-old"}),
				"instance-us-east-1a":              ct.Resource(true, map[string]any{"status.atProvider.primaryNetworkInterfaceId": "eni-new"}),
			},
			wantRoutes: map[string]string{"us-east-1a": "eni-new"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d := ct.Build(t, Build, spec(), tc.obs)
			for _, z := range zones {
				key := "route-private-default-" + z
				o, got := d.Resources[resource.Name(key)]
				eni, want := tc.wantRoutes[z]
				if got != want {
					t.Errorf("%s in desired = %v, want %v", key, got, want)
					continue
				}
				if waiting := contains(d.Waiting, key+" waits for the NAT instance in "+z+" to report its network interface"); waiting == want {
					t.Errorf("%s listed as waiting = %v, want %v; waiting: %v", key, waiting, !want, d.Waiting)
				}
				if !got {
					continue
				}
				p := o.(*ec2v1beta1.Route).Spec.ForProvider
				if eni == "" {
					// Kept, but with no target of ours: never an empty id.
					if p.NetworkInterfaceID != nil {
						t.Errorf("%s networkInterfaceId = %q, want it left unset", key, *p.NetworkInterfaceID)
					}
					continue
				}
				if p.NetworkInterfaceID == nil || *p.NetworkInterfaceID != eni {
					t.Errorf("%s networkInterfaceId = %v, want %s (the NAT instance of the same zone)", key, p.NetworkInterfaceID, eni)
				}
				if p.DestinationCidrBlock == nil || *p.DestinationCidrBlock != "0.0.0.0/0" {
					t.Errorf("%s destination = %v, want 0.0.0.0/0", key, p.DestinationCidrBlock)
				}
				wantRT := map[string]string{
					"payments.platform.io/environment": "dev",
					"payments.platform.io/component":   "route-table",
					"payments.platform.io/tier":        "private",
					"payments.platform.io/zone":        z,
				}
				if p.RouteTableIDSelector == nil || fmt.Sprint(p.RouteTableIDSelector.MatchLabels) != fmt.Sprint(wantRT) {
					t.Errorf("%s route table selector = %+v, want labels %v", key, p.RouteTableIDSelector, wantRT)
				}
				if p.GatewayID != nil || p.GatewayIDSelector != nil || p.NATGatewayID != nil || p.NATGatewayIDSelector != nil {
					t.Errorf("%s has a target other than the NAT instance's interface: %+v", key, p)
				}
			}
		})
	}
}

func TestNAT_StatusOnlyWhenAllObserved_API04(t *testing.T) {
	instance := func(id, ip string) resource.ObservedComposed {
		return ct.Resource(true, map[string]any{"status.atProvider.id": id, "status.atProvider.publicIp": ip})
	}
	cases := map[string]struct {
		obs      compose.Observed
		wantSG   any
		wantIDs  any
		wantIPs  any
		wantKeys int
	}{
		"nothing observed": {obs: nil},
		"two of three instances": {
			obs: compose.Observed{
				"instance-us-east-1a": instance("i-a", "1.1.1.1"),
				"instance-us-east-1b": instance("i-b", "2.2.2.2"),
			},
		},
		"all three instances and the security group": {
			obs: compose.Observed{
				"security-group":      ct.Resource(true, map[string]any{"status.atProvider.id": "sg-1"}),
				"instance-us-east-1c": instance("i-c", "3.3.3.3"),
				"instance-us-east-1a": instance("i-a", "1.1.1.1"),
				"instance-us-east-1b": instance("i-b", "2.2.2.2"),
			},
			wantSG:  "sg-1",
			wantIDs: []any{"i-a", "i-b", "i-c"},
			wantIPs: []any{"1.1.1.1", "2.2.2.2", "3.3.3.3"},
		},
		"all three instances, one without a public ip yet": {
			obs: compose.Observed{
				"instance-us-east-1a": instance("i-a", "1.1.1.1"),
				"instance-us-east-1b": instance("i-b", ""),
				"instance-us-east-1c": instance("i-c", "3.3.3.3"),
			},
			wantIDs: []any{"i-a", "i-b", "i-c"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d := ct.Build(t, Build, spec(), tc.obs)
			for key, want := range map[string]any{"securityGroupId": tc.wantSG, "instanceIds": tc.wantIDs, "publicIps": tc.wantIPs} {
				got, ok := ct.Status(t, d)[key]
				if want == nil {
					if ok {
						t.Errorf("status.%s = %v, want it absent until every value is observed", key, got)
					}
					continue
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("status.%s = %v, want %v", key, got, want)
				}
			}
		})
	}
}

func TestNAT_InvalidInput_API05(t *testing.T) {
	cases := map[string]struct {
		mutate  func(*api.NatInstancesSpec)
		wantErr string
	}{
		"no dot":                 {mutate: func(s *api.NatInstancesSpec) { s.InstanceType = "t4g" }, wantErr: "spec.parameters.instanceType"},
		"uppercase":              {mutate: func(s *api.NatInstancesSpec) { s.InstanceType = "T4G.small" }, wantErr: "spec.parameters.instanceType"},
		"shell metacharacters":   {mutate: func(s *api.NatInstancesSpec) { s.InstanceType = "t4g.small;reboot" }, wantErr: "spec.parameters.instanceType"},
		"bad environment suffix": {mutate: func(s *api.NatInstancesSpec) { s.EnvironmentSuffix = "Dev" }, wantErr: "spec.parameters.environmentSuffix"},
		"missing suffix":         {mutate: func(s *api.NatInstancesSpec) { s.EnvironmentSuffix = "" }, wantErr: "spec.parameters.environmentSuffix"},
		"missing region":         {mutate: func(s *api.NatInstancesSpec) { s.Region = "" }, wantErr: "spec.parameters.region"},
		"missing zones":          {mutate: func(s *api.NatInstancesSpec) { s.AvailabilityZones = nil }, wantErr: "availabilityZones"},
		"missing cidr":           {mutate: func(s *api.NatInstancesSpec) { s.CIDR = "" }, wantErr: "cidr"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := spec()
			tc.mutate(&s)
			d, err := Build(s, nil)
			if err == nil {
				t.Fatalf("Build succeeded with %d resources, want an error naming %s", len(d.Resources), tc.wantErr)
			}
			if d != nil {
				t.Errorf("Build returned desired state with its error")
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q does not name %s", err, tc.wantErr)
			}
		})
	}
}

// TestValidateInstanceType_API05_API07: only the types of the aws package's
// list; a well-formed type EC2 does not have (t4g.huge), or one not admitted
// for NAT instances, is refused.
func TestValidateInstanceType_API05_API07(t *testing.T) {
	cases := map[string]bool{
		"t4g.small":        true,
		"t3.micro":         true,
		"c7gn.2xlarge":     true,
		"c6in.large":       true,
		"t4g.huge":         false,
		"m5.large":         false,
		"c7gn.16xlarge":    false,
		"u-6tb1.metal":     false,
		"":                 false,
		"t4g":              false,
		"T4G.small":        false,
		"t4g.small;reboot": false,
		"4g.small":         false,
	}
	for it, valid := range cases {
		t.Run(it, func(t *testing.T) {
			errs := api.ValidateNATInstanceType(field.NewPath("spec", "parameters", "natInstanceType"), it)
			if valid != (len(errs) == 0) {
				t.Fatalf("ValidateNATInstanceType(%q) = %v, want valid %v", it, errs, valid)
			}
			for _, e := range errs {
				if e.Field != "spec.parameters.natInstanceType" || e.Type != field.ErrorTypeNotSupported {
					t.Errorf("error %v: want Unsupported value at spec.parameters.natInstanceType", e)
				}
			}
		})
	}
}

// TestNAT_InstanceProfileForSSM_NET8: the NAT instances can be patched through
// Systems Manager: a role EC2 may assume, with AmazonSSMManagedInstanceCore
// attached, carried by an instance profile, each named {type}-nat-{suffix}.
func TestNAT_InstanceProfileForSSM_NET8(t *testing.T) {
	d := ct.Build(t, Build, spec(), nil)
	role := ct.Get[*iamv1beta1.Role](t, d, "iam-role")
	if got := role.Annotations["crossplane.io/external-name"]; got != "role-nat-dev" {
		t.Errorf("role name = %q, want role-nat-dev", got)
	}
	var trust iampolicy.Document
	if err := json.Unmarshal([]byte(*role.Spec.ForProvider.AssumeRolePolicy), &trust); err != nil {
		t.Fatal(err)
	}
	if len(trust.Statement) != 1 || trust.Statement[0].Effect != "Allow" || trust.Statement[0].Principal["Service"] != "ec2.amazonaws.com" ||
		!slices.Equal(trust.Statement[0].Action, []string{"sts:AssumeRole"}) {
		t.Errorf("trust policy = %s, want EC2 alone assuming the role", *role.Spec.ForProvider.AssumeRolePolicy)
	}
	if len(role.Spec.ForProvider.InlinePolicy) != 0 || len(role.Spec.ForProvider.ManagedPolicyArns) != 0 {
		t.Errorf("role carries its own policies %+v %v; its one policy is the attachment", role.Spec.ForProvider.InlinePolicy, role.Spec.ForProvider.ManagedPolicyArns)
	}
	if got := role.Spec.ForProvider.Tags["Name"]; got == nil || *got != "role-nat-dev" {
		t.Errorf("role Name tag = %v", got)
	}

	att := ct.Get[*iamv1beta1.RolePolicyAttachment](t, d, "iam-role-policy-ssm").Spec.ForProvider
	if att.PolicyArn == nil || *att.PolicyArn != "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" {
		t.Errorf("attached policy = %v, want AmazonSSMManagedInstanceCore", att.PolicyArn)
	}
	ownNAT := func(at string, s *xpv1.NamespacedSelector) {
		t.Helper()
		if s == nil || s.MatchControllerRef == nil || !*s.MatchControllerRef || s.MatchLabels["payments.platform.io/component"] != "nat" {
			t.Errorf("%s = %+v, want this XR's NAT role", at, s)
		}
	}
	ownNAT("attachment roleSelector", att.RoleSelector)

	prof := ct.Get[*iamv1beta1.InstanceProfile](t, d, "iam-instance-profile")
	if got := prof.Annotations["crossplane.io/external-name"]; got != "instanceprofile-nat-dev" {
		t.Errorf("instance profile name = %q, want instanceprofile-nat-dev", got)
	}
	ownNAT("instance profile roleSelector", prof.Spec.ForProvider.RoleSelector)
	if got := prof.Spec.ForProvider.Tags["Name"]; got == nil || *got != "instanceprofile-nat-dev" {
		t.Errorf("instance profile Name tag = %v", got)
	}

	// The role and the profile need nothing observed: composed at once, with
	// names that fit IAM's limits at the longest suffix.
	long := spec()
	long.EnvironmentSuffix = "prodeu1abcde"
	d = ct.Build(t, Build, long, nil)
	if n := ct.Get[*iamv1beta1.Role](t, d, "iam-role").Annotations["crossplane.io/external-name"]; len(n) > 64 {
		t.Errorf("role name %q is %d characters, IAM allows 64", n, len(n))
	}
	if n := ct.Get[*iamv1beta1.InstanceProfile](t, d, "iam-instance-profile").Annotations["crossplane.io/external-name"]; len(n) > 128 {
		t.Errorf("instance profile name %q is %d characters, IAM allows 128", n, len(n))
	}
}

// TestNAT_InstancesCarryTheProfile_NET8: every NAT instance names the profile;
// an instance that exists gets it in place once the profile is ready and keeps
// it while the profile is not ready. The launch template does not name it: a
// new template version would make the provider replace the instances.
func TestNAT_InstancesCarryTheProfile_NET8(t *testing.T) {
	const profile = "instanceprofile-nat-dev"
	existing := func(fields map[string]any) compose.Observed {
		return compose.Observed{"launch-template": ct.Resource(true, nil), "iam-instance-profile": ct.Resource(false, nil), "instance-us-east-1a": ct.Resource(true, fields)}
	}
	cases := map[string]struct {
		obs  compose.Observed
		want string // the instance in us-east-1a's profile; "" for none
	}{
		"new instances launch with it": {obs: ltReady(), want: profile},
		"an existing instance gets it once the profile is ready": {
			obs:  compose.Observed{"launch-template": ct.Resource(true, nil), "iam-instance-profile": ct.Resource(true, nil), "instance-us-east-1a": ct.Resource(true, nil)},
			want: profile,
		},
		"an existing instance without it waits for the profile": {obs: existing(nil)},
		"an existing instance keeps it while the profile is not ready": {
			obs:  existing(map[string]any{"spec.forProvider.iamInstanceProfile": profile}),
			want: profile,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d := ct.Build(t, Build, spec(), tc.obs)
			p := ct.Get[*ec2v1beta1.Instance](t, d, "instance-us-east-1a").Spec.ForProvider.IAMInstanceProfile
			switch {
			case tc.want == "" && p != nil:
				t.Errorf("iamInstanceProfile = %q, want none until the profile is ready", *p)
			case tc.want != "" && (p == nil || *p != tc.want):
				t.Errorf("iamInstanceProfile = %v, want %s", p, tc.want)
			}
		})
	}
	lt := ct.Get[*ec2v1beta1.LaunchTemplate](t, ct.Build(t, Build, spec(), ltReady()), "launch-template").Spec.ForProvider
	if lt.IAMInstanceProfile != nil {
		t.Errorf("launch template names a profile %+v: a new version would replace the running instances", lt.IAMInstanceProfile)
	}
}

// TestNAT_WithinResourceBudget: everything NatInstances composes fits the
// 40-resource budget of an XR.
func TestNAT_WithinResourceBudget_NET3(t *testing.T) {
	for name, obs := range stages() {
		if n := len(ct.Build(t, Build, spec(), obs).Resources); n > 40 {
			t.Errorf("%s: NatInstances composes %d resources, budget 40", name, n)
		}
	}
}
