#!/usr/bin/env bash
# `make run`: the background-job worker (manage.py db_worker: imports, exports) beside gunicorn, so the embedded
# default needs no other service; stopping the server stops the worker. Arguments go to gunicorn.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python manage.py db_worker &
WORKER=$!
trap 'kill "$WORKER" 2>/dev/null || true' EXIT INT TERM
.venv/bin/gunicorn "$@"
