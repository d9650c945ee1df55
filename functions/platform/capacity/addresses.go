package capacity

import (
	"fmt"
	"strings"

	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// The address budget (SPEC NET-7). The VPC is cut into 16 equal blocks, of
// which each tier takes one per zone; AWS keeps five addresses of every subnet
// for itself. Each tier's subnets must hold, in every zone, what the claim
// puts there at its largest, including while a zone is lost and a deployment
// doubles the tasks.

// SubnetExtraBits is how much longer a subnet's prefix is than the VPC's.
const SubnetExtraBits = 4

// SubnetBits is the prefix length of the subnets of a VPC of prefix length vpc.
func SubnetBits(vpc int) int { return vpc + SubnetExtraBits }

// Usable is how many addresses AWS lets resources use in a subnet of prefix
// length bits: it reserves the first four and the last.
func Usable(bits int) int { return 1<<(32-bits) - 5 }

// A Use is one consumer of a subnet's addresses.
type Use struct {
	What      string
	Addresses int
}

// A Tier is what each subnet of one tier must hold.
type Tier struct {
	Name string
	Uses []Use
	// MaxBits is the longest prefix a subnet of the tier may have (an ALB
	// refuses subnets smaller than /27); 28, AWS's smallest subnet, otherwise.
	MaxBits int
}

// Need is the addresses the tier's subnets must hold.
func (t Tier) Need() int {
	n := 0
	for _, u := range t.Uses {
		n += u.Addresses
	}
	return n
}

func (t Tier) String() string {
	uses := make([]string, 0, len(t.Uses))
	for _, u := range t.Uses {
		uses = append(uses, fmt.Sprintf("%d for %s", u.Addresses, u.What))
	}
	return fmt.Sprintf("%d (%s)", t.Need(), strings.Join(uses, ", "))
}

// Load is what a claim asks of its subnets.
type Load struct {
	ConcurrentTransactions int
	// DBInstanceClass is the class of the three Aurora instances the proxy fronts.
	DBInstanceClass string
	// InterfaceEndpoints is the number of interface VPC endpoints, one
	// network interface each in every private subnet.
	InterfaceEndpoints int
}

// The per-subnet needs that do not depend on the claim.
const (
	// natInstances: one NAT instance per zone, in the public subnet.
	natInstances = 1
	// albAddresses: an ALB needs 8 free addresses in each of its subnets to
	// scale, and a subnet of at least /27 (Elastic Load Balancing user guide).
	albAddresses = 8
	albMaxBits   = 27
	// lambdaENIs: Lambda uses one Hyperplane network interface per subnet and
	// security-group set its functions share; a second while the set changes.
	lambdaENIs = 2
	// vpcLinkENIs: the API's VPC link (v2) is a Hyperplane network interface
	// per subnet too, and a second while it is replaced.
	vpcLinkENIs = 2
	// dbInstances: one Aurora instance per zone, and a second while one is replaced.
	dbInstances = 2
	// ProxyExtraEndpoints is how many endpoints the RDS Proxy has beside its
	// default one (the read-only endpoint).
	ProxyExtraEndpoints = 1
	minBits             = 28
)

// Budget is what each subnet of every tier must hold for l, in wiring.Tiers order.
func Budget(l Load) []Tier {
	tasks := MaxTasks(l.ConcurrentTransactions)
	// While one zone is lost, the service runs its tasks in the other two,
	// and a deployment may double them.
	perSubnet := ceilDiv(tasks*DeploymentMaximumPercent/100, Zones-1)
	return []Tier{
		{Name: wiring.TierPublic, MaxBits: albMaxBits, Uses: []Use{
			{"the NAT instance", natInstances},
			{"the load balancer's nodes", albAddresses},
		}},
		{Name: wiring.TierPrivate, MaxBits: minBits, Uses: []Use{
			{"interface endpoints", l.InterfaceEndpoints},
			{"the RDS Proxy in front of 3 " + l.DBInstanceClass, ProxyAddresses(l.DBInstanceClass, Zones, ProxyExtraEndpoints)},
			{fmt.Sprintf("API tasks (at most %d, doubled during a deployment, in 2 zones while one is lost)", tasks), perSubnet},
			{"Lambda network interfaces", lambdaENIs},
			{"the API's VPC link", vpcLinkENIs},
		}},
		{Name: wiring.TierDatabase, MaxBits: minBits, Uses: []Use{
			{"Aurora instances", dbInstances},
		}},
	}
}

// Short says why the tier's subnets of prefix length bits are too small, or
// returns "" when they hold it.
func (t Tier) Short(bits int) string {
	switch {
	case bits > t.MaxBits:
		return fmt.Sprintf("each %s subnet would be a /%d, and the load balancer needs subnets of /%d or larger", t.Name, bits, t.MaxBits)
	case Usable(bits) < t.Need():
		return fmt.Sprintf("each %s subnet would be a /%d with %d usable addresses, and needs %s", t.Name, bits, Usable(bits), t)
	}
	return ""
}

// Check returns why the subnets of a VPC of prefix length vpc cannot hold the
// budget (nothing when they can), and the longest VPC prefix length whose
// subnets hold every tier (0 if not even a /16 does).
func Check(budget []Tier, vpc int) (short []string, fits int) {
	for _, t := range budget {
		if why := t.Short(SubnetBits(vpc)); why != "" {
			short = append(short, why)
		}
	}
	for bits := minBits - SubnetExtraBits; bits >= 16; bits-- {
		if fitsAll(budget, bits) {
			return short, bits
		}
	}
	return short, 0
}

func fitsAll(budget []Tier, vpc int) bool {
	for _, t := range budget {
		if t.Short(SubnetBits(vpc)) != "" {
			return false
		}
	}
	return true
}
