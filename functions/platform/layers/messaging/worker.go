package messaging

import (
	"fmt"
	"strings"

	iamv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/iam/v1beta1"
	lambdav1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/lambda/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/iampolicy"
	"github.com/fintech-platform/payment-platform/functions/platform/secgroup"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// The database the worker connects to: the database layer's fixed settings
// (layers/database/spec.go), through the RDS Proxy with IAM tokens as its own
// user (wiring.DBUserWorker).
const (
	databasePort = 5432
	databaseName = "payments"
	httpsPort    = 443
)

// ReportBatchItemFailures lets the worker fail single messages of a batch:
// only those return to the queue (ASY-2).
const ReportBatchItemFailures = "ReportBatchItemFailures"

// addSecurityGroup adds the worker's own group: it admits nothing (nothing
// calls a queue-triggered function over the network) and reaches HTTPS only,
// the AWS endpoints and the payment processor. The database's client group
// for the worker, which the worker carries too, reaches the proxy (ADR 0004).
func addSecurityGroup(d *compose.Desired, spec api.MessagingSpec) {
	c := spec.Common
	env := c.Env()
	d.Add(keySG, secgroup.Group(c, sgName(c.EnvironmentSuffix), "Payment worker: admits nothing, reaches HTTPS only",
		env.SecurityGroup(wiring.LayerMessaging, wiring.ComponentSecurityGroup, wiring.SGWorker)))
	d.Add(keyEgress, secgroup.Egress(c, env.SecurityGroup(wiring.LayerMessaging, wiring.ComponentSecurityGroupRule, wiring.SGWorker), secgroup.Rule{
		Description: "HTTPS to AWS endpoints and the payment processor",
		Group:       wiring.OwnSecurityGroup(wiring.SGWorker),
		Protocol:    "tcp",
		Port:        httpsPort,
		CIDR:        "0.0.0.0/0",
	}))
}

// trust lets Lambda of this account assume the worker's role, and nothing else.
func trust(spec api.MessagingSpec) string {
	return iampolicy.AssumeRole("lambda.amazonaws.com", map[string]map[string]any{
		"StringEquals": {"aws:SourceAccount": spec.AccountID},
	})
}

// WorkerStatements are what the worker may do (ASY-4), and nothing else:
//   - consume its own queue: the event source mapping polls with the role;
//   - decrypt with the messaging key: messages on the queue are encrypted
//     with it (the key's policy lets it be used through SQS and Lambda only);
//   - connect to the proxy as its own database user;
//   - write to its own log group;
//   - manage its network interfaces in the private subnets: Lambda creates
//     them with the role. EC2's Describe actions take no resource, so AWS
//     documents "*" for them (the one exception); the others are held to
//     the account and region, as AWS's Lambda guide shows;
//   - send traces (X-Ray's PutTraceSegments and PutTelemetryRecords have no
//     resource either: AWS documents "*").
func WorkerStatements(spec api.MessagingSpec, keyARN, proxyResourceID string) []iampolicy.Statement {
	return []iampolicy.Statement{
		iampolicy.Allow("ConsumeOwnQueue", []string{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"},
			QueueARN(spec, queuePayments)),
		iampolicy.Allow("DecryptOwnQueue", []string{"kms:Decrypt"}, keyARN),
		wiring.ConnectStatement(spec.Region, spec.AccountID, proxyResourceID, wiring.DBUserWorker),
		iampolicy.Allow("WriteOwnLog", []string{"logs:CreateLogStream", "logs:PutLogEvents"},
			arn(spec, "logs", "log-group:"+LogGroupName(spec.EnvironmentSuffix)+":*")),
		iampolicy.Allow("ManageOwnNetworkInterfaces", []string{"ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"},
			arn(spec, "ec2", "*/*")),
		iampolicy.Allow("DescribeNetworkInterfacesTakesNoResource", []string{"ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"}, "*"),
		iampolicy.Allow("TraceTakesNoResource", []string{"xray:PutTraceSegments", "xray:PutTelemetryRecords"}, "*"),
	}
}

// addRole adds the worker's execution role. Its policy names the messaging
// key and the proxy's resource id, so it waits for both, and keeps them in
// annotations once made.
func addRole(d *compose.Desired, spec api.MessagingSpec, obs compose.Observed) {
	c := spec.Common
	proxy := compose.Sticky(spec.ProxyResourceID, obs, keyRole, "metadata.annotations["+AnnotationProxyResourceID+"]")
	key := compose.Sticky(spec.MessagingKeyARN, obs, keyRole, "metadata.annotations["+AnnotationMessagingKeyARN+"]")
	var missing []string
	if key == "" {
		missing = append(missing, "the messaging key's ARN (spec.parameters.messagingKeyArn)")
	}
	if proxy == "" {
		missing = append(missing, "the RDS Proxy's resource id (spec.parameters.proxyResourceId)")
	}
	name := roleName(c.EnvironmentSuffix)
	meta := wiring.Named(name, c.Env().Labels(wiring.LayerMessaging, wiring.LabelComponent, componentRole))
	meta.Annotations[AnnotationProxyResourceID] = proxy
	meta.Annotations[AnnotationMessagingKeyARN] = key
	d.AddWhen(len(missing) == 0, obs, keyRole, &iamv1beta1.Role{
		ObjectMeta: meta,
		Spec: iamv1beta1.RoleSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: iamv1beta1.RoleParameters{
				AssumeRolePolicy: compose.Ptr(trust(spec)),
				InlinePolicy: []iamv1beta1.InlinePolicyParameters{{
					Name:   compose.Ptr("least-privilege"),
					Policy: compose.Ptr(iampolicy.JSON(WorkerStatements(spec, key, proxy)...)),
				}},
				Tags: c.TagsFor(name),
			},
		},
	}, strings.Join(missing, " and "))
}

// imageOf returns the full image URI of the spec's image, or "" while a tag
// waits for the worker repository's URL.
func imageOf(spec api.MessagingSpec) string {
	switch {
	case spec.Image == "":
		return ""
	case api.ImageIsTag(spec.Image):
		if spec.WorkerRepositoryURL == "" {
			return ""
		}
		return spec.WorkerRepositoryURL + ":" + spec.Image
	}
	return spec.Image
}

// Environment is what the worker is told: where the database is, how to
// reach it, and its queue. Never a secret: the database takes IAM tokens the
// role mints, not a password. AWS_REGION is Lambda's own (reserved).
func Environment(queueURL, databaseEndpoint string) map[string]*string {
	return map[string]*string{
		"DB_HOST":     compose.Ptr(databaseEndpoint),
		"DB_IAM_AUTH": compose.Ptr("true"),
		"DB_NAME":     compose.Ptr(databaseName),
		"DB_PORT":     compose.Ptr(fmt.Sprint(databasePort)),
		"DB_SSLMODE":  compose.Ptr("verify-full"),
		"DB_USER":     compose.Ptr(wiring.DBUserWorker),
		"QUEUE_URL":   compose.Ptr(queueURL),
	}
}

// Paths of the worker's own fields, where it remembers its inputs.
const (
	pathImage    = "spec.forProvider.imageUri"
	pathKey      = "spec.forProvider.kmsKeyArn"
	pathGroups   = "spec.forProvider.vpcConfig.securityGroupIds"
	pathDBHost   = "spec.forProvider.environment.variables.DB_HOST"
	pathQueueURL = "spec.forProvider.environment.variables.QUEUE_URL"
)

// addFunction adds ASY-2's worker: a container image in the private subnets
// with its own group and the database's client group for the worker,
// reserved concurrency, active tracing, its environment encrypted with the
// messaging key. It waits for its image, the proxy's endpoint, both groups'
// ids, the queue's URL, its role (Lambda checks the role may manage network
// interfaces) and its log group (Lambda would otherwise make it,
// unencrypted); it keeps each input once made.
func addFunction(d *compose.Desired, spec api.MessagingSpec, obs compose.Observed) {
	c := spec.Common
	image := compose.Sticky(imageOf(spec), obs, keyFunction, pathImage)
	key := compose.Sticky(spec.MessagingKeyARN, obs, keyFunction, pathKey)
	endpoint := compose.Sticky(spec.DatabaseEndpoint, obs, keyFunction, pathDBHost)
	queueURL := compose.Sticky(obs.String(keyQueue, "status.atProvider.url"), obs, keyFunction, pathQueueURL)
	own := obs.String(keySG, "status.atProvider.id")
	var learnt []string
	if own != "" && spec.ClientSecurityGroupID != "" {
		learnt = []string{own, spec.ClientSecurityGroupID}
	}
	groups := compose.Sticky(learnt, obs, keyFunction, pathGroups)

	var missing []string
	switch {
	case image == "" && spec.Image == "":
		missing = append(missing, "an image (spec.parameters.image)")
	case image == "":
		missing = append(missing, "the worker repository's URL for the image tag (spec.parameters.workerRepositoryUrl)")
	}
	if key == "" {
		missing = append(missing, "the messaging key's ARN (spec.parameters.messagingKeyArn)")
	}
	if endpoint == "" {
		missing = append(missing, "the RDS Proxy's endpoint (spec.parameters.databaseEndpoint)")
	}
	if len(groups) == 0 && own == "" {
		missing = append(missing, "the worker's security group to report its id")
	}
	if len(groups) == 0 && spec.ClientSecurityGroupID == "" {
		missing = append(missing, "the database's client security group for the worker (spec.parameters.clientSecurityGroupId)")
	}
	if queueURL == "" {
		missing = append(missing, "the payment queue's URL")
	}
	if !obs.Ready(keyRole) {
		missing = append(missing, "its role to be ready")
	}
	if !obs.Ready(keyLogGroup) {
		missing = append(missing, "its log group to be ready")
	}
	ids := make([]*string, 0, len(groups))
	for i := range groups {
		ids = append(ids, &groups[i])
	}
	var imageURI, kmsKey *string
	if image != "" {
		imageURI = &image
	}
	if key != "" {
		kmsKey = &key
	}
	name := FunctionName(c.EnvironmentSuffix)
	logGroup := LogGroupName(c.EnvironmentSuffix)
	d.AddWhen(len(missing) == 0, obs, keyFunction, &lambdav1beta1.Function{
		ObjectMeta: wiring.Named(name, c.Env().Labels(wiring.LayerMessaging, wiring.LabelComponent, componentFunction)),
		Spec: lambdav1beta1.FunctionSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: lambdav1beta1.FunctionParameters{
				Region:                       &c.Region,
				Description:                  compose.Ptr("Payment worker: processes the payment queue"),
				PackageType:                  compose.Ptr("Image"),
				ImageURI:                     imageURI,
				Architectures:                []*string{compose.Ptr("x86_64")},
				RoleSelector:                 wiring.Own(wiring.LabelComponent, componentRole),
				Timeout:                      compose.Ptr(float64(spec.TimeoutSeconds)),
				MemorySize:                   compose.Ptr(float64(spec.MemoryMB)),
				ReservedConcurrentExecutions: compose.Ptr(float64(spec.ReservedConcurrency)),
				KMSKeyArn:                    kmsKey,
				Environment:                  &lambdav1beta1.EnvironmentParameters{Variables: Environment(queueURL, endpoint)},
				TracingConfig:                &lambdav1beta1.TracingConfigParameters{Mode: compose.Ptr("Active")},
				LoggingConfig:                &lambdav1beta1.LoggingConfigParameters{LogFormat: compose.Ptr("JSON"), LogGroup: &logGroup},
				VPCConfig: &lambdav1beta1.VPCConfigParameters{
					SubnetIDSelector: c.Env().SelectSubnets(wiring.TierPrivate),
					SecurityGroupIds: ids,
				},
				Tags: c.TagsFor(name),
			},
		},
	}, strings.Join(missing, " and "))
}

// addMapping adds ASY-2's trigger: the payment queue invokes the worker with
// batches of the claim's size, reporting failures per message, never more
// workers at once than maximumConcurrency (at most the reserved concurrency,
// so no invocation is throttled). The mapping names the queue by literal
// ARN, so it waits for the queue's, and for the worker.
func addMapping(d *compose.Desired, spec api.MessagingSpec, obs compose.Observed) {
	c := spec.Common
	queueARN := compose.Sticky(obs.String(keyQueue, "status.atProvider.arn"), obs, keyMapping, "spec.forProvider.eventSourceArn")
	var missing []string
	if queueARN == "" {
		missing = append(missing, "the payment queue's ARN")
	}
	if !obs.Ready(keyFunction) {
		missing = append(missing, "the worker to be ready")
	}
	var source *string
	if queueARN != "" {
		source = &queueARN
	}
	d.AddWhen(len(missing) == 0, obs, keyMapping, &lambdav1beta1.EventSourceMapping{
		ObjectMeta: wiring.Meta(c.Env().Labels(wiring.LayerMessaging, wiring.LabelComponent, componentMapping)),
		Spec: lambdav1beta1.EventSourceMappingSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: lambdav1beta1.EventSourceMappingParameters{
				Region:                         &c.Region,
				EventSourceArn:                 source,
				FunctionNameSelector:           wiring.Own(wiring.LabelComponent, componentFunction),
				Enabled:                        compose.Ptr(true),
				BatchSize:                      compose.Ptr(float64(spec.BatchSize)),
				MaximumBatchingWindowInSeconds: compose.Ptr(float64(spec.MaximumBatchingWindowSeconds)),
				FunctionResponseTypes:          []*string{compose.Ptr(ReportBatchItemFailures)},
				ScalingConfig:                  &lambdav1beta1.ScalingConfigParameters{MaximumConcurrency: compose.Ptr(float64(spec.MaximumConcurrency))},
				Tags:                           c.TagsFor(FunctionName(c.EnvironmentSuffix)),
			},
		},
	}, strings.Join(missing, " and "))
}
