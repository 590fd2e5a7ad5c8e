#!/usr/bin/env bash
# Why `cpuplay vm xml` lets overcommitted vCPUs float: a stand-in measurement on the host.
#
# Eight "vCPUs" share two host CPUs (4:1 overcommit) with uneven demand, as in a guest where
# some vCPUs draw dark pixels and others light ones: four want 50 % of a CPU, four want 5 %.
# Pinned round-robin the way vcpupin would place them (busy ones all on CPU 0, light ones on
# CPU 1, which is what round-robin gives when busy and light vCPUs alternate by parity), vs
# left to the host scheduler. Prints the CPU time each group got against what it wanted.
# stress-ng --cpu-load holds each worker's load by PWM with feedback.
#
# Usage: bash Benchmarks/vcpu-pinning.sh [SECONDS] [RUNS]     (needs stress-ng, 2+ CPUs)
set -euo pipefail
SECS="${1:-8}"; RUNS="${2:-3}"
command -v stress-ng >/dev/null || { echo "vcpu-pinning: stress-ng is needed (apt-get install stress-ng)" >&2; exit 1; }
cpu_seconds() { awk '$4 == "cpu" && $5 ~ /^[0-9]+$/ {print $7 + $8; exit}' "$1"; }
want_busy=$(awk -v s="$SECS" 'BEGIN {print 4 * 0.50 * s}')
want_light=$(awk -v s="$SECS" 'BEGIN {print 4 * 0.05 * s}')
echo "# 8 vCPU stand-ins on CPUs 0-1 for $SECS s; busy group wants $want_busy CPU s, light group $want_light; load $(cut -d' ' -f1 /proc/loadavg)"
printf '%-9s %4s %16s %16s\n' placement run busy_cpu_s light_cpu_s
scratch=$(mktemp -d); trap 'rm -rf "$scratch"' EXIT
for mode in pinned floating; do
  for run in $(seq 1 "$RUNS"); do
    a=(); b=()
    [ "$mode" = pinned ] && { a=(--taskset 0); b=(--taskset 1); }
    stress-ng --cpu 4 --cpu-load 50 "${a[@]}" -t "$SECS" --metrics-brief >"$scratch/a" 2>&1 & pa=$!
    stress-ng --cpu 4 --cpu-load 5 "${b[@]}" -t "$SECS" --metrics-brief >"$scratch/b" 2>&1 & pb=$!
    wait "$pa" "$pb"
    printf '%-9s %4s %16s %16s\n' "$mode" "$run" "$(cpu_seconds "$scratch/a")" "$(cpu_seconds "$scratch/b")"
  done
done
