// Package compute builds the service layer (SPEC CMP-1…CMP-4, EDGE-1…EDGE-3):
// the payment API's ECR repositories, an ECS cluster with Container Insights,
// a Fargate task definition and service in the private subnets that scales on
// CPU and memory between one task per zone and the maximum docs/capacity.md
// derives from the load, the tasks' least-privilege roles; an internal ALB in
// the public subnets that only API Gateway's VPC link reaches (ADR 0013), with
// an HTTPS listener, an HTTP redirect, and a WAF web ACL that logs to an
// encrypted log group.
package compute

import (
	appautoscalingv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/appautoscaling/v1beta1"
	cwlv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatchlogs/v1beta1"
	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"
	ecrv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ecr/v1beta1"
	ecsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ecs/v1beta1"
	elbv2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/elbv2/v1beta1"
	iamv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/iam/v1beta1"
	wafv2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/wafv2/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/capacity"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/layer"
	"github.com/fintech-platform/payment-platform/functions/platform/logs"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// Layer is the service layer's entry in the function's registry.
var Layer = layer.New[api.ComputeSpec, api.ComputeStatus](api.KindCompute, Build,
	&ecrv1beta1.Repository{}, &ecrv1beta1.LifecyclePolicy{}, &cwlv1beta1.Group{}, &ecsv1beta1.Cluster{},
	&iamv1beta1.Role{}, &ecsv1beta1.TaskDefinition{}, &ecsv1beta1.Service{},
	&ec2v1beta1.SecurityGroup{}, &ec2v1beta1.SecurityGroupIngressRule{}, &ec2v1beta1.SecurityGroupEgressRule{},
	&elbv2v1beta1.LB{}, &elbv2v1beta1.LBTargetGroup{}, &elbv2v1beta1.LBListener{},
	&appautoscalingv1beta1.Target{}, &appautoscalingv1beta1.Policy{},
	&wafv2v1beta1.RuleGroup{}, &wafv2v1beta1.WebACL{}, &wafv2v1beta1.WebACLAssociation{}, &wafv2v1beta1.WebACLLoggingConfiguration{})

// Components only this layer's own resources select on.
const (
	componentRepository  = "repository"
	componentLifecycle   = "repository-lifecycle"
	componentLogGroup    = "log-group"
	componentCluster     = "ecs-cluster"
	componentRole        = "role"
	componentTaskDef     = "task-definition"
	componentService     = "service"
	componentLB          = "load-balancer"
	componentTargetGroup = "target-group"
	componentListener    = "listener"
	componentScaling     = "scaling"
	componentRuleGroup   = "waf-rule-group"
	componentWebACL      = "web-acl"
	componentWebACLUse   = "web-acl-use"
)

// Repositories: the API's image, and the worker's, which the messaging layer
// runs.
const (
	RepositoryAPI    = "api"
	RepositoryWorker = wiring.RepositoryWorker
)

// Repositories lists the layer's ECR repositories.
var Repositories = []string{RepositoryAPI, RepositoryWorker}

// Log groups, by use: the API's container log, WAF's request log, and the
// performance log Container Insights writes.
const (
	LogAPI               = "api"
	LogWAF               = "waf"
	LogContainerInsights = "container-insights"
)

// Role purposes.
const (
	roleTask      = "task"
	roleExecution = "execution"
)

// Annotations by which a resource remembers a value it was made from, so that
// it keeps it while its source is not (yet, or any more) given.
const (
	AnnotationProxyResourceID  = wiring.LabelPrefix + "proxy-resource-id"
	AnnotationImage            = wiring.LabelPrefix + "image"
	AnnotationDatabaseEndpoint = wiring.LabelPrefix + "database-endpoint"
	AnnotationRuleGroupARN     = wiring.LabelPrefix + "rule-group-arn"
)

// ContainerName is the API's container in the task definition.
const ContainerName = "api"

// Pipeline keys.
const (
	keyCluster       = "cluster"
	keyTaskRole      = "task-role"
	keyExecutionRole = "execution-role"
	keyTaskDef       = "task-definition"
	keyService       = "service"
	keyLB            = "load-balancer"
	keyTargetGroup   = "target-group"
	keyHTTPS         = "listener-https"
	keyHTTP          = "listener-http"
	keyScalingTarget = "scaling-target"
	keyRuleGroup     = "waf-rule-group"
	keyWebACL        = "web-acl"
	keyWebACLAssoc   = "web-acl-association"
	keyWebACLLogging = "web-acl-logging"
	keyScalingCPU    = "scaling-policy-cpu"
	keyScalingMemory = "scaling-policy-memory"
)

func keyRepository(r string) string { return "repository-" + r }
func keyLifecycle(r string) string  { return "lifecycle-policy-" + r }
func keyLogGroup(use string) string { return "log-group-" + use }
func keySG(purpose string) string   { return "security-group-" + purpose }

// Names, all from the naming package (SPEC X-1).
func clusterName(suffix string) string { return naming.MustName(naming.ECSCluster, "payments", suffix) }
func serviceName(suffix string) string { return naming.MustName(naming.ECSService, "api", suffix) }
func repositoryName(r, suffix string) string {
	return naming.MustName(naming.ECRRepository, r, suffix)
}

// LogGroupName is the name of the log group for use.
func LogGroupName(use, suffix string) string {
	switch use {
	case LogWAF:
		return naming.MustName(naming.WAFLogGroup, "alb", suffix)
	case LogContainerInsights:
		// Container Insights writes here; ECS picks the name, so it cannot
		// follow the {type}-{purpose}-{suffix} rule.
		return "/aws/ecs/containerinsights/" + clusterName(suffix) + "/performance"
	}
	return naming.MustName(naming.LogGroup, use, suffix)
}

// logUses lists the layer's log groups.
var logUses = []string{LogAPI, LogWAF, LogContainerInsights}

// Build returns the service layer's desired resources for spec given what is observed.
func Build(spec api.ComputeSpec, obs compose.Observed) (*compose.Desired, error) {
	spec.Default()
	if errs := spec.Validate(api.Parameters); len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	c := spec.Common
	d := compose.NewDesired()
	for _, use := range logUses {
		d.Add(keyLogGroup(use), logs.Group(c, LogGroupName(use, c.EnvironmentSuffix),
			c.Env().Labels(wiring.LayerCompute, wiring.LabelComponent, componentLogGroup, wiring.LabelPurpose, use)))
	}
	addRepositories(d, spec)
	addCluster(d, spec, obs)
	addRoles(d, spec, obs)
	addTaskDefinition(d, spec, obs)
	addSecurityGroups(d, spec)
	addLoadBalancer(d, spec, obs)
	addService(d, spec, obs)
	addScaling(d, spec, obs)
	addWAF(d, spec, obs)
	addUsages(d, spec, obs)
	d.Status = status(spec, obs)
	return d, nil
}

// status gathers the outputs the API layer and the tenant need, each once known.
func status(spec api.ComputeSpec, obs compose.Observed) api.ComputeStatus {
	st := api.ComputeStatus{
		LoadBalancerARN:     obs.String(keyLB, "status.atProvider.arn"),
		LoadBalancerDNSName: obs.String(keyLB, "status.atProvider.dnsName"),
		HTTPSListenerARN:    obs.String(keyHTTPS, "status.atProvider.arn"),
		TargetGroupARN:      obs.String(keyTargetGroup, "status.atProvider.arn"),
		WebACLARN:           obs.String(keyWebACL, "status.atProvider.arn"),
		ClusterName:         obs.String(keyCluster, wiring.ExternalNamePath),
		ServiceName:         obs.String(keyService, wiring.ExternalNamePath),
	}
	for _, r := range Repositories {
		if u := obs.String(keyRepository(r), "status.atProvider.repositoryUrl"); u != "" {
			if st.RepositoryURLs == nil {
				st.RepositoryURLs = map[string]string{}
			}
			st.RepositoryURLs[r] = u
		}
	}
	for _, use := range logUses {
		if n := obs.String(keyLogGroup(use), wiring.ExternalNamePath); n != "" {
			if st.LogGroups == nil {
				st.LogGroups = map[string]string{}
			}
			st.LogGroups[use] = n
		}
	}
	if obs.Exists(keyScalingTarget) {
		st.MaxTasks = capacity.MaxTasks(spec.ConcurrentTransactions)
	}
	return st
}
