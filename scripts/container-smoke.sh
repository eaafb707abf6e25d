#!/usr/bin/env bash
# container-smoke.sh — end-to-end smoke test of the portalfeed container image (not part of `npm test`).
#
# Steps: (1) make the local Node base image if missing (scripts/make-base-image.sh; no registry here),
# (2) build the image from the repo with podman, (2b) open a WAL database with the image's better-sqlite3, (3) start the replay portal on the host
# (`node dist/cli.js replay --site examples/portal`), (4) make sure Redis answers on 127.0.0.1:6379
# (starts a throwaway redis-server if not), (5) run the container on the host network with a generated
# config mounted at /app/config/smoke.yaml, (6) wait for the image's HEALTHCHECK to report healthy and
# for /readyz, (7) fetch /feed.xml, require RSS with the seed article's title, validate with xmllint,
# (8) `podman stop` (SIGTERM) and require exit code 0 and the "stopped" log line, (9) clean up
# (container, replay portal, temp files, the Redis keys under its own prefix; images are kept) and print
# a PASS/FAIL summary with per-step timings and the image size.
#
# Usage: scripts/container-smoke.sh            (run as root: rootful podman, vfs storage, chroot isolation)
# Env:   SMOKE_IMAGE (default localhost/portalfeed:smoke), SMOKE_PORT (18080), SMOKE_PORTAL_PORT (18090),
#        REDIS_URL (redis://127.0.0.1:6379), PODMAN_STORAGE_DRIVER (vfs), SMOKE_TIMEOUT (seconds to wait
#        for health/readiness/feed, default 120), SMOKE_KEEP=1 keeps the temp dir for inspection,
#        SMOKE_LAYERS=true caches build layers (slow with vfs storage).
# Exit:  0 on PASS, 1 on FAIL (the failing step and the reason are printed).
set -uo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IMAGE="${SMOKE_IMAGE:-localhost/portalfeed:smoke}"
APP_PORT="${SMOKE_PORT:-18080}"
PORTAL_PORT="${SMOKE_PORTAL_PORT:-18090}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
STORAGE_DRIVER="${PODMAN_STORAGE_DRIVER:-vfs}"
TIMEOUT="${SMOKE_TIMEOUT:-120}"
CONTAINER="portalfeed-smoke"
SEED_TITLE="Tổng kết công tác xây dựng Đảng năm 2023, triển khai nhiệm vụ năm 2024"
KEY_PREFIX="{pfsmoke-$$}:"
APP_URL="http://127.0.0.1:${APP_PORT}"
PORTAL_URL="http://127.0.0.1:${PORTAL_PORT}"
RUN_FLAGS=(--runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

TMP_DIR=""
REPLAY_PID=""
REDIS_PID=""
CURRENT_STEP="setup"
FAILED=""
STARTED=$SECONDS
STEP_STARTED=$SECONDS
declare -a TIMINGS=()

pm() { podman --storage-driver "$STORAGE_DRIVER" "$@"; }
log() { printf '[smoke] %s\n' "$*" >&2; }
fail() { FAILED="$*"; log "FAIL at step '$CURRENT_STEP': $*"; exit 1; }
step() {
  end_step
  CURRENT_STEP="$1"
  STEP_STARTED=$SECONDS
  log "== $1"
}
end_step() {
  [ "$CURRENT_STEP" = setup ] || TIMINGS+=("$(printf '%-28s %4ss' "$CURRENT_STEP" "$((SECONDS - STEP_STARTED))")")
}
# Retry a command once a second until it succeeds or $1 seconds pass.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt "$deadline" ] || return 1
    sleep 1
  done
}
port_in_use() { ss -Hltn "sport = :$1" | grep -q .; }
redis_host_port() { local hp="${REDIS_URL#*://}"; hp="${hp#*@}"; hp="${hp%%/*}"; echo "${hp%:*} ${hp##*:}"; }
redis_cmd() { local h p; read -r h p < <(redis_host_port); redis-cli -h "$h" -p "$p" "$@"; }

cleanup() {
  local rc=$? cleanup_started=$SECONDS
  end_step
  CURRENT_STEP="setup"
  if [ -n "$FAILED" ] || [ "$rc" -ne 0 ]; then
    if pm container exists "$CONTAINER" 2>/dev/null; then
      log "last container logs:"; pm logs --tail 30 "$CONTAINER" 2>&1 | sed 's/^/    /' >&2
    fi
    [ -n "$TMP_DIR" ] && [ -s "$TMP_DIR/replay.log" ] && { log "replay portal log:"; tail -n 10 "$TMP_DIR/replay.log" | sed 's/^/    /' >&2; }
  fi
  pm rm -f -v "$CONTAINER" >/dev/null 2>&1
  if [ -n "$REPLAY_PID" ] && kill -0 "$REPLAY_PID" 2>/dev/null; then
    kill -TERM "$REPLAY_PID" 2>/dev/null
    wait "$REPLAY_PID" 2>/dev/null
  fi
  if command -v redis-cli >/dev/null && redis_cmd ping 2>/dev/null | grep -q PONG; then
    redis_cmd --scan --pattern "${KEY_PREFIX}*" 2>/dev/null | while read -r key; do redis_cmd del "$key" >/dev/null; done
  fi
  if [ -n "$REDIS_PID" ]; then kill -TERM "$REDIS_PID" 2>/dev/null; wait "$REDIS_PID" 2>/dev/null; fi
  if [ -n "$TMP_DIR" ]; then
    if [ "${SMOKE_KEEP:-0}" = 1 ]; then log "kept $TMP_DIR"; else rm -rf "$TMP_DIR"; fi
  fi
  TIMINGS+=("$(printf '%-28s %4ss' "9 cleanup" "$((SECONDS - cleanup_started))")")
  local size
  size="$(pm image inspect --format '{{.Size}}' "$IMAGE" 2>/dev/null | awk '{printf "%.0f MB", $1/1e6}')"
  echo "---------------------------------------------"
  printf '%s\n' "${TIMINGS[@]}"
  echo "image: $IMAGE (${size:-not built})"
  if [ "$rc" -eq 0 ] && [ -z "$FAILED" ]; then
    echo "container smoke: PASS in $((SECONDS - STARTED))s"
  else
    echo "container smoke: FAIL in $((SECONDS - STARTED))s — ${FAILED:-exit code $rc}"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'fail "interrupted"' INT TERM

preflight() {
  step "0 preflight"
  [ "$(id -u)" = 0 ] || fail "run as root (rootful podman with vfs storage)"
  if ! command -v podman >/dev/null || ! command -v runc >/dev/null; then
    log "installing podman and runc with apt-get"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        podman buildah uidmap fuse-overlayfs slirp4netns runc; } >/dev/null 2>&1 || fail "apt-get install podman failed"
  fi
  local tool
  for tool in podman node npm curl ss; do command -v "$tool" >/dev/null || fail "$tool is not installed"; done
  if ! command -v xmllint >/dev/null; then
    log "installing libxml2-utils for xmllint"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxml2-utils >/dev/null 2>&1 || fail "xmllint missing and apt-get install libxml2-utils failed"
  fi
  command -v redis-cli >/dev/null || fail "redis-cli is not installed (apt-get install -y redis-server)"
  pm rm -f -v "$CONTAINER" >/dev/null 2>&1 || true   # left over from an interrupted run
  local port
  for port in "$PORTAL_PORT" "$APP_PORT"; do
    ! port_in_use "$port" || fail "port $port is already in use: $(ss -Hltnp "sport = :$port" | head -n1)"
  done
  TMP_DIR="$(mktemp -d /tmp/portalfeed-smoke.XXXXXX)"
}

step_base_image() {
  step "1 base image"
  bash "$ROOT_DIR/scripts/make-base-image.sh" || fail "scripts/make-base-image.sh failed"
}

step_build() {
  step "2 podman build"
  # --layers=false: with vfs storage every cached layer is a full copy of the rootfs, so layered
  # builds take ~4-7 min here against ~75 s for one commit per stage. --format docker keeps HEALTHCHECK.
  pm build --isolation chroot --format docker --pull=never --network host --layers="${SMOKE_LAYERS:-false}" \
    -t "$IMAGE" -f "$ROOT_DIR/Dockerfile" "$ROOT_DIR" >"$TMP_DIR/build.log" 2>&1 ||
    { tail -n 25 "$TMP_DIR/build.log" >&2; fail "podman build failed (log above)"; }
  pm image inspect --format '{{.Config.Healthcheck}}' "$IMAGE" | grep -q node ||
    fail "built image has no HEALTHCHECK (was it built with --format docker?)"
  pm image prune -f >/dev/null 2>&1 || true   # the previous build's image, now untagged
}

step_replay() {
  step "3 replay portal"
  (cd "$ROOT_DIR" && npm run build --silent) >"$TMP_DIR/host-build.log" 2>&1 ||
    { tail -n 15 "$TMP_DIR/host-build.log" >&2; fail "npm run build failed on the host"; }
  (cd "$ROOT_DIR" && exec node dist/cli.js replay --site examples/portal --port "$PORTAL_PORT" --host 127.0.0.1) \
    >"$TMP_DIR/replay.log" 2>&1 &
  REPLAY_PID=$!
  wait_for 20 curl -fsS -o /dev/null "$PORTAL_URL/tin-tuc" ||
    fail "replay portal did not serve $PORTAL_URL/tin-tuc within 20s"
}

step_redis() {
  step "4 redis"
  redis_cmd ping 2>/dev/null | grep -q PONG && return 0
  local host port
  read -r host port < <(redis_host_port)
  case "$host" in 127.0.0.1|localhost) ;; *) fail "Redis at $REDIS_URL does not answer PING" ;; esac
  command -v redis-server >/dev/null || fail "no Redis on $host:$port and redis-server is not installed"
  log "starting a throwaway redis-server on $host:$port"
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no >"$TMP_DIR/redis.log" 2>&1 &
  REDIS_PID=$!
  wait_for 10 sh -c "redis-cli -h $host -p $port ping | grep -q PONG" || fail "redis-server did not answer PING"
}

write_config() {
  cat >"$TMP_DIR/smoke.yaml" <<EOF
# Generated by scripts/container-smoke.sh
server: { port: ${APP_PORT}, host: 127.0.0.1, publicUrl: "${APP_URL}" }
store: { keyPrefix: "${KEY_PREFIX}", dataDir: /data }
feed:
  title: "Tin tức tỉnh Quảng Trị (smoke)"
  description: "container smoke test"
  language: vi
tagging: { taxonomyFile: /app/config/categories.yaml }
log: { level: info }
sources:
  - id: quangtri
    name: "Cổng Thông tin điện tử tỉnh Quảng Trị"
    baseUrl: "${PORTAL_URL}"
    schedule: "*/15 * * * *"
    sections:
      - { id: tin-tuc, name: "Tin tức - Sự kiện", url: /tin-tuc }
    linkPattern: "^/(tin-tuc/[a-z0-9-]+|(vi/)?chi-tiet-tin/-/view-article/.+)$"
    maxPages: 3
    http: { timeoutMs: 10000, retries: 1, concurrency: 2, delayMs: 0 }
EOF
  chmod 0644 "$TMP_DIR/smoke.yaml"
}

step_run() {
  step "5 run container"
  write_config
  pm run -d --name "$CONTAINER" "${RUN_FLAGS[@]}" --network host \
    -e REDIS_URL="$REDIS_URL" -e PORT="$APP_PORT" -e PUBLIC_URL="$APP_URL" \
    -e PORTALFEED_CONFIG=/app/config/smoke.yaml \
    -v "$TMP_DIR/smoke.yaml:/app/config/smoke.yaml:ro" \
    "$IMAGE" >"$TMP_DIR/run.log" 2>&1 || { cat "$TMP_DIR/run.log" >&2; fail "podman run failed"; }
}

container_running() { [ "$(pm inspect --format '{{.State.Running}}' "$CONTAINER" 2>/dev/null)" = true ]; }
healthy() { container_running || return 2; pm healthcheck run "$CONTAINER"; }

step_health() {
  step "6 healthy + ready"
  local deadline=$((SECONDS + TIMEOUT)) status
  until healthy >/dev/null 2>&1; do
    container_running || fail "container exited (code $(pm inspect --format '{{.State.ExitCode}}' "$CONTAINER" 2>/dev/null))"
    [ $SECONDS -lt "$deadline" ] || fail "health check not passing after ${TIMEOUT}s"
    sleep 1
  done
  status="$(pm inspect --format '{{.State.Health.Status}}' "$CONTAINER" 2>/dev/null)"
  [ "$status" = healthy ] || fail "health check passed but podman reports status '$status'"
  log "health: $status"
  wait_for "$TIMEOUT" curl -fsS -o /dev/null "$APP_URL/readyz" ||
    fail "/readyz not 200 after ${TIMEOUT}s: $(curl -sS "$APP_URL/readyz" 2>&1 | head -c 300)"
}

feed_has_seed() {
  curl -fsS -o "$TMP_DIR/feed.xml" -D "$TMP_DIR/feed.headers" "$APP_URL/feed.xml" &&
    grep -qF "$SEED_TITLE" "$TMP_DIR/feed.xml"
}

step_feed() {
  step "7 feed.xml"
  wait_for "$TIMEOUT" feed_has_seed ||
    fail "/feed.xml has no item titled '$SEED_TITLE' after ${TIMEOUT}s ($(wc -c <"$TMP_DIR/feed.xml" 2>/dev/null || echo 0) bytes)"
  grep -qiE '^content-type: *application/(rss\+xml|xml)' "$TMP_DIR/feed.headers" ||
    fail "unexpected Content-Type: $(grep -i '^content-type' "$TMP_DIR/feed.headers")"
  xmllint --noout "$TMP_DIR/feed.xml" 2>"$TMP_DIR/xmllint.log" || { cat "$TMP_DIR/xmllint.log" >&2; fail "feed.xml is not well-formed XML"; }
  [ "$(xmllint --xpath 'name(/*)' "$TMP_DIR/feed.xml")" = rss ] || fail "feed.xml root element is not <rss>"
  xmllint --xpath "/rss/channel/item/title[normalize-space()='$SEED_TITLE']" "$TMP_DIR/feed.xml" >/dev/null 2>&1 ||
    fail "seed title is in feed.xml but not as an /rss/channel/item/title"
  # Read whole, not piped into grep -q: grep's early exit kills redis-cli with SIGPIPE, which pipefail reports as failure.
  [ -n "$(redis_cmd --scan --pattern "${KEY_PREFIX}*" 2>/dev/null)" ] ||
    fail "no Redis keys under prefix $KEY_PREFIX: the container did not store items in Redis ($REDIS_URL)"
  log "feed.xml: $(xmllint --xpath 'count(/rss/channel/item)' "$TMP_DIR/feed.xml") items, $(wc -c <"$TMP_DIR/feed.xml") bytes"
}

step_stop() {
  step "8 SIGTERM stop"
  pm stop -t 30 "$CONTAINER" >/dev/null 2>&1 || fail "podman stop failed"
  local code
  code="$(pm inspect --format '{{.State.ExitCode}}' "$CONTAINER")"
  [ "$code" = 0 ] || fail "container exited with code $code after SIGTERM (want 0)"
  pm logs "$CONTAINER" >"$TMP_DIR/container.log" 2>&1
  grep '"msg":"shutting down"' "$TMP_DIR/container.log" | grep -q '"signal":"SIGTERM"' ||
    fail "logs do not show 'shutting down' on SIGTERM"
  grep -q '"msg":"stopped"' "$TMP_DIR/container.log" || fail "logs do not show 'stopped' after SIGTERM"
}

step_sqlite() {
  step "2b embedded store"
  # The image's own better-sqlite3 (compiled in the build stage) opening a WAL database in the data volume, as node.
  local version
  version="$(pm run --rm --network none "${RUN_FLAGS[@]}" --entrypoint node "$IMAGE" -e \
    "const D = require('better-sqlite3'); const db = new D('/data/smoke.db'); db.pragma('journal_mode = WAL');
     db.exec('create table t (x)'); db.prepare('insert into t values (1)').run();
     process.stdout.write(db.prepare('select sqlite_version() v, count(*) n from t').get().v); db.close();" \
    2>"$TMP_DIR/sqlite.log")" || { tail -n 5 "$TMP_DIR/sqlite.log" >&2; fail "better-sqlite3 does not work in the image"; }
  log "SQLite $version in the image"
}

preflight
step_base_image
step_build
step_sqlite
step_replay
step_redis
step_run
step_health
step_feed
step_stop
