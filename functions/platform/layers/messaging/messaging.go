// Package messaging builds the messaging layer (SPEC ASY-1…ASY-5): the
// payment queue and its dead-letter queue, both encrypted with the messaging
// key and reachable over TLS only; the worker Lambda, a container image in the
// private subnets with the database's worker client group, triggered by the
// queue with partial batch failure reporting and bounded concurrency; its
// least-privilege execution role and its encrypted log group.
package messaging

import (
	"fmt"

	cwlv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatchlogs/v1beta1"
	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"
	iamv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/iam/v1beta1"
	lambdav1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/lambda/v1beta1"
	sqsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/sqs/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/layer"
	"github.com/fintech-platform/payment-platform/functions/platform/logs"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// Layer is the messaging layer's entry in the function's registry.
var Layer = layer.New[api.MessagingSpec, api.MessagingStatus](api.KindMessaging, Build,
	&sqsv1beta1.Queue{}, &cwlv1beta1.Group{}, &iamv1beta1.Role{},
	&ec2v1beta1.SecurityGroup{}, &ec2v1beta1.SecurityGroupEgressRule{},
	&lambdav1beta1.Function{}, &lambdav1beta1.EventSourceMapping{})

// Components only this layer's own resources select on.
const (
	componentQueue    = "queue"
	componentLogGroup = "log-group"
	componentRole     = "role"
	componentFunction = "function"
	componentMapping  = "event-source-mapping"
)

// Queue purposes, values of LabelPurpose on the queues.
const (
	queuePayments   = "payments"
	queueDeadLetter = "dead-letter"
)

// Pipeline keys.
const (
	keyQueue    = "queue-payments"
	keyDLQ      = "queue-dead-letter"
	keyLogGroup = "log-group-worker"
	keyRole     = "role-worker"
	keySG       = "security-group-worker"
	keyEgress   = "egress-worker-https"
	keyFunction = "function-worker"
	keyMapping  = "event-source-mapping-worker"
)

// Annotations by which a resource remembers a value it was made from, so that
// it keeps it while its source is not (yet, or any more) given.
const (
	AnnotationProxyResourceID = wiring.LabelPrefix + "proxy-resource-id"
	AnnotationMessagingKeyARN = wiring.LabelPrefix + "messaging-key-arn"
)

// DeadLetterRetentionSeconds is the dead-letter queue's retention: 14 days,
// SQS's longest (ASY-1), for an operator to look at a failed payment.
const DeadLetterRetentionSeconds = 14 * 24 * 60 * 60

// QueueRetentionSeconds is the payment queue's: 4 days, SQS's default. A
// message keeps its first enqueue time when it moves to the dead-letter
// queue, so the dead-letter queue's retention must be the longer.
const QueueRetentionSeconds = 4 * 24 * 60 * 60

// Names, all from the naming package (SPEC X-1).
func queueName(purpose, suffix string) string {
	p := api.MessagingQueuePurpose
	if purpose == queueDeadLetter {
		p = api.MessagingDLQPurpose
	}
	return naming.MustName(naming.SQSQueue, p, suffix)
}

// FunctionName is the worker's name.
func FunctionName(suffix string) string {
	return naming.MustName(naming.LambdaFunction, api.MessagingWorkerPurpose, suffix)
}

// LogGroupName is the worker's log group: where Lambda writes a function's
// logs by default, which the layer makes first, encrypted and kept, so that
// Lambda never makes it itself. The keys layer's logs key admits it
// (keys.LogGroupARNs: it ends -<suffix>).
func LogGroupName(suffix string) string { return "/aws/lambda/" + FunctionName(suffix) }

func roleName(suffix string) string {
	return naming.MustName(naming.IAMRole, api.MessagingWorkerRolePurpose, suffix)
}

func sgName(suffix string) string {
	return naming.MustName(naming.SecurityGroup, api.MessagingWorkerRolePurpose, suffix)
}

// arn builds an ARN of the spec's account and region.
func arn(spec api.MessagingSpec, service, resource string) string {
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, spec.Region, spec.AccountID, resource)
}

// QueueARN is the ARN of the layer's queue of purpose. SQS makes it from the
// account, region and name, so the policies that name a queue need not wait
// for it.
func QueueARN(spec api.MessagingSpec, purpose string) string {
	return arn(spec, "sqs", queueName(purpose, spec.EnvironmentSuffix))
}

// Build returns the messaging layer's desired resources for spec given what is observed.
func Build(spec api.MessagingSpec, obs compose.Observed) (*compose.Desired, error) {
	spec.Default()
	if errs := spec.Validate(api.Parameters); len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	c := spec.Common
	d := compose.NewDesired()
	d.Add(keyLogGroup, logs.Group(c, LogGroupName(c.EnvironmentSuffix),
		c.Env().Labels(wiring.LayerMessaging, wiring.LabelComponent, componentLogGroup)))
	addQueues(d, spec, obs)
	addSecurityGroup(d, spec)
	addRole(d, spec, obs)
	addFunction(d, spec, obs)
	addMapping(d, spec, obs)
	addUsages(d, spec, obs)
	d.Status = status(obs)
	return d, nil
}

// status gathers the outputs the claim, the service layer and the tenant
// need, each once known.
func status(obs compose.Observed) api.MessagingStatus {
	return api.MessagingStatus{
		QueueURL:           obs.String(keyQueue, "status.atProvider.url"),
		QueueARN:           obs.String(keyQueue, "status.atProvider.arn"),
		DeadLetterQueueURL: obs.String(keyDLQ, "status.atProvider.url"),
		DeadLetterQueueARN: obs.String(keyDLQ, "status.atProvider.arn"),
		FunctionName:       obs.String(keyFunction, wiring.ExternalNamePath),
		FunctionARN:        obs.String(keyFunction, "status.atProvider.arn"),
		LogGroup:           obs.String(keyLogGroup, wiring.ExternalNamePath),
	}
}
