// Package aws lists what AWS accepts where a pattern is not enough (SPEC
// API-0.7): the commercial regions and their availability zones, the EC2
// instance types the platform admits for NAT instances, the Aurora instance
// classes (with their default max_connections) and PostgreSQL engine
// versions. The function's checks use these lists, and the XRDs in apis/ carry
// them as enums so that kubectl apply refuses a value AWS would refuse;
// test/xrd fails when an enum and its list differ.
//
// To add a region, a zone, an instance type or an engine version: add it here,
// then run go test ./test/xrd, which prints the enum every XRD must carry.
package aws

import (
	"maps"
	"slices"
	"strings"
)

// zoneLetters maps each region of the commercial partition ("aws": ARNs start
// arn:aws:) to the letters of its availability zones, from AWS's Regions and
// Availability Zones documentation (AZ IDs per region) as of 2026. Regions
// opened before November 2012 map zone names to AZ IDs per account, and some
// accounts see fewer zones than listed: us-west-1 shows two of a/b/c to most
// accounts, ap-northeast-1 shows a/c/d to accounts opened since 2012.
// ca-central-1 has no zone c. GovCloud, China and the European Sovereign Cloud
// are other partitions and are not listed.
var zoneLetters = map[string]string{
	"af-south-1":     "abc",
	"ap-east-1":      "abc",
	"ap-east-2":      "abc",
	"ap-northeast-1": "abcd",
	"ap-northeast-2": "abcd",
	"ap-northeast-3": "abc",
	"ap-south-1":     "abc",
	"ap-south-2":     "abc",
	"ap-southeast-1": "abc",
	"ap-southeast-2": "abc",
	"ap-southeast-3": "abc",
	"ap-southeast-4": "abc",
	"ap-southeast-5": "abc",
	"ap-southeast-6": "abc",
	"ap-southeast-7": "abc",
	"ca-central-1":   "abd",
	"ca-west-1":      "abc",
	"eu-central-1":   "abc",
	"eu-central-2":   "abc",
	"eu-north-1":     "abc",
	"eu-south-1":     "abc",
	"eu-south-2":     "abc",
	"eu-west-1":      "abc",
	"eu-west-2":      "abc",
	"eu-west-3":      "abc",
	"il-central-1":   "abc",
	"me-central-1":   "abc",
	"me-south-1":     "abc",
	"mx-central-1":   "abc",
	"sa-east-1":      "abc",
	"us-east-1":      "abcdef",
	"us-east-2":      "abc",
	"us-west-1":      "abc",
	"us-west-2":      "abcd",
}

// natInstanceTypes are the EC2 instance types admitted for NAT instances:
// current burstable types (Graviton t4g, Intel t3, AMD t3a) up to xlarge, and
// the network-optimized and compute types whose smallest sizes carry more
// sustained bandwidth (Graviton c6gn, c7gn, c7g, c8g; Intel c6in). Each exists
// in EC2; not every type is offered in every region.
var natInstanceTypes = []string{
	"c6gn.2xlarge", "c6gn.large", "c6gn.medium", "c6gn.xlarge",
	"c6in.2xlarge", "c6in.large", "c6in.xlarge",
	"c7g.large", "c7g.medium", "c7g.xlarge",
	"c7gn.2xlarge", "c7gn.large", "c7gn.medium", "c7gn.xlarge",
	"c8g.large", "c8g.medium", "c8g.xlarge",
	"t3.large", "t3.medium", "t3.micro", "t3.nano", "t3.small", "t3.xlarge",
	"t3a.large", "t3a.medium", "t3a.micro", "t3a.nano", "t3a.small", "t3a.xlarge",
	"t4g.large", "t4g.medium", "t4g.micro", "t4g.nano", "t4g.small", "t4g.xlarge",
}

// auroraPostgreSQLVersions are the Aurora PostgreSQL 16 and 17 minor versions
// AWS has released, from the Aurora PostgreSQL release notes (Aurora skipped
// the community's 16.5 and 16.7, and 17 starts at 17.4). AWS retires minor
// versions after their end of standard support: remove them here when AWS no
// longer creates clusters with them.
var auroraPostgreSQLVersions = []string{
	"16.1", "16.2", "16.3", "16.4", "16.6", "16.8", "16.9", "16.10", "16.11",
	"17.4", "17.5", "17.6", "17.7",
}

// AWS's tag rules (EC2, and every service the platform tags): at most 50 tags
// per resource, of which the claim may set 40 (compose.TagsFor adds the
// platform's own, and AWS services add theirs); keys of 1 to 128 and values of
// up to 256 Unicode letters, digits, spaces and _ . : / = + - @.
const (
	MaxUserTags       = 40
	MaxTagKeyLength   = 128
	MaxTagValueLength = 256
	TagPattern        = `^[\p{L}\p{Z}\p{N}_.:/=+@-]*$`
)

// ReservedTagPrefix reports whether a tag key or value starts with aws: in any
// case, which AWS reserves for itself.
func ReservedTagPrefix(s string) bool {
	return len(s) >= 4 && strings.EqualFold(s[:4], "aws:")
}

// Regions returns the region names, sorted.
func Regions() []string { return slices.Sorted(maps.Keys(zoneLetters)) }

// IsRegion reports whether r is a region of the list.
func IsRegion(r string) bool {
	_, ok := zoneLetters[r]
	return ok
}

// ZonesOf returns the availability zones of region, in letter order; none for
// a region not in the list.
func ZonesOf(region string) []string {
	letters := zoneLetters[region]
	z := make([]string, 0, len(letters))
	for _, l := range letters {
		z = append(z, region+string(l))
	}
	return z
}

// IsZoneOf reports whether zone is an availability zone of region.
func IsZoneOf(region, zone string) bool {
	l, ok := strings.CutPrefix(zone, region)
	return ok && len(l) == 1 && strings.Contains(zoneLetters[region], l)
}

// Zones returns every availability zone of every region, sorted.
func Zones() []string {
	var z []string
	for _, r := range Regions() {
		z = append(z, ZonesOf(r)...)
	}
	slices.Sort(z)
	return z
}

// NATInstanceTypes returns the instance types admitted for NAT instances, sorted.
func NATInstanceTypes() []string { return slices.Clone(natInstanceTypes) }

// IsNATInstanceType reports whether t is admitted for NAT instances.
func IsNATInstanceType(t string) bool { return slices.Contains(natInstanceTypes, t) }

// AuroraPostgreSQLVersions returns the admitted engine versions, oldest first.
func AuroraPostgreSQLVersions() []string { return slices.Clone(auroraPostgreSQLVersions) }

// IsAuroraPostgreSQLVersion reports whether v is an admitted engine version.
func IsAuroraPostgreSQLVersion(v string) bool { return slices.Contains(auroraPostgreSQLVersions, v) }

// auroraMaxConnections maps the instance classes the platform admits to Aurora
// PostgreSQL's default max_connections for each, LEAST(DBInstanceClassMemory /
// 9531392, 5000), as AWS's Aurora PostgreSQL user guide tabulates it (r6g and
// t4g); r7g classes have the memory of the r6g class of the same size.
// docs/capacity.md's arithmetic starts from these.
var auroraMaxConnections = map[string]int{
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

// AuroraInstanceClasses returns the Aurora instance classes the platform admits, sorted.
func AuroraInstanceClasses() []string { return slices.Sorted(maps.Keys(auroraMaxConnections)) }

// AuroraMaxConnections returns the default max_connections of an Aurora
// PostgreSQL instance of class, and whether the class is admitted.
func AuroraMaxConnections(class string) (int, bool) {
	n, ok := auroraMaxConnections[class]
	return n, ok
}
