package naming_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
)

// maxSuffix is a valid environmentSuffix of the longest length the XRDs admit.
var maxSuffix = "prodeu1abcde"

// zones are the shortest and the longest availability zone names AWS uses;
// zones are the purpose of NAT instance names and part of subnet and route
// table purposes.
var zones = []string{"us-east-1a", "ap-southeast-7a"}

// A use is a kind of name with the purposes the builders derive it for.
type use struct {
	kind     naming.Kind
	purposes []string
}

// uses returns every kind of name the layers derive, by its prefix and type,
// with every purpose they pass to it: the names table the claim validates
// (api.Names, which TestRender_EveryNameIsInTheNamesTable_X6 proves exact),
// for the shortest and the longest zones, and an API with plans and clients
// of the longest names the claim admits.
func uses() map[string]use {
	long := strings.Repeat("c", api.MaxClientNameLength)
	gw := &api.GatewaySettings{UsagePlans: []api.UsagePlan{{Name: long, APIKeys: []string{long}}}}
	out := map[string]use{}
	for _, z := range zones {
		for _, u := range api.Names(api.NameInputs{Zones: []string{z, z, z}, Account: "123456789012", API: gw}) {
			key := u.Kind.Prefix + u.Kind.Type
			e := out[key]
			e.kind = u.Kind
			if !slices.Contains(e.purposes, u.Purpose) {
				e.purposes = append(e.purposes, u.Purpose)
			}
			out[key] = e
		}
	}
	return out
}

func TestNaming_EveryNameFitsAtMaxSuffix_X1(t *testing.T) {
	if len(maxSuffix) != naming.MaxSuffixLength {
		t.Fatalf("test suffix %q has %d characters, want naming.MaxSuffixLength (%d)", maxSuffix, len(maxSuffix), naming.MaxSuffixLength)
	}
	if err := naming.ValidateSuffix(suffixPath, maxSuffix).ToAggregate(); err != nil {
		t.Fatalf("ValidateSuffix(%q): %v; the test suffix must be one a claim may use", maxSuffix, err)
	}
	for name, tc := range uses() {
		t.Run(name, func(t *testing.T) {
			for _, p := range tc.purposes {
				n, err := naming.Name(tc.kind, p, maxSuffix)
				if err != nil {
					t.Fatalf("Name(%s, %q, %q): %v", tc.kind.Type, p, maxSuffix, err)
				}
				if len(n) > tc.kind.Max {
					t.Errorf("Name(%s, %q) = %q is %d characters, limit %d", tc.kind.Type, p, n, len(n), tc.kind.Max)
				}
				if got := naming.MustName(tc.kind, p, maxSuffix); got != n {
					t.Errorf("MustName(%s, %q) = %q, Name gave %q", tc.kind.Type, p, got, n)
				}
			}
		})
	}
}

func TestNaming_Form_X1(t *testing.T) {
	cases := map[string]struct {
		kind    naming.Kind
		purpose string
		suffix  string
		want    string
	}{
		"type purpose suffix": {kind: naming.SecurityGroup, purpose: "nat", suffix: "dev", want: "secgroup-nat-dev"},
		"multi-word purpose":  {kind: naming.IAMRole, purpose: "vpc-flow-logs", suffix: "prodeu1", want: "role-vpc-flow-logs-prodeu1"},
		"zone purpose":        {kind: naming.NATInstance, purpose: "us-east-1a", suffix: "dev", want: "nat-us-east-1a-dev"},
		"alias prefix":        {kind: naming.KMSAlias, purpose: "logs", suffix: "dev", want: "alias/kms-logs-dev"},
		"no purpose":          {kind: naming.VPC, purpose: "", suffix: "dev", want: "vpc-dev"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := naming.Name(tc.kind, tc.purpose, tc.suffix)
			if err != nil {
				t.Fatalf("Name: %v", err)
			}
			if got != tc.want {
				t.Errorf("Name(%s, %q, %q) = %q, want %q", tc.kind.Type, tc.purpose, tc.suffix, got, tc.want)
			}
			if !strings.HasSuffix(got, "-"+tc.suffix) {
				t.Errorf("Name %q does not end with the environment suffix %q", got, tc.suffix)
			}
			if !strings.HasPrefix(got, tc.kind.Prefix+tc.kind.Type+"-") {
				t.Errorf("Name %q does not start with %q", got, tc.kind.Prefix+tc.kind.Type+"-")
			}
		})
	}
}

func TestNaming_EveryNameContainsSuffix_X1(t *testing.T) {
	for name, tc := range uses() {
		for _, p := range tc.purposes {
			n := naming.MustName(tc.kind, p, maxSuffix)
			sep := tc.kind.Separator()
			want := tc.kind.Prefix + tc.kind.Type + sep + p + sep + maxSuffix
			if p == "" {
				// A name with no purpose of its own (the metrics' namespace,
				// one per environment): {type}/{suffix}.
				want = tc.kind.Prefix + tc.kind.Type + sep + maxSuffix
			}
			if n != want {
				t.Errorf("%s: MustName(%q) = %q, want {type}-{purpose}-{suffix} %q", name, p, n, want)
			}
		}
	}
}

func TestNaming_TooLongIsAnError_API02(t *testing.T) {
	k := naming.Kind{Type: "role", Max: 20}
	cases := map[string]struct {
		purpose string
		wantErr bool
	}{
		"under the limit": {purpose: "abcdefghij", wantErr: false},  // role-abcdefghij-dev: 19
		"one over":        {purpose: "abcdefghijkl", wantErr: true}, // 21
		"far over":        {purpose: strings.Repeat("x", 60), wantErr: true},
		"at the limit":    {purpose: "abcdefghijk", wantErr: false}, // 20
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			n, err := naming.Name(k, tc.purpose, "dev")
			if tc.wantErr {
				if err == nil {
					t.Fatalf("Name = %q (%d characters), want an error for a limit of %d", n, len(n), k.Max)
				}
				if n != "" {
					t.Errorf("Name returned %q with its error, want \"\"", n)
				}
				if !strings.Contains(err.Error(), "at most 20") || !strings.Contains(err.Error(), "role") {
					t.Errorf("error %q does not name the kind and its limit", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Name: %v", err)
			}
			if len(n) > k.Max {
				t.Errorf("Name = %q is longer than %d", n, k.Max)
			}
		})
	}
	// IAM role names are limited to 64 characters by AWS.
	if _, err := naming.Name(naming.IAMRole, strings.Repeat("p", 60), "dev"); err == nil {
		t.Error("Name(IAMRole) of 69 characters gave no error")
	}
}

func TestNaming_MustNamePanicsWhenTooLong_API02(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustName did not panic on a name over the limit")
		}
	}()
	naming.MustName(naming.IAMRole, strings.Repeat("p", 60), "dev")
}

func TestNaming_ValidateSuffix_API02(t *testing.T) {
	cases := map[string]struct {
		suffix  string
		wantErr string // a part of the message; "" when valid
	}{
		"dev":             {suffix: "dev"},
		"prodeu1":         {suffix: "prodeu1"},
		"hyphen":          {suffix: "prod-eu1", wantErr: "without hyphens"},
		"single letter":   {suffix: "a"},
		"max length":      {suffix: "abcdefghijkl"},
		"empty":           {suffix: "", wantErr: "Required value"},
		"13 characters":   {suffix: "abcdefghijklm", wantErr: "may not be more than 12"},
		"uppercase":       {suffix: "Dev", wantErr: "lowercase letters and digits"},
		"leading digit":   {suffix: "1dev", wantErr: "starting with a letter"},
		"leading hyphen":  {suffix: "-dev", wantErr: "starting with a letter"},
		"trailing hyphen": {suffix: "dev-", wantErr: "without hyphens"},
		"double hyphen":   {suffix: "dev--1", wantErr: "without hyphens"},
		"underscore":      {suffix: "dev_1", wantErr: "lowercase letters and digits"},
		"dot":             {suffix: "dev.1", wantErr: "lowercase letters and digits"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := naming.ValidateSuffix(suffixPath, tc.suffix).ToAggregate()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("ValidateSuffix(%q): %v, want nil", tc.suffix, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("ValidateSuffix(%q) = nil, want an error", tc.suffix)
			}
			if !strings.Contains(err.Error(), "spec.parameters.environmentSuffix") {
				t.Errorf("error %q does not name the field", err)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q does not state the rule %q", err, tc.wantErr)
			}
		})
	}
}

var suffixPath = field.NewPath("spec", "parameters", "environmentSuffix")

// TestNaming_Injective_X6: no two different (purpose, suffix) pairs of one kind
// give the same name, over every purpose the layers use and suffixes chosen to
// collide if hyphens were allowed (kms-documents-replica-card was the replica
// key of "card" and the documents key of "replica-card"): Parse gives every
// name's purpose and suffix back, and a hyphenated suffix is refused.
func TestNaming_Injective_X6(t *testing.T) {
	suffixes := []string{"card", "replica", "documents", "s", "a1", maxSuffix}
	for name, tc := range uses() {
		seen := map[string][2]string{}
		for _, p := range tc.purposes {
			for _, s := range suffixes {
				n, err := naming.Name(tc.kind, p, s)
				if err != nil {
					continue // Too long for this kind: covered by the length test.
				}
				if prev, ok := seen[n]; ok {
					t.Errorf("%s: %q is both %v and [%s %s]", name, n, prev, p, s)
				}
				seen[n] = [2]string{p, s}
				if gp, gs, ok := naming.Parse(tc.kind, n); !ok || gp != p || gs != s {
					t.Errorf("%s: Parse(%q) = %q, %q, %v; want %q, %q", name, n, gp, gs, ok, p, s)
				}
			}
		}
	}
	if errs := naming.ValidateSuffix(suffixPath, "replica-card"); len(errs) == 0 {
		t.Error("a hyphenated suffix is admitted: names would not be injective")
	}
	if _, _, ok := naming.Parse(naming.KMSAlias, "kms-logs-dev"); ok {
		t.Error("Parse ignored the alias/ prefix")
	}
	if p, s, ok := naming.Parse(naming.VPC, "vpc-dev"); !ok || p != "" || s != "dev" {
		t.Errorf("Parse(vpc-dev) = %q, %q, %v", p, s, ok)
	}
}

// TestNaming_NoSecurityGroupNameStartsWithSG_X6: EC2 refuses security-group
// names starting with sg-.
func TestNaming_NoSecurityGroupNameStartsWithSG_X6(t *testing.T) {
	for _, p := range uses()["secgroup"].purposes {
		if n := naming.MustName(naming.SecurityGroup, p, "dev"); strings.HasPrefix(strings.ToLower(n), "sg-") {
			t.Errorf("%q starts with sg-", n)
		}
	}
}

// TestNaming_SecretNamesDoNotLookLikeARNSuffixes_X6: AWS says not to end a
// secret's name with a hyphen and six characters (its ARN's random suffix);
// a six-character environment suffix must not make one.
func TestNaming_SecretNamesDoNotLookLikeARNSuffixes_X6(t *testing.T) {
	n := naming.MustName(naming.Secret, "api-keys", "abcdef")
	if n != "secret/api-keys/abcdef" || regexp.MustCompile(`-[A-Za-z0-9]{6}$`).MatchString(n) {
		t.Errorf("secret name %q", n)
	}
	if p, s, ok := naming.Parse(naming.Secret, n); !ok || p != "api-keys" || s != "abcdef" {
		t.Errorf("Parse(%q) = %q, %q, %v", n, p, s, ok)
	}
}
