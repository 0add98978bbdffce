#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages evsteer needs to build, test and demo.
# Idempotent: only missing packages are installed, and each is named
# before it is.  Needs root (or nothing to install).
set -euo pipefail

packages=(
	gcc make libc6-dev pkg-config git perl	# host tools, tests, lint
	libpcap-dev			# the device's pcap replay
	linux-headers-amd64		# building the module
	linux-source-6.1		# KUnit tree, checkpatch.pl
	bc flex bison libelf-dev libssl-dev python3	# kernel builds, kunit.py
	sparse				# make lint
	qemu-system-x86 qemu-system-data	# the test VM, KUnit on x86_64
	busybox-static ethtool cpio kmod xz-utils	# the guest's initramfs
	tcpdump iproute2		# guest tcpdump and ip, copied with their libraries
	gnuplot-nox valgrind		# plots, make bench
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#packages[@]} packages present"
	exit 0
fi

echo "deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: need root to install: apt-get install ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
