package compose

import (
	"fmt"
	"regexp"
)

// The checks more than one layer makes of the same inputs, written once. Each
// error names the field and the rule (SPEC API-0.5).

var (
	regionPattern    = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]$`)
	accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)
)

// CheckRegion checks that the value of field is an AWS region name.
func CheckRegion(field, v string) error {
	if !regionPattern.MatchString(v) {
		return fmt.Errorf("%s %q is not an AWS region such as us-east-1", field, v)
	}
	return nil
}

// CheckRegions checks spec.parameters.region and spec.parameters.replicaRegion,
// which must be regions and must differ.
func CheckRegions(region, replica string) error {
	if err := CheckRegion("spec.parameters.region", region); err != nil {
		return err
	}
	if err := CheckRegion("spec.parameters.replicaRegion", replica); err != nil {
		return err
	}
	if replica == region {
		return fmt.Errorf("spec.parameters.replicaRegion must differ from spec.parameters.region (%s): a replica in the same region survives no regional outage", region)
	}
	return nil
}

// CheckAccountID checks that the value of spec.parameters.accountId is an AWS account id.
func CheckAccountID(v string) error {
	if !accountIDPattern.MatchString(v) {
		return fmt.Errorf("spec.parameters.accountId %q must be the 12-digit AWS account id", v)
	}
	return nil
}
