package database

import (
	"strings"

	"github.com/fintech-platform/payment-platform/functions/platform/wiring"

	cwlv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatchlogs/v1beta1"
	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"
	rdsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/rds/v1beta1"
	smv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/secretsmanager/v1beta1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/usage"
)

// A use is one Usage: the resource in use, named by its pipeline key when this
// XR composes it (else by the key its own layer gives it), and its user, always
// a resource of this XR.
type use struct {
	of    string
	ofRef usage.Ref
	by    string
	byRef usage.Ref
}

// key is the pipeline key of the Usage.
func (u *use) key() string { return "usage-" + u.of + "-by-" + u.by }

// uses are the Usages of the database layer (SPEC X-8), so that deleting the
// claim deletes users before what they use:
//   - the database and secrets keys outlive the cluster (its storage, the
//     Performance Insights of its instances, its master secret), the secrets
//     key the API keys secret, the logs key the log group;
//   - the database subnets outlive the subnet group, which outlives the
//     cluster, as does the cluster's security group;
//   - the cluster outlives the proxy and the proxy's registration of it.
//
// Instances need no Usage of their own: AWS deletes a cluster only once its
// instances are gone, and the Cluster resource lives until AWS reports the
// cluster gone, so what outlives the cluster outlives its instances.
func uses(spec api.DatabaseSpec) []use {
	c := spec.Common
	own := func(gvk schema.GroupVersionKind, kv ...string) usage.Ref {
		return usage.Ref{GVK: gvk, Selector: wiring.Own(kv...)}
	}
	cluster := own(rdsv1beta1.Cluster_GroupVersionKind, wiring.LabelComponent, componentCluster)
	subnetGroup := own(rdsv1beta1.SubnetGroup_GroupVersionKind, wiring.LabelComponent, componentSubnetGroup)
	out := []use{
		{"key-" + wiring.KeyDatabase, c.Env().KeyRef(wiring.KeyDatabase), keyCluster, cluster},
		{"key-" + wiring.KeySecrets, c.Env().KeyRef(wiring.KeySecrets), keyCluster, cluster},
		{"key-" + wiring.KeySecrets, c.Env().KeyRef(wiring.KeySecrets), keyAPIKeys,
			own(smv1beta1.Secret_GroupVersionKind, wiring.LabelComponent, componentSecret, wiring.LabelPurpose, "api-keys")},
		{"key-" + wiring.KeyLogs, c.Env().KeyRef(wiring.KeyLogs), keyLogGroup,
			own(cwlv1beta1.Group_GroupVersionKind, wiring.LabelComponent, componentLogGroup)},
	}
	for _, zone := range spec.AvailabilityZones {
		out = append(out, use{"subnet-" + wiring.TierDatabase + "-" + zone,
			c.Env().SubnetRef(wiring.TierDatabase, zone),
			keySubnetGroup, subnetGroup})
	}
	return append(out,
		use{keySubnetGroup, subnetGroup, keyCluster, cluster},
		use{keySG(wiring.SGDatabase), usage.Ref{GVK: ec2v1beta1.SecurityGroup_GroupVersionKind, Selector: wiring.OwnSecurityGroup(wiring.SGDatabase)}, keyCluster, cluster},
		use{keyCluster, cluster, keyProxy, own(rdsv1beta1.Proxy_GroupVersionKind, wiring.LabelComponent, componentProxy)},
		use{keyCluster, cluster, keyProxyTarget, own(rdsv1beta1.ProxyTarget_GroupVersionKind, wiring.LabelComponent, componentProxy)},
	)
}

// addUsages adds the layer's Usages. Each waits for its user to be ready: a
// ready user has resolved its references, so what it uses exists and the
// Usage resolves at once (Crossplane retries a Usage whose selector matches
// nothing with a growing back-off). A Usage of this XR's own resource that its
// user does not reference (the cluster, for the proxy) also waits for that
// resource to exist.
func addUsages(d *compose.Desired, spec api.DatabaseSpec, obs compose.Observed) {
	labels := spec.Env().Labels(wiring.LayerDatabase, wiring.LabelComponent, wiring.ComponentUsage)
	all := uses(spec)
	for i := range all {
		u := &all[i]
		var missing []string
		if !obs.Ready(u.by) {
			missing = append(missing, "the "+u.by+" to be ready")
		}
		if own := u.ofRef.Selector.MatchControllerRef; own != nil && *own && !obs.Exists(u.of) {
			missing = append(missing, "the "+u.of+" to exist")
		}
		d.AddWhen(len(missing) == 0, obs, u.key(), usage.New(labels, u.ofRef, u.byRef), strings.Join(missing, " and "))
	}
}
