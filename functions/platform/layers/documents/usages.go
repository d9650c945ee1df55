package documents

import (
	s3v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/s3/v1beta1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/fintech-platform/payment-platform/functions/platform/usage"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// usages adds the layer's Usages (SPEC X-8): each side's key outlives its
// bucket, which holds what the key encrypts, and the default encryption
// that selects it. Each waits for its user to be ready, which has then
// resolved its key.
func (b *builder) usages() {
	labels := b.c.Env().Labels(wiring.LayerDocuments, wiring.LabelComponent, wiring.ComponentUsage)
	for _, s := range b.sides() {
		for _, u := range []struct {
			component string
			gvk       schema.GroupVersionKind
		}{
			{componentBucket, s3v1beta1.Bucket_GroupVersionKind},
			{componentEncryption, s3v1beta1.BucketServerSideEncryptionConfiguration_GroupVersionKind},
		} {
			by := key(s.name, u.component)
			b.d.AddWhen(b.obs.Ready(by), b.obs, "usage-key-"+s.keyPurpose+"-by-"+by,
				usage.New(labels, b.c.Env().KeyRef(s.keyPurpose), usage.Ref{GVK: u.gvk, Selector: own(u.component, s.name)}),
				"the "+by+" to be ready")
		}
	}
}
