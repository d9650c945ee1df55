# The interface of this repository: make render, make test, make e2e, make validate, make bench, make scan.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c

OUT        := _output
CRANK      := bin/crank
LINT       := bin/golangci-lint
BENCHSTAT  := bin/benchstat
TRIVY      := bin/trivy
TRIVY_VER  := v0.69.0
CRANK_VER  := v2.2.1
KUBE_VER   := v1.34.1
CROSSPLANE := bin/crossplane
APISERVER  := bin/kube-apiserver
KCM        := bin/kube-controller-manager
FUNCTION   := bin/function-payment-platform
SCHEMAS    := $(OUT)/schemas
EXAMPLE    ?= examples/paymentplatform/full.yaml
CLAIM      ?= payments
NAMESPACE  ?= tenant-prod
PASSES     ?= 0

export CRANK   := $(abspath $(CRANK))
export SCHEMAS := $(abspath $(SCHEMAS))

.PHONY: render validate test e2e lint bench tools clean outputs integration $(FUNCTION)

## render: print everything the full example claim composes, through every level, once every
## gate has opened (simulated AWS reports each resource ready). PASSES=1: only the first reconcile.
render: $(CRANK)
	@go run ./test/rendertree/cmd/render-tree -crank $(CRANK) -passes $(PASSES) $(EXAMPLE)

## validate: render every example at every stage and validate it against the XRDs and provider CRDs,
## and every adversarial claim (one per region) against AWS's rules.
validate: $(CRANK) $(SCHEMAS)/.done
	go test ./test/... -run 'TestRender' -count=1 -timeout 40m

## test: lint, then all tests (unit, golden render fixtures, schema validation). CI runs this.
## -short: the AWS-rules sweep renders every eighth region's adversarial claim (make validate: all 34).
test: lint $(CRANK) $(SCHEMAS)/.done
	go test ./... -count=1 -cover -short -timeout 30m

## outputs: write a live claim's status outputs to cfn-outputs/flat-outputs.json (SPEC D-4), read
## with kubectl's current context: make outputs CLAIM=payments NAMESPACE=tenant-prod.
outputs:
	go run ./cmd/flat-outputs -n $(NAMESPACE) $(CLAIM)

## integration: check a real deployment in AWS against cfn-outputs/flat-outputs.json (AWS SDK for Go
## v2, the default credential chain); every test skips, saying why, without that file or credentials.
integration:
	go test -tags integration -count=1 -v ./test/integration/...

## e2e: the package on a real control plane (etcd, kube-apiserver, Crossplane core with its
## Usage webhook, kube-controller-manager, the function over mTLS), all on loopback; see test/e2e.
e2e: $(CRANK) $(SCHEMAS)/.done $(CROSSPLANE) $(APISERVER) $(KCM) $(FUNCTION)
	@command -v etcd >/dev/null || { echo "etcd not found: apt-get install etcd-server" >&2; exit 1; }
	E2E=1 ETCD=$$(command -v etcd) CROSSPLANE_VERSION=$(CRANK_VER) \
	  KUBE_APISERVER=$(abspath $(APISERVER)) KUBE_CONTROLLER_MANAGER=$(abspath $(KCM)) \
	  CROSSPLANE=$(abspath $(CROSSPLANE)) FUNCTION=$(abspath $(FUNCTION)) \
	  go test ./test/e2e -count=1 -v -timeout 25m

## scan: an independent compliance scan. Every example's settled render, converted to Terraform
## (test/scan), judged by trivy's AWS checks offline; fails on a finding not in
## test/scan/accepted.yaml, on an acceptance that matches nothing, and if a broken render passes.
.PHONY: scan
scan: $(CRANK) $(TRIVY)
	mkdir -p $(OUT)
	go build -o $(OUT)/render-tree ./test/rendertree/cmd/render-tree
	TRIVY=$(abspath $(TRIVY)) go test ./test/scan/... -count=1
	go run ./test/scan/cmd/scan -trivy $(TRIVY) -cache $(OUT)/trivy-cache -out $(OUT)/scan \
	  -render "$(OUT)/render-tree -crank $(CRANK) -passes 0"

## lint: go mod tidy leaves no diff; golangci-lint (vet, staticcheck, gosec, revive, gofmt, goimports…) finds nothing.
lint: $(LINT)
	go mod tidy -diff
	$(LINT) run ./...

## bench: per layer, on its steady-state request, the whole call (unmarshal, RunFunction, marshal)
## against the protobuf floor of the same run, side by side by benchstat (docs/performance.md).
bench: $(BENCHSTAT)
	go test ./functions/platform/fn -run '^$$' -bench '^BenchmarkRunFunction$$' -benchmem -count 6 | tee $(OUT)/bench.txt
	$(BENCHSTAT) -col /cost $(OUT)/bench.txt

tools: $(CRANK) $(SCHEMAS)/.done $(LINT)

# Linters and benchstat, each pinned in a tools module of its own.
$(LINT): tools/golangci-lint/go.mod tools/golangci-lint/go.sum
	cd tools/golangci-lint && go build -o $(abspath $(LINT)) github.com/golangci/golangci-lint/v2/cmd/golangci-lint

$(BENCHSTAT): tools/benchstat/go.mod tools/benchstat/go.sum
	mkdir -p $(OUT)
	cd tools/benchstat && go build -o $(abspath $(BENCHSTAT)) golang.org/x/perf/cmd/benchstat

# trivy v0.69.0 (never v0.69.4, published when its supply chain was
# compromised), for make scan; it needs encoding/json/v2.
$(TRIVY): tools/trivy/go.mod tools/trivy/go.sum
	cd tools/trivy && GOEXPERIMENT=jsonv2 go build -trimpath \
	  -ldflags "-X github.com/aquasecurity/trivy/pkg/version/app.ver=$(TRIVY_VER)" \
	  -o $(abspath $(TRIVY)) github.com/aquasecurity/trivy/cmd/trivy

# The Crossplane CLI, built from the Go proxy in its own module (tools/crank) so
# its dependencies do not bend ours. validate reads the version from the binary.
$(CRANK): tools/crank/go.mod tools/crank/go.sum
	cd tools/crank && go build -trimpath \
	  -ldflags "-X github.com/crossplane/crossplane/v2/internal/version.version=$(CRANK_VER)" \
	  -o $(abspath $(CRANK)) github.com/crossplane/crossplane/v2/cmd/crank

# Crossplane core from the same module and version as the CLI.
$(CROSSPLANE): tools/crank/go.mod tools/crank/go.sum
	cd tools/crank && go build -trimpath \
	  -ldflags "-X github.com/crossplane/crossplane/v2/internal/version.version=$(CRANK_VER)" \
	  -o $(abspath $(CROSSPLANE)) github.com/crossplane/crossplane/v2/cmd/crossplane

# The API server and controller manager, from k8s.io/kubernetes in a tools
# module of their own (its staging modules replaced by their published versions).
KUBE_LDFLAGS := -X k8s.io/component-base/version.gitVersion=$(KUBE_VER) \
  -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=34
$(APISERVER) $(KCM) &: tools/kube/go.mod tools/kube/go.sum
	mkdir -p bin
	cd tools/kube && go build -ldflags "$(KUBE_LDFLAGS)" -o $(abspath bin)/ \
	  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager

# The function itself, rebuilt every time (the Go build cache makes that cheap).
$(FUNCTION):
	go build -o $(abspath $(FUNCTION)) ./functions/platform

$(SCHEMAS)/.done: hack/schemas.sh hack/managedgroups/main.go go.mod tools/crank/go.mod $(shell find functions/platform -name "*.go" -not -name "*_test.go")
	hack/schemas.sh $(SCHEMAS)
	touch $@

clean:
	rm -rf bin $(OUT)
