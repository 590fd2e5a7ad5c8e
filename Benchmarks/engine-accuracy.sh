#!/usr/bin/env bash
# How exactly the engine draws: plays pattern:solid at 0, 25, 50, 75, 100 % and
# pattern:checker for SECONDS (default 10) at 10 and 30 fps, one pixel per allowed CPU,
# and prints the report's figures as a table. Then runs a bare C spin/sleep loop
# (Benchmarks/spin-baseline.c) at the same rates and duties for comparison.
#
# Targets on an otherwise idle machine: duty_error_mean <= 0.005 at 10 fps and <= 0.01 at
# 30 fps, no dropped frames, |drift| under one frame period, start skew under 1 ms.
# Figures on a busy machine (compiles, other tests) are meaningless: check `uptime` first.
#
# Usage: bash Benchmarks/engine-accuracy.sh [SECONDS]
#   CPUPLAY=path/to/cpuplay to skip the release build; BUILD_PATH (default .build) otherwise;
#   BASELINE=0 to skip the C loop. Two builds back to back: Benchmarks/engine-accuracy-ab.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN="${1:-10}"
BUILD_PATH="${BUILD_PATH:-.build}"
if [ -z "${CPUPLAY:-}" ]; then
  swift build -c release --build-path "$BUILD_PATH" --product cpuplay >&2
  CPUPLAY="$BUILD_PATH/release/cpuplay"
fi
[ -x "$CPUPLAY" ] || { echo "engine-accuracy: no cpuplay at $CPUPLAY" >&2; exit 1; }
command -v python3 >/dev/null || { echo "engine-accuracy: python3 is needed to read the JSON reports" >&2; exit 1; }
SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT

echo "# $(uname -r), CPUs $("$CPUPLAY" cpus | awk '/^usable/ {print $2}'), load $(cut -d' ' -f1-3 /proc/loadavg), ${SECONDS_PER_RUN} s per run"
printf '%-18s %4s %15s %12s %7s %11s %13s %13s %13s\n' input fps duty_err_mean duty_err_p99 drops drift_ms start_skew_ms gate_p50_ms gate_p99_ms
for fps in 10 30; do
  for input in pattern:solid:0 pattern:solid:64 pattern:solid:128 pattern:solid:191 pattern:solid:255 pattern:checker; do
    json="$SCRATCH/r.json"
    rm -f "$json"  # cpuplay refuses to replace an existing report without -y (older builds lack -y)
    "$CPUPLAY" play "$input" --fps "$fps" --duration "$SECONDS_PER_RUN" --frame-socket none --report "$json" >/dev/null
    python3 - "$json" "$input" "$fps" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
# play-report v1 gives the duty error in percent (duty_error_mean_pct); older builds as a fraction.
mean = r["duty_error_mean_pct"] / 100 if "duty_error_mean_pct" in r else r["duty_error_mean"]
p99 = r["duty_error_p99_pct"] / 100 if "duty_error_p99_pct" in r else r["duty_error_p99"]
print("%-18s %4s %15.4f %12.4f %7d %11.3f %13.3f %13.3f %13.3f" % (
    sys.argv[2], sys.argv[3], mean, p99, r["frames_dropped"],
    r["drift_s"] * 1e3, r["start_skew_s"] * 1e3, r["gate_spread_p50_s"] * 1e3, r["gate_spread_p99_s"] * 1e3))
PY
  done
done

[ "${BASELINE:-1}" = 0 ] && exit 0
echo
echo "# bare C spin/sleep loop (one pinned thread per allowed CPU, no gate), duty_error_mean"
cc -O2 -pthread -o "$SCRATCH/spin-baseline" Benchmarks/spin-baseline.c
printf '%-18s %4s %15s\n' duty fps duty_err_mean
for fps in 10 30; do
  for duty in 0 0.25 0.5 0.75 1; do
    printf '%-18s %4s %15s\n' "$duty" "$fps" "$("$SCRATCH/spin-baseline" "$fps" "$duty" "$SECONDS_PER_RUN")"
  done
done
