#!/usr/bin/env bash
# Every test: type check, lint, unit, integration (real PostgreSQL and Redis) and end-to-end (real browser).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1

started=$SECONDS
step() { printf '\n\033[1;35m▸ %s\033[0m\n' "$1"; }

step "Services (PostgreSQL, Redis, Chromium)"
bash scripts/ensure-services.sh --with-browser

step "Type check"
npx tsc --noEmit

step "Lint"
npx eslint --max-warnings 0 .

step "Unit and integration tests"
npx vitest run

step "End-to-end tests"
bash scripts/e2e.sh

printf '\n\033[1;32m✓ All tests passed in %ss\033[0m\n' "$((SECONDS - started))"
