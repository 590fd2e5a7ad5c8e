#!/usr/bin/env bash
# Installs the Debian 12 packages cpuplay builds against and tests with.
# Needs root (or sudo); safe to run again. Swift itself is expected at /opt/swift or on PATH.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
packages=(
  # decoding
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev pkg-config
  # live sound for play --audio (ALSA; PulseAudio and PipeWire serve it through their ALSA plugins)
  libasound2-dev
  # watch --prometheus drives libcurl directly (whole-request deadline, size limit as the answer arrives)
  libcurl4-openssl-dev
  # reference decoder in tests and benchmarks
  ffmpeg
  # VM XML validation (virt-xml-validate needs libxml2-utils; domxml-to-native needs the QEMU driver)
  libvirt-clients libxml2-utils libvirt-daemon-driver-qemu qemu-system-x86
  # vm play's guest image: a static busybox as PID 1, zstd to compress the initramfs
  busybox-static zstd
  # the README's VM path: qemu-img creates the guest's disk
  qemu-utils
  # side-by-side with virt-install (Scripts/virt-install-compare.sh)
  virtinst
  # tests against real viewers (vm play --guest-viewer copies htop, btop and tmux into the guest), HTML report rendering, benchmark anchor
  htop btop tmux chromium stress-ng
  # fleet: a real single-node Slurm with munge, Prometheus and node_exporter on loopback
  slurm-wlm munge prometheus prometheus-node-exporter curl
  # JSON outputs checked against Configs/schemas (Scripts/check-json.py)
  python3-jsonschema
  # generated files parsed back in the tests: PyYAML (the Job), promtool (prometheus, above), xmllint (libxml2-utils, above)
  python3-yaml
)
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

# Python tools the tests validate generated files with (the Kubernetes Job schema, offline).
python_tools=(kubernetes-validate)
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "${python_tools[@]}"
echo "install-deps: ${#packages[@]} packages and ${#python_tools[@]} Python tool(s) present"

# vm play's guest kernel: Debian's linux-image-amd64, unpacked (not installed) into the cache
# cpuplay looks in. Needs no root: apt-get download fetches into the current directory.
guest_cache="${CPUPLAY_GUEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cpuplay/guest}"
if [ ! -s "$guest_cache/vmlinuz" ]; then
  mkdir -p "$guest_cache"
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  # linux-image-amd64 is a metapackage: fetch the versioned image it depends on.
  image="$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')"
  (cd "$scratch" && apt-get download -qq "$image" 2>/dev/null && dpkg-deb -x ./*.deb root)
  cp "$scratch"/root/boot/vmlinuz-* "$guest_cache/vmlinuz.tmp"
  mv "$guest_cache/vmlinuz.tmp" "$guest_cache/vmlinuz"
  rm -rf "$scratch"
  trap - EXIT
  echo "install-deps: guest kernel $image in $guest_cache/vmlinuz"
fi
