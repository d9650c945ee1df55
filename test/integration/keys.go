// Package integration checks a real deployment (SPEC D-4): after a claim is
// composed in AWS, `make outputs` writes its status outputs to
// cfn-outputs/flat-outputs.json, and `make integration` (the tests tagged
// integration) reads that file and asks AWS, with the AWS SDK for Go v2, that
// each resource is as the SPEC requires. Without the file they skip, saying
// how to make it; CI runs them in that mode.
//
// The keys the checks read are listed here, untagged, so that the ordinary
// test run proves the full example's status yields every one of them
// (TestOutputs_FullClaimHasEveryKeyTheChecksRead_D4).
package integration

import "strconv"

// The outputs each check reads, as internal/outputs names them. A trailing
// "*" is a list: the key with 0, 1, 2… appended.
const (
	KeyRegion         = "Region"
	KeyReplicaRegion  = "ReplicaRegion"
	KeySuffix         = "EnvironmentSuffix"
	KeyZones          = "AvailabilityZones*"
	KeyVPC            = "NetworkVpcId"
	KeySubnetsPublic  = "NetworkSubnetIdsPublic*"
	KeySubnetsPrivate = "NetworkSubnetIdsPrivate*"
	KeySubnetsDB      = "NetworkSubnetIdsDatabase*"
	KeyNATInstances   = "NetworkNatInstanceIds*"
	KeyFlowLogGroup   = "NetworkFlowLogGroup"
	KeyDBCluster      = "DatabaseClusterIdentifier"
	KeyDBLogGroup     = "DatabaseLogGroup"
	KeyDatabaseKey    = "KeysKeyArnsDatabase"
	KeyMessagingKey   = "KeysKeyArnsMessaging"
	KeyDocumentsKey   = "KeysKeyArnsDocuments"
	KeyReplicaKey     = "KeysKeyArnsDocumentsReplica"
	KeyLoadBalancer   = "ComputeLoadBalancerArn"
	KeyWebACL         = "ComputeWebAclArn"
	KeyAPILogGroup    = "ComputeLogGroupsApi"
	KeyWAFLogGroup    = "ComputeLogGroupsWaf"
	KeyRestAPI        = "ApiApiId"
	KeyDomain         = "ApiDomainName"
	KeyAccessLogGroup = "ApiAccessLogGroup"
	KeyQueueURL       = "MessagingQueueUrl"
	KeyDLQURL         = "MessagingDeadLetterQueueUrl"
	KeyFunction       = "MessagingFunctionName"
	KeyBucket         = "DocumentsBucketName"
	KeyReplicaBucket  = "DocumentsReplicaBucketName"
	KeyTopic          = "ObservabilityTopicArn"
	KeyAlarms         = "ObservabilityAlarmNames*"
	KeyDashboard      = "ObservabilityDashboardName"
)

// Keys lists every key above: what a full claim's outputs must hold.
var Keys = []string{
	KeyRegion, KeyReplicaRegion, KeySuffix, KeyZones, KeyVPC, KeySubnetsPublic, KeySubnetsPrivate,
	KeySubnetsDB, KeyNATInstances, KeyFlowLogGroup, KeyDBCluster, KeyDBLogGroup, KeyDatabaseKey,
	KeyMessagingKey, KeyDocumentsKey, KeyReplicaKey, KeyLoadBalancer, KeyWebACL, KeyAPILogGroup,
	KeyWAFLogGroup, KeyRestAPI, KeyDomain, KeyAccessLogGroup, KeyQueueURL, KeyDLQURL, KeyFunction,
	KeyBucket, KeyReplicaBucket, KeyTopic, KeyAlarms, KeyDashboard,
}

// Values returns the value of key in outs, and for a list key ("…*") the
// values of key0, key1, … in order. ok is false when there is none.
func Values(outs map[string]string, key string) (vals []string, ok bool) {
	if n := len(key); n > 0 && key[n-1] == '*' {
		base := key[:n-1]
		for i := 0; ; i++ {
			v, found := outs[base+strconv.Itoa(i)]
			if !found {
				break
			}
			vals = append(vals, v)
		}
		return vals, len(vals) > 0
	}
	v, found := outs[key]
	if !found || v == "" {
		return nil, false
	}
	return []string{v}, true
}
