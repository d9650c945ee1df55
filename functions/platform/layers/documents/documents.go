// Package documents builds the documents layer (SPEC STO-1…STO-3): the
// payment documents bucket and its replica in the replica region, each
// versioned, encrypted by default with its region's documents key (SSE-KMS
// with a bucket key), every public access blocked, ACLs off, non-TLS
// requests and puts under another encryption refused by its policy, and
// lifecycle rules for tiering, noncurrent versions and incomplete uploads;
// and the replication of everything, KMS-encrypted objects and delete
// markers included, from the one to the other with a least-privilege role.
package documents

import (
	xpv1 "github.com/crossplane/crossplane-runtime/v2/apis/common/v1"
	xpv2 "github.com/crossplane/crossplane-runtime/v2/apis/common/v2"
	iamv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/iam/v1beta1"
	s3v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/s3/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/layer"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// Layer is the documents layer's entry in the function's registry.
var Layer = layer.New[api.DocumentsSpec, api.DocumentsStatus](api.KindDocuments, Build,
	&s3v1beta1.Bucket{}, &s3v1beta1.BucketVersioning{}, &s3v1beta1.BucketServerSideEncryptionConfiguration{},
	&s3v1beta1.BucketPublicAccessBlock{}, &s3v1beta1.BucketOwnershipControls{}, &s3v1beta1.BucketPolicy{},
	&s3v1beta1.BucketLifecycleConfiguration{}, &s3v1beta1.BucketReplicationConfiguration{}, &s3v1beta1.BucketLogging{},
	&iamv1beta1.Role{})

// Components only this layer's own resources select on. Each bucket and its
// configuration carry the side (LabelPurpose: sideDocuments or sideReplica).
const (
	componentBucket      = "bucket"
	componentVersioning  = "bucket-versioning"
	componentEncryption  = "bucket-encryption"
	componentPublicBlock = "bucket-public-access-block"
	componentOwnership   = "bucket-ownership"
	componentPolicy      = "bucket-policy"
	componentLifecycle   = "bucket-lifecycle"
	componentReplication = "bucket-replication"
	componentLogging     = "bucket-logging"
	componentRole        = "replication-role"
)

// The two sides: the documents bucket and its replica; and each one's
// server access log bucket (logs(side)).
const (
	sideDocuments = "documents"
	sideReplica   = "replica"
)

func logs(side string) string { return side + "-logs" }

// AnnotationKeyARN is on the resources that name a key by ARN (the bucket
// policies, the replication role): it remembers the ARN they were made with,
// so they keep it while the claim's copy of the keys' status is not there.
const AnnotationKeyARN = wiring.LabelPrefix + "kms-key-arn"

// AnnotationReplicaKeyARN is on the replication role, beside
// AnnotationKeyARN: the replica key it encrypts replicas with.
const AnnotationReplicaKeyARN = wiring.LabelPrefix + "replica-kms-key-arn"

// Pipeline keys.
func key(side, what string) string { return side + "-" + what }

const (
	keyRole        = "replication-role"
	keyReplication = "replication"
)

// Build returns the documents layer's desired resources for spec given what is observed.
func Build(spec api.DocumentsSpec, obs compose.Observed) (*compose.Desired, error) {
	spec.Default()
	if errs := spec.Validate(api.Parameters); len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	b := &builder{spec: spec, c: spec.Common, obs: obs, d: compose.NewDesired()}
	for _, s := range b.sides() {
		b.bucket(s)
		b.logging(s)
	}
	for _, s := range b.logSides() {
		b.bucket(s)
	}
	b.role()
	b.replication()
	b.usages()
	b.d.Status = b.status()
	return b.d, nil
}

// builder holds what every part of the layer reads.
type builder struct {
	spec api.DocumentsSpec
	c    compose.Common
	obs  compose.Observed
	d    *compose.Desired
}

// A side is one of the buckets: its name, region, key, policy and lifecycle.
type side struct {
	name, bucket, region string
	// keyPurpose is its key's purpose in the keys layer; keyARN the ARN
	// the claim passes, or the one the bucket's policy was made with. A log
	// bucket has neither: S3 delivers access logs only to a bucket
	// encrypted with SSE-S3.
	keyPurpose, keyARN string
	policy             string
	rule               s3v1beta1.BucketLifecycleConfigurationRuleParameters
}

func (b *builder) sides() []*side {
	acct, suffix := b.spec.AccountID, b.c.EnvironmentSuffix
	out := []*side{
		{name: sideDocuments, bucket: api.DocumentsBucket(acct, suffix), region: b.c.Region, keyPurpose: wiring.KeyDocuments,
			keyARN: b.sticky(b.spec.DocumentsKeyARN, key(sideDocuments, componentPolicy), AnnotationKeyARN)},
		{name: sideReplica, bucket: api.DocumentsReplicaBucket(acct, suffix), region: b.spec.ReplicaRegion, keyPurpose: wiring.KeyDocumentsReplica,
			keyARN: b.sticky(b.spec.ReplicaKeyARN, key(sideReplica, componentPolicy), AnnotationKeyARN)},
	}
	for i := range out {
		out[i].policy = BucketPolicy(out[i].bucket, out[i].keyARN)
		out[i].rule = LifecycleRule(b.spec.DocumentsSettings)
	}
	return out
}

// logSides are the access log buckets of sides, each in its side's region.
func (b *builder) logSides() []*side {
	acct, suffix := b.spec.AccountID, b.c.EnvironmentSuffix
	return []*side{
		{name: logs(sideDocuments), bucket: api.DocumentsLogBucket(acct, suffix), region: b.c.Region,
			policy: LogBucketPolicy(api.DocumentsLogBucket(acct, suffix), acct, suffix), rule: LogLifecycleRule()},
		{name: logs(sideReplica), bucket: api.DocumentsReplicaLogBucket(acct, suffix), region: b.spec.ReplicaRegion,
			policy: LogBucketPolicy(api.DocumentsReplicaLogBucket(acct, suffix), acct, suffix), rule: LogLifecycleRule()},
	}
}

// sticky is arn, or while the claim does not pass it, the one the existing
// resource name was made with (its annotation).
func (b *builder) sticky(arn, name, annotation string) string {
	return compose.Sticky(arn, b.obs, name, "metadata.annotations["+annotation+"]")
}

// labels are the labels of a resource of component, of side when set.
func (b *builder) labels(component, side string) map[string]string {
	kv := []string{wiring.LabelComponent, component}
	if side != "" {
		kv = append(kv, wiring.LabelPurpose, side)
	}
	return b.c.Env().Labels(wiring.LayerDocuments, kv...)
}

// own selects this XR's resource of component on side.
func own(component, side string) *xpv1.NamespacedSelector {
	return wiring.Own(wiring.LabelComponent, component, wiring.LabelPurpose, side)
}

// spec is the managed-resource spec of everything that holds the documents
// or keeps them protected and replicated: in the data-retention mode the
// buckets are kept, and so is what configures them, since deleting a
// configuration resource undoes it in AWS (a kept bucket would lose its
// public access block, its TLS-only policy, its default encryption, its
// replication). Otherwise all are deleted (SPEC X-3).
func (b *builder) managed() xpv2.ManagedResourceSpec { return b.c.DataSpec() }
