#!/usr/bin/env bash
# Gate spread with many overcommitted pixel threads: how far apart in time the pixels of one
# frame are released (last minus first release, per frame; p50/p99 over frames), with 64 and
# 512 pixel threads sharing the allowed CPUs (--overcommit). Every pixel writes its probe and
# progress word each frame, so memory that two CPUs write shows up here as a wider spread.
#
# Two builds can be compared in one session: CPUPLAY is measured, and CPUPLAY_BEFORE too when
# set (e.g. a build of an earlier commit with --scratch-path .build-before). Runs alternate
# before/after, RUNS times (default 3), and the medians are printed; on a shared machine only
# the ratio of the two, measured back to back, means anything.
#
# Usage: bash Benchmarks/overcommit-gate-spread.sh [SECONDS] (default 10 s per run)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN="${1:-10}"
RUNS="${RUNS:-3}"
FPS="${FPS:-10}"
if [ -z "${CPUPLAY:-}" ]; then
  swift build -c release --product cpuplay >&2
  CPUPLAY=.build/release/cpuplay
fi
command -v python3 >/dev/null || { echo "overcommit-gate-spread: python3 is needed to read the JSON reports" >&2; exit 1; }
SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT
builds=(after)
[ -n "${CPUPLAY_BEFORE:-}" ] && builds=(before after)

echo "# $(uname -r), CPUs $("$CPUPLAY" cpus | awk '/^usable/ {print $2}'), load $(cut -d' ' -f1-3 /proc/loadavg), ${SECONDS_PER_RUN} s per run at ${FPS} fps, pattern:checker, medians of ${RUNS}"
for threads in 64 512; do
  case $threads in 64) grid=8x8 ;; 512) grid=32x16 ;; esac
  for run in $(seq "$RUNS"); do
    for build in "${builds[@]}"; do
      bin="$CPUPLAY"; [ "$build" = before ] && bin="$CPUPLAY_BEFORE"
      "$bin" play pattern:checker --grid "$grid" --overcommit --fps "$FPS" --duration "$SECONDS_PER_RUN" \
        --frame-socket none --report "$SCRATCH/$threads-$build-$run.json" >/dev/null 2>&1
    done
  done
done
python3 - "$SCRATCH" "$RUNS" "${builds[@]}" <<'PY'
import json, statistics, sys
scratch, runs, builds = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
keys = [("gate_spread_p50_s", 1e3, "gate p50 ms"), ("gate_spread_p99_s", 1e3, "gate p99 ms"),
        ("start_skew_s", 1e3, "start skew ms"), ("duty_error_mean", 1, "duty err mean"), ("frames_dropped", 1, "drops")]
print("%-8s %-7s" % ("threads", "build") + "".join("%15s" % k[2] for k in keys))
def figure(r, k):
    # play-report v1 gives the duty error in percent (duty_error_mean_pct); older builds as a fraction.
    if k == "duty_error_mean" and k not in r:
        return r["duty_error_mean_pct"] / 100
    return r[k]
med = {}
for threads in (64, 512):
    for b in builds:
        rs = [json.load(open(f"{scratch}/{threads}-{b}-{r}.json")) for r in range(1, runs + 1)]
        med[(threads, b)] = {k: statistics.median(figure(r, k) * s for r in rs) for k, s, _ in keys}
        print("%-8d %-7s" % (threads, b) + "".join("%15.4f" % med[(threads, b)][k] for k, _, _ in keys))
    if len(builds) == 2:
        a, b = med[(threads, "after")], med[(threads, "before")]
        print("%-8d %-7s" % (threads, "a/b") + "".join("%15s" % ("%.2f" % (a[k] / b[k]) if b[k] else "-") for k, _, _ in keys))
PY
