#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Where the device steers real UDP flows: each iperf3 stream's tuple
# (198.18.0.1:<its source port> -> 198.18.0.2:5201, IPv4 + UDP, as the
# device hashes a frame it reads from the TAP) goes through
# build/tools/evsteer-steer --tuple with the guest's key and table: the
# device's own Toeplitz code and lookup.  For tx_iperf_udp: compare
# that with what each ring received in the guest.
#
# Usage: tx_steer.sh --check OUT JSON TOLERANCE
#        tx_steer.sh --self-test
#   OUT        the guest's output, with its "tx-steer: key|reta|rx" lines
#   JSON       iperf3 -J of the client (streams' source ports, packets)
#   TOLERANCE  each ring within this fraction of all packets received
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
STEER=$ROOT/build/tools/evsteer-steer
SRC=198.18.0.1
DST=198.18.0.2
DPORT=5201

# ring_of KEY RETA SPORT: the ring evsteer-steer computes for a stream.
ring_of() {
	"$STEER" --key "$1" --reta "$2" --tuple "$SRC,$3,$DST,$DPORT" |
		sed -n 's/^tuple=0 hash=\(0x[0-9a-f]*\) ring=\([0-9]*\)$/\1 \2/p'
}

# The spec's first IPv4-with-ports vector, with its key: the tool hashes
# as Microsoft's RSS verification suite says.
self_test() {
	local key=6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa

	"$STEER" --key "$key" --equal 1 --tuple 66.9.149.187,2794,161.142.100.80,1766 |
		grep -q '^tuple=0 hash=0x51ccc178 ring=0$'
}

check() {
	local out=$1 json=$2 tol=$3 key reta rx streams port pkts lost h ring hr
	local -a pred obs
	local total=0 r fail=0 n

	if ! self_test; then
		echo "# FAIL: $STEER does not hash the RSS test vector as the spec says"
		return 1
	fi
	key=$(sed -n 's/.*tx-steer: key //p' "$out" | tail -n 1)
	reta=$(sed -n 's/.*tx-steer: reta //p' "$out" | tail -n 1)
	rx=$(sed -n 's/.*tx-steer: rx //p' "$out" | tail -n 1)
	if [ -z "$key" ] || [ -z "$reta" ] || [ -z "$rx" ] || [ ! -s "$json" ]; then
		echo "# FAIL: steering check: no key, table, ring counts or iperf3 JSON from the run"
		return 1
	fi
	read -ra obs <<<"$rx"
	n=$(wc -w <<<"$reta")
	for ((r = 0; r < ${#obs[@]}; r++)); do
		pred[r]=0
		total=$((total + obs[r]))
	done
	# per stream: source port, packets the server got (sent - lost)
	streams=$(jq -r '.start.connected as $c | .end.streams[].udp |
		. as $s | ($c[] | select(.socket == $s.socket) | .local_port) as $p |
		"\($p) \($s.packets) \($s.lost_packets)"' "$json")
	while read -r port pkts lost; do
		hr=$(ring_of "$key" "$reta" "$port")
		read -r h ring <<<"$hr"
		if [ -z "$ring" ]; then
			echo "# FAIL: evsteer-steer placed no stream of port $port"
			return 1
		fi
		pred[ring]=$((pred[ring] + pkts - lost))
		printf '# stream %s:%s -> %s:%s: hash 0x%08x, entry %d, ring %d, %d packets (%d lost)\n' \
			"$SRC" "$port" "$DST" "$DPORT" "$h" $((h & (n - 1))) "$ring" \
			"$((pkts - lost))" "$lost"
	done <<<"$streams"
	echo "# measured: UDP per ring, predicted: ${pred[*]}; received: ${obs[*]} (of $total)"
	for ((r = 0; r < ${#obs[@]}; r++)); do
		if awk -v o="${obs[r]}" -v p="${pred[r]}" -v t="$total" -v f="$tol" \
			'BEGIN { d = o - p; if (d < 0) d = -d; exit !(t > 0 && d <= f * t) }'; then
			echo "# ok: ring $r received ${obs[r]}, predicted ${pred[r]} (within $tol of $total)"
		else
			echo "# FAIL: ring $r received ${obs[r]}, predicted ${pred[r]} (not within $tol of $total)"
			fail=1
		fi
	done
	return "$fail"
}

case ${1:-} in
--check) shift; check "$@" ;;
--self-test) self_test && echo "ok: RSS test vectors" ;;
*) sed -n '/^# Usage/,/^$/p' "$0" >&2; exit 2 ;;
esac
