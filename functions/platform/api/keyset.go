package api

import (
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
)

// KindKeySet is the kind of the keys layer's XR.
const KindKeySet = "KeySet"

// KeySetSpec is a KeySet's spec.parameters.
type KeySetSpec struct {
	compose.Common
	ReplicaRegion string `json:"replicaRegion"`
	// AccountID is the AWS account the keys live in; their policies name it.
	AccountID string `json:"accountId"`
}

// Validate checks the parameters at p.
func (s *KeySetSpec) Validate(p *field.Path) field.ErrorList {
	errs := s.Common.Validate(p)
	errs = append(errs, ValidateReplicaRegion(p.Child("replicaRegion"), s.Region, s.ReplicaRegion)...)
	return append(errs, ValidateAccountID(p.Child("accountId"), s.AccountID)...)
}

// KeySetStatus is a KeySet's status.
type KeySetStatus struct {
	// KeyARNs maps each key purpose to the key's ARN.
	KeyARNs map[string]string `json:"keyArns,omitempty"`
}
