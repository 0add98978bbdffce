#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host side of the untrusted scenario (scripts/vm.sh --host-script):
# once the driver has enabled the device, publish a bogus write index on
# ring 1 (paused, so it stays visible), then an entry with a bad event
# code on ring 2 and one that names another ring on ring 3.
# Env from vm.sh: EVSTEER_CTL, EVSTEER_CTL_BIN.

set -uo pipefail

ctl() {
	echo "host: $*: $(timeout 5 "$EVSTEER_CTL_BIN" "$EVSTEER_CTL" "$@")"
}

enabled() {
	timeout 5 "$EVSTEER_CTL_BIN" "$EVSTEER_CTL" stats | grep -q '"enabled":true'
}

for ((i = 0; i < 150; i++)); do
	enabled && break
	sleep 0.2
done
sleep 1
ctl pause
ctl inject bad-prod 1
sleep 1
ctl resume
ctl inject corrupt 2 code
ctl inject corrupt 3 ring
