#!/usr/bin/env bash
# Decode + downsample the same video with cpuplay and with the ffmpeg command line doing the
# same job, at the source rate and at a lower rate, and time how soon `play --duration 3`
# starts on a long input. Prints medians of several runs and their ratios.
#
#   cpuplay convert IN -o OUT.y4m --grid WxH [--fps 10]        (decode, luma, area average, Y4M)
#   ffmpeg -i IN -vf [fps=10,]scale=W:H:flags=area,format=gray -f rawvideo OUT
#   cpuplay play LONG --duration 3: seconds from start to the first frame tick on --frame-socket
#
# Both converters write files in a scratch directory and use every core for decoding
# (ffmpeg's default threads; cpuplay sets frame+slice threads). Runs alternate between the
# programs so drift in machine load hits them alike; ffmpeg is the anchor the ratios use.
# With CPUPLAY_BEFORE=path/to/older/cpuplay the older build is measured in the same session.
#
# Usage: bash Benchmarks/decode-vs-ffmpeg.sh [INPUT] [GRID] [RUNS]
#   INPUT defaults to a 20 s 1920x1080 30 fps H.264 testsrc2 clip generated once into .build-bench/
#   GRID  defaults to 64x36; RUNS to 5. LONG (time to first frame) defaults to a generated
#   200 s 1280x720 H.264 clip; set LONG=path to use another, LONG=none to skip.
# Build first: swift build -c release  (or set CPUPLAY=path/to/cpuplay)
set -euo pipefail
cd "$(dirname "$0")/.."
GRID="${2:-64x36}"
RUNS="${3:-5}"
W="${GRID%x*}" H="${GRID#*x}"
CPUPLAY="${CPUPLAY:-}"
CPUPLAY_BEFORE="${CPUPLAY_BEFORE:-}"
if [ -z "$CPUPLAY" ]; then
  for d in .build/release .build/x86_64-unknown-linux-gnu/release; do
    [ -x "$d/cpuplay" ] && { CPUPLAY="$d/cpuplay"; break; }
  done
fi
[ -n "$CPUPLAY" ] && [ -x "$CPUPLAY" ] || { echo "benchmark: build first: swift build -c release (or set CPUPLAY=...)" >&2; exit 1; }
for tool in ffmpeg ffprobe python3 bc; do
  command -v "$tool" >/dev/null || { echo "benchmark: $tool is needed (Scripts/install-deps.sh installs it)" >&2; exit 1; }
done

mkdir -p .build-bench
generate() {  # generate FILE SIZE SECONDS
  if [ ! -s "$1" ]; then
    echo "benchmark: generating $1 ($3 s, $2, 30 fps, H.264)..." >&2
    ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=$2:rate=30:duration=$3" \
      -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p "$1.tmp.mp4"
    mv "$1.tmp.mp4" "$1"
  fi
}
INPUT="${1:-}"
if [ -z "$INPUT" ]; then INPUT=.build-bench/bench-1080p20s.mp4; generate "$INPUT" 1920x1080 20; fi
LONG="${LONG:-}"
if [ -z "$LONG" ]; then LONG=.build-bench/bench-720p200s.mp4; generate "$LONG" 1280x720 200; fi
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { echo "$1 / $2" | bc -l; }

# Wall time of one run, in seconds.
TIMEFORMAT='%R'
measure() { { time "$@" >/dev/null 2>&1 </dev/null ; } 2>&1 | tail -1; }

convert_with() {  # convert_with BINARY [--fps N]
  local bin="$1"; shift
  rm -f "$scratch/out.y4m"   # (older builds have no -y)
  "$bin" convert "$INPUT" -o "$scratch/out.y4m" --grid "$GRID" "$@"
}
ffmpeg_with() {  # ffmpeg_with [FILTER-PREFIX]
  ffmpeg -hide_banner -loglevel error -y -i "$INPUT" -vf "${1:-}scale=$W:$H:flags=area,format=gray" -f rawvideo "$scratch/out.gray"
}

frames=$(ffprobe -v error -count_packets -select_streams v:0 -show_entries stream=nb_read_packets -of csv=p=0 "$INPUT")
size=$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height,codec_name -of csv=p=0 "$INPUT")
printf 'input:   %s (%s, %s frames), grid %s, %s runs, %s CPUs, load average %s\n' "$INPUT" "$size" "$frames" "$GRID" "$RUNS" "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)"

for rate in source 10; do
  fps_args=() ; filter=""
  if [ "$rate" != source ]; then fps_args=(--fps "$rate"); filter="fps=$rate,"; fi
  convert_with "$CPUPLAY" "${fps_args[@]}" >/dev/null 2>&1; ffmpeg_with "$filter"   # warm the page cache
  after=() before=() ff=()
  for i in $(seq "$RUNS"); do
    after+=("$(measure convert_with "$CPUPLAY" "${fps_args[@]}")")
    [ -n "$CPUPLAY_BEFORE" ] && before+=("$(measure convert_with "$CPUPLAY_BEFORE" "${fps_args[@]}")")
    ff+=("$(measure ffmpeg_with "$filter")")
  done
  a=$(printf '%s\n' "${after[@]}" | median); f=$(printf '%s\n' "${ff[@]}" | median)
  printf '\nrate %-6s ffmpeg:          median %.3f s   (runs: %s)\n' "$rate" "$f" "${ff[*]}"
  printf 'rate %-6s cpuplay:         median %.3f s   (runs: %s)  ratio to ffmpeg %.2f\n' "$rate" "$a" "${after[*]}" "$(ratio "$a" "$f")"
  if [ -n "$CPUPLAY_BEFORE" ]; then
    b=$(printf '%s\n' "${before[@]}" | median)
    printf 'rate %-6s cpuplay before:  median %.3f s   (runs: %s)  ratio to ffmpeg %.2f\n' "$rate" "$b" "${before[*]}" "$(ratio "$b" "$f")"
  fi
done

[ "$LONG" = none ] && exit 0
# Time to first frame: a listener on a datagram socket notes when play's first frame tick
# arrives, counted from the moment play is started.
ttff() {  # ttff BINARY -> seconds
  python3 - "$1" "$LONG" "$scratch/tick.sock" <<'PY'
import os, socket, subprocess, sys, time
binary, long_input, path = sys.argv[1:4]
if os.path.exists(path): os.unlink(path)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
s.settimeout(300)
t0 = time.monotonic()
p = subprocess.Popen([binary, "play", long_input, "--duration", "3", "--frame-socket", path],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
s.recv(64)
print(f"{time.monotonic() - t0:.3f}")
p.wait()
s.close()
os.unlink(path)
PY
}
long_size=$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height,duration -of csv=p=0 "$LONG")
after=() before=()
for i in $(seq "$RUNS"); do
  after+=("$(ttff "$CPUPLAY")")
  [ -n "$CPUPLAY_BEFORE" ] && before+=("$(ttff "$CPUPLAY_BEFORE")")
done
printf '\nplay --duration 3 on %s (%s): time to first frame\n' "$LONG" "$long_size"
printf 'cpuplay:         median %.3f s   (runs: %s)\n' "$(printf '%s\n' "${after[@]}" | median)" "${after[*]}"
if [ -n "$CPUPLAY_BEFORE" ]; then
  printf 'cpuplay before:  median %.3f s   (runs: %s)\n' "$(printf '%s\n' "${before[@]}" | median)" "${before[*]}"
fi
