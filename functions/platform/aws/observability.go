package aws

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// The rules of CloudWatch's dashboards and alarms and of SNS topic policies
// and subscriptions (the observability layer's kinds).

const groupCloudWatch = "cloudwatch.aws.m.upbound.io"

var (
	dashboardChars = regexp.MustCompile(`^[A-Za-z0-9_-]*$`)
	snsTopicARN    = regexp.MustCompile(`^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$`)
	metricQueryID  = regexp.MustCompile(`^[a-z][A-Za-z0-9_]*$`)
	percentileStat = regexp.MustCompile(`^p(100(\.0+)?|[0-9]{1,2}(\.[0-9]+)?)$`)
	subscriptionOK = map[string]*regexp.Regexp{
		"sqs":    regexp.MustCompile(`^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$`),
		"lambda": regexp.MustCompile(`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$`),
		"email":  regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`),
	}
)

// DashboardName is AWS's rule: 1 to 255 letters, digits, - and _.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html
func DashboardName(s string) error {
	return name("dashboard name", s, 1, 255, dashboardChars, "letters, digits, - and _")
}

// MetricAlarmName is AWS's rule: 1 to 255 UTF-8 characters, no ASCII
// control character.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
func MetricAlarmName(s string) error {
	if n := utf8.RuneCountInString(s); n < 1 || n > 255 || !utf8.ValidString(s) {
		return fmt.Errorf("alarm name %q is %d characters; AWS allows 1 to 255 of UTF-8", s, n)
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return fmt.Errorf("alarm name %q holds an ASCII control character", s)
	}
	return nil
}

// MetricAlarmDescription is AWS's rule: at most 1,024 characters.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
func MetricAlarmDescription(s string) error {
	if n := utf8.RuneCountInString(s); n > 1024 {
		return fmt.Errorf("alarm description is %d characters; AWS allows 1024", n)
	}
	return nil
}

// DashboardBody is CloudWatch's rule for a dashboard body: a JSON object
// whose widgets, at most 500, each sit in the 24-column grid.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
func DashboardBody(s string) error {
	var body struct {
		Widgets []struct {
			Type                *string `json:"type"`
			X, Y, Width, Height *int
			Properties          map[string]any `json:"properties"`
		} `json:"widgets"`
	}
	if err := json.Unmarshal([]byte(s), &body); err != nil {
		return fmt.Errorf("dashboard body is not a JSON object of widgets: %w", err)
	}
	if len(body.Widgets) > 500 {
		return fmt.Errorf("dashboard body has %d widgets; CloudWatch allows 500", len(body.Widgets))
	}
	var errs []error
	for i, w := range body.Widgets {
		switch {
		case w.Type == nil || w.Properties == nil:
			errs = append(errs, fmt.Errorf("widget %d has no type or properties", i))
		case w.Width != nil && (*w.Width < 1 || *w.Width > 24), w.Height != nil && (*w.Height < 1 || *w.Height > 1000):
			errs = append(errs, fmt.Errorf("widget %d is outside 1 to 24 columns wide or 1 to 1000 rows high", i))
		case w.X != nil && w.Width != nil && (*w.X < 0 || *w.X+*w.Width > 24):
			errs = append(errs, fmt.Errorf("widget %d at column %d, %d wide, leaves the 24-column grid", i, *w.X, *w.Width))
		}
	}
	return errors.Join(errs...)
}

// SNSTopicPolicy is AWS's rule: a topic's policy is JSON of at most 30 KiB.
// https://docs.aws.amazon.com/sns/latest/api/API_SetTopicAttributes.html
func SNSTopicPolicy(s string) error { return policy("SNS topic policy", s, len(s), 30*1024) }

var (
	comparisons = []string{"GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"}
	missingData = []string{"breaching", "notBreaching", "ignore", "missing"}
	statistics  = []string{"SampleCount", "Average", "Sum", "Minimum", "Maximum"}
)

// metricAlarm is CloudWatch's rules of PutMetricAlarm: a period of 10, 20,
// 30 or a multiple of 60 seconds, evaluated over at most seven days; at most
// as many datapoints to alarm as periods; one metric (a statistic or a
// percentile) or up to 20 metric queries of which one returns data; at most
// five actions per state, each an SNS topic's ARN here.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
func metricAlarm(m map[string]any) error {
	var errs []error
	fail := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	evals, ok := wholeNumber(m["evaluationPeriods"])
	if !ok || evals < 1 {
		fail("evaluationPeriods %v is not a whole number of at least 1", m["evaluationPeriods"])
	}
	if d, ok := wholeNumber(m["datapointsToAlarm"]); m["datapointsToAlarm"] != nil && (!ok || d < 1 || d > evals) {
		fail("datapointsToAlarm %v is not 1 to evaluationPeriods (%d)", m["datapointsToAlarm"], evals)
	}
	if c := str(m, "comparisonOperator"); !slices.Contains(comparisons, c) {
		fail("comparisonOperator %q is not one of %v", c, comparisons)
	}
	if t := str(m, "treatMissingData"); m["treatMissingData"] != nil && !slices.Contains(missingData, t) {
		fail("treatMissingData %q is not one of %v", t, missingData)
	}
	if _, ok := m["threshold"].(float64); !ok {
		if _, isInt := wholeNumber(m["threshold"]); !isInt {
			fail("no threshold: a static alarm needs one")
		}
	}
	queries, _ := m["metricQuery"].([]any)
	switch {
	case len(queries) > 0 && (m["metricName"] != nil || m["namespace"] != nil || m["period"] != nil):
		fail("both metricQuery and a metric (metricName, namespace, period)")
	case len(queries) > 0:
		errs = append(errs, metricQueries(queries, evals)...)
	default:
		if str(m, "metricName") == "" || str(m, "namespace") == "" {
			fail("neither metricQuery nor metricName and namespace")
		}
		errs = append(errs, statistic(str(m, "statistic"), str(m, "extendedStatistic"))...)
		if err := alarmPeriod(m["period"], evals); err != nil {
			errs = append(errs, err)
		}
	}
	for _, k := range []string{"alarmActions", "okActions", "insufficientDataActions"} {
		l, _ := m[k].([]any)
		if len(l) > 5 {
			fail("%s has %d actions; AWS allows 5", k, len(l))
		}
		for _, a := range l {
			if s, _ := a.(string); !snsTopicARN.MatchString(s) {
				fail("%s: %v is not an SNS topic's ARN", k, a)
			}
		}
	}
	return errors.Join(errs...)
}

func metricQueries(queries []any, evals int64) []error {
	var errs []error
	if len(queries) > 20 {
		errs = append(errs, fmt.Errorf("metricQuery has %d queries; AWS allows 20", len(queries)))
	}
	returned, ids := 0, map[string]bool{}
	for i, q := range queries {
		m, _ := q.(map[string]any)
		id := str(m, "id")
		if !metricQueryID.MatchString(id) || ids[id] {
			errs = append(errs, fmt.Errorf("metricQuery[%d].id %q is not a unique id of letters, digits and _ starting with a lowercase letter", i, id))
		}
		ids[id] = true
		if r, _ := m["returnData"].(bool); r {
			returned++
		}
		metric, _ := m["metric"].(map[string]any)
		switch {
		case (metric == nil) == (str(m, "expression") == ""):
			errs = append(errs, fmt.Errorf("metricQuery[%d] has not exactly one of metric and expression", i))
		case metric != nil:
			st := str(metric, "stat")
			if !slices.Contains(statistics, st) && !percentileStat.MatchString(st) {
				errs = append(errs, fmt.Errorf("metricQuery[%d].metric.stat %q is neither a statistic nor a percentile", i, st))
			}
			if err := alarmPeriod(metric["period"], evals); err != nil {
				errs = append(errs, fmt.Errorf("metricQuery[%d].metric: %w", i, err))
			}
		}
	}
	if returned != 1 {
		errs = append(errs, fmt.Errorf("%d metric queries return data; an alarm needs exactly one", returned))
	}
	return errs
}

func statistic(st, ext string) []error {
	switch {
	case (st == "") == (ext == ""):
		return []error{errors.New("not exactly one of statistic and extendedStatistic")}
	case st != "" && !slices.Contains(statistics, st):
		return []error{fmt.Errorf("statistic %q is not one of %v", st, statistics)}
	case ext != "" && !percentileStat.MatchString(ext):
		return []error{fmt.Errorf("extendedStatistic %q is not a percentile p0.0 to p100", ext)}
	}
	return nil
}

func alarmPeriod(v any, evals int64) error {
	p, ok := wholeNumber(v)
	switch {
	case !ok || (p != 10 && p != 20 && p != 30 && (p < 60 || p%60 != 0)):
		return fmt.Errorf("period %v is not 10, 20, 30 or a multiple of 60 seconds", v)
	case p*evals > 7*86400:
		return fmt.Errorf("period %d × evaluationPeriods %d is over seven days", p, evals)
	}
	return nil
}

var snsProtocols = []string{"application", "email", "email-json", "firehose", "http", "https", "lambda", "sms", "sqs"}

// subscription is SNS's rule: a protocol SNS has and an endpoint of its kind.
// https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
func subscription(m map[string]any) error {
	proto, endpoint := str(m, "protocol"), str(m, "endpoint")
	if !slices.Contains(snsProtocols, proto) {
		return fmt.Errorf("protocol %q is not one of %v", proto, snsProtocols)
	}
	switch proto {
	case "http", "https":
		if u, err := url.Parse(endpoint); err != nil || u.Scheme != proto || u.Host == "" {
			return fmt.Errorf("endpoint %q is not an %s:// URL", endpoint, proto)
		}
	case "email", "email-json", "sqs", "lambda":
		re := subscriptionOK[strings.TrimSuffix(proto, "-json")]
		if !re.MatchString(endpoint) {
			return fmt.Errorf("endpoint %q is not what protocol %s delivers to", endpoint, proto)
		}
	}
	return nil
}
