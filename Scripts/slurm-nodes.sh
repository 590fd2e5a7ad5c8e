#!/usr/bin/env bash
# A Slurm cluster of N real nodes on this one machine, for trying `cpuplay fleet plan` across nodes.
#
#   Scripts/slurm-nodes.sh up N [DIR]      start munged, slurmctld and N slurmd nodes n1..nN
#   Scripts/slurm-nodes.sh down N [DIR]    stop everything `up` started, by pid
#   Scripts/slurm-nodes.sh lose NAME [DIR] SIGKILL every process of one node (a node lost mid-run)
#
# Each node is one slurmd in its own UTS namespace (its hostname is its node name) and mount
# namespace (DIR/nodes/NAME is bind-mounted on DIR/local, the node-local folder sbcast writes
# to), started under taskset on its share of the CPUs so every task inherits that node's CPUs
# (TaskPlugin=task/none: Slurm itself binds nothing). Node i listens on 127.0.0.(10+i) with a
# port of its own and runs a prometheus-node-exporter on that address, labelled by Prometheus
# as that node's instance. Only loopback is used. Needs root (munged runs as user munge).
#
# DIR defaults to ${TMPDIR:-/tmp}/cpuplay-slurm-nodes. Environment:
#   SLURM_NODES_PORT   base port (default 17000): slurmctld base, node i base+10+i, exporter base+200+i
#   SLURM_NODES_CPUS   each node's CPU list, space-separated (default: one allowed CPU each, in turn)
#   SLURM_NODES_TIMEOUT  SlurmdTimeout in seconds (default 10: a lost node is DOWN within ~15 s)
# `up` writes DIR/env (source it for sbatch/squeue) and DIR/nodes.txt (for `fleet plan --nodes-file`),
# and prints how long bringing the cluster up took; `down` prints how long stopping took.
set -euo pipefail

die() { echo "slurm-nodes: $*" >&2; exit 1; }
usage() { die "usage: $0 up N [DIR] | down N [DIR] | lose NAME [DIR]"; }
now_ms() { date +%s%3N; }

[ $# -ge 2 ] || usage
cmd=$1 arg=$2
dir=${3:-${TMPDIR:-/tmp}/cpuplay-slurm-nodes}
port=${SLURM_NODES_PORT:-17000}
case $port in ''|*[!0-9]*) die "SLURM_NODES_PORT '$port': expected a port number such as 17000";; esac
[ "$port" -ge 1024 ] && [ "$port" -le 64000 ] || die "SLURM_NODES_PORT $port: expected 1024 to 64000"

# The CPUs this shell may use, one id a line (Cpus_allowed_list: "0-1,4").
allowed_cpus() {
  local list
  list=$(awk '/^Cpus_allowed_list:/ {print $2}' /proc/self/status)
  local IFS=,
  for r in $list; do
    if [[ $r == *-* ]]; then seq "${r%-*}" "${r#*-}"; else echo "$r"; fi
  done
}

# Pids whose UTS namespace is `ns` (a node's processes: slurmd, slurmstepd, tasks, exporter).
# One `ls` for all of /proc: a readlink per process is thousands of forks on a busy machine.
pids_in_ns() {
  ls -l /proc/[0-9]*/ns/uts 2>/dev/null | awk -v ns="$1" '$NF == ns { split($(NF - 2), a, "/"); print a[3] }'
  return 0
}

# A pid that is running (a zombie, such as an exporter whose parent slurmd still runs, is not).
alive() { [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

# SIGTERM every pid given at once, wait up to 8 s for all, then SIGKILL what is left.
stop_pids() {
  local p i left
  for p in "$@"; do kill "$p" 2>/dev/null || true; done
  for i in $(seq 80); do
    left=0
    for p in "$@"; do alive "$p" && left=1; done
    [ $left = 0 ] && return 0
    sleep 0.1
  done
  for p in "$@"; do alive "$p" && kill -9 "$p" 2>/dev/null; done
  return 0
}

write_conf() {
  local n=$1 host i
  host=$(hostname -s)
  cat > "$dir/etc/slurm.conf" <<EOF
ClusterName=cpuplaynodes
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.%n.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SchedulerType=sched/backfill
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SlurmctldTimeout=30
SlurmdTimeout=${SLURM_NODES_TIMEOUT:-10}
InactiveLimit=0
KillWait=5
MinJobAge=300
EOF
  for i in $(seq "$n"); do
    echo "NodeName=n$i NodeHostname=n$i NodeAddr=127.0.0.$((10 + i)) Port=$((port + 10 + i)) CPUs=${node_count[$i]} RealMemory=500 State=UNKNOWN" \
      >> "$dir/etc/slurm.conf"
  done
  echo "PartitionName=cpuplay Nodes=n[1-$n] Default=YES MaxTime=INFINITE State=UP" >> "$dir/etc/slurm.conf"
}

start_munge() {
  chown munge:munge "$dir/munge"
  chmod 755 "$dir/munge"   # munged: "execute permissions for all required" on the socket's folder
  [ -s "$dir/munge/munge.key" ] || runuser -u munge -- mungekey -c -k "$dir/munge/munge.key"
  runuser -u munge -- munged --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed"
}

# Node i: unshare (UTS + mount), the node-local folder bound on DIR/local, hostname nI, its
# exporter in the background, then slurmd in the foreground, all under taskset on its CPUs.
start_node() {
  local i=$1 cpus=$2 name="n$1" addr="127.0.0.$((10 + $1))"
  mkdir -p "$dir/spool/$name" "$dir/nodes/$name"
  setsid taskset -c "$cpus" unshare --uts --mount --propagation private /bin/sh -c '
    mount --bind "$1/nodes/$2" "$1/local" && hostname "$2" || exit 1
    prometheus-node-exporter --web.listen-address="$3:$4" --collector.disable-defaults --collector.cpu \
      > "$1/log/exporter.$2.log" 2>&1 < /dev/null &
    echo $! > "$1/run/exporter.$2.pid"
    readlink /proc/self/ns/uts > "$1/run/$2.uts"
    exec slurmd -D -f "$1/etc/slurm.conf" -N "$2"' sh "$dir" "$name" "$addr" "$((port + 200 + i))" \
    > "$dir/log/slurmd.$name.out" 2>&1 < /dev/null &
}

up() {
  local n=$1 start i
  case $n in ''|*[!0-9]*) die "N '$n': expected a node count 1 to 50";; esac
  [ "$n" -ge 1 ] && [ "$n" -le 50 ] || die "N $n: expected a node count 1 to 50"
  [ "$(id -u)" -eq 0 ] || die "needs root (munged runs as user munge; unshare and mount need CAP_SYS_ADMIN)"
  [ ! -s "$dir/run/slurmctld.pid" ] || ! kill -0 "$(cat "$dir/run/slurmctld.pid")" 2>/dev/null ||
    die "$dir: a cluster is already up there; run: $0 down $n $dir"
  start=$(now_ms)
  mkdir -p "$dir"/{etc,state,spool,log,run,nodes,local,munge}
  rm -rf "${dir:?}"/state/* "${dir:?}"/run/*
  local -a allowed cpus_of
  mapfile -t allowed < <(allowed_cpus)
  read -r -a given <<< "${SLURM_NODES_CPUS:-}"
  node_count=()
  for i in $(seq "$n"); do
    cpus_of[$i]=${given[$((i - 1))]:-${allowed[$(((i - 1) % ${#allowed[@]}))]}}
    node_count[$i]=$(taskset -c "${cpus_of[$i]}" sh -c 'nproc') || die "SLURM_NODES_CPUS: node $i's CPUs '${cpus_of[$i]}' are not allowed here"
  done
  write_conf "$n"
  : > "$dir/nodes.txt"
  for i in $(seq "$n"); do
    echo "n$i ${node_count[$i]} 127.0.0.$((10 + i)):$((port + 200 + i)) ${cpus_of[$i]}" >> "$dir/nodes.txt"
  done
  printf 'export SLURM_CONF=%q\n' "$dir/etc/slurm.conf" > "$dir/env"
  export SLURM_CONF=$dir/etc/slurm.conf
  start_munge
  setsid slurmctld -D -i -f "$SLURM_CONF" > "$dir/log/slurmctld.out" 2>&1 < /dev/null &
  echo $! > "$dir/run/slurmctld.launcher.pid"
  for i in $(seq "$n"); do start_node "$i" "${cpus_of[$i]}"; done
  for i in $(seq 600); do
    [ "$(sinfo -h -N -o '%N %T' 2>/dev/null | grep -c ' idle$')" -ge "$n" ] && break
    [ "$i" -lt 600 ] || { sinfo -N >&2 || true; die "nodes not idle after 60 s; logs in $dir/log"; }
    sleep 0.1
  done
  sinfo -N
  echo "up: $n node(s) idle in $(( $(now_ms) - start )) ms; run: source $dir/env"
}

down() {
  local start f ns p
  start=$(now_ms)
  [ -d "$dir/run" ] || die "$dir: no cluster there (no run folder)"
  # Every node's processes (slurmd, exporter, and slurmstepd and tasks a lost slurmd orphaned) by pid.
  local -a pids=()
  for f in "$dir"/run/slurmd.n*.pid "$dir"/run/exporter.n*.pid "$dir/run/slurmctld.pid" "$dir/munge/munged.pid"; do
    [ -s "$f" ] || continue
    p=$(cat "$f")
    # Only a pid that is still the daemon its file names (a pid file left by a lost node may be reused).
    case "$(cat "/proc/$p/comm" 2>/dev/null)" in slurmd|slurmctld|munged|prometheus-node) pids+=("$p") ;; esac
  done
  stop_pids "${pids[@]}"
  for f in "$dir"/run/n*.uts; do
    [ -s "$f" ] || continue
    ns=$(cat "$f")
    for p in $(pids_in_ns "$ns"); do kill -9 "$p" 2>/dev/null || true; done
  done
  rm -f "$dir"/run/*.pid "$dir/munge/munged.pid"
  echo "down: stopped in $(( $(now_ms) - start )) ms"
}

# A node lost: every process in its UTS namespace killed at once (slurmd, slurmstepd, tasks, exporter).
lose() {
  local name=$1 ns p count=0
  [ -s "$dir/run/$name.uts" ] || die "node '$name': not a node of the cluster in $dir"
  ns=$(cat "$dir/run/$name.uts")
  for p in $(pids_in_ns "$ns"); do kill -9 "$p" 2>/dev/null && count=$((count + 1)); done
  rm -f "$dir/run/slurmd.$name.pid" "$dir/run/exporter.$name.pid"
  echo "lose: $name: killed $count process(es)"
}

case $cmd in
  up) up "$arg" ;;
  down) down ;;
  lose) lose "$arg" ;;
  *) usage ;;
esac
