package documents

import (
	"bytes"
	"encoding/json"
	"path"
	"reflect"
	"slices"
	"strings"
	"testing"

	xpv1 "github.com/crossplane/crossplane-runtime/v2/apis/common/v1"
	iamv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/iam/v1beta1"
	s3v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/s3/v1beta1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composed"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/aws"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	ct "github.com/fintech-platform/payment-platform/functions/platform/compose/composetest"
	"github.com/fintech-platform/payment-platform/functions/platform/iampolicy"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/usage"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

const (
	account    = "123456789012"
	docsKey    = "arn:aws:kms:us-east-1:123456789012:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
	replicaKey = "arn:aws:kms:us-west-2:123456789012:key/6f5e4d3c-2b1a-4f9e-8d7c-6b5a4f3e2d1c"
	roleARN    = "arn:aws:iam::123456789012:role/role-documents-replication-dev"
	bucket     = "s3-documents-123456789012-dev"
	replica    = "s3-documents-replica-123456789012-dev"
)

// spec is a Documents with both keys' ARNs, as the claim passes them once
// the keys exist.
func spec() api.DocumentsSpec {
	return api.DocumentsSpec{
		Common:          compose.Common{EnvironmentSuffix: "dev", Region: "us-east-1"},
		AccountID:       account,
		ReplicaRegion:   "us-west-2",
		DocumentsKeyARN: docsKey,
		ReplicaKeyARN:   replicaKey,
	}
}

// everythingReady is observed state in which every gate is open.
func everythingReady() compose.Observed {
	var res []ct.Res
	for _, s := range []string{sideDocuments, sideReplica, logs(sideDocuments), logs(sideReplica)} {
		for _, c := range []string{componentBucket, componentVersioning, componentEncryption, componentPublicBlock, componentOwnership, componentPolicy, componentLifecycle} {
			res = append(res, ct.Res{Name: key(s, c), Ready: true})
		}
	}
	res = append(res, ct.Res{Name: key(sideDocuments, componentLogging), Ready: true}, ct.Res{Name: key(sideReplica, componentLogging), Ready: true},
		ct.Res{Name: keyRole, Ready: true, Fields: map[string]any{"status.atProvider.arn": roleARN}}, ct.Res{Name: keyReplication, Ready: true})
	return ct.Observed(res...)
}

func build(t *testing.T, s api.DocumentsSpec, obs compose.Observed) *compose.Desired {
	t.Helper()
	return ct.Build(t, Build, s, obs)
}

func doc(t *testing.T, policy *string) iampolicy.Document {
	t.Helper()
	var d iampolicy.Document
	if policy == nil {
		t.Fatal("no policy")
	}
	if err := json.Unmarshal([]byte(*policy), &d); err != nil {
		t.Fatalf("policy %s: %v", *policy, err)
	}
	return d
}

func statement(t *testing.T, d iampolicy.Document, sid string) iampolicy.Statement {
	t.Helper()
	for _, s := range d.Statement {
		if s.Sid == sid {
			return s
		}
	}
	t.Fatalf("no statement %s in %+v", sid, d)
	return iampolicy.Statement{}
}

// replicationOf returns the desired replication configuration as its typed object.
func replicationOf(t *testing.T, d *compose.Desired) *s3v1beta1.BucketReplicationConfiguration {
	t.Helper()
	u := ct.Get[*unstructured.Unstructured](t, d, keyReplication)
	var rc s3v1beta1.BucketReplicationConfiguration
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &rc); err != nil {
		t.Fatal(err)
	}
	return &rc
}

// TestDocuments_ReplicationKeepsItsFilter_STO3: what the function sends for
// the replication configuration is what function-sdk's conversion would
// send for the typed object, plus the rule's filter with its empty prefix,
// which that conversion drops (and with it the V2 schema delete markers
// need).
func TestDocuments_ReplicationKeepsItsFilter_STO3(t *testing.T) {
	d := build(t, spec(), everythingReady())
	got, err := composed.From(d.Get(keyReplication))
	if err != nil {
		t.Fatal(err)
	}
	if f, _ := got.GetValue("spec.forProvider.rule[0].filter"); !reflect.DeepEqual(f, map[string]any{"prefix": ""}) {
		t.Errorf("filter %v, want every object (an empty prefix)", f)
	}
	composed.Scheme.AddKnownTypeWithName(s3v1beta1.BucketReplicationConfiguration_GroupVersionKind, &s3v1beta1.BucketReplicationConfiguration{})
	want, err := composed.From(replicationOf(t, d))
	if err != nil {
		t.Fatal(err)
	}
	if err := want.SetValue("spec.forProvider.rule[0].filter", map[string]any{"prefix": ""}); err != nil {
		t.Fatal(err)
	}
	// composed.From writes the typed object's zero status; Crossplane
	// takes no status from desired composed resources.
	delete(want.Object, "status")
	g, _ := json.Marshal(got.Object)
	w, _ := json.Marshal(want.Object)
	if !bytes.Equal(g, w) {
		t.Errorf("sent\n%s\nwant\n%s", g, w)
	}
	defer func() {
		if recover() == nil {
			t.Error("no panic converting nothing")
		}
	}()
	withEmptyPrefix(nil)
}

// TestDocuments_BucketsEncryptedVersionedPrivate_STO1_STO3: each bucket in
// its region, named with the account (bucket names are global), versioned,
// encrypted by default with its region's documents key and a bucket key,
// every public access blocked, ACLs off; the replica in the replica region
// with the replica key (STO-3).
func TestDocuments_BucketsEncryptedVersionedPrivate_STO1_STO3(t *testing.T) {
	d := build(t, spec(), nil)
	for _, c := range []struct{ side, name, region, purpose string }{
		{sideDocuments, bucket, "us-east-1", wiring.KeyDocuments},
		{sideReplica, replica, "us-west-2", wiring.KeyDocumentsReplica},
	} {
		b := ct.Get[*s3v1beta1.Bucket](t, d, key(c.side, componentBucket))
		if b.Annotations[wiring.AnnotationExternalName] != c.name || *b.Spec.ForProvider.Region != c.region {
			t.Errorf("%s bucket %s in %s, want %s in %s", c.side, b.Annotations[wiring.AnnotationExternalName], *b.Spec.ForProvider.Region, c.name, c.region)
		}
		if err := aws.S3BucketName(c.name); err != nil || !strings.Contains(c.name, account) {
			t.Errorf("%s: %v; the name must carry the account", c.name, err)
		}
		own := func(sel *xpv1.NamespacedSelector) {
			t.Helper()
			if sel == nil || *sel.MatchControllerRef != true || sel.MatchLabels[wiring.LabelComponent] != componentBucket || sel.MatchLabels[wiring.LabelPurpose] != c.side {
				t.Errorf("%s: selects %+v, want its own bucket", c.side, sel)
			}
		}
		v := ct.Get[*s3v1beta1.BucketVersioning](t, d, key(c.side, componentVersioning)).Spec.ForProvider
		own(v.BucketSelector)
		if *v.VersioningConfiguration.Status != "Enabled" || *v.Region != c.region {
			t.Errorf("%s versioning %s in %s", c.side, *v.VersioningConfiguration.Status, *v.Region)
		}
		e := ct.Get[*s3v1beta1.BucketServerSideEncryptionConfiguration](t, d, key(c.side, componentEncryption)).Spec.ForProvider
		own(e.BucketSelector)
		r := e.Rule[0]
		sel := r.ApplyServerSideEncryptionByDefault.KMSMasterKeyIDSelector
		if len(e.Rule) != 1 || *r.ApplyServerSideEncryptionByDefault.SseAlgorithm != "aws:kms" || !*r.BucketKeyEnabled ||
			sel.MatchLabels[wiring.LabelPurpose] != c.purpose || sel.MatchLabels[wiring.LabelEnvironment] != "dev" || sel.MatchLabels[wiring.LabelComponent] != wiring.ComponentKMSKey {
			t.Errorf("%s encryption %+v, key %v: want SSE-KMS with the %s key and a bucket key", c.side, r, sel.MatchLabels, c.purpose)
		}
		p := ct.Get[*s3v1beta1.BucketPublicAccessBlock](t, d, key(c.side, componentPublicBlock)).Spec.ForProvider
		own(p.BucketSelector)
		if !*p.BlockPublicAcls || !*p.BlockPublicPolicy || !*p.IgnorePublicAcls || !*p.RestrictPublicBuckets {
			t.Errorf("%s public access block %+v", c.side, p)
		}
		o := ct.Get[*s3v1beta1.BucketOwnershipControls](t, d, key(c.side, componentOwnership)).Spec.ForProvider
		own(o.BucketSelector)
		if *o.Rule.ObjectOwnership != "BucketOwnerEnforced" {
			t.Errorf("%s ownership %s", c.side, *o.Rule.ObjectOwnership)
		}
	}
}

// TestDocuments_PolicyDeniesInsecureAndForeignEncryption_STO1: every request
// without TLS is denied on the bucket and its objects; a put naming an
// encryption other than SSE-KMS, or another key than the bucket's, is denied,
// each only when the header is there (a put without it gets the default
// encryption); the key statement comes once the key's ARN is known and stays
// when the claim stops passing it.
func TestDocuments_PolicyDeniesInsecureAndForeignEncryption_STO1(t *testing.T) {
	d := build(t, spec(), nil)
	for side, c := range map[string]struct{ bucket, key string }{sideDocuments: {bucket, docsKey}, sideReplica: {replica, replicaKey}} {
		pol := ct.Get[*s3v1beta1.BucketPolicy](t, d, key(side, componentPolicy))
		p := doc(t, pol.Spec.ForProvider.Policy)
		arn := "arn:aws:s3:::" + c.bucket
		tls := statement(t, p, "DenyInsecureTransport")
		if tls.Effect != "Deny" || !slices.Equal(tls.Action, []string{"s3:*"}) || !slices.Equal(tls.Resource, []string{arn, arn + "/*"}) || tls.Condition["Bool"]["aws:SecureTransport"] != "false" {
			t.Errorf("%s: %+v does not deny every non-TLS request", side, tls)
		}
		sse := statement(t, p, "DenyPutsNotEncryptedWithKMS")
		if sse.Effect != "Deny" || sse.Action[0] != "s3:PutObject" || sse.Condition["StringNotEquals"][headerSSE] != "aws:kms" || sse.Condition["Null"][headerSSE] != "false" {
			t.Errorf("%s: %+v", side, sse)
		}
		k := statement(t, p, "DenyPutsEncryptedWithAnotherKey")
		if k.Effect != "Deny" || k.Condition["StringNotEquals"][headerKey] != c.key || k.Condition["Null"][headerKey] != "false" || k.Resource[0] != arn+"/*" {
			t.Errorf("%s: %+v does not deny puts under another key than %s", side, k, c.key)
		}
		if pol.Annotations[AnnotationKeyARN] != c.key {
			t.Errorf("%s: policy remembers %q", side, pol.Annotations[AnnotationKeyARN])
		}
	}

	s := spec()
	s.DocumentsKeyARN, s.ReplicaKeyARN = "", ""
	p := doc(t, ct.Get[*s3v1beta1.BucketPolicy](t, build(t, s, nil), key(sideDocuments, componentPolicy)).Spec.ForProvider.Policy)
	if len(p.Statement) != 2 {
		t.Errorf("without the key's ARN: %d statements, want the TLS and encryption-type denials", len(p.Statement))
	}
	kept := everythingReady()
	kept[resource.Name(key(sideDocuments, componentPolicy))] = ct.Resource(true, map[string]any{"metadata.annotations": map[string]any{AnnotationKeyARN: docsKey}})
	p = doc(t, ct.Get[*s3v1beta1.BucketPolicy](t, build(t, s, kept), key(sideDocuments, componentPolicy)).Spec.ForProvider.Policy)
	if statement(t, p, "DenyPutsEncryptedWithAnotherKey").Condition["StringNotEquals"][headerKey] != docsKey {
		t.Error("the policy lost its key when the claim stopped passing it")
	}
}

// TestDocuments_LifecycleTiersAndExpires_STO2: each bucket's one rule, for
// every object, moves documents to Standard-IA and Glacier after the
// claim's days (defaults 90 and 365), expires noncurrent versions, aborts
// incomplete uploads after 7 days, and passes S3's rules; it waits for
// versioning.
func TestDocuments_LifecycleTiersAndExpires_STO2(t *testing.T) {
	if d := build(t, spec(), nil); d.Get(key(sideDocuments, componentLifecycle)) != nil || d.Get(key(sideReplica, componentLifecycle)) != nil {
		t.Error("lifecycle composed before versioning is ready")
	}
	s := spec()
	s.TransitionToIADays, s.TransitionToGlacierDays, s.NoncurrentVersionExpirationDays = 45, 200, 400
	for name, c := range map[string]struct {
		spec                    api.DocumentsSpec
		ia, glacier, noncurrent float64
	}{"defaults": {spec(), 90, 365, 365}, "claim's": {s, 45, 200, 400}} {
		d := build(t, c.spec, everythingReady())
		for _, side := range []string{sideDocuments, sideReplica} {
			l := ct.Get[*s3v1beta1.BucketLifecycleConfiguration](t, d, key(side, componentLifecycle)).Spec.ForProvider
			if len(l.Rule) != 1 {
				t.Fatalf("%s %s: %d rules", name, side, len(l.Rule))
			}
			r := l.Rule[0]
			if *r.Status != "Enabled" || len(r.Filter) != 1 || *r.Filter[0].Prefix != "" {
				t.Errorf("%s %s: rule %s filter %+v, want enabled for every object", name, side, *r.Status, r.Filter)
			}
			got := map[string]float64{}
			for _, tr := range r.Transition {
				got[*tr.StorageClass] = *tr.Days
			}
			if len(got) != 2 || got["STANDARD_IA"] != c.ia || got["GLACIER"] != c.glacier {
				t.Errorf("%s %s: transitions %v, want STANDARD_IA at %v, GLACIER at %v", name, side, got, c.ia, c.glacier)
			}
			if *r.NoncurrentVersionExpiration[0].NoncurrentDays != c.noncurrent || *r.AbortIncompleteMultipartUpload[0].DaysAfterInitiation != 7 {
				t.Errorf("%s %s: noncurrent %v abort %v", name, side, *r.NoncurrentVersionExpiration[0].NoncurrentDays, *r.AbortIncompleteMultipartUpload[0].DaysAfterInitiation)
			}
			if len(r.Expiration) != 0 {
				t.Errorf("%s %s: current versions expire: %+v", name, side, r.Expiration)
			}
			if err := aws.S3LifecycleRule(*r.ID, map[string]int64{"STANDARD_IA": int64(got["STANDARD_IA"]), "GLACIER": int64(got["GLACIER"])}, int64(c.noncurrent), 7); err != nil {
				t.Errorf("%s %s: %v", name, side, err)
			}
		}
	}
}

// TestDocuments_ReplicatesEverythingEncrypted_STO3: the source bucket
// replicates every object, KMS-encrypted ones and delete markers included,
// to the replica, encrypted there with the replica key, with the layer's
// role; it waits for versioning at both ends, the role and the replica key.
func TestDocuments_ReplicatesEverythingEncrypted_STO3(t *testing.T) {
	d := build(t, spec(), everythingReady())
	r := replicationOf(t, d).Spec.ForProvider
	if *r.Region != "us-east-1" || r.BucketSelector.MatchLabels[wiring.LabelPurpose] != sideDocuments || r.RoleSelector.MatchLabels[wiring.LabelComponent] != componentRole {
		t.Errorf("replication in %s of %v by %v", *r.Region, r.BucketSelector.MatchLabels, r.RoleSelector.MatchLabels)
	}
	if len(r.Rule) != 1 {
		t.Fatalf("%d rules", len(r.Rule))
	}
	rule := r.Rule[0]
	if *rule.Status != "Enabled" || rule.Filter == nil || *rule.Filter.Prefix != "" || *rule.DeleteMarkerReplication.Status != "Enabled" ||
		*rule.SourceSelectionCriteria.SseKMSEncryptedObjects.Status != "Enabled" {
		t.Errorf("rule %+v: want every object, delete markers and KMS-encrypted objects", rule)
	}
	dst := rule.Destination
	if dst.BucketSelector.MatchLabels[wiring.LabelPurpose] != sideReplica || !*dst.BucketSelector.MatchControllerRef || *dst.EncryptionConfiguration.ReplicaKMSKeyID != replicaKey {
		t.Errorf("destination %v key %s", dst.BucketSelector.MatchLabels, *dst.EncryptionConfiguration.ReplicaKMSKeyID)
	}
	if err := aws.S3ReplicationRule(*rule.ID, true, true, true, *dst.EncryptionConfiguration.ReplicaKMSKeyID); err != nil {
		t.Error(err)
	}

	for _, gate := range []string{key(sideDocuments, componentVersioning), key(sideReplica, componentVersioning), keyRole} {
		obs := everythingReady()
		delete(obs, keyReplication)
		obs[resource.Name(gate)] = ct.Resource(false, nil)
		if d := build(t, spec(), obs); d.Get(keyReplication) != nil || !slices.ContainsFunc(d.Waiting, func(w string) bool { return strings.HasPrefix(w, keyReplication) }) {
			t.Errorf("replication composed while %s is not ready", gate)
		}
	}
	s := spec()
	s.ReplicaKeyARN = ""
	obs := everythingReady()
	delete(obs, keyReplication)
	if build(t, s, obs).Get(keyReplication) != nil {
		t.Error("replication composed without the replica key's ARN")
	}
}

// TestDocuments_ReplicationRoleLeastPrivilege_STO3: the role trusts S3 on
// behalf of its own account only and may do what replication needs and
// nothing else: read the source, write replicas, decrypt with the source key
// and encrypt with the replica key, each through S3 in its region for its
// own bucket.
func TestDocuments_ReplicationRoleLeastPrivilege_STO3(t *testing.T) {
	if d := build(t, api.DocumentsSpec{Common: spec().Common, AccountID: account}, nil); d.Get(keyRole) != nil {
		t.Error("role composed without the keys' ARNs")
	}
	role := ct.Get[*iamv1beta1.Role](t, build(t, spec(), nil), keyRole)
	if role.Annotations[wiring.AnnotationExternalName] != RoleName("dev") {
		t.Errorf("role named %s", role.Annotations[wiring.AnnotationExternalName])
	}
	trust := doc(t, role.Spec.ForProvider.AssumeRolePolicy)
	if len(trust.Statement) != 1 || trust.Statement[0].Principal["Service"] != "s3.amazonaws.com" || trust.Statement[0].Condition["StringEquals"]["aws:SourceAccount"] != account {
		t.Errorf("trust %+v", trust)
	}
	p := doc(t, role.Spec.ForProvider.InlinePolicy[0].Policy)
	src, dst := "arn:aws:s3:::"+bucket, "arn:aws:s3:::"+replica
	want := map[string]struct {
		actions  []string
		resource string
	}{
		"ReadSourceReplicationConfiguration": {[]string{"s3:GetReplicationConfiguration", "s3:ListBucket"}, src},
		"ReadSourceObjectVersions":           {[]string{"s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"}, src + "/*"},
		"WriteReplicas":                      {[]string{"s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"}, dst + "/*"},
		"DecryptSourceObjects":               {[]string{"kms:Decrypt"}, docsKey},
		"EncryptReplicas":                    {[]string{"kms:Encrypt"}, replicaKey},
	}
	if len(p.Statement) != len(want) {
		t.Errorf("%d statements, want %d", len(p.Statement), len(want))
	}
	for _, st := range p.Statement {
		w, ok := want[st.Sid]
		if !ok || st.Effect != "Allow" || !slices.Equal(st.Action, w.actions) || !slices.Equal(st.Resource, []string{w.resource}) {
			t.Errorf("statement %+v, want %+v", st, w)
		}
		if strings.Contains(strings.Join(st.Resource, ","), "*") && !strings.HasSuffix(st.Resource[0], "/*") {
			t.Errorf("%s: wildcard resource %v", st.Sid, st.Resource)
		}
	}
	for sid, c := range map[string]struct{ region, bucket string }{"DecryptSourceObjects": {"us-east-1", src}, "EncryptReplicas": {"us-west-2", dst}} {
		st := statement(t, p, sid)
		ctx, _ := st.Condition["StringLike"]["kms:EncryptionContext:aws:s3:arn"].([]any)
		if st.Condition["StringEquals"]["kms:ViaService"] != "s3."+c.region+".amazonaws.com" || len(ctx) != 2 || ctx[0] != c.bucket || ctx[1] != c.bucket+"/*" {
			t.Errorf("%s: condition %v, want S3 in %s for %s (bucket key or not)", sid, st.Condition, c.region, c.bucket)
		}
	}
}

// TestDocuments_DestroyableUnlessRetained_X3_X7: with retainData false,
// both buckets are force-destroyed (their versions with them) and every
// resource is deleted with the XR; in the data-retention mode (the default)
// nothing may be deleted in AWS and neither bucket is force-destroyed.
func TestDocuments_DestroyableUnlessRetained_X3_X7(t *testing.T) {
	off := spec()
	off.RetainData = compose.Ptr(false)
	for name, c := range map[string]struct {
		spec   api.DocumentsSpec
		retain bool
	}{"retainData false": {off, false}, "default": {spec(), true}} {
		d := build(t, c.spec, everythingReady())
		for _, side := range []string{sideDocuments, sideReplica} {
			if b := ct.Get[*s3v1beta1.Bucket](t, d, key(side, componentBucket)); *b.Spec.ForProvider.ForceDestroy == c.retain {
				t.Errorf("%s: %s bucket forceDestroy %v", name, side, *b.Spec.ForProvider.ForceDestroy)
			}
		}
		checked := 0
		for n, o := range d.Resources {
			var policies xpv1.ManagementPolicies
			switch mr := o.(type) {
			case interface {
				GetManagementPolicies() xpv1.ManagementPolicies
			}:
				policies = mr.GetManagementPolicies()
			case *unstructured.Unstructured:
				l, _, _ := unstructured.NestedStringSlice(mr.Object, "spec", "managementPolicies")
				for _, p := range l {
					policies = append(policies, xpv1.ManagementAction(p))
				}
			default:
				continue
			}
			checked++
			deletes := len(policies) == 0 || slices.Contains(policies, xpv1.ManagementActionAll) || slices.Contains(policies, xpv1.ManagementActionDelete)
			if deletes == c.retain {
				t.Errorf("%s: %s management policies %v", name, n, policies)
			}
		}
		if checked < 32 {
			t.Errorf("%s: %d managed resources checked", name, checked)
		}
	}
}

// TestDocuments_KeysOutliveBuckets_X8: each key is kept while its bucket
// and the default encryption selecting it exist; each Usage waits for its
// user to be ready.
func TestDocuments_KeysOutliveBuckets_X8(t *testing.T) {
	if n := ct.Count[*usage.Usage](build(t, spec(), nil)); n != 0 {
		t.Errorf("%d Usages before their users are ready", n)
	}
	d := build(t, spec(), everythingReady())
	got := map[string]string{}
	for _, u := range ct.Of[*usage.Usage](d) {
		if u.Spec.Of.Kind != "Key" || u.Spec.By == nil {
			t.Errorf("usage of %s by %v", u.Spec.Of.Kind, u.Spec.By)
			continue
		}
		got[u.Spec.By.Kind+"/"+u.Spec.By.ResourceSelector.MatchLabels[wiring.LabelPurpose]] = u.Spec.Of.ResourceSelector.MatchLabels[wiring.LabelPurpose]
	}
	want := map[string]string{
		"Bucket/" + sideDocuments: wiring.KeyDocuments, "BucketServerSideEncryptionConfiguration/" + sideDocuments: wiring.KeyDocuments,
		"Bucket/" + sideReplica: wiring.KeyDocumentsReplica, "BucketServerSideEncryptionConfiguration/" + sideReplica: wiring.KeyDocumentsReplica,
	}
	if len(got) != len(want) {
		t.Errorf("usages %v, want %v", got, want)
	}
	for by, k := range want {
		if got[by] != k {
			t.Errorf("%s keeps %q, want the %s key", by, got[by], k)
		}
	}
}

// TestDocuments_AccessLogsToLogBuckets_STO1: each documents bucket writes
// its server access logs to a log bucket in its own region (S3 delivers
// nowhere else), once that bucket's policy is ready; each log bucket is
// versioned, encrypted with SSE-S3 (the only encryption S3 log delivery
// takes), private, TLS only, writable by S3's logging service for the
// environment's buckets in the account only (its documents bucket's name
// matches, another environment's or account's does not), and keeps logs
// seven years.
func TestDocuments_AccessLogsToLogBuckets_STO1(t *testing.T) {
	if d := build(t, spec(), nil); d.Get(key(sideDocuments, componentLogging)) != nil {
		t.Error("logging composed before the log bucket's policy is ready")
	}
	d := build(t, spec(), everythingReady())
	for _, c := range []struct{ side, source, logBucket, region string }{
		{sideDocuments, bucket, "s3-documents-logs-123456789012-dev", "us-east-1"},
		{sideReplica, replica, "s3-documents-replica-logs-123456789012-dev", "us-west-2"},
	} {
		l := ct.Get[*s3v1beta1.BucketLogging](t, d, key(c.side, componentLogging)).Spec.ForProvider
		if *l.Region != c.region || l.BucketSelector.MatchLabels[wiring.LabelPurpose] != c.side || l.TargetBucketSelector.MatchLabels[wiring.LabelPurpose] != logs(c.side) ||
			!*l.TargetBucketSelector.MatchControllerRef || *l.TargetPrefix != LogPrefix {
			t.Errorf("%s logging %+v", c.side, l)
		}
		b := ct.Get[*s3v1beta1.Bucket](t, d, key(logs(c.side), componentBucket))
		if b.Annotations[wiring.AnnotationExternalName] != c.logBucket || *b.Spec.ForProvider.Region != c.region {
			t.Errorf("%s log bucket %s in %s", c.side, b.Annotations[wiring.AnnotationExternalName], *b.Spec.ForProvider.Region)
		}
		e := ct.Get[*s3v1beta1.BucketServerSideEncryptionConfiguration](t, d, key(logs(c.side), componentEncryption)).Spec.ForProvider.Rule[0]
		if *e.ApplyServerSideEncryptionByDefault.SseAlgorithm != "AES256" || e.ApplyServerSideEncryptionByDefault.KMSMasterKeyIDSelector != nil {
			t.Errorf("%s log bucket encryption %+v, want SSE-S3", c.side, e)
		}
		if *ct.Get[*s3v1beta1.BucketVersioning](t, d, key(logs(c.side), componentVersioning)).Spec.ForProvider.VersioningConfiguration.Status != "Enabled" {
			t.Errorf("%s log bucket not versioned", c.side)
		}
		p := ct.Get[*s3v1beta1.BucketPublicAccessBlock](t, d, key(logs(c.side), componentPublicBlock)).Spec.ForProvider
		if !*p.BlockPublicAcls || !*p.BlockPublicPolicy || !*p.IgnorePublicAcls || !*p.RestrictPublicBuckets {
			t.Errorf("%s log bucket public access block %+v", c.side, p)
		}
		pol := doc(t, ct.Get[*s3v1beta1.BucketPolicy](t, d, key(logs(c.side), componentPolicy)).Spec.ForProvider.Policy)
		arn := "arn:aws:s3:::" + c.logBucket
		if st := statement(t, pol, "DenyInsecureTransport"); st.Condition["Bool"]["aws:SecureTransport"] != "false" || !slices.Equal(st.Resource, []string{arn, arn + "/*"}) {
			t.Errorf("%s log bucket: %+v", c.side, st)
		}
		st := statement(t, pol, "S3ServerAccessLogsOfTheDocumentsBucket")
		if len(pol.Statement) != 2 || st.Principal["Service"] != "logging.s3.amazonaws.com" || !slices.Equal(st.Action, []string{"s3:PutObject"}) ||
			!slices.Equal(st.Resource, []string{arn + "/" + LogPrefix + "*"}) || st.Condition["ArnLike"]["aws:SourceArn"] != "arn:aws:s3:::s3-*-123456789012-dev" ||
			st.Condition["StringEquals"]["aws:SourceAccount"] != account {
			t.Errorf("%s log bucket policy %+v", c.side, pol)
		}
		pattern := strings.TrimPrefix(EnvironmentBuckets(account, "dev"), "arn:aws:s3:::")
		for name, want := range map[string]bool{c.source: true, "s3-truststore-123456789012-dev": true, "s3-documents-123456789012-prod": false,
			"s3-documents-210987654321-dev": false, "s3-documents-123456789012-xdev": false} {
			if ok, _ := path.Match(pattern, name); ok != want {
				t.Errorf("%s admits %s: %v, want %v", pattern, name, ok, want)
			}
		}
		r := ct.Get[*s3v1beta1.BucketLifecycleConfiguration](t, d, key(logs(c.side), componentLifecycle)).Spec.ForProvider.Rule[0]
		if *r.Expiration[0].Days != LogRetentionDays || *r.NoncurrentVersionExpiration[0].NoncurrentDays != 1 || *r.AbortIncompleteMultipartUpload[0].DaysAfterInitiation != 7 || len(r.Transition) != 0 {
			t.Errorf("%s log lifecycle %+v", c.side, r)
		}
	}
}

// TestDocuments_NeverDropsWhatExists: once everything exists, a spec that
// no longer passes the keys' ARNs drops nothing and changes no key.
func TestDocuments_NeverDropsWhatExists(t *testing.T) {
	full := build(t, spec(), everythingReady())
	obs := everythingReady()
	obs[resource.Name(keyRole)] = ct.Resource(true, map[string]any{"metadata.annotations": map[string]any{AnnotationKeyARN: docsKey, AnnotationReplicaKeyARN: replicaKey}})
	obs[resource.Name(keyReplication)] = ct.Resource(true, map[string]any{replicaKeyPath: replicaKey})
	for _, side := range []string{sideDocuments, sideReplica} {
		arn := map[string]string{sideDocuments: docsKey, sideReplica: replicaKey}[side]
		obs[resource.Name(key(side, componentPolicy))] = ct.Resource(true, map[string]any{"metadata.annotations": map[string]any{AnnotationKeyARN: arn}})
	}
	s := spec()
	s.DocumentsKeyARN, s.ReplicaKeyARN = "", ""
	d := build(t, s, obs)
	for n := range full.Resources {
		if d.Resources[n] == nil {
			t.Errorf("%s dropped", n)
		}
	}
	if *replicationOf(t, d).Spec.ForProvider.Rule[0].Destination.EncryptionConfiguration.ReplicaKMSKeyID != replicaKey {
		t.Error("the replication lost its replica key")
	}
	if !strings.Contains(*ct.Get[*iamv1beta1.Role](t, d, keyRole).Spec.ForProvider.InlinePolicy[0].Policy, replicaKey) {
		t.Error("the role lost its keys")
	}
}

// TestDocuments_WithinTheResourceBudget: everything the layer composes fits
// the 40 resources an XR may compose.
func TestDocuments_WithinTheResourceBudget(t *testing.T) {
	if n := len(build(t, spec(), everythingReady()).Resources); n > 40 {
		t.Errorf("%d resources; the budget is 40", n)
	}
}

// TestDocuments_Status: the buckets' names and ARNs and the role's ARN, each
// once observed.
func TestDocuments_Status(t *testing.T) {
	if st := ct.Status(t, build(t, spec(), nil)); len(st) != 0 {
		t.Errorf("status %v before anything is observed", st)
	}
	obs := everythingReady()
	obs[resource.Name(key(sideDocuments, componentBucket))] = ct.Resource(true, map[string]any{"metadata.annotations": map[string]any{wiring.AnnotationExternalName: bucket}, "status.atProvider.arn": "arn:aws:s3:::" + bucket})
	obs[resource.Name(key(sideReplica, componentBucket))] = ct.Resource(true, map[string]any{"metadata.annotations": map[string]any{wiring.AnnotationExternalName: replica}, "status.atProvider.arn": "arn:aws:s3:::" + replica})
	obs[resource.Name(key(logs(sideDocuments), componentBucket))] = ct.Resource(true, map[string]any{"metadata.annotations": map[string]any{wiring.AnnotationExternalName: api.DocumentsLogBucket(account, "dev")}})
	want := map[string]any{"bucketName": bucket, "bucketArn": "arn:aws:s3:::" + bucket, "replicaBucketName": replica,
		"replicaBucketArn": "arn:aws:s3:::" + replica, "replicationRoleArn": roleARN, "logBucketName": "s3-documents-logs-123456789012-dev"}
	st := ct.Status(t, build(t, spec(), obs))
	for k, v := range want {
		if st[k] != v {
			t.Errorf("status.%s = %v, want %v", k, st[k], v)
		}
	}
}

// TestDocuments_NamesInTheTable_X1_X6: the layer's names follow the naming
// rule, are listed by api.DocumentsNames and fit AWS at the longest suffix.
func TestDocuments_NamesInTheTable_X1_X6(t *testing.T) {
	table := map[string]bool{}
	for _, u := range api.DocumentsNames(account) {
		table[naming.MustName(u.Kind, u.Purpose, "dev")] = true
	}
	for _, n := range []string{bucket, replica, api.DocumentsLogBucket(account, "dev"), api.DocumentsReplicaLogBucket(account, "dev"), RoleName("dev")} {
		if !table[n] {
			t.Errorf("%s is not in api.DocumentsNames", n)
		}
	}
	long := strings.Repeat("a", naming.MaxSuffixLength)
	if err := aws.S3BucketName(api.DocumentsReplicaLogBucket(account, long)); err != nil {
		t.Error(err)
	}
	if err := aws.IAMRoleName(RoleName(long)); err != nil {
		t.Error(err)
	}
}

// TestDocuments_SelectorsStayInTheEnvironment_X4: every selector matches
// this XR's resources or this environment's.
func TestDocuments_SelectorsStayInTheEnvironment_X4(t *testing.T) {
	for n, o := range build(t, spec(), everythingReady()).Resources {
		m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o)
		if err != nil {
			t.Fatal(err)
		}
		ct.CheckSelectors(t, string(n), m, "dev")
	}
}

// TestDocuments_RefusesBadInput: each bad input is refused, naming its
// field and rule; nothing is composed.
func TestDocuments_RefusesBadInput(t *testing.T) {
	for name, c := range map[string]struct {
		mutate func(*api.DocumentsSpec)
		field  string
	}{
		"no account":             {func(s *api.DocumentsSpec) { s.AccountID = "" }, "spec.parameters.accountId"},
		"replica in the region":  {func(s *api.DocumentsSpec) { s.ReplicaRegion = "us-east-1" }, "spec.parameters.replicaRegion"},
		"unknown replica region": {func(s *api.DocumentsSpec) { s.ReplicaRegion = "mars-1" }, "spec.parameters.replicaRegion"},
		"key not an ARN":         {func(s *api.DocumentsSpec) { s.DocumentsKeyARN = "alias/kms-documents-dev" }, "spec.parameters.documentsKeyArn"},
		"key in another region":  {func(s *api.DocumentsSpec) { s.DocumentsKeyARN = replicaKey }, "spec.parameters.documentsKeyArn"},
		"replica key in region":  {func(s *api.DocumentsSpec) { s.ReplicaKeyARN = docsKey }, "spec.parameters.replicaKeyArn"},
		"IA before 30 days":      {func(s *api.DocumentsSpec) { s.TransitionToIADays = 29 }, "spec.parameters.transitionToIaDays"},
		"Glacier too soon":       {func(s *api.DocumentsSpec) { s.TransitionToIADays, s.TransitionToGlacierDays = 90, 119 }, "spec.parameters.transitionToGlacierDays"},
		"noncurrent negative":    {func(s *api.DocumentsSpec) { s.NoncurrentVersionExpirationDays = -1 }, "spec.parameters.noncurrentVersionExpirationDays"},
		"days beyond a century":  {func(s *api.DocumentsSpec) { s.TransitionToGlacierDays = api.MaxLifecycleDays + 1 }, "spec.parameters.transitionToGlacierDays"},
		"bad suffix":             {func(s *api.DocumentsSpec) { s.EnvironmentSuffix = "Dev-1" }, "spec.parameters.environmentSuffix"},
	} {
		s := spec()
		c.mutate(&s)
		d, err := Build(s, nil)
		if err == nil || d != nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%s: %v, want an error at %s", name, err, c.field)
		}
	}
	s := spec()
	s.TransitionToIADays, s.TransitionToGlacierDays = 30, 60
	if _, err := Build(s, nil); err != nil {
		t.Errorf("S3's minimums refused: %v", err)
	}
}
