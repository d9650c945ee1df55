// Package observability builds the observability layer (SPEC OBS-1, OBS-2,
// ASY-5): an SNS topic encrypted with the messaging key that only the
// account's CloudWatch alarms may publish to, over TLS, and the tenant's
// subscriptions to it; a CloudWatch dashboard of the transaction metrics the
// API and the worker publish (docs/metrics.md) and the health of the ALB, ECS,
// Aurora, SQS and its dead-letter queue, the worker Lambda and WAF; and the
// alarms on errors and saturation, each notifying the topic when it fires and
// when it clears.
//
// What the layer watches it learns from its spec, which the claim fills from
// the other layers' status: a widget or alarm whose dimension is not known
// yet waits rather than watch a metric nothing publishes.
package observability

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	cwv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatch/v1beta1"
	snsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/sns/v1beta1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/iampolicy"
	"github.com/fintech-platform/payment-platform/functions/platform/layer"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/usage"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// Layer is the observability layer's entry in the function's registry.
var Layer = layer.New[api.ObservabilitySpec, api.ObservabilityStatus](api.KindObservability, Build,
	&snsv1beta1.Topic{}, &snsv1beta1.TopicPolicy{}, &snsv1beta1.TopicSubscription{},
	&cwv1beta1.Dashboard{}, &cwv1beta1.MetricAlarm{})

// Components only this layer's own resources select on.
const (
	componentTopic        = "topic"
	componentTopicPolicy  = "topic-policy"
	componentSubscription = "subscription"
	componentDashboard    = "dashboard"
	componentAlarm        = "alarm"
)

// Pipeline keys.
const (
	keyTopic       = "topic"
	keyTopicPolicy = "topic-policy"
	keyDashboard   = "dashboard"
	keyUsage       = "usage-key-" + wiring.KeyMessaging + "-by-" + keyTopic
	prefixSub      = "subscription-"
)

func keySubscription(s api.Subscription) string {
	return prefixSub + s.Protocol + "-" + api.SubscriptionID(s)
}
func keyAlarm(purpose string) string { return "alarm-" + purpose }

// AnnotationInput is the prefix of the dashboard's annotations that remember
// each input the layer was built from (AnnotationInput + its spec field), so
// that what exists keeps its dimensions while an input is not (yet, or any
// more) given.
const AnnotationInput = wiring.LabelPrefix + "input-"

// Names, all from the naming package (SPEC X-1).
func topicName(suffix string) string { return naming.MustName(naming.SNSTopic, "alarms", suffix) }

// DashboardName is the dashboard's name in environment suffix.
func DashboardName(suffix string) string {
	return naming.MustName(naming.Dashboard, "payments", suffix)
}

// AlarmName is the name of the alarm for purpose in environment suffix.
func AlarmName(purpose, suffix string) string {
	return naming.MustName(naming.MetricAlarm, purpose, suffix)
}

// MetricNamespace is where the API and the worker of environment suffix
// publish the transaction metrics (docs/metrics.md): one namespace per
// environment, so their roles may be allowed to publish to their own only
// (cloudwatch:namespace).
func MetricNamespace(suffix string) string { return wiring.MetricNamespace(suffix) }

// DashboardURL is where the console shows the dashboard.
func DashboardURL(region, suffix string) string {
	return fmt.Sprintf("https://%s.console.aws.amazon.com/cloudwatch/home?region=%s#dashboards:name=%s", region, region, DashboardName(suffix))
}

// Build returns the observability layer's desired resources for spec given what is observed.
func Build(spec api.ObservabilitySpec, obs compose.Observed) (*compose.Desired, error) {
	spec.Default()
	if errs := spec.Validate(api.Parameters); len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	b := &builder{spec: spec, c: spec.Common, obs: obs, d: compose.NewDesired()}
	b.in = b.inputs()
	b.topic()
	b.subscriptions()
	b.dashboard()
	b.alarms()
	b.d.Status = b.status()
	return b.d, nil
}

// builder holds what every part of the layer reads.
type builder struct {
	spec api.ObservabilitySpec
	c    compose.Common
	obs  compose.Observed
	d    *compose.Desired
	in   inputs
}

func (b *builder) labels(component string, kv ...string) map[string]string {
	return b.c.Env().Labels(wiring.LayerObservability, append([]string{wiring.LabelComponent, component}, kv...)...)
}

func (b *builder) meta(component string, kv ...string) metav1.ObjectMeta {
	return wiring.Meta(b.labels(component, kv...))
}

// inputs are the dimension values the widgets and alarms watch, each empty
// while unknown.
type inputs struct {
	loadBalancer, targetGroup, webACL     string
	cluster, service, dbCluster           string
	queue, deadLetterQueue, function      string
	loadBalancerARN, targetGroupARN, wARN string
	queueARN, deadLetterQueueARN          string
}

// inputs resolves each input: the spec's value, or while the spec has none
// the one the dashboard remembers.
func (b *builder) inputs() inputs {
	s := b.spec
	sticky := func(field, v string) string {
		return compose.Sticky(v, b.obs, keyDashboard, "metadata.annotations["+AnnotationInput+field+"]")
	}
	in := inputs{
		loadBalancerARN:    sticky("loadBalancerArn", s.LoadBalancerARN),
		targetGroupARN:     sticky("targetGroupArn", s.TargetGroupARN),
		wARN:               sticky("webAclArn", s.WebACLARN),
		cluster:            sticky("clusterName", s.ClusterName),
		service:            sticky("serviceName", s.ServiceName),
		dbCluster:          sticky("dbClusterIdentifier", s.DBClusterIdentifier),
		queueARN:           sticky("queueArn", s.QueueARN),
		deadLetterQueueARN: sticky("deadLetterQueueArn", s.DeadLetterQueueARN),
		function:           sticky("functionName", s.FunctionName),
	}
	// Remembered values were validated when they were given.
	in.loadBalancer, _, _ = api.LoadBalancerDimension(in.loadBalancerARN)
	in.targetGroup, _, _ = api.TargetGroupDimension(in.targetGroupARN)
	in.webACL, _, _ = api.WebACLName(in.wARN)
	in.queue, _, _ = api.QueueName(in.queueARN)
	in.deadLetterQueue, _, _ = api.QueueName(in.deadLetterQueueARN)
	return in
}

// annotations are what the dashboard remembers of the inputs.
func (in inputs) annotations() map[string]string {
	a := map[string]string{}
	for k, v := range map[string]string{
		"loadBalancerArn": in.loadBalancerARN, "targetGroupArn": in.targetGroupARN, "webAclArn": in.wARN,
		"clusterName": in.cluster, "serviceName": in.service, "dbClusterIdentifier": in.dbCluster,
		"queueArn": in.queueARN, "deadLetterQueueArn": in.deadLetterQueueARN, "functionName": in.function,
	} {
		if v != "" {
			a[AnnotationInput+k] = v
		}
	}
	return a
}

// topic adds the alarm topic, encrypted with the messaging key (OBS-2), its
// policy and the Usage that keeps the key while the topic exists.
func (b *builder) topic() {
	c, obs := b.c, b.obs
	name := topicName(c.EnvironmentSuffix)
	// The kind takes the key as a literal: kept by the topic once made.
	key := compose.Sticky(b.spec.MessagingKeyARN, obs, keyTopic, "spec.forProvider.kmsMasterKeyId")
	b.d.AddWhen(key != "", obs, keyTopic, &snsv1beta1.Topic{
		ObjectMeta: wiring.Named(name, b.labels(componentTopic)),
		Spec: snsv1beta1.TopicSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: snsv1beta1.TopicParameters{
				Region:         &c.Region,
				DisplayName:    compose.Ptr("Payments alarms (" + c.EnvironmentSuffix + ")"),
				KMSMasterKeyID: optional(key),
				// SHA256 signatures on what the topic delivers.
				SignatureVersion: compose.Ptr(float64(2)),
				Tags:             c.TagsFor(name),
			},
		},
	}, "the messaging key's ARN (spec.parameters.messagingKeyArn)")

	b.d.AddWhen(obs.Exists(keyTopic), obs, keyTopicPolicy, &snsv1beta1.TopicPolicy{
		ObjectMeta: b.meta(componentTopicPolicy),
		Spec: snsv1beta1.TopicPolicySpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: snsv1beta1.TopicPolicyParameters{
				Region:      &c.Region,
				ArnSelector: wiring.Own(wiring.LabelComponent, componentTopic),
				Policy:      compose.Ptr(TopicPolicy(c.Region, b.spec.AccountID, c.EnvironmentSuffix)),
			},
		},
	}, "the topic to be created")

	b.d.AddWhen(obs.Ready(keyTopic), obs, keyUsage,
		usage.New(b.c.Env().Labels(wiring.LayerObservability, wiring.LabelComponent, wiring.ComponentUsage),
			b.c.Env().KeyRef(wiring.KeyMessaging),
			usage.Ref{GVK: snsv1beta1.Topic_GroupVersionKind, Selector: wiring.Own(wiring.LabelComponent, componentTopic)}),
		"the topic to be ready")
}

// TopicARN is the ARN of the alarm topic of environment suffix.
func TopicARN(region, account, suffix string) string {
	return fmt.Sprintf("arn:aws:sns:%s:%s:%s", region, account, topicName(suffix))
}

// TopicPolicy lets the account's CloudWatch alarms of this environment, and
// no one else, publish to the topic, and refuses every request without TLS.
// The messaging key's policy lets CloudWatch use the key for it
// (keys.CloudWatchAlarmsToTopic).
func TopicPolicy(region, account, suffix string) string {
	topic := TopicARN(region, account, suffix)
	alarms := fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:*-%s", region, account, suffix)
	return iampolicy.JSON(
		iampolicy.Statement{
			Sid:       "CloudWatchAlarmsOfThisEnvironment",
			Effect:    "Allow",
			Principal: iampolicy.Service("cloudwatch.amazonaws.com"),
			Action:    []string{"sns:Publish"},
			Resource:  []string{topic},
			Condition: map[string]map[string]any{
				"StringEquals": {"aws:SourceAccount": account},
				"ArnLike":      {"aws:SourceArn": alarms},
			},
		},
		iampolicy.Statement{
			// An identity policy of the account could allow publishing;
			// this deny leaves CloudWatch the only publisher.
			Sid:       "OnlyCloudWatchPublishes",
			Effect:    "Deny",
			Principal: map[string]any{"AWS": "*"},
			Action:    []string{"sns:Publish"},
			Resource:  []string{topic},
			Condition: map[string]map[string]any{
				"StringNotEqualsIfExists": {"aws:PrincipalServiceName": "cloudwatch.amazonaws.com"},
			},
		},
		iampolicy.Statement{
			Sid:       "DenyInsecureTransport",
			Effect:    "Deny",
			Principal: map[string]any{"AWS": "*"},
			Action:    []string{"sns:*"},
			Resource:  []string{topic},
			Condition: map[string]map[string]any{
				"Bool": {"aws:SecureTransport": "false"},
			},
		},
	)
}

// subscriptions adds each subscription of the spec to the topic once it is
// ready, and keeps each one the spec no longer lists: Crossplane would delete
// it, and the platform deletes nothing on its own. The tenant is told to
// delete it by hand.
func (b *builder) subscriptions() {
	obs := b.obs
	listed := map[string]bool{}
	for _, s := range b.spec.Subscriptions {
		key := keySubscription(s)
		listed[key] = true
		b.d.AddWhen(obs.Ready(keyTopic), obs, key, b.subscription(s), "the topic to be ready")
	}
	for _, n := range slices.Sorted(maps.Keys(obs)) {
		key := string(n)
		if !strings.HasPrefix(key, prefixSub) || listed[key] {
			continue
		}
		s := api.Subscription{
			Protocol: obs.String(key, "spec.forProvider.protocol"),
			Endpoint: obs.String(key, "spec.forProvider.endpoint"),
		}
		b.d.Add(key, b.subscription(s))
		b.d.Warnings = append(b.d.Warnings, fmt.Sprintf("subscription %s %s is no longer in spec.parameters.subscriptions and is kept: delete its TopicSubscription (%s) to end it", s.Protocol, s.Endpoint, key))
	}
}

func (b *builder) subscription(s api.Subscription) *snsv1beta1.TopicSubscription {
	c := b.c
	return &snsv1beta1.TopicSubscription{
		ObjectMeta: b.meta(componentSubscription, wiring.LabelPurpose, api.SubscriptionID(s)),
		Spec: snsv1beta1.TopicSubscriptionSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: snsv1beta1.TopicSubscriptionParameters{
				Region:           &c.Region,
				TopicArnSelector: wiring.Own(wiring.LabelComponent, componentTopic),
				Protocol:         compose.Ptr(s.Protocol),
				Endpoint:         compose.Ptr(s.Endpoint),
			},
		},
	}
}

// status gathers the outputs the tenant needs, each once known.
func (b *builder) status() api.ObservabilityStatus {
	obs, suffix := b.obs, b.c.EnvironmentSuffix
	st := api.ObservabilityStatus{
		TopicARN: obs.String(keyTopic, "status.atProvider.arn"),
		Warnings: b.d.Warnings,
	}
	if obs.Exists(keyDashboard) {
		st.MetricNamespace = MetricNamespace(suffix)
		st.DashboardName = DashboardName(suffix)
		st.DashboardURL = DashboardURL(b.c.Region, suffix)
	}
	names := make([]string, 0, len(api.ObservabilityAlarms))
	for _, a := range api.ObservabilityAlarms {
		if !obs.Exists(keyAlarm(a)) {
			names = nil
			break
		}
		names = append(names, AlarmName(a, suffix))
	}
	if len(names) > 0 {
		st.AlarmNames = names
	}
	return st
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
