package api

import (
	"fmt"
	"regexp"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
)

// KindMessaging is the kind of the messaging layer's XR: the payment queue,
// its dead-letter queue and the worker Lambda that drains it (SPEC
// ASY-1…ASY-5).
const KindMessaging = "Messaging"

// MessagingSpec is a Messaging's spec.parameters.
type MessagingSpec struct {
	compose.Common
	// AccountID names the account in the queues' ARNs and the worker role's
	// policy.
	AccountID string `json:"accountId"`

	// What the other layers report, copied by the claim. Each resource that
	// needs one waits for it and keeps it once made.
	//
	// MessagingKeyARN is the keys layer's messaging key
	// (status.keys.keyArns.messaging): SQS takes the key by literal ARN, so
	// the queues, the worker's role and the worker wait for it.
	MessagingKeyARN string `json:"messagingKeyArn,omitempty"`
	// DatabaseEndpoint, ProxyResourceID and ClientSecurityGroupID are the
	// database layer's RDS Proxy endpoint, the proxy's resource id (the
	// role's rds-db:connect names it) and its client group for the worker
	// (status.database.securityGroupIds.client-worker), which the proxy
	// admits on 5432 (ADR 0004).
	DatabaseEndpoint      string `json:"databaseEndpoint,omitempty"`
	ProxyResourceID       string `json:"proxyResourceId,omitempty"`
	ClientSecurityGroupID string `json:"clientSecurityGroupId,omitempty"`
	// WorkerRepositoryURL is the service layer's worker repository
	// (status.compute.repositoryUrls.worker), where an image tag is looked
	// up. Not needed when the image is a full reference.
	WorkerRepositoryURL string `json:"workerRepositoryUrl,omitempty"`

	MessagingSettings
}

// MessagingSettings are what a tenant tunes: the claim's
// spec.parameters.messaging.
type MessagingSettings struct {
	// Image is the worker's container image: a tag of the worker repository
	// (1.4.2) or a full ECR image URI
	// (<account>.dkr.ecr.<region>.amazonaws.com/<repository>:tag or
	// @sha256:digest): Lambda runs images from ECR only. The worker waits
	// for it.
	Image string `json:"image,omitempty"`
	// TimeoutSeconds is the worker's timeout; the queue's visibility timeout
	// follows from it (ASY-3) and is never set by hand.
	TimeoutSeconds int `json:"timeoutSeconds,omitempty"`
	// MemoryMB is the worker's memory.
	MemoryMB int `json:"memoryMb,omitempty"`
	// ReservedConcurrency is how many workers may run at once, reserved for
	// them out of the account's concurrency (ASY-2).
	ReservedConcurrency int `json:"reservedConcurrency,omitempty"`
	// MaximumConcurrency is how many workers the queue's event source
	// mapping invokes at once: at most ReservedConcurrency, so messages are
	// not throttled back to the queue (and to the DLQ). Defaults to it.
	MaximumConcurrency int `json:"maximumConcurrency,omitempty"`
	// BatchSize is how many messages one invocation gets.
	BatchSize int `json:"batchSize,omitempty"`
	// MaximumBatchingWindowSeconds is how long Lambda gathers a batch.
	MaximumBatchingWindowSeconds int `json:"maximumBatchingWindowSeconds,omitempty"`
	// MaxReceiveCount is how many times a message is received before SQS
	// moves it to the dead-letter queue (ASY-1, ASY-5).
	MaxReceiveCount int `json:"maxReceiveCount,omitempty"`
}

// Messaging defaults and bounds: AWS's, unless said otherwise.
const (
	DefaultWorkerTimeoutSeconds = 30
	DefaultWorkerMemoryMB       = 512
	DefaultReservedConcurrency  = 10
	DefaultBatchSize            = 10
	DefaultMaxReceiveCount      = 5

	// Lambda: timeout 1 to 900 s, memory 128 to 10,240 MB.
	MinWorkerTimeoutSeconds = 1
	MaxWorkerTimeoutSeconds = 900
	MinWorkerMemoryMB       = 128
	MaxWorkerMemoryMB       = 10240
	// MaxReservedConcurrency is the default account concurrency (1,000) less
	// the 100 Lambda keeps unreserved.
	MaxReservedConcurrency = 900
	// An SQS event source mapping's maximum concurrency is 2 to 1,000.
	MinMaximumConcurrency = 2
	MaxMaximumConcurrency = 1000
	// An SQS event source mapping's batch is 1 to 10,000 messages (standard
	// queue); more than 10 needs a batching window of at least a second. The
	// window is 0 to 300 s.
	MaxBatchSize                      = 10000
	MaxBatchSizeWithoutWindow         = 10
	MaxMaximumBatchingWindowSeconds   = 300
	MinRedriveMaxReceiveCount         = 1
	MaxRedriveMaxReceiveCount         = 1000
	VisibilityTimeoutPerWorkerTimeout = 6
)

var (
	// ecrImageURI is an image in an ECR private registry, by tag or digest:
	// account, region.
	ecrImageURI = regexp.MustCompile(`^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com/[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$`)
	// ecrRepositoryURL is a repository's URL: account, region.
	ecrRepositoryURL = regexp.MustCompile(`^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com/[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$`)
)

// VisibilityTimeoutSeconds is the payment queue's visibility timeout for a
// worker timeout and batching window: six times the timeout, as AWS asks of
// a queue that triggers a Lambda, plus the batching window, during which
// received messages already count down (ASY-3).
func VisibilityTimeoutSeconds(workerTimeout, batchingWindow int) int {
	return VisibilityTimeoutPerWorkerTimeout*workerTimeout + batchingWindow
}

// Default fills in what the claim left out.
func (s *MessagingSettings) Default() {
	if s.TimeoutSeconds == 0 {
		s.TimeoutSeconds = DefaultWorkerTimeoutSeconds
	}
	if s.MemoryMB == 0 {
		s.MemoryMB = DefaultWorkerMemoryMB
	}
	if s.ReservedConcurrency == 0 {
		s.ReservedConcurrency = DefaultReservedConcurrency
	}
	if s.MaximumConcurrency == 0 {
		s.MaximumConcurrency = min(s.ReservedConcurrency, MaxMaximumConcurrency)
	}
	if s.BatchSize == 0 {
		s.BatchSize = DefaultBatchSize
	}
	if s.MaxReceiveCount == 0 {
		s.MaxReceiveCount = DefaultMaxReceiveCount
	}
}

// Validate checks the settings at p (spec.parameters for a Messaging,
// spec.parameters.messaging for a PaymentPlatform); region is the XR's.
func (s *MessagingSettings) Validate(p *field.Path, region string) field.ErrorList {
	var errs field.ErrorList
	if s.Image != "" {
		errs = append(errs, validateWorkerImage(p.Child("image"), s.Image, region)...)
	}
	inRange := func(name string, v, lo, hi int, why string) {
		if v < lo || v > hi {
			errs = append(errs, field.Invalid(p.Child(name), v, fmt.Sprintf("must be %d to %d %s", lo, hi, why)))
		}
	}
	inRange("timeoutSeconds", s.TimeoutSeconds, MinWorkerTimeoutSeconds, MaxWorkerTimeoutSeconds, "seconds (Lambda's bounds)")
	inRange("memoryMb", s.MemoryMB, MinWorkerMemoryMB, MaxWorkerMemoryMB, "MB (Lambda's bounds)")
	inRange("reservedConcurrency", s.ReservedConcurrency, MinMaximumConcurrency, MaxReservedConcurrency,
		"(at least the event source mapping's minimum maximumConcurrency; at most the default account concurrency of 1000 less the 100 Lambda keeps unreserved)")
	inRange("maximumConcurrency", s.MaximumConcurrency, MinMaximumConcurrency, MaxMaximumConcurrency, "(an SQS event source mapping's bounds)")
	if s.MaximumConcurrency > s.ReservedConcurrency {
		errs = append(errs, field.Invalid(p.Child("maximumConcurrency"), s.MaximumConcurrency,
			fmt.Sprintf("must not exceed reservedConcurrency (%d): invocations beyond the reserved concurrency are throttled and their messages return to the queue, and after maxReceiveCount receives land in the dead-letter queue", s.ReservedConcurrency)))
	}
	inRange("batchSize", s.BatchSize, 1, MaxBatchSize, "messages (an SQS event source mapping's bounds)")
	inRange("maximumBatchingWindowSeconds", s.MaximumBatchingWindowSeconds, 0, MaxMaximumBatchingWindowSeconds, "seconds (an event source mapping's bounds)")
	if s.BatchSize > MaxBatchSizeWithoutWindow && s.MaximumBatchingWindowSeconds < 1 {
		errs = append(errs, field.Invalid(p.Child("maximumBatchingWindowSeconds"), s.MaximumBatchingWindowSeconds,
			fmt.Sprintf("must be at least 1 when batchSize (%d) is over %d: AWS's rule for SQS event sources", s.BatchSize, MaxBatchSizeWithoutWindow)))
	}
	inRange("maxReceiveCount", s.MaxReceiveCount, MinRedriveMaxReceiveCount, MaxRedriveMaxReceiveCount, "receives (SQS's redrive bounds)")
	return errs
}

func validateWorkerImage(p *field.Path, image, region string) field.ErrorList {
	if len(image) > MaxImageLength {
		return field.ErrorList{field.TooLong(p, image, MaxImageLength)}
	}
	if ImageIsTag(image) {
		return nil
	}
	m := ecrImageURI.FindStringSubmatch(image)
	switch {
	case m == nil:
		return field.ErrorList{field.Invalid(p, image, "must be a tag of the worker repository (letters, digits, _ . -, up to 128, not starting with . or -) or an ECR image URI <account>.dkr.ecr.<region>.amazonaws.com/<repository>:tag or @sha256:<digest>: Lambda runs images from ECR only")}
	case m[2] != region:
		return field.ErrorList{field.Invalid(p, image, fmt.Sprintf("is in %s; Lambda runs images from the function's region, %s", m[2], region))}
	}
	return nil
}

// Default fills in what the XR left out.
func (s *MessagingSpec) Default() {
	if s.Region == "" {
		s.Region = DefaultRegion
	}
	s.MessagingSettings.Default()
}

// Validate checks the parameters at p: what a tenant tunes, and what the
// claim copies from the other layers' status.
func (s *MessagingSpec) Validate(p *field.Path) field.ErrorList {
	errs := s.Common.Validate(p)
	if len(errs) == 0 {
		errs = validateMessagingNames(p.Child("environmentSuffix"), s.EnvironmentSuffix)
	}
	errs = append(errs, ValidateAccountID(p.Child("accountId"), s.AccountID)...)
	if s.MessagingKeyARN != "" {
		errs = append(errs, regional(p.Child("messagingKeyArn"), s.MessagingKeyARN, keyARN, s.Region,
			"must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), the keys layer's messaging key")...)
	}
	if e := s.DatabaseEndpoint; e != "" && (len(e) > MaxEndpointLength || !endpointName.MatchString(e)) {
		errs = append(errs, field.Invalid(p.Child("databaseEndpoint"), e, "must be the RDS Proxy's DNS name (status.database.proxyEndpoint)"))
	}
	if id := s.ProxyResourceID; id != "" && !proxyID.MatchString(id) {
		errs = append(errs, field.Invalid(p.Child("proxyResourceId"), id, "must be the RDS Proxy's resource id, prx- and 17 hexadecimal digits (status.database.proxyResourceId)"))
	}
	if id := s.ClientSecurityGroupID; id != "" && !sgID.MatchString(id) {
		errs = append(errs, field.Invalid(p.Child("clientSecurityGroupId"), id, "must be a security group id, sg- and 8 or 17 hexadecimal digits (status.database.securityGroupIds.client-worker)"))
	}
	if u := s.WorkerRepositoryURL; u != "" {
		if m := ecrRepositoryURL.FindStringSubmatch(u); len(u) > MaxImageLength || m == nil {
			errs = append(errs, field.Invalid(p.Child("workerRepositoryUrl"), u, "must be an ECR repository URL, <account>.dkr.ecr.<region>.amazonaws.com/<repository> (status.compute.repositoryUrls.worker)"))
		} else if m[2] != s.Region {
			errs = append(errs, field.Invalid(p.Child("workerRepositoryUrl"), u, fmt.Sprintf("is in %s; Lambda runs images from the function's region, %s", m[2], s.Region)))
		}
	}
	return append(errs, s.MessagingSettings.Validate(p, s.Region)...)
}

// Messaging names: the payment queue, its dead-letter queue, the worker (and
// its log group, /aws/lambda/<worker>, which Lambda names), its role and its
// security group.
const (
	MessagingQueuePurpose      = "payments"
	MessagingDLQPurpose        = "payments-dlq"
	MessagingWorkerPurpose     = "payments-worker"
	MessagingWorkerRolePurpose = "worker"
)

// MessagingNames are the AWS names the messaging layer derives (SPEC X-1,
// X-6), for the claim's names table (Names) once it composes a Messaging; a
// Messaging checks them itself before composing.
func MessagingNames() []NameUse {
	return []NameUse{
		{Kind: naming.SQSQueue, Purpose: MessagingQueuePurpose, Zone: -1},
		{Kind: naming.SQSQueue, Purpose: MessagingDLQPurpose, Zone: -1},
		{Kind: naming.LambdaFunction, Purpose: MessagingWorkerPurpose, Zone: -1},
		{Kind: naming.IAMRole, Purpose: MessagingWorkerRolePurpose, Zone: -1},
		{Kind: naming.SecurityGroup, Purpose: MessagingWorkerRolePurpose, Zone: -1},
	}
}

// validateMessagingNames reports the suffix at p when it makes a name of
// MessagingNames that AWS refuses for its length.
func validateMessagingNames(p *field.Path, suffix string) field.ErrorList {
	for _, u := range MessagingNames() {
		if _, err := naming.Name(u.Kind, u.Purpose, suffix); err != nil {
			return field.ErrorList{field.Invalid(p, suffix, fmt.Sprintf("makes a name AWS refuses: %v", err))}
		}
	}
	return nil
}

// MessagingStatus is a Messaging's status: what the service layer sends to,
// the observability layer watches, and the tenant looks at.
type MessagingStatus struct {
	QueueURL           string `json:"queueUrl,omitempty"`
	QueueARN           string `json:"queueArn,omitempty"`
	DeadLetterQueueURL string `json:"deadLetterQueueUrl,omitempty"`
	DeadLetterQueueARN string `json:"deadLetterQueueArn,omitempty"`
	FunctionName       string `json:"functionName,omitempty"`
	FunctionARN        string `json:"functionArn,omitempty"`
	LogGroup           string `json:"logGroup,omitempty"`
}
