#!/usr/bin/env bash
# Installs the Debian 12 packages cpuplay needs. Needs root (or sudo); safe to run again.
# Swift itself is expected at /opt/swift or on PATH.
#
# usage: bash Scripts/install-deps.sh            build and play (and vm play: QEMU, the guest kernel)
#        bash Scripts/install-deps.sh --package  also what Scripts/package-deb.sh and build-image.sh need
#        bash Scripts/install-deps.sh --test     also what the tests need (the packaging tools included:
#                                                CI runs Scripts/test-install.sh)
set -euo pipefail
with_package=0 with_test=0
for arg in "$@"; do
  case "$arg" in
    --package) with_package=1 ;;
    --test) with_test=1 with_package=1 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-deps.sh: unknown option '$arg'; expected --package or --test" >&2; exit 2 ;;
  esac
done
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
packages=(
  # building: FFmpeg's decoding libraries, ALSA for live sound (play --audio; PulseAudio and
  # PipeWire serve it through their ALSA plugins)
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev pkg-config libasound2-dev
  # watch --prometheus drives libcurl directly (whole-request deadline, size limit as the answer arrives)
  libcurl4-openssl-dev
  # what cpuplay's own commands run: vm play's guest (QEMU and its qboot firmware, a static busybox
  # as PID 1, zstd for a zstd-packed guest kernel), vm check's validators (virt-xml-validate needs
  # libxml2-utils, domxml-to-native the QEMU driver), qemu-img for the README's VM disk, stress-ng for accuracy's anchor
  qemu-system-x86 busybox-static zstd libvirt-clients libxml2-utils libvirt-daemon-driver-qemu qemu-utils stress-ng
)
package_packages=(
  # Scripts/package-deb.sh: dpkg-shlibdeps, libcurl's headers (the static Foundation links libcurl);
  # Scripts/build-image.sh: a Debian root from Debian's packages, made into an OCI image
  dpkg-dev libcurl4-openssl-dev binutils python3 mmdebstrap buildah
  # Scripts/test-install.sh: running the image, pushing it (docs/install.md)
  podman runc skopeo
)
test_packages=(
  # reference decoder (ffmpeg, ffprobe) in tests, benchmarks and Scripts/make-sample.sh
  ffmpeg
  # real viewers (vm play --guest-viewer copies htop, btop and tmux into the guest), HTML report rendering
  htop btop tmux chromium
  # side-by-side with virt-install (Scripts/virt-install-compare.sh)
  virtinst
  # fleet: a real single-node Slurm with munge, Prometheus and node_exporter on loopback
  slurm-wlm munge prometheus prometheus-node-exporter curl
  # JSON outputs checked against Configs/schemas (Scripts/check-json.py)
  python3 python3-jsonschema python3-pip
  # generated files parsed back in the tests: PyYAML (the Job), promtool (prometheus), xmllint (libxml2-utils)
  python3-yaml
)
[ "$with_package" -eq 0 ] || packages+=("${package_packages[@]}")
[ "$with_test" -eq 0 ] || packages+=("${test_packages[@]}")
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

python_tools=()
if [ "$with_test" -eq 1 ]; then
  # Python tools the tests validate generated files with (the Kubernetes Job schema, offline).
  python_tools=(kubernetes-validate)
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "${python_tools[@]}"
fi
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
