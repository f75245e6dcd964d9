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
# A production server on plain http: allowed here, where the browser and the shop share the machine.
export ALLOW_HTTP_APP_URL=true
export NEXT_DIST_DIR=${E2E_DIST_DIR:-.next-e2e}
export LOG_LEVEL=warn
# The suite signs up and tops up far more from 127.0.0.1 than the production limits allow (server/limits); the wrong
# sign-ins per account keep the production allowance.
export RATE_LIMIT_SIGN_IN_PER_IP=${RATE_LIMIT_SIGN_IN_PER_IP:-10000/15m}
export RATE_LIMIT_SIGN_UP_PER_IP=${RATE_LIMIT_SIGN_UP_PER_IP:-10000/1h}
export RATE_LIMIT_TOP_UP_PER_CUSTOMER=${RATE_LIMIT_TOP_UP_PER_CUSTOMER:-10000/1h}
# GET /api/metrics exists only with a token (server/metrics); e2e/operations/scrape-metrics.spec.ts scrapes with it.
export METRICS_TOKEN=${METRICS_TOKEN:-e2e-metrics-token-not-a-secret}

echo "▸ Preparing the e2e database"
npx tsx scripts/db/migrate.ts
# The journeys buy the Classic Unicorn again and again with the same demo accounts: its limit of 1 per customer is
# lifted here (the integration tests test it).
npx tsx scripts/db/reset.ts --without-purchase-limits
node -e 'new (require("ioredis").Redis)(process.env.REDIS_URL).flushdb().then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); })'

echo "▸ Building the shop for the e2e run"
build_log=/tmp/unicorn-e2e-build-$E2E_PORT.log
npx next build >"$build_log" 2>&1 || { cat "$build_log"; exit 1; }

# The worker processes: without a checkout worker no checkout gets past "running", without a loyalty worker no point
# is ever awarded. Each gets a process group of its own (setsid) so that stopping it reaches npx, tsx and the worker's
# node together, each signalled once; they are stopped however this script ends: success, failure or Ctrl-C.
declare -A worker_pids=()
launcher=()
worker_group=false
if command -v setsid >/dev/null; then launcher=(setsid); worker_group=true; fi
worker_log() { echo "/tmp/unicorn-e2e-$1-worker-$E2E_PORT.log"; }
# Anything of a worker still running: any process of its group (npx exits first on a signal, the worker last).
worker_alive() {
  local pid=${worker_pids[$1]}
  if [[ $worker_group == true ]]; then kill -0 -- "-$pid" 2>/dev/null; else kill -0 "$pid" 2>/dev/null; fi
}
signal_worker() {
  local pid=${worker_pids[$1]}
  if [[ $worker_group == true ]]; then kill "-$2" -- "-$pid" 2>/dev/null || true; else kill "-$2" "$pid" 2>/dev/null || true; fi
}
# Asks every worker to stop at once; each finishes its active jobs first (see workers/run-worker-process.ts), and
# whatever still runs after 15 s is killed.
stop_workers() {
  local name
  for name in "${!worker_pids[@]}"; do worker_alive "$name" && signal_worker "$name" TERM; done
  for _ in $(seq 1 150); do
    local running=false
    for name in "${!worker_pids[@]}"; do worker_alive "$name" && running=true; done
    [[ $running == true ]] || break
    sleep 0.1
  done
  for name in "${!worker_pids[@]}"; do
    if worker_alive "$name"; then
      echo "✗ The $name worker did not stop within 15 s: killing it" >&2
      signal_worker "$name" KILL
    fi
    unset "worker_pids[$name]"
  done
}
on_exit() {
  local status=$? name
  if [[ $status -ne 0 ]]; then
    for name in "${!worker_pids[@]}"; do echo "  (the $name worker's log: $(worker_log "$name"))"; done
  fi
  stop_workers
  exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# describe_machine <session id>: what ran when a worker did not start: its processes, the load, the busiest ones.
describe_machine() {
  echo "  (the worker's processes:)"
  ps -o pid,stat,etime,time,rss,args -s "$1" 2>/dev/null | sed 's/^/    /' || true
  echo "  (load: $(cut -d' ' -f1-3 /proc/loadavg); the busiest processes:)"
  ps -eo pid,pcpu,rss,etime,args --sort=-pcpu 2>/dev/null | head -8 | cut -c1-160 | sed 's/^/    /' || true
}

# launch_worker <name> [VAR=value ...]: starts workers/<name>.ts in the background with its own settings on top of
# the same environment (info logs, so that its start can be seen).
launch_worker() {
  local name=$1
  shift
  env LOG_LEVEL=info "$@" "${launcher[@]}" node --import tsx "workers/$name.ts" >"$(worker_log "$name")" 2>&1 </dev/null &
  worker_pids[$name]=$!
}

# wait_for_worker <name> <seconds> <what it must have printed>: 0 once it has, 1 when the time is up; exits the script
# when the worker has stopped.
wait_for_worker() {
  local name=$1 deadline=$((SECONDS + $2)) log
  log=$(worker_log "$name")
  while ((SECONDS < deadline)); do
    grep -q "$3" "$log" 2>/dev/null && return 0
    if ! kill -0 "${worker_pids[$name]}" 2>/dev/null; then
      echo "✗ The $name worker stopped before it started:" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.1
  done
  grep -q "$3" "$log" 2>/dev/null
}

# start_worker <name> [VAR=value ...]: launches the worker and waits until it says it has started. One CI run saw a
# worker print nothing at all for 60 s (it never reached our code; it starts in 2 s here): a worker still silent after
# 30 s is described, stopped and launched once more, so that a stuck launcher is reported rather than fatal.
start_worker() {
  local name=$1
  echo "▸ Starting a $name worker"
  launch_worker "$@"
  if ! wait_for_worker "$name" 30 '"Worker process starting"'; then
    echo "⚠ The $name worker printed nothing in 30 s; launching it again. What was running:" >&2
    describe_machine "${worker_pids[$name]}" >&2
    signal_worker "$name" KILL
    launch_worker "$@"
    wait_for_worker "$name" 30 '"Worker process starting"' || true
  fi
  if ! wait_for_worker "$name" 60 '"Worker process started"'; then
    echo "✗ The $name worker did not start within 60 s:" >&2
    cat "$(worker_log "$name")" >&2
    describe_machine "${worker_pids[$name]}" >&2
    exit 1
  fi
  echo "✓ The $name worker ${worker_pids[$name]} is running (log: $(worker_log "$name"))"
}

# Fault injection allowed (tests arrange faults), a quick recovery sweep and outbox relay.
start_worker checkout SHOP_MODE=test SAGA_SWEEP_INTERVAL_MS=500 OUTBOX_RELAY_INTERVAL_MS=200
# Projections brought up to date every 200 ms: a purchase shows on the points dashboard within about a second.
start_worker loyalty LOYALTY_PROJECTION_INTERVAL_MS=200

echo "▸ Running Playwright"
npx playwright test "$@"
