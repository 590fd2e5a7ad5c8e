#!/usr/bin/env bash
# htop's own CPU meter against the intended frame, with and without `play --sync htop:...`,
# at 2 and 4 fps. One CPU plays a clip whose level changes every frame (a fixed sequence of
# levels between 10 and 90 %); htop runs in a private tmux server with its default refresh
# (-d 15). After every frame boundary `--on-frame` waits 40 % of a frame, captures htop's
# screen and reads that CPU's meter; the error is |meter - level of the frame just ended|,
# in percentage points. Without sync htop samples every 1.5 s at whatever phase, so its
# meter shows a mix of several frames; with sync it re-samples at each boundary.
# The machine may be shared: the script prints the outside load on the CPU measured first.
#
# Usage: bash Benchmarks/htop-sync.sh [CPU] [SECONDS]
#   CPUPLAY=path/to/cpuplay to skip the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_PATH="${BUILD_PATH:-.build}"
if [ -z "${CPUPLAY:-}" ]; then
  swift build -c release --build-path "$BUILD_PATH" --product cpuplay >&2
  CPUPLAY="$BUILD_PATH/release/cpuplay"
fi
CPUPLAY="$(realpath "$CPUPLAY")"
CPU="${1:-$(awk '/^Cpus_allowed_list/ {print $2}' /proc/self/status | tr ',' '\n' | tail -1 | cut -d- -f2)}"
SECS="${2:-20}"
for tool in htop tmux python3; do command -v "$tool" >/dev/null || { echo "htop-sync: $tool is needed" >&2; exit 1; }; done
SCRATCH="$(mktemp -d)"
SOCK=""
cleanup() { [ -n "$SOCK" ] && tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$SCRATCH"; }
trap cleanup EXIT

outside=$(awk -v c="cpu$CPU" '$1 == c {print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; sleep 2
          awk -v c="cpu$CPU" '$1 == c {print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
echo "# CPU $CPU, ${SECS} s per run, htop $(htop --version | head -1 | cut -d' ' -f2), outside load on CPU $CPU before: $(echo $outside | awk '{ t = $4 - $2; printf "%.1f", (t > 0 ? 100 * ($3 - $1) / t : 0) }') %, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%4s %-6s %9s %16s %16s\n' fps sync samples meter_err_mean meter_err_p90

for fps in 2 4; do
  frames=$(( SECS * fps ))
  clip="$SCRATCH/steps-$fps.y4m"
  python3 - "$clip" "$fps" "$frames" <<'PY'
import sys
path, fps, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
seq = [10, 90, 30, 70, 50, 20, 80, 40, 60]           # percent, one per frame, repeating
with open(path, "wb") as f:
    f.write(b"YUV4MPEG2 W1 H1 F%d:1 Ip A1:1 Cmono\n" % fps)
    for k in range(n):
        f.write(b"FRAME\n" + bytes([round(seq[k % len(seq)] * 255 / 100)]))
PY
  for sync in no yes; do
    [ -n "$SOCK" ] && { tmux -L "$SOCK" kill-server 2>/dev/null || true; }
    SOCK="cpuplay-sync-bench-$$-$fps-$sync"     # a fresh server per run: a killed one may linger
    TMUX_SOCKET="${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
    tmux -L "$SOCK" -f /dev/null new-session -d -s view -x 200 -y 50 "htop -d 15"
    until tmux -L "$SOCK" capture-pane -p -t view 2>/dev/null | grep Uptime >/dev/null; do sleep 0.1; done
    out="$SCRATCH/cap-$fps-$sync"; mkdir -p "$out"
    wait_s=$(awk -v f="$fps" 'BEGIN { printf "%.3f", 0.4 / f }')
    extra=()
    [ "$sync" = yes ] && extra=(--sync "htop:view")
    TMUX="$TMUX_SOCKET,0,0" "$CPUPLAY" play "$clip" --cpus "$CPU" --frame-socket none "${extra[@]}" \
      --on-frame "sleep $wait_s; tmux -L $SOCK capture-pane -p -t view > $out/\$CPUPLAY_FRAME.txt" >/dev/null 2>&1
    python3 - "$out" "$CPU" "$fps" "$sync" <<'PY'
import os, re, sys
out, cpu, fps, sync = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
seq = [10, 90, 30, 70, 50, 20, 80, 40, 60]
meter = re.compile(r"(\d+)\[[^\]]*?(\d+(?:\.\d+)?)%\]")
errs = []
for name in os.listdir(out):
    k = int(name.split(".")[0])
    if k < 4:            # htop's first samples predate the run
        continue
    for m in meter.finditer(open(os.path.join(out, name)).read()):
        if int(m.group(1)) == cpu:
            errs.append(abs(float(m.group(2)) - seq[(k - 1) % len(seq)]))
errs.sort()
if errs:
    mean = sum(errs) / len(errs)
    p90 = errs[int(0.9 * (len(errs) - 1))]
    print("%4d %-6s %9d %16.1f %16.1f" % (fps, sync, len(errs), mean, p90))
else:
    print("%4d %-6s %9d %16s %16s" % (fps, sync, 0, "-", "-"))
PY
  done
done
