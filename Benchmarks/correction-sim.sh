#!/usr/bin/env bash
# Feed-forward against the closed loop, on simulated CPUs (Benchmarks/CorrectionSim): open loop,
# --correct's CorrectionLoop, a feed-forward plan from the known clip, and both, per input and
# rate, on a 4x4 grid (16 CPUs) whose pulses start late and whose readings lag. No CPU is spun:
# the figures do not depend on the machine's load. Medians of 3 seeds; the table's inputs:
# solid 25/50/75 %, the gradient, the bundled sample and the hard-cut clip, at 2, 10 and 30 fps.
#
#   bash Benchmarks/correction-sim.sh
#   CPUPLAY=.build/release/cpuplay SIM=.build/release/correction-sim bash Benchmarks/correction-sim.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CPUPLAY="${CPUPLAY:-.build/debug/cpuplay}"
SIM="${SIM:-.build/debug/correction-sim}"
for tool in "$CPUPLAY" "$SIM"; do
  [ -x "$tool" ] || { echo "correction-sim: $tool is missing; run swift build" >&2; exit 1; }
done
cuts="$(bash Benchmarks/make-cut-video.sh)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
args=()
for fps in 2 10 30; do
  for spec in "solid 25 %=pattern:solid:25%" "solid 50 %=pattern:solid:50%" "solid 75 %=pattern:solid:75%" \
              "gradient=pattern:gradient" "sample=Media/sample.mp4" "hard cuts=$cuts"; do
    name="${spec%%=*}"; input="${spec#*=}"
    out="$work/${name// /_}-$fps.y4m"
    "$CPUPLAY" convert "$input" --grid 4x4 --fps "$fps" --duration 40 -o "$out" -q
    args+=("$name=$out")
  done
done
echo "# $(date -u +%FT%TZ), simulated (no CPU spun), 16 CPUs"
"$SIM" "${args[@]}"
