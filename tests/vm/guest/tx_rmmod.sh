# SPDX-License-Identifier: GPL-2.0
#
# rmmod in the middle of an iperf3 run (TCP, host->guest and so the
# guest's ACKs on TX), then insmod: no oops, the device is still
# running and counting (its control socket answers, the new driver
# instance sees it running and sends), and a new ping from the
# namespace is answered.

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh
# shellcheck source=dp_lib.sh
. ./dp_lib.sh
# shellcheck source=tx_lib.sh
. ./tx_lib.sh

SECS=30			# longer than the scenario needs: stopped by the host
RMMOD_TIMEOUT=30	# an unregister that waits for a leaked reference

# traffic_flows TX RX: more than 1000 frames sent and received since
# the counts were TX and RX
traffic_flows() {
	[ $(($(ns_stat tx_packets) - $1)) -gt 1000 ] &&
	[ $(($(ns_stat rx_packets) - $2)) -gt 1000 ]
}

need_tx
check "iperf3 -s listens on port $TX_PORT" iperf_server 120
tx0=$(ns_stat tx_packets)
rx0=$(ns_stat rx_packets)
host_ask iperf_bg rm "$SECS"
bg=$_tx_req
check "the host's iperf3 starts" host_wait "$bg" 10
check "iperf3 traffic flows both ways (10 s at most)" wait_s 10 traffic_flows "$tx0" "$rx0"
es_snap /tmp/es.1
tx_show /tmp/es.1
check "rmmod evsteer during the iperf3 run" timeout "$RMMOD_TIMEOUT" rmmod evsteer
check "evs0 is gone" eval '! has_netdev'
sleep 1
check "insmod again, evs0 up" evs_insmod
check "the new instance sees the device running (10 s at most)" wait_s 10 dev_running
check "the host's device process answers (evsteer-ctl stats)" host_do ctl stats
host_do iperf_stop rm
check "a new ping from the namespace: 5 of 5 answered" host_do ping4 5 0.2
es_snap /tmp/es.2
tx_show /tmp/es.2
check "the reloaded driver sent the replies (tx packets $(tx_sum /tmp/es.2 packets) >= 5)" \
	[ "$(tx_sum /tmp/es.2 packets)" -ge 5 ]
check "tx_queue_N_dropped sum to 0 after the reload" [ "$(tx_sum /tmp/es.2 dropped)" = 0 ]
iperf_server_stop
check "final rmmod" timeout "$RMMOD_TIMEOUT" rmmod evsteer
check_dmesg
exit "$FAILED"
