module github.com/fintech-platform/payment-platform/tools/benchstat

go 1.25.8

require golang.org/x/perf v0.0.0-20250909190841-7e13e04d9366

require github.com/aclements/go-moremath v0.0.0-20210112150236-f10218a38794 // indirect
