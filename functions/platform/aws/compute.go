package aws

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The rules of the service layer's kinds (ECR, ECS, ELB listeners,
// Application Auto Scaling, WAF rule groups and associations), and Fargate's
// task sizes, which the Compute XR's validation uses too.

// The provider's API groups of the service layer's kinds.
const (
	groupAppAutoscaling = "appautoscaling.aws.m.upbound.io"
	groupECR            = "ecr.aws.m.upbound.io"
	groupECS            = "ecs.aws.m.upbound.io"
)

var (
	ecrRepositoryName = regexp.MustCompile(`^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$`)
	ecsChars          = regexp.MustCompile(`^[a-zA-Z0-9_-]*$`)
	wafMetricName     = regexp.MustCompile(`^[\w#:.\-/]{1,128}$`)
	ecsServiceID      = regexp.MustCompile(`^service/[a-zA-Z0-9_-]{1,255}/[a-zA-Z0-9_-]{1,255}$`)
	wafAssociable     = regexp.MustCompile(`^arn:aws:(elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:loadbalancer/app/[A-Za-z0-9-]{1,32}/[0-9a-f]+` +
		`|apigateway:[a-z0-9-]+::/restapis/[A-Za-z0-9]+/stages/[A-Za-z0-9_-]+` +
		`|appsync:[a-z0-9-]+:[0-9]{12}:apis/[A-Za-z0-9]+` +
		`|cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/[\w-]+` +
		`|apprunner:[a-z0-9-]+:[0-9]{12}:service/.+` +
		`|ec2:[a-z0-9-]+:[0-9]{12}:verified-access-instance/.+)$`)
)

// ECRRepositoryName is AWS's rule: 2 to 256 characters, lowercase path
// components of letters and digits separated by . _ - and joined by /.
// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
func ECRRepositoryName(s string) error {
	if n := len(s); n < 2 || n > 256 {
		return fmt.Errorf("ECR repository name %q is %d characters; AWS allows 2 to 256", s, n)
	}
	if !ecrRepositoryName.MatchString(s) {
		return fmt.Errorf("ECR repository name %q must be lowercase letters and digits, separated by . _ - within a component and / between them", s)
	}
	return nil
}

// ECRLifecyclePolicy is AWS's rule: a JSON document of 100 to 30,720 characters.
// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutLifecyclePolicy.html
func ECRLifecyclePolicy(s string) error {
	if n := utf8.RuneCountInString(s); n < 100 {
		return fmt.Errorf("ECR lifecycle policy is %d characters; AWS wants at least 100", n)
	}
	return policy("ECR lifecycle policy", s, utf8.RuneCountInString(s), 30720)
}

// ECSName is AWS's rule for a cluster's, service's or task family's name: up
// to 255 letters, digits, hyphens and underscores.
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html
func ECSName(s string) error {
	return name("ECS name", s, 1, 255, ecsChars, "letters, digits, - and _")
}

// FargateCPUs are the task sizes Fargate offers, in CPU units (1024 a vCPU).
var FargateCPUs = []int{256, 512, 1024, 2048, 4096, 8192, 16384}

// FargateMemory returns the memory sizes (MiB) Fargate admits with cpu units
// (Linux), or nil for a cpu Fargate does not offer.
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
func FargateMemory(cpu int) []int {
	steps := func(lo, hi, step int) []int {
		var out []int
		for m := lo; m <= hi; m += step {
			out = append(out, m)
		}
		return out
	}
	switch cpu {
	case 256:
		return []int{512, 1024, 2048}
	case 512:
		return steps(1024, 4096, 1024)
	case 1024:
		return steps(2048, 8192, 1024)
	case 2048:
		return steps(4096, 16384, 1024)
	case 4096:
		return steps(8192, 30720, 1024)
	case 8192:
		return steps(16384, 61440, 4096)
	case 16384:
		return steps(32768, 122880, 8192)
	}
	return nil
}

// FargateTaskSize is AWS's rule: a Fargate task's CPU and memory are one of
// Fargate's combinations.
func FargateTaskSize(cpu, memory int) error {
	mem := FargateMemory(cpu)
	switch {
	case mem == nil:
		return fmt.Errorf("cpu %d is not a Fargate task size (%v)", cpu, FargateCPUs)
	case !slices.Contains(mem, memory):
		return fmt.Errorf("memory %d MiB does not go with cpu %d on Fargate (%d to %d MiB in steps of %d)", memory, cpu, mem[0], mem[len(mem)-1], mem[1]-mem[0])
	}
	return nil
}

// taskDefinition reads a task definition: its family, Fargate size, and
// container definitions (a JSON list, each image at most 255 characters).
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html
func taskDefinition(m map[string]any) error {
	var errs []error
	if f, ok := m["family"].(string); !ok {
		errs = append(errs, errors.New("no family: AWS would refuse the task definition"))
	} else if err := ECSName(f); err != nil {
		errs = append(errs, fmt.Errorf("family: %w", err))
	}
	compat, _ := m["requiresCompatibilities"].([]any)
	if slices.Contains(compat, any("FARGATE")) {
		cpu, cerr := strconv.Atoi(str(m, "cpu"))
		memory, merr := strconv.Atoi(str(m, "memory"))
		if cerr != nil || merr != nil {
			errs = append(errs, fmt.Errorf("a Fargate task needs cpu and memory as numbers, got %q and %q", str(m, "cpu"), str(m, "memory")))
		} else if err := FargateTaskSize(cpu, memory); err != nil {
			errs = append(errs, err)
		}
	}
	if defs, ok := m["containerDefinitions"].(string); ok {
		errs = append(errs, ContainerDefinitions(defs))
	}
	return errors.Join(errs...)
}

// ContainerDefinitions is AWS's rule: a JSON list of containers, each named,
// with an image of at most 255 characters.
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html
func ContainerDefinitions(s string) error {
	var defs []struct {
		Name  string `json:"name"`
		Image string `json:"image"`
	}
	if err := json.Unmarshal([]byte(s), &defs); err != nil {
		return fmt.Errorf("container definitions are not a JSON list of containers: %w", err)
	}
	if len(defs) == 0 {
		return errors.New("container definitions are not a JSON list of containers: none")
	}
	for i, d := range defs {
		if d.Name == "" || d.Image == "" || len(d.Image) > 255 {
			return fmt.Errorf("container %d: a name and an image of 1 to 255 characters, got %q and %q", i, d.Name, d.Image)
		}
	}
	return nil
}

// listener reads a listener: a port of 1 to 65535; an HTTPS listener names
// exactly one certificate and one of ELB's security policies.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html
func listener(m map[string]any) error {
	port, ok := wholeNumber(m["port"])
	if !ok {
		return errors.New("no port")
	}
	if err := between("listener port", port, 1, 65535); err != nil {
		return err
	}
	if str(m, "protocol") == "HTTPS" {
		if str(m, "certificateArn") == "" {
			return errors.New("an HTTPS listener needs certificateArn")
		}
		if !strings.HasPrefix(str(m, "sslPolicy"), "ELBSecurityPolicy-") {
			return fmt.Errorf("sslPolicy %q is not one of ELB's security policies", str(m, "sslPolicy"))
		}
	}
	return nil
}

// scalableTarget reads a scalable target: capacities 0 ≤ min ≤ max, and an
// ECS service's resource id service/<cluster>/<service>.
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html
func scalableTarget(m map[string]any) error {
	lo, lok := wholeNumber(m["minCapacity"])
	hi, hok := wholeNumber(m["maxCapacity"])
	if !lok || !hok || lo < 0 || lo > hi {
		return fmt.Errorf("minCapacity %v and maxCapacity %v: want 0 ≤ min ≤ max", m["minCapacity"], m["maxCapacity"])
	}
	if str(m, "serviceNamespace") == "ecs" && !ecsServiceID.MatchString(str(m, "resourceId")) {
		return fmt.Errorf("resourceId %q of an ECS service is not service/<cluster>/<service>", str(m, "resourceId"))
	}
	return nil
}

// ScalingPolicyName is AWS's rule: 1 to 256 printable characters.
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html
func ScalingPolicyName(s string) error {
	if n := utf8.RuneCountInString(s); n < 1 || n > 256 {
		return fmt.Errorf("scaling policy name %q is %d characters; AWS allows 1 to 256", s, n)
	}
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return fmt.Errorf("scaling policy name %q holds a character that is not printable", s)
	}
	return nil
}

// WAFCapacity is AWS's rule: a rule group's capacity is 1 to 5,000 WCUs.
// https://docs.aws.amazon.com/waf/latest/developerguide/aws-waf-capacity-units.html
func WAFCapacity(n int64) error { return between("rule group capacity (WCUs)", n, 1, 5000) }

// WAFRules is AWS's rule: a web ACL's or rule group's rules, as ruleJson
// gives them: a JSON list of rules, each with a WAF name, a priority no
// other rule has, a statement, and a metric name of 1 to 128 of [\w#:.-/].
// https://docs.aws.amazon.com/waf/latest/APIReference/API_Rule.html
// https://docs.aws.amazon.com/waf/latest/APIReference/API_VisibilityConfig.html
func WAFRules(s string) error {
	var rules []struct {
		Name             string
		Priority         *int
		Statement        map[string]any
		VisibilityConfig struct{ MetricName string }
	}
	if err := json.Unmarshal([]byte(s), &rules); err != nil {
		return fmt.Errorf("WAF rules are not a JSON list of rules: %w", err)
	}
	seen := map[int]string{}
	for i, r := range rules {
		if err := WAFName(r.Name); err != nil {
			return fmt.Errorf("rule %d: %w", i, err)
		}
		if r.Priority == nil {
			return fmt.Errorf("rule %s has no priority", r.Name)
		}
		if o, dup := seen[*r.Priority]; dup {
			return fmt.Errorf("rules %s and %s have the same priority %d", o, r.Name, *r.Priority)
		}
		seen[*r.Priority] = r.Name
		if len(r.Statement) != 1 {
			return fmt.Errorf("rule %s has %d statements, want 1", r.Name, len(r.Statement))
		}
		if !wafMetricName.MatchString(r.VisibilityConfig.MetricName) {
			return fmt.Errorf("rule %s: metric name %q is not 1 to 128 of letters, digits and _#:.-/", r.Name, r.VisibilityConfig.MetricName)
		}
	}
	return nil
}

// WAFAssociableARN is AWS's rule: a regional web ACL protects an Application
// Load Balancer, an API Gateway REST API stage, an AppSync API, a Cognito user
// pool, an App Runner service or a Verified Access instance, named by ARN.
// https://docs.aws.amazon.com/waf/latest/APIReference/API_AssociateWebACL.html
func WAFAssociableARN(s string) error {
	if !wafAssociable.MatchString(s) {
		return fmt.Errorf("resourceArn %q is not the ARN of a resource a regional web ACL protects (an Application Load Balancer, an API Gateway stage…)", s)
	}
	return nil
}
