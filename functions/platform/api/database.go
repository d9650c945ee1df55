package api

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/fintech-platform/payment-platform/functions/platform/aws"
	"github.com/fintech-platform/payment-platform/functions/platform/capacity"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
)

// KindDatabase is the kind of the database layer's XR.
const KindDatabase = "Database"

// DatabaseSpec is a Database's spec.parameters.
type DatabaseSpec struct {
	compose.Common
	// AccountID names the account in the rds-db:connect ARNs.
	AccountID         string   `json:"accountId"`
	AvailabilityZones []string `json:"availabilityZones"`
	// PrivateSubnetIDs places the proxy's read-only endpoint; the proxy
	// endpoint kind has no subnet selector, so the claim copies them from the
	// network's status. The endpoint waits until they are known.
	PrivateSubnetIDs []string `json:"privateSubnetIds,omitempty"`
	// ConcurrentTransactions is the load the connection budget is checked
	// against (docs/capacity.md); the claim passes its capacity.
	ConcurrentTransactions int `json:"concurrentTransactions,omitempty"`

	DatabaseSettings
}

// DatabaseSettings are what a tenant tunes: the claim's spec.parameters.database.
type DatabaseSettings struct {
	InstanceClass       string `json:"instanceClass,omitempty"`
	EngineVersion       string `json:"engineVersion,omitempty"`
	BackupRetentionDays int    `json:"backupRetentionDays,omitempty"`
	DeletionProtection  bool   `json:"deletionProtection,omitempty"`
	FinalSnapshot       bool   `json:"finalSnapshot,omitempty"`
	// PerformanceInsights is on unless the claim turns it off.
	PerformanceInsights *bool `json:"performanceInsights,omitempty"`
}

// Database defaults. docs/capacity.md shows the default instance class carries
// 10,000 concurrent transactions through the proxy.
const (
	DefaultInstanceClass       = "db.r6g.xlarge"
	DefaultEngineVersion       = "16.6"
	DefaultBackupRetentionDays = 7
	MaxBackupRetentionDays     = 35
)

// Default fills in what the claim left out.
func (s *DatabaseSettings) Default() {
	if s.InstanceClass == "" {
		s.InstanceClass = DefaultInstanceClass
	}
	if s.EngineVersion == "" {
		s.EngineVersion = DefaultEngineVersion
	}
	if s.BackupRetentionDays == 0 {
		s.BackupRetentionDays = DefaultBackupRetentionDays
	}
	if s.PerformanceInsights == nil {
		t := true
		s.PerformanceInsights = &t
	}
}

// Validate checks the settings at p: spec.parameters for a Database,
// spec.parameters.database for a PaymentPlatform.
func (s *DatabaseSettings) Validate(p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if _, ok := aws.AuroraMaxConnections(s.InstanceClass); !ok {
		errs = append(errs, field.NotSupported(p.Child("instanceClass"), s.InstanceClass, aws.AuroraInstanceClasses()))
	}
	if !aws.IsAuroraPostgreSQLVersion(s.EngineVersion) {
		errs = append(errs, field.NotSupported(p.Child("engineVersion"), s.EngineVersion, aws.AuroraPostgreSQLVersions()))
	}
	if s.BackupRetentionDays < DefaultBackupRetentionDays || s.BackupRetentionDays > MaxBackupRetentionDays {
		errs = append(errs, field.Invalid(p.Child("backupRetentionDays"), s.BackupRetentionDays,
			fmt.Sprintf("must be %d to %d days", DefaultBackupRetentionDays, MaxBackupRetentionDays)))
	}
	return errs
}

// Family is the parameter group family of the engine version.
func (s *DatabaseSettings) Family() string {
	major, _, _ := strings.Cut(s.EngineVersion, ".")
	return "aurora-postgresql" + major
}

// Default fills in what the XR left out.
func (s *DatabaseSpec) Default() {
	s.DatabaseSettings.Default()
	if s.ConcurrentTransactions == 0 {
		s.ConcurrentTransactions = capacity.DefaultConcurrentTransactions
	}
}

// Validate checks the parameters at p. The claim passes a Database what it
// validated itself; a tenant using the Database XR alone gives these.
func (s *DatabaseSpec) Validate(p *field.Path) field.ErrorList {
	errs := validateZoned(p, s.Common, s.AvailabilityZones)
	errs = append(errs, ValidateAccountID(p.Child("accountId"), s.AccountID)...)
	errs = append(errs, ValidateConcurrentTransactions(p.Child("concurrentTransactions"), s.ConcurrentTransactions)...)
	return append(errs, s.DatabaseSettings.Validate(p)...)
}

// DatabaseStatus is a Database's status: where workloads connect (through the
// proxy, with IAM tokens) and the database's secrets.
type DatabaseStatus struct {
	ClusterIdentifier     string `json:"clusterIdentifier,omitempty"`
	WriterEndpoint        string `json:"writerEndpoint,omitempty"`
	ReaderEndpoint        string `json:"readerEndpoint,omitempty"`
	Port                  int64  `json:"port,omitempty"`
	ClusterResourceID     string `json:"clusterResourceId,omitempty"`
	ProxyEndpoint         string `json:"proxyEndpoint,omitempty"`
	ProxyReadOnlyEndpoint string `json:"proxyReadOnlyEndpoint,omitempty"`
	// ProxyResourceID is what clients' rds-db:connect statements name.
	ProxyResourceID  string `json:"proxyResourceId,omitempty"`
	MasterSecretARN  string `json:"masterSecretArn,omitempty"`
	APIKeysSecretARN string `json:"apiKeysSecretArn,omitempty"`
	LogGroup         string `json:"logGroup,omitempty"`
	// SecurityGroupIDs maps each security-group purpose (wiring.SG*) to its id.
	SecurityGroupIDs map[string]string `json:"securityGroupIds,omitempty"`
	// Warnings are problems the tenant should hear about that block nothing
	// (an instance class too small for the load docs/capacity.md sizes for).
	Warnings []string `json:"warnings,omitempty"`
}
