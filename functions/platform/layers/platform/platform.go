// Package platform builds the PaymentPlatform XR, the tenant's claim (SPEC
// API-0.1…API-0.5): it validates the claim, composes one XR per layer, passes
// each layer what it needs from the others' statuses, and shows each layer's
// status under the layer's name in its own.
package platform

import (
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/fintech-platform/payment-platform/functions/platform/api"
	"github.com/fintech-platform/payment-platform/functions/platform/compose"
	"github.com/fintech-platform/payment-platform/functions/platform/layer"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// Layer is the claim's entry in the function's registry.
var Layer = layer.New[api.PaymentPlatformSpec, api.PaymentPlatformStatus](api.KindPaymentPlatform, Build)

// Pipeline keys of the layer XRs, which are also the layers' names in the
// claim's status. Stable: renaming one would delete a layer.
const (
	KeyNetwork       = wiring.LayerNetwork
	KeyKeys          = wiring.LayerKeys
	KeyDatabase      = wiring.LayerDatabase
	KeyCompute       = wiring.LayerCompute
	KeyAPI           = wiring.LayerAPI
	KeyMessaging     = wiring.LayerMessaging
	KeyDocuments     = wiring.LayerDocuments
	KeyObservability = wiring.LayerObservability
)

// Layers lists the layer keys in the order they appear in status.
var Layers = []string{KeyNetwork, KeyKeys, KeyDatabase, KeyCompute, KeyAPI, KeyMessaging, KeyDocuments, KeyObservability}

// NoAPIWarning is the claim's warning when it has no spec.parameters.api.
const NoAPIWarning = "spec.parameters.api is not set: no API Gateway is composed, and nothing reaches the API (its load balancer admits only the API's VPC link); without a certificate (api.certificateArn or compute.certificateArn) the HTTPS listener and the service wait: set api.domainName, api.certificateArn and api.truststorePem to serve it (ADR 0015)"

// waitsForAccount is what the keys and database layers wait for.
const waitsForAccount = "the account id (spec.parameters.accountId, or the VPC's owner once the network exists)"

// Build returns the claim's layer XRs and status given what is observed.
func Build(spec api.PaymentPlatformSpec, obs compose.Observed) (*compose.Desired, error) {
	spec.Default()
	if errs := spec.Validate(api.Parameters); len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	network, err := compose.StatusOf[api.NetworkStatus](obs, KeyNetwork)
	if err != nil {
		return nil, err
	}
	// A given account must be the one the VPC lives in: a typo would lock the
	// keys to a stranger and grant rds-db:connect in the wrong account.
	if network != nil && network.AccountID != "" && spec.AccountID != "" && spec.AccountID != network.AccountID {
		return nil, field.ErrorList{field.Invalid(api.Parameters.Child("accountId"), spec.AccountID,
			"is not the account the VPC was created in ("+network.AccountID+", the owner the network reports): give that account, or leave accountId out to learn it")}.ToAggregate()
	}
	// An API once composed stays: dropping it would delete it in AWS (the
	// XRD refuses the edit too).
	if spec.API == nil && obs.Exists(KeyAPI) {
		return nil, field.ErrorList{field.Forbidden(api.Parameters.Child("api"), "cannot be removed once set: the API Gateway it made would be deleted")}.ToAggregate()
	}
	d := compose.NewDesired()
	c := spec.Common
	env := c.Env()

	ns := api.NetworkSpec{Common: c, AvailabilityZones: spec.AvailabilityZones, CIDR: spec.Network.CIDR, NATInstanceType: spec.Network.NATInstanceType}
	ns.Default()
	d.Add(KeyNetwork, compose.MustXR(api.KindNetwork, env.Labels(wiring.LayerNetwork), ns))

	// Key policies name the account. A claim may give it; otherwise the VPC's
	// owner tells it. Once the KeySet or the Database exists, the layers keep
	// the account they were made with, whatever happens to the sources.
	account := spec.AccountID
	if account == "" && network != nil {
		account = network.AccountID
	}
	account = compose.Sticky(account, obs, KeyKeys, "spec.parameters.accountId")
	account = compose.Sticky(account, obs, KeyDatabase, "spec.parameters.accountId")
	d.AddWhen(account != "", obs, KeyKeys, compose.MustXR(api.KindKeySet, env.Labels(wiring.LayerKeys),
		api.KeySetSpec{Common: c, ReplicaRegion: spec.ReplicaRegion, AccountID: account},
	), waitsForAccount)

	// The database names the account in its rds-db:connect policies too. Its
	// proxy's read-only endpoint needs the private subnet ids, which only the
	// network's status has; an existing Database keeps those it was given.
	var subnets []string
	if network != nil && network.SubnetIDs != nil {
		subnets = network.SubnetIDs.Private
	}
	subnets = compose.Sticky(subnets, obs, KeyDatabase, "spec.parameters.privateSubnetIds")
	d.AddWhen(account != "", obs, KeyDatabase, compose.MustXR(api.KindDatabase, env.Labels(wiring.LayerDatabase),
		api.DatabaseSpec{Common: c, AccountID: account, AvailabilityZones: spec.AvailabilityZones, PrivateSubnetIDs: subnets,
			ConcurrentTransactions: spec.Capacity.ConcurrentTransactions, DatabaseSettings: spec.Database},
	), waitsForAccount)

	st := api.PaymentPlatformStatus{AccountID: account, Layers: map[string]string{}, Network: network}
	if st.Keys, err = compose.StatusOf[api.KeySetStatus](obs, KeyKeys); err != nil {
		return nil, err
	}
	if st.Database, err = compose.StatusOf[api.DatabaseStatus](obs, KeyDatabase); err != nil {
		return nil, err
	}
	if st.Compute, err = compose.StatusOf[api.ComputeStatus](obs, KeyCompute); err != nil {
		return nil, err
	}
	if st.API, err = compose.StatusOf[api.GatewayStatus](obs, KeyAPI); err != nil {
		return nil, err
	}
	if st.Messaging, err = compose.StatusOf[api.MessagingStatus](obs, KeyMessaging); err != nil {
		return nil, err
	}
	if st.Documents, err = compose.StatusOf[api.DocumentsStatus](obs, KeyDocuments); err != nil {
		return nil, err
	}
	if st.Observability, err = compose.StatusOf[api.ObservabilityStatus](obs, KeyObservability); err != nil {
		return nil, err
	}
	keyARN := func(purpose string) string {
		if st.Keys == nil {
			return ""
		}
		return st.Keys.KeyARNs[purpose]
	}

	// Every other layer names the account in its policies, takes what it
	// needs from the others' statuses as they appear, and composes what it
	// can before then: what needs a value not known yet waits in the layer,
	// never here, so each layer's XR exists from the first reconcile after
	// the account is known.
	d.AddWhen(account != "", obs, KeyCompute, compose.MustXR(api.KindCompute, env.Labels(wiring.LayerCompute), computeSpec(spec, account, st, keyARN(wiring.KeyMessaging), obs)), waitsForAccount)

	// The API reaches the ALB the service layer reports. Without
	// spec.parameters.api there is no API, and the claim says so.
	if spec.API != nil {
		gs := api.GatewaySpec{Common: c, AccountID: account, GatewaySettings: *spec.API}
		if st.Compute != nil {
			gs.LoadBalancerARN = st.Compute.LoadBalancerARN
		}
		if st.Documents != nil {
			gs.LogBucketName = st.Documents.LogBucketName
		}
		d.AddWhen(account != "", obs, KeyAPI, compose.MustXR(api.KindAPIGateway, env.Labels(wiring.LayerAPI), gs), waitsForAccount)
	} else {
		st.Warnings = append(st.Warnings, NoAPIWarning)
	}

	ms := api.MessagingSpec{Common: c, AccountID: account, MessagingKeyARN: keyARN(wiring.KeyMessaging), MessagingSettings: spec.Messaging}
	if db := st.Database; db != nil {
		ms.DatabaseEndpoint, ms.ProxyResourceID = db.ProxyEndpoint, db.ProxyResourceID
		ms.ClientSecurityGroupID = db.SecurityGroupIDs[wiring.SGClientWorker]
	}
	if st.Compute != nil {
		ms.WorkerRepositoryURL = st.Compute.RepositoryURLs[wiring.RepositoryWorker]
	}
	d.AddWhen(account != "", obs, KeyMessaging, compose.MustXR(api.KindMessaging, env.Labels(wiring.LayerMessaging), ms), waitsForAccount)

	ds := api.DocumentsSpec{Common: c, AccountID: account, ReplicaRegion: spec.ReplicaRegion,
		DocumentsKeyARN: keyARN(wiring.KeyDocuments), ReplicaKeyARN: keyARN(wiring.KeyDocumentsReplica), DocumentsSettings: spec.Documents}
	d.AddWhen(account != "", obs, KeyDocuments, compose.MustXR(api.KindDocuments, env.Labels(wiring.LayerDocuments), ds), waitsForAccount)

	obsSpec := api.ObservabilitySpec{Common: c, AccountID: account, MessagingKeyARN: keyARN(wiring.KeyMessaging), ObservabilitySettings: spec.Observability}
	if cs := st.Compute; cs != nil {
		obsSpec.LoadBalancerARN, obsSpec.TargetGroupARN, obsSpec.WebACLARN = cs.LoadBalancerARN, cs.TargetGroupARN, cs.WebACLARN
		obsSpec.ClusterName, obsSpec.ServiceName = cs.ClusterName, cs.ServiceName
	}
	if st.Database != nil {
		obsSpec.DBClusterIdentifier = st.Database.ClusterIdentifier
	}
	if m := st.Messaging; m != nil {
		obsSpec.QueueARN, obsSpec.DeadLetterQueueARN, obsSpec.FunctionName = m.QueueARN, m.DeadLetterQueueARN, m.FunctionName
	}
	d.AddWhen(account != "", obs, KeyObservability, compose.MustXR(api.KindObservability, env.Labels(wiring.LayerObservability), obsSpec), waitsForAccount)

	for _, l := range Layers {
		st.Layers[l] = LayerState(obs, l)
		c := LayerCondition(l, st.Layers[l])
		if l == KeyAPI && spec.API == nil {
			c.Reason, c.Message = "NotRequested", "no API is requested (spec.parameters.api): this condition stays False"
		}
		d.Conditions = append(d.Conditions, c)
	}
	// A layer's warnings reach the tenant on the claim: in its status and as
	// Warning results (events) on it.
	if st.Database != nil {
		for _, w := range st.Database.Warnings {
			st.Warnings = append(st.Warnings, KeyDatabase+": "+w)
		}
	}
	if st.Observability != nil {
		for _, w := range st.Observability.Warnings {
			st.Warnings = append(st.Warnings, KeyObservability+": "+w)
		}
	}

	d.Warnings = st.Warnings
	d.Status = st
	return d, nil
}

// computeSpec is the service layer's spec: the claim's settings, the load,
// where the database proxy is (from the database's status) and, once the
// messaging layer reports its queue, the queue the tasks send to. The
// listener's certificate is the API's unless the claim gives one: API
// Gateway calls the ALB by the API's domain name.
func computeSpec(spec api.PaymentPlatformSpec, account string, st api.PaymentPlatformStatus, messagingKey string, obs compose.Observed) api.ComputeSpec {
	cs := api.ComputeSpec{Common: spec.Common, AccountID: account, ConcurrentTransactions: spec.Capacity.ConcurrentTransactions,
		ComputeSettings: spec.Compute, APIGateway: spec.API != nil}
	if cs.CertificateARN == "" && spec.API != nil {
		cs.CertificateARN = spec.API.CertificateARN
	}
	if db := st.Database; db != nil {
		cs.DatabaseEndpoint, cs.ProxyResourceID = db.ProxyEndpoint, db.ProxyResourceID
		cs.ClientSecurityGroupID = db.SecurityGroupIDs[wiring.SGClientAPI]
	}
	// The queue's URL, ARN and key come together (the service layer refuses
	// one without the others), and once given they stay, whatever happens to
	// the statuses they came from: losing them would roll the service out
	// without its queue.
	if m := st.Messaging; m != nil && m.QueueURL != "" && m.QueueARN != "" && messagingKey != "" {
		cs.QueueURL, cs.QueueARN, cs.MessagingKeyARN = m.QueueURL, m.QueueARN, messagingKey
	} else if u := obs.String(KeyCompute, "spec.parameters.queueUrl"); u != "" {
		cs.QueueURL = u
		cs.QueueARN = obs.String(KeyCompute, "spec.parameters.queueArn")
		cs.MessagingKeyARN = obs.String(KeyCompute, "spec.parameters.messagingKeyArn")
	}
	return cs
}

// LayerCondition is the claim's condition for layer in state: type
// <Layer>Ready (NetworkReady, APIReady…), true once the layer's XR is ready,
// with the state as its reason.
func LayerCondition(layer, state string) compose.Condition {
	typ := strings.ToUpper(layer[:1]) + layer[1:] + "Ready"
	if layer == KeyAPI {
		typ = "APIReady"
	}
	c := compose.Condition{Type: typ, Status: state == api.StateReady, Reason: state}
	switch state {
	case api.StatePending:
		c.Message = "the " + layer + " layer is not composed yet"
	case api.StateCreating:
		c.Message = "the " + layer + " layer is composed and not ready yet"
	}
	return c
}

// LayerState says where a layer is: not composed yet, composed but not ready, or ready.
func LayerState(obs compose.Observed, key string) string {
	switch {
	case obs.Ready(key):
		return api.StateReady
	case obs.Exists(key):
		return api.StateCreating
	default:
		return api.StatePending
	}
}
