// Package logs makes the platform's CloudWatch log groups, all alike: named in
// AWS as given, encrypted with the environment's logs key, and kept seven
// years (SPEC OBS-3). Every layer that needs a log group makes it here.
package logs

import (
	cwlv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatchlogs/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/wiring"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
)

// RetentionDays is the retention of every log group: seven years for PCI-DSS
// audit trails. CloudWatch Logs accepts only fixed values; 2555 is not one of
// them, 2557 is the seven-year value.
const RetentionDays = 2557

// Group returns the log group named name (its name in AWS) with labels.
func Group(c compose.Common, name string, labels map[string]string) *cwlv1beta1.Group {
	return &cwlv1beta1.Group{
		ObjectMeta: wiring.Named(name, labels),
		Spec: cwlv1beta1.GroupSpec{
			ManagedResourceSpec: c.DataSpec(),
			ForProvider: cwlv1beta1.GroupParameters{
				Region:          &c.Region,
				RetentionInDays: compose.Ptr(float64(RetentionDays)),
				// The key comes from the keys layer of the same environment; its
				// policy admits CloudWatch Logs for this account's log groups.
				KMSKeyIDSelector: c.Env().SelectKey(wiring.KeyLogs),
				Tags:             c.TagsFor(name),
			},
		},
	}
}
