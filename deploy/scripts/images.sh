#!/usr/bin/env bash
# `npm run images`: builds the deployables' images with buildah (--isolation chroot: no daemon, no container
# engine) and starts the gateway's long enough to answer /health on loopback. Outside CI (minutes, not seconds).
# Base images cannot be pulled here, so stand-ins are made once from Debian packages with debootstrap and tagged
# with the names the Dockerfiles pin (node:24.21.0-bookworm-slim): a real registry's image replaces them unchanged.
# IMAGES="gateway orders users" chooses which to build (default: gateway orders).
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$SECONDS
TOOLS="${EMPORIUM_TOOLS:-$HOME/.cache/emporium-tools}"
IMAGES="${IMAGES:-gateway orders}"
NODE_BASE=docker.io/library/node:24.21.0-bookworm-slim
DEBIAN_BASE=docker.io/library/debian:bookworm-slim
export TMPDIR=/var/tmp BUILDAH_ISOLATION=chroot
say() { echo "[images $((SECONDS - start))s] $*"; }

missing=()
for tool in buildah podman debootstrap; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    say "installing ${missing[*]} (Debian)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "npm run images needs: sudo TMPDIR=/var/tmp apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# Stand-in Debian base: debootstrap's minimal bookworm, imported once.
if ! buildah inspect --type image "$DEBIAN_BASE" >/dev/null 2>&1; then
  rootfs="$TOOLS/rootfs-bookworm-minbase"
  if [ ! -f "$rootfs.tar" ]; then
    say "debootstrap bookworm (minbase) into $rootfs"
    rm -rf "$rootfs" && mkdir -p "$rootfs"
    mirror="$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)"
    debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" "${mirror:-http://deb.debian.org/debian}" >/dev/null
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -cf "$rootfs.tar.tmp" . && mv "$rootfs.tar.tmp" "$rootfs.tar" && rm -rf "$rootfs"
  fi
  say "importing $DEBIAN_BASE"
  podman import --quiet "$rootfs.tar" "$DEBIAN_BASE" >/dev/null
fi

# Stand-in Node base: that Debian plus the project's pinned Node (the `node` npm package) and this machine's npm,
# trusting this machine's CA bundle (its registry traffic may pass a TLS proxy; a real base needs nothing of it).
if ! buildah inspect --type image "$NODE_BASE" >/dev/null 2>&1; then
  say "making $NODE_BASE"
  ctx="$(mktemp -d)"
  cp node_modules/node/bin/node "$ctx/node"
  cp -r "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" "$ctx/npm"
  cp /etc/ssl/certs/ca-certificates.crt "$ctx/ca-certificates.crt"
  cat > "$ctx/Containerfile" <<'CF'
FROM docker.io/library/debian:bookworm-slim
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && node --version && npm --version
CMD ["node"]
CF
  buildah bud --quiet --pull=never -t "$NODE_BASE" "$ctx" >/dev/null
  rm -rf "$ctx"
fi

for name in $IMAGES; do
  say "building emporium-$name (deploy/docker/$name.Dockerfile)"
  buildah bud --quiet --pull=never --layers -f "deploy/docker/$name.Dockerfile" -t "localhost/emporium-$name:dev" . >/dev/null
  say "built localhost/emporium-$name:dev ($(podman image inspect --format '{{.Size}}' "localhost/emporium-$name:dev" | awk '{printf "%d MB", $1/1e6}'))"
done

if [[ " $IMAGES " == *" gateway "* ]]; then
  port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
  say "starting emporium-gateway on 127.0.0.1:$port"
  # As user 10001 on the host network, loopback only. `buildah run` in the same chroot isolation as the build:
  # podman's OCI runtime (crun) may not set rlimits in a sandbox like this one; on a normal machine
  # `podman run --read-only --user 10001 -p 127.0.0.1:5000:5000 -e HOST=0.0.0.0 localhost/emporium-gateway:dev`.
  ctr="$(buildah from --pull=never localhost/emporium-gateway:dev)"
  buildah run --isolation chroot --user 10001:10001 --env HOST=127.0.0.1 --env PORT="$port" --env METRICS_PORT=0 \
    "$ctr" -- node services/gateway/src/server.ts > "$TMPDIR/emporium-gateway-image.log" 2>&1 &
  runner=$!
  stop() { kill "$runner" 2>/dev/null || true; wait "$runner" 2>/dev/null || true; buildah rm "$ctr" >/dev/null 2>&1 || true; }
  trap stop EXIT
  for _ in $(seq 1 120); do
    if body="$(curl -fsS "http://127.0.0.1:$port/health" 2>/dev/null)"; then break; fi
    sleep 0.5
  done
  [ -n "${body:-}" ] || { cat "$TMPDIR/emporium-gateway-image.log" >&2; echo "the gateway image did not answer /health" >&2; exit 1; }
  say "GET /health → $body"
  trap - EXIT
  stop
fi
say "done in $((SECONDS - start)) s"
