package fn

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/crossplane/function-sdk-go/resource/composed"
	agv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/apigateway/v1beta1"
	agv2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/apigatewayv2/v1beta1"
	appautoscalingv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/appautoscaling/v1beta1"
	cwv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatch/v1beta1"
	cwlv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatchlogs/v1beta1"
	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"
	ecrv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ecr/v1beta1"
	ecsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ecs/v1beta1"
	elbv2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/elbv2/v1beta1"
	iamv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/iam/v1beta1"
	kmsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/kms/v1beta1"
	lambdav1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/lambda/v1beta1"
	rdsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/rds/v1beta1"
	s3v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/s3/v1beta1"
	smv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/secretsmanager/v1beta1"
	snsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/sns/v1beta1"
	sqsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/sqs/v1beta1"
	wafv2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/wafv2/v1beta1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// groups are the provider API groups of the kinds the layers compose; they
// only name the kinds (a group's scheme knows the GroupVersionKind of each of
// its types). A layer composing a kind of a new group adds the group here.
var groups = []func(*runtime.Scheme) error{
	agv1beta1.AddToScheme,
	agv2v1beta1.AddToScheme,
	appautoscalingv1beta1.AddToScheme,
	cwv1beta1.AddToScheme,
	cwlv1beta1.AddToScheme,
	ec2v1beta1.AddToScheme,
	ecrv1beta1.AddToScheme,
	ecsv1beta1.AddToScheme,
	elbv2v1beta1.AddToScheme,
	iamv1beta1.AddToScheme,
	kmsv1beta1.AddToScheme,
	lambdav1beta1.AddToScheme,
	rdsv1beta1.AddToScheme,
	s3v1beta1.AddToScheme,
	smv1beta1.AddToScheme,
	snsv1beta1.AddToScheme,
	sqsv1beta1.AddToScheme,
	wafv2v1beta1.AddToScheme,
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
	var out []schema.GroupVersionKind
	for _, l := range layers {
		for _, o := range l.Managed {
			gvks, _, err := names.ObjectKinds(o)
			if err != nil || len(gvks) != 1 {
				panic(fmt.Sprintf("cannot name the kind of %T that layer %s composes (is its API group in groups?): %v", o, l.Kind, err))
			}
			if slices.Contains(out, gvks[0]) {
				continue
			}
			composed.Scheme.AddKnownTypeWithName(gvks[0], o)
			out = append(out, gvks[0])
		}
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
