package aws

import (
	"errors"
	"fmt"
	"regexp"
)

// The rules of S3 lifecycle and replication configurations (the documents
// layer's kinds), beyond what the provider's CRDs check.

var kmsKeyARN = regexp.MustCompile(`^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$`)

// S3 lifecycle minimums: a lifecycle rule moves an object to Standard-IA (or
// One Zone-IA) only after it has been stored 30 days, and from Standard-IA to
// Glacier Flexible Retrieval only 30 days after it went to Standard-IA.
const (
	S3MinDaysToIA     = 30
	S3MinDaysIAToNext = 30
	// S3MaxRuleIDLength is the length of a lifecycle or replication rule's ID.
	S3MaxRuleIDLength = 255
)

// S3LifecycleRule is AWS's rule for one lifecycle rule: an ID of at most 255
// characters; every day count at least 1 (a transition may be at day 0 but
// for the IA classes); a transition to STANDARD_IA or ONEZONE_IA after at
// least 30 days; a later transition from them at least 30 days after; the
// parts of incomplete uploads removed after at least one day.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html
func S3LifecycleRule(id string, transitions map[string]int64, noncurrentDays, abortDays int64) error {
	var errs []error
	if len(id) > S3MaxRuleIDLength {
		errs = append(errs, fmt.Errorf("lifecycle rule ID %q is %d characters; S3 allows %d", id, len(id), S3MaxRuleIDLength))
	}
	ia := int64(-1)
	for _, class := range []string{"STANDARD_IA", "ONEZONE_IA"} {
		if d, ok := transitions[class]; ok {
			if d < S3MinDaysToIA {
				errs = append(errs, fmt.Errorf("transition to %s at day %d; S3 moves objects there after %d days at the earliest", class, d, S3MinDaysToIA))
			}
			ia = max(ia, d)
		}
	}
	for class, d := range transitions {
		if d < 0 {
			errs = append(errs, fmt.Errorf("transition to %s at day %d is negative", class, d))
		}
		if class != "STANDARD_IA" && class != "ONEZONE_IA" && ia >= 0 && d < ia+S3MinDaysIAToNext {
			errs = append(errs, fmt.Errorf("transition to %s at day %d; S3 needs it %d days after the transition to Standard-IA (day %d)", class, d, S3MinDaysIAToNext, ia))
		}
	}
	if noncurrentDays < 1 {
		errs = append(errs, fmt.Errorf("noncurrent version expiration after %d days; S3 needs at least 1", noncurrentDays))
	}
	if abortDays < 1 {
		errs = append(errs, fmt.Errorf("incomplete multipart uploads aborted after %d days; S3 needs at least 1", abortDays))
	}
	return errors.Join(errs...)
}

// lifecycle reads a lifecycle configuration's rules for S3LifecycleRule. A
// count a rule leaves out is given as one S3 accepts.
func lifecycle(m map[string]any) error {
	rules, _ := m["rule"].([]any)
	var errs []error
	for i, r := range rules {
		rule, _ := r.(map[string]any)
		transitions := map[string]int64{}
		for _, t := range list(rule, "transition") {
			if d, ok := wholeNumber(t["days"]); ok {
				transitions[str(t, "storageClass")] = d
			}
		}
		noncurrent, abort := int64(1), int64(1)
		for _, e := range list(rule, "noncurrentVersionExpiration") {
			noncurrent, _ = wholeNumber(e["noncurrentDays"])
		}
		for _, a := range list(rule, "abortIncompleteMultipartUpload") {
			abort, _ = wholeNumber(a["daysAfterInitiation"])
		}
		if err := S3LifecycleRule(str(rule, "id"), transitions, noncurrent, abort); err != nil {
			errs = append(errs, fmt.Errorf("rule[%d]: %w", i, err))
		}
	}
	return errors.Join(errs...)
}

// S3ReplicationRule is AWS's rule for one replication rule of the V2 schema
// (a filter): an ID of at most 255 characters; delete marker replication
// only with a filter (the V1 schema, a prefix, refuses it); KMS-encrypted
// objects replicated only to a named replica key, a key ARN (S3 takes a key
// ARN or an alias ARN, not an id), and a replica key only when they are.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
func S3ReplicationRule(id string, filtered, deleteMarkers, kmsObjects bool, replicaKey string) error {
	var errs []error
	if len(id) > S3MaxRuleIDLength {
		errs = append(errs, fmt.Errorf("replication rule ID %q is %d characters; S3 allows %d", id, len(id), S3MaxRuleIDLength))
	}
	if deleteMarkers && !filtered {
		errs = append(errs, errors.New("delete marker replication needs a filter (the V2 schema)"))
	}
	switch {
	case kmsObjects && replicaKey == "":
		errs = append(errs, errors.New("KMS-encrypted objects are replicated but no replica KMS key is named"))
	case !kmsObjects && replicaKey != "":
		errs = append(errs, errors.New("a replica KMS key is named but KMS-encrypted objects are not replicated (sseKmsEncryptedObjects)"))
	case replicaKey != "" && !kmsKeyARN.MatchString(replicaKey):
		errs = append(errs, fmt.Errorf("replica KMS key %q is not a key ARN", replicaKey))
	}
	return errors.Join(errs...)
}

func replication(m map[string]any) error {
	rules, _ := m["rule"].([]any)
	var errs []error
	for i, r := range rules {
		rule, _ := r.(map[string]any)
		_, filtered := rule["filter"].(map[string]any)
		dm, _ := rule["deleteMarkerReplication"].(map[string]any)
		ssc, _ := rule["sourceSelectionCriteria"].(map[string]any)
		kms, _ := ssc["sseKmsEncryptedObjects"].(map[string]any)
		dst, _ := rule["destination"].(map[string]any)
		enc, _ := dst["encryptionConfiguration"].(map[string]any)
		err := S3ReplicationRule(str(rule, "id"), filtered, str(dm, "status") == "Enabled", str(kms, "status") == "Enabled", str(enc, "replicaKmsKeyId"))
		if err != nil {
			errs = append(errs, fmt.Errorf("rule[%d]: %w", i, err))
		}
	}
	return errors.Join(errs...)
}

// list returns the objects of the list at k in m.
func list(m map[string]any, k string) []map[string]any {
	l, _ := m[k].([]any)
	out := make([]map[string]any, 0, len(l))
	for _, e := range l {
		if o, ok := e.(map[string]any); ok {
			out = append(out, o)
		}
	}
	return out
}
