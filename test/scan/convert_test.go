package scan

import (
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/crossplane/function-sdk-go/resource/composed"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/fintech-platform/payment-platform/functions/platform/fn"
)

var (
	providerOnce sync.Once
	provider     *Provider
	providerErr  error
)

// testProvider loads the provider's schema once for every test.
func testProvider(t *testing.T) *Provider {
	t.Helper()
	providerOnce.Do(func() {
		var dir string
		dir, providerErr = ProviderDir()
		if providerErr == nil {
			provider, providerErr = LoadProvider(dir)
		}
	})
	if providerErr != nil {
		t.Fatal(providerErr)
	}
	return provider
}

// convert converts a YAML stream and parses the HCL it writes back, so tests
// read what a scanner reads.
func convert(t *testing.T, stream string) (*Converted, string, *hclsyntax.Body) {
	t.Helper()
	docs, err := Parse([]byte(stream))
	if err != nil {
		t.Fatal(err)
	}
	c := &Converter{Provider: testProvider(t)}
	cv, err := c.Convert(docs)
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.HCL(cv)
	if err != nil {
		t.Fatal(err)
	}
	f, diags := hclsyntax.ParseConfig(b, "main.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("the HCL written does not parse: %v\n%s", diags, b)
	}
	return cv, string(b), f.Body.(*hclsyntax.Body)
}

// resource returns the body of resource block typ.name.
func resource(t *testing.T, b *hclsyntax.Body, typ, name string) *hclsyntax.Body {
	t.Helper()
	for _, blk := range b.Blocks {
		if blk.Type == "resource" && len(blk.Labels) == 2 && blk.Labels[0] == typ && blk.Labels[1] == name {
			return blk.Body
		}
	}
	t.Fatalf("no resource %s.%s", typ, name)
	return nil
}

// refs spells the references an attribute's expression makes, type.name.attr each.
func refs(t *testing.T, b *hclsyntax.Body, attr string) []string {
	t.Helper()
	a, ok := b.Attributes[attr]
	if !ok {
		t.Fatalf("no attribute %s", attr)
	}
	var out []string
	for _, tr := range a.Expr.Variables() {
		parts := []string{tr.RootName()}
		for _, s := range tr[1:] {
			if at, ok := s.(hcl.TraverseAttr); ok {
				parts = append(parts, at.Name)
			}
		}
		out = append(out, strings.Join(parts, "."))
	}
	return out
}

// two XRs of the same kind compose look-alike resources: selectors with
// matchControllerRef must pick their own XR's.
const twoNetworks = `
apiVersion: ec2.aws.m.upbound.io/v1beta1
kind: VPC
metadata:
  name: a-vpc
  namespace: ns
  labels: {component: vpc}
  annotations: {crossplane.io/composition-resource-name: vpc}
  ownerReferences: [{apiVersion: payments.platform.io/v1alpha1, kind: Network, name: a, controller: true, uid: ""}]
spec: {forProvider: {region: us-east-1, cidrBlock: 10.0.0.0/16}}
---
apiVersion: ec2.aws.m.upbound.io/v1beta1
kind: VPC
metadata:
  name: b-vpc
  namespace: ns
  labels: {component: vpc}
  annotations: {crossplane.io/composition-resource-name: vpc}
  ownerReferences: [{apiVersion: payments.platform.io/v1alpha1, kind: Network, name: b, controller: true, uid: ""}]
spec: {forProvider: {region: us-east-1, cidrBlock: 10.1.0.0/16}}
---
apiVersion: cloudwatchlogs.aws.m.upbound.io/v1beta1
kind: Group
metadata:
  name: b-log-group
  namespace: ns
  labels: {component: flow-logs}
  annotations: {crossplane.io/composition-resource-name: log-group}
  ownerReferences: [{apiVersion: payments.platform.io/v1alpha1, kind: Network, name: b, controller: true, uid: ""}]
spec: {forProvider: {region: us-east-1, retentionInDays: 2557, kmsKeyIdSelector: {matchLabels: {purpose: logs}}}}
---
apiVersion: kms.aws.m.upbound.io/v1beta1
kind: Key
metadata:
  name: keys-logs
  namespace: ns
  labels: {purpose: logs}
  annotations: {crossplane.io/composition-resource-name: key-logs}
  ownerReferences: [{apiVersion: payments.platform.io/v1alpha1, kind: KeySet, name: keys, controller: true, uid: ""}]
spec: {forProvider: {region: us-east-1, enableKeyRotation: true}}
---
apiVersion: ec2.aws.m.upbound.io/v1beta1
kind: FlowLog
metadata:
  name: b-flow-log
  namespace: ns
  labels: {component: flow-logs}
  annotations: {crossplane.io/composition-resource-name: flow-log}
  ownerReferences: [{apiVersion: payments.platform.io/v1alpha1, kind: Network, name: b, controller: true, uid: ""}]
spec:
  forProvider:
    region: us-east-1
    trafficType: ALL
    vpcIdSelector: {matchControllerRef: true, matchLabels: {component: vpc}}
    logDestinationSelector: {matchControllerRef: true, matchLabels: {component: flow-logs}}
    iamRoleArnSelector: {matchControllerRef: true, matchLabels: {component: flow-logs}}
---
apiVersion: ec2.aws.m.upbound.io/v1beta1
kind: SecurityGroup
metadata:
  name: b-sg
  namespace: ns
  labels: {component: nat}
  annotations: {crossplane.io/composition-resource-name: security-group}
  ownerReferences: [{apiVersion: payments.platform.io/v1alpha1, kind: Network, name: b, controller: true, uid: ""}]
spec:
  forProvider:
    region: us-east-1
    name: nat-b
    vpcIdSelector: {matchControllerRef: true, matchLabels: {component: vpc}}
---
apiVersion: ec2.aws.m.upbound.io/v1beta1
kind: SecurityGroupIngressRule
metadata:
  name: b-ingress
  namespace: ns
  annotations: {crossplane.io/composition-resource-name: ingress}
  ownerReferences: [{apiVersion: payments.platform.io/v1alpha1, kind: Network, name: b, controller: true, uid: ""}]
spec:
  forProvider:
    region: us-east-1
    ipProtocol: tcp
    fromPort: 443
    toPort: 443
    cidrIpv4: 10.1.0.0/16
    securityGroupIdSelector: {matchControllerRef: true, matchLabels: {component: nat}}
---
apiVersion: ec2.aws.m.upbound.io/v1beta1
kind: LaunchTemplate
metadata:
  name: b-lt
  namespace: ns
  annotations: {crossplane.io/composition-resource-name: launch-template}
  ownerReferences: [{apiVersion: payments.platform.io/v1alpha1, kind: Network, name: b, controller: true, uid: ""}]
spec:
  forProvider:
    region: us-east-1
    name: lt-b
    metadataOptions: {httpTokens: required, httpEndpoint: enabled}
    blockDeviceMappings: [{deviceName: /dev/xvda, ebs: {encrypted: "true", volumeSize: 8}}]
---
apiVersion: ec2.aws.m.upbound.io/v1beta1
kind: Instance
metadata:
  name: b-instance
  namespace: ns
  annotations: {crossplane.io/composition-resource-name: instance}
  ownerReferences: [{apiVersion: payments.platform.io/v1alpha1, kind: Network, name: b, controller: true, uid: ""}]
spec:
  forProvider:
    region: us-east-1
    launchTemplate: {name: lt-b}
    subnetId: subnet-0123456789abcdef0
    subnetIdSelector: {matchLabels: {component: subnet}}
    vpcSecurityGroupIdSelector: {matchControllerRef: true}
---
apiVersion: payments.platform.io/v1alpha1
kind: Network
metadata: {name: b, namespace: ns}
spec: {parameters: {environmentSuffix: b}}
`

func TestConvert_SelectorsBecomeReferencesWithinTheirXR(t *testing.T) {
	cv, _, body := convert(t, twoNetworks)
	if got := len(cv.Resources); got != 9 {
		t.Errorf("converted %d resources, want the 9 managed ones (the XR is not one)", got)
	}
	cases := map[string]struct {
		reason    string
		typ, name string
		attr      string
		want      []string
	}{
		"FlowLogVPC": {
			reason: "matchControllerRef picks the VPC of the flow log's own XR, not the other look-alike",
			typ:    "aws_flow_log", name: "b_flow-log", attr: "vpc_id",
			want: []string{"aws_vpc.b_vpc.id"},
		},
		"FlowLogDestination": {
			reason: "the provider extracts the log group's ARN for a flow log destination",
			typ:    "aws_flow_log", name: "b_flow-log", attr: "log_destination",
			want: []string{"aws_cloudwatch_log_group.b_log-group.arn"},
		},
		"LogGroupKeyAcrossXRs": {
			reason: "a label selector without matchControllerRef reaches another XR's resource",
			typ:    "aws_cloudwatch_log_group", name: "b_log-group", attr: "kms_key_id",
			want: []string{"aws_kms_key.keys_key-logs.arn"},
		},
		"RuleToItsGroup": {
			reason: "a security-group rule refers to its group, so a scanner sees the rule as the group's",
			typ:    "aws_vpc_security_group_ingress_rule", name: "b_ingress", attr: "security_group_id",
			want: []string{"aws_security_group.b_security-group.id"},
		},
		"InstanceGroups": {
			reason: "a list selector with matchControllerRef only picks every security group of the XR",
			typ:    "aws_instance", name: "b_instance", attr: "vpc_security_group_ids",
			want: []string{"aws_security_group.b_security-group.id"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := refs(t, resource(t, body, tc.typ, tc.name), tc.attr)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s\n%s.%s %s refers to %v, want %v", tc.reason, tc.typ, tc.name, tc.attr, got, tc.want)
			}
		})
	}

	// The flow log's role is not in the stream: it is an input, given from
	// elsewhere, as the provider would wait for a Role to match.
	want := Input{Variable: "b_flow-log_iamRoleArn", Resource: "aws_flow_log.b_flow-log", Field: "spec.forProvider.iamRoleArn", Target: "Role"}
	if !reflect.DeepEqual(cv.Inputs, []Input{want}) {
		t.Errorf("inputs %+v, want %+v", cv.Inputs, want)
	}
	if got := refs(t, resource(t, body, "aws_flow_log", "b_flow-log"), "iam_role_arn"); !reflect.DeepEqual(got, []string{"var.b_flow-log_iamRoleArn"}) {
		t.Errorf("iam_role_arn refers to %v, want the input variable", got)
	}
	var declared bool
	for _, blk := range body.Blocks {
		declared = declared || blk.Type == "variable" && blk.Labels[0] == want.Variable
	}
	if !declared {
		t.Errorf("variable %s is not declared", want.Variable)
	}
}

func TestConvert_ValueAlreadySetWins(t *testing.T) {
	_, _, body := convert(t, twoNetworks)
	a := resource(t, body, "aws_instance", "b_instance").Attributes["subnet_id"]
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() || v.AsString() != "subnet-0123456789abcdef0" {
		t.Errorf("subnet_id = %#v, want the literal the render set (the provider resolves a selector only for an empty field)", v)
	}
}

func TestConvert_NestedBlocksAreBlocks(t *testing.T) {
	_, src, body := convert(t, twoNetworks)
	lt := resource(t, body, "aws_launch_template", "b_launch-template")
	var blocks []string
	for _, b := range lt.Blocks {
		blocks = append(blocks, b.Type)
		for _, inner := range b.Body.Blocks {
			blocks = append(blocks, b.Type+"."+inner.Type)
		}
	}
	want := []string{"block_device_mappings", "block_device_mappings.ebs", "metadata_options"}
	if !reflect.DeepEqual(blocks, want) {
		t.Errorf("launch template blocks %v, want %v (a scanner reads nested settings only from blocks)\n%s", blocks, want, src)
	}
	if _, ok := resource(t, body, "aws_instance", "b_instance").Attributes["launch_template"]; ok {
		t.Error("the instance's launch_template is an attribute, want a block")
	}
	if _, ok := resource(t, body, "aws_cloudwatch_log_group", "b_log-group").Attributes["retention_in_days"]; !ok {
		t.Error("the log group's retention_in_days is not an attribute")
	}
}

func TestConvert_SameLabelTwiceIsAnError(t *testing.T) {
	docs, err := Parse([]byte(`
apiVersion: ec2.aws.m.upbound.io/v1beta1
kind: VPC
metadata: {name: vpc, namespace: a}
spec: {forProvider: {region: us-east-1}}
---
apiVersion: ec2.aws.m.upbound.io/v1beta1
kind: VPC
metadata: {name: vpc, namespace: b}
spec: {forProvider: {region: us-east-1}}
`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&Converter{Provider: testProvider(t)}).Convert(docs); err == nil {
		t.Error("two resources converted to the same Terraform address without an error")
	}
}

// Every kind the function composes converts: it is registered, it is a
// Terraform-backed type with a schema, and its references can be read. A layer
// that composes a new kind is covered the day it lands.
func TestConvert_EveryComposedKind(t *testing.T) {
	p := testProvider(t)
	kinds := fn.ManagedKinds()
	if len(kinds) == 0 {
		t.Fatal("the function composes no kinds")
	}
	for _, gvk := range kinds {
		o, err := composed.Scheme.New(gvk)
		if err != nil {
			t.Errorf("%s: %v", gvk, err)
			continue
		}
		tf, ok := o.(terraformed)
		if !ok {
			t.Errorf("%s is not Terraform-backed", gvk)
			continue
		}
		if _, ok := p.Schema(tf.GetTerraformResourceType()); !ok {
			t.Errorf("%s: no Terraform schema for %s", gvk, tf.GetTerraformResourceType())
		}
		refs, err := p.Refs(gvk, reflect.TypeOf(o).Elem())
		if err != nil {
			t.Errorf("%s: %v", gvk, err)
		}
		for _, r := range refs {
			if r.Scalar && r.Attr == "" {
				t.Errorf("%s %s: the provider extracts the value in a way the converter does not know", gvk.Kind, strings.Join(r.Value, "."))
			}
		}
	}
}
