package database

import (
	"strings"
	"testing"

	"github.com/fintech-platform/payment-platform/functions/platform/aws"
)

// TestSettings_EngineVersionFromTheList_API07: every listed Aurora PostgreSQL
// version is admitted, with the parameter group family of its major; a minor
// Aurora never released (16.99, 16.5) is refused naming the field.
func TestSettings_EngineVersionFromTheList_API07(t *testing.T) {
	for _, v := range aws.AuroraPostgreSQLVersions() {
		s := Settings{EngineVersion: v}
		s.Default()
		if err := s.Validate("spec.parameters"); err != nil {
			t.Errorf("%s: %v", v, err)
		}
		if major, _, _ := strings.Cut(v, "."); s.Family() != "aurora-postgresql"+major {
			t.Errorf("%s: family %s", v, s.Family())
		}
	}
	for _, v := range []string{"16.99", "16.5", "17.0", "18.1", "16"} {
		s := Settings{EngineVersion: v}
		s.Default()
		err := s.Validate("spec.parameters.database")
		if err == nil || !strings.Contains(err.Error(), `spec.parameters.database.engineVersion "`+v+`" is not an Aurora PostgreSQL 16 or 17 version: one of 16.1,`) {
			t.Errorf("%s: error = %v, want one naming the field and the versions", v, err)
		}
	}
}

// TestSpec_LayerRegionFromTheList_API07: a Database on its own refuses a
// region AWS does not have.
func TestSpec_LayerRegionFromTheList_API07(t *testing.T) {
	s := spec()
	s.Region = "us-east-9"
	if _, err := Build(s, nil); err == nil || !strings.Contains(err.Error(), `spec.parameters.region "us-east-9" is not an AWS region`) {
		t.Errorf("error = %v, want one naming spec.parameters.region", err)
	}
}
