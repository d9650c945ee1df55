package apigateway

import (
	cwlv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatchlogs/v1beta1"
	s3v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/s3/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/usage"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// usages adds the layer's Usages (SPEC X-8): the logs key outlives both log
// groups and the documents key the truststore object it encrypts. Each waits
// for its user to be ready, which has then resolved its key.
func (b *builder) usages() {
	labels := b.c.Env().Labels(wiring.LayerAPI, wiring.LabelComponent, wiring.ComponentUsage)
	for _, u := range []struct {
		key, purpose string
		by           usage.Ref
	}{
		{keyAccessLogs, wiring.KeyLogs, usage.Ref{GVK: cwlv1beta1.Group_GroupVersionKind, Selector: wiring.Own(wiring.LabelComponent, componentLogGroup, wiring.LabelPurpose, "access")}},
		{keyExecLogs, wiring.KeyLogs, usage.Ref{GVK: cwlv1beta1.Group_GroupVersionKind, Selector: wiring.Own(wiring.LabelComponent, componentLogGroup, wiring.LabelPurpose, "execution")}},
		{keyTruststore, wiring.KeyDocuments, usage.Ref{GVK: s3v1beta1.Object_GroupVersionKind, Selector: wiring.Own(wiring.LabelComponent, componentObject)}},
	} {
		b.d.AddWhen(b.obs.Ready(u.key), b.obs, "usage-key-"+u.purpose+"-by-"+u.key,
			usage.New(labels, b.c.Env().KeyRef(u.purpose), u.by), "the "+u.key+" to be ready")
	}
}
