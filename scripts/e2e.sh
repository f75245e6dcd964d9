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
npx next build >/tmp/unicorn-e2e-build.log 2>&1 || { cat /tmp/unicorn-e2e-build.log; exit 1; }

echo "▸ Running Playwright"
npx playwright test "$@"
