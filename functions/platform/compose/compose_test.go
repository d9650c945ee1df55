package compose_test

import (
	"testing"

	"github.com/fintech-platform/payment-platform/functions/platform/wiring"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	ct "github.com/fintech-platform/payment-platform/functions/platform/compose/composetest"
)

func TestObserved_Reads(t *testing.T) {
	obs := ct.Observed(
		ct.Res{Name: "a", Ready: true, Fields: map[string]any{
			"status.atProvider.id": "id-1",
			"metadata.annotations": map[string]any{"crossplane.io/external-name": "ext"},
			"status.list":          []any{"x"},
			"status.secrets":       []any{map[string]any{"arn": "s"}},
		}},
		ct.Res{Name: "b"},
	)
	cases := map[string]struct {
		got, want any
	}{
		"dotted":           {obs.String("a", "status.atProvider.id"), "id-1"},
		"bracketed":        {obs.String("a", "metadata.annotations[crossplane.io/external-name]"), "ext"},
		"missing field":    {obs.String("a", "status.atProvider.arn"), ""},
		"through a scalar": {obs.String("a", "status.atProvider.id.deeper"), ""},
		"unclosed bracket": {obs.Value("a", "metadata.annotations[crossplane.io"), nil},
		"missing resource": {obs.String("z", "status.atProvider.id"), ""},
		"not a string":     {obs.String("a", "status.list"), ""},
		"list index":       {obs.String("a", "status.secrets[0].arn"), "s"},
		"index past end":   {obs.Value("a", "status.secrets[1].arn"), nil},
		"index not number": {obs.Value("a", "status.secrets[x]"), nil},
		"ready":            {obs.Ready("a"), true},
		"not ready":        {obs.Ready("b"), false},
		"absent not ready": {obs.Ready("z"), false},
		"exists":           {obs.Exists("b"), true},
		"does not exist":   {obs.Exists("z"), false},
	}
	for name, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("%s: got %v, want %v", name, tc.got, tc.want)
		}
	}
	if l, _ := obs.Value("a", "status.list").([]any); len(l) != 1 {
		t.Errorf("list = %v", obs.Value("a", "status.list"))
	}
}

func TestDesired_AddWhenNeverDrops(t *testing.T) {
	d := compose.NewDesired()
	obs := ct.Observed(ct.Res{Name: "kept"})
	d.AddWhen(false, obs, "kept", &unstructured.Unstructured{}, "x")
	d.AddWhen(false, obs, "held", &unstructured.Unstructured{}, "the VPC")
	d.AddWhen(true, obs, "made", &unstructured.Unstructured{}, "x")
	if d.Get("kept") == nil || d.Get("made") == nil || d.Get("held") != nil {
		t.Errorf("desired = %v", d.Resources)
	}
	if len(d.Waiting) != 1 || d.Waiting[0] != "held waits for the VPC" {
		t.Errorf("waiting = %v", d.Waiting)
	}
}

func TestCommon_LabelsTagsAndProviderConfig_X1(t *testing.T) {
	c := compose.Common{EnvironmentSuffix: "dev", Tags: map[string]string{"team": "pay", "Name": "spoof", "managed-by": "me"}}
	tags := c.TagsFor("vpc-payments-dev")
	if *tags["Name"] != "vpc-payments-dev" || *tags["managed-by"] != "crossplane" || *tags["team"] != "pay" || *tags["payments.platform.io/environment"] != "dev" {
		t.Errorf("tags: the platform's own must win over the claim's, the claim's kept")
	}
	if l := c.Env().Labels("network", wiring.LabelTier, "public"); l[wiring.LabelEnvironment] != "dev" || l[wiring.LabelLayer] != "network" || l[wiring.LabelTier] != "public" {
		t.Errorf("labels = %v", l)
	}
	if pc := c.ManagedSpec().ProviderConfigReference; pc.Name != "default" || pc.Kind != "ProviderConfig" {
		t.Errorf("default provider config = %+v", pc)
	}
	c.ProviderConfigName = "aws-dev"
	if pc := c.ManagedSpec().ProviderConfigReference; pc.Name != "aws-dev" {
		t.Errorf("provider config = %+v", pc)
	}
	sel := c.Env().SelectSubnet(wiring.TierPrivate, "us-east-1a").MatchLabels
	if len(sel) != 4 || sel[wiring.LabelEnvironment] != "dev" || sel[wiring.LabelComponent] != wiring.ComponentSubnet {
		t.Errorf("subnet selector = %v", sel)
	}
	if own := wiring.Own(); own.MatchLabels != nil || !*own.MatchControllerRef {
		t.Errorf("Own() = %+v", own)
	}
}

func TestXR_Parameters(t *testing.T) {
	u := compose.MustXR("Network", map[string]string{"a": "b"}, struct {
		Zones []string `json:"zones"`
	}{[]string{"x"}})
	if u.GetAPIVersion() != compose.APIVersion || u.GetKind() != "Network" || u.GetLabels()["a"] != "b" {
		t.Errorf("xr = %v", u.Object)
	}
	if z, _, _ := unstructured.NestedStringSlice(u.Object, "spec", "parameters", "zones"); len(z) != 1 {
		t.Errorf("parameters = %v", u.Object["spec"])
	}
	if _, err := compose.XR("Network", nil, func() {}); err == nil {
		t.Error("unmarshalable parameters accepted")
	}
	if _, err := compose.XR("Network", nil, []string{"not an object"}); err == nil {
		t.Error("non-object parameters accepted")
	}
}
