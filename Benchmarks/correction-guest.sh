#!/usr/bin/env bash
# Open loop against --correct in a vm play guest, back to back in one session, per case: the
# guest's own /proc/stat (read as htop reads it) against the clip, from vm play's report:
# per-frame error mean and p99 (percentage points per cell and frame), bias over time, how
# many CPUs the loop left open-loop, and per run what its reference windows found (windows drawn
# open loop of all, verdicts helping/harming, the window it stopped at). Medians over REPEATS
# boots; the two modes alternate run by run so a shared machine's load falls on both alike.
#
#   bash Benchmarks/correction-guest.sh                                   # the default cases
#   CASES="pattern:solid:50%@2 Media/sample.mp4@30" VCPUS=16 bash Benchmarks/correction-guest.sh
#
# A case is INPUT@FPS (FPS may be auto: the rates the guest chose are shown in brackets);
# SECONDS_EACH bounds each run (the sample is 24 s long); KEEP=DIR keeps the play reports there.
set -euo pipefail
cd "$(dirname "$0")/.."
CPUPLAY="${CPUPLAY:-.build/release/cpuplay}"
VCPUS="${VCPUS:-16}"
CASES="${CASES:-pattern:solid:50%@2 pattern:solid:50%@10 Media/sample.mp4@10 Media/sample.mp4@30}"
REPEATS="${REPEATS:-3}"
SECONDS_EACH="${SECONDS_EACH:-10}"
case "$VCPUS" in 4) g=2x2 ;; 8) g=4x2 ;; 16) g=4x4 ;; 32) g=8x4 ;; 64) g=8x8 ;; *) g="${VCPUS}x1" ;; esac
GRID="${GRID:-$g}"
[ -x "$CPUPLAY" ] || { echo "correction-guest: $CPUPLAY is missing; run swift build -c release" >&2; exit 1; }
work="$(mktemp -d)"
[ -n "${KEEP:-}" ] && mkdir -p "$KEEP"
trap '[ -n "${KEEP:-}" ] && cp "$work"/*.json "$KEEP"/ 2>/dev/null; rm -rf "$work"' EXIT
echo "# $(date -u +%FT%TZ), $(nproc) host CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $VCPUS vCPUs, ${SECONDS_EACH} s per run"
echo "| input | fps | mode | error mean (runs) | error p99 | bias over time | bias, 2nd half | open-loop CPUs | reference windows | ticks/wall |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for c in $CASES; do
  input="${c%@*}"; fps="${c##*@}"
  for r in $(seq "$REPEATS"); do
    for mode in open correct; do
      flag=""; [ "$mode" = correct ] && flag="--correct"
      out="$work/$(echo "$input" | tr '/:%' '___')-$fps-$mode-$r.json"
      if ! "$CPUPLAY" vm play "$input" --vcpus "$VCPUS" --grid "$GRID" --fps "$fps" --duration "$SECONDS_EACH" $flag \
           --report "$out" --record "${out%.json}.y4m" >/dev/null 2>"$work/err"; then
        echo "correction-guest: $input at $fps fps $mode run $r failed: $(tail -1 "$work/err")" >&2
        rm -f "$out"
      fi
    done
  done
  for mode in open correct; do
    python3 - "$input" "$fps" "$mode" "$work"/"$(echo "$input" | tr '/:%' '___')-$fps-$mode"-*.json <<'PY'
import glob, json, statistics, sys
inp, fps, mode, paths = sys.argv[1], sys.argv[2], sys.argv[3], [p for p in sys.argv[4:] if not p.endswith("*.json")]
reps = [json.load(open(p)) for p in paths]
def med(key, fmt):
    v = [r[key] for r in reps if r.get(key) is not None]
    return fmt.format(statistics.median(v)) if v else "-"
runs = " ".join(f"{r['observed_error_mean_pct']:.1f}" for r in reps if r.get("observed_error_mean_pct") is not None)
opened, refs = [], []
for r in reps:
    c = (r.get("guest") or {}).get("correction")
    opened.append(str(len(c["open_loop_cpus"])) if c else "-")
    w = (c or {}).get("reference_windows")
    if w:
        # windows drawn open loop of all, verdicts helping/harming, and where the loop stopped
        refs.append(f"{w['windows']}/{c['windows']} +{w['found_helping']} -{w['found_harming']}"
                    + (f" stop@{w['stopped_at_window']}" if w["stopped_at_window"] is not None else ""))
def settled(path):
    # A solid level's bias over the second half of the recording (the loop settled), points.
    if not inp.startswith("pattern:solid:") or not inp.endswith("%"):
        return None
    level = round(float(inp.split(":")[2][:-1]) / 100 * 255) / 255
    try:
        data = open(path[:-5] + ".y4m", "rb").read()
    except OSError:
        return None
    frames, i = [], data.index(b"\n") + 1
    while i < len(data):
        eol = data.index(b"\n", i)
        cells = reps[0]["vcpus"]
        frames.append(data[eol + 1:eol + 1 + cells])
        i = eol + 1 + cells
    half = frames[len(frames) // 2:]
    return 100 * (sum(sum(f) / len(f) for f in half) / len(half) / 255 - level) if half else None
def settled_or_none(path):
    try:
        return settled(path)
    except (ValueError, IndexError, KeyError, ZeroDivisionError):
        return None
halves = [b for b in (settled_or_none(p) for p in paths) if b is not None]
half = f"{statistics.median(halves):+.1f}" if halves else "-"
chosen = [str(r["fps_auto"]["fps"]) for r in reps if r.get("fps_auto")]
if chosen:
    fps = f"{fps} ({' '.join(chosen)})"
print(f"| {inp} | {fps} | {mode} | {med('observed_error_mean_pct', '{:.1f}')} ({runs}) | {med('observed_error_p99_pct', '{:.1f}')} | "
      f"{med('observed_bias_pct', '{:+.1f}')} | {half} | {' '.join(opened)} | {', '.join(refs) or '-'} | "
      f"{med('ticks_per_wall', '{:.2f}')} |")
PY
  done
done
