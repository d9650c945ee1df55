package messaging

import (
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	xpv1 "github.com/crossplane/crossplane-runtime/v2/apis/common/v1"
	"github.com/crossplane/function-sdk-go/resource"
	cwlv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatchlogs/v1beta1"
	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"
	iamv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/iam/v1beta1"
	lambdav1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/lambda/v1beta1"
	sqsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/sqs/v1beta1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/aws"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	ct "github.com/fintech-platform/payment-platform/functions/platform/compose/composetest"
	"github.com/fintech-platform/payment-platform/functions/platform/iampolicy"
	"github.com/fintech-platform/payment-platform/functions/platform/usage"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

const (
	account  = "123456789012"
	keyARN   = "arn:aws:kms:us-east-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
	proxyID  = "prx-0123456789abcdef0"
	endpoint = "rdsproxy-payments-dev.proxy-abc.us-east-1.rds.amazonaws.com"
	clientSG = "sg-0123456789abcdef0"
	ownSG    = "sg-0aaaaaaaaaaaaaaaa"
	repoURL  = "123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-worker-dev"
	queueARN = "arn:aws:sqs:us-east-1:123456789012:sqs-payments-dev"
	queueURL = "https://sqs.us-east-1.amazonaws.com/123456789012/sqs-payments-dev"
	dlqARN   = "arn:aws:sqs:us-east-1:123456789012:sqs-payments-dlq-dev"
	dlqURL   = "https://sqs.us-east-1.amazonaws.com/123456789012/sqs-payments-dlq-dev"
	fnARN    = "arn:aws:lambda:us-east-1:123456789012:function:lambda-payments-worker-dev"
)

// spec is a Messaging with everything the claim passes once the other layers exist.
func spec() api.MessagingSpec {
	return api.MessagingSpec{
		Common:                compose.Common{EnvironmentSuffix: "dev", Region: "us-east-1"},
		AccountID:             account,
		MessagingKeyARN:       keyARN,
		DatabaseEndpoint:      endpoint,
		ProxyResourceID:       proxyID,
		ClientSecurityGroupID: clientSG,
		WorkerRepositoryURL:   repoURL,
		MessagingSettings:     api.MessagingSettings{Image: "1.4.2"},
	}
}

// everythingReady is observed state in which every gate is open.
func everythingReady() compose.Observed {
	return ct.Observed(
		ct.Res{Name: keyDLQ, Ready: true, Fields: map[string]any{"status.atProvider.arn": dlqARN, "status.atProvider.url": dlqURL}},
		ct.Res{Name: keyQueue, Ready: true, Fields: map[string]any{"status.atProvider.arn": queueARN, "status.atProvider.url": queueURL}},
		ct.Res{Name: keyLogGroup, Ready: true},
		ct.Res{Name: keyRole, Ready: true},
		ct.Res{Name: keySG, Ready: true, Fields: map[string]any{"status.atProvider.id": ownSG}},
		ct.Res{Name: keyFunction, Ready: true, Fields: map[string]any{"status.atProvider.arn": fnARN}},
		ct.Res{Name: keyMapping, Ready: true},
	)
}

func build(t *testing.T, s api.MessagingSpec, obs compose.Observed) *compose.Desired {
	t.Helper()
	return ct.Build(t, Build, s, obs)
}

func policyOf(t *testing.T, s string) iampolicy.Document {
	t.Helper()
	var doc iampolicy.Document
	if err := json.Unmarshal([]byte(s), &doc); err != nil {
		t.Fatalf("policy %s: %v", s, err)
	}
	return doc
}

// TestMessaging_QueuesEncryptedRedrivenTLSOnly_ASY1: both queues are
// encrypted with the messaging key (not SQS's own), the payment queue
// redrives to the DLQ after the claim's maxReceiveCount (5 by default), the
// DLQ keeps messages 14 days, admits the payment queue only as its source,
// and both refuse anything but TLS.
func TestMessaging_QueuesEncryptedRedrivenTLSOnly_ASY1(t *testing.T) {
	d := build(t, spec(), everythingReady())
	q := ct.Get[*sqsv1beta1.Queue](t, d, keyQueue).Spec.ForProvider
	dlq := ct.Get[*sqsv1beta1.Queue](t, d, keyDLQ).Spec.ForProvider
	for name, p := range map[string]sqsv1beta1.QueueParameters{"queue": q, "dlq": dlq} {
		if p.KMSMasterKeyID == nil || *p.KMSMasterKeyID != keyARN || p.SqsManagedSseEnabled != nil || *p.FifoQueue {
			t.Errorf("%s: key %v, SQS-managed SSE %v: want the messaging key", name, p.KMSMasterKeyID, p.SqsManagedSseEnabled)
		}
		arn := map[string]string{"queue": queueARN, "dlq": dlqARN}[name]
		doc := policyOf(t, *p.Policy)
		if len(doc.Statement) != 1 {
			t.Fatalf("%s policy %s", name, *p.Policy)
		}
		st := doc.Statement[0]
		if st.Effect != "Deny" || !slices.Equal(st.Action, []string{"sqs:*"}) || !slices.Equal(st.Resource, []string{arn}) ||
			st.Condition["Bool"]["aws:SecureTransport"] != "false" || st.Principal["AWS"] != "*" {
			t.Errorf("%s policy does not deny everyone non-TLS access to %s: %s", name, arn, *p.Policy)
		}
	}
	var redrive map[string]any
	if err := json.Unmarshal([]byte(*q.RedrivePolicy), &redrive); err != nil || redrive["deadLetterTargetArn"] != dlqARN || redrive["maxReceiveCount"] != float64(5) {
		t.Errorf("redrive policy %s: want the DLQ after 5 receives", *q.RedrivePolicy)
	}
	if *dlq.MessageRetentionSeconds != 1209600 || *dlq.MessageRetentionSeconds <= *q.MessageRetentionSeconds {
		t.Errorf("DLQ retention %v (queue %v): want 14 days, longer than the queue's", *dlq.MessageRetentionSeconds, *q.MessageRetentionSeconds)
	}
	var allow map[string]any
	if err := json.Unmarshal([]byte(*dlq.RedriveAllowPolicy), &allow); err != nil || allow["redrivePermission"] != "byQueue" ||
		!reflect.DeepEqual(allow["sourceQueueArns"], []any{queueARN}) {
		t.Errorf("DLQ redrive allow policy %s: want the payment queue only", *dlq.RedriveAllowPolicy)
	}
	if dlq.RedrivePolicy != nil || q.RedriveAllowPolicy != nil {
		t.Error("the DLQ redrives, or the payment queue is a DLQ")
	}
	s := spec()
	s.MaxReceiveCount = 3
	q = ct.Get[*sqsv1beta1.Queue](t, build(t, s, everythingReady()), keyQueue).Spec.ForProvider
	if !strings.Contains(*q.RedrivePolicy, `"maxReceiveCount":3`) {
		t.Errorf("redrive policy %s ignores maxReceiveCount 3", *q.RedrivePolicy)
	}
}

// TestMessaging_VisibilityTimeoutSixTimesTheWorker_ASY3: the payment queue's
// visibility timeout is at least six times the worker's timeout (plus the
// batching window) for every timeout the XR admits, and follows the timeout.
func TestMessaging_VisibilityTimeoutSixTimesTheWorker_ASY3(t *testing.T) {
	for _, tc := range []struct{ timeout, window int }{{0, 0}, {1, 0}, {30, 5}, {120, 300}, {900, 300}} {
		s := spec()
		s.TimeoutSeconds, s.MaximumBatchingWindowSeconds = tc.timeout, tc.window
		d := build(t, s, everythingReady())
		q := ct.Get[*sqsv1beta1.Queue](t, d, keyQueue).Spec.ForProvider
		fn := ct.Get[*lambdav1beta1.Function](t, d, keyFunction).Spec.ForProvider
		vis, timeout := int64(*q.VisibilityTimeoutSeconds), int64(*fn.Timeout)
		if vis < 6*timeout+int64(tc.window) {
			t.Errorf("timeout %d s, window %d s: visibility %d s, want at least %d", timeout, tc.window, vis, 6*timeout+int64(tc.window))
		}
		if err := aws.SQSVisibilityTimeout(vis); err != nil {
			t.Error(err)
		}
	}
	if n := api.VisibilityTimeoutSeconds(api.DefaultWorkerTimeoutSeconds, 0); n != 180 {
		t.Errorf("default visibility %d s, want 180", n)
	}
}

// TestMessaging_WorkerInPrivateSubnetsTriggeredByQueue_ASY2: the worker is a
// container image of the worker repository, in the private subnets with its
// own group and the database's worker client group, reserved concurrency,
// active tracing, its environment encrypted with the messaging key and free
// of secrets; the queue triggers it with partial batch failures and at most
// the claim's concurrency.
func TestMessaging_WorkerInPrivateSubnetsTriggeredByQueue_ASY2(t *testing.T) {
	s := spec()
	s.ReservedConcurrency, s.MaximumConcurrency, s.BatchSize, s.MaximumBatchingWindowSeconds = 20, 15, 50, 2
	d := build(t, s, everythingReady())
	fn := ct.Get[*lambdav1beta1.Function](t, d, keyFunction)
	p := fn.Spec.ForProvider
	if fn.Annotations[wiring.AnnotationExternalName] != "lambda-payments-worker-dev" || *p.PackageType != "Image" || *p.ImageURI != repoURL+":1.4.2" {
		t.Errorf("function %s package %s image %s", fn.Annotations[wiring.AnnotationExternalName], *p.PackageType, *p.ImageURI)
	}
	vc := p.VPCConfig
	if vc.SubnetIDSelector.MatchLabels[wiring.LabelTier] != wiring.TierPrivate || vc.SubnetIDSelector.MatchLabels[wiring.LabelEnvironment] != "dev" {
		t.Errorf("subnets %v, want the environment's private subnets", vc.SubnetIDSelector.MatchLabels)
	}
	if len(vc.SecurityGroupIds) != 2 || *vc.SecurityGroupIds[0] != ownSG || *vc.SecurityGroupIds[1] != clientSG {
		t.Errorf("security groups %v, want its own and the database's worker client group", vc.SecurityGroupIds)
	}
	if *p.ReservedConcurrentExecutions != 20 || *p.TracingConfig.Mode != "Active" || *p.KMSKeyArn != keyARN || *p.Timeout != 30 || *p.MemorySize != 512 {
		t.Errorf("reserved %v tracing %s key %s timeout %v memory %v", *p.ReservedConcurrentExecutions, *p.TracingConfig.Mode, *p.KMSKeyArn, *p.Timeout, *p.MemorySize)
	}
	if *p.LoggingConfig.LogGroup != "/aws/lambda/lambda-payments-worker-dev" {
		t.Errorf("logs to %s", *p.LoggingConfig.LogGroup)
	}
	env := p.Environment.Variables
	if *env["DB_HOST"] != endpoint || *env["DB_USER"] != wiring.DBUserWorker || *env["QUEUE_URL"] != queueURL || *env["DB_IAM_AUTH"] != "true" {
		t.Errorf("environment %v", env)
	}
	for k := range env {
		for _, w := range []string{"PASSWORD", "SECRET", "TOKEN", "CREDENTIAL", "AWS_"} {
			if strings.Contains(k, w) {
				t.Errorf("environment sets %s", k)
			}
		}
	}
	m := ct.Get[*lambdav1beta1.EventSourceMapping](t, d, keyMapping).Spec.ForProvider
	if *m.EventSourceArn != queueARN || !*m.FunctionNameSelector.MatchControllerRef || !slices.Equal(deref(m.FunctionResponseTypes), []string{"ReportBatchItemFailures"}) {
		t.Errorf("mapping from %s response types %v", *m.EventSourceArn, deref(m.FunctionResponseTypes))
	}
	if *m.BatchSize != 50 || *m.MaximumBatchingWindowInSeconds != 2 || *m.ScalingConfig.MaximumConcurrency != 15 || *m.ScalingConfig.MaximumConcurrency > *p.ReservedConcurrentExecutions {
		t.Errorf("batch %v window %v concurrency %v", *m.BatchSize, *m.MaximumBatchingWindowInSeconds, *m.ScalingConfig.MaximumConcurrency)
	}
	// The mapping's concurrency defaults to the reserved concurrency.
	m = ct.Get[*lambdav1beta1.EventSourceMapping](t, build(t, spec(), everythingReady()), keyMapping).Spec.ForProvider
	if *m.ScalingConfig.MaximumConcurrency != api.DefaultReservedConcurrency {
		t.Errorf("default maximum concurrency %v", *m.ScalingConfig.MaximumConcurrency)
	}
	// A full ECR image URI is used as given, without the repository's URL.
	s = spec()
	s.WorkerRepositoryURL, s.Image = "", "123456789012.dkr.ecr.us-east-1.amazonaws.com/payments/worker@sha256:"+strings.Repeat("a", 64)
	if got := *ct.Get[*lambdav1beta1.Function](t, build(t, s, everythingReady()), keyFunction).Spec.ForProvider.ImageURI; got != s.Image {
		t.Errorf("image %s, want %s", got, s.Image)
	}
	// The worker's own group admits nothing and reaches HTTPS only.
	if n := ct.Count[*ec2v1beta1.SecurityGroupIngressRule](d); n != 0 {
		t.Errorf("%d ingress rules", n)
	}
	eg := ct.Get[*ec2v1beta1.SecurityGroupEgressRule](t, d, keyEgress).Spec.ForProvider
	if *eg.IPProtocol != "tcp" || *eg.FromPort != 443 || *eg.ToPort != 443 || eg.SecurityGroupIDSelector.MatchLabels[wiring.LabelPurpose] != wiring.SGWorker {
		t.Errorf("egress %+v", eg)
	}
}

func deref(l []*string) []string {
	out := make([]string, 0, len(l))
	for _, s := range l {
		out = append(out, *s)
	}
	return out
}

// TestMessaging_LeastPrivilegeRole_ASY4: the worker's role may consume its
// own queue, decrypt with the messaging key, connect as its own database
// user through the proxy, write to its own log group, manage its network
// interfaces and send traces; no action is a wildcard, and only the two
// kinds AWS documents without a resource (EC2 Describe, X-Ray) take "*". Lambda
// of this account alone assumes it.
func TestMessaging_LeastPrivilegeRole_ASY4(t *testing.T) {
	r := ct.Get[*iamv1beta1.Role](t, build(t, spec(), everythingReady()), keyRole)
	doc := policyOf(t, *r.Spec.ForProvider.InlinePolicy[0].Policy)
	grants := map[string][]string{}
	for _, st := range doc.Statement {
		if st.Effect != "Allow" {
			t.Errorf("statement %+v", st)
		}
		for _, a := range st.Action {
			if strings.Contains(a, "*") {
				t.Errorf("%s grants the wildcard action %s", st.Sid, a)
			}
			grants[a] = append(grants[a], st.Resource...)
		}
		if slices.Contains(st.Resource, "*") && st.Sid != "DescribeNetworkInterfacesTakesNoResource" && st.Sid != "TraceTakesNoResource" {
			t.Errorf("%s grants %v on every resource", st.Sid, st.Action)
		}
	}
	want := map[string][]string{
		"sqs:ReceiveMessage":             {queueARN},
		"sqs:DeleteMessage":              {queueARN},
		"sqs:ChangeMessageVisibility":    {queueARN},
		"sqs:GetQueueAttributes":         {queueARN},
		"kms:Decrypt":                    {keyARN},
		"rds-db:connect":                 {"arn:aws:rds-db:us-east-1:123456789012:dbuser:" + proxyID + "/payments_worker"},
		"logs:CreateLogStream":           {"arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/lambda-payments-worker-dev:*"},
		"logs:PutLogEvents":              {"arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/lambda-payments-worker-dev:*"},
		"ec2:CreateNetworkInterface":     {"arn:aws:ec2:us-east-1:123456789012:*/*"},
		"ec2:DeleteNetworkInterface":     {"arn:aws:ec2:us-east-1:123456789012:*/*"},
		"ec2:AssignPrivateIpAddresses":   {"arn:aws:ec2:us-east-1:123456789012:*/*"},
		"ec2:UnassignPrivateIpAddresses": {"arn:aws:ec2:us-east-1:123456789012:*/*"},
		"ec2:DescribeNetworkInterfaces":  {"*"},
		"ec2:DescribeSubnets":            {"*"},
		"xray:PutTraceSegments":          {"*"},
		"xray:PutTelemetryRecords":       {"*"},
	}
	if !reflect.DeepEqual(grants, want) {
		got := make([]string, 0, len(grants))
		for a, r := range grants {
			got = append(got, a+" on "+strings.Join(r, ","))
		}
		sort.Strings(got)
		t.Errorf("the role grants\n%s\nwant exactly %v", strings.Join(got, "\n"), want)
	}
	trust := policyOf(t, *r.Spec.ForProvider.AssumeRolePolicy)
	if len(trust.Statement) != 1 || trust.Statement[0].Principal["Service"] != "lambda.amazonaws.com" ||
		trust.Statement[0].Condition["StringEquals"]["aws:SourceAccount"] != account {
		t.Errorf("trust %s: want Lambda of the account only", *r.Spec.ForProvider.AssumeRolePolicy)
	}
}

// TestMessaging_LogGroupEncryptedKeptWhereLambdaWrites_OBS3: the worker's log
// group is where Lambda writes, encrypted with the logs key, kept 2557 days;
// the logs key's policy admits its name.
func TestMessaging_LogGroupEncryptedKeptWhereLambdaWrites_OBS3(t *testing.T) {
	g := ct.Get[*cwlv1beta1.Group](t, build(t, spec(), nil), keyLogGroup)
	name := g.Annotations[wiring.AnnotationExternalName]
	if name != "/aws/lambda/"+FunctionName("dev") || *g.Spec.ForProvider.RetentionInDays != 2557 || g.Spec.ForProvider.KMSKeyIDSelector.MatchLabels[wiring.LabelPurpose] != wiring.KeyLogs {
		t.Errorf("log group %s retention %v key %v", name, *g.Spec.ForProvider.RetentionInDays, g.Spec.ForProvider.KMSKeyIDSelector.MatchLabels)
	}
	// The logs key's policy admits the environment's log groups by the
	// suffix they end with (keys.LogGroupARNs; TestKeys_LogsKeyForCloudWatchLogsOfAccount_KMS1).
	if !strings.HasSuffix(name, "-dev") {
		t.Errorf("log group %s does not end with the suffix the logs key admits", name)
	}
}

// TestMessaging_KeysOutliveWhatTheyEncrypt_X8: the messaging key outlives both
// queues and the worker, the logs key the log group; each Usage waits for its
// user.
func TestMessaging_KeysOutliveWhatTheyEncrypt_X8(t *testing.T) {
	uses := ct.Of[*usage.Usage](build(t, spec(), everythingReady()))
	want := map[string][2]string{
		"usage-key-messaging-by-" + keyQueue:    {wiring.KeyMessaging, "Queue"},
		"usage-key-messaging-by-" + keyDLQ:      {wiring.KeyMessaging, "Queue"},
		"usage-key-messaging-by-" + keyFunction: {wiring.KeyMessaging, "Function"},
		"usage-key-logs-by-" + keyLogGroup:      {wiring.KeyLogs, "Group"},
	}
	if len(uses) != len(want) {
		t.Errorf("%d Usages, want %d", len(uses), len(want))
	}
	for k, w := range want {
		u := uses[k]
		if u == nil || u.Spec.Of.Kind != "Key" || u.Spec.Of.ResourceSelector.MatchLabels[wiring.LabelPurpose] != w[0] || u.Spec.By.Kind != w[1] || !*u.Spec.By.ResourceSelector.MatchControllerRef {
			t.Errorf("%s: %+v", k, u)
		}
	}
	if n := ct.Count[*usage.Usage](build(t, spec(), nil)); n != 0 {
		t.Errorf("%d Usages before their users are ready", n)
	}
}

// TestMessaging_DataRetention_X3_X7: in the data-retention mode the queues
// and the log group are kept in AWS (no Delete); otherwise everything is
// deleted with the XR.
func TestMessaging_DataRetention_X3_X7(t *testing.T) {
	kept := xpv1.ManagementPolicies{"Observe", "Create", "Update", "LateInitialize"}
	d := build(t, spec(), everythingReady())
	for _, k := range []string{keyQueue, keyDLQ, keyLogGroup} {
		u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(d.Get(k))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := unstructuredList(u, "spec", "managementPolicies")
		if !slices.Equal(got, toStrings(kept)) {
			t.Errorf("%s management policies %v, want kept: %v", k, got, kept)
		}
	}
	for _, k := range []string{keyRole, keyFunction, keyMapping, keySG} {
		u, _ := runtime.DefaultUnstructuredConverter.ToUnstructured(d.Get(k))
		if got, found := unstructuredList(u, "spec", "managementPolicies"); found {
			t.Errorf("%s holds no data but is kept: %v", k, got)
		}
	}
	s := spec()
	s.RetainData = compose.Ptr(false)
	for k, o := range build(t, s, everythingReady()).Resources {
		u, _ := runtime.DefaultUnstructuredConverter.ToUnstructured(o)
		if got, found := unstructuredList(u, "spec", "managementPolicies"); found {
			t.Errorf("%s is kept with retainData false: %v", k, got)
		}
	}
}

func toStrings(p xpv1.ManagementPolicies) []string {
	out := make([]string, 0, len(p))
	for _, a := range p {
		out = append(out, string(a))
	}
	return out
}

func unstructuredList(u map[string]any, path ...string) ([]string, bool) {
	var v any = u
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[p]; !ok {
			return nil, false
		}
	}
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, e := range l {
		out = append(out, e.(string))
	}
	return out, true
}

// TestMessaging_Gating_ASY1_ASY2: what waits for what. Nothing needing the
// key exists before the claim gives it; the payment queue waits for the DLQ,
// the worker for its inputs, role and log group, the mapping for the queue's
// ARN and the worker; and nothing that exists is dropped when an input goes
// away, each keeping the value it was made with.
func TestMessaging_Gating_ASY1_ASY2(t *testing.T) {
	bare := spec()
	bare.MessagingKeyARN, bare.ProxyResourceID, bare.DatabaseEndpoint, bare.ClientSecurityGroupID, bare.WorkerRepositoryURL = "", "", "", "", ""
	d := build(t, bare, nil)
	for _, k := range []string{keyDLQ, keyQueue, keyRole, keyFunction, keyMapping} {
		if d.Get(k) != nil {
			t.Errorf("%s composed before its inputs", k)
		}
	}
	for _, k := range []string{keyLogGroup, keySG, keyEgress} {
		if d.Get(k) == nil {
			t.Errorf("%s waits for nothing, yet is missing", k)
		}
	}
	if n := len(slices.DeleteFunc(slices.Clone(d.Waiting), func(w string) bool { return strings.HasPrefix(w, "usage-") })); n != 5 {
		t.Errorf("%d resources wait, want the 5 that need inputs: %v", n, d.Waiting)
	}

	// With the key, the DLQ comes first; the queue waits for it to be ready.
	d = build(t, spec(), nil)
	if d.Get(keyDLQ) == nil || d.Get(keyQueue) != nil || d.Get(keyFunction) != nil || d.Get(keyMapping) != nil {
		t.Errorf("first render: %v", d.Waiting)
	}
	if !slices.ContainsFunc(d.Waiting, func(w string) bool { return strings.HasPrefix(w, keyQueue+" waits for the dead-letter queue") }) {
		t.Errorf("queue does not say it waits for the DLQ: %v", d.Waiting)
	}
	obs := ct.Observed(ct.Res{Name: keyDLQ, Ready: true})
	if d = build(t, spec(), obs); d.Get(keyQueue) == nil {
		t.Error("queue still waits once the DLQ is ready")
	}

	// The worker waits for each of its inputs in turn.
	for name, drop := range map[string]func(o compose.Observed, s *api.MessagingSpec){
		"image":      func(_ compose.Observed, s *api.MessagingSpec) { s.Image = "" },
		"repository": func(_ compose.Observed, s *api.MessagingSpec) { s.WorkerRepositoryURL = "" },
		"endpoint":   func(_ compose.Observed, s *api.MessagingSpec) { s.DatabaseEndpoint = "" },
		"client sg":  func(_ compose.Observed, s *api.MessagingSpec) { s.ClientSecurityGroupID = "" },
		"own sg":     func(o compose.Observed, _ *api.MessagingSpec) { delete(o, keySG) },
		"queue url":  func(o compose.Observed, _ *api.MessagingSpec) { delete(o, keyQueue) },
		"role":       func(o compose.Observed, _ *api.MessagingSpec) { delete(o, keyRole) },
		"log group":  func(o compose.Observed, _ *api.MessagingSpec) { delete(o, keyLogGroup) },
	} {
		o, s := everythingReady(), spec()
		delete(o, keyFunction)
		delete(o, keyMapping)
		drop(o, &s)
		if d := build(t, s, o); d.Get(keyFunction) != nil {
			t.Errorf("worker composed without its %s", name)
		}
	}
	// The mapping waits for the queue's ARN and the worker.
	o := everythingReady()
	delete(o, keyMapping)
	o[keyFunction] = ct.Observed(ct.Res{Name: keyFunction, Ready: false})[keyFunction]
	if build(t, spec(), o).Get(keyMapping) != nil {
		t.Error("mapping composed before the worker is ready")
	}

	// Inputs gone: everything that exists stays, with what it was made with.
	o = everythingReady()
	made := build(t, spec(), o)
	for _, k := range []string{keyDLQ, keyQueue, keyRole, keyFunction, keyMapping} {
		u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(made.Get(k))
		if err != nil {
			t.Fatal(err)
		}
		r := ct.Resource(true, nil)
		for f, v := range u {
			if f != "status" {
				r.Resource.Object[f] = v
			}
		}
		o[resource.Name(k)] = r
	}
	d = build(t, bare, o)
	for k, want := range made.Resources {
		got := d.Resources[k]
		if got == nil {
			t.Errorf("%s dropped when its inputs went away", k)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s changed when its inputs went away", k)
		}
	}
}

// TestMessaging_Status_API04: outputs once known, nothing before.
func TestMessaging_Status_API04(t *testing.T) {
	if s := build(t, spec(), nil).Status; !reflect.ValueOf(s).IsZero() {
		t.Errorf("status before anything exists = %+v", s)
	}
	obs := everythingReady()
	obs[keyFunction] = ct.Resource(true, map[string]any{"status.atProvider.arn": fnARN, wiring.ExternalNamePath: "lambda-payments-worker-dev"})
	obs[keyLogGroup] = ct.Resource(true, map[string]any{wiring.ExternalNamePath: "/aws/lambda/lambda-payments-worker-dev"})
	st := build(t, spec(), obs).Status.(api.MessagingStatus)
	want := api.MessagingStatus{QueueURL: queueURL, QueueARN: queueARN, DeadLetterQueueURL: dlqURL, DeadLetterQueueARN: dlqARN,
		FunctionName: "lambda-payments-worker-dev", FunctionARN: fnARN, LogGroup: "/aws/lambda/lambda-payments-worker-dev"}
	if st != want {
		t.Errorf("status = %+v, want %+v", st, want)
	}
	if QueueARN(spec(), queuePayments) != queueARN || QueueARN(spec(), queueDeadLetter) != dlqARN {
		t.Errorf("derived ARNs %s %s differ from what SQS reports", QueueARN(spec(), queuePayments), QueueARN(spec(), queueDeadLetter))
	}
}

// TestMessaging_Validate_API05: bad input is refused naming the field and the rule.
func TestMessaging_Validate_API05(t *testing.T) {
	cases := map[string]struct {
		mutate func(*api.MessagingSpec)
		want   string
	}{
		"ImageDockerHub":     {func(s *api.MessagingSpec) { s.Image = "nginx:1" }, "spec.parameters.image: Invalid value: \"nginx:1\": must be a tag of the worker repository"},
		"ImageRegion":        {func(s *api.MessagingSpec) { s.Image = strings.Replace(repoURL, "us-east-1", "eu-west-1", 1) + ":1" }, "spec.parameters.image: Invalid value: \"" + strings.Replace(repoURL, "us-east-1", "eu-west-1", 1) + ":1\": is in eu-west-1"},
		"ImageTag":           {func(s *api.MessagingSpec) { s.Image = ".hidden" }, "spec.parameters.image"},
		"TimeoutHigh":        {func(s *api.MessagingSpec) { s.TimeoutSeconds = 901 }, "spec.parameters.timeoutSeconds: Invalid value: 901: must be 1 to 900"},
		"TimeoutNegative":    {func(s *api.MessagingSpec) { s.TimeoutSeconds = -1 }, "spec.parameters.timeoutSeconds"},
		"MemoryLow":          {func(s *api.MessagingSpec) { s.MemoryMB = 64 }, "spec.parameters.memoryMb: Invalid value: 64: must be 128 to 10240"},
		"MemoryHigh":         {func(s *api.MessagingSpec) { s.MemoryMB = 10241 }, "spec.parameters.memoryMb"},
		"ReservedLow":        {func(s *api.MessagingSpec) { s.ReservedConcurrency, s.MaximumConcurrency = 1, 2 }, "spec.parameters.reservedConcurrency: Invalid value: 1"},
		"ReservedHigh":       {func(s *api.MessagingSpec) { s.ReservedConcurrency = 901 }, "spec.parameters.reservedConcurrency: Invalid value: 901"},
		"ConcurrencyOverRes": {func(s *api.MessagingSpec) { s.ReservedConcurrency, s.MaximumConcurrency = 5, 6 }, "spec.parameters.maximumConcurrency: Invalid value: 6: must not exceed reservedConcurrency (5)"},
		"ConcurrencyLow":     {func(s *api.MessagingSpec) { s.MaximumConcurrency = 1 }, "spec.parameters.maximumConcurrency: Invalid value: 1: must be 2 to 1000"},
		"BatchHigh":          {func(s *api.MessagingSpec) { s.BatchSize, s.MaximumBatchingWindowSeconds = 10001, 1 }, "spec.parameters.batchSize: Invalid value: 10001"},
		"BatchWithoutWindow": {func(s *api.MessagingSpec) { s.BatchSize = 11 }, "spec.parameters.maximumBatchingWindowSeconds: Invalid value: 0: must be at least 1 when batchSize (11) is over 10"},
		"WindowHigh":         {func(s *api.MessagingSpec) { s.MaximumBatchingWindowSeconds = 301 }, "spec.parameters.maximumBatchingWindowSeconds: Invalid value: 301"},
		"WindowNegative":     {func(s *api.MessagingSpec) { s.MaximumBatchingWindowSeconds = -1 }, "spec.parameters.maximumBatchingWindowSeconds"},
		"MaxReceiveHigh":     {func(s *api.MessagingSpec) { s.MaxReceiveCount = 1001 }, "spec.parameters.maxReceiveCount: Invalid value: 1001: must be 1 to 1000"},
		"MaxReceiveNegative": {func(s *api.MessagingSpec) { s.MaxReceiveCount = -1 }, "spec.parameters.maxReceiveCount"},
		"KeyARN":             {func(s *api.MessagingSpec) { s.MessagingKeyARN = "alias/kms-messaging-dev" }, "spec.parameters.messagingKeyArn"},
		"KeyRegion":          {func(s *api.MessagingSpec) { s.MessagingKeyARN = strings.Replace(keyARN, "us-east-1", "eu-west-1", 1) }, "spec.parameters.messagingKeyArn: Invalid value: \"" + strings.Replace(keyARN, "us-east-1", "eu-west-1", 1) + "\": is in eu-west-1"},
		"DatabaseEndpoint":   {func(s *api.MessagingSpec) { s.DatabaseEndpoint = "not a host" }, "spec.parameters.databaseEndpoint"},
		"ProxyResourceID":    {func(s *api.MessagingSpec) { s.ProxyResourceID = "cluster-ABC" }, "spec.parameters.proxyResourceId"},
		"ClientSG":           {func(s *api.MessagingSpec) { s.ClientSecurityGroupID = "client-worker" }, "spec.parameters.clientSecurityGroupId"},
		"RepositoryURL":      {func(s *api.MessagingSpec) { s.WorkerRepositoryURL = "docker.io/worker" }, "spec.parameters.workerRepositoryUrl"},
		"RepositoryRegion": {func(s *api.MessagingSpec) {
			s.WorkerRepositoryURL = strings.Replace(repoURL, "us-east-1", "us-west-2", 1)
		}, "spec.parameters.workerRepositoryUrl: Invalid value: \"" + strings.Replace(repoURL, "us-east-1", "us-west-2", 1) + "\": is in us-west-2"},
		"AccountID":         {func(s *api.MessagingSpec) { s.AccountID = "12345" }, "spec.parameters.accountId"},
		"EnvironmentSuffix": {func(s *api.MessagingSpec) { s.EnvironmentSuffix = "dev-1" }, "spec.parameters.environmentSuffix"},
		"Region":            {func(s *api.MessagingSpec) { s.Region = "us-east-9" }, "spec.parameters.region"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := spec()
			tc.mutate(&s)
			if _, err := Build(s, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one naming %q", err, tc.want)
			}
		})
	}
	// The bounds themselves pass.
	s := spec()
	s.TimeoutSeconds, s.MemoryMB, s.ReservedConcurrency, s.MaximumConcurrency, s.BatchSize, s.MaximumBatchingWindowSeconds, s.MaxReceiveCount = 900, 10240, 900, 900, 10000, 300, 1000
	if _, err := Build(s, nil); err != nil {
		t.Errorf("the upper bounds: %v", err)
	}
	s = spec()
	s.TimeoutSeconds, s.MemoryMB, s.ReservedConcurrency, s.MaximumConcurrency, s.BatchSize, s.MaxReceiveCount = 1, 128, 2, 2, 10, 1
	if _, err := Build(s, nil); err != nil {
		t.Errorf("the lower bounds: %v", err)
	}
}

// TestMessaging_SelectorsStayInEnvironmentWithinBudget_X4: every selector
// matches this XR's own resources or the environment's, and the layer
// composes at most 40 resources.
func TestMessaging_SelectorsStayInEnvironmentWithinBudget_X4(t *testing.T) {
	d := build(t, spec(), everythingReady())
	for name, o := range d.Resources {
		u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o)
		if err != nil {
			t.Fatal(err)
		}
		ct.CheckSelectors(t, string(name), u, "dev")
	}
	if n := len(d.Resources); n > 40 {
		t.Errorf("%d resources, over the 40 an XR may compose", n)
	}
}

// TestMessaging_WithinAWSRules_X6: every managed resource the layer composes,
// at the longest suffix, obeys AWS's rules for its kind (functions/platform/aws).
func TestMessaging_WithinAWSRules_X6(t *testing.T) {
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{cwlv1beta1.AddToScheme, ec2v1beta1.AddToScheme, iamv1beta1.AddToScheme, lambdav1beta1.AddToScheme, sqsv1beta1.AddToScheme} {
		if err := add(scheme); err != nil {
			t.Fatal(err)
		}
	}
	s := spec()
	s.EnvironmentSuffix = "prodeu1abcde"
	s.TimeoutSeconds, s.MaximumBatchingWindowSeconds, s.BatchSize = 900, 300, 10000
	d := build(t, s, everythingReady())
	for name, o := range d.Resources {
		if _, ok := o.(*usage.Usage); ok {
			continue
		}
		gvks, _, err := scheme.ObjectKinds(o)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o)
		if err != nil {
			t.Fatal(err)
		}
		errs, known := aws.Check(gvks[0].Group, gvks[0].Kind, u)
		if !known {
			t.Errorf("%s: no AWS rules for %s", name, gvks[0])
		}
		for _, e := range errs {
			t.Errorf("%s: %v", name, e)
		}
	}
}

func BenchmarkBuild(b *testing.B) {
	s, obs := spec(), everythingReady()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(s, obs); err != nil {
			b.Fatal(err)
		}
	}
}
