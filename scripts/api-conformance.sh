#!/usr/bin/env bash
# Drives the real hms-server with schemathesis from openapi.yaml: no request may make it
# answer 5xx, and every answer must match the document (status, headers, body schema).
# Usage: scripts/api-conformance.sh [path-to-hms-server] (default .build/debug/hms-server)
set -euo pipefail
cd "$(dirname "$0")/.."
server=${1:-.build/debug/hms-server}
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$server" --port "$port" --database-url "$dir/hms.sqlite" --admin-password 'conformance-admin' \
  --jwt-secret 'conformance-secret-conformance-secret-0123' --bcrypt-cost 4 --rate-limit 1000000 \
  --no-show-interval 0 >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
token=$(curl -s -X POST "http://127.0.0.1:$port/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"admin@hms.local","password":"conformance-admin"}' |
  python3 -c 'import sys,json; print(json.load(sys.stdin)["accessToken"])')
schemathesis run openapi.yaml --url "http://127.0.0.1:$port" -H "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --max-examples "${HMS_CONFORMANCE_EXAMPLES:-25}" --seed 1 --no-color
