#!/usr/bin/env bash
# Drives the real hms-server with schemathesis from openapi.yaml: no request may make it
# answer 5xx, and every answer must match the document (status, headers, body schema).
# Usage: scripts/api-conformance.sh [path-to-hms-server] (default .build/debug/hms-server)
#
# Three kinds of passes (role passes first, see below), each bounded by an example count so the whole run takes well under
# two minutes on two cores:
#   positive  well-formed requests (HMS_CONFORMANCE_EXAMPLES per operation, default 25);
#   negative  malformed requests: wrong types, missing or extra fields, bad formats, values
#             past every documented limit (HMS_CONFORMANCE_NEGATIVE_EXAMPLES, default 60).
#             They must be refused with a documented 4xx, never a 5xx;
#   roles     doctor-only and patient-only operations again with a doctor's and a patient's
#             token, positive and negative, so their bodies reach the handlers (as the admin
#             they stop at 403).
# HMS_CONFORMANCE_STRICT=1 adds schemathesis' negative_data_rejection check: every request
# the document calls invalid must be refused (not only "no 5xx"). It is off by default because
# a few documented rules can't be said exactly in JSON Schema (byte limits, push mutations
# that are rejected one by one inside a 200).
set -euo pipefail
cd "$(dirname "$0")/.."
server=${1:-.build/debug/hms-server}
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
"$server" --port "$port" --database-url "$dir/hms.sqlite" --admin-password 'conformance-admin' \
  --jwt-secret 'conformance-secret-conformance-secret-0123' --bcrypt-cost 4 --rate-limit 1000000 \
  --no-show-interval 0 >"$dir/server.log" 2>&1 &
pid=$!
finish() {
  status=$?
  kill $pid 2>/dev/null; wait $pid 2>/dev/null
  if [ $status -ne 0 ]; then
    echo "api-conformance: failed; the server's last 5xx and error lines:" >&2
    grep -E 'status=5[0-9][0-9]|error|critical' "$dir/server.log" | tail -n 40 >&2 || true
  fi
  rm -rf "$dir"
}
trap finish EXIT
for _ in $(seq 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done

json() { curl -sf -X POST "$base$1" -H 'Content-Type: application/json' ${3:+-H "Authorization: Bearer $3"} -d "$2"; }
field() { python3 -c "import sys,json; print(json.load(sys.stdin)[\"$1\"])"; }
login() { json /v1/auth/login "{\"email\":\"$1\",\"password\":\"$2\"}" | field accessToken; }

admin=$(login admin@hms.local conformance-admin)
json /v1/admin/doctors '{"name":"Dr Conformance","email":"doctor@conformance.test","password":"doctor-pass-1","specialty":"general"}' "$admin" >/dev/null
json /v1/auth/register '{"name":"Pat Conformance","email":"patient@conformance.test","password":"patient-pass-1"}' >/dev/null
doctor=$(login doctor@conformance.test doctor-pass-1)
patient=$(login patient@conformance.test patient-pass-1)

# schemathesis keeps a crash cache; keep it out of the repository.
printf '[cache]\ndirectory = "%s/schemathesis-cache"\n' "$dir" >"$dir/schemathesis.toml"

# Operation ids, read from the document so new operations are picked up:
#   unnegatable  nothing to make malformed (no parameters but X-Request-Id, no body), which
#                schemathesis' negative mode reports as an error rather than skipping;
#   doctor-only / patient-only  the roles (x-roles) exclude the admin.
ids() {
  python3 - "$1" <<'EOF'
import sys, yaml
doc = yaml.safe_load(open("openapi.yaml"))
want = sys.argv[1]
for path, item in doc["paths"].items():
    shared = item.get("parameters", [])
    for method, op in item.items():
        if method == "parameters":
            continue
        params = [p for p in shared + op.get("parameters", []) if p.get("$ref") != "#/components/parameters/RequestIdHeader"]
        roles = op.get("x-roles", [])
        if (want == "unnegatable" and not params and "requestBody" not in op) or \
           (want in ("doctor", "patient") and roles and "admin" not in roles and want in roles):
            print(op["operationId"])
EOF
}
options() { for id in $(ids "$2"); do printf -- '%s\n%s\n' "$1" "$id"; done; }
mapfile -t skip_unnegatable < <(options --exclude-operation-id unnegatable)
mapfile -t only_doctor < <(options --include-operation-id doctor)
mapfile -t only_patient < <(options --include-operation-id patient)

checks=not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance
[ "${HMS_CONFORMANCE_STRICT:-0}" = 1 ] && negative_checks=$checks,negative_data_rejection || negative_checks=$checks
positive=${HMS_CONFORMANCE_EXAMPLES:-25}
negative=${HMS_CONFORMANCE_NEGATIVE_EXAMPLES:-60}

# Every pass runs, so one CI run shows every failure; the script fails if any pass did.
failed=()
run() {
  local label=$1 token=$2; shift 2
  echo "== api-conformance: $label"
  schemathesis --config-file "$dir/schemathesis.toml" run openapi.yaml --url "$base" \
    -H "Authorization: Bearer $token" --seed 1 --no-color "$@" || failed+=("$label")
}

# The role passes run first: the admin's passes may disable accounts (stateful links from the
# user list), which would leave the doctor's and patient's tokens refused.
if [ ${#only_doctor[@]} -gt 0 ]; then
  run "doctor-only operations, as a doctor" "$doctor" --mode all --checks "$negative_checks" \
    --max-examples "$negative" "${only_doctor[@]}"
fi
if [ ${#only_patient[@]} -gt 0 ]; then
  run "patient-only operations, as a patient" "$patient" --mode all --checks "$negative_checks" \
    --max-examples "$negative" "${only_patient[@]}"
fi
run "positive, as the admin" "$admin" --mode positive --checks "$checks" --max-examples "$positive"
run "negative, as the admin" "$admin" --mode negative --checks "$negative_checks" --max-examples "$negative" \
  "${skip_unnegatable[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  printf 'api-conformance: failed: %s\n' "${failed[@]}" >&2
  exit 1
fi
