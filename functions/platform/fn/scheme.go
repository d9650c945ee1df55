package fn

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/crossplane/function-sdk-go/resource/composed"
	cwlv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatchlogs/v1beta1"
	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"
	iamv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/iam/v1beta1"
	kmsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/kms/v1beta1"
	rdsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/rds/v1beta1"
	smv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/secretsmanager/v1beta1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// managed lists every managed resource kind the builders compose, and nothing
// else. Only these kinds are registered in composed.Scheme, so a builder that
// composes a kind missing here fails in every test that renders it. The same
// list is what the configuration activates (its
// ManagedResourceActivationPolicy), what schema validation gathers and what
// make e2e installs: a layer that composes a new kind adds it here.
var managed = []runtime.Object{
	&cwlv1beta1.Group{},

	&ec2v1beta1.DefaultSecurityGroup{},
	&ec2v1beta1.FlowLog{},
	&ec2v1beta1.Instance{},
	&ec2v1beta1.InternetGateway{},
	&ec2v1beta1.LaunchTemplate{},
	&ec2v1beta1.Route{},
	&ec2v1beta1.RouteTable{},
	&ec2v1beta1.RouteTableAssociation{},
	&ec2v1beta1.SecurityGroup{},
	&ec2v1beta1.SecurityGroupEgressRule{},
	&ec2v1beta1.SecurityGroupIngressRule{},
	&ec2v1beta1.Subnet{},
	&ec2v1beta1.VPC{},
	&ec2v1beta1.VPCEndpoint{},
	&ec2v1beta1.VPCEndpointRouteTableAssociation{},
	&ec2v1beta1.VPCEndpointSecurityGroupAssociation{},
	&ec2v1beta1.VPCEndpointSubnetAssociation{},

	&iamv1beta1.Role{},

	&kmsv1beta1.Alias{},
	&kmsv1beta1.Key{},

	&rdsv1beta1.Cluster{},
	&rdsv1beta1.ClusterInstance{},
	&rdsv1beta1.ClusterParameterGroup{},
	&rdsv1beta1.Proxy{},
	&rdsv1beta1.ProxyDefaultTargetGroup{},
	&rdsv1beta1.ProxyEndpoint{},
	&rdsv1beta1.ProxyTarget{},
	&rdsv1beta1.SubnetGroup{},

	&smv1beta1.Secret{},
	&smv1beta1.SecretRotation{},
}

// groups are the provider API groups of the kinds in managed; they only name
// the kinds (a group's scheme knows the GroupVersionKind of each of its types).
var groups = []func(*runtime.Scheme) error{
	cwlv1beta1.AddToScheme,
	ec2v1beta1.AddToScheme,
	iamv1beta1.AddToScheme,
	kmsv1beta1.AddToScheme,
	rdsv1beta1.AddToScheme,
	smv1beta1.AddToScheme,
}

// managedKinds is managed's GroupVersionKinds, sorted.
var managedKinds = mustKinds()

func mustKinds() []schema.GroupVersionKind {
	names := runtime.NewScheme()
	for _, add := range groups {
		if err := add(names); err != nil {
			panic(err)
		}
	}
	out := make([]schema.GroupVersionKind, 0, len(managed))
	for _, o := range managed {
		gvks, _, err := names.ObjectKinds(o)
		if err != nil || len(gvks) != 1 {
			panic(fmt.Sprintf("cannot name the kind of %T: %v", o, err))
		}
		composed.Scheme.AddKnownTypeWithName(gvks[0], o)
		out = append(out, gvks[0])
	}
	slices.SortFunc(out, func(a, b schema.GroupVersionKind) int {
		return cmp.Or(strings.Compare(a.Group, b.Group), strings.Compare(a.Kind, b.Kind))
	})
	return out
}

// ManagedKinds returns the managed resource kinds the function composes,
// sorted by group and kind.
func ManagedKinds() []schema.GroupVersionKind {
	return slices.Clone(managedKinds)
}
