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

IRQB_PID=
irqb_start() {
	# evsteer moves its own lanes; the serial ports are the harness's
	# (an edge-triggered IRQ moved under TCG may lose an answer)
	_ban=$(awk '/evsteer|ttyS/ { sub(":", "", $1); printf " --banirq=%s", $1 }' /proc/interrupts)
	if ! command -v irqbalance >/dev/null; then
		emit irqb "status=missing"
		return 1
	fi
	mkdir -p /run/irqbalance /var/run
	# shellcheck disable=SC2086 # the arguments are meant to split
	irqbalance --foreground $_ban >/tmp/irqb.log 2>&1 &
	IRQB_PID=$!
	sleep 1
	if kill -0 "$IRQB_PID" 2>/dev/null; then
		emit irqb "status=running args=--foreground$_ban"
	else
		emit irqb "status=exited"
		IRQB_PID=
	fi
}

# ---- snapshots -----------------------------------------------------------------

# cpu_line: the guest's aggregate /proc/stat: busy and all ticks
cpu_line() {
	awk '$1 == "cpu" { t = 0; for (i = 2; i <= NF; i++) t += $i
		print t - $5 - $6, t; exit }' /proc/stat
}

# lanes_snap FILE: "ring.lane cpu busy_ns rx_packets" per data lane
lanes_snap() {
	awk -v r="$EVSTEER_RINGS" '{ delete v
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		if (v["ring"] + 0 < r + 0)
			print v["ring"] "." v["lane"], v["cpu"], v["busy_ns"], v["rx_packets"] }' \
		"$DBG/lanes" >"$1"
}

# busiest_lane_cpu A B: "LANE CPU BUSY_NS_DELTA PACKETS_DELTA ALL" of the
# lane whose busy time grew most (its packets if none did), ALL every
# lane's "ring.lane:cpu:busy_ns:packets" deltas
busiest_lane_cpu() {
	awk 'FNR == NR { b[$1] = $3; p[$1] = $4; next }
		{ d = $3 - b[$1]; q = $4 - p[$1]; all = all (n ? "," : "") $1 ":" $2 ":" d ":" q
		  if (!n++ || d > best || (d == best && q > bq)) { best = d; bq = q; l = $1; c = $2 } }
		END { print l, c, best, bq, all }' "$1" "$2"
}

# irq_snap FILE PATTERN: per-CPU counts of the vectors named PATTERN, summed
irq_snap() {
	awk -v p="$2" -v c="$EVSTEER_SMP" '$NF ~ p { for (i = 2; i <= c + 1; i++) s[i - 2] += $i }
		END { for (i = 0; i < c; i++) printf "%d%s", s[i], (i < c - 1 ? " " : "\n") }' \
		/proc/interrupts >"$1"
}

# busiest_irq_cpu A B: "CPU DELTAS" of the CPU whose counts grew most
busiest_irq_cpu() {
	awk 'FNR == NR { for (i = 1; i <= NF; i++) a[i] = $i; next }
		{ for (i = 1; i <= NF; i++) { d = $i - a[i]; ds = ds (i > 1 ? "," : "") d
			if (d > best || i == 1) { best = d; c = i - 1 } } }
		END { print c, ds }' "$1" "$2"
}

# vio_affinity: the virtio NIC's input vectors' effective affinity
vio_affinity() {
	awk '$NF ~ /virtio.*input/ { sub(":", "", $1); print $1 }' /proc/interrupts |
	while read -r _n; do
		printf '%s:%s,' "$_n" "$(cat /proc/irq/"$_n"/effective_affinity_list 2>/dev/null)"
	done
}

HOG_PID=
hog_start() {
	taskset -c "$1" sh -c 'while :; do :; done' &
	HOG_PID=$!
}
hog_stop() {
	[ -n "$HOG_PID" ] || return 0
	kill "$HOG_PID" 2>/dev/null
	wait "$HOG_PID" 2>/dev/null
	HOG_PID=
}

# ---- the runs ------------------------------------------------------------------

irqb_start
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
	hog_start "$cpu"
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
if [ -n "$IRQB_PID" ]; then
	if kill -0 "$IRQB_PID" 2>/dev/null; then
		emit irqb "status=ran-to-the-end"
	else
		emit irqb "status=died-before-the-end"
	fi
	kill "$IRQB_PID" 2>/dev/null
	wait "$IRQB_PID" 2>/dev/null
fi
awk 'length($0) <= 200 && NF' /tmp/irqb.log | head -n 50 | sed 's/^/bench-irqblog /'
es_snap /tmp/es.end && emit evs "$(grep -E '^(migrations|monitor_ticks|rx_packets|tx_packets) ' /tmp/es.end | tr ' ' '=' | tr '\n' ' ')"
exit 0
