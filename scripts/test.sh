#!/usr/bin/env bash
# Every test: type check, lint, unit, integration (real PostgreSQL and Redis), end-to-end (real browser) and 60 s of
# chaos (faults under load, every invariant checked after).
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

# A whole host lost mid-sale: 2 shop hosts in network namespaces behind HAProxy, on a 3-master Redis Cluster with a
# replica each (its own ports, 7100–7105, stopped however this step ends). Network namespaces need root.
if [[ $(id -u) == 0 ]]; then
  step "A host lost mid-sale: 1,000 shoppers through HAProxy against 2 hosts on a Redis Cluster, one host killed -9"
  bash scripts/cluster/up.sh --first-port 7100 >/dev/null
  trap 'bash scripts/cluster/down.sh --first-port 7100 >/dev/null 2>&1 || true' EXIT
  npm run --silent chaos:host-loss -- --redis-cluster-nodes 127.0.0.1:7100,127.0.0.1:7101,127.0.0.1:7102
  bash scripts/cluster/down.sh --first-port 7100 >/dev/null
  trap - EXIT
else
  step "A host lost mid-sale: not run (network namespaces need root; see the README for what runs without it)"
fi

# Last, on its own: as root it restarts PostgreSQL and Redis, which nothing else may be using by then.
step "Chaos: 60 s of load while workers are killed, PostgreSQL restarted, Redis wiped and restarted"
npm run --silent chaos -- --duration 60

printf '\n\033[1;32m✓ All tests passed in %ss\033[0m\n' "$((SECONDS - started))"
