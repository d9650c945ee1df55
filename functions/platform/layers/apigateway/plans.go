package apigateway

import (
	xpv1 "github.com/crossplane/crossplane-runtime/v2/apis/common/v1"
	agv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/apigateway/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

func keyUsagePlan(plan string) string         { return "usage-plan-" + plan }
func keyAPIKey(client string) string          { return "api-key-" + client }
func keyPlanKey(client string) string         { return "usage-plan-key-" + client }
func apiKeyName(client, suffix string) string { return naming.MustName(naming.APIKey, client, suffix) }

// APIKeySecret is the Kubernetes Secret, in the XR's namespace, that the
// provider writes the value of client's API key to: the only place the value
// is outside AWS. It is named like the key.
func APIKeySecret(client, suffix string) string { return apiKeyName(client, suffix) }

// usagePlans adds each usage plan on the stage with its throttle and quota,
// and each API key of the plan with its usage-plan key (API-2). AWS makes
// every key's value; the provider writes it to the key's Secret only.
func (b *builder) usagePlans() {
	c, obs := b.c, b.obs
	suffix := c.EnvironmentSuffix
	for _, plan := range b.spec.UsagePlans {
		name := naming.MustName(naming.UsagePlan, plan.Name, suffix)
		b.d.AddWhen(obs.Ready(keyStage), obs, keyUsagePlan(plan.Name), &agv1beta1.UsagePlan{
			ObjectMeta: b.meta(componentUsagePlan, wiring.LabelPurpose, plan.Name),
			Spec: agv1beta1.UsagePlanSpec{
				ManagedResourceSpec: c.ManagedSpec(),
				ForProvider: agv1beta1.UsagePlanParameters{
					Region:      &c.Region,
					Name:        &name,
					Description: compose.Ptr("Payment API clients of plan " + plan.Name),
					APIStages: []agv1beta1.APIStagesParameters{{
						APIIDSelector: wiring.Own(wiring.LabelComponent, componentRestAPI),
						StageSelector: wiring.Own(wiring.LabelComponent, componentStage),
					}},
					ThrottleSettings: &agv1beta1.UsagePlanThrottleSettingsParameters{
						RateLimit:  compose.Ptr(float64(plan.RateLimit)),
						BurstLimit: compose.Ptr(float64(plan.BurstLimit)),
					},
					QuotaSettings: &agv1beta1.QuotaSettingsParameters{
						Limit:  compose.Ptr(float64(plan.QuotaLimit)),
						Period: compose.Ptr(plan.QuotaPeriod),
					},
					Tags: c.TagsFor(name),
				},
			},
		}, "the stage to be ready")

		for _, client := range plan.APIKeys {
			key := apiKeyName(client, suffix)
			spec := c.ManagedSpec()
			spec.WriteConnectionSecretToReference = &xpv1.LocalSecretReference{Name: APIKeySecret(client, suffix)}
			b.d.Add(keyAPIKey(client), &agv1beta1.APIKey{
				ObjectMeta: b.meta(componentAPIKey, wiring.LabelPurpose, client),
				Spec: agv1beta1.APIKeySpec{
					ManagedResourceSpec: spec,
					ForProvider: agv1beta1.APIKeyParameters{
						Region:      &c.Region,
						Name:        &key,
						Description: compose.Ptr("Payment API key of client " + client + " (plan " + plan.Name + ")"),
						Enabled:     compose.Ptr(true),
						Tags:        c.TagsFor(key),
					},
				},
			})
			b.d.AddWhen(obs.Ready(keyUsagePlan(plan.Name)) && obs.Ready(keyAPIKey(client)), obs, keyPlanKey(client), &agv1beta1.UsagePlanKey{
				ObjectMeta: b.meta(componentUsagePlanKey, wiring.LabelPurpose, client),
				Spec: agv1beta1.UsagePlanKeySpec{
					ManagedResourceSpec: c.ManagedSpec(),
					ForProvider: agv1beta1.UsagePlanKeyParameters{
						Region:              &c.Region,
						KeyType:             compose.Ptr("API_KEY"),
						KeyIDSelector:       wiring.Own(wiring.LabelComponent, componentAPIKey, wiring.LabelPurpose, client),
						UsagePlanIDSelector: wiring.Own(wiring.LabelComponent, componentUsagePlan, wiring.LabelPurpose, plan.Name),
					},
				},
			}, "its usage plan and API key to be ready")
		}
	}
}
