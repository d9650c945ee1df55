package api

import (
	"fmt"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
)

// KindDocuments is the kind of the documents layer's XR: the payment
// documents bucket and its replica in the replica region (SPEC STO-1…STO-3).
const KindDocuments = "Documents"

// DocumentsSpec is a Documents' spec.parameters.
type DocumentsSpec struct {
	compose.Common
	// AccountID makes the buckets' names unique among all of S3's (bucket
	// names are global) and names the account in the replication role's trust.
	AccountID string `json:"accountId"`
	// ReplicaRegion is where the replica bucket lives (STO-3): the region of
	// the keys layer's documents-replica key.
	ReplicaRegion string `json:"replicaRegion,omitempty"`

	// What the keys layer reports (status.keys.keyArns), copied by the claim:
	// the documents key and the documents-replica key. The bucket policies
	// (which deny puts naming another key) and the replication role and
	// configuration name the keys by ARN and wait for them; the buckets'
	// default encryption selects the keys by label and waits for nothing.
	DocumentsKeyARN string `json:"documentsKeyArn,omitempty"`
	ReplicaKeyARN   string `json:"replicaKeyArn,omitempty"`

	DocumentsSettings
}

// DocumentsSettings are what a tenant tunes: the claim's
// spec.parameters.documents. Days count from an object's creation (from
// becoming noncurrent for NoncurrentVersionExpirationDays).
type DocumentsSettings struct {
	// TransitionToIADays is when a document moves to S3 Standard-IA.
	TransitionToIADays int `json:"transitionToIaDays,omitempty"`
	// TransitionToGlacierDays is when it moves on to S3 Glacier Flexible
	// Retrieval.
	TransitionToGlacierDays int `json:"transitionToGlacierDays,omitempty"`
	// NoncurrentVersionExpirationDays is how long an overwritten or deleted
	// version is kept before S3 expires it.
	NoncurrentVersionExpirationDays int `json:"noncurrentVersionExpirationDays,omitempty"`
}

// Documents defaults and bounds.
const (
	DefaultTransitionToIADays              = 90
	DefaultTransitionToGlacierDays         = 365
	DefaultNoncurrentVersionExpirationDays = 365
	// MinTransitionToIADays is S3's rule: an object is stored 30 days before
	// a lifecycle rule may move it to Standard-IA.
	MinTransitionToIADays = 30
	// MinDaysInIA is S3's rule for a rule that moves objects to Standard-IA
	// and then Glacier: the Glacier transition comes at least 30 days after
	// the Standard-IA one (Standard-IA's minimum storage duration).
	MinDaysInIA = 30
	// MaxLifecycleDays is the platform's bound on every lifecycle day count,
	// a hundred years; S3 documents none beyond a positive integer.
	MaxLifecycleDays = 36500
	// AbortIncompleteUploadDays is when S3 removes the parts of a multipart
	// upload never completed.
	AbortIncompleteUploadDays = 7
)

// Default fills in what the claim left out.
func (s *DocumentsSettings) Default() {
	if s.TransitionToIADays == 0 {
		s.TransitionToIADays = DefaultTransitionToIADays
	}
	if s.TransitionToGlacierDays == 0 {
		s.TransitionToGlacierDays = DefaultTransitionToGlacierDays
	}
	if s.NoncurrentVersionExpirationDays == 0 {
		s.NoncurrentVersionExpirationDays = DefaultNoncurrentVersionExpirationDays
	}
}

// Validate checks the settings at p: spec.parameters for a Documents,
// spec.parameters.documents for a PaymentPlatform.
func (s *DocumentsSettings) Validate(p *field.Path) field.ErrorList {
	var errs field.ErrorList
	days := func(name string, v, minimum int, rule string) {
		if v < minimum || v > MaxLifecycleDays {
			errs = append(errs, field.Invalid(p.Child(name), v, fmt.Sprintf("must be %d to %d days: %s", minimum, MaxLifecycleDays, rule)))
		}
	}
	days("transitionToIaDays", s.TransitionToIADays, MinTransitionToIADays,
		"S3 moves an object to Standard-IA after at least 30 days")
	days("transitionToGlacierDays", s.TransitionToGlacierDays, s.TransitionToIADays+MinDaysInIA,
		fmt.Sprintf("S3 moves an object from Standard-IA to Glacier at least %d days after it entered Standard-IA (transitionToIaDays + %d)", MinDaysInIA, MinDaysInIA))
	days("noncurrentVersionExpirationDays", s.NoncurrentVersionExpirationDays, 1,
		"S3 counts at least one day after a version becomes noncurrent")
	return errs
}

// Default fills in what the XR left out.
func (s *DocumentsSpec) Default() {
	if s.Region == "" {
		s.Region = DefaultRegion
	}
	if s.ReplicaRegion == "" {
		s.ReplicaRegion = DefaultReplicaRegion
	}
	s.DocumentsSettings.Default()
}

// Validate checks the parameters at p: what a tenant tunes, and what the
// claim copies from the keys layer's status.
func (s *DocumentsSpec) Validate(p *field.Path) field.ErrorList {
	errs := s.Common.Validate(p)
	errs = append(errs, ValidateAccountID(p.Child("accountId"), s.AccountID)...)
	errs = append(errs, ValidateReplicaRegion(p.Child("replicaRegion"), s.Region, s.ReplicaRegion)...)
	if len(errs) == 0 {
		errs = validateDocumentsNames(p, s.EnvironmentSuffix, s.AccountID)
	}
	key := func(name, arn, region, purpose string) {
		if arn == "" {
			return
		}
		if e := regional(p.Child(name), arn, keyARN, region, fmt.Sprintf("must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>): status.keys.keyArns.%s", purpose)); len(e) > 0 {
			errs = append(errs, e...)
		}
	}
	key("documentsKeyArn", s.DocumentsKeyARN, s.Region, "documents")
	key("replicaKeyArn", s.ReplicaKeyARN, s.ReplicaRegion, "documents-replica")
	return append(errs, s.DocumentsSettings.Validate(p)...)
}

// DocumentsStatus is a Documents' status: the two buckets and the role S3
// replicates with, each once AWS reports it.
type DocumentsStatus struct {
	BucketName         string `json:"bucketName,omitempty"`
	BucketARN          string `json:"bucketArn,omitempty"`
	ReplicaBucketName  string `json:"replicaBucketName,omitempty"`
	ReplicaBucketARN   string `json:"replicaBucketArn,omitempty"`
	ReplicationRoleARN string `json:"replicationRoleArn,omitempty"`
	// LogBucketName is the server access log bucket of the documents
	// bucket, in the XR's region: another bucket there may log to it.
	LogBucketName string `json:"logBucketName,omitempty"`
}

// Purposes of the documents layer's bucket names: each holds the account id,
// since bucket names are global across every AWS account and the suffix is
// unique within one account only.
const (
	documentsBucketPurpose  = "documents-"
	replicaBucketPurpose    = "documents-replica-"
	logBucketPurpose        = "documents-logs-"
	replicaLogBucketPurpose = "documents-replica-logs-"
)

// DocumentsBucket is the documents bucket of environment suffix in account:
// s3-documents-<account>-<suffix>.
func DocumentsBucket(account, suffix string) string {
	return naming.MustName(naming.S3Bucket, documentsBucketPurpose+account, suffix)
}

// DocumentsReplicaBucket is its replica: s3-documents-replica-<account>-<suffix>.
func DocumentsReplicaBucket(account, suffix string) string {
	return naming.MustName(naming.S3Bucket, replicaBucketPurpose+account, suffix)
}

// DocumentsLogBucket is the server access log bucket of the documents
// bucket, in its region: s3-documents-logs-<account>-<suffix>.
func DocumentsLogBucket(account, suffix string) string {
	return naming.MustName(naming.S3Bucket, logBucketPurpose+account, suffix)
}

// DocumentsReplicaLogBucket is the replica's, in the replica region (S3
// delivers access logs to a bucket of the logged bucket's region only):
// s3-documents-replica-logs-<account>-<suffix>.
func DocumentsReplicaLogBucket(account, suffix string) string {
	return naming.MustName(naming.S3Bucket, replicaLogBucketPurpose+account, suffix)
}

// DocumentsReplicationRolePurpose is the purpose of the role S3 replicates with.
const DocumentsReplicationRolePurpose = "documents-replication"

// DocumentsNames are the AWS names the documents layer derives in account
// (SPEC ), for the claim's names table (Names) once it composes a
// Documents; a Documents checks them itself before composing.
func DocumentsNames(account string) []NameUse {
	if account == "" {
		account = unknownAccount
	}
	return []NameUse{
		{Kind: naming.S3Bucket, Purpose: documentsBucketPurpose + account, Zone: -1},
		{Kind: naming.S3Bucket, Purpose: replicaBucketPurpose + account, Zone: -1},
		{Kind: naming.S3Bucket, Purpose: logBucketPurpose + account, Zone: -1},
		{Kind: naming.S3Bucket, Purpose: replicaLogBucketPurpose + account, Zone: -1},
		{Kind: naming.IAMRole, Purpose: DocumentsReplicationRolePurpose, Zone: -1},
	}
}

// validateDocumentsNames reports the suffix when it makes a name of
// DocumentsNames that AWS refuses for its length.
func validateDocumentsNames(p *field.Path, suffix, account string) field.ErrorList {
	for _, u := range DocumentsNames(account) {
		if _, err := naming.Name(u.Kind, u.Purpose, suffix); err != nil {
			return field.ErrorList{field.Invalid(p.Child("environmentSuffix"), suffix, fmt.Sprintf("makes a name AWS refuses: %v", err))}
		}
	}
	return nil
}
