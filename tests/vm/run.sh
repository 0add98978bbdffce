#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# evsteer VM scenarios: each boots the test VM through scripts/vm.sh
# with its own device options and guest script (tests/vm/guest/) and
# becomes one TAP line.  The last line is "N passed, N failed, N skipped";
# the exit status is non-zero if any scenario failed.
#
# Usage: tests/vm/run.sh [SCENARIO...]   (default: all)
#        tests/vm/run.sh --list
# Env:   EVSTEER_SCENARIO_TIMEOUT  bound on one scenario, seconds (default 300)
#        EVSTEER_VERBOSE=1         show every scenario's output, not only failures
#        EVSTEER_KVM=1             passed on to scripts/vm.sh

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VM=$ROOT/scripts/vm.sh
G=$ROOT/tests/vm/guest
LOGS=$ROOT/build/vm/logs
SCENARIO_TIMEOUT=${EVSTEER_SCENARIO_TIMEOUT:-300}
VM_TIMEOUT=$((SCENARIO_TIMEOUT - 60))

SCENARIOS=(probe_affinity bad_magic bad_version rmmod_reload untrusted)

vm() {
	EVSTEER_NO_BUILD=1 timeout "$SCENARIO_TIMEOUT" "$VM" \
		--timeout "$VM_TIMEOUT" --guest-file "$G/lib.sh" "$@"
}

# (a) 4 rings for 4 vCPUs: every vector fires, each on its own CPU
sc_probe_affinity() {
	vm --smp 4 --rings 4 --device-opt "--rate 2000" \
		--guest-script "$G/probe_affinity.sh"
}

# (b) a foreign ABI is refused with a clear message
sc_bad_magic() {
	vm --smp 2 --rings 2 --device-opt --bad-magic \
		--guest-env "EVSTEER_EXPECT=bad ABI magic" \
		--guest-script "$G/bad_abi.sh"
}

sc_bad_version() {
	vm --smp 2 --rings 2 --device-opt --bad-version \
		--guest-env "EVSTEER_EXPECT=unsupported evsteer ABI version" \
		--guest-script "$G/bad_abi.sh"
}

# (c) rmmod while producing, insmod again, three times
sc_rmmod_reload() {
	vm --smp 4 --rings 4 --device-opt "--rate 2000" \
		--guest-env EVSTEER_CYCLES=3 --guest-script "$G/rmmod_reload.sh"
}

# (d) indices and entries from the device are checked, counted, survived
sc_untrusted() {
	vm --smp 4 --rings 4 --device-opt "--rate 2000" \
		--host-script "$ROOT/tests/vm/host/untrusted.sh" \
		--guest-script "$G/untrusted.sh"
}

PASSED=0
FAILED=0
SKIPPED=0
N=0

tap() {
	local status=$1 name=$2 directive=${3:-}

	N=$((N + 1))
	echo "$status $N - $name${directive:+ # $directive}"
}

missing_tool() {
	local t

	for t in qemu-system-x86_64 busybox cpio ethtool; do
		command -v "$t" >/dev/null || { echo "$t"; return; }
	done
}

run_one() {
	local name=$1 log=$LOGS/$1.log t0 rc secs

	t0=$(date +%s.%N)
	"sc_$name" >"$log" 2>&1
	rc=$?
	secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	if [ $rc = 0 ]; then
		tap ok "$name"
		PASSED=$((PASSED + 1))
	else
		tap "not ok" "$name"
		FAILED=$((FAILED + 1))
	fi
	if [ $rc != 0 ] || [ "${EVSTEER_VERBOSE:-0}" = 1 ]; then
		sed 's/^#* \{0,1\}/# /' "$log"
	fi
	echo "# $name: exit $rc in $secs s (log: ${log#"$ROOT"/})"
}

main() {
	local names=("$@") name missing

	if [ "${1:-}" = --list ]; then
		printf '%s\n' "${SCENARIOS[@]}"
		return 0
	fi
	[ ${#names[@]} -gt 0 ] || names=("${SCENARIOS[@]}")
	for name in "${names[@]}"; do
		declare -F "sc_$name" >/dev/null || { echo "unknown scenario: $name" >&2; exit 2; }
	done
	mkdir -p "$LOGS"

	missing=$(missing_tool)
	if [ -n "$missing" ]; then
		for name in "${names[@]}"; do
			tap ok "$name" "SKIP $missing is not installed (scripts/deps.sh)"
			SKIPPED=$((SKIPPED + 1))
		done
	elif ! timeout 1200 "$VM" --build-only >"$LOGS/build.log" 2>&1; then
		sed 's/^/# /' "$LOGS/build.log"
		for name in "${names[@]}"; do
			tap "not ok" "$name"
			FAILED=$((FAILED + 1))
		done
	else
		for name in "${names[@]}"; do
			run_one "$name"
		done
	fi
	echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
	[ $FAILED = 0 ]
}

main "$@"
