#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the kernel releases the tests run on, one per line: Debian 12's
# default (scripts/kver.sh, 6.1), then the newest installed Linux 6.12,
# generic and PREEMPT_RT (scripts/deps.sh installs them).
set -u
"$(dirname "$0")/kver.sh"
r=$(ls -d /usr/src/linux-headers-6.12.*+deb12-rt-amd64 2>/dev/null |
	sed 's|.*/linux-headers-||; s|-rt-amd64$||' | sort -V | tail -n 1)
if [ -n "$r" ] && [ -d "/usr/src/linux-headers-$r-amd64" ]; then
	echo "$r-amd64"
	echo "$r-rt-amd64"
fi
