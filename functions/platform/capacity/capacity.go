// Package capacity holds the platform's sizing rules, worked through in
// docs/capacity.md: how many API tasks carry a load, how many database
// connections the load keeps busy, and how many addresses each subnet tier
// must hold for it (SPEC CMP-2, NET-7). Every layer that sizes something
// reads it from here, so the numbers the address budget counts are the
// numbers the layers compose.
package capacity

import (
	"strings"

	"github.com/fintech-platform/payment-platform/functions/platform/aws"
)

// The load a claim sizes for: transactions in flight at once.
const (
	DefaultConcurrentTransactions = 10000
	MinConcurrentTransactions     = 100
	MaxConcurrentTransactions     = 100000
)

// Zones is how many availability zones every tier spans.
const Zones = 3

// The API service's sizing (CMP-2): a task holds TransactionsPerTask requests
// in flight at its CPU target, and the maximum leaves HeadroomPercent for
// bursts above the sized load; never fewer than one task per zone.
const (
	TransactionsPerTask = 250
	HeadroomPercent     = 150
	MinTasks            = Zones
	// DeploymentMaximumPercent is the service's deployment maximumPercent: a
	// rolling deployment may run twice the desired count while it replaces tasks.
	DeploymentMaximumPercent = 200
)

// MaxTasks is the API service's maximum task count for a load of concurrent
// transactions.
func MaxTasks(concurrent int) int {
	return max(MinTasks, ceilDiv(concurrent*HeadroomPercent, 100*TransactionsPerTask))
}

// The database's share of the load: each transaction holds a database
// connection for DBSharePercent of its life (the rest is the payment
// processor, queues and network), peaking at PeakFactor times the average.
const (
	DBSharePercent = 5
	PeakFactor     = 3
	// ProxyMaxConnectionsPercent is the share of the writer's max_connections
	// the RDS Proxy may open; the rest is left for administration and rotation.
	ProxyMaxConnectionsPercent = 90
)

// RequiredConnections is the number of proxy-to-writer connections a load of
// concurrent transactions keeps busy at peak.
func RequiredConnections(concurrent int) int {
	return ceilDiv(concurrent*DBSharePercent*PeakFactor, 100)
}

// ProxyPool is how many connections the proxy may hold to an instance of class.
func ProxyPool(class string) int {
	n, _ := aws.AuroraMaxConnections(class)
	return n * ProxyMaxConnectionsPercent / 100
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// proxyAddressesBySize is how many free addresses AWS advises keeping per
// subnet for an RDS Proxy, by the size of each DB instance it fronts (RDS
// Proxy network prerequisites, "Planning for IP address capacity"); sizes up
// to xlarge need 10. Each proxy endpoint beyond the default needs 3 more.
var proxyAddressesBySize = map[string]int{"2xlarge": 15, "4xlarge": 25, "8xlarge": 45, "12xlarge": 60, "16xlarge": 75, "24xlarge": 110}

const (
	proxyAddressesSmall       = 10
	proxyAddressesPerEndpoint = 3
)

// ProxyAddresses is the addresses an RDS Proxy with extraEndpoints endpoints
// beside its default one needs per subnet in front of instances of class.
func ProxyAddresses(class string, instances, extraEndpoints int) int {
	per := proxyAddressesSmall
	if n, ok := proxyAddressesBySize[class[strings.LastIndex(class, ".")+1:]]; ok {
		per = n
	}
	return per*instances + proxyAddressesPerEndpoint*extraEndpoints
}
