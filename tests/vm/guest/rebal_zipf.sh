# SPDX-License-Identifier: GPL-2.0
#
# RETA rebalancing (RSS++ in the driver) under Zipf-skewed flows.
#
# ethtool -X weight 3 1 1 1 gives ring 0 three times each other ring's
# frames.  Writing the rebalance knob hands that table to the
# rebalancer, which must bring the rings' max/mean (frames per ring
# over half a second) under RB_RATIO within RB_S seconds and keep it
# there, while our receiver sees no flow reordered, lost or duplicated
# (the moved buckets are handed off in order, with no pause of the
# device).  Then ethtool -X wins: a table the user sets again is left
# alone.  Last, the lanes and bh_mode knobs switch while it moves
# buckets: nothing held is dropped, nothing reordered.
#
# Env (run.sh): RB_S      bound on reaching RB_RATIO, seconds (2)
#               RB_RATIO  max/mean to reach (1.2)
#               RB_MOVES  the rebalance_moves knob (32)
# shellcheck shell=sh disable=SC2046,SC2317 # set -- splits the pair of figures; functions run through check

. ./lib.sh
. ./dp_lib.sh
. ./mon_lib.sh

RB_S=${RB_S:-2}
RB_RATIO=${RB_RATIO:-1.2}
RB_MOVES=${RB_MOVES:-32}
RX_JSON=/tmp/rx.json

json() {
	sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p" "$1" | head -n 1
}

delivering() { [ "$(es rx_packets)" -gt 100 ]; }

# imbalance A B: "max/mean ring0/others" of the rings' frames from
# snapshot A to B (rx_queue_<r>_packets), or nothing if none came
imbalance() {
	_counts=
	_r=0
	while [ "$_r" -lt "$EVSTEER_RINGS" ]; do
		_counts="$_counts $(dv "$1" "$2" "rx_queue_${_r}_packets")"
		_r=$((_r + 1))
	done
	echo "$_counts" | awk '{
		for (i = 1; i <= NF; i++) { t += $i; if ($i > m) m = $i }
		if (t <= 0 || NF < 2) exit 1
		printf "%.3f %.3f\n", m / (t / NF), $1 / ((t - $1) / (NF - 1)) }'
}

below() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

# in_time: the ratio was reached, within RB_S seconds
in_time() { [ -n "$reached" ] && [ "$reached" -le $((RB_S * 100)) ]; }

evsteer-rx --port 9999 --ready-file /tmp/rx.ready >"$RX_JSON" 2>/tmp/rx.err &
RX_PID=$!
check "the receiver is ready" wait_s 10 test -e /tmp/rx.ready
check "evs0 comes up as 198.18.0.2" sh "$EVSTEER_NETUP"
need_netdev
check "frames reach the stack within 30 s" wait_s 30 delivering
check "rebalancing is off by default" [ "$(knob rebalance)" = 0 ]
check "the rebalancer's knobs have their defaults" \
	[ "$(knob rebalance_threshold) $(knob rebalance_moves)" = "10 8" ]

# the premise: one ring gets three times each other one's frames
check "ethtool -X weight 3 1 1 1" ethtool -X "$NETDEV" weight 3 1 1 1
sleep 1
es_snap /tmp/es.0
sleep 1
es_snap /tmp/es.1
set -- $(imbalance /tmp/es.0 /tmp/es.1)
note "weight 3 1 1 1: max/mean $1, ring 0 over the others' mean $2"
check "ring 0 gets about 3x each other ring ($2)" \
	awk -v r="$2" 'BEGIN { exit !(r >= 2.5 && r <= 4.5) }'
moves0=$(sv /tmp/es.1 rss_rebalance_moves)

# sample FILE: the time (centiseconds of uptime) and each ring's
# rx_queue_<r>_packets, one line; cheap enough for every 0.1 s
sample() {
	_t=$(uptime_cs)
	ethtool -S "$NETDEV" | awk -v t="$_t" '
		/^ *rx_queue_[0-9]+_packets:/ { v = v " " $2 }
		END { print t v }' >>"$1"
}

# first_below FILE T0: centiseconds from T0 to the first sample at
# which max/mean over the trailing half second is under RB_RATIO; the
# trajectory goes to stderr
first_below() {
	awk -v t0="$2" -v ratio="$RB_RATIO" '
		{ t[NR] = $1; for (i = 2; i <= NF; i++) c[NR, i] = $i; nf = NF }
		END {
			j = 1
			for (k = 2; k <= NR; k++) {
				while (j < k && t[j + 1] <= t[k] - 50) j++
				if (t[k] - t[j] < 50) continue
				m = 0; tot = 0
				for (i = 2; i <= nf; i++) {
					d = c[k, i] - c[j, i]; tot += d; if (d > m) m = d
				}
				if (tot <= 0) continue
				r = m / (tot / (nf - 1))
				printf " %d0ms:%.3f", t[k] - t0, r >"/dev/stderr"
				if (r < ratio) { print t[k] - t0; exit }
			}
		}' "$1"
}

# writing the knob hands the user's table to the rebalancer
set_knob rebalance_moves "$RB_MOVES"
: >/tmp/samples
sample /tmp/samples
t0=$(uptime_cs)
set_knob rebalance 1
while [ $(($(uptime_cs) - t0)) -lt $((2 * RB_S * 100 + 100)) ]; do
	sample /tmp/samples
	sleep 0.1
done
reached=$(first_below /tmp/samples "$t0" 2>/tmp/path)
note "max/mean over the trailing 0.5 s, from the knob's write:$(cat /tmp/path)"
note "$(wc -l </tmp/samples) samples; moves $(($(es rss_rebalance_moves) - moves0)), tables $(es rss_rebalances)"
check "rebalancing brought max/mean under $RB_RATIO within $RB_S s (${reached:-never}0 ms)" \
	in_time

# and it stays there
es_snap /tmp/es.s0
sleep 2
es_snap /tmp/es.s1
set -- $(imbalance /tmp/es.s0 /tmp/es.s1)
note "the next 2 s: max/mean $1; moves $(dv /tmp/es.s0 /tmp/es.s1 rss_rebalance_moves), tables $(dv /tmp/es.s0 /tmp/es.s1 rss_rebalances)"
check "max/mean stays under $RB_RATIO ($1)" below "$1" "$RB_RATIO"
check "the rebalancer moved buckets" [ "$(sv /tmp/es.s1 rss_rebalance_moves)" -gt "$moves0" ]
check "their hand-offs began" [ "$(sv /tmp/es.s1 rss_handoffs)" -gt 0 ]
note "hand-offs $(sv /tmp/es.s1 rss_handoffs), timed out $(sv /tmp/es.s1 rss_handoff_timeouts); frames held $(sv /tmp/es.s1 rx_handoff_held), released by timeout $(sv /tmp/es.s1 rx_handoff_timeout), dropped $(sv /tmp/es.s1 rx_handoff_drops)"
check "no held frame dropped" [ "$(sv /tmp/es.s1 rx_handoff_drops)" = 0 ]
check "debugfs rebalance says it is on" grep -q '^rebalance=1 ' "$DBG/rebalance"
note "debugfs: $(head -n 2 "$DBG/rebalance" | tr '\n' ' ')"

# ethtool -X wins: the user's table stays as set
check "ethtool -X weight 3 1 1 1 again" ethtool -X "$NETDEV" weight 3 1 1 1
sleep 1
es_snap /tmp/es.u0
sleep 1.5
es_snap /tmp/es.u1
set -- $(imbalance /tmp/es.u0 /tmp/es.u1)
note "the user's table: ring 0 over the others' mean $2"
check "the rebalancer leaves the user's table alone (no moves)" \
	[ "$(dv /tmp/es.u0 /tmp/es.u1 rss_rebalance_moves)" = 0 ]
check "ring 0 gets about 3x again ($2)" \
	awk -v r="$2" 'BEGIN { exit !(r >= 2.5 && r <= 4.5) }'
check "debugfs says the table is the user's" grep -q ' user_table=1 ' "$DBG/rebalance"
check "ethtool -X default" ethtool -X "$NETDEV" default
check "after ethtool -X default the table is the rebalancer's" \
	wait_s 5 grep -q ' user_table=0 ' "$DBG/rebalance"

# The lanes and bh_mode knobs stop the rings without a drain: they
# pause the rebalancer and let its hand-offs end first, or a stopped
# ring drops what it held and the old ring's frames of the bucket
# overtake nothing.  One bucket a tick every 20 ms, and 200 us of busy
# time per frame (the device's cost knob) to make each hand-off last,
# keep hand-offs going while the knobs switch back to back.
check "ethtool -X weight 3 1 1 1 for the switches" ethtool -X "$NETDEV" weight 3 1 1 1
host_req cost 200000
set_knob rebalance_moves 1
set_knob interval_ms 20
es_snap /tmp/es.k0
set_knob rebalance 1
lanes0=$(knob lanes)
bh0=$(knob bh_mode)
bh1=napi
[ "$bh0" = napi ] && bh1=workqueue
t0=$(uptime_cs)
switches=0
while [ $(($(uptime_cs) - t0)) -lt 300 ]; do
	set_knob lanes 3
	set_knob bh_mode "$bh1"
	set_knob lanes "$lanes0"
	set_knob bh_mode "$bh0"
	switches=$((switches + 4))
done
es_snap /tmp/es.k1
note "$switches switches in 3 s: moves $(dv /tmp/es.k0 /tmp/es.k1 rss_rebalance_moves), hand-offs $(dv /tmp/es.k0 /tmp/es.k1 rss_handoffs), held $(dv /tmp/es.k0 /tmp/es.k1 rx_handoff_held), dropped $(dv /tmp/es.k0 /tmp/es.k1 rx_handoff_drops)"
check "the rebalancer moved buckets while the knobs switched" \
	[ "$(dv /tmp/es.k0 /tmp/es.k1 rss_rebalance_moves)" -gt 5 ]
check "no held frame dropped by a switch" \
	[ "$(dv /tmp/es.k0 /tmp/es.k1 rx_handoff_drops)" = 0 ]
set_knob interval_ms 100
host_req cost 0

pause_device
check_drained_exact
sleep 1
kill -TERM "$RX_PID"
wait "$RX_PID"
tail -n 1 "$RX_JSON" >/tmp/rx.final
note "receiver: $(cat /tmp/rx.final)"
es_snap /tmp/es.end
note "hand-offs $(sv /tmp/es.end rss_handoffs), timed out $(sv /tmp/es.end rss_handoff_timeouts); frames held $(sv /tmp/es.end rx_handoff_held), released by timeout $(sv /tmp/es.end rx_handoff_timeout), dropped $(sv /tmp/es.end rx_handoff_drops)"
check "the receiver saw nothing reordered: $(json /tmp/rx.final reordered)" \
	[ "$(json /tmp/rx.final reordered)" = 0 ]
check "the receiver lost nothing: $(json /tmp/rx.final lost)" \
	[ "$(json /tmp/rx.final lost)" = 0 ]
check "the receiver saw nothing duplicated: $(json /tmp/rx.final duplicated)" \
	[ "$(json /tmp/rx.final duplicated)" = 0 ]
check_dmesg
exit "$FAILED"
