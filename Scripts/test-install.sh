#!/usr/bin/env bash
# The install proof CI runs on every submission: builds the .deb (twice: same bytes, no
# leftovers), installs it with apt into a clean Debian 12 root made by mmdebstrap (no Swift in it)
# and runs cpuplay there; builds the OCI image, loads it with podman and plays in it; and the
# scripts' bad-input cases. Ends with "N passed, N failed"; exits 1 on any failure.
#
# usage: sudo bash Scripts/test-install.sh      (root: chroot, mounts, podman's storage)
#
# The base root (minbase + man-db + bash-completion) is cached for a week in
# ~/.cache/cpuplay/install-test/, and so are the .debs apt downloads, so a run mostly costs the
# release build.
set -uo pipefail
umask 022
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/cpuplay/install-test"
mirror="${CPUPLAY_DEBIAN_MIRROR:-$(bash "$(dirname "$0")/debian-mirror.sh")}"
passed=0 failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1${2:+: $2}"; failed=$((failed + 1)); }
# check NAME COMMAND...: passes when COMMAND succeeds.
check() { local name="$1"; shift; if "$@"; then pass "$name"; last_ok=1; else fail "$name"; last_ok=0; fi; }
# show FILE: after a failed check, the last lines of what the command said.
show() { [ "$last_ok" -eq 1 ] || tail -n 3 "$1" | sed 's/^/    | /'; }
last_ok=1

phase_name="" phase_start=0
phase() {
  local now; now="$(date +%s%N)"
  if [ -n "$phase_name" ]; then
    local ms=$(( (now - phase_start) / 1000000 ))
    printf 'TIME %-34s %d.%01d s\n' "$phase_name" $((ms / 1000)) $(((ms % 1000) / 100))
  fi
  phase_name="${1:-}" phase_start="$now"
  [ -z "$phase_name" ] || echo "== $phase_name"
}

[ "$(id -u)" -eq 0 ] || { echo "test-install.sh: needs root (chroot, mounts, podman); run it with sudo" >&2; exit 2; }
for tool in dpkg-deb mmdebstrap buildah podman python3; do
  command -v "$tool" >/dev/null || { echo "test-install.sh: $tool not found; run bash Scripts/install-deps.sh --test" >&2; exit 2; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/cpuplay-install-test.XXXXXX")"
chroot_dir="$work/root"
mounted=()
cleanup() {
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null; done
  [ -z "${image:-}" ] || podman rmi -f "$image" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# Podman on this kind of machine: runc (crun refuses it) and no default ulimits.
printf '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n' > "$work/containers.conf"
export CONTAINERS_CONF="$work/containers.conf"
mkdir -p "$work/tmp" "$work/out" "$cache/apt"

# A PATH holding every command of this system except the named ones.
path_without() {
  local dir="$work/path-without-$1" f
  rm -rf "$dir"; mkdir -p "$dir"
  for f in /usr/local/bin/* /usr/bin/* /usr/sbin/* /opt/swift/usr/bin/*; do
    local base="${f##*/}" skip=0 name
    for name in "$@"; do [ "$base" = "$name" ] && skip=1; done
    [ "$skip" -eq 1 ] || [ -e "$dir/$base" ] || ln -s "$f" "$dir/$base"
  done
  echo "$dir"
}
# one_line_error NAME EXPECTED_TEXT COMMAND...: fails with exactly one stderr line naming EXPECTED_TEXT.
one_line_error() {
  local name="$1" expect="$2"; shift 2
  "$@" >"$work/stdout" 2>"$work/stderr"; local status=$?
  local lines; lines="$(wc -l < "$work/stderr")"
  if [ "$status" -ne 0 ] && [ "$lines" -eq 1 ] && grep -qF -- "$expect" "$work/stderr"; then
    pass "$name ($(cat "$work/stderr"))"
  else
    fail "$name" "status $status, $lines stderr line(s): $(head -c 300 "$work/stderr")"
  fi
}
in_root() { chroot "$chroot_dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
json_field() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"d": d}))' "$@"; }
only_system_libraries() {   # ldd output on stdin: every library in /lib or /usr/lib, none missing
  awk '$2 == "=>" { print $3 } $2 != "=>" && $1 ~ /^\// { print $1 } /not found/ { print "MISSING " $0 }' \
    | grep -Ev '^(/usr)?/lib(64|/x86_64-linux-gnu)?/[^/]+$' | { ! grep .; }
}
export -f only_system_libraries

# ---------------------------------------------------------------------------------------------
phase "package: first build"
export TMPDIR="$work/tmp"
deb="$(bash "$root/Scripts/package-deb.sh" -o "$work/out" 2>"$work/package.log" | tail -n 1)"
if [ -f "$deb" ]; then pass "package-deb.sh made $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"
else fail "package-deb.sh made no .deb" "$(tail -5 "$work/package.log")"; fi
built="$root/.build/deb/release/cpuplay"
version="$(dpkg-deb -f "$deb" Version 2>/dev/null)"
check "the package's version ($version) is cpuplay --version's" [ "$version" = "$("$built" --version)" ]
check "the .deb is named cpuplay_${version}_amd64.deb" [ "$(basename "$deb")" = "cpuplay_${version}_amd64.deb" ]
depends="$(dpkg-deb -f "$deb" Depends)"
check "Depends (from the binaries) name FFmpeg and ALSA: $depends" \
  bash -c '[[ "$1" == *libavcodec* && "$1" == *libavformat* && "$1" == *libasound2* ]]' _ "$depends"
check "Recommends what vm needs" bash -c '[[ "$(dpkg-deb -f "$1" Recommends)" == *qemu-system-x86*busybox-static*zstd* ]]' _ "$deb"
check "no toolchain file in the package" bash -c '! dpkg-deb -c "$1" | grep -Eq "swift|/opt/"' _ "$deb"
check "the copyright file names Apache-2.0" bash -c 'dpkg-deb --fsys-tarfile "$1" | tar -xO ./usr/share/doc/cpuplay/copyright | grep -q "^License: Apache-2.0"' _ "$deb"

phase "package: second run"
first_sum="$(sha256sum < "$deb")"
deb2="$(bash "$root/Scripts/package-deb.sh" -o "$work/out" 2>>"$work/package.log" | tail -n 1)"
check "run twice: the same path" [ "$deb2" = "$deb" ]
check "run twice: the same bytes" [ "$(sha256sum < "$deb")" = "$first_sum" ]
check "no leftovers: the output folder holds only the .deb" [ "$(ls -A "$work/out")" = "$(basename "$deb")" ]
check "no leftovers: nothing left in TMPDIR" [ -z "$(ls -A "$work/tmp")" ]
[ "$last_ok" -eq 1 ] || ls -A "$work/tmp" | head -3 | sed 's/^/    | /'

phase "package: bad input"
echo "an old, broken package" > "$deb"
echo "not to be written" > "$work/victim"
deb3="$(bash "$root/Scripts/package-deb.sh" -o "$work/out" 2>>"$work/package.log" | tail -n 1)"
check "an old .deb in the way is replaced" [ "$deb3" = "$deb" -a "$(sha256sum < "$deb")" = "$first_sum" ]
rm -f "$deb"; ln -s "$work/victim" "$deb"
bash "$root/Scripts/package-deb.sh" -o "$work/out" >/dev/null 2>>"$work/package.log"
check "a link at the .deb's name is replaced, not written through" \
  [ ! -L "$deb" -a "$(sha256sum < "$deb")" = "$first_sum" -a "$(cat "$work/victim")" = "not to be written" ]
no_dpkg="$(path_without dpkg-deb)"
one_line_error "package-deb.sh without dpkg-deb: one line naming the package" "apt-get install dpkg" \
  env PATH="$no_dpkg" bash "$root/Scripts/package-deb.sh" -o "$work/out"
one_line_error "package-deb.sh with an unknown option: one line" "unknown argument" \
  bash "$root/Scripts/package-deb.sh" --frobnicate
no_mm="$(path_without mmdebstrap)"
one_line_error "build-image.sh without mmdebstrap: one line naming it" "apt-get install mmdebstrap" \
  env PATH="$no_mm" bash "$root/Scripts/build-image.sh" -o "$work/out" "$deb"
no_buildah="$(path_without buildah)"
one_line_error "build-image.sh without buildah: one line naming it" "apt-get install buildah" \
  env PATH="$no_buildah" bash "$root/Scripts/build-image.sh" -o "$work/out" "$deb"
one_line_error "build-image.sh with a DEB that is not a package: one line" "is not a Debian package" \
  bash "$root/Scripts/build-image.sh" -o "$work/out" "$work/victim"
unset TMPDIR

# ---------------------------------------------------------------------------------------------
phase "clean root: Debian 12 minbase"
base="$cache/bookworm-minbase.tar"
if [ ! -s "$base" ] || [ -n "$(find "$base" -mtime +7)" ]; then
  mmdebstrap --variant=minbase --quiet --include=man-db,bash-completion bookworm "$base.tmp" \
    "deb $mirror/debian bookworm main" "deb $mirror/debian bookworm-updates main" \
    "deb $mirror/debian-security bookworm-security main" </dev/null >"$work/mmdebstrap.log" 2>&1 \
    && mv -f "$base.tmp" "$base" || { rm -f "$base.tmp"; fail "mmdebstrap made no root" "$(tail -3 "$work/mmdebstrap.log")"; }
fi
mkdir -p "$chroot_dir"
tar -C "$chroot_dir" -xf "$base" 2>/dev/null
check "the clean root has no Swift" bash -c '! ls "$1"/opt/swift "$1"/usr/bin/swift* "$1"/usr/lib/swift >/dev/null 2>&1' _ "$chroot_dir"
for m in proc sys dev; do
  mkdir -p "$chroot_dir/$m"
  case "$m" in proc) mount -t proc proc "$chroot_dir/proc" ;; sys) mount -t sysfs sysfs "$chroot_dir/sys" ;;
    dev) mount --bind /dev "$chroot_dir/dev" ;; esac && mounted+=("$chroot_dir/$m")
done
mkdir -p "$chroot_dir/var/cache/apt/archives"
mount --bind "$cache/apt" "$chroot_dir/var/cache/apt/archives" && mounted+=("$chroot_dir/var/cache/apt/archives")
cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf"
cp "$deb" "$chroot_dir/tmp/"

phase "clean root: apt installs the .deb"
if in_root apt-get update -qq >"$work/apt.log" 2>&1 \
   && in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb")" >>"$work/apt.log" 2>&1; then
  pass "apt-get install ./$(basename "$deb") resolved $(grep -c '^Setting up' "$work/apt.log") packages"
else
  fail "apt-get install of the .deb" "$(tail -3 "$work/apt.log")"
fi
check "installed: dpkg knows cpuplay $version" [ "$(in_root dpkg-query -W -f '${Version}' cpuplay 2>/dev/null)" = "$version" ]
installed_kib="$(in_root dpkg-query -W -f '${Installed-Size}' cpuplay 2>/dev/null)"

phase "clean root: cpuplay runs"
check "installed cpuplay --version is $version" [ "$(in_root cpuplay --version 2>&1)" = "$version" ]
for b in /usr/bin/cpuplay /usr/lib/cpuplay/cpuplay-guest; do
  check "ldd $b names only the system's library folders" bash -c 'chroot "$1" ldd "$2" | only_system_libraries' _ "$chroot_dir" "$b"
done
in_root sh -c 'cd /tmp && cpuplay info' >"$work/info.txt" 2>&1
check "cpuplay info (no INPUT) reads the installed sample" grep -q "/usr/share/cpuplay/sample.mp4" "$work/info.txt"
in_root sh -c 'cd /tmp && cpuplay info --json' >"$work/info.json" 2>"$work/info.err"
check "cpuplay info --json parses (schema media-info)" [ "$(json_field "$work/info.json" 'd["schema"]' 2>/dev/null)" = media-info ]
in_root cpuplay convert /usr/share/cpuplay/sample.mp4 -o /tmp/sample.y4m --grid 8x4 >"$work/convert.txt" 2>&1
check "cpuplay convert writes a Y4M clip" bash -c 'head -c 10 "$1" | grep -q YUV4MPEG2' _ "$chroot_dir/tmp/sample.y4m"
in_root cpuplay play pattern:checker --duration 2 --report - >"$work/play.json" 2>"$work/play.err"
check "cpuplay play pattern:checker --duration 2 --report -: JSON with frames shown" \
  [ "$(json_field "$work/play.json" 'd["schema"] == "play-report" and d["frames_shown"] > 0' 2>/dev/null)" = True ]
show "$work/play.err"
check "man -w cpuplay finds the page" [ "$(in_root man -w cpuplay 2>&1)" = /usr/share/man/man1/cpuplay.1.gz ]
completion="$(in_root bash -c 'source /usr/share/bash-completion/bash_completion
  _completion_loader cpuplay
  fn="$(complete -p cpuplay | sed -E "s/.*-F ([^ ]+).*/\1/")"
  COMP_WORDS=(cpuplay pl); COMP_CWORD=1; COMP_LINE="cpuplay pl"; COMP_POINT=${#COMP_LINE}
  "$fn" cpuplay pl cpuplay; printf "%s\n" "${COMPREPLY[@]}"' 2>&1)"
check "bash completion loads and completes 'cpuplay pl' to play" grep -qx play <<<"$completion"
check "zsh and fish completions are installed" \
  [ -s "$chroot_dir/usr/share/zsh/vendor-completions/_cpuplay" -a -s "$chroot_dir/usr/share/fish/vendor_completions.d/cpuplay.fish" ]
in_root sh -c 'cd /tmp && cpuplay vm xml --preset linux-64 --offline --disk none --network none -o /tmp/vm.xml' >"$work/vm.txt" 2>&1
check "vm xml --preset linux-64 finds the installed preset" grep -q "<vcpu[^>]*>64</vcpu>" "$chroot_dir/tmp/vm.xml"
check "the schemas and layouts are installed" [ -s "$chroot_dir/usr/share/cpuplay/schemas/play-report.schema.json" \
  -a -s "$chroot_dir/usr/share/cpuplay/layouts/2x1.json" ]
check "play as a non-root user" bash -c 'chroot --userspec=65534:65534 "$1" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/tmp \
  cpuplay play pattern:checker --duration 1 --report - 2>"$2" | python3 -c "import json,sys; json.load(sys.stdin)" 2>/dev/null' \
  _ "$chroot_dir" "$work/play-user.err"
show "$work/play-user.err"

phase "clean root: a missing installed file"
mv "$chroot_dir/usr/share/cpuplay/sample.mp4" "$chroot_dir/tmp/sample.mp4.away"
one_line_error "sample missing from /usr/share/cpuplay: one line naming it" "/usr/share/cpuplay/sample.mp4" \
  in_root sh -c 'cd /tmp && cpuplay play --duration 1'
mv "$chroot_dir/tmp/sample.mp4.away" "$chroot_dir/usr/share/cpuplay/sample.mp4"
fleet_ok=0
in_root sh -c 'cd /tmp && cpuplay fleet plan pattern:checker --nodes 2 --cpus-per-node 1 -o /tmp/fleet' >"$work/fleet.txt" 2>&1 \
  && fleet_ok=1
in_root apt-get remove -y -q cpuplay >>"$work/apt.log" 2>&1
check "apt-get remove leaves no file of the package" bash -c '! ls -A "$1"/usr/share/cpuplay "$1"/usr/lib/cpuplay "$1"/usr/bin/cpuplay >/dev/null 2>&1' _ "$chroot_dir"

# ---------------------------------------------------------------------------------------------
phase "image: build"
image="cpuplay:$version"
podman rmi -f "$image" >/dev/null 2>&1
archive="$(CPUPLAY_APT_CACHE="$cache/apt" bash "$root/Scripts/build-image.sh" -o "$work/out" "$deb" 2>"$work/image.log" | tail -n 1)"
if [ -f "$archive" ]; then pass "build-image.sh wrote $(basename "$archive") ($(du -k "$archive" | cut -f1) KiB)"
else fail "build-image.sh wrote no archive" "$(tail -5 "$work/image.log")"; fi
check "the archive is named cpuplay-$version.oci.tar" [ "$(basename "$archive")" = "cpuplay-$version.oci.tar" ]

phase "image: podman load and run"
podman load -i "$archive" >"$work/load.txt" 2>&1
check "podman load names the image localhost/$image" grep -q "localhost/$image" "$work/load.txt"
check "the image runs as a non-root user by default" [ "$(podman run --rm --entrypoint id "$image" -u 2>/dev/null)" != 0 ]
check "the image's cpuplay --version is $version" [ "$(podman run --rm "$image" --version 2>/dev/null)" = "$version" ]
podman run --rm --cpuset-cpus 1 "$image" play pattern:checker --duration 2 --report - >"$work/podman-play.json" 2>"$work/podman-play.err"
check "podman run --cpuset-cpus 1 IMAGE play ... --report -: JSON on CPU 1" \
  [ "$(json_field "$work/podman-play.json" 'd["schema"] == "play-report" and d["frames_shown"] > 0 and d["cpus"] == [1]' 2>/dev/null)" = True ]
show "$work/podman-play.err"
image_size="$(podman image inspect --format '{{.Size}}' "$image" 2>/dev/null)"
job_image="$(python3 - "$chroot_dir/tmp/fleet/cpuplay-fleet-job.yaml" 2>&1 <<'EOF'
import sys, yaml
jobs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d.get("kind") == "Job"]
print(" ".join(sorted({c["image"] for j in jobs for c in j["spec"]["template"]["spec"]["containers"]})))
EOF
)"
check "fleet plan's Kubernetes Job (parsed) names the image by default: $job_image" [ "$fleet_ok" -eq 1 -a "$job_image" = "$image" ]

phase ""
echo "SIZE .deb $(du -k --apparent-size "$deb" | cut -f1) KiB, installed ${installed_kib:-?} KiB, image ${image_size:-?} bytes ($(du -k "$archive" 2>/dev/null | cut -f1) KiB archive)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
