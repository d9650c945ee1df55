package fn

import (
	"github.com/crossplane/function-sdk-go/resource/composed"

	"github.com/fintech-platform/payment-platform/functions/platform/usage"
)

// Usages (SPEC X-8) are Crossplane's own kind, not a provider's managed
// resource, so they are registered apart from schemes: that list is the
// provider API groups the configuration depends on and activates.
func init() {
	if err := usage.AddToScheme(composed.Scheme); err != nil {
		panic(err)
	}
}
