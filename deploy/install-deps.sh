#!/usr/bin/env bash
# Installs, with apt, the system packages Coxswain needs and the machine lacks.
# Idempotent: a second run finds everything present and installs nothing.
set -euo pipefail

# package -> a file it provides (presence check that needs no dpkg database query)
declare -A WANT=(
  [etcd-server]=/usr/bin/etcd
  [etcd-client]=/usr/bin/etcdctl
  [runc]=/usr/sbin/runc
  [systemd]=/usr/bin/systemd-analyze
  [qemu-system-x86]=/usr/bin/qemu-system-x86_64
  [qemu-utils]=/usr/bin/qemu-img
  [busybox-static]=/bin/busybox
  [docker-registry]=/usr/bin/docker-registry
  [iproute2]=/usr/sbin/ip
  [iputils-ping]=/usr/bin/ping
  [iptables]=/usr/sbin/iptables
  [curl]=/usr/bin/curl
  [chromium]=/usr/bin/chromium
  [prometheus]=/usr/bin/prometheus
  [cpio]=/usr/bin/cpio
  [kmod]=/usr/sbin/depmod
  [openssl]=/usr/bin/openssl
  [e2fsprogs]=/usr/sbin/mkfs.ext4
  [attr]=/usr/bin/setfattr
  [genisoimage]=/usr/bin/genisoimage
  [gcc]=/usr/bin/gcc
  [libc6-dev]=/usr/lib/x86_64-linux-gnu/libc.a
  [util-linux]=/usr/bin/nsenter
  [procps]=/usr/bin/pkill
  [debootstrap]=/usr/sbin/debootstrap
)

# QEMU drops to this user once its devices and files are open (libs/runtime/src/vm/confinement.ts).
if [ "$(id -u)" -eq 0 ] && ! getent passwd coxswain-qemu >/dev/null; then
  useradd --system --no-create-home --shell /usr/sbin/nologin --user-group coxswain-qemu
fi

missing=()
for pkg in "${!WANT[@]}"; do
  [ -e "${WANT[$pkg]}" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all system packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing ${missing[*]}; run as root (or via sudo) to install them" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# --no-install-recommends keeps chromium/prometheus from dragging in desktop bits;
# policy-rc.d stops Debian from auto-starting etcd/registry/prometheus as services.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
trap 'rm -f /usr/sbin/policy-rc.d' EXIT
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: installed ${missing[*]}"
