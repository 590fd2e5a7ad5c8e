#!/usr/bin/env bash
# What the guest's own /proc/stat (read as htop reads it) shows for one solid level played for a
# whole vm play run: the report's observed_bias_pct (over time) and observed_bias_frame_mean_pct
# (plain per-frame mean) and observed_error_mean_pct, the figures the closed-loop issue names, by
# level, nohz_full, correction and frame rate. Medians over REPEATS boots.
# Unlike guest-fidelity.sh (four patterns back to back in one boot), each level is its own run, so
# the correction starts from zero once and is not carried from one level into the next.
#
#   bash Benchmarks/guest-levels.sh                                   # 16 vCPUs, 25/50/75 %, all modes, 10 fps
#   FPS="2 10" NOHZ=on MODES=correct bash Benchmarks/guest-levels.sh  # a subset
set -euo pipefail
cd "$(dirname "$0")/.."
CPUPLAY="${CPUPLAY:-.build/release/cpuplay}"
VCPUS="${VCPUS:-16}"
LEVELS="${LEVELS:-25 50 75}"
NOHZ="${NOHZ:-on off}"
MODES="${MODES:-open correct}"
FPS="${FPS:-10}"
SECONDS_EACH="${SECONDS_EACH:-10}"
REPEATS="${REPEATS:-3}"
[ -x "$CPUPLAY" ] || { echo "guest-levels: $CPUPLAY is missing; run swift build -c release (it builds cpuplay-guest too)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "| vCPUs | nohz_full | mode | fps | level % | bias (median, runs) | per-frame mean bias | error mean | error p99 | ticks/wall |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for n in $VCPUS; do
 for nohz in $NOHZ; do
  for mode in $MODES; do
   for fps in $FPS; do
    for level in $LEVELS; do
     flag=""; [ "$nohz" = off ] && flag="--no-nohz-full"
     [ "$mode" = correct ] && flag="$flag --correct"
     reports=()
     for r in $(seq "$REPEATS"); do
       out="$work/r-$n-$nohz-$mode-$fps-$level-$r.json"
       if "$CPUPLAY" vm play "pattern:solid:$level%" --vcpus "$n" --fps "$fps" --duration "$SECONDS_EACH" $flag --report "$out" >/dev/null 2>"$work/err"; then
         reports+=("$out")
       else
         echo "guest-levels: $n vCPUs nohz_full $nohz $mode $fps fps $level % run $r failed: $(tail -1 "$work/err")" >&2
       fi
     done
     python3 - "$n" "$nohz" "$mode" "$fps" "$level" "${reports[@]}" <<'PY'
import json, statistics, sys
n, nohz, mode, fps, level, runs = *sys.argv[1:6], sys.argv[6:]
reps = [json.load(open(p)) for p in runs]
def med(key, fmt):
    vals = [r[key] for r in reps if r.get(key) is not None]
    return fmt.format(statistics.median(vals)) if vals else "-"
bias = " ".join(f"{r['observed_bias_pct']:+.1f}" for r in reps)
print(f"| {n} | {nohz} | {mode} | {fps} | {level} | {med('observed_bias_pct', '{:+.1f}')} ({bias}) | {med('observed_bias_frame_mean_pct', '{:+.1f}')} | "
      f"{med('observed_error_mean_pct', '{:.1f}')} | {med('observed_error_p99_pct', '{:.1f}')} | {med('ticks_per_wall', '{:.2f}')} |")
PY
    done
   done
  done
 done
done
