#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the module against every kernel the tests use (scripts/kernels.sh:
# 6.1, 6.12, 6.12 PREEMPT_RT), each in its own tree under build/kmod/,
# and fetch each guest kernel, through scripts/vm.sh --build-only.  One
# TAP line per kernel, then "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0 n=0
mkdir -p build/logs
for k in $(scripts/kernels.sh); do
	n=$((n + 1))
	log=build/logs/kbuild-$k.log
	t0=$(date +%s)
	if EVSTEER_GUEST_KVER=$k timeout 1200 scripts/vm.sh --build-only >"$log" 2>&1; then
		echo "ok $n - module builds for $k ($(($(date +%s) - t0)) s)"
		pass=$((pass + 1))
	else
		sed 's/^/# /' "$log" | tail -n 30
		echo "not ok $n - module builds for $k"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" = 0 ]
