#!/usr/bin/env bash
# Decode + downsample the same clip with cpuplay and with the ffmpeg command line doing the
# same job, and print the median wall time of several runs of each and their ratio.
#
#   cpuplay convert IN -o OUT.y4m --grid WxH            (decode, luma, area average, Y4M)
#   ffmpeg -i IN -vf scale=W:H:flags=area,format=gray -f rawvideo OUT
#
# Both write to files in a scratch directory (cpuplay's output is a clip, ffmpeg's raw grey;
# the bytes written are the same order of magnitude: a few MB at most). Both use every core
# for decoding (ffmpeg's default threads; cpuplay sets frame+slice threads).
#
# Usage: bash Benchmarks/decode-vs-ffmpeg.sh [INPUT] [GRID] [RUNS]
#   INPUT defaults to a 60 s 1280x720 H.264 clip generated once into .build-bench/
#   GRID  defaults to 64x36; RUNS to 5.
# Build first: swift build -c release  (or set CPUPLAY=path/to/cpuplay)
set -euo pipefail
cd "$(dirname "$0")/.."
GRID="${2:-64x36}"
RUNS="${3:-5}"
W="${GRID%x*}" H="${GRID#*x}"
CPUPLAY="${CPUPLAY:-}"
if [ -z "$CPUPLAY" ]; then
  for d in .build/release .build-media/release .build/x86_64-unknown-linux-gnu/release; do
    [ -x "$d/cpuplay" ] && { CPUPLAY="$d/cpuplay"; break; }
  done
fi
[ -n "$CPUPLAY" ] && [ -x "$CPUPLAY" ] || { echo "benchmark: build first: swift build -c release (or set CPUPLAY=...)" >&2; exit 1; }
command -v ffmpeg >/dev/null || { echo "benchmark: ffmpeg is needed (apt-get install ffmpeg)" >&2; exit 1; }

mkdir -p .build-bench
INPUT="${1:-}"
if [ -z "$INPUT" ]; then
  INPUT=.build-bench/bench-720p60s.mp4
  if [ ! -s "$INPUT" ]; then
    echo "benchmark: generating $INPUT (60 s, 1280x720, 30 fps, H.264)..." >&2
    ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=1280x720:rate=30:duration=60" \
      -c:v libx264 -preset veryfast -crf 23 -bf 2 -pix_fmt yuv420p "$INPUT.tmp.mp4"
    mv "$INPUT.tmp.mp4" "$INPUT"
  fi
fi
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

run_cpuplay() { "$CPUPLAY" convert "$INPUT" -o "$scratch/out.y4m" --grid "$GRID" </dev/null 2>/dev/null; }
run_ffmpeg() { ffmpeg -hide_banner -loglevel error -y -i "$INPUT" -vf "scale=$W:$H:flags=area,format=gray" -f rawvideo "$scratch/out.gray" </dev/null; }

# Wall time and CPU time (user + sys, all threads) of one run, as "wall cpu".
TIMEFORMAT='%R %U %S'
measure() { { time "$@" ; } 2>&1 | awk '{printf "%s %.3f\n", $1, $2 + $3}'; }

# One untimed run each warms the page cache.
run_cpuplay; run_ffmpeg
c_wall=() c_cpu=() f_wall=() f_cpu=()
for i in $(seq "$RUNS"); do
  # Alternate the two so drift in machine load hits both alike.
  read -r w c < <(measure run_cpuplay); c_wall+=("$w"); c_cpu+=("$c")
  read -r w c < <(measure run_ffmpeg); f_wall+=("$w"); f_cpu+=("$c")
done
cw=$(printf '%s\n' "${c_wall[@]}" | median); cc=$(printf '%s\n' "${c_cpu[@]}" | median)
fw=$(printf '%s\n' "${f_wall[@]}" | median); fc=$(printf '%s\n' "${f_cpu[@]}" | median)
frames=$(ffprobe -v error -count_packets -select_streams v:0 -show_entries stream=nb_read_packets -of csv=p=0 "$INPUT")
size=$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height,codec_name -of csv=p=0 "$INPUT")
printf 'input:   %s (%s, %s frames), grid %s, %s runs, %s CPUs, load average %s\n' "$INPUT" "$size" "$frames" "$GRID" "$RUNS" "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)"
printf 'cpuplay: median wall %.3f s, CPU %.3f s   (wall runs: %s)\n' "$cw" "$cc" "${c_wall[*]}"
printf 'ffmpeg:  median wall %.3f s, CPU %.3f s   (wall runs: %s)\n' "$fw" "$fc" "${f_wall[*]}"
printf 'ratio cpuplay/ffmpeg: wall %.3f, CPU %.3f  (below 1 = cpuplay faster)\n' "$(echo "$cw / $fw" | bc -l)" "$(echo "$cc / $fc" | bc -l)"
