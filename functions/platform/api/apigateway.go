package api

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
)

// KindAPIGateway is the kind of the API layer's XR (SPEC API-1…API-4).
const KindAPIGateway = "ApiGateway"

// GatewaySpec is an ApiGateway's spec.parameters.
type GatewaySpec struct {
	compose.Common
	// AccountID makes the truststore bucket's name unique among all of S3's
	// (bucket names are global) and names the account in its policy.
	AccountID string `json:"accountId"`
	// LoadBalancerARN is the compute layer's ALB, the integrations' target
	// through the VPC link (integrationTarget). The claim copies it from the
	// Compute status; the integrations wait until it is known.
	LoadBalancerARN string `json:"loadBalancerArn,omitempty"`
	// LogBucketName is the documents layer's access-log bucket in the XR's
	// region (status.documents.logBucketName), where S3 writes the truststore
	// bucket's server access logs. Their logging waits until it is known.
	LogBucketName string `json:"logBucketName,omitempty"`

	GatewaySettings
}

// GatewaySettings are what a tenant tunes: the claim's spec.parameters.api.
type GatewaySettings struct {
	// DomainName is the regional custom domain clients call with mutual TLS.
	DomainName string `json:"domainName"`
	// CertificateARN is the ACM certificate for DomainName, in the XR's region.
	CertificateARN string `json:"certificateArn"`
	// BackendHostName is the server name API Gateway calls the ALB's HTTPS
	// listener by: the Host header and the name the listener's certificate
	// must cover. DomainName unless set.
	BackendHostName string `json:"backendHostName,omitempty"`
	// TruststorePEM is the CA certificates (PEM) client certificates must
	// chain to: the mutual-TLS truststore the layer writes to its bucket.
	TruststorePEM string `json:"truststorePem"`
	// BurstLimit is the stage's burst next to its fixed 1000 requests per
	// second (SPEC API-2).
	BurstLimit int `json:"burstLimit,omitempty"`
	// UsagePlans are the plans API keys are issued under; one "standard"
	// plan with one key unless set.
	UsagePlans []UsagePlan `json:"usagePlans,omitempty"`
}

// A UsagePlan is a throttle and quota shared by the API keys issued under it.
type UsagePlan struct {
	// Name is the plan's purpose in its AWS name.
	Name string `json:"name"`
	// RateLimit (requests per second) and BurstLimit throttle each key of
	// the plan; at most the stage's.
	RateLimit  int `json:"rateLimit,omitempty"`
	BurstLimit int `json:"burstLimit,omitempty"`
	// QuotaLimit requests per QuotaPeriod (DAY, WEEK or MONTH) per key.
	QuotaLimit  int    `json:"quotaLimit,omitempty"`
	QuotaPeriod string `json:"quotaPeriod,omitempty"`
	// APIKeys name the clients given a key under this plan. A key's value is
	// made by AWS and written to the Kubernetes Secret apikey-<name>-<suffix>
	// in the XR's namespace, never to a spec or status.
	APIKeys []string `json:"apiKeys"`
}

// API layer defaults and bounds.
const (
	// RateLimit is the stage's steady rate, fixed by SPEC API-2.
	RateLimit = 1000
	// DefaultBurstLimit is the stage's burst unless set: two seconds of the rate.
	DefaultBurstLimit = 2000
	// MaxBurstLimit is the account's burst per region (API Gateway quotas:
	// 5,000 requests, not adjustable); a higher stage burst is never reached.
	MaxBurstLimit = 5000
	// DefaultQuotaLimit is a plan's quota unless set, per DefaultQuotaPeriod.
	DefaultQuotaLimit  = 100000000
	DefaultQuotaPeriod = "MONTH"
	// MaxTruststoreBytes bounds the truststore PEM: about forty CA
	// certificates. The XR, the object's spec and its observed state each
	// carry it, and a layer's request stays under 1 MiB (DESIGN).
	MaxTruststoreBytes = 65536
	// MaxUsagePlans, MaxKeysPerPlan and MaxAPIKeys keep the layer within 40
	// composed resources (each key is a key and a plan key).
	MaxUsagePlans  = 3
	MaxKeysPerPlan = 5
	MaxAPIKeys     = 5
	// MaxClientNameLength bounds plan and key names so that every AWS name
	// made from them fits.
	MaxClientNameLength = 20
)

// QuotaPeriods are the periods a usage plan's quota may count over.
var QuotaPeriods = []string{"DAY", "WEEK", "MONTH"}

var (
	clientName = regexp.MustCompile(`^[a-z][a-z0-9]*$`)
	hostLabel  = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)
	acmCertARN = regexp.MustCompile(`^arn:aws[a-z-]*:acm:([a-z0-9-]+):[0-9]{12}:certificate/[0-9a-f-]{36}$`)
	albARN     = regexp.MustCompile(`^arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):[0-9]{12}:loadbalancer/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`)
)

// Default fills in what the claim left out.
func (s *GatewaySettings) Default() {
	if s.BackendHostName == "" {
		s.BackendHostName = s.DomainName
	}
	if s.BurstLimit == 0 {
		s.BurstLimit = DefaultBurstLimit
	}
	if len(s.UsagePlans) == 0 {
		s.UsagePlans = []UsagePlan{{Name: "standard", APIKeys: []string{"default"}}}
	}
	for i := range s.UsagePlans {
		p := &s.UsagePlans[i]
		if p.RateLimit == 0 {
			p.RateLimit = RateLimit
		}
		if p.BurstLimit == 0 {
			p.BurstLimit = s.BurstLimit
		}
		if p.QuotaLimit == 0 {
			p.QuotaLimit = DefaultQuotaLimit
		}
		if p.QuotaPeriod == "" {
			p.QuotaPeriod = DefaultQuotaPeriod
		}
	}
}

// Validate checks the settings at p: spec.parameters for an ApiGateway,
// spec.parameters.api for a PaymentPlatform. region is where the custom
// domain is: its certificate must be there.
func (s *GatewaySettings) Validate(p *field.Path, region string) field.ErrorList {
	errs := ValidateHostName(p.Child("domainName"), s.DomainName)
	if s.BackendHostName != s.DomainName {
		errs = append(errs, ValidateHostName(p.Child("backendHostName"), s.BackendHostName)...)
	}
	errs = append(errs, validateARN(p.Child("certificateArn"), s.CertificateARN, acmCertARN, region,
		"must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)")...)
	errs = append(errs, ValidateTruststore(p.Child("truststorePem"), s.TruststorePEM)...)
	if s.BurstLimit < 1 || s.BurstLimit > MaxBurstLimit {
		errs = append(errs, field.Invalid(p.Child("burstLimit"), s.BurstLimit,
			fmt.Sprintf("must be 1 to %d: API Gateway's burst per account and region", MaxBurstLimit)))
	}
	return append(errs, s.validatePlans(p.Child("usagePlans"))...)
}

func (s *GatewaySettings) validatePlans(p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if len(s.UsagePlans) > MaxUsagePlans {
		errs = append(errs, field.TooMany(p, len(s.UsagePlans), MaxUsagePlans))
	}
	plans, keys := map[string]bool{}, map[string]bool{}
	for i, plan := range s.UsagePlans {
		at := p.Index(i)
		errs = append(errs, validateClientName(at.Child("name"), plan.Name)...)
		if plans[plan.Name] {
			errs = append(errs, field.Duplicate(at.Child("name"), plan.Name))
		}
		plans[plan.Name] = true
		if plan.RateLimit < 1 || plan.RateLimit > RateLimit {
			errs = append(errs, field.Invalid(at.Child("rateLimit"), plan.RateLimit, fmt.Sprintf("must be 1 to %d requests per second: the stage's rate", RateLimit)))
		}
		if plan.BurstLimit < 1 || plan.BurstLimit > s.BurstLimit {
			errs = append(errs, field.Invalid(at.Child("burstLimit"), plan.BurstLimit, fmt.Sprintf("must be 1 to %d: the stage's burst (burstLimit)", s.BurstLimit)))
		}
		if plan.QuotaLimit < 1 {
			errs = append(errs, field.Invalid(at.Child("quotaLimit"), plan.QuotaLimit, "must be at least 1 request"))
		}
		if !slices.Contains(QuotaPeriods, plan.QuotaPeriod) {
			errs = append(errs, field.NotSupported(at.Child("quotaPeriod"), plan.QuotaPeriod, QuotaPeriods))
		}
		switch n := len(plan.APIKeys); {
		case n == 0:
			errs = append(errs, field.Required(at.Child("apiKeys"), "a plan without keys admits no one"))
		case n > MaxKeysPerPlan:
			errs = append(errs, field.TooMany(at.Child("apiKeys"), n, MaxKeysPerPlan))
		}
		for j, k := range plan.APIKeys {
			errs = append(errs, validateClientName(at.Child("apiKeys").Index(j), k)...)
			if keys[k] {
				// API Gateway admits a key in one plan per API stage only.
				errs = append(errs, field.Duplicate(at.Child("apiKeys").Index(j), k))
			}
			keys[k] = true
		}
	}
	if len(keys) > MaxAPIKeys {
		errs = append(errs, field.TooMany(p, len(keys), MaxAPIKeys))
	}
	return errs
}

func validateClientName(p *field.Path, s string) field.ErrorList {
	if len(s) == 0 || len(s) > MaxClientNameLength || !clientName.MatchString(s) {
		return field.ErrorList{field.Invalid(p, s, fmt.Sprintf("must be 1 to %d lowercase letters and digits, starting with a letter: it goes into AWS and Kubernetes names", MaxClientNameLength))}
	}
	return nil
}

// ValidateHostName checks a DNS host name: lowercase labels of 1 to 63
// letters, digits and inner hyphens, at least two, 253 characters in all; no
// wildcard (a custom domain with mutual TLS names one host here).
func ValidateHostName(p *field.Path, s string) field.ErrorList {
	labels := strings.Split(s, ".")
	ok := len(s) <= 253 && len(labels) >= 2
	for _, l := range labels {
		ok = ok && len(l) <= 63 && hostLabel.MatchString(l)
	}
	if !ok {
		return field.ErrorList{field.Invalid(p, s, "must be a lowercase DNS name of at least two labels (letters, digits, inner hyphens; 63 per label, 253 in all), without a wildcard")}
	}
	return nil
}

// validateARN checks arn against pattern, whose first group is its region,
// which must be region.
func validateARN(p *field.Path, arn string, pattern *regexp.Regexp, region, rule string) field.ErrorList {
	m := pattern.FindStringSubmatch(arn)
	if m == nil {
		return field.ErrorList{field.Invalid(p, arn, rule)}
	}
	if m[1] != region {
		return field.ErrorList{field.Invalid(p, arn, fmt.Sprintf("is in %s; it must be in the XR's region, %s", m[1], region))}
	}
	return nil
}

// ValidateTruststore checks a mutual-TLS truststore: one or more PEM
// CERTIFICATE blocks, each an X.509 certificate, and nothing else.
func ValidateTruststore(p *field.Path, s string) field.ErrorList {
	if len(s) > MaxTruststoreBytes {
		return field.ErrorList{field.TooLong(p, "", MaxTruststoreBytes)}
	}
	rest := []byte(s)
	n := 0
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		n++
		if b.Type != "CERTIFICATE" {
			return field.ErrorList{field.Invalid(p, "", fmt.Sprintf("block %d is a %s; a truststore holds CA certificates only (never a private key)", n, b.Type))}
		}
		if _, err := x509.ParseCertificate(b.Bytes); err != nil {
			return field.ErrorList{field.Invalid(p, "", fmt.Sprintf("certificate %d: %v", n, err))}
		}
	}
	switch {
	case n == 0:
		return field.ErrorList{field.Invalid(p, "", "must hold PEM CA certificates (-----BEGIN CERTIFICATE-----)")}
	case len(bytes.TrimSpace(rest)) > 0:
		return field.ErrorList{field.Invalid(p, "", fmt.Sprintf("holds something other than PEM after certificate %d", n))}
	}
	return nil
}

// Default fills in what the XR left out.
func (s *GatewaySpec) Default() { s.GatewaySettings.Default() }

// Validate checks the parameters at p.
func (s *GatewaySpec) Validate(p *field.Path) field.ErrorList {
	errs := s.Common.Validate(p)
	errs = append(errs, ValidateAccountID(p.Child("accountId"), s.AccountID)...)
	if s.LoadBalancerARN != "" {
		errs = append(errs, validateARN(p.Child("loadBalancerArn"), s.LoadBalancerARN, albARN, s.Region,
			"must be an Application Load Balancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>)")...)
	}
	if s.LogBucketName != "" && !s3BucketName.MatchString(s.LogBucketName) {
		errs = append(errs, field.Invalid(p.Child("logBucketName"), s.LogBucketName,
			"must be an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit (status.documents.logBucketName)"))
	}
	return append(errs, s.GatewaySettings.Validate(p, s.Region)...)
}

// s3BucketName is S3's rule for a bucket name (general purpose buckets).
var s3BucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// GatewayStatus is an ApiGateway's status: where clients call and what DNS
// must point at. API keys' values are never here: each is in the Secret
// APIKeySecrets names.
type GatewayStatus struct {
	APIID string `json:"apiId,omitempty"`
	// DomainName is the custom domain clients call with mutual TLS; URL is
	// https://<DomainName>/, once the base path mapping exists.
	DomainName string `json:"domainName,omitempty"`
	URL        string `json:"url,omitempty"`
	// RegionalDomainName and RegionalHostedZoneID are the alias target of
	// DomainName's DNS record.
	RegionalDomainName   string `json:"regionalDomainName,omitempty"`
	RegionalHostedZoneID string `json:"regionalHostedZoneId,omitempty"`
	StageName            string `json:"stageName,omitempty"`
	// StageInvokeURL is the stage's execute-api URL, which is disabled
	// (disableExecuteApiEndpoint): every request goes through URL.
	StageInvokeURL   string `json:"stageInvokeUrl,omitempty"`
	VPCLinkID        string `json:"vpcLinkId,omitempty"`
	AccessLogGroup   string `json:"accessLogGroup,omitempty"`
	TruststoreBucket string `json:"truststoreBucket,omitempty"`
	// TruststoreURI is s3://<bucket>/<key> and TruststoreVersion the object
	// version the custom domain uses.
	TruststoreURI     string `json:"truststoreUri,omitempty"`
	TruststoreVersion string `json:"truststoreVersion,omitempty"`
	// UsagePlanIDs maps each plan's name to its id.
	UsagePlanIDs map[string]string `json:"usagePlanIds,omitempty"`
	// APIKeyIDs maps each key's name to its id (not its value);
	// APIKeySecrets to the Secret in the XR's namespace that holds its value.
	APIKeyIDs     map[string]string `json:"apiKeyIds,omitempty"`
	APIKeySecrets map[string]string `json:"apiKeySecrets,omitempty"`
}
