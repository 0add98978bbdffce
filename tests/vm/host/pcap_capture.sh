#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Make a real capture for the pcap replay scenario: loopback traffic in
# a network namespace of our own (UDP over IPv4 and IPv6, a TCP
# connection refused, the ICMP errors they cause), captured by tcpdump.
# Nothing leaves the namespace, which is removed on exit.
#
# Usage: tests/vm/host/pcap_capture.sh OUT.pcap PACKETS
set -euo pipefail

OUT=$1
N=$2
NS=evs-pcap-$$
TCPDUMP_PID=

cleanup() {
	[ -z "$TCPDUMP_PID" ] || kill "$TCPDUMP_PID" 2>/dev/null || true
	wait 2>/dev/null || true
	ip netns del "$NS" 2>/dev/null || true
}
trap cleanup EXIT

ip netns add "$NS"
ip -n "$NS" link set lo up
ip netns exec "$NS" timeout 20 tcpdump -i lo -U -c "$N" -w "$OUT" 2>/dev/null &
TCPDUMP_PID=$!
sleep 1
# shellcheck disable=SC2016 # expanded in the namespace's bash
ip netns exec "$NS" timeout 15 bash -c '
	i=0
	while [ -e /proc/'"$TCPDUMP_PID"' ] && [ $i -lt 200 ]; do
		echo "evsteer pcap replay $i" >/dev/udp/127.0.0.1/$((5000 + i % 8))
		echo "evsteer pcap replay $i" >/dev/udp/::1/$((6000 + i % 8))
		(echo >/dev/tcp/127.0.0.1/$((7000 + i % 4))) 2>/dev/null
		i=$((i + 1))
		sleep 0.01
	done' || true
wait "$TCPDUMP_PID" || true
TCPDUMP_PID=
[ "$(tcpdump -r "$OUT" 2>/dev/null | wc -l)" = "$N" ]
