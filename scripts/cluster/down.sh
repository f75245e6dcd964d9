#!/usr/bin/env bash
# npm run cluster:down [-- the options given to cluster:up]: stops the nodes cluster:up started (by the pids they wrote)
# and removes their files.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/nodes.sh"

if [[ ! -d $dir ]]; then echo "✓ No cluster in $dir"; exit 0; fi
pids=()
for port in $ports; do
  pidfile=$dir/$port/redis.pid
  [[ -f $pidfile ]] || continue
  pid=$(cat "$pidfile")
  # Only a redis-server of this cluster: a pid file outlives its process, and the pid may have been reused.
  if [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "redis-server.*:$port"; then
    kill "$pid" 2>/dev/null && pids+=("$pid")
  fi
done
for pid in "${pids[@]}"; do
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
done
rm -rf "$dir"
echo "✓ Redis Cluster on 127.0.0.1:$first_port–$last_port stopped (${#pids[@]} nodes), $dir removed"
