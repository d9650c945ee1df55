package capacity_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/capacity"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// TestMaxTasks_SizedForTheLoad_CMP2: 10,000 transactions in flight need 40
// tasks at 250 each, and the maximum leaves half again for bursts; never fewer
// than one task per zone.
func TestMaxTasks_SizedForTheLoad_CMP2(t *testing.T) {
	for load, want := range map[int]int{10000: 60, 100: 3, 400: 3, 1000: 6, 100000: 600} {
		if got := capacity.MaxTasks(load); got != want {
			t.Errorf("MaxTasks(%d) = %d, want %d", load, got, want)
		}
	}
}

// TestConnections_DefaultsWithinBudget: docs/capacity.md's connection
// arithmetic, and that the default instance class's proxy pool covers the
// default load's peak.
func TestConnections_DefaultsWithinBudget(t *testing.T) {
	if got := capacity.ProxyPool("db.r6g.xlarge"); got != 3131 {
		t.Errorf("proxy pool on db.r6g.xlarge = %d, want 90%% of 3479 = 3131", got)
	}
	need := capacity.RequiredConnections(capacity.DefaultConcurrentTransactions)
	if need != 1500 {
		t.Errorf("required = %d, want 10000 × 5%% × 3 = 1500", need)
	}
	if pool := capacity.ProxyPool(api.DefaultInstanceClass); pool < need {
		t.Errorf("default %s gives the proxy %d connections, fewer than the %d the peak needs", api.DefaultInstanceClass, pool, need)
	}
}

// TestProxyAddresses_BySize_NET7: AWS's per-size advice, times the instances,
// plus three per extra endpoint.
func TestProxyAddresses_BySize_NET7(t *testing.T) {
	for class, want := range map[string]int{"db.t4g.medium": 33, "db.r6g.large": 33, "db.r6g.xlarge": 33, "db.r7g.2xlarge": 48, "db.r6g.4xlarge": 78} {
		if got := capacity.ProxyAddresses(class, 3, 1); got != want {
			t.Errorf("ProxyAddresses(%s, 3, 1) = %d, want %d", class, got, want)
		}
	}
}

func defaultLoad() capacity.Load {
	return capacity.Load{ConcurrentTransactions: capacity.DefaultConcurrentTransactions, DBInstanceClass: api.DefaultInstanceClass, InterfaceEndpoints: len(api.InterfaceServices)}
}

// TestBudget_DefaultClaim_NET7 works the default claim's budget through: what
// each private subnet holds, and which VPCs fit it.
func TestBudget_DefaultClaim_NET7(t *testing.T) {
	b := capacity.Budget(defaultLoad())
	var tiers []string
	for _, tier := range b {
		tiers = append(tiers, tier.Name)
	}
	if diff := cmp.Diff(wiring.Tiers, tiers); diff != "" {
		t.Fatalf("tiers (-want +got):\n%s", diff)
	}
	got := map[string]int{}
	for _, tier := range b {
		got[tier.Name] = tier.Need()
	}
	// public: NAT instance 1 + ALB 8; private: 11 endpoints + proxy 3×10+3 +
	// 60 tasks ×2 over 2 zones + 2 Lambda + 2 VPC link; database: 2 instances.
	want := map[string]int{wiring.TierPublic: 9, wiring.TierPrivate: 11 + 33 + 60 + 2 + 2, wiring.TierDatabase: 2}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("needs (-want +got):\n%s", diff)
	}

	for vpc, wantShort := range map[int][]string{
		16: nil,
		21: nil,
		// a /26 holds 59: too few for the private tier.
		22: {"each private subnet would be a /26 with 59 usable addresses, and needs 108"},
		// a /28: too small for the ALB, and for the private tier.
		24: {"each public subnet would be a /28, and the load balancer needs subnets of /27 or larger", "each private subnet would be a /28 with 11 usable addresses"},
	} {
		short, fits := capacity.Check(b, vpc)
		if fits != 21 {
			t.Errorf("/%d: smallest fitting VPC = /%d, want /21", vpc, fits)
		}
		if len(short) != len(wantShort) {
			t.Errorf("/%d: short = %q, want %d reasons", vpc, short, len(wantShort))
			continue
		}
		for i, w := range wantShort {
			if !strings.HasPrefix(short[i], w) {
				t.Errorf("/%d: reason %d = %q, want it to start %q", vpc, i, short[i], w)
			}
		}
	}
}

// TestBudget_GrowsWithTheClaim_NET7: a larger load or instance class needs a
// larger VPC; the largest load still fits a /16.
func TestBudget_GrowsWithTheClaim_NET7(t *testing.T) {
	fits := func(l capacity.Load) int { _, f := capacity.Check(capacity.Budget(l), 16); return f }
	base := fits(defaultLoad())
	big := defaultLoad()
	big.ConcurrentTransactions = 50000 // 300 tasks: 300 per private subnet.
	if got := fits(big); got >= base || got != 19 {
		t.Errorf("50,000 transactions: smallest VPC /%d, want /19 (default /%d)", got, base)
	}
	large := defaultLoad()
	large.DBInstanceClass = "db.r6g.4xlarge"
	if got := fits(large); got != 20 {
		t.Errorf("db.r6g.4xlarge: smallest VPC /%d, want /20", got)
	}
	largest := defaultLoad()
	largest.ConcurrentTransactions = capacity.MaxConcurrentTransactions
	if got := fits(largest); got < 16 {
		t.Errorf("the largest load fits no VPC")
	}
}

// TestUsable: AWS keeps five addresses of every subnet.
func TestUsable(t *testing.T) {
	for bits, want := range map[int]int{28: 11, 27: 27, 24: 251, 20: 4091} {
		if got := capacity.Usable(bits); got != want {
			t.Errorf("Usable(/%d) = %d, want %d", bits, got, want)
		}
	}
}
