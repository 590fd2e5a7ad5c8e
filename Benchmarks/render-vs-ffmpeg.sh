#!/usr/bin/env bash
# Render the bundled sample's 720 frames at 1280x720 with `cpuplay render` (compose each frame
# in the chosen style, libx264 through libavcodec, MP4 through libavformat) and encode the very
# same frames with the ffmpeg command line from raw input with the same encoder settings
# (libx264, preset veryfast, CRF 20, BT.709 limited range), and print the medians of several
# runs of each: frames per second, ratio to real time (24 s of video), and cpuplay/ffmpeg.
#
# The raw frames are dumped once by cpuplay itself (the hidden --raw-frames option writes every
# composed picture as yuv420p), so both encoders see identical pictures; the ffmpeg run is the
# anchor that cancels out how busy a shared machine is.
#
# Usage: bash Benchmarks/render-vs-ffmpeg.sh [STYLE] [RUNS]     (defaults: tiles, 5)
# Build first: swift build -c release  (or set CPUPLAY=path/to/cpuplay)
set -euo pipefail
cd "$(dirname "$0")/.."
STYLE="${1:-tiles}"
RUNS="${2:-5}"
CPUPLAY="${CPUPLAY:-}"
if [ -z "$CPUPLAY" ]; then
  for d in .build/release .build/x86_64-unknown-linux-gnu/release; do
    [ -x "$d/cpuplay" ] && { CPUPLAY="$d/cpuplay"; break; }
  done
fi
[ -n "$CPUPLAY" ] && [ -x "$CPUPLAY" ] || { echo "benchmark: build first: swift build -c release (or set CPUPLAY=...)" >&2; exit 1; }
command -v ffmpeg >/dev/null || { echo "benchmark: ffmpeg is needed (apt-get install ffmpeg)" >&2; exit 1; }

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
SAMPLE=Media/sample.mp4
# The observed clip: the sample on a 32x18 grid (what a 576-CPU machine would record when it
# draws it exactly); the intended frames are the sample itself, so both panels are drawn.
"$CPUPLAY" convert "$SAMPLE" --grid 32x18 -o "$scratch/observed.y4m" </dev/null 2>/dev/null
"$CPUPLAY" render "$scratch/observed.y4m" --intended "$SAMPLE" --style "$STYLE" --size 1280x720 \
  -o "$scratch/dump.mp4" --raw-frames "$scratch/frames.yuv" </dev/null 2>/dev/null
frames=$(( $(stat -c %s "$scratch/frames.yuv") / (1280 * 720 * 3 / 2) ))

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
run_cpuplay() {
  "$CPUPLAY" render "$scratch/observed.y4m" --intended "$SAMPLE" --style "$STYLE" --size 1280x720 -o "$scratch/cpuplay.mp4" </dev/null 2>/dev/null
}
run_ffmpeg() {
  ffmpeg -hide_banner -loglevel error -y -f rawvideo -pix_fmt yuv420p -s 1280x720 -r 30 -i "$scratch/frames.yuv" \
    -c:v libx264 -preset veryfast -crf 20 -g 60 -color_range tv -colorspace bt709 -color_primaries bt709 -color_trc bt709 \
    "$scratch/ffmpeg.mp4" </dev/null
}
TIMEFORMAT='%R %U %S'
measure() { { time "$@" ; } 2>&1 | awk '{printf "%s %.3f\n", $1, $2 + $3}'; }

run_cpuplay; run_ffmpeg
c_wall=() c_cpu=() f_wall=() f_cpu=()
for i in $(seq "$RUNS"); do
  read -r w c < <(measure run_cpuplay); c_wall+=("$w"); c_cpu+=("$c")
  read -r w c < <(measure run_ffmpeg); f_wall+=("$w"); f_cpu+=("$c")
done
cw=$(printf '%s\n' "${c_wall[@]}" | median); cc=$(printf '%s\n' "${c_cpu[@]}" | median)
fw=$(printf '%s\n' "${f_wall[@]}" | median); fc=$(printf '%s\n' "${f_cpu[@]}" | median)
seconds=$(echo "$frames / 30" | bc -l)
printf 'frames:  %s at 1280x720, style %s, %s runs, %s CPUs, load average %s\n' "$frames" "$STYLE" "$RUNS" "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)"
printf 'cpuplay render:  median wall %.3f s (%.1f fps, %.1fx real time), CPU %.3f s  (runs: %s)\n' "$cw" "$(echo "$frames / $cw" | bc -l)" "$(echo "$seconds / $cw" | bc -l)" "$cc" "${c_wall[*]}"
printf 'ffmpeg from raw: median wall %.3f s (%.1f fps, %.1fx real time), CPU %.3f s  (runs: %s)\n' "$fw" "$(echo "$frames / $fw" | bc -l)" "$(echo "$seconds / $fw" | bc -l)" "$fc" "${f_wall[*]}"
printf 'ratio cpuplay/ffmpeg: wall %.3f, CPU %.3f  (cpuplay also decodes the intended video and composes every frame)\n' "$(echo "$cw / $fw" | bc -l)" "$(echo "$cc / $fc" | bc -l)"
