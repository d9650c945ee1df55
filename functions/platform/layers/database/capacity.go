package database

import "github.com/fintech-platform/payment-platform/functions/platform/aws"

// The connection budget (docs/capacity.md works it through).

// ProxyMaxConnectionsPercent is the share of the writer's max_connections the
// proxy may open; the rest is left for administration and rotation.
const ProxyMaxConnectionsPercent = 90

// ProxyPool is how many connections the proxy may hold to an instance of class.
func ProxyPool(class string) int {
	n, _ := aws.AuroraMaxConnections(class)
	return n * ProxyMaxConnectionsPercent / 100
}

// The load the defaults are sized for: 10,000 transactions in flight, each
// holding a database connection for DBShare of its life (the rest is the
// payment processor, queues and network), peaking at PeakFactor times the
// average (docs/capacity.md).
const (
	ConcurrentTransactions = 10000
	DBSharePercent         = 5
	PeakFactor             = 3
)

// RequiredConnections is the number of proxy-to-writer connections busy at peak.
func RequiredConnections() int {
	return ConcurrentTransactions * DBSharePercent / 100 * PeakFactor
}
