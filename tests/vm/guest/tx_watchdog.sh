# SPDX-License-Identifier: GPL-2.0
#
# The TX watchdog: while the guest sends a UDP stream (iperf3 -R from
# the host's namespace), the device stops completing TX for
# TX_STALL_MS (evsteer-ctl inject tx-stall).  The stream's queue stops
# (BQL's limit or a full ring, whichever comes first) and stays stopped:
# nothing more is posted on it for a second while the stream goes on;
# the stack's watchdog (5 s) calls ndo_tx_timeout and tx_timeouts
# grows; the driver resets the queue (tx_queue_N_resets, and the frames
# the device never completed in tx_queue_N_reset_drops), which takes
# frames again; once the stall ends the queue moves again, no queue is
# left stopped by the driver, and a ping from the namespace is answered.

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh
# shellcheck source=dp_lib.sh
. ./dp_lib.sh
# shellcheck source=tx_lib.sh
. ./tx_lib.sh

STALL_MS=${TX_STALL_MS:-12000}
STALL_S=$(((STALL_MS + 999) / 1000))
RATE=10M		# 1250 frames/s: a 256-descriptor ring is full in 0.2 s
SECS=$((STALL_S + 20))	# longer than needed: stopped once recovered

sent_since() { [ $(($(ns_stat tx_packets) - $1)) -gt "$2" ]; }

# busiest_queue A B: the queue that sent the most from snapshot A to B
busiest_queue() {
	_q=0
	_best=0
	_max=-1
	while [ "$_q" -lt "$(txq_count)" ]; do
		_d=$(dv "$1" "$2" "tx_queue_${_q}_packets")
		if [ "$_d" -gt "$_max" ]; then
			_max=$_d
			_best=$_q
		fi
		_q=$((_q + 1))
	done
	echo "$_best"
}

# queue Q posted nothing for a second (while the stream is offered)
queue_still() {
	es_snap /tmp/es.s0 || return 1
	sleep 1
	es_snap /tmp/es.s1 || return 1
	[ "$(dv /tmp/es.s0 /tmp/es.s1 "tx_queue_$1_packets")" = 0 ]
}

queue_moves() {
	[ "$(es "tx_queue_$1_packets")" -gt "$2" ]
}

# stall_over T: STALL_MS (and half a second) since uptime_cs T
stall_over() { [ "$(uptime_cs)" -ge $(($1 + STALL_MS / 10 + 50)) ]; }

# queue_flowing Q: the device has completed all but what is in flight
# on queue Q, and the driver has not stopped it (debugfs tx)
queue_flowing() {
	awk -v q="$1" '$1 == "txq=" q { for (i = 1; i <= NF; i++) {
		split($i, kv, "="); v[kv[1]] = kv[2] }
		exit !(v["stopped"] == 0 && v["prod"] - v["cons"] < 256) }' "$DBG/tx"
}

bql() {
	_b=/sys/class/net/$NETDEV/queues/tx-$1/byte_queue_limits
	echo "inflight=$(cat "$_b/inflight" 2>/dev/null) limit=$(cat "$_b/limit" 2>/dev/null)"
}

timeouts_grew() { [ "$(es tx_timeouts)" -gt "$1" ]; }
# resets_grew Q N: queue Q's resets are above N
resets_grew() { [ "$(es "tx_queue_${1}_resets")" -gt "$2" ]; }
RESETS_WAIT=5

# every queue woke as often as it stopped: none is left stopped
all_awake() {
	es_snap /tmp/es.awake || return 1
	_q=0
	while [ "$_q" -lt "$(txq_count)" ]; do
		[ "$(sv /tmp/es.awake "tx_queue_${_q}_stops")" = \
		  "$(sv /tmp/es.awake "tx_queue_${_q}_wakes")" ] || return 1
		_q=$((_q + 1))
	done
}

# The watchdog's own report is a WARN_ONCE on older kernels
# (dev_watchdog in sch_generic.c): expected here; anything else is not.
check_dmesg_but_watchdog() {
	dmesg | grep -E 'NETDEV WATCHDOG|timed out' | sed 's/^/# /'
	if dmesg | grep -E 'BUG:|Oops|Kernel panic'; then
		fail "kernel log has no BUG or Oops (above)"
	elif dmesg | grep 'WARNING:' | grep -v 'dev_watchdog'; then
		fail "kernel log has no WARNING but the watchdog's (above)"
	else
		pass "kernel log has no BUG, Oops or WARNING but the watchdog's"
	fi
}

need_tx
check "iperf3 -s listens on port $TX_PORT" iperf_server 120
tx0=$(ns_stat tx_packets)
host_ask iperf_bg wd "$SECS" -u -b "$RATE" -l 1000 -R
bg=$_tx_req
check "the host's iperf3 starts" host_wait "$bg" 10
check "the guest sends the stream (10 s at most)" wait_s 10 sent_since "$tx0" 1000
es_snap /tmp/es.a
sleep 1
es_snap /tmp/es.0
Q=$(busiest_queue /tmp/es.a /tmp/es.0)
note "the stream leaves on queue $Q ($(bql "$Q"))"
to0=$(sv /tmp/es.0 tx_timeouts)
t_stall=$(uptime_cs)
check "the device stalls TX for $STALL_MS ms" host_do ctl inject tx-stall "$STALL_MS"
check "queue $Q stops: nothing posted on it for 1 s (5 s at most)" wait_s 5 queue_still "$Q"
es_snap /tmp/es.1
note "queue $Q stopped ($(bql "$Q")), stops=$(sv /tmp/es.1 "tx_queue_${Q}_stops"); waiting for the watchdog"
check "tx_timeouts grows while the device stalls ($STALL_S s at most)" \
	wait_s "$STALL_S" timeouts_grew "$to0"
es_snap /tmp/es.2
tx_show /tmp/es.2
note "the kernel counted $(cat "/sys/class/net/$NETDEV/queues/tx-$Q/tx_timeout" 2>/dev/null) timeouts on tx-$Q"
check "the watchdog reset queue $Q ($RESETS_WAIT s at most)" \
	wait_s "$RESETS_WAIT" resets_grew "$Q" "$(sv /tmp/es.1 "tx_queue_${Q}_resets")"
es_snap /tmp/es.2r
drops=$(dv /tmp/es.1 /tmp/es.2r "tx_queue_${Q}_reset_drops")
check "the reset dropped, and counted, what the device never completed ($drops frames)" \
	[ "$drops" -gt 0 ]
wait_s $((STALL_S + 5)) stall_over "$t_stall"
es_snap /tmp/es.2
check "after the stall, queue $Q sends again and the device completes it (5 s at most)" \
	wait_s 5 queue_moves "$Q" "$(sv /tmp/es.2 "tx_queue_${Q}_packets")"
check "... and queue $Q is not stopped, its ring not full" wait_s 5 queue_flowing "$Q"
es_snap /tmp/es.3
tx_show /tmp/es.3
sed 's/^/# debugfs tx: /' "$DBG/tx"
host_do iperf_stop wd
check "no queue is left stopped by the driver (wakes = stops on each)" wait_s 5 all_awake
check "a ping from the namespace: 5 of 5 answered" host_do ping4 5 0.2
iperf_server_stop
check_dmesg_but_watchdog
exit "$FAILED"
