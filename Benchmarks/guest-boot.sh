#!/usr/bin/env bash
# How long `vm play` takes to get its guest ready to play, and where the time goes: boot_s (the
# command's start to the guest player's hello), the guest kernel's uptime at that moment, and the
# report's boot_phases, medians over REPEATS boots per vCPU count. With several builds in CPUPLAYS
# the runs alternate between them (A B A B ...), so a machine that gets busier or quieter weighs
# on each the same; one unmeasured warm-up run per build first (it may build its guest image).
#
#   bash Benchmarks/guest-boot.sh                                            # 16 and 64 vCPUs, 3 boots each
#   CPUPLAYS="/old/.build/release/cpuplay .build/release/cpuplay" VCPUS=16 bash Benchmarks/guest-boot.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CPUPLAYS="${CPUPLAYS:-.build/release/cpuplay}"
VCPUS="${VCPUS:-16 64}"
REPEATS="${REPEATS:-3}"
for c in $CPUPLAYS; do
  [ -x "$c" ] || { echo "guest-boot: $c is missing; run swift build -c release (it builds cpuplay-guest too)" >&2; exit 1; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
play() { "$1" vm play pattern:solid:50% --vcpus "$2" --fps 2 --duration 2 --no-view --report "$3" -y >/dev/null 2>"$work/err"; }
for c in $CPUPLAYS; do play "$c" 4 "$work/warm.json" || echo "guest-boot: warm-up of $c failed: $(tail -1 "$work/err")" >&2; done
for n in $VCPUS; do
  for r in $(seq "$REPEATS"); do
    i=0
    for c in $CPUPLAYS; do
      i=$((i + 1))
      play "$c" "$n" "$work/b$i-$n-$r.json" || echo "guest-boot: build $i ($c), $n vCPUs, run $r failed: $(tail -1 "$work/err")" >&2
    done
  done
done
python3 - "$work" "$VCPUS" $CPUPLAYS <<'PY'
import glob, json, os, statistics, sys
work, vcpus, builds = sys.argv[1], sys.argv[2].split(), sys.argv[3:]
load = os.getloadavg()[0]
print(f"load average at the end: {load:.2f} (on {os.cpu_count()} CPUs)")
print("| build | vCPUs | boot s (median, runs) | guest uptime at ready s | before the kernel s | phases (medians, s) |")
print("| --- | --- | --- | --- | --- | --- |")
verdicts = []
for n in vcpus:
    for i, b in enumerate(builds, 1):
        reps = [json.load(open(p)) for p in sorted(glob.glob(f"{work}/b{i}-{n}-*.json"))]
        reps = [r for r in reps if r.get("boot_s") is not None]
        if not reps:
            print(f"| {b} | {n} | no run became ready | | | |")
            continue
        boot = statistics.median(r["boot_s"] for r in reps)
        up = statistics.median(r["guest_uptime_at_ready_s"] for r in reps)
        names = [p["phase"] for p in reps[0]["boot_phases"]]
        phases = ", ".join(f"{name} {statistics.median(p['duration_s'] for r in reps for p in r['boot_phases'] if p['phase'] == name):.2f}" for name in names)
        runs = " ".join(f"{r['boot_s']:.2f}" for r in reps)
        print(f"| {b} | {n} | {boot:.2f} ({runs}) | {up:.2f} | {boot - up:.2f} | {phases} |")
        goal = {16: 8.0, 64: 14.0}.get(int(n))
        if goal:
            verdicts.append(f"{b} at {n} vCPUs: ready in {boot:.1f} s, {'within' if boot <= goal else 'over'} the {goal:.0f} s goal")
for v in verdicts:
    print("verdict: " + v + (f" (load average {load:.1f}: figures are inflated)" if load > 1 else ""))
PY
