package compute

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	xpv1 "github.com/crossplane/crossplane-runtime/v2/apis/common/v1"
	appautoscalingv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/appautoscaling/v1beta1"
	cwlv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatchlogs/v1beta1"
	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"
	ecrv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ecr/v1beta1"
	ecsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ecs/v1beta1"
	elbv2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/elbv2/v1beta1"
	iamv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/iam/v1beta1"
	wafv2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/wafv2/v1beta1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/aws"
	"github.com/fintech-platform/payment-platform/functions/platform/capacity"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	ct "github.com/fintech-platform/payment-platform/functions/platform/compose/composetest"
	"github.com/fintech-platform/payment-platform/functions/platform/iampolicy"
	"github.com/fintech-platform/payment-platform/functions/platform/usage"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

const (
	account  = "123456789012"
	proxyID  = "prx-0123456789abcdef0"
	endpoint = "rdsproxy-payments-dev.proxy-abc.us-east-1.rds.amazonaws.com"
	clientSG = "sg-0123456789abcdef0"
	certARN  = "arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
	lbARN    = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb-payments-dev/0123456789abcdef"
	groupARN = "arn:aws:wafv2:us-east-1:123456789012:regional/rulegroup/wafrules-payments-dev/abc"
	queueARN = "arn:aws:sqs:us-east-1:123456789012:sqs-payments-dev"
	queueURL = "https://sqs.us-east-1.amazonaws.com/123456789012/sqs-payments-dev"
	keyARN   = "arn:aws:kms:us-east-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
	roleARN  = "arn:aws:iam::123456789012:role/role-api-task-dev"
)

// spec is a Compute with everything the claim passes once the database exists.
func spec() api.ComputeSpec {
	return api.ComputeSpec{
		Common:                compose.Common{EnvironmentSuffix: "dev", Region: "us-east-1"},
		AccountID:             account,
		DatabaseEndpoint:      endpoint,
		ProxyResourceID:       proxyID,
		ClientSecurityGroupID: clientSG,
		ComputeSettings:       api.ComputeSettings{Image: "1.4.2", CertificateARN: certARN},
		APIGateway:            true,
	}
}

// everythingReady is observed state in which every gate is open.
func everythingReady() compose.Observed {
	res := []ct.Res{
		{Name: keyTaskRole, Ready: true, Fields: map[string]any{"status.atProvider.arn": roleARN}},
		{Name: keyTaskDef, Ready: true},
		{Name: keyHTTPS, Ready: true},
		{Name: keyService, Ready: true},
		{Name: keyScalingTarget, Ready: true},
		{Name: keyRuleGroup, Ready: true, Fields: map[string]any{"status.atProvider.arn": groupARN}},
		{Name: keyWebACL, Ready: true},
		{Name: keyLB, Ready: true, Fields: map[string]any{"status.atProvider.arn": lbARN}},
		{Name: keySG(wiring.SGAPITasks), Ready: true, Fields: map[string]any{"status.atProvider.id": "sg-0aaaaaaaaaaaaaaaa"}},
	}
	for _, use := range logUses {
		res = append(res, ct.Res{Name: keyLogGroup(use), Ready: true})
	}
	return ct.Observed(res...)
}

func build(t *testing.T, s api.ComputeSpec, obs compose.Observed) *compose.Desired {
	t.Helper()
	return ct.Build(t, Build, s, obs)
}

// TestCompute_FargateInPrivateSubnets_CMP1: the cluster has Container
// Insights (and waits for its log group); the service runs Fargate tasks in
// the private subnets without public addresses; the task definition's one
// container runs read-only as a non-root user, logs to the layer's log group
// and is told no secret.
func TestCompute_FargateInPrivateSubnets_CMP1(t *testing.T) {
	if d := build(t, spec(), nil); d.Get(keyCluster) != nil {
		t.Error("cluster composed before its Container Insights log group is ready")
	}
	d := build(t, spec(), everythingReady())
	cl := ct.Get[*ecsv1beta1.Cluster](t, d, keyCluster)
	if s := cl.Spec.ForProvider.Setting; len(s) != 1 || *s[0].Name != "containerInsights" || *s[0].Value != "enabled" {
		t.Errorf("cluster settings %v, want Container Insights", s)
	}
	if got := LogGroupName(LogContainerInsights, "dev"); got != "/aws/ecs/containerinsights/"+cl.Annotations[wiring.AnnotationExternalName]+"/performance" {
		t.Errorf("Container Insights log group %s is not where ECS writes", got)
	}
	svc := ct.Get[*ecsv1beta1.Service](t, d, keyService).Spec.ForProvider
	nc := svc.NetworkConfiguration
	if *svc.LaunchType != "FARGATE" || *nc.AssignPublicIP || nc.SubnetSelector.MatchLabels[wiring.LabelTier] != wiring.TierPrivate || nc.SubnetSelector.MatchLabels[wiring.LabelEnvironment] != "dev" {
		t.Errorf("service launch %s public IP %v subnets %v: want Fargate in the private subnets, no public IP", *svc.LaunchType, *nc.AssignPublicIP, nc.SubnetSelector.MatchLabels)
	}
	td := ct.Get[*ecsv1beta1.TaskDefinition](t, d, keyTaskDef).Spec.ForProvider
	if *td.NetworkMode != "awsvpc" || *td.RequiresCompatibilities[0] != "FARGATE" || *td.TaskRoleArn != roleARN {
		t.Errorf("task definition mode %s compat %s role %s", *td.NetworkMode, *td.RequiresCompatibilities[0], *td.TaskRoleArn)
	}
	var defs []map[string]any
	if err := json.Unmarshal([]byte(*td.ContainerDefinitions), &defs); err != nil || len(defs) != 1 {
		t.Fatalf("container definitions %s: %v", *td.ContainerDefinitions, err)
	}
	c := defs[0]
	if c["readonlyRootFilesystem"] != true || c["user"] != TaskUser || strings.HasPrefix(TaskUser, "0") || c["image"] != "123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-api-dev:1.4.2" {
		t.Errorf("container %v: want read-only root, non-root user, the api repository's image", c)
	}
	lc := c["logConfiguration"].(map[string]any)
	if lc["logDriver"] != "awslogs" || lc["options"].(map[string]any)["awslogs-group"] != "logs-api-dev" {
		t.Errorf("container logs to %v", lc)
	}
	if _, ok := c["secrets"]; ok {
		t.Error("container definition has secrets")
	}
	env := map[string]string{}
	for _, e := range c["environment"].([]any) {
		m := e.(map[string]any)
		env[m["name"].(string)] = m["value"].(string)
	}
	if env["DB_HOST"] != endpoint || env["DB_USER"] != wiring.DBUserAPI || env["DB_IAM_AUTH"] != "true" {
		t.Errorf("environment %v: want the proxy endpoint, the API's user, IAM auth", env)
	}
	for k := range env {
		for _, w := range []string{"PASSWORD", "SECRET", "TOKEN", "CREDENTIAL"} {
			if strings.Contains(k, w) {
				t.Errorf("environment names %s in plain text", k)
			}
		}
	}
	if _, ok := env["QUEUE_URL"]; ok {
		t.Error("QUEUE_URL set without a queue")
	}
	s := spec()
	s.QueueURL, s.QueueARN, s.MessagingKeyARN = queueURL, queueARN, keyARN
	if got := environment(s, endpoint); got[len(got)-1] != (nameValue{"QUEUE_URL", queueURL}) {
		t.Errorf("environment with a queue ends %v", got[len(got)-1])
	}
	s.Image = "public.ecr.aws/acme/payments@sha256:" + strings.Repeat("a", 64)
	if got := imageOf(s); got != s.Image {
		t.Errorf("full image reference became %s", got)
	}
}

// TestCompute_TaskDefinitionWaitsAndKeeps: the task definition waits for its
// image, the proxy endpoint and the task role, and keeps what it was made
// with while they are not given.
func TestCompute_TaskDefinitionWaitsAndKeeps_CMP1(t *testing.T) {
	s := spec()
	s.Image, s.DatabaseEndpoint = "", ""
	d := build(t, s, nil)
	if d.Get(keyTaskDef) != nil || d.Get(keyService) != nil {
		t.Fatal("task definition or service composed without an image")
	}
	w := strings.Join(d.Waiting, "\n")
	for _, want := range []string{"spec.parameters.image", "spec.parameters.databaseEndpoint", "task role's ARN"} {
		if !strings.Contains(w, want) {
			t.Errorf("waiting %q does not name %s", w, want)
		}
	}
	kept := ct.Observed(ct.Res{Name: keyTaskDef, Fields: map[string]any{
		"metadata.annotations":         map[string]any{AnnotationImage: "registry.example/x:1", AnnotationDatabaseEndpoint: "db.example.internal"},
		"spec.forProvider.taskRoleArn": roleARN,
	}})
	td := ct.Get[*ecsv1beta1.TaskDefinition](t, build(t, s, kept), keyTaskDef)
	if !strings.Contains(*td.Spec.ForProvider.ContainerDefinitions, `"image":"registry.example/x:1"`) ||
		!strings.Contains(*td.Spec.ForProvider.ContainerDefinitions, "db.example.internal") || *td.Spec.ForProvider.TaskRoleArn != roleARN {
		t.Errorf("task definition lost what it was made with: %s", *td.Spec.ForProvider.ContainerDefinitions)
	}
}

// TestCompute_ScalesOnCPU70AndMemory80_CMP2: one task per zone at least, at
// most what capacity.MaxTasks gives for the load, target tracking on exactly
// CPU 70% and memory 80%.
func TestCompute_ScalesOnCPU70AndMemory80_CMP2(t *testing.T) {
	if d := build(t, spec(), nil); d.Get(keyScalingTarget) != nil || d.Get(keyScalingCPU) != nil {
		t.Error("scaling composed before the service is ready")
	}
	d := build(t, spec(), everythingReady())
	tg := ct.Get[*appautoscalingv1beta1.Target](t, d, keyScalingTarget).Spec.ForProvider
	if *tg.MinCapacity < 3 || *tg.MinCapacity != capacity.MinTasks || *tg.MaxCapacity != 60 {
		t.Errorf("scaling %v to %v, want 3 (one per zone) to 60 (10,000 transactions × 150%% / 250 per task)", *tg.MinCapacity, *tg.MaxCapacity)
	}
	if *tg.ResourceID != "service/ecs-payments-dev/svc-api-dev" || *tg.ScalableDimension != "ecs:service:DesiredCount" || *tg.ServiceNamespace != "ecs" {
		t.Errorf("scalable target %s %s %s", *tg.ResourceID, *tg.ScalableDimension, *tg.ServiceNamespace)
	}
	want := map[string]float64{"ECSServiceAverageCPUUtilization": 70, "ECSServiceAverageMemoryUtilization": 80}
	got := map[string]float64{}
	for k, p := range ct.Of[*appautoscalingv1beta1.Policy](d) {
		f := p.Spec.ForProvider
		c := f.TargetTrackingScalingPolicyConfiguration
		if *f.PolicyType != "TargetTrackingScaling" || !*f.ResourceIDSelector.MatchControllerRef {
			t.Errorf("%s: %s selecting %v", k, *f.PolicyType, f.ResourceIDSelector)
		}
		got[*c.PredefinedMetricSpecification.PredefinedMetricType] = *c.TargetValue
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("target tracking %v, want exactly %v", got, want)
	}
	svc := ct.Get[*ecsv1beta1.Service](t, d, keyService).Spec
	if svc.ForProvider.DesiredCount != nil || *svc.InitProvider.DesiredCount != 3 {
		t.Errorf("desired count %v / initial %v: auto-scaling must own it after the first 3", svc.ForProvider.DesiredCount, svc.InitProvider.DesiredCount)
	}
	s := spec()
	s.ConcurrentTransactions = 100000
	if m := *ct.Get[*appautoscalingv1beta1.Target](t, build(t, s, everythingReady()), keyScalingTarget).Spec.ForProvider.MaxCapacity; m != 600 {
		t.Errorf("max tasks for 100,000 = %v, want 600", m)
	}
	s.ConcurrentTransactions = 100
	if m := *ct.Get[*appautoscalingv1beta1.Target](t, build(t, s, everythingReady()), keyScalingTarget).Spec.ForProvider.MaxCapacity; m != 3 {
		t.Errorf("max tasks for 100 = %v, want never fewer than 3", m)
	}
}

// TestCompute_RegisteredWithALBAndRolledBack_CMP3: an ip target group with
// the claim's health check path; the service registers its container in it,
// waits for the HTTPS listener, and rolls back failed deployments.
func TestCompute_RegisteredWithALBAndRolledBack_CMP3(t *testing.T) {
	s := spec()
	s.HealthCheckPath = "/ready"
	d := build(t, s, everythingReady())
	tg := ct.Get[*elbv2v1beta1.LBTargetGroup](t, d, keyTargetGroup).Spec.ForProvider
	if *tg.TargetType != "ip" || *tg.HealthCheck.Path != "/ready" || !*tg.HealthCheck.Enabled || *tg.Port != api.DefaultContainerPort {
		t.Errorf("target group %s health %s port %v", *tg.TargetType, *tg.HealthCheck.Path, *tg.Port)
	}
	svc := ct.Get[*ecsv1beta1.Service](t, d, keyService).Spec.ForProvider
	lb := svc.LoadBalancer
	if len(lb) != 1 || !*lb[0].TargetGroupArnSelector.MatchControllerRef || lb[0].TargetGroupArnSelector.MatchLabels[wiring.LabelComponent] != componentTargetGroup || *lb[0].ContainerName != ContainerName || *lb[0].ContainerPort != api.DefaultContainerPort {
		t.Errorf("service load balancers %+v", lb)
	}
	if cb := svc.DeploymentCircuitBreaker; !*cb.Enable || !*cb.Rollback {
		t.Errorf("circuit breaker %v rollback %v", *cb.Enable, *cb.Rollback)
	}
	if *svc.DeploymentMaximumPercent != capacity.DeploymentMaximumPercent || *svc.DeploymentMinimumHealthyPercent != 100 {
		t.Errorf("deployment %v%%..%v%%", *svc.DeploymentMinimumHealthyPercent, *svc.DeploymentMaximumPercent)
	}
	if groups := svc.NetworkConfiguration.SecurityGroups; len(groups) != 2 || *groups[0] != "sg-0aaaaaaaaaaaaaaaa" || *groups[1] != clientSG {
		t.Errorf("service security groups %v, want its own and the database's client group", groups)
	}
	obs := everythingReady()
	delete(obs, keyHTTPS)
	delete(obs, keyService)
	if d := build(t, spec(), obs); d.Get(keyService) != nil || !strings.Contains(strings.Join(d.Waiting, "\n"), "service waits for the HTTPS listener") {
		t.Errorf("service composed before the HTTPS listener: waiting %v", d.Waiting)
	}
	s = spec()
	s.ClientSecurityGroupID = ""
	obs = everythingReady()
	delete(obs, keyService)
	if d := build(t, s, obs); d.Get(keyService) != nil {
		t.Error("service composed without the database's client group")
	}
	kept := ct.Observed(ct.Res{Name: keyService, Fields: map[string]any{"spec.forProvider.networkConfiguration.securityGroups": []any{"sg-1", "sg-2"}}})
	if g := ct.Get[*ecsv1beta1.Service](t, build(t, s, kept), keyService).Spec.ForProvider.NetworkConfiguration.SecurityGroups; len(g) != 2 || *g[0] != "sg-1" {
		t.Errorf("existing service lost its groups: %v", g)
	}
}

func policyOf(t *testing.T, r *iamv1beta1.Role) iampolicy.Document {
	t.Helper()
	var doc iampolicy.Document
	if err := json.Unmarshal([]byte(*r.Spec.ForProvider.InlinePolicy[0].Policy), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// noWildcardOnWildcard fails t for a statement granting an action with * on
// the resource *.
func noWildcardOnWildcard(t *testing.T, name string, doc iampolicy.Document) {
	t.Helper()
	for _, st := range doc.Statement {
		if slices.Contains(st.Resource, "*") && slices.ContainsFunc(st.Action, func(a string) bool { return strings.Contains(a, "*") }) {
			t.Errorf("%s: %s allows %v on *", name, st.Sid, st.Action)
		}
	}
}

// TestCompute_LeastPrivilegeRoles_CMP4: the task role connects as the API's
// database user to the proxy only, sends to the payment queue and uses its key
// only when there is one; the execution role pulls from the API's repository
// and writes the API's log group; nothing grants a wildcard action on every
// resource, and only ECR's token action takes "*".
func TestCompute_LeastPrivilegeRoles_CMP4(t *testing.T) {
	if d := build(t, api.ComputeSpec{Common: spec().Common, AccountID: account}, nil); d.Get(keyTaskRole) != nil {
		t.Error("task role composed without the proxy's resource id")
	}
	d := build(t, spec(), everythingReady())
	task := ct.Get[*iamv1beta1.Role](t, d, keyTaskRole)
	doc := policyOf(t, task)
	if len(doc.Statement) != 1 || !slices.Equal(doc.Statement[0].Action, []string{"rds-db:connect"}) ||
		!slices.Equal(doc.Statement[0].Resource, []string{"arn:aws:rds-db:us-east-1:123456789012:dbuser:" + proxyID + "/payments_api"}) {
		t.Errorf("task role without a queue = %+v, want rds-db:connect as payments_api on the proxy only", doc.Statement)
	}
	for _, r := range []*iamv1beta1.Role{task, ct.Get[*iamv1beta1.Role](t, d, keyExecutionRole)} {
		tp := *r.Spec.ForProvider.AssumeRolePolicy
		if !strings.Contains(tp, `"ecs-tasks.amazonaws.com"`) || !strings.Contains(tp, `"aws:SourceAccount":"123456789012"`) {
			t.Errorf("trust policy %s", tp)
		}
		if got := strings.Contains(tp, `"aws:SourceArn":"arn:aws:ecs:us-east-1:123456789012:*"`); got != (r == task) {
			t.Errorf("%s: source ARN condition %v: want it on the task role only", r.Annotations[wiring.AnnotationExternalName], got)
		}
	}

	s := spec()
	s.QueueURL, s.QueueARN, s.MessagingKeyARN = queueURL, queueARN, keyARN
	d = build(t, s, everythingReady())
	doc = policyOf(t, ct.Get[*iamv1beta1.Role](t, d, keyTaskRole))
	grants := map[string][]string{}
	for _, st := range doc.Statement {
		for _, a := range st.Action {
			grants[a] = st.Resource
		}
	}
	if !slices.Equal(grants["sqs:SendMessage"], []string{queueARN}) || !slices.Equal(grants["kms:GenerateDataKey"], []string{keyARN}) || !slices.Equal(grants["kms:Decrypt"], []string{keyARN}) || len(grants) != 4 {
		t.Errorf("task role with a queue grants %v", grants)
	}
	noWildcardOnWildcard(t, "task role", doc)

	exec := policyOf(t, ct.Get[*iamv1beta1.Role](t, d, keyExecutionRole))
	noWildcardOnWildcard(t, "execution role", exec)
	grants = map[string][]string{}
	for _, st := range exec.Statement {
		for _, a := range st.Action {
			grants[a] = st.Resource
		}
		if slices.Contains(st.Resource, "*") && !slices.Equal(st.Action, []string{"ecr:GetAuthorizationToken"}) {
			t.Errorf("execution role grants %v on *", st.Action)
		}
	}
	repo := "arn:aws:ecr:us-east-1:123456789012:repository/ecr-api-dev"
	if !slices.Equal(grants["ecr:BatchGetImage"], []string{repo}) || !slices.Equal(grants["logs:PutLogEvents"], []string{"arn:aws:logs:us-east-1:123456789012:log-group:logs-api-dev:*"}) {
		t.Errorf("execution role grants %v", grants)
	}
	s.Image = "210987654321.dkr.ecr.us-east-1.amazonaws.com/shared/payments:2.0"
	if st := ExecutionStatements(s, imageOf(s))[1]; !slices.Equal(st.Resource, []string{repo, "arn:aws:ecr:us-east-1:210987654321:repository/shared/payments"}) {
		t.Errorf("pull from another ECR repository: %v", st.Resource)
	}
	// The role keeps the proxy it was made for.
	kept := ct.Observed(ct.Res{Name: keyTaskRole, Fields: map[string]any{"metadata.annotations": map[string]any{AnnotationProxyResourceID: proxyID}}})
	s = spec()
	s.ProxyResourceID = ""
	if r, ok := build(t, s, kept).Get(keyTaskRole).(*iamv1beta1.Role); !ok || !strings.Contains(*r.Spec.ForProvider.InlinePolicy[0].Policy, proxyID) {
		t.Error("task role dropped or changed while the proxy id was not given")
	}
}

// TestCompute_ALBWithTLSAndRedirect_EDGE1: the ALB is in the public subnets
// with its own security group and drops invalid headers; HTTPS with the
// claim's certificate and a TLS 1.2+ policy, forwarding to the tasks; HTTP
// redirected to HTTPS. The HTTPS listener waits for a certificate and keeps it.
func TestCompute_ALBWithTLSAndRedirect_EDGE1(t *testing.T) {
	d := build(t, spec(), nil)
	lb := ct.Get[*elbv2v1beta1.LB](t, d, keyLB).Spec.ForProvider
	if lb.SubnetSelector.MatchLabels[wiring.LabelTier] != wiring.TierPublic || lb.SecurityGroupSelector.MatchLabels[wiring.LabelPurpose] != wiring.SGLoadBalancer || !*lb.DropInvalidHeaderFields || *lb.LoadBalancerType != "application" {
		t.Errorf("load balancer subnets %v groups %v drop invalid headers %v", lb.SubnetSelector.MatchLabels, lb.SecurityGroupSelector.MatchLabels, *lb.DropInvalidHeaderFields)
	}
	if len(*lb.Name) > 32 || *lb.Name != "alb-payments-dev" {
		t.Errorf("load balancer name %s", *lb.Name)
	}
	https := ct.Get[*elbv2v1beta1.LBListener](t, d, keyHTTPS).Spec.ForProvider
	if *https.Protocol != "HTTPS" || *https.Port != 443 || *https.CertificateArn != certARN || !strings.HasPrefix(*https.SSLPolicy, "ELBSecurityPolicy-TLS13-1-2-") {
		t.Errorf("HTTPS listener %s:%v cert %s policy %s", *https.Protocol, *https.Port, *https.CertificateArn, *https.SSLPolicy)
	}
	if a := https.DefaultAction[0]; *a.Type != "forward" || a.TargetGroupArnSelector.MatchLabels[wiring.LabelComponent] != componentTargetGroup {
		t.Errorf("HTTPS action %s to %v", *a.Type, a.TargetGroupArnSelector)
	}
	http := ct.Get[*elbv2v1beta1.LBListener](t, d, keyHTTP).Spec.ForProvider
	if r := http.DefaultAction[0].Redirect; *http.Port != 80 || *http.DefaultAction[0].Type != "redirect" || *r.Protocol != "HTTPS" || *r.Port != "443" || *r.StatusCode != "HTTP_301" {
		t.Errorf("HTTP listener on %v: %s %+v", *http.Port, *http.DefaultAction[0].Type, r)
	}
	s := spec()
	s.CertificateARN = ""
	if d := build(t, s, nil); d.Get(keyHTTPS) != nil || !strings.Contains(strings.Join(d.Waiting, "\n"), "spec.parameters.certificateArn") {
		t.Errorf("HTTPS listener without a certificate; waiting %v", d.Waiting)
	}
	kept := ct.Observed(ct.Res{Name: keyHTTPS, Fields: map[string]any{"spec.forProvider.certificateArn": certARN}})
	if l, ok := build(t, s, kept).Get(keyHTTPS).(*elbv2v1beta1.LBListener); !ok || *l.Spec.ForProvider.CertificateArn != certARN {
		t.Error("HTTPS listener dropped or changed when the certificate was not given")
	}
}

type wafRule struct {
	Name           string
	Priority       int
	Action         map[string]any
	OverrideAction map[string]any
	Statement      map[string]json.RawMessage
}

func rulesOf(t *testing.T, s string) []wafRule {
	t.Helper()
	var rules []wafRule
	if err := json.Unmarshal([]byte(s), &rules); err != nil {
		t.Fatalf("rule JSON %s: %v", s, err)
	}
	return rules
}

// TestCompute_WAF_EDGE2: the layer's rule group blocks SQL injection and XSS
// in body, query string, URI path and headers, URL- and HTML-decoded; the web
// ACL runs a rate limit, the three AWS managed groups and the rule group; it
// is associated with the ALB and logs to an aws-waf-logs- group encrypted with
// the logs key and kept seven years.
func TestCompute_WAF_EDGE2(t *testing.T) {
	d := build(t, spec(), everythingReady())
	rg := ct.Get[*wafv2v1beta1.RuleGroup](t, d, keyRuleGroup).Spec.ForProvider
	if *rg.Scope != "REGIONAL" || *rg.Capacity != RuleGroupCapacity {
		t.Errorf("rule group scope %s capacity %v", *rg.Scope, *rg.Capacity)
	}
	found := map[string]map[string]bool{}
	for _, r := range rulesOf(t, *rg.RuleJSON) {
		if _, ok := r.Action["Block"]; !ok {
			t.Errorf("rule %s does not block", r.Name)
		}
		var or struct {
			Statements []map[string]struct {
				FieldToMatch        map[string]any
				TextTransformations []struct{ Type string }
			}
		}
		if err := json.Unmarshal(r.Statement["OrStatement"], &or); err != nil {
			t.Fatal(err)
		}
		for _, st := range or.Statements {
			for kind, m := range st {
				var types []string
				for _, tt := range m.TextTransformations {
					types = append(types, tt.Type)
				}
				if !slices.Contains(types, "URL_DECODE") || !slices.Contains(types, "HTML_ENTITY_DECODE") {
					t.Errorf("%s %v transforms %v", kind, m.FieldToMatch, types)
				}
				for f := range m.FieldToMatch {
					if found[kind] == nil {
						found[kind] = map[string]bool{}
					}
					found[kind][f] = true
				}
			}
		}
	}
	all := map[string]bool{"Body": true, "QueryString": true, "UriPath": true, "Headers": true}
	for _, kind := range []string{"SqliMatchStatement", "XssMatchStatement"} {
		if !reflect.DeepEqual(found[kind], all) {
			t.Errorf("%s inspects %v, want %v", kind, found[kind], all)
		}
	}

	acl := ct.Get[*wafv2v1beta1.WebACL](t, d, keyWebACL).Spec.ForProvider
	if *acl.Scope != "REGIONAL" || acl.DefaultAction.Allow == nil || *acl.DefaultAction.Allow.CustomRequestHandling.InsertHeader[0].Name != InspectedHeader {
		t.Errorf("web ACL scope %s", *acl.Scope)
	}
	var managed []string
	rate, own := false, false
	for _, r := range rulesOf(t, *acl.RuleJSON) {
		switch {
		case r.Statement["RateBasedStatement"] != nil:
			var rb struct{ Limit int }
			_ = json.Unmarshal(r.Statement["RateBasedStatement"], &rb)
			rate = rb.Limit == api.DefaultRateLimit && r.Action["Block"] != nil
		case r.Statement["ManagedRuleGroupStatement"] != nil:
			var m struct{ VendorName, Name string }
			_ = json.Unmarshal(r.Statement["ManagedRuleGroupStatement"], &m)
			if m.VendorName == "AWS" && r.OverrideAction["None"] != nil {
				managed = append(managed, m.Name)
			}
		case r.Statement["RuleGroupReferenceStatement"] != nil:
			own = strings.Contains(string(r.Statement["RuleGroupReferenceStatement"]), groupARN)
		}
	}
	slices.Sort(managed)
	if !rate || !own || !slices.Equal(managed, []string{"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"}) {
		t.Errorf("web ACL: rate rule %v, own group %v, managed %v", rate, own, managed)
	}

	as := ct.Get[*wafv2v1beta1.WebACLAssociation](t, d, keyWebACLAssoc).Spec.ForProvider
	if *as.ResourceArn != lbARN || as.WebACLArnSelector.MatchLabels[wiring.LabelComponent] != componentWebACL {
		t.Errorf("association of %s with %v", *as.ResourceArn, as.WebACLArnSelector)
	}
	lg := ct.Get[*wafv2v1beta1.WebACLLoggingConfiguration](t, d, keyWebACLLogging).Spec.ForProvider
	dest := *lg.LogDestinationConfigs[0]
	group := ct.Get[*cwlv1beta1.Group](t, d, keyLogGroup(LogWAF))
	name := group.Annotations[wiring.AnnotationExternalName]
	if !strings.HasPrefix(name, "aws-waf-logs-") || dest != "arn:aws:logs:us-east-1:123456789012:log-group:"+name {
		t.Errorf("WAF logs to %s (group %s), want an aws-waf-logs- group", dest, name)
	}
	if *group.Spec.ForProvider.RetentionInDays != 2557 || group.Spec.ForProvider.KMSKeyIDSelector.MatchLabels[wiring.LabelPurpose] != wiring.KeyLogs {
		t.Errorf("WAF log group retention %v key %v", *group.Spec.ForProvider.RetentionInDays, group.Spec.ForProvider.KMSKeyIDSelector.MatchLabels)
	}
	if len(lg.RedactedFields) != 2 || *lg.RedactedFields[1].SingleHeader.Name != "x-api-key" {
		t.Errorf("redacted %+v", lg.RedactedFields)
	}

	// Gates: the web ACL waits for the rule group's ARN, the association for
	// the ALB's, the logging for its group; none is dropped once it exists.
	d = build(t, spec(), nil)
	for _, k := range []string{keyWebACL, keyWebACLAssoc, keyWebACLLogging} {
		if d.Get(k) != nil {
			t.Errorf("%s composed before what it names exists", k)
		}
	}
	kept := ct.Observed(
		ct.Res{Name: keyWebACL, Fields: map[string]any{"metadata.annotations": map[string]any{AnnotationRuleGroupARN: groupARN}}},
		ct.Res{Name: keyWebACLAssoc, Fields: map[string]any{"spec.forProvider.resourceArn": lbARN}},
		ct.Res{Name: keyWebACLLogging},
	)
	d = build(t, spec(), kept)
	if a := ct.Get[*wafv2v1beta1.WebACL](t, d, keyWebACL); !strings.Contains(*a.Spec.ForProvider.RuleJSON, groupARN) {
		t.Error("web ACL lost its rule group")
	}
	if a := ct.Get[*wafv2v1beta1.WebACLAssociation](t, d, keyWebACLAssoc); *a.Spec.ForProvider.ResourceArn != lbARN {
		t.Error("association lost its load balancer")
	}
	ct.Get[*wafv2v1beta1.WebACLLoggingConfiguration](t, d, keyWebACLLogging)
}

// TestCompute_ALBReachableOnlyThroughAPIGateway_EDGE3: the ALB has no public
// address, and its security group admits HTTPS from the environment's VPC
// link group and nothing else; the tasks admit the ALB
// only. Clients cannot reach the ALB around API Gateway's mutual TLS.
func TestCompute_ALBReachableOnlyThroughAPIGateway_EDGE3(t *testing.T) {
	d := build(t, spec(), nil)
	if !*ct.Get[*elbv2v1beta1.LB](t, d, keyLB).Spec.ForProvider.Internal {
		t.Error("load balancer is internet-facing")
	}
	admits := map[string][]string{}
	for k, r := range ct.Of[*ec2v1beta1.SecurityGroupIngressRule](d) {
		p := r.Spec.ForProvider
		if p.CidrIPv4 != nil || p.CidrIPv6 != nil || p.PrefixListID != nil || p.ReferencedSecurityGroupIDSelector == nil {
			t.Errorf("%s admits an address range, not a security group: %+v", k, p)
			continue
		}
		to := p.SecurityGroupIDSelector.MatchLabels[wiring.LabelPurpose]
		from := p.ReferencedSecurityGroupIDSelector.MatchLabels
		if from[wiring.LabelEnvironment] == "" && (p.ReferencedSecurityGroupIDSelector.MatchControllerRef == nil || !*p.ReferencedSecurityGroupIDSelector.MatchControllerRef) {
			t.Errorf("%s selects its peer beyond the environment: %v", k, from)
		}
		admits[to] = append(admits[to], from[wiring.LabelPurpose])
		if to == wiring.SGLoadBalancer && (*p.FromPort != 443 || *p.ToPort != 443) {
			t.Errorf("%s opens ports %v-%v on the load balancer, want 443 only", k, *p.FromPort, *p.ToPort)
		}
	}
	if got := admits[wiring.SGLoadBalancer]; !slices.Equal(got, []string{wiring.SGVPCLink}) {
		t.Errorf("load balancer admits %v, want the VPC link only", got)
	}
	if got := admits[wiring.SGAPITasks]; !slices.Equal(got, []string{wiring.SGLoadBalancer}) {
		t.Errorf("tasks admit %v, want the load balancer only", got)
	}
	if len(admits) != 2 {
		t.Errorf("ingress rules on %v", admits)
	}

	// Without an API in front, the load balancer admits nothing.
	alone := spec()
	alone.APIGateway = false
	for k, r := range ct.Of[*ec2v1beta1.SecurityGroupIngressRule](build(t, alone, nil)) {
		if r.Spec.ForProvider.SecurityGroupIDSelector.MatchLabels[wiring.LabelPurpose] == wiring.SGLoadBalancer {
			t.Errorf("without an API, %s admits %v to the load balancer", k, r.Spec.ForProvider.ReferencedSecurityGroupIDSelector.MatchLabels)
		}
	}
}

// TestCompute_LogGroupsEncryptedKeptSevenYears_OBS3_X8: every log group is
// encrypted with the logs key and kept 2557 days, and the key outlives each.
func TestCompute_LogGroupsEncryptedKeptSevenYears_OBS3_X8(t *testing.T) {
	d := build(t, spec(), everythingReady())
	groups := ct.Of[*cwlv1beta1.Group](d)
	if len(groups) != 3 {
		t.Errorf("%d log groups, want 3", len(groups))
	}
	for k, g := range groups {
		if p := g.Spec.ForProvider; *p.RetentionInDays != 2557 || p.KMSKeyIDSelector.MatchLabels[wiring.LabelPurpose] != wiring.KeyLogs {
			t.Errorf("%s: retention %v key %v", k, *p.RetentionInDays, p.KMSKeyIDSelector.MatchLabels)
		}
	}
	uses := ct.Of[*usage.Usage](d)
	for _, use := range logUses {
		u := uses["usage-key-logs-by-"+keyLogGroup(use)]
		if u == nil || u.Spec.Of.Kind != "Key" || u.Spec.By.ResourceSelector.MatchLabels[wiring.LabelPurpose] != use {
			t.Errorf("no Usage keeps the logs key for %s: %+v", use, u)
		}
	}
	if n := ct.Count[*usage.Usage](build(t, spec(), nil)); n != 0 {
		t.Errorf("%d Usages before their log groups are ready", n)
	}
}

// TestCompute_Repositories_X3_X7: images encrypted, scanned on push, tags
// immutable, a lifecycle policy; kept in the data-retention mode, deleted with
// their images otherwise.
func TestCompute_Repositories_X3_X7(t *testing.T) {
	d := build(t, spec(), nil)
	repos := ct.Of[*ecrv1beta1.Repository](d)
	if len(repos) != 2 {
		t.Fatalf("%d repositories, want api and worker", len(repos))
	}
	for k, r := range repos {
		p := r.Spec.ForProvider
		if *p.EncryptionConfiguration[0].EncryptionType != "KMS" || !*p.ImageScanningConfiguration.ScanOnPush || *p.ImageTagMutability != "IMMUTABLE" || *p.ForceDelete {
			t.Errorf("%s: %+v", k, p)
		}
		if !slices.Equal(r.Spec.ManagementPolicies, xpv1.ManagementPolicies{"Observe", "Create", "Update", "LateInitialize"}) {
			t.Errorf("%s is not kept in the data-retention mode: %v", k, r.Spec.ManagementPolicies)
		}
	}
	for k, l := range ct.Of[*ecrv1beta1.LifecyclePolicy](d) {
		if !json.Valid([]byte(*l.Spec.ForProvider.Policy)) || !*l.Spec.ForProvider.RepositorySelector.MatchControllerRef {
			t.Errorf("%s: %s", k, *l.Spec.ForProvider.Policy)
		}
	}
	s := spec()
	s.RetainData = compose.Ptr(false)
	for k, r := range ct.Of[*ecrv1beta1.Repository](build(t, s, nil)) {
		if !*r.Spec.ForProvider.ForceDelete || len(r.Spec.ManagementPolicies) != 0 {
			t.Errorf("%s is not destroyable with retainData false", k)
		}
	}
}

// TestCompute_Status_API04: outputs once known, nothing before.
func TestCompute_Status_API04(t *testing.T) {
	if s := build(t, spec(), nil).Status; !reflect.ValueOf(s).IsZero() {
		t.Errorf("status before anything exists = %+v", s)
	}
	obs := everythingReady()
	for k, v := range ct.Observed(
		ct.Res{Name: keyLB, Fields: map[string]any{"status.atProvider.arn": lbARN, "status.atProvider.dnsName": "internal-alb.example"}},
		ct.Res{Name: keyCluster, Fields: map[string]any{wiring.ExternalNamePath: "ecs-payments-dev"}},
		ct.Res{Name: keyRepository(RepositoryAPI), Fields: map[string]any{"status.atProvider.repositoryUrl": "123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-api-dev"}},
		ct.Res{Name: keyLogGroup(LogWAF), Fields: map[string]any{wiring.ExternalNamePath: "aws-waf-logs-alb-dev"}},
	) {
		obs[k] = v
	}
	st := build(t, spec(), obs).Status.(api.ComputeStatus)
	if st.LoadBalancerARN != lbARN || st.LoadBalancerDNSName != "internal-alb.example" || st.ClusterName != "ecs-payments-dev" || st.MaxTasks != 60 ||
		st.RepositoryURLs[RepositoryAPI] == "" || st.LogGroups[LogWAF] != "aws-waf-logs-alb-dev" {
		t.Errorf("status = %+v", st)
	}
}

// TestCompute_Validate_API05: bad input is refused naming the field and the rule.
func TestCompute_Validate_API05(t *testing.T) {
	cases := map[string]struct {
		mutate func(*api.ComputeSpec)
		want   string
	}{
		"ImageTag":               {func(s *api.ComputeSpec) { s.Image = ".hidden" }, "spec.parameters.image"},
		"ImageReference":         {func(s *api.ComputeSpec) { s.Image = "Registry/App:1" }, "spec.parameters.image"},
		"ImageTooLong":           {func(s *api.ComputeSpec) { s.Image = "r.io/" + strings.Repeat("a", 251) + ":1" }, "spec.parameters.image: Too long"},
		"CPU":                    {func(s *api.ComputeSpec) { s.CPU = 300 }, "spec.parameters.cpu: Unsupported value: 300"},
		"MemoryForCPU":           {func(s *api.ComputeSpec) { s.Memory = 1024 }, "spec.parameters.memory: Invalid value: 1024: Fargate runs 1024 CPU units with 2048 to 8192 MiB in steps of 1024"},
		"ContainerPort":          {func(s *api.ComputeSpec) { s.ContainerPort = 80 }, "spec.parameters.containerPort"},
		"HealthCheckPath":        {func(s *api.ComputeSpec) { s.HealthCheckPath = "health" }, "spec.parameters.healthCheckPath"},
		"CertificateARN":         {func(s *api.ComputeSpec) { s.CertificateARN = "arn:aws:iam::123456789012:server-certificate/x" }, "spec.parameters.certificateArn"},
		"CertificateRegion":      {func(s *api.ComputeSpec) { s.CertificateARN = strings.Replace(certARN, "us-east-1", "eu-west-1", 1) }, "spec.parameters.certificateArn: Invalid value: \"" + strings.Replace(certARN, "us-east-1", "eu-west-1", 1) + "\": is in eu-west-1"},
		"RateLimit":              {func(s *api.ComputeSpec) { s.RateLimit = 5 }, "spec.parameters.rateLimit"},
		"ConcurrentTransactions": {func(s *api.ComputeSpec) { s.ConcurrentTransactions = 100001 }, "spec.parameters.concurrentTransactions"},
		"DatabaseEndpoint":       {func(s *api.ComputeSpec) { s.DatabaseEndpoint = "not a host" }, "spec.parameters.databaseEndpoint"},
		"ProxyResourceID":        {func(s *api.ComputeSpec) { s.ProxyResourceID = "cluster-ABC" }, "spec.parameters.proxyResourceId"},
		"ClientSecurityGroupID":  {func(s *api.ComputeSpec) { s.ClientSecurityGroupID = "client-api" }, "spec.parameters.clientSecurityGroupId"},
		"QueueWithoutKey":        {func(s *api.ComputeSpec) { s.QueueURL, s.QueueARN = queueURL, queueARN }, "spec.parameters.messagingKeyArn: Required value"},
		"QueueARN":               {func(s *api.ComputeSpec) { s.QueueURL, s.QueueARN, s.MessagingKeyARN = queueURL, "sqs-payments", keyARN }, "spec.parameters.queueArn"},
		"QueueURLRegion": {func(s *api.ComputeSpec) {
			s.QueueURL, s.QueueARN, s.MessagingKeyARN = strings.Replace(queueURL, "us-east-1", "us-west-2", 1), queueARN, keyARN
		}, "spec.parameters.queueUrl"},
		"AccountID":         {func(s *api.ComputeSpec) { s.AccountID = "12345" }, "spec.parameters.accountId"},
		"EnvironmentSuffix": {func(s *api.ComputeSpec) { s.EnvironmentSuffix = "dev-1" }, "spec.parameters.environmentSuffix"},
		"Region":            {func(s *api.ComputeSpec) { s.Region = "us-east-9" }, "spec.parameters.region"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := spec()
			tc.mutate(&s)
			if _, err := Build(s, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one naming %q", err, tc.want)
			}
		})
	}
	// Every valid Fargate size passes; the extremes are what AWS documents.
	for _, cpu := range aws.FargateCPUs {
		for _, mem := range aws.FargateMemory(cpu) {
			s := spec()
			s.CPU, s.Memory = cpu, mem
			if _, err := Build(s, nil); err != nil {
				t.Errorf("%d/%d: %v", cpu, mem, err)
			}
		}
	}
	if m := aws.FargateMemory(16384); m[0] != 32768 || m[len(m)-1] != 122880 {
		t.Errorf("16 vCPU memory %d..%d", m[0], m[len(m)-1])
	}
	s := spec()
	s.Image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/payments/api@sha256:" + strings.Repeat("0", 64)
	if _, err := Build(s, nil); err != nil {
		t.Errorf("a digest reference: %v", err)
	}
}

// TestCompute_SelectorsStayInEnvironment_X4: every selector matches this XR's
// own resources or the environment's.
func TestCompute_SelectorsStayInEnvironment_X4(t *testing.T) {
	d := build(t, spec(), everythingReady())
	for name, o := range d.Resources {
		u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o)
		if err != nil {
			t.Fatal(err)
		}
		ct.CheckSelectors(t, string(name), u, "dev")
	}
	if n := len(d.Resources); n > 40 {
		t.Errorf("%d resources, over the 40 an XR may compose", n)
	}
}

// TestMustJSON_PanicsRatherThanRenderABrokenDocument: a value JSON cannot
// hold is a builder bug, which the function turns into a fatal result.
func TestMustJSON_PanicsRatherThanRenderABrokenDocument(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("mustJSON rendered a value JSON cannot hold")
		}
	}()
	mustJSON(func() {})
}

func BenchmarkBuild(b *testing.B) {
	s, obs := spec(), everythingReady()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(s, obs); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCompute_WithinAWSRules_X6: every managed resource the layer composes,
// at the longest suffix, obeys AWS's rules for its kind (functions/platform/aws).
func TestCompute_WithinAWSRules_X6(t *testing.T) {
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{appautoscalingv1beta1.AddToScheme, cwlv1beta1.AddToScheme, ec2v1beta1.AddToScheme,
		ecrv1beta1.AddToScheme, ecsv1beta1.AddToScheme, elbv2v1beta1.AddToScheme, iamv1beta1.AddToScheme, wafv2v1beta1.AddToScheme} {
		if err := add(scheme); err != nil {
			t.Fatal(err)
		}
	}
	s := spec()
	s.EnvironmentSuffix = "prodeu1abcde"
	s.QueueURL, s.QueueARN, s.MessagingKeyARN = queueURL, queueARN, keyARN
	d := build(t, s, everythingReady())
	for name, o := range d.Resources {
		if _, ok := o.(*usage.Usage); ok {
			continue
		}
		gvks, _, err := scheme.ObjectKinds(o)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o)
		if err != nil {
			t.Fatal(err)
		}
		errs, known := aws.Check(gvks[0].Group, gvks[0].Kind, u)
		if !known {
			t.Errorf("%s: no AWS rules for %s", name, gvks[0])
		}
		for _, e := range errs {
			t.Errorf("%s: %v", name, e)
		}
	}
}
