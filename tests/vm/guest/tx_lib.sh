# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the TX scenarios (tx_*.sh, busybox sh), sourced after
# lib.sh and dp_lib.sh.  The VM runs with scripts/vm.sh --tap: evs0
# (198.18.0.2) faces the TAP evstap0 (198.18.0.1) in a network namespace
# on the host, where tests/vm/host/tx_host.sh runs ping, iperf3 and
# evsteer-ctl for us.
#
# A request goes out on the console ("tx-host-req N CMD ARG..."); the
# answer ("tx-host-done N RC") comes back on a serial port of its own
# ($EVSTEER_FROM_HOST), not over the network that is being tested.
# shellcheck shell=sh
# shellcheck disable=SC2034 # TX_* are for the scripts

TX_PEER=198.18.0.1
TX_PEER6=2001:db8::1
TX_SELF=198.18.0.2
TX_MAC=02:45:56:53:00:02
TX_PORT=5201		# iperf3's default
TC=/usr/bin/tc		# iproute2's: busybox's tc has no statistics
TX_HOST_WAIT=${TX_HOST_WAIT:-60}	# one request, at most, seconds

_tx_req=0

# Open the answer channel once: a tty drops what arrives while closed.
tx_channel_open() {
	if [ -z "${EVSTEER_FROM_HOST:-}" ] || [ ! -c "$EVSTEER_FROM_HOST" ]; then
		fail "a channel from the host (scripts/vm.sh --tap)"
		exit 1
	fi
	exec 5<>"$EVSTEER_FROM_HOST"
	stty -F "$EVSTEER_FROM_HOST" -echo -icrnl -onlcr 2>/dev/null
}

# host_ask CMD...: send a request, do not wait; its number is $_tx_req.
host_ask() {
	_tx_req=$((_tx_req + 1))
	echo "tx-host-req $_tx_req $*"
}

# host_wait N [SECONDS]: the exit status of request N, once the host has
# run it; 124 if it does not answer in time.
host_wait() {
	_hw_end=$(($(uptime_cs) + ${2:-$TX_HOST_WAIT} * 100))
	while [ "$(uptime_cs)" -lt "$_hw_end" ]; do
		# shellcheck disable=SC3045 # busybox sh has read -t
		read -r -t 1 _hw_line <&5 || continue
		case $_hw_line in
		"tx-host-done $1 "*)
			_hw_rc=${_hw_line#"tx-host-done $1 "}
			return "${_hw_rc%% *}"
			;;
		esac
	done
	note "no answer from the host to request $1 in ${2:-$TX_HOST_WAIT} s"
	return 124
}

# host_do CMD...: a request and its answer (see tests/vm/host/tx_host.sh
# for the commands).
host_do() {
	host_ask "$@"
	host_wait "$_tx_req"
}

# ---- counters -----------------------------------------------------------

# Active TX queues: /sys/class/net/evs0/queues/tx-N.
txq_count() {
	_n=0
	for _q in /sys/class/net/"$NETDEV"/queues/tx-*; do
		[ -e "$_q" ] && _n=$((_n + 1))
	done
	echo "$_n"
}

# tx_sum FILE FIELD: tx_queue_*_FIELD of snapshot FILE, summed.
tx_sum() {
	awk -v f="$2" '$1 ~ "^tx_queue_[0-9]+_" f "$" { s += $2 } END { print s + 0 }' "$1"
}

# rx_rings FILE: rx_queue_N_packets of snapshot FILE, ring 0 first.
rx_rings() {
	_r=0
	_out=
	while [ "$_r" -lt "$EVSTEER_RINGS" ]; do
		_out="$_out${_out:+ }$(sv "$1" "rx_queue_${_r}_packets")"
		_r=$((_r + 1))
	done
	echo "$_out"
}

# rx_rings_delta A B: per ring, how many more packets in snapshot B.
rx_rings_delta() {
	_r=0
	_out=
	while [ "$_r" -lt "$EVSTEER_RINGS" ]; do
		_out="$_out${_out:+ }$(dv "$1" "$2" "rx_queue_${_r}_packets")"
		_r=$((_r + 1))
	done
	echo "$_out"
}

# ns_stat NAME: a counter of evs0 from ndo_get_stats64, as `ip -s link`
# shows it (sysfs statistics: the same call).
ns_stat() { cat "/sys/class/net/$NETDEV/statistics/$1"; }

# qdisc_drops: every "dropped N" of `tc -s qdisc show dev evs0` (the
# root and each queue's qdisc), summed; the root of mq repeats its
# children, so this is 0 exactly when all are.
qdisc_drops() {
	$TC -s qdisc show dev "$NETDEV" |
		awk '{ for (i = 1; i < NF; i++) if ($i == "(dropped") { v = $(i + 1); sub(",", "", v); s += v } }
		     END { print s + 0 }'
}

# tx_show FILE: one line of the TX counters in snapshot FILE.
tx_show() {
	note "tx: packets=$(tx_sum "$1" packets) bytes=$(tx_sum "$1" bytes) stops=$(tx_sum "$1" stops) wakes=$(tx_sum "$1" wakes) dropped=$(tx_sum "$1" dropped) tx_timeouts=$(sv "$1" tx_timeouts)"
}

# ---- iperf3 -------------------------------------------------------------

IPERF_PID=

# iperf_server: iperf3 -s in the background, bounded, until the script
# ends or iperf_server_stop; the host's client connects to it.
iperf_server() {
	timeout "${1:-120}" iperf3 -s >/tmp/iperf3-s.log 2>&1 &
	IPERF_PID=$!
	wait_s 10 iperf_listening
}

iperf_listening() { netstat -ltn 2>/dev/null | grep -q ":$TX_PORT "; }

iperf_server_stop() {
	[ -n "$IPERF_PID" ] || return 0
	kill "$IPERF_PID" 2>/dev/null
	wait "$IPERF_PID" 2>/dev/null
	IPERF_PID=
}

has_iperf3() { command -v iperf3 >/dev/null; }

# The TX scenarios need iperf3 in the image and the host channel.
need_tx() {
	need_netdev
	check "iperf3 is in the guest image" has_iperf3
	tx_channel_open
	note "tx queues: $(txq_count); rx rings: $EVSTEER_RINGS"
}
