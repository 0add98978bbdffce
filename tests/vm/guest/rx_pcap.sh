# SPDX-License-Identifier: GPL-2.0
#
# Pcap replay: the device replays a real capture (made on the host by
# tests/vm/host/pcap_capture.sh) byte for byte; tcpdump -w on evs0
# captures PCAP_N frames, which go back to the host as base64 between
# "pcap-b64-begin" and "pcap-b64-end" lines, to be compared there with
# the capture's frames (tests/vm/run.sh sc_rx_pcap).  The device starts
# at rate 0, so nothing is sent before tcpdump listens.
# shellcheck shell=sh

. ./lib.sh
. ./dp_lib.sh

N=${PCAP_N:?}

td_listening() { grep -q listening /tmp/td.err 2>/dev/null; }

check "evs0 comes up" sh "$EVSTEER_NETUP"
timeout 60 tcpdump -i "$NETDEV" -Q in -nn -U -c "$N" -w /tmp/guest.pcap 2>/tmp/td.err &
TD=$!
check "tcpdump listens on evs0" wait_s 10 td_listening
host_req rate 200
wait "$TD"
got=$(tcpdump -r /tmp/guest.pcap -nn 2>/dev/null | wc -l)
check "tcpdump captured $N frames ($got)" [ "$got" = "$N" ]
es_snap /tmp/es.end
check_zero /tmp/es.end bad_entries rx_alloc_fail
echo "pcap-b64-begin"
base64 /tmp/guest.pcap
echo "pcap-b64-end"
check "rmmod works" rmmod evsteer
check_dmesg
exit "$FAILED"
