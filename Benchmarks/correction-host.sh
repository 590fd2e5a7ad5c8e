#!/usr/bin/env bash
# Closed-loop correction on the host: solid 50 % (level 128) on one CPU, open-loop and with
# --correct, once with that CPU otherwise as it is and once with stress-ng holding 30 % of
# it (stress-ng --cpu 1 --cpu-load 30 --taskset C). For each case it prints the outside
# load on the CPU measured just before the run (2 s of /proc/stat without cpuplay), what
# /proc/stat read on that CPU over the second half of the run (the settled part), and the
# final correction from the play report. REPEATS runs per case; the table gives medians.
#
# The open-loop run is the anchor: both modes run back to back in the same session, so a
# shared machine's load affects them alike (quote the outside-load column with any figure).
#
# Usage: bash Benchmarks/correction-host.sh [CPU] [SECONDS] [REPEATS]
#   CPUPLAY=path/to/cpuplay to skip the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_PATH="${BUILD_PATH:-.build}"
if [ -z "${CPUPLAY:-}" ]; then
  swift build -c release --build-path "$BUILD_PATH" --product cpuplay >&2
  CPUPLAY="$BUILD_PATH/release/cpuplay"
fi
CPU="${1:-$(awk '/^Cpus_allowed_list/ {print $2}' /proc/self/status | tr ',' '\n' | tail -1 | cut -d- -f2)}"
SECS="${2:-20}"
REPEATS="${3:-3}"
command -v stress-ng >/dev/null || { echo "correction-host: stress-ng is needed (Scripts/install-deps.sh)" >&2; exit 1; }
SCRATCH="$(mktemp -d)"
STRESS=""
cleanup() { [ -n "$STRESS" ] && kill "$STRESS" 2>/dev/null; rm -rf "$SCRATCH"; }
trap cleanup EXIT

# busy % of CPU $CPU over $1 seconds (htop's formula)
busy() {
  local a b
  a=$(awk -v c="cpu$CPU" '$1 == c {print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
  sleep "$1"
  b=$(awk -v c="cpu$CPU" '$1 == c {print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
  echo "$a $b" | awk '{ t = $4 - $2; printf "%.1f", (t > 0 ? 100 * ($3 - $1) / t : 0) }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else print ((NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

run_case() {   # $1 = open|correct; prints "outside read final"
  local flag="" json="$SCRATCH/r.json" outside read final
  [ "$1" = correct ] && flag="--correct"
  outside=$(busy 2)
  "$CPUPLAY" play pattern:solid:128 --fps 10 --duration "$SECS" --cpus "$CPU" $flag --frame-socket none --report "$json" -y >/dev/null 2>&1 &
  local play=$!
  sleep "$(awk -v s="$SECS" 'BEGIN { print s / 2 }')"
  read=$(busy "$(awk -v s="$SECS" 'BEGIN { print s / 2 - 1 }')")
  wait "$play"
  final=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); c=r.get("correction"); print("%.1f %s" % (c["cpus"][0]["correction_final_pct"], c["cpus"][0]["plant"]) if c else "- -")' "$json")
  echo "$outside $read $final"
}

echo "# CPU $CPU, solid 50.2 % (level 128) at 10 fps, ${SECS} s per run, read over the second half; $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-16s %-8s %16s %10s %18s %s\n' outside mode outside_before_% read_% correction_final_% plant
for load in none stress30; do
  if [ "$load" = stress30 ]; then
    stress-ng --cpu 1 --cpu-load 30 --taskset "$CPU" -t $(( (SECS + 4) * REPEATS * 2 + 10 ))s --quiet &
    STRESS=$!
    sleep 2
  fi
  for mode in open correct; do
    : > "$SCRATCH/$mode"
    for _ in $(seq "$REPEATS"); do run_case "$mode" >> "$SCRATCH/$mode"; done
    printf '%-16s %-8s %16s %10s %18s %s\n' "$load" "$mode" \
      "$(cut -d' ' -f1 "$SCRATCH/$mode" | median)" "$(cut -d' ' -f2 "$SCRATCH/$mode" | median)" \
      "$(cut -d' ' -f3 "$SCRATCH/$mode" | grep -vx -- '-' | median)" "$(cut -d' ' -f4 "$SCRATCH/$mode" | sort | uniq -c | tr -s ' ' | tr '\n' ' ')"
  done
  if [ -n "$STRESS" ]; then kill "$STRESS" 2>/dev/null; wait "$STRESS" 2>/dev/null || true; STRESS=""; fi
done
