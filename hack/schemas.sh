#!/usr/bin/env bash
# Gathers, from the Go module cache, the schemas validation needs, into $1:
#   $1/crds/   the provider's CRDs of the API groups the function composes, and
#              its namespaced ProviderConfig (make e2e installs one per tenant)
#   $1/cache/  Crossplane's own CRDs where `crossplane beta validate --cache-dir` looks for them
# Offline once the modules are downloaded; nothing is committed.
set -euo pipefail
out=${1:?usage: hack/schemas.sh OUTDIR}
root=$(cd "$(dirname "$0")/.." && pwd)

# The provider API groups the layers compose, from the function's registry.
mapfile -t groups < <(cd "$root" && go run ./hack/managedgroups)
[ "${#groups[@]}" -gt 0 ] || { echo "no managed API groups from hack/managedgroups" >&2; exit 1; }

provider=$(cd "$root" && go mod download -json github.com/upbound/provider-aws/v2 | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
crossplane=$(cd "$root/tools/crank" && go mod download -json github.com/crossplane/crossplane/v2 | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
version=$(cd "$root/tools/crank" && go list -m -f '{{.Version}}' github.com/crossplane/crossplane/v2)

rm -rf "$out/crds" "$out/cache"
mkdir -p "$out/crds" "$out/cache/xpkg.crossplane.io/crossplane/crossplane@$version"
for g in "${groups[@]}"; do
  cp "$provider"/package/crds/"$g".aws.m.upbound.io_*.yaml "$out/crds/"
done
cp "$provider"/package/crds/aws.m.upbound.io_providerconfigs.yaml "$out/crds/"
cp "$crossplane"/cluster/crds/*.yaml "$out/cache/xpkg.crossplane.io/crossplane/crossplane@$version/"
chmod -R u+w "$out"
