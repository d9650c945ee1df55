package aws

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// The rules of API Gateway's names and values and of the truststore bucket's
// policy and object (the API layer's kinds).

var (
	stageChars    = regexp.MustCompile(`^[a-zA-Z0-9_-]*$`)
	pathPartChars = regexp.MustCompile(`^([a-zA-Z0-9._~:@!$&'()*+,;=-]+|\{[a-zA-Z0-9._-]+\+?\})$`)
	domainLabel   = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)
	truststoreURI = regexp.MustCompile(`^s3://([^/]+)/(.+)$`)
	logGroupARN   = regexp.MustCompile(`^arn:aws[a-z-]*:logs:[a-z0-9-]+:[0-9]{12}:log-group:([^:*]+)$`)
)

// APIGatewayName is the rule of a REST API's, usage plan's or API key's
// name: required, and API Gateway documents no other; we hold them to 128
// printable characters, so a console or CLI shows them whole.
// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateRestApi.html
func APIGatewayName(s string) error {
	if n := utf8.RuneCountInString(s); n < 1 || n > 128 {
		return fmt.Errorf("API Gateway name %q is %d characters; the platform keeps them 1 to 128", s, n)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("API Gateway name %q holds a control character", s)
		}
	}
	return nil
}

// VPCLinkName is AWS's rule: a VPC link's name is 1 to 128 characters.
// https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/vpclinks.html
func VPCLinkName(s string) error {
	if n := utf8.RuneCountInString(s); n < 1 || n > 128 {
		return fmt.Errorf("VPC link name %q is %d characters; AWS allows 1 to 128", s, n)
	}
	return nil
}

// APIStageName is AWS's rule: a stage name holds only letters, digits,
// hyphens and underscores, up to 128 characters.
// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateStage.html
func APIStageName(s string) error {
	return name("stage name", s, 1, 128, stageChars, "letters, digits, hyphens and underscores")
}

// APIResourcePathPart is AWS's rule: a resource's path part is one path
// segment, or a path parameter {name} or greedy {name+}.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html
func APIResourcePathPart(s string) error {
	if !pathPartChars.MatchString(s) {
		return fmt.Errorf("resource path part %q is neither a path segment nor {parameter} or {parameter+}", s)
	}
	return nil
}

var httpMethods = []string{"ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}

// HTTPMethod is AWS's rule: a method is one of the HTTP methods or ANY.
// https://docs.aws.amazon.com/apigateway/latest/api/API_PutMethod.html
func HTTPMethod(s string) error {
	if !slices.Contains(httpMethods, s) {
		return fmt.Errorf("HTTP method %q is not one of %v", s, httpMethods)
	}
	return nil
}

// IntegrationTimeoutMillis is AWS's rule: 50 ms to 29 s by default (a
// quota increase may raise the maximum for regional APIs; not ours).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
func IntegrationTimeoutMillis(n int64) error {
	return between("integration timeout (ms)", n, 50, 29000)
}

// RestAPIEndpointTypes is the rule of the platform's APIs: regional, the
// endpoint type a custom domain with mutual TLS needs.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
func RestAPIEndpointTypes(s string) error {
	if s != "REGIONAL" {
		return fmt.Errorf("endpoint type %q: mutual TLS needs a REGIONAL API and domain", s)
	}
	return nil
}

// APIDomainName is AWS's rule for a custom domain name: a DNS name, lowercase
// labels of 1 to 63 letters, digits and inner hyphens, 253 characters in all;
// a wildcard only as the whole first label.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-custom-domains.html
func APIDomainName(s string) error {
	if len(s) > 253 {
		return fmt.Errorf("domain name %q is %d characters; DNS allows 253", s, len(s))
	}
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return fmt.Errorf("domain name %q has a single label", s)
	}
	for i, l := range labels {
		if i == 0 && l == "*" {
			continue
		}
		if len(l) > 63 || !domainLabel.MatchString(l) {
			return fmt.Errorf("domain name %q: label %q is not 1 to 63 lowercase letters, digits and inner hyphens", s, l)
		}
	}
	return nil
}

var securityPolicies = []string{"TLS_1_0", "TLS_1_2"}

// APISecurityPolicy is AWS's rule: a REST API custom domain's TLS policy is
// TLS_1_0 or TLS_1_2 (the enhanced SecurityPolicy_* names need an endpoint
// access mode the provider's schema sets apart); the platform also refuses
// TLS 1.0 (SPEC API-1).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html
func APISecurityPolicy(s string) error {
	if !slices.Contains(securityPolicies, s) {
		return fmt.Errorf("security policy %q is not one of %v", s, securityPolicies)
	}
	if s != "TLS_1_2" {
		return fmt.Errorf("security policy %q admits TLS 1.0; SPEC API-1 wants TLS 1.2", s)
	}
	return nil
}

// TruststoreURI is AWS's rule: a mutual-TLS truststore is an object in S3,
// s3://<bucket>/<key>, in a bucket with a valid name.
// https://docs.aws.amazon.com/apigateway/latest/api/API_MutualTlsAuthenticationInput.html
func TruststoreURI(s string) error {
	m := truststoreURI.FindStringSubmatch(s)
	if m == nil {
		return fmt.Errorf("truststore URI %q is not s3://<bucket>/<key>", s)
	}
	if err := S3BucketName(m[1]); err != nil {
		return err
	}
	return S3ObjectKey(m[2])
}

// APIAccessLogDestination is AWS's rule: a stage's access logs go to a
// CloudWatch Logs group named by its ARN without the trailing :* (or to a
// Firehose stream, which the platform does not use).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
func APIAccessLogDestination(s string) error {
	m := logGroupARN.FindStringSubmatch(s)
	if m == nil {
		return fmt.Errorf("access log destination %q is not a log group ARN (arn:aws:logs:<region>:<account>:log-group:<name>, no :*)", s)
	}
	return LogGroupName(m[1])
}

// MethodThrottle is AWS's rule for a stage's method throttle: a rate of 0 to
// the account's 10,000 requests per second and a burst of 0 to its 5,000.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
func MethodThrottle(rate, burst int64) error {
	return errors.Join(between("throttling rate limit", rate, 0, 10000), between("throttling burst limit", burst, 0, 5000))
}

func methodSettings(m map[string]any) error {
	rate, _ := wholeNumber(m["throttlingRateLimit"])
	burst, _ := wholeNumber(m["throttlingBurstLimit"])
	errs := []error{MethodThrottle(rate, burst)}
	if l, ok := m["loggingLevel"].(string); ok && !slices.Contains([]string{"OFF", "ERROR", "INFO"}, l) {
		errs = append(errs, fmt.Errorf("logging level %q is not OFF, ERROR or INFO", l))
	}
	return errors.Join(errs...)
}

var quotaPeriods = []string{"DAY", "WEEK", "MONTH"}

// UsagePlanLimits is AWS's rule: a plan's throttle within the account's
// (MethodThrottle) and a quota of at least one request per DAY, WEEK or
// MONTH.
// https://docs.aws.amazon.com/apigateway/latest/api/API_QuotaSettings.html
func UsagePlanLimits(rate, burst, quota int64, period string) error {
	errs := []error{MethodThrottle(rate, burst)}
	if quota < 1 {
		errs = append(errs, fmt.Errorf("quota %d is below 1 request", quota))
	}
	if !slices.Contains(quotaPeriods, period) {
		errs = append(errs, fmt.Errorf("quota period %q is not one of %v", period, quotaPeriods))
	}
	return errors.Join(errs...)
}

func usagePlan(m map[string]any) error {
	t, _ := m["throttleSettings"].(map[string]any)
	q, _ := m["quotaSettings"].(map[string]any)
	if q == nil {
		return nil
	}
	rate, _ := wholeNumber(t["rateLimit"])
	burst, _ := wholeNumber(t["burstLimit"])
	limit, _ := wholeNumber(q["limit"])
	return UsagePlanLimits(rate, burst, limit, str(q, "period"))
}

// S3BucketPolicy is AWS's rule: a bucket policy is JSON of at most 20 KB.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/BucketRestrictions.html
func S3BucketPolicy(s string) error { return policy("bucket policy", s, len(s), 20*1024) }

// S3ObjectKey is AWS's rule: an object key is 1 to 1,024 bytes of UTF-8.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
func S3ObjectKey(s string) error {
	if len(s) < 1 || len(s) > 1024 || !utf8.ValidString(s) {
		return fmt.Errorf("object key %q is not 1 to 1,024 bytes of UTF-8", s)
	}
	return nil
}
