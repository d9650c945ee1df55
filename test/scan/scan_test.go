package scan

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// The render in testdata/rendered.yaml is a copy of part of what
// examples/paymentplatform/full.yaml renders (network, NAT instances, keys and
// the database cluster, settled pass). This test breaks it the ways a builder
// could and expects trivy, through the converter, to name each break: proof
// that make scan can fail, and that linked resources are judged together.
func TestScan_BrokenRenderFails(t *testing.T) {
	trivy := os.Getenv("TRIVY")
	if trivy == "" {
		t.Skip("TRIVY is not set: make scan builds bin/trivy and runs this test with it")
	}
	b, err := os.ReadFile(filepath.Join("testdata", "rendered.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	good, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	broken, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}

	breaks := []struct {
		reason string
		kind   string
		name   string // composition resource name
		edit   func(fp map[string]any)
		// want is the check trivy must fail, on resource.
		want, resource string
	}{
		{
			reason: "RDS cluster storage unencrypted",
			kind:   "Cluster", name: "cluster",
			edit: func(fp map[string]any) {
				fp["storageEncrypted"] = false
				delete(fp, "kmsKeyIdSelector")
			},
			want: "AWS-0079", resource: "aws_rds_cluster.payments-database_cluster",
		},
		{
			reason: "SSH open to the world on a security-group rule",
			kind:   "SecurityGroupIngressRule", name: "security-group-ingress-https",
			edit: func(fp map[string]any) {
				fp["fromPort"], fp["toPort"], fp["cidrIpv4"] = int64(22), int64(22), "0.0.0.0/0"
			},
			want: "AWS-0107", resource: "aws_vpc_security_group_ingress_rule.payments-endpoints_security-group-ingress-https",
		},
		{
			reason: "a private subnet that gives its instances public IPs",
			kind:   "Subnet", name: "subnet-private-us-east-1a",
			edit: func(fp map[string]any) { fp["mapPublicIpOnLaunch"] = true },
			want: "AWS-0164", resource: "aws_subnet.payments-network_subnet-private-us-east-1a",
		},
		{
			reason: "a log group without a KMS key",
			kind:   "Group", name: "flow-log-group",
			edit: func(fp map[string]any) { delete(fp, "kmsKeyIdSelector") },
			want: "AWS-0017", resource: "aws_cloudwatch_log_group.payments-network_flow-log-group",
		},
	}
	for _, br := range breaks {
		o := find(broken, br.kind, br.name)
		if o == nil {
			t.Fatalf("%s: no %s %q in testdata/rendered.yaml", br.reason, br.kind, br.name)
		}
		fp, _, _ := unstructured.NestedMap(o.Object, "spec", "forProvider")
		br.edit(fp)
		if err := unstructured.SetNestedMap(o.Object, fp, "spec", "forProvider"); err != nil {
			t.Fatal(err)
		}
	}

	dir := t.TempDir()
	c := &Converter{Provider: testProvider(t)}
	for sub, docs := range map[string][]*unstructured.Unstructured{"good": good, "broken": broken} {
		cv, err := c.Convert(docs)
		if err != nil {
			t.Fatal(err)
		}
		hcl, err := c.HCL(cv)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, sub, "main.tf"), hcl, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	findings, err := Trivy(t.Context(), trivy, t.TempDir(), dir)
	if err != nil {
		t.Fatal(err)
	}
	in := func(target, id, resource string) bool {
		return slices.ContainsFunc(findings, func(f Finding) bool {
			return f.Target == target && f.Is(id) && f.Resource == resource
		})
	}
	for _, br := range breaks {
		if in("good/main.tf", br.want, br.resource) {
			t.Errorf("%s: %s on %s before the break; the test proves nothing", br.reason, br.want, br.resource)
		}
		if !in("broken/main.tf", br.want, br.resource) {
			t.Errorf("%s: trivy did not report %s on %s", br.reason, br.want, br.resource)
		}
	}
	if t.Failed() {
		for _, f := range findings {
			t.Logf("%s: %s", f.Target, f)
		}
	}
}

// find returns the object of kind with composition resource name name.
func find(docs []*unstructured.Unstructured, kind, name string) *unstructured.Unstructured {
	for _, d := range docs {
		if d.GetKind() == kind && d.GetAnnotations()[compositionResourceName] == name {
			return d
		}
	}
	return nil
}
