package aws

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
)

// What AWS accepts of each managed resource kind the platform composes, or
// will compose (SPEC X-6, API-0.7): the name rules of the field or external
// name that names the resource in AWS, and the value rules the provider's CRDs
// cannot express (they type a log retention as a number, a tag as a string).
// One entry per kind in kinds below; each rule is a small func returning an
// error that says what the value breaks. Check runs a kind's entry over a
// rendered object; a kind with no entry is unknown, which the render tests
// treat as a failure, so a new layer brings its kinds' rules the day it lands.

// A Rule is one thing AWS demands of a managed resource.
type Rule struct {
	// Field is where the value sits, as path elements from the object's root
	// (spec, forProvider, name); none: Check reads the whole object and names
	// the fields itself.
	Field []string
	// What the value is, for the error when a Required field is missing.
	What string
	// Required: the resource breaks the rule when the field is absent (a name
	// AWS would otherwise make up, or the provider take from the Kubernetes
	// object's generated name).
	Required bool
	// Check returns what the value breaks, or nil when AWS accepts it.
	Check func(v any) error
}

// Paths of the fields rules read.
var (
	externalName = []string{"metadata", "annotations", meta.AnnotationKeyExternalName}
	forProvider  = []string{"spec", "forProvider"}
)

// param is the path of a parameter of spec.forProvider.
func param(name ...string) []string { return append(slices.Clone(forProvider), name...) }

// Rule constructors: the field that names the resource (in its external name,
// a parameter or its Name tag), an optional value, a whole-parameters rule.
func externalNamed(what string, check func(string) error) Rule {
	return Rule{Field: externalName, What: what, Required: true, Check: text(check)}
}

func named(what string, check func(string) error) Rule {
	return Rule{Field: param("name"), What: what, Required: true, Check: text(check)}
}

// nameTag: resources AWS gives only an id are named by their Name tag.
var nameTag = Rule{Field: param("tags", "Name"), What: "Name tag", Required: true, Check: text(NameTag)}

func optional(check func(any) error, name ...string) Rule {
	return Rule{Field: param(name...), Check: check}
}

// whole: a rule of several parameters, reading spec.forProvider.
func whole(check func(map[string]any) error) Rule {
	return Rule{Field: forProvider, Check: object(check)}
}

func object(check func(map[string]any) error) func(any) error {
	return func(v any) error {
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("is %T, not an object", v)
		}
		return check(m)
	}
}

// The provider's API groups (namespaced provider-upjet-aws kinds).
//
//nolint:gosec // G101 reads "secrets" in an API group's name as a credential.
const (
	groupAPIGateway     = "apigateway.aws.m.upbound.io"
	groupAPIGatewayV2   = "apigatewayv2.aws.m.upbound.io"
	groupCloudWatchLogs = "cloudwatchlogs.aws.m.upbound.io"
	groupEC2            = "ec2.aws.m.upbound.io"
	groupELBv2          = "elbv2.aws.m.upbound.io"
	groupIAM            = "iam.aws.m.upbound.io"
	groupKMS            = "kms.aws.m.upbound.io"
	groupLambda         = "lambda.aws.m.upbound.io"
	groupRDS            = "rds.aws.m.upbound.io"
	groupS3             = "s3.aws.m.upbound.io"
	groupSecretsManager = "secretsmanager.aws.m.upbound.io"
	groupSNS            = "sns.aws.m.upbound.io"
	groupSQS            = "sqs.aws.m.upbound.io"
	groupWAFv2          = "wafv2.aws.m.upbound.io"
)

// kinds maps Kind.group to the rules of that kind, beyond the ones every kind
// shares (region, tags). Where the provider takes the AWS name from the
// external name (its external-name config: NameAsIdentifier,
// ParameterAsIdentifier) the rule reads the annotation; where AWS makes up an
// id, the name parameter or the Name tag. An entry with no rule is a kind AWS
// gives no name and no value a CRD cannot check.
var kinds = map[string][]Rule{
	// EC2, network layer.
	"VPC." + groupEC2: {nameTag, optional(text(VPCCIDR), "cidrBlock")},
	"Subnet." + groupEC2: {nameTag, optional(text(SubnetCIDR), "cidrBlock"),
		whole(zoneOfRegion)},
	"InternetGateway." + groupEC2:       {nameTag},
	"RouteTable." + groupEC2:            {nameTag},
	"RouteTableAssociation." + groupEC2: {},
	"Route." + groupEC2:                 {optional(text(DestinationCIDR), "destinationCidrBlock")},
	"DefaultSecurityGroup." + groupEC2:  {nameTag},
	"SecurityGroup." + groupEC2: {named("security group name", SecurityGroupName),
		optional(text(SecurityGroupDescription), "description")},
	"SecurityGroupIngressRule." + groupEC2: {whole(securityGroupRule)},
	"SecurityGroupEgressRule." + groupEC2:  {whole(securityGroupRule)},
	"LaunchTemplate." + groupEC2: {named("launch template name", LaunchTemplateName),
		optional(text(LaunchTemplateDescription), "description"),
		optional(text(UserData), "userData"),
		optional(integer(MetadataHopLimit), "metadataOptions", "httpPutResponseHopLimit")},
	"Instance." + groupEC2:                            {nameTag},
	"FlowLog." + groupEC2:                             {nameTag, optional(integer(FlowLogAggregationInterval), "maxAggregationInterval")},
	"VPCEndpoint." + groupEC2:                         {nameTag, whole(endpointServiceInRegion)},
	"VPCEndpointRouteTableAssociation." + groupEC2:    {},
	"VPCEndpointSecurityGroupAssociation." + groupEC2: {},
	"VPCEndpointSubnetAssociation." + groupEC2:        {},

	// Keys.
	"Key." + groupKMS: {nameTag,
		optional(integer(KMSDeletionWindowDays), "deletionWindowInDays"),
		optional(integer(KMSRotationPeriodDays), "rotationPeriodInDays"),
		optional(text(KMSKeyPolicy), "policy")},
	"Alias." + groupKMS: {externalNamed("alias name", KMSAliasName)},

	// IAM.
	"Role." + groupIAM: {externalNamed("role name", IAMRoleName),
		optional(text(IAMPath), "path"),
		optional(text(IAMTrustPolicy), "assumeRolePolicy"),
		optional(inlinePolicies, "inlinePolicy")},
	"InstanceProfile." + groupIAM: {externalNamed("instance profile name", IAMInstanceProfileName),
		optional(text(IAMPath), "path")},
	"RolePolicyAttachment." + groupIAM: {optional(text(IAMPolicyARN), "policyArn")},

	// CloudWatch Logs.
	"Group." + groupCloudWatchLogs: {externalNamed("log group name", LogGroupName),
		optional(integer(LogRetentionDays), "retentionInDays")},

	// RDS, database layer.
	"Cluster." + groupRDS: {externalNamed("cluster identifier", DBClusterIdentifier),
		optional(integer(AuroraBackupRetentionDays), "backupRetentionPeriod"),
		optional(text(DBSnapshotIdentifier), "finalSnapshotIdentifier"),
		optional(text(BackupWindow), "preferredBackupWindow"),
		optional(integer(AuroraPort), "port"),
		whole(auroraEngine)},
	"ClusterInstance." + groupRDS: {externalNamed("instance identifier", DBInstanceIdentifier),
		optional(text(AuroraInstanceClass), "instanceClass"),
		optional(integer(PerformanceInsightsRetentionDays), "performanceInsightsRetentionPeriod"),
		optional(integer(PromotionTier), "promotionTier"),
		whole(zoneOfRegion)},
	"ClusterParameterGroup." + groupRDS: {externalNamed("cluster parameter group name", DBClusterParameterGroupName)},
	"SubnetGroup." + groupRDS:           {externalNamed("subnet group name", DBSubnetGroupName)},
	"Proxy." + groupRDS: {externalNamed("proxy name", DBProxyName),
		optional(integer(ProxyIdleClientTimeout), "idleClientTimeout")},
	"ProxyEndpoint." + groupRDS:           {externalNamed("proxy endpoint name", DBProxyEndpointName)},
	"ProxyDefaultTargetGroup." + groupRDS: {optional(connectionPool, "connectionPoolConfig")},
	"ProxyTarget." + groupRDS:             {optional(text(DBClusterIdentifier), "dbClusterIdentifier")},

	// Secrets Manager.
	"Secret." + groupSecretsManager: {named("secret name", SecretName),
		optional(integer(SecretRecoveryWindowDays), "recoveryWindowInDays")},
	"SecretRotation." + groupSecretsManager: {optional(integer(RotationDays), "rotationRules", "automaticallyAfterDays")},

	// The service layer: ECR, ECS, listeners, auto-scaling, WAF (its LB,
	// target group, web ACL and logging are below).
	"Repository." + groupECR:        {externalNamed("repository name", ECRRepositoryName)},
	"LifecyclePolicy." + groupECR:   {optional(text(ECRLifecyclePolicy), "policy")},
	"Cluster." + groupECS:           {externalNamed("cluster name", ECSName)},
	"Service." + groupECS:           {externalNamed("service name", ECSName)},
	"TaskDefinition." + groupECS:    {whole(taskDefinition)},
	"LBListener." + groupELBv2:      {whole(listener)},
	"Target." + groupAppAutoscaling: {whole(scalableTarget)},
	"Policy." + groupAppAutoscaling: {externalNamed("scaling policy name", ScalingPolicyName)},
	"RuleGroup." + groupWAFv2: {named("rule group name", WAFName),
		optional(integer(WAFCapacity), "capacity"), optional(text(WAFRules), "ruleJson")},
	"WebACLAssociation." + groupWAFv2: {optional(text(WAFAssociableARN), "resourceArn")},

	// The layers to come: documents, service, messaging, edge.
	"Bucket." + groupS3:                 {externalNamed("bucket name", S3BucketName)},
	"LB." + groupELBv2:                  {named("load balancer name", LoadBalancerName)},
	"LBTargetGroup." + groupELBv2:       {named("target group name", TargetGroupName)},
	"Function." + groupLambda:           {externalNamed("function name", LambdaFunctionName), whole(lambdaFunction)},
	"EventSourceMapping." + groupLambda: {whole(eventSourceMapping)},
	"Queue." + groupSQS: {whole(queue),
		optional(integer(SQSVisibilityTimeout), "visibilityTimeoutSeconds"),
		optional(integer(SQSMessageRetention), "messageRetentionSeconds"),
		optional(integer(SQSReceiveWait), "receiveWaitTimeSeconds"),
		optional(integer(SQSDataKeyReuse), "kmsDataKeyReusePeriodSeconds"),
		optional(text(SQSRedrivePolicy), "redrivePolicy"),
		optional(text(SQSRedriveAllowPolicy), "redriveAllowPolicy")},
	"Topic." + groupSNS:                        {{Check: object(topic)}},
	"WebACL." + groupWAFv2:                     {named("web ACL name", WAFName), optional(text(WAFRules), "ruleJson")},
	"WebACLLoggingConfiguration." + groupWAFv2: {optional(each(WAFLogDestination), "logDestinationConfigs")},

	// API Gateway and its truststore bucket, API layer.
	"RestAPI." + groupAPIGateway:  {named("REST API name", APIGatewayName), optional(each(RestAPIEndpointTypes), "endpointConfiguration", "types")},
	"Resource." + groupAPIGateway: {optional(text(APIResourcePathPart), "pathPart")},
	"Method." + groupAPIGateway:   {optional(text(HTTPMethod), "httpMethod")},
	"Integration." + groupAPIGateway: {optional(integer(IntegrationTimeoutMillis), "timeoutMilliseconds"),
		optional(text(HTTPMethod), "integrationHttpMethod")},
	"Deployment." + groupAPIGateway: {},
	"Stage." + groupAPIGateway: {{Field: param("stageName"), What: "stage name", Required: true, Check: text(APIStageName)},
		optional(text(APIAccessLogDestination), "accessLogSettings", "destinationArn")},
	"MethodSettings." + groupAPIGateway: {optional(object(methodSettings), "settings")},
	"DomainName." + groupAPIGateway: {{Field: param("domainName"), What: "domain name", Required: true, Check: text(APIDomainName)},
		optional(text(APISecurityPolicy), "securityPolicy"),
		optional(text(TruststoreURI), "mutualTlsAuthentication", "truststoreUri")},
	"BasePathMapping." + groupAPIGateway:                 {},
	"UsagePlan." + groupAPIGateway:                       {named("usage plan name", APIGatewayName), whole(usagePlan)},
	"APIKey." + groupAPIGateway:                          {named("API key name", APIGatewayName)},
	"UsagePlanKey." + groupAPIGateway:                    {},
	"VPCLink." + groupAPIGatewayV2:                       {named("VPC link name", VPCLinkName)},
	"BucketVersioning." + groupS3:                        {},
	"BucketServerSideEncryptionConfiguration." + groupS3: {},
	"BucketPublicAccessBlock." + groupS3:                 {},
	"BucketOwnershipControls." + groupS3:                 {},
	"BucketPolicy." + groupS3:                            {optional(text(S3BucketPolicy), "policy")},
	"Object." + groupS3:                                  {optional(text(S3ObjectKey), "key")},

	// The documents layer's buckets (their other kinds are above).
	"BucketLifecycleConfiguration." + groupS3:   {whole(lifecycle)},
	"BucketReplicationConfiguration." + groupS3: {whole(replication)},
	"BucketLogging." + groupS3:                  {optional(text(S3ObjectKey), "targetPrefix")},

	// The observability layer: the alarm topic's policy and subscriptions
	// (the topic is above), the dashboard and the alarms.
	"TopicPolicy." + groupSNS:       {optional(text(SNSTopicPolicy), "policy")},
	"TopicSubscription." + groupSNS: {whole(subscription)},
	"Dashboard." + groupCloudWatch: {externalNamed("dashboard name", DashboardName),
		optional(text(DashboardBody), "dashboardBody")},
	"MetricAlarm." + groupCloudWatch: {externalNamed("alarm name", MetricAlarmName),
		optional(text(MetricAlarmDescription), "alarmDescription"), whole(metricAlarm)},
}

// shared are the rules of every kind: a region AWS has, tags AWS accepts.
var shared = []Rule{
	optional(text(Region), "region"),
	optional(tags, "tags"),
}

// Kinds returns the kinds the table has rules for, as Kind.group, sorted.
func Kinds() []string { return slices.Sorted(maps.Keys(kinds)) }

// Check returns every rule of AWS the managed resource obj of the given API
// group and kind breaks, each error naming the field; known is false when the
// table has no entry for the kind.
func Check(group, kind string, obj map[string]any) (errs []error, known bool) {
	rules, known := kinds[kind+"."+group]
	if !known {
		return nil, false
	}
	for _, r := range append(slices.Clone(shared), rules...) {
		v, ok := lookup(obj, r.Field)
		switch {
		case !ok && r.Required:
			errs = append(errs, fmt.Errorf("%s: no %s: the provider or AWS would name the %s, not the platform", path(r.Field), r.What, kind))
		case ok:
			if err := r.Check(v); err != nil {
				if len(r.Field) > 0 {
					err = fmt.Errorf("%s: %w", path(r.Field), err)
				}
				errs = append(errs, err)
			}
		}
	}
	return errs, true
}

func lookup(obj map[string]any, field []string) (any, bool) {
	var v any = obj
	for _, f := range field {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[f]; !ok {
			return nil, false
		}
	}
	return v, v != nil
}

// path writes a field as kubectl does: dots, and brackets around a key that
// holds one (metadata.annotations[crossplane.io/external-name]).
func path(field []string) string {
	var b strings.Builder
	for i, f := range field {
		switch {
		case strings.ContainsAny(f, "./"):
			b.WriteString("[" + f + "]")
		case i > 0:
			b.WriteString("." + f)
		default:
			b.WriteString(f)
		}
	}
	return b.String()
}

// Adapters from the values of a decoded object to the typed rules.
func text(check func(string) error) func(any) error {
	return func(v any) error {
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("is %T, not a string", v)
		}
		return check(s)
	}
}

func integer(check func(int64) error) func(any) error {
	return func(v any) error {
		n, ok := wholeNumber(v)
		if !ok {
			return fmt.Errorf("%v is not a whole number", v)
		}
		return check(n)
	}
}

func each(check func(string) error) func(any) error {
	return func(v any) error {
		l, ok := v.([]any)
		if !ok {
			return fmt.Errorf("is %T, not a list", v)
		}
		var errs []error
		for i, e := range l {
			if err := text(check)(e); err != nil {
				errs = append(errs, fmt.Errorf("[%d]: %w", i, err))
			}
		}
		return errors.Join(errs...)
	}
}

// wholeNumber reads a number as JSON (float64) or Go (int, int64) decodes it.
func wholeNumber(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case float64:
		return int64(n), n == float64(int64(n))
	}
	return 0, false
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

// Name rules, one per kind of AWS name.

var (
	securityGroupChars  = regexp.MustCompile(`^[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]*$`)
	launchTemplateChars = regexp.MustCompile(`^[a-zA-Z0-9().\-/_]*$`)
	iamChars            = regexp.MustCompile(`^[\w+=,.@-]*$`)
	iamPath             = regexp.MustCompile(`^(/|/[\x21-\x7e]+/)$`)
	aliasChars          = regexp.MustCompile(`^[a-zA-Z0-9/_-]*$`)
	rdsIdentifierChars  = regexp.MustCompile(`^[a-z0-9-]*$`)
	subnetGroupChars    = regexp.MustCompile(`^[a-z0-9 ._-]*$`)
	proxyChars          = regexp.MustCompile(`^[a-zA-Z0-9-]*$`)
	secretChars         = regexp.MustCompile(`^[\w/+=.@-]*$`)
	secretARNLike       = regexp.MustCompile(`-[a-zA-Z0-9]{6}$`)
	logGroupChars       = regexp.MustCompile(`^[.\-_/#A-Za-z0-9]*$`)
	bucketChars         = regexp.MustCompile(`^[a-z0-9.-]*$`)
	albChars            = regexp.MustCompile(`^[a-zA-Z0-9-]*$`)
	lambdaChars         = regexp.MustCompile(`^[a-zA-Z0-9_-]*$`)
	queueChars          = regexp.MustCompile(`^[a-zA-Z0-9_-]*$`)
	wafChars            = regexp.MustCompile(`^[\w-]*$`)
	tagChars            = regexp.MustCompile(TagPattern)
)

// name checks what every name rule has: a length in characters and a
// character set (described in allowed).
func name(what, s string, minLen, maxLen int, chars *regexp.Regexp, allowed string) error {
	if n := utf8.RuneCountInString(s); n < minLen || n > maxLen {
		return fmt.Errorf("%s %q is %d characters; AWS allows %d to %d", what, s, n, minLen, maxLen)
	}
	if !chars.MatchString(s) {
		return fmt.Errorf("%s %q holds a character AWS does not allow (only %s)", what, s, allowed)
	}
	return nil
}

// SecurityGroupName is AWS's rule: up to 255 characters of a-z, A-Z, 0-9, spaces and
// ._-:/()#,@[]+=&;{}!$*, not starting with sg- (the prefix of group ids).
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
func SecurityGroupName(s string) error {
	if err := name("security group name", s, 1, 255, securityGroupChars, "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*"); err != nil {
		return err
	}
	if strings.HasPrefix(strings.ToLower(s), "sg-") {
		return fmt.Errorf("security group name %q starts with sg-, which EC2 reserves for security group ids", s)
	}
	return nil
}

// SecurityGroupDescription is AWS's rule: a security group's or rule's description, up to
// 255 characters of the same set as its name.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html
func SecurityGroupDescription(s string) error {
	return name("security group description", s, 0, 255, securityGroupChars, "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*")
}

// LaunchTemplateName is AWS's rule: 3 to 128 characters of a-z, A-Z, 0-9, ( ) . - / _.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html
func LaunchTemplateName(s string) error {
	return name("launch template name", s, 3, 128, launchTemplateChars, "letters, digits and ( ) . - / _")
}

// LaunchTemplateDescription is AWS's rule: a version description, up to 255 characters.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html
func LaunchTemplateDescription(s string) error {
	if n := utf8.RuneCountInString(s); n > 255 {
		return fmt.Errorf("launch template description is %d characters; AWS allows 255", n)
	}
	return nil
}

// NameTag is AWS's rule: the Name tag that names a resource AWS knows by an id only (VPC,
// subnet, instance, key…): a tag value AWS accepts, not empty.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html
func NameTag(s string) error {
	if s == "" {
		return errors.New("the Name tag is empty")
	}
	return tagValue("Name", s)
}

// IAMRoleName is AWS's rule: 1 to 64 characters of letters, digits and +=,.@_-.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
func IAMRoleName(s string) error {
	return name("IAM role name", s, 1, 64, iamChars, "letters, digits and +=,.@_-")
}

// IAMInstanceProfileName is AWS's rule: 1 to 128 characters of letters,
// digits and +=,.@_-.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html
func IAMInstanceProfileName(s string) error {
	return name("instance profile name", s, 1, 128, iamChars, "letters, digits and +=,.@_-")
}

var policyARN = regexp.MustCompile(`^arn:aws:iam::(aws|[0-9]{12}):policy/([\x21-\x7e]*/)?[\w+=,.@-]{1,128}$`)

// IAMPolicyARN is AWS's rule: a managed policy's ARN, AWS's (account aws) or
// an account's, with its optional path and a name of 1 to 128 characters of
// letters, digits and +=,.@_-.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
func IAMPolicyARN(s string) error {
	if !policyARN.MatchString(s) {
		return fmt.Errorf("policy ARN %q is not arn:aws:iam::<aws or account>:policy/<path><name>", s)
	}
	return nil
}

// IAMPath is AWS's rule: / alone, or / … / around printable ASCII, up to 512 characters.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
func IAMPath(s string) error {
	if len(s) > 512 || !iamPath.MatchString(s) {
		return fmt.Errorf("IAM path %q must be / or start and end with / around printable ASCII, at most 512 characters", s)
	}
	return nil
}

// KMSAliasName is AWS's rule: alias/ then letters, digits, / _ -, 1 to 256 characters in
// all, not alias/aws/ (AWS managed keys' aliases).
// https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html
func KMSAliasName(s string) error {
	if err := name("KMS alias", s, 1, 256, aliasChars, "letters, digits and / _ -"); err != nil {
		return err
	}
	rest, ok := strings.CutPrefix(s, "alias/")
	switch {
	case !ok || rest == "":
		return fmt.Errorf("KMS alias %q must start with alias/ and name something after it", s)
	case strings.HasPrefix(rest, "aws/"):
		return fmt.Errorf("KMS alias %q starts with alias/aws/, which AWS reserves for AWS managed keys", s)
	}
	return nil
}

// rdsIdentifier: RDS's identifier rule: letters, digits and hyphens, starting
// with a letter, not ending with a hyphen or holding two in a row. RDS keeps
// identifiers in lowercase and the provider's Terraform schema refuses
// uppercase, so lowercase only.
func rdsIdentifier(what, s string, maxLen int) error {
	if err := name(what, s, 1, maxLen, rdsIdentifierChars, "lowercase letters, digits and hyphens"); err != nil {
		return err
	}
	return identifierShape(what, s)
}

func identifierShape(what, s string) error {
	switch c := s[0] | 0x20; {
	case c < 'a' || c > 'z':
		return fmt.Errorf("%s %q must start with a letter", what, s)
	case strings.HasSuffix(s, "-"):
		return fmt.Errorf("%s %q must not end with a hyphen", what, s)
	case strings.Contains(s, "--"):
		return fmt.Errorf("%s %q must not hold two hyphens in a row", what, s)
	}
	return nil
}

// DBClusterIdentifier is AWS's rule: 1 to 63 characters, RDS's identifier rule.
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html
func DBClusterIdentifier(s string) error { return rdsIdentifier("DB cluster identifier", s, 63) }

// DBInstanceIdentifier is AWS's rule: 1 to 63 characters, RDS's identifier rule.
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
func DBInstanceIdentifier(s string) error { return rdsIdentifier("DB instance identifier", s, 63) }

// DBSnapshotIdentifier is AWS's rule: a final snapshot's name, 1 to 255 characters, RDS's
// identifier rule.
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBCluster.html
func DBSnapshotIdentifier(s string) error { return rdsIdentifier("DB snapshot identifier", s, 255) }

// DBClusterParameterGroupName is AWS's rule: 1 to 255 characters, RDS's identifier rule.
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBClusterParameterGroup.html
func DBClusterParameterGroupName(s string) error {
	return rdsIdentifier("DB cluster parameter group name", s, 255)
}

// DBSubnetGroupName is AWS's rule: up to 255 lowercase letters, digits, periods,
// underscores, spaces and hyphens (RDS stores it lowercase), not "default".
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html
func DBSubnetGroupName(s string) error {
	if err := name("DB subnet group name", s, 1, 255, subnetGroupChars, "lowercase letters, digits, spaces and . _ -"); err != nil {
		return err
	}
	if s == "default" {
		return errors.New(`DB subnet group name "default" is reserved`)
	}
	return nil
}

// DBProxyName is AWS's rule: 1 to 60 ASCII letters, digits and hyphens, starting with a
// letter, not ending with a hyphen or holding two in a row.
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBProxy.html
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-creating.html
func DBProxyName(s string) error {
	if err := name("DB proxy name", s, 1, 60, proxyChars, "letters, digits and hyphens"); err != nil {
		return err
	}
	return identifierShape("DB proxy name", s)
}

// DBProxyEndpointName is AWS's rule: a proxy endpoint's name, the proxy's rule.
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBProxyEndpoint.html
func DBProxyEndpointName(s string) error {
	if err := name("DB proxy endpoint name", s, 1, 60, proxyChars, "letters, digits and hyphens"); err != nil {
		return err
	}
	return identifierShape("DB proxy endpoint name", s)
}

// SecretName is AWS's rule: 1 to 512 ASCII letters, digits and /_+=.@-, not ending with a
// hyphen and six characters, which Secrets Manager confuses with the random
// suffix of a secret's ARN when it looks a secret up by partial ARN.
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html
func SecretName(s string) error {
	if err := name("secret name", s, 1, 512, secretChars, "letters, digits and /_+=.@-"); err != nil {
		return err
	}
	if secretARNLike.MatchString(s) {
		return fmt.Errorf("secret name %q ends with a hyphen and six characters, which AWS says not to do: it reads as the random suffix of a secret ARN", s)
	}
	return nil
}

// LogGroupName is AWS's rule: 1 to 512 characters of a-z, A-Z, 0-9, _ - / . #, not starting
// with aws/.
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
func LogGroupName(s string) error {
	if err := name("log group name", s, 1, 512, logGroupChars, "letters, digits and _ - / . #"); err != nil {
		return err
	}
	if strings.HasPrefix(s, "aws/") {
		return fmt.Errorf("log group name %q starts with aws/, which AWS reserves", s)
	}
	return nil
}

// S3BucketName is AWS's rule: 3 to 63 lowercase letters, digits, dots and hyphens, starting
// and ending with a letter or digit, no two dots in a row, not an IP address,
// none of the prefixes and suffixes S3 reserves.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
func S3BucketName(s string) error {
	if err := name("S3 bucket name", s, 3, 63, bucketChars, "lowercase letters, digits, dots and hyphens"); err != nil {
		return err
	}
	if !alnum(s[0]) || !alnum(s[len(s)-1]) {
		return fmt.Errorf("S3 bucket name %q must start and end with a letter or digit", s)
	}
	if strings.Contains(s, "..") {
		return fmt.Errorf("S3 bucket name %q holds two dots in a row", s)
	}
	if _, err := netip.ParseAddr(s); err == nil {
		return fmt.Errorf("S3 bucket name %q is an IP address", s)
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(s, p) {
			return fmt.Errorf("S3 bucket name %q starts with %s, which S3 reserves", s, p)
		}
	}
	for _, x := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(s, x) {
			return fmt.Errorf("S3 bucket name %q ends with %s, which S3 reserves", s, x)
		}
	}
	return nil
}

func alnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// LoadBalancerName is AWS's rule: up to 32 letters, digits and hyphens, not starting or
// ending with a hyphen, not starting with internal-.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
func LoadBalancerName(s string) error {
	if err := hyphenated("load balancer name", s); err != nil {
		return err
	}
	if strings.HasPrefix(s, "internal-") {
		return fmt.Errorf("load balancer name %q starts with internal-, which ELB reserves", s)
	}
	return nil
}

// TargetGroupName is AWS's rule: up to 32 letters, digits and hyphens, not starting or
// ending with a hyphen.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
func TargetGroupName(s string) error { return hyphenated("target group name", s) }

func hyphenated(what, s string) error {
	if err := name(what, s, 1, 32, albChars, "letters, digits and hyphens"); err != nil {
		return err
	}
	if strings.HasPrefix(s, "-") || strings.HasSuffix(s, "-") {
		return fmt.Errorf("%s %q must not start or end with a hyphen", what, s)
	}
	return nil
}

// LambdaFunctionName is AWS's rule: 1 to 64 letters, digits, hyphens and underscores.
// https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html
func LambdaFunctionName(s string) error {
	return name("Lambda function name", s, 1, 64, lambdaChars, "letters, digits, - and _")
}

// SQSQueueName is AWS's rule: up to 80 letters, digits, hyphens and underscores; a FIFO
// queue's name ends with .fifo (within the 80), a standard queue's does not.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
func SQSQueueName(s string, fifo bool) error {
	return fifoName("SQS queue name", s, 80, fifo)
}

// SNSTopicName is AWS's rule: up to 256 letters, digits, hyphens and underscores; a FIFO
// topic's name ends with .fifo, a standard topic's does not.
// https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html
func SNSTopicName(s string, fifo bool) error {
	return fifoName("SNS topic name", s, 256, fifo)
}

func fifoName(what, s string, maxLen int, fifo bool) error {
	base, isFIFO := strings.CutSuffix(s, ".fifo")
	if isFIFO != fifo {
		return fmt.Errorf("%s %q: only a FIFO one ends with .fifo, and a FIFO one must (FIFO %v)", what, s, fifo)
	}
	if utf8.RuneCountInString(s) > maxLen {
		return fmt.Errorf("%s %q is %d characters; AWS allows %d", what, s, utf8.RuneCountInString(s), maxLen)
	}
	return name(what, base, 1, maxLen, queueChars, "letters, digits, - and _, then .fifo for FIFO")
}

// queue reads a Queue's name and FIFO switch.
func queue(m map[string]any) error {
	n, ok := m["name"].(string)
	if !ok {
		return errors.New("no name: AWS would make one up")
	}
	fifo, _ := m["fifoQueue"].(bool)
	return SQSQueueName(n, fifo)
}

// topic reads a Topic's name (its external name) and FIFO switch.
func topic(obj map[string]any) error {
	v, _ := lookup(obj, externalName)
	n, ok := v.(string)
	if !ok {
		return fmt.Errorf("%s: no topic name: the provider would name the topic after its Kubernetes object", path(externalName))
	}
	f, _ := lookup(obj, param("fifoTopic"))
	fifo, _ := f.(bool)
	if err := SNSTopicName(n, fifo); err != nil {
		return fmt.Errorf("%s: %w", path(externalName), err)
	}
	return nil
}

// WAFName is AWS's rule: a web ACL's or rule group's name, 1 to 128 letters, digits,
// hyphens and underscores.
// https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html
func WAFName(s string) error {
	return name("WAF name", s, 1, 128, wafChars, "letters, digits, - and _")
}

// WAFLogDestination is AWS's rule: WAF logs only to a log group, Firehose stream or bucket
// whose name starts with aws-waf-logs-.
// https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html
func WAFLogDestination(arn string) error {
	res := arn[strings.LastIndexAny(arn, ":/")+1:]
	if i := strings.Index(arn, ":log-group:"); i >= 0 {
		res, _, _ = strings.Cut(arn[i+len(":log-group:"):], ":")
	}
	if !strings.HasPrefix(res, "aws-waf-logs-") {
		return fmt.Errorf("WAF log destination %q: its name %q must start with aws-waf-logs-", arn, res)
	}
	return nil
}

// Value rules the CRDs cannot express.

// logRetentionDays are the retentions CloudWatch Logs accepts. 2557 is seven
// years; 2555 is not a value.
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
var logRetentionDays = []int64{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// LogRetentionDays is AWS's rule: one of CloudWatch Logs' fixed retentions.
func LogRetentionDays(n int64) error {
	if !slices.Contains(logRetentionDays, n) {
		return fmt.Errorf("log retention %d days is not one CloudWatch Logs accepts (%v)", n, logRetentionDays)
	}
	return nil
}

func between(what string, n, lo, hi int64) error {
	if n < lo || n > hi {
		return fmt.Errorf("%s %d is outside %d to %d", what, n, lo, hi)
	}
	return nil
}

// KMSDeletionWindowDays is AWS's rule: 7 to 30 days.
// https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html
func KMSDeletionWindowDays(n int64) error { return between("KMS deletion window (days)", n, 7, 30) }

// KMSRotationPeriodDays is AWS's rule: 90 to 2560 days.
// https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html
func KMSRotationPeriodDays(n int64) error { return between("KMS rotation period (days)", n, 90, 2560) }

// KMSKeyPolicy is AWS's rule: a JSON document of at most 32 KB.
// https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html
func KMSKeyPolicy(s string) error { return policy("KMS key policy", s, len(s), 32768) }

// IAMTrustPolicy is AWS's rule: a role's trust policy, at most 2,048 characters not
// counting white space (the default quota).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
func IAMTrustPolicy(s string) error { return policy("role trust policy", s, dense(s), 2048) }

// IAMInlinePolicies is AWS's rule: a role's inline policies, named 1 to 128 of [\w+=,.@-],
// at most 10,240 characters together not counting white space.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html
func IAMInlinePolicies(policies map[string]string) error {
	total := 0
	for _, n := range slices.Sorted(maps.Keys(policies)) {
		if err := name("inline policy name", n, 1, 128, iamChars, "letters, digits and +=,.@_-"); err != nil {
			return err
		}
		if !json.Valid([]byte(policies[n])) {
			return fmt.Errorf("inline policy %s is not JSON", n)
		}
		total += dense(policies[n])
	}
	if total > 10240 {
		return fmt.Errorf("inline policies are %d characters together; IAM allows 10240 per role", total)
	}
	return nil
}

func inlinePolicies(v any) error {
	l, ok := v.([]any)
	if !ok {
		return fmt.Errorf("is %T, not a list", v)
	}
	m := map[string]string{}
	for _, e := range l {
		p, _ := e.(map[string]any)
		m[str(p, "name")] = str(p, "policy")
	}
	return IAMInlinePolicies(m)
}

func policy(what, s string, size, maxSize int) error {
	if !json.Valid([]byte(s)) {
		return fmt.Errorf("%s is not JSON", what)
	}
	if size > maxSize {
		return fmt.Errorf("%s is %d characters; AWS allows %d", what, size, maxSize)
	}
	return nil
}

// dense counts what IAM counts of a policy: its characters but white space.
func dense(s string) int {
	return utf8.RuneCountInString(strings.Join(strings.Fields(s), ""))
}

// AuroraBackupRetentionDays is AWS's rule: 1 to 35 days.
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html
func AuroraBackupRetentionDays(n int64) error {
	return between("backup retention (days)", n, 1, 35)
}

// AuroraPort is AWS's rule: 1150 to 65535.
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html
func AuroraPort(n int64) error { return between("Aurora port", n, 1150, 65535) }

var backupWindow = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-3]):([0-5][0-9])$`)

// BackupWindow is AWS's rule: hh24:mi-hh24:mi in UTC, at least 30 minutes.
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html
func BackupWindow(s string) error {
	m := backupWindow.FindStringSubmatch(s)
	if m == nil {
		return fmt.Errorf("backup window %q is not hh24:mi-hh24:mi", s)
	}
	if d := (minutes(m[3], m[4]) - minutes(m[1], m[2]) + 24*60) % (24 * 60); d < 30 {
		return fmt.Errorf("backup window %q is %d minutes; RDS wants at least 30", s, d)
	}
	return nil
}

// minutes reads hh and mm the backup window pattern matched.
func minutes(hh, mm string) int {
	h, _ := strconv.Atoi(hh)
	m, _ := strconv.Atoi(mm)
	return h*60 + m
}

// auroraEngine: an Aurora PostgreSQL version of the list.
// https://docs.aws.amazon.com/AmazonRDS/latest/AuroraPostgreSQLReleaseNotes/AuroraPostgreSQL.Updates.html
func auroraEngine(m map[string]any) error {
	if e := str(m, "engine"); e != "aurora-postgresql" {
		return fmt.Errorf("engine %q: the platform's clusters are aurora-postgresql", e)
	}
	if v := str(m, "engineVersion"); !IsAuroraPostgreSQLVersion(v) {
		return fmt.Errorf("engineVersion %q is not an Aurora PostgreSQL version AWS released (%v)", v, auroraPostgreSQLVersions)
	}
	return nil
}

// AuroraInstanceClass is AWS's rule: an Aurora instance class the platform admits.
// https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.DBInstanceClass.SupportAurora.html
func AuroraInstanceClass(s string) error {
	if _, ok := auroraMaxConnections[s]; !ok {
		return fmt.Errorf("instance class %q is not one of %v", s, AuroraInstanceClasses())
	}
	return nil
}

// PerformanceInsightsRetentionDays is AWS's rule: 7, a multiple of 31 up to 23 × 31, or 731.
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
func PerformanceInsightsRetentionDays(n int64) error {
	if n == 7 || n == 731 || n > 0 && n <= 23*31 && n%31 == 0 {
		return nil
	}
	return fmt.Errorf("the Performance Insights retention %d days is not 7, a month (31 × 1…23) or 731", n)
}

// PromotionTier is AWS's rule: 0 to 15.
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
func PromotionTier(n int64) error { return between("promotion tier", n, 0, 15) }

// ProxyIdleClientTimeout is AWS's rule: 1 second to 8 hours.
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBProxy.html
func ProxyIdleClientTimeout(n int64) error {
	return between("proxy idle client timeout (s)", n, 1, 28800)
}

// ConnectionPool is AWS's rule: max connections 1 to 100 %, idle 0 to max, borrow timeout 0
// to 3600 s.
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ConnectionPoolConfiguration.html
func ConnectionPool(maxPercent, idlePercent, borrowSeconds int64) error {
	return errors.Join(between("maxConnectionsPercent", maxPercent, 1, 100),
		between("maxIdleConnectionsPercent", idlePercent, 0, maxPercent),
		between("connectionBorrowTimeout", borrowSeconds, 0, 3600))
}

// connectionPool reads a connectionPoolConfig; AWS's defaults stand for what
// is not set (100, 50, 120).
func connectionPool(v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("is %T, not an object", v)
	}
	get := func(k string, def int64) int64 {
		if n, ok := wholeNumber(m[k]); ok {
			return n
		}
		return def
	}
	return ConnectionPool(get("maxConnectionsPercent", 100), get("maxIdleConnectionsPercent", 50), get("connectionBorrowTimeout", 120))
}

// SecretRecoveryWindowDays is AWS's rule: 0 (delete at once) or 7 to 30 days.
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html
func SecretRecoveryWindowDays(n int64) error {
	if n == 0 {
		return nil
	}
	return between("secret recovery window (days)", n, 7, 30)
}

// RotationDays is AWS's rule: a rotation schedule of 1 to 1000 days.
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotationRulesType.html
func RotationDays(n int64) error { return between("rotation interval (days)", n, 1, 1000) }

// FlowLogAggregationInterval is AWS's rule: 60 or 600 seconds.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html
func FlowLogAggregationInterval(n int64) error {
	if n != 60 && n != 600 {
		return fmt.Errorf("flow log aggregation interval %d s is neither 60 nor 600", n)
	}
	return nil
}

// MetadataHopLimit is AWS's rule: 1 to 64.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchTemplateInstanceMetadataOptionsRequest.html
func MetadataHopLimit(n int64) error { return between("metadata hop limit", n, 1, 64) }

// UserData is AWS's rule: base64 of at most 16 KB of user data.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html
func UserData(s string) error {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return fmt.Errorf("user data is not base64: %w", err)
	}
	if len(b) > 16*1024 {
		return fmt.Errorf("user data is %d bytes; EC2 allows 16 KB", len(b))
	}
	return nil
}

// Region is AWS's rule: a region of the list.
func Region(s string) error {
	if !IsRegion(s) {
		return fmt.Errorf("region %q is not a commercial AWS region of the list", s)
	}
	return nil
}

// zoneOfRegion: a resource's availabilityZone is a zone of its region.
func zoneOfRegion(m map[string]any) error {
	z, ok := m["availabilityZone"].(string)
	if ok && !IsZoneOf(str(m, "region"), z) {
		return fmt.Errorf("availabilityZone %q is not a zone of region %q", z, str(m, "region"))
	}
	return nil
}

// endpointServiceInRegion: an AWS service endpoint's name is
// com.amazonaws.<the endpoint's region>.<service>.
// https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html
func endpointServiceInRegion(m map[string]any) error {
	s, region := str(m, "serviceName"), str(m, "region")
	svc, ok := strings.CutPrefix(s, "com.amazonaws."+region+".")
	if !ok || svc == "" {
		return fmt.Errorf("serviceName %q is not com.amazonaws.%s.<service>", s, region)
	}
	return nil
}

// reservedVPCRanges are the ranges AWS refuses for a VPC: this network,
// loopback, link-local, multicast and the reserved class E.
// https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
var reservedVPCRanges = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("224.0.0.0/3"),
}

func ipv4Block(what, s string, minBits, maxBits int) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	switch {
	case err != nil || !p.Addr().Is4():
		return p, fmt.Errorf("%s %q is not an IPv4 CIDR", what, s)
	case p.Masked() != p:
		return p, fmt.Errorf("%s %q has host bits set", what, s)
	case p.Bits() < minBits || p.Bits() > maxBits:
		return p, fmt.Errorf("%s %q: AWS allows /%d to /%d", what, s, minBits, maxBits)
	}
	return p, nil
}

// VPCCIDR is AWS's rule: an IPv4 block of /16 to /28, outside the reserved ranges.
// https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
func VPCCIDR(s string) error {
	p, err := ipv4Block("VPC CIDR", s, 16, 28)
	if err != nil {
		return err
	}
	for _, r := range reservedVPCRanges {
		if r.Overlaps(p) {
			return fmt.Errorf("VPC CIDR %q lies in %s, which AWS refuses", s, r)
		}
	}
	return nil
}

// SubnetCIDR is AWS's rule: an IPv4 block of /16 to /28.
// https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html
func SubnetCIDR(s string) error {
	_, err := ipv4Block("subnet CIDR", s, 16, 28)
	return err
}

// DestinationCIDR is AWS's rule: a route's IPv4 destination, any size.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRoute.html
func DestinationCIDR(s string) error {
	_, err := ipv4Block("route destination", s, 0, 32)
	return err
}

// SecurityGroupRule is AWS's rule: a rule's protocol is tcp, udp, icmp, icmpv6, a protocol
// number or -1 (all, with no ports); tcp and udp take ports 0 to 65535, from
// not above to; icmp takes a type and code of -1 to 255.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupIngress.html
func SecurityGroupRule(protocol string, from, to *int64) error {
	switch protocol {
	case "-1":
		if from != nil || to != nil {
			return errors.New("a rule for every protocol (-1) covers every port: set no fromPort or toPort")
		}
	case "tcp", "udp", "6", "17":
		if from == nil || to == nil {
			return fmt.Errorf("a %s rule needs fromPort and toPort", protocol)
		}
		if err := errors.Join(between("fromPort", *from, 0, 65535), between("toPort", *to, 0, 65535)); err != nil {
			return err
		}
		if *from > *to {
			return fmt.Errorf("fromPort %d is above toPort %d", *from, *to)
		}
	case "icmp", "icmpv6", "1", "58":
		if from != nil && to != nil {
			return errors.Join(between("ICMP type", *from, -1, 255), between("ICMP code", *to, -1, 255))
		}
	default:
		if n, err := strconv.Atoi(protocol); err != nil || n < 0 || n > 255 {
			return fmt.Errorf("protocol %q is not tcp, udp, icmp, icmpv6, -1 or a protocol number", protocol)
		}
	}
	return nil
}

// securityGroupRule reads a SecurityGroupIngressRule or EgressRule: its
// protocol and ports, its description, and exactly one peer.
func securityGroupRule(m map[string]any) error {
	port := func(k string) *int64 {
		if n, ok := wholeNumber(m[k]); ok {
			return &n
		}
		return nil
	}
	errs := []error{SecurityGroupRule(str(m, "ipProtocol"), port("fromPort"), port("toPort"))}
	if d, ok := m["description"].(string); ok {
		errs = append(errs, SecurityGroupDescription(d))
	}
	peers := 0
	for _, p := range []string{"cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"} {
		for _, k := range []string{p, p + "Ref", p + "Selector"} {
			if m[k] != nil {
				peers++
				break
			}
		}
	}
	if peers != 1 {
		errs = append(errs, fmt.Errorf("a rule names exactly one of cidrIpv4, cidrIpv6, prefixListId, referencedSecurityGroupId; this one %d", peers))
	}
	return errors.Join(errs...)
}

// Tags is AWS's rule: AWS's tag rules. At most 50 tags per resource; keys of 1 to 128 and
// values of up to 256 letters, digits, spaces and _ . : / = + - @; neither
// key nor value starting with aws: in any case.
// https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
func Tags(t map[string]string) error {
	var errs []error
	if len(t) > MaxTags {
		errs = append(errs, fmt.Errorf("%d tags; AWS allows %d per resource", len(t), MaxTags))
	}
	for _, k := range slices.Sorted(maps.Keys(t)) {
		if n := utf8.RuneCountInString(k); n < 1 || n > MaxTagKeyLength {
			errs = append(errs, fmt.Errorf("tag key %q is %d characters; AWS allows 1 to %d", k, n, MaxTagKeyLength))
		}
		if !tagChars.MatchString(k) {
			errs = append(errs, fmt.Errorf("tag key %q holds a character AWS does not allow (only letters, digits, spaces and _ . : / = + - @)", k))
		}
		if ReservedTagPrefix(k) {
			errs = append(errs, fmt.Errorf("tag key %q starts with aws:, which AWS reserves in any case", k))
		}
		if err := tagValue(k, t[k]); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// MaxTags is how many tags AWS allows on one resource.
const MaxTags = 50

func tagValue(k, v string) error {
	switch {
	case utf8.RuneCountInString(v) > MaxTagValueLength:
		return fmt.Errorf("tag %s: value is %d characters; AWS allows %d", k, utf8.RuneCountInString(v), MaxTagValueLength)
	case !tagChars.MatchString(v):
		return fmt.Errorf("tag %s: value %q holds a character AWS does not allow (only letters, digits, spaces and _ . : / = + - @)", k, v)
	case ReservedTagPrefix(v):
		return fmt.Errorf("tag %s: value %q starts with aws:, which AWS reserves in any case", k, v)
	}
	return nil
}

func tags(v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("is %T, not a map", v)
	}
	t := make(map[string]string, len(m))
	for k, e := range m {
		s, ok := e.(string)
		if !ok {
			return fmt.Errorf("tag %s is %T, not a string", k, e)
		}
		t[k] = s
	}
	return Tags(t)
}
