package endpoints

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"

	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	ct "github.com/fintech-platform/payment-platform/functions/platform/compose/composetest"
)

var zones = []string{"us-east-1a", "us-east-1b", "us-east-1c"}

var common = compose.Common{EnvironmentSuffix: "dev", Region: "us-east-1"}

func spec() api.VpcEndpointsSpec {
	return api.VpcEndpointsSpec{Common: common, AvailabilityZones: zones, CIDR: "10.0.0.0/16"}
}

func interfaceSpec(svc string) api.InterfaceEndpointSpec {
	return api.InterfaceEndpointSpec{Common: common, AvailabilityZones: zones, Service: svc}
}

// privateIn returns the labels selecting this environment's private resource
// of component in zone.
func privateIn(component, zone string) string {
	return fmt.Sprint(map[string]string{
		"payments.platform.io/environment": "dev",
		"payments.platform.io/component":   component,
		"payments.platform.io/tier":        "private",
		"payments.platform.io/zone":        zone,
	})
}

func TestEndpoints_GatewayOnPrivateRouteTables_NET5(t *testing.T) {
	d, err := Build(spec(), nil)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	gateways := map[string]bool{}
	for k, o := range d.Resources {
		if e, ok := o.(*ec2v1beta1.VPCEndpoint); ok {
			gateways[*e.Spec.ForProvider.ServiceName] = true
			if *e.Spec.ForProvider.VPCEndpointType != "Gateway" {
				t.Errorf("%s is a %s endpoint; the VpcEndpoints XR composes gateway endpoints only", k, *e.Spec.ForProvider.VPCEndpointType)
			}
		}
	}
	if len(gateways) != 2 || !gateways["com.amazonaws.us-east-1.s3"] || !gateways["com.amazonaws.us-east-1.dynamodb"] {
		t.Errorf("gateway endpoints = %v, want s3 and dynamodb", gateways)
	}
	for _, svc := range []string{"s3", "dynamodb"} {
		t.Run(svc, func(t *testing.T) {
			e := ct.Get[*ec2v1beta1.VPCEndpoint](t, d, "gateway-"+svc)
			p := e.Spec.ForProvider
			if p.ServiceName == nil || *p.ServiceName != "com.amazonaws.us-east-1."+svc {
				t.Errorf("serviceName = %v, want com.amazonaws.us-east-1.%s", p.ServiceName, svc)
			}
			if p.VPCEndpointType == nil || *p.VPCEndpointType != "Gateway" {
				t.Errorf("type = %v, want Gateway", p.VPCEndpointType)
			}
			if p.VPCIDSelector == nil || p.VPCIDSelector.MatchLabels["payments.platform.io/component"] != "vpc" || p.VPCIDSelector.MatchLabels["payments.platform.io/environment"] != "dev" {
				t.Errorf("VPC selector = %+v, want this environment's VPC", p.VPCIDSelector)
			}
			if n := p.Tags["Name"]; n == nil || *n != "vpce-"+svc+"-dev" {
				t.Errorf("Name tag = %v, want vpce-%s-dev", n, svc)
			}
			for _, zone := range zones {
				a := ct.Get[*ec2v1beta1.VPCEndpointRouteTableAssociation](t, d, "gateway-"+svc+"-route-table-"+zone).Spec.ForProvider
				if a.RouteTableIDSelector == nil || fmt.Sprint(a.RouteTableIDSelector.MatchLabels) != privateIn("route-table", zone) {
					t.Errorf("%s association selects route table %+v, want %s", zone, a.RouteTableIDSelector, privateIn("route-table", zone))
				}
				s := a.VPCEndpointIDSelector
				if s == nil || s.MatchControllerRef == nil || !*s.MatchControllerRef ||
					s.MatchLabels["payments.platform.io/component"] != "gateway-endpoint" || s.MatchLabels["payments.platform.io/purpose"] != svc {
					t.Errorf("%s association selects endpoint %+v, want this XR's %s gateway endpoint", zone, s, svc)
				}
				// The selector must match the endpoint it means to.
				for k, v := range s.MatchLabels {
					if e.Labels[k] != v {
						t.Errorf("%s association selector label %s=%s does not match the endpoint's labels %v", zone, k, v, e.Labels)
					}
				}
			}
		})
	}
	associations := 0
	for _, o := range d.Resources {
		if _, ok := o.(*ec2v1beta1.VPCEndpointRouteTableAssociation); ok {
			associations++
		}
	}
	if associations != 2*len(zones) {
		t.Errorf("%d route table associations, want one per gateway endpoint and zone (%d)", associations, 2*len(zones))
	}
}

func TestEndpoints_InterfaceEndpointXRs_NET5(t *testing.T) {
	d, err := Build(spec(), nil)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	// The workloads' services, and the three Systems Manager needs (NET-8).
	want := []string{"ecr.api", "ecr.dkr", "secretsmanager", "logs", "sqs", "kms", "sts", "monitoring", "ssm", "ssmmessages", "ec2messages"}
	var got []string
	for k, o := range d.Resources {
		u, ok := o.(*unstructured.Unstructured)
		if !ok || u.GetKind() != api.KindInterfaceEndpoint {
			continue
		}
		if u.GetAPIVersion() != compose.APIVersion {
			t.Errorf("%s apiVersion = %s, want %s", k, u.GetAPIVersion(), compose.APIVersion)
		}
		b, err := json.Marshal(u.Object["spec"].(map[string]any)["parameters"])
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		var p api.InterfaceEndpointSpec
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatalf("%s parameters do not decode as an api.InterfaceEndpointSpec: %v", k, err)
		}
		if string(k) != "interface-"+strings.ReplaceAll(p.Service, ".", "-") {
			t.Errorf("%s composes service %q", k, p.Service)
		}
		if p.EnvironmentSuffix != "dev" || p.Region != "us-east-1" || fmt.Sprint(p.AvailabilityZones) != fmt.Sprint(zones) {
			t.Errorf("%s parameters = %+v, want the environment, region and zones of the VpcEndpoints XR", k, p)
		}
		if l := u.GetLabels(); l["payments.platform.io/environment"] != "dev" || l["payments.platform.io/component"] != "interface-endpoint" {
			t.Errorf("%s labels = %v", k, l)
		}
		// Each XR must build on its own parameters.
		if _, err := BuildInterface(p, nil); err != nil {
			t.Errorf("%s: BuildInterface of its parameters: %v", k, err)
		}
		got = append(got, p.Service)
	}
	sort.Strings(got)
	sort.Strings(want)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("interface endpoint XRs for %v, want %v", got, want)
	}
}

func TestEndpoints_InterfaceEndpointPrivateDNSInPrivateSubnets_NET5(t *testing.T) {
	for _, svc := range api.InterfaceServices {
		t.Run(svc, func(t *testing.T) {
			d, err := BuildInterface(interfaceSpec(svc), nil)
			if err != nil {
				t.Fatalf("BuildInterface: %v", err)
			}
			e := ct.Get[*ec2v1beta1.VPCEndpoint](t, d, "endpoint")
			p := e.Spec.ForProvider
			if p.VPCEndpointType == nil || *p.VPCEndpointType != "Interface" {
				t.Errorf("type = %v, want Interface", p.VPCEndpointType)
			}
			if p.PrivateDNSEnabled == nil || !*p.PrivateDNSEnabled {
				t.Errorf("privateDnsEnabled = %v, want true so the service's public name resolves to the endpoint", p.PrivateDNSEnabled)
			}
			if p.ServiceName == nil || *p.ServiceName != "com.amazonaws.us-east-1."+svc {
				t.Errorf("serviceName = %v, want com.amazonaws.us-east-1.%s", p.ServiceName, svc)
			}
			if n := p.Tags["Name"]; n == nil || *n != "vpce-"+strings.ReplaceAll(svc, ".", "-")+"-dev" {
				t.Errorf("Name tag = %v", n)
			}
			subnets := 0
			for _, o := range d.Resources {
				if _, ok := o.(*ec2v1beta1.VPCEndpointSubnetAssociation); ok {
					subnets++
				}
			}
			if subnets != len(zones) {
				t.Errorf("%d subnet associations, want one per zone (%d)", subnets, len(zones))
			}
			for _, zone := range zones {
				a := ct.Get[*ec2v1beta1.VPCEndpointSubnetAssociation](t, d, "subnet-"+zone).Spec.ForProvider
				if a.SubnetIDSelector == nil || fmt.Sprint(a.SubnetIDSelector.MatchLabels) != privateIn("subnet", zone) {
					t.Errorf("%s association selects subnet %+v, want %s", zone, a.SubnetIDSelector, privateIn("subnet", zone))
				}
				if s := a.VPCEndpointIDSelector; s == nil || s.MatchControllerRef == nil || !*s.MatchControllerRef {
					t.Errorf("%s association selects endpoint %+v, want this XR's endpoint", zone, s)
				}
			}
			sg := ct.Get[*ec2v1beta1.VPCEndpointSecurityGroupAssociation](t, d, "security-group").Spec.ForProvider
			if sg.ReplaceDefaultAssociation == nil || !*sg.ReplaceDefaultAssociation {
				t.Errorf("replaceDefaultAssociation = %v, want true: the VPC default group admits nothing", sg.ReplaceDefaultAssociation)
			}
			want := fmt.Sprint(map[string]string{"payments.platform.io/environment": "dev", "payments.platform.io/component": wiring.ComponentSecurityGroup, "payments.platform.io/purpose": wiring.SGEndpoints})
			if sg.SecurityGroupIDSelector == nil || fmt.Sprint(sg.SecurityGroupIDSelector.MatchLabels) != want {
				t.Errorf("security group selector = %+v, want %s", sg.SecurityGroupIDSelector, want)
			}
		})
	}
}

func TestEndpoints_SecurityGroupHTTPSFromVPCOnly_NET5(t *testing.T) {
	for _, cidr := range []string{"10.0.0.0/16", "10.20.0.0/24"} {
		t.Run(cidr, func(t *testing.T) {
			s := spec()
			s.CIDR = cidr
			d, err := Build(s, nil)
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			var rules []*ec2v1beta1.SecurityGroupIngressRule
			for k, o := range d.Resources {
				switch r := o.(type) {
				case *ec2v1beta1.SecurityGroupIngressRule:
					rules = append(rules, r)
				case *ec2v1beta1.SecurityGroupEgressRule:
					t.Errorf("%s: the endpoints group needs no egress rule", k)
				}
			}
			if len(rules) != 1 {
				t.Fatalf("%d ingress rules, want 1", len(rules))
			}
			p := rules[0].Spec.ForProvider
			if p.IPProtocol == nil || *p.IPProtocol != "tcp" || p.FromPort == nil || *p.FromPort != 443 || p.ToPort == nil || *p.ToPort != 443 {
				t.Errorf("ingress = %v %v-%v, want tcp 443", p.IPProtocol, p.FromPort, p.ToPort)
			}
			if p.CidrIPv4 == nil || *p.CidrIPv4 != cidr {
				t.Errorf("ingress cidrIpv4 = %v, want the VPC CIDR %s", p.CidrIPv4, cidr)
			}
			if p.CidrIPv6 != nil || p.PrefixListID != nil || p.ReferencedSecurityGroupID != nil || p.ReferencedSecurityGroupIDSelector != nil {
				t.Errorf("ingress admits a source other than the VPC CIDR: %+v", p)
			}
			sg := ct.Get[*ec2v1beta1.SecurityGroup](t, d, "security-group")
			if sg.Spec.ForProvider.Name == nil || *sg.Spec.ForProvider.Name != "secgroup-endpoints-dev" {
				t.Errorf("security group name = %v, want secgroup-endpoints-dev", sg.Spec.ForProvider.Name)
			}
			sel := p.SecurityGroupIDSelector
			if sel == nil || sel.MatchControllerRef == nil || !*sel.MatchControllerRef {
				t.Fatalf("ingress selects group %+v, want this XR's group", sel)
			}
			for k, v := range sel.MatchLabels {
				if sg.Labels[k] != v {
					t.Errorf("ingress selector label %s=%s does not match the group's labels %v", k, v, sg.Labels)
				}
			}
			// Interface endpoints select this group by label from their own XRs.
			if sg.Labels["payments.platform.io/component"] != wiring.ComponentSecurityGroup || sg.Labels["payments.platform.io/purpose"] != wiring.SGEndpoints || sg.Labels["payments.platform.io/environment"] != "dev" {
				t.Errorf("group labels = %v, want component %s, purpose %s of environment dev", sg.Labels, wiring.ComponentSecurityGroup, wiring.SGEndpoints)
			}
		})
	}
}

func TestEndpoints_WithinResourceBudget_NET5(t *testing.T) {
	const budget = 40
	d, err := Build(spec(), nil)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	if n := len(d.Resources); n > budget {
		t.Errorf("VpcEndpoints composes %d resources, budget %d", n, budget)
	}
	if len(d.Waiting) != 0 {
		t.Errorf("VpcEndpoints holds back %v; it has no prerequisites", d.Waiting)
	}
	for _, svc := range api.InterfaceServices {
		d, err := BuildInterface(interfaceSpec(svc), nil)
		if err != nil {
			t.Fatalf("BuildInterface(%s): %v", svc, err)
		}
		if n := len(d.Resources); n > budget {
			t.Errorf("InterfaceEndpoint %s composes %d resources, budget %d", svc, n, budget)
		}
	}
}

func TestEndpoints_SelectorsStayInOwnEnvironment_X4(t *testing.T) {
	built := map[string]*compose.Desired{}
	d, err := Build(spec(), nil)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	built["VpcEndpoints"] = d
	for _, svc := range api.InterfaceServices {
		d, err := BuildInterface(interfaceSpec(svc), nil)
		if err != nil {
			t.Fatalf("BuildInterface(%s): %v", svc, err)
		}
		built[svc] = d
	}
	for xr, d := range built {
		for k, o := range d.Resources {
			b, err := json.Marshal(o)
			if err != nil {
				t.Fatalf("%s/%s: %v", xr, k, err)
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatalf("%s/%s: %v", xr, k, err)
			}
			labels, _ := m["metadata"].(map[string]any)["labels"].(map[string]any)
			if labels["payments.platform.io/environment"] != "dev" || labels["payments.platform.io/layer"] != "network" {
				t.Errorf("%s/%s labels = %v, want environment dev and layer network", xr, k, labels)
			}
			ct.CheckSelectors(t, xr+"/"+string(k), m, "dev")
		}
	}
}

func TestEndpoints_Status_API04(t *testing.T) {
	cases := map[string]struct {
		obs    compose.Observed
		wantSG any
		want   map[string]any
	}{
		"nothing observed": {},
		"gateway and interface endpoints observed": {
			obs: compose.Observed{
				"security-group":    ct.Resource(true, map[string]any{"status.atProvider.id": "sg-1"}),
				"gateway-s3":        ct.Resource(true, map[string]any{"status.atProvider.id": "vpce-s3"}),
				"interface-ecr-api": ct.Resource(true, map[string]any{"status.endpointId": "vpce-ecr"}),
			},
			wantSG: "sg-1",
			want:   map[string]any{"s3": "vpce-s3", "ecr.api": "vpce-ecr"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d, err := Build(spec(), tc.obs)
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			if got := ct.Status(t, d)["securityGroupId"]; got != tc.wantSG {
				t.Errorf("status.securityGroupId = %v, want %v", got, tc.wantSG)
			}
			got, ok := ct.Status(t, d)["endpointIds"]
			if tc.want == nil {
				if ok {
					t.Errorf("status.endpointIds = %v, want it absent", got)
				}
				return
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("status.endpointIds = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestEndpoints_InterfaceStatus_API04(t *testing.T) {
	for name, tc := range map[string]struct {
		obs  compose.Observed
		want any
	}{
		"not observed": {},
		"observed":     {obs: compose.Observed{"endpoint": ct.Resource(true, map[string]any{"status.atProvider.id": "vpce-1"})}, want: "vpce-1"},
	} {
		t.Run(name, func(t *testing.T) {
			d, err := BuildInterface(interfaceSpec("sts"), tc.obs)
			if err != nil {
				t.Fatalf("BuildInterface: %v", err)
			}
			if got := ct.Status(t, d)["endpointId"]; got != tc.want {
				t.Errorf("status.endpointId = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestEndpoints_InvalidInput_API05(t *testing.T) {
	cases := map[string]struct {
		build   func() (*compose.Desired, error)
		wantErr string
	}{
		"bad suffix": {build: func() (*compose.Desired, error) {
			s := spec()
			s.EnvironmentSuffix = "Dev"
			return Build(s, nil)
		}, wantErr: "spec.parameters.environmentSuffix"},
		"missing region": {build: func() (*compose.Desired, error) {
			s := spec()
			s.Region = ""
			return Build(s, nil)
		}, wantErr: "spec.parameters.region"},
		"missing zones": {build: func() (*compose.Desired, error) {
			s := spec()
			s.AvailabilityZones = nil
			return Build(s, nil)
		}, wantErr: "availabilityZones"},
		"missing cidr": {build: func() (*compose.Desired, error) {
			s := spec()
			s.CIDR = ""
			return Build(s, nil)
		}, wantErr: "spec.parameters.cidr"},
		"interface: unknown service": {build: func() (*compose.Desired, error) {
			return BuildInterface(interfaceSpec("ec2"), nil)
		}, wantErr: "spec.parameters.service"},
		"interface: empty service": {build: func() (*compose.Desired, error) {
			return BuildInterface(interfaceSpec(""), nil)
		}, wantErr: "spec.parameters.service"},
		"interface: gateway service": {build: func() (*compose.Desired, error) {
			return BuildInterface(interfaceSpec("s3"), nil)
		}, wantErr: "spec.parameters.service"},
		"interface: bad suffix": {build: func() (*compose.Desired, error) {
			s := interfaceSpec("sts")
			s.EnvironmentSuffix = "dev_1"
			return BuildInterface(s, nil)
		}, wantErr: "spec.parameters.environmentSuffix"},
		"interface: missing zones": {build: func() (*compose.Desired, error) {
			s := interfaceSpec("sts")
			s.AvailabilityZones = nil
			return BuildInterface(s, nil)
		}, wantErr: "availabilityZones"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d, err := tc.build()
			if err == nil {
				t.Fatalf("built %d resources, want an error naming %s", len(d.Resources), tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q does not name %s", err, tc.wantErr)
			}
		})
	}
}
