package documents

import (
	s3v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/s3/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/iampolicy"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// bucket adds one side's bucket and its configuration (STO-1, STO-2): in
// its region; forceDestroy unless data is retained, so deleting the XR
// deletes it with every version it holds or keeps it whole;
// versioned (replication needs it on both sides); encrypted by default with
// its region's documents key and a bucket key (fewer KMS calls); every public
// access blocked; ACLs off; the policy; the lifecycle rules, once versioning
// is on.
func (b *builder) bucket(s *side) {
	c := b.c
	sel := own(componentBucket, s.name)
	b.d.Add(key(s.name, componentBucket), &s3v1beta1.Bucket{
		ObjectMeta: wiring.Named(s.bucket, b.labels(componentBucket, s.name)),
		Spec: s3v1beta1.BucketSpec{
			ManagedResourceSpec: b.managed(),
			ForProvider: s3v1beta1.BucketParameters{
				Region:       compose.Ptr(s.region),
				ForceDestroy: compose.Ptr(!c.Retains()),
				Tags:         c.TagsFor(s.bucket),
			},
		},
	})
	b.d.Add(key(s.name, componentVersioning), &s3v1beta1.BucketVersioning{
		ObjectMeta: wiring.Meta(b.labels(componentVersioning, s.name)),
		Spec: s3v1beta1.BucketVersioningSpec{
			ManagedResourceSpec: b.managed(),
			ForProvider: s3v1beta1.BucketVersioningParameters{
				Region:                  compose.Ptr(s.region),
				BucketSelector:          sel,
				VersioningConfiguration: &s3v1beta1.VersioningConfigurationParameters{Status: compose.Ptr("Enabled")},
			},
		},
	})
	// The reference extracts the key's ARN, which names the replica key
	// from the other region too. A log bucket uses SSE-S3.
	sse := s3v1beta1.BucketServerSideEncryptionConfigurationRuleParameters{
		ApplyServerSideEncryptionByDefault: &s3v1beta1.RuleApplyServerSideEncryptionByDefaultParameters{SseAlgorithm: compose.Ptr("AES256")},
	}
	if s.keyPurpose != "" {
		sse = s3v1beta1.BucketServerSideEncryptionConfigurationRuleParameters{
			ApplyServerSideEncryptionByDefault: &s3v1beta1.RuleApplyServerSideEncryptionByDefaultParameters{
				SseAlgorithm:           compose.Ptr("aws:kms"),
				KMSMasterKeyIDSelector: c.Env().SelectKey(s.keyPurpose),
			},
			BucketKeyEnabled: compose.Ptr(true),
		}
	}
	b.d.Add(key(s.name, componentEncryption), &s3v1beta1.BucketServerSideEncryptionConfiguration{
		ObjectMeta: wiring.Meta(b.labels(componentEncryption, s.name)),
		Spec: s3v1beta1.BucketServerSideEncryptionConfigurationSpec{
			ManagedResourceSpec: b.managed(),
			ForProvider: s3v1beta1.BucketServerSideEncryptionConfigurationParameters{
				Region:         compose.Ptr(s.region),
				BucketSelector: sel,
				Rule:           []s3v1beta1.BucketServerSideEncryptionConfigurationRuleParameters{sse},
			},
		},
	})
	b.d.Add(key(s.name, componentPublicBlock), &s3v1beta1.BucketPublicAccessBlock{
		ObjectMeta: wiring.Meta(b.labels(componentPublicBlock, s.name)),
		Spec: s3v1beta1.BucketPublicAccessBlockSpec{
			ManagedResourceSpec: b.managed(),
			ForProvider: s3v1beta1.BucketPublicAccessBlockParameters{
				Region:                compose.Ptr(s.region),
				BucketSelector:        sel,
				BlockPublicAcls:       compose.Ptr(true),
				BlockPublicPolicy:     compose.Ptr(true),
				IgnorePublicAcls:      compose.Ptr(true),
				RestrictPublicBuckets: compose.Ptr(true),
			},
		},
	})
	b.d.Add(key(s.name, componentOwnership), &s3v1beta1.BucketOwnershipControls{
		ObjectMeta: wiring.Meta(b.labels(componentOwnership, s.name)),
		Spec: s3v1beta1.BucketOwnershipControlsSpec{
			ManagedResourceSpec: b.managed(),
			ForProvider: s3v1beta1.BucketOwnershipControlsParameters{
				Region:         compose.Ptr(s.region),
				BucketSelector: sel,
				Rule:           &s3v1beta1.BucketOwnershipControlsRuleParameters{ObjectOwnership: compose.Ptr("BucketOwnerEnforced")},
			},
		},
	})
	policy := wiring.Meta(b.labels(componentPolicy, s.name))
	if s.keyARN != "" {
		policy.Annotations = map[string]string{AnnotationKeyARN: s.keyARN}
	}
	b.d.Add(key(s.name, componentPolicy), &s3v1beta1.BucketPolicy{
		ObjectMeta: policy,
		Spec: s3v1beta1.BucketPolicySpec{
			ManagedResourceSpec: b.managed(),
			ForProvider: s3v1beta1.BucketPolicyParameters{
				Region:         compose.Ptr(s.region),
				BucketSelector: sel,
				Policy:         compose.Ptr(s.policy),
			},
		},
	})
	b.d.AddWhen(b.obs.Ready(key(s.name, componentVersioning)), b.obs, key(s.name, componentLifecycle), &s3v1beta1.BucketLifecycleConfiguration{
		ObjectMeta: wiring.Meta(b.labels(componentLifecycle, s.name)),
		Spec: s3v1beta1.BucketLifecycleConfigurationSpec{
			ManagedResourceSpec: b.managed(),
			ForProvider: s3v1beta1.BucketLifecycleConfigurationParameters{
				Region:         compose.Ptr(s.region),
				BucketSelector: sel,
				Rule:           []s3v1beta1.BucketLifecycleConfigurationRuleParameters{s.rule},
			},
		},
	}, "the bucket's versioning to be ready")
}

// LifecycleRuleID names the one lifecycle rule of each bucket.
const LifecycleRuleID = "documents-retention"

// LifecycleRule is each bucket's lifecycle (STO-2), for every object (an
// empty prefix): to Standard-IA, then Glacier Flexible Retrieval, after the
// claim's days; noncurrent versions expire after the claim's days; the parts
// of uploads never completed go after a week. Current versions never expire:
// a document is deleted by a request, which versioning turns into a
// noncurrent version.
func LifecycleRule(s api.DocumentsSettings) s3v1beta1.BucketLifecycleConfigurationRuleParameters {
	days := func(n int) *float64 { return compose.Ptr(float64(n)) }
	return s3v1beta1.BucketLifecycleConfigurationRuleParameters{
		ID:     compose.Ptr(LifecycleRuleID),
		Status: compose.Ptr("Enabled"),
		Filter: []s3v1beta1.RuleFilterParameters{{Prefix: compose.Ptr("")}},
		Transition: []s3v1beta1.RuleTransitionParameters{
			{Days: days(s.TransitionToIADays), StorageClass: compose.Ptr("STANDARD_IA")},
			{Days: days(s.TransitionToGlacierDays), StorageClass: compose.Ptr("GLACIER")},
		},
		NoncurrentVersionExpiration: []s3v1beta1.RuleNoncurrentVersionExpirationParameters{
			{NoncurrentDays: days(s.NoncurrentVersionExpirationDays)},
		},
		AbortIncompleteMultipartUpload: []s3v1beta1.AbortIncompleteMultipartUploadParameters{
			{DaysAfterInitiation: days(api.AbortIncompleteUploadDays)},
		},
	}
}

// BucketPolicy is a documents bucket's policy (STO-1): it denies every
// request without TLS; and a put (PutObject, which also authorizes
// CreateMultipartUpload and CopyObject's write) that asks for an encryption
// other than SSE-KMS, or, once keyARN is known, for another KMS key. A put
// that names no encryption is allowed: the bucket's default encryption puts
// it under keyARN with the bucket key, which is what the policy wants, and
// denying header-less puts would only make every client repeat the default.
// Each condition is paired with Null ... false (the header is present), since
// StringNotEquals on an absent key matches and would deny those puts.
// Replication writes replicas with s3:ReplicateObject, not PutObject, under
// the replica key the replication configuration names.
func BucketPolicy(bucket, keyARN string) string {
	arn := "arn:aws:s3:::" + bucket
	anyone := map[string]any{"AWS": "*"}
	st := []iampolicy.Statement{{
		Sid:       "DenyInsecureTransport",
		Effect:    "Deny",
		Principal: anyone,
		Action:    []string{"s3:*"},
		Resource:  []string{arn, arn + "/*"},
		Condition: map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}},
	}, {
		Sid:       "DenyPutsNotEncryptedWithKMS",
		Effect:    "Deny",
		Principal: anyone,
		Action:    []string{"s3:PutObject"},
		Resource:  []string{arn + "/*"},
		Condition: map[string]map[string]any{
			"StringNotEquals": {headerSSE: "aws:kms"},
			"Null":            {headerSSE: "false"},
		},
	}}
	if keyARN != "" {
		st = append(st, iampolicy.Statement{
			Sid:       "DenyPutsEncryptedWithAnotherKey",
			Effect:    "Deny",
			Principal: anyone,
			Action:    []string{"s3:PutObject"},
			Resource:  []string{arn + "/*"},
			Condition: map[string]map[string]any{
				"StringNotEquals": {headerKey: keyARN},
				"Null":            {headerKey: "false"},
			},
		})
	}
	return iampolicy.JSON(st...)
}

// The condition keys of a put's encryption headers. S3 compares the key id
// header as a key ARN.
const (
	headerSSE = "s3:x-amz-server-side-encryption"
	headerKey = "s3:x-amz-server-side-encryption-aws-kms-key-id"
)

// LogPrefix is where S3 writes a documents bucket's access logs in its log
// bucket.
const LogPrefix = wiring.AccessLogPrefix

// logging makes S3 write side's server access logs to its log bucket, once
// the log bucket's policy admits S3's logging service.
func (b *builder) logging(s *side) {
	b.d.AddWhen(b.obs.Ready(key(logs(s.name), componentPolicy)), b.obs, key(s.name, componentLogging), &s3v1beta1.BucketLogging{
		ObjectMeta: wiring.Meta(b.labels(componentLogging, s.name)),
		Spec: s3v1beta1.BucketLoggingSpec{
			ManagedResourceSpec: b.managed(),
			ForProvider: s3v1beta1.BucketLoggingParameters{
				Region:               compose.Ptr(s.region),
				BucketSelector:       own(componentBucket, s.name),
				TargetBucketSelector: own(componentBucket, logs(s.name)),
				TargetPrefix:         compose.Ptr(LogPrefix),
			},
		},
	}, "the log bucket's policy to be ready")
}

// LogBucketPolicy is a log bucket's policy: non-TLS requests denied, and
// S3's logging service admitted to write under LogPrefix the access logs of
// the environment's buckets in the account, and of no other: those named
// s3-<purpose>-<account>-<suffix> (the suffix holds no hyphen, ADR 0010, so
// the pattern matches no other environment's). The documents bucket logs
// here; the API layer's truststore bucket may too.
func LogBucketPolicy(bucket, account, suffix string) string {
	arn := "arn:aws:s3:::" + bucket
	return iampolicy.JSON(iampolicy.Statement{
		Sid:       "DenyInsecureTransport",
		Effect:    "Deny",
		Principal: map[string]any{"AWS": "*"},
		Action:    []string{"s3:*"},
		Resource:  []string{arn, arn + "/*"},
		Condition: map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}},
	}, iampolicy.Statement{
		Sid:       "S3ServerAccessLogsOfTheDocumentsBucket",
		Effect:    "Allow",
		Principal: iampolicy.Service("logging.s3.amazonaws.com"),
		Action:    []string{"s3:PutObject"},
		Resource:  []string{arn + "/" + LogPrefix + "*"},
		Condition: map[string]map[string]any{
			"ArnLike":      {"aws:SourceArn": EnvironmentBuckets(account, suffix)},
			"StringEquals": {"aws:SourceAccount": account},
		},
	})
}

// EnvironmentBuckets is the ARN pattern of the environment's buckets in
// account.
func EnvironmentBuckets(account, suffix string) string {
	return "arn:aws:s3:::" + naming.S3Bucket.Type + "-*-" + account + "-" + suffix
}

// LogRetentionDays is how long access logs are kept: seven years, the audit
// trails' retention (SPEC OBS-3).
const LogRetentionDays = 2557

// LogLifecycleRule is each log bucket's lifecycle: access logs expire after
// seven years, the versions that leaves after a day, incomplete uploads
// after a week.
func LogLifecycleRule() s3v1beta1.BucketLifecycleConfigurationRuleParameters {
	days := func(n int) *float64 { return compose.Ptr(float64(n)) }
	return s3v1beta1.BucketLifecycleConfigurationRuleParameters{
		ID:                             compose.Ptr(LogLifecycleRuleID),
		Status:                         compose.Ptr("Enabled"),
		Filter:                         []s3v1beta1.RuleFilterParameters{{Prefix: compose.Ptr("")}},
		Expiration:                     []s3v1beta1.RuleExpirationParameters{{Days: days(LogRetentionDays)}},
		NoncurrentVersionExpiration:    []s3v1beta1.RuleNoncurrentVersionExpirationParameters{{NoncurrentDays: days(1)}},
		AbortIncompleteMultipartUpload: []s3v1beta1.AbortIncompleteMultipartUploadParameters{{DaysAfterInitiation: days(api.AbortIncompleteUploadDays)}},
	}
}

// LogLifecycleRuleID names the one lifecycle rule of each log bucket.
const LogLifecycleRuleID = "access-logs-retention"
