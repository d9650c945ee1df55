package aws_test

import (
	"strings"
	"testing"

	"github.com/fintech-platform/payment-platform/functions/platform/aws"
)

const replicaKey = "arn:aws:kms:us-west-2:123456789012:key/6f5e4d3c-2b1a-4f9e-8d7c-6b5a4f3e2d1c"

// TestS3Rules_LifecycleAndReplication_STO2_STO3: S3's lifecycle minimums
// and replication rules, on both sides of every bound.
func TestS3Rules_LifecycleAndReplication_STO2_STO3(t *testing.T) {
	tiers := func(ia, glacier int64) map[string]int64 {
		return map[string]int64{"STANDARD_IA": ia, "GLACIER": glacier}
	}
	judge(t, map[string]verdict{
		"lifecycle ok":              {aws.S3LifecycleRule("r", tiers(30, 60), 1, 1), ""},
		"IA at 29":                  {aws.S3LifecycleRule("r", tiers(29, 60), 1, 1), "after 30 days"},
		"one zone IA at 29":         {aws.S3LifecycleRule("r", map[string]int64{"ONEZONE_IA": 29}, 1, 1), "after 30 days"},
		"Glacier 29 days after IA":  {aws.S3LifecycleRule("r", tiers(90, 119), 1, 1), "30 days after"},
		"Glacier alone at 0":        {aws.S3LifecycleRule("r", map[string]int64{"GLACIER": 0}, 1, 1), ""},
		"negative transition":       {aws.S3LifecycleRule("r", map[string]int64{"GLACIER": -1}, 1, 1), "negative"},
		"noncurrent 0":              {aws.S3LifecycleRule("r", nil, 0, 1), "noncurrent"},
		"abort 0":                   {aws.S3LifecycleRule("r", nil, 1, 0), "multipart"},
		"lifecycle ID 256":          {aws.S3LifecycleRule(strings.Repeat("r", 256), nil, 1, 1), "256 characters"},
		"replication ok":            {aws.S3ReplicationRule("r", true, true, true, replicaKey), ""},
		"delete markers unfiltered": {aws.S3ReplicationRule("r", false, true, true, replicaKey), "filter"},
		"KMS objects without key":   {aws.S3ReplicationRule("r", true, false, true, ""), "no replica KMS key"},
		"key without KMS objects":   {aws.S3ReplicationRule("r", true, false, false, replicaKey), "not replicated"},
		"key id, not ARN":           {aws.S3ReplicationRule("r", true, false, true, "6f5e4d3c-2b1a-4f9e-8d7c-6b5a4f3e2d1c"), "not a key ARN"},
		"replication ID 256":        {aws.S3ReplicationRule(strings.Repeat("r", 256), true, false, false, ""), "256 characters"},
		"no KMS objects and no key": {aws.S3ReplicationRule("r", false, false, false, ""), ""},
	})
}

// TestS3Rules_ReadRenderedConfigurations_STO2_STO3: the table reads a
// rendered lifecycle and replication configuration's rules.
func TestS3Rules_ReadRenderedConfigurations_STO2_STO3(t *testing.T) {
	rule := func(ia, glacier float64) map[string]any {
		return map[string]any{"id": "r", "transition": []any{
			map[string]any{"days": ia, "storageClass": "STANDARD_IA"},
			map[string]any{"days": glacier, "storageClass": "GLACIER"},
		}, "noncurrentVersionExpiration": []any{map[string]any{"noncurrentDays": 30.0}},
			"abortIncompleteMultipartUpload": []any{map[string]any{"daysAfterInitiation": 7.0}}}
	}
	repl := func(key string) map[string]any {
		return map[string]any{"id": "r", "filter": map[string]any{"prefix": ""},
			"deleteMarkerReplication": map[string]any{"status": "Enabled"},
			"sourceSelectionCriteria": map[string]any{"sseKmsEncryptedObjects": map[string]any{"status": "Enabled"}},
			"destination":             map[string]any{"encryptionConfiguration": map[string]any{"replicaKmsKeyId": key}}}
	}
	for name, c := range map[string]struct {
		kind string
		rule map[string]any
		errs int
	}{
		"lifecycle ok":    {"BucketLifecycleConfiguration", rule(90, 365), 0},
		"lifecycle bad":   {"BucketLifecycleConfiguration", rule(10, 20), 1},
		"replication ok":  {"BucketReplicationConfiguration", repl(replicaKey), 0},
		"replication bad": {"BucketReplicationConfiguration", repl("alias/x"), 1},
	} {
		obj := map[string]any{"spec": map[string]any{"forProvider": map[string]any{"region": "us-east-1", "rule": []any{c.rule}}}}
		errs, known := aws.Check("s3.aws.m.upbound.io", c.kind, obj)
		if !known || len(errs) != c.errs {
			t.Errorf("%s: known %v, errors %v, want %d", name, known, errs, c.errs)
		}
	}
}
