package compute

import (
	"encoding/json"
	"strings"

	wafv2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/wafv2/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// The rules of the web ACL (EDGE-2) are one ruleJson string each in the AWS
// API's shape (CreateWebACL's Rules, CreateRuleGroup's Rules): built here as
// maps, which encoding/json writes with sorted keys, so the same spec always
// gives the same bytes.

type obj = map[string]any

// InspectedFields are the parts of a request the layer's own rules inspect for
// SQL injection and cross-site scripting: body, query string, URI path and
// every header. An oversize body or header set is treated as a match: what
// WAF cannot read is blocked, not waved through.
var InspectedFields = []obj{
	{"Body": obj{"OversizeHandling": "MATCH"}},
	{"QueryString": obj{}},
	{"UriPath": obj{}},
	{"Headers": obj{"MatchPattern": obj{"All": obj{}}, "MatchScope": "ALL", "OversizeHandling": "MATCH"}},
}

// Transformations decode what attackers encode before the match: URL
// encoding, then HTML entities.
var Transformations = []obj{
	{"Priority": 0, "Type": "URL_DECODE"},
	{"Priority": 1, "Type": "HTML_ENTITY_DECODE"},
}

// ManagedRuleGroups are the AWS managed rule groups for the OWASP Top 10 the
// web ACL runs: the core rule set, SQL database attacks, known bad inputs.
var ManagedRuleGroups = []string{"AWSManagedRulesCommonRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"}

// RuleGroupCapacity is the layer's rule group's WAF capacity, fixed when the
// group is made: SQL injection (at high sensitivity) and XSS match statements
// over four fields with two transformations each need about 440 WCUs.
const RuleGroupCapacity = 500

func visibility(metric string) obj {
	return obj{"CloudWatchMetricsEnabled": true, "MetricName": metric, "SampledRequestsEnabled": true}
}

// matchRule blocks requests any of InspectedFields of which, decoded, matches
// statement (SqliMatchStatement or XssMatchStatement) with extra settings.
func matchRule(name string, priority int, statement string, extra obj) obj {
	or := make([]any, 0, len(InspectedFields))
	for _, f := range InspectedFields {
		s := obj{"FieldToMatch": f, "TextTransformations": Transformations}
		for k, v := range extra {
			s[k] = v
		}
		or = append(or, obj{statement: s})
	}
	return obj{
		"Name": name, "Priority": priority, "Action": obj{"Block": obj{}},
		"Statement":        obj{"OrStatement": obj{"Statements": or}},
		"VisibilityConfig": visibility(name),
	}
}

// RuleGroupRules are the layer's own rule group's rules: SQL injection and
// cross-site scripting on every inspected field.
func RuleGroupRules() string {
	return mustJSON([]obj{
		matchRule("SQLInjection", 0, "SqliMatchStatement", obj{"SensitivityLevel": "HIGH"}),
		matchRule("CrossSiteScripting", 1, "XssMatchStatement", nil),
	})
}

// WebACLRules are the web ACL's rules, in order: a rate limit per client, the
// AWS managed groups, then the layer's own group (ruleGroupARN).
//
// Requests reach the ALB from API Gateway's VPC link, so the client is the
// first address of X-Forwarded-For, which API Gateway sets; a request
// without one is counted as a match, so it is limited, not let through.
func WebACLRules(rateLimit int, ruleGroupARN string) string {
	rules := []obj{{
		"Name": "RateLimitPerClient", "Priority": 0, "Action": obj{"Block": obj{}},
		"Statement": obj{"RateBasedStatement": obj{
			"Limit": rateLimit, "EvaluationWindowSec": 300, "AggregateKeyType": "FORWARDED_IP",
			"ForwardedIPConfig": obj{"HeaderName": "X-Forwarded-For", "FallbackBehavior": "MATCH"},
		}},
		"VisibilityConfig": visibility("RateLimitPerClient"),
	}}
	for i, g := range ManagedRuleGroups {
		rules = append(rules, obj{
			"Name": "AWS-" + g, "Priority": i + 1, "OverrideAction": obj{"None": obj{}},
			"Statement":        obj{"ManagedRuleGroupStatement": obj{"VendorName": "AWS", "Name": g}},
			"VisibilityConfig": visibility("AWS-" + g),
		})
	}
	rules = append(rules, obj{
		"Name": "PaymentsSQLiAndXSS", "Priority": len(rules), "OverrideAction": obj{"None": obj{}},
		"Statement":        obj{"RuleGroupReferenceStatement": obj{"ARN": ruleGroupARN}},
		"VisibilityConfig": visibility("PaymentsSQLiAndXSS"),
	})
	return mustJSON(rules)
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		// Maps and slices of strings, numbers and bools: Marshal cannot fail.
		panic(err)
	}
	return string(b)
}

// InspectedHeader is what the web ACL adds to every request it lets through:
// WAF sends it on as x-amzn-waf-inspected, so the API can see (and log) that
// a request passed the web ACL. It also keeps the default action from being
// an empty object, which the composition pipeline drops, leaving the web ACL
// without its required defaultAction.
const InspectedHeader = "inspected"

func allowInspected() *wafv2v1beta1.AllowParameters {
	return &wafv2v1beta1.AllowParameters{CustomRequestHandling: &wafv2v1beta1.CustomRequestHandlingParameters{
		InsertHeader: []wafv2v1beta1.InsertHeaderParameters{{Name: compose.Ptr(InspectedHeader), Value: compose.Ptr("true")}},
	}}
}

// RedactedHeaders are left out of WAF's log: credentials.
var RedactedHeaders = []string{"authorization", "x-api-key"}

// addWAF adds EDGE-2: the rule group, the web ACL (which names the group by
// ARN in its rules, so it waits for it), its association with the ALB (whose
// ARN the association takes as a literal only) and its logging to the
// aws-waf-logs- log group (a literal destination too: its ARN follows from
// its name, so the logging waits only for the group to be ready).
func addWAF(d *compose.Desired, spec api.ComputeSpec, obs compose.Observed) {
	c := spec.Common
	labels := func(component string) map[string]string {
		return c.Env().Labels(wiring.LayerCompute, wiring.LabelComponent, component)
	}
	group := naming.MustName(naming.WAFRuleGroup, "payments", c.EnvironmentSuffix)
	d.Add(keyRuleGroup, &wafv2v1beta1.RuleGroup{
		ObjectMeta: wiring.Meta(labels(componentRuleGroup)),
		Spec: wafv2v1beta1.RuleGroupSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: wafv2v1beta1.RuleGroupParameters{
				Region:           &c.Region,
				Name:             &group,
				Description:      compose.Ptr("SQL injection and XSS in body, query string, URI path and headers"),
				Scope:            compose.Ptr("REGIONAL"),
				Capacity:         compose.Ptr(float64(RuleGroupCapacity)),
				RuleJSON:         compose.Ptr(RuleGroupRules()),
				VisibilityConfig: &wafv2v1beta1.VisibilityConfigParameters{CloudwatchMetricsEnabled: compose.Ptr(true), MetricName: &group, SampledRequestsEnabled: compose.Ptr(true)},
				Tags:             c.TagsFor(group),
			},
		},
	})

	groupARN := compose.Sticky(obs.String(keyRuleGroup, "status.atProvider.arn"), obs, keyWebACL, "metadata.annotations["+AnnotationRuleGroupARN+"]")
	acl := naming.MustName(naming.WebACL, "payments", c.EnvironmentSuffix)
	meta := wiring.Meta(labels(componentWebACL))
	meta.Annotations = map[string]string{AnnotationRuleGroupARN: groupARN}
	d.AddWhen(groupARN != "", obs, keyWebACL, &wafv2v1beta1.WebACL{
		ObjectMeta: meta,
		Spec: wafv2v1beta1.WebACLSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: wafv2v1beta1.WebACLParameters{
				Region:           &c.Region,
				Name:             &acl,
				Description:      compose.Ptr("Payment API load balancer: rate limit, AWS managed rules, SQL injection and XSS"),
				Scope:            compose.Ptr("REGIONAL"),
				DefaultAction:    &wafv2v1beta1.DefaultActionParameters{Allow: allowInspected()},
				RuleJSON:         compose.Ptr(WebACLRules(spec.RateLimit, groupARN)),
				VisibilityConfig: &wafv2v1beta1.WebACLVisibilityConfigParameters{CloudwatchMetricsEnabled: compose.Ptr(true), MetricName: &acl, SampledRequestsEnabled: compose.Ptr(true)},
				Tags:             c.TagsFor(acl),
			},
		},
	}, "the rule group to report its ARN")

	ownACL := wiring.Own(wiring.LabelComponent, componentWebACL)
	use := func(purpose string) map[string]string {
		return c.Env().Labels(wiring.LayerCompute, wiring.LabelComponent, componentWebACLUse, wiring.LabelPurpose, purpose)
	}
	lb := compose.Sticky(obs.String(keyLB, "status.atProvider.arn"), obs, keyWebACLAssoc, "spec.forProvider.resourceArn")
	var missing []string
	if lb == "" {
		missing = append(missing, "the load balancer to report its ARN")
	}
	if !obs.Ready(keyWebACL) {
		missing = append(missing, "the web ACL to be ready")
	}
	var lbARN *string
	if lb != "" {
		lbARN = &lb
	}
	d.AddWhen(len(missing) == 0, obs, keyWebACLAssoc, &wafv2v1beta1.WebACLAssociation{
		ObjectMeta: wiring.Meta(use("association")),
		Spec: wafv2v1beta1.WebACLAssociationSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: wafv2v1beta1.WebACLAssociationParameters{
				Region:            &c.Region,
				ResourceArn:       lbARN,
				WebACLArnSelector: ownACL,
			},
		},
	}, strings.Join(missing, " and "))

	redacted := make([]wafv2v1beta1.RedactedFieldsParameters, 0, len(RedactedHeaders))
	for _, h := range RedactedHeaders {
		redacted = append(redacted, wafv2v1beta1.RedactedFieldsParameters{SingleHeader: &wafv2v1beta1.SingleHeaderParameters{Name: compose.Ptr(h)}})
	}
	logReady := obs.Ready(keyLogGroup(LogWAF)) && obs.Ready(keyWebACL)
	d.AddWhen(logReady, obs, keyWebACLLogging, &wafv2v1beta1.WebACLLoggingConfiguration{
		ObjectMeta: wiring.Meta(use("logging")),
		Spec: wafv2v1beta1.WebACLLoggingConfigurationSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: wafv2v1beta1.WebACLLoggingConfigurationParameters{
				Region:                &c.Region,
				ResourceArnSelector:   ownACL,
				LogDestinationConfigs: []*string{compose.Ptr(arn(spec, "logs", "log-group:"+LogGroupName(LogWAF, c.EnvironmentSuffix)))},
				RedactedFields:        redacted,
			},
		},
	}, "the web ACL and its log group to be ready")
}
