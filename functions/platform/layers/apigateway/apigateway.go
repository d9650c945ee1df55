// Package apigateway builds the API layer (SPEC API-1…API-4, EDGE-3): a
// regional REST API whose default execute-api endpoint is disabled, reached
// only through a regional custom domain with mutual TLS (a truststore in a
// bucket of its own) and TLS 1.2; a {proxy+} resource and the root, each
// method requiring an API key, integrated privately with the compute layer's
// ALB through a VPC link v2; a stage throttled at 1000 requests per second,
// with metrics, X-Ray and access logs to an encrypted log group kept seven
// years; usage plans with throttles, quotas and API keys whose values never
// leave AWS but for a Secret in the XR's namespace.
package apigateway

import (
	"fmt"

	agv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/apigateway/v1beta1"
	agv2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/apigatewayv2/v1beta1"
	cwlv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatchlogs/v1beta1"
	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"
	s3v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/s3/v1beta1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/layer"
	"github.com/fintech-platform/payment-platform/functions/platform/logs"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/secgroup"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// Layer is the API layer's entry in the function's registry.
var Layer = layer.New[api.GatewaySpec, api.GatewayStatus](api.KindAPIGateway, Build,
	&ec2v1beta1.SecurityGroup{}, &ec2v1beta1.SecurityGroupEgressRule{}, &agv2v1beta1.VPCLink{},
	&agv1beta1.RestAPI{}, &agv1beta1.Resource{}, &agv1beta1.Method{}, &agv1beta1.Integration{},
	&agv1beta1.Deployment{}, &agv1beta1.Stage{}, &agv1beta1.MethodSettings{}, &cwlv1beta1.Group{},
	&s3v1beta1.Bucket{}, &s3v1beta1.BucketVersioning{}, &s3v1beta1.BucketServerSideEncryptionConfiguration{},
	&s3v1beta1.BucketPublicAccessBlock{}, &s3v1beta1.BucketOwnershipControls{}, &s3v1beta1.BucketPolicy{}, &s3v1beta1.BucketLogging{},
	&s3v1beta1.Object{}, &agv1beta1.DomainName{}, &agv1beta1.BasePathMapping{},
	&agv1beta1.UsagePlan{}, &agv1beta1.APIKey{}, &agv1beta1.UsagePlanKey{})

// Components only this layer's own resources select on.
const (
	componentVPCLink      = "vpc-link"
	componentRestAPI      = "rest-api"
	componentResource     = "resource"
	componentMethod       = "method"
	componentIntegration  = "integration"
	componentDeployment   = "deployment"
	componentStage        = "stage"
	componentMethodSet    = "method-settings"
	componentLogGroup     = "log-group"
	componentBucket       = "truststore-bucket"
	componentBucketConfig = "truststore-bucket-config"
	componentObject       = "truststore"
	componentDomainName   = "domain-name"
	componentMapping      = "base-path-mapping"
	componentUsagePlan    = "usage-plan"
	componentAPIKey       = "api-key"
	componentUsagePlanKey = "usage-plan-key"
)

// AnnotationRestAPIID is on the execution log group: it remembers the id of
// the REST API its AWS-fixed name carries, so the group keeps its name while
// the API is not observed.
const AnnotationRestAPIID = wiring.LabelPrefix + "rest-api-id"

// Pipeline keys.
const (
	keySecurityGroup = "security-group-" + wiring.SGVPCLink
	keyEgress        = "egress-" + wiring.SGVPCLink + "-to-" + wiring.SGLoadBalancer
	keyVPCLink       = "vpc-link"
	keyRestAPI       = "rest-api"
	keyProxyResource = "resource-proxy"
	keyDeployment    = "deployment"
	keyStage         = "stage"
	keyMethodSetting = "method-settings"
	keyAccessLogs    = "access-log-group"
	keyExecLogs      = "execution-log-group"
	keyDomainName    = "domain-name"
	keyMapping       = "base-path-mapping"
)

// The API's two routes: the root and everything under it.
const (
	routeRoot  = "root"
	routeProxy = "proxy"
)

var routes = []string{routeRoot, routeProxy}

func keyMethod(route string) string      { return "method-" + route }
func keyIntegration(route string) string { return "integration-" + route }

// HTTPS is the ALB listener's port the integrations call (SPEC EDGE-1).
const HTTPS = 443

// Names of environment suffix.
func restAPIName(suffix string) string { return naming.MustName(naming.RestAPI, "payments", suffix) }
func vpcLinkName(suffix string) string { return naming.MustName(naming.VPCLink, "payments", suffix) }
func accessLogGroup(suffix string) string {
	return naming.MustName(naming.LogGroup, "api-access", suffix)
}

// StageName is the stage of environment suffix. It ends with the suffix,
// which puts the execution log group API Gateway names after it among the
// log groups the logs key admits (*-<suffix>).
func StageName(suffix string) string { return naming.MustName(naming.APIStage, "payments", suffix) }

// ExecutionLogGroup is where API Gateway writes the stage's execution logs;
// API Gateway fixes the name, so it cannot follow the naming rule.
func ExecutionLogGroup(apiID, suffix string) string {
	return "API-Gateway-Execution-Logs_" + apiID + "/" + StageName(suffix)
}

// Build returns the API layer's desired resources for spec given what is observed.
func Build(spec api.GatewaySpec, obs compose.Observed) (*compose.Desired, error) {
	spec.Default()
	if errs := spec.Validate(api.Parameters); len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	b := &builder{spec: spec, c: spec.Common, obs: obs, d: compose.NewDesired()}
	b.vpcLink()
	b.restAPI()
	b.stage()
	b.truststore()
	b.domain()
	b.usagePlans()
	b.usages()
	b.d.Status = b.status()
	return b.d, nil
}

// builder holds what every part of the layer reads.
type builder struct {
	spec api.GatewaySpec
	c    compose.Common
	obs  compose.Observed
	d    *compose.Desired
}

func (b *builder) labels(component string, kv ...string) map[string]string {
	return b.c.Env().Labels(wiring.LayerAPI, append([]string{wiring.LabelComponent, component}, kv...)...)
}

func (b *builder) meta(component string, kv ...string) metav1.ObjectMeta {
	return wiring.Meta(b.labels(component, kv...))
}

// vpcLink adds the VPC link v2 in the private subnets and its security
// group, which may reach the ALB's on 443 and nothing else. The compute
// layer's ALB group admits 443 from this group only (EDGE-3): the ALB is not
// a way around mutual TLS.
func (b *builder) vpcLink() {
	c, env := b.c, b.c.Env()
	suffix := c.EnvironmentSuffix
	b.d.Add(keySecurityGroup, secgroup.Group(c, naming.MustName(naming.SecurityGroup, wiring.SGVPCLink, suffix),
		"API Gateway VPC link: HTTPS to the payment API load balancer only",
		env.SecurityGroup(wiring.LayerAPI, wiring.ComponentSecurityGroup, wiring.SGVPCLink)))
	b.d.Add(keyEgress, secgroup.Egress(c, env.SecurityGroup(wiring.LayerAPI, wiring.ComponentSecurityGroupRule, wiring.SGVPCLink),
		secgroup.Rule{
			Description: "HTTPS from the API Gateway VPC link to the load balancer",
			Group:       wiring.OwnSecurityGroup(wiring.SGVPCLink),
			Protocol:    "tcp",
			Port:        HTTPS,
			PeerGroup:   env.SelectSecurityGroup(wiring.SGLoadBalancer),
		}))
	name := vpcLinkName(suffix)
	b.d.Add(keyVPCLink, &agv2v1beta1.VPCLink{
		ObjectMeta: b.meta(componentVPCLink),
		Spec: agv2v1beta1.VPCLinkSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: agv2v1beta1.VPCLinkParameters{
				Region: &c.Region,
				Name:   &name,
				// A VPC link v2 is immutable: its subnets and group are
				// chosen once, by selector.
				SubnetIDSelector:        env.SelectSubnets(wiring.TierPrivate),
				SecurityGroupIDSelector: wiring.OwnSecurityGroup(wiring.SGVPCLink),
				Tags:                    c.TagsFor(name),
			},
		},
	})
}

// restAPI adds the REST API (API-1: regional, execute-api endpoint off), its
// {proxy+} resource and, for the root and the proxy, a method requiring an
// API key (API-2) integrated with the ALB through the VPC link (API-3).
func (b *builder) restAPI() {
	c := b.c
	name := restAPIName(c.EnvironmentSuffix)
	b.d.Add(keyRestAPI, &agv1beta1.RestAPI{
		ObjectMeta: b.meta(componentRestAPI),
		Spec: agv1beta1.RestAPISpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: agv1beta1.RestAPIParameters{
				Region:      &c.Region,
				Name:        &name,
				Description: compose.Ptr("Payment API: mutual TLS on " + b.spec.DomainName + " only"),
				// Every request goes through the custom domain and its
				// mutual TLS (API-1).
				DisableExecuteAPIEndpoint: compose.Ptr(true),
				EndpointConfiguration:     &agv1beta1.RestAPIEndpointConfigurationParameters{Types: []*string{compose.Ptr("REGIONAL")}},
				APIKeySource:              compose.Ptr("HEADER"),
				Tags:                      c.TagsFor(name),
			},
		},
	})
	b.d.Add(keyProxyResource, &agv1beta1.Resource{
		ObjectMeta: b.meta(componentResource, wiring.LabelPurpose, routeProxy),
		Spec: agv1beta1.ResourceSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: agv1beta1.ResourceParameters{
				Region:            &c.Region,
				RestAPIIDSelector: wiring.Own(wiring.LabelComponent, componentRestAPI),
				ParentIDSelector:  wiring.Own(wiring.LabelComponent, componentRestAPI),
				PathPart:          compose.Ptr("{proxy+}"),
			},
		},
	})

	// The root is the REST API's own resource, not a managed one: its id is
	// read from the API's observed state (and kept by the methods once made).
	rootID := compose.Sticky(b.obs.String(keyRestAPI, "status.atProvider.rootResourceId"), b.obs, keyMethod(routeRoot), "spec.forProvider.resourceId")
	// The VPC link's id and the ALB's ARN have no reference this kind can
	// follow to them (connectionId's points at VPC links v1): literals, kept
	// by the integrations once made.
	linkID := compose.Sticky(b.obs.String(keyVPCLink, "status.atProvider.id"), b.obs, keyIntegration(routeProxy), "spec.forProvider.connectionId")
	target := compose.Sticky(b.spec.LoadBalancerARN, b.obs, keyIntegration(routeProxy), "spec.forProvider.integrationTarget")

	for _, route := range routes {
		m := &agv1beta1.Method{
			ObjectMeta: b.meta(componentMethod, wiring.LabelPurpose, route),
			Spec: agv1beta1.MethodSpec{
				ManagedResourceSpec: c.ManagedSpec(),
				ForProvider: agv1beta1.MethodParameters{
					Region:            &c.Region,
					RestAPIIDSelector: wiring.Own(wiring.LabelComponent, componentRestAPI),
					HTTPMethod:        compose.Ptr("ANY"),
					// Clients authenticate with their certificate (mutual
					// TLS on the domain) and are metered by their API key.
					Authorization:  compose.Ptr("NONE"),
					APIKeyRequired: compose.Ptr(true),
				},
			},
		}
		ready := true
		if route == routeRoot {
			m.Spec.ForProvider.ResourceID = optional(rootID)
			ready = rootID != ""
		} else {
			m.Spec.ForProvider.ResourceIDSelector = wiring.Own(wiring.LabelComponent, componentResource, wiring.LabelPurpose, routeProxy)
			m.Spec.ForProvider.RequestParameters = map[string]*bool{"method.request.path.proxy": compose.Ptr(true)}
		}
		b.d.AddWhen(ready, b.obs, keyMethod(route), m, "the REST API to report its root resource")

		b.d.AddWhen(linkID != "" && target != "" && b.obs.Ready(keyMethod(route)), b.obs, keyIntegration(route),
			b.integration(route, rootID, linkID, target), waitsFor(linkID, target, keyMethod(route)))
	}
}

// integration is route's private integration with the ALB (API-3): HTTPS to
// the backend host name, through the VPC link, to the ALB target.
func (b *builder) integration(route, rootID, linkID, target string) *agv1beta1.Integration {
	c := b.c
	p := agv1beta1.IntegrationParameters{
		Region:                &c.Region,
		RestAPIIDSelector:     wiring.Own(wiring.LabelComponent, componentRestAPI),
		HTTPMethod:            compose.Ptr("ANY"),
		Type:                  compose.Ptr("HTTP_PROXY"),
		IntegrationHTTPMethod: compose.Ptr("ANY"),
		ConnectionType:        compose.Ptr("VPC_LINK"),
		ConnectionID:          optional(linkID),
		IntegrationTarget:     optional(target),
		TimeoutMilliseconds:   compose.Ptr(float64(29000)),
		// The URI's host is the Host header and the name API Gateway checks
		// the listener's certificate against; its port picks the listener.
		URI: compose.Ptr(fmt.Sprintf("https://%s:%d/", b.spec.BackendHostName, HTTPS)),
	}
	if route == routeRoot {
		p.ResourceID = optional(rootID)
	} else {
		p.ResourceIDSelector = wiring.Own(wiring.LabelComponent, componentResource, wiring.LabelPurpose, routeProxy)
		p.URI = compose.Ptr(fmt.Sprintf("https://%s:%d/{proxy}", b.spec.BackendHostName, HTTPS))
		p.RequestParameters = map[string]*string{"integration.request.path.proxy": compose.Ptr("method.request.path.proxy")}
		p.CacheKeyParameters = []*string{compose.Ptr("method.request.path.proxy")}
	}
	return &agv1beta1.Integration{
		ObjectMeta: b.meta(componentIntegration, wiring.LabelPurpose, route),
		Spec:       agv1beta1.IntegrationSpec{ManagedResourceSpec: c.ManagedSpec(), ForProvider: p},
	}
}

func waitsFor(linkID, target, method string) string {
	switch {
	case target == "":
		return "the load balancer's ARN (spec.parameters.loadBalancerArn)"
	case linkID == "":
		return "the VPC link to report its id"
	}
	return method + " to be ready"
}

// stage adds the deployment, the stage with access logs (API-4) and X-Ray,
// and the method settings that throttle every method at 1000 requests per
// second with the configured burst (API-2) and turn metrics on (API-4).
func (b *builder) stage() {
	c, obs := b.c, b.obs
	suffix := c.EnvironmentSuffix
	stage := StageName(suffix)

	access := accessLogGroup(suffix)
	b.d.Add(keyAccessLogs, logs.Group(c, access, b.labels(componentLogGroup, wiring.LabelPurpose, "access")))

	// API Gateway would make the execution log group itself, unencrypted
	// and kept forever: it is made first, named after the API's id.
	apiID := compose.Sticky(obs.String(keyRestAPI, "status.atProvider.id"), obs, keyExecLogs, "metadata.annotations["+AnnotationRestAPIID+"]")
	exec := logs.Group(c, ExecutionLogGroup(apiID, suffix), b.labels(componentLogGroup, wiring.LabelPurpose, "execution"))
	exec.Annotations[AnnotationRestAPIID] = apiID
	b.d.AddWhen(apiID != "", obs, keyExecLogs, exec, "the REST API to report its id")

	// A deployment snapshots the methods and integrations: it waits for all.
	deps := true
	for _, r := range routes {
		deps = deps && obs.Ready(keyMethod(r)) && obs.Ready(keyIntegration(r))
	}
	b.d.AddWhen(deps, obs, keyDeployment, &agv1beta1.Deployment{
		ObjectMeta: b.meta(componentDeployment),
		Spec: agv1beta1.DeploymentSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: agv1beta1.DeploymentParameters{
				Region:            &c.Region,
				RestAPIIDSelector: wiring.Own(wiring.LabelComponent, componentRestAPI),
				Description:       compose.Ptr("Payment API: the root and {proxy+} through the VPC link"),
			},
		},
	}, "the methods and integrations to be ready")

	b.d.AddWhen(obs.Ready(keyDeployment) && obs.Ready(keyAccessLogs), obs, keyStage, &agv1beta1.Stage{
		ObjectMeta: b.meta(componentStage),
		Spec: agv1beta1.StageSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: agv1beta1.StageParameters{
				Region:               &c.Region,
				StageName:            &stage,
				RestAPIIDSelector:    wiring.Own(wiring.LabelComponent, componentRestAPI),
				DeploymentIDSelector: wiring.Own(wiring.LabelComponent, componentDeployment),
				XrayTracingEnabled:   compose.Ptr(true),
				AccessLogSettings: &agv1beta1.AccessLogSettingsParameters{
					// The kind takes the group's ARN as a literal; the name
					// is ours, so the ARN is known without reading it back.
					DestinationArn: compose.Ptr(fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", c.Region, b.spec.AccountID, access)),
					Format:         compose.Ptr(AccessLogFormat),
				},
				Tags: c.TagsFor(stage),
			},
		},
	}, "the deployment and the access log group to be ready")

	b.d.AddWhen(obs.Ready(keyStage) && obs.Ready(keyExecLogs), obs, keyMethodSetting, &agv1beta1.MethodSettings{
		ObjectMeta: b.meta(componentMethodSet),
		Spec: agv1beta1.MethodSettingsSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: agv1beta1.MethodSettingsParameters{
				Region:            &c.Region,
				RestAPIIDSelector: wiring.Own(wiring.LabelComponent, componentRestAPI),
				StageNameSelector: wiring.Own(wiring.LabelComponent, componentStage),
				MethodPath:        compose.Ptr("*/*"),
				Settings: &agv1beta1.SettingsParameters{
					ThrottlingRateLimit:  compose.Ptr(float64(api.RateLimit)),
					ThrottlingBurstLimit: compose.Ptr(float64(b.spec.BurstLimit)),
					MetricsEnabled:       compose.Ptr(true),
					LoggingLevel:         compose.Ptr("ERROR"),
					// Request and response bodies carry card data: never logged.
					DataTraceEnabled: compose.Ptr(false),
					// No response caching for payments; were it turned on, encrypted.
					CachingEnabled:     compose.Ptr(false),
					CacheDataEncrypted: compose.Ptr(true),
				},
			},
		},
	}, "the stage and the execution log group to be ready")
}

// AccessLogFormat is the stage's access log line: who called (address, API
// key id, client certificate), what, when, the answer and how long the
// backend took. Never the API key itself.
const AccessLogFormat = `{"requestId":"$context.requestId","extendedRequestId":"$context.extendedRequestId",` +
	`"ip":"$context.identity.sourceIp","caller":"$context.identity.caller","user":"$context.identity.user",` +
	`"apiKeyId":"$context.identity.apiKeyId","userAgent":"$context.identity.userAgent",` +
	`"requestTime":"$context.requestTime","requestTimeEpoch":"$context.requestTimeEpoch",` +
	`"domainName":"$context.domainName","httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath",` +
	`"path":"$context.path","protocol":"$context.protocol","status":"$context.status",` +
	`"responseLength":"$context.responseLength","responseLatency":"$context.responseLatency",` +
	`"integrationStatus":"$context.integration.status","integrationLatency":"$context.integrationLatency",` +
	`"errorMessage":"$context.error.message","errorType":"$context.error.responseType",` +
	`"clientCertSubjectDN":"$context.identity.clientCert.subjectDN",` +
	`"clientCertIssuerDN":"$context.identity.clientCert.issuerDN",` +
	`"clientCertSerialNumber":"$context.identity.clientCert.serialNumber",` +
	`"clientCertNotAfter":"$context.identity.clientCert.validity.notAfter"}`

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
