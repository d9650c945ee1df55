package compose_test

import (
	"strings"
	"testing"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
)

// TestCheckRegion_ListedRegionsOnly_API07: a name of the right shape that is
// no AWS region (us-east-9), or a region of another partition, is refused.
func TestCheckRegion_ListedRegionsOnly_API07(t *testing.T) {
	for r, ok := range map[string]bool{"us-east-1": true, "mx-central-1": true, "us-east-9": false, "us-gov-west-1": false, "cn-north-1": false, "": false} {
		err := compose.CheckRegion("spec.parameters.region", r)
		if ok != (err == nil) {
			t.Errorf("CheckRegion(%q) = %v, want ok %v", r, err, ok)
		}
		if err != nil && !strings.Contains(err.Error(), `spec.parameters.region "`+r+`" is not an AWS region: one of af-south-1,`) {
			t.Errorf("CheckRegion(%q) = %q, want the field, the value and the regions", r, err)
		}
	}
}

// TestCheckTags_AWSRules_API07: AWS's tag rules, each naming the field.
func TestCheckTags_AWSRules_API07(t *testing.T) {
	many := map[string]string{}
	for i := range 41 {
		many[strings.Repeat("k", i+1)] = "v"
	}
	cases := map[string]struct {
		tags map[string]string
		want string
	}{
		"none":              {nil, ""},
		"fine":              {map[string]string{"team": "payments", "cost-center": "4711", "owner": "a.b@example.com", "Zürich": ""}, ""},
		"too many":          {many, "spec.parameters.tags has 41 tags, at most 40"},
		"empty key":         {map[string]string{"": "v"}, `spec.parameters.tags key "" must be 1 to 128 characters`},
		"long key":          {map[string]string{strings.Repeat("k", 129): "v"}, "must be 1 to 128 characters"},
		"long value":        {map[string]string{"k": strings.Repeat("v", 257)}, "spec.parameters.tags[k] must be at most 256 characters"},
		"aws key":           {map[string]string{"aws:owner": "me"}, "spec.parameters.tags[aws:owner]: keys and values must not start with aws: in any case"},
		"AWS key":           {map[string]string{"AWS:owner": "me"}, "spec.parameters.tags[AWS:owner]: keys and values must not start with aws:"},
		"aws value":         {map[string]string{"owner": "Aws:me"}, "spec.parameters.tags[owner]: keys and values must not start with aws:"},
		"key character":     {map[string]string{"team#1": "x"}, "spec.parameters.tags[team#1]: keys and values may hold only letters, digits, spaces and _ . : / = + - @"},
		"value character":   {map[string]string{"team": "a*b"}, "spec.parameters.tags[team]: keys and values may hold only"},
		"128 and 256 runes": {map[string]string{strings.Repeat("ü", 128): strings.Repeat("é", 256)}, ""},
	}
	for name, tc := range cases {
		err := compose.CheckTags(tc.tags)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v, want nil", name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error = %v, want %q", name, err, tc.want)
		}
	}
}
