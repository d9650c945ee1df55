package api

import (
	"fmt"
	"regexp"
	"slices"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/fintech-platform/payment-platform/functions/platform/aws"
	"github.com/fintech-platform/payment-platform/functions/platform/capacity"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
)

// KindCompute is the kind of the service layer's XR: the payment API on
// Fargate behind an ALB with WAF (SPEC CMP-1…CMP-4, EDGE-1…EDGE-3).
const KindCompute = "Compute"

// ComputeSpec is a Compute's spec.parameters.
type ComputeSpec struct {
	compose.Common
	// AccountID names the account in the roles' policies (ECR repository, log
	// groups, rds-db:connect).
	AccountID string `json:"accountId"`
	// ConcurrentTransactions sizes the service's maximum task count
	// (docs/capacity.md, "API tasks").
	ConcurrentTransactions int `json:"concurrentTransactions,omitempty"`

	// What the database layer reports (status.database), copied by the claim:
	// the RDS Proxy's endpoint the tasks connect to, its resource id, which
	// the task role's rds-db:connect names, and the client security group the
	// proxy admits. The task role, task definition and service wait for them.
	DatabaseEndpoint      string `json:"databaseEndpoint,omitempty"`
	ProxyResourceID       string `json:"proxyResourceId,omitempty"`
	ClientSecurityGroupID string `json:"clientSecurityGroupId,omitempty"`

	// What the messaging layer reports, once there is one: the payment queue
	// the API sends to and the key it is encrypted with. Without them the
	// task role grants no queue or key at all.
	QueueURL        string `json:"queueUrl,omitempty"`
	QueueARN        string `json:"queueArn,omitempty"`
	MessagingKeyARN string `json:"messagingKeyArn,omitempty"`

	// APIGateway says an ApiGateway of the environment fronts the service:
	// the ALB admits its VPC link's security group (EDGE-3). Without one the
	// ALB admits nothing.
	APIGateway bool `json:"apiGateway,omitempty"`

	ComputeSettings
}

// ComputeSettings are what a tenant tunes: the claim's spec.parameters.compute.
type ComputeSettings struct {
	// Image is the API's container image: a tag of the layer's own api
	// repository (1.4.2) or a full image reference
	// (registry/repository:tag or @sha256:digest). The task definition and
	// service wait for it: push an image to the repository first.
	Image string `json:"image,omitempty"`
	// CPU (units, 1024 a vCPU) and Memory (MiB) of a task: one of Fargate's
	// combinations.
	CPU    int `json:"cpu,omitempty"`
	Memory int `json:"memory,omitempty"`
	// ContainerPort is where the API listens; the task runs as a non-root
	// user, so not a privileged port.
	ContainerPort int `json:"containerPort,omitempty"`
	// HealthCheckPath is what the target group requests to judge a task.
	HealthCheckPath string `json:"healthCheckPath,omitempty"`
	// CertificateARN is the ACM certificate of the HTTPS listener, for the
	// host name API Gateway's private integration calls. The listener (and
	// so the service) waits for it.
	CertificateARN string `json:"certificateArn,omitempty"`
	// RateLimit is how many requests one client address may make in five
	// minutes before the web ACL blocks it.
	RateLimit int `json:"rateLimit,omitempty"`
}

// Compute defaults and bounds.
const (
	DefaultCPU             = 1024
	DefaultMemory          = 2048
	DefaultContainerPort   = 8080
	DefaultHealthCheckPath = "/health"
	// DefaultRateLimit is 20,000 requests per client in five minutes, about
	// 67 a second: far above a merchant's normal rate, far below a flood.
	DefaultRateLimit = 20000
	// WAF's bounds on a rate-based rule's limit.
	MinRateLimit = 10
	MaxRateLimit = 2000000000
	// MaxImageLength is ECS's limit on a container's image.
	MaxImageLength = 255
	// MaxHealthCheckPathLength is ELB's limit on a health check path.
	MaxHealthCheckPathLength = 1024
	// MaxEndpointLength bounds the database endpoint (a DNS name).
	MaxEndpointLength = 253
	// MaxARNLength bounds the ARNs the spec carries.
	MaxARNLength = 2048
)

var (
	// imageTag is Docker's tag rule.
	imageTag = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	// imageRef is registry/repository with a tag or a digest: lowercase path
	// components, an optional registry host and port.
	imageRef = regexp.MustCompile(`^([a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?/)?[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$`)
	// ecrImage is an image in an ECR private registry, whose repository the
	// execution role may pull from: account, region, repository.
	ecrImage       = regexp.MustCompile(`^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com/([^:@]+)`)
	healthPath     = regexp.MustCompile(`^/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$`)
	certificateARN = regexp.MustCompile(`^arn:aws:acm:([a-z0-9-]+):[0-9]{12}:certificate/[0-9a-f-]{36}$`)
	queueARN       = regexp.MustCompile(`^arn:aws:sqs:([a-z0-9-]+):[0-9]{12}:[A-Za-z0-9_-]{1,80}$`)
	keyARN         = regexp.MustCompile(`^arn:aws:kms:([a-z0-9-]+):[0-9]{12}:key/[0-9a-f-]{36}$`)
	queueURL       = regexp.MustCompile(`^https://sqs\.([a-z0-9-]+)\.amazonaws\.com/[0-9]{12}/[A-Za-z0-9_-]{1,80}$`)
	proxyID        = regexp.MustCompile(`^prx-[0-9a-f]{17}$`)
	endpointName   = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$`)
	sgID           = regexp.MustCompile(`^sg-[0-9a-f]{8,17}$`)
)

// ImageIsTag reports whether image is a tag of the layer's own api
// repository rather than a full image reference (nginx:1 is one: Docker
// Hub's).
func ImageIsTag(image string) bool { return imageTag.MatchString(image) }

// ECRRepositoryOf returns the account, region and repository of an image in
// an ECR private registry, and false for any other image.
func ECRRepositoryOf(image string) (account, region, repository string, ok bool) {
	m := ecrImage.FindStringSubmatch(image)
	if m == nil {
		return "", "", "", false
	}
	return m[1], m[2], m[3], true
}

// Default fills in what the claim left out.
func (s *ComputeSettings) Default() {
	if s.CPU == 0 {
		s.CPU = DefaultCPU
	}
	if s.Memory == 0 {
		s.Memory = DefaultMemory
	}
	if s.ContainerPort == 0 {
		s.ContainerPort = DefaultContainerPort
	}
	if s.HealthCheckPath == "" {
		s.HealthCheckPath = DefaultHealthCheckPath
	}
	if s.RateLimit == 0 {
		s.RateLimit = DefaultRateLimit
	}
}

// Validate checks the settings at p (spec.parameters for a Compute,
// spec.parameters.compute for a PaymentPlatform); region is the XR's.
func (s *ComputeSettings) Validate(p *field.Path, region string) field.ErrorList {
	var errs field.ErrorList
	if s.Image != "" {
		errs = append(errs, validateImage(p.Child("image"), s.Image)...)
	}
	if mem := aws.FargateMemory(s.CPU); mem == nil {
		errs = append(errs, field.NotSupported(p.Child("cpu"), s.CPU, ints(aws.FargateCPUs)))
	} else if !slices.Contains(mem, s.Memory) {
		errs = append(errs, field.Invalid(p.Child("memory"), s.Memory,
			fmt.Sprintf("Fargate runs %d CPU units with %d to %d MiB in steps of %d", s.CPU, mem[0], mem[len(mem)-1], step(mem))))
	}
	if s.ContainerPort < 1024 || s.ContainerPort > 65535 {
		errs = append(errs, field.Invalid(p.Child("containerPort"), s.ContainerPort, "must be 1024 to 65535: the container runs as a non-root user, which cannot bind a privileged port"))
	}
	if len(s.HealthCheckPath) > MaxHealthCheckPathLength || !healthPath.MatchString(s.HealthCheckPath) {
		errs = append(errs, field.Invalid(p.Child("healthCheckPath"), s.HealthCheckPath, fmt.Sprintf("must be a URL path starting with /, at most %d characters", MaxHealthCheckPathLength)))
	}
	if s.CertificateARN != "" {
		errs = append(errs, regional(p.Child("certificateArn"), s.CertificateARN, certificateARN, region,
			"must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)")...)
	}
	if s.RateLimit < MinRateLimit || s.RateLimit > MaxRateLimit {
		errs = append(errs, field.Invalid(p.Child("rateLimit"), s.RateLimit, fmt.Sprintf("must be %d to %d requests per five minutes (WAF's bounds)", MinRateLimit, MaxRateLimit)))
	}
	return errs
}

func validateImage(p *field.Path, image string) field.ErrorList {
	switch {
	case len(image) > MaxImageLength:
		return field.ErrorList{field.TooLong(p, image, MaxImageLength)}
	case !ImageIsTag(image) && !imageRef.MatchString(image):
		return field.ErrorList{field.Invalid(p, image, "must be a tag of the layer's api repository (letters, digits, _ . -, up to 128, not starting with . or -) or a full image reference [registry/]repository:tag or [registry/]repository@sha256:<digest>")}
	}
	return nil
}

// regional checks value against pattern, whose first group is a region,
// which must be region.
func regional(p *field.Path, value string, pattern *regexp.Regexp, region, rule string) field.ErrorList {
	m := pattern.FindStringSubmatch(value)
	switch {
	case len(value) > MaxARNLength || m == nil:
		return field.ErrorList{field.Invalid(p, value, rule)}
	case m[1] != region:
		return field.ErrorList{field.Invalid(p, value, fmt.Sprintf("is in %s; it must be in the XR's region, %s", m[1], region))}
	}
	return nil
}

func ints(v []int) []string {
	out := make([]string, 0, len(v))
	for _, n := range v {
		out = append(out, fmt.Sprint(n))
	}
	return out
}

func step(sizes []int) int {
	if len(sizes) < 2 {
		return 0
	}
	return sizes[1] - sizes[0]
}

// Default fills in what the XR left out.
func (s *ComputeSpec) Default() {
	if s.Region == "" {
		s.Region = DefaultRegion
	}
	if s.ConcurrentTransactions == 0 {
		s.ConcurrentTransactions = capacity.DefaultConcurrentTransactions
	}
	s.ComputeSettings.Default()
}

// Validate checks the parameters at p: what a tenant tunes, and what the claim
// copies from the other layers' status.
func (s *ComputeSpec) Validate(p *field.Path) field.ErrorList {
	errs := s.Common.Validate(p)
	if len(errs) == 0 {
		errs = validateComputeNames(p.Child("environmentSuffix"), s.EnvironmentSuffix)
	}
	errs = append(errs, ValidateAccountID(p.Child("accountId"), s.AccountID)...)
	errs = append(errs, ValidateConcurrentTransactions(p.Child("concurrentTransactions"), s.ConcurrentTransactions)...)
	if e := s.DatabaseEndpoint; e != "" && (len(e) > MaxEndpointLength || !endpointName.MatchString(e)) {
		errs = append(errs, field.Invalid(p.Child("databaseEndpoint"), e, "must be the RDS Proxy's DNS name (status.database.proxyEndpoint)"))
	}
	if id := s.ProxyResourceID; id != "" && !proxyID.MatchString(id) {
		errs = append(errs, field.Invalid(p.Child("proxyResourceId"), id, "must be the RDS Proxy's resource id, prx- and 17 hexadecimal digits (status.database.proxyResourceId)"))
	}
	if id := s.ClientSecurityGroupID; id != "" && !sgID.MatchString(id) {
		errs = append(errs, field.Invalid(p.Child("clientSecurityGroupId"), id, "must be a security group id, sg- and 8 or 17 hexadecimal digits (status.database.securityGroupIds.client-api)"))
	}
	errs = append(errs, s.validateQueue(p)...)
	return append(errs, s.ComputeSettings.Validate(p, s.Region)...)
}

// validateQueue: the queue's URL, ARN and key come together or not at all,
// since sending to the encrypted queue needs all three.
func (s *ComputeSpec) validateQueue(p *field.Path) field.ErrorList {
	if s.QueueURL == "" && s.QueueARN == "" && s.MessagingKeyARN == "" {
		return nil
	}
	var errs field.ErrorList
	check := func(name, v string, pattern *regexp.Regexp, rule string) {
		if v == "" {
			errs = append(errs, field.Required(p.Child(name), "queueUrl, queueArn and messagingKeyArn come together: the task role sends to the queue and encrypts with its key"))
			return
		}
		errs = append(errs, regional(p.Child(name), v, pattern, s.Region, rule)...)
	}
	check("queueUrl", s.QueueURL, queueURL, "must be an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>)")
	check("queueArn", s.QueueARN, queueARN, "must be an SQS queue ARN (arn:aws:sqs:<region>:<account>:<name>)")
	check("messagingKeyArn", s.MessagingKeyARN, keyARN, "must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)")
	return errs
}

// ComputeNames are the AWS names the service layer derives (SPEC ),
// for the claim's names table (Names) once it composes a Compute; a Compute
// checks them itself before composing.
func ComputeNames() []NameUse {
	var out []NameUse
	add := func(k naming.Kind, purposes ...string) {
		for _, p := range purposes {
			out = append(out, NameUse{Kind: k, Purpose: p, Zone: -1})
		}
	}
	add(naming.ECRRepository, "api", "worker")
	add(naming.ECSCluster, "payments")
	add(naming.ECSService, "api")
	add(naming.TaskFamily, "api")
	add(naming.LoadBalancer, "payments")
	add(naming.TargetGroup, "api")
	add(naming.ScalingPolicy, "api-cpu", "api-memory")
	add(naming.WebACL, "payments")
	add(naming.WAFRuleGroup, "payments")
	add(naming.WAFLogGroup, "alb")
	add(naming.LogGroup, "api")
	add(naming.IAMRole, "api-task", "api-exec")
	add(naming.SecurityGroup, "alb", "api-tasks")
	return out
}

// validateComputeNames reports the suffix at p when it makes a name of
// ComputeNames that AWS refuses for its length.
func validateComputeNames(p *field.Path, suffix string) field.ErrorList {
	for _, u := range ComputeNames() {
		if _, err := naming.Name(u.Kind, u.Purpose, suffix); err != nil {
			return field.ErrorList{field.Invalid(p, suffix, fmt.Sprintf("makes a name AWS refuses: %v", err))}
		}
	}
	return nil
}

// ComputeStatus is a Compute's status: where the API layer's private
// integration and the tenant reach the service, and its names.
type ComputeStatus struct {
	LoadBalancerARN     string `json:"loadBalancerArn,omitempty"`
	LoadBalancerDNSName string `json:"loadBalancerDnsName,omitempty"`
	HTTPSListenerARN    string `json:"httpsListenerArn,omitempty"`
	TargetGroupARN      string `json:"targetGroupArn,omitempty"`
	WebACLARN           string `json:"webAclArn,omitempty"`
	ClusterName         string `json:"clusterName,omitempty"`
	ServiceName         string `json:"serviceName,omitempty"`
	// RepositoryURLs maps each repository (api, worker) to the URL images are
	// pushed to.
	RepositoryURLs map[string]string `json:"repositoryUrls,omitempty"`
	// LogGroups maps each log group's use (api, waf, container-insights) to its name.
	LogGroups map[string]string `json:"logGroups,omitempty"`
	// MaxTasks is the auto-scaling maximum the capacity input gives.
	MaxTasks int `json:"maxTasks,omitempty"`
}
