#!/usr/bin/env bash
# make-base-image.sh — build, locally, the Node base image that the Dockerfile's FROM names.
#
# Why: this machine has no container registry access, so `FROM node:20.x-bookworm-slim` cannot be
# pulled. We assemble an equivalent image from THIS machine's Node 20 + npm and tag it with the exact
# name the Dockerfile uses (default of `ARG NODE_IMAGE`, normalised to docker.io/library/...), so the
# Dockerfile itself stays standard.
#
# Methods (MAKE_BASE_METHOD=auto|debootstrap|host, default auto = debootstrap, then host on failure):
#   debootstrap  a real Debian bookworm minbase rootfs (from the Debian mirror apt uses) + host node/npm
#                + a `node` user (uid/gid 1000), like the official image. ~2-3 min, ~200 MB.
#   host         a minimal rootfs assembled from the host: node + the libraries ldd lists, npm,
#                busybox (static) as /bin/sh and coreutils, /etc/passwd with `node`, CA certificates.
#                Seconds, no network.
#
# Usage: scripts/make-base-image.sh [--force] [--method auto|debootstrap|host] [--tag NAME]
# Env:   PODMAN_STORAGE_DRIVER (default vfs), DEBIAN_MIRROR (default http://deb.debian.org/debian),
#        DEBIAN_SUITE (default bookworm).
# Needs: root, podman (apt-get install -y podman buildah uidmap fuse-overlayfs slirp4netns runc),
#        debootstrap or busybox-static (installed on demand with apt-get when missing).
# Idempotent: does nothing when the image already exists (unless --force).
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STORAGE_DRIVER="${PODMAN_STORAGE_DRIVER:-vfs}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SUITE="${DEBIAN_SUITE:-bookworm}"
METHOD="${MAKE_BASE_METHOD:-auto}"
FORCE=0
TAG=""

log() { printf '[make-base-image] %s\n' "$*" >&2; }
die() { printf '[make-base-image] ERROR: %s\n' "$*" >&2; exit 1; }
pm() { podman --storage-driver "$STORAGE_DRIVER" "$@"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --force) FORCE=1 ;;
    --method) METHOD="${2:?--method needs a value}"; shift ;;
    --tag) TAG="${2:?--tag needs a value}"; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
  shift
done

# The image name the Dockerfile pulls, fully qualified the way podman resolves a short name.
dockerfile_base_image() {
  local ref
  ref="$(sed -n 's/^ARG NODE_IMAGE=\(.*\)$/\1/p' "$ROOT_DIR/Dockerfile" | head -n1 | tr -d '[:space:]')"
  [ -n "$ref" ] || die "no 'ARG NODE_IMAGE=' default in $ROOT_DIR/Dockerfile"
  case "$ref" in
    */*/*|*.*/*|localhost/*) echo "$ref" ;;
    */*) echo "docker.io/$ref" ;;
    *) echo "docker.io/library/$ref" ;;
  esac
}

apt_install() {
  log "installing $* with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
}

NODE_BIN="$(readlink -f "$(command -v node || true)")"
[ -x "$NODE_BIN" ] || die "node not found on PATH"
NODE_VERSION="$(node -v)"
case "$NODE_VERSION" in v20.*) ;; *) die "host node is $NODE_VERSION, need v20.x" ;; esac
NPM_DIR="$(readlink -f "$(dirname "$NODE_BIN")/../lib/node_modules/npm")"
[ -f "$NPM_DIR/bin/npm-cli.js" ] || die "npm not found at $NPM_DIR"
HOST_CA_BUNDLE="${HOST_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
[ -f "$HOST_CA_BUNDLE" ] || die "no CA bundle at $HOST_CA_BUNDLE (apt-get install -y ca-certificates)"

# Node binary, npm (and corepack if present) under /usr/local, as the official image lays them out.
install_node() {
  local root="$1" lib
  install -D -m 0755 "$NODE_BIN" "$root/usr/local/bin/node"
  mkdir -p "$root/usr/local/lib/node_modules"
  cp -a "$NPM_DIR" "$root/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  if [ -d "$(dirname "$NPM_DIR")/corepack" ]; then
    cp -a "$(dirname "$NPM_DIR")/corepack" "$root/usr/local/lib/node_modules/corepack"
    ln -sf ../lib/node_modules/corepack/dist/corepack.js "$root/usr/local/bin/corepack"
  fi
  # Node's headers, where the official image keeps them: node-gyp builds native modules (better-sqlite3) against them
  # with npm_config_nodedir=/usr/local, as nothing can be downloaded here.
  local headers
  headers="$(readlink -f "$(dirname "$NODE_BIN")/../include/node")"
  [ -f "$headers/common.gypi" ] || die "node's headers are not at $headers (need include/node/common.gypi beside the binary)"
  mkdir -p "$root/usr/local/include"
  cp -a "$headers" "$root/usr/local/include/node"
  # Shared libraries node links against that the rootfs lacks (all of them for the host method).
  for lib in $(ldd "$NODE_BIN" | grep -oE '/[^ ]+' | sort -u); do
    [ -e "$root$lib" ] || cp -L --parents "$lib" "$root/"
  done
}

rootfs_debootstrap() {
  local root="$1"
  command -v debootstrap >/dev/null || apt_install debootstrap
  log "debootstrap --variant=minbase $SUITE from $MIRROR (takes a few minutes)"
  debootstrap --variant=minbase --include=ca-certificates "$SUITE" "$root" "$MIRROR" \
    >"$WORK/debootstrap.log" 2>&1 || { tail -n 20 "$WORK/debootstrap.log" >&2; return 1; }
  install_node "$root"
  chroot "$root" groupadd --gid 1000 node
  chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  # Same trimming as the -slim images: no docs, man pages, apt caches or logs.
  rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
    "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/var/log/* "$root"/tmp/*
  rm -f "$root/etc/hostname" "$root/etc/resolv.conf"
}

rootfs_host() {
  local root="$1" bb
  bb="$(command -v busybox || true)"
  if [ -z "$bb" ] || ldd "$bb" >/dev/null 2>&1; then
    apt_install busybox-static
    bb=/bin/busybox
  fi
  log "assembling a minimal rootfs from the host (busybox $(dirname "$bb"))"
  mkdir -p "$root"/{bin,sbin,etc,tmp,root,home/node,usr/bin,usr/sbin,usr/local/bin,var/tmp,dev,proc,sys,run}
  chmod 1777 "$root/tmp" "$root/var/tmp"
  install -m 0755 "$bb" "$root/bin/busybox"
  chroot "$root" /bin/busybox --install -s
  install_node "$root"
  printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n' >"$root/etc/group"
  chown 1000:1000 "$root/home/node"
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
}

# The host's trust store: it may hold a CA that HTTPS to the npm registry needs here (a TLS proxy).
install_ca_bundle() {
  local root="$1"
  mkdir -p "$root/etc/ssl/certs"
  cp -L "$HOST_CA_BUNDLE" "$root/etc/ssl/certs/ca-certificates.crt"
}

verify_rootfs() {
  local root="$1"
  chroot "$root" /usr/local/bin/node -e 'process.exit(process.version.startsWith("v20.") ? 0 : 1)' ||
    die "node does not run inside the assembled rootfs"
  # shellcheck disable=SC2016 # $PATH expands inside the chroot
  chroot "$root" /bin/sh -c 'PATH=/usr/local/bin:$PATH npm -v >/dev/null' || die "npm does not run inside the rootfs"
  grep -q '^node:x:1000:1000:' "$root/etc/passwd" || die "rootfs has no node user with uid 1000"
}

import_rootfs() {
  local root="$1" method="$2"
  log "importing rootfs as $TAG"
  tar --numeric-owner -C "$root" -c . | pm import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=${NODE_VERSION#v}" \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["node"]' \
    --message "portalfeed local base ($method): host node $NODE_VERSION" \
    --quiet - "$TAG" >/dev/null
}

command -v podman >/dev/null || die "podman is not installed (apt-get install -y podman buildah uidmap fuse-overlayfs slirp4netns runc)"
[ "$(id -u)" = 0 ] || die "must run as root (chroot, debootstrap, rootful podman)"
[ -n "$TAG" ] || TAG="$(dockerfile_base_image)"

if [ "$FORCE" = 0 ] && pm image exists "$TAG"; then
  # An image made by an older version of this script lacks node's headers, which the Dockerfile's build stage needs.
  if pm run --rm --network none --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "$TAG" /usr/local/bin/node -e \
    'process.exit(require("fs").existsSync("/usr/local/include/node/common.gypi") ? 0 : 1)' >/dev/null 2>&1; then
    log "$TAG already exists (use --force to rebuild)"
    exit 0
  fi
  log "$TAG exists without node's headers: rebuilding it"
fi

WORK="$(mktemp -d /var/tmp/portalfeed-base.XXXXXX)"
# debootstrap mounts /proc and /sys in the target; a failed run can leave them: unmount before rm -rf.
cleanup_work() {
  awk -v w="$WORK/" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup_work EXIT
started=$SECONDS
built=""
for m in $( [ "$METHOD" = auto ] && echo "debootstrap host" || echo "$METHOD" ); do
  rm -rf "$WORK/rootfs"; mkdir -p "$WORK/rootfs"
  case "$m" in
    debootstrap) rootfs_debootstrap "$WORK/rootfs" || { log "debootstrap failed"; continue; } ;;
    host) rootfs_host "$WORK/rootfs" ;;
    *) die "unknown method: $m (auto|debootstrap|host)" ;;
  esac
  install_ca_bundle "$WORK/rootfs"
  verify_rootfs "$WORK/rootfs"
  import_rootfs "$WORK/rootfs" "$m"
  built="$m"
  break
done
[ -n "$built" ] || die "could not build a base rootfs (method: $METHOD)"
log "built $TAG with method '$built' in $((SECONDS - started))s: $(pm image inspect --format '{{.Size}}' "$TAG" | awk '{printf "%.0f MB", $1/1e6}')"
