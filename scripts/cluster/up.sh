#!/usr/bin/env bash
# npm run cluster:up [-- --first-port 7001 --masters 3 --replicas 1 --node-timeout 2000 --dir DIR]
# A local Redis Cluster of Debian's redis-server: 3 masters with a replica each on 127.0.0.1:7001–7006, nothing kept
# on disk, replicas taking over after --node-timeout ms. Waits until the cluster is ok, then prints the
# REDIS_CLUSTER_NODES to use. As root on Debian it installs redis-server and redis-tools when missing.
# `npm run cluster:down` (same options) stops the nodes and removes their files.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/nodes.sh"

fail() { printf '\033[31m✗ %s\033[0m\n' "$*" >&2; exit 1; }
say() { printf '\033[1m▸ %s\033[0m\n' "$*"; }

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    fail "redis-server and redis-cli are needed. On Debian/Ubuntu, as root: apt-get update && apt-get install -y redis-server redis-tools"
  fi
  say "Installing redis-server and redis-tools from Debian's packages…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-tools >/dev/null
fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
cluster_ok() { redis-cli -p "$1" cluster info 2>/dev/null | grep -q '^cluster_state:ok'; }

for port in $ports; do
  if port_open "$port"; then
    if [[ -f $dir/$port/redis.pid ]] && cluster_ok "$port"; then
      echo "✓ The cluster in $dir is up already"
      echo "REDIS_CLUSTER_NODES=$(nodes_list)"
      exit 0
    fi
    fail "Port $port is in use by something else: pick other ports with --first-port"
  fi
done

# A node that fails to start leaves the others running: stop them all again rather than leave half a cluster.
started=false
trap '[[ $started == true ]] || bash "$here/down.sh" --first-port "$first_port" --masters "$masters" --replicas "$replicas" --dir "$dir" >/dev/null 2>&1 || true' EXIT

say "Starting $node_count Redis nodes on 127.0.0.1:$first_port–$last_port (files in $dir)…"
rm -rf "$dir"
for port in $ports; do
  mkdir -p "$dir/$port"
  # Nothing on disk (PostgreSQL is the source of truth); cluster-require-full-coverage no: while one shard fails over,
  # the others keep answering; replica-validity-factor 0: a replica may always take over from its dead master.
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes \
    --dir "$dir/$port" --pidfile "$dir/$port/redis.pid" --logfile "$dir/$port/redis.log" \
    --save "" --appendonly no --maxmemory-policy noeviction \
    --cluster-enabled yes --cluster-config-file "$dir/$port/nodes.conf" --cluster-node-timeout "$node_timeout" \
    --cluster-require-full-coverage no --cluster-replica-validity-factor 0
done
for port in $ports; do
  for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$port" ping >/dev/null 2>&1 || fail "The node on port $port did not start: see $dir/$port/redis.log"
done

say "Creating the cluster ($masters masters, $replicas replica(s) each)…"
# shellcheck disable=SC2046
redis-cli --cluster create $(for port in $ports; do printf '127.0.0.1:%s ' "$port"; done) \
  --cluster-replicas "$replicas" --cluster-yes >"$dir/create.log" 2>&1 || fail "redis-cli --cluster create failed: see $dir/create.log"

for _ in $(seq 1 100); do
  all_ok=true
  for port in $ports; do cluster_ok "$port" || { all_ok=false; break; }; done
  replica_count=$(redis-cli -p "$first_port" cluster nodes 2>/dev/null | grep -c ' slave ' || true)
  [[ $all_ok == true && $replica_count -eq $(( masters * replicas )) ]] && break
  sleep 0.2
done
[[ $all_ok == true ]] || fail "The cluster did not reach cluster_state:ok: see $dir/*/redis.log"
started=true

echo "✓ Redis Cluster up: $masters masters, $(( masters * replicas )) replicas, cluster-node-timeout ${node_timeout} ms"
echo "REDIS_CLUSTER_NODES=$(nodes_list)"
