package observability

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	cwv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatch/v1beta1"
	snsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/sns/v1beta1"
	"k8s.io/apimachinery/pkg/runtime"

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
	account  = "123456789012"
	keyARN   = "arn:aws:kms:us-east-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
	lbARN    = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb-payments-dev/0123456789abcdef"
	tgARN    = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg-api-dev/fedcba9876543210"
	aclARN   = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/waf-payments-dev/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
	queueARN = "arn:aws:sqs:us-east-1:123456789012:sqs-payments-dev"
	dlqARN   = "arn:aws:sqs:us-east-1:123456789012:sqs-payments-dlq-dev"
	topicARN = "arn:aws:sns:us-east-1:123456789012:sns-alarms-dev"
)

// spec is an Observability with every input the claim passes once the other
// layers exist.
func spec() api.ObservabilitySpec {
	return api.ObservabilitySpec{
		Common:              compose.Common{EnvironmentSuffix: "dev", Region: "us-east-1"},
		AccountID:           account,
		MessagingKeyARN:     keyARN,
		LoadBalancerARN:     lbARN,
		TargetGroupARN:      tgARN,
		WebACLARN:           aclARN,
		ClusterName:         "ecs-payments-dev",
		ServiceName:         "svc-api-dev",
		DBClusterIdentifier: "aurora-payments-dev",
		QueueARN:            queueARN,
		DeadLetterQueueARN:  dlqARN,
		FunctionName:        "lambda-worker-dev",
		ObservabilitySettings: api.ObservabilitySettings{Subscriptions: []api.Subscription{
			{Protocol: "email", Endpoint: "oncall@example.com"},
			{Protocol: "https", Endpoint: "https://events.pagerduty.com/integration/abc/enqueue"},
		}},
	}
}

// bare is a spec with none of the other layers' outputs yet.
func bare() api.ObservabilitySpec {
	return api.ObservabilitySpec{Common: compose.Common{EnvironmentSuffix: "dev", Region: "us-east-1"}, AccountID: account}
}

// topicReady is observed state in which the topic exists and reports its ARN.
func topicReady() compose.Observed {
	return ct.Observed(ct.Res{Name: keyTopic, Ready: true, Fields: map[string]any{"status.atProvider.arn": topicARN}})
}

func build(t *testing.T, s api.ObservabilitySpec, obs compose.Observed) *compose.Desired {
	t.Helper()
	return ct.Build(t, Build, s, obs)
}

// observe returns observed state holding every resource of d, ready, as
// Crossplane would report it on the next call (the topic with its ARN).
func observe(t *testing.T, d *compose.Desired) compose.Observed {
	t.Helper()
	obs := compose.Observed{}
	for n, o := range d.Resources {
		u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o)
		if err != nil {
			t.Fatal(err)
		}
		r := ct.Resource(true, nil)
		for k, v := range u {
			if k != "status" {
				r.Resource.Object[k] = v
			}
		}
		if n == keyTopic {
			r.Resource.Object["status"].(map[string]any)["atProvider"] = map[string]any{"arn": topicARN}
		}
		obs[n] = r
	}
	return obs
}

// settled builds s until nothing new is desired.
func settled(t *testing.T, s api.ObservabilitySpec) (*compose.Desired, compose.Observed) {
	t.Helper()
	var obs compose.Observed
	d := build(t, s, obs)
	for range 5 {
		obs = observe(t, d)
		d = build(t, s, obs)
	}
	return d, obs
}

func TestObservability_TopicEncryptedWithMessagingKey_OBS2_X8(t *testing.T) {
	d := build(t, bare(), nil)
	if d.Get(keyTopic) != nil || !slices.ContainsFunc(d.Waiting, func(w string) bool {
		return strings.HasPrefix(w, keyTopic+" waits for the messaging key's ARN")
	}) {
		t.Fatalf("the topic does not wait for the messaging key: waiting %v", d.Waiting)
	}

	d, _ = settled(t, spec())
	topic := ct.Get[*snsv1beta1.Topic](t, d, keyTopic)
	if k := topic.Spec.ForProvider.KMSMasterKeyID; k == nil || *k != keyARN {
		t.Errorf("topic key %v, want the messaging key %s", k, keyARN)
	}
	if n := topic.Annotations[wiring.AnnotationExternalName]; n != "sns-alarms-dev" {
		t.Errorf("topic name %q", n)
	}
	// the messaging key outlives the topic it encrypts.
	u := ct.Get[*usage.Usage](t, d, keyUsage)
	if u.Spec.Of.Kind != "Key" || u.Spec.Of.ResourceSelector.MatchLabels[wiring.LabelPurpose] != wiring.KeyMessaging || u.Spec.By.Kind != "Topic" {
		t.Errorf("usage %+v does not keep the messaging key for the topic", u.Spec)
	}
	// The topic keeps its key while the spec has none for a moment.
	s := spec()
	s.MessagingKeyARN = ""
	_, obs := settled(t, spec())
	if k := ct.Get[*snsv1beta1.Topic](t, build(t, s, obs), keyTopic).Spec.ForProvider.KMSMasterKeyID; k == nil || *k != keyARN {
		t.Errorf("the topic lost its key: %v", k)
	}
}

func TestObservability_TopicPolicyOnlyCloudWatchOverTLS_OBS2(t *testing.T) {
	d, _ := settled(t, spec())
	p := ct.Get[*snsv1beta1.TopicPolicy](t, d, keyTopicPolicy)
	var doc iampolicy.Document
	if err := json.Unmarshal([]byte(*p.Spec.ForProvider.Policy), &doc); err != nil {
		t.Fatal(err)
	}
	var allows, denyOthers, denyTLS bool
	for _, st := range doc.Statement {
		if !reflect.DeepEqual(st.Resource, []string{topicARN}) {
			t.Errorf("%s applies to %v, not the topic only", st.Sid, st.Resource)
		}
		switch {
		case st.Effect == "Allow":
			allows = reflect.DeepEqual(st.Principal, map[string]any{"Service": "cloudwatch.amazonaws.com"}) &&
				reflect.DeepEqual(st.Action, []string{"sns:Publish"}) &&
				st.Condition["StringEquals"]["aws:SourceAccount"] == account &&
				st.Condition["ArnLike"]["aws:SourceArn"] == "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*-dev"
			if !allows {
				t.Errorf("an Allow other than CloudWatch's alarms of the account: %+v", st)
			}
		case st.Condition["Bool"]["aws:SecureTransport"] == "false":
			denyTLS = slices.Contains(st.Action, "sns:*")
		case st.Condition["StringNotEqualsIfExists"]["aws:PrincipalServiceName"] == "cloudwatch.amazonaws.com":
			denyOthers = reflect.DeepEqual(st.Action, []string{"sns:Publish"})
		}
	}
	if !allows || !denyOthers || !denyTLS {
		t.Errorf("policy allows CloudWatch %v, denies other publishers %v, denies non-TLS %v:\n%s", allows, denyOthers, denyTLS, *p.Spec.ForProvider.Policy)
	}
	if s := p.Spec.ForProvider.ArnSelector; s == nil || s.MatchControllerRef == nil || !*s.MatchControllerRef {
		t.Errorf("the policy is not on the layer's own topic: %+v", s)
	}
}

func TestObservability_Subscriptions_OBS2(t *testing.T) {
	s := spec()
	d := build(t, s, nil)
	if n := ct.Count[*snsv1beta1.TopicSubscription](d); n != 0 {
		t.Errorf("%d subscriptions before the topic is ready", n)
	}
	d = build(t, s, topicReady())
	subs := ct.Of[*snsv1beta1.TopicSubscription](d)
	if len(subs) != 2 {
		t.Fatalf("%d subscriptions, want 2", len(subs))
	}
	for _, want := range s.Subscriptions {
		sub, ok := subs[keySubscription(want)]
		if !ok || *sub.Spec.ForProvider.Protocol != want.Protocol || *sub.Spec.ForProvider.Endpoint != want.Endpoint {
			t.Errorf("no subscription %v", want)
		}
	}
	// Keys do not depend on the order.
	r := spec()
	slices.Reverse(r.Subscriptions)
	if got := slices.Sorted(mapsKeys(ct.Of[*snsv1beta1.TopicSubscription](build(t, r, topicReady())))); !slices.Equal(got, slices.Sorted(mapsKeys(subs))) {
		t.Errorf("reordering the subscriptions renamed them: %v", got)
	}
	// A subscription taken out of the spec is kept, with a warning.
	_, obs := settled(t, s)
	s.Subscriptions = s.Subscriptions[:1]
	d = build(t, s, obs)
	gone := keySubscription(spec().Subscriptions[1])
	if sub := ct.Get[*snsv1beta1.TopicSubscription](t, d, gone); *sub.Spec.ForProvider.Endpoint != spec().Subscriptions[1].Endpoint {
		t.Errorf("the removed subscription was rebuilt as %v", *sub.Spec.ForProvider.Endpoint)
	}
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], gone) {
		t.Errorf("warnings %v do not name the kept subscription", d.Warnings)
	}
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// body is the dashboard's body, decoded.
type body struct {
	Widgets []struct {
		Type        string
		X, Y, Width int
		Properties  map[string]any
	}
}

func dashboardOf(t *testing.T, d *compose.Desired) (string, body) {
	t.Helper()
	raw := *ct.Get[*cwv1beta1.Dashboard](t, d, keyDashboard).Spec.ForProvider.DashboardBody
	var b body
	if err := json.Unmarshal([]byte(raw), &b); err != nil {
		t.Fatal(err)
	}
	return raw, b
}

// lines returns every metric line of the body's metric widgets, by title,
// as the JSON each is written as.
func lines(b body) map[string][]string {
	out := map[string][]string{}
	for _, w := range b.Widgets {
		title, _ := w.Properties["title"].(string)
		ms, _ := w.Properties["metrics"].([]any)
		for _, m := range ms {
			j, _ := json.Marshal(m)
			out[title] = append(out[title], string(j))
		}
	}
	return out
}

func TestObservability_DashboardCustomMetricsAndHealth_OBS1(t *testing.T) {
	_, b := dashboardOf(t, build(t, spec(), nil))
	l := lines(b)
	has := func(title string, parts ...string) {
		t.Helper()
		for _, line := range l[title] {
			if func() bool {
				for _, p := range parts {
					if !strings.Contains(line, p) {
						return false
					}
				}
				return true
			}() {
				return
			}
		}
		t.Errorf("widget %q has no line with %v; it has %v", title, parts, l[title])
	}
	ns := `"Payments/dev"`
	for _, s := range Services {
		for _, p := range []string{"p50", "p90", "p99"} {
			has("Transaction processing time (ms)", ns, `"TransactionProcessingTime","Service","`+s+`"`, `"stat":"`+p+`"`)
		}
		has("Transaction success rate (%)", ns, `"TransactionsSucceeded","Service","`+s+`"`, `"id":"s_`+s+`"`)
		has("Transaction success rate (%)", ns, `"TransactionsFailed","Service","`+s+`"`, `"id":"f_`+s+`"`)
		has("Transaction success rate (%)", `"expression":"IF(FILL(s_`+s+`,0)+FILL(f_`+s+`,0)\u003e0,100*(FILL(s_`+s+`,0))/(FILL(s_`+s+`,0)+FILL(f_`+s+`,0)))"`)
		has("Throughput (transactions/s)", `"expression":"(FILL(s_`+s+`,0)+FILL(f_`+s+`,0))/PERIOD(s_`+s+`)"`)
	}
	has("ALB requests and errors", `"AWS/ApplicationELB","RequestCount","LoadBalancer","app/alb-payments-dev/0123456789abcdef"`)
	has("ALB requests and errors", `"HTTPCode_Target_5XX_Count","LoadBalancer","app/alb-payments-dev/0123456789abcdef"`)
	has("ALB target response time (s)", `"TargetResponseTime","LoadBalancer","app/alb-payments-dev/0123456789abcdef"`, `"stat":"p99"`)
	has("API tasks behind the ALB", `"HealthyHostCount","TargetGroup","targetgroup/tg-api-dev/fedcba9876543210","LoadBalancer","app/alb-payments-dev/0123456789abcdef"`)
	has("API service CPU and memory (%)", `"AWS/ECS","CPUUtilization","ClusterName","ecs-payments-dev","ServiceName","svc-api-dev"`)
	has("API service CPU and memory (%)", `"AWS/ECS","MemoryUtilization","ClusterName","ecs-payments-dev","ServiceName","svc-api-dev"`)
	has("Aurora CPU (%) and connections", `"AWS/RDS","CPUUtilization","DBClusterIdentifier","aurora-payments-dev"`)
	has("Aurora CPU (%) and connections", `"DatabaseConnections","DBClusterIdentifier","aurora-payments-dev"`)
	has("Aurora freeable memory (bytes)", `"FreeableMemory","DBClusterIdentifier","aurora-payments-dev"`)
	has("Messages waiting", `"AWS/SQS","ApproximateNumberOfMessagesVisible","QueueName","sqs-payments-dev"`)
	has("Messages waiting", `"AWS/SQS","ApproximateNumberOfMessagesVisible","QueueName","sqs-payments-dlq-dev"`)
	has("Oldest message age (s)", `"ApproximateAgeOfOldestMessage","QueueName","sqs-payments-dev"`)
	has("Worker errors and throttles", `"AWS/Lambda","Errors","FunctionName","lambda-worker-dev"`)
	has("Worker errors and throttles", `"AWS/Lambda","Throttles","FunctionName","lambda-worker-dev"`)
	has("Worker duration (ms)", `"Duration","FunctionName","lambda-worker-dev"`, `"stat":"p99"`)
	has("Worker concurrent executions", `"ConcurrentExecutions","FunctionName","lambda-worker-dev"`)
	has("WAF requests", `"AWS/WAFV2","BlockedRequests","WebACL","waf-payments-dev","Region","us-east-1","Rule","ALL"`)
	has("WAF requests", `"AllowedRequests","WebACL","waf-payments-dev","Region","us-east-1","Rule","ALL"`)
	if err := aws.DashboardBody(*ct.Get[*cwv1beta1.Dashboard](t, build(t, spec(), nil), keyDashboard).Spec.ForProvider.DashboardBody); err != nil {
		t.Error(err)
	}
}

// TestObservability_DashboardWaitsForDimensions_OBS1: a widget whose
// dimension is not known is left out, never drawn with an empty one; the
// transaction widgets need none.
func TestObservability_DashboardWaitsForDimensions_OBS1(t *testing.T) {
	raw, b := dashboardOf(t, build(t, bare(), nil))
	l := lines(b)
	if len(l) != 3 || l["Transaction processing time (ms)"] == nil {
		t.Errorf("widgets %v, want the three transaction widgets only", slices.Sorted(mapsKeys(l)))
	}
	if strings.Contains(raw, `""`) {
		t.Errorf("an empty value in the body: %s", raw)
	}
	// Each input brings its widgets, in their own slots.
	s := bare()
	s.QueueARN = queueARN
	_, b = dashboardOf(t, build(t, s, nil))
	if got := lines(b)["Messages waiting"]; len(got) != 1 || !strings.Contains(got[0], "sqs-payments-dev") {
		t.Errorf("the queue alone: %v", got)
	}
	_, full := dashboardOf(t, build(t, spec(), nil))
	for _, w := range b.Widgets {
		for _, f := range full.Widgets {
			if f.Properties["title"] == w.Properties["title"] && (f.X != w.X || f.Y != w.Y) {
				t.Errorf("%v moved when the other inputs came", w.Properties["title"])
			}
		}
	}
}

func TestObservability_DashboardDeterministic_OBS1(t *testing.T) {
	first, _ := dashboardOf(t, build(t, spec(), nil))
	for range 20 {
		if again, _ := dashboardOf(t, build(t, spec(), nil)); again != first {
			t.Fatalf("the body differs between calls:\n%s\n%s", first, again)
		}
	}
	if n := ct.Get[*cwv1beta1.Dashboard](t, build(t, spec(), nil), keyDashboard).Annotations[wiring.AnnotationExternalName]; n != "dashboard-payments-dev" {
		t.Errorf("dashboard name %q", n)
	}
}

func alarmOf(t *testing.T, d *compose.Desired, purpose string) cwv1beta1.MetricAlarmParameters {
	t.Helper()
	return ct.Get[*cwv1beta1.MetricAlarm](t, d, keyAlarm(purpose)).Spec.ForProvider
}

func TestObservability_AlarmsNotifyTheTopic_OBS2(t *testing.T) {
	d, _ := settled(t, spec())
	alarms := ct.Of[*cwv1beta1.MetricAlarm](d)
	if len(alarms) != len(api.ObservabilityAlarms) {
		t.Fatalf("%d alarms, want %d: waiting %v", len(alarms), len(api.ObservabilityAlarms), d.Waiting)
	}
	missing := map[string]string{
		"alb-5xx-rate": "notBreaching", "api-latency-p99": "notBreaching", "transaction-success-rate": "notBreaching",
		"dlq-not-empty": "notBreaching", "queue-oldest-message": "notBreaching", "worker-errors": "notBreaching",
		"worker-throttles": "notBreaching", "aurora-cpu": "missing", "aurora-freeable-memory": "missing",
		"ecs-cpu": "missing", "ecs-memory": "missing",
	}
	for _, purpose := range api.ObservabilityAlarms {
		a := alarmOf(t, d, purpose)
		for what, actions := range map[string][]*string{"alarm": a.AlarmActions, "OK": a.OkActions} {
			if len(actions) != 1 || *actions[0] != topicARN {
				t.Errorf("%s: %s actions %v, want the topic", purpose, what, actions)
			}
		}
		if *a.TreatMissingData != missing[purpose] {
			t.Errorf("%s: treatMissingData %s, want %s", purpose, *a.TreatMissingData, missing[purpose])
		}
		// Silence from a source that always reports is news too.
		if (len(a.InsufficientDataActions) == 1) != (missing[purpose] == "missing") {
			t.Errorf("%s: insufficient-data actions %v with treatMissingData %s", purpose, a.InsufficientDataActions, missing[purpose])
		}
		if n := ct.Get[*cwv1beta1.MetricAlarm](t, d, keyAlarm(purpose)).Annotations[wiring.AnnotationExternalName]; n != "alarm-"+purpose+"-dev" {
			t.Errorf("alarm name %q", n)
		}
	}
}

func dims(m map[string]*string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = *v
	}
	return out
}

func TestObservability_AlarmsWatchWhatExists_OBS2(t *testing.T) {
	d, _ := settled(t, spec())
	want := map[string]struct {
		metric, stat, op string
		threshold        float64
		dims             map[string]string
	}{
		"api-latency-p99":        {"TargetResponseTime", "p99", "GreaterThanThreshold", 1, map[string]string{"LoadBalancer": "app/alb-payments-dev/0123456789abcdef"}},
		"queue-oldest-message":   {"ApproximateAgeOfOldestMessage", "Maximum", "GreaterThanThreshold", 300, map[string]string{"QueueName": "sqs-payments-dev"}},
		"worker-errors":          {"Errors", "Sum", "GreaterThanOrEqualToThreshold", 5, map[string]string{"FunctionName": "lambda-worker-dev"}},
		"worker-throttles":       {"Throttles", "Sum", "GreaterThanThreshold", 0, map[string]string{"FunctionName": "lambda-worker-dev"}},
		"aurora-cpu":             {"CPUUtilization", "Average", "GreaterThanThreshold", 80, map[string]string{"DBClusterIdentifier": "aurora-payments-dev"}},
		"aurora-freeable-memory": {"FreeableMemory", "Minimum", "LessThanThreshold", 256 << 20, map[string]string{"DBClusterIdentifier": "aurora-payments-dev"}},
		"ecs-cpu":                {"CPUUtilization", "Average", "GreaterThanThreshold", 85, map[string]string{"ClusterName": "ecs-payments-dev", "ServiceName": "svc-api-dev"}},
		"ecs-memory":             {"MemoryUtilization", "Average", "GreaterThanThreshold", 90, map[string]string{"ClusterName": "ecs-payments-dev", "ServiceName": "svc-api-dev"}},
	}
	for purpose, w := range want {
		a := alarmOf(t, d, purpose)
		stat := a.Statistic
		if stat == nil {
			stat = a.ExtendedStatistic
		}
		if *a.MetricName != w.metric || *stat != w.stat || *a.ComparisonOperator != w.op || *a.Threshold != w.threshold || !reflect.DeepEqual(dims(a.Dimensions), w.dims) {
			t.Errorf("%s watches %s %s %s %v %v; want %+v", purpose, *a.MetricName, *stat, *a.ComparisonOperator, *a.Threshold, dims(a.Dimensions), w)
		}
	}

	// The 5xx rate and the success rate are metric math over the counts.
	rate := alarmOf(t, d, "alb-5xx-rate")
	exprs := map[string]string{}
	for _, q := range rate.MetricQuery {
		if q.Expression != nil {
			exprs[*q.ID] = *q.Expression
			continue
		}
		if got := dims(q.Metric.Dimensions)["LoadBalancer"]; got != "app/alb-payments-dev/0123456789abcdef" || *q.Metric.Stat != "Sum" {
			t.Errorf("5xx rate reads %s %s of %q", *q.Metric.MetricName, *q.Metric.Stat, got)
		}
	}
	if exprs["rate"] != "IF(FILL(requests,0)>0,100*(FILL(target_5xx,0)+FILL(alb_5xx,0))/FILL(requests,0))" || *rate.Threshold != 1 {
		t.Errorf("5xx rate %v above %v", exprs, *rate.Threshold)
	}
	success := alarmOf(t, d, "transaction-success-rate")
	var metrics []string
	for _, q := range success.MetricQuery {
		if q.Metric != nil {
			metrics = append(metrics, *q.Metric.Namespace+" "+*q.Metric.MetricName+" "+dims(q.Metric.Dimensions)[DimensionService])
		} else if !*q.ReturnData || !strings.HasPrefix(*q.Expression, "IF(") {
			t.Errorf("success rate expression %s", *q.Expression)
		}
	}
	wantMetrics := []string{"Payments/dev TransactionsSucceeded api", "Payments/dev TransactionsFailed api", "Payments/dev TransactionsSucceeded worker", "Payments/dev TransactionsFailed worker"}
	if !slices.Equal(metrics, wantMetrics) || *success.ComparisonOperator != "LessThanThreshold" || *success.Threshold != 99 {
		t.Errorf("success rate over %v, %s %v", metrics, *success.ComparisonOperator, *success.Threshold)
	}

	// Thresholds come from the spec.
	s := spec()
	s.Thresholds = api.AlarmThresholds{SuccessRatePercent: 99.9, LatencyP99Milliseconds: 250, DatabaseFreeableMemoryMiB: 1024}
	d, _ = settled(t, s)
	if got := *alarmOf(t, d, "transaction-success-rate").Threshold; got != 99.9 {
		t.Errorf("success rate threshold %v", got)
	}
	if got := *alarmOf(t, d, "api-latency-p99").Threshold; got != 0.25 {
		t.Errorf("latency threshold %v s", got)
	}
	if got := *alarmOf(t, d, "aurora-freeable-memory").Threshold; got != 1024<<20 {
		t.Errorf("memory threshold %v", got)
	}
}

// TestObservability_DLQAlarm_ASY5: a message in the dead-letter queue fires
// the alarm within a minute.
func TestObservability_DLQAlarm_ASY5(t *testing.T) {
	d, _ := settled(t, spec())
	a := alarmOf(t, d, "dlq-not-empty")
	if *a.Namespace != "AWS/SQS" || *a.MetricName != "ApproximateNumberOfMessagesVisible" || *a.Statistic != "Maximum" ||
		!reflect.DeepEqual(dims(a.Dimensions), map[string]string{"QueueName": "sqs-payments-dlq-dev"}) {
		t.Errorf("the DLQ alarm watches %s %s %s %v", *a.Namespace, *a.MetricName, *a.Statistic, dims(a.Dimensions))
	}
	if *a.ComparisonOperator != "GreaterThanThreshold" || *a.Threshold != 0 || *a.Period != 60 || *a.EvaluationPeriods != 1 || *a.DatapointsToAlarm != 1 {
		t.Errorf("the DLQ alarm fires on %s %v over %v×%vs", *a.ComparisonOperator, *a.Threshold, *a.EvaluationPeriods, *a.Period)
	}
	if len(a.AlarmActions) != 1 || *a.AlarmActions[0] != topicARN {
		t.Errorf("the DLQ alarm notifies %v", a.AlarmActions)
	}
}

// TestObservability_WaitsAndKeeps: alarms wait for the topic's ARN and their
// dimensions; what exists stays, with what it was made from, when an input
// goes missing.
func TestObservability_WaitsAndKeeps(t *testing.T) {
	d := build(t, spec(), nil)
	if n := ct.Count[*cwv1beta1.MetricAlarm](d); n != 0 {
		t.Errorf("%d alarms before the topic reports its ARN", n)
	}
	if !slices.Contains(d.Waiting, keyAlarm("dlq-not-empty")+" waits for the topic to report its ARN") {
		t.Errorf("waiting %v", d.Waiting)
	}
	// The topic's ARN but none of the other layers' outputs: the success
	// rate, which needs none, and nothing else.
	s := bare()
	s.MessagingKeyARN = keyARN
	d = build(t, s, topicReady())
	if got := slices.Sorted(mapsKeys(ct.Of[*cwv1beta1.MetricAlarm](d))); !slices.Equal(got, []string{keyAlarm("transaction-success-rate")}) {
		t.Errorf("alarms %v without the other layers' outputs", got)
	}
	for _, w := range []string{
		keyAlarm("dlq-not-empty") + " waits for the dead-letter queue's ARN (spec.parameters.deadLetterQueueArn)",
		keyAlarm("ecs-cpu") + " waits for the ECS cluster's and service's names (spec.parameters.clusterName, serviceName)",
		keyAlarm("alb-5xx-rate") + " waits for the load balancer's ARN (spec.parameters.loadBalancerArn)",
	} {
		if !slices.Contains(d.Waiting, w) {
			t.Errorf("no %q in %v", w, d.Waiting)
		}
	}

	// Everything made, then every input gone: nothing dropped, nothing changed.
	full, obs := settled(t, spec())
	s.MessagingKeyARN = ""
	d = build(t, s, obs)
	for n := range obs {
		if d.Resources[n] == nil {
			t.Errorf("%s dropped", n)
		}
	}
	for n, o := range full.Resources {
		if !reflect.DeepEqual(d.Resources[n], o) {
			t.Errorf("%s changed when its inputs went missing", n)
		}
	}
}

func TestObservability_Status_API04(t *testing.T) {
	if st := ct.Status(t, build(t, bare(), nil)); len(st) != 0 {
		t.Errorf("status %v before anything is observed", st)
	}
	d, _ := settled(t, spec())
	st := d.Status.(api.ObservabilityStatus)
	want := api.ObservabilityStatus{
		TopicARN: topicARN, MetricNamespace: "Payments/dev", DashboardName: "dashboard-payments-dev",
		DashboardURL: "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=dashboard-payments-dev",
	}
	for _, a := range api.ObservabilityAlarms {
		want.AlarmNames = append(want.AlarmNames, "alarm-"+a+"-dev")
	}
	if !reflect.DeepEqual(st, want) {
		t.Errorf("status\n%+v\nwant\n%+v", st, want)
	}
	// No list of alarms while one is missing.
	s := spec()
	s.FunctionName = ""
	d, _ = settled(t, s)
	if st := d.Status.(api.ObservabilityStatus); st.AlarmNames != nil {
		t.Errorf("alarm names %v while the worker's alarms wait", st.AlarmNames)
	}
}

func TestObservability_WithinTheResourceBudget(t *testing.T) {
	s := spec()
	s.Subscriptions = nil
	for i := range api.MaxSubscriptions {
		s.Subscriptions = append(s.Subscriptions, api.Subscription{Protocol: "email", Endpoint: "oncall" + string(rune('a'+i)) + "@example.com"})
	}
	d, _ := settled(t, s)
	if n := ct.Count[*snsv1beta1.TopicSubscription](d); n != api.MaxSubscriptions {
		t.Fatalf("%d subscriptions, want %d", n, api.MaxSubscriptions)
	}
	if n := len(d.Resources); n > 40 {
		t.Errorf("%d resources at the most subscriptions the XRD admits; the budget is 40", n)
	}
}

// TestObservability_NothingRetained_X3_X7: nothing here holds data; in
// either mode everything is deleted with the XR.
func TestObservability_NothingRetained_X3_X7(t *testing.T) {
	for _, retain := range []bool{true, false} {
		s := spec()
		s.RetainData = &retain
		d, _ := settled(t, s)
		for n, o := range d.Resources {
			u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o)
			if err != nil {
				t.Fatal(err)
			}
			spec, _ := u["spec"].(map[string]any)
			if spec["managementPolicies"] != nil || (spec["deletionPolicy"] != nil && spec["deletionPolicy"] != "Delete") {
				t.Errorf("retain %v: %s is kept: %v %v", retain, n, spec["managementPolicies"], spec["deletionPolicy"])
			}
		}
	}
}

func TestObservability_BadInputNamesTheField_API05(t *testing.T) {
	cases := map[string]struct {
		edit func(*api.ObservabilitySpec)
		want string
	}{
		"suffix":  {func(s *api.ObservabilitySpec) { s.EnvironmentSuffix = "Dev" }, "spec.parameters.environmentSuffix"},
		"account": {func(s *api.ObservabilitySpec) { s.AccountID = "12345" }, "spec.parameters.accountId"},
		"key":     {func(s *api.ObservabilitySpec) { s.MessagingKeyARN = "alias/messaging" }, "spec.parameters.messagingKeyArn"},
		"key region": {func(s *api.ObservabilitySpec) {
			s.MessagingKeyARN = strings.Replace(keyARN, "us-east-1", "eu-west-1", 1)
		}, "spec.parameters.messagingKeyArn"},
		"network LB": {func(s *api.ObservabilitySpec) { s.LoadBalancerARN = strings.Replace(lbARN, "/app/", "/net/", 1) }, "spec.parameters.loadBalancerArn"},
		"LB region": {func(s *api.ObservabilitySpec) {
			s.LoadBalancerARN = strings.Replace(lbARN, "us-east-1", "us-west-2", 1)
		}, "spec.parameters.loadBalancerArn: Invalid value: \"arn:aws:elasticloadbalancing:us-west-2"},
		"target group": {func(s *api.ObservabilitySpec) { s.TargetGroupARN = lbARN }, "spec.parameters.targetGroupArn"},
		"web ACL":      {func(s *api.ObservabilitySpec) { s.WebACLARN = strings.Replace(aclARN, "regional", "global", 1) }, "spec.parameters.webAclArn"},
		"cluster":      {func(s *api.ObservabilitySpec) { s.ClusterName = "ecs payments" }, "spec.parameters.clusterName"},
		"service":      {func(s *api.ObservabilitySpec) { s.ServiceName = strings.Repeat("s", 256) }, "spec.parameters.serviceName"},
		"db cluster":   {func(s *api.ObservabilitySpec) { s.DBClusterIdentifier = "Aurora" }, "spec.parameters.dbClusterIdentifier"},
		"queue":        {func(s *api.ObservabilitySpec) { s.QueueARN = "https://sqs.us-east-1.amazonaws.com/123456789012/q" }, "spec.parameters.queueArn"},
		"fifo dlq":     {func(s *api.ObservabilitySpec) { s.DeadLetterQueueARN = dlqARN + ".fifo" }, "spec.parameters.deadLetterQueueArn"},
		"function":     {func(s *api.ObservabilitySpec) { s.FunctionName = "arn:aws:lambda:x" }, "spec.parameters.functionName"},
		"protocol":     {func(s *api.ObservabilitySpec) { s.Subscriptions[0].Protocol = "http" }, "spec.parameters.subscriptions[0].protocol: Unsupported value"},
		"sms":          {func(s *api.ObservabilitySpec) { s.Subscriptions[0].Protocol = "sms" }, "spec.parameters.subscriptions[0].protocol"},
		"email":        {func(s *api.ObservabilitySpec) { s.Subscriptions[0].Endpoint = "oncall" }, "spec.parameters.subscriptions[0].endpoint"},
		"https scheme": {func(s *api.ObservabilitySpec) { s.Subscriptions[1].Endpoint = "http://hooks.example.com/x" }, "spec.parameters.subscriptions[1].endpoint"},
		"https secret": {func(s *api.ObservabilitySpec) { s.Subscriptions[1].Endpoint = "https://user:pw@hooks.example.com/x" }, "no credentials"},
		"sqs endpoint": {func(s *api.ObservabilitySpec) {
			s.Subscriptions[1] = api.Subscription{Protocol: "sqs", Endpoint: "sqs-payments-dev"}
		}, "spec.parameters.subscriptions[1].endpoint"},
		"lambda": {func(s *api.ObservabilitySpec) {
			s.Subscriptions[1] = api.Subscription{Protocol: "lambda", Endpoint: queueARN}
		}, "spec.parameters.subscriptions[1].endpoint"},
		"duplicate":     {func(s *api.ObservabilitySpec) { s.Subscriptions[1] = s.Subscriptions[0] }, "spec.parameters.subscriptions[1]: Duplicate"},
		"too many subs": {func(s *api.ObservabilitySpec) { s.Subscriptions = make([]api.Subscription, api.MaxSubscriptions+1) }, "spec.parameters.subscriptions: Too many"},
		"5xx rate":      {func(s *api.ObservabilitySpec) { s.Thresholds.ALB5XXRatePercent = 101 }, "spec.parameters.thresholds.alb5xxRatePercent"},
		"success rate":  {func(s *api.ObservabilitySpec) { s.Thresholds.SuccessRatePercent = -1 }, "spec.parameters.thresholds.successRatePercent"},
		"latency":       {func(s *api.ObservabilitySpec) { s.Thresholds.LatencyP99Milliseconds = 30000 }, "spec.parameters.thresholds.latencyP99Milliseconds"},
		"queue age":     {func(s *api.ObservabilitySpec) { s.Thresholds.QueueAgeSeconds = 30 }, "spec.parameters.thresholds.queueAgeSeconds"},
		"errors":        {func(s *api.ObservabilitySpec) { s.Thresholds.WorkerErrors = -2 }, "spec.parameters.thresholds.workerErrors"},
		"db cpu":        {func(s *api.ObservabilitySpec) { s.Thresholds.DatabaseCPUPercent = 101 }, "spec.parameters.thresholds.databaseCpuPercent"},
		"db memory":     {func(s *api.ObservabilitySpec) { s.Thresholds.DatabaseFreeableMemoryMiB = -1 }, "spec.parameters.thresholds.databaseFreeableMemoryMiB"},
		"ecs cpu":       {func(s *api.ObservabilitySpec) { s.Thresholds.ServiceCPUPercent = 200 }, "spec.parameters.thresholds.serviceCpuPercent"},
		"ecs memory":    {func(s *api.ObservabilitySpec) { s.Thresholds.ServiceMemoryPercent = -5 }, "spec.parameters.thresholds.serviceMemoryPercent"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := spec()
			tc.edit(&s)
			d, err := Build(s, nil)
			if err == nil {
				t.Fatalf("built %d resources, want an error naming %s", len(d.Resources), tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name %q", err, tc.want)
			}
		})
	}
}

// TestObservability_SelectorsStayInEnvironment_X4: every selector matches
// this XR's own resources or the environment's.
func TestObservability_SelectorsStayInEnvironment_X4(t *testing.T) {
	d, _ := settled(t, spec())
	for name, o := range d.Resources {
		u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o)
		if err != nil {
			t.Fatal(err)
		}
		ct.CheckSelectors(t, string(name), u, "dev")
	}
}

// TestObservability_WithinAWSRules_X6: every managed resource the layer
// composes, at the longest suffix, obeys AWS's rules for its kind.
func TestObservability_WithinAWSRules_X6(t *testing.T) {
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{cwv1beta1.AddToScheme, snsv1beta1.AddToScheme} {
		if err := add(scheme); err != nil {
			t.Fatal(err)
		}
	}
	s := spec()
	s.EnvironmentSuffix = strings.Repeat("p", naming.MaxSuffixLength)
	s.Subscriptions = append(s.Subscriptions, api.Subscription{Protocol: "sqs", Endpoint: queueARN},
		api.Subscription{Protocol: "lambda", Endpoint: "arn:aws:lambda:us-east-1:123456789012:function:pager:live"},
		api.Subscription{Protocol: "email-json", Endpoint: "ops@example.com"})
	d, _ := settled(t, s)
	if n := ct.Count[*cwv1beta1.MetricAlarm](d); n != len(api.ObservabilityAlarms) {
		t.Fatalf("%d alarms", n)
	}
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

// TestObservability_NamesFit_X1: every name the layer derives fits AWS's
// limit at the longest suffix.
func TestObservability_NamesFit_X1(t *testing.T) {
	for _, u := range api.ObservabilityNames() {
		if _, err := naming.Name(u.Kind, u.Purpose, strings.Repeat("p", naming.MaxSuffixLength)); err != nil {
			t.Error(err)
		}
	}
	if got := slices.Sorted(mapsKeys(alarmPurposes())); !slices.Equal(got, slices.Sorted(slices.Values(api.ObservabilityAlarms))) {
		t.Errorf("the layer's alarms %v are not api.ObservabilityAlarms", got)
	}
}

func alarmPurposes() map[string]bool {
	out := map[string]bool{}
	b := &builder{spec: spec(), c: spec().Common}
	b.spec.Default()
	defs := b.alarmDefs()
	for i := range defs {
		out[defs[i].purpose] = true
	}
	return out
}

func TestMustJSON_PanicsRatherThanRenderABrokenDocument(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("mustJSON rendered a value JSON cannot hold")
		}
	}()
	mustJSON(func() {})
}
