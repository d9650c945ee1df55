// Package wiring is the contract between layers: the labels every composed
// resource carries, the label values one layer selects another's resources by,
// the selectors that do the selecting, the external-name metadata, and the
// statements more than one layer grants (rds-db:connect).
//
// Layers never import one another (golangci-lint's depguard enforces it); what
// one layer makes and another uses is spelled here once, so both sides agree.
// A label value only one layer's own resources select on (the proxy's
// component, say) is a constant of that layer, not of this package.
package wiring

import (
	"fmt"

	xpv1 "github.com/crossplane/crossplane-runtime/v2/apis/common/v1"
	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"
	kmsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/kms/v1beta1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/fintech-platform/payment-platform/functions/platform/iampolicy"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/usage"
)

// LabelPrefix starts every label the platform sets.
const LabelPrefix = "payments.platform.io/"

// The labels every managed resource and layer XR carries. Layers find each
// other's resources with label selectors in the tenant namespace, never by
// copied ids.
const (
	// LabelEnvironment is the claim's environmentSuffix.
	LabelEnvironment = LabelPrefix + "environment"
	// LabelLayer is the layer that composed the resource (Layer* below).
	LabelLayer = LabelPrefix + "layer"
	// LabelComponent says what the resource is within its layer (Component* below).
	LabelComponent = LabelPrefix + "component"
	// LabelTier is the subnet tier (Tier* below).
	LabelTier = LabelPrefix + "tier"
	// LabelZone is the availability zone the resource lives in.
	LabelZone = LabelPrefix + "zone"
	// LabelPurpose is what a key, security group or other shared resource is for.
	LabelPurpose = LabelPrefix + "purpose"
)

// Layers, the values of LabelLayer.
const (
	LayerNetwork   = "network"
	LayerKeys      = "keys"
	LayerDatabase  = "database"
	LayerCompute   = "compute"
	LayerAPI       = "api"
	LayerMessaging = "messaging"
	LayerDocuments = "documents"
	// LayerObservability is the dashboard, the alarms and their topic.
	LayerObservability = "observability"
)

// Components other layers select on, values of LabelComponent.
const (
	ComponentVPC               = "vpc"
	ComponentSubnet            = "subnet"
	ComponentRouteTable        = "route-table"
	ComponentKMSKey            = "kms-key"
	ComponentSecurityGroup     = "security-group"
	ComponentSecurityGroupRule = "security-group-rule"
	ComponentUsage             = usage.Component
)

// Subnet tiers, values of LabelTier, in the order their CIDR blocks are carved
// from the VPC.
const (
	TierPublic   = "public"
	TierPrivate  = "private"
	TierDatabase = "database"
)

// Tiers lists the subnet tiers in CIDR order.
var Tiers = []string{TierPublic, TierPrivate, TierDatabase}

// RepositoryWorker is the service layer's repository of the worker's image,
// which the messaging layer runs: its key in the Compute's
// status.repositoryUrls.
const RepositoryWorker = "worker"

// AccessLogPrefix is where S3 writes server access logs in the documents
// layer's log bucket, whose policy admits S3's logging service under it only:
// the documents buckets' and the API layer's truststore bucket's.
const AccessLogPrefix = "access/"

// Key purposes, values of LabelPurpose on the keys layer's keys: each names the
// data store the key protects.
const (
	KeyDatabase         = "database"
	KeyDocuments        = "documents"
	KeyDocumentsReplica = "documents-replica"
	KeyMessaging        = "messaging"
	KeyLogs             = "logs"
	KeySecrets          = "secrets"
)

// KeyPurposes lists every key the keys layer makes, in a fixed order.
var KeyPurposes = []string{KeyDatabase, KeyDocuments, KeyDocumentsReplica, KeyMessaging, KeyLogs, KeySecrets}

// Security-group purposes, values of LabelPurpose on security groups (and on
// their rules). Every security group is labeled the same way: SecurityGroup.
// The database layer makes the client groups and the layers whose workloads
// connect attach them (ADR 0004).
const (
	SGNAT          = "nat"
	SGEndpoints    = "endpoints"
	SGDatabase     = "database"
	SGProxy        = "proxy"
	SGClientAPI    = "client-api"
	SGClientWorker = "client-worker"
	// SGLoadBalancer is the compute layer's ALB; it admits only SGVPCLink.
	SGLoadBalancer = "load-balancer"
	// SGVPCLink is the API layer's VPC link to the ALB (EDGE-3).
	SGVPCLink = "vpc-link"
	// SGAPITasks is the compute layer's Fargate tasks; they admit only SGLoadBalancer.
	SGAPITasks = "api-tasks"
	// SGWorker is the messaging layer's worker function: it admits nothing
	// and reaches HTTPS only; the database's SGClientWorker reaches the proxy.
	SGWorker = "worker"
)

// Database users workloads connect as, with IAM tokens through the proxy.
// Each must exist in PostgreSQL with the rds_iam role (ADR 0006).
const (
	DBUserAPI    = "payments_api"
	DBUserWorker = "payments_worker"
)

// DBUsers lists the workload database users.
var DBUsers = []string{DBUserAPI, DBUserWorker}

// Env is an environment: the claim's environmentSuffix. Its methods label a
// resource of the environment and select the environment's resources.
type Env string

// Labels returns the labels of a resource of layer in this environment, plus
// extra key/value pairs.
func (e Env) Labels(layer string, kv ...string) map[string]string {
	l := make(map[string]string, 2+len(kv)/2)
	l[LabelEnvironment], l[LabelLayer] = string(e), layer
	for i := 0; i+1 < len(kv); i += 2 {
		l[kv[i]] = kv[i+1]
	}
	return l
}

// SecurityGroup returns the labels of layer's security group for purpose, and
// of its rules when component is ComponentSecurityGroupRule.
func (e Env) SecurityGroup(layer, component, purpose string) map[string]string {
	return e.Labels(layer, LabelComponent, component, LabelPurpose, purpose)
}

// Select returns a selector for resources of this environment carrying the
// given labels: how one layer refers to another's resources.
func (e Env) Select(kv ...string) *xpv1.NamespacedSelector {
	l := make(map[string]string, 1+len(kv)/2)
	l[LabelEnvironment] = string(e)
	for i := 0; i+1 < len(kv); i += 2 {
		l[kv[i]] = kv[i+1]
	}
	return &xpv1.NamespacedSelector{MatchLabels: l}
}

// SelectVPC selects the environment's VPC.
func (e Env) SelectVPC() *xpv1.NamespacedSelector {
	return e.Select(LabelComponent, ComponentVPC)
}

// SelectSubnet selects the environment's subnet of tier in zone.
func (e Env) SelectSubnet(tier, zone string) *xpv1.NamespacedSelector {
	return e.Select(LabelComponent, ComponentSubnet, LabelTier, tier, LabelZone, zone)
}

// SelectSubnets selects all the environment's subnets of tier, one per zone,
// for a list reference.
func (e Env) SelectSubnets(tier string) *xpv1.NamespacedSelector {
	return e.Select(LabelComponent, ComponentSubnet, LabelTier, tier)
}

// SelectRouteTable selects the environment's route table of tier in zone
// (private route tables are per zone).
func (e Env) SelectRouteTable(tier, zone string) *xpv1.NamespacedSelector {
	return e.Select(LabelComponent, ComponentRouteTable, LabelTier, tier, LabelZone, zone)
}

// SelectKey selects the environment's KMS key for purpose.
func (e Env) SelectKey(purpose string) *xpv1.NamespacedSelector {
	return e.Select(LabelComponent, ComponentKMSKey, LabelPurpose, purpose)
}

// SelectSecurityGroup selects the environment's security group for purpose.
func (e Env) SelectSecurityGroup(purpose string) *xpv1.NamespacedSelector {
	return e.Select(LabelComponent, ComponentSecurityGroup, LabelPurpose, purpose)
}

// KeyRef is the environment's key of purpose as the used side of a Usage: the
// layers whose resources a key encrypts keep it until those are gone (SPEC X-8).
func (e Env) KeyRef(purpose string) usage.Ref {
	return usage.Ref{GVK: kmsv1beta1.Key_GroupVersionKind, Selector: e.SelectKey(purpose)}
}

// SubnetRef is the environment's subnet of tier in zone as the used side of a Usage.
func (e Env) SubnetRef(tier, zone string) usage.Ref {
	return usage.Ref{GVK: ec2v1beta1.Subnet_GroupVersionKind, Selector: e.SelectSubnet(tier, zone)}
}

// Own returns a selector for a resource composed by the same XR, told apart
// from its siblings by the given labels.
func Own(kv ...string) *xpv1.NamespacedSelector {
	t := true
	s := &xpv1.NamespacedSelector{MatchControllerRef: &t}
	if len(kv) > 0 {
		s.MatchLabels = make(map[string]string, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			s.MatchLabels[kv[i]] = kv[i+1]
		}
	}
	return s
}

// OwnSecurityGroup selects the security group for purpose composed by the same XR.
func OwnSecurityGroup(purpose string) *xpv1.NamespacedSelector {
	return Own(LabelComponent, ComponentSecurityGroup, LabelPurpose, purpose)
}

// AnnotationExternalName carries a managed resource's name in AWS, for the
// kinds whose AWS identifier is a name we choose (roles, log groups, aliases…).
const AnnotationExternalName = "crossplane.io/external-name"

// ExternalNamePath is the field path of the external name in observed state.
const ExternalNamePath = "metadata.annotations[" + AnnotationExternalName + "]"

// Meta returns object metadata carrying labels.
func Meta(labels map[string]string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Labels: labels}
}

// Named returns object metadata carrying labels, for a resource named name in AWS.
func Named(name string, labels map[string]string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Labels: labels, Annotations: map[string]string{AnnotationExternalName: name}}
}

// ConnectARN is the resource of rds-db:connect for user on the cluster (or
// proxy) with resource id resourceID: cluster-ABC… for the cluster,
// prx-0123… for the proxy.
func ConnectARN(region, account, resourceID, user string) string {
	return fmt.Sprintf("arn:aws:rds-db:%s:%s:dbuser:%s/%s", region, account, resourceID, user)
}

// ConnectStatement allows connecting with IAM tokens as users, and as no one
// else, to the cluster or proxy with resource id resourceID. The database
// layer's proxy role has it for the cluster; the service and messaging layers
// put it in their task and worker roles (SPEC CMP-4, ASY-4) for the proxy,
// whose resource id the claim passes them from the database's status.
func ConnectStatement(region, account, resourceID string, users ...string) iampolicy.Statement {
	arns := make([]string, 0, len(users))
	for _, u := range users {
		arns = append(arns, ConnectARN(region, account, resourceID, u))
	}
	return iampolicy.Allow("ConnectAsOwnDatabaseUser", []string{"rds-db:connect"}, arns...)
}

// MetricNamespace is the CloudWatch namespace of environment suffix's custom
// metrics, Payments/<suffix> (docs/metrics.md): the observability layer's
// dashboard and alarms read it, the API's and the worker's roles may publish
// to it.
func MetricNamespace(suffix string) string {
	return naming.MustName(naming.MetricNamespace, "", suffix)
}

// PutMetricsStatement allows publishing custom metrics to environment
// suffix's namespace and no other. PutMetricData has no resource-level
// permissions: the cloudwatch:namespace condition is what narrows it.
func PutMetricsStatement(suffix string) iampolicy.Statement {
	return iampolicy.Statement{
		Sid:       "PutOwnEnvironmentsMetrics",
		Effect:    "Allow",
		Action:    []string{"cloudwatch:PutMetricData"},
		Resource:  []string{"*"},
		Condition: map[string]map[string]any{"StringEquals": {"cloudwatch:namespace": MetricNamespace(suffix)}},
	}
}
