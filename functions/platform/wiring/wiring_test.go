package wiring

import (
	"maps"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// subset reports whether every label of sel is in labels.
func subset(sel, labels map[string]string) bool {
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// TestWiring_SelectorsMatchWhatLayersLabel_X4: each selector of the contract
// matches the labels the producing layer sets, in its own environment only.
func TestWiring_SelectorsMatchWhatLayersLabel_X4(t *testing.T) {
	dev, prod := Env("dev"), Env("prod")
	subnet := func(e Env, tier, zone string) map[string]string {
		return e.Labels(LayerNetwork, LabelComponent, ComponentSubnet, LabelTier, tier, LabelZone, zone)
	}
	cases := map[string]struct {
		sel, own, other map[string]string
	}{
		"vpc":            {dev.SelectVPC().MatchLabels, dev.Labels(LayerNetwork, LabelComponent, ComponentVPC), prod.Labels(LayerNetwork, LabelComponent, ComponentVPC)},
		"subnet":         {dev.SelectSubnet(TierPrivate, "us-east-1a").MatchLabels, subnet(dev, TierPrivate, "us-east-1a"), subnet(dev, TierPrivate, "us-east-1b")},
		"subnets":        {dev.SelectSubnets(TierDatabase).MatchLabels, subnet(dev, TierDatabase, "us-east-1c"), subnet(dev, TierPrivate, "us-east-1c")},
		"route table":    {dev.SelectRouteTable(TierPrivate, "us-east-1a").MatchLabels, dev.Labels(LayerNetwork, LabelComponent, ComponentRouteTable, LabelTier, TierPrivate, LabelZone, "us-east-1a"), dev.Labels(LayerNetwork, LabelComponent, ComponentRouteTable, LabelTier, TierPublic)},
		"key":            {dev.SelectKey(KeyLogs).MatchLabels, dev.Labels(LayerKeys, LabelComponent, ComponentKMSKey, LabelPurpose, KeyLogs), prod.Labels(LayerKeys, LabelComponent, ComponentKMSKey, LabelPurpose, KeyLogs)},
		"key ref":        {dev.KeyRef(KeySecrets).Selector.MatchLabels, dev.Labels(LayerKeys, LabelComponent, ComponentKMSKey, LabelPurpose, KeySecrets), dev.Labels(LayerKeys, LabelComponent, ComponentKMSKey, LabelPurpose, KeyLogs)},
		"subnet ref":     {dev.SubnetRef(TierDatabase, "us-east-1a").Selector.MatchLabels, subnet(dev, TierDatabase, "us-east-1a"), subnet(prod, TierDatabase, "us-east-1a")},
		"security group": {dev.SelectSecurityGroup(SGClientAPI).MatchLabels, dev.SecurityGroup(LayerDatabase, ComponentSecurityGroup, SGClientAPI), dev.SecurityGroup(LayerDatabase, ComponentSecurityGroupRule, SGClientAPI)},
		"own group":      {OwnSecurityGroup(SGNAT).MatchLabels, dev.SecurityGroup(LayerNetwork, ComponentSecurityGroup, SGNAT), dev.SecurityGroup(LayerNetwork, ComponentSecurityGroup, SGEndpoints)},
	}
	for name, tc := range cases {
		if !subset(tc.sel, tc.own) {
			t.Errorf("%s: selector %v does not match its producer's labels %v", name, tc.sel, tc.own)
		}
		if subset(tc.sel, tc.other) {
			t.Errorf("%s: selector %v also matches %v", name, tc.sel, tc.other)
		}
	}
	if s := dev.SelectKey(KeyLogs); s.MatchControllerRef != nil || s.Namespace != "" {
		t.Errorf("a cross-layer selector %+v sets a controller or a namespace", s)
	}
	if s := Own(); s.MatchControllerRef == nil || !*s.MatchControllerRef || s.MatchLabels != nil {
		t.Errorf("Own() = %+v", s)
	}
	if got := dev.KeyRef(KeyLogs).GVK.Kind; got != "Key" {
		t.Errorf("KeyRef kind %s", got)
	}
	if got := dev.SubnetRef(TierPublic, "a").GVK.Kind; got != "Subnet" {
		t.Errorf("SubnetRef kind %s", got)
	}
}

// TestWiring_MetadataAndConnect_DB3: external-name metadata, and the
// rds-db:connect grant for exactly the given users.
func TestWiring_MetadataAndConnect_DB3(t *testing.T) {
	l := map[string]string{"a": "b"}
	if m := Named("role-x-dev", l); m.Annotations[AnnotationExternalName] != "role-x-dev" || !maps.Equal(m.Labels, l) {
		t.Errorf("Named = %+v", m)
	}
	if m := Meta(l); m.Annotations != nil || !maps.Equal(m.Labels, l) {
		t.Errorf("Meta = %+v", m)
	}
	st := ConnectStatement("eu-west-1", "123456789012", "prx-0abc", DBUsers...)
	want := []string{"arn:aws:rds-db:eu-west-1:123456789012:dbuser:prx-0abc/payments_api", "arn:aws:rds-db:eu-west-1:123456789012:dbuser:prx-0abc/payments_worker"}
	if diff := cmp.Diff(want, st.Resource); diff != "" || st.Effect != "Allow" || !cmp.Equal(st.Action, []string{"rds-db:connect"}) {
		t.Errorf("ConnectStatement = %+v (-want +got %s)", st, diff)
	}
}

func TestPutMetricsStatement_OwnNamespaceOnly_OBS1(t *testing.T) {
	st := PutMetricsStatement("prod")
	if MetricNamespace("prod") != "Payments/prod" {
		t.Errorf("namespace %q", MetricNamespace("prod"))
	}
	if st.Effect != "Allow" || len(st.Action) != 1 || st.Action[0] != "cloudwatch:PutMetricData" ||
		st.Condition["StringEquals"]["cloudwatch:namespace"] != "Payments/prod" {
		t.Errorf("statement %+v", st)
	}
}
