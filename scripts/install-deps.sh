#!/usr/bin/env bash
# Installs what building and testing Sluice needs on a fresh Debian 12 machine. Idempotent: packages
# already present are not fetched again.
set -euo pipefail
pkgs=(clang llvm libbpf-dev libbpf1 bpftool iproute2 iputils-ping wrk iperf3 socat curl systemd procps python3)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages (${missing[*]}); run as root to install them" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# bpffs is where pinned maps live; most systems mount it already.
if [ "$(id -u)" -eq 0 ] && ! mountpoint -q /sys/fs/bpf; then
  mount -t bpf bpf /sys/fs/bpf
fi
