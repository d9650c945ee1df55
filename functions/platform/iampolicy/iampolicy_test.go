package iampolicy

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
)

func TestJSON_ValidDeterministicDocument_CMP4(t *testing.T) {
	cases := map[string][]Statement{
		"no statement": nil,
		"allow":        {Allow("Send", []string{"sqs:SendMessage"}, "arn:aws:sqs:us-east-1:123456789012:q")},
		"principal and conditions": {{
			Sid:       "Use",
			Effect:    "Allow",
			Principal: Account("123456789012"),
			Action:    []string{"kms:Decrypt", "kms:Encrypt"},
			Resource:  []string{"*"},
			Condition: map[string]map[string]any{
				"StringEquals": {"kms:ViaService": []any{"sqs.us-east-1.amazonaws.com"}, "kms:CallerAccount": "123456789012", "aws:SourceAccount": "123456789012"},
				"ArnLike":      {"aws:SourceArn": "arn:aws:logs:us-east-1:123456789012:*"},
			},
		}},
		"special characters": {Allow("Quote", []string{"s3:GetObject"}, `arn:aws:s3:::b/"<&>"/*`)},
	}
	for name, st := range cases {
		t.Run(name, func(t *testing.T) {
			got := JSON(st...)
			if again := JSON(st...); again != got {
				t.Fatalf("JSON is not deterministic:\n%s\n%s", got, again)
			}
			var doc Document
			if err := json.Unmarshal([]byte(got), &doc); err != nil {
				t.Fatalf("JSON is not valid JSON: %v\n%s", err, got)
			}
			if doc.Version != Version || Version != "2012-10-17" {
				t.Errorf("Version = %q, want 2012-10-17", doc.Version)
			}
			if len(doc.Statement) != len(st) {
				t.Errorf("got %d statements, want %d", len(doc.Statement), len(st))
			}
			for i := range st {
				if doc.Statement[i].Effect != st[i].Effect || strings.Join(doc.Statement[i].Action, ",") != strings.Join(st[i].Action, ",") ||
					strings.Join(doc.Statement[i].Resource, ",") != strings.Join(st[i].Resource, ",") {
					t.Errorf("statement %d round-trips as %+v, want %+v", i, doc.Statement[i], st[i])
				}
			}
		})
	}
}

func TestJSON_ConditionKeysSorted_CMP4(t *testing.T) {
	got := JSON(Statement{
		Effect:   "Allow",
		Action:   []string{"kms:Decrypt"},
		Resource: []string{"*"},
		Condition: map[string]map[string]any{
			"StringLike":   {"z:key": "1", "a:key": "2", "m:key": "3"},
			"ArnLike":      {"aws:SourceArn": "arn"},
			"StringEquals": {"b:key": "4"},
		},
	})
	for _, order := range [][]string{
		{`"ArnLike"`, `"StringEquals"`, `"StringLike"`},
		{`"a:key"`, `"m:key"`, `"z:key"`},
	} {
		idx := make([]int, len(order))
		for i, k := range order {
			idx[i] = strings.Index(got, k)
			if idx[i] < 0 {
				t.Fatalf("%s missing from %s", k, got)
			}
		}
		if !sort.IntsAreSorted(idx) {
			t.Errorf("keys %v are not in sorted order in %s", order, got)
		}
	}
}

func TestJSON_OmitsEmptyFields_CMP4(t *testing.T) {
	got := JSON(Allow("", []string{"s3:GetObject"}))
	for _, k := range []string{`"Sid"`, `"Principal"`, `"Resource"`, `"Condition"`} {
		if strings.Contains(got, k) {
			t.Errorf("JSON %s has %s though the statement leaves it empty", got, k)
		}
	}
	for _, k := range []string{`"Effect":"Allow"`, `"Action":["s3:GetObject"]`} {
		if !strings.Contains(got, k) {
			t.Errorf("JSON %s lacks %s", got, k)
		}
	}
}

func TestPrincipals_KMS1(t *testing.T) {
	cases := map[string]struct {
		got  map[string]any
		key  string
		want string
	}{
		"service": {got: Service("logs.us-east-1.amazonaws.com"), key: "Service", want: "logs.us-east-1.amazonaws.com"},
		"account": {got: Account("123456789012"), key: "AWS", want: "arn:aws:iam::123456789012:root"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if len(tc.got) != 1 || tc.got[tc.key] != tc.want {
				t.Errorf("principal = %v, want {%s: %s}", tc.got, tc.key, tc.want)
			}
		})
	}
}

func TestAssumeRole_TrustPolicy_CMP4(t *testing.T) {
	cases := map[string]struct {
		condition map[string]map[string]any
	}{
		"without condition": {},
		"with source arn":   {condition: map[string]map[string]any{"ArnLike": {"aws:SourceArn": "arn:aws:ec2:us-east-1:*:vpc-flow-log/*"}}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := AssumeRole("vpc-flow-logs.amazonaws.com", tc.condition)
			if again := AssumeRole("vpc-flow-logs.amazonaws.com", tc.condition); again != got {
				t.Fatalf("AssumeRole is not deterministic:\n%s\n%s", got, again)
			}
			var doc struct {
				Version   string
				Statement []map[string]any
			}
			if err := json.Unmarshal([]byte(got), &doc); err != nil {
				t.Fatalf("AssumeRole is not valid JSON: %v\n%s", err, got)
			}
			if doc.Version != Version || len(doc.Statement) != 1 {
				t.Fatalf("document = %s, want one statement of version %s", got, Version)
			}
			st := doc.Statement[0]
			if _, ok := st["Resource"]; ok {
				t.Errorf("trust policy has a Resource key, which IAM rejects: %s", got)
			}
			if st["Effect"] != "Allow" {
				t.Errorf("Effect = %v, want Allow", st["Effect"])
			}
			if a, _ := st["Action"].([]any); len(a) != 1 || a[0] != "sts:AssumeRole" {
				t.Errorf("Action = %v, want [sts:AssumeRole]", st["Action"])
			}
			if p, _ := st["Principal"].(map[string]any); len(p) != 1 || p["Service"] != "vpc-flow-logs.amazonaws.com" {
				t.Errorf("Principal = %v, want the service vpc-flow-logs.amazonaws.com", st["Principal"])
			}
			_, hasCondition := st["Condition"]
			if hasCondition != (tc.condition != nil) {
				t.Errorf("Condition present = %v, want %v: %s", hasCondition, tc.condition != nil, got)
			}
		})
	}
}

func TestJSON_PanicsRatherThanRenderABrokenPolicy_CMP4(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("JSON of an unencodable condition value did not panic")
		}
	}()
	JSON(Statement{Effect: "Allow", Action: []string{"s3:GetObject"}, Condition: map[string]map[string]any{"Bool": {"k": func() {}}}})
}
