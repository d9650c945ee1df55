# The interface of this repository: make render, make test, make validate, make bench.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c

OUT        := _output
CRANK      := bin/crank
CRANK_VER  := v2.2.1
SCHEMAS    := $(OUT)/schemas
EXAMPLE    ?= examples/full.yaml
PASSES     ?= 1

export CRANK   := $(abspath $(CRANK))
export SCHEMAS := $(abspath $(SCHEMAS))

.PHONY: render render-ready validate test unit bench lint tools clean

## render: print everything the full example claim composes, through every level.
render: $(CRANK)
	@go run ./test/rendertree/cmd/render-tree -crank $(CRANK) -passes $(PASSES) $(EXAMPLE)

## render-ready: the same once everything exists and is ready (simulated AWS).
render-ready: PASSES = 0
render-ready: render

## validate: render every example at every stage and validate it against the XRDs and provider CRDs.
validate: $(CRANK) $(SCHEMAS)/.done
	go test ./test/... -run 'TestRender' -count=1

## test: all tests (unit, golden render fixtures, schema validation). CI runs this.
test: $(CRANK) $(SCHEMAS)/.done
	go vet ./...
	test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo 'gofmt needed'; exit 1; }
	go test ./... -count=1 -cover

## bench: RunFunction per layer against the protobuf floor.
bench:
	go test ./functions/platform/fn -run '^$$' -bench . -benchmem -count 6

tools: $(CRANK) $(SCHEMAS)/.done

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
