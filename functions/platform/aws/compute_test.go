package aws_test

import (
	"strings"
	"testing"

	"github.com/fintech-platform/payment-platform/functions/platform/aws"
)

// TestComputeRules_WhatAWSDocuments_X6: the service layer's names and values
// against AWS's rules, on both sides of every bound.
func TestComputeRules_WhatAWSDocuments_X6(t *testing.T) {
	rules := `[{"Name":"a","Priority":0,"Statement":{"X":{}},"VisibilityConfig":{"MetricName":"a"}},{"Name":"b","Priority":1,"Statement":{"Y":{}},"VisibilityConfig":{"MetricName":"b:c"}}]`
	judge(t, map[string]verdict{
		"ecr ok":              {aws.ECRRepositoryName("ecr-api-prodeu1abcde"), ""},
		"ecr path":            {aws.ECRRepositoryName("payments/api_v2.1"), ""},
		"ecr 1":               {aws.ECRRepositoryName("a"), "1 characters"},
		"ecr 257":             {aws.ECRRepositoryName(strings.Repeat("a", 257)), "257 characters"},
		"ecr upper":           {aws.ECRRepositoryName("ecr-API-dev"), "lowercase"},
		"ecr double hyphen":   {aws.ECRRepositoryName("ecr--dev"), "lowercase"},
		"ecr trailing slash":  {aws.ECRRepositoryName("ecr/"), "lowercase"},
		"lifecycle ok":        {aws.ECRLifecyclePolicy(`{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":7},"action":{"type":"expire"}}]}`), ""},
		"lifecycle short":     {aws.ECRLifecyclePolicy(`{"rules":[]}`), "at least 100"},
		"lifecycle not JSON":  {aws.ECRLifecyclePolicy(strings.Repeat("x", 120)), "not JSON"},
		"ecs ok":              {aws.ECSName("svc-api_1-dev"), ""},
		"ecs 256":             {aws.ECSName(strings.Repeat("e", 256)), "256 characters"},
		"ecs dot":             {aws.ECSName("svc.api"), "character"},
		"fargate ok":          {aws.FargateTaskSize(1024, 2048), ""},
		"fargate 16 vCPU max": {aws.FargateTaskSize(16384, 122880), ""},
		"fargate 8 vCPU step": {aws.FargateTaskSize(8192, 18432), "steps of 4096"},
		"fargate cpu":         {aws.FargateTaskSize(3072, 8192), "not a Fargate task size"},
		"fargate small":       {aws.FargateTaskSize(256, 3072), "does not go with cpu 256"},
		"containers ok":       {aws.ContainerDefinitions(`[{"name":"api","image":"x:1"}]`), ""},
		"containers empty":    {aws.ContainerDefinitions(`[]`), "not a JSON list"},
		"containers image":    {aws.ContainerDefinitions(`[{"name":"api","image":"` + strings.Repeat("i", 256) + `"}]`), "1 to 255"},
		"policy name ok":      {aws.ScalingPolicyName("scaling-api-cpu-dev"), ""},
		"policy name empty":   {aws.ScalingPolicyName(""), "0 characters"},
		"policy name control": {aws.ScalingPolicyName("a\nb"), "not printable"},
		"capacity ok":         {aws.WAFCapacity(500), ""},
		"capacity 0":          {aws.WAFCapacity(0), "outside 1 to 5000"},
		"capacity 5001":       {aws.WAFCapacity(5001), "outside 1 to 5000"},
		"rules ok":            {aws.WAFRules(rules), ""},
		"rules not a list":    {aws.WAFRules(`{}`), "not a JSON list"},
		"rules same priority": {aws.WAFRules(strings.Replace(rules, `"Priority":1`, `"Priority":0`, 1)), "same priority 0"},
		"rules no priority":   {aws.WAFRules(`[{"Name":"a","Statement":{"X":{}},"VisibilityConfig":{"MetricName":"a"}}]`), "no priority"},
		"rules bad name":      {aws.WAFRules(strings.Replace(rules, `"Name":"a"`, `"Name":"a b"`, 1)), "WAF name"},
		"rules two stmts":     {aws.WAFRules(strings.Replace(rules, `{"X":{}}`, `{"X":{},"Z":{}}`, 1)), "2 statements"},
		"rules metric":        {aws.WAFRules(strings.Replace(rules, `"MetricName":"a"`, `"MetricName":"a b"`, 1)), "metric name"},
		"associate alb":       {aws.WAFAssociableARN("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb-payments-dev/0123456789abcdef"), ""},
		"associate stage":     {aws.WAFAssociableARN("arn:aws:apigateway:us-east-1::/restapis/a1b2c3/stages/live"), ""},
		"associate nlb":       {aws.WAFAssociableARN("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/nlb/0123456789abcdef"), "not the ARN"},
		"associate bucket":    {aws.WAFAssociableARN("arn:aws:s3:::bucket"), "not the ARN"},
	})
}

// TestCheck_ComputeKinds_X6: Check reads the service layer's kinds where the
// provider takes their names and values from.
func TestCheck_ComputeKinds_X6(t *testing.T) {
	const (
		ecs  = "ecs.aws.m.upbound.io"
		elb  = "elbv2.aws.m.upbound.io"
		auto = "appautoscaling.aws.m.upbound.io"
		waf  = "wafv2.aws.m.upbound.io"
	)
	task := func(cpu, memory string) map[string]any {
		return obj("", map[string]any{"family": "task-api-dev", "requiresCompatibilities": []any{"FARGATE"}, "cpu": cpu, "memory": memory,
			"containerDefinitions": `[{"name":"api","image":"x:1"}]`})
	}
	cases := map[string]struct {
		group, kind string
		obj         map[string]any
		want        string // a piece of the one error; "" for none
	}{
		"repository":         {"ecr.aws.m.upbound.io", "Repository", obj("ecr-api-dev", nil), ""},
		"repository no name": {"ecr.aws.m.upbound.io", "Repository", obj("", nil), "no repository name"},
		"cluster":            {ecs, "Cluster", obj("ecs-payments-dev", nil), ""},
		"service":            {ecs, "Service", obj("svc api", nil), "ECS name"},
		"task":               {ecs, "TaskDefinition", task("1024", "2048"), ""},
		"task size":          {ecs, "TaskDefinition", task("1024", "1024"), "does not go with cpu 1024"},
		"task size text":     {ecs, "TaskDefinition", task("1 vCPU", "2 GB"), "cpu and memory as numbers"},
		"task no family":     {ecs, "TaskDefinition", obj("", map[string]any{}), "no family"},
		"https":              {elb, "LBListener", obj("", map[string]any{"port": 443, "protocol": "HTTPS", "certificateArn": "arn:aws:acm:x", "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}), ""},
		"https no cert":      {elb, "LBListener", obj("", map[string]any{"port": 443, "protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}), "needs certificateArn"},
		"https policy":       {elb, "LBListener", obj("", map[string]any{"port": 443, "protocol": "HTTPS", "certificateArn": "arn:aws:acm:x", "sslPolicy": "TLS12"}), "security policies"},
		"port 0":             {elb, "LBListener", obj("", map[string]any{"port": 0, "protocol": "HTTP"}), "listener port 0"},
		"no port":            {elb, "LBListener", obj("", map[string]any{"protocol": "HTTP"}), "no port"},
		"target":             {auto, "Target", obj("", map[string]any{"minCapacity": 3, "maxCapacity": 60, "serviceNamespace": "ecs", "resourceId": "service/ecs-payments-dev/svc-api-dev"}), ""},
		"target min > max":   {auto, "Target", obj("", map[string]any{"minCapacity": 3, "maxCapacity": 2}), "0 ≤ min ≤ max"},
		"target resource":    {auto, "Target", obj("", map[string]any{"minCapacity": 3, "maxCapacity": 6, "serviceNamespace": "ecs", "resourceId": "svc-api-dev"}), "service/<cluster>/<service>"},
		"policy":             {auto, "Policy", obj("scaling-api-cpu-dev", nil), ""},
		"rule group":         {waf, "RuleGroup", obj("", map[string]any{"name": "wafrules-payments-dev", "capacity": 500, "ruleJson": "[]"}), ""},
		"rule group 0":       {waf, "RuleGroup", obj("", map[string]any{"name": "wafrules-payments-dev", "capacity": 0}), "outside 1 to 5000"},
		"web acl rules":      {waf, "WebACL", obj("", map[string]any{"name": "waf-payments-dev", "ruleJson": "{"}), "not a JSON list"},
		"association":        {waf, "WebACLAssociation", obj("", map[string]any{"resourceArn": "arn:aws:elbv2:us-east-1:123456789012:lb/lb-1"}), "not the ARN"},
	}
	for name, c := range cases {
		errs, known := aws.Check(c.group, c.kind, c.obj)
		switch {
		case !known:
			t.Errorf("%s: %s.%s unknown", name, c.kind, c.group)
		case c.want == "" && len(errs) > 0:
			t.Errorf("%s: %v, want none", name, errs)
		case c.want != "" && (len(errs) != 1 || !strings.Contains(errs[0].Error(), c.want)):
			t.Errorf("%s: %v, want one error with %q", name, errs, c.want)
		}
	}
}
