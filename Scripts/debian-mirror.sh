#!/usr/bin/env bash
# Prints the Debian mirror this machine's apt uses (the URI of its bookworm "debian" source,
# without the trailing /debian), so the clean roots of test-install.sh and build-image.sh come
# from the same place as the machine's own packages. Reads the deb822 and one-line formats.
# Exit 1 with one line when apt names no Debian source.
set -eu
uri="$(
  { cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }'
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }'
  } | grep -E "/debian/?$" | head -n 1 || true
)"
[ -n "$uri" ] || { echo "debian-mirror.sh: apt names no Debian source; set CPUPLAY_DEBIAN_MIRROR" >&2; exit 1; }
echo "${uri%/}" | sed 's|/debian$||'
