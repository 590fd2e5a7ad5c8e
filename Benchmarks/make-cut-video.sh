#!/usr/bin/env bash
# A 40 s stand-in for a music video with hard cuts, from FFmpeg's own test sources (nothing
# downloaded, nothing committed): 14 shots of 1.5-4 s, bright and dark, still and moving, cut
# hard from one to the next, with a tone track. The correction table plays it as the
# "real picture" case (docs/correction.md).
#
#   bash Benchmarks/make-cut-video.sh [OUT]     # default ~/.cache/cpuplay/bench/cuts-40s.mp4
set -euo pipefail
out="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/cpuplay/bench/cuts-40s.mp4}"
mkdir -p "$(dirname "$out")"
[ -s "$out" ] && { echo "$out"; exit 0; }
s=320x180; r=30
shots=(
  "testsrc2=s=$s:r=$r:d=3"
  "color=c=black:s=$s:r=$r:d=2"
  "mandelbrot=s=$s:r=$r,trim=duration=4"
  "color=c=white:s=$s:r=$r:d=1.5"
  "life=s=$s:r=$r:mold=10:ratio=0.5,trim=duration=3"
  "smptehdbars=s=$s:r=$r:d=2"
  "cellauto=s=$s:r=$r:rule=110,trim=duration=3"
  "color=c=black:s=$s:r=$r:d=2.5"
  "gradients=s=$s:r=$r:speed=0.05,trim=duration=3.5"
  "color=c=white:s=$s:r=$r:d=2"
  "testsrc=s=$s:r=$r:d=3"
  "rgbtestsrc=s=$s:r=$r:d=2.5"
  "life=s=$s:r=$r:ratio=0.2,trim=duration=4"
  "color=c=gray:s=$s:r=$r:d=4"
)
args=(); filt=""
for i in "${!shots[@]}"; do
  args+=(-f lavfi -i "${shots[$i]}")
  filt+="[$i:v]format=yuv420p,setsar=1,settb=1/$r,setpts=N/($r*TB)[v$i];"
done
for i in "${!shots[@]}"; do filt+="[v$i]"; done
filt+="concat=n=${#shots[@]}:v=1:a=0[v]"
tmp="$out.partial.mp4"
ffmpeg -loglevel error -y "${args[@]}" -f lavfi -i "sine=frequency=440:duration=40" \
  -filter_complex "$filt" -map "[v]" -map "${#shots[@]}:a" -t 40 -c:v libx264 -preset veryfast -c:a aac -shortest "$tmp"
mv "$tmp" "$out"
echo "$out"
