#!/usr/bin/env bash
# Builds or installs the infrastructure checkers once into ~/.cache/emporium-tools (EMPORIUM_TOOLS to
# move it) and prints nothing when they are there. Sourced by check.sh and validate.sh; defines $TOOLS
# and puts the tools on PATH. Go tools come from the Go module proxy, Python tools from PyPI into a venv.
set -euo pipefail
TOOLS=${EMPORIUM_TOOLS:-$HOME/.cache/emporium-tools}
TFLINT_VERSION=v0.61.0
ACTIONLINT_VERSION=v1.7.12
OPENTOFU_VERSION=v1.10.10
CHECKOV_VERSION=3.3.30
ZIZMOR_VERSION=1.32.0
mkdir -p "$TOOLS"

# go install into a folder named by tool and version; a half-built one is never mistaken for a finished one.
go_tool() {
  local bin=$1 module=$2 version=$3 dir="$TOOLS/$1-$3"
  if [ ! -x "$dir/$bin" ]; then
    command -v go >/dev/null || { echo "Go is needed to build $bin (apt-get install golang-go, or Go ≥ 1.25)" >&2; exit 1; }
    echo "building $bin $version from the Go module proxy (once, into $dir)" >&2
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    GOBIN="$dir.tmp" nice -n 10 go install "$module@$version" >&2
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
  fi
  PATH="$dir:$PATH"
}

python_tools() {
  local venv="$TOOLS/python-checkov-$CHECKOV_VERSION-zizmor-$ZIZMOR_VERSION"
  if [ ! -x "$venv/bin/zizmor" ] || [ ! -x "$venv/bin/checkov" ]; then
    echo "installing checkov $CHECKOV_VERSION and zizmor $ZIZMOR_VERSION from PyPI (once, into $venv)" >&2
    # A venv records its own path, so it is made under its final name; zizmor is installed last and is
    # the mark of a finished one.
    rm -rf "$venv" && python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "checkov==$CHECKOV_VERSION" >&2
    "$venv/bin/pip" install --quiet "zizmor==$ZIZMOR_VERSION" >&2
  fi
  PATH="$venv/bin:$PATH"
}

# Terraform ≥ 1.10 when installed; otherwise OpenTofu (same language, S3 locking too) built from the proxy.
# Its go.mod has a replace directive, which `go install pkg@version` refuses: the module is downloaded
# from the proxy and built in a writable copy.
terraform_cli() {
  # Captured first: `grep -q` in a pipe stops reading early, and pipefail would count terraform's SIGPIPE.
  local version=""
  command -v terraform >/dev/null && version=$(TF_CLI_CONFIG_FILE=/dev/null terraform version -json 2>/dev/null || true)
  if grep -Eq '"terraform_version": *"1\.(1[0-9]|[2-9][0-9])\.' <<<"$version"; then
    TF=terraform
    return
  fi
  local dir="$TOOLS/tofu-$OPENTOFU_VERSION"
  if [ ! -x "$dir/tofu" ]; then
    echo "building OpenTofu $OPENTOFU_VERSION from the Go module proxy (once, into $dir)" >&2
    local src
    src=$(go mod download -json "github.com/opentofu/opentofu@$OPENTOFU_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
    rm -rf "$dir.src" "$dir.tmp" && cp -r "$src" "$dir.src" && chmod -R u+w "$dir.src" && mkdir -p "$dir.tmp"
    (cd "$dir.src" && nice -n 10 go build -o "$dir.tmp/tofu" ./cmd/tofu) >&2
    rm -rf "$dir" "$dir.src" && mv "$dir.tmp" "$dir"
  fi
  PATH="$dir:$PATH"
  TF=tofu
}

export PATH
