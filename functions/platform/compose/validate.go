package compose

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/fintech-platform/payment-platform/functions/platform/aws"
)

// The checks more than one layer makes of the same inputs, written once. Each
// error names the field and the rule (SPEC API-0.5).

var (
	accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)
	tagPattern       = regexp.MustCompile(aws.TagPattern)
)

// CheckRegion checks that the value of field is a region of the aws package's
// list, as the XRDs' enums do (SPEC API-0.7).
func CheckRegion(field, v string) error {
	if !aws.IsRegion(v) {
		return fmt.Errorf("%s %q is not an AWS region: one of %s", field, v, strings.Join(aws.Regions(), ", "))
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

// CheckTags checks the claim's extra tags against AWS's tag rules, as the XRD's
// CEL rules do (SPEC API-0.7): at most 40, keys of 1 to 128 and values of up to
// 256 allowed characters, neither starting with aws: in any case.
func CheckTags(tags map[string]string) error {
	if len(tags) > aws.MaxUserTags {
		return fmt.Errorf("spec.parameters.tags has %d tags, at most %d are allowed", len(tags), aws.MaxUserTags)
	}
	for k, v := range tags {
		switch n := utf8.RuneCountInString(k); {
		case n < 1 || n > aws.MaxTagKeyLength:
			return fmt.Errorf("spec.parameters.tags key %q must be 1 to %d characters", k, aws.MaxTagKeyLength)
		case utf8.RuneCountInString(v) > aws.MaxTagValueLength:
			return fmt.Errorf("spec.parameters.tags[%s] must be at most %d characters", k, aws.MaxTagValueLength)
		case aws.ReservedTagPrefix(k) || aws.ReservedTagPrefix(v):
			return fmt.Errorf("spec.parameters.tags[%s]: keys and values must not start with aws: in any case: AWS reserves the prefix", k)
		case !tagPattern.MatchString(k) || !tagPattern.MatchString(v):
			return fmt.Errorf("spec.parameters.tags[%s]: keys and values may hold only letters, digits, spaces and _ . : / = + - @", k)
		}
	}
	return nil
}
