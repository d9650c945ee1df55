//go:build tools

// Package tools pins the Kubernetes control plane that make e2e runs: the API
// server and the controller manager (for its garbage collector), from
// k8s.io/kubernetes with its staging modules replaced by their published
// versions (the module's own replaces point into its source tree).
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
)
