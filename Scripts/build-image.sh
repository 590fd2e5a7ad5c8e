#!/usr/bin/env bash
# Builds cpuplay's OCI image from Debian's packages alone (no registry image): a minimal Debian 12
# root made by mmdebstrap, the .deb installed in it with apt, a non-root user `cpuplay` as the
# default, made into an image by buildah and written as an OCI archive. Prints the archive's path.
#
# usage: bash Scripts/build-image.sh [-o DIR] [DEB]
#   DEB   the package to install (default: what Scripts/package-deb.sh builds)
#   DIR   where cpuplay-VERSION.oci.tar goes (default ./out; an old archive there is replaced)
# then: podman load -i out/cpuplay-VERSION.oci.tar   (the image is cpuplay:VERSION)
#       podman run --rm cpuplay:VERSION play pattern:checker --duration 10
#
# Environment: CPUPLAY_DEBIAN_MIRROR (default: the mirror apt uses here), CPUPLAY_APT_CACHE (a folder
# that keeps the downloaded .debs between runs; none by default).
set -euo pipefail
umask 022
root="$(cd "$(dirname "$0")/.." && pwd)"
out_dir="$root/out"
deb=""
fail() { echo "build-image.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    -o) [ $# -ge 2 ] || fail "-o needs a folder"; out_dir="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) fail "unknown option '$1'; expected [-o DIR] [DEB]" ;;
    *) [ -z "$deb" ] || fail "one DEB only (got '$deb' and '$1')"; deb="$1"; shift ;;
  esac
done

need() { command -v "$1" >/dev/null 2>&1 || fail "$1 not found; install it with: apt-get install $2"; }
need mmdebstrap mmdebstrap
need buildah buildah
need dpkg-deb dpkg
[ "$(id -u)" -eq 0 ] || fail "mmdebstrap's root mode and buildah's storage need root here; run it with sudo"

if [ -z "$deb" ]; then
  deb="$(bash "$root/Scripts/package-deb.sh" -o "$out_dir" | tail -n 1)"
fi
[ -f "$deb" ] || fail "DEB '$deb' is not a file"
package="$(dpkg-deb -f "$deb" Package 2>/dev/null)" || fail "DEB '$deb' is not a Debian package"
[ "$package" = cpuplay ] || fail "DEB '$deb' is package '$package', expected cpuplay"
version="$(dpkg-deb -f "$deb" Version)"
image="cpuplay:$version"
archive="$out_dir/cpuplay-$version.oci.tar"
[ ! -d "$archive" ] || fail "'$archive' is a folder; move it away"

work="$(mktemp -d "${TMPDIR:-/tmp}/cpuplay-image.XXXXXX")"
container=""
cleanup() {
  [ -z "$container" ] || buildah rm "$container" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
cp "$deb" "$work/cpuplay.deb"

# The root: Debian 12 minbase plus the .deb, its dependencies resolved by apt; no docs or man
# pages (an image has no man), no apt lists; the user the image runs as.
mirror="${CPUPLAY_DEBIAN_MIRROR:-$(bash "$(dirname "$0")/debian-mirror.sh")}"
cache_hooks=()
if [ -n "${CPUPLAY_APT_CACHE:-}" ]; then
  mkdir -p "$CPUPLAY_APT_CACHE"
  cache_hooks=(--skip=essential/unlink
    --setup-hook='mkdir -p "$1"/var/cache/apt/archives'
    --setup-hook="sync-in '$CPUPLAY_APT_CACHE' /var/cache/apt/archives"
    --customize-hook="sync-out /var/cache/apt/archives '$CPUPLAY_APT_CACHE'"
    --customize-hook='rm -f "$1"/var/cache/apt/archives/*.deb')
fi
echo "build-image.sh: making the Debian 12 root with $deb installed" >&2
mmdebstrap --variant=minbase --quiet \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*' \
  "${cache_hooks[@]}" \
  --customize-hook="copy-in '$work/cpuplay.deb' /tmp" \
  --customize-hook='chroot "$1" apt-get install -y -q --no-install-recommends /tmp/cpuplay.deb' \
  --customize-hook='chroot "$1" useradd --create-home --uid 10001 --user-group --shell /bin/sh cpuplay' \
  --customize-hook='rm -rf "$1"/tmp/cpuplay.deb "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/log/*' \
  bookworm "$work/root.tar" \
  "deb $mirror/debian bookworm main" "deb $mirror/debian bookworm-updates main" \
  "deb $mirror/debian-security bookworm-security main" </dev/null >&2 \
  || fail "mmdebstrap failed (output above)"

# The image: that root as one layer, cpuplay as the entrypoint, the non-root user by default.
echo "build-image.sh: making image $image" >&2
container="$(buildah from --quiet scratch)"
buildah add --quiet "$container" "$work/root.tar" / >/dev/null
buildah config --user cpuplay --workingdir /home/cpuplay --entrypoint '["/usr/bin/cpuplay"]' --cmd '["play"]' \
  --env LANG=C.UTF-8 \
  --label org.opencontainers.image.title=cpuplay --label "org.opencontainers.image.version=$version" \
  --label org.opencontainers.image.licenses=Apache-2.0 \
  --label "org.opencontainers.image.description=Play a video on per-CPU utilisation graphs" "$container"
mkdir -p "$out_dir"
tmp_archive="$(mktemp "$out_dir/.cpuplay-$version.oci.tar.XXXXXX")"
rm -f "$tmp_archive"   # buildah writes the archive itself
trap 'cleanup; rm -f "$tmp_archive"' EXIT
buildah commit --quiet --format oci --disable-compression=false --rm "$container" "oci-archive:$tmp_archive:$image" >/dev/null
container=""
chmod 0644 "$tmp_archive"
mv -f "$tmp_archive" "$archive"
echo "$archive"
