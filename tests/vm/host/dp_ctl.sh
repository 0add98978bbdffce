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
# traffic and fault commands are accepted, and "device stop|cont|kill",
# which sends SIGSTOP, SIGCONT or SIGKILL to the device process (the
# one this run's vm.sh started).  The guest checks the effect itself.
# vm.sh bounds this script's run and stops it when the guest is done.
# Env from vm.sh: EVSTEER_CTL, EVSTEER_CTL_BIN, EVSTEER_CONSOLE,
# EVSTEER_DEVICE_PID (timeout(1), whose child is the device).

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

# signal_device stop|cont|kill: signal the device process, the child of
# the timeout(1) vm.sh started it under; what happened in device_reply
signal_device() {
	local sig pid

	case $1 in
	stop) sig=STOP ;;
	cont) sig=CONT ;;
	kill) sig=KILL ;;
	*) device_reply="unknown device request '$1'"; return ;;
	esac
	pid=$(pgrep -P "${EVSTEER_DEVICE_PID:-0}" | head -n 1)
	if [ -z "$pid" ]; then
		device_reply="no device process under pid ${EVSTEER_DEVICE_PID:-?}"
		return
	fi
	if ! kill -s "$sig" "$pid"; then
		device_reply="SIG$sig to pid $pid failed"
		return
	fi
	device_reply="SIG$sig sent to the device, pid $pid"
	stopped_pid=
	[ "$sig" = STOP ] && stopped_pid=$pid
}

# A device left stopped would outlive the run: vm.sh's SIGTERM stays
# pending in it.  Continue it when this script ends.
stopped_pid=
device_reply=
trap '[ -z "$stopped_pid" ] || kill -s CONT "$stopped_pid" 2>/dev/null' EXIT
trap 'exit 0' TERM INT

run_request() {
	local n=$1 cmd=$2 words

	read -ra words <<<"$cmd"
	if [ "${words[0]:-}" = device ]; then
		signal_device "${words[1]:-}"
		log "request $n: $cmd: $device_reply"
		return
	fi
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
