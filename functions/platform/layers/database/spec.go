package database

import (
	"fmt"
	"sort"
	"strings"

	"github.com/fintech-platform/payment-platform/functions/platform/aws"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
)

// Spec is a Database XR's spec.parameters.
type Spec struct {
	compose.Common
	// AccountID names the account in the rds-db:connect ARNs.
	AccountID         string   `json:"accountId"`
	AvailabilityZones []string `json:"availabilityZones"`
	// PrivateSubnetIDs places the proxy's read-only endpoint; the proxy
	// endpoint kind has no subnet selector, so the claim copies them from the
	// network's status. The endpoint waits until they are known.
	PrivateSubnetIDs []string `json:"privateSubnetIds,omitempty"`

	Settings
}

// Settings are what a tenant tunes: the claim's spec.parameters.database.
type Settings struct {
	InstanceClass       string `json:"instanceClass,omitempty"`
	EngineVersion       string `json:"engineVersion,omitempty"`
	BackupRetentionDays int    `json:"backupRetentionDays,omitempty"`
	DeletionProtection  bool   `json:"deletionProtection,omitempty"`
	FinalSnapshot       bool   `json:"finalSnapshot,omitempty"`
	// PerformanceInsights is on unless the claim turns it off.
	PerformanceInsights *bool `json:"performanceInsights,omitempty"`
}

// Defaults. docs/capacity.md shows the default instance class carries 10,000
// concurrent transactions through the proxy.
const (
	DefaultInstanceClass       = "db.r6g.xlarge"
	DefaultEngineVersion       = "16.6"
	DefaultBackupRetentionDays = 7
	MaxBackupRetentionDays     = 35
	DatabaseName               = "payments"
	MasterUsername             = "payments_admin"
	Port                       = 5432
)

// Users are the database users workloads connect as, with IAM tokens through
// the proxy. Each must exist in PostgreSQL with the rds_iam role.
var Users = []string{"payments_api", "payments_worker"}

// MaxConnections lists the instance classes the platform admits with Aurora
// PostgreSQL's default max_connections for each, LEAST(DBInstanceClassMemory /
// 9531392, 5000), as AWS's Aurora PostgreSQL user guide tabulates it (r6g and
// t4g); r7g classes have the memory of the r6g class of the same size.
// docs/capacity.md's arithmetic starts from these.
var MaxConnections = map[string]int{
	"db.t4g.medium":  405,
	"db.r6g.large":   1722,
	"db.r6g.xlarge":  3479,
	"db.r6g.2xlarge": 5000,
	"db.r6g.4xlarge": 5000,
	"db.r7g.large":   1722,
	"db.r7g.xlarge":  3479,
	"db.r7g.2xlarge": 5000,
	"db.r7g.4xlarge": 5000,
}

// InstanceClasses returns the admitted classes, sorted.
func InstanceClasses() []string {
	c := make([]string, 0, len(MaxConnections))
	for k := range MaxConnections {
		c = append(c, k)
	}
	sort.Strings(c)
	return c
}

// Default fills in what the claim left out.
func (s *Settings) Default() {
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
		s.PerformanceInsights = compose.Ptr(true)
	}
}

// Validate checks the settings, naming the field and the rule that fail.
// prefix is where the fields sit: spec.parameters for a Database,
// spec.parameters.database for a PaymentPlatform.
func (s *Settings) Validate(prefix string) error {
	if _, ok := MaxConnections[s.InstanceClass]; !ok {
		return fmt.Errorf("%s.instanceClass %q is not one of %s", prefix, s.InstanceClass, strings.Join(InstanceClasses(), ", "))
	}
	if !aws.IsAuroraPostgreSQLVersion(s.EngineVersion) {
		return fmt.Errorf("%s.engineVersion %q is not an Aurora PostgreSQL 16 or 17 version: one of %s", prefix, s.EngineVersion, strings.Join(aws.AuroraPostgreSQLVersions(), ", "))
	}
	if s.BackupRetentionDays < DefaultBackupRetentionDays || s.BackupRetentionDays > MaxBackupRetentionDays {
		return fmt.Errorf("%s.backupRetentionDays %d must be %d to %d", prefix, s.BackupRetentionDays, DefaultBackupRetentionDays, MaxBackupRetentionDays)
	}
	return nil
}

// validateLayer checks what the claim passes the layer; a tenant using the
// Database XR on its own gives these itself.
func (s *Spec) validateLayer() error {
	if err := naming.ValidateSuffix(s.EnvironmentSuffix); err != nil {
		return err
	}
	if err := s.Validate("spec.parameters"); err != nil {
		return err
	}
	if err := compose.CheckAccountID(s.AccountID); err != nil {
		return err
	}
	if err := compose.CheckRegion("spec.parameters.region", s.Region); err != nil {
		return err
	}
	if len(s.AvailabilityZones) != 3 {
		return fmt.Errorf("spec.parameters.availabilityZones must list exactly 3 zones, got %d", len(s.AvailabilityZones))
	}
	return nil
}

// Family is the parameter group family of the engine version.
func (s *Settings) Family() string {
	major, _, _ := strings.Cut(s.EngineVersion, ".")
	return "aurora-postgresql" + major
}
