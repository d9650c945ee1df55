package documents

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	iamv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/iam/v1beta1"
	s3v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/s3/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/iampolicy"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// ReplicationRuleID names the one replication rule.
const ReplicationRuleID = "documents-to-replica"

// replicaKeyPath is where the replication configuration holds the replica key.
const replicaKeyPath = "spec.forProvider.rule[0].destination.encryptionConfiguration.replicaKmsKeyId"

// RoleName is the replication role of environment suffix.
func RoleName(suffix string) string {
	return naming.MustName(naming.IAMRole, api.DocumentsReplicationRolePurpose, suffix)
}

// role adds the role S3 replicates with (STO-3), once both keys' ARNs are
// known: its policy names them.
func (b *builder) role() {
	c := b.c
	source := b.sticky(b.spec.DocumentsKeyARN, keyRole, AnnotationKeyARN)
	replica := b.sticky(b.spec.ReplicaKeyARN, keyRole, AnnotationReplicaKeyARN)
	name := RoleName(c.EnvironmentSuffix)
	meta := wiring.Named(name, b.labels(componentRole, ""))
	meta.Annotations[AnnotationKeyARN], meta.Annotations[AnnotationReplicaKeyARN] = source, replica
	b.d.AddWhen(source != "" && replica != "", b.obs, keyRole, &iamv1beta1.Role{
		ObjectMeta: meta,
		Spec: iamv1beta1.RoleSpec{
			ManagedResourceSpec: b.managed(),
			ForProvider: iamv1beta1.RoleParameters{
				AssumeRolePolicy: compose.Ptr(iampolicy.AssumeRole("s3.amazonaws.com",
					map[string]map[string]any{"StringEquals": {"aws:SourceAccount": b.spec.AccountID}})),
				InlinePolicy: []iamv1beta1.InlinePolicyParameters{{
					Name:   compose.Ptr("least-privilege"),
					Policy: compose.Ptr(iampolicy.JSON(RoleStatements(b.spec, source, replica)...)),
				}},
				Tags: c.TagsFor(name),
			},
		},
	}, "the documents keys' ARNs (spec.parameters.documentsKeyArn and replicaKeyArn)")
}

// RoleStatements are what S3 needs to replicate the documents bucket to its
// replica, and nothing more (STO-3): read the source's replication
// configuration and list it; read each object version to replicate, its ACL
// and tags; write replicas, delete markers and tags into the replica only;
// decrypt with the source key and encrypt with the replica key, each only
// through S3 in its region and for its own bucket's objects. The encryption
// context is the object's ARN, or the bucket's when a bucket key encrypts it,
// so both are admitted.
func RoleStatements(spec api.DocumentsSpec, sourceKey, replicaKey string) []iampolicy.Statement {
	src := "arn:aws:s3:::" + api.DocumentsBucket(spec.AccountID, spec.EnvironmentSuffix)
	dst := "arn:aws:s3:::" + api.DocumentsReplicaBucket(spec.AccountID, spec.EnvironmentSuffix)
	kms := func(sid, action, key, region, bucket string) iampolicy.Statement {
		st := iampolicy.Allow(sid, []string{action}, key)
		st.Condition = map[string]map[string]any{
			"StringEquals": {"kms:ViaService": "s3." + region + ".amazonaws.com"},
			"StringLike":   {"kms:EncryptionContext:aws:s3:arn": []string{bucket, bucket + "/*"}},
		}
		return st
	}
	return []iampolicy.Statement{
		iampolicy.Allow("ReadSourceReplicationConfiguration", []string{"s3:GetReplicationConfiguration", "s3:ListBucket"}, src),
		iampolicy.Allow("ReadSourceObjectVersions", []string{"s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"}, src+"/*"),
		iampolicy.Allow("WriteReplicas", []string{"s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"}, dst+"/*"),
		kms("DecryptSourceObjects", "kms:Decrypt", sourceKey, spec.Region, src),
		kms("EncryptReplicas", "kms:Encrypt", replicaKey, spec.ReplicaRegion, dst),
	}
}

// replication adds the source bucket's replication configuration (STO-3):
// every object, KMS-encrypted ones included (S3 skips them unless told), to
// the replica, encrypted there with the replica key; delete markers too (the
// V2 schema, which a filter selects, replicates them only when told), so the
// replica shows what the source shows. S3 refuses it until versioning is on
// at both ends; it waits for both, for the role, and for the replica key's
// ARN (S3 takes a key ARN; the provider's reference to a key gives its id).
func (b *builder) replication() {
	c := b.c
	replicaKey := compose.Sticky(b.spec.ReplicaKeyARN, b.obs, keyReplication, replicaKeyPath)
	ready := b.obs.Ready(key(sideDocuments, componentVersioning)) && b.obs.Ready(key(sideReplica, componentVersioning)) &&
		b.obs.Ready(keyRole) && replicaKey != ""
	enabled := compose.Ptr("Enabled")
	rc := &s3v1beta1.BucketReplicationConfiguration{
		ObjectMeta: wiring.Meta(b.labels(componentReplication, sideDocuments)),
		Spec: s3v1beta1.BucketReplicationConfigurationSpec{
			ManagedResourceSpec: b.managed(),
			ForProvider: s3v1beta1.BucketReplicationConfigurationParameters{
				Region:         compose.Ptr(c.Region),
				BucketSelector: own(componentBucket, sideDocuments),
				RoleSelector:   wiring.Own(wiring.LabelComponent, componentRole),
				Rule: []s3v1beta1.BucketReplicationConfigurationRuleParameters{{
					ID:       compose.Ptr(ReplicationRuleID),
					Status:   enabled,
					Priority: compose.Ptr(1.0),
					// An empty prefix: every object, in the V2 schema.
					Filter:                  &s3v1beta1.BucketReplicationConfigurationRuleFilterParameters{Prefix: compose.Ptr("")},
					DeleteMarkerReplication: &s3v1beta1.DeleteMarkerReplicationParameters{Status: enabled},
					SourceSelectionCriteria: &s3v1beta1.RuleSourceSelectionCriteriaParameters{
						SseKMSEncryptedObjects: &s3v1beta1.SourceSelectionCriteriaSseKMSEncryptedObjectsParameters{Status: enabled},
					},
					Destination: &s3v1beta1.RuleDestinationParameters{
						BucketSelector:          own(componentBucket, sideReplica),
						EncryptionConfiguration: &s3v1beta1.EncryptionConfigurationParameters{ReplicaKMSKeyID: compose.Ptr(replicaKey)},
					},
				}},
			},
		},
	}
	b.d.AddWhen(ready, b.obs, keyReplication, withEmptyPrefix(rc), "both buckets' versioning, the replication role and the replica key's ARN (spec.parameters.replicaKeyArn)")
}

// withEmptyPrefix returns rc as unstructured content that keeps the rule's
// filter. The filter, an empty prefix (every object), is what puts the rule
// in S3's V2 schema, the only one that replicates delete markers; but the
// function's conversion of typed objects (function-sdk's composed.From, JSON
// v2 omitempty) drops an empty string and then the empty object left, which
// would send the rule without a filter (V1) for S3 to refuse. The converter
// used here keeps what a pointer holds; it also writes the zero status and
// initProvider, which composed.From leaves out and so does this.
func withEmptyPrefix(rc *s3v1beta1.BucketReplicationConfiguration) *unstructured.Unstructured {
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(rc)
	if err != nil {
		// The object holds only strings, numbers, booleans, maps and
		// slices of them: the conversion cannot fail.
		panic(err)
	}
	delete(m, "status")
	if spec, ok := m["spec"].(map[string]any); ok {
		delete(spec, "initProvider")
	}
	u := &unstructured.Unstructured{Object: m}
	u.SetGroupVersionKind(s3v1beta1.BucketReplicationConfiguration_GroupVersionKind)
	return u
}
