#!/usr/bin/env bash
# Signal-to-exit time of `play` while it plays: SIGTERM is sent once the clock thread runs and
# frames have been playing for a moment, and the time until the process has exited (reaped by
# this shell) is taken, for 2, 512 and 8192 pixel threads (pattern:checker, --overcommit, so
# half the threads spin and half sleep in the gate when the signal comes). The promise is
# 100 ms from the signal being seen, whatever the number of threads; every thread is joined
# before the exit (the exit status must be 143).
#
# Usage: bash Benchmarks/stop-latency.sh [RUNS] [GRID...]   (default: 7 runs; 2x1 32x16 128x64)
#   CPUPLAY=path (default .build/release/cpuplay), CPUPLAY_BEFORE=path to compare an older build.
# Run it at normal priority (under chrt --idle the stop itself would wait for other work). On
# a shared machine compare the ratio to the 2-thread case of the same run, not raw figures.
set -euo pipefail
cd "$(dirname "$0")/.."
CPUPLAY="${CPUPLAY:-.build/release/cpuplay}"
[ -x "$CPUPLAY" ] || { echo "benchmark: build first: swift build -c release (or set CPUPLAY=...)" >&2; exit 1; }
runs="${1:-7}"; shift || true
grids=("$@"); [ ${#grids[@]} -gt 0 ] || grids=(2x1 32x16 128x64)

# One run: prints the milliseconds from kill to reaped, or fails naming the exit status.
stop_once() {  # BINARY GRID
  "$1" play pattern:checker --grid "$2" --overcommit --loop --fps 10 --frame-socket none -q >/dev/null 2>&1 &
  local pid=$! waited=0
  trap 'kill -KILL '"$pid"' 2>/dev/null' EXIT
  # Playing: the clock thread exists only once every pixel thread is ready; then 0.5 s of frames.
  until grep -qx cpuplay-clock /proc/"$pid"/task/*/comm 2>/dev/null; do
    sleep 0.05; waited=$((waited + 1))
    if [ "$waited" -gt 2400 ] || ! kill -0 "$pid" 2>/dev/null; then echo "benchmark: $2 never started playing" >&2; kill -KILL "$pid" 2>/dev/null; return 1; fi
  done
  sleep 0.5
  local t0=$EPOCHREALTIME rc=0
  kill -TERM "$pid"
  wait "$pid" || rc=$?
  local t1=$EPOCHREALTIME
  [ "$rc" -eq 143 ] || { echo "benchmark: $2: exit status $rc after SIGTERM, expected 143" >&2; return 1; }
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", (b - a) * 1000 }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

series() {  # BINARY GRID -> "median min max"
  local all=()
  for _ in $(seq "$runs"); do all+=("$(stop_once "$1" "$2")"); done
  printf '%s\n' "${all[@]}" | median | tr '\n' ' '
  printf '%s\n' "${all[@]}" | sort -n | sed -n '1p;$p' | tr '\n' ' '
  echo
}

printf 'SIGTERM to exit while playing, medians of %s runs (%s CPUs, load average %s)\n' "$runs" "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)"
anchor=""
for g in "${grids[@]}"; do
  threads=$(( ${g%x*} * ${g#*x} ))
  read -r med lo hi < <(series "$CPUPLAY" "$g")
  [ -n "$anchor" ] || anchor="$med"
  line=$(printf '%-7s %5d threads: median %7.1f ms (min %.1f, max %.1f), %5.1fx the %s case' "$g" "$threads" "$med" "$lo" "$hi" \
    "$(awk -v a="$med" -v b="$anchor" 'BEGIN { print a / b }')" "${grids[0]}")
  if [ -n "${CPUPLAY_BEFORE:-}" ]; then
    read -r bmed blo bhi < <(series "$CPUPLAY_BEFORE" "$g")
    line+=$(printf '   before: median %7.1f ms (min %.1f, max %.1f)' "$bmed" "$blo" "$bhi")
  fi
  echo "$line"
done
