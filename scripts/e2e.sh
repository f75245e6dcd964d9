#!/usr/bin/env bash
# End-to-end tests: a production build served by `next start` on its own database and Redis database, driven by
# Playwright in Debian's Chromium. Never touches the demo's data.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
export NODE_ENV=production
# Overridable so two e2e runs can share a machine.
export E2E_PORT=${E2E_PORT:-3100}
export DATABASE_URL=${E2E_DATABASE_URL:-postgresql://postgres:postgres@127.0.0.1:5432/unicorn_retail_e2e}
export REDIS_URL=${E2E_REDIS_URL:-redis://127.0.0.1:6379/2}
export APP_URL=http://localhost:$E2E_PORT
export SESSION_SECRET=${SESSION_SECRET:-$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')}
export NEXT_DIST_DIR=${E2E_DIST_DIR:-.next-e2e}
export LOG_LEVEL=warn

echo "▸ Preparing the e2e database"
npx tsx scripts/db/migrate.ts
npx tsx scripts/db/reset.ts
node -e 'new (require("ioredis").Redis)(process.env.REDIS_URL).flushdb().then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); })'

echo "▸ Building the shop for the e2e run"
build_log=/tmp/unicorn-e2e-build-$E2E_PORT.log
npx next build >"$build_log" 2>&1 || { cat "$build_log"; exit 1; }

# One checkout worker, or no checkout ever gets past "running". It gets a process group of its own (setsid) so that
# stopping it reaches npx, tsx and the worker's node together, each signalled once; it is stopped however this script
# ends: success, failure or Ctrl-C.
worker_log=/tmp/unicorn-e2e-checkout-worker-$E2E_PORT.log
worker_pid=
worker_group=false
# Anything of the worker still running: any process of its group (npx exits first on a signal, the worker last).
worker_alive() {
  if [[ $worker_group == true ]]; then kill -0 -- "-$worker_pid" 2>/dev/null; else kill -0 "$worker_pid" 2>/dev/null; fi
}
signal_worker() {
  if [[ $worker_group == true ]]; then kill "-$1" -- "-$worker_pid" 2>/dev/null || true; else kill "-$1" "$worker_pid" 2>/dev/null || true; fi
}
stop_worker() {
  [[ -n $worker_pid ]] || return 0
  if worker_alive; then
    signal_worker TERM
    # The worker finishes its active jobs first (see workers/run-worker-process.ts); past 15 s it is killed.
    for _ in $(seq 1 150); do worker_alive || break; sleep 0.1; done
    if worker_alive; then
      echo "✗ The checkout worker did not stop within 15 s: killing it" >&2
      signal_worker KILL
    fi
  fi
  worker_pid=
}
on_exit() {
  local status=$?
  stop_worker
  if [[ $status -ne 0 && -f $worker_log ]]; then echo "  (the checkout worker's log: $worker_log)"; fi
  exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "▸ Starting a checkout worker"
# Its own settings on top of the same environment: fault injection allowed (tests arrange faults), a quick recovery
# sweep and outbox relay, and info logs so that its start can be seen.
launcher=()
if command -v setsid >/dev/null; then launcher=(setsid); worker_group=true; fi
SHOP_MODE=test SAGA_SWEEP_INTERVAL_MS=500 OUTBOX_RELAY_INTERVAL_MS=200 LOG_LEVEL=info \
  "${launcher[@]}" node --import tsx workers/checkout.ts >"$worker_log" 2>&1 </dev/null &
worker_pid=$!
for _ in $(seq 1 600); do
  grep -q '"Worker process started"' "$worker_log" 2>/dev/null && break
  if ! kill -0 "$worker_pid" 2>/dev/null; then
    echo "✗ The checkout worker stopped before it started:" >&2
    cat "$worker_log" >&2
    exit 1
  fi
  sleep 0.1
done
grep -q '"Worker process started"' "$worker_log" || { echo "✗ The checkout worker did not start within 60 s:" >&2; cat "$worker_log" >&2; exit 1; }
echo "✓ Checkout worker $worker_pid is running (log: $worker_log)"

echo "▸ Running Playwright"
npx playwright test "$@"
