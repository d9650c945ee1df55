package messaging

import (
	"encoding/json"

	sqsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/sqs/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/iampolicy"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// KMSDataKeyReuseSeconds is how long SQS reuses a data key before asking KMS
// for another: SQS's default, five minutes.
const KMSDataKeyReuseSeconds = 300

// ReceiveWaitSeconds makes receives long polls (Lambda's poller long-polls
// anyway; a tool receiving by hand should too).
const ReceiveWaitSeconds = 20

// QueuePolicy is a queue's access policy: anything but TLS is refused, for
// everyone (ASY-1; the queues' counterpart of the buckets' policies).
// Access itself comes from the principals' IAM policies: the worker role
// receives, the API's task role sends.
func QueuePolicy(queueARN string) string {
	return iampolicy.JSON(iampolicy.Statement{
		Sid:       "DenyInsecureTransport",
		Effect:    "Deny",
		Principal: map[string]any{"AWS": "*"},
		Action:    []string{"sqs:*"},
		Resource:  []string{queueARN},
		Condition: map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}},
	})
}

// redrivePolicy sends a message to the dead-letter queue after
// maxReceiveCount receives (ASY-1, ASY-5): the worker failed it that often.
type redrivePolicy struct {
	DeadLetterTargetARN string `json:"deadLetterTargetArn"`
	MaxReceiveCount     int    `json:"maxReceiveCount"`
}

// redriveAllowPolicy lets only the payment queue use the dead-letter queue.
type redriveAllowPolicy struct {
	RedrivePermission string   `json:"redrivePermission"`
	SourceQueueARNs   []string `json:"sourceQueueArns"`
}

// addQueues adds ASY-1: the dead-letter queue, then the payment queue, which
// redrives to it after maxReceiveCount receives and whose visibility timeout
// follows from the worker's timeout (ASY-3). Both are encrypted with the
// messaging key, which SQS takes by literal ARN only: they wait for it, and
// keep it once made. SQS refuses a redrive policy naming a queue that does
// not exist, so the payment queue waits for the dead-letter queue to be
// ready. In the data-retention mode both queues are kept, with the messages
// they hold (payments not yet processed, or failed); otherwise they are
// deleted with them.
func addQueues(d *compose.Desired, spec api.MessagingSpec, obs compose.Observed) {
	c := spec.Common
	queue := func(purpose, key string, p sqsv1beta1.QueueParameters) (*sqsv1beta1.Queue, string) {
		name := queueName(purpose, c.EnvironmentSuffix)
		keyARN := compose.Sticky(spec.MessagingKeyARN, obs, key, "spec.forProvider.kmsMasterKeyId")
		p.Region = &c.Region
		p.Name = &name
		p.FifoQueue = compose.Ptr(false)
		if keyARN != "" {
			p.KMSMasterKeyID = &keyARN
		}
		p.KMSDataKeyReusePeriodSeconds = compose.Ptr(float64(KMSDataKeyReuseSeconds))
		// sqsManagedSseEnabled stays unset: Terraform's aws_sqs_queue
		// refuses it beside kmsMasterKeyId, which already turns SSE-KMS on.
		p.ReceiveWaitTimeSeconds = compose.Ptr(float64(ReceiveWaitSeconds))
		p.Policy = compose.Ptr(QueuePolicy(QueueARN(spec, purpose)))
		p.Tags = c.TagsFor(name)
		return &sqsv1beta1.Queue{
			ObjectMeta: wiring.Meta(c.Env().Labels(wiring.LayerMessaging, wiring.LabelComponent, componentQueue, wiring.LabelPurpose, purpose)),
			Spec: sqsv1beta1.QueueSpec{
				ManagedResourceSpec: c.DataSpec(),
				ForProvider:         p,
			},
		}, keyARN
	}
	const waitKey = "the messaging key's ARN (spec.parameters.messagingKeyArn)"

	dlq, dlqKey := queue(queueDeadLetter, keyDLQ, sqsv1beta1.QueueParameters{
		MessageRetentionSeconds: compose.Ptr(float64(DeadLetterRetentionSeconds)),
		RedriveAllowPolicy: compose.Ptr(mustJSON(redriveAllowPolicy{
			RedrivePermission: "byQueue",
			SourceQueueARNs:   []string{QueueARN(spec, queuePayments)},
		})),
	})
	d.AddWhen(dlqKey != "", obs, keyDLQ, dlq, waitKey)

	q, qKey := queue(queuePayments, keyQueue, sqsv1beta1.QueueParameters{
		MessageRetentionSeconds:  compose.Ptr(float64(QueueRetentionSeconds)),
		VisibilityTimeoutSeconds: compose.Ptr(float64(api.VisibilityTimeoutSeconds(spec.TimeoutSeconds, spec.MaximumBatchingWindowSeconds))),
		RedrivePolicy: compose.Ptr(mustJSON(redrivePolicy{
			DeadLetterTargetARN: QueueARN(spec, queueDeadLetter),
			MaxReceiveCount:     spec.MaxReceiveCount,
		})),
	})
	waits := waitKey
	if qKey != "" {
		waits = "the dead-letter queue to be ready"
	}
	d.AddWhen(qKey != "" && obs.Ready(keyDLQ), obs, keyQueue, q, waits)
}

// mustJSON renders v, a struct of strings and numbers, which cannot fail.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
