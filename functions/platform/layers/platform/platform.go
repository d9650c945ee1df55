// Package platform builds the PaymentPlatform XR, the tenant's claim (SPEC
// API-0.1…API-0.5): it validates the claim, composes one XR per layer, passes
// each layer what it needs, and gathers the layers' outputs into its status.
package platform

import (
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/layers/database"
	"github.com/fintech-platform/payment-platform/functions/platform/layers/keys"
	"github.com/fintech-platform/payment-platform/functions/platform/layers/nat"
	"github.com/fintech-platform/payment-platform/functions/platform/layers/network"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
)

// Kind is the kind of the claim.
const Kind = "PaymentPlatform"

// DefaultReplicaRegion is where documents are replicated unless the claim says otherwise.
const DefaultReplicaRegion = "us-west-2"

// Spec is a PaymentPlatform's spec.parameters.
type Spec struct {
	compose.Common
	AvailabilityZones []string `json:"availabilityZones,omitempty"`
	ReplicaRegion     string   `json:"replicaRegion,omitempty"`
	// AccountID is optional: when absent it is learnt from the VPC's owner.
	AccountID string            `json:"accountId,omitempty"`
	Network   Network           `json:"network,omitempty"`
	Database  database.Settings `json:"database,omitempty"`
}

// Network is the claim's network section.
type Network struct {
	CIDR            string `json:"cidr,omitempty"`
	NATInstanceType string `json:"natInstanceType,omitempty"`
}

// Pipeline keys of the layer XRs. Stable: renaming one would delete a layer.
const (
	KeyNetwork  = "network"
	KeyKeys     = "keys"
	KeyDatabase = "database"
)

// Layers lists the layer keys in the order they appear in status.
var Layers = []string{KeyNetwork, KeyKeys, KeyDatabase}

// Default fills in what the claim left out.
func (s *Spec) Default() {
	if s.Region == "" {
		s.Region = network.DefaultRegion
	}
	if len(s.AvailabilityZones) == 0 {
		s.AvailabilityZones = network.DefaultZones(s.Region)
	}
	if s.ReplicaRegion == "" {
		s.ReplicaRegion = DefaultReplicaRegion
	}
	if s.Network.CIDR == "" {
		s.Network.CIDR = network.DefaultCIDR
	}
	s.Database.Default()
}

// NetworkSpec returns the parameters of the claim's Network XR.
func (s Spec) NetworkSpec() network.Spec {
	return network.Spec{Common: s.Common, AvailabilityZones: s.AvailabilityZones, CIDR: s.Network.CIDR, NATInstanceType: s.Network.NATInstanceType}
}

// Validate checks the whole claim before anything is composed, so a bad claim
// changes nothing (the function returns a fatal result and Crossplane applies
// nothing, deleting nothing).
func (s Spec) Validate() error {
	if err := compose.CheckRegions(s.Region, s.ReplicaRegion); err != nil {
		return err
	}
	// The claim's own field names, not the Network's, so the tenant knows what to fix.
	if err := naming.ValidateSuffix(s.EnvironmentSuffix); err != nil {
		return err
	}
	if err := network.ValidateZones(s.Region, s.AvailabilityZones); err != nil {
		return err
	}
	if _, err := network.ParseCIDRField("spec.parameters.network.cidr", s.Network.CIDR); err != nil {
		return err
	}
	if s.Network.NATInstanceType != "" {
		if err := nat.CheckInstanceType("spec.parameters.network.natInstanceType", s.Network.NATInstanceType); err != nil {
			return err
		}
	}
	if err := s.Database.Validate("spec.parameters.database"); err != nil {
		return err
	}
	if err := compose.CheckTags(s.Tags); err != nil {
		return err
	}
	if s.AccountID != "" {
		return compose.CheckAccountID(s.AccountID)
	}
	return nil
}

// Build returns the claim's layer XRs and status given what is observed.
func Build(spec Spec, obs compose.Observed) (*compose.Desired, error) {
	spec.Default()
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	d := compose.NewDesired()
	c := spec.Common

	ns := spec.NetworkSpec()
	ns.Default()
	d.Add(KeyNetwork, compose.MustXR("Network", c.Env().Labels(network.Layer), ns))

	// Key policies name the account. A claim may give it; otherwise the VPC's
	// owner tells it. Once the KeySet or the Database exists, the layers keep
	// the account they were made with, whatever happens to the sources.
	account := spec.AccountID
	if account == "" {
		account = obs.String(KeyNetwork, "status.accountId")
	}
	for _, layer := range []string{KeyKeys, KeyDatabase} {
		if account == "" {
			account = obs.String(layer, "spec.parameters.accountId")
		}
	}
	d.AddWhen(account != "", obs, KeyKeys, compose.MustXR(keys.Kind, c.Env().Labels(keys.Layer),
		keys.Spec{Common: c, ReplicaRegion: spec.ReplicaRegion, AccountID: account},
	), "the account id (spec.parameters.accountId, or the VPC's owner once the network exists)")

	// The database names the account in its rds-db:connect policies too. Its
	// proxy's read-only endpoint needs the private subnet ids, which only the
	// network's status has; an existing Database keeps those it was given.
	subnets := stringsAt(obs, KeyNetwork, "status.subnetIds.private")
	if len(subnets) == 0 {
		subnets = stringsAt(obs, KeyDatabase, "spec.parameters.privateSubnetIds")
	}
	d.AddWhen(account != "", obs, KeyDatabase, compose.MustXR(database.Kind, c.Env().Labels(database.Layer),
		database.Spec{Common: c, AccountID: account, AvailabilityZones: spec.AvailabilityZones, PrivateSubnetIDs: subnets, Settings: spec.Database},
	), "the account id (spec.parameters.accountId, or the VPC's owner once the network exists)")

	d.Status = status(account, obs)
	return d, nil
}

// stringsAt returns the list of strings at path in the named observed resource.
func stringsAt(obs compose.Observed, name, path string) []string {
	l, _ := obs.Value(name, path).([]any)
	out := make([]string, 0, len(l))
	for _, v := range l {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// status gathers the outputs a tenant needs (SPEC API-0.4).
func status(account string, obs compose.Observed) map[string]any {
	out := compose.Outputs{}
	out.Set("accountId", account)
	for _, f := range []string{"vpcId", "flowLogGroup"} {
		out.Set(f, obs.String(KeyNetwork, "status."+f))
	}
	for _, f := range []string{"subnetIds", "securityGroupIds", "natInstanceIds"} {
		if v := obs.Value(KeyNetwork, "status."+f); v != nil {
			out[f] = v
		}
	}
	if v := obs.Value(KeyKeys, "status.keyArns"); v != nil {
		out["keyArns"] = v
	}
	db := map[string]any{}
	for _, f := range DatabaseOutputs {
		if v := obs.Value(KeyDatabase, "status."+f); v != nil {
			db[f] = v
		}
	}
	if len(db) > 0 {
		out["database"] = db
	}
	layers := map[string]any{}
	for _, l := range Layers {
		layers[l] = LayerState(obs, l)
	}
	out["layers"] = layers
	return out
}

// DatabaseOutputs are the database layer's outputs the claim shows under status.database.
var DatabaseOutputs = []string{
	"clusterIdentifier", "writerEndpoint", "readerEndpoint", "port", "clusterResourceId",
	"proxyEndpoint", "proxyReadOnlyEndpoint", "proxyResourceId",
	"masterSecretArn", "apiKeysSecretArn", "logGroup", "securityGroupIds",
}

// Layer states shown in status.layers and the printer columns.
const (
	StatePending  = "Pending"
	StateCreating = "Creating"
	StateReady    = "Ready"
)

// LayerState says where a layer is: not composed yet, composed but not ready, or ready.
func LayerState(obs compose.Observed, key string) string {
	switch {
	case obs.Ready(key):
		return StateReady
	case obs.Exists(key):
		return StateCreating
	default:
		return StatePending
	}
}
