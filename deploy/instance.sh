#!/usr/bin/env bash
# One Majlis server process: gunicorn, one gevent worker with WebSocket support, on 127.0.0.1:PORT.
#
#   deploy/instance.sh 5001
#
# Flask-SocketIO needs exactly one worker per gunicorn (its load balancing is not sticky); run more
# instances on more ports behind nginx `ip_hash` instead (deploy/nginx.conf, deploy/start.sh).
# With gevent-websocket installed (requirements.txt), Flask-SocketIO's gevent mode needs its worker
# class; `-k gevent` alone would serve long-polling but refuse the WebSocket upgrade.
# --no-control-socket (gunicorn >= 25): instances on one machine would otherwise share ~/.gunicorn/gunicorn.ctl.
# The environment (instance/majlis.env, loaded by deploy/start.sh) must set SOCKETIO_ASYNC_MODE=gevent and a redis:// message queue.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:?usage: deploy/instance.sh PORT}"
: "${SOCKETIO_ASYNC_MODE:=gevent}"
export SOCKETIO_ASYNC_MODE PORT
GUNICORN="${VENV:-.venv}/bin/gunicorn"
EXTRA=()
if "$GUNICORN" --help 2>/dev/null | grep -- --no-control-socket >/dev/null; then EXTRA+=(--no-control-socket); fi
exec "$GUNICORN" "${EXTRA[@]}" \
  -k geventwebsocket.gunicorn.workers.GeventWebSocketWorker -w 1 \
  --bind "${BIND_HOST:-127.0.0.1}:${PORT}" \
  --worker-connections "${WORKER_CONNECTIONS:-1000}" \
  --timeout 60 --graceful-timeout 10 \
  --error-logfile - \
  run:app
