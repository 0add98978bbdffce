# SPDX-License-Identifier: GPL-2.0
#
# Ping through evsteer: the host's namespace (198.18.0.1 on its TAP)
# pings 198.18.0.2 100 times and 2001:db8::2 20 times; all are
# answered, ARP there resolves to evs0's MAC, and the guest's TX
# counters (ethtool -S per queue, ip -s link) grew by at least the
# replies, with nothing dropped.
# TX_PING_N, TX_PING6_N: how many pings (default 100, 20).

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh
# shellcheck source=dp_lib.sh
. ./dp_lib.sh
# shellcheck source=tx_lib.sh
. ./tx_lib.sh

N4=${TX_PING_N:-100}
N6=${TX_PING6_N:-20}

need_tx
es_snap /tmp/es.0
p0=$(ns_stat tx_packets)

check "the namespace pings $TX_SELF: $N4 of $N4 answered" host_do ping4 "$N4" 0.05
check "ARP in the namespace: $TX_SELF is $TX_MAC" host_do neigh
check "the namespace pings 2001:db8::2: $N6 of $N6 answered" host_do ping6 "$N6" 0.05

es_snap /tmp/es.1
tx_show /tmp/es.1
sent=$(($(tx_sum /tmp/es.1 packets) - $(tx_sum /tmp/es.0 packets)))
sent_ns=$(($(ns_stat tx_packets) - p0))
$IP -s link show "$NETDEV" | sed 's/^/# /'
check "ethtool -S: the TX queues sent $sent >= $((N4 + N6)) frames (the replies)" \
	[ "$sent" -ge $((N4 + N6)) ]
check "ip -s link: TX packets grew by $sent_ns >= $((N4 + N6))" \
	[ "$sent_ns" -ge $((N4 + N6)) ]
check "ethtool -S: tx_queue_N_dropped sum to 0 (it is $(tx_sum /tmp/es.1 dropped))" \
	[ "$(tx_sum /tmp/es.1 dropped)" = 0 ]
check "ip -s link: TX dropped is 0 (it is $(ns_stat tx_dropped))" \
	[ "$(ns_stat tx_dropped)" = 0 ]
check "no TX timeout" [ "$(sv /tmp/es.1 tx_timeouts)" = 0 ]
check_dmesg
exit "$FAILED"
