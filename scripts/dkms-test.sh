#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Packaging test: for each generic kernel the tests use (6.1, 6.12),
# `make dkms-install` builds and installs the module through DKMS and
# `modinfo -k` finds it, with every parameter documented; `make
# dkms-remove` takes it away again; then `make install` puts it where
# modprobe finds it, and the test removes it.  Changes the host's
# /lib/modules/<release>/updates and puts everything back.  One TAP line
# per check, then "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/.."
n=0 pass=0 fail=0
mkdir -p build/logs
log=build/logs/dkms.log
: >"$log"

check() {	# check NAME COMMAND...
	local name=$1
	shift
	n=$((n + 1))
	if "$@" >>"$log" 2>&1; then
		echo "ok $n - $name"
		pass=$((pass + 1))
	else
		echo "not ok $n - $name"
		tail -n 15 "$log" | sed 's/^/# /'
		fail=$((fail + 1))
	fi
}

# documented KVER: modinfo shows every module parameter with a text
documented() {
	local out

	out=$(modinfo -k "$1" evsteer) || return 1
	for p in device_peer lanes bh_mode; do
		grep -qE "^parm: +$p:.{10,}" <<<"$out" || return 1
	done
}

# installed_in KVER DIR: modprobe would load evsteer from there (DKMS
# may compress it)
installed_in() {
	case $(modinfo -k "$1" -F filename evsteer 2>/dev/null) in
	"/lib/modules/$1/$2/"*evsteer.ko | "/lib/modules/$1/$2/"*evsteer.ko.[gxz]z | \
	"/lib/modules/$1/$2/"*evsteer.ko.zst) return 0 ;;
	esac
	return 1
}

gone() { ! modinfo -k "$1" evsteer >/dev/null 2>&1; }

for k in $(scripts/kernels.sh | grep -v -- '-rt-'); do
	check "dkms-install for $k" timeout 600 make -s dkms-install KVER="$k"
	check "modinfo -k $k finds the DKMS module" installed_in "$k" updates/dkms
	check "modinfo documents every parameter ($k)" documented "$k"
	check "dkms-remove" timeout 300 make -s dkms-remove
	check "the DKMS module is gone ($k)" gone "$k"
	check "make install for $k" timeout 600 make -s install KVER="$k"
	check "modinfo -k $k finds the installed module" installed_in "$k" updates
	rm -rf "/lib/modules/$k/updates/drivers/evsteer"
	rmdir "/lib/modules/$k/updates/drivers" 2>/dev/null
	depmod -a "$k" 2>/dev/null
	check "removed again ($k)" gone "$k"
done
echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" = 0 ]
