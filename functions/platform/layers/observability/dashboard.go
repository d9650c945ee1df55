package observability

import (
	"encoding/json"
	"fmt"

	cwv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatch/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// The custom metrics the API and the worker publish (docs/metrics.md is the
// contract): in MetricNamespace, each with the one dimension DimensionService.
const (
	// MetricProcessingTime is a transaction's processing time, Milliseconds.
	MetricProcessingTime = "TransactionProcessingTime"
	// MetricSucceeded and MetricFailed count transactions, Count.
	MetricSucceeded = "TransactionsSucceeded"
	MetricFailed    = "TransactionsFailed"
	// DimensionService names the publisher: ServiceAPI or ServiceWorker.
	DimensionService = "Service"
	ServiceAPI       = "api"
	ServiceWorker    = "worker"
)

// Services are the publishers of the custom metrics.
var Services = []string{ServiceAPI, ServiceWorker}

// The dashboard's body (CloudWatch's Dashboard Body Structure), written from
// structs so that its JSON is the same on every call.
type dashboardBody struct {
	Start          string   `json:"start"`
	PeriodOverride string   `json:"periodOverride"`
	Widgets        []widget `json:"widgets"`
}

type widget struct {
	Type       string `json:"type"`
	X          int    `json:"x"`
	Y          int    `json:"y"`
	Width      int    `json:"width"`
	Height     int    `json:"height"`
	Properties any    `json:"properties"`
}

type textProperties struct {
	Markdown string `json:"markdown"`
}

type metricProperties struct {
	Title   string  `json:"title"`
	Region  string  `json:"region"`
	View    string  `json:"view"`
	Stacked bool    `json:"stacked"`
	Period  int     `json:"period"`
	Stat    string  `json:"stat"`
	Metrics [][]any `json:"metrics"`
	YAxis   *yAxes  `json:"yAxis,omitempty"`
}

type yAxes struct {
	Left  *axis `json:"left,omitempty"`
	Right *axis `json:"right,omitempty"`
}

type axis struct {
	Label string   `json:"label,omitempty"`
	Min   *float64 `json:"min,omitempty"`
	Max   *float64 `json:"max,omitempty"`
}

// metricOptions is the rendering of one metric or expression of a widget.
type metricOptions struct {
	ID         string `json:"id,omitempty"`
	Expression string `json:"expression,omitempty"`
	Label      string `json:"label,omitempty"`
	Stat       string `json:"stat,omitempty"`
	Visible    *bool  `json:"visible,omitempty"`
	YAxis      string `json:"yAxis,omitempty"`
}

// A dim is one dimension of a metric, in the order it is written.
type dim struct{ Name, Value string }

// metric is a widget's metric line: namespace, name, the dimensions' names
// and values, and its options.
func metric(namespace, name string, dims []dim, o metricOptions) []any {
	line := []any{namespace, name}
	for _, d := range dims {
		line = append(line, d.Name, d.Value)
	}
	return append(line, o)
}

// expression is a widget's metric-math line.
func expression(id, expr, label string) []any {
	return []any{metricOptions{ID: id, Expression: expr, Label: label}}
}

var hidden = false

// The AWS namespaces the health widgets and alarms read.
const (
	nsALB    = "AWS/ApplicationELB"
	nsECS    = "AWS/ECS"
	nsRDS    = "AWS/RDS"
	nsSQS    = "AWS/SQS"
	nsLambda = "AWS/Lambda"
	nsWAF    = "AWS/WAFV2"
)

// Dashboard layout: CloudWatch's grid is 24 units wide; each widget takes a
// third of a row, in a fixed slot, so that a widget whose input comes later
// moves none of the others.
const (
	widgetWidth  = 8
	widgetHeight = 6
	headerHeight = 2
	perRow       = 24 / widgetWidth
	// dashboardPeriod is the widgets' period: a minute, what SQS, ECS,
	// the ALB and the custom metrics resolve.
	dashboardPeriod = 60
)

// A panel is a widget in its slot, present when its inputs are known.
type panel struct {
	known bool
	props metricProperties
}

// dashboard adds the dashboard (OBS-1): the transaction metrics first, then
// the health of every part of the platform whose names are known.
func (b *builder) dashboard() {
	c := b.c
	body := mustJSON(b.dashboardBody())
	meta := wiring.Named(DashboardName(c.EnvironmentSuffix), b.labels(componentDashboard))
	for k, v := range b.in.annotations() {
		meta.Annotations[k] = v
	}
	b.d.Add(keyDashboard, &cwv1beta1.Dashboard{
		ObjectMeta: meta,
		Spec: cwv1beta1.DashboardSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: cwv1beta1.DashboardParameters{
				Region:        &c.Region,
				DashboardBody: &body,
			},
		},
	})
}

func (b *builder) dashboardBody() dashboardBody {
	suffix := b.c.EnvironmentSuffix
	widgets := []widget{{
		Type: "text", X: 0, Y: 0, Width: 24, Height: headerHeight,
		Properties: textProperties{Markdown: fmt.Sprintf("# Payments %s\n"+
			"Transactions: namespace `%s`, published by the API and the worker (docs/metrics.md). "+
			"Alarms notify the topic `%s`. Made by Crossplane: edits here are overwritten.",
			suffix, MetricNamespace(suffix), topicName(suffix))},
	}}
	for i, p := range b.panels() {
		if !p.known {
			continue
		}
		p.props.Region, p.props.View, p.props.Period = b.c.Region, "timeSeries", dashboardPeriod
		widgets = append(widgets, widget{
			Type: "metric", X: (i % perRow) * widgetWidth, Y: headerHeight + (i/perRow)*widgetHeight,
			Width: widgetWidth, Height: widgetHeight, Properties: p.props,
		})
	}
	return dashboardBody{Start: "-PT6H", PeriodOverride: "inherit", Widgets: widgets}
}

// panels are the dashboard's widgets in slot order.
func (b *builder) panels() []panel {
	in, ns := b.in, MetricNamespace(b.c.EnvironmentSuffix)
	zero := 0.0
	hundred := 100.0
	svc := func(s string) []dim { return []dim{{DimensionService, s}} }
	lb := []dim{{"LoadBalancer", in.loadBalancer}}
	ecs := []dim{{"ClusterName", in.cluster}, {"ServiceName", in.service}}
	db := []dim{{"DBClusterIdentifier", in.dbCluster}}
	fn := []dim{{"FunctionName", in.function}}

	var latency, rate, throughput [][]any
	for _, s := range Services {
		for _, p := range []string{"p50", "p90", "p99"} {
			latency = append(latency, metric(ns, MetricProcessingTime, svc(s), metricOptions{Stat: p, Label: s + " " + p}))
		}
		ok, ko := "s_"+s, "f_"+s
		rate = append(rate,
			metric(ns, MetricSucceeded, svc(s), metricOptions{ID: ok, Visible: &hidden}),
			metric(ns, MetricFailed, svc(s), metricOptions{ID: ko, Visible: &hidden}),
			expression("rate_"+s, successRate([]string{ok}, []string{ko}), s))
		throughput = append(throughput,
			metric(ns, MetricSucceeded, svc(s), metricOptions{ID: ok, Visible: &hidden}),
			metric(ns, MetricFailed, svc(s), metricOptions{ID: ko, Visible: &hidden}),
			expression("tps_"+s, fmt.Sprintf("(FILL(%s,0)+FILL(%s,0))/PERIOD(%s)", ok, ko, ok), s))
	}
	rate = append(rate, expression("rate_all", successRate([]string{"s_api", "s_worker"}, []string{"f_api", "f_worker"}), "all"))

	var queues, ages [][]any
	for _, q := range []struct{ name, label string }{{in.queue, "queue"}, {in.deadLetterQueue, "dead-letter queue"}} {
		if q.name == "" {
			continue
		}
		queues = append(queues, metric(nsSQS, "ApproximateNumberOfMessagesVisible", []dim{{"QueueName", q.name}}, metricOptions{Stat: "Maximum", Label: q.label}))
		ages = append(ages, metric(nsSQS, "ApproximateAgeOfOldestMessage", []dim{{"QueueName", q.name}}, metricOptions{Stat: "Maximum", Label: q.label}))
	}
	waf := []dim{{"WebACL", in.webACL}, {"Region", b.c.Region}, {"Rule", "ALL"}}

	return []panel{
		{true, metricProperties{Title: "Transaction processing time (ms)", Stat: "p99", Metrics: latency, YAxis: &yAxes{Left: &axis{Min: &zero}}}},
		{true, metricProperties{Title: "Transaction success rate (%)", Stat: "Sum", Metrics: rate, YAxis: &yAxes{Left: &axis{Min: &zero, Max: &hundred}}}},
		{true, metricProperties{Title: "Throughput (transactions/s)", Stat: "Sum", Metrics: throughput, YAxis: &yAxes{Left: &axis{Min: &zero}}}},

		{in.loadBalancer != "", metricProperties{Title: "ALB requests and errors", Stat: "Sum", Metrics: [][]any{
			metric(nsALB, "RequestCount", lb, metricOptions{Label: "requests"}),
			metric(nsALB, "HTTPCode_Target_5XX_Count", lb, metricOptions{Label: "target 5xx", YAxis: "right"}),
			metric(nsALB, "HTTPCode_ELB_5XX_Count", lb, metricOptions{Label: "ALB 5xx", YAxis: "right"}),
			metric(nsALB, "HTTPCode_Target_4XX_Count", lb, metricOptions{Label: "target 4xx", YAxis: "right"}),
		}}},
		{in.loadBalancer != "", metricProperties{Title: "ALB target response time (s)", Stat: "p99", Metrics: [][]any{
			metric(nsALB, "TargetResponseTime", lb, metricOptions{Stat: "p50", Label: "p50"}),
			metric(nsALB, "TargetResponseTime", lb, metricOptions{Stat: "p90", Label: "p90"}),
			metric(nsALB, "TargetResponseTime", lb, metricOptions{Stat: "p99", Label: "p99"}),
		}}},
		{in.loadBalancer != "" && in.targetGroup != "", metricProperties{Title: "API tasks behind the ALB", Stat: "Minimum", Metrics: [][]any{
			metric(nsALB, "HealthyHostCount", []dim{{"TargetGroup", in.targetGroup}, {"LoadBalancer", in.loadBalancer}}, metricOptions{Label: "healthy"}),
			metric(nsALB, "UnHealthyHostCount", []dim{{"TargetGroup", in.targetGroup}, {"LoadBalancer", in.loadBalancer}}, metricOptions{Stat: "Maximum", Label: "unhealthy"}),
		}}},

		{in.cluster != "" && in.service != "", metricProperties{Title: "API service CPU and memory (%)", Stat: "Average", Metrics: [][]any{
			metric(nsECS, "CPUUtilization", ecs, metricOptions{Label: "CPU"}),
			metric(nsECS, "MemoryUtilization", ecs, metricOptions{Label: "memory"}),
			metric(nsECS, "CPUUtilization", ecs, metricOptions{Stat: "Maximum", Label: "CPU max"}),
			metric(nsECS, "MemoryUtilization", ecs, metricOptions{Stat: "Maximum", Label: "memory max"}),
		}, YAxis: &yAxes{Left: &axis{Min: &zero, Max: &hundred}}}},
		{in.dbCluster != "", metricProperties{Title: "Aurora CPU (%) and connections", Stat: "Average", Metrics: [][]any{
			metric(nsRDS, "CPUUtilization", db, metricOptions{Label: "CPU"}),
			metric(nsRDS, "DatabaseConnections", db, metricOptions{Stat: "Maximum", Label: "connections", YAxis: "right"}),
		}}},
		{in.dbCluster != "", metricProperties{Title: "Aurora freeable memory (bytes)", Stat: "Minimum", Metrics: [][]any{
			metric(nsRDS, "FreeableMemory", db, metricOptions{Label: "freeable memory"}),
		}}},

		{len(queues) > 0, metricProperties{Title: "Messages waiting", Stat: "Maximum", Metrics: queues}},
		{len(ages) > 0, metricProperties{Title: "Oldest message age (s)", Stat: "Maximum", Metrics: ages}},
		{in.webACL != "", metricProperties{Title: "WAF requests", Stat: "Sum", Metrics: [][]any{
			metric(nsWAF, "AllowedRequests", waf, metricOptions{Label: "allowed"}),
			metric(nsWAF, "BlockedRequests", waf, metricOptions{Label: "blocked"}),
		}}},

		{in.function != "", metricProperties{Title: "Worker errors and throttles", Stat: "Sum", Metrics: [][]any{
			metric(nsLambda, "Invocations", fn, metricOptions{Label: "invocations"}),
			metric(nsLambda, "Errors", fn, metricOptions{Label: "errors", YAxis: "right"}),
			metric(nsLambda, "Throttles", fn, metricOptions{Label: "throttles", YAxis: "right"}),
		}}},
		{in.function != "", metricProperties{Title: "Worker duration (ms)", Stat: "p99", Metrics: [][]any{
			metric(nsLambda, "Duration", fn, metricOptions{Stat: "p50", Label: "p50"}),
			metric(nsLambda, "Duration", fn, metricOptions{Stat: "p99", Label: "p99"}),
			metric(nsLambda, "Duration", fn, metricOptions{Stat: "Maximum", Label: "max"}),
		}}},
		{in.function != "", metricProperties{Title: "Worker concurrent executions", Stat: "Maximum", Metrics: [][]any{
			metric(nsLambda, "ConcurrentExecutions", fn, metricOptions{Label: "concurrent executions"}),
		}}},
	}
}

// successRate is the metric math of the success rate, in percent, of the
// succeeded and failed counts named: no value where there were no
// transactions (IF without a false value gives none), so that quiet is not
// failure.
func successRate(succeeded, failed []string) string {
	sum := func(ids []string) string {
		out := ""
		for i, id := range ids {
			if i > 0 {
				out += "+"
			}
			out += "FILL(" + id + ",0)"
		}
		return out
	}
	ok, all := sum(succeeded), sum(succeeded)+"+"+sum(failed)
	return fmt.Sprintf("IF(%s>0,100*(%s)/(%s))", all, ok, all)
}

// mustJSON writes v, a value of this package's structs, whose marshaling
// cannot fail: a failure is a builder bug, which the function reports as fatal.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
