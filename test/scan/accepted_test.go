package scan

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestJudge(t *testing.T) {
	subnet := Finding{ID: "AVD-AWS-0164", AVDID: "AVD-AWS-0164", Resource: "aws_subnet.n_subnet-public-a", Example: "examples/network/network.yaml"}
	cluster := Finding{ID: "AVD-AWS-0343", AVDID: "AVD-AWS-0343", Resource: "aws_rds_cluster.p_cluster", Example: "examples/paymentplatform/full.yaml"}
	cases := map[string]struct {
		reason   string
		findings []Finding
		accepted []Acceptance
		want     Verdict
	}{
		"Accepted": {
			reason:   "a pattern of addresses accepts the finding, with or without the AVD- prefix",
			findings: []Finding{subnet},
			accepted: []Acceptance{{ID: "AWS-0164", Resource: "aws_subnet.*_subnet-public-*", Reason: "NAT"}},
			want:     Verdict{Accepted: []Finding{subnet}},
		},
		"New": {
			reason:   "a finding no acceptance matches is new, and the acceptance for another check is stale",
			findings: []Finding{cluster},
			accepted: []Acceptance{{ID: "AVD-AWS-0164", Resource: "aws_subnet.*", Reason: "NAT"}},
			want:     Verdict{New: []Finding{cluster}, Stale: []Acceptance{{ID: "AVD-AWS-0164", Resource: "aws_subnet.*", Reason: "NAT"}}},
		},
		"OtherExample": {
			reason:   "an acceptance limited to some examples does not accept the same finding elsewhere",
			findings: []Finding{cluster},
			accepted: []Acceptance{{ID: "AVD-AWS-0343", Resource: "aws_rds_cluster.*", Examples: []string{"examples/database/*"}, Reason: "dev"}},
			want:     Verdict{New: []Finding{cluster}, Stale: []Acceptance{{ID: "AVD-AWS-0343", Resource: "aws_rds_cluster.*", Examples: []string{"examples/database/*"}, Reason: "dev"}}},
		},
		"Stale": {
			reason:   "an acceptance that matches nothing is stale: the scan fails until it goes",
			accepted: []Acceptance{{ID: "AVD-AWS-0164", Resource: "aws_subnet.*", Reason: "NAT"}},
			want:     Verdict{Stale: []Acceptance{{ID: "AVD-AWS-0164", Resource: "aws_subnet.*", Reason: "NAT"}}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := Judge(tc.findings, tc.accepted)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s\nJudge() = %+v\nwant      %+v", tc.reason, got, tc.want)
			}
			if got.Failed() != (len(tc.want.New)+len(tc.want.Stale) > 0) {
				t.Errorf("Failed() = %v", got.Failed())
			}
		})
	}
}

func TestLoadAccepted(t *testing.T) {
	if _, err := LoadAccepted("accepted.yaml"); err != nil {
		t.Errorf("the repository's accepted findings: %v", err)
	}
	cases := map[string]string{
		"NoReason":     "accepted:\n- {id: AVD-AWS-0164, resource: 'aws_subnet.*', reason: ' '}\n",
		"NoResource":   "accepted:\n- {id: AVD-AWS-0164, reason: NAT}\n",
		"BadPattern":   "accepted:\n- {id: AVD-AWS-0164, resource: 'aws_subnet.[', reason: NAT}\n",
		"UnknownField": "accepted:\n- {id: AVD-AWS-0164, resource: 'aws_subnet.*', reason: NAT, until: never}\n",
	}
	for name, y := range cases {
		t.Run(name, func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "accepted.yaml")
			if err := os.WriteFile(f, []byte(y), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := LoadAccepted(f); err == nil {
				t.Errorf("%q loaded without an error", y)
			}
		})
	}
}

func TestExamples_FoundByAPIVersionWhereverTheyAre(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"examples/functions.yaml":             "apiVersion: pkg.crossplane.io/v1\nkind: Function\nmetadata: {name: f}\n",
		"examples/network/network.yaml":       "apiVersion: payments.platform.io/v1alpha1\nkind: Network\nmetadata: {name: n}\n",
		"examples/paymentplatform/full.yaml":  "# a claim\napiVersion: payments.platform.io/v1alpha1\nkind: PaymentPlatform\nmetadata: {name: p}\n",
		"examples/paymentplatform/README.md":  "apiVersion: payments.platform.io/v1alpha1\n",
		"examples/other/provider-config.yaml": "apiVersion: aws.m.upbound.io/v1beta1\nkind: ProviderConfig\nmetadata: {name: default}\n",
	}
	for f, s := range files {
		p := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Examples(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"examples/network/network.yaml", "examples/paymentplatform/full.yaml"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Examples() = %v, want %v", got, want)
	}
}

func TestParseReport(t *testing.T) {
	report := `{"Results":[{"Target":"examples/network/network/main.tf","Misconfigurations":[
	  {"ID":"AWS-0164","AVDID":"AVD-AWS-0164","Title":"Instances in a subnet should not receive a public IP address by default.","Severity":"HIGH","Status":"FAIL","CauseMetadata":{"Resource":"aws_subnet.n_subnet-public-a"}},
	  {"ID":"AWS-0017","AVDID":"AVD-AWS-0017","Status":"PASS","CauseMetadata":{"Resource":"aws_cloudwatch_log_group.n_log-group"}}]}]}`
	got, err := parseReport([]byte(report))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].Is("AVD-AWS-0164") || !got[0].Is("AWS-0164") || got[0].Resource != "aws_subnet.n_subnet-public-a" {
		t.Errorf("parseReport() = %+v, want the one failed check", got)
	}
	if _, err := parseReport([]byte("not json")); err == nil || !strings.Contains(err.Error(), "report") {
		t.Errorf("a broken report: %v", err)
	}
}
