#!/usr/bin/env bash
# Makes sure the local services the shop needs are up: PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379,
# and, with --with-browser, what the end-to-end tests need beyond them: Debian's Chromium, and HAProxy (the shop's
# front door, whose page cache e2e/shop/front-door-cache.spec.ts drives).
#   up already            → nothing to do
#   installed but stopped → started
#   absent                → installed from Debian's packages when running as root on Debian/Ubuntu,
#                           otherwise the exact commands to run are printed and the script fails.
set -euo pipefail

with_browser=false
[[ "${1:-}" == "--with-browser" ]] && with_browser=true

say() { printf '\033[1m▸ %s\033[0m\n' "$*"; }
fail() { printf '\033[31m✗ %s\033[0m\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for_port() {
  for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done
  return 1
}

apt_updated=false
install_debian_packages() {
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    fail "$1 is not installed. On Debian/Ubuntu run as root: apt-get update && apt-get install -y ${*:2}"
  fi
  say "Installing ${*:2} from Debian's packages…"
  if [[ $apt_updated == false ]]; then apt-get update -qq; apt_updated=true; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${@:2}" >/dev/null
}

ensure_postgres() {
  if port_open 5432; then echo "✓ PostgreSQL is up on 127.0.0.1:5432"; return; fi
  local fresh=false
  if ! command -v pg_ctlcluster >/dev/null; then
    install_debian_packages PostgreSQL postgresql
    fresh=true
  fi
  say "Starting PostgreSQL…"
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_for_port 5432 || fail "PostgreSQL did not start. Try: pg_ctlcluster --skip-systemctl-redirect $version main start"
  if [[ $fresh == true ]]; then
    # A fresh Debian cluster asks for a password over TCP; the shop's local default URL uses postgres/postgres.
    su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  fi
  echo "✓ PostgreSQL is up on 127.0.0.1:5432"
}

ensure_redis() {
  if port_open 6379; then echo "✓ Redis is up on 127.0.0.1:6379"; return; fi
  command -v redis-server >/dev/null || install_debian_packages Redis redis-server
  say "Starting Redis…"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  # Nothing kept on disk: PostgreSQL is the source of truth and everything in Redis can be rebuilt from it.
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for_port 6379 || fail "Redis did not start. See /var/log/redis/ci.log"
  echo "✓ Redis is up on 127.0.0.1:6379"
}

ensure_chromium() {
  if [[ -x /usr/bin/chromium ]]; then echo "✓ Chromium is installed"; return; fi
  # Playwright cannot download its own browser here; Debian's Chromium is what the tests drive.
  install_debian_packages Chromium chromium
  echo "✓ Chromium is installed"
}

ensure_haproxy() {
  command -v haproxy >/dev/null || install_debian_packages HAProxy haproxy
  echo "✓ HAProxy is installed ($(haproxy -v | head -1 | cut -d' ' -f1-3))"
}

ensure_postgres
ensure_redis
if [[ $with_browser == true ]]; then ensure_chromium; ensure_haproxy; fi
