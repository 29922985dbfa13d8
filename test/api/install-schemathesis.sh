#!/usr/bin/env bash
# Installs schemathesis and openapi-spec-validator (PyPI) into a venv under the checkout's .cache/, once;
# prints the venv's bin folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
VALIDATOR_VERSION=0.7.2
VENV=.cache/schemathesis-venv
if ! "$VENV/bin/st" --version 2>/dev/null | grep -q "$VERSION" || [ ! -x "$VENV/bin/openapi-spec-validator" ]; then
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION" \
    "openapi-spec-validator==$VALIDATOR_VERSION" >&2
fi
echo "$PWD/$VENV/bin"
