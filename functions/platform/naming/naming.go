// Package naming derives every AWS name the platform uses, in the form
// {type}-{purpose}-{environmentSuffix} (SPEC X-1), and checks each against the
// limit AWS puts on that kind of name.
//
// The XRD bounds environmentSuffix (see MaxSuffixLength); the tests in this
// package prove that every name a layer derives fits its limit at that bound, so
// a valid claim can never produce a name AWS rejects.
package naming

import (
	"fmt"
	"regexp"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// MaxSuffixLength is the longest environmentSuffix the XRDs admit. The tightest
// limit it must respect is the 32 characters of an ALB or target group name.
const MaxSuffixLength = 12

// SuffixPattern is the XRD's pattern for environmentSuffix: lowercase letters
// and digits, starting with a letter, so it is valid inside S3 bucket names,
// IAM names, DNS labels and Kubernetes label values alike. It has no hyphen:
// types have none either, so the first hyphen of a name ends its type and the
// last one starts its suffix, and a name tells its (type, purpose, suffix)
// back (ADR 0010). With hyphens, kms-documents-replica-card was both the
// replica key of "card" and the documents key of "replica-card".
const SuffixPattern = `^[a-z][a-z0-9]*$`

var suffixPattern = regexp.MustCompile(SuffixPattern)

// A Kind is a kind of AWS name with its length limit.
type Kind struct {
	// Type is the {type} token that starts the name.
	Type string
	// Max is the longest name AWS accepts for this kind.
	Max int
	// Prefix is prepended verbatim where AWS requires one (an alias/ path).
	Prefix string
	// Sep separates type, purpose and suffix: "-" unless set.
	Sep string
}

// Separator returns what separates the parts of a name of kind k.
func (k Kind) Separator() string {
	if k.Sep == "" {
		return "-"
	}
	return k.Sep
}

// The kinds of names the layers derive. Limits are AWS's; Name tags (VPC,
// subnet, route table…) are limited to 256 characters.
var (
	VPC            = Kind{Type: "vpc", Max: 256}
	Subnet         = Kind{Type: "subnet", Max: 256}
	InternetGW     = Kind{Type: "igw", Max: 256}
	RouteTable     = Kind{Type: "rtb", Max: 256}
	NATInstance    = Kind{Type: "nat", Max: 256}
	LaunchTemplate = Kind{Type: "lt", Max: 128}
	// EC2 refuses security-group names starting with sg- (the prefix of
	// their ids), so the type is spelled out.
	SecurityGroup  = Kind{Type: "secgroup", Max: 255}
	VPCEndpoint    = Kind{Type: "vpce", Max: 256}
	FlowLog        = Kind{Type: "fl", Max: 256}
	LogGroup       = Kind{Type: "logs", Max: 512}
	IAMRole        = Kind{Type: "role", Max: 64}
	KMSKey         = Kind{Type: "kms", Max: 256}
	AuroraCluster  = Kind{Type: "aurora", Max: 63}
	AuroraInstance = Kind{Type: "auroradb", Max: 63}
	DBParamGroup   = Kind{Type: "pg", Max: 255}
	DBSubnetGroup  = Kind{Type: "dbsubnet", Max: 255}
	DBProxy        = Kind{Type: "rdsproxy", Max: 60}
	// Secrets Manager appends "-" and six random characters to a secret's
	// name in its ARN, and AWS says not to end a name with a hyphen and six
	// characters (a six-character suffix would): secret names use its path
	// separator, secret/<purpose>/<suffix>.
	Secret   = Kind{Type: "secret", Max: 512, Sep: "/"}
	KMSAlias = Kind{Type: "kms", Max: 256, Prefix: "alias/"}

	// InstanceProfile names are up to 128 of letters, digits and _+=,.@-.
	InstanceProfile = Kind{Type: "instanceprofile", Max: 128}

	// The service layer's names (api.KindCompute). ALB and target group
	// names are at most 32 characters, the tightest limit a suffix must fit.
	ECRRepository = Kind{Type: "ecr", Max: 256}
	ECSCluster    = Kind{Type: "ecs", Max: 255}
	ECSService    = Kind{Type: "svc", Max: 255}
	TaskFamily    = Kind{Type: "task", Max: 255}
	LoadBalancer  = Kind{Type: "alb", Max: 32}
	TargetGroup   = Kind{Type: "tg", Max: 32}
	ScalingPolicy = Kind{Type: "scaling", Max: 256}
	WebACL        = Kind{Type: "waf", Max: 128}
	WAFRuleGroup  = Kind{Type: "wafrules", Max: 128}
	// WAF logs only to log groups whose names start with aws-waf-logs-.
	WAFLogGroup = Kind{Type: "logs", Max: 512, Prefix: "aws-waf-"}

	// API layer. A stage name is up to 128 letters, digits, hyphens and
	// underscores, a VPC link's 1 to 128 characters; API Gateway documents
	// no limit for REST API, usage plan and API key names, which we hold to
	// 128 as well. API keys' names also name the Kubernetes Secrets holding
	// their values.
	RestAPI   = Kind{Type: "restapi", Max: 128}
	APIStage  = Kind{Type: "stage", Max: 128}
	VPCLink   = Kind{Type: "vpclink", Max: 128}
	UsagePlan = Kind{Type: "usageplan", Max: 128}
	APIKey    = Kind{Type: "apikey", Max: 128}
	// S3Bucket names are global across every account: a purpose that makes
	// one unique carries the account id (the suffix is unique per account
	// only).
	S3Bucket = Kind{Type: "s3", Max: 63}

	// Messaging layer. A standard SQS queue's name is up to 80 letters,
	// digits, hyphens and underscores (a FIFO one's ends .fifo within the
	// 80); a Lambda function's up to 64 of the same.
	SQSQueue       = Kind{Type: "sqs", Max: 80}
	LambdaFunction = Kind{Type: "lambda", Max: 64}

	// Observability layer. A topic's name is up to 256 letters, digits,
	// hyphens and underscores; a dashboard's up to 255 of the same; an
	// alarm's up to 255 UTF-8 characters.
	SNSTopic    = Kind{Type: "sns", Max: 256}
	Dashboard   = Kind{Type: "dashboard", Max: 255}
	MetricAlarm = Kind{Type: "alarm", Max: 255}
	// MetricNamespace is the custom metrics' CloudWatch namespace,
	// Payments/<suffix> (docs/metrics.md), up to 255 characters.
	MetricNamespace = Kind{Type: "Payments", Max: 255, Sep: "/"}
)

// Name returns the name of a resource of kind k serving purpose in the
// environment suffix, or an error naming the limit it breaks.
func Name(k Kind, purpose, suffix string) (string, error) {
	parts := []string{k.Type}
	if purpose != "" {
		parts = append(parts, purpose)
	}
	parts = append(parts, suffix)
	n := k.Prefix + strings.Join(parts, k.Separator())
	if len(n) > k.Max {
		return "", fmt.Errorf("name %q is %d characters; AWS allows at most %d for a %s name", n, len(n), k.Max, k.Type)
	}
	return n, nil
}

// MustName is Name for callers whose inputs were validated by ValidateSuffix
// and whose purposes are constants proven to fit by this package's tests.
func MustName(k Kind, purpose, suffix string) string {
	n, err := Name(k, purpose, suffix)
	if err != nil {
		panic(err)
	}
	return n
}

// ValidateSuffix checks an environmentSuffix at p against the same rule the
// XRD schema enforces, so the function never derives names from a bad suffix
// even when it runs without the XRD (crossplane render, unit tests).
func ValidateSuffix(p *field.Path, s string) field.ErrorList {
	switch {
	case s == "":
		return field.ErrorList{field.Required(p, "every AWS name ends with it")}
	case len(s) > MaxSuffixLength:
		return field.ErrorList{field.TooLong(p, s, MaxSuffixLength)}
	case !suffixPattern.MatchString(s):
		return field.ErrorList{field.Invalid(p, s, "must be lowercase letters and digits, starting with a letter, without hyphens (ADR 0010: names stay injective)")}
	}
	return nil
}

// Parse returns the purpose and suffix of a name of kind k: Name's inverse,
// which exists because neither types nor suffixes hold a hyphen.
func Parse(k Kind, name string) (purpose, suffix string, ok bool) {
	sep := k.Separator()
	rest, ok := strings.CutPrefix(name, k.Prefix+k.Type+sep)
	if !ok {
		return "", "", false
	}
	i := strings.LastIndex(rest, sep)
	if i < 0 {
		return "", rest, true
	}
	return rest[:i], rest[i+len(sep):], true
}
