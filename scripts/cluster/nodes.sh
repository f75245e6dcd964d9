# Shared by up.sh and down.sh: which local ports and which directory a cluster uses. Sourced, not run.
#   --first-port N   first port (default 7001, or CLUSTER_FIRST_PORT); the nodes take N … N+5 with the defaults
#   --masters N      masters (default 3); each gets --replicas replicas (default 1)
#   --dir DIR        where the nodes keep their config, pid and log (default $TMPDIR/unicorn-redis-cluster-<first port>)
#   --node-timeout MS  cluster-node-timeout: how long a master may be silent before its replica takes over (default 2000)

first_port=${CLUSTER_FIRST_PORT:-7001}
masters=3
replicas=1
node_timeout=2000
dir=""

while [[ $# -gt 0 ]]; do
  case "$1" in
    --first-port) first_port=$2; shift 2 ;;
    --masters) masters=$2; shift 2 ;;
    --replicas) replicas=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --node-timeout) node_timeout=$2; shift 2 ;;
    -h|--help) sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "Unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

for value in "$first_port" "$masters" "$replicas" "$node_timeout"; do
  [[ $value =~ ^[0-9]+$ ]] || { echo "Options take whole numbers (got \"$value\")" >&2; exit 2; }
done
(( masters >= 3 )) || { echo "A Redis Cluster needs at least 3 masters" >&2; exit 2; }

node_count=$(( masters * (1 + replicas) ))
last_port=$(( first_port + node_count - 1 ))
(( first_port >= 1024 && last_port <= 55535 )) || { echo "Ports $first_port–$last_port are out of range (1024–55535: a node also listens on port+10000)" >&2; exit 2; }
ports=$(seq "$first_port" "$last_port")
dir=${dir:-${TMPDIR:-/tmp}/unicorn-redis-cluster-$first_port}

nodes_list() { local out=() port; for port in $ports; do out+=("127.0.0.1:$port"); done; (IFS=,; echo "${out[*]}"); }
