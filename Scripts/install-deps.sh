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
  # reference decoder in tests and benchmarks
  ffmpeg
  # VM XML validation (virt-xml-validate needs libxml2-utils; domxml-to-native needs the QEMU driver)
  libvirt-clients libxml2-utils libvirt-daemon-driver-qemu qemu-system-x86
  # the README's VM path: qemu-img creates the guest's disk
  qemu-utils
  # side-by-side with virt-install (Scripts/virt-install-compare.sh)
  virtinst
  # tests against real viewers, HTML report rendering, benchmark anchor
  htop tmux chromium stress-ng
  # fleet: a real single-node Slurm with munge, Prometheus and node_exporter on loopback
  slurm-wlm munge prometheus prometheus-node-exporter curl
  # JSON outputs checked against Configs/schemas (Scripts/check-json.py)
  python3-jsonschema
)
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
# Python tools the tests validate generated files with (the Kubernetes Job schema, offline).
python_tools=(kubernetes-validate)
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "${python_tools[@]}"
echo "install-deps: ${#packages[@]} packages and ${#python_tools[@]} Python tool(s) present"
