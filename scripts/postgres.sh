#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for tests and benches, from Debian's `postgresql` package.
#   scripts/postgres.sh start [port]   initdb (once) + start; prints the postgres:// URL for EXA_WEBHOOKS_TEST_POSTGRES.
#                                      A new cluster whose port something else holds moves to the next free one
#                                      (10 tried): the URL names its port, which stop/restart/pause then take.
#   scripts/postgres.sh stop  [port]   stop and delete the cluster
#   scripts/postgres.sh restart [port] restart it; `pause` stops it and keeps its data (the store's fault tests)
# PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres` user in a data dir it owns.
# Trust authentication on 127.0.0.1 only: it is a test cluster with nothing in it worth protecting.
set -euo pipefail
action=${1:-}
# The default sits below Linux's ephemeral range (32768-60999), where any outgoing connection may hold a port.
port=${2:-${EXA_WEBHOOKS_PG_PORT:-25432}}
PORTS_TRIED=10
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[[ -n "$bin" && -x "$bin/pg_ctl" ]] || { echo "postgres.sh: no PostgreSQL server found; apt-get install postgresql" >&2; exit 1; }
data_of() { echo "${TMPDIR:-/tmp}/exa-webhooks-mcp-pg-$1"; }
data=$(data_of "$port")
as_owner() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
url_of() { echo "postgres://postgres@127.0.0.1:$1/postgres"; }
url=$(url_of "$port")
# Starts the cluster of one port (initdb the first time); its server log's last lines on stderr when it cannot.
start_on() {
  local data
  data=$(data_of "$1")
  if [[ ! -f "$data/PG_VERSION" ]]; then
    mkdir -p "$data"
    [[ $(id -u) == 0 ]] && chown postgres:postgres "$data"
    chmod 700 "$data"
    as_owner "$bin/initdb" -D "$data" -U postgres -A trust --no-sync -E UTF8 >/dev/null
  fi
  as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1 && return 0
  as_owner "$bin/pg_ctl" -D "$data" -w -l "$data/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $1 -k $data -c fsync=off -c full_page_writes=off" start >/dev/null && return 0
  echo "postgres.sh: PostgreSQL did not start on 127.0.0.1:$1; its log says:" >&2
  tail -n 5 "$data/server.log" >&2
  return 1
}
stop_on() {
  local data
  data=$(data_of "$1")
  if [[ -f "$data/PG_VERSION" ]]; then
    as_owner "$bin/pg_ctl" -D "$data" -w -m fast stop >/dev/null 2>&1 || true
    rm -rf "$data"
  fi
}
case "$action" in
  start)
    # A cluster that exists (started before, or paused) starts where its data is, or not at all.
    if [[ -f "$data/PG_VERSION" ]]; then
      start_on "$port" || exit 1
      echo "$url"
      exit 0
    fi
    for ((candidate = port; candidate < port + PORTS_TRIED; candidate++)); do
      # Another run's cluster in this TMPDIR: not ours to start or delete.
      [[ -e $(data_of "$candidate") ]] && continue
      if start_on "$candidate"; then
        url_of "$candidate"
        exit 0
      fi
      stop_on "$candidate"
    done
    echo "postgres.sh: no cluster started on ports $port-$((port + PORTS_TRIED - 1))" >&2
    exit 1
    ;;
  restart)
    as_owner "$bin/pg_ctl" -D "$data" -w -m fast restart >/dev/null
    echo "$url"
    ;;
  pause)
    as_owner "$bin/pg_ctl" -D "$data" -w -m fast stop >/dev/null
    ;;
  stop)
    stop_on "$port"
    ;;
  *)
    echo "usage: scripts/postgres.sh start|stop|restart|pause [port]" >&2
    exit 2
    ;;
esac
