//go:build tools

// Package tools pins Crossplane v2.2.1: the CLI (crank) we build for offline
// render and validate, and Crossplane core, which make e2e runs out of cluster.
package tools

import (
	_ "github.com/crossplane/crossplane/v2/cmd/crank"
	_ "github.com/crossplane/crossplane/v2/cmd/crossplane"
)
