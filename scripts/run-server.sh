#!/usr/bin/env bash
# Runs hms-server on 127.0.0.1:8080 with an embedded SQLite database in ./hms-data/.
# Any hms-server flag can be added (e.g. --port 9090); see `swift run hms-server --help`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
exec swift run hms-server "$@"
