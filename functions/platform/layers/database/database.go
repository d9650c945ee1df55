// Package database builds the database layer (SPEC DB-1…DB-6, SEC-1, SEC-2):
// an Aurora PostgreSQL cluster with one writer and two readers in three zones,
// encrypted with the database key, IAM authentication only for workloads, TLS
// enforced, logs exported to a log group kept seven years; an RDS Proxy with
// IAM authentication end to end that keeps the cluster within its connection
// budget (docs/capacity.md); the master password managed by RDS in Secrets
// Manager and rotated every 30 days; and the secret for API key material.
package database

import (
	"fmt"
	"strings"

	"github.com/fintech-platform/payment-platform/functions/platform/wiring"

	cwlv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatchlogs/v1beta1"
	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"
	iamv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/iam/v1beta1"
	rdsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/rds/v1beta1"
	smv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/secretsmanager/v1beta1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/capacity"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/iampolicy"
	"github.com/fintech-platform/payment-platform/functions/platform/layer"
	"github.com/fintech-platform/payment-platform/functions/platform/logs"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/secgroup"
)

// Layer is the database layer's entry in the function's registry.
var Layer = layer.New[api.DatabaseSpec, api.DatabaseStatus](api.KindDatabase, Build,
	&rdsv1beta1.SubnetGroup{}, &rdsv1beta1.ClusterParameterGroup{}, &cwlv1beta1.Group{},
	&ec2v1beta1.SecurityGroup{}, &ec2v1beta1.SecurityGroupIngressRule{}, &ec2v1beta1.SecurityGroupEgressRule{},
	&rdsv1beta1.Cluster{}, &rdsv1beta1.ClusterInstance{}, &smv1beta1.Secret{}, &smv1beta1.SecretRotation{},
	&iamv1beta1.Role{}, &rdsv1beta1.Proxy{}, &rdsv1beta1.ProxyDefaultTargetGroup{}, &rdsv1beta1.ProxyTarget{},
	&rdsv1beta1.ProxyEndpoint{})

// Components only this layer's own resources select on.
const (
	componentSubnetGroup    = "subnet-group"
	componentParamGroup     = "parameter-group"
	componentLogGroup       = "log-group"
	componentCluster        = "cluster"
	componentInstance       = "instance"
	componentSecret         = "secret"
	componentSecretRotation = "secret-rotation"
	componentProxy          = "proxy"
)

// AnnotationClusterResourceID is on the proxy role: it remembers the resource id of
// the cluster its policy names, so the role keeps its policy while the cluster
// is not observed.
const AnnotationClusterResourceID = wiring.LabelPrefix + "cluster-resource-id"

// RotationDays is how often the master password is rotated (SPEC SEC-2).
const RotationDays = 30

// securityGroups are the layer's security groups, by purpose. The client
// groups are made here and attached by the layers whose workloads connect (the
// service's API tasks, the messaging layer's worker), so the database decides
// who may connect and is complete on its own (ADR 0004).
var securityGroups = []string{wiring.SGDatabase, wiring.SGProxy, wiring.SGClientAPI, wiring.SGClientWorker}

// Pipeline keys.
const (
	keySubnetGroup   = "subnet-group"
	keyParamGroup    = "cluster-parameter-group"
	keyLogGroup      = "log-group"
	keyCluster       = "cluster"
	keyRotation      = "master-secret-rotation"
	keyAPIKeys       = "api-keys-secret"
	keyProxyRole     = "proxy-role"
	keyProxy         = "proxy"
	keyProxyTargets  = "proxy-target-group"
	keyProxyTarget   = "proxy-target"
	keyProxyReadOnly = "proxy-endpoint-read-only"
)

func keySG(purpose string) string    { return "security-group-" + purpose }
func keyInstance(zone string) string { return "instance-" + zone }

// ClusterName is the cluster identifier of environment suffix.
func ClusterName(suffix string) string {
	return naming.MustName(naming.AuroraCluster, "payments", suffix)
}

// LogGroupName is where RDS exports the cluster's PostgreSQL log; RDS picks
// the name, so it cannot follow the {type}-{purpose}-{suffix} rule.
func LogGroupName(suffix string) string {
	return "/aws/rds/cluster/" + ClusterName(suffix) + "/postgresql"
}

// Build returns the database layer's desired resources for spec given what is observed.
func Build(spec api.DatabaseSpec, obs compose.Observed) (*compose.Desired, error) {
	spec.Default()
	if errs := spec.Validate(api.Parameters); len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	c := spec.Common
	suffix := c.EnvironmentSuffix
	cluster := ClusterName(suffix)
	d := compose.NewDesired()
	named := func(name string, kv ...string) metav1.ObjectMeta {
		return wiring.Named(name, c.Env().Labels(wiring.LayerDatabase, kv...))
	}

	subnetGroup := naming.MustName(naming.DBSubnetGroup, "payments", suffix)
	d.Add(keySubnetGroup, &rdsv1beta1.SubnetGroup{
		ObjectMeta: named(subnetGroup, wiring.LabelComponent, componentSubnetGroup),
		Spec: rdsv1beta1.SubnetGroupSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: rdsv1beta1.SubnetGroupParameters{
				Region:      &c.Region,
				Description: compose.Ptr("Aurora: the database subnets, no route beyond the VPC"),
				// All three database subnets of the environment (DB-1, DB-5).
				SubnetIDSelector: c.Env().SelectSubnets(wiring.TierDatabase),
				Tags:             c.TagsFor(subnetGroup),
			},
		},
	})

	paramGroup := naming.MustName(naming.DBParamGroup, "aurora-payments", suffix)
	d.Add(keyParamGroup, &rdsv1beta1.ClusterParameterGroup{
		ObjectMeta: named(paramGroup, wiring.LabelComponent, componentParamGroup),
		Spec: rdsv1beta1.ClusterParameterGroupSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: rdsv1beta1.ClusterParameterGroupParameters{
				Region:      &c.Region,
				Family:      compose.Ptr(spec.Family()),
				Description: compose.Ptr("Payments: TLS only, connection and slow-statement logging"),
				Parameter:   parameters(),
				Tags:        c.TagsFor(paramGroup),
			},
		},
	})

	d.Add(keyLogGroup, logs.Group(c, LogGroupName(suffix), c.Env().Labels(wiring.LayerDatabase, wiring.LabelComponent, componentLogGroup)))

	addSecurityGroups(d, spec)

	// The cluster waits for its log group: RDS creates the group itself, with
	// neither key nor retention, if the export starts first.
	d.AddWhen(obs.Ready(keyLogGroup), obs, keyCluster, clusterOf(spec, cluster), "its log group to be ready")

	// One writer and two readers, one per zone (DB-1). The readers wait for the
	// writer, so that the first zone's instance is the writer; on failover a
	// reader (promotion tier 1) takes over.
	writer := keyInstance(spec.AvailabilityZones[0])
	for i, zone := range spec.AvailabilityZones {
		ready, waits := obs.Ready(keyCluster), "the cluster to be ready"
		tier := 0
		if i > 0 {
			ready, waits, tier = obs.Ready(writer), "the writer to be ready", 1
		}
		d.AddWhen(ready, obs, keyInstance(zone), instanceOf(spec, zone, tier), waits)
	}

	if pool, need := capacity.ProxyPool(spec.InstanceClass), capacity.RequiredConnections(spec.ConcurrentTransactions); pool < need {
		d.Warnings = append(d.Warnings, fmt.Sprintf("instanceClass %s gives the proxy %d connections; %d concurrent transactions need %d at peak (docs/capacity.md): fine for development, not for production", spec.InstanceClass, pool, spec.ConcurrentTransactions, need))
	}

	addSecrets(d, spec, obs)
	addProxy(d, spec, obs, cluster)
	addUsages(d, spec, obs)
	st := status(obs)
	st.Warnings = d.Warnings
	d.Status = st
	return d, nil
}

// parameters are the cluster parameters: TLS enforced (DB-4) at 1.2 or
// later, and the logging a payment audit trail needs.
func parameters() []rdsv1beta1.ClusterParameterGroupParameterParameters {
	p := func(name, value string) rdsv1beta1.ClusterParameterGroupParameterParameters {
		return rdsv1beta1.ClusterParameterGroupParameterParameters{Name: compose.Ptr(name), Value: compose.Ptr(value), ApplyMethod: compose.Ptr("immediate")}
	}
	return []rdsv1beta1.ClusterParameterGroupParameterParameters{
		p("log_connections", "1"),
		p("log_disconnections", "1"),
		p("log_min_duration_statement", "1000"),
		p("log_statement", "ddl"),
		p("rds.force_ssl", "1"),
		p("ssl_min_protocol_version", "TLSv1.2"),
	}
}

func clusterOf(spec api.DatabaseSpec, cluster string) *rdsv1beta1.Cluster {
	c := spec.Common
	p := rdsv1beta1.ClusterParameters{
		Region:        &c.Region,
		Engine:        compose.Ptr("aurora-postgresql"),
		EngineVersion: &spec.EngineVersion,
		DatabaseName:  compose.Ptr(DatabaseName),
		Port:          compose.Ptr(float64(Port)),
		// DB-2: storage encrypted with the environment's database key.
		StorageEncrypted: compose.Ptr(true),
		KMSKeyIDSelector: c.Env().SelectKey(wiring.KeyDatabase),
		// DB-3: workloads authenticate with IAM tokens.
		IAMDatabaseAuthenticationEnabled: compose.Ptr(true),
		// SEC-1: RDS keeps the master password in Secrets Manager, encrypted
		// with the secrets key; no password ever passes through Crossplane.
		MasterUsername:                      compose.Ptr(MasterUsername),
		ManageMasterUserPassword:            compose.Ptr(true),
		MasterUserSecretKMSKeyIDSelector:    c.Env().SelectKey(wiring.KeySecrets),
		DBSubnetGroupNameSelector:           wiring.Own(wiring.LabelComponent, componentSubnetGroup),
		DBClusterParameterGroupNameSelector: wiring.Own(wiring.LabelComponent, componentParamGroup),
		VPCSecurityGroupIDSelector:          wiring.OwnSecurityGroup(wiring.SGDatabase),
		// DB-4: the PostgreSQL log goes to the pre-created log group.
		EnabledCloudwatchLogsExports: []*string{compose.Ptr("postgresql")},
		// DB-6: backups kept; destroyable unless the claim protects it.
		BackupRetentionPeriod: compose.Ptr(float64(spec.BackupRetentionDays)),
		PreferredBackupWindow: compose.Ptr("03:00-04:00"),
		CopyTagsToSnapshot:    compose.Ptr(true),
		// In the data-retention mode AWS refuses to delete the cluster
		// and keeps a final snapshot when an operator does.
		DeletionProtection: compose.Ptr(spec.DeletionProtection || c.Retains()),
		SkipFinalSnapshot:  compose.Ptr(!spec.FinalSnapshot && !c.Retains()),
		Tags:               c.TagsFor(cluster),
	}
	if spec.FinalSnapshot || c.Retains() {
		p.FinalSnapshotIdentifier = compose.Ptr(cluster + "-final")
	}
	return &rdsv1beta1.Cluster{
		ObjectMeta: wiring.Named(cluster, c.Env().Labels(wiring.LayerDatabase, wiring.LabelComponent, componentCluster)),
		Spec:       rdsv1beta1.ClusterSpec{ManagedResourceSpec: c.ManagedSpec(), ForProvider: p},
	}
}

func instanceOf(spec api.DatabaseSpec, zone string, tier int) *rdsv1beta1.ClusterInstance {
	c := spec.Common
	name := naming.MustName(naming.AuroraInstance, "payments-"+zone, c.EnvironmentSuffix)
	p := rdsv1beta1.ClusterInstanceParameters{
		Region:                     &c.Region,
		ClusterIdentifierSelector:  wiring.Own(wiring.LabelComponent, componentCluster),
		Engine:                     compose.Ptr("aurora-postgresql"),
		InstanceClass:              &spec.InstanceClass,
		AvailabilityZone:           compose.Ptr(zone),
		PromotionTier:              compose.Ptr(float64(tier)),
		PubliclyAccessible:         compose.Ptr(false),
		AutoMinorVersionUpgrade:    compose.Ptr(true),
		DBSubnetGroupNameSelector:  wiring.Own(wiring.LabelComponent, componentSubnetGroup),
		PerformanceInsightsEnabled: spec.PerformanceInsights,
		Tags:                       c.TagsFor(name),
	}
	if *spec.PerformanceInsights {
		p.PerformanceInsightsKMSKeyIDSelector = c.Env().SelectKey(wiring.KeyDatabase)
		p.PerformanceInsightsRetentionPeriod = compose.Ptr(float64(7))
	}
	return &rdsv1beta1.ClusterInstance{
		ObjectMeta: wiring.Named(name, c.Env().Labels(wiring.LayerDatabase, wiring.LabelComponent, componentInstance, wiring.LabelZone, zone)),
		Spec:       rdsv1beta1.ClusterInstanceSpec{ManagedResourceSpec: c.ManagedSpec(), ForProvider: p},
	}
}

// addSecurityGroups adds DB-5: the cluster admits 5432 from the proxy only;
// the proxy admits 5432 from the two client groups only.
func addSecurityGroups(d *compose.Desired, spec api.DatabaseSpec) {
	c := spec.Common
	env := c.Env()
	for _, purpose := range securityGroups {
		d.Add(keySG(purpose), secgroup.Group(c, naming.MustName(naming.SecurityGroup, "db"+purpose, c.EnvironmentSuffix), sgDescription[purpose],
			env.SecurityGroup(wiring.LayerDatabase, wiring.ComponentSecurityGroup, purpose)))
	}
	sg := wiring.OwnSecurityGroup
	// rule lets from reach to on 5432: ingress on to, egress on from (the
	// provider's groups start with no egress at all).
	rule := func(from, to string) {
		desc := fmt.Sprintf("PostgreSQL from %s to %s", from, to)
		d.Add("ingress-"+to+"-from-"+from, secgroup.Ingress(c, env.SecurityGroup(wiring.LayerDatabase, wiring.ComponentSecurityGroupRule, to),
			secgroup.Rule{Description: desc, Group: sg(to), Protocol: "tcp", Port: Port, PeerGroup: sg(from)}))
		d.Add("egress-"+from+"-to-"+to, secgroup.Egress(c, env.SecurityGroup(wiring.LayerDatabase, wiring.ComponentSecurityGroupRule, from),
			secgroup.Rule{Description: desc, Group: sg(from), Protocol: "tcp", Port: Port, PeerGroup: sg(to)}))
	}
	rule(wiring.SGProxy, wiring.SGDatabase)
	rule(wiring.SGClientAPI, wiring.SGProxy)
	rule(wiring.SGClientWorker, wiring.SGProxy)
}

var sgDescription = map[string]string{
	wiring.SGDatabase:     "Aurora: PostgreSQL from the RDS Proxy only",
	wiring.SGProxy:        "RDS Proxy: PostgreSQL from the database clients only",
	wiring.SGClientAPI:    "Payment API tasks: may reach the RDS Proxy",
	wiring.SGClientWorker: "Payment worker: may reach the RDS Proxy",
}

// addSecrets adds SEC-1 and SEC-2: the API keys secret, and the 30-day
// rotation of the master secret RDS manages. That secret's ARN has no
// reference field, so its rotation waits until the cluster reports it.
func addSecrets(d *compose.Desired, spec api.DatabaseSpec, obs compose.Observed) {
	c := spec.Common
	name := naming.MustName(naming.Secret, "api-keys", c.EnvironmentSuffix)
	d.Add(keyAPIKeys, &smv1beta1.Secret{
		ObjectMeta: metav1.ObjectMeta{Labels: c.Env().Labels(wiring.LayerDatabase, wiring.LabelComponent, componentSecret, wiring.LabelPurpose, "api-keys")},
		Spec: smv1beta1.SecretSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: smv1beta1.SecretParameters{
				Region:               &c.Region,
				Name:                 &name,
				Description:          compose.Ptr("Payment API key material; the API layer writes its versions"),
				KMSKeyIDSelector:     c.Env().SelectKey(wiring.KeySecrets),
				RecoveryWindowInDays: compose.Ptr(float64(7)),
				Tags:                 c.TagsFor(name),
			},
		},
	})

	secret := compose.Sticky(obs.String(keyCluster, "status.atProvider.masterUserSecret[0].secretArn"), obs, keyRotation, "spec.forProvider.secretId")
	var id *string
	if secret != "" {
		id = &secret
	}
	d.AddWhen(secret != "", obs, keyRotation, &smv1beta1.SecretRotation{
		ObjectMeta: metav1.ObjectMeta{Labels: c.Env().Labels(wiring.LayerDatabase, wiring.LabelComponent, componentSecretRotation, wiring.LabelPurpose, "master")},
		Spec: smv1beta1.SecretRotationSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: smv1beta1.SecretRotationParameters{
				Region:        &c.Region,
				SecretID:      id,
				RotationRules: &smv1beta1.RotationRulesParameters{AutomaticallyAfterDays: compose.Ptr(float64(RotationDays))},
				// Set the schedule; do not rotate the moment the cluster is born.
				RotateImmediately: compose.Ptr(false),
			},
		},
	}, "the cluster to report its master secret")
}

// addProxy adds the RDS Proxy through which every workload connects, with IAM
// authentication from client to proxy and from proxy to database.
func addProxy(d *compose.Desired, spec api.DatabaseSpec, obs compose.Observed, cluster string) {
	c := spec.Common
	suffix := c.EnvironmentSuffix
	proxy := naming.MustName(naming.DBProxy, "payments", suffix)
	labels := func(kv ...string) metav1.ObjectMeta {
		return metav1.ObjectMeta{Labels: c.Env().Labels(wiring.LayerDatabase, append([]string{wiring.LabelComponent, componentProxy}, kv...)...)}
	}

	// The proxy connects as the workloads' users with its own IAM role, whose
	// policy names the cluster's resource id: known once the cluster exists.
	// The role remembers it in an annotation, so it keeps its policy while
	// the cluster is not observed.
	resourceID := compose.Sticky(obs.String(keyCluster, "status.atProvider.clusterResourceId"),
		obs, keyProxyRole, "metadata.annotations["+AnnotationClusterResourceID+"]")
	role := naming.MustName(naming.IAMRole, "rdsproxy", suffix)
	roleMeta := wiring.Named(role, labels().Labels)
	roleMeta.Annotations[AnnotationClusterResourceID] = resourceID
	d.AddWhen(resourceID != "", obs, keyProxyRole, &iamv1beta1.Role{
		ObjectMeta: roleMeta,
		Spec: iamv1beta1.RoleSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: iamv1beta1.RoleParameters{
				AssumeRolePolicy: compose.Ptr(iampolicy.AssumeRole("rds.amazonaws.com", map[string]map[string]any{
					"StringEquals": {"aws:SourceAccount": spec.AccountID},
				})),
				InlinePolicy: []iamv1beta1.InlinePolicyParameters{{
					Name:   compose.Ptr("connect-as-workload-users"),
					Policy: compose.Ptr(iampolicy.JSON(wiring.ConnectStatement(c.Region, spec.AccountID, resourceID, wiring.DBUsers...))),
				}},
				Tags: c.TagsFor(role),
			},
		},
	}, "the cluster to report its resource id")

	d.Add(keyProxy, &rdsv1beta1.Proxy{
		ObjectMeta: wiring.Named(proxy, labels().Labels),
		Spec: rdsv1beta1.ProxySpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: rdsv1beta1.ProxyParameters{
				Region:                     &c.Region,
				EngineFamily:               compose.Ptr("POSTGRESQL"),
				DefaultAuthScheme:          compose.Ptr("IAM_AUTH"),
				RequireTLS:                 compose.Ptr(true),
				IdleClientTimeout:          compose.Ptr(float64(1800)),
				RoleArnSelector:            wiring.Own(wiring.LabelComponent, componentProxy),
				VPCSubnetIdsSelector:       c.Env().SelectSubnets(wiring.TierPrivate),
				VPCSecurityGroupIDSelector: wiring.OwnSecurityGroup(wiring.SGProxy),
				Tags:                       c.TagsFor(proxy),
			},
		},
	})
	d.Add(keyProxyTargets, &rdsv1beta1.ProxyDefaultTargetGroup{
		ObjectMeta: labels(),
		Spec: rdsv1beta1.ProxyDefaultTargetGroupSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: rdsv1beta1.ProxyDefaultTargetGroupParameters{
				Region:              &c.Region,
				DBProxyNameSelector: wiring.Own(wiring.LabelComponent, componentProxy),
				ConnectionPoolConfig: &rdsv1beta1.ConnectionPoolConfigParameters{
					MaxConnectionsPercent:     compose.Ptr(float64(capacity.ProxyMaxConnectionsPercent)),
					MaxIdleConnectionsPercent: compose.Ptr(float64(50)),
					ConnectionBorrowTimeout:   compose.Ptr(float64(120)),
				},
			},
		},
	})
	// The target names the cluster by identifier (no reference field), and
	// registering a cluster that does not exist yet fails.
	d.AddWhen(obs.Ready(keyCluster), obs, keyProxyTarget, &rdsv1beta1.ProxyTarget{
		ObjectMeta: labels(),
		Spec: rdsv1beta1.ProxyTargetSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: rdsv1beta1.ProxyTargetParameters{
				Region:              &c.Region,
				DBProxyNameSelector: wiring.Own(wiring.LabelComponent, componentProxy),
				TargetGroupName:     compose.Ptr("default"),
				DBClusterIdentifier: compose.Ptr(cluster),
			},
		},
	}, "the cluster to be ready")

	// Read-only endpoint of the proxy, for the readers. The kind takes subnet
	// ids only; the claim passes the private subnets from the network status.
	subnets := compose.Sticky(spec.PrivateSubnetIDs, obs, keyProxyReadOnly, "spec.forProvider.vpcSubnetIds")
	ro := naming.MustName(naming.DBProxy, "payments-ro", suffix)
	ids := make([]*string, 0, len(subnets))
	for i := range subnets {
		ids = append(ids, &subnets[i])
	}
	roMeta := wiring.Named(ro, labels(wiring.LabelPurpose, "read-only").Labels)
	d.AddWhen(len(ids) > 0, obs, keyProxyReadOnly, &rdsv1beta1.ProxyEndpoint{
		ObjectMeta: roMeta,
		Spec: rdsv1beta1.ProxyEndpointSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: rdsv1beta1.ProxyEndpointParameters{
				Region:                     &c.Region,
				DBProxyNameSelector:        wiring.Own(wiring.LabelComponent, componentProxy),
				TargetRole:                 compose.Ptr("READ_ONLY"),
				VPCSubnetIds:               ids,
				VPCSecurityGroupIDSelector: wiring.OwnSecurityGroup(wiring.SGProxy),
				Tags:                       c.TagsFor(ro),
			},
		},
	}, "the private subnet ids (spec.parameters.privateSubnetIds)")
}

// status gathers the outputs other layers and the tenant need.
func status(obs compose.Observed) api.DatabaseStatus {
	st := api.DatabaseStatus{
		ClusterIdentifier:     obs.String(keyCluster, wiring.ExternalNamePath),
		WriterEndpoint:        obs.String(keyCluster, "status.atProvider.endpoint"),
		ReaderEndpoint:        obs.String(keyCluster, "status.atProvider.readerEndpoint"),
		ClusterResourceID:     obs.String(keyCluster, "status.atProvider.clusterResourceId"),
		MasterSecretARN:       obs.String(keyCluster, "status.atProvider.masterUserSecret[0].secretArn"),
		APIKeysSecretARN:      obs.String(keyAPIKeys, "status.atProvider.arn"),
		ProxyEndpoint:         obs.String(keyProxy, "status.atProvider.endpoint"),
		ProxyReadOnlyEndpoint: obs.String(keyProxyReadOnly, "status.atProvider.endpoint"),
		LogGroup:              obs.String(keyLogGroup, wiring.ExternalNamePath),
	}
	if arn := obs.String(keyProxy, "status.atProvider.arn"); arn != "" {
		// arn:aws:rds:<region>:<account>:db-proxy:prx-0123…: the resource id
		// clients' rds-db:connect statements name.
		st.ProxyResourceID = arn[strings.LastIndex(arn, ":")+1:]
	}
	if obs.Exists(keyCluster) {
		st.Port = Port
	}
	for _, p := range securityGroups {
		if id := obs.String(keySG(p), "status.atProvider.id"); id != "" {
			if st.SecurityGroupIDs == nil {
				st.SecurityGroupIDs = map[string]string{}
			}
			st.SecurityGroupIDs[p] = id
		}
	}
	return st
}
