package rendertree

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	_ "unsafe" // For go:linkname: the provider's resolver scheme, see resolverScheme.

	xpmeta "github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	"github.com/crossplane/function-sdk-go/resource/composed"
	acmv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/acm/v1beta1"
	agv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/apigateway/v1beta1"
	agv2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/apigatewayv2/v1beta1"
	appautoscalingv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/appautoscaling/v1beta1"
	autoscalingv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/autoscaling/v1beta1"
	cwv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatch/v1beta1"
	cwlv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/cloudwatchlogs/v1beta1"
	ec2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ec2/v1beta1"
	ecrv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ecr/v1beta1"
	ecsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/ecs/v1beta1"
	elbv2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/elbv2/v1beta1"
	firehosev1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/firehose/v1beta1"
	iamv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/iam/v1beta1"
	kmsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/kms/v1beta1"
	lambdav1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/lambda/v1beta1"
	rdsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/rds/v1beta1"
	s3v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/s3/v1beta1"
	smv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/secretsmanager/v1beta1"
	snsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/sns/v1beta1"
	sqsv1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/sqs/v1beta1"
	vpclatticev1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/vpclattice/v1beta1"
	wafv2v1beta1 "github.com/upbound/provider-aws/v2/apis/namespaced/wafv2/v1beta1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/fintech-platform/payment-platform/functions/platform/fn"
)

// The selector test (selectors_test.go) takes the provider's own reference
// resolution as its oracle; this file is the API server that resolution
// reads: one pass of an example as Crossplane would store it.

// resolverScheme is the scheme provider-aws's generated ResolveReferences
// methods make their reference targets and lists from
// (internal/apis.GetManagedResource). The provider's main fills it
// (apis.BuildScheme); being internal, nothing else can, so the test links to
// it by name and fills it with resolverGroups.
//
//go:linkname resolverScheme github.com/upbound/provider-aws/v2/internal/apis.s
var resolverScheme *runtime.Scheme

// resolverGroups are the provider API groups the resolvers of the kinds we
// compose name: the groups of fn.ManagedKinds (resolverReady checks them) and
// those of targets these kinds could reference, even though we never set
// those references (a resolver makes every target kind it knows before it
// looks at a selector). A kind from another group fails naming the
// GroupVersionKind the resolver could not make: add its group here.
var resolverGroups = []func(*runtime.Scheme) error{
	agv1beta1.AddToScheme,
	agv2v1beta1.AddToScheme,
	cwlv1beta1.AddToScheme,
	ec2v1beta1.AddToScheme,
	iamv1beta1.AddToScheme,
	kmsv1beta1.AddToScheme,
	rdsv1beta1.AddToScheme,
	smv1beta1.AddToScheme,
	// Targets only: secret rotation functions, flow-log buckets, VPC Lattice.
	lambdav1beta1.AddToScheme,
	s3v1beta1.AddToScheme,
	vpclatticev1beta1.AddToScheme,
	// The service layer's groups.
	appautoscalingv1beta1.AddToScheme,
	ecrv1beta1.AddToScheme,
	ecsv1beta1.AddToScheme,
	wafv2v1beta1.AddToScheme,
	// Targets only: WAF logging's Firehose streams.
	firehosev1beta1.AddToScheme,
	// Targets only: a custom domain's ACM certificate, an integration's
	// load balancer.
	acmv1beta1.AddToScheme,
	elbv2v1beta1.AddToScheme,
	// The observability layer's groups, and targets only: an alarm's
	// auto-scaling policies, a subscription's SQS queue.
	cwv1beta1.AddToScheme,
	snsv1beta1.AddToScheme,
	autoscalingv1beta1.AddToScheme,
	sqsv1beta1.AddToScheme,
}

// resolverReady fills resolverScheme, once.
var resolverReady = sync.OnceValue(func() error {
	for _, add := range resolverGroups {
		if err := add(resolverScheme); err != nil {
			return err
		}
	}
	for _, gvk := range fn.ManagedKinds() {
		if !resolverScheme.Recognizes(gvk) {
			return fmt.Errorf("the resolver scheme does not know %s: add its group to resolverGroups", gvk)
		}
	}
	return nil
})

// A world is what the API server holds during one pass of one example: the
// pass's documents (the ones checked) and their context (targets only).
// Each XR has a UID, each composed resource is controlled by its XR through
// that UID and named uniquely, and each managed resource is reported by the
// simulated AWS and has an external name.
type world struct {
	docs  []*unstructured.Unstructured // the pass, then its context
	own   int                          // docs[:own] are the pass
	path  map[*unstructured.Unstructured]string
	byUID map[types.UID]string // composed resource → tree path
	typed map[schema.GroupVersionKind][]resource.Managed

	calls []listCall // the List calls of the resolution under way
}

// A listCall is one List the resolver made: what it asked for and what
// matched, before the resolver kept only what has its controller.
type listCall struct {
	kind      string
	namespace string
	labels    string
	items     []resource.Managed
}

func (c listCall) String() string {
	return fmt.Sprintf("listed %s %s in %s: %d", c.kind, c.labels, c.namespace, len(c.items))
}

// newWorld builds the world of pass (the documents of one pass of an example)
// beside context (documents of other examples), on copies of them. edit, if
// not nil, may change any copy (a test moving one label) before the world is
// typed.
func newWorld(pass []*unstructured.Unstructured, context [][]*unstructured.Unstructured, edit func(path string, d *unstructured.Unstructured)) (*world, error) {
	w := &world{path: map[*unstructured.Unstructured]string{}, byUID: map[types.UID]string{}, typed: map[schema.GroupVersionKind][]resource.Managed{}}
	for i, docs := range append([][]*unstructured.Unstructured{pass}, context...) {
		paths, err := treePaths(docs)
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			c := d.DeepCopy()
			w.path[c] = paths[d]
			w.docs = append(w.docs, c)
		}
		if i == 0 {
			w.own = len(w.docs)
		}
	}
	uids := map[string]types.UID{} // XR kind/name → UID: its tree path
	for _, d := range w.docs {
		if isOurs(d) {
			k := d.GetKind() + "/" + d.GetName()
			if _, dup := uids[k]; dup {
				return nil, fmt.Errorf("two XRs named %s beside one another", k)
			}
			uids[k] = types.UID(w.path[d])
		}
	}
	for _, d := range w.docs {
		w.store(d, uids)
	}
	if edit != nil {
		for _, d := range w.docs {
			edit(w.path[d], d)
		}
	}
	for _, d := range w.docs {
		if isOurs(d) || d.GetAPIVersion() == UsageAPIVersion {
			continue
		}
		m, err := typed(d)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", w.path[d], err)
		}
		w.typed[d.GroupVersionKind()] = append(w.typed[d.GroupVersionKind()], m)
	}
	for _, ms := range w.typed {
		sort.Slice(ms, func(i, j int) bool { return ms[i].GetName() < ms[j].GetName() })
	}
	return w, nil
}

// store gives d what the API server and the provider would: a UID, its
// controller's UID (uids, by controller kind/name), and for a composed
// resource a unique name (render's repeat across XRs: every
// InterfaceEndpoint's "endpoint"); for a managed resource the simulated AWS's
// report and, where we set none, the external name the provider would, its id.
func (w *world) store(d *unstructured.Unstructured, uids map[string]types.UID) {
	p := w.path[d]
	if isOurs(d) {
		d.SetUID(types.UID(p))
	} else {
		sum := sha256.Sum256([]byte(p))
		d.SetName(d.GetName() + "-" + hex.EncodeToString(sum[:3]))
		d.SetUID(types.UID("composed:" + p))
		w.byUID[d.GetUID()] = p
	}
	refs := d.GetOwnerReferences()
	for i, o := range refs {
		if o.Controller != nil && *o.Controller {
			refs[i].UID = uids[o.Kind+"/"+o.Name]
		}
	}
	d.SetOwnerReferences(refs)
	if isOurs(d) || d.GetAPIVersion() == UsageAPIVersion {
		return
	}
	Observe(d, p)
	if xpmeta.GetExternalName(d) == "" {
		id, _, _ := unstructured.NestedString(d.Object, "status", "atProvider", "id")
		xpmeta.SetExternalName(d, id)
	}
}

// typed converts d into its provider type, refusing a field of its spec the
// type lacks. The simulated AWS reports the same made-up fields for every
// kind, so of its status only the fields the type has are kept.
func typed(d *unstructured.Unstructured) (resource.Managed, error) {
	o, err := composed.Scheme.New(d.GroupVersionKind())
	if err != nil {
		return nil, err
	}
	spec := d.DeepCopy()
	unstructured.RemoveNestedField(spec.Object, "status")
	if err := runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation(spec.Object, o, true); err != nil {
		return nil, err
	}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(d.Object, o); err != nil {
		return nil, err
	}
	m, ok := o.(resource.Managed)
	if !ok {
		return nil, fmt.Errorf("%T is not a managed resource", o)
	}
	return m, nil
}

type worldKey struct{}

// withWorld returns ctx carrying w, for list.
func withWorld(ctx context.Context, w *world) context.Context {
	return context.WithValue(ctx, worldKey{}, w)
}

// list is the world's List, for test.MockClient: L and O are inferred as
// controller-runtime's ObjectList and ListOption where list is assigned to
// MockClient.MockList, and the world comes in ctx. The resolver passes its
// labels as MatchingLabels (a map) and its namespace as InNamespace (a
// string); anything else is refused.
func list[L runtime.Object, O any](ctx context.Context, l L, opts ...O) error {
	w, ok := ctx.Value(worldKey{}).(*world)
	if !ok {
		return fmt.Errorf("list without a world")
	}
	gvks, _, err := resolverScheme.ObjectKinds(l)
	if err != nil {
		return err
	}
	gvk := gvks[0]
	gvk.Kind = strings.TrimSuffix(gvk.Kind, "List")
	c := listCall{kind: gvk.Kind}
	sel := labels.Everything()
	for _, o := range opts {
		switch v := reflect.ValueOf(o); v.Kind() {
		case reflect.String:
			c.namespace = v.String()
		case reflect.Map:
			set, _ := v.Convert(reflect.TypeFor[map[string]string]()).Interface().(map[string]string)
			sel = labels.SelectorFromSet(set)
			c.labels = sel.String()
		default:
			return fmt.Errorf("list option %T: the world knows labels and a namespace only", o)
		}
	}
	var items []runtime.Object
	for _, m := range w.typed[gvk] {
		if m.GetNamespace() == c.namespace && sel.Matches(labels.Set(m.GetLabels())) {
			c.items = append(c.items, m)
			items = append(items, m.DeepCopyObject())
		}
	}
	w.calls = append(w.calls, c)
	return meta.SetList(l, items)
}

// get refuses: the platform selects, it never names a reference, so a Get
// means a reference the test does not expect.
func get[O any](_ context.Context, key types.NamespacedName, _ O) error {
	return fmt.Errorf("get %s: the platform resolves references by selector only", key)
}
