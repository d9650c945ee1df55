package aws

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
)

// The rules of the messaging layer's kinds (SQS queues, Lambda functions and
// their event source mappings) beyond their names (rules.go), and the values
// the CRDs type as plain numbers and strings.

// lambdaImageURI is an image Lambda runs: one in an ECR private registry, by
// tag or digest.
var (
	lambdaImageURI = regexp.MustCompile(`^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com/[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$`)
	sqsQueueARN    = regexp.MustCompile(`^arn:aws:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,80}$`)
)

// SQSVisibilityTimeout is AWS's rule: 0 to 43,200 seconds (12 hours).
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
func SQSVisibilityTimeout(n int64) error { return between("SQS visibility timeout (s)", n, 0, 43200) }

// SQSMessageRetention is AWS's rule: 60 seconds to 1,209,600 (14 days).
func SQSMessageRetention(n int64) error {
	return between("SQS message retention (s)", n, 60, 1209600)
}

// SQSReceiveWait is AWS's rule: a long poll waits 0 to 20 seconds.
func SQSReceiveWait(n int64) error { return between("SQS receive wait (s)", n, 0, 20) }

// SQSDataKeyReuse is AWS's rule: SQS reuses a data key 60 to 86,400 seconds.
func SQSDataKeyReuse(n int64) error { return between("SQS data key reuse period (s)", n, 60, 86400) }

// SQSRedrivePolicy is AWS's rule: a JSON object naming the dead-letter queue
// by ARN, with a maxReceiveCount of 1 to 1,000.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue.html
func SQSRedrivePolicy(s string) error {
	var p struct {
		DeadLetterTargetARN string `json:"deadLetterTargetArn"`
		MaxReceiveCount     *int64 `json:"maxReceiveCount"`
	}
	if err := json.Unmarshal([]byte(s), &p); err != nil {
		return fmt.Errorf("redrive policy is not a JSON object: %w", err)
	}
	if !sqsQueueARN.MatchString(p.DeadLetterTargetARN) {
		return fmt.Errorf("redrive policy's deadLetterTargetArn %q is not an SQS queue ARN", p.DeadLetterTargetARN)
	}
	if p.MaxReceiveCount == nil {
		return errors.New("redrive policy has no maxReceiveCount")
	}
	return between("redrive maxReceiveCount", *p.MaxReceiveCount, 1, 1000)
}

// SQSRedriveAllowPolicy is AWS's rule: redrivePermission allowAll, denyAll or
// byQueue; byQueue names 1 to 10 source queues, the others none.
func SQSRedriveAllowPolicy(s string) error {
	var p struct {
		RedrivePermission string   `json:"redrivePermission"`
		SourceQueueARNs   []string `json:"sourceQueueArns"`
	}
	if err := json.Unmarshal([]byte(s), &p); err != nil {
		return fmt.Errorf("redrive allow policy is not a JSON object: %w", err)
	}
	switch p.RedrivePermission {
	case "byQueue":
		if n := len(p.SourceQueueARNs); n < 1 || n > 10 {
			return fmt.Errorf("redrive allow policy byQueue names %d source queues; AWS wants 1 to 10", n)
		}
	case "allowAll", "denyAll":
		if len(p.SourceQueueARNs) > 0 {
			return fmt.Errorf("redrive allow policy %s names source queues, which only byQueue takes", p.RedrivePermission)
		}
	default:
		return fmt.Errorf("redrive permission %q is not allowAll, denyAll or byQueue", p.RedrivePermission)
	}
	return nil
}

// LambdaTimeout is AWS's rule: 1 to 900 seconds.
// https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html
func LambdaTimeout(n int64) error { return between("Lambda timeout (s)", n, 1, 900) }

// LambdaMemory is AWS's rule: 128 to 10,240 MB.
func LambdaMemory(n int64) error { return between("Lambda memory (MB)", n, 128, 10240) }

// LambdaImageURI is AWS's rule: a container image function runs an image of
// an ECR private repository.
// https://docs.aws.amazon.com/lambda/latest/dg/images-create.html
func LambdaImageURI(s string) error {
	if !lambdaImageURI.MatchString(s) {
		return fmt.Errorf("image %q is not an ECR image URI (<account>.dkr.ecr.<region>.amazonaws.com/<repository>:tag or @sha256:digest)", s)
	}
	return nil
}

// lambdaFunction reads a function: its timeout, memory and image, and an
// image function's package type.
func lambdaFunction(m map[string]any) error {
	var errs []error
	if v, ok := m["timeout"]; ok {
		errs = append(errs, integer(LambdaTimeout)(v))
	}
	if v, ok := m["memorySize"]; ok {
		errs = append(errs, integer(LambdaMemory)(v))
	}
	if v, ok := m["imageUri"]; ok {
		errs = append(errs, text(LambdaImageURI)(v))
		if m["packageType"] != "Image" {
			errs = append(errs, fmt.Errorf("function with an imageUri has packageType %v, want Image", m["packageType"]))
		}
	}
	if v, ok := m["reservedConcurrentExecutions"]; ok {
		if n, whole := wholeNumber(v); !whole || n < -1 {
			errs = append(errs, fmt.Errorf("reserved concurrency %v is not -1 (unreserved) or a count", v))
		}
	}
	return errors.Join(errs...)
}

// SQSEventSource is AWS's rule for an SQS event source mapping: a batch of 1
// to 10,000 messages, more than 10 only with a batching window of at least a
// second; a window of 0 to 300 seconds; a maximum concurrency of 2 to 1,000.
// https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
// https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
func SQSEventSource(batchSize, window, maxConcurrency int64) error {
	var errs []error
	errs = append(errs, between("SQS batch size", batchSize, 1, 10000), between("maximum batching window (s)", window, 0, 300))
	if batchSize > 10 && window < 1 {
		errs = append(errs, fmt.Errorf("batch size %d over 10 needs a maximum batching window of at least 1 s, not %d", batchSize, window))
	}
	if maxConcurrency != 0 {
		errs = append(errs, between("SQS event source maximum concurrency", maxConcurrency, 2, 1000))
	}
	return errors.Join(errs...)
}

// eventSourceMapping reads an SQS event source mapping's batch, window and
// concurrency (AWS's defaults where unset: 10, 0, no maximum).
func eventSourceMapping(m map[string]any) error {
	num := func(v any, def int64) int64 {
		if n, ok := wholeNumber(v); ok {
			return n
		}
		return def
	}
	var conc int64
	if sc, ok := m["scalingConfig"].(map[string]any); ok {
		conc = num(sc["maximumConcurrency"], 0)
	}
	return SQSEventSource(num(m["batchSize"], 10), num(m["maximumBatchingWindowInSeconds"], 0), conc)
}
