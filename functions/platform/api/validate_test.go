package api

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/fintech-platform/payment-platform/functions/platform/aws"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
)

// problem is what a test asserts of a field error: where and which rule.
type problem struct {
	Field string
	Type  field.ErrorType
}

func problems(errs field.ErrorList) []problem {
	out := make([]problem, 0, len(errs))
	for _, e := range errs {
		out = append(out, problem{e.Field, e.Type})
	}
	return out
}

var p = field.NewPath("spec", "parameters")

func claim() PaymentPlatformSpec {
	s := PaymentPlatformSpec{Common: compose.Common{EnvironmentSuffix: "dev"}}
	s.Default()
	return s
}

// TestValidate_EveryErrorWithFieldAndRule_API05_API07: each input's validator
// names the field and the kind of rule, the claim and the layers alike, and
// reports every error at once.
func TestValidate_EveryErrorWithFieldAndRule_API05_API07(t *testing.T) {
	many := map[string]string{}
	for i := range 41 {
		many[strings.Repeat("k", i+1)] = "v"
	}
	cases := map[string]struct {
		errs field.ErrorList
		want []problem
	}{
		"valid claim": {func() field.ErrorList { s := claim(); return s.Validate(p) }(), []problem{}},
		"claim with three errors at once": {func() field.ErrorList {
			s := claim()
			s.EnvironmentSuffix, s.Network.CIDR, s.Database.InstanceClass = "Dev", "10.0.0.0/8", "db.m5.large"
			return s.Validate(p)
		}(), []problem{
			{"spec.parameters.environmentSuffix", field.ErrorTypeInvalid},
			{"spec.parameters.network.cidr", field.ErrorTypeInvalid},
			{"spec.parameters.database.instanceClass", field.ErrorTypeNotSupported},
		}},
		"suffix missing":  {compose.Common{Region: "us-east-1"}.Validate(p), []problem{{"spec.parameters.environmentSuffix", field.ErrorTypeRequired}}},
		"suffix too long": {compose.Common{EnvironmentSuffix: "abcdefghijklm", Region: "us-east-1"}.Validate(p), []problem{{"spec.parameters.environmentSuffix", field.ErrorTypeTooLong}}},
		"region unknown":  {compose.Common{EnvironmentSuffix: "dev", Region: "us-east-9"}.Validate(p), []problem{{"spec.parameters.region", field.ErrorTypeNotSupported}}},
		"other partition": {compose.ValidateRegion(p.Child("region"), "us-gov-west-1"), []problem{{"spec.parameters.region", field.ErrorTypeNotSupported}}},
		"provider config": {compose.Common{EnvironmentSuffix: "dev", Region: "us-east-1", ProviderConfigName: "AWS-Dev"}.Validate(p), []problem{{"spec.parameters.providerConfigName", field.ErrorTypeInvalid}}},
		"replica same":    {ValidateReplicaRegion(p.Child("replicaRegion"), "eu-west-1", "eu-west-1"), []problem{{"spec.parameters.replicaRegion", field.ErrorTypeInvalid}}},
		"replica unknown": {ValidateReplicaRegion(p.Child("replicaRegion"), "eu-west-1", "west"), []problem{{"spec.parameters.replicaRegion", field.ErrorTypeNotSupported}}},
		"account short":   {ValidateAccountID(p.Child("accountId"), "1234"), []problem{{"spec.parameters.accountId", field.ErrorTypeInvalid}}},
		"account letter":  {ValidateAccountID(p.Child("accountId"), "12345678901a"), []problem{{"spec.parameters.accountId", field.ErrorTypeInvalid}}},
		"zones: two":      {ValidateZones(p.Child("availabilityZones"), "us-east-1", []string{"us-east-1a", "us-east-1b"}), []problem{{"spec.parameters.availabilityZones", field.ErrorTypeInvalid}}},
		"zones: no such letter": {ValidateZones(p.Child("availabilityZones"), "us-east-1", []string{"us-east-1a", "us-east-1b", "us-east-1z"}),
			[]problem{{"spec.parameters.availabilityZones[2]", field.ErrorTypeNotSupported}}},
		"zones: canada c": {ValidateZones(p.Child("availabilityZones"), "ca-central-1", []string{"ca-central-1a", "ca-central-1b", "ca-central-1c"}),
			[]problem{{"spec.parameters.availabilityZones[2]", field.ErrorTypeNotSupported}}},
		"zones: canada d": {ValidateZones(p.Child("availabilityZones"), "ca-central-1", []string{"ca-central-1a", "ca-central-1b", "ca-central-1d"}), []problem{}},
		"zones: other region": {ValidateZones(p.Child("availabilityZones"), "eu-west-1", DefaultZones("us-east-1")), []problem{
			{"spec.parameters.availabilityZones[0]", field.ErrorTypeNotSupported},
			{"spec.parameters.availabilityZones[1]", field.ErrorTypeNotSupported},
			{"spec.parameters.availabilityZones[2]", field.ErrorTypeNotSupported},
		}},
		"zones: twice": {ValidateZones(p.Child("availabilityZones"), "us-east-1", []string{"us-east-1a", "us-east-1b", "us-east-1a"}),
			[]problem{{"spec.parameters.availabilityZones[2]", field.ErrorTypeDuplicate}}},
		"nat type":        {ValidateNATInstanceType(p.Child("natInstanceType"), "m5.large"), []problem{{"spec.parameters.natInstanceType", field.ErrorTypeNotSupported}}},
		"service":         {(&InterfaceEndpointSpec{Common: compose.Common{EnvironmentSuffix: "dev", Region: "us-east-1"}, AvailabilityZones: DefaultZones("us-east-1"), Service: "ec2"}).Validate(p), []problem{{"spec.parameters.service", field.ErrorTypeNotSupported}}},
		"backup too long": {(&DatabaseSettings{InstanceClass: DefaultInstanceClass, EngineVersion: DefaultEngineVersion, BackupRetentionDays: 36}).Validate(p.Child("database")), []problem{{"spec.parameters.database.backupRetentionDays", field.ErrorTypeInvalid}}},
		"engine 16.99":    {(&DatabaseSettings{InstanceClass: DefaultInstanceClass, EngineVersion: "16.99", BackupRetentionDays: 7}).Validate(p.Child("database")), []problem{{"spec.parameters.database.engineVersion", field.ErrorTypeNotSupported}}},
		"tags: too many":  {compose.ValidateTags(p.Child("tags"), many), []problem{{"spec.parameters.tags", field.ErrorTypeTooMany}}},
		"tags: empty key": {compose.ValidateTags(p.Child("tags"), map[string]string{"": "v"}), []problem{{"spec.parameters.tags[]", field.ErrorTypeInvalid}}},
		"tags: AWS key":   {compose.ValidateTags(p.Child("tags"), map[string]string{"AWS:owner": "me"}), []problem{{"spec.parameters.tags[AWS:owner]", field.ErrorTypeInvalid}}},
		"tags: aws value": {compose.ValidateTags(p.Child("tags"), map[string]string{"owner": "Aws:me"}), []problem{{"spec.parameters.tags[owner]", field.ErrorTypeInvalid}}},
		"tags: character": {compose.ValidateTags(p.Child("tags"), map[string]string{"team#1": "x"}), []problem{{"spec.parameters.tags[team#1]", field.ErrorTypeInvalid}}},
		"tags: long":      {compose.ValidateTags(p.Child("tags"), map[string]string{"k": strings.Repeat("v", 257)}), []problem{{"spec.parameters.tags[k]", field.ErrorTypeTooLong}}},
		"tags: runes":     {compose.ValidateTags(p.Child("tags"), map[string]string{strings.Repeat("ü", 128): strings.Repeat("é", 256), "Zürich": ""}), []problem{}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, problems(tc.errs)); diff != "" {
				t.Errorf("errors (-want +got):\n%s\n%v", diff, tc.errs)
			}
		})
	}
}

// TestValidateCIDR_AWSRules_API07: AWS refuses VPCs outside /16–/24 and in
// this network, loopback, link-local, multicast and the reserved range above
// it; the message says which range.
func TestValidateCIDR_AWSRules_API07(t *testing.T) {
	for cidr, want := range map[string]string{
		"10.0.0.0/16": "", "172.16.0.0/16": "", "192.168.0.0/24": "", "100.64.0.0/16": "", "11.0.0.0/16": "",
		"0.0.0.0/16": "0.0.0.0/8", "127.0.0.0/16": "127.0.0.0/8", "169.254.0.0/16": "169.254.0.0/16", "224.0.0.0/16": "224.0.0.0/3",
		"239.1.0.0/16": "224.0.0.0/3", "240.0.0.0/16": "224.0.0.0/3", "255.255.255.0/24": "224.0.0.0/3",
		"10.0.0.0/8": "must be a /16 to /24", "10.0.0.0/25": "must be a /16 to /24", "10.0.1.0/16": "did you mean 10.0.0.0/16?",
		"010.0.0.0/16": "must be an IPv4 CIDR block", "fd00::/16": "must be an IPv4 CIDR block",
	} {
		pfx, errs := ValidateCIDR(p.Child("cidr"), cidr)
		if want == "" {
			if len(errs) > 0 || pfx.String() != cidr {
				t.Errorf("%s: %v %v, want it admitted", cidr, pfx, errs)
			}
			continue
		}
		if diff := cmp.Diff([]problem{{"spec.parameters.cidr", field.ErrorTypeInvalid}}, problems(errs)); diff != "" || !strings.Contains(errs.ToAggregate().Error(), want) {
			t.Errorf("%s: %v, want one Invalid error saying %q %s", cidr, errs, want, diff)
		}
	}
}

// TestDatabaseSettings_EngineVersionFromTheList_API07: every listed Aurora
// PostgreSQL version is admitted, with the parameter group family of its major.
func TestDatabaseSettings_EngineVersionFromTheList_API07(t *testing.T) {
	for _, v := range aws.AuroraPostgreSQLVersions() {
		s := DatabaseSettings{EngineVersion: v}
		s.Default()
		if errs := s.Validate(p); len(errs) > 0 {
			t.Errorf("%s: %v", v, errs)
		}
		if major, _, _ := strings.Cut(v, "."); s.Family() != "aurora-postgresql"+major {
			t.Errorf("%s: family %s", v, s.Family())
		}
	}
	for _, c := range aws.AuroraInstanceClasses() {
		s := DatabaseSettings{InstanceClass: c}
		s.Default()
		if errs := s.Validate(p); len(errs) > 0 {
			t.Errorf("%s: %v", c, errs)
		}
	}
}

// TestValidate_LayersAtTheirOwnPaths_API05: each layer names its own fields.
func TestValidate_LayersAtTheirOwnPaths_API05(t *testing.T) {
	c := compose.Common{EnvironmentSuffix: "dev", Region: "us-east-1"}
	for name, errs := range map[string]field.ErrorList{
		"Network":      (&NetworkSpec{Common: c, AvailabilityZones: DefaultZones("us-east-1"), CIDR: "10.0.0.0/8", NATInstanceType: DefaultNATInstanceType}).Validate(p),
		"NatInstances": (&NatInstancesSpec{Common: c, AvailabilityZones: DefaultZones("us-east-1"), CIDR: "10.0.0.0/8", InstanceType: DefaultNATInstanceType}).Validate(p),
		"VpcEndpoints": (&VpcEndpointsSpec{Common: c, AvailabilityZones: DefaultZones("us-east-1"), CIDR: "10.0.0.0/8"}).Validate(p),
		"KeySet":       (&KeySetSpec{Common: c, ReplicaRegion: "us-west-2", AccountID: "1"}).Validate(p),
		"Database": func() field.ErrorList {
			s := DatabaseSpec{Common: c, AccountID: "123456789012", AvailabilityZones: DefaultZones("us-east-1")}
			s.Default()
			s.BackupRetentionDays = 3
			return s.Validate(p)
		}(),
	} {
		want := map[string]string{"Network": "cidr", "NatInstances": "cidr", "VpcEndpoints": "cidr", "KeySet": "accountId", "Database": "backupRetentionDays"}[name]
		if diff := cmp.Diff([]problem{{fmt.Sprintf("spec.parameters.%s", want), field.ErrorTypeInvalid}}, problems(errs)); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", name, diff)
		}
	}
}

// TestValidate_AddressBudget_NET7: a claim whose VPC cannot hold what it puts
// in its subnets is refused naming spec.parameters.network.cidr and the
// smallest VPC that fits; the budget grows with the claim's load and instance
// class, and speaks only when those inputs are valid.
func TestValidate_AddressBudget_NET7(t *testing.T) {
	cases := map[string]struct {
		mutate func(*PaymentPlatformSpec)
		want   []problem
		says   string
	}{
		"default /16": {func(*PaymentPlatformSpec) {}, []problem{}, ""},
		"default /21": {func(s *PaymentPlatformSpec) { s.Network.CIDR = "10.0.0.0/21" }, []problem{}, ""},
		"default /22": {func(s *PaymentPlatformSpec) { s.Network.CIDR = "10.0.0.0/22" }, []problem{{"spec.parameters.network.cidr", field.ErrorTypeInvalid}}, "smallest VPC that fits is a /21"},
		"default /24": {func(s *PaymentPlatformSpec) { s.Network.CIDR = "10.0.0.0/24" }, []problem{{"spec.parameters.network.cidr", field.ErrorTypeInvalid}}, "load balancer needs subnets of /27"},
		"larger load": {func(s *PaymentPlatformSpec) { s.Network.CIDR, s.Capacity.ConcurrentTransactions = "10.0.0.0/21", 50000 }, []problem{{"spec.parameters.network.cidr", field.ErrorTypeInvalid}}, "smallest VPC that fits is a /19"},
		"larger class": {func(s *PaymentPlatformSpec) {
			s.Network.CIDR, s.Database.InstanceClass = "10.0.0.0/21", "db.r6g.4xlarge"
		}, []problem{{"spec.parameters.network.cidr", field.ErrorTypeInvalid}}, "smallest VPC that fits is a /20"},
		"smaller load": {func(s *PaymentPlatformSpec) { s.Network.CIDR, s.Capacity.ConcurrentTransactions = "10.0.0.0/22", 1000 }, []problem{}, ""},
		"load too high": {func(s *PaymentPlatformSpec) {
			s.Network.CIDR, s.Capacity.ConcurrentTransactions = "10.0.0.0/24", 200000
		}, []problem{{"spec.parameters.capacity.concurrentTransactions", field.ErrorTypeInvalid}}, "must be 100 to 100000"},
		"bad class": {func(s *PaymentPlatformSpec) { s.Network.CIDR, s.Database.InstanceClass = "10.0.0.0/24", "db.m5.large" }, []problem{{"spec.parameters.database.instanceClass", field.ErrorTypeNotSupported}}, ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := claim()
			tc.mutate(&s)
			errs := s.Validate(p)
			if diff := cmp.Diff(tc.want, problems(errs)); diff != "" {
				t.Fatalf("errors (-want +got):\n%s\n%v", diff, errs)
			}
			if len(errs) > 0 && !strings.Contains(errs.ToAggregate().Error(), tc.says) {
				t.Errorf("%v, want it to say %q", errs, tc.says)
			}
		})
	}
}

// TestValidateNames_EveryDerivedNameBeforeComposing_X6_API05: the names table
// holds, for the longest suffix and every region's zones, names AWS accepts;
// an input that would make one too long is refused naming the field that
// makes it so: the suffix, or the zone.
func TestValidateNames_EveryDerivedNameBeforeComposing_X6_API05(t *testing.T) {
	const longest = "prodeu1abcde"
	if len(longest) != naming.MaxSuffixLength {
		t.Fatalf("%q is not the longest suffix", longest)
	}
	for _, region := range aws.Regions() {
		for _, z := range aws.ZonesOf(region) {
			if errs := ValidateNames(p, longest, NameInputs{Zones: []string{z, z, z}}); len(errs) > 0 {
				t.Errorf("%s: %v", z, errs)
			}
		}
	}
	zones := DefaultZones("us-east-1")
	// A suffix the XRD would refuse, to reach the limits: the DB proxy's 60
	// characters are the first it breaks.
	long := strings.Repeat("a", 60)
	if diff := cmp.Diff([]problem{{"spec.parameters.environmentSuffix", field.ErrorTypeInvalid}}, problems(ValidateNames(p, long, NameInputs{Zones: zones}))); diff != "" {
		t.Errorf("long suffix (-want +got):\n%s", diff)
	}
	if errs := ValidateNames(p, long, NameInputs{Zones: zones}); len(errs) == 0 || !strings.Contains(errs[0].Detail, "AWS allows at most") {
		t.Errorf("long suffix: %v, want the limit named", errs)
	}
	// A zone name of 50 characters breaks the Aurora instance's 63.
	odd := []string{zones[0], strings.Repeat("z", 50), zones[2]}
	if diff := cmp.Diff([]problem{{"spec.parameters.availabilityZones[1]", field.ErrorTypeInvalid}}, problems(ValidateNames(p, longest, NameInputs{Zones: odd}))); diff != "" {
		t.Errorf("long zone (-want +got):\n%s", diff)
	}
}
