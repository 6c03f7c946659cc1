#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for tests and benches, from Debian's `postgresql` package.
#   scripts/postgres.sh start [port]   initdb (once) + start; prints the postgres:// URL for EXA_WEBHOOKS_TEST_POSTGRES
#   scripts/postgres.sh stop  [port]   stop and delete the cluster
#   scripts/postgres.sh restart [port] restart it; `pause` stops it and keeps its data (the store's fault tests)
# PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres` user in a data dir it owns.
# Trust authentication on 127.0.0.1 only: it is a test cluster with nothing in it worth protecting.
set -euo pipefail
action=${1:-}
# The default sits below Linux's ephemeral range (32768-60999), where any outgoing connection may hold a port.
port=${2:-${EXA_WEBHOOKS_PG_PORT:-25432}}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
# Exit status 3: no server installed, so no other port would help (scripts/test.mjs stops trying).
[[ -n "$bin" && -x "$bin/pg_ctl" ]] || { echo "postgres.sh: no PostgreSQL server found; apt-get install postgresql" >&2; exit 3; }
data=${TMPDIR:-/tmp}/exa-webhooks-mcp-pg-$port
as_owner() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
url="postgres://postgres@127.0.0.1:$port/postgres"
case "$action" in
  start)
    if [[ ! -f "$data/PG_VERSION" ]]; then
      mkdir -p "$data"
      [[ $(id -u) == 0 ]] && chown postgres:postgres "$data"
      chmod 700 "$data"
      as_owner "$bin/initdb" -D "$data" -U postgres -A trust --no-sync -E UTF8 >/dev/null
    fi
    if ! as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      if ! as_owner "$bin/pg_ctl" -D "$data" -w -l "$data/server.log" \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off -c full_page_writes=off" start >/dev/null; then
        echo "postgres.sh: PostgreSQL did not start on 127.0.0.1:$port; its log says:" >&2
        tail -n 5 "$data/server.log" >&2
        exit 1
      fi
    fi
    echo "$url"
    ;;
  restart)
    as_owner "$bin/pg_ctl" -D "$data" -w -m fast restart >/dev/null
    echo "$url"
    ;;
  pause)
    as_owner "$bin/pg_ctl" -D "$data" -w -m fast stop >/dev/null
    ;;
  stop)
    if [[ -f "$data/PG_VERSION" ]]; then
      as_owner "$bin/pg_ctl" -D "$data" -w -m fast stop >/dev/null 2>&1 || true
      rm -rf "$data"
    fi
    ;;
  *)
    echo "usage: scripts/postgres.sh start|stop|restart|pause [port]" >&2
    exit 2
    ;;
esac
