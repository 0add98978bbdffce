# SPDX-License-Identifier: GPL-2.0
#
# iperf3 TCP through evsteer: the server here, the client in the host's
# namespace; TX_SECS (default 10) host->guest, then as long guest->host
# (-R, so the guest's TX path carries the data).  Both must complete
# with bytes moved (the host judges iperf3's JSON and prints throughput
# and retransmits as "# measured:" lines); here, the TX counters grew
# with nothing dropped.

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh
# shellcheck source=dp_lib.sh
. ./dp_lib.sh
# shellcheck source=tx_lib.sh
. ./tx_lib.sh

SECS=${TX_SECS:-10}

need_tx
check "iperf3 -s listens on port $TX_PORT" iperf_server 120
es_snap /tmp/es.0
check "iperf3 TCP host->guest, $SECS s, completes" host_do iperf tcp_fwd "$SECS"
es_snap /tmp/es.1
check "iperf3 TCP guest->host (-R), $SECS s, completes" host_do iperf tcp_rev "$SECS" -R
es_snap /tmp/es.2
iperf_server_stop
tx_show /tmp/es.2
fwd=$(($(tx_sum /tmp/es.1 bytes) - $(tx_sum /tmp/es.0 bytes)))
rev=$(($(tx_sum /tmp/es.2 bytes) - $(tx_sum /tmp/es.1 bytes)))
note "TX bytes: $fwd while receiving (ACKs), $rev while sending"
check "the TX queues carried the ACKs of host->guest" [ "$fwd" -gt 0 ]
check "the TX queues carried more while sending than while receiving" [ "$rev" -gt "$fwd" ]
check "tx_queue_N_dropped sum to 0 (it is $(tx_sum /tmp/es.2 dropped))" \
	[ "$(tx_sum /tmp/es.2 dropped)" = 0 ]
check "ip -s link: TX dropped is 0 (it is $(ns_stat tx_dropped))" \
	[ "$(ns_stat tx_dropped)" = 0 ]
check "no TX timeout" [ "$(sv /tmp/es.2 tx_timeouts)" = 0 ]
check_dmesg
exit "$FAILED"
