#!/usr/bin/env bash
# How faithfully a vm play guest's own /proc/stat draws a load, and how long the guest takes to
# be ready, by vCPU count, with and without nohz_full on the guest's kernel command line.
#
# One boot per (vCPUs, nohz_full, repeat) plays solid 25 %, 50 %, 75 % and a checker back to back
# (SECONDS_EACH s each at FPS frames per second, 10 unless set); the observed recording is split into those segments and each is
# compared with what was asked: error mean (percentage points, |observed - intended| over every
# cell and frame) and bias (signed mean, observed - intended). Medians over REPEATS boots.
#
# MODES sets the correction dimension: "open" plays open-loop, "correct" passes --correct
# (the guest corrects each CPU's duty from its own /proc/stat, read with htop's formula).
#
#   bash Benchmarks/guest-fidelity.sh                       # 4 8 16 32 64 vCPUs, both modes, 3 repeats
#   VCPUS="16" MODES="open correct" bash Benchmarks/guest-fidelity.sh  # the reduced set
#   VCPUS=16 NOHZ=on FPS=2 SECONDS_EACH=10 bash Benchmarks/guest-fidelity.sh  # htop-like frames
set -euo pipefail
cd "$(dirname "$0")/.."
CPUPLAY="${CPUPLAY:-.build/release/cpuplay}"
VCPUS="${VCPUS:-4 8 16 32 64}"
REPEATS="${REPEATS:-3}"
SECONDS_EACH="${SECONDS_EACH:-5}"
MODES="${MODES:-open correct}"
FPS="${FPS:-10}"
NOHZ="${NOHZ:-on off}"
BOOT_TIMEOUT="${BOOT_TIMEOUT:-300}"
[ -x "$CPUPLAY" ] || { echo "guest-fidelity: $CPUPLAY is missing; run swift build -c release (it builds cpuplay-guest too)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

grid_for() {  # a grid of exactly N cells, closest to 16:9
  python3 - "$1" <<'PY'
import sys, math
n = int(sys.argv[1]); best = None
for w in range(1, n + 1):
    if n % w: continue
    h = n // w; score = abs(math.log((w / h) / (16 / 9)))
    if best is None or score < best[0]: best = (score, w, h)
print(f"{best[1]}x{best[2]}")
PY
}

echo "| vCPUs | nohz_full | mode | fps | boot s | solid 25 % err / bias | solid 50 % err / bias | solid 75 % err / bias | checker err / bias | ticks/wall |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for n in $VCPUS; do
  grid="$(grid_for "$n")"
  clip="$work/clip-$n.y4m"
  : > "$clip"
  first=1
  for p in "pattern:solid:25%" "pattern:solid:50%" "pattern:solid:75%" "pattern:checker"; do
    "$CPUPLAY" convert "$p" --grid "$grid" --fps "$FPS" --duration "$SECONDS_EACH" -o "$work/part.y4m" -y 2>/dev/null
    if [ $first -eq 1 ]; then cat "$work/part.y4m" > "$clip"; first=0; else tail -n +2 "$work/part.y4m" >> "$clip"; fi
  done
  for nohz in $NOHZ; do
   for mode in $MODES; do
    flag=""; [ "$nohz" = off ] && flag="--no-nohz-full"
    [ "$mode" = correct ] && flag="$flag --correct"
    results=()
    for r in $(seq "$REPEATS"); do
      out="$work/r-$n-$nohz-$mode-$r"
      if "$CPUPLAY" vm play "$clip" --vcpus "$n" --grid "$grid" --boot-timeout "$BOOT_TIMEOUT" $flag --report "$out.json" --record "$out.y4m" >/dev/null 2>"$out.err"; then
        results+=("$out")
      else
        echo "guest-fidelity: $n vCPUs nohz_full $nohz $mode run $r failed: $(tail -1 "$out.err")" >&2
      fi
    done
    python3 - "$clip" "$SECONDS_EACH" "$FPS" "$n" "$nohz" "$mode" "${results[@]}" <<'PY'
import json, statistics, sys
clip, each, fps, n, nohz, mode, runs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7:]
def frames(path):
    data = open(path, "rb").read()
    head, _, rest = data.partition(b"\n")
    w = int([t for t in head.split() if t.startswith(b"W")][0][1:]); h = int([t for t in head.split() if t.startswith(b"H")][0][1:])
    out = []
    while rest.startswith(b"FRAME"):
        _, _, rest = rest.partition(b"\n"); out.append(rest[:w * h]); rest = rest[w * h:]
    return out
want = frames(clip); per = round(each * fps)
cols = {k: [] for k in range(4)}; boots = []; tpw = []
for run in runs:
    rep = json.load(open(run + ".json")); boots.append(rep["boot_s"]); tpw.append(rep["ticks_per_wall"])
    seen = frames(run + ".y4m")
    for k in range(4):
        errs, bias = [], []
        for a, b in list(zip(want, seen))[k * per:(k + 1) * per]:
            for x, y in zip(a, b):
                errs.append(abs(y - x) / 2.55); bias.append((y - x) / 2.55)
        if errs: cols[k].append((sum(errs) / len(errs), sum(bias) / len(bias)))
def cell(k):
    if not cols[k]: return "-"
    return f"{statistics.median(e for e, _ in cols[k]):.1f} / {statistics.median(b for _, b in cols[k]):+.1f}"
boot = f"{statistics.median(boots):.1f}" if boots else "-"
ratio = f"{statistics.median(tpw):.2f}" if tpw else "-"
print(f"| {n} | {nohz} | {mode} | {fps:g} | {boot} | {cell(0)} | {cell(1)} | {cell(2)} | {cell(3)} | {ratio} |")
PY
   done
  done
done
