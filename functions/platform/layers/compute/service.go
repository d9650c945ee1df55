package compute

import (
	"fmt"
	"strings"

	appautoscalingv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/appautoscaling/v1beta1"
	ecrv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ecr/v1beta1"
	ecsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ecs/v1beta1"
	iamv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/iam/v1beta1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/capacity"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/iampolicy"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// The scaling targets of CMP-2: the service keeps its tasks' average CPU at
// 70% and memory at 80%.
const (
	TargetCPUPercent    = 70
	TargetMemoryPercent = 80
)

// The database the API connects to: the database layer's fixed settings
// (layers/database/spec.go), through the RDS Proxy with IAM tokens as its own
// user (wiring.DBUserAPI).
const (
	databasePort = 5432
	databaseName = "payments"
)

// lifecyclePolicy keeps the 100 newest images (enough to roll back through
// months of releases) and drops untagged layers after a week.
const lifecyclePolicy = `{"rules":[` +
	`{"rulePriority":1,"description":"Expire untagged images after 7 days","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":7},"action":{"type":"expire"}},` +
	`{"rulePriority":2,"description":"Keep the 100 newest images","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":100},"action":{"type":"expire"}}]}`

// addRepositories adds the API's and the worker's ECR repositories: images
// encrypted with KMS, scanned on push, tags immutable (a tag names one image
// for good, so a deployment runs what was reviewed). In the data-retention
// mode they are kept with their images, the record of what ran; otherwise
// they are deleted with them.
func addRepositories(d *compose.Desired, spec api.ComputeSpec) {
	c := spec.Common
	for _, r := range Repositories {
		name := repositoryName(r, c.EnvironmentSuffix)
		d.Add(keyRepository(r), &ecrv1beta1.Repository{
			ObjectMeta: wiring.Named(name, c.Env().Labels(wiring.LayerCompute, wiring.LabelComponent, componentRepository, wiring.LabelPurpose, r)),
			Spec: ecrv1beta1.RepositorySpec{
				ManagedResourceSpec: c.DataSpec(),
				ForProvider: ecrv1beta1.RepositoryParameters{
					Region: &c.Region,
					// AWS's key for ECR (aws/ecr): the keys layer makes one key
					// per data store KMS-1 lists, and images are none of them
					// (test/scan/accepted.yaml, AWS-0033).
					EncryptionConfiguration:    []ecrv1beta1.EncryptionConfigurationParameters{{EncryptionType: compose.Ptr("KMS")}},
					ImageScanningConfiguration: &ecrv1beta1.ImageScanningConfigurationParameters{ScanOnPush: compose.Ptr(true)},
					ImageTagMutability:         compose.Ptr("IMMUTABLE"),
					ForceDelete:                compose.Ptr(!c.Retains()),
					Tags:                       c.TagsFor(name),
				},
			},
		})
		d.Add(keyLifecycle(r), &ecrv1beta1.LifecyclePolicy{
			ObjectMeta: wiring.Meta(c.Env().Labels(wiring.LayerCompute, wiring.LabelComponent, componentLifecycle, wiring.LabelPurpose, r)),
			Spec: ecrv1beta1.LifecyclePolicySpec{
				ManagedResourceSpec: c.ManagedSpec(),
				ForProvider: ecrv1beta1.LifecyclePolicyParameters{
					Region:             &c.Region,
					Policy:             compose.Ptr(lifecyclePolicy),
					RepositorySelector: wiring.Own(wiring.LabelComponent, componentRepository, wiring.LabelPurpose, r),
				},
			},
		})
	}
}

// addCluster adds the ECS cluster with Container Insights (CMP-1). It waits
// for the log group Container Insights writes to, as the Aurora cluster does
// for its own: ECS would otherwise make it, unencrypted.
func addCluster(d *compose.Desired, spec api.ComputeSpec, obs compose.Observed) {
	c := spec.Common
	name := clusterName(c.EnvironmentSuffix)
	d.AddWhen(obs.Ready(keyLogGroup(LogContainerInsights)), obs, keyCluster, &ecsv1beta1.Cluster{
		ObjectMeta: wiring.Named(name, c.Env().Labels(wiring.LayerCompute, wiring.LabelComponent, componentCluster)),
		Spec: ecsv1beta1.ClusterSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: ecsv1beta1.ClusterParameters{
				Region:  &c.Region,
				Setting: []ecsv1beta1.SettingParameters{{Name: compose.Ptr("containerInsights"), Value: compose.Ptr("enabled")}},
				Tags:    c.TagsFor(name),
			},
		},
	}, "its Container Insights log group to be ready")
}

// arn builds an ARN of the spec's account and region.
func arn(spec api.ComputeSpec, service, resource string) string {
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, spec.Region, spec.AccountID, resource)
}

// trust lets ECS tasks of this account assume a role, and nothing else: the
// task role also names the account's ECS resources as the source (the
// confused-deputy guard ECS documents for task roles); the execution role,
// which the ECS agent assumes to start a task, the account only.
func trust(spec api.ComputeSpec, sourceARN bool) string {
	cond := map[string]map[string]any{"StringEquals": {"aws:SourceAccount": spec.AccountID}}
	if sourceARN {
		cond["ArnLike"] = map[string]any{"aws:SourceArn": arn(spec, "ecs", "*")}
	}
	return iampolicy.AssumeRole("ecs-tasks.amazonaws.com", cond)
}

// TaskStatements are what the API's code may do (CMP-4): connect to the proxy
// as its own database user; when the messaging layer has given a queue, send
// to that queue and use its key for that only. Nothing else: no wildcard
// action, no wildcard resource.
func TaskStatements(spec api.ComputeSpec, proxyResourceID string) []iampolicy.Statement {
	st := []iampolicy.Statement{wiring.ConnectStatement(spec.Region, spec.AccountID, proxyResourceID, wiring.DBUserAPI)}
	if spec.QueueARN == "" {
		return st
	}
	send := iampolicy.Allow("SendToPaymentQueue", []string{"sqs:SendMessage"}, spec.QueueARN)
	key := iampolicy.Allow("EncryptForPaymentQueue", []string{"kms:GenerateDataKey", "kms:Decrypt"}, spec.MessagingKeyARN)
	key.Condition = map[string]map[string]any{"StringEquals": {"kms:ViaService": "sqs." + spec.Region + ".amazonaws.com"}}
	return append(st, send, key)
}

// ExecutionStatements are what ECS may do for the task (CMP-4): pull the image
// from its repository and write to the API's log group. ECR's authorization
// token has no resource of its own: that action takes only "*".
func ExecutionStatements(spec api.ComputeSpec, image string) []iampolicy.Statement {
	repos := []string{arn(spec, "ecr", "repository/"+repositoryName(RepositoryAPI, spec.EnvironmentSuffix))}
	if acct, region, repo, ok := api.ECRRepositoryOf(image); ok {
		if other := fmt.Sprintf("arn:aws:ecr:%s:%s:repository/%s", region, acct, repo); other != repos[0] {
			repos = append(repos, other)
		}
	}
	return []iampolicy.Statement{
		iampolicy.Allow("AuthenticateToECR", []string{"ecr:GetAuthorizationToken"}, "*"),
		iampolicy.Allow("PullTheImage", []string{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}, repos...),
		iampolicy.Allow("WriteTheAPILog", []string{"logs:CreateLogStream", "logs:PutLogEvents"},
			arn(spec, "logs", "log-group:"+LogGroupName(LogAPI, spec.EnvironmentSuffix)+":*")),
	}
}

// imageOf returns the full image reference of the spec's image, or "".
func imageOf(spec api.ComputeSpec) string {
	switch {
	case spec.Image == "":
		return ""
	case api.ImageIsTag(spec.Image):
		return fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s:%s", spec.AccountID, spec.Region, repositoryName(RepositoryAPI, spec.EnvironmentSuffix), spec.Image)
	}
	return spec.Image
}

// addRoles adds the task role, which waits for the proxy's resource id its
// rds-db:connect names (and keeps it in an annotation), and the execution role.
func addRoles(d *compose.Desired, spec api.ComputeSpec, obs compose.Observed) {
	c := spec.Common
	role := func(purpose, name string, statements []iampolicy.Statement) *iamv1beta1.Role {
		task := purpose == roleTask
		return &iamv1beta1.Role{
			ObjectMeta: wiring.Named(name, c.Env().Labels(wiring.LayerCompute, wiring.LabelComponent, componentRole, wiring.LabelPurpose, purpose)),
			Spec: iamv1beta1.RoleSpec{
				ManagedResourceSpec: c.ManagedSpec(),
				ForProvider: iamv1beta1.RoleParameters{
					AssumeRolePolicy: compose.Ptr(trust(spec, task)),
					InlinePolicy: []iamv1beta1.InlinePolicyParameters{{
						Name:   compose.Ptr("least-privilege"),
						Policy: compose.Ptr(iampolicy.JSON(statements...)),
					}},
					Tags: c.TagsFor(name),
				},
			},
		}
	}
	proxy := compose.Sticky(spec.ProxyResourceID, obs, keyTaskRole, "metadata.annotations["+AnnotationProxyResourceID+"]")
	task := role(roleTask, naming.MustName(naming.IAMRole, "api-task", c.EnvironmentSuffix), TaskStatements(spec, proxy))
	task.Annotations[AnnotationProxyResourceID] = proxy
	d.AddWhen(proxy != "", obs, keyTaskRole, task, "the RDS Proxy's resource id (spec.parameters.proxyResourceId)")

	image := compose.Sticky(imageOf(spec), obs, keyTaskDef, "metadata.annotations["+AnnotationImage+"]")
	d.Add(keyExecutionRole, role(roleExecution, naming.MustName(naming.IAMRole, "api-exec", c.EnvironmentSuffix), ExecutionStatements(spec, image)))
}

// A container is the part of an ECS container definition the API's uses.
type container struct {
	Name                   string           `json:"name"`
	Image                  string           `json:"image"`
	Essential              bool             `json:"essential"`
	User                   string           `json:"user"`
	ReadonlyRootFilesystem bool             `json:"readonlyRootFilesystem"`
	PortMappings           []portMapping    `json:"portMappings"`
	Environment            []nameValue      `json:"environment"`
	MountPoints            []mountPoint     `json:"mountPoints"`
	LinuxParameters        linuxParameters  `json:"linuxParameters"`
	LogConfiguration       logConfiguration `json:"logConfiguration"`
}

type portMapping struct {
	ContainerPort int    `json:"containerPort"`
	Protocol      string `json:"protocol"`
}

type nameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type mountPoint struct {
	SourceVolume  string `json:"sourceVolume"`
	ContainerPath string `json:"containerPath"`
	ReadOnly      bool   `json:"readOnly"`
}

type linuxParameters struct {
	InitProcessEnabled bool         `json:"initProcessEnabled"`
	Capabilities       capabilities `json:"capabilities"`
}

type capabilities struct {
	Drop []string `json:"drop"`
}

type logConfiguration struct {
	LogDriver string            `json:"logDriver"`
	Options   map[string]string `json:"options"`
}

// TaskUser is the unprivileged user and group the container runs as.
const TaskUser = "10001:10001"

// tmpVolume is the task's scratch space: the root filesystem is read-only.
const tmpVolume = "tmp"

// environment is what the API is told: where the database is and how to
// reach it, and the queue when there is one. Never a secret: the database
// takes IAM tokens the task role mints, not a password.
func environment(spec api.ComputeSpec, databaseEndpoint string) []nameValue {
	env := []nameValue{
		{"AWS_REGION", spec.Region},
		{"DB_HOST", databaseEndpoint},
		{"DB_IAM_AUTH", "true"},
		{"DB_NAME", databaseName},
		{"DB_PORT", fmt.Sprint(databasePort)},
		{"DB_SSLMODE", "verify-full"},
		{"DB_USER", wiring.DBUserAPI},
		{"PORT", fmt.Sprint(spec.ContainerPort)},
	}
	if spec.QueueURL != "" {
		env = append(env, nameValue{"QUEUE_URL", spec.QueueURL})
	}
	return env
}

func containerDefinitions(spec api.ComputeSpec, image, databaseEndpoint string) string {
	defs := []container{{
		Name:                   ContainerName,
		Image:                  image,
		Essential:              true,
		User:                   TaskUser,
		ReadonlyRootFilesystem: true,
		PortMappings:           []portMapping{{ContainerPort: spec.ContainerPort, Protocol: "tcp"}},
		Environment:            environment(spec, databaseEndpoint),
		MountPoints:            []mountPoint{{SourceVolume: tmpVolume, ContainerPath: "/tmp"}},
		LinuxParameters:        linuxParameters{InitProcessEnabled: true, Capabilities: capabilities{Drop: []string{"ALL"}}},
		LogConfiguration: logConfiguration{LogDriver: "awslogs", Options: map[string]string{
			"awslogs-group":         LogGroupName(LogAPI, spec.EnvironmentSuffix),
			"awslogs-region":        spec.Region,
			"awslogs-stream-prefix": ContainerName,
		}},
	}}
	return mustJSON(defs)
}

// addTaskDefinition adds the Fargate task definition (CMP-1). Its task role
// is a literal ARN (the kind has no reference for it), so it waits for the
// role; it waits for the image and the proxy's endpoint too, and remembers
// both, so that it keeps them while they are not given.
func addTaskDefinition(d *compose.Desired, spec api.ComputeSpec, obs compose.Observed) {
	c := spec.Common
	image := compose.Sticky(imageOf(spec), obs, keyTaskDef, "metadata.annotations["+AnnotationImage+"]")
	endpoint := compose.Sticky(spec.DatabaseEndpoint, obs, keyTaskDef, "metadata.annotations["+AnnotationDatabaseEndpoint+"]")
	roleARN := compose.Sticky(obs.String(keyTaskRole, "status.atProvider.arn"), obs, keyTaskDef, "spec.forProvider.taskRoleArn")
	var missing []string
	if image == "" {
		missing = append(missing, "an image (spec.parameters.image)")
	}
	if endpoint == "" {
		missing = append(missing, "the RDS Proxy's endpoint (spec.parameters.databaseEndpoint)")
	}
	if roleARN == "" {
		missing = append(missing, "the task role's ARN")
	}
	family := naming.MustName(naming.TaskFamily, "api", c.EnvironmentSuffix)
	meta := wiring.Meta(c.Env().Labels(wiring.LayerCompute, wiring.LabelComponent, componentTaskDef))
	meta.Annotations = map[string]string{AnnotationImage: image, AnnotationDatabaseEndpoint: endpoint}
	var role *string
	if roleARN != "" {
		role = &roleARN
	}
	d.AddWhen(len(missing) == 0, obs, keyTaskDef, &ecsv1beta1.TaskDefinition{
		ObjectMeta: meta,
		Spec: ecsv1beta1.TaskDefinitionSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: ecsv1beta1.TaskDefinitionParameters{
				Region:                   &c.Region,
				Family:                   &family,
				RequiresCompatibilities:  []*string{compose.Ptr("FARGATE")},
				NetworkMode:              compose.Ptr("awsvpc"),
				CPU:                      compose.Ptr(fmt.Sprint(spec.CPU)),
				Memory:                   compose.Ptr(fmt.Sprint(spec.Memory)),
				RuntimePlatform:          &ecsv1beta1.RuntimePlatformParameters{OperatingSystemFamily: compose.Ptr("LINUX"), CPUArchitecture: compose.Ptr("X86_64")},
				ContainerDefinitions:     compose.Ptr(containerDefinitions(spec, image, endpoint)),
				Volume:                   []ecsv1beta1.VolumeParameters{{Name: compose.Ptr(tmpVolume)}},
				ExecutionRoleArnSelector: wiring.Own(wiring.LabelComponent, componentRole, wiring.LabelPurpose, roleExecution),
				TaskRoleArn:              role,
				Tags:                     c.TagsFor(family),
			},
		},
	}, strings.Join(missing, " and "))
}

// addService adds the Fargate service (CMP-1, CMP-3): in the private subnets
// without public addresses, one task per zone at least, registered in the
// target group, rolled back by the circuit breaker when a deployment fails.
// It waits for its task definition and for the HTTPS listener (ECS refuses a
// target group no load balancer uses), and for its security groups' ids: its
// own (the ALB may reach it) and the database's client group (it may reach
// the proxy), which the service's one selector cannot both match.
func addService(d *compose.Desired, spec api.ComputeSpec, obs compose.Observed) {
	c := spec.Common
	var missing []string
	if !obs.Ready(keyTaskDef) {
		missing = append(missing, "the task definition to be ready")
	}
	if !obs.Ready(keyHTTPS) {
		missing = append(missing, "the HTTPS listener to be ready")
	}
	own := obs.String(keySG(wiring.SGAPITasks), "status.atProvider.id")
	var learnt []string
	if own != "" && spec.ClientSecurityGroupID != "" {
		learnt = []string{own, spec.ClientSecurityGroupID}
	}
	groups := compose.Sticky(learnt, obs, keyService, "spec.forProvider.networkConfiguration.securityGroups")
	if len(groups) == 0 && own == "" {
		missing = append(missing, "the tasks' security group to report its id")
	}
	if len(groups) == 0 && spec.ClientSecurityGroupID == "" {
		missing = append(missing, "the database's client security group (spec.parameters.clientSecurityGroupId)")
	}
	ids := make([]*string, 0, len(groups))
	for i := range groups {
		ids = append(ids, &groups[i])
	}
	name := serviceName(c.EnvironmentSuffix)
	d.AddWhen(len(missing) == 0, obs, keyService, &ecsv1beta1.Service{
		ObjectMeta: wiring.Named(name, c.Env().Labels(wiring.LayerCompute, wiring.LabelComponent, componentService)),
		Spec: ecsv1beta1.ServiceSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: ecsv1beta1.ServiceParameters{
				Region:                 &c.Region,
				ClusterSelector:        wiring.Own(wiring.LabelComponent, componentCluster),
				TaskDefinitionSelector: wiring.Own(wiring.LabelComponent, componentTaskDef),
				LaunchType:             compose.Ptr("FARGATE"),
				PlatformVersion:        compose.Ptr("LATEST"),
				SchedulingStrategy:     compose.Ptr("REPLICA"),
				NetworkConfiguration: &ecsv1beta1.ServiceNetworkConfigurationParameters{
					AssignPublicIP: compose.Ptr(false),
					SubnetSelector: c.Env().SelectSubnets(wiring.TierPrivate),
					SecurityGroups: ids,
				},
				LoadBalancer: []ecsv1beta1.LoadBalancerParameters{{
					TargetGroupArnSelector: wiring.Own(wiring.LabelComponent, componentTargetGroup),
					ContainerName:          compose.Ptr(ContainerName),
					ContainerPort:          compose.Ptr(float64(spec.ContainerPort)),
				}},
				DeploymentCircuitBreaker:        &ecsv1beta1.DeploymentCircuitBreakerParameters{Enable: compose.Ptr(true), Rollback: compose.Ptr(true)},
				DeploymentMaximumPercent:        compose.Ptr(float64(capacity.DeploymentMaximumPercent)),
				DeploymentMinimumHealthyPercent: compose.Ptr(float64(100)),
				HealthCheckGracePeriodSeconds:   compose.Ptr(float64(60)),
				AvailabilityZoneRebalancing:     compose.Ptr("ENABLED"),
				EnableEcsManagedTags:            compose.Ptr(true),
				PropagateTags:                   compose.Ptr("SERVICE"),
				EnableExecuteCommand:            compose.Ptr(false),
				Tags:                            c.TagsFor(name),
			},
			// The first count only: auto-scaling owns it from then on, and
			// the provider ignores changes to what initProvider sets.
			InitProvider: ecsv1beta1.ServiceInitParameters{DesiredCount: compose.Ptr(float64(capacity.MinTasks))},
		},
	}, strings.Join(missing, " and "))
}

// addScaling adds CMP-2: the service scales between one task per zone and the
// maximum the load needs, tracking CPU 70% and memory 80%. The scalable
// target names the service by literal id (service/<cluster>/<service>), and
// registering a service that does not exist fails, so it waits for the
// service; the policies select the target.
func addScaling(d *compose.Desired, spec api.ComputeSpec, obs compose.Observed) {
	c := spec.Common
	labels := func(kv ...string) metav1.ObjectMeta {
		return wiring.Meta(c.Env().Labels(wiring.LayerCompute, append([]string{wiring.LabelComponent, componentScaling}, kv...)...))
	}
	const dimension = "ecs:service:DesiredCount"
	d.AddWhen(obs.Ready(keyService), obs, keyScalingTarget, &appautoscalingv1beta1.Target{
		ObjectMeta: labels(wiring.LabelPurpose, "target"),
		Spec: appautoscalingv1beta1.TargetSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: appautoscalingv1beta1.TargetParameters{
				Region:            &c.Region,
				ServiceNamespace:  compose.Ptr("ecs"),
				ScalableDimension: compose.Ptr(dimension),
				ResourceID:        compose.Ptr("service/" + clusterName(c.EnvironmentSuffix) + "/" + serviceName(c.EnvironmentSuffix)),
				MinCapacity:       compose.Ptr(float64(capacity.MinTasks)),
				MaxCapacity:       compose.Ptr(float64(capacity.MaxTasks(spec.ConcurrentTransactions))),
				Tags:              c.TagsFor(serviceName(c.EnvironmentSuffix)),
			},
		},
	}, "the service to be ready")
	policy := func(key, purpose, metric string, target int) {
		name := naming.MustName(naming.ScalingPolicy, "api-"+purpose, c.EnvironmentSuffix)
		d.AddWhen(obs.Ready(keyScalingTarget), obs, key, &appautoscalingv1beta1.Policy{
			ObjectMeta: wiring.Named(name, labels(wiring.LabelPurpose, purpose).Labels),
			Spec: appautoscalingv1beta1.PolicySpec{
				ManagedResourceSpec: c.ManagedSpec(),
				ForProvider: appautoscalingv1beta1.PolicyParameters{
					Region:             &c.Region,
					PolicyType:         compose.Ptr("TargetTrackingScaling"),
					ServiceNamespace:   compose.Ptr("ecs"),
					ScalableDimension:  compose.Ptr(dimension),
					ResourceIDSelector: wiring.Own(wiring.LabelComponent, componentScaling, wiring.LabelPurpose, "target"),
					TargetTrackingScalingPolicyConfiguration: &appautoscalingv1beta1.TargetTrackingScalingPolicyConfigurationParameters{
						TargetValue:                   compose.Ptr(float64(target)),
						PredefinedMetricSpecification: &appautoscalingv1beta1.PredefinedMetricSpecificationParameters{PredefinedMetricType: compose.Ptr(metric)},
						// Out fast, in slowly: a payment burst must not wait.
						ScaleOutCooldown: compose.Ptr(float64(60)),
						ScaleInCooldown:  compose.Ptr(float64(300)),
					},
				},
			},
		}, "the scalable target to be ready")
	}
	policy(keyScalingCPU, "cpu", "ECSServiceAverageCPUUtilization", TargetCPUPercent)
	policy(keyScalingMemory, "memory", "ECSServiceAverageMemoryUtilization", TargetMemoryPercent)
}
