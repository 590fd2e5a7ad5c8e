#!/usr/bin/env bash
# Engine accuracy of two builds measured back to back: runs Benchmarks/engine-accuracy.sh with
# CPUPLAY_BEFORE and CPUPLAY alternately, RUNS times (default 3), and prints per input and rate
# the median of every figure for each build and the ratio after / before. On a shared machine
# only the ratio, measured back to back, means anything.
#
# Usage: CPUPLAY_BEFORE=path/to/old/cpuplay CPUPLAY=path/to/new/cpuplay \
#          bash Benchmarks/engine-accuracy-ab.sh [SECONDS]   (default 10 s per play)
set -euo pipefail
: "${CPUPLAY:?set CPUPLAY to the cpuplay measured after}"
: "${CPUPLAY_BEFORE:?set CPUPLAY_BEFORE to the cpuplay measured before}"
after="$(realpath "$CPUPLAY")"
before="$(realpath "$CPUPLAY_BEFORE")"
cd "$(dirname "$0")/.."
RUNS="${RUNS:-3}"
SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT
for run in $(seq "$RUNS"); do
  for build in before after; do
    bin="$after"; [ "$build" = before ] && bin="$before"
    CPUPLAY="$bin" BASELINE=0 bash Benchmarks/engine-accuracy.sh "${1:-10}" > "$SCRATCH/$build-$run.txt"
    head -1 "$SCRATCH/$build-$run.txt" | sed "s/^/$build run $run: /" >&2
  done
done
python3 - "$SCRATCH" "$RUNS" <<'PY'
import statistics, sys
scratch, runs = sys.argv[1], int(sys.argv[2])
header, rows = None, {}
for build in ("before", "after"):
    for run in range(1, runs + 1):
        for line in open(f"{scratch}/{build}-{run}.txt"):
            f = line.split()
            if not f or line.startswith("#"):
                continue
            if f[0] == "input":
                header = f[2:]
                continue
            rows.setdefault((f[0], f[1]), {}).setdefault(build, []).append([float(v) for v in f[2:]])
print("# medians of %d runs per build, alternated before/after" % runs)
print("%-18s %4s %-7s" % ("input", "fps", "build") + "".join("%14s" % h for h in header))
for (inp, fps), by in rows.items():
    med = {b: [statistics.median(col) for col in zip(*by[b])] for b in by}
    for b in ("before", "after"):
        print("%-18s %4s %-7s" % (inp, fps, b) + "".join("%14.4f" % v for v in med[b]))
    print("%-18s %4s %-7s" % (inp, fps, "a/b") + "".join("%14s" % ("%.2f" % (a / b) if b else "-") for a, b in zip(med["after"], med["before"])))
PY
