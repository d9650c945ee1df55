//go:build tools

// Package tools pins the Crossplane CLI (crank) we build for offline render and validate.
package tools

import _ "github.com/crossplane/crossplane/v2/cmd/crank"
