package api

import (
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/fintech-platform/payment-platform/functions/platform/capacity"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
)

// KindPaymentPlatform is the kind of the tenant's claim.
const KindPaymentPlatform = "PaymentPlatform"

// DefaultReplicaRegion is where documents are replicated unless the claim says otherwise.
const DefaultReplicaRegion = "us-west-2"

// PaymentPlatformSpec is a PaymentPlatform's spec.parameters.
type PaymentPlatformSpec struct {
	compose.Common
	AvailabilityZones []string `json:"availabilityZones,omitempty"`
	ReplicaRegion     string   `json:"replicaRegion,omitempty"`
	// AccountID is optional: when absent it is learnt from the VPC's owner.
	AccountID string           `json:"accountId,omitempty"`
	Network   NetworkSettings  `json:"network,omitzero"`
	Database  DatabaseSettings `json:"database,omitzero"`
	Capacity  CapacitySettings `json:"capacity,omitzero"`
	Compute   ComputeSettings  `json:"compute,omitzero"`
	// API is the API Gateway in front of the service; without it none is
	// composed (the claim warns).
	API *GatewaySettings `json:"api,omitempty"`
	// Messaging is the payment queue and its worker (ASY-1…ASY-5).
	Messaging MessagingSettings `json:"messaging,omitzero"`
	// Documents is the documents bucket and its replica (STO-1…STO-3).
	Documents DocumentsSettings `json:"documents,omitzero"`
	// Observability is the dashboard, the alarms and who hears them (OBS-1, OBS-2).
	Observability ObservabilitySettings `json:"observability,omitzero"`
}

// CapacitySettings are the claim's spec.parameters.capacity: the load the
// platform is sized for (docs/capacity.md).
type CapacitySettings struct {
	// ConcurrentTransactions is how many payment transactions are in flight at
	// once at the sized peak.
	ConcurrentTransactions int `json:"concurrentTransactions,omitempty"`
}

// Default fills in what the claim left out.
func (s *CapacitySettings) Default() {
	if s.ConcurrentTransactions == 0 {
		s.ConcurrentTransactions = capacity.DefaultConcurrentTransactions
	}
}

// Validate checks the settings at p.
func (s *CapacitySettings) Validate(p *field.Path) field.ErrorList {
	return ValidateConcurrentTransactions(p.Child("concurrentTransactions"), s.ConcurrentTransactions)
}

// NetworkSettings are the claim's spec.parameters.network.
type NetworkSettings struct {
	CIDR            string `json:"cidr,omitempty"`
	NATInstanceType string `json:"natInstanceType,omitempty"`
}

// Default fills in what the claim left out, as the XRD's defaults do.
func (s *PaymentPlatformSpec) Default() {
	defaultZoned(&s.Common, &s.AvailabilityZones)
	if s.ReplicaRegion == "" {
		s.ReplicaRegion = DefaultReplicaRegion
	}
	if s.Network.CIDR == "" {
		s.Network.CIDR = DefaultCIDR
	}
	s.Database.Default()
	s.Capacity.Default()
	s.Compute.Default()
	if s.API != nil {
		s.API.Default()
	}
	s.Messaging.Default()
	s.Documents.Default()
	s.Observability.Default()
}

// Load is what the claim asks of its subnets (the address budget, NET-7).
func (s *PaymentPlatformSpec) Load() capacity.Load {
	return capacity.Load{
		ConcurrentTransactions: s.Capacity.ConcurrentTransactions,
		DBInstanceClass:        s.Database.InstanceClass,
		InterfaceEndpoints:     len(InterfaceServices),
	}
}

// Validate checks the whole claim at p, its spec.parameters, before anything
// is composed, so a bad claim changes nothing: the function returns a fatal
// result and Crossplane applies nothing, deleting nothing (SPEC API-0.5).
func (s *PaymentPlatformSpec) Validate(p *field.Path) field.ErrorList {
	errs := s.Common.Validate(p)
	errs = append(errs, ValidateReplicaRegion(p.Child("replicaRegion"), s.Region, s.ReplicaRegion)...)
	errs = append(errs, ValidateZones(p.Child("availabilityZones"), s.Region, s.AvailabilityZones)...)
	// Every name the layers will derive, from inputs that are themselves valid.
	if len(errs) == 0 {
		errs = append(errs, ValidateNames(p, s.EnvironmentSuffix, NameInputs{Zones: s.AvailabilityZones, Account: s.AccountID, API: s.API})...)
	}
	vpc, cidr := ValidateCIDR(p.Child("network", "cidr"), s.Network.CIDR)
	errs = append(errs, cidr...)
	if s.Network.NATInstanceType != "" {
		errs = append(errs, ValidateNATInstanceType(p.Child("network", "natInstanceType"), s.Network.NATInstanceType)...)
	}
	db := s.Database.Validate(p.Child("database"))
	errs = append(errs, db...)
	load := s.Capacity.Validate(p.Child("capacity"))
	errs = append(errs, load...)
	errs = append(errs, s.Compute.Validate(p.Child("compute"), s.Region)...)
	if s.API != nil {
		errs = append(errs, s.API.Validate(p.Child("api"), s.Region)...)
	}
	errs = append(errs, s.Messaging.Validate(p.Child("messaging"), s.Region)...)
	errs = append(errs, s.Documents.Validate(p.Child("documents"))...)
	errs = append(errs, s.Observability.Validate(p.Child("observability"))...)
	// The budget counts what the other inputs size; it speaks only of inputs
	// that are themselves valid.
	if len(cidr)+len(db)+len(load) == 0 {
		errs = append(errs, ValidateAddressBudget(p.Child("network", "cidr"), vpc, s.Load())...)
	}
	if s.AccountID != "" {
		errs = append(errs, ValidateAccountID(p.Child("accountId"), s.AccountID)...)
	}
	return errs
}

// Layer states shown in status.layers and the printer columns.
const (
	StatePending  = "Pending"
	StateCreating = "Creating"
	StateReady    = "Ready"
)

// PaymentPlatformStatus is a PaymentPlatform's status: the account, each
// layer's state, and each layer's own status under the layer's name.
type PaymentPlatformStatus struct {
	// AccountID is the account the keys and database policies name.
	AccountID string `json:"accountId,omitempty"`
	// Layers maps each layer to its state (State*).
	Layers        map[string]string    `json:"layers,omitempty"`
	Network       *NetworkStatus       `json:"network,omitempty"`
	Keys          *KeySetStatus        `json:"keys,omitempty"`
	Database      *DatabaseStatus      `json:"database,omitempty"`
	Compute       *ComputeStatus       `json:"compute,omitempty"`
	API           *GatewayStatus       `json:"api,omitempty"`
	Messaging     *MessagingStatus     `json:"messaging,omitempty"`
	Documents     *DocumentsStatus     `json:"documents,omitempty"`
	Observability *ObservabilityStatus `json:"observability,omitempty"`
	// Warnings gathers the layers' warnings, each prefixed with its layer.
	Warnings []string `json:"warnings,omitempty"`
}
