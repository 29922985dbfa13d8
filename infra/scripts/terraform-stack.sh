#!/usr/bin/env bash
# plan|apply one composition (infra/envs/<env>/<cloud>) the way CI does; usable by hand with the same roles.
set -euo pipefail
action=${1:?plan or apply}
stack=${2:?e.g. production/aws}
case "$stack" in staging/aws | staging/gcp | production/aws | production/gcp) ;; *) echo "unknown stack $stack" >&2; exit 2 ;; esac
cd "$(dirname "$0")/../envs/$stack"
terraform init -input=false
case "$action" in
  plan) terraform plan -input=false -lock-timeout=5m ;;
  apply) terraform apply -input=false -lock-timeout=5m -auto-approve ;;
  *) echo "unknown action $action" >&2; exit 2 ;;
esac
