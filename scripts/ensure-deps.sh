#!/usr/bin/env bash
# Installs what a fresh machine lacks for building and testing HMS (idempotent, quiet when
# everything is there): libcurl's headers for the client transport and SMTP, SQLite's headers
# for GRDB, and the Python tools the tests drive (an SMTP server, the OpenAPI validator,
# schemathesis). With --test also the FHIR R4 validator (a venv in .build), and the console's tools: Chromium and its driver for the browser
# tests (with selenium from PyPI), Debian's TypeScript for `tsc --checkJs`, and PostgreSQL 15
# for the store tests (scripts/start-postgres.sh).
set -euo pipefail

missing=()
packages=(libcurl4-openssl-dev libsqlite3-dev)
[ "${1:-}" = "--test" ] && packages+=(chromium chromium-driver node-typescript postgresql-15 python3-venv)
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "ensure-deps: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--test" ]; then
  python3 - <<'PY' 2>/dev/null || { echo "ensure-deps: installing Python test tools" >&2; python3 -m pip install -q --disable-pip-version-check aiosmtpd openapi-spec-validator pyyaml; }
import aiosmtpd, openapi_spec_validator, yaml
PY
  python3 -c 'import selenium' 2>/dev/null || { echo "ensure-deps: installing selenium" >&2; python3 -m pip install -q --disable-pip-version-check selenium; }
  command -v schemathesis >/dev/null || { echo "ensure-deps: installing schemathesis" >&2; python3 -m pip install -q --disable-pip-version-check schemathesis; }
  # The FHIR R4 validator: fhir.resources 6.5 is the last release whose models are R4 (4.0.1);
  # it needs pydantic 1, so it lives in a venv of its own (scripts/fhir-tests.py runs there).
  venv="$(dirname "$0")/../.build/fhir-r4-venv"
  "$venv/bin/python" -c 'import fhir.resources' 2>/dev/null || {
    echo "ensure-deps: installing the FHIR R4 validator (fhir.resources 6.5.0) in $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "fhir.resources==6.5.0" "pydantic<2"
  }
fi
