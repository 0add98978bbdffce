#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the kernel release to build for and boot by default: $KVER if
# set, else the one Debian's linux-headers-amd64 stands for (6.1 on
# Debian 12), else the newest installed linux-headers-*-amd64.  Other
# installed headers (Debian 12 also carries 6.12) are only used when
# asked for by name.
set -u
if [ -n "${KVER:-}" ]; then
	echo "$KVER"
	exit 0
fi
dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
	sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p')
if [ -n "$dep" ] && [ -d "/usr/src/linux-headers-$dep" ]; then
	echo "$dep"
	exit 0
fi
h=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
[ -n "$h" ] && echo "${h#/usr/src/linux-headers-}"
