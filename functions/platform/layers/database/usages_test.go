package database

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/fintech-platform/payment-platform/functions/platform/wiring"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	ct "github.com/fintech-platform/payment-platform/functions/platform/compose/composetest"
	"github.com/fintech-platform/payment-platform/functions/platform/usage"
)

// side prints one side of a Usage: its kind, "own" when it must be composed by
// the same XR, and its labels without the platform's prefix.
func side(r *usage.Resource) string {
	var kv []string
	for k, v := range r.ResourceSelector.MatchLabels {
		kv = append(kv, strings.TrimPrefix(k, wiring.LabelPrefix)+"="+v)
	}
	sort.Strings(kv)
	if own := r.ResourceSelector.MatchControllerRef; own != nil && *own {
		kv = append([]string{"own"}, kv...)
	}
	return fmt.Sprintf("%s %s{%s}", r.APIVersion, r.Kind, strings.Join(kv, ","))
}

// selector is r's selector as CheckSelectors reads it, in an object.
func selector(r usage.Resource) map[string]any {
	labels := map[string]any{}
	for k, v := range r.ResourceSelector.MatchLabels {
		labels[k] = v
	}
	s := map[string]any{"matchLabels": labels}
	if r.ResourceSelector.MatchControllerRef != nil {
		s["matchControllerRef"] = *r.ResourceSelector.MatchControllerRef
	}
	return map[string]any{"resourceSelector": s}
}

// allReady is observed state in which every user of a Usage is ready.
func allReady() compose.Observed {
	obs := everythingReady()
	for k, v := range ct.Observed(
		ct.Res{Name: keySubnetGroup, Ready: true},
		ct.Res{Name: keyAPIKeys, Ready: true},
		ct.Res{Name: keyProxy, Ready: true},
		ct.Res{Name: keyProxyTarget, Ready: true},
		ct.Res{Name: keySG(wiring.SGDatabase), Ready: true},
	) {
		obs[k] = v
	}
	return obs
}

// TestDatabase_UsagesKeepKeysAndNetwork_X8: once their users are ready, the
// layer keeps the keys and the database subnets until the cluster, the API
// keys secret and the log group are gone, and the cluster until the proxy
// and its registration are gone: exactly these pairs, each side selected in
// the environment (another layer's resource) or among the XR's own.
func TestDatabase_UsagesKeepKeysAndNetwork_X8(t *testing.T) {
	const (
		key     = "kms.aws.m.upbound.io/v1beta1 Key{component=kms-key,environment=dev,purpose=%s}"
		subnet  = "ec2.aws.m.upbound.io/v1beta1 Subnet{component=subnet,environment=dev,tier=database,zone=%s}"
		cluster = "rds.aws.m.upbound.io/v1beta1 Cluster{own,component=cluster}"
		group   = "rds.aws.m.upbound.io/v1beta1 SubnetGroup{own,component=subnet-group}"
	)
	want := map[string]string{
		"usage-key-database-by-cluster":                    fmt.Sprintf(key, "database") + " by " + cluster,
		"usage-key-secrets-by-cluster":                     fmt.Sprintf(key, "secrets") + " by " + cluster,
		"usage-key-secrets-by-api-keys-secret":             fmt.Sprintf(key, "secrets") + " by secretsmanager.aws.m.upbound.io/v1beta1 Secret{own,component=secret,purpose=api-keys}",
		"usage-key-logs-by-log-group":                      fmt.Sprintf(key, "logs") + " by cloudwatchlogs.aws.m.upbound.io/v1beta1 Group{own,component=log-group}",
		"usage-subnet-database-us-east-1a-by-subnet-group": fmt.Sprintf(subnet, "us-east-1a") + " by " + group,
		"usage-subnet-database-us-east-1b-by-subnet-group": fmt.Sprintf(subnet, "us-east-1b") + " by " + group,
		"usage-subnet-database-us-east-1c-by-subnet-group": fmt.Sprintf(subnet, "us-east-1c") + " by " + group,
		"usage-subnet-group-by-cluster":                    group + " by " + cluster,
		"usage-security-group-database-by-cluster":         "ec2.aws.m.upbound.io/v1beta1 SecurityGroup{own,component=security-group,purpose=database} by " + cluster,
		"usage-cluster-by-proxy":                           cluster + " by rds.aws.m.upbound.io/v1beta1 Proxy{own,component=proxy}",
		"usage-cluster-by-proxy-target":                    cluster + " by rds.aws.m.upbound.io/v1beta1 ProxyTarget{own,component=proxy}",
	}
	s := spec()
	s.PrivateSubnetIDs = []string{"subnet-a", "subnet-b", "subnet-c"}
	d := ct.Build(t, Build, s, allReady())
	got := ct.Of[*usage.Usage](d)
	if len(got) != len(want) {
		t.Errorf("%d Usages, want %d", len(got), len(want))
	}
	for name, pair := range want {
		u, ok := got[name]
		if !ok {
			t.Errorf("no %s", name)
			continue
		}
		if s := side(&u.Spec.Of) + " by " + side(u.Spec.By); s != pair {
			t.Errorf("%s keeps\n  %s\nwant\n  %s", name, s, pair)
		}
		if !*u.Spec.ReplayDeletion || u.Labels[wiring.LabelLayer] != wiring.LayerDatabase || u.Labels[wiring.LabelComponent] != usage.Component || u.Labels[wiring.LabelEnvironment] != "dev" {
			t.Errorf("%s: replay %v labels %v", name, *u.Spec.ReplayDeletion, u.Labels)
		}
		ct.CheckSelectors(t, name, map[string]any{"of": selector(u.Spec.Of), "by": selector(*u.Spec.By)}, "dev")
	}
	if len(d.Waiting) != 0 {
		t.Errorf("waiting with every user ready: %v", d.Waiting)
	}
}

// TestDatabase_UsagesWaitForTheirUsers_X8: a Usage is composed once its user is
// ready (so what it uses exists and its selectors resolve at once), and once
// composed it stays, whatever happens to its user.
func TestDatabase_UsagesWaitForTheirUsers_X8(t *testing.T) {
	d := ct.Build(t, Build, spec(), nil)
	if n := len(ct.Of[*usage.Usage](d)); n != 0 {
		t.Errorf("%d Usages before anything exists", n)
	}
	waiting := strings.Join(d.Waiting, "; ")
	for _, w := range []string{
		"usage-key-database-by-cluster waits for the cluster to be ready",
		"usage-cluster-by-proxy waits for the proxy to be ready and the cluster to exist",
		"usage-subnet-database-us-east-1a-by-subnet-group waits for the subnet-group to be ready",
	} {
		if !strings.Contains(waiting, w) {
			t.Errorf("waiting %q lacks %q", waiting, w)
		}
	}

	// The proxy is ready before the cluster exists: its Usage of the cluster waits.
	d = ct.Build(t, Build, spec(), ct.Observed(ct.Res{Name: keyProxy, Ready: true}))
	if d.Get("usage-cluster-by-proxy") != nil || !strings.Contains(strings.Join(d.Waiting, "; "), "usage-cluster-by-proxy waits for the cluster to exist") {
		t.Errorf("Usage of a cluster that does not exist yet: waiting %v", d.Waiting)
	}

	// The cluster ready: what it uses is kept; the proxy's Usages still wait.
	obs := everythingReady()
	for k, v := range ct.Observed(ct.Res{Name: keySubnetGroup}, ct.Res{Name: keySG(wiring.SGDatabase)}) {
		obs[k] = v
	}
	d = ct.Build(t, Build, spec(), obs)
	for _, n := range []string{"usage-key-database-by-cluster", "usage-key-secrets-by-cluster", "usage-subnet-group-by-cluster", "usage-security-group-database-by-cluster", "usage-key-logs-by-log-group"} {
		if d.Get(n) == nil {
			t.Errorf("%s not composed once its user is ready", n)
		}
	}
	if d.Get("usage-cluster-by-proxy-target") != nil {
		t.Error("Usage by the proxy target before the target is ready")
	}

	// wiring.DBUsers no longer ready: every existing Usage stays.
	kept := compose.Observed{}
	for _, u := range uses(spec()) {
		for k, v := range ct.Observed(ct.Res{Name: u.key()}) {
			kept[k] = v
		}
	}
	d = ct.Build(t, Build, spec(), kept)
	if n := len(ct.Of[*usage.Usage](d)); n != len(uses(spec())) {
		t.Errorf("%d of %d observed Usages kept", n, len(uses(spec())))
	}
}

// TestDatabase_UsagesFitTheBudget: the layer with every Usage stays within 40
// composed resources (docs/architecture.md).
func TestDatabase_UsagesFitTheBudget(t *testing.T) {
	s := spec()
	s.PrivateSubnetIDs = []string{"subnet-a", "subnet-b", "subnet-c"}
	obs := allReady()
	for k, v := range ct.Observed(ct.Res{Name: keyInstance("us-east-1b"), Ready: true}) {
		obs[k] = v
	}
	if n := len(ct.Build(t, Build, s, obs).Resources); n > 40 {
		t.Errorf("%d composed resources, the budget is 40", n)
	}
}
