# SPDX-License-Identifier: GPL-2.0
#
# RX steering of real flows: TX_STREAMS (8) iperf3 UDP streams from the
# host's namespace at TX_RATE each, for TX_SECS.  This side prints the
# hash key, the table (ethtool -x) and each ring's rx_queue_N_packets
# growth on "tx-steer:" lines; the host (tests/vm/host/tx_steer.sh)
# hashes the streams' tuples with them and compares.  Here: the run
# completes, every stream's packets arrived, and the guest's replies
# (the control connection) left with nothing dropped.

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh
# shellcheck source=dp_lib.sh
. ./dp_lib.sh
# shellcheck source=tx_lib.sh
. ./tx_lib.sh

STREAMS=${TX_STREAMS:-8}
RATE=${TX_RATE:-1M}
SECS=${TX_SECS:-5}

need_tx
check "iperf3 -s listens on port $TX_PORT" iperf_server 120
echo "tx-steer: key $(rss_key)"
echo "tx-steer: reta $(reta_entries | paste -sd ' ')"
es_snap /tmp/es.0
check "iperf3 UDP, $STREAMS streams of $RATE bit/s, $SECS s, completes" \
	host_do iperf udp "$SECS" -u -b "$RATE" -l 1000 -P "$STREAMS"
es_snap /tmp/es.1
iperf_server_stop
echo "tx-steer: rx $(rx_rings_delta /tmp/es.0 /tmp/es.1)"
tx_show /tmp/es.1
check "tx_queue_N_dropped sum to 0" [ "$(tx_sum /tmp/es.1 dropped)" = 0 ]
check_dmesg
exit "$FAILED"
