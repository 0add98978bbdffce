# SPDX-License-Identifier: GPL-2.0
#
# netdev netlink (Linux 6.8+): each RX queue shows its ring's first
# lane's NAPI, each NAPI its ring's IRQ (as /proc/interrupts names it)
# and, in threaded mode, its kthread's pid; ethtool -L changes the
# queues shown.  qstats (6.9+): per-queue packets and bytes agree with
# ethtool -S once the device is paused and the rings drained, and the
# device totals with ethtool rx_packets.  Read with evsteer-ynl, a static
# program on the kernel's own YNL C library (tools/net/ynl of
# linux-source-6.12; the guest has no Python for YNL's cli.py): without
# it (make ynl failed) the scenario skips.
# shellcheck shell=sh

. ./lib.sh
. ./dp_lib.sh
. ./mon_lib.sh

# kv FILE KEY: the values of KEY= in FILE, one per line, in order
kv() { sed -n "s/.* $2=\([0-9]*\).*/\1/p" "$1"; }

# lane0 FIELD: FIELD of every data ring's lane 0, ring 0 first
lane0() {
	awk -v f="$1" -v n="$EVSTEER_RINGS" '{ r = l = v = ""
		for (i = 1; i <= NF; i++) { split($i, kv, "=")
			if (kv[1] == "ring") r = kv[2]; if (kv[1] == "lane") l = kv[2]
			if (kv[1] == f) v = kv[2] }
		if (l == 0 && r < n) print v }' "$DBG/lanes"
}

# ring_irqs: the IRQ number of every data ring's vector, ring 0 first
ring_irqs() {
	_r=0
	while [ "$_r" -lt "$EVSTEER_RINGS" ]; do
		irq_num "$DEV-ring$_r"
		_r=$((_r + 1))
	done
}

# queues_match: queue i -> lane 0 of ring i's NAPI, for $1 queues
queues_match() {
	evsteer-ynl "$NETDEV" queues | grep 'type=rx' >/tmp/nl.q || return 1
	[ "$(wc -l </tmp/nl.q)" = "$1" ] || return 1
	[ "$(kv /tmp/nl.q napi | paste -sd ' ')" = \
		"$(lane0 napi_id | head -n "$1" | paste -sd ' ')" ]
}

# napi_irqs_match: each lane 0 NAPI has its ring's IRQ
napi_irqs_match() {
	evsteer-ynl "$NETDEV" napis >/tmp/nl.n || return 1
	for _id in $(lane0 napi_id); do
		grep -q "^napi id=$_id " /tmp/nl.n || return 1
	done
	_got=$(for _id in $(lane0 napi_id); do
		sed -n "s/^napi id=$_id irq=\([0-9]*\).*/\1/p" /tmp/nl.n; done | paste -sd ' ')
	[ "$_got" = "$(ring_irqs | paste -sd ' ')" ]
}

# napi_pids_match: each lane 0 NAPI shows its kthread's pid
napi_pids_match() {
	evsteer-ynl "$NETDEV" napis >/tmp/nl.n || return 1
	_got=$(for _id in $(lane0 napi_id); do
		sed -n "s/^napi id=$_id .*pid=\([0-9]*\).*/\1/p" /tmp/nl.n; done | paste -sd ' ')
	[ -n "$_got" ] && [ "$_got" = "$(lane0 thread_pid | paste -sd ' ')" ] &&
		! echo "$_got" | grep -qw 0
}

if ! command -v evsteer-ynl >/dev/null; then
	echo "# SKIP: no evsteer-ynl in the guest (make ynl: linux-source-6.12, scripts/deps.sh)"
	exit 77
fi
need_netdev
check "traffic flows" wait_s 30 eval '[ "$(es rx_packets)" -gt 100 ]'
evsteer-ynl "$NETDEV" queues | sed 's/^/# /'
evsteer-ynl "$NETDEV" napis | sed 's/^/# /'
check "netlink: 4 RX queues, each on its ring's first lane's NAPI" queues_match 4
check "netlink: those NAPIs have their rings' IRQs, as /proc/interrupts says" napi_irqs_match
check "ethtool -L combined 2" ethtool -L "$NETDEV" combined 2
check "netlink: then 2 RX queues" queues_match 2
check "ethtool -L combined 4" ethtool -L "$NETDEV" combined 4
check "netlink: 4 RX queues again" queues_match 4
set_knob bh_mode threaded
check "netlink: in threaded mode the NAPIs show their kthreads' pids" napi_pids_match
check "netlink: the queues keep their NAPIs" queues_match 4

pause_device
check_drained_exact
evsteer-ynl "$NETDEV" qstats | sed 's/^/# /'
evsteer-ynl "$NETDEV" qstats >/tmp/nl.s
es_snap /tmp/es.s
q=0
while [ "$q" -lt "$EVSTEER_RINGS" ]; do
	line=$(grep "type=rx queue=$q " /tmp/nl.s)
	p=$(echo "$line" | sed -n 's/.*rx-packets=\([0-9]*\).*/\1/p')
	b=$(echo "$line" | sed -n 's/.*rx-bytes=\([0-9]*\).*/\1/p')
	check "qstats queue $q: $p packets, $b bytes = ethtool -S rx_queue_${q}_*" \
		[ "$p" = "$(sv /tmp/es.s "rx_queue_${q}_packets")" -a \
		"$b" = "$(sv /tmp/es.s "rx_queue_${q}_bytes")" ]
	q=$((q + 1))
done
dev_p=$(evsteer-ynl "$NETDEV" qstats-dev | sed -n 's/.*rx-packets=\([0-9]*\).*/\1/p')
check "qstats device total $dev_p = ethtool rx_packets" [ "$dev_p" = "$(sv /tmp/es.s rx_packets)" ]
resume_device
check "rmmod works" rmmod evsteer
check_dmesg
exit "$FAILED"
