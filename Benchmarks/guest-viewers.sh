#!/usr/bin/env bash
# What the real htop and btop inside a vm play guest draw, read off their own screens: per-meter
# error and bias against the intended level, open-loop and with --correct, at 16 and 32 vCPUs.
#
# One boot per (vCPUs, viewer, pattern, mode): the layout is the viewer's own (--layout htop
# with htop, btop with btop), the pattern solid 50 % or a gradient (pattern:gradient on the
# layout's grid), DURATION s (default 20) at 10 fps. Figures come from vm play's report (guest_viewer, parsed
# by cpuplay's HtopScreenParser / BtopScreenParser): meter error mean (|read - meant| over every
# reading, points), worst meter (the largest per-CPU mean error), bias (read - meant), screens
# compared, and whether every meter stood where the layout puts its CPU. Medians over REPEATS.
#
#   bash Benchmarks/guest-viewers.sh                         # 16 and 32 vCPUs, 1 repeat
#   VCPUS=16 REPEATS=3 bash Benchmarks/guest-viewers.sh
#   FLAGS=--pin-housekeeping VCPUS=16 MODES=correct bash Benchmarks/guest-viewers.sh   # extra vm play flags
# Run it under chrt --idle 0 on a shared machine, and read it with the machine's load in mind:
# the guest is TCG, N vCPUs on the host's cores.
set -euo pipefail
cd "$(dirname "$0")/.."
CPUPLAY="${CPUPLAY:-.build/release/cpuplay}"
VCPUS="${VCPUS:-16 32}"
VIEWERS="${VIEWERS:-htop btop}"
PATTERNS="${PATTERNS:-pattern:solid:50% pattern:gradient}"
REPEATS="${REPEATS:-1}"
SECONDS_EACH="${DURATION:-20}"
MODES="${MODES:-open-loop correct}"
FLAGS="${FLAGS:-}"
[ -x "$CPUPLAY" ] || { echo "guest-viewers: $CPUPLAY is missing; run swift build -c release (it builds cpuplay-guest too)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "| vCPUs | viewer | pattern | mode | screens | meter error mean | worst meter | bias | meters where the layout puts them | boot s | guest /proc/stat bias |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for n in $VCPUS; do
  for viewer in $VIEWERS; do
    for pattern in $PATTERNS; do
      for mode in $MODES; do
        flag=""; [ "$mode" = correct ] && flag="--correct"
        results=()
        for r in $(seq "$REPEATS"); do
          out="$work/r-$n-$viewer-${pattern//[:%]/_}-$mode-$r"
          if "$CPUPLAY" vm play "$pattern" --vcpus "$n" --layout "$viewer" --guest-viewer "$viewer" $flag $FLAGS \
               --fps 10 --duration "$SECONDS_EACH" --report "$out.json" >/dev/null 2>"$out.err"; then
            results+=("$out.json")
          else
            echo "guest-viewers: $n vCPUs $viewer $pattern $mode run $r failed: $(tail -1 "$out.err")" >&2
          fi
        done
        python3 - "$n" "$viewer" "$pattern" "$mode" "${results[@]}" <<'PY'
import json, statistics, sys
n, viewer, pattern, mode, runs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
docs = [json.load(open(p)) for p in runs]
def med(values):
    values = [v for v in values if v is not None]
    return f"{statistics.median(values):.1f}" if values else "-"
gv = [d["guest_viewer"] for d in docs if d.get("guest_viewer")]
where = {str(g["meter_positions_match_layout"]).lower() for g in gv} or {"-"}
print(f"| {n} | {viewer} | {pattern.removeprefix('pattern:')} | {mode} | {med([g['screens'] for g in gv])} "
      f"| {med([g['meter_error_mean_pct'] for g in gv])} | {med([g['meter_error_max_pct'] for g in gv])} "
      f"| {med([g['meter_bias_pct'] for g in gv])} | {'/'.join(sorted(where))} | {med([d['boot_s'] for d in docs])} "
      f"| {med([d['observed_bias_pct'] for d in docs])} |")
PY
      done
    done
  done
done
