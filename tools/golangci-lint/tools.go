//go:build tools

// Package tools pins golangci-lint, built from the Go proxy in its own module so
// its dependencies do not bend ours.
package tools

import _ "github.com/golangci/golangci-lint/v2/cmd/golangci-lint"
