package messaging

import (
	cwlv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatchlogs/v1beta1"
	lambdav1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/lambda/v1beta1"
	sqsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/sqs/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/usage"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// addUsages adds the layer's Usages (SPEC X-8): the messaging key outlives
// both queues and the worker (its environment), the logs key the worker's log
// group. Each waits for its user to be ready, which has then resolved or
// named its key.
func addUsages(d *compose.Desired, spec api.MessagingSpec, obs compose.Observed) {
	c := spec.Common
	labels := c.Env().Labels(wiring.LayerMessaging, wiring.LabelComponent, wiring.ComponentUsage)
	add := func(keyPurpose, user string, by usage.Ref) {
		d.AddWhen(obs.Ready(user), obs, "usage-key-"+keyPurpose+"-by-"+user,
			usage.New(labels, c.Env().KeyRef(keyPurpose), by), "the "+user+" to be ready")
	}
	add(wiring.KeyMessaging, keyDLQ, usage.Ref{GVK: sqsv1beta1.Queue_GroupVersionKind, Selector: wiring.Own(wiring.LabelComponent, componentQueue, wiring.LabelPurpose, queueDeadLetter)})
	add(wiring.KeyMessaging, keyQueue, usage.Ref{GVK: sqsv1beta1.Queue_GroupVersionKind, Selector: wiring.Own(wiring.LabelComponent, componentQueue, wiring.LabelPurpose, queuePayments)})
	add(wiring.KeyMessaging, keyFunction, usage.Ref{GVK: lambdav1beta1.Function_GroupVersionKind, Selector: wiring.Own(wiring.LabelComponent, componentFunction)})
	add(wiring.KeyLogs, keyLogGroup, usage.Ref{GVK: cwlv1beta1.Group_GroupVersionKind, Selector: wiring.Own(wiring.LabelComponent, componentLogGroup)})
}
