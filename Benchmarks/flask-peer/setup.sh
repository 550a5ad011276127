#!/usr/bin/env bash
# Makes the Flask peer's venv (.build/flask-peer-venv: Flask, gunicorn, PyJWT from PyPI) that
# `hms-bench --flask-peer` runs; idempotent. The peer is a benchmark, not part of the test suite.
set -euo pipefail
venv="$(cd "$(dirname "$0")/../.." && pwd)/.build/flask-peer-venv"
"$venv/bin/python" -c 'import flask, gunicorn, jwt' 2>/dev/null && exit 0
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check flask gunicorn pyjwt
