#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host side of the tx_* scenarios (scripts/vm.sh --tap --host-script):
# the far end of evs0.  The guest prints
#
#   tx-host-req N CMD ARG...
#
# on its console (tests/vm/guest/tx_lib.sh: host_ask), N counting up
# from 1; each request runs once, in order, in the run's network
# namespace (EVSTEER_NETNS, where the TAP 198.18.0.1 is), and its exit
# status goes back as "tx-host-done N RC" on the guest's second serial
# port (EVSTEER_TO_GUEST).  What it measured is printed here, as
# "# ok:", "# FAIL:" and "# measured:" lines, and iperf3's JSON is kept
# in EVSTEER_TX_OUT (default: the run directory).
#
# Commands:
#   ping4 COUNT INTERVAL     ping 198.18.0.2; 0 if all COUNT are answered
#   ping6 COUNT INTERVAL     the same to 2001:db8::2
#   neigh                    198.18.0.2 is the guest's MAC, REACHABLE or STALE
#   iperf NAME SECS ARG...   iperf3 -c 198.18.0.2 -t SECS -J ARG..., to
#                            NAME.json; 0 if it completed with bytes moved
#   iperf_bg NAME SECS ARG...  the same in the background; answered at once
#   iperf_wait NAME [lossless]  its result, once it ends; lossless: and
#                            a UDP receiver (here, with -R) lost nothing
#   iperf_stop NAME          interrupt it (SIGINT); answered when it is gone
#   ctl inject|stats ARG...  evsteer-ctl CTL ...
#
# vm.sh bounds this script's run and stops it when the guest is done;
# the iperf3 clients it started go with it.
# Env from vm.sh: EVSTEER_NETNS, EVSTEER_TO_GUEST, EVSTEER_CTL,
# EVSTEER_CTL_BIN, EVSTEER_CONSOLE, EVSTEER_RUN_DIR.

set -uo pipefail

NS=${EVSTEER_NETNS:?needs scripts/vm.sh --tap}
OUT=${EVSTEER_TX_OUT:-$EVSTEER_RUN_DIR}
GUEST=198.18.0.2
GUEST6=2001:db8::2
GUEST_MAC=02:45:56:53:00:02
TAP_IF=evstap0

POLL_S=0.1
CTL_TIMEOUT=5
ANSWER_TIMEOUT=5	# the FIFO to QEMU: it may be gone already
IPERF_SLACK=30		# beyond -t: connect, results exchange
STOP_TIMEOUT=3		# an interrupted iperf3 that does not end

declare -A BG=()	# iperf_bg NAME -> pid
done_n=0
# the last answer, sent again every second for a while: under load the
# guest's UART can overrun and lose a line (it then waits for nothing)
last_n=0 last_rc=0 last_s=0
REPEAT_S=20

say() { echo "host: $*"; }
ok() { echo "# ok: host: $*"; }
bad() { echo "# FAIL: host: $*"; }
in_ns() { ip netns exec "$NS" "$@"; }

answer() {
	# shellcheck disable=SC2016 # the inner bash expands them
	timeout "$ANSWER_TIMEOUT" bash -c 'printf "tx-host-done %s %s\n" "$1" "$2" >"$3"' \
		_ "$1" "$2" "$EVSTEER_TO_GUEST" ||
		say "could not answer request $1"
}

# ping_run FAMILY ADDR COUNT INTERVAL: all answered?
ping_run() {
	local fam=$1 addr=$2 count=$3 ival=$4 out sent got rtt

	out=$(in_ns timeout "$(awk -v c="$count" -v i="$ival" 'BEGIN { printf "%d", c * i + 15 }')" \
		ping "-$fam" -n -q -c "$count" -i "$ival" -W 2 "$addr" 2>&1)
	printf '%s\n' "$out" | sed 's/^/host:   /'
	sent=$(echo "$out" | sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p')
	got=$(echo "$out" | sed -n 's/.* \([0-9]*\) received.*/\1/p')
	rtt=$(echo "$out" | sed -n 's|^rtt min/avg/max/mdev = \([^ ]*\) ms.*|\1|p')
	echo "# measured: ping $addr: ${got:-0} of $count answered, rtt min/avg/max/mdev ${rtt:-none} ms"
	if [ "${got:-0}" = "$count" ] && [ "${sent:-0}" = "$count" ]; then
		ok "ping $addr: $count of $count answered"
		return 0
	fi
	bad "ping $addr: ${got:-0} of $count answered"
	return 1
}

neigh_check() {
	local n

	n=$(ip -n "$NS" neigh show "$GUEST" dev "$TAP_IF" | sed "s/ *$//")
	say "neighbour: $n"
	if [[ $n == *"lladdr $GUEST_MAC "* ]] && [[ $n =~ (REACHABLE|STALE|DELAY)$ ]]; then
		ok "ARP: $GUEST is at $GUEST_MAC (${BASH_REMATCH[1]})"
		return 0
	fi
	bad "ARP: $GUEST is not at $GUEST_MAC, REACHABLE or STALE: '$n'"
	return 1
}

# iperf_cmd NAME SECS ARG...: the client, its JSON to NAME.json.
iperf_cmd() {
	local name=$1 secs=$2

	shift 2
	in_ns timeout "$((secs + IPERF_SLACK))" iperf3 -c "$GUEST" -t "$secs" -J \
		--connect-timeout 5000 "$@" >"$OUT/$name.json" 2>"$OUT/$name.err"
}

# udp_drops: the namespace's UDP receive errors so far (a full socket
# buffer here would look like a loss on the way)
udp_drops() {
	in_ns cat /proc/net/snmp |
		awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) n[i] = $i; h = 1 }
			else for (i = 1; i <= NF; i++) if (n[i] == "RcvbufErrors") print $i }'
}

# iperf_report NAME RC [lossless]: what iperf3 measured; 0 if it
# completed and moved bytes (and with lossless, lost no datagram).
iperf_report() {
	local name=$1 rc=$2 lossless=${3:-} j=$OUT/$1.json err proto rev bytes lost

	err=$(jq -r '.error // empty' "$j" 2>/dev/null)
	proto=$(jq -r '.start.test_start.protocol // "?"' "$j" 2>/dev/null)
	rev=$(jq -r 'if .start.test_start.reverse == 1 then "guest->host" else "host->guest" end' "$j" 2>/dev/null)
	if [ "$proto" = UDP ]; then
		bytes=$(jq -r '.end.sum.bytes // 0' "$j" 2>/dev/null)
		jq -r --arg n "$name" --arg d "$rev" '.end.sum |
			"# measured: iperf3 \($n) UDP \($d): \(.bits_per_second / 1e6 * 100 | round / 100) Mbit/s, \(.packets) packets, \(.lost_packets) lost, jitter \(.jitter_ms * 1000 | round / 1000) ms"' \
			"$j" 2>/dev/null
	else
		bytes=$(jq -r '.end.sum_received.bytes // 0' "$j" 2>/dev/null)
		jq -r --arg n "$name" --arg d "$rev" '.end |
			"# measured: iperf3 \($n) TCP \($d): \(.sum_received.bits_per_second / 1e6 * 10 | round / 10) Mbit/s received, \(.sum_sent.retransmits) retransmits"' \
			"$j" 2>/dev/null
	fi
	if [ "$proto" = UDP ] && [ "$lossless" = lossless ]; then
		lost=$(jq -r '.end.sum.lost_packets // -1' "$j" 2>/dev/null)
		say "namespace UDP RcvbufErrors: $(udp_drops)"
		if [ "${lost:--1}" != 0 ]; then
			bad "iperf3 $name ($proto $rev): the receiver lost ${lost:-?} datagrams"
			return 1
		fi
		ok "iperf3 $name ($proto $rev): the receiver lost 0 datagrams"
	fi
	if [ "$rc" = 0 ] && [ -z "$err" ] && [ "${bytes:-0}" -gt 0 ] 2>/dev/null; then
		ok "iperf3 $name ($proto $rev) completed, $bytes bytes"
		return 0
	fi
	bad "iperf3 $name ($proto $rev): exit $rc, ${bytes:-0} bytes${err:+, error: $err}"
	sed 's/^/host:   /' "$OUT/$name.err" 2>/dev/null
	return 1
}

# in the background, so that a TERM from vm.sh is not held up by it
iperf_fg() {
	local rc=0

	iperf_cmd "$@" &
	BG[$1]=$!
	wait "${BG[$1]}" || rc=$?
	unset "BG[$1]"
	iperf_report "$1" "$rc"
}

iperf_bg() {
	iperf_cmd "$@" &
	BG[$1]=$!
	say "iperf3 $1 started (pid ${BG[$1]})"
}

iperf_wait() {
	local pid=${BG[$1]:-} rc=0

	[ -n "$pid" ] || { bad "no iperf3 $1 running"; return 1; }
	wait "$pid" || rc=$?
	unset "BG[$1]"
	iperf_report "$1" "$rc" "${2:-}"
}

# Interrupt one of ours by pid (timeout passes SIGINT on to iperf3,
# which then writes what it has), bounded: then KILL the iperf3 under
# that timeout, and the timeout.
iperf_stop() {
	local pid=${BG[$1]:-} i child how=interrupted

	[ -n "$pid" ] || return 0
	kill -INT "$pid" 2>/dev/null
	for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		how="killed (SIGINT did nothing in $STOP_TIMEOUT s)"
		for child in $(ps -o pid= --ppid "$pid"); do
			kill -KILL "$child" 2>/dev/null
		done
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	unset "BG[$1]"
	say "iperf3 $1 $how"
}

stop_all() {
	local name

	for name in "${!BG[@]}"; do
		iperf_stop "$name"
	done
}
trap stop_all EXIT

ctl() {
	local out rc=0

	case ${1:-} in
	inject|stats) ;;
	*) bad "ctl $*: refused"; return 1 ;;
	esac
	out=$(timeout "$CTL_TIMEOUT" "$EVSTEER_CTL_BIN" "$EVSTEER_CTL" "$@" 2>&1) || rc=$?
	say "ctl $*: $out"
	return "$rc"
}

run_request() {
	local n=$1 words rc=0

	read -ra words <<<"$2"
	say "request $n: ${words[*]}"
	case ${words[0]:-} in
	ping4) ping_run 4 "$GUEST" "${words[@]:1:2}" || rc=$? ;;
	ping6) ping_run 6 "$GUEST6" "${words[@]:1:2}" || rc=$? ;;
	neigh) neigh_check || rc=$? ;;
	iperf) iperf_fg "${words[@]:1}" || rc=$? ;;
	iperf_bg) iperf_bg "${words[@]:1}" ;;
	iperf_wait) iperf_wait "${words[@]:1:2}" || rc=$? ;;
	iperf_stop) iperf_stop "${words[1]}" ;;
	ctl) ctl "${words[@]:1}" || rc=$? ;;
	*) bad "request $n refused: '$2'"; rc=2 ;;
	esac
	answer "$n" "$rc"
	last_n=$n last_rc=$rc last_s=$SECONDS
}

# The requests on the console so far, "N CMD..." per line.
requests() {
	tr -d '\r' <"$EVSTEER_CONSOLE" 2>/dev/null |
		sed -n 's/.*tx-host-req \([0-9][0-9]*\) \(.*\)$/\1 \2/p'
}

mkdir -p "$OUT"
while :; do
	while read -r n cmd; do
		[ "$n" -gt "$done_n" ] || continue
		done_n=$n
		run_request "$n" "$cmd" </dev/null
	done < <(requests)
	if [ "$last_n" -gt 0 ] && [ $((SECONDS - last_s)) -lt "$REPEAT_S" ] &&
		[ "${last_sent:-}" != "$SECONDS" ]; then
		answer "$last_n" "$last_rc"
		last_sent=$SECONDS
	fi
	sleep "$POLL_S"
done
