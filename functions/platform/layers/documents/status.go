package documents

import (
	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// status gathers what the claim and the tenant need, each once AWS reports it.
func (b *builder) status() api.DocumentsStatus {
	obs := b.obs
	return api.DocumentsStatus{
		BucketName:         obs.String(key(sideDocuments, componentBucket), wiring.ExternalNamePath),
		BucketARN:          obs.String(key(sideDocuments, componentBucket), "status.atProvider.arn"),
		ReplicaBucketName:  obs.String(key(sideReplica, componentBucket), wiring.ExternalNamePath),
		ReplicaBucketARN:   obs.String(key(sideReplica, componentBucket), "status.atProvider.arn"),
		ReplicationRoleARN: obs.String(keyRole, "status.atProvider.arn"),
		LogBucketName:      obs.String(key(logs(sideDocuments), componentBucket), wiring.ExternalNamePath),
	}
}
