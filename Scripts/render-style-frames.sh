#!/usr/bin/env bash
# Writes docs/render-tiles.png, docs/render-meters.png and docs/render-heatmap.png: frame 200
# of the bundled sample rendered by `cpuplay render` in each style, intended beside observed,
# at 1280x720 (the README shows them). The observed clip here is the sample converted to a
# 32x18 grid, i.e. what a 576-CPU machine records when it draws the sample exactly.
# Usage: bash Scripts/render-style-frames.sh   (build first: swift build -c release, or set CPUPLAY)
set -euo pipefail
cd "$(dirname "$0")/.."
CPUPLAY="${CPUPLAY:-.build/release/cpuplay}"
[ -x "$CPUPLAY" ] || { echo "render-style-frames: build first: swift build -c release (or set CPUPLAY=...)" >&2; exit 1; }
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
"$CPUPLAY" convert Media/sample.mp4 --grid 32x18 -o "$scratch/observed.y4m" 2>/dev/null
mkdir -p docs
for style in tiles meters heatmap; do
  [ "$style" = meters ] && { "$CPUPLAY" convert Media/sample.mp4 --grid 8x8 -o "$scratch/observed-$style.y4m" 2>/dev/null; } \
    || cp "$scratch/observed.y4m" "$scratch/observed-$style.y4m"
  "$CPUPLAY" render "$scratch/observed-$style.y4m" --intended Media/sample.mp4 --style "$style" --size 1280x720 \
    -o "$scratch/$style.mkv" --raw-frames "$scratch/$style.yuv" 2>/dev/null
  # Frame 200 straight from the composed pictures (no codec in between).
  ffmpeg -hide_banner -loglevel error -y -f rawvideo -pix_fmt yuv420p -s 1280x720 -color_range tv -colorspace bt709 \
    -i "$scratch/$style.yuv" -vf "select=eq(n\,200),scale=in_color_matrix=bt709:in_range=tv:out_range=pc" -frames:v 1 "docs/render-$style.png"
  echo "wrote docs/render-$style.png"
done
