#!/usr/bin/env bash
# Peak memory (maximum RSS, from /usr/bin/time -v) of converting long patterns: with frames
# streamed to the file it stays the same however long the clip; a build that holds the clip
# in memory grows with it (1000 fps on 128x64 cells is 8 MiB of levels a second).
#
# Usage: bash Benchmarks/convert-memory.sh [SECONDS...]   (default: 10 60 600)
#   CPUPLAY=path (default .build/release/cpuplay), CPUPLAY_BEFORE=path to compare an older build.
set -euo pipefail
cd "$(dirname "$0")/.."
CPUPLAY="${CPUPLAY:-.build/release/cpuplay}"
[ -x "$CPUPLAY" ] || { echo "benchmark: build first: swift build -c release (or set CPUPLAY=...)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "benchmark: /usr/bin/time is needed (apt-get install time)" >&2; exit 1; }
durations=("$@"); [ ${#durations[@]} -gt 0 ] || durations=(10 60 600)
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
peak() {  # peak BINARY SECONDS -> "MiB seconds"
  /usr/bin/time -v "$1" convert pattern:checker --grid 128x64 --fps 1000 --duration "$2" -o "$scratch/x.y4m" \
    2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {kib=$2} /Elapsed/ {t=$2} END {printf "%.0f %s\n", kib/1024, t}'
  rm -f "$scratch/x.y4m"
}
printf 'convert pattern:checker --grid 128x64 --fps 1000 --duration S (%s CPUs, load average %s)\n' "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)"
for s in "${durations[@]}"; do
  read -r mib wall < <(peak "$CPUPLAY" "$s")
  line=$(printf 'S=%-5s clip %6d MiB   cpuplay: peak RSS %5d MiB (%s)' "$s" $((s * 1000 * 8192 >> 20)) "$mib" "$wall")
  if [ -n "${CPUPLAY_BEFORE:-}" ]; then
    read -r bmib bwall < <(peak "$CPUPLAY_BEFORE" "$s")
    line+=$(printf '   before: peak RSS %5d MiB (%s)' "$bmib" "$bwall")
  fi
  echo "$line"
done
