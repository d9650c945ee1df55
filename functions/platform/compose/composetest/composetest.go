// Package composetest builds observed state for builder tests.
package composetest

import (
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composed"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
)

// Res is one observed resource: its name in the pipeline, whether it is Ready,
// and fields to set, as dotted paths (status.atProvider.id) to values.
type Res struct {
	Name   string
	Ready  bool
	Fields map[string]any
}

// Observed returns observed state holding rs.
func Observed(rs ...Res) compose.Observed {
	o := compose.Observed{}
	for _, r := range rs {
		u := composed.New()
		status := "False"
		if r.Ready {
			status = "True"
		}
		_ = u.SetValue("status.conditions", []any{map[string]any{"type": "Ready", "status": status, "reason": "Test"}})
		for p, v := range r.Fields {
			if err := u.SetValue(p, v); err != nil {
				panic(err)
			}
		}
		o[resource.Name(r.Name)] = resource.ObservedComposed{Resource: u}
	}
	return o
}
