#!/usr/bin/env bash
# The fleet plan on a real Slurm cluster of N nodes on this machine (Scripts/slurm-nodes.sh):
# RUNS plays of `fleet plan ... --nodes N --cpus-per-node 1`, then one run where node nN is lost
# 2 s after frame 0 while `watch --prometheus` looks at every node's exporter.
#
# Prints one JSON line per run: nodes, per-node t0_unix_s (each node's frame-0 deadline on its
# wall clock), start_skew_s (max - min t0), start_skew_bound_s (that plus the worst frame
# lateness: how far apart frame 0 really began at most), parts, cpus drawn on, job_state; then the node-loss run (job_state, watch_status), the times to
# bring the cluster up and down, and a verdict line with the median start skew.
#
#   Benchmarks/fleet-nodes.sh [RUNS] [N]       (root; CPUPLAY=path/to/cpuplay, default .build/debug/cpuplay)
set -euo pipefail
runs=${1:-5}
n=${2:-2}
root=$(cd "$(dirname "$0")/.." && pwd)
cpuplay=${CPUPLAY:-$root/.build/debug/cpuplay}
[ -x "$cpuplay" ] || { echo "fleet-nodes: $cpuplay not found: swift build first, or set CPUPLAY" >&2; exit 1; }
work=$(mktemp -d /tmp/cpuplay-fleet-nodes.XXXXXX)
chmod 755 "$work"
export SLURM_NODES_PORT=${SLURM_NODES_PORT:-18000}
prom_pid=""
cleanup() {
  [ -n "$prom_pid" ] && kill "$prom_pid" 2>/dev/null && wait "$prom_pid" 2>/dev/null
  "$root/Scripts/slurm-nodes.sh" down "$n" "$work/cluster" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

up_line=$("$root/Scripts/slurm-nodes.sh" up "$n" "$work/cluster" | tail -1)
up_ms=$(sed -n 's/.* idle in \([0-9]*\) ms.*/\1/p' <<< "$up_line")
source "$work/cluster/env"
export PATH="$(dirname "$cpuplay"):$PATH"

# Submits the plan in $1 and waits (at most $2 s) for the job's end; prints the job id.
run_job() {
  local dir=$1 limit=$2 job state i
  job=$(cd "$dir" && sbatch --parsable cpuplay-fleet.sbatch)
  for ((i = 0; i < limit * 5; i++)); do
    state=$(scontrol -o show job "$job" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
    case $state in COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL) break ;; esac
    sleep 0.2
  done
  echo "$job"
}

# One JSON line from a job's reports (python3 reads them; per-node t0 and CPUs).
summarise() {
  python3 - "$@" <<'PY'
import json, os, subprocess, sys
dir, job, run, nodes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
extra = json.loads(sys.argv[5]) if len(sys.argv) > 5 else {}
show = subprocess.run(["scontrol", "-o", "show", "job", job], capture_output=True, text=True).stdout
fields = dict(w.split("=", 1) for w in show.split() if "=" in w)
hosts = subprocess.run(["scontrol", "show", "hostnames", fields.get("NodeList", "")], capture_output=True, text=True).stdout.split()
t0, cpus, parts, late = {}, {}, [], {}
for p in range(nodes):
    path = os.path.join(dir, f"cpuplay-report-{job}-{p}.json")
    name = hosts[p] if p < len(hosts) else f"node{p}"
    if not os.path.exists(path):
        continue
    r = json.load(open(path))
    t0[name], cpus[name], late[name] = r["t0_unix_s"], r["cpus"], r["worst_lateness_s"]
    parts.append({"part": p, "node": name, "region": r["region"], "frames_shown": r["frames_shown"]})
line = {"run": int(run) if run.isdigit() else run, "nodes": nodes, "job": int(job), "job_state": fields.get("JobState"),
        "t0_unix_s": t0, "start_skew_s": round(max(t0.values()) - min(t0.values()), 6) if len(t0) > 1 else None,
        # t0 is each node's frame-0 deadline; a frame's real start is at most its lateness after it.
        "worst_lateness_s": late,
        "start_skew_bound_s": round(max(t0.values()) - min(t0.values()) + max(late.values()), 6) if len(t0) > 1 else None,
        "parts": parts, "cpus": cpus}
line.update(extra)
print(json.dumps(line))
PY
}

skews=()
bounds=()
plan="$work/plan"
mkdir -p "$plan" && chmod 777 "$plan"
"$cpuplay" fleet plan pattern:gradient --nodes "$n" --cpus-per-node 1 --fps 30 --duration 3 --start-lead 3 \
  --max-clock-error 60s --stage-dir "$work/cluster/local" -o "$plan" > /dev/null
for ((r = 1; r <= runs; r++)); do
  job=$(run_job "$plan" 120)
  line=$(summarise "$plan" "$job" "$r" "$n")
  echo "$line"
  skews+=("$(python3 -c 'import json,sys; v=json.loads(sys.argv[1])["start_skew_s"]; print("" if v is None else v)' "$line")")
  bounds+=("$(python3 -c 'import json,sys; v=json.loads(sys.argv[1])["start_skew_bound_s"]; print("" if v is None else v)' "$line")")
done

# Node loss: Prometheus scrapes every node's exporter; nN is lost 2 s after frame 0.
loss="$work/loss"
mkdir -p "$loss" && chmod 777 "$loss"
"$cpuplay" fleet plan pattern:gradient --nodes-file "$work/cluster/nodes.txt" --fps 30 --duration 20 --start-lead 3 \
  --max-clock-error 60s --stage-dir "$work/cluster/local" -o "$loss" > /dev/null
targets=$(awk '{printf "%s'\''%s'\''", (NR > 1 ? ", " : ""), $3}' "$work/cluster/nodes.txt")
printf 'global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: [%s]\n' \
  "$targets" > "$work/prometheus.yml"
prom=127.0.0.1:$((SLURM_NODES_PORT + 300))
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" --web.listen-address="$prom" \
  > "$work/prometheus.log" 2>&1 &
prom_pid=$!
job=$(cd "$loss" && sbatch --parsable cpuplay-fleet.sbatch)
for ((i = 0; i < 300; i++)); do
  start=$(sed -n 's/^frame 0 at //p' "$loss/cpuplay-fleet-$job.log" 2>/dev/null || true)
  [ -n "$start" ] && break
  sleep 0.2
done
[ -n "$start" ] || { echo "fleet-nodes: the node-loss job never printed its start" >&2; exit 1; }
start_s=$(date -d "$start" +%s.%N)
until awk -v t="$start_s" -v now="$(date +%s.%N)" 'BEGIN {exit !(now >= t + 2)}'; do sleep 0.1; done
"$root/Scripts/slurm-nodes.sh" lose "n$n" "$work/cluster" > /dev/null
status=""
for ((i = 0; i < 60; i++)); do
  status=$(COLUMNS=200 LINES=50 "$cpuplay" watch --prometheus "http://$prom" --fleet-layout "$loss/fleet-layout.json" --numbers \
    --count 1 --window 5s 2>&1 | grep -o 'cpuplay watch .*' | tail -1 || true)
  [[ $status == *"no data from n$n"* ]] && break
  sleep 0.5
done
for ((i = 0; i < 450; i++)); do
  state=$(scontrol -o show job "$job" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
  case $state in COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL) break ;; esac
  sleep 0.2
done
said=$(grep -o 'cpuplay-fleet: part(s) .* failed' "$loss/cpuplay-fleet-$job.log" || true)
summarise "$loss" "$job" "node-loss" "$n" "$(python3 -c 'import json,sys; print(json.dumps({"lost_node": sys.argv[1], "watch_status": sys.argv[2], "script_says": sys.argv[3]}))' "n$n" "$status" "$said")"
kill "$prom_pid" 2>/dev/null; wait "$prom_pid" 2>/dev/null || true
prom_pid=""

down_line=$("$root/Scripts/slurm-nodes.sh" down "$n" "$work/cluster" | tail -1)
down_ms=$(sed -n 's/.* in \([0-9]*\) ms.*/\1/p' <<< "$down_line")
median() { printf '%s\n' "$@" | grep -v '^$' | sort -g | awk '{v[NR] = $1} END {if (NR == 0) print "null"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
skew=$(median "${skews[@]}")
bound=$(median "${bounds[@]}")
echo "{\"cluster_up_ms\": $up_ms, \"cluster_down_ms\": $down_ms, \"runs\": $runs, \"start_skew_median_s\": $skew, \"start_skew_bound_median_s\": $bound}"
ms() { [ "$1" = null ] && echo "n/a" || awk -v s="$1" 'BEGIN {printf "%.3f ms", s * 1000}'; }
echo "verdict: $n nodes' frame-0 deadlines were $(ms "$skew") apart and frame 0 began within $(ms "$bound") of each other (medians of $runs runs); cluster up in $up_ms ms, down in $down_ms ms"
