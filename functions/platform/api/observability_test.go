package api_test

import (
	"strings"
	"testing"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
)

// TestDimensions_FromARNs_OBS1: the CloudWatch dimensions the dashboard and
// alarms read come from the ARNs the other layers report, and only from ARNs
// of the right kind.
func TestDimensions_FromARNs_OBS1(t *testing.T) {
	cases := map[string]struct {
		parse          func(string) (string, string, bool)
		arn, want, reg string
	}{
		"alb":            {api.LoadBalancerDimension, "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb-payments-prod/50dc6c495c0c9188", "app/alb-payments-prod/50dc6c495c0c9188", "us-east-1"},
		"nlb":            {api.LoadBalancerDimension, "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/nlb/50dc6c495c0c9188", "", ""},
		"alb short id":   {api.LoadBalancerDimension, "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb/50dc", "", ""},
		"alb trailing":   {api.LoadBalancerDimension, "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb/50dc6c495c0c9188/x", "", ""},
		"alb listener":   {api.LoadBalancerDimension, "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb/50dc6c495c0c9188/f2f7dc8efc522ab2", "", ""},
		"target group":   {api.TargetGroupDimension, "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/tg-api-prod/73e2d6bc24d8a067", "targetgroup/tg-api-prod/73e2d6bc24d8a067", "eu-west-1"},
		"tg as alb":      {api.TargetGroupDimension, "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb/50dc6c495c0c9188", "", ""},
		"simulated tg":   {api.TargetGroupDimension, "arn:aws:elbv2:us-east-1:123456789012:lbtargetgroup/lbtargetgroup-c83a8adf0fc1fe125", "", ""},
		"web acl":        {api.WebACLName, "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/waf-payments-prod/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", "", ""},
		"web acl ok":     {api.WebACLName, "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/waf-payments-prod/a1b2c3d4-5678-90ab-cdef-000000011111", "waf-payments-prod", "us-east-1"},
		"global web acl": {api.WebACLName, "arn:aws:wafv2:us-east-1:123456789012:global/webacl/waf/a1b2c3d4-5678-90ab-cdef-000000011111", "", ""},
		"queue":          {api.QueueName, "arn:aws:sqs:us-east-1:123456789012:sqs-payments-dlq-prod", "sqs-payments-dlq-prod", "us-east-1"},
		"fifo queue":     {api.QueueName, "arn:aws:sqs:us-east-1:123456789012:q.fifo", "", ""},
		"queue url":      {api.QueueName, "https://sqs.us-east-1.amazonaws.com/123456789012/q", "", ""},
		"over long":      {api.QueueName, "arn:aws:sqs:us-east-1:123456789012:" + strings.Repeat("q", 3000), "", ""},
		"govcloud queue": {api.QueueName, "arn:aws-us-gov:sqs:us-gov-west-1:123456789012:q", "q", "us-gov-west-1"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, region, ok := tc.parse(tc.arn)
			if ok != (tc.want != "") || got != tc.want || region != tc.reg {
				t.Errorf("%s: %q %q %v, want %q %q", tc.arn, got, region, ok, tc.want, tc.reg)
			}
		})
	}
}

// TestSubscriptionID_StableAndDistinct: a subscription's id depends on its
// protocol and endpoint only.
func TestSubscriptionID_StableAndDistinct(t *testing.T) {
	a := api.Subscription{Protocol: "email", Endpoint: "a@example.com"}
	if api.SubscriptionID(a) != api.SubscriptionID(api.Subscription{Protocol: "email", Endpoint: "a@example.com"}) {
		t.Error("the same subscription has two ids")
	}
	if api.SubscriptionID(a) == api.SubscriptionID(api.Subscription{Protocol: "email-json", Endpoint: "a@example.com"}) {
		t.Error("two protocols share an id")
	}
}
