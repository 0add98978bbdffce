#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host side of the dp_* scenarios (scripts/vm.sh --host-script): runs
# the device commands the guest script asks for.  The guest prints
#
#   dp-host-req N CMD ARG...
#
# on its console (dp_lib.sh: host_req), N counting up from 1; each
# request is run once, in order, as `evsteer-ctl CTL CMD ARG...` (a
# kernel message may precede it on the same console line).  Only the
# traffic and fault commands are accepted.  The guest checks the effect
# itself.  vm.sh bounds this script's run and stops it when the guest is
# done.
# Env from vm.sh: EVSTEER_CTL, EVSTEER_CTL_BIN, EVSTEER_CONSOLE.

set -uo pipefail

POLL_S=0.1
CTL_TIMEOUT=5

done_n=0

log() { echo "host: $*"; }

allowed() {
	case $1 in
	pause|resume|rate|flows|skew|mix|cost|inject) return 0 ;;
	esac
	return 1
}

run_request() {
	local n=$1 cmd=$2 words

	read -ra words <<<"$cmd"
	if [ ${#words[@]} = 0 ] || ! allowed "${words[0]}"; then
		log "request $n refused: '$cmd'"
		return
	fi
	log "request $n: $cmd: $(timeout "$CTL_TIMEOUT" "$EVSTEER_CTL_BIN" \
		"$EVSTEER_CTL" "${words[@]}" 2>&1)"
}

# The requests on the console so far, "N CMD..." per line.
requests() {
	tr -d '\r' <"$EVSTEER_CONSOLE" 2>/dev/null |
		sed -n 's/.*dp-host-req \([0-9][0-9]*\) \(.*\)$/\1 \2/p'
}

while :; do
	while read -r n cmd; do
		[ "$n" -gt "$done_n" ] || continue
		done_n=$n
		run_request "$n" "$cmd"
	done < <(requests)
	sleep "$POLL_S"
done
