#!/usr/bin/env bash
# Installs every Debian package offsched needs. Idempotent: installs only what is missing.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config ninja-build
  libsystemc-dev libboost-dev catch2 libyaml-cpp-dev libcli11-dev libfmt-dev nlohmann-json3-dev
  qemu-system-x86 linux-headers-amd64 linux-image-amd64 busybox-static cpio kmod iptables
  iproute2 curl tcpdump
  xdp-tools   # bench/kernel/run.sh --nic-model virtio-net-pci: xdp-filter, the XDP peer
  valgrind librsvg2-bin libpng-dev
  clang
  libopenmpi-dev openmpi-bin
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: all packages present"
fi
