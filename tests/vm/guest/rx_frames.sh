# SPDX-License-Identifier: GPL-2.0
#
# Real frames reach a socket, in order, in every lane mode, while the
# lanes move and the steering changes under traffic.
#
# The device sends UDP frames of 256 flows to 198.18.0.2:9999; our
# receiver (evsteer-rx) checks each flow's EVSP sequence numbers.  For
# RX_S seconds a loop alternates the cpus knob every 250 ms, changes
# the RETA weights (ethtool -X) and the channels (ethtool -L).  Then the
# device is paused, the rings drain, and the books must balance:
#
#   - the receiver lost, reordered and duplicated nothing;
#   - every frame the device produced reached the socket, or is counted
#     by a named drop counter (driver or stack);
#   - `ip -s link` agrees with the device and with ethtool -S;
#   - tcpdump on evs0 shows the expected tuples;
#   - evs0 down delivers what was produced and stops the device, up
#     starts it again;
#   - napi: NET_RX softirqs ran on the lanes' CPUs; threaded: each NAPI
#     kthread runs on its lane's CPU.
#
# EVSTEER_BH: napi (default; the VM loads the module), else the module is
# loaded here with bh_mode=$EVSTEER_BH (run.sh passes --no-load).
# shellcheck shell=sh

. ./lib.sh
. ./dp_lib.sh
. ./mon_lib.sh

BH=${EVSTEER_BH:-napi}
RX_S=${RX_S:-12}
RX_JSON=/tmp/rx.json

# json FILE KEY: a number of the receiver's JSON line
json() {
	sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p" "$1" | head -n 1
}

# softirq_row NAME: per-CPU counts of one /proc/softirqs row
softirq_row() {
	awk -v n="$1:" '$1 == n { for (i = 2; i <= NF; i++) printf "%s ", $i; print "" }' /proc/softirqs
}

# snmp PROTO FIELD: one counter of /proc/net/snmp
snmp() {
	awk -v p="$1:" -v f="$2" '$1 == p {
		if (!n) { for (i = 2; i <= NF; i++) h[i] = $i; n = 1; next }
		for (i = 2; i <= NF; i++) if (h[i] == f) print $i }' /proc/net/snmp
}

# stack_drops: frames IPv4 and UDP refused (not for us, no port, errors)
stack_drops() {
	echo $(($(snmp Ip InHdrErrors) + $(snmp Ip InAddrErrors) + $(snmp Ip InDiscards) +
		$(snmp Ip InUnknownProtos) + $(snmp Udp NoPorts) + $(snmp Udp InErrors)))
}

# ip_rx FIELD: RX packets, errors, dropped or missed of `ip -s link`
ip_rx() {
	$IP -s link show "$NETDEV" | awk -v f="$1" '
		/RX:/ { for (i = 2; i <= NF; i++) h[i - 1] = $i; getline
			for (i = 1; i <= NF; i++) if (h[i] == f) print $i; exit }'
}

# frames reach the stack
delivering() { [ "$(es rx_packets)" -gt 100 ]; }

rx_queues() { ls -d "/sys/class/net/$NETDEV/queues/rx-"* 2>/dev/null | wc -l; }

# lane_threads: "cpu pid" of each lane in use of the data rings
lane_threads() {
	awk '{ r = c = p = ""
		for (i = 1; i <= NF; i++) {
			split($i, kv, "=")
			if (kv[1] == "ring") r = kv[2]
			if (kv[1] == "cpu") c = kv[2]
			if (kv[1] == "thread_pid") p = kv[2]
		}
		if (r < ENVIRON["EVSTEER_RINGS"]) print c, p }' "$DBG/lanes"
}

# threads_sample: for each lane in use, whether its kthread may only run
# on the lane's CPU, and whether it last ran there (/proc/PID/stat field
# 39); adds to the counts LANES, PINNED and THERE.  A lane the load
# monitor moved while it was looked at is left out.
LANES=0 PINNED=0 THERE=0
threads_sample() {
	lane_threads >/tmp/threads
	while read -r _c _p; do
		[ "$_p" -gt 0 ] || { LANES=$((LANES + 1)); continue; }
		_allowed=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "/proc/$_p/status")
		_last=$(awk '{ print $39 }' "/proc/$_p/stat")
		echo "$_c $_p $_allowed $_last"
	done </tmp/threads >/tmp/threads.seen
	lane_threads >/tmp/threads.after
	while read -r _c _p _allowed _last; do
		grep -qx "$_c $_p" /tmp/threads.after || continue
		LANES=$((LANES + 1))
		[ "$_allowed" = "$_c" ] && PINNED=$((PINNED + 1))
		[ "$_last" = "$_c" ] && THERE=$((THERE + 1))
	done </tmp/threads.seen
}

# the receiver first: it must see every flow's frames from sequence 0
evsteer-rx --port 9999 --ready-file /tmp/rx.ready >"$RX_JSON" 2>/tmp/rx.err &
RX_PID=$!
check "the receiver is ready" wait_s 10 test -e /tmp/rx.ready
if [ "$EVSTEER_LOAD" = 0 ]; then
	check "insmod bh_mode=$BH" insmod "$EVSTEER_KO" "bh_mode=$BH"
fi
KD=$(knob_dir)
want=$BH
# Linux 6.9+: tasklets are deprecated, "tasklet" means BH work items
if [ "$BH" = tasklet ] && dmesg | grep -q 'tasklets are deprecated on this kernel'; then
	want=bh
	pass "tasklet runs as bh on this kernel, and the kernel log says so"
fi
# PREEMPT_RT raises no softirq from an IPI: NAPI lanes are threaded there
if [ "$BH" = napi ] && dmesg | grep -q 'on PREEMPT_RT NAPI lanes run threaded'; then
	want=threaded
	pass "napi runs threaded on PREEMPT_RT, and the kernel log says so"
fi
check "the lanes run as $want" [ "$(knob bh_mode)" = "$want" ]
check "evs0 comes up as 198.18.0.2" sh "$EVSTEER_NETUP"
need_netdev
check "one RX queue per active ring: $(rx_queues)" [ "$(rx_queues)" = "$EVSTEER_RINGS" ]
check "evs0's MAC is the one the device publishes" \
	[ "$(cat "/sys/class/net/$NETDEV/address")" = 02:45:56:53:00:02 ]
check "frames reach the stack within 30 s" wait_s 30 delivering

# tcpdump sees the UDP frames, with the tuples the device makes
timeout 20 tcpdump -i "$NETDEV" -nn -l -c 20 udp dst port 9999 >/tmp/td.txt 2>/tmp/td.err
note "tcpdump: $(head -n 2 /tmp/td.txt | tr '\n' '|')"
check "tcpdump on evs0 shows 20 UDP frames 198.18.1.x -> 198.18.0.2.9999" \
	[ "$(grep -cE '^[0-9:.]+ IP 198\.18\.1\.[0-9]+\.[0-9]+ > 198\.18\.0\.2\.9999: UDP, length [0-9]+$' /tmp/td.txt)" = 20 ]

es_snap /tmp/es.a
softirq_row NET_RX >/tmp/netrx.a

# moves, table and channel changes, under traffic
i=0
moves=0
end=$(($(uptime_cs) + RX_S * 100))
while [ "$(uptime_cs)" -lt "$end" ]; do
	if [ $((i % 2)) = 0 ]; then echo 0-1 >"$KD/cpus"; else echo 2-3 >"$KD/cpus"; fi
	moves=$((moves + 1))
	case $((i % 12)) in
	1) ethtool -X "$NETDEV" weight 3 1 1 1 ;;
	3) ethtool -X "$NETDEV" default ;;
	5) ethtool -L "$NETDEV" combined 2 ;;
	7) ethtool -X "$NETDEV" weight 1 2 ;;
	9) ethtool -X "$NETDEV" default ;;
	11) ethtool -L "$NETDEV" combined 4 ;;
	esac
	if [ "$want" = threaded ] && [ $((i % 4)) = 1 ]; then
		sleep 0.5	# the kthreads run once more after the move
		threads_sample
	fi
	sleep 0.25
	i=$((i + 1))
done
echo 0-3 >"$KD/cpus"
ethtool -L "$NETDEV" combined 4
ethtool -X "$NETDEV" default

# down and up under traffic: the device pauses, the rings drain, the
# NAPIs stop; then it all starts again, and nothing is lost
check "ip link set evs0 down under traffic" $IP link set "$NETDEV" down
es_snap /tmp/es.down
check "down: every frame the device produced was delivered" \
	[ $(($(sv /tmp/es.down rx_packets) + $(sv /tmp/es.down bad_entries))) = "$(sv /tmp/es.down dev_produced)" ]
sleep 1
check "down: the device produced nothing more" [ "$(es dev_produced)" = "$(sv /tmp/es.down dev_produced)" ]
check "ip link set evs0 up again" $IP link set "$NETDEV" up
grows() { [ "$(es rx_packets)" -gt "$(sv /tmp/es.down rx_packets)" ]; }
check "up: frames flow again" wait_s 10 grows
note "$moves cpus changes, about $((i / 6)) channel and $((i / 4)) table changes"

pause_device
check_drained_exact
es_snap /tmp/es.b
softirq_row NET_RX >/tmp/netrx.b
sleep 1
kill -TERM "$RX_PID"
wait "$RX_PID"
tail -n 1 "$RX_JSON" >/tmp/rx.final
note "receiver: $(tail -n 1 "$RX_JSON")"
note "hard IRQ -> socket latency: p50 $(json /tmp/rx.final p50) ns, p99 $(json /tmp/rx.final p99) ns"
[ -s /tmp/rx.err ] && note "receiver stderr: $(head -n 3 /tmp/rx.err)"

# the books
received=$(json /tmp/rx.final received)
produced=$(sv /tmp/es.b dev_produced)
rx_packets=$(sv /tmp/es.b rx_packets)
driver_drops=$(($(sv /tmp/es.b rx_alloc_fail) + $(sv /tmp/es.b rx_down_drops) + $(sv /tmp/es.b bad_entries)))
stack_drops=$(stack_drops)	# since boot: the guest sends nothing else
note "device produced $produced, driver delivered $rx_packets, dropped $driver_drops; stack dropped $stack_drops; socket received $received"
check "the receiver lost nothing: lost=$(json /tmp/rx.final lost)" [ "$(json /tmp/rx.final lost)" = 0 ]
check "the receiver saw nothing reordered: $(json /tmp/rx.final reordered)" \
	[ "$(json /tmp/rx.final reordered)" = 0 ]
check "the receiver saw nothing duplicated: $(json /tmp/rx.final duplicated)" \
	[ "$(json /tmp/rx.final duplicated)" = 0 ]
check "the receiver saw no bad payload: $(json /tmp/rx.final bad)" [ "$(json /tmp/rx.final bad)" = 0 ]
check "driver delivered + dropped = device produced" \
	[ $((rx_packets + driver_drops)) = "$produced" ]
check "socket received + stack drops = driver delivered" \
	[ $((received + stack_drops)) = "$rx_packets" ]
check_zero /tmp/es.b lost dups reorders dev_drops drain_timeouts
check "ip -s link: RX packets $(ip_rx packets) = ethtool rx_packets" [ "$(ip_rx packets)" = "$rx_packets" ]
check "ip -s link: packets + errors + dropped = device produced" \
	[ $(($(ip_rx packets) + $(ip_rx errors) + $(ip_rx dropped))) = "$produced" ]
check "per queue: rx_queue_N_packets sum to rx_packets" \
	[ "$(awk '$1 ~ /^rx_queue_[0-9]+_packets$/ { s += $2 } END { print s + 0 }' /tmp/es.b)" = \
		"$rx_packets" ]

case $want in
napi)
	grew=$(paste /tmp/netrx.a /tmp/netrx.b | awk '{ n = NF / 2
		for (i = 1; i <= 4 && i <= n; i++) if ($(i + n) - $i > 20) g++
		print g + 0 }')
	check "NET_RX softirqs grew on all 4 CPUs the lanes moved over ($grew)" [ "$grew" = 4 ]
	;;
threaded)
	# the driver pins at once; a kthread that has not run since the move
	# still shows its old CPU, hence the margin on the second
	note "after the moves: $PINNED of $LANES lane samples pinned to the lane's CPU, $THERE last ran there"
	check "each NAPI kthread is pinned to its lane's CPU" \
		[ "$LANES" -gt 0 -a "$PINNED" = "$LANES" ]
	check "and the kthreads run there (stat field 39, half the samples)" \
		[ "$LANES" -gt 0 -a $((THERE * 2)) -ge "$LANES" ]
	;;
esac
resume_device
check "rmmod works" rmmod evsteer
check_dmesg
exit "$FAILED"
