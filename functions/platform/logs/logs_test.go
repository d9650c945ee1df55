package logs

import (
	"testing"

	"github.com/fintech-platform/payment-platform/functions/platform/wiring"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
)

func TestGroup_EncryptedSevenYears_OBS3(t *testing.T) {
	g := Group(compose.Common{EnvironmentSuffix: "dev", Region: "eu-west-1"}, "logs-x-dev", map[string]string{"a": "b"})
	p := g.Spec.ForProvider
	if *p.RetentionInDays != 2557 {
		t.Errorf("retention %v, want 2557 (2555 is not a CloudWatch value)", *p.RetentionInDays)
	}
	k := p.KMSKeyIDSelector.MatchLabels
	if k[wiring.LabelPurpose] != "logs" || k[wiring.LabelEnvironment] != "dev" || k[wiring.LabelComponent] != wiring.ComponentKMSKey {
		t.Errorf("key selector %v, want the environment's logs key", k)
	}
	if g.Annotations["crossplane.io/external-name"] != "logs-x-dev" || *p.Region != "eu-west-1" || g.Labels["a"] != "b" || *p.Tags["Name"] != "logs-x-dev" {
		t.Errorf("group = %+v", g)
	}
}
