//go:build tools

// Package tools pins benchstat, which compares the results of make bench.
package tools

import _ "golang.org/x/perf/cmd/benchstat"
