#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host side of the NIC comparison (tests/vm/bench/nic.sh runs the VM
# with scripts/vm.sh --tap --virtio-net --host-script) and of the
# steering comparison (steer.sh, --tap only): the far end of the guest's
# NICs, in the run's namespace (EVSTEER_NETNS), where evstap0 faces evs0
# (198.18.0.2) and evstap1 the virtio-net NIC (198.18.2.2).  The
# protocol is tests/vm/host/tx_host.sh's: the guest prints "tx-host-req
# N CMD ARG..." on its console (tx_lib.sh's host_do), each request runs
# once, in order, and "tx-host-done N RC" goes back on the guest's
# second serial port.  Raw results go to
# EVSTEER_NIC_OUT; nic.sh (steer.sh) turns them into figures.
#
# Commands (ADDR: 198.18.0.2 or 198.18.2.2 only):
#   ping NAME ADDR COUNT INTERVAL   ping -c COUNT -i INTERVAL, to NAME.ping
#   iperf NAME ADDR SECS [-R]       iperf3 -c ADDR -t SECS -J, to NAME.json
#   rr NAME ADDR RATE SECS          udprr client at RATE/s, to NAME.json,
#                                   from port 9001 every time: one flow
#
# Env: EVSTEER_NETNS, EVSTEER_TO_GUEST, EVSTEER_CONSOLE (vm.sh),
# EVSTEER_NIC_OUT (output directory), EVSTEER_UDPRR (the udprr binary).

set -uo pipefail

NS=${EVSTEER_NETNS:?needs scripts/vm.sh --tap}
OUT=${EVSTEER_NIC_OUT:?}
UDPRR=${EVSTEER_UDPRR:?}
RR_PORT=9000
RR_SPORT=9001		# one flow for the runs with and without the hog
POLL_S=0.1
ANSWER_TIMEOUT=5	# the FIFO to QEMU: it may be gone already
SLACK=30		# beyond a command's own length: connect, results

say() { echo "host: $*"; }
in_ns() { ip netns exec "$NS" "$@"; }

answer() {
	# shellcheck disable=SC2016 # the inner bash expands them
	timeout "$ANSWER_TIMEOUT" bash -c 'printf "tx-host-done %s %s\n" "$1" "$2" >"$3"' \
		_ "$1" "$2" "$EVSTEER_TO_GUEST" ||
		say "could not answer request $1"
}

# check_args NAME ADDR: a plain name, one of the two guest addresses
check_args() {
	[[ $1 =~ ^[a-z0-9_]+$ ]] || return 1
	[ "$2" = 198.18.0.2 ] || [ "$2" = 198.18.2.2 ]
}

do_ping() {
	local name=$1 addr=$2 count=$3 ival=$4

	[[ $count =~ ^[0-9]+$ ]] && [[ $ival =~ ^[0-9.]+$ ]] || return 2
	in_ns timeout "$(awk -v c="$count" -v i="$ival" 'BEGIN { printf "%d", c * i + 15 }')" \
		ping -n -c "$count" -i "$ival" -W 2 "$addr" >"$OUT/$name.ping" 2>&1
}

do_iperf() {
	local name=$1 addr=$2 secs=$3

	shift 3
	[[ $secs =~ ^[0-9]+$ ]] || return 2
	[ $# = 0 ] || [ "$*" = -R ] || return 2
	in_ns timeout "$((secs + SLACK))" iperf3 -c "$addr" -t "$secs" -J \
		--connect-timeout 5000 "$@" >"$OUT/$name.json" 2>"$OUT/$name.err"
}

do_rr() {
	local name=$1 addr=$2 rate=$3 secs=$4

	[[ $rate =~ ^[0-9]+$ ]] && [[ $secs =~ ^[0-9]+$ ]] || return 2
	in_ns timeout "$((secs + SLACK))" "$UDPRR" client --addr "$addr" \
		--port "$RR_PORT" --sport "$RR_SPORT" --rate "$rate" --duration "$secs" \
		>"$OUT/$name.json" 2>"$OUT/$name.err"
}

run_request() {
	local n=$1 w rc=0

	read -ra w <<<"$2"
	say "request $n: ${w[*]}"
	if ! check_args "${w[1]:-}" "${w[2]:-}"; then
		say "request $n refused: '$2'"
		rc=2
	else
		case ${w[0]} in
		ping) do_ping "${w[@]:1:4}" || rc=$? ;;
		iperf) do_iperf "${w[@]:1}" || rc=$? ;;
		rr) do_rr "${w[@]:1:4}" || rc=$? ;;
		*) say "request $n refused: '$2'"; rc=2 ;;
		esac
	fi
	say "request $n: exit $rc"
	answer "$n" "$rc"
}

requests() {
	tr -d '\r' <"$EVSTEER_CONSOLE" 2>/dev/null |
		sed -n 's/.*tx-host-req \([0-9][0-9]*\) \(.*\)$/\1 \2/p'
}

mkdir -p "$OUT"
done_n=0
while :; do
	while read -r n cmd; do
		[ "$n" -gt "$done_n" ] || continue
		done_n=$n
		run_request "$n" "$cmd" </dev/null
	done < <(requests)
	sleep "$POLL_S"
done
