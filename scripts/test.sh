#!/usr/bin/env bash
# The whole test suite: installs what is missing, checks that the core stays portable
# (scripts/check-core-portability.sh), checks the design tokens' forms and contrast
# (scripts/check-tokens.py), checks the web console (scripts/check-console.sh: tsc --checkJs,
# size), checks the OpenAPI document, builds the binaries the CLI tests run, drives the real
# server with schemathesis from openapi.yaml and the console in headless Chromium
# (scripts/browser-tests.py, screenshots in test-artifacts/screenshots/), then runs every
# Swift test. Give HMS_TEST_FILTER to narrow the Swift tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh --test
scripts/check-core-portability.sh
python3 scripts/check-tokens.py
scripts/check-console.sh
python3 scripts/validate-openapi.py
swift build --build-tests
scripts/api-conformance.sh .build/debug/hms-server
python3 scripts/browser-tests.py --server .build/debug/hms-server --timeout 240
if [ -n "${HMS_TEST_FILTER:-}" ]; then
  swift test --skip-build --filter "$HMS_TEST_FILTER"
else
  swift test --skip-build
fi
