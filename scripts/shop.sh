#!/usr/bin/env bash
# Runs the whole shop in production mode: services, migrations, demo data, build, web server and every worker.
# Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/load-env-file.sh
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1

step() { printf '\n\033[1;35m[%s/6] %s\033[0m\n' "$1" "$2"; }

step 1 "Checking PostgreSQL and Redis"
bash scripts/ensure-services.sh

step 2 "Configuration"
node scripts/ensure-env-file.mjs
load_env_file .env.local
# Production mode for the web server and the workers alike (server/env.ts is strict there). The demo is served over
# plain http on this machine; a real deployment sets an https APP_URL and leaves ALLOW_HTTP_APP_URL unset.
export NODE_ENV=production
if [[ $APP_URL == http://* ]]; then export ALLOW_HTTP_APP_URL=${ALLOW_HTTP_APP_URL:-true}; fi
port=$(node -e 'console.log(new URL(process.argv[1]).port || 3000)' "$APP_URL")

step 3 "Migrating the database"
npx tsx scripts/db/migrate.ts

step 4 "Seeding the Cyber Monday demo (keeps existing data)"
npx tsx scripts/db/seed.ts

step 5 "Building the shop (about a minute)"
npx next build

step 6 "Starting the web server and workers"
banner() {
  for _ in $(seq 1 120); do
    if node -e "fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))" "http://127.0.0.1:$port/"; then
      cat <<MSG

  🦄  Unicorn Retail is open at $APP_URL

  Demo logins (password: cybermonday)
    ada@unicorn.test     customer, \$1,000.00 in the wallet
    pat@unicorn.test     customer, \$90.00 (too little for the Classic Unicorn), 250 points expiring soon
    admin@unicorn.test   shop operator

  npm run db:reset puts the shop back to 5 Classic Unicorns. Ctrl-C stops everything.

MSG
      return
    fi
    sleep 1
  done
}
banner &
# The front door (HAProxy, scripts/front/) takes the shop's port and keeps the pages that are the same for everyone in
# its cache; the web server listens behind it on the next port, on 127.0.0.1 only, and reads the shopper's address
# from the one proxy in front. Without HAProxy (not root, not Debian) the web server takes the port itself.
web_processes=${WEB_PROCESSES:-2}
if front_config=$(npx tsx scripts/front/write-config.ts --port "$port" --web-port "$((port + 1))"); then
  export TRUSTED_PROXY_HOPS=$(( ${TRUSTED_PROXY_HOPS:-0} + 1 ))
  names=front,web,workers colors=yellow,magenta,cyan
  front=("haproxy -db -f $front_config" "node --import tsx server/http/serve.ts --hostname 127.0.0.1 --port $((port + 1)) --processes $web_processes")
else
  printf '\033[33m  The shop runs without its front door and page cache (above: what to install).\033[0m\n'
  names=web,workers colors=magenta,cyan
  front=("node --import tsx server/http/serve.ts --port $port --processes $web_processes")
fi
# Supervisors, each starting again what dies under it: the web's (Node cluster, serve.ts) and the workers'
# (workers/supervise.ts: restarts with backoff, and kills a worker that stops answering). Ctrl-C stops everything.
exec npx concurrently --kill-others --names "$names" --prefix-colors "$colors" \
  "${front[@]}" \
  "node --import tsx workers/supervise.ts checkout loyalty"
