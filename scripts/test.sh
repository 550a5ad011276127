#!/usr/bin/env bash
# The whole test suite: installs what is missing, checks that the core stays portable
# (scripts/check-core-portability.sh), checks the design tokens' forms and contrast
# (scripts/check-tokens.py), checks the web console (scripts/check-console.sh: tsc --checkJs,
# size), checks the OpenAPI document, builds the binaries the CLI tests run, drives the real
# server with schemathesis from openapi.yaml and the console in headless Chromium
# (scripts/browser-tests.py, screenshots in test-artifacts/screenshots/) and on a laptop's
# `hms-sync serve` with the server stopped and started again (scripts/serve-browser-tests.py),
# validates every FHIR answer against R4 (scripts/fhir-tests.py, in the venv ensure-deps makes),
# then runs every
# Swift test against a throwaway PostgreSQL 15 (scripts/start-postgres.sh) unless
# HMS_TEST_POSTGRES_URL names one. Give HMS_TEST_FILTER to narrow the Swift tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh --test
scripts/check-core-portability.sh
python3 scripts/check-tokens.py
scripts/check-console.sh
python3 scripts/validate-openapi.py
swift build --build-tests
# The PostgreSQL store tests need a server: a throwaway one unless HMS_TEST_POSTGRES_URL names one.
# Outside CI, without PostgreSQL 15 or root, they skip with a visible line; CI never skips them.
if [ -z "${HMS_TEST_POSTGRES_URL:-}" ]; then
  if [ -x /usr/lib/postgresql/15/bin/initdb ] && [ "$(id -u)" -eq 0 ]; then
    eval "$(scripts/start-postgres.sh)"
    # on a failure, PostgreSQL's own log says what it refused (the tests see only PSQLError)
    trap 'rc=$?; [ $rc -eq 0 ] || { echo "test.sh: PostgreSQL log (last 40 lines):" >&2; tail -n 40 "$HMS_PG_DIR/log" >&2; }; scripts/start-postgres.sh stop "$HMS_PG_DIR"' EXIT
  elif [ -n "${CI:-}" ]; then
    echo "test.sh: CI needs PostgreSQL 15 in /usr/lib/postgresql/15/bin and root to start it, or HMS_TEST_POSTGRES_URL" >&2
    exit 1
  fi
fi
scripts/api-conformance.sh .build/debug/hms-server
python3 scripts/browser-tests.py --server .build/debug/hms-server --timeout 300
.build/fhir-r4-venv/bin/python scripts/fhir-tests.py --server .build/debug/hms-server
python3 scripts/serve-browser-tests.py --server .build/debug/hms-server --sync .build/debug/hms-sync --timeout 300
if [ -n "${HMS_TEST_FILTER:-}" ]; then
  swift test --skip-build --filter "$HMS_TEST_FILTER"
else
  # Three passes, so the suites that measure time (timeouts, rate-limit refills, shutdown
  # deadlines, convergence within a time budget) don't run beside a thousand other cases on two
  # cores: everything else, then the CLI binaries' suites, then the timed suites.
  timed='HardeningTests|RouteIdentityTests|RateLimitTests|LoginThrottleTests|SlowClientTests|SessionHardeningTests|TransportLimitsTests|TransportContractTests|ConvergenceTests|PostgresFoundationTests|GroupCommitTests'
  swift test --skip-build --skip "HMSSyncCLITests|$timed"
  swift test --skip-build --filter HMSSyncCLITests
  swift test --skip-build --filter "$timed"
fi
