#!/usr/bin/env bash
# npm run check:infra — the infrastructure and workflow checks, all of which must be clean:
# terraform fmt, tflint (HCL hygiene), checkov (Terraform, chart, Dockerfiles, workflows; every skip is in
# .checkov.yaml with its reason), actionlint and zizmor --offline (workflows). Tools: infra/scripts/tools.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/scripts/tools.sh
go_tool tflint github.com/terraform-linters/tflint "$TFLINT_VERSION"
go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION"
python_tools
terraform_cli

step() { printf '\n== %s\n' "$*"; }
started=$SECONDS

step "$TF fmt -check -recursive infra"
TF_CLI_CONFIG_FILE=/dev/null "$TF" fmt -check -recursive -diff infra

step "tflint (every module and composition)"
tflint --chdir=infra --config="$PWD/infra/.tflint.hcl" --recursive --format=compact

step "checkov (Terraform, chart, Dockerfiles, workflows; skips: .checkov.yaml)"
dirs=(infra .github/workflows)
[ -d deploy ] && dirs+=(deploy)
files=()
while IFS= read -r f; do [ -f "$f" ] && files+=("$f"); done < <(node -e '
  for (const i of require("./.github/images.json").images) console.log(i.dockerfile)')
checkov --config-file .checkov.yaml "${dirs[@]/#/--directory=}" "${files[@]/#/--file=}"

step "actionlint"
actionlint -no-color -oneline

step "zizmor --offline"
zizmor --offline --no-progress --config=.github/zizmor.yml .github/workflows

printf '\ncheck:infra clean in %ss\n' "$((SECONDS - started))"
