#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: build everything, boot the test VM with 4 vCPUs and a
# 4-ring device, load the module and run traffic for EVSTEER_DEMO_SECONDS
# (default 20).  Once a second the guest prints the interrupt rate of
# every evsteer vector on every CPU (from /proc/interrupts) and what the
# driver consumed per ring; the host prints the device's production per
# ring (from evsteer-ctl stats).  Halfway through, the traffic is skewed
# towards a few hot flows.
#
# Usage: scripts/demo.sh [extra scripts/vm.sh options]
# Env:   EVSTEER_DEMO_SECONDS, EVSTEER_DEMO_RATE (events/s, default 4000),
#        EVSTEER_DEMO_SKEW (zipf skew from halfway, default 1.5)

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
D=$ROOT/tests/vm/demo
SECS=${EVSTEER_DEMO_SECONDS:-20}
RATE=${EVSTEER_DEMO_RATE:-4000}
SKEW=${EVSTEER_DEMO_SKEW:-1.5}

t0=$(date +%s.%N)
"$ROOT/scripts/vm.sh" --build-only
export EVSTEER_DEMO_SECONDS=$SECS EVSTEER_DEMO_SKEW=$SKEW
rc=0
EVSTEER_NO_BUILD=1 "$ROOT/scripts/vm.sh" --smp 4 --rings 4 \
	--device-opt "--rate $RATE --flows 64" --timeout $((SECS + 90)) \
	--guest-file "$ROOT/tests/vm/guest/lib.sh" \
	--guest-env "EVSTEER_DEMO_SECONDS=$SECS" \
	--guest-script "$D/guest.sh" --host-script "$D/host.sh" "$@" || rc=$?
echo "demo: finished in $(awk -v a="$t0" -v b="$(date +%s.%N)" \
	'BEGIN { printf "%.1f", b - a }') s (exit $rc)"
exit $rc
