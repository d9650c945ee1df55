//go:build tools

// Package tools pins trivy v0.69.0, the scanner make scan runs over the
// Terraform view of what a claim renders, built from the Go proxy in its own
// module so its dependencies do not bend ours. Never v0.69.4: that release was
// published when trivy's supply chain was compromised (March 2026).
package tools

import _ "github.com/aquasecurity/trivy/cmd/trivy"
