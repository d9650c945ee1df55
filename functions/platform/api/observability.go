package api

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"regexp"
	"slices"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
)

// KindObservability is the kind of the observability layer's XR: the
// dashboard, the alarms and the encrypted topic they notify (SPEC OBS-1,
// OBS-2, ASY-5).
const KindObservability = "Observability"

// ObservabilitySpec is an Observability's spec.parameters.
type ObservabilitySpec struct {
	compose.Common
	// AccountID is the account whose alarms alone may publish to the topic
	// (aws:SourceAccount).
	AccountID string `json:"accountId"`
	// MessagingKeyARN is the key the topic is encrypted with: the keys
	// layer's messaging key (status.keys.keyArns.messaging). The topic, and
	// so every alarm, waits for it.
	MessagingKeyARN string `json:"messagingKeyArn,omitempty"`

	// What the service layer reports (the Compute's status): the ALB and its
	// target group, whose ARNs' tails are the ALB metrics' dimensions, the
	// web ACL, whose name is WAF's, and the ECS cluster and service.
	LoadBalancerARN string `json:"loadBalancerArn,omitempty"`
	TargetGroupARN  string `json:"targetGroupArn,omitempty"`
	WebACLARN       string `json:"webAclArn,omitempty"`
	ClusterName     string `json:"clusterName,omitempty"`
	ServiceName     string `json:"serviceName,omitempty"`
	// DBClusterIdentifier is the Aurora cluster's (status.database.clusterIdentifier).
	DBClusterIdentifier string `json:"dbClusterIdentifier,omitempty"`
	// What the messaging layer reports (the Messaging's status): the
	// payment queue and its dead-letter queue, whose ARNs' tails are SQS's
	// QueueName dimension, and the worker function.
	QueueARN           string `json:"queueArn,omitempty"`
	DeadLetterQueueARN string `json:"deadLetterQueueArn,omitempty"`
	FunctionName       string `json:"functionName,omitempty"`

	ObservabilitySettings
}

// ObservabilitySettings are what a tenant tunes: the claim's
// spec.parameters.observability.
type ObservabilitySettings struct {
	// Subscriptions are who hears the alarms.
	Subscriptions []Subscription `json:"subscriptions,omitempty"`
	// Thresholds are the alarms' limits; each has a default.
	Thresholds AlarmThresholds `json:"thresholds,omitempty"`
}

// A Subscription is an endpoint of the alarm topic.
type Subscription struct {
	// Protocol is one of SubscriptionProtocols.
	Protocol string `json:"protocol"`
	// Endpoint is an email address (email, email-json), an https:// URL
	// (https), or an SQS queue's or Lambda function's ARN (sqs, lambda).
	Endpoint string `json:"endpoint"`
}

// AlarmThresholds are the alarms' limits (docs/architecture.md, "The
// observability layer", says why each default).
type AlarmThresholds struct {
	// ALB5XXRatePercent: the ALB's and its targets' 5xx answers, as a
	// percentage of its requests, above which it alarms.
	ALB5XXRatePercent float64 `json:"alb5xxRatePercent,omitempty"`
	// LatencyP99Milliseconds: the targets' p99 response time above which it alarms.
	LatencyP99Milliseconds int `json:"latencyP99Milliseconds,omitempty"`
	// SuccessRatePercent: the transaction success rate below which it alarms.
	SuccessRatePercent float64 `json:"successRatePercent,omitempty"`
	// QueueAgeSeconds: the age of the payment queue's oldest message above
	// which it alarms.
	QueueAgeSeconds int `json:"queueAgeSeconds,omitempty"`
	// WorkerErrors: the worker's errors in five minutes from which it alarms.
	WorkerErrors int `json:"workerErrors,omitempty"`
	// DatabaseCPUPercent and DatabaseFreeableMemoryMiB: Aurora's CPU above,
	// and freeable memory below, which it alarms.
	DatabaseCPUPercent        int `json:"databaseCpuPercent,omitempty"`
	DatabaseFreeableMemoryMiB int `json:"databaseFreeableMemoryMiB,omitempty"`
	// ServiceCPUPercent and ServiceMemoryPercent: the API service's CPU and
	// memory above which it alarms (it scales at 70% and 80%: above these
	// it has stopped scaling).
	ServiceCPUPercent    int `json:"serviceCpuPercent,omitempty"`
	ServiceMemoryPercent int `json:"serviceMemoryPercent,omitempty"`
}

// Observability defaults and bounds.
const (
	DefaultALB5XXRatePercent         = 1.0
	DefaultLatencyP99Milliseconds    = 1000
	DefaultSuccessRatePercent        = 99.0
	DefaultQueueAgeSeconds           = 300
	DefaultWorkerErrors              = 5
	DefaultDatabaseCPUPercent        = 80
	DefaultDatabaseFreeableMemoryMiB = 256
	DefaultServiceCPUPercent         = 85
	DefaultServiceMemoryPercent      = 90
	// MaxLatencyMilliseconds is API Gateway's integration timeout: a slower
	// answer never reaches a client.
	MaxLatencyMilliseconds = 29000
	// MinQueueAgeSeconds and MaxQueueAgeSeconds: a minute (SQS reports
	// each minute) to SQS's longest retention, 14 days.
	MinQueueAgeSeconds = 60
	MaxQueueAgeSeconds = 1209600
	MaxWorkerErrors    = 1000000
	// MaxFreeableMemoryMiB is the memory of Aurora's largest instances.
	MaxFreeableMemoryMiB = 1048576
	// MaxSubscriptions keeps the layer within 40 composed resources: the
	// topic, its policy, the key's Usage, the dashboard and ObservabilityAlarms
	// alarms leave room for these and a few alarms more.
	MaxSubscriptions = 10
	// MaxEmailLength is the longest address SMTP carries; MaxURLLength bounds
	// an https endpoint.
	MaxEmailLength = 254
	MaxURLLength   = 2048
)

// ObservabilityAlarms are the purposes of the layer's alarms, in a fixed order.
var ObservabilityAlarms = []string{
	"alb-5xx-rate", "api-latency-p99", "transaction-success-rate",
	"dlq-not-empty", "queue-oldest-message", "worker-errors", "worker-throttles",
	"aurora-cpu", "aurora-freeable-memory", "ecs-cpu", "ecs-memory",
}

// SubscriptionProtocols are the protocols a subscription may use: none
// without TLS (http), none needing a role of its own (firehose,
// application) and no SMS.
var SubscriptionProtocols = []string{"email", "email-json", "https", "lambda", "sqs"}

var (
	emailAddress = regexp.MustCompile(`^[A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$`)
	sqsQueueARN  = regexp.MustCompile(`^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,80}$`)
	lambdaARN    = regexp.MustCompile(`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$`)
	obsKeyARN    = regexp.MustCompile(`^arn:aws[a-z-]*:kms:([a-z0-9-]+):[0-9]{12}:key/[0-9a-f-]{36}$`)
	// The ARNs whose tails are CloudWatch dimensions: an ALB's
	// (LoadBalancer: app/<name>/<id>), a target group's (TargetGroup:
	// targetgroup/<name>/<id>), a regional web ACL's (WebACL: its name).
	loadBalancerARN = regexp.MustCompile(`^arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):[0-9]{12}:loadbalancer/(app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16})$`)
	targetGroupARN  = regexp.MustCompile(`^arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):[0-9]{12}:(targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16})$`)
	sqsARN          = regexp.MustCompile(`^arn:aws[a-z-]*:sqs:([a-z0-9-]+):[0-9]{12}:([A-Za-z0-9_-]{1,80})$`)
	webACLARN       = regexp.MustCompile(`^arn:aws[a-z-]*:wafv2:([a-z0-9-]+):[0-9]{12}:regional/webacl/([A-Za-z0-9_-]{1,128})/[0-9a-f-]{36}$`)
	ecsName         = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)
	dbClusterID     = regexp.MustCompile(`^[a-z]([a-z0-9]|-[a-z0-9]){0,62}$`)
	functionName    = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
)

// LoadBalancerDimension returns the LoadBalancer dimension of the ALB of
// arn, app/<name>/<id>, and its region; false for anything else.
func LoadBalancerDimension(arn string) (dimension, region string, ok bool) {
	return tail(loadBalancerARN, arn)
}

// TargetGroupDimension returns the TargetGroup dimension of the target group
// of arn, targetgroup/<name>/<id>, and its region; false for anything else.
func TargetGroupDimension(arn string) (dimension, region string, ok bool) {
	return tail(targetGroupARN, arn)
}

// QueueName returns the name of the standard SQS queue of arn, SQS's
// QueueName dimension, and its region; false for anything else.
func QueueName(arn string) (name, region string, ok bool) {
	return tail(sqsARN, arn)
}

// WebACLName returns the name of the regional web ACL of arn, WAF's WebACL
// dimension, and its region; false for anything else.
func WebACLName(arn string) (name, region string, ok bool) {
	return tail(webACLARN, arn)
}

func tail(pattern *regexp.Regexp, arn string) (string, string, bool) {
	if len(arn) > MaxARNLength {
		return "", "", false
	}
	m := pattern.FindStringSubmatch(arn)
	if m == nil {
		return "", "", false
	}
	return m[2], m[1], true
}

// SubscriptionID is what tells a subscription apart from the others, stable
// however the list is ordered: a hash of its protocol and endpoint.
func SubscriptionID(s Subscription) string {
	sum := sha256.Sum256([]byte(s.Protocol + "\x00" + s.Endpoint))
	return hex.EncodeToString(sum[:5])
}

// Default fills in what the claim left out.
func (s *ObservabilitySettings) Default() {
	t := &s.Thresholds
	if t.ALB5XXRatePercent == 0 {
		t.ALB5XXRatePercent = DefaultALB5XXRatePercent
	}
	if t.LatencyP99Milliseconds == 0 {
		t.LatencyP99Milliseconds = DefaultLatencyP99Milliseconds
	}
	if t.SuccessRatePercent == 0 {
		t.SuccessRatePercent = DefaultSuccessRatePercent
	}
	if t.QueueAgeSeconds == 0 {
		t.QueueAgeSeconds = DefaultQueueAgeSeconds
	}
	if t.WorkerErrors == 0 {
		t.WorkerErrors = DefaultWorkerErrors
	}
	if t.DatabaseCPUPercent == 0 {
		t.DatabaseCPUPercent = DefaultDatabaseCPUPercent
	}
	if t.DatabaseFreeableMemoryMiB == 0 {
		t.DatabaseFreeableMemoryMiB = DefaultDatabaseFreeableMemoryMiB
	}
	if t.ServiceCPUPercent == 0 {
		t.ServiceCPUPercent = DefaultServiceCPUPercent
	}
	if t.ServiceMemoryPercent == 0 {
		t.ServiceMemoryPercent = DefaultServiceMemoryPercent
	}
}

// Validate checks the settings at p: spec.parameters for an Observability,
// spec.parameters.observability for a PaymentPlatform.
func (s *ObservabilitySettings) Validate(p *field.Path) field.ErrorList {
	errs := s.validateSubscriptions(p.Child("subscriptions"))
	t, tp := s.Thresholds, p.Child("thresholds")
	percent := func(name string, v float64) {
		if v <= 0 || v > 100 {
			errs = append(errs, field.Invalid(tp.Child(name), v, "must be a percentage above 0, at most 100"))
		}
	}
	between := func(name string, v, lo, hi int, why string) {
		if v < lo || v > hi {
			errs = append(errs, field.Invalid(tp.Child(name), v, fmt.Sprintf("must be %d to %d%s", lo, hi, why)))
		}
	}
	percent("alb5xxRatePercent", t.ALB5XXRatePercent)
	percent("successRatePercent", t.SuccessRatePercent)
	between("latencyP99Milliseconds", t.LatencyP99Milliseconds, 1, MaxLatencyMilliseconds, " (API Gateway's integration timeout)")
	between("queueAgeSeconds", t.QueueAgeSeconds, MinQueueAgeSeconds, MaxQueueAgeSeconds, " (a minute to SQS's 14-day retention)")
	between("workerErrors", t.WorkerErrors, 1, MaxWorkerErrors, "")
	between("databaseCpuPercent", t.DatabaseCPUPercent, 1, 100, "")
	between("databaseFreeableMemoryMiB", t.DatabaseFreeableMemoryMiB, 1, MaxFreeableMemoryMiB, "")
	between("serviceCpuPercent", t.ServiceCPUPercent, 1, 100, "")
	between("serviceMemoryPercent", t.ServiceMemoryPercent, 1, 100, "")
	return errs
}

func (s *ObservabilitySettings) validateSubscriptions(p *field.Path) field.ErrorList {
	if len(s.Subscriptions) > MaxSubscriptions {
		return field.ErrorList{field.TooMany(p, len(s.Subscriptions), MaxSubscriptions)}
	}
	var errs field.ErrorList
	seen := map[Subscription]bool{}
	for i, sub := range s.Subscriptions {
		at := p.Index(i)
		if seen[sub] {
			errs = append(errs, field.Duplicate(at, sub))
			continue
		}
		seen[sub] = true
		if !slices.Contains(SubscriptionProtocols, sub.Protocol) {
			errs = append(errs, field.NotSupported(at.Child("protocol"), sub.Protocol, SubscriptionProtocols))
			continue
		}
		errs = append(errs, validateEndpoint(at.Child("endpoint"), sub)...)
	}
	return errs
}

func validateEndpoint(p *field.Path, s Subscription) field.ErrorList {
	e := s.Endpoint
	switch s.Protocol {
	case "email", "email-json":
		if len(e) > MaxEmailLength || !emailAddress.MatchString(e) {
			return field.ErrorList{field.Invalid(p, e, fmt.Sprintf("must be an email address of at most %d characters", MaxEmailLength))}
		}
	case "https":
		u, err := url.Parse(e)
		if len(e) > MaxURLLength || err != nil || u.Scheme != "https" || u.Hostname() == "" || u.User != nil || u.Fragment != "" {
			return field.ErrorList{field.Invalid(p, e, fmt.Sprintf("must be an https:// URL with a host and no credentials (they would sit in the spec), at most %d characters", MaxURLLength))}
		}
	case "sqs":
		if !sqsQueueARN.MatchString(e) {
			return field.ErrorList{field.Invalid(p, e, "must be a standard SQS queue's ARN (arn:aws:sqs:<region>:<account>:<name>; a standard topic cannot deliver to a FIFO queue)")}
		}
	case "lambda":
		if len(e) > MaxARNLength || !lambdaARN.MatchString(e) {
			return field.ErrorList{field.Invalid(p, e, "must be a Lambda function's ARN (arn:aws:lambda:<region>:<account>:function:<name>[:<alias or version>])")}
		}
	}
	return nil
}

// Default fills in what the XR left out.
func (s *ObservabilitySpec) Default() {
	if s.Region == "" {
		s.Region = DefaultRegion
	}
	s.ObservabilitySettings.Default()
}

// Validate checks the parameters at p: what a tenant tunes, and what the
// claim copies from the other layers' status.
func (s *ObservabilitySpec) Validate(p *field.Path) field.ErrorList {
	errs := s.Common.Validate(p)
	if len(errs) == 0 {
		for _, u := range ObservabilityNames() {
			if _, err := naming.Name(u.Kind, u.Purpose, s.EnvironmentSuffix); err != nil {
				errs = append(errs, field.Invalid(p.Child("environmentSuffix"), s.EnvironmentSuffix, fmt.Sprintf("makes a name AWS refuses: %v", err)))
				break
			}
		}
	}
	errs = append(errs, compose.ValidateAccountID(p.Child("accountId"), s.AccountID)...)
	if k := s.MessagingKeyARN; k != "" {
		errs = append(errs, regional(p.Child("messagingKeyArn"), k, obsKeyARN, s.Region,
			"must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>; status.keys.keyArns.messaging)")...)
	}
	arn := func(name, v string, parse func(string) (string, string, bool), rule string) {
		if v == "" {
			return
		}
		if _, region, ok := parse(v); !ok {
			errs = append(errs, field.Invalid(p.Child(name), v, rule))
		} else if region != s.Region {
			errs = append(errs, field.Invalid(p.Child(name), v, fmt.Sprintf("is in %s; it must be in the XR's region, %s", region, s.Region)))
		}
	}
	arn("loadBalancerArn", s.LoadBalancerARN, LoadBalancerDimension,
		"must be an application load balancer's ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>; status.compute.loadBalancerArn)")
	arn("targetGroupArn", s.TargetGroupARN, TargetGroupDimension,
		"must be a target group's ARN (arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>; status.compute.targetGroupArn)")
	arn("webAclArn", s.WebACLARN, WebACLName,
		"must be a regional web ACL's ARN (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>; status.compute.webAclArn)")
	arn("queueArn", s.QueueARN, QueueName,
		"must be a standard SQS queue's ARN (arn:aws:sqs:<region>:<account>:<name>; status.messaging.queueArn)")
	arn("deadLetterQueueArn", s.DeadLetterQueueARN, QueueName,
		"must be a standard SQS queue's ARN (arn:aws:sqs:<region>:<account>:<name>; status.messaging.deadLetterQueueArn)")
	name := func(n, v string, pattern *regexp.Regexp, rule string) {
		if v != "" && !pattern.MatchString(v) {
			errs = append(errs, field.Invalid(p.Child(n), v, rule))
		}
	}
	name("clusterName", s.ClusterName, ecsName, "must be an ECS cluster name: 1 to 255 letters, digits, - and _ (status.compute.clusterName)")
	name("serviceName", s.ServiceName, ecsName, "must be an ECS service name: 1 to 255 letters, digits, - and _ (status.compute.serviceName)")
	name("dbClusterIdentifier", s.DBClusterIdentifier, dbClusterID, "must be an Aurora cluster identifier: a lowercase letter, then up to 62 lowercase letters, digits and single hyphens, not ending with one (status.database.clusterIdentifier)")
	name("functionName", s.FunctionName, functionName, "must be a Lambda function name: 1 to 64 letters, digits, - and _ (status.messaging.functionName)")
	return append(errs, s.ObservabilitySettings.Validate(p)...)
}

// ObservabilityNames are the AWS names the observability layer derives
// (SPEC ), for the claim's names table (Names) once it composes an
// Observability; an Observability checks them itself before composing.
func ObservabilityNames() []NameUse {
	out := []NameUse{
		{Kind: naming.SNSTopic, Purpose: "alarms", Zone: -1},
		{Kind: naming.Dashboard, Purpose: "payments", Zone: -1},
		{Kind: naming.MetricNamespace, Zone: -1},
	}
	for _, a := range ObservabilityAlarms {
		out = append(out, NameUse{Kind: naming.MetricAlarm, Purpose: a, Zone: -1})
	}
	return out
}

// ObservabilityStatus is an Observability's status.
type ObservabilityStatus struct {
	// TopicARN is the alarm topic's: more subscriptions may be made to it.
	TopicARN string `json:"topicArn,omitempty"`
	// MetricNamespace is where the API and the worker publish the
	// transaction metrics (docs/metrics.md).
	MetricNamespace string `json:"metricNamespace,omitempty"`
	DashboardName   string `json:"dashboardName,omitempty"`
	DashboardURL    string `json:"dashboardUrl,omitempty"`
	// AlarmNames lists every alarm, once all exist.
	AlarmNames []string `json:"alarmNames,omitempty"`
	// Warnings are problems the tenant should hear about that block nothing
	// (a subscription removed from the spec but kept in AWS).
	Warnings []string `json:"warnings,omitempty"`
}
