// Package keys builds the keys layer (SPEC KMS-1): one customer-managed KMS key
// per data store, each with automatic rotation, an alias following the naming
// rule, and a key policy that lets the account administer the key and only the
// service that stores the data use it.
package keys

import (
	"fmt"

	"github.com/fintech-platform/payment-platform/functions/platform/wiring"

	kmsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/kms/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/iampolicy"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/usage"
)

// Kind is the kind of the XR this package builds.
const Kind = "KeySet"

// Layer is the value of the layer label on everything this package composes.
const Layer = "keys"

// ComponentKey is the component label of every key; other layers select a key
// by this label and the purpose label.
const ComponentKey = wiring.ComponentKMSKey

// Key purposes. Each names the data store the key protects.
const (
	PurposeDatabase         = "database"
	PurposeDocuments        = "documents"
	PurposeDocumentsReplica = "documents-replica"
	PurposeMessaging        = "messaging"
	PurposeLogs             = "logs"
	PurposeSecrets          = "secrets"
)

// Purposes lists every key the layer makes, in a fixed order.
var Purposes = []string{PurposeDatabase, PurposeDocuments, PurposeDocumentsReplica, PurposeMessaging, PurposeLogs, PurposeSecrets}

// DeletionWindowDays is the shortest window AWS allows: deleting the claim
// schedules the keys for deletion after a week, during which they can be restored.
const DeletionWindowDays = 7

// RotationPeriodDays is how often AWS rotates the key material.
const RotationPeriodDays = 365

// Spec is a KeySet XR's spec.parameters.
type Spec struct {
	compose.Common
	ReplicaRegion string `json:"replicaRegion"`
	// AccountID is the AWS account the keys live in; their policies name it.
	AccountID string `json:"accountId"`
}

// Validate checks the parameters and names the field and rule that fail.
func (s Spec) Validate() error {
	if err := naming.ValidateSuffix(s.EnvironmentSuffix); err != nil {
		return err
	}
	if err := compose.CheckRegions(s.Region, s.ReplicaRegion); err != nil {
		return err
	}
	return compose.CheckAccountID(s.AccountID)
}

// RegionOf returns the region the key of purpose lives in.
func (s Spec) RegionOf(purpose string) string {
	if purpose == PurposeDocumentsReplica {
		return s.ReplicaRegion
	}
	return s.Region
}

// Ref is the environment's key of purpose as the used side of a Usage: the
// layers whose resources a key encrypts keep it until those are gone (SPEC X-8).
func Ref(c compose.Common, purpose string) usage.Ref {
	return usage.Ref{GVK: kmsv1beta1.Key_GroupVersionKind, Selector: c.Env().SelectKey(purpose)}
}

func keyKey(purpose string) string   { return "key-" + purpose }
func aliasKey(purpose string) string { return "alias-" + purpose }

// Build returns the keys layer's desired resources for spec given what is observed.
func Build(spec Spec, obs compose.Observed) (*compose.Desired, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	c := spec.Common
	d := compose.NewDesired()
	arns := map[string]any{}
	for _, p := range Purposes {
		r := spec.RegionOf(p)
		labels := c.Env().Labels(wiring.LayerKeys, wiring.LabelComponent, ComponentKey, wiring.LabelPurpose, p)
		name := naming.MustName(naming.KMSKey, p, c.EnvironmentSuffix)
		d.Add(keyKey(p), &kmsv1beta1.Key{
			ObjectMeta: wiring.Meta(labels),
			Spec: kmsv1beta1.KeySpec{
				ManagedResourceSpec: c.ManagedSpec(),
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
			ObjectMeta: wiring.Named(alias, c.Env().Labels(wiring.LayerKeys, wiring.LabelComponent, "kms-alias", wiring.LabelPurpose, p)),
			Spec: kmsv1beta1.AliasSpec{
				ManagedResourceSpec: c.ManagedSpec(),
				ForProvider: kmsv1beta1.AliasParameters{
					Region:              &r,
					TargetKeyIDSelector: wiring.Own(wiring.LabelComponent, ComponentKey, wiring.LabelPurpose, p),
				},
			},
		})
		if arn := obs.String(keyKey(p), "status.atProvider.arn"); arn != "" {
			arns[p] = arn
		}
	}
	if len(arns) > 0 {
		d.Status["keyArns"] = arns
	}
	return d, nil
}

var description = map[string]string{
	PurposeDatabase:         "Aurora PostgreSQL storage and Performance Insights",
	PurposeDocuments:        "payment documents bucket",
	PurposeDocumentsReplica: "payment documents replica bucket",
	PurposeMessaging:        "payment queues and notification topic",
	PurposeLogs:             "CloudWatch log groups",
	PurposeSecrets:          "Secrets Manager secrets",
}

// dataKeyActions are what a service needs to encrypt and decrypt with a key.
var dataKeyActions = []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"}

// viaServices are the services whose callers may use each key, on behalf of
// principals of the account (kms:ViaService).
var viaServices = map[string][]string{
	PurposeDatabase:         {"rds"},
	PurposeDocuments:        {"s3"},
	PurposeDocumentsReplica: {"s3"},
	PurposeMessaging:        {"sqs", "sns"},
	PurposeSecrets:          {"secretsmanager"},
}

// Policy returns the key policy of the key for purpose.
func Policy(spec Spec, purpose string) string {
	r := spec.RegionOf(purpose)
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
	case PurposeLogs:
		// CloudWatch Logs calls KMS as its service principal, and only for log
		// groups of this account and region (the encryption context names them).
		st = append(st, iampolicy.Statement{
			Sid:       "CloudWatchLogsOfThisAccount",
			Effect:    "Allow",
			Principal: iampolicy.Service("logs." + r + ".amazonaws.com"),
			Action:    dataKeyActions,
			Resource:  []string{"*"},
			Condition: map[string]map[string]any{
				"ArnLike": {"kms:EncryptionContext:aws:logs:arn": fmt.Sprintf("arn:aws:logs:%s:%s:log-group:*", r, spec.AccountID)},
			},
		})
	case PurposeMessaging:
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
