#!/usr/bin/env bash
# npm run validate:terraform — `terraform validate` of every composition with real provider schemas.
# The registry cannot be reached here, so the providers are built from the Go module proxy (pseudo-versions
# of main-branch commits next to the pinned releases) into ~/.cache/emporium-tools and used through
# a filesystem mirror under the pinned versions. Google: ~10 min to build on 2 cores; AWS: far longer, so it is built only with
# VALIDATE_AWS=1 (or when already built). Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/scripts/tools.sh
terraform_cli

# Commits of hashicorp/terraform-provider-{google,aws} main as the module proxy serves them: google
# just after 8.0.0 (its CHANGELOG tops at 8.0.0), aws between 6.47.0 and 6.48.0.
GOOGLE=v1.20.1-0.20260828184646-f3721fb45fa3
AWS=v1.60.1-0.20260602190131-5f2286d6d836

t0=$SECONDS
go_tool terraform-provider-google github.com/hashicorp/terraform-provider-google "$GOOGLE"
google_dir="$TOOLS/terraform-provider-google-$GOOGLE"
echo "google provider ready after $((SECONDS - t0))s"
aws_dir="$TOOLS/terraform-provider-aws-$AWS"
if [ "${VALIDATE_AWS:-0}" = 1 ] && [ ! -x "$aws_dir/terraform-provider-aws" ]; then
  t1=$SECONDS
  go_tool terraform-provider-aws github.com/hashicorp/terraform-provider-aws "$AWS"
  echo "aws provider built in $((SECONDS - t1))s"
fi

# A filesystem mirror in the unpacked layout, under the pinned versions (init refuses dev_overrides'
# providers, and local modules need init).
mirror="$TOOLS/provider-mirror"
link() { mkdir -p "$mirror/registry.terraform.io/hashicorp/$1/$2/linux_amd64" && ln -sf "$3" "$mirror/registry.terraform.io/hashicorp/$1/$2/linux_amd64/terraform-provider-$1_v$2"; }
link google 8.0.0 "$google_dir/terraform-provider-google"
[ -x "$aws_dir/terraform-provider-aws" ] && link aws 6.47.0 "$aws_dir/terraform-provider-aws"
rc="$TOOLS/validate.tfrc"
printf 'provider_installation {\n  filesystem_mirror {\n    path = "%s"\n  }\n}\n' "$mirror" >"$rc"
mkdir -p "$TOOLS/tfdata"
export TF_CLI_CONFIG_FILE="$rc"

failed=0
for dir in infra/envs/*/gcp infra/envs/*/aws infra/bootstrap; do
  if [[ "$dir" != *gcp ]] && [ ! -x "$aws_dir/terraform-provider-aws" ]; then
    echo "== $dir: skipped (AWS provider not built; VALIDATE_AWS=1 builds it)"
    continue
  fi
  export TF_DATA_DIR="$TOOLS/tfdata/${dir//\//-}"
  t=$SECONDS
  if (cd "$dir" && "$TF" init -backend=false -input=false >/dev/null 2>"$TF_DATA_DIR.init.log" || (cat "$TF_DATA_DIR.init.log" >&2; false)) &&
    (cd "$dir" && "$TF" validate -no-color); then
    echo "== $dir: valid ($((SECONDS - t))s)"
  else
    echo "== $dir: INVALID" >&2
    failed=1
  fi
done
exit $failed
