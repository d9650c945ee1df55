package fn

import (
	"github.com/crossplane/function-sdk-go/resource/composed"
	cwlv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatchlogs/v1beta1"
	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"
	iamv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/iam/v1beta1"
	kmsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/kms/v1beta1"
	rdsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/rds/v1beta1"
	smv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/secretsmanager/v1beta1"
	"k8s.io/apimachinery/pkg/runtime"
)

// schemes registers the provider API groups the builders compose, so that
// composed.From can name their kinds. A layer that composes a new group adds it here.
var schemes = []func(*runtime.Scheme) error{
	cwlv1beta1.AddToScheme,
	ec2v1beta1.AddToScheme,
	iamv1beta1.AddToScheme,
	kmsv1beta1.AddToScheme,
	rdsv1beta1.AddToScheme,
	smv1beta1.AddToScheme,
}

func init() {
	for _, add := range schemes {
		if err := add(composed.Scheme); err != nil {
			panic(err)
		}
	}
}
