#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the kernel build directory to build the module against: that of
# $KVER if set, else the running kernel's, else the default headers
# (scripts/kver.sh).
set -u
if [ -z "${KVER:-}" ]; then
	running=/lib/modules/$(uname -r)/build
	if [ -d "$running" ]; then
		echo "$running"
		exit 0
	fi
fi
kver=$("$(dirname "$0")/kver.sh")
[ -n "$kver" ] && [ -d "/usr/src/linux-headers-$kver" ] &&
	echo "/usr/src/linux-headers-$kver"
