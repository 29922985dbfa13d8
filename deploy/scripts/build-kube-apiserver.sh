#!/usr/bin/env bash
# Builds kube-apiserver and kubectl from the Go module proxy into ~/.cache/emporium-tools/k8s-<version>/.
# k8s.io/kubernetes points its staging modules (k8s.io/api, client-go, ...) at ./staging/, which a module
# download does not carry, so a wrapper go.mod replaces each one with its published v0.<minor>.<patch>.
# Heavy (about 10-20 minutes on 2 cores the first time); cached afterwards.
set -euo pipefail
K8S_VERSION="${K8S_VERSION:-v1.37.2}"
TOOLS="${EMPORIUM_TOOLS:-$HOME/.cache/emporium-tools}"
OUT="$TOOLS/k8s-$K8S_VERSION"
if [ -x "$OUT/kube-apiserver" ] && [ -x "$OUT/kubectl" ]; then exit 0; fi
staging_version="v0.${K8S_VERSION#v1.}"
work="$TOOLS/k8s-build-$K8S_VERSION"
mkdir -p "$work" "$OUT"
cd "$work"
mod="$(go list -m -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
go_version="$(sed -n 's/^go \(.*\)/\1/p' "$mod")"
{
  echo "module emporium.local/k8s-tools"
  echo
  echo "go $go_version"
  echo
  echo "require k8s.io/kubernetes $K8S_VERSION"
  echo
  # Every `k8s.io/x => ./staging/src/k8s.io/x` line becomes `k8s.io/x => k8s.io/x v0.N.M`.
  sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#replace \1 => \1 '"$staging_version"'#p' "$mod"
} > go.mod
cat > tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
GOFLAGS=-mod=mod go mod tidy -e >/dev/null 2>&1 || true
GOFLAGS=-mod=mod go get "k8s.io/kubernetes@$K8S_VERSION"
GOFLAGS="-mod=mod ${GOBUILDFLAGS:-}" nice -n "${NICE:-15}" go build -trimpath -ldflags=-s -o "$OUT/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
GOFLAGS="-mod=mod ${GOBUILDFLAGS:-}" nice -n "${NICE:-15}" go build -trimpath -ldflags=-s -o "$OUT/kubectl" k8s.io/kubernetes/cmd/kubectl
