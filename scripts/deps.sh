#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages evsteer needs to build, test and demo.
# Idempotent: only missing packages are installed, and each is named
# before it is.  Needs root (or nothing to install).
#
# Besides Debian 12's own kernel (6.1), the tests build for and boot
# its Linux 6.12 from the security suite, generic and PREEMPT_RT: the
# headers of the newest 6.12 release that has both flavours (Debian's
# headers packages bring their kernel image along; the guests' images
# are unpacked from the -unsigned packages by scripts/vm.sh), and
# linux-source-6.12, the tree the KUnit suites also run in
# (scripts/kunit.sh --kernel 6.12).  A 6.12 already installed is kept.
# EVSTEER_NO_612=1 leaves 6.12 out, headers and source.
set -euo pipefail

packages=(
	gcc make libc6-dev pkg-config git perl	# host tools, tests, lint
	libpcap-dev			# the device's pcap replay
	linux-headers-amd64		# building the module
	linux-source-6.1		# KUnit tree, checkpatch.pl
	# (linux-source-6.12, the KUnit tree of 6.12: below, with the 6.12 headers)
	bc flex bison libelf-dev libssl-dev python3	# kernel builds, kunit.py
	python3-yaml python3-jsonschema	# ynl-gen-c.py: make ynl, the guest's netdev netlink reader
	sparse				# make lint
	qemu-system-x86 qemu-system-data	# the test VM, KUnit on x86_64
	busybox-static ethtool cpio kmod xz-utils	# the guest's initramfs
	tcpdump iproute2		# guest tcpdump, ip and tc, copied with their libraries
	iperf3 iputils-ping jq		# TX scenarios: iperf3 in the guest and in a netns here, ping, iperf3 -J read by jq
	gnuplot-nox valgrind		# plots, make bench
	dkms				# make dkms-install, its test
)

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: need root to install: apt-get install $*" >&2
		exit 1
	fi
}

updated=0
apt_update() {
	[ $updated = 1 ] && return
	apt-get update -q
	updated=1
}

# The 6.12 release to use: one installed (generic and rt), else the
# newest the archive has in both flavours.
release_612() {
	local r

	r=$(ls -d /usr/src/linux-headers-6.12.*+deb12-rt-amd64 2>/dev/null |
		sed 's|.*/linux-headers-||; s|-rt-amd64$||' | sort -V | tail -n 1)
	if [ -n "$r" ] && [ -d "/usr/src/linux-headers-$r-amd64" ]; then
		echo "$r"
		return
	fi
	apt_update >&2
	apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-rt-amd64$' |
		sed 's/^linux-headers-\(.*\)-rt-amd64 .*/\1/' | sort -V |
		while read -r r; do
			apt-cache show "linux-headers-$r-amd64" >/dev/null 2>&1 && echo "$r"
		done | tail -n 1
}

# iperf3's postinst asks whether to run a daemon: no (its default too);
# the tests start their own iperf3 in a namespace of their own
no_iperf3_daemon() {
	echo 'iperf3 iperf3/start_daemon boolean false' | debconf-set-selections
}

export DEBIAN_FRONTEND=noninteractive
missing=()
for p in "${packages[@]}"; do
	installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	need_root "${missing[@]}"
	apt_update
	no_iperf3_daemon
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ "${EVSTEER_NO_612:-0}" != 1 ]; then
	r=$(release_612)
	if [ -z "$r" ]; then
		echo "deps: no Linux 6.12 in the archive: only 6.1 is tested" >&2
	elif ! installed "linux-headers-$r-amd64" ||
	     ! installed "linux-headers-$r-rt-amd64"; then
		echo "deps: installing linux-headers-$r-amd64 linux-headers-$r-rt-amd64 (Linux 6.12, generic and PREEMPT_RT)"
		need_root "linux-headers-$r-amd64" "linux-headers-$r-rt-amd64"
		apt_update
		apt-get install -y -q --no-install-recommends \
			"linux-headers-$r-amd64" "linux-headers-$r-rt-amd64"
	fi
	if ! installed linux-source-6.12; then
		need_root linux-source-6.12
		apt_update
		if apt-cache show linux-source-6.12 >/dev/null 2>&1; then
			echo "deps: installing linux-source-6.12 (the KUnit tree of Linux 6.12)"
			apt-get install -y -q --no-install-recommends linux-source-6.12
		else
			echo "deps: no linux-source-6.12 in the archive: KUnit runs on 6.1 only" >&2
		fi
	fi
fi
echo "deps: all packages present"
