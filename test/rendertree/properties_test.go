package rendertree

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/capacity"
	ct "github.com/fintech-platform/payment-platform/functions/platform/compose/composetest"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// The whole-render properties below hold for every resource a claim ends up
// with, whatever layer makes it; they are checked on the fixed point of the
// full example and of the minimal one (two tenants).
// examples maps each example's environment suffix to its file: two tenants.
var examples = map[string]string{"prod": "paymentplatform/full.yaml", "dev": "paymentplatform/minimal.yaml"}

// settled returns the fixed point of each example, by suffix.
func settled(t *testing.T) map[string][]*unstructured.Unstructured {
	t.Helper()
	out := map[string][]*unstructured.Unstructured{}
	for suffix, ex := range examples {
		passes := converge(t, filepath.Join(root, "examples", ex))
		out[suffix] = passes[len(passes)-1]
	}
	return out
}

func forProvider(d *unstructured.Unstructured) map[string]any {
	m, _, _ := unstructured.NestedMap(d.Object, "spec", "forProvider")
	return m
}

func TestRender_EveryLogGroupEncryptedSevenYears_OBS3(t *testing.T) {
	for suffix, docs := range settled(t) {
		groups := byKind(docs, "Group")
		if len(groups) == 0 {
			t.Fatalf("%s: no log group", suffix)
		}
		for _, g := range groups {
			fp := forProvider(g)
			if r, _ := fp["retentionInDays"].(float64); r != 2557 {
				t.Errorf("%s: log group %s retention %v, want 2557", suffix, g.GetAnnotations()["crossplane.io/external-name"], fp["retentionInDays"])
			}
			sel, _, _ := unstructured.NestedStringMap(g.Object, "spec", "forProvider", "kmsKeyIdSelector", "matchLabels")
			if sel["payments.platform.io/purpose"] != "logs" || sel["payments.platform.io/environment"] != suffix {
				t.Errorf("%s: log group not encrypted with its environment's logs key: %v", suffix, sel)
			}
		}
	}
}

// TestRender_LogsKeyAdmitsExactlyTheEnvironmentsLogGroups_KMS1_X4: the logs
// key's policy lets CloudWatch Logs use it for every log group the claim
// composes, and for none of the other tenant's.
func TestRender_LogsKeyAdmitsExactlyTheEnvironmentsLogGroups_KMS1_X4(t *testing.T) {
	all := settled(t)
	groups := map[string][]string{}
	for suffix, docs := range all {
		for _, g := range byKind(docs, "Group") {
			region, _ := forProvider(g)["region"].(string)
			groups[suffix] = append(groups[suffix], "arn:aws:logs:"+region+":"+Account+":log-group:"+g.GetAnnotations()["crossplane.io/external-name"])
		}
	}
	for suffix, docs := range all {
		var patterns []string
		for _, k := range byKind(docs, "Key") {
			if k.GetLabels()["payments.platform.io/purpose"] != "logs" {
				continue
			}
			var doc struct {
				Statement []struct {
					Condition map[string]map[string]any
				}
			}
			if err := json.Unmarshal([]byte(forProvider(k)["policy"].(string)), &doc); err != nil {
				t.Fatal(err)
			}
			for _, st := range doc.Statement {
				if l, ok := st.Condition["ArnLike"]["kms:EncryptionContext:aws:logs:arn"].([]any); ok {
					for _, p := range l {
						patterns = append(patterns, fmt.Sprint(p))
					}
				}
			}
		}
		if len(patterns) == 0 {
			t.Fatalf("%s: the logs key names no log groups", suffix)
		}
		for other, arns := range groups {
			for _, arn := range arns {
				if admitted := arnLike(patterns, arn); admitted != (other == suffix) {
					t.Errorf("%s: the logs key admits %s: %v, want %v (patterns %v)", suffix, arn, admitted, other == suffix, patterns)
				}
			}
		}
	}
}

// arnLike reports whether arn matches one of the IAM ArnLike patterns.
func arnLike(patterns []string, arn string) bool {
	for _, p := range patterns {
		re := "^" + strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(regexp.QuoteMeta(p)) + "$"
		if regexp.MustCompile(re).MatchString(arn) {
			return true
		}
	}
	return false
}

func TestRender_EveryKeyRotated_KMS1(t *testing.T) {
	for suffix, docs := range settled(t) {
		keys := byKind(docs, "Key")
		if len(keys) != 6 {
			t.Errorf("%s: %d keys, want 6", suffix, len(keys))
		}
		for _, k := range keys {
			if fp := forProvider(k); fp["enableKeyRotation"] != true || fp["policy"] == nil {
				t.Errorf("%s: key %s rotation %v policy set %v", suffix, k.GetLabels()["payments.platform.io/purpose"], fp["enableKeyRotation"], fp["policy"] != nil)
			}
		}
	}
}

func TestRender_NoNATGateway_X5(t *testing.T) {
	for suffix, docs := range settled(t) {
		if n := len(byKind(docs, "NATGateway")); n != 0 {
			t.Errorf("%s: %d NAT gateways", suffix, n)
		}
		if n := len(byKind(docs, "Instance")); n != 3 {
			t.Errorf("%s: %d NAT instances, want 3", suffix, n)
		}
	}
}

// TestRender_EverythingDestroyable_X3: every composed resource is owned by the
// XR that composed it (deleting the claim deletes the tree) and none is told to
// orphan its AWS resource.
// TestRender_DestroyableOrRetained_X3_X7: with retainData false (the minimal
// example) deleting the claim deletes every AWS resource it made; in the
// data-retention mode (the full example, by default) exactly what holds or
// decrypts data is kept — keys, aliases and log groups have management
// policies without Delete, the cluster deletion protection and a final
// snapshot — and everything else is deleted.
func TestRender_DestroyableOrRetained_X3_X7(t *testing.T) {
	// ECR repositories hold the record of what ran, queues unprocessed and
	// failed payments (ADR 0012, docs/data-retention.md).
	data := map[string]bool{"Key": true, "Alias": true, "Group": true, "Repository": true, "Queue": true}
	// The documents layer keeps its buckets with everything configuring them
	// (deleting a bucket's policy or public access block would undo it in
	// AWS) and the role replicating them.
	keeps := func(d *unstructured.Unstructured) bool {
		return data[d.GetKind()] || d.GetLabels()[wiring.LabelLayer] == wiring.LayerDocuments && strings.HasSuffix(d.GetAPIVersion(), ".aws.m.upbound.io/v1beta1")
	}
	for suffix, docs := range settled(t) {
		retain, ok, _ := unstructured.NestedBool(docs[0].Object, "spec", "parameters", "retainData")
		if !ok {
			t.Fatalf("%s: the claim has no retainData (the XRD defaults it)", suffix)
		}
		if want := suffix == "prod"; retain != want {
			t.Fatalf("%s: retainData %v, the example should say %v", suffix, retain, want)
		}
		for _, d := range docs[1:] {
			if owner(d) == "" {
				t.Errorf("%s: %s %s has no controller owner", suffix, d.GetKind(), resourceName(d))
			}
			mp, _, _ := unstructured.NestedStringSlice(d.Object, "spec", "managementPolicies")
			deletes := len(mp) == 0 || contains(mp, "*") || contains(mp, "Delete")
			if kept := retain && keeps(d); deletes == kept {
				t.Errorf("%s (retainData %v): %s %s management policies %v", suffix, retain, d.GetKind(), resourceName(d), mp)
			}
		}
		for _, c := range byKind(docs, "Cluster") {
			if !strings.HasPrefix(c.GetAPIVersion(), "rds.") {
				continue
			}
			fp := forProvider(c)
			if fp["deletionProtection"] != retain || fp["skipFinalSnapshot"] == retain {
				t.Errorf("%s (retainData %v): cluster deletion protection %v, skip final snapshot %v", suffix, retain, fp["deletionProtection"], fp["skipFinalSnapshot"])
			}
		}
		for _, k := range byKind(docs, "Key") {
			if w, _ := forProvider(k)["deletionWindowInDays"].(float64); w != 7 {
				t.Errorf("%s: key deletion window %v, want the 7-day minimum", suffix, w)
			}
		}
	}
}

// TestRender_TwoTenantsNeverCollide_X4: two claims in two namespaces share no
// AWS name, and no selector of one can match the other's resources.
func TestRender_TwoTenantsNeverCollide_X4(t *testing.T) {
	all := settled(t)
	names := map[string]string{}
	for suffix, docs := range all {
		for _, d := range docs {
			if !strings.HasPrefix(d.GetNamespace(), "tenant-") {
				t.Errorf("%s: %s in namespace %q", suffix, d.GetKind(), d.GetNamespace())
			}
			if why, ok := scopedNames[d.GetKind()]; ok && why != "" {
				continue
			}
			for _, n := range awsNames(d) {
				if !strings.Contains(n, suffix) {
					t.Errorf("%s: AWS name %q lacks the environment suffix (X-1)", suffix, n)
				}
				if other, ok := names[n]; ok && other != suffix {
					t.Errorf("AWS name %q used by both %s and %s", n, suffix, other)
				}
				names[n] = suffix
			}
			ct.CheckSelectors(t, suffix+"/"+d.GetKind(), d.Object, suffix)
		}
	}
	if len(names) < 50 {
		t.Errorf("only %d AWS names checked", len(names))
	}
}

// awsNames returns the names d has in AWS: its external name when we set it,
// its name field, its Name tag.
// scopedNames are the kinds whose AWS name is unique only within another
// resource that carries the suffix, with the reason.
var scopedNames = map[string]string{
	"Object": "an S3 object's key is unique within its bucket, s3-truststore-<account>-<suffix>",
}

func awsNames(d *unstructured.Unstructured) []string {
	var out []string
	if n := d.GetAnnotations()["crossplane.io/external-name"]; n != "" {
		out = append(out, n)
	}
	fp := forProvider(d)
	if n, ok := fp["name"].(string); ok {
		out = append(out, n)
	}
	if tags, ok := fp["tags"].(map[string]any); ok {
		if n, ok := tags["Name"].(string); ok {
			out = append(out, n)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// controller is the kind and name of the XR that composed d.
func controller(d *unstructured.Unstructured) string {
	for _, o := range d.GetOwnerReferences() {
		if o.Controller != nil && *o.Controller {
			return o.Kind + "/" + o.Name
		}
	}
	return ""
}

// resolve returns what side ("of" or "by") of Usage u selects among docs, as
// Crossplane's usage controller resolves it: the same apiVersion and kind, in
// the Usage's namespace, carrying every label, and, with matchControllerRef,
// composed by the Usage's own XR.
func resolve(docs []*unstructured.Unstructured, u *unstructured.Unstructured, side string) []*unstructured.Unstructured {
	api, _, _ := unstructured.NestedString(u.Object, "spec", side, "apiVersion")
	kind, _, _ := unstructured.NestedString(u.Object, "spec", side, "kind")
	labels, _, _ := unstructured.NestedStringMap(u.Object, "spec", side, "resourceSelector", "matchLabels")
	own, _, _ := unstructured.NestedBool(u.Object, "spec", side, "resourceSelector", "matchControllerRef")
	return selectAll(docs, api, kind, u.GetNamespace(), labels, own, controller(u))
}

func selectAll(docs []*unstructured.Unstructured, api, kind, ns string, labels map[string]string, own bool, ctrl string) []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	for _, d := range docs {
		if d.GetAPIVersion() != api || d.GetKind() != kind || d.GetNamespace() != ns || (own && controller(d) != ctrl) {
			continue
		}
		match := true
		for k, v := range labels {
			match = match && d.GetLabels()[k] == v
		}
		if match {
			out = append(out, d)
		}
	}
	return out
}

// TestRender_UsagesResolveToOneResourceEach_X8: in the settled tree of every
// example, each side of each Usage selects exactly one resource (Crossplane
// takes the first match, so a second would be protected at random), and the
// Usages order exactly these pairs: used ← user, by owner XR and pipeline name.
func TestRender_UsagesResolveToOneResourceEach_X8(t *testing.T) {
	want := []string{
		"payments-database/cluster ← payments-database/proxy",
		"payments-database/cluster ← payments-database/proxy-target",
		"payments-database/security-group-database ← payments-database/cluster",
		"payments-database/subnet-group ← payments-database/cluster",
		"payments-keys/key-database ← payments-database/cluster",
		"payments-keys/key-documents ← payments-documents/documents-bucket",
		"payments-keys/key-documents ← payments-documents/documents-bucket-encryption",
		"payments-keys/key-documents-replica ← payments-documents/replica-bucket",
		"payments-keys/key-documents-replica ← payments-documents/replica-bucket-encryption",
		"payments-keys/key-logs ← payments-compute/log-group-api",
		"payments-keys/key-logs ← payments-compute/log-group-container-insights",
		"payments-keys/key-logs ← payments-compute/log-group-waf",
		"payments-keys/key-logs ← payments-database/log-group",
		"payments-keys/key-logs ← payments-messaging/log-group-worker",
		"payments-keys/key-logs ← payments-network/flow-log-group",
		"payments-keys/key-messaging ← payments-messaging/queue-dead-letter",
		"payments-keys/key-messaging ← payments-messaging/queue-payments",
		"payments-keys/key-messaging ← payments-observability/topic",
		"payments-keys/key-secrets ← payments-database/api-keys-secret",
		"payments-keys/key-secrets ← payments-database/cluster",
		"payments-network/flow-log-group ← payments-network/flow-log",
		"payments-network/subnet-database-us-east-1a ← payments-database/subnet-group",
		"payments-network/subnet-database-us-east-1b ← payments-database/subnet-group",
		"payments-network/subnet-database-us-east-1c ← payments-database/subnet-group",
	}
	// The API layer's and the worker's, in the full example only (the
	// minimal has no API, and no worker image).
	withAPI := append(slices.Clone(want),
		"payments-keys/key-documents ← payments-api/truststore",
		"payments-keys/key-logs ← payments-api/access-log-group",
		"payments-keys/key-logs ← payments-api/execution-log-group",
		"payments-keys/key-messaging ← payments-messaging/function-worker",
	)
	sort.Strings(withAPI)
	for suffix, docs := range settled(t) {
		want := want
		if suffix == "prod" {
			want = withAPI
		}
		var pairs []string
		for _, u := range byKind(docs, "Usage") {
			if u.GetAPIVersion() != UsageAPIVersion {
				t.Errorf("%s: Usage %s is %s", suffix, identity(u), u.GetAPIVersion())
			}
			of, by := resolve(docs, u, "of"), resolve(docs, u, "by")
			if len(of) != 1 || len(by) != 1 {
				t.Errorf("%s: %s selects %d used and %d using resources, want one each", suffix, identity(u), len(of), len(by))
				continue
			}
			if replay, _, _ := unstructured.NestedBool(u.Object, "spec", "replayDeletion"); !replay {
				t.Errorf("%s: %s does not replay the refused deletion", suffix, identity(u))
			}
			pairs = append(pairs, identity(of[0])+" ← "+identity(by[0]))
		}
		sort.Strings(pairs)
		if strings.Join(pairs, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: Usages order\n  %s\nwant\n  %s", suffix, strings.Join(pairs, "\n  "), strings.Join(want, "\n  "))
		}
	}
}

// keyUsageExempt are the kinds that encrypt with a key but need no Usage of
// it, each with the reason.
var keyUsageExempt = map[string]string{
	// Performance Insights of an instance: AWS deletes a cluster only once its
	// instances are gone, and the cluster keeps the database key.
	"ClusterInstance": "kept through its cluster",
}

// TestRender_KeysOutliveWhatTheyEncrypt_X8: every resource that encrypts with
// one of the environment's KMS keys (a *KmsKeyIdSelector) is the user of a
// Usage of that very key, whatever layer makes it, so no key is scheduled for
// deletion while data it encrypts lives (kinds in keyUsageExempt aside).
func TestRender_KeysOutliveWhatTheyEncrypt_X8(t *testing.T) {
	for suffix, docs := range settled(t) {
		usages := byKind(docs, "Usage")
		n := 0
		for _, d := range Managed(docs) {
			if _, ok := keyUsageExempt[d.GetKind()]; ok {
				continue
			}
			for field, labels := range keySelectors(forProvider(d), "") {
				n++
				keys := selectAll(docs, "kms.aws.m.upbound.io/v1beta1", "Key", d.GetNamespace(), labels, false, "")
				if len(keys) != 1 {
					t.Errorf("%s: %s.%s selects %d keys", suffix, identity(d), field, len(keys))
					continue
				}
				kept := false
				for _, u := range usages {
					of, by := resolve(docs, u, "of"), resolve(docs, u, "by")
					kept = kept || (len(of) == 1 && of[0] == keys[0] && len(by) == 1 && by[0] == d)
				}
				if !kept {
					t.Errorf("%s: no Usage keeps %s while %s (%s) uses it", suffix, identity(keys[0]), identity(d), field)
				}
			}
		}
		if n < 5 {
			t.Errorf("%s: only %d key selectors checked", suffix, n)
		}
	}
}

// keySelectors returns, by field path, the matchLabels of every selector in v
// whose field names a KMS key used for encryption (kmsKeyIdSelector and the
// like; an alias's targetKeyIdSelector names the key it points at, not one
// that encrypts it).
func keySelectors(v any, at string) map[string]map[string]string {
	out := map[string]map[string]string{}
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if strings.HasSuffix(strings.ToLower(k), "kmskeyidselector") {
				s, _ := e.(map[string]any)
				m, _ := s["matchLabels"].(map[string]any)
				labels := map[string]string{}
				for lk, lv := range m {
					labels[lk], _ = lv.(string)
				}
				out[at+k] = labels
				continue
			}
			for f, l := range keySelectors(e, at+k+".") {
				out[f] = l
			}
		}
	case []any:
		for i, e := range v {
			for f, l := range keySelectors(e, fmt.Sprintf("%s%d.", at, i)) {
				out[f] = l
			}
		}
	}
	return out
}

// TestRender_AddressBudgetCountsWhatIsComposed_NET7: the address budget
// (functions/platform/capacity) counts what the claim really composes, and
// what it composes fits: every rendered subnet holds its tier's budget, each
// private subnet carries exactly the budget's interface endpoints, the proxy
// has the budget's extra endpoints in front of one instance per zone of the
// claim's class.
func TestRender_AddressBudgetCountsWhatIsComposed_NET7(t *testing.T) {
	for suffix, docs := range settled(t) {
		spec := exampleSpec(t, examples[suffix])
		load := spec.Load()
		budget := map[string]capacity.Tier{}
		for _, tier := range capacity.Budget(load) {
			budget[tier.Name] = tier
		}

		subnets := byKind(docs, "Subnet")
		if len(subnets) != 9 {
			t.Fatalf("%s: %d subnets, want 9", suffix, len(subnets))
		}
		for _, s := range subnets {
			tier := s.GetLabels()[wiring.LabelTier]
			cidr, _, _ := unstructured.NestedString(s.Object, "spec", "forProvider", "cidrBlock")
			pfx, err := netip.ParsePrefix(cidr)
			if err != nil {
				t.Fatalf("%s: subnet %s: %v", suffix, s.GetName(), err)
			}
			if why := budget[tier].Short(pfx.Bits()); why != "" || budget[tier].Name == "" {
				t.Errorf("%s: %s subnet %s does not hold its budget: %s", suffix, tier, cidr, why)
			}
		}

		perZone := map[string]int{}
		for _, a := range byKind(docs, "VPCEndpointSubnetAssociation") {
			sel, _, _ := unstructured.NestedStringMap(a.Object, "spec", "forProvider", "subnetIdSelector", "matchLabels")
			if sel[wiring.LabelTier] != wiring.TierPrivate {
				t.Errorf("%s: interface endpoint %s in the %q tier, which the budget does not count", suffix, a.GetName(), sel[wiring.LabelTier])
			}
			perZone[sel[wiring.LabelZone]]++
		}
		if len(perZone) != capacity.Zones {
			t.Errorf("%s: interface endpoints in %d zones, want %d", suffix, len(perZone), capacity.Zones)
		}
		for zone, n := range perZone {
			if n != load.InterfaceEndpoints {
				t.Errorf("%s: %d interface endpoints in %s's private subnet, the budget counts %d", suffix, n, zone, load.InterfaceEndpoints)
			}
		}

		if n := len(byKind(docs, "ProxyEndpoint")); n != capacity.ProxyExtraEndpoints {
			t.Errorf("%s: %d proxy endpoints beside the default, the budget counts %d", suffix, n, capacity.ProxyExtraEndpoints)
		}
		instances := byKind(docs, "ClusterInstance")
		if len(instances) != capacity.Zones {
			t.Errorf("%s: %d Aurora instances, the budget counts %d", suffix, len(instances), capacity.Zones)
		}
		for _, i := range instances {
			if c, _, _ := unstructured.NestedString(i.Object, "spec", "forProvider", "instanceClass"); c != load.DBInstanceClass {
				t.Errorf("%s: instance %s is a %s, the budget counts %s", suffix, i.GetName(), c, load.DBInstanceClass)
			}
		}
	}
}

// exampleSpec returns the defaulted spec.parameters of an example claim.
func exampleSpec(t *testing.T, example string) api.PaymentPlatformSpec {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "examples", example)) //nolint:gosec // Our example.
	if err != nil {
		t.Fatal(err)
	}
	claims, err := Parse(b)
	if err != nil || len(claims) != 1 {
		t.Fatalf("%s: want one claim: %v", example, err)
	}
	var spec api.PaymentPlatformSpec
	params, _, _ := unstructured.NestedMap(claims[0].Object, "spec", "parameters")
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(params, &spec); err != nil {
		t.Fatal(err)
	}
	spec.Default()
	return spec
}

// stringsIn returns every string in v, recursively.
func stringsIn(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case map[string]any:
		var out []string
		for _, e := range v {
			out = append(out, stringsIn(e)...)
		}
		return out
	case []any:
		var out []string
		for _, e := range v {
			out = append(out, stringsIn(e)...)
		}
		return out
	}
	return nil
}

// TestRender_EveryNameIsInTheNamesTable_X6: the names table the claim
// validates before composing (api.Names, api.ValidateNames) is exactly what
// the layers derive: every platform name in a rendered resource (a string of
// its external name or parameters that ends with the environment's suffix
// after a hyphen or slash) is in the table, and every name in the table is
// rendered.
func TestRender_EveryNameIsInTheNamesTable_X6(t *testing.T) {
	for suffix, docs := range settled(t) {
		spec := exampleSpec(t, examples[suffix])
		table := map[string]bool{}
		// A claim without an account learns it from the VPC's owner: the
		// simulated account, in the render.
		account := spec.AccountID
		if account == "" {
			account = Account
		}
		for _, u := range api.Names(api.NameInputs{Zones: spec.AvailabilityZones, Account: account, API: spec.API}) {
			table[naming.MustName(u.Kind, u.Purpose, suffix)] = true
		}
		rendered := map[string]bool{}
		for _, d := range docs {
			values := stringsIn(forProvider(d))
			values = append(values, d.GetAnnotations()["crossplane.io/external-name"])
			seen := map[string]bool{}
			for _, s := range values {
				named := strings.HasSuffix(s, "-"+suffix) || strings.HasSuffix(s, "/"+suffix)
				if seen[s] || !named || strings.ContainsAny(s, ": \n{") {
					continue
				}
				seen[s] = true
				// A path AWS builds around a name of the table
				// (API-Gateway-Execution-Logs_<id>/<stage>) is that name's.
				if i := strings.LastIndex(s, "/"); !table[s] && i >= 0 && table[s[i+1:]] {
					s = s[i+1:]
				}
				rendered[s] = true
				if !table[s] {
					t.Errorf("%s: %s %s carries the name %q, which api.Names does not list: ValidateNames cannot check it", suffix, d.GetKind(), d.GetName(), s)
				}
			}
		}
		for n := range table {
			// The minimal example has no API, so no certificate: its
			// listener, service and scaling policies wait for one.
			if !rendered[n] && suffix == "prod" {
				t.Errorf("%s: api.Names lists %q, which no rendered resource carries", suffix, n)
			}
		}
	}
}
