// Package api holds the Go types of every XR the function composes: for each
// kind its parameters (spec.parameters), their defaults and validation, and its
// status. The XRDs in apis/<kind>/definition.yaml declare exactly these fields
// (test/xrd compares them both ways, by reflection).
//
// A parent layer composes a child XR from the child's Spec type and reads the
// child's status as the child's Status type (compose.StatusOf), so layers share
// types here and never import one another. Validation uses
// k8s.io/apimachinery's field errors: one validator per input, called with the
// path the input has in the XR at hand (spec.parameters.cidr for a Network,
// spec.parameters.network.cidr for the claim), returning every error at once.
package api

import "k8s.io/apimachinery/pkg/util/validation/field"

// Parameters is the path of every XR's parameters.
var Parameters = field.NewPath("spec", "parameters")
