package rendertree

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/fintech-platform/payment-platform/functions/platform/aws"
	"github.com/fintech-platform/payment-platform/functions/platform/fn"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
)

// The property of SPEC X-6 and API-0.7 over whole renders: every managed
// resource of every pass, of every example and of the adversarial claims,
// obeys AWS's rules for its kind (functions/platform/aws, rules.go); a kind
// the rules table does not know fails, so a new layer is covered the day it
// lands.

// awsViolations runs the rules table over the managed resources of every
// pass, and returns one line per broken rule (the first pass that breaks it,
// the kind, the resource's AWS name, the error) and one per kind the table
// has no rules for.
func awsViolations(passes [][]*unstructured.Unstructured) []string {
	seen := map[string]bool{}
	var out []string
	for i, docs := range passes {
		for _, d := range Managed(docs) {
			gvk := d.GroupVersionKind()
			errs, known := aws.Check(gvk.Group, gvk.Kind, d.Object)
			if !known {
				errs = []error{fmt.Errorf("no AWS rules for kind %s.%s: add its entry to functions/platform/aws/rules.go", gvk.Kind, gvk.Group)}
			}
			for _, err := range errs {
				line := fmt.Sprintf("%s %s: %v", kindOf(d), nameOf(d), strings.ReplaceAll(err.Error(), "\n", "; "))
				if !seen[line] {
					seen[line] = true
					out = append(out, fmt.Sprintf("pass %d: %s", i, line))
				}
			}
		}
	}
	return out
}

// nameOf is what names d in AWS, else its name in its XR's pipeline.
func nameOf(d *unstructured.Unstructured) string {
	if n := awsNames(d); len(n) > 0 {
		return n[0]
	}
	return owner(d) + "/" + resourceName(d)
}

// TestAWSRules_CoverEveryManagedKind_X6: the rules table has an entry for
// every kind the function composes (fn.ManagedKinds), without rendering.
func TestAWSRules_CoverEveryManagedKind_X6(t *testing.T) {
	kinds := fn.ManagedKinds()
	if len(kinds) == 0 {
		t.Fatal("the function composes no managed kind")
	}
	for _, gvk := range kinds {
		if _, known := aws.Check(gvk.Group, gvk.Kind, map[string]any{}); !known {
			t.Errorf("no AWS rules for kind %s.%s, which the function composes: add its entry to functions/platform/aws/rules.go", gvk.Kind, gvk.Group)
		}
	}
}

// TestRender_EveryExampleWithinAWSRules_X6_API07: every managed resource of
// every pass of every example obeys AWS's name and value rules for its kind.
func TestRender_EveryExampleWithinAWSRules_X6_API07(t *testing.T) {
	for _, ex := range exampleFiles(t) {
		t.Run(fixture(ex), func(t *testing.T) {
			passes := converge(t, ex)
			n := 0
			for _, p := range passes {
				n += len(Managed(p))
			}
			if n == 0 {
				t.Fatal("no managed resource to check")
			}
			for _, v := range awsViolations(passes) {
				t.Error(v)
			}
			t.Logf("%d managed resources in %d passes checked", n, len(passes))
		})
	}
}

// TestRender_AWSRulesCatchABrokenRender_X6: the property can fail. The
// settled minimal example, broken by hand the ways AWS refuses, reports each
// break; an unknown kind is reported too.
func TestRender_AWSRulesCatchABrokenRender_X6(t *testing.T) {
	passes := converge(t, filepath.Join(root, "examples", "paymentplatform", "minimal.yaml"))
	settled := passes[len(passes)-1]
	before := awsViolations([][]*unstructured.Unstructured{settled})
	var broken []*unstructured.Unstructured
	for _, d := range settled {
		broken = append(broken, d.DeepCopy())
	}
	// first is the first managed resource of kind, in the API group that
	// starts with group when given (ECS and RDS both have a Cluster).
	first := func(kind string, group ...string) *unstructured.Unstructured {
		t.Helper()
		for _, d := range Managed(broken) {
			if d.GetKind() == kind && (len(group) == 0 || strings.HasPrefix(d.GetAPIVersion(), group[0]+".")) {
				return d
			}
		}
		t.Fatalf("the minimal example renders no %s", kind)
		return nil
	}
	set := func(d *unstructured.Unstructured, v any, path ...string) {
		t.Helper()
		if err := unstructured.SetNestedField(d.Object, v, append([]string{"spec", "forProvider"}, path...)...); err != nil {
			t.Fatal(err)
		}
	}
	set(first("SecurityGroup"), "sg-x", "name")
	set(first("Group"), int64(2555), "retentionInDays")
	set(first("Key"), "x", "tags", "AWS:owner")
	set(first("Cluster", "rds"), int64(36), "backupRetentionPeriod")
	set(first("SecurityGroupIngressRule"), int64(70000), "toPort")
	alias := first("Alias")
	alias.SetAnnotations(map[string]string{"crossplane.io/external-name": "alias/aws/x"})
	unknown := first("VPC").DeepCopy()
	unknown.SetKind("NATGateway")
	broken = append(broken, unknown)

	var made []string
	for _, v := range awsViolations([][]*unstructured.Unstructured{broken}) {
		if !slices.Contains(before, v) {
			made = append(made, v)
		}
	}
	got := strings.Join(made, "\n")
	for _, want := range []string{
		`ec2/SecurityGroup sg-x: spec.forProvider.name: security group name "sg-x" starts with sg-`,
		`cloudwatchlogs/Group `,
		`spec.forProvider.retentionInDays: log retention 2555 days is not one CloudWatch Logs accepts`,
		`kms/Key kms-`,
		`spec.forProvider.tags: tag key "AWS:owner" starts with aws:`,
		`rds/Cluster aurora-`,
		`spec.forProvider.backupRetentionPeriod: backup retention (days) 36 is outside 1 to 35`,
		`ec2/SecurityGroupIngressRule `,
		`toPort 70000 is outside 0 to 65535`,
		`kms/Alias alias/aws/x: metadata.annotations[crossplane.io/external-name]: KMS alias "alias/aws/x" starts with alias/aws/`,
		`no AWS rules for kind NATGateway.ec2.aws.m.upbound.io`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the broken render's violations lack %q:\n%s", want, got)
		}
	}
	if len(made) != 7 {
		t.Errorf("%d new violations, want the 7 made by hand:\n%s", len(made), got)
	}
	t.Logf("the broken render's violations:\n%s", got)
}

// adversarialDir holds the hand-written adversarial claims; the test adds one
// generated claim per region.
var adversarialDir = filepath.Join("testdata", "adversarial")

// An adversarialClaim is a claim written to break AWS's rules if anything can.
type adversarialClaim struct {
	name, file string
	// admitted: every value is one of the aws package's lists, so the claim
	// must render; a refusal would mean the XRD and the function disagree.
	admitted bool
}

// longestSuffix is an environment suffix of the greatest length the XRD admits.
var longestSuffix = "abcdefghijklmnopqrstuvwxyz"[:naming.MaxSuffixLength]

// generatedClaims writes one claim per region of aws.Regions() into dir, each
// with the longest suffix, the last three zones of its region (us-east-1d, e
// and f, ca-central-1's a, b and d…), the next region as its replica (so every
// region is a replica once too), and, in turn, every database instance class
// and engine version the aws package admits. About 13 s of render each: with
// -short only every eighth region is rendered (make test renders them all).
func generatedClaims(t *testing.T, dir string) []adversarialClaim {
	t.Helper()
	regions, classes, versions := aws.Regions(), aws.AuroraInstanceClasses(), aws.AuroraPostgreSQLVersions()
	if len(regions) < max(len(classes), len(versions)) {
		t.Fatalf("%d regions cannot carry %d classes and %d versions", len(regions), len(classes), len(versions))
	}
	var out []adversarialClaim
	for i, region := range regions {
		if testing.Short() && i%8 != 0 {
			continue
		}
		zones := aws.ZonesOf(region)
		name := "region-" + region
		claim := fmt.Sprintf(`apiVersion: payments.platform.io/v1alpha1
kind: PaymentPlatform
metadata: {name: %s, namespace: tenant-adversarial}
spec:
  parameters:
    environmentSuffix: %s
    region: %s
    availabilityZones: [%s]
    replicaRegion: %s
    accountId: %q
    database: {instanceClass: %s, engineVersion: %q}
`, name, longestSuffix, region, strings.Join(zones[len(zones)-3:], ", "), regions[(i+1)%len(regions)], Account,
			classes[i%len(classes)], versions[i%len(versions)])
		f := filepath.Join(dir, name+".yaml")
		if err := os.WriteFile(f, []byte(claim), 0o600); err != nil {
			t.Fatal(err)
		}
		out = append(out, adversarialClaim{name: name, file: f, admitted: true})
	}
	return out
}

// writtenClaims reads testdata/adversarial: each file one claim with a name of
// its own.
func writtenClaims(t *testing.T, dir string) []adversarialClaim {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(adversarialDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	if len(files) < 5 {
		t.Fatalf("want the adversarial claims in %s, found %d", adversarialDir, len(files))
	}
	var out []adversarialClaim
	for _, f := range files {
		b, err := os.ReadFile(f) //nolint:gosec // Test data.
		if err != nil {
			t.Fatal(err)
		}
		docs, err := Parse(b)
		if err != nil || len(docs) != 1 {
			t.Fatalf("%s: want one claim: %v", f, err)
		}
		c := adversarialClaim{name: docs[0].GetName(), file: filepath.Join(dir, filepath.Base(f))}
		if err := os.WriteFile(c.file, b, 0o600); err != nil { //nolint:gosec // G703: a copy of our test data into the test's own directory.
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// schemaRefusals validates every claim in dir with crossplane beta validate
// against the XRDs, in one run, and returns what it says of each claim it
// refuses, by claim name.
func schemaRefusals(t *testing.T, dir string) map[string]string {
	t.Helper()
	out, _ := validateFile(dir)
	refused := map[string]string{}
	line := regexp.MustCompile(`^\[x\] .*Kind=PaymentPlatform, (\S+) : (.*)$`)
	for _, l := range strings.Split(out, "\n") {
		if m := line.FindStringSubmatch(l); m != nil {
			refused[m[1]] += m[2] + "; "
		}
	}
	if !strings.Contains(out, "0 missing schemas") {
		t.Fatalf("crossplane beta validate:\n%s", out)
	}
	return refused
}

// TestRender_AdversarialClaimsWithinAWSRulesOrRefused_X6_API07: every
// adversarial claim (one per region, generated, and testdata/adversarial) is
// either refused at once naming the field (by the XRD schema at kubectl apply,
// or by the function as a fatal result on the first pass, before anything is
// composed; never a panic or an internal error, never half way), or renders
// to its fixed point with every name and value of every pass within AWS's
// rules. A claim of admitted values only must render. Claims with different
// suffixes never share an AWS name of the same kind in the same region.
func TestRender_AdversarialClaimsWithinAWSRulesOrRefused_X6_API07(t *testing.T) {
	requireTools(t)
	dir := t.TempDir()
	claims := append(generatedClaims(t, dir), writtenClaims(t, dir)...)
	seen := map[string]bool{}
	for _, c := range claims {
		if seen[c.name] {
			t.Fatalf("two adversarial claims named %s: the schema's report names claims by name", c.name)
		}
		seen[c.name] = true
	}
	refusedBySchema := schemaRefusals(t, dir)

	// names maps kind, region and AWS name to the suffix that made it. The
	// claims render two at a time (each is a chain of crossplane render
	// processes, one core each), inside a group that waits for them all.
	names := map[string]string{}
	var mu sync.Mutex
	t.Run("claims", func(t *testing.T) {
		for _, c := range claims {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				r := renderer(t)
				if msg, refused := refusedBySchema[c.name]; refused {
					if c.admitted || !strings.Contains(msg, "spec.parameters.") {
						t.Errorf("refused by the XRD schema: %s", msg)
						return
					}
					t.Logf("refused at kubectl apply: %s", msg)
					return
				}
				passes, _, err := r.Passes(c.file, 20)
				if err != nil {
					if msg := refusal(err, c.name); msg != "" || c.admitted {
						t.Errorf("%s%v", msg, err)
						return
					}
					t.Logf("refused by the function: %v", err)
					return
				}
				if len(passes) == 0 || len(passes) == 20 {
					t.Fatalf("no fixed point in 20 passes")
				}
				for _, v := range awsViolations(passes) {
					t.Error(v)
				}
				last := passes[len(passes)-1]
				suffix, _, _ := unstructured.NestedString(last[0].Object, "spec", "parameters", "environmentSuffix")
				mu.Lock()
				defer mu.Unlock()
				for _, d := range Managed(last) {
					region, _ := forProvider(d)["region"].(string)
					for _, n := range awsNames(d) {
						key := kindOf(d) + " " + region + " " + n
						if other, ok := names[key]; ok && other != suffix {
							t.Errorf("%s is made by environments %s and %s (X-6: names are injective)", key, other, suffix)
						}
						names[key] = suffix
					}
				}
			})
		}
	})
	if len(names) < 100 {
		t.Errorf("only %d AWS names compared between environments", len(names))
	}
}

// refusal says what is wrong with how the function refused a claim, or ""
// for a proper refusal: on the first pass, by the claim's own XR (nothing
// composed yet), as a fatal result naming a field of spec.parameters, not a
// panic or an internal error.
func refusal(err error, claim string) string {
	msg := err.Error()
	switch {
	case !strings.HasPrefix(msg, "pass 0: crossplane render PaymentPlatform "+claim+":"):
		return "refused half way, after composing something: "
	case !strings.Contains(msg, "fatal"):
		return "not a fatal result: "
	case strings.Contains(msg, "internal error") || strings.Contains(strings.ToLower(msg), "panic"):
		return "a panic or an internal error, not a refusal naming the field: "
	case !strings.Contains(msg, "spec.parameters."):
		return "the refusal names no field of spec.parameters: "
	}
	return ""
}

// TestRender_AdversarialRefusalRules: refusal tells a proper refusal from the
// ways a claim must not be refused.
func TestRender_AdversarialRefusalRules(t *testing.T) {
	const ok = "pass 0: crossplane render PaymentPlatform c: exit status 1: crossplane: error: pipeline step \"compose\" returned a fatal result: spec.parameters.network.cidr: Invalid value"
	for msg, want := range map[string]string{ //nolint:gosec // G101 reads render errors as credentials.
		ok: "",
		"pass 2: crossplane render PaymentPlatform c: fatal result: spec.parameters.x":               "half way",
		"pass 0: crossplane render Database c/database: fatal result: spec.parameters.x":             "half way",
		"pass 0: crossplane render PaymentPlatform c: exit status 1: spec.parameters.x":              "not a fatal",
		"pass 0: crossplane render PaymentPlatform c: fatal result: internal error: name spec.x":     "panic or an internal error",
		"pass 0: crossplane render PaymentPlatform c: fatal result: panic: x spec.parameters.region": "panic or an internal error",
		"pass 0: crossplane render PaymentPlatform c: fatal result: the region is wrong":             "names no field",
	} {
		if got := refusal(fmt.Errorf("%s", msg), "c"); want == "" && got != "" || !strings.Contains(got, want) {
			t.Errorf("refusal(%q) = %q, want %q", msg, got, want)
		}
	}
}
