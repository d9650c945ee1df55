package compose

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"unicode/utf8"

	k8svalidation "k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/fintech-platform/payment-platform/functions/platform/aws"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
)

// The checks of the parameters every layer shares. Each validator takes the
// path of its input and returns every error it finds, naming the field and the
// rule (SPEC API-0.5), with the same rules the XRDs enforce, so the function
// never composes from bad input when it runs without the XRD (crossplane
// render, unit tests).

var (
	accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)
	tagPattern       = regexp.MustCompile(aws.TagPattern)
)

// Validate checks the common parameters at p: the environment suffix, the
// region, the provider config's name and the tags.
func (c Common) Validate(p *field.Path) field.ErrorList {
	errs := naming.ValidateSuffix(p.Child("environmentSuffix"), c.EnvironmentSuffix)
	errs = append(errs, ValidateRegion(p.Child("region"), c.Region)...)
	if c.ProviderConfigName != "" {
		for _, msg := range k8svalidation.IsDNS1123Subdomain(c.ProviderConfigName) {
			errs = append(errs, field.Invalid(p.Child("providerConfigName"), c.ProviderConfigName, msg))
		}
	}
	return append(errs, ValidateTags(p.Child("tags"), c.Tags)...)
}

// ValidateRegion checks that region is one of the aws package's regions, as the
// XRDs' enums do (SPEC API-0.7).
func ValidateRegion(p *field.Path, region string) field.ErrorList {
	if !aws.IsRegion(region) {
		return field.ErrorList{field.NotSupported(p, region, aws.Regions())}
	}
	return nil
}

// ValidateAccountID checks that id is an AWS account id.
func ValidateAccountID(p *field.Path, id string) field.ErrorList {
	if !accountIDPattern.MatchString(id) {
		return field.ErrorList{field.Invalid(p, id, "must be the 12-digit AWS account id")}
	}
	return nil
}

// ValidateTags checks the claim's extra tags against AWS's tag rules, as the
// XRD's CEL rules do (SPEC API-0.7): at most 40, keys of 1 to 128 and values of
// up to 256 allowed characters, neither starting with aws: in any case.
func ValidateTags(p *field.Path, tags map[string]string) field.ErrorList {
	var errs field.ErrorList
	if len(tags) > aws.MaxUserTags {
		errs = append(errs, field.TooMany(p, len(tags), aws.MaxUserTags))
	}
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		v, at := tags[k], p.Key(k)
		if n := utf8.RuneCountInString(k); n < 1 || n > aws.MaxTagKeyLength {
			errs = append(errs, field.Invalid(at, k, fmt.Sprintf("keys must be 1 to %d characters", aws.MaxTagKeyLength)))
		}
		if utf8.RuneCountInString(v) > aws.MaxTagValueLength {
			errs = append(errs, field.TooLong(at, v, aws.MaxTagValueLength))
		}
		if aws.ReservedTagPrefix(k) || aws.ReservedTagPrefix(v) {
			errs = append(errs, field.Invalid(at, v, "keys and values must not start with aws: in any case: AWS reserves the prefix"))
		}
		if !tagPattern.MatchString(k) || !tagPattern.MatchString(v) {
			errs = append(errs, field.Invalid(at, v, "keys and values may hold only letters, digits, spaces and _ . : / = + - @"))
		}
	}
	return errs
}
