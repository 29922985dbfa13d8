#!/usr/bin/env bash
# `npm run check:deploy`: every static check of deploy/ without a cluster, non-interactive, exit 1 on the first
# failure. Tools are built once into ~/.cache/emporium-tools (deploy/scripts/tools.sh); WITH_APISERVER=1 also runs
# the real kube-apiserver dry-run test (deploy/test/apiserver.test.ts).
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$SECONDS
BIN="$(bash deploy/scripts/tools.sh)"
export PATH="$BIN:$PATH"
CHART=deploy/helm/emporium
TOOLS="$(dirname "$BIN")"
OUT="$(mktemp -d "${TMPDIR:-/var/tmp}/emporium-deploy.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT
step() { echo "[check:deploy] $*"; }

step "hadolint"
hadolint deploy/docker/*.Dockerfile

step "helm lint --strict"
for env in staging production; do
  helm lint --strict --kube-version 1.27.0 "$CHART" -f "$CHART/values.yaml" -f "$CHART/values-$env.yaml" --quiet
done

step "helm template (and with the shape of Terraform's helm_values, derived from infra/modules/aws-platform)"
for env in staging production; do
  helm template emporium "$CHART" --namespace "emporium-$env" --kube-version 1.27.0 -f "$CHART/values.yaml" -f "$CHART/values-$env.yaml" \
    > "$OUT/$env.yaml"
  node deploy/scripts/infra-values.ts "$env" "$OUT/values-$env.infra.yaml"
  helm template emporium "$CHART" --namespace "emporium-$env" --kube-version 1.27.0 -f "$CHART/values.yaml" -f "$CHART/values-$env.yaml" \
    -f "$OUT/values-$env.infra.yaml" > "$OUT/$env.infra.yaml"
done

step "schemas: Kubernetes from kubernetes-validate, CRDs from the argo-cd, prometheus-operator and aws-load-balancer-controller Go modules"
SCHEMAS="$(bash deploy/scripts/schemas.sh)"

step "kubeconform -strict"
kubeconform -strict -summary -kubernetes-version 1.27.0 \
  -schema-location "$SCHEMAS/k8s/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
  -schema-location "$SCHEMAS/crds/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json" \
  "$OUT"/{staging,production}{,.infra}.yaml deploy/argocd/*.yaml deploy/observability/fluent-bit.yaml

step "promtool"
promtool check rules "$CHART/files/rules/emporium.rules.yaml"
promtool test rules deploy/observability/rules.test.yaml

step "the chart's numbers"
node --test deploy/test/chart.test.ts deploy/test/crd-schemas.test.ts deploy/test/seam.test.ts \
  deploy/test/database-setup.test.ts

if [ "${WITH_APISERVER:-0}" = 1 ]; then
  step "kube-apiserver dry run"
  node --test --test-timeout=600000 deploy/test/apiserver.test.ts
fi
step "passed in $((SECONDS - start)) s"
