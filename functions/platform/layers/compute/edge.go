package compute

import (
	"fmt"

	elbv2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/elbv2/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/secgroup"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// TLSPolicy is the HTTPS listener's security policy: TLS 1.3 and 1.2 only,
// forward-secret ciphers (EDGE-1).
const TLSPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

// The listeners' ports.
const (
	HTTPSPort = 443
	HTTPPort  = 80
)

// A rule is one security-group rule of the layer, by pipeline key.
type rule struct {
	key     string
	ingress bool
	r       secgroup.Rule
}

// rules are the layer's security-group rules (EDGE-3, CMP-1): the ALB admits
// HTTPS from API Gateway's VPC link only (the link calls it over HTTPS; the
// HTTP listener's redirect is for EDGE-1, reachable by no one today), and
// reaches the tasks on their port only; the tasks admit the ALB only, and
// reach HTTPS anywhere (the AWS endpoints, the payment processor). They reach
// the RDS Proxy through the database's client group.
func rules(spec api.ComputeSpec) []rule {
	env := spec.Env()
	lb, tasks := wiring.OwnSecurityGroup(wiring.SGLoadBalancer), wiring.OwnSecurityGroup(wiring.SGAPITasks)
	link := env.SelectSecurityGroup(wiring.SGVPCLink)
	port := spec.ContainerPort
	var out []rule
	// Without an API in front, the ALB admits nothing: there is no VPC link
	// group to select.
	if spec.APIGateway {
		out = append(out, rule{"ingress-load-balancer-https-from-vpc-link", true, secgroup.Rule{Description: "HTTPS from the API Gateway VPC link only", Group: lb, Protocol: "tcp", Port: HTTPSPort, PeerGroup: link}})
	}
	return append(out, []rule{
		{"egress-load-balancer-to-api-tasks", false, secgroup.Rule{Description: fmt.Sprintf("To the API tasks on %d", port), Group: lb, Protocol: "tcp", Port: port, PeerGroup: tasks}},
		{"ingress-api-tasks-from-load-balancer", true, secgroup.Rule{Description: fmt.Sprintf("From the load balancer on %d", port), Group: tasks, Protocol: "tcp", Port: port, PeerGroup: lb}},
		{"egress-api-tasks-https", false, secgroup.Rule{Description: "HTTPS to AWS endpoints and the payment processor", Group: tasks, Protocol: "tcp", Port: HTTPSPort, CIDR: "0.0.0.0/0"}},
	}...)
}

var sgDescription = map[string]string{
	wiring.SGLoadBalancer: "Payment API load balancer: from the API Gateway VPC link only",
	wiring.SGAPITasks:     "Payment API tasks: from the load balancer only",
}

var sgPurpose = map[string]string{wiring.SGLoadBalancer: "alb", wiring.SGAPITasks: "api-tasks"}

func addSecurityGroups(d *compose.Desired, spec api.ComputeSpec) {
	c := spec.Common
	env := c.Env()
	for _, p := range []string{wiring.SGLoadBalancer, wiring.SGAPITasks} {
		d.Add(keySG(p), secgroup.Group(c, naming.MustName(naming.SecurityGroup, sgPurpose[p], c.EnvironmentSuffix), sgDescription[p],
			env.SecurityGroup(wiring.LayerCompute, wiring.ComponentSecurityGroup, p)))
	}
	for _, r := range rules(spec) {
		purpose := r.r.Group.MatchLabels[wiring.LabelPurpose]
		labels := env.SecurityGroup(wiring.LayerCompute, wiring.ComponentSecurityGroupRule, purpose)
		if r.ingress {
			d.Add(r.key, secgroup.Ingress(c, labels, r.r))
		} else {
			d.Add(r.key, secgroup.Egress(c, labels, r.r))
		}
	}
}

// addLoadBalancer adds EDGE-1: the ALB in the public subnets, internal (no
// public address: only the VPC link reaches it, ADR 0013), invalid headers
// dropped; its target group of the tasks' addresses with the claim's health
// check; an HTTPS listener with the claim's certificate, which it names by
// literal ARN only and so waits for; HTTP redirected to HTTPS.
// actionIndex is the key of a listener's one default action. The provider's
// CRD injects index into the action list as its map key, defaulted to
// "default" by the API server; the function sets it so what it applies is
// what the API server stores (make e2e compares them).
const actionIndex = "default"

func addLoadBalancer(d *compose.Desired, spec api.ComputeSpec, obs compose.Observed) {
	c := spec.Common
	labels := func(component string, kv ...string) map[string]string {
		return c.Env().Labels(wiring.LayerCompute, append([]string{wiring.LabelComponent, component}, kv...)...)
	}
	name := naming.MustName(naming.LoadBalancer, "payments", c.EnvironmentSuffix)
	d.Add(keyLB, &elbv2v1beta1.LB{
		ObjectMeta: wiring.Meta(labels(componentLB)),
		Spec: elbv2v1beta1.LBSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: elbv2v1beta1.LBParameters{
				Region:                   &c.Region,
				Name:                     &name,
				LoadBalancerType:         compose.Ptr("application"),
				Internal:                 compose.Ptr(true),
				IPAddressType:            compose.Ptr("ipv4"),
				SubnetSelector:           c.Env().SelectSubnets(wiring.TierPublic),
				SecurityGroupSelector:    wiring.OwnSecurityGroup(wiring.SGLoadBalancer),
				DropInvalidHeaderFields:  compose.Ptr(true),
				DesyncMitigationMode:     compose.Ptr("strictest"),
				EnableHttp2:              compose.Ptr(true),
				IdleTimeout:              compose.Ptr(float64(60)),
				EnableDeletionProtection: compose.Ptr(false),
				Tags:                     c.TagsFor(name),
			},
		},
	})

	tg := naming.MustName(naming.TargetGroup, "api", c.EnvironmentSuffix)
	d.Add(keyTargetGroup, &elbv2v1beta1.LBTargetGroup{
		ObjectMeta: wiring.Meta(labels(componentTargetGroup)),
		Spec: elbv2v1beta1.LBTargetGroupSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: elbv2v1beta1.LBTargetGroupParameters{
				Region:              &c.Region,
				Name:                &tg,
				TargetType:          compose.Ptr("ip"),
				Protocol:            compose.Ptr("HTTP"),
				Port:                compose.Ptr(float64(spec.ContainerPort)),
				VPCIDSelector:       c.Env().SelectVPC(),
				DeregistrationDelay: compose.Ptr("30"),
				HealthCheck: &elbv2v1beta1.HealthCheckParameters{
					Enabled:            compose.Ptr(true),
					Path:               &spec.HealthCheckPath,
					Protocol:           compose.Ptr("HTTP"),
					Port:               compose.Ptr("traffic-port"),
					Matcher:            compose.Ptr("200"),
					Interval:           compose.Ptr(float64(15)),
					Timeout:            compose.Ptr(float64(5)),
					HealthyThreshold:   compose.Ptr(float64(2)),
					UnhealthyThreshold: compose.Ptr(float64(3)),
				},
				Tags: c.TagsFor(tg),
			},
		},
	})

	own := wiring.Own(wiring.LabelComponent, componentLB)
	cert := compose.Sticky(spec.CertificateARN, obs, keyHTTPS, "spec.forProvider.certificateArn")
	var certARN *string
	if cert != "" {
		certARN = &cert
	}
	d.AddWhen(cert != "", obs, keyHTTPS, &elbv2v1beta1.LBListener{
		ObjectMeta: wiring.Meta(labels(componentListener, wiring.LabelPurpose, "https")),
		Spec: elbv2v1beta1.LBListenerSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: elbv2v1beta1.LBListenerParameters{
				Region:                  &c.Region,
				LoadBalancerArnSelector: own,
				Port:                    compose.Ptr(float64(HTTPSPort)),
				Protocol:                compose.Ptr("HTTPS"),
				SSLPolicy:               compose.Ptr(TLSPolicy),
				CertificateArn:          certARN,
				DefaultAction: []elbv2v1beta1.DefaultActionParameters{{
					Index:                  compose.Ptr(actionIndex),
					Type:                   compose.Ptr("forward"),
					TargetGroupArnSelector: wiring.Own(wiring.LabelComponent, componentTargetGroup),
				}},
				Tags: c.TagsFor(name + "-https"),
			},
		},
	}, "a certificate (spec.parameters.certificateArn)")

	d.Add(keyHTTP, &elbv2v1beta1.LBListener{
		ObjectMeta: wiring.Meta(labels(componentListener, wiring.LabelPurpose, "http")),
		Spec: elbv2v1beta1.LBListenerSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: elbv2v1beta1.LBListenerParameters{
				Region:                  &c.Region,
				LoadBalancerArnSelector: own,
				Port:                    compose.Ptr(float64(HTTPPort)),
				Protocol:                compose.Ptr("HTTP"),
				DefaultAction: []elbv2v1beta1.DefaultActionParameters{{
					Index: compose.Ptr(actionIndex),
					Type:  compose.Ptr("redirect"),
					Redirect: &elbv2v1beta1.RedirectParameters{
						Protocol:   compose.Ptr("HTTPS"),
						Port:       compose.Ptr(fmt.Sprint(HTTPSPort)),
						StatusCode: compose.Ptr("HTTP_301"),
					},
				}},
				Tags: c.TagsFor(name + "-http"),
			},
		},
	})
}
