// Package keys builds the keys layer (SPEC KMS-1): one customer-managed KMS key
// per data store, each with automatic rotation, an alias following the naming
// rule, and a key policy that lets the account administer the key and only the
// service that stores the data use it.
package keys

import (
	"fmt"

	"github.com/fintech-platform/payment-platform/functions/platform/wiring"

	kmsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/kms/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/iampolicy"
	"github.com/fintech-platform/payment-platform/functions/platform/layer"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
)

// Layer is the keys layer's entry in the function's registry.
var Layer = layer.New[api.KeySetSpec, api.KeySetStatus](api.KindKeySet, Build, &kmsv1beta1.Key{}, &kmsv1beta1.Alias{})

// componentAlias labels the keys' aliases; the keys carry wiring.ComponentKMSKey.
const componentAlias = "kms-alias"

// DeletionWindowDays is the shortest window AWS allows: deleting the claim
// schedules the keys for deletion after a week, during which they can be restored.
const DeletionWindowDays = 7

// RotationPeriodDays is how often AWS rotates the key material.
const RotationPeriodDays = 365

// RegionOf returns the region the key of purpose lives in.
func RegionOf(s api.KeySetSpec, purpose string) string {
	if purpose == wiring.KeyDocumentsReplica {
		return s.ReplicaRegion
	}
	return s.Region
}

func keyKey(purpose string) string   { return "key-" + purpose }
func aliasKey(purpose string) string { return "alias-" + purpose }

// Build returns the keys layer's desired resources for spec given what is observed.
func Build(spec api.KeySetSpec, obs compose.Observed) (*compose.Desired, error) {
	if errs := spec.Validate(api.Parameters); len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	c := spec.Common
	d := compose.NewDesired()
	arns := map[string]string{}
	for _, p := range wiring.KeyPurposes {
		r := RegionOf(spec, p)
		labels := c.Env().Labels(wiring.LayerKeys, wiring.LabelComponent, wiring.ComponentKMSKey, wiring.LabelPurpose, p)
		name := naming.MustName(naming.KMSKey, p, c.EnvironmentSuffix)
		d.Add(keyKey(p), &kmsv1beta1.Key{
			ObjectMeta: wiring.Meta(labels),
			Spec: kmsv1beta1.KeySpec{
				ManagedResourceSpec: c.DataSpec(),
				ForProvider: kmsv1beta1.KeyParameters{
					Region:               &r,
					Description:          compose.Ptr(fmt.Sprintf("payments %s: %s", c.EnvironmentSuffix, description[p])),
					KeyUsage:             compose.Ptr("ENCRYPT_DECRYPT"),
					EnableKeyRotation:    compose.Ptr(true),
					RotationPeriodInDays: compose.Ptr(float64(RotationPeriodDays)),
					DeletionWindowInDays: compose.Ptr(float64(DeletionWindowDays)),
					Policy:               compose.Ptr(Policy(spec, p)),
					Tags:                 c.TagsFor(name),
				},
			},
		})
		alias := naming.MustName(naming.KMSAlias, p, c.EnvironmentSuffix)
		d.Add(aliasKey(p), &kmsv1beta1.Alias{
			ObjectMeta: wiring.Named(alias, c.Env().Labels(wiring.LayerKeys, wiring.LabelComponent, componentAlias, wiring.LabelPurpose, p)),
			Spec: kmsv1beta1.AliasSpec{
				ManagedResourceSpec: c.DataSpec(),
				ForProvider: kmsv1beta1.AliasParameters{
					Region:              &r,
					TargetKeyIDSelector: wiring.Own(wiring.LabelComponent, wiring.ComponentKMSKey, wiring.LabelPurpose, p),
				},
			},
		})
		if arn := obs.String(keyKey(p), "status.atProvider.arn"); arn != "" {
			arns[p] = arn
		}
	}
	st := api.KeySetStatus{}
	if len(arns) > 0 {
		st.KeyARNs = arns
	}
	d.Status = st
	return d, nil
}

var description = map[string]string{
	wiring.KeyDatabase:         "Aurora PostgreSQL storage and Performance Insights",
	wiring.KeyDocuments:        "payment documents bucket",
	wiring.KeyDocumentsReplica: "payment documents replica bucket",
	wiring.KeyMessaging:        "payment queues and notification topic",
	wiring.KeyLogs:             "CloudWatch log groups",
	wiring.KeySecrets:          "Secrets Manager secrets",
}

// dataKeyActions are what a service needs to encrypt and decrypt with a key.
var dataKeyActions = []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"}

// viaServices are the services whose callers may use each key, on behalf of
// principals of the account (kms:ViaService).
var viaServices = map[string][]string{
	wiring.KeyDatabase:         {"rds"},
	wiring.KeyDocuments:        {"s3"},
	wiring.KeyDocumentsReplica: {"s3"},
	// Lambda encrypts the payment worker's environment with the messaging
	// key (the messaging layer), through a grant it makes for the function.
	wiring.KeyMessaging: {"sqs", "sns", "lambda"},
	wiring.KeySecrets:   {"secretsmanager"},
}

// LogGroupARNs are the ARN patterns of the environment's log groups, the only
// ones the logs key encrypts.
func LogGroupARNs(region, account, suffix string) []string {
	base := fmt.Sprintf("arn:aws:logs:%s:%s:log-group:", region, account)
	return []string{base + "*-" + suffix, base + "/aws/*-" + suffix + "/*"}
}

// Policy returns the key policy of the key for purpose.
func Policy(spec api.KeySetSpec, purpose string) string {
	r := RegionOf(spec, purpose)
	st := []iampolicy.Statement{{
		Sid:       "AccountAdministration",
		Effect:    "Allow",
		Principal: iampolicy.Account(spec.AccountID),
		Action:    []string{"kms:*"},
		Resource:  []string{"*"},
	}}
	if svcs := viaServices[purpose]; len(svcs) > 0 {
		via := make([]any, 0, len(svcs))
		for _, s := range svcs {
			via = append(via, s+"."+r+".amazonaws.com")
		}
		st = append(st, iampolicy.Statement{
			Sid:       "UseThroughOwningServiceOnly",
			Effect:    "Allow",
			Principal: map[string]any{"AWS": "*"},
			Action:    dataKeyActions,
			Resource:  []string{"*"},
			Condition: map[string]map[string]any{
				"StringEquals": {"kms:CallerAccount": spec.AccountID, "kms:ViaService": via},
			},
		}, iampolicy.Statement{
			// The owning service (RDS, for one) holds the key through grants
			// it creates for its own resources, never for a principal.
			Sid:       "GrantsForOwningServiceResourcesOnly",
			Effect:    "Allow",
			Principal: map[string]any{"AWS": "*"},
			Action:    []string{"kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"},
			Resource:  []string{"*"},
			Condition: map[string]map[string]any{
				"StringEquals": {"kms:CallerAccount": spec.AccountID, "kms:ViaService": via},
				"Bool":         {"kms:GrantIsForAWSResource": true},
			},
		})
	}
	switch purpose {
	case wiring.KeyLogs:
		// CloudWatch Logs calls KMS as its service principal, and only for log
		// groups of this environment, in this account and region (the
		// encryption context names them): the groups the layers name
		// ({type}-{purpose}-{suffix}) and those AWS names after a resource of
		// ours (/aws/rds/cluster/<cluster>/postgresql). The suffix has no
		// hyphen (ADR 0010), so "*-<suffix>" matches no other environment's.
		st = append(st, iampolicy.Statement{
			Sid:       "CloudWatchLogsOfThisAccount",
			Effect:    "Allow",
			Principal: iampolicy.Service("logs." + r + ".amazonaws.com"),
			Action:    dataKeyActions,
			Resource:  []string{"*"},
			Condition: map[string]map[string]any{
				"ArnLike": {"kms:EncryptionContext:aws:logs:arn": LogGroupARNs(r, spec.AccountID, spec.EnvironmentSuffix)},
			},
		})
	case wiring.KeyMessaging:
		// CloudWatch alarms publish to the encrypted notification topic.
		st = append(st, iampolicy.Statement{
			Sid:       "CloudWatchAlarmsToTopic",
			Effect:    "Allow",
			Principal: iampolicy.Service("cloudwatch.amazonaws.com"),
			Action:    []string{"kms:Decrypt", "kms:GenerateDataKey*"},
			Resource:  []string{"*"},
			Condition: map[string]map[string]any{
				"StringEquals": {"aws:SourceAccount": spec.AccountID},
			},
		})
	}
	return iampolicy.JSON(st...)
}
