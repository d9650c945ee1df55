package aws_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/fintech-platform/payment-platform/functions/platform/aws"
)

// TestObservabilityRules_WhatAWSDocuments_X6: the observability layer's
// names and values against AWS's rules, on both sides of every bound.
func TestObservabilityRules_WhatAWSDocuments_X6(t *testing.T) {
	judge(t, map[string]verdict{
		"dashboard ok":          {aws.DashboardName("dashboard-payments-prod_1"), ""},
		"dashboard dot":         {aws.DashboardName("dashboard.prod"), "character"},
		"dashboard 256":         {aws.DashboardName(strings.Repeat("d", 256)), "256 characters"},
		"alarm ok":              {aws.MetricAlarmName("alarm-dlq-not-empty-prod (payments)"), ""},
		"alarm empty":           {aws.MetricAlarmName(""), "0 characters"},
		"alarm 256":             {aws.MetricAlarmName(strings.Repeat("a", 256)), "256 characters"},
		"alarm control":         {aws.MetricAlarmName("a\nb"), "control character"},
		"description 1024":      {aws.MetricAlarmDescription(strings.Repeat("d", 1024)), ""},
		"description 1025":      {aws.MetricAlarmDescription(strings.Repeat("d", 1025)), "1025 characters"},
		"topic policy ok":       {aws.SNSTopicPolicy(`{"Version":"2012-10-17","Statement":[]}`), ""},
		"topic policy not json": {aws.SNSTopicPolicy(`{`), "not JSON"},
		"topic policy 30 KiB":   {aws.SNSTopicPolicy(`"` + strings.Repeat("p", 30*1024) + `"`), "AWS allows 30720"},
		"body ok":               {aws.DashboardBody(`{"widgets":[{"type":"text","x":0,"y":0,"width":24,"height":2,"properties":{"markdown":"m"}}]}`), ""},
		"body not json":         {aws.DashboardBody(`{"widgets":`), "not a JSON object"},
		"body no properties":    {aws.DashboardBody(`{"widgets":[{"type":"text"}]}`), "no type or properties"},
		"body too wide":         {aws.DashboardBody(`{"widgets":[{"type":"text","width":25,"properties":{}}]}`), "1 to 24 columns"},
		"body off the grid":     {aws.DashboardBody(`{"widgets":[{"type":"text","x":20,"width":8,"properties":{}}]}`), "leaves the 24-column grid"},
		"body 501 widgets":      {aws.DashboardBody(`{"widgets":[` + strings.Repeat(`{"type":"text","properties":{}},`, 500) + `{"type":"text","properties":{}}]}`), "501 widgets"},
	})
}

const topic = "arn:aws:sns:us-east-1:123456789012:sns-alarms-prod"

// alarm is a valid static alarm's spec.forProvider, edited by edit.
func alarm(edit func(map[string]any)) map[string]any {
	p := map[string]any{
		"region": "us-east-1", "namespace": "AWS/SQS", "metricName": "ApproximateNumberOfMessagesVisible",
		"statistic": "Maximum", "period": float64(60), "evaluationPeriods": float64(1), "datapointsToAlarm": float64(1),
		"comparisonOperator": "GreaterThanThreshold", "threshold": float64(0), "treatMissingData": "notBreaching",
		"alarmActions": []any{topic}, "okActions": []any{topic},
	}
	if edit != nil {
		edit(p)
	}
	return map[string]any{
		"metadata": map[string]any{"annotations": map[string]any{"crossplane.io/external-name": "alarm-dlq-not-empty-prod"}},
		"spec":     map[string]any{"forProvider": p},
	}
}

func mathQueries() []any {
	metric := func(id string) map[string]any {
		return map[string]any{"id": id, "returnData": false, "metric": map[string]any{
			"namespace": "AWS/ApplicationELB", "metricName": "RequestCount", "stat": "Sum", "period": float64(60)}}
	}
	return []any{metric("requests"), metric("errors"),
		map[string]any{"id": "rate", "expression": "100*errors/requests", "returnData": true}}
}

// TestObservabilityRules_MetricAlarm_X6: what PutMetricAlarm refuses.
func TestObservabilityRules_MetricAlarm_X6(t *testing.T) {
	math := func(p map[string]any) {
		delete(p, "namespace")
		delete(p, "metricName")
		delete(p, "statistic")
		delete(p, "period")
		p["metricQuery"] = mathQueries()
	}
	cases := map[string]struct {
		edit func(map[string]any)
		want string
	}{
		"static ok":          {nil, ""},
		"percentile ok":      {func(p map[string]any) { delete(p, "statistic"); p["extendedStatistic"] = "p99" }, ""},
		"math ok":            {math, ""},
		"period 45":          {func(p map[string]any) { p["period"] = float64(45) }, "period 45"},
		"period 10":          {func(p map[string]any) { p["period"] = float64(10) }, ""},
		"over seven days":    {func(p map[string]any) { p["period"] = float64(86400); p["evaluationPeriods"] = float64(8) }, "over seven days"},
		"datapoints":         {func(p map[string]any) { p["datapointsToAlarm"] = float64(2) }, "datapointsToAlarm"},
		"no periods":         {func(p map[string]any) { p["evaluationPeriods"] = float64(0) }, "evaluationPeriods"},
		"operator":           {func(p map[string]any) { p["comparisonOperator"] = "GreaterThan" }, "comparisonOperator"},
		"missing data":       {func(p map[string]any) { p["treatMissingData"] = "zero" }, "treatMissingData"},
		"no threshold":       {func(p map[string]any) { delete(p, "threshold") }, "no threshold"},
		"both statistics":    {func(p map[string]any) { p["extendedStatistic"] = "p99" }, "not exactly one of statistic"},
		"bad statistic":      {func(p map[string]any) { p["statistic"] = "Median" }, "statistic \"Median\""},
		"bad percentile":     {func(p map[string]any) { delete(p, "statistic"); p["extendedStatistic"] = "p101" }, "percentile"},
		"no metric":          {func(p map[string]any) { delete(p, "metricName") }, "neither metricQuery nor"},
		"math and metric":    {func(p map[string]any) { p["metricQuery"] = mathQueries() }, "both metricQuery and a metric"},
		"action not a topic": {func(p map[string]any) { p["alarmActions"] = []any{"arn:aws:sqs:us-east-1:123456789012:q"} }, "not an SNS topic's ARN"},
		"six actions": {func(p map[string]any) {
			p["okActions"] = []any{topic, topic, topic, topic, topic, topic}
		}, "okActions has 6 actions"},
		"two results": {func(p map[string]any) {
			math(p)
			p["metricQuery"].([]any)[0].(map[string]any)["returnData"] = true
		}, "2 metric queries return data"},
		"query id": {func(p map[string]any) {
			math(p)
			p["metricQuery"].([]any)[0].(map[string]any)["id"] = "Requests"
		}, "metricQuery[0].id"},
		"duplicate id": {func(p map[string]any) {
			math(p)
			p["metricQuery"].([]any)[1].(map[string]any)["id"] = "requests"
		}, "metricQuery[1].id"},
		"query period": {func(p map[string]any) {
			math(p)
			p["metricQuery"].([]any)[0].(map[string]any)["metric"].(map[string]any)["period"] = float64(90)
		}, "metricQuery[0].metric: period 90"},
		"query stat": {func(p map[string]any) {
			math(p)
			p["metricQuery"].([]any)[0].(map[string]any)["metric"].(map[string]any)["stat"] = "sum"
		}, "metricQuery[0].metric.stat"},
		"21 queries": {func(p map[string]any) {
			math(p)
			q := p["metricQuery"].([]any)
			for i := range 18 {
				q = append(q, map[string]any{"id": "e" + string(rune('a'+i)), "expression": "requests"})
			}
			p["metricQuery"] = q
		}, "21 queries"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			errs, known := aws.Check("cloudwatch.aws.m.upbound.io", "MetricAlarm", alarm(tc.edit))
			if !known {
				t.Fatal("no rules for MetricAlarm")
			}
			check(t, errors.Join(errs...), tc.want)
		})
	}
	bad := alarm(nil)
	bad["metadata"] = map[string]any{}
	if errs, _ := aws.Check("cloudwatch.aws.m.upbound.io", "MetricAlarm", bad); len(errs) == 0 {
		t.Error("an alarm without its name passed")
	}
}

// TestObservabilityRules_TopicSubscription_X6: what Subscribe refuses.
func TestObservabilityRules_TopicSubscription_X6(t *testing.T) {
	cases := map[string]struct{ protocol, endpoint, want string }{
		"email":         {"email", "oncall@example.com", ""},
		"email-json":    {"email-json", "oncall@example.com", ""},
		"email bad":     {"email", "oncall", "not what protocol email delivers to"},
		"https":         {"https", "https://hooks.example.com/alarms", ""},
		"https as http": {"https", "http://hooks.example.com/alarms", "not an https:// URL"},
		"sqs":           {"sqs", "arn:aws:sqs:us-east-1:123456789012:sqs-alarms-prod", ""},
		"sqs url":       {"sqs", "https://sqs.us-east-1.amazonaws.com/123456789012/q", "protocol sqs"},
		"lambda":        {"lambda", "arn:aws:lambda:us-east-1:123456789012:function:pager", ""},
		"lambda bad":    {"lambda", "pager", "protocol lambda"},
		"carrier":       {"pigeon", "coop", "not one of"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			obj := map[string]any{"spec": map[string]any{"forProvider": map[string]any{
				"region": "us-east-1", "protocol": tc.protocol, "endpoint": tc.endpoint}}}
			errs, known := aws.Check("sns.aws.m.upbound.io", "TopicSubscription", obj)
			if !known {
				t.Fatal("no rules for TopicSubscription")
			}
			check(t, errors.Join(errs...), tc.want)
		})
	}
}

func check(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("refused: %v", err)
	case want != "" && err == nil:
		t.Errorf("accepted; want an error with %q", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Errorf("error %q does not say %q", err, want)
	}
}
