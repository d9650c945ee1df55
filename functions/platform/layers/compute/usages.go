package compute

import (
	cwlv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatchlogs/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/usage"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// addUsages adds the layer's Usages (SPEC X-8): the logs key outlives each log
// group it encrypts. Each waits for its log group to be ready, which has then
// resolved its key.
func addUsages(d *compose.Desired, spec api.ComputeSpec, obs compose.Observed) {
	c := spec.Common
	labels := c.Env().Labels(wiring.LayerCompute, wiring.LabelComponent, wiring.ComponentUsage)
	for _, use := range logUses {
		group := usage.Ref{GVK: cwlv1beta1.Group_GroupVersionKind, Selector: wiring.Own(wiring.LabelComponent, componentLogGroup, wiring.LabelPurpose, use)}
		d.AddWhen(obs.Ready(keyLogGroup(use)), obs, "usage-key-"+wiring.KeyLogs+"-by-"+keyLogGroup(use),
			usage.New(labels, c.Env().KeyRef(wiring.KeyLogs), group), "the "+keyLogGroup(use)+" to be ready")
	}
}
