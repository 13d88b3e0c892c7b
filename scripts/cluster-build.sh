#!/usr/bin/env bash
# Build (or reuse) the binaries of the cluster test tier: kube-apiserver, etcd
# and helm, from the pinned Go modules in test/cluster/tools/. Only the first
# run on a machine pays for the build; later runs reuse the cache and return
# at once.
#
#   scripts/cluster-build.sh        # prints the binary folder on stdout
#
# Cache: ${OUTPOST_CACHE_DIR:-$HOME/.cache/outpost}/cluster/<k8s-version>/
# Env:   OUTPOST_BUILD_JOBS  parallel compile jobs (default: number of cores)
# Exit:  0 ok, 2 Go missing, 1 build failed. Messages go to stderr.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/test/cluster/tools"
log() { printf 'cluster-build: %s\n' "$*" >&2; }
die() { log "ERROR: $1"; exit "${2:-1}"; }

# Versions come from the go.mod files, the single place where they are pinned.
modver() { awk -v m="$2" '$1 == m { print $2; exit }' "$tools/$1/go.mod"; }
k8s="$(modver kube k8s.io/kubernetes)"
etcd="$(modver kube go.etcd.io/etcd/server/v3)"
helm="$(modver helm helm.sh/helm/v3)"
[[ -n "$k8s" && -n "$etcd" && -n "$helm" ]] || die "cannot read pinned versions from $tools/*/go.mod"

out="${OUTPOST_CACHE_DIR:-$HOME/.cache/outpost}/cluster/$k8s"
# The stamp changes whenever a pin changes, so an edited go.mod rebuilds.
stamp="k8s=$k8s etcd=$etcd helm=$helm sum=$(cat "$tools"/*/go.mod "$tools"/*/go.sum | sha256sum | cut -c1-16)"

cached() {
  [[ -x "$out/kube-apiserver" && -x "$out/etcd" && -x "$out/helm" ]] &&
    [[ "$(cat "$out/STAMP" 2>/dev/null)" == "$stamp" ]]
}

if ! cached; then
  command -v go >/dev/null 2>&1 ||
    die "Go toolchain not found on PATH; the cluster tier builds kube-apiserver, etcd and helm from source (apt-get install golang-go is too old: install Go >= 1.26)" 2

  mkdir -p "$out"
  # One builder at a time per cache folder (parallel test runs, CI retries).
  exec 9>"$out/.lock"
  command -v flock >/dev/null 2>&1 && flock 9
  if ! cached; then
    log "building k8s $k8s (kube-apiserver), etcd $etcd, helm $helm into $out"
    log "first build on this machine: downloads modules and compiles, ~10-20 min on 2 cores"
    tmp="$(mktemp -d "$out/.build.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT
    # Static, stripped, reproducible paths; never switch toolchains behind our back.
    export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -mod=readonly"
    jobs="${OUTPOST_BUILD_JOBS:-$(nproc)}"
    build() { # module package binary
      local start=$SECONDS
      (cd "$tools/$1" && go build -p "$jobs" -trimpath -ldflags "-s -w" -o "$tmp/$3" "$2") ||
        die "go build of $2 failed (module $tools/$1); see the output above"
      log "built $3 in $((SECONDS - start))s"
    }
    build kube go.etcd.io/etcd/server/v3 etcd
    build kube k8s.io/kubernetes/cmd/kube-apiserver kube-apiserver
    build helm helm.sh/helm/v3/cmd/helm helm
    echo "$stamp" >"$tmp/STAMP"
    mv -f "$tmp"/etcd "$tmp"/kube-apiserver "$tmp"/helm "$tmp"/STAMP "$out/"
  fi
fi

log "k8s $k8s, etcd $etcd, helm $helm: $out"
echo "$out"
