#!/usr/bin/env bash
# Side by side: the same guest request made with virt-install (Debian's virtinst, --print-xml)
# and with `cpuplay vm xml`, each result checked by libvirt's schema (virt-xml-validate) and by
# libvirt's QEMU driver (virsh domxml-to-native against the installed QEMU), for 64, 255, 256
# and 288 vCPUs on q35, Linux and Windows guests. Prints a markdown table.
#
# Needs: virtinst, libvirt-clients, libxml2-utils, libvirt-daemon-driver-qemu, qemu-system-x86,
# and a built cpuplay (set CPUPLAY=path, else the newest .build*/*/cpuplay is used).
# No libvirt daemon is needed: both tools talk to libvirt's embedded QEMU driver
# (qemu:///embed?root=DIR). virt-install does not register the event loop that driver needs, so
# it is run through a few lines of Python that do; as root everything runs inside
# `unshare --user --net --keep-caps` (see Sources/CPUPlayVirt/EmbeddedQEMUDriver.swift for why).
set -euo pipefail
cd "$(dirname "$0")/.."

COUNTS=(${COUNTS:-64 255 256 288})
OSES=(${OSES:-linux windows})

need() { command -v "$1" >/dev/null 2>&1 || { echo "virt-install-compare: $1 not found (install $2)" >&2; exit 1; }; }
need virt-install virtinst
need virsh libvirt-clients
need virt-xml-validate "libvirt-clients libxml2-utils"
need qemu-system-x86_64 qemu-system-x86

CPUPLAY="${CPUPLAY:-}"
if [ -z "$CPUPLAY" ]; then
  CPUPLAY=$(ls -t .build*/*/cpuplay .build*/debug/cpuplay .build*/release/cpuplay 2>/dev/null | head -1 || true)
fi
[ -x "${CPUPLAY:-}" ] || { echo "virt-install-compare: no cpuplay binary; run 'swift build' or set CPUPLAY=path" >&2; exit 1; }

WRAP=()
if unshare --user --net --keep-caps true 2>/dev/null; then WRAP=(unshare --user --net --keep-caps); fi

WORK=$(mktemp -d /tmp/virt-install-compare.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export CPUPLAY_LIBVIRT_CACHE="$WORK/caps-cache"

cat > "$WORK/virt-install-embed.py" <<'PY'
import sys, threading
sys.path.insert(0, "/usr/share/virt-manager")
import libvirt
libvirt.virEventRegisterDefaultImpl()
threading.Thread(target=lambda: [libvirt.virEventRunDefaultImpl() for _ in iter(int, 1)], daemon=True).start()
from virtinst import virtinstall
sys.argv[0] = "virt-install"
virtinstall.runcli()
PY

# Runs virsh (or python) against a fresh embedded driver root.
# QEMU's capability probe (seconds) is shared through $CPUPLAY_LIBVIRT_CACHE, as cpuplay does.
embedded() {
  local root rc=0; root=$(mktemp -d "$WORK/root.XXXXXX")
  mkdir -p "$root/cache/qemu/capabilities" "$CPUPLAY_LIBVIRT_CACHE"
  cp "$CPUPLAY_LIBVIRT_CACHE"/*.xml "$root/cache/qemu/capabilities/" 2>/dev/null || true
  HOME="$root" XDG_CACHE_HOME="$root/c" XDG_CONFIG_HOME="$root/g" XDG_RUNTIME_DIR="$root/r" \
    "${WRAP[@]}" "$@" "qemu:///embed?root=$root" || rc=$?
  cp -n "$root/cache/qemu/capabilities/"*.xml "$CPUPLAY_LIBVIRT_CACHE/" 2>/dev/null || true
  rm -rf "$root"
  return $rc
}
virsh_embed() { local f=$1; embedded sh -c 'virsh -q -c "$1" domxml-to-native qemu-argv "$0"' "$f"; }
vi_embed() {  # vi_embed OUTFILE args...  (the embedded URI is appended last by `embedded`)
  local out=$1; shift
  VI_OUT="$out" VI_PY="$WORK/virt-install-embed.py" embedded bash -c \
    'uri=${@: -1}; set -- "${@:1:$#-1}"; /usr/bin/python3 "$VI_PY" --connect "$uri" "$@" > "$VI_OUT"' virt-install "$@"
}

verdict() {  # verdict FILE -> "schema ok|FAILED; driver ok (-smp ...)|FAILED: msg"
  local f=$1 s d argv
  if virt-xml-validate "$f" domain >/dev/null 2>&1; then s="ok"; else s="FAILED"; fi
  if argv=$(virsh_embed "$f" 2>"$f.err"); then
    d="ok ($(tr ' ' '\n' <<<"$argv" | grep -A1 '^-smp$' | tail -1 | cut -d, -f1-5)$(grep -q intel-iommu <<<"$argv" && echo ', intel-iommu' || true))"
  else
    d="FAILED: $(grep '^error:' "$f.err" | grep -v 'Failed to convert' | sed 's/^error: //' | head -2 | tr '\n' ' ' | sed 's/ $//' || true)"
  fi
  echo "schema $s; QEMU driver $d"
}

echo "| vCPUs | guest | virt-install --print-xml | cpuplay vm xml |"
echo "| --- | --- | --- | --- |"
for os in "${OSES[@]}"; do
  if [ "$os" = windows ]; then osinfo=win10; cp_os=(--os windows --windows-edition server); else osinfo=linux2022; cp_os=(--os linux); fi
  for n in "${COUNTS[@]}"; do
    vi="$WORK/vi-$os-$n.xml"; cp="$WORK/cp-$os-$n.xml"
    if vi_embed "$vi" --print-xml --name "vi-$os-$n" --memory 4096 --vcpus "$n" --machine q35 --osinfo "$osinfo" \
         --disk none --import --network none --graphics none 2>"$vi.log"; then
      vi_result=$(verdict "$vi")
    else
      vi_result="virt-install refused: $(grep -E 'ERROR' "$vi.log" | head -1 | sed 's/^ERROR *//' || true)"
    fi
    if "$CPUPLAY" vm xml --vcpus "$n" --machine q35 "${cp_os[@]}" --disk none --network none -q -o "$cp" 2>"$cp.log"; then
      cp_result=$(verdict "$cp")
    else
      cp_result="cpuplay refused: $(tail -1 "$cp.log" | sed 's/^Error: //' || true)"
    fi
    echo "| $n | $os | $vi_result | $cp_result |"
  done
done
