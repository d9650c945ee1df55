# The interface of this repository: make render, make test, make validate, make bench.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c

OUT        := _output
CRANK      := bin/crank
LINT       := bin/golangci-lint
BENCHSTAT  := bin/benchstat
CRANK_VER  := v2.2.1
SCHEMAS    := $(OUT)/schemas
EXAMPLE    ?= examples/full.yaml
PASSES     ?= 0

export CRANK   := $(abspath $(CRANK))
export SCHEMAS := $(abspath $(SCHEMAS))

.PHONY: render validate test lint bench tools clean

## render: print everything the full example claim composes, through every level, once every
## gate has opened (simulated AWS reports each resource ready). PASSES=1: only the first reconcile.
render: $(CRANK)
	@go run ./test/rendertree/cmd/render-tree -crank $(CRANK) -passes $(PASSES) $(EXAMPLE)

## validate: render every example at every stage and validate it against the XRDs and provider CRDs.
validate: $(CRANK) $(SCHEMAS)/.done
	go test ./test/... -run 'TestRender' -count=1

## test: lint, then all tests (unit, golden render fixtures, schema validation). CI runs this.
test: lint $(CRANK) $(SCHEMAS)/.done
	go test ./... -count=1 -cover

## lint: go mod tidy leaves no diff; golangci-lint (vet, staticcheck, gosec, revive, gofmt, goimports…) finds nothing.
lint: $(LINT)
	go mod tidy -diff
	$(LINT) run ./...

## bench: RunFunction, the builder alone and the protobuf floor per layer, summarised by benchstat.
bench: $(BENCHSTAT)
	go test ./functions/platform/fn -run '^$$' -bench . -benchmem -count 6 | tee $(OUT)/bench.txt
	$(BENCHSTAT) $(OUT)/bench.txt

tools: $(CRANK) $(SCHEMAS)/.done $(LINT)

# Linters and benchstat, each pinned in a tools module of its own.
$(LINT): tools/golangci-lint/go.mod tools/golangci-lint/go.sum
	cd tools/golangci-lint && go build -o $(abspath $(LINT)) github.com/golangci/golangci-lint/v2/cmd/golangci-lint

$(BENCHSTAT): tools/benchstat/go.mod tools/benchstat/go.sum
	mkdir -p $(OUT)
	cd tools/benchstat && go build -o $(abspath $(BENCHSTAT)) golang.org/x/perf/cmd/benchstat

# The Crossplane CLI, built from the Go proxy in its own module (tools/crank) so
# its dependencies do not bend ours. validate reads the version from the binary.
$(CRANK): tools/crank/go.mod tools/crank/go.sum
	cd tools/crank && go build -trimpath \
	  -ldflags "-X github.com/crossplane/crossplane/v2/internal/version.version=$(CRANK_VER)" \
	  -o $(abspath $(CRANK)) github.com/crossplane/crossplane/v2/cmd/crank

$(SCHEMAS)/.done: hack/schemas.sh go.mod tools/crank/go.mod
	hack/schemas.sh $(SCHEMAS)
	touch $@

clean:
	rm -rf bin $(OUT)
