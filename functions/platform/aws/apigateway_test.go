package aws_test

import (
	"strings"
	"testing"

	"github.com/fintech-platform/payment-platform/functions/platform/aws"
)

// TestAPIGatewayRules_WhatAWSDocuments_X6: the API layer's names and values
// against AWS's rules, on both sides of every bound.
func TestAPIGatewayRules_WhatAWSDocuments_X6(t *testing.T) {
	judge(t, map[string]verdict{
		"api name ok":            {aws.APIGatewayName("restapi-payments-prod"), ""},
		"api name empty":         {aws.APIGatewayName(""), "0 characters"},
		"api name 129":           {aws.APIGatewayName(strings.Repeat("a", 129)), "129 characters"},
		"api name control":       {aws.APIGatewayName("a\tb"), "control character"},
		"vpc link ok":            {aws.VPCLinkName("vpclink-payments-prod"), ""},
		"vpc link 129":           {aws.VPCLinkName(strings.Repeat("v", 129)), "129 characters"},
		"stage ok":               {aws.APIStageName("stage-payments-prod_1"), ""},
		"stage dot":              {aws.APIStageName("v1.0"), "character"},
		"stage 129":              {aws.APIStageName(strings.Repeat("s", 129)), "129 characters"},
		"path part proxy":        {aws.APIResourcePathPart("{proxy+}"), ""},
		"path part segment":      {aws.APIResourcePathPart("payments"), ""},
		"path part slash":        {aws.APIResourcePathPart("a/b"), "neither"},
		"path part open brace":   {aws.APIResourcePathPart("{proxy"), "neither"},
		"method any":             {aws.HTTPMethod("ANY"), ""},
		"method lower":           {aws.HTTPMethod("get"), "not one of"},
		"timeout 29000":          {aws.IntegrationTimeoutMillis(29000), ""},
		"timeout 49":             {aws.IntegrationTimeoutMillis(49), "integration timeout"},
		"timeout 29001":          {aws.IntegrationTimeoutMillis(29001), "integration timeout"},
		"regional":               {aws.RestAPIEndpointTypes("REGIONAL"), ""},
		"edge":                   {aws.RestAPIEndpointTypes("EDGE"), "REGIONAL"},
		"domain ok":              {aws.APIDomainName("api.payments.example.com"), ""},
		"domain wildcard":        {aws.APIDomainName("*.example.com"), ""},
		"domain single label":    {aws.APIDomainName("localhost"), "single label"},
		"domain upper":           {aws.APIDomainName("API.example.com"), "label"},
		"domain hyphen end":      {aws.APIDomainName("api-.example.com"), "label"},
		"domain 254":             {aws.APIDomainName(strings.Repeat("a.", 126) + "ab"), "254 characters"},
		"tls 1.2":                {aws.APISecurityPolicy("TLS_1_2"), ""},
		"tls 1.0":                {aws.APISecurityPolicy("TLS_1_0"), "TLS 1.2"},
		"tls unknown":            {aws.APISecurityPolicy("TLS_1_3"), "not one of"},
		"truststore ok":          {aws.TruststoreURI("s3://s3-truststore-123456789012-prod/truststore.pem"), ""},
		"truststore https":       {aws.TruststoreURI("https://bucket/truststore.pem"), "s3://"},
		"truststore bad bucket":  {aws.TruststoreURI("s3://Bucket/truststore.pem"), "S3 bucket name"},
		"access log ok":          {aws.APIAccessLogDestination("arn:aws:logs:us-east-1:123456789012:log-group:logs-api-access-prod"), ""},
		"access log star":        {aws.APIAccessLogDestination("arn:aws:logs:us-east-1:123456789012:log-group:logs-api-access-prod:*"), "no :*"},
		"access log firehose":    {aws.APIAccessLogDestination("arn:aws:firehose:us-east-1:123456789012:deliverystream/x"), "not a log group ARN"},
		"throttle ok":            {aws.MethodThrottle(1000, 2000), ""},
		"throttle rate":          {aws.MethodThrottle(10001, 2000), "rate limit"},
		"throttle burst":         {aws.MethodThrottle(1000, 5001), "burst limit"},
		"plan ok":                {aws.UsagePlanLimits(100, 200, 1000, "MONTH"), ""},
		"plan quota 0":           {aws.UsagePlanLimits(100, 200, 0, "MONTH"), "below 1"},
		"plan period":            {aws.UsagePlanLimits(100, 200, 10, "YEAR"), "quota period"},
		"bucket policy ok":       {aws.S3BucketPolicy(`{"Version":"2012-10-17","Statement":[]}`), ""},
		"bucket policy not json": {aws.S3BucketPolicy(`{`), "not JSON"},
		"bucket policy 20 KB":    {aws.S3BucketPolicy(`"` + strings.Repeat("p", 20*1024) + `"`), "AWS allows 20480"},
		"object key ok":          {aws.S3ObjectKey("truststore.pem"), ""},
		"object key empty":       {aws.S3ObjectKey(""), "1 to 1,024 bytes"},
		"object key 1025":        {aws.S3ObjectKey(strings.Repeat("k", 1025)), "1 to 1,024 bytes"},
	})
}

// TestAPIGatewayRules_CheckReadsTheFields_X6: the kinds' entries read the
// fields that carry these values.
func TestAPIGatewayRules_CheckReadsTheFields_X6(t *testing.T) {
	const ag = "apigateway.aws.m.upbound.io"
	cases := map[string]struct {
		group, kind string
		fp          map[string]any
		want        string
	}{
		"stage without name":  {ag, "Stage", map[string]any{"region": "us-east-1"}, "no stage name"},
		"stage log :*":        {ag, "Stage", map[string]any{"stageName": "s", "accessLogSettings": map[string]any{"destinationArn": "arn:aws:logs:us-east-1:123456789012:log-group:x:*"}}, "no :*"},
		"domain tls 1.0":      {ag, "DomainName", map[string]any{"domainName": "api.example.com", "securityPolicy": "TLS_1_0"}, "TLS 1.2"},
		"domain without name": {ag, "DomainName", map[string]any{}, "no domain name"},
		"edge api":            {ag, "RestAPI", map[string]any{"name": "restapi-x", "endpointConfiguration": map[string]any{"types": []any{"EDGE"}}}, "REGIONAL"},
		"burst 6000":          {ag, "MethodSettings", map[string]any{"settings": map[string]any{"throttlingRateLimit": 1000.0, "throttlingBurstLimit": 6000.0}}, "burst limit"},
		"logging":             {ag, "MethodSettings", map[string]any{"settings": map[string]any{"loggingLevel": "DEBUG"}}, "logging level"},
		"plan year": {ag, "UsagePlan", map[string]any{"name": "usageplan-x", "throttleSettings": map[string]any{"rateLimit": 1.0, "burstLimit": 1.0},
			"quotaSettings": map[string]any{"limit": 1.0, "period": "YEAR"}}, "quota period"},
		"vpc link unnamed": {"apigatewayv2.aws.m.upbound.io", "VPCLink", map[string]any{}, "no VPC link name"},
		"object key":       {"s3.aws.m.upbound.io", "Object", map[string]any{"key": ""}, "1 to 1,024 bytes"},
		"ok":               {ag, "RestAPI", map[string]any{"name": "restapi-x", "endpointConfiguration": map[string]any{"types": []any{"REGIONAL"}}}, ""},
	}
	for name, tc := range cases {
		errs, known := aws.Check(tc.group, tc.kind, map[string]any{"spec": map[string]any{"forProvider": tc.fp}})
		switch {
		case !known:
			t.Errorf("%s: %s.%s has no rules", name, tc.kind, tc.group)
		case tc.want == "" && len(errs) > 0:
			t.Errorf("%s: %v, want none", name, errs)
		case tc.want != "" && (len(errs) == 0 || !strings.Contains(errs[0].Error(), tc.want)):
			t.Errorf("%s: %v, want an error with %q", name, errs, tc.want)
		}
	}
}
