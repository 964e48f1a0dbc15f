#!/usr/bin/env bash
# A private, throwaway PostgreSQL cluster for tests and benchmarks.
#   scripts/pg-cluster.sh start DIR PORT   -> prints the DATABASE_URL
#   scripts/pg-cluster.sh stop DIR
# PG_CLUSTER_ICU_LOCALE=en-US makes a new cluster collate by ICU instead of C.UTF-8, as many
# production clusters do (en_US.UTF-8): a query that relies on byte order shows up there.
# initdb and postgres refuse to run as root, so as root they run as the postgres user.
set -euo pipefail
cmd=${1:?start|stop}
dir=$(realpath -m "${2:?data directory}")

bindir=""
for candidate in "$(command -v pg_ctl 2>/dev/null || true)" /usr/lib/postgresql/*/bin/pg_ctl; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then bindir=$(dirname "$candidate"); break; fi
done
if [ -z "$bindir" ]; then
  echo "pg-cluster: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
fi
# Debian's /usr/bin wrappers need a cluster config; use the real binaries next to postgres.
if [ ! -x "$bindir/postgres" ]; then bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1); fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    port=${3:?port}
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
    if [ ! -f "$dir/PG_VERSION" ]; then
      locale=(--locale=C.UTF-8)
      if [ -n "${PG_CLUSTER_ICU_LOCALE:-}" ]; then
        locale+=(--locale-provider=icu "--icu-locale=$PG_CLUSTER_ICU_LOCALE")
      fi
      as_owner "$bindir/initdb" -D "$dir" -U postgres -A trust -E UTF8 "${locale[@]}" >"$dir.initdb.log" 2>&1 ||
        { cat "$dir.initdb.log" >&2; exit 1; }
    fi
    as_owner "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    if [ -f "$dir/postmaster.pid" ]; then as_owner "$bindir/pg_ctl" -D "$dir" -m fast -w stop >/dev/null; fi
    ;;
  *)
    echo "usage: $0 start DIR PORT | stop DIR" >&2
    exit 2
    ;;
esac
