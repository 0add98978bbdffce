# SPDX-License-Identifier: GPL-2.0
#
# A full TX ring, survived without loss: during a guest->host UDP stream
# (iperf3 -R from the host's namespace, small datagrams at TX_RATE) the
# device stops completing TX for TX_STALL_MS (200).  The stream's ring
# fills, the driver stops the queue and wakes it once the device
# catches up (tx_queue_N_stops and _wakes grow), and the qdisc holds
# what came meanwhile: no frame lost in the driver (tx_dropped), the
# qdisc (tc -s qdisc drops) or at the receiver (iperf3's lost count in
# the namespace).
#
# BQL would stop the queue long before its 256 descriptors are in use
# (its limit is a few frames' worth at this rate): its floor is raised
# to the ring's bytes, so that the ring is what fills.

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh
# shellcheck source=dp_lib.sh
. ./dp_lib.sh
# shellcheck source=tx_lib.sh
. ./tx_lib.sh

STALL_MS=${TX_STALL_MS:-200}
RATE=${TX_RATE:-3M}	# 128-byte datagrams: ~2900 frames/s, 580 in a stall
LEN=128
SECS=6
RING_BYTES=$((256 * 1514))

sent_since() { [ $(($(ns_stat tx_packets) - $1)) -gt "$2" ]; }

# stops and wakes both grew since snapshot $1
stopped_and_woke() {
	es_snap /tmp/es.now || return 1
	[ "$(tx_sum /tmp/es.now stops)" -gt "$(tx_sum "$1" stops)" ] &&
	[ "$(tx_sum /tmp/es.now wakes)" -gt "$(tx_sum "$1" wakes)" ]
}

bql_floor() {
	for _b in /sys/class/net/"$NETDEV"/queues/tx-*/byte_queue_limits; do
		echo "$1" >"$_b/limit_min" || return 1
	done
}

need_tx
check "BQL's floor raised to the ring's $RING_BYTES bytes" bql_floor "$RING_BYTES"
check "iperf3 -s listens on port $TX_PORT" iperf_server 120
tx0=$(ns_stat tx_packets)
host_ask iperf_bg rf "$SECS" -u -b "$RATE" -l "$LEN" -R
bg=$_tx_req
check "the host's iperf3 starts" host_wait "$bg" 10
check "the guest sends the stream (10 s at most)" wait_s 10 sent_since "$tx0" 1000
es_snap /tmp/es.0
tx_show /tmp/es.0
check "the device stalls TX for $STALL_MS ms" host_do ctl inject tx-stall "$STALL_MS"
check "a queue stops and wakes again (5 s at most)" wait_s 5 stopped_and_woke /tmp/es.0
tx_show /tmp/es.now
check "the stream completes, the receiver in the namespace lost nothing" \
	host_do iperf_wait rf lossless
es_snap /tmp/es.1
tx_show /tmp/es.1
$TC -s qdisc show dev "$NETDEV" | grep -E '^qdisc|Sent' | sed 's/^/# /'
check "tx_queue_N_dropped sum to 0 (it is $(tx_sum /tmp/es.1 dropped))" \
	[ "$(tx_sum /tmp/es.1 dropped)" = 0 ]
check "ip -s link: TX dropped is 0 (it is $(ns_stat tx_dropped))" \
	[ "$(ns_stat tx_dropped)" = 0 ]
check "tc -s qdisc: no drops (it says $(qdisc_drops))" [ "$(qdisc_drops)" = 0 ]
check "no TX timeout" [ "$(sv /tmp/es.1 tx_timeouts)" = 0 ]
iperf_server_stop
check_dmesg
exit "$FAILED"
