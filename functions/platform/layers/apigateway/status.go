package apigateway

import (
	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// status gathers the outputs the tenant and the claim need, each once known.
func (b *builder) status() api.GatewayStatus {
	obs, suffix := b.obs, b.c.EnvironmentSuffix
	st := api.GatewayStatus{
		APIID:                obs.String(keyRestAPI, "status.atProvider.id"),
		RegionalDomainName:   obs.String(keyDomainName, "status.atProvider.regionalDomainName"),
		RegionalHostedZoneID: obs.String(keyDomainName, "status.atProvider.regionalZoneId"),
		StageInvokeURL:       obs.String(keyStage, "status.atProvider.invokeUrl"),
		VPCLinkID:            obs.String(keyVPCLink, "status.atProvider.id"),
		AccessLogGroup:       obs.String(keyAccessLogs, wiring.ExternalNamePath),
		TruststoreBucket:     obs.String(keyBucket, wiring.ExternalNamePath),
		TruststoreVersion:    obs.String(keyTruststore, "status.atProvider.versionId"),
	}
	if obs.Exists(keyDomainName) {
		st.DomainName = b.spec.DomainName
		st.TruststoreURI = TruststoreURI(b.spec.AccountID, suffix)
	}
	if obs.Ready(keyMapping) {
		st.URL = "https://" + b.spec.DomainName + "/"
	}
	if obs.Exists(keyStage) {
		st.StageName = StageName(suffix)
	}
	for _, plan := range b.spec.UsagePlans {
		if id := obs.String(keyUsagePlan(plan.Name), "status.atProvider.id"); id != "" {
			st.UsagePlanIDs = put(st.UsagePlanIDs, plan.Name, id)
		}
		for _, client := range plan.APIKeys {
			if id := obs.String(keyAPIKey(client), "status.atProvider.id"); id != "" {
				st.APIKeyIDs = put(st.APIKeyIDs, client, id)
				st.APIKeySecrets = put(st.APIKeySecrets, client, APIKeySecret(client, suffix))
			}
		}
	}
	return st
}

func put(m map[string]string, k, v string) map[string]string {
	if m == nil {
		m = map[string]string{}
	}
	m[k] = v
	return m
}
