#!/usr/bin/env bash
# Start (or stop) a scale-out Majlis on one machine: N gunicorn instances, the one search worker and
# JOBS_WORKERS job workers (default 1; on PostgreSQL several may run).
#
#   deploy/start.sh [N]        # N instances on ports BASE_PORT .. BASE_PORT+N-1 (default 2 on 5001..)
#   deploy/start.sh stop
#
# Reads instance/majlis.env (copy deploy/majlis.env.example; instance/ is git-ignored). Logs and pid
# files go to RUN_DIR (instance/run).
# Put nginx in front (deploy/nginx.conf, with one `server` line per instance).
set -euo pipefail
cd "$(dirname "$0")/.."
ENV_FILE="${ENV_FILE:-instance/majlis.env}"
if [ -f "$ENV_FILE" ]; then set -a; . "$ENV_FILE"; set +a; fi
RUN_DIR="${RUN_DIR:-instance/run}"
BASE_PORT="${BASE_PORT:-5001}"
VENV="${VENV:-.venv}"
export SOCKETIO_ASYNC_MODE="${SOCKETIO_ASYNC_MODE:-gevent}" SEARCH_INDEXER="${SEARCH_INDEXER:-worker}" JOBS_RUNNER="${JOBS_RUNNER:-worker}" AUTO_MIGRATE=0
mkdir -p "$RUN_DIR"

stop_all() {  # TERM everything, wait up to 20 s for graceful exits, then KILL what is left
  local pids=()
  for pid_file in "$RUN_DIR"/*.pid; do
    [ -e "$pid_file" ] || continue
    pid="$(cat "$pid_file")"
    kill "$pid" 2>/dev/null && pids+=("$pid") && echo "stopping $(basename "$pid_file" .pid) ($pid)"
    rm -f "$pid_file"
  done
  for _ in $(seq 40); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && return 0
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}

start_one() {  # name, command...
  local name="$1"; shift
  nohup "$@" >"$RUN_DIR/$name.log" 2>&1 &
  echo $! >"$RUN_DIR/$name.pid"
  echo "started $name (pid $!, log $RUN_DIR/$name.log)"
}

if [ "${1:-}" = "stop" ]; then stop_all; exit 0; fi
N="${1:-2}"
: "${DATABASE_URL:?set DATABASE_URL (postgresql+psycopg://...) in $ENV_FILE}"
: "${SOCKETIO_MESSAGE_QUEUE:?set SOCKETIO_MESSAGE_QUEUE (redis://...) in $ENV_FILE}"
: "${SECRET_KEY:?set SECRET_KEY in $ENV_FILE: every instance must sign sessions with the same key}"

"$VENV/bin/flask" --app run prepare   # migrate the schema and seed, once, before any instance serves
start_one search-worker "$VENV/bin/flask" --app run search worker
for j in $(seq 1 "${JOBS_WORKERS:-1}"); do
  start_one "jobs-worker-$j" "$VENV/bin/flask" --app run jobs worker
done
for i in $(seq 0 $((N - 1))); do
  start_one "web-$((BASE_PORT + i))" deploy/instance.sh "$((BASE_PORT + i))"
done
