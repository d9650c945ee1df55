package api

import (
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// A NameUse is one AWS name a layer derives: its kind and purpose, and the
// claim input the purpose holds, if any.
type NameUse struct {
	Kind    naming.Kind
	Purpose string
	// Zone is the index in availabilityZones of the zone the purpose names,
	// or -1.
	Zone int
	// At, when set, is where the input the purpose holds sits under the
	// parameters at p (a usage plan's name), and Value that input.
	At    func(p *field.Path) *field.Path
	Value string
}

// NameInputs are what names derive from besides the environment suffix.
type NameInputs struct {
	Zones []string
	// Account is the account id a bucket name holds; any 12 digits while it is
	// not known (the length is what matters).
	Account string
	// API adds the API layer's names, its plans' and clients' among them.
	API *GatewaySettings
}

// unknownAccount stands for an account id not known yet.
const unknownAccount = "000000000000"

// Names returns every AWS name the layers derive for an environment (SPEC
// ValidateNames checks each before anything is composed, and
// TestRender_EveryNameIsInTheNamesTable_X6 proves the table complete (every
// platform name a rendered resource carries is one of these).
func Names(in NameInputs) []NameUse {
	zones := in.Zones
	var out []NameUse
	add := func(k naming.Kind, purposes ...string) {
		for _, p := range purposes {
			out = append(out, NameUse{Kind: k, Purpose: p, Zone: -1})
		}
	}
	zoned := func(k naming.Kind, purpose func(zone string) string) {
		for i, z := range zones {
			out = append(out, NameUse{Kind: k, Purpose: purpose(z), Zone: i})
		}
	}

	// The network layer, its NAT instances and endpoints.
	add(naming.VPC, "payments")
	add(naming.InternetGW, "payments")
	for _, tier := range wiring.Tiers {
		zoned(naming.Subnet, func(z string) string { return tier + "-" + z })
	}
	add(naming.RouteTable, wiring.TierPublic, wiring.TierDatabase)
	zoned(naming.RouteTable, func(z string) string { return wiring.TierPrivate + "-" + z })
	add(naming.SecurityGroup, "default", "nat", "endpoints")
	add(naming.FlowLog, "vpc")
	add(naming.LogGroup, "vpc-flow")
	add(naming.IAMRole, "vpc-flow-logs", "nat")
	zoned(naming.NATInstance, func(z string) string { return z })
	add(naming.LaunchTemplate, "nat")
	add(naming.InstanceProfile, "nat")
	add(naming.VPCEndpoint, GatewayServices...)
	for _, s := range InterfaceServices {
		add(naming.VPCEndpoint, EndpointKey(s))
	}

	// The keys layer.
	add(naming.KMSKey, wiring.KeyPurposes...)
	add(naming.KMSAlias, wiring.KeyPurposes...)

	// The database layer.
	add(naming.AuroraCluster, "payments")
	zoned(naming.AuroraInstance, func(z string) string { return "payments-" + z })
	add(naming.DBSubnetGroup, "payments")
	add(naming.DBParamGroup, "aurora-payments")
	add(naming.DBProxy, "payments", "payments-ro")
	add(naming.IAMRole, "rdsproxy")
	add(naming.Secret, "api-keys")
	for _, sg := range []string{wiring.SGDatabase, wiring.SGProxy, wiring.SGClientAPI, wiring.SGClientWorker} {
		add(naming.SecurityGroup, "db"+sg)
	}

	// The service layer.
	out = append(out, ComputeNames()...)

	// The messaging, documents and observability layers, which every claim
	// composes.
	out = append(out, MessagingNames()...)
	out = append(out, DocumentsNames(in.Account)...)
	out = append(out, ObservabilityNames()...)

	// The API layer, when there is one.
	if in.API != nil {
		account := in.Account
		if account == "" {
			account = unknownAccount
		}
		add(naming.RestAPI, "payments")
		add(naming.VPCLink, "payments")
		add(naming.APIStage, "payments")
		add(naming.LogGroup, "api-access")
		add(naming.SecurityGroup, wiring.SGVPCLink)
		add(naming.S3Bucket, "truststore-"+account)
		for i, plan := range in.API.UsagePlans {
			out = append(out, NameUse{Kind: naming.UsagePlan, Purpose: plan.Name, Zone: -1, Value: plan.Name,
				At: func(p *field.Path) *field.Path { return p.Child("api", "usagePlans").Index(i).Child("name") }})
			for j, client := range plan.APIKeys {
				out = append(out, NameUse{Kind: naming.APIKey, Purpose: client, Zone: -1, Value: client,
					At: func(p *field.Path) *field.Path {
						return p.Child("api", "usagePlans").Index(i).Child("apiKeys").Index(j)
					}})
			}
		}
	}
	return out
}

// EndpointKey is the purpose of the endpoint of an interface service: its
// short name without dots (ecr.api: ecr-api).
func EndpointKey(service string) string { return strings.ReplaceAll(service, ".", "-") }

// ValidateNames derives every name of Names for suffix and in and reports,
// naming the claim's field that makes it so, each one AWS would refuse for its
// length: the suffix (at p's environmentSuffix), the zone (at
// availabilityZones) or the input the purpose holds (a usage plan's name). The XRD's bounds make this impossible for the names the
// layers derive today (TestNaming_EveryNameFitsAtMaxSuffix_X1); it stands so a
// layer with a longer name fails at once, before anything is composed, never
// half way (SPEC API-0.5).
func ValidateNames(p *field.Path, suffix string, in NameInputs) field.ErrorList {
	zones := in.Zones
	var errs field.ErrorList
	for _, u := range Names(in) {
		if _, err := naming.Name(u.Kind, u.Purpose, suffix); err != nil {
			// The zone is to blame when the name fits with a one-letter zone.
			at, value := p.Child("environmentSuffix"), suffix
			if u.At != nil {
				at, value = u.At(p), u.Value
			}
			if u.Zone >= 0 {
				if _, short := naming.Name(u.Kind, strings.Replace(u.Purpose, zones[u.Zone], "a", 1), suffix); short == nil {
					at, value = p.Child("availabilityZones").Index(u.Zone), zones[u.Zone]
				}
			}
			e := field.Invalid(at, value, fmt.Sprintf("makes a name AWS refuses: %v", err))
			if !slices.ContainsFunc(errs, func(x *field.Error) bool { return x.Field == e.Field }) {
				errs = append(errs, e)
			}
		}
	}
	return errs
}
