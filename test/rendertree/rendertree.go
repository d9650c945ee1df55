// Package rendertree renders a PaymentPlatform claim through every level of
// nested composition with the Crossplane CLI (crossplane render): the claim, the
// layer XRs it composes, the XRs those compose, down to managed resources.
//
// crossplane render renders one XR. This package renders each composed XR of
// ours in turn with its own Composition and XRD, and can simulate AWS: pass n
// observes everything pass n-1 desired as created and ready, with made-up ids,
// so fixtures can step through the stages a real control plane goes through.
package rendertree

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	kyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"github.com/fintech-platform/payment-platform/functions/platform/fn"
)

// Group is the API group of the platform's own XRs.
const Group = "payments.platform.io"

// Renderer renders XR trees.
type Renderer struct {
	// Crank is the path of the crossplane CLI binary.
	Crank string
	// Root is the repository root.
	Root string
	// Target is the address of the running function, host:port.
	Target string
	// Work is a scratch directory.
	Work string

	// results are the function results of the last Render.
	results []string
}

// Results returns what the function said (warnings, notes) in the last pass
// Render or Passes rendered, one line per result: the XR's tree path, the
// severity and the message. crossplane render prints them as documents of
// kind Result; they are not part of the rendered tree.
func (r *Renderer) Results() []string { return slices.Clone(r.results) }

// State is what one pass saw at each XR of the tree, the input of the next
// pass's simulated observations. Keys are tree paths such as
// payments/network/endpoints.
type State struct {
	composed map[string][]*unstructured.Unstructured
	xrs      map[string]*unstructured.Unstructured
}

// NewState returns the state of a world where nothing exists yet.
func NewState() *State {
	return &State{composed: map[string][]*unstructured.Unstructured{}, xrs: map[string]*unstructured.Unstructured{}}
}

// Render renders the XR in file once, observing what prev says exists, and
// returns every rendered document (each XR followed by what it composes) and
// the state this pass leaves.
func (r *Renderer) Render(file string, prev *State) ([]*unstructured.Unstructured, *State, error) {
	b, err := os.ReadFile(file) //nolint:gosec // The file is the caller's claim.
	if err != nil {
		return nil, nil, err
	}
	docs, err := Parse(b)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(docs) != 1 {
		return nil, nil, fmt.Errorf("%s must hold exactly one XR, not %d documents", file, len(docs))
	}
	next := NewState()
	r.results = nil
	out, err := r.render(docs[0], docs[0].GetName(), prev, next)
	return out, next, err
}

// Passes renders up to n passes, each observing what the one before desired,
// and stops early at a fixed point: a pass whose output equals the previous
// one's, when everything exists and is ready. It returns the distinct passes
// and whether it reached the fixed point.
func (r *Renderer) Passes(file string, n int) ([][]*unstructured.Unstructured, bool, error) {
	var passes [][]*unstructured.Unstructured
	st := NewState()
	var last []byte
	for i := 0; i < n; i++ {
		docs, next, err := r.Render(file, st)
		if err != nil {
			return nil, false, fmt.Errorf("pass %d: %w", i, err)
		}
		y, err := Marshal(docs)
		if err != nil {
			return nil, false, err
		}
		if bytes.Equal(y, last) {
			return passes, true, nil
		}
		passes = append(passes, docs)
		last, st = y, next
	}
	return passes, false, nil
}

func (r *Renderer) render(xr *unstructured.Unstructured, path string, prev, next *State) ([]*unstructured.Unstructured, error) {
	l, ok := fn.Layer(xr.GetKind())
	if !ok {
		return nil, fmt.Errorf("the function composes no kind %s", xr.GetKind())
	}
	apis := filepath.Join(r.Root, "apis", l.Name())
	dir := filepath.Join(r.Work, strings.ReplaceAll(path, "/", "_"))
	if err := os.MkdirAll(dir, 0o750); err != nil { //nolint:gosec // Under the caller's work directory, named by our own tree paths.
		return nil, err
	}
	xrFile := filepath.Join(dir, "xr.yaml")
	if err := write(xrFile, []*unstructured.Unstructured{xr}); err != nil {
		return nil, err
	}
	args := []string{"render", xrFile,
		filepath.Join(apis, "composition.yaml"),
		filepath.Join(r.Root, "examples", "functions.yaml"),
		"--xrd", filepath.Join(apis, "definition.yaml"),
		"--include-full-xr",
		"--include-function-results",
		"--function-annotations", "render.crossplane.io/runtime-development-target=" + r.Target,
	}
	if obs := observe(path, prev); len(obs) > 0 {
		f := filepath.Join(dir, "observed.yaml")
		if err := write(f, obs); err != nil {
			return nil, err
		}
		args = append(args, "--observed-resources", f)
	}
	cmd := exec.Command(r.Crank, args...) //nolint:gosec // Our own CLI with our own files.
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	raw, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("crossplane render %s %s: %w: %s", xr.GetKind(), path, err, strings.TrimSpace(stderr.String()))
	}
	all, err := Parse(raw)
	if err != nil {
		return nil, err
	}
	docs := make([]*unstructured.Unstructured, 0, len(all))
	for _, d := range all {
		if d.GetKind() != "Result" {
			docs = append(docs, d)
			continue
		}
		sev, _, _ := unstructured.NestedString(d.Object, "severity")
		msg, _, _ := unstructured.NestedString(d.Object, "message")
		r.results = append(r.results, fmt.Sprintf("%s: %s: %s", path, strings.TrimPrefix(sev, "SEVERITY_"), msg))
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("crossplane render %s printed nothing", path)
	}
	next.xrs[path] = docs[0]
	next.composed[path] = docs[1:]

	out := []*unstructured.Unstructured{docs[0]}
	for _, d := range docs[1:] {
		if !isOurs(d) {
			out = append(out, d)
			continue
		}
		name := resourceName(d)
		d.SetName(d.GetGenerateName() + name)
		child, err := r.render(d, path+"/"+name, prev, next)
		if err != nil {
			return nil, err
		}
		out = append(out, child...)
	}
	return out, nil
}

// observe returns the observed composed resources of the XR at path: what the
// previous pass desired there, as AWS would report it once created and ready.
func observe(path string, prev *State) []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	for _, d := range prev.composed[path] {
		name := resourceName(d)
		if isOurs(d) {
			if x, ok := prev.xrs[path+"/"+name]; ok {
				out = append(out, x.DeepCopy())
			}
			continue
		}
		o := d.DeepCopy()
		o.SetName(o.GetGenerateName() + name)
		Observe(o, path+"/"+name)
		out = append(out, o)
	}
	return out
}

// UsageAPIVersion is the API version of Crossplane's namespaced Usage (SPEC X-8).
const UsageAPIVersion = "protection.crossplane.io/v1beta1"

// Account is the made-up account id the simulation reports.
const Account = "123456789012"

// Observe gives o what the provider reports once the resource exists in
// AWS: ready and synced, with ids derived from its path so they are stable.
func Observe(o *unstructured.Unstructured, path string) {
	if o.GetAPIVersion() == UsageAPIVersion {
		// Crossplane's usage controller, not a provider, reports a Usage: Ready
		// (reason Available) once both sides resolve, and nothing else.
		_ = unstructured.SetNestedSlice(o.Object, []any{
			map[string]any{"type": "Ready", "status": "True", "reason": "Available", "lastTransitionTime": "2024-01-01T00:00:00Z"},
		}, "status", "conditions")
		return
	}
	sum := sha256.Sum256([]byte(path))
	h := hex.EncodeToString(sum[:])
	region, _, _ := unstructured.NestedString(o.Object, "spec", "forProvider", "region")
	id := idPrefix(o.GetKind()) + h[:17]
	svc := strings.SplitN(o.GetAPIVersion(), ".", 2)[0]
	at := map[string]any{
		"id":                        id,
		"arn":                       fmt.Sprintf("arn:aws:%s:%s:%s:%s/%s", svc, region, Account, strings.ToLower(o.GetKind()), id),
		"ownerId":                   Account,
		"primaryNetworkInterfaceId": "eni-" + h[17:34],
		"publicIp":                  fmt.Sprintf("198.51.100.%d", sum[0]%250+1),
		"endpoint":                  strings.ToLower(o.GetKind()) + "-" + h[:8] + "." + region + ".rds.amazonaws.com",
	}
	switch o.GetKind() {
	case "Cluster":
		at["readerEndpoint"] = "reader-" + h[:8] + "." + region + ".rds.amazonaws.com"
		at["clusterResourceId"] = "cluster-" + strings.ToUpper(h[:26])
		at["masterUserSecret"] = []any{map[string]any{
			"secretArn":    fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:rds!cluster-%s", region, Account, h[:12]),
			"secretStatus": "active",
		}}
	case "Proxy":
		at["arn"] = fmt.Sprintf("arn:aws:rds:%s:%s:db-proxy:prx-%s", region, Account, h[:17])
	case "Key":
		// A key's id is a UUID, its ARN ends key/<id> (the layers given a
		// key ARN check its shape); a reference to a key by key id (an RDS
		// master secret's key, say) reads keyId.
		kid := h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
		at["keyId"] = kid
		at["arn"] = fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", region, Account, kid)
	case "Object":
		// An object of a versioned bucket (the API layer's truststore).
		at["versionId"] = h[:32]
	case "RestAPI":
		// Where a REST API's resources hang (a Resource's parentId).
		at["rootResourceId"] = h[:10]
	case "DomainName":
		// A regional custom domain's alias target, for the tenant's DNS.
		at["regionalDomainName"] = "d-" + h[:10] + ".execute-api." + region + ".amazonaws.com"
		at["regionalZoneId"] = "Z1UJRXOUMOOFQ8"
	case "Stage":
		stage, _, _ := unstructured.NestedString(o.Object, "spec", "forProvider", "stageName")
		at["invokeUrl"] = "https://" + h[:10] + ".execute-api." + region + ".amazonaws.com/" + stage
	case "LB":
		// The shape of an ALB's ARN, which a web ACL association and the
		// API layer's integrations check, and its DNS name.
		name, _, _ := unstructured.NestedString(o.Object, "spec", "forProvider", "name")
		at["arn"] = fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/%s", region, Account, name, h[:16])
		at["dnsName"] = fmt.Sprintf("internal-%s-%d.%s.elb.amazonaws.com", name, sum[1], region)
	case "LBTargetGroup":
		// Its ARN's tail targetgroup/<name>/<id> is the TargetGroup
		// dimension the observability layer reads.
		name, _, _ := unstructured.NestedString(o.Object, "spec", "forProvider", "name")
		at["arn"] = fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/%s", region, Account, name, h[:16])
	case "WebACL":
		// A regional web ACL's ARN: its name (WAF's WebACL dimension), then a UUID.
		name, _, _ := unstructured.NestedString(o.Object, "spec", "forProvider", "name")
		at["arn"] = fmt.Sprintf("arn:aws:wafv2:%s:%s:regional/webacl/%s/%s-%s-%s-%s-%s", region, Account, name, h[:8], h[8:12], h[12:16], h[16:20], h[20:32])
	case "Topic":
		// An SNS topic's ARN ends with its name, which alarms notify.
		at["arn"] = fmt.Sprintf("arn:aws:sns:%s:%s:%s", region, Account, o.GetAnnotations()["crossplane.io/external-name"])
	case "Queue":
		// An SQS queue's ARN and URL end with its name, which the messaging
		// layer's worker and event source mapping read.
		name, _, _ := unstructured.NestedString(o.Object, "spec", "forProvider", "name")
		at["arn"] = fmt.Sprintf("arn:aws:sqs:%s:%s:%s", region, Account, name)
		at["url"] = fmt.Sprintf("https://sqs.%s.amazonaws.com/%s/%s", region, Account, name)
	case "Function":
		at["arn"] = fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", region, Account, o.GetAnnotations()["crossplane.io/external-name"])
	case "Bucket":
		// A bucket's ARN holds its name and neither region nor account.
		at["arn"] = "arn:aws:s3:::" + o.GetAnnotations()["crossplane.io/external-name"]
	case "Repository":
		name := o.GetAnnotations()["crossplane.io/external-name"]
		at["repositoryUrl"] = fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s", Account, region, name)
	}
	_ = unstructured.SetNestedMap(o.Object, at, "status", "atProvider")
	_ = unstructured.SetNestedSlice(o.Object, []any{
		map[string]any{"type": "Ready", "status": "True", "reason": "Available", "lastTransitionTime": "2024-01-01T00:00:00Z"},
		map[string]any{"type": "Synced", "status": "True", "reason": "ReconcileSuccess", "lastTransitionTime": "2024-01-01T00:00:00Z"},
	}, "status", "conditions")
}

func idPrefix(kind string) string {
	switch kind {
	case "VPC":
		return "vpc-"
	case "Subnet":
		return "subnet-"
	case "Instance":
		return "i-"
	case "SecurityGroup", "DefaultSecurityGroup":
		return "sg-"
	case "RouteTable":
		return "rtb-"
	case "InternetGateway":
		return "igw-"
	case "VPCEndpoint":
		return "vpce-"
	case "LaunchTemplate":
		return "lt-"
	}
	return strings.ToLower(kind) + "-"
}

func isOurs(d *unstructured.Unstructured) bool {
	return strings.HasPrefix(d.GetAPIVersion(), Group+"/")
}

func resourceName(d *unstructured.Unstructured) string {
	return d.GetAnnotations()["crossplane.io/composition-resource-name"]
}

// Parse splits a YAML stream into objects, skipping empty documents.
func Parse(b []byte) ([]*unstructured.Unstructured, error) {
	dec := kyaml.NewYAMLOrJSONDecoder(bytes.NewReader(b), 4096)
	var out []*unstructured.Unstructured
	for {
		m := map[string]any{}
		if err := dec.Decode(&m); err != nil {
			if err.Error() == "EOF" {
				return out, nil
			}
			return nil, err
		}
		if len(m) > 0 {
			out = append(out, &unstructured.Unstructured{Object: m})
		}
	}
}

// Marshal writes objects as a YAML stream with sorted keys.
func Marshal(docs []*unstructured.Unstructured) ([]byte, error) {
	var buf bytes.Buffer
	for _, d := range docs {
		y, err := yaml.Marshal(d.Object)
		if err != nil {
			return nil, err
		}
		buf.WriteString("---\n")
		buf.Write(y)
	}
	return buf.Bytes(), nil
}

func write(file string, docs []*unstructured.Unstructured) error {
	y, err := Marshal(docs)
	if err != nil {
		return err
	}
	return os.WriteFile(file, y, 0o600) //nolint:gosec // Files under the work directory or the test's temp directory.
}

// Kinds returns the kinds of the documents, sorted, with their counts.
func Kinds(docs []*unstructured.Unstructured) map[string]int {
	k := map[string]int{}
	for _, d := range docs {
		k[d.GetKind()]++
	}
	return k
}

// Managed returns the managed resources among docs: everything neither ours
// nor a Usage, which is Crossplane's own kind.
func Managed(docs []*unstructured.Unstructured) []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	for _, d := range docs {
		if !isOurs(d) && d.GetAPIVersion() != UsageAPIVersion {
			out = append(out, d)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].GetKind() < out[j].GetKind() })
	return out
}

// Unset returns the declared leaf fields of schema that v lacks.
func Unset(schema map[string]any, v any, path string) []string {
	props, _ := schema["properties"].(map[string]any)
	if len(props) == 0 {
		if v == nil || v == "" {
			return []string{path}
		}
		return nil
	}
	m, _ := v.(map[string]any)
	var out []string
	for k, s := range props {
		if k == "conditions" {
			continue
		}
		sm, _ := s.(map[string]any)
		out = append(out, Unset(sm, m[k], path+"."+k)...)
	}
	sort.Strings(out)
	return out
}
