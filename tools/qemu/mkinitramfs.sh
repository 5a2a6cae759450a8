#!/usr/bin/env bash
# Builds a busybox initramfs (newc cpio, gzip) for booting a stock kernel under QEMU.
#
#   mkinitramfs.sh -o OUT.cpio.gz -i INIT_SCRIPT [-f SRC[:DST]]... [-m MODULE_NAME]...
#
#   -i  script that becomes /init's payload (/init sets up /proc,/sys,/dev, then runs it)
#   -f  file to install; DST defaults to /bin/<basename>. ELF binaries get their shared
#       libraries (from ldd) copied too, so dynamically linked host tools run in the guest.
#   -m  kernel module of the booted kernel (e.g. e1000) to install with its dependencies under
#       /lib/modules/<release>/; load it in the script with `modprobe NAME`.
#   -k  kernel release for -m (default: the one tools/qemu/find-kernel.sh picks)
# Busybox comes from busybox-static (static binary: no libc needed in the guest).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

out="" init="" release="" files=() modules=()
while getopts "o:i:f:m:k:" opt; do
  case $opt in
    o) out=$OPTARG ;; i) init=$OPTARG ;; f) files+=("$OPTARG") ;; m) modules+=("$OPTARG") ;;
    k) release=$OPTARG ;;
    *) echo "usage: $0 -o OUT -i INIT [-f SRC[:DST]]... [-m MODULE]..." >&2; exit 2 ;;
  esac
done
[ -n "$out" ] && [ -n "$init" ] || { echo "mkinitramfs: -o and -i are required" >&2; exit 2; }
[ -f "$init" ] || { echo "mkinitramfs: init script '$init' not found" >&2; exit 2; }

busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || ! file -L "$busybox" 2>/dev/null | grep -q "statically linked"; then
  for c in /bin/busybox /usr/bin/busybox; do [ -x "$c" ] && busybox=$c; done
fi
[ -n "$busybox" ] || { echo "mkinitramfs: busybox not found: install busybox-static (tools/setup.sh)" >&2; exit 1; }
command -v cpio >/dev/null || { echo "mkinitramfs: cpio not found: install cpio (tools/setup.sh)" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,etc,lib,lib64,root,var/www}
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done

# Copies an ELF's shared libraries (and the loader) to the same paths in the guest.
copy_libs() {
  local lib
  { ldd "$1" 2>/dev/null || true; } | { grep -oE '/[^ ]+' || true; } | while read -r lib; do
    [ -f "$lib" ] || continue
    mkdir -p "$root$(dirname "$lib")"
    [ -e "$root$lib" ] || cp -L "$lib" "$root$lib"
  done
}

for spec in "${files[@]}"; do
  src=${spec%%:*}; dst=${spec#*:}
  [ "$dst" = "$spec" ] && dst=/bin/$(basename "$src")
  [ -e "$src" ] || { echo "mkinitramfs: file '$src' not found" >&2; exit 1; }
  mkdir -p "$root$(dirname "$dst")"
  cp -L "$src" "$root$dst"
  if head -c4 "$src" | grep -q "ELF"; then copy_libs "$src"; fi
done

if [ ${#modules[@]} -gt 0 ]; then
  [ -n "$release" ] || release=$(basename "$("$here/find-kernel.sh")" | sed 's/^vmlinuz-//')
  moddir=/lib/modules/$release
  [ -d "$moddir" ] || { echo "mkinitramfs: $moddir missing: install linux-image-amd64" >&2; exit 1; }
  for m in "${modules[@]}"; do
    deps=$(modprobe -S "$release" --show-depends "$m" 2>/dev/null | awk '$1=="insmod"{print $2}') || true
    [ -n "$deps" ] || { echo "mkinitramfs: kernel module '$m' not found for $release" >&2; exit 1; }
    for ko in $deps; do
      mkdir -p "$root$(dirname "$ko")"
      cp "$ko" "$root$ko"
    done
  done
  cp "$moddir"/modules.{order,builtin,builtin.modinfo} "$root$moddir/" 2>/dev/null || true
  depmod -b "$root" "$release" 2>/dev/null || true
fi

# /init: mount the pseudo file systems, run the payload, report its status on the console
# (run.sh turns the marker into its own exit status), then power off.
cp "$init" "$root/init.payload"
chmod +x "$root/init.payload"
cat > "$root/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
ip link set lo up 2>/dev/null
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
/bin/sh /init.payload
status=$?
echo "@@GUEST-EXIT@@ $status"
sync
poweroff -f
INIT
chmod +x "$root/init"

(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out"
