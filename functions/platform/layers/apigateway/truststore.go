package apigateway

import (
	agv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/apigateway/v1beta1"
	s3v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/s3/v1beta1"

	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/iampolicy"
	"github.com/fintech-platform/payment-platform/functions/platform/naming"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// Pipeline keys of the truststore.
const (
	keyBucket       = "truststore-bucket"
	keyVersioning   = "truststore-versioning"
	keyEncryption   = "truststore-encryption"
	keyPublicAccess = "truststore-public-access-block"
	keyOwnership    = "truststore-ownership"
	keyPolicy       = "truststore-policy"
	keyTruststore   = "truststore"
	keyLogging      = "truststore-logging"
)

// LogPrefix is where the truststore bucket's server access logs go in the
// documents layer's log bucket.
const LogPrefix = wiring.AccessLogPrefix + "truststore/"

// TruststoreKey is the truststore object's key in its bucket.
const TruststoreKey = "truststore.pem"

// TruststoreBucket is the truststore bucket of environment suffix in account.
// Bucket names are global across every AWS account and the suffix is unique
// within one account only, so the purpose carries the account id:
// s3-truststore-<account>-<suffix> (40 characters at the longest suffix).
// The suffix still ends the name, so names stay injective (ADR 0010).
func TruststoreBucket(account, suffix string) string {
	return naming.MustName(naming.S3Bucket, "truststore-"+account, suffix)
}

// TruststoreURI is where the custom domain reads its truststore.
func TruststoreURI(account, suffix string) string {
	return "s3://" + TruststoreBucket(account, suffix) + "/" + TruststoreKey
}

// truststore adds the bucket holding the mutual-TLS truststore (API-1):
// versioned, encrypted with the environment's documents key (the S3 key),
// every public access blocked, ACLs off, non-TLS access denied; and the
// truststore object, whose content is the claim's PEM. The truststore is
// configuration the claim can always write again, not data: the bucket is
// deleted with the XR whatever the data-retention mode (forceDestroy, so its
// old versions go too).
func (b *builder) truststore() {
	c := b.c
	name := TruststoreBucket(b.spec.AccountID, c.EnvironmentSuffix)
	bucket := wiring.Own(wiring.LabelComponent, componentBucket)

	b.d.Add(keyBucket, &s3v1beta1.Bucket{
		ObjectMeta: wiring.Named(name, b.labels(componentBucket)),
		Spec: s3v1beta1.BucketSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: s3v1beta1.BucketParameters{
				Region:       &c.Region,
				ForceDestroy: compose.Ptr(true),
				Tags:         c.TagsFor(name),
			},
		},
	})
	b.d.Add(keyVersioning, &s3v1beta1.BucketVersioning{
		ObjectMeta: b.meta(componentBucketConfig, wiring.LabelPurpose, "versioning"),
		Spec: s3v1beta1.BucketVersioningSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: s3v1beta1.BucketVersioningParameters{
				Region:                  &c.Region,
				BucketSelector:          bucket,
				VersioningConfiguration: &s3v1beta1.VersioningConfigurationParameters{Status: compose.Ptr("Enabled")},
			},
		},
	})
	b.d.Add(keyEncryption, &s3v1beta1.BucketServerSideEncryptionConfiguration{
		ObjectMeta: b.meta(componentBucketConfig, wiring.LabelPurpose, "encryption"),
		Spec: s3v1beta1.BucketServerSideEncryptionConfigurationSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: s3v1beta1.BucketServerSideEncryptionConfigurationParameters{
				Region:         &c.Region,
				BucketSelector: bucket,
				Rule: []s3v1beta1.BucketServerSideEncryptionConfigurationRuleParameters{{
					ApplyServerSideEncryptionByDefault: &s3v1beta1.RuleApplyServerSideEncryptionByDefaultParameters{
						SseAlgorithm:           compose.Ptr("aws:kms"),
						KMSMasterKeyIDSelector: c.Env().SelectKey(wiring.KeyDocuments),
					},
					BucketKeyEnabled: compose.Ptr(true),
				}},
			},
		},
	})
	b.d.Add(keyPublicAccess, &s3v1beta1.BucketPublicAccessBlock{
		ObjectMeta: b.meta(componentBucketConfig, wiring.LabelPurpose, "public-access-block"),
		Spec: s3v1beta1.BucketPublicAccessBlockSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: s3v1beta1.BucketPublicAccessBlockParameters{
				Region:                &c.Region,
				BucketSelector:        bucket,
				BlockPublicAcls:       compose.Ptr(true),
				BlockPublicPolicy:     compose.Ptr(true),
				IgnorePublicAcls:      compose.Ptr(true),
				RestrictPublicBuckets: compose.Ptr(true),
			},
		},
	})
	b.d.Add(keyOwnership, &s3v1beta1.BucketOwnershipControls{
		ObjectMeta: b.meta(componentBucketConfig, wiring.LabelPurpose, "ownership"),
		Spec: s3v1beta1.BucketOwnershipControlsSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: s3v1beta1.BucketOwnershipControlsParameters{
				Region:         &c.Region,
				BucketSelector: bucket,
				Rule:           &s3v1beta1.BucketOwnershipControlsRuleParameters{ObjectOwnership: compose.Ptr("BucketOwnerEnforced")},
			},
		},
	})
	b.d.Add(keyPolicy, &s3v1beta1.BucketPolicy{
		ObjectMeta: b.meta(componentBucketConfig, wiring.LabelPurpose, "policy"),
		Spec: s3v1beta1.BucketPolicySpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: s3v1beta1.BucketPolicyParameters{
				Region:         &c.Region,
				BucketSelector: bucket,
				Policy:         compose.Ptr(BucketPolicy(name)),
			},
		},
	})

	// The object is written once the bucket encrypts with the key, so that
	// no version of it is ever stored under S3's own key.
	b.d.AddWhen(b.obs.Ready(keyEncryption) && b.obs.Ready(keyVersioning), b.obs, keyTruststore, &s3v1beta1.Object{
		ObjectMeta: b.meta(componentObject),
		Spec: s3v1beta1.ObjectSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: s3v1beta1.ObjectParameters{
				Region:               &c.Region,
				BucketSelector:       bucket,
				Key:                  compose.Ptr(TruststoreKey),
				Content:              compose.Ptr(b.spec.TruststorePEM),
				ContentType:          compose.Ptr("application/x-pem-file"),
				ServerSideEncryption: compose.Ptr("aws:kms"),
				KMSKeyIDSelector:     c.Env().SelectKey(wiring.KeyDocuments),
				BucketKeyEnabled:     compose.Ptr(true),
				Tags:                 c.TagsFor(TruststoreKey),
			},
		},
	}, "the bucket's encryption and versioning to be ready")

	// Server access logs go to the documents layer's log bucket in this
	// region (S3 delivers to no other region); once logging exists it keeps
	// the bucket it names.
	logs := compose.Sticky(b.spec.LogBucketName, b.obs, keyLogging, "spec.forProvider.targetBucket")
	b.d.AddWhen(logs != "", b.obs, keyLogging, &s3v1beta1.BucketLogging{
		ObjectMeta: b.meta(componentBucketConfig, wiring.LabelPurpose, "logging"),
		Spec: s3v1beta1.BucketLoggingSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: s3v1beta1.BucketLoggingParameters{
				Region:         &c.Region,
				BucketSelector: bucket,
				TargetBucket:   compose.Ptr(logs),
				TargetPrefix:   compose.Ptr(LogPrefix),
			},
		},
	}, "the documents layer's access-log bucket (spec.parameters.logBucketName, status.documents.logBucketName)")
}

// BucketPolicy denies every request to bucket that does not use TLS.
func BucketPolicy(bucket string) string {
	arn := "arn:aws:s3:::" + bucket
	return iampolicy.JSON(iampolicy.Statement{
		Sid:       "DenyInsecureTransport",
		Effect:    "Deny",
		Principal: map[string]any{"AWS": "*"},
		Action:    []string{"s3:*"},
		Resource:  []string{arn, arn + "/*"},
		Condition: map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}},
	})
}

// domain adds the regional custom domain with mutual TLS (API-1): the
// claim's ACM certificate, TLS 1.2, the truststore at the version the object
// reports (a new PEM makes a new version, which the domain then names, so
// API Gateway loads it), and the mapping of its root to the stage.
func (b *builder) domain() {
	c, obs := b.c, b.obs
	version := compose.Sticky(obs.String(keyTruststore, "status.atProvider.versionId"), obs, keyDomainName, "spec.forProvider.mutualTlsAuthentication.truststoreVersion")
	b.d.AddWhen(version != "", obs, keyDomainName, &agv1beta1.DomainName{
		ObjectMeta: b.meta(componentDomainName),
		Spec: agv1beta1.DomainNameSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: agv1beta1.DomainNameParameters{
				Region:                 &c.Region,
				DomainName:             &b.spec.DomainName,
				RegionalCertificateArn: &b.spec.CertificateARN,
				EndpointConfiguration:  &agv1beta1.EndpointConfigurationParameters{Types: []*string{compose.Ptr("REGIONAL")}},
				SecurityPolicy:         compose.Ptr("TLS_1_2"),
				MutualTLSAuthentication: &agv1beta1.MutualTLSAuthenticationParameters{
					TruststoreURI:     compose.Ptr(TruststoreURI(b.spec.AccountID, c.EnvironmentSuffix)),
					TruststoreVersion: optional(version),
				},
				Tags: c.TagsFor(b.spec.DomainName),
			},
		},
	}, "the truststore object to report its version")

	b.d.AddWhen(obs.Ready(keyDomainName) && obs.Ready(keyStage), obs, keyMapping, &agv1beta1.BasePathMapping{
		ObjectMeta: b.meta(componentMapping),
		Spec: agv1beta1.BasePathMappingSpec{
			ManagedResourceSpec: c.ManagedSpec(),
			ForProvider: agv1beta1.BasePathMappingParameters{
				Region: &c.Region,
				// No base path: the domain's root is the stage's.
				APIIDSelector:      wiring.Own(wiring.LabelComponent, componentRestAPI),
				DomainNameSelector: wiring.Own(wiring.LabelComponent, componentDomainName),
				StageNameSelector:  wiring.Own(wiring.LabelComponent, componentStage),
			},
		},
	}, "the custom domain and the stage to be ready")
}
