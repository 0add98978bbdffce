# SPDX-License-Identifier: GPL-2.0
#
# The guest's side of the NIC comparison (tests/vm/bench/nic.sh; VM from
# scripts/vm.sh --tap --virtio-net): the same workloads through evs0
# (198.18.0.2, evsteer's lanes and load monitor at their defaults) and
# through the virtio-net NIC (198.18.2.2, $EVSTEER_VNET_IF, set up by
# vm.sh with RPS and RFS; irqbalance started here, as a user would run
# it, told to leave evsteer's vectors and the serial ports alone).  The host side
# (nic_host.sh, in the namespace) runs the clients; this prints raw
# figures as "bench-<what> key=value ..." lines and asserts nothing.
#
#   ping     NIC_PINGS pings at NIC_PING_IVAL s, each NIC
#   tcp      iperf3 NIC_IPERF_S s host->guest and guest->host (-R), each
#            NIC, with the guest's /proc/stat over each run
#   rr       udprr at NIC_RR_RATE/s for NIC_RR_S s, each NIC, then again
#            with a CPU hog on the busiest CPU: for evs0 the CPU of the
#            lane whose busy_ns grew most (debugfs lanes), for the
#            virtio NIC the CPU that took most of its RX interrupts
#            (/proc/interrupts), both over the run without the hog
# shellcheck shell=sh disable=SC2317 # functions run through check

# one request, at most (tx_lib.sh's host_wait): the longest run and slack
TX_HOST_WAIT=$((${NIC_IPERF_S:-10} + ${NIC_RR_S:-10} + 60))
# shellcheck source=../guest/lib.sh
. ./lib.sh
# shellcheck source=../guest/dp_lib.sh
. ./dp_lib.sh
# shellcheck source=../guest/tx_lib.sh
. ./tx_lib.sh
# shellcheck source=bench_lib.sh
. ./bench_lib.sh

PINGS=${NIC_PINGS:-200}
PING_IVAL=${NIC_PING_IVAL:-0.02}
IPERF_S=${NIC_IPERF_S:-10}
RR_RATE=${NIC_RR_RATE:-200}
RR_S=${NIC_RR_S:-10}
RR_PORT=9000
VIF=${EVSTEER_VNET_IF:-}
EVS_ADDR=198.18.0.2
VIO_ADDR=198.18.2.2

need_tx
check "the virtio-net NIC is up (${VIF:-none})" [ -n "$VIF" ]
[ -n "$VIF" ] || exit 1
set -- /sys/class/net/"$VIF"/queues/rx-*
nq=$#
emit info "smp=$EVSTEER_SMP rings=$EVSTEER_RINGS vif=$VIF vqueues=$nq rps_cpus=$(cat /sys/class/net/"$VIF"/queues/rx-0/rps_cpus) rps_flow_cnt=$(cat /sys/class/net/"$VIF"/queues/rx-0/rps_flow_cnt) rps_sock_flow_entries=$(cat /proc/sys/net/core/rps_sock_flow_entries) evs_lanes=$(lanes) $(knobs_state)"

# ---- irqbalance, for the virtio NIC's vectors -------------------------------

# irqb_start, irqb_stop: bench_lib.sh's; evsteer moves its own lanes, and
# the serial ports are the harness's (an edge-triggered IRQ moved under
# TCG may lose an answer)
IRQB_LOG_LINES=50

# ---- snapshots -----------------------------------------------------------------

# cpu_line: the guest's aggregate /proc/stat: busy and all ticks
cpu_line() {
	awk '$1 == "cpu" { t = 0; for (i = 2; i <= NF; i++) t += $i
		print t - $5 - $6, t; exit }' /proc/stat
}

# vio_affinity: the virtio NIC's input vectors' effective affinity
vio_affinity() {
	awk '$NF ~ /virtio.*input/ { sub(":", "", $1); print $1 }' /proc/interrupts |
	while read -r _n; do
		printf '%s:%s,' "$_n" "$(cat /proc/irq/"$_n"/effective_affinity_list 2>/dev/null)"
	done
}

# ---- the runs ------------------------------------------------------------------

# shellcheck disable=SC2046 # one word per IRQ banned
irqb_start --foreground $(irqb_bans 'evsteer|ttyS')
iperf_server 900 || emit error "iperf3 -s did not start"
timeout 900 udprr server --port "$RR_PORT" >/tmp/udprr-s.log 2>&1 &
RR_PID=$!

# ARP and the first packets out of the way
host_do ping warm_evsteer "$EVS_ADDR" 5 0.1
host_do ping warm_virtio "$VIO_ADDR" 5 0.1

for nic in evsteer virtio; do
	a=$EVS_ADDR
	[ "$nic" = evsteer ] || a=$VIO_ADDR
	host_do ping "ping_$nic" "$a" "$PINGS" "$PING_IVAL"
	emit ping "nic=$nic rc=$? file=ping_$nic.ping count=$PINGS interval=$PING_IVAL"
done

for nic in evsteer virtio; do
	a=$EVS_ADDR
	[ "$nic" = evsteer ] || a=$VIO_ADDR
	for dir in fwd rev; do
		r=
		[ "$dir" = fwd ] || r=-R
		c0=$(cpu_line)
		t0=$(uptime_cs)
		# shellcheck disable=SC2086 # $r is empty or -R
		host_do iperf "tcp_${dir}_$nic" "$a" "$IPERF_S" $r
		rc=$?
		c1=$(cpu_line)
		t1=$(uptime_cs)
		emit cpu "nic=$nic dir=$dir rc=$rc file=tcp_${dir}_$nic.json busy0=${c0% *} all0=${c0#* } busy1=${c1% *} all1=${c1#* } wall_cs=$((t1 - t0)) cpus=$EVSTEER_SMP"
	done
done

for nic in evsteer virtio; do
	a=$EVS_ADDR
	[ "$nic" = evsteer ] || a=$VIO_ADDR
	lanes_snap /tmp/l0
	irq_snap /tmp/i0 'virtio.*input'
	host_do rr "rr_$nic" "$a" "$RR_RATE" "$RR_S"
	rc=$?
	lanes_snap /tmp/l1
	irq_snap /tmp/i1 'virtio.*input'
	if [ "$nic" = evsteer ]; then
		# shellcheck disable=SC2046 # five words
		set -- $(busiest_lane_cpu /tmp/l0 /tmp/l1)
		cpu=$2
		why="lane=$1 busy_ns=$3 packets=$4 lane_deltas=$5"
	else
		# shellcheck disable=SC2046 # two words
		set -- $(busiest_irq_cpu /tmp/i0 /tmp/i1)
		cpu=$1
		why="irq_deltas=$2 affinity=$(vio_affinity)"
	fi
	emit rr "nic=$nic hog=no rc=$rc file=rr_$nic.json hog_cpu=$cpu $why"
	lanes_snap /tmp/l0
	irq_snap /tmp/i0 'virtio.*input'
	hog_start "$cpu" "bench-rr-hog-$nic"
	host_do rr "rrhog_$nic" "$a" "$RR_RATE" "$RR_S"
	rc=$?
	hog_stop
	lanes_snap /tmp/l1
	irq_snap /tmp/i1 'virtio.*input'
	if [ "$nic" = evsteer ]; then
		why="lanes_on_cpu_after=$(awk -v c="$cpu" '$2 == c' /tmp/l1 | wc -l) lane_deltas=$(busiest_lane_cpu /tmp/l0 /tmp/l1 | cut -d' ' -f5)"
	else
		why="irq_deltas=$(busiest_irq_cpu /tmp/i0 /tmp/i1 | cut -d' ' -f2) affinity=$(vio_affinity)"
	fi
	emit rr "nic=$nic hog=yes rc=$rc file=rrhog_$nic.json hog_cpu=$cpu $why"
done

iperf_server_stop
kill "$RR_PID" 2>/dev/null
wait "$RR_PID" 2>/dev/null
irqb_stop
es_snap /tmp/es.end && emit evs "$(grep -E '^(migrations|monitor_ticks|rx_packets|tx_packets) ' /tmp/es.end | tr ' ' '=' | tr '\n' ' ')"
exit 0
