package fn

import (
	"encoding/json"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
)

// unstructuredXR is a PaymentPlatform-group XR named payments in namespace tenant.
type unstructuredXR struct {
	unstructured.Unstructured
	kind   string
	params map[string]any
}

func (x *unstructuredXR) UnstructuredContent() map[string]any {
	return map[string]any{
		"apiVersion": compose.APIVersion,
		"kind":       x.kind,
		"metadata":   map[string]any{"name": "payments", "namespace": "tenant"},
		"spec":       map[string]any{"parameters": x.params},
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
