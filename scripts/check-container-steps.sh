#!/usr/bin/env bash
# The Dockerfile's steps without Docker (CI has no Docker daemon), in a scratch copy of this
# checkout: the build stage (sources minus .dockerignore, dependencies, `npm run build`,
# `npm prune --omit=dev`), then the runtime stage (package.json, node_modules, dist, bin and the
# health probe only, no sources), started with the image's CMD as an unprivileged user and probed
# with its HEALTHCHECK. The runtime files, CMD and HEALTHCHECK are read from the Dockerfile, so the
# two cannot drift apart. It fails if the runtime needs a devDependency, a source file, tsx, or
# write access outside DATA_DIR.
# One step differs: instead of `npm ci` the build stage gets a hard-linked copy of this checkout's
# node_modules (npm ci downloads every package and compiles better-sqlite3 when no prebuilt binary
# downloads). `npm prune` then removes the devDependencies from that copy as it does in the image.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

mkdir -p "$root/.tmp"
work=$(mktemp -d "$root/.tmp/container-XXXXXX")
kunde_pid=''
cleanup() {
  if [ -n "$kunde_pid" ]; then
    kill "$kunde_pid" 2>/dev/null || true
    wait "$kunde_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
started=$SECONDS

echo "--- build stage: COPY . . (minus .dockerignore)"
mkdir "$work/build"
tar -c --exclude-from=.dockerignore --exclude=./.tmp -f - . | tar -x -C "$work/build"

echo "--- build stage: dependencies (hard-linked copy of node_modules instead of npm ci)"
modules=$(readlink -f node_modules)
cp -al "$modules" "$work/build/node_modules" 2>/dev/null || cp -a "$modules" "$work/build/node_modules"
# npm rewrites its hidden lockfile: give the copy its own file, not a link to the original.
rm -f "$work/build/node_modules/.package-lock.json"

echo "--- build stage: npm run build"
(cd "$work/build" && rm -rf dist && npm run build --silent)
# The tests build the same sources in the checkout: a checkout without a build gets this one
# (the stamps name the sources' hash, so the tests rebuild only what differs), one build fewer.
if [ ! -e "$root/dist" ]; then cp -a "$work/build/dist" "$root/dist"; fi

echo "--- build stage: npm prune --omit=dev"
(cd "$work/build" && npm prune --omit=dev --no-audit --no-fund --loglevel=error)
(cd "$work/build" && npm ls --omit=dev --depth=0 >/dev/null) || {
  echo "npm ls: the production dependencies are not a complete tree" >&2
  exit 1
}
for dev_only in vite tsx esbuild react typescript vitest; do
  if [ -e "$work/build/node_modules/$dev_only" ]; then
    echo "npm prune --omit=dev left $dev_only in node_modules" >&2
    exit 1
  fi
done

echo "--- runtime stage: the Dockerfile's COPY --from=build lines, nothing else"
runtime="$work/runtime"
mkdir -p "$runtime" "$work/data"
copies=0
while read -r _ _ from to; do
  mkdir -p "$(dirname "$runtime/$to")"
  # `COPY … ./` copies into the folder; `COPY … ./name` names the copy.
  case "$to" in */) target="$runtime/$to$(basename "$from")" ;; *) target="$runtime/$to" ;; esac
  mv "$work/build/${from#/app/}" "$target"
  copies=$((copies + 1))
done < <(grep -E '^COPY --from=build /app/' Dockerfile)
[ "$copies" -ge 4 ] || { echo "found only $copies COPY --from=build lines in the Dockerfile" >&2; exit 1; }
rm -rf "$work/build"
# The image's CMD and HEALTHCHECK, as JSON arrays in the Dockerfile.
json_args() { node -e 'for (const arg of JSON.parse(process.argv[1])) console.log(arg)' "$1"; }
mapfile -t start_cmd < <(json_args "$(sed -n 's/^CMD //p' Dockerfile)")
mapfile -t health_cmd < <(json_args "$(sed -n 's/^ *CMD \(\[.*healthcheck.*\]\)$/\1/p' Dockerfile)")
[ ${#start_cmd[@]} -gt 1 ] && [ ${#health_cmd[@]} -gt 1 ] || {
  echo "could not read CMD and HEALTHCHECK from the Dockerfile" >&2
  exit 1
}

# USER node: run as an unprivileged user that owns only DATA_DIR (as root, when we are root).
as_user=()
if [ "$(id -u)" = 0 ]; then
  chmod 755 "$work"
  chown -R nobody "$work/data"
  as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
fi
port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
export NODE_ENV=production DATA_DIR="$work/data" HOST=127.0.0.1 PORT="$port" SMTP_PORT=0
export DATABASE_URL='' LOG_LEVEL=warn

echo "--- runtime stage: kunde migrate (the compiled CLI, no sources)"
(cd "$runtime" && "${as_user[@]}" node bin/kunde.js migrate)

echo "--- runtime stage: CMD, then HEALTHCHECK"
echo "    ${start_cmd[*]}"
(cd "$runtime" && exec "${as_user[@]}" "${start_cmd[@]}") >"$work/kunde.log" 2>&1 &
kunde_pid=$!
healthy=''
for _ in $(seq 1 100); do
  if (cd "$runtime" && "${health_cmd[@]}"); then
    healthy=1
    break
  fi
  if ! kill -0 "$kunde_pid" 2>/dev/null; then break; fi
  sleep 0.2
done
if [ -z "$healthy" ]; then
  echo "Kunde did not answer /api/health:" >&2
  cat "$work/kunde.log" >&2
  exit 1
fi
# The console and the API reference are served from the build and node_modules.
curl -fsS "http://127.0.0.1:$port/" | grep -q '<div id="root">' || {
  echo "GET / did not serve the console" >&2
  exit 1
}
curl -fsS -o /dev/null "http://127.0.0.1:$port/api/docs/assets/swagger-ui.css"
echo "--- the runtime stage is healthy ($((SECONDS - started)) s)"
