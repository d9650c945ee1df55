package keys

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	xpv1 "github.com/crossplane/crossplane-runtime/v2/apis/common/v1"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"

	"github.com/crossplane/function-sdk-go/resource"
	kmsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/kms/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	ct "github.com/fintech-platform/payment-platform/functions/platform/compose/composetest"
)

const account = "123456789012"

func spec() api.KeySetSpec {
	return api.KeySetSpec{
		Common:        compose.Common{EnvironmentSuffix: "dev", Region: "us-east-1"},
		ReplicaRegion: "us-west-2",
		AccountID:     account,
	}
}

func key(t *testing.T, d *compose.Desired, purpose string) *kmsv1beta1.Key {
	t.Helper()
	k, ok := d.Resources[resource.Name("key-"+purpose)].(*kmsv1beta1.Key)
	if !ok {
		t.Fatalf("key-%s is %T, want a *Key", purpose, d.Resources[resource.Name("key-"+purpose)])
	}
	return k
}

// A statement of a parsed key policy.
type statement struct {
	Sid       string
	Effect    string
	Principal map[string]any
	Action    []string
	Resource  []string
	Condition map[string]map[string]any
}

// policy parses the key policy of purpose's key in d.
func policy(t *testing.T, d *compose.Desired, purpose string) map[string]statement {
	t.Helper()
	p := key(t, d, purpose).Spec.ForProvider.Policy
	if p == nil {
		t.Fatalf("key-%s has no policy", purpose)
	}
	var doc struct {
		Version   string
		Statement []statement
	}
	if err := json.Unmarshal([]byte(*p), &doc); err != nil {
		t.Fatalf("key-%s policy is not valid JSON: %v\n%s", purpose, err, *p)
	}
	if doc.Version != "2012-10-17" {
		t.Errorf("key-%s policy version = %q", purpose, doc.Version)
	}
	sts := map[string]statement{}
	for _, s := range doc.Statement {
		if _, dup := sts[s.Sid]; dup || s.Sid == "" {
			t.Fatalf("key-%s policy has a missing or repeated Sid %q", purpose, s.Sid)
		}
		sts[s.Sid] = s
	}
	return sts
}

func TestKeys_RotationOnEveryKey_KMS1(t *testing.T) {
	d := ct.Build(t, Build, spec(), nil)
	want := []string{"database", "documents", "documents-replica", "messaging", "logs", "secrets"}
	var got []string
	for k, o := range d.Resources {
		if key, ok := o.(*kmsv1beta1.Key); ok {
			got = append(got, key.Labels["payments.platform.io/purpose"])
			if string(k) != "key-"+key.Labels["payments.platform.io/purpose"] {
				t.Errorf("%s is labeled for purpose %q", k, key.Labels["payments.platform.io/purpose"])
			}
		}
	}
	sort.Strings(got)
	sort.Strings(want)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("keys for %v, want one per data store %v", got, want)
	}
	for _, p := range wiring.KeyPurposes {
		t.Run(p, func(t *testing.T) {
			k := key(t, d, p)
			f := k.Spec.ForProvider
			if f.EnableKeyRotation == nil || !*f.EnableKeyRotation {
				t.Errorf("enableKeyRotation = %v, want true", f.EnableKeyRotation)
			}
			if f.RotationPeriodInDays == nil || *f.RotationPeriodInDays != 365 {
				t.Errorf("rotationPeriodInDays = %v, want 365", f.RotationPeriodInDays)
			}
			if f.DeletionWindowInDays == nil || *f.DeletionWindowInDays != 7 {
				t.Errorf("deletionWindowInDays = %v, want 7", f.DeletionWindowInDays)
			}
			if f.KeyUsage == nil || *f.KeyUsage != "ENCRYPT_DECRYPT" {
				t.Errorf("keyUsage = %v, want ENCRYPT_DECRYPT", f.KeyUsage)
			}
			if f.Description == nil || !strings.Contains(*f.Description, "dev") {
				t.Errorf("description = %v, want it to name the environment", f.Description)
			}
			if n := f.Tags["Name"]; n == nil || *n != "kms-"+p+"-dev" {
				t.Errorf("Name tag = %v, want kms-%s-dev", n, p)
			}
			if l := k.Labels; l["payments.platform.io/component"] != wiring.ComponentKMSKey || l["payments.platform.io/environment"] != "dev" || l["payments.platform.io/layer"] != "keys" {
				t.Errorf("labels = %v; other layers select keys by component %s and purpose", l, wiring.ComponentKMSKey)
			}
			if r := k.Spec.ProviderConfigReference; r == nil || r.Kind != "ProviderConfig" || r.Name != "default" {
				t.Errorf("providerConfigRef = %+v, want the namespaced default", r)
			}
		})
	}
}

func TestKeys_ReplicaKeyInReplicaRegion_KMS1(t *testing.T) {
	cases := map[string]struct{ region, replica string }{
		"defaults":   {"us-east-1", "us-west-2"},
		"eu regions": {"eu-central-1", "eu-west-1"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := spec()
			s.Region, s.ReplicaRegion = tc.region, tc.replica
			d := ct.Build(t, Build, s, nil)
			for _, p := range wiring.KeyPurposes {
				want := tc.region
				if p == "documents-replica" {
					want = tc.replica
				}
				if r := key(t, d, p).Spec.ForProvider.Region; r == nil || *r != want {
					t.Errorf("key-%s region = %v, want %s", p, r, want)
				}
				a := d.Resources[resource.Name("alias-"+p)].(*kmsv1beta1.Alias)
				if r := a.Spec.ForProvider.Region; r == nil || *r != want {
					t.Errorf("alias-%s region = %v, want %s, the region of its key", p, r, want)
				}
			}
		})
	}
}

func TestKeys_AliasNames_X1(t *testing.T) {
	for _, suffix := range []string{"dev", "prodeu1abcde"} {
		t.Run(suffix, func(t *testing.T) {
			s := spec()
			s.EnvironmentSuffix = suffix
			d := ct.Build(t, Build, s, nil)
			aliases := 0
			for _, o := range d.Resources {
				if _, ok := o.(*kmsv1beta1.Alias); ok {
					aliases++
				}
			}
			if aliases != len(wiring.KeyPurposes) {
				t.Errorf("%d aliases, want one per key (%d)", aliases, len(wiring.KeyPurposes))
			}
			for _, p := range wiring.KeyPurposes {
				a, ok := d.Resources[resource.Name("alias-"+p)].(*kmsv1beta1.Alias)
				if !ok {
					t.Fatalf("alias-%s is %T", p, d.Resources[resource.Name("alias-"+p)])
				}
				want := "alias/kms-" + p + "-" + suffix
				if got := a.Annotations["crossplane.io/external-name"]; got != want {
					t.Errorf("alias-%s external name = %q, want %q", p, got, want)
				}
				sel := a.Spec.ForProvider.TargetKeyIDSelector
				if sel == nil || sel.MatchControllerRef == nil || !*sel.MatchControllerRef || len(sel.MatchLabels) == 0 {
					t.Fatalf("alias-%s target selector = %+v, want this XR's key by labels", p, sel)
				}
				// The selector must match exactly the key of the same purpose.
				for _, q := range wiring.KeyPurposes {
					labels := key(t, d, q).Labels
					match := true
					for k, v := range sel.MatchLabels {
						match = match && labels[k] == v
					}
					if match != (q == p) {
						t.Errorf("alias-%s selector %v matches key-%s = %v, want %v", p, sel.MatchLabels, q, match, q == p)
					}
				}
			}
		})
	}
}

func TestKeys_PolicyAccountAdministration_KMS1(t *testing.T) {
	d := ct.Build(t, Build, spec(), nil)
	for _, p := range wiring.KeyPurposes {
		t.Run(p, func(t *testing.T) {
			st, ok := policy(t, d, p)["AccountAdministration"]
			if !ok {
				t.Fatal("no AccountAdministration statement: the account would be locked out of the key")
			}
			if st.Effect != "Allow" || fmt.Sprint(st.Action) != "[kms:*]" || fmt.Sprint(st.Resource) != "[*]" {
				t.Errorf("statement = %+v, want Allow kms:* on *", st)
			}
			if len(st.Principal) != 1 || st.Principal["AWS"] != "arn:aws:iam::"+account+":root" {
				t.Errorf("principal = %v, want the account root", st.Principal)
			}
			if st.Condition != nil {
				t.Errorf("condition = %v, want none on administration", st.Condition)
			}
		})
	}
}

func TestKeys_PolicyOnlyOwningServiceUsesKey_KMS1(t *testing.T) {
	cases := map[string]struct {
		via      []string // services allowed through kms:ViaService
		services []string // service principals allowed directly
	}{
		"database":          {via: []string{"rds.us-east-1.amazonaws.com"}},
		"documents":         {via: []string{"s3.us-east-1.amazonaws.com"}},
		"documents-replica": {via: []string{"s3.us-west-2.amazonaws.com"}},
		"messaging":         {via: []string{"sqs.us-east-1.amazonaws.com", "sns.us-east-1.amazonaws.com", "lambda.us-east-1.amazonaws.com"}, services: []string{"cloudwatch.amazonaws.com"}},
		"logs":              {services: []string{"logs.us-east-1.amazonaws.com"}},
		"secrets":           {via: []string{"secretsmanager.us-east-1.amazonaws.com"}},
	}
	if len(cases) != len(wiring.KeyPurposes) {
		t.Fatalf("cases cover %d purposes, wiring.KeyPurposes has %d", len(cases), len(wiring.KeyPurposes))
	}
	d := ct.Build(t, Build, spec(), nil)
	for p, tc := range cases {
		t.Run(p, func(t *testing.T) {
			var via, services []string
			for sid, st := range policy(t, d, p) {
				if sid == "AccountAdministration" {
					continue
				}
				if st.Effect != "Allow" {
					t.Errorf("%s: effect %s", sid, st.Effect)
				}
				for _, a := range st.Action {
					if a == "kms:*" || strings.HasPrefix(a, "kms:Delete") || strings.HasPrefix(a, "kms:Put") || strings.HasPrefix(a, "kms:ScheduleKeyDeletion") || strings.HasPrefix(a, "kms:Disable") {
						t.Errorf("%s grants %s to a user of the key", sid, a)
					}
				}
				switch {
				case st.Principal["AWS"] == "*":
					eq := st.Condition["StringEquals"]
					if eq == nil || eq["kms:CallerAccount"] != account || eq["kms:ViaService"] == nil {
						t.Fatalf("%s opens the key to every principal without kms:ViaService and kms:CallerAccount conditions: %+v", sid, st.Condition)
					}
					vs, _ := eq["kms:ViaService"].([]any)
					var these []string
					for _, v := range vs {
						these = append(these, fmt.Sprint(v))
					}
					if fmt.Sprint(these) != fmt.Sprint(tc.via) {
						t.Errorf("%s: kms:ViaService = %v, want only the owning service %v", sid, these, tc.via)
					}
					via = tc.via
					for _, a := range st.Action {
						if a == "kms:CreateGrant" && st.Condition["Bool"]["kms:GrantIsForAWSResource"] != true {
							t.Errorf("%s allows kms:CreateGrant for grants that are not for AWS resources", sid)
						}
					}
				case st.Principal["Service"] != nil:
					svc := fmt.Sprint(st.Principal["Service"])
					services = append(services, svc)
					if len(st.Condition) == 0 {
						t.Errorf("%s lets %s use the key for any account (no condition)", sid, svc)
					}
				default:
					t.Errorf("%s has an unexpected principal %v", sid, st.Principal)
				}
			}
			if fmt.Sprint(via) != fmt.Sprint(tc.via) {
				t.Errorf("kms:ViaService = %v, want only the owning service %v", via, tc.via)
			}
			if fmt.Sprint(services) != fmt.Sprint(tc.services) {
				t.Errorf("service principals = %v, want %v", services, tc.services)
			}
		})
	}
}

func TestKeys_LogsKeyForCloudWatchLogsOfAccount_KMS1(t *testing.T) {
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		t.Run(region, func(t *testing.T) {
			s := spec()
			s.Region = region
			d := ct.Build(t, Build, s, nil)
			var found bool
			for sid, st := range policy(t, d, "logs") {
				if st.Principal["Service"] != "logs."+region+".amazonaws.com" {
					continue
				}
				found = true
				got, _ := st.Condition["ArnLike"]["kms:EncryptionContext:aws:logs:arn"].([]any)
				group := func(name string) string { return "arn:aws:logs:" + region + ":" + account + ":log-group:" + name }
				// The environment's groups, named by the layers or by AWS after a resource of ours.
				for _, name := range []string{naming.MustName(naming.LogGroup, "vpc-flow", "dev"), "/aws/rds/cluster/" + naming.MustName(naming.AuroraCluster, "payments", "dev") + "/postgresql", "/aws/lambda/" + naming.MustName(naming.LambdaFunction, api.MessagingWorkerPurpose, "dev")} {
					if !arnLike(got, group(name)) {
						t.Errorf("%s: the logs key does not admit %s (patterns %v)", sid, name, got)
					}
				}
				// Another environment's, or another account's, are not admitted.
				for _, arn := range []string{group("logs-vpc-flow-prod"), group("logs-vpc-flow-xdev2"), group("/aws/rds/cluster/aurora-payments-prod/postgresql"),
					"arn:aws:logs:" + region + ":999999999999:log-group:logs-vpc-flow-dev", group("anything")} {
					if arnLike(got, arn) {
						t.Errorf("%s: the logs key admits %s (patterns %v)", sid, arn, got)
					}
				}
				for _, a := range []string{"kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"} {
					if !strings.Contains(fmt.Sprint(st.Action), a) {
						t.Errorf("%s actions %v lack %s, which CloudWatch Logs needs", sid, st.Action, a)
					}
				}
			}
			if !found {
				t.Errorf("logs key policy has no statement for principal logs.%s.amazonaws.com", region)
			}
		})
	}
}

func TestKeys_PolicyIsStableJSON_KMS1(t *testing.T) {
	for _, p := range wiring.KeyPurposes {
		if a, b := Policy(spec(), p), Policy(spec(), p); a != b {
			t.Errorf("Policy(%s) differs between calls:\n%s\n%s", p, a, b)
		}
	}
}

func TestKeys_StatusKeyArns_API04(t *testing.T) {
	cases := map[string]struct {
		obs  compose.Observed
		want map[string]any
	}{
		"nothing observed":          {},
		"keys observed without arn": {obs: compose.Observed{"key-logs": ct.Resource(false, nil)}},
		"some arns observed": {
			obs: compose.Observed{
				"key-logs":              ct.Resource(true, map[string]any{"status.atProvider.arn": "arn:aws:kms:us-east-1:" + account + ":key/1"}),
				"key-documents-replica": ct.Resource(true, map[string]any{"status.atProvider.arn": "arn:aws:kms:us-west-2:" + account + ":key/2"}),
			},
			want: map[string]any{"logs": "arn:aws:kms:us-east-1:" + account + ":key/1", "documents-replica": "arn:aws:kms:us-west-2:" + account + ":key/2"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d := ct.Build(t, Build, spec(), tc.obs)
			got, ok := ct.Status(t, d)["keyArns"]
			if tc.want == nil {
				if ok {
					t.Errorf("status.keyArns = %v, want it absent", got)
				}
				return
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("status.keyArns = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestKeys_InvalidInput_API05(t *testing.T) {
	cases := map[string]struct {
		mutate  func(*api.KeySetSpec)
		wantErr []string
	}{
		"bad suffix":                  {mutate: func(s *api.KeySetSpec) { s.EnvironmentSuffix = "Dev" }, wantErr: []string{"spec.parameters.environmentSuffix"}},
		"account id too short":        {mutate: func(s *api.KeySetSpec) { s.AccountID = "12345678901" }, wantErr: []string{"spec.parameters.accountId", "12-digit"}},
		"account id too long":         {mutate: func(s *api.KeySetSpec) { s.AccountID = "1234567890123" }, wantErr: []string{"spec.parameters.accountId", "12-digit"}},
		"account id not digits":       {mutate: func(s *api.KeySetSpec) { s.AccountID = "12345678901a" }, wantErr: []string{"spec.parameters.accountId"}},
		"account id missing":          {mutate: func(s *api.KeySetSpec) { s.AccountID = "" }, wantErr: []string{"spec.parameters.accountId"}},
		"replica region equal region": {mutate: func(s *api.KeySetSpec) { s.ReplicaRegion = s.Region }, wantErr: []string{"spec.parameters.replicaRegion", "differ"}},
		"bad region":                  {mutate: func(s *api.KeySetSpec) { s.Region = "us-east" }, wantErr: []string{"spec.parameters.region"}},
		"uppercase region":            {mutate: func(s *api.KeySetSpec) { s.Region = "US-EAST-1" }, wantErr: []string{"spec.parameters.region"}},
		"missing region":              {mutate: func(s *api.KeySetSpec) { s.Region = "" }, wantErr: []string{"spec.parameters.region"}},
		"bad replica region":          {mutate: func(s *api.KeySetSpec) { s.ReplicaRegion = "west" }, wantErr: []string{"spec.parameters.replicaRegion"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := spec()
			tc.mutate(&s)
			d, err := Build(s, nil)
			if err == nil {
				t.Fatalf("Build succeeded with %d resources, want an error", len(d.Resources))
			}
			if d != nil {
				t.Error("Build returned desired state with its error")
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// TestKeys_ValidRegions_API05: regions of the aws package's list are admitted;
// GovCloud is another partition (its ARNs are not arn:aws:), so it is not.
func TestKeys_ValidRegions_API05(t *testing.T) {
	for _, pair := range [][2]string{{"us-east-1", "us-west-2"}, {"ap-southeast-2", "ap-northeast-1"}, {"mx-central-1", "ca-west-1"}} {
		s := spec()
		s.Region, s.ReplicaRegion = pair[0], pair[1]
		if errs := s.Validate(api.Parameters); len(errs) > 0 {
			t.Errorf("Validate(%s, %s): %v, want nil", pair[0], pair[1], errs)
		}
	}
	s := spec()
	s.Region, s.ReplicaRegion = "us-gov-west-1", "us-gov-east-1"
	if errs := s.Validate(api.Parameters); len(errs) == 0 || errs[0].Field != "spec.parameters.region" {
		t.Errorf("Validate(us-gov-west-1) = %v, want an error naming spec.parameters.region", errs)
	}
}

// TestKeys_RefIsTheKeyOtherLayersSelect_X8: the used side of a Usage of a key
// selects exactly what the layers' key references select: a Key of the
// environment with the purpose, composed by another XR (no controller match).
func TestKeys_RefIsTheKeyOtherLayersSelect_X8(t *testing.T) {
	c := spec().Common
	r := c.Env().KeyRef(wiring.KeySecrets)
	if r.GVK.String() != "kms.aws.m.upbound.io/v1beta1, Kind=Key" {
		t.Errorf("GVK = %s", r.GVK)
	}
	want := c.Env().SelectKey(wiring.KeySecrets)
	if fmt.Sprint(r.Selector.MatchLabels) != fmt.Sprint(want.MatchLabels) || r.Selector.MatchControllerRef != nil {
		t.Errorf("selector = %+v, want %+v", r.Selector, want)
	}
	key := ct.Get[*kmsv1beta1.Key](t, ct.Build(t, Build, spec(), nil), "key-"+wiring.KeySecrets)
	for k, v := range r.Selector.MatchLabels {
		if key.Labels[k] != v {
			t.Errorf("the secrets key lacks %s=%s", k, v)
		}
	}
}

// arnLike reports whether arn matches one of the IAM ArnLike patterns (* any
// run of characters, ? one).
func arnLike(patterns []any, arn string) bool {
	for _, p := range patterns {
		re := "^" + strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(regexp.QuoteMeta(fmt.Sprint(p))) + "$"
		if regexp.MustCompile(re).MatchString(arn) {
			return true
		}
	}
	return false
}

// TestKeys_KeptInDataRetentionMode_X3_X7: in the data-retention mode (the
// default) every key and alias is kept in AWS when the claim is deleted
// (management policies without Delete); with it off, they are deleted.
func TestKeys_KeptInDataRetentionMode_X3_X7(t *testing.T) {
	for _, retain := range []*bool{nil, compose.Ptr(true), compose.Ptr(false)} {
		s := spec()
		s.RetainData = retain
		d := ct.Build(t, Build, s, nil)
		kept := retain == nil || *retain
		for n, o := range d.Resources {
			mp := o.(interface {
				GetManagementPolicies() xpv1.ManagementPolicies
			}).GetManagementPolicies()
			if kept != (len(mp) > 0) || slices.Contains(mp, xpv1.ManagementActionDelete) || slices.Contains(mp, xpv1.ManagementActionAll) {
				t.Errorf("retainData %v: %s management policies %v", kept, n, mp)
			}
		}
	}
}
