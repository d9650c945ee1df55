package observability

import (
	"fmt"
	"strings"

	cwv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatch/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// What an alarm does with a period that has no data (treatMissingData),
// chosen per alarm:
const (
	// quietIsFine: the metric is reported only when something happens
	// (requests, messages, errors, transactions); no data means nothing
	// happened, which breaches no limit.
	quietIsFine = "notBreaching"
	// silenceIsNews: the metric is reported every period while its source
	// runs (Aurora, ECS); no data means the source or its metrics are gone:
	// the alarm goes to INSUFFICIENT_DATA, which notifies the topic too.
	silenceIsNews = "missing"
)

// Comparison operators.
const (
	above   = "GreaterThanThreshold"
	atLeast = "GreaterThanOrEqualToThreshold"
	below   = "LessThanThreshold"
)

// An alarmDef is one alarm: what it watches and when it fires, and what it
// waits for.
type alarmDef struct {
	purpose, description string
	// known is whether its dimensions are; waitsFor names the inputs when not.
	known    bool
	waitsFor string
	// Either a metric (namespace, name, dimensions, statistic) or queries.
	namespace, metric, statistic string
	dims                         map[string]string
	queries                      []cwv1beta1.MetricQueryParameters
	period, evaluations, toAlarm int
	comparison                   string
	threshold                    float64
	missing                      string
}

// alarms adds every alarm (OBS-2, ASY-5), each once the topic reports its
// ARN (alarmActions takes literals only) and its dimensions are known.
func (b *builder) alarms() {
	obs := b.obs
	topic := obs.String(keyTopic, "status.atProvider.arn")
	defs := b.alarmDefs()
	for i := range defs {
		a := &defs[i]
		key := keyAlarm(a.purpose)
		// Kept by the alarm once made, like its dimensions (inputs).
		arn := compose.Sticky(topic, obs, key, "spec.forProvider.alarmActions[0]")
		waits := a.waitsFor
		if arn == "" {
			waits = "the topic to report its ARN"
		}
		b.d.AddWhen(arn != "" && a.known, obs, key, b.alarm(a, arn), waits)
	}
}

func (b *builder) alarm(a *alarmDef, topic string) *cwv1beta1.MetricAlarm {
	c := b.c
	name := AlarmName(a.purpose, c.EnvironmentSuffix)
	p := cwv1beta1.MetricAlarmParameters{
		Region:             &c.Region,
		AlarmDescription:   compose.Ptr(a.description),
		ActionsEnabled:     compose.Ptr(true),
		AlarmActions:       []*string{compose.Ptr(topic)},
		OkActions:          []*string{compose.Ptr(topic)},
		ComparisonOperator: compose.Ptr(a.comparison),
		Threshold:          compose.Ptr(a.threshold),
		EvaluationPeriods:  compose.Ptr(float64(a.evaluations)),
		DatapointsToAlarm:  compose.Ptr(float64(a.toAlarm)),
		TreatMissingData:   compose.Ptr(a.missing),
		Tags:               c.TagsFor(name),
	}
	if a.missing == silenceIsNews {
		p.InsufficientDataActions = []*string{compose.Ptr(topic)}
	}
	if len(a.queries) > 0 {
		p.MetricQuery = a.queries
	} else {
		p.Namespace, p.MetricName = compose.Ptr(a.namespace), compose.Ptr(a.metric)
		p.Period = compose.Ptr(float64(a.period))
		p.Dimensions = dimensions(a.dims)
		if strings.HasPrefix(a.statistic, "p") {
			p.ExtendedStatistic = compose.Ptr(a.statistic)
			// A percentile of a few requests says little: no state change.
			p.EvaluateLowSampleCountPercentiles = compose.Ptr("ignore")
		} else {
			p.Statistic = compose.Ptr(a.statistic)
		}
	}
	return &cwv1beta1.MetricAlarm{
		ObjectMeta: wiring.Named(name, b.labels(componentAlarm, wiring.LabelPurpose, a.purpose)),
		Spec:       cwv1beta1.MetricAlarmSpec{ManagedResourceSpec: c.ManagedSpec(), ForProvider: p},
	}
}

func dimensions(m map[string]string) map[string]*string {
	out := make(map[string]*string, len(m))
	for k, v := range m {
		out[k] = compose.Ptr(v)
	}
	return out
}

// query is one count of a metric-math alarm: its Sum over a minute.
func query(id, namespace, metric string, dims map[string]string) cwv1beta1.MetricQueryParameters {
	return cwv1beta1.MetricQueryParameters{
		ID: compose.Ptr(id),
		Metric: &cwv1beta1.MetricParameters{
			Namespace: compose.Ptr(namespace), MetricName: compose.Ptr(metric),
			Dimensions: dimensions(dims), Period: compose.Ptr(float64(minute)), Stat: compose.Ptr("Sum"),
		},
		ReturnData: compose.Ptr(false),
	}
}

// result is the expression a metric-math alarm compares.
func result(id, expr, label string) cwv1beta1.MetricQueryParameters {
	return cwv1beta1.MetricQueryParameters{ID: compose.Ptr(id), Expression: compose.Ptr(expr), Label: compose.Ptr(label), ReturnData: compose.Ptr(true)}
}

// Periods and windows: a minute for what must be heard of fast, five for
// saturation, which a minute's spike does not make.
const (
	minute  = 60
	fiveMin = 300
)

func (b *builder) alarmDefs() []alarmDef {
	in, t, suffix := b.in, b.spec.Thresholds, b.c.EnvironmentSuffix
	ns := MetricNamespace(suffix)
	lb := map[string]string{"LoadBalancer": in.loadBalancer}
	waitLB := "the load balancer's ARN (spec.parameters.loadBalancerArn)"

	var success []cwv1beta1.MetricQueryParameters
	var ok, ko []string
	for _, s := range Services {
		dims := map[string]string{DimensionService: s}
		success = append(success,
			query("s_"+s, ns, MetricSucceeded, dims),
			query("f_"+s, ns, MetricFailed, dims))
		ok, ko = append(ok, "s_"+s), append(ko, "f_"+s)
	}
	success = append(success, result("rate", successRate(ok, ko), "Transaction success rate (%)"))

	return []alarmDef{
		{
			purpose: "alb-5xx-rate", known: in.loadBalancer != "", waitsFor: waitLB,
			description: fmt.Sprintf("5xx answers of the payment API's ALB and its targets above %g%% of its requests in 3 of 5 minutes", t.ALB5XXRatePercent),
			queries: []cwv1beta1.MetricQueryParameters{
				query("requests", nsALB, "RequestCount", lb),
				query("target_5xx", nsALB, "HTTPCode_Target_5XX_Count", lb),
				query("alb_5xx", nsALB, "HTTPCode_ELB_5XX_Count", lb),
				result("rate", "IF(FILL(requests,0)>0,100*(FILL(target_5xx,0)+FILL(alb_5xx,0))/FILL(requests,0))", "ALB 5xx rate (%)"),
			},
			evaluations: 5, toAlarm: 3, comparison: above, threshold: t.ALB5XXRatePercent, missing: quietIsFine,
		},
		{
			purpose: "api-latency-p99", known: in.loadBalancer != "", waitsFor: waitLB,
			description: fmt.Sprintf("p99 of the payment API's response time at the ALB above %d ms in 3 of 5 minutes", t.LatencyP99Milliseconds),
			namespace:   nsALB, metric: "TargetResponseTime", statistic: "p99", dims: lb, period: minute,
			evaluations: 5, toAlarm: 3, comparison: above, threshold: float64(t.LatencyP99Milliseconds) / 1000, missing: quietIsFine,
		},
		{
			purpose: "transaction-success-rate", known: true,
			description: fmt.Sprintf("Transactions of the API and the worker succeeding below %g%% in 3 of 5 minutes (%s, docs/metrics.md)", t.SuccessRatePercent, ns),
			queries:     success,
			evaluations: 5, toAlarm: 3, comparison: below, threshold: t.SuccessRatePercent, missing: quietIsFine,
		},
		{
			purpose: "dlq-not-empty", known: in.deadLetterQueue != "", waitsFor: "the dead-letter queue's ARN (spec.parameters.deadLetterQueueArn)",
			description: "Payment messages the worker failed to process landed in the dead-letter queue (SPEC ASY-5): inspect and redrive them",
			namespace:   nsSQS, metric: "ApproximateNumberOfMessagesVisible", statistic: "Maximum",
			dims: map[string]string{"QueueName": in.deadLetterQueue}, period: minute,
			evaluations: 1, toAlarm: 1, comparison: above, threshold: 0, missing: quietIsFine,
		},
		{
			purpose: "queue-oldest-message", known: in.queue != "", waitsFor: "the queue's ARN (spec.parameters.queueArn)",
			description: fmt.Sprintf("The payment queue's oldest message older than %d s for 5 minutes: the worker is not keeping up", t.QueueAgeSeconds),
			namespace:   nsSQS, metric: "ApproximateAgeOfOldestMessage", statistic: "Maximum",
			dims: map[string]string{"QueueName": in.queue}, period: minute,
			evaluations: 5, toAlarm: 5, comparison: above, threshold: float64(t.QueueAgeSeconds), missing: quietIsFine,
		},
		{
			purpose: "worker-errors", known: in.function != "", waitsFor: "the worker's name (spec.parameters.functionName)",
			description: fmt.Sprintf("The payment worker failed %d times or more in 5 minutes", t.WorkerErrors),
			namespace:   nsLambda, metric: "Errors", statistic: "Sum",
			dims: map[string]string{"FunctionName": in.function}, period: fiveMin,
			evaluations: 1, toAlarm: 1, comparison: atLeast, threshold: float64(t.WorkerErrors), missing: quietIsFine,
		},
		{
			purpose: "worker-throttles", known: in.function != "", waitsFor: "the worker's name (spec.parameters.functionName)",
			description: "The payment worker was throttled in the last 5 minutes: its reserved concurrency is exhausted",
			namespace:   nsLambda, metric: "Throttles", statistic: "Sum",
			dims: map[string]string{"FunctionName": in.function}, period: fiveMin,
			evaluations: 1, toAlarm: 1, comparison: above, threshold: 0, missing: quietIsFine,
		},
		{
			purpose: "aurora-cpu", known: in.dbCluster != "", waitsFor: "the Aurora cluster's identifier (spec.parameters.dbClusterIdentifier)",
			description: fmt.Sprintf("Aurora's CPU above %d%% for 15 minutes", t.DatabaseCPUPercent),
			namespace:   nsRDS, metric: "CPUUtilization", statistic: "Average",
			dims: map[string]string{"DBClusterIdentifier": in.dbCluster}, period: fiveMin,
			evaluations: 3, toAlarm: 3, comparison: above, threshold: float64(t.DatabaseCPUPercent), missing: silenceIsNews,
		},
		{
			purpose: "aurora-freeable-memory", known: in.dbCluster != "", waitsFor: "the Aurora cluster's identifier (spec.parameters.dbClusterIdentifier)",
			description: fmt.Sprintf("Aurora's freeable memory below %d MiB for 15 minutes", t.DatabaseFreeableMemoryMiB),
			namespace:   nsRDS, metric: "FreeableMemory", statistic: "Minimum",
			dims: map[string]string{"DBClusterIdentifier": in.dbCluster}, period: fiveMin,
			evaluations: 3, toAlarm: 3, comparison: below, threshold: float64(t.DatabaseFreeableMemoryMiB) * 1024 * 1024, missing: silenceIsNews,
		},
		{
			purpose: "ecs-cpu", known: in.cluster != "" && in.service != "", waitsFor: "the ECS cluster's and service's names (spec.parameters.clusterName, serviceName)",
			description: fmt.Sprintf("The payment API service's CPU above %d%% for 15 minutes: it scales at 70%%, so it cannot scale further", t.ServiceCPUPercent),
			namespace:   nsECS, metric: "CPUUtilization", statistic: "Average",
			dims: map[string]string{"ClusterName": in.cluster, "ServiceName": in.service}, period: fiveMin,
			evaluations: 3, toAlarm: 3, comparison: above, threshold: float64(t.ServiceCPUPercent), missing: silenceIsNews,
		},
		{
			purpose: "ecs-memory", known: in.cluster != "" && in.service != "", waitsFor: "the ECS cluster's and service's names (spec.parameters.clusterName, serviceName)",
			description: fmt.Sprintf("The payment API service's memory above %d%% for 15 minutes: it scales at 80%%, so it cannot scale further", t.ServiceMemoryPercent),
			namespace:   nsECS, metric: "MemoryUtilization", statistic: "Average",
			dims: map[string]string{"ClusterName": in.cluster, "ServiceName": in.service}, period: fiveMin,
			evaluations: 3, toAlarm: 3, comparison: above, threshold: float64(t.ServiceMemoryPercent), missing: silenceIsNews,
		},
	}
}
