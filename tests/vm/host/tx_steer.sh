#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Where the device steers real UDP flows: each iperf3 stream's tuple
# (198.18.0.1:<its source port> -> 198.18.0.2:5201, IPv4 + UDP, in
# that order, as the device hashes a frame it reads from the TAP) is
# Toeplitz-hashed with the guest's key, its packets go to the ring of
# RETA entry hash & (entries - 1).  For tx_iperf_udp: compare that with
# what each ring received in the guest.
#
# Usage: tx_steer.sh --check OUT JSON TOLERANCE
#   OUT        the guest's output, with its "tx-steer: key|reta|rx" lines
#   JSON       iperf3 -J of the client (streams' source ports, packets)
#   TOLERANCE  each ring within this fraction of all packets received
#
# build/tools/evsteer-steer knows only the generator's flows, not
# given tuples, so the hash is computed here, in bash, and checked
# first against the Toeplitz test vectors of the Microsoft RSS spec.
set -euo pipefail

SRC=198.18.0.1
DST=198.18.0.2
DPORT=5201

# toeplitz KEYHEX BYTE...: the 32-bit Toeplitz hash of the bytes.
toeplitz() {
	local hex=${1//:/} k=() i b v=0 h=0 n

	shift
	for ((i = 0; i < ${#hex}; i += 2)); do
		k+=($((16#${hex:i:2})))
	done
	v=$(((k[0] << 24) | (k[1] << 16) | (k[2] << 8) | k[3]))
	n=0
	for b in "$@"; do
		for ((i = 7; i >= 0; i--)); do
			((b >> i & 1)) && h=$((h ^ v))
			v=$((((v << 1) | (k[n + 4] >> i & 1)) & 0xffffffff))
		done
		n=$((n + 1))
	done
	echo "$h"
}

# tuple4 SRC DST SPORT DPORT: the bytes hashed for IPv4 + UDP/TCP.
tuple4() {
	local IFS=.

	# shellcheck disable=SC2086 # split the dotted quads
	echo $1 $2 $(($3 >> 8)) $(($3 & 255)) $(($4 >> 8)) $(($4 & 255))
}

# The spec's first two IPv4-with-ports vectors, with its key.
self_test() {
	local key=6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa

	# shellcheck disable=SC2046 # the tuple's bytes, one word each
	[ "$(toeplitz "$key" $(tuple4 66.9.149.187 161.142.100.80 2794 1766))" = $((0x51ccc178)) ] &&
	[ "$(toeplitz "$key" $(tuple4 199.92.111.2 65.69.140.83 14230 4739))" = $((0xc626b0ea)) ]
}

check() {
	local out=$1 json=$2 tol=$3 key reta rx streams port pkts lost h ring
	local -a pred obs
	local total=0 r fail=0 n

	if ! self_test; then
		echo "# FAIL: the Toeplitz hash here does not match the RSS test vectors"
		return 1
	fi
	key=$(sed -n 's/.*tx-steer: key //p' "$out" | tail -n 1)
	reta=$(sed -n 's/.*tx-steer: reta //p' "$out" | tail -n 1)
	rx=$(sed -n 's/.*tx-steer: rx //p' "$out" | tail -n 1)
	if [ -z "$key" ] || [ -z "$reta" ] || [ -z "$rx" ] || [ ! -s "$json" ]; then
		echo "# FAIL: steering check: no key, table, ring counts or iperf3 JSON from the run"
		return 1
	fi
	read -ra reta <<<"$reta"
	read -ra obs <<<"$rx"
	n=${#reta[@]}
	for ((r = 0; r < ${#obs[@]}; r++)); do
		pred[r]=0
		total=$((total + obs[r]))
	done
	# per stream: source port, packets the server got (sent - lost)
	streams=$(jq -r '.start.connected as $c | .end.streams[].udp |
		. as $s | ($c[] | select(.socket == $s.socket) | .local_port) as $p |
		"\($p) \($s.packets) \($s.lost_packets)"' "$json")
	while read -r port pkts lost; do
		# shellcheck disable=SC2046 # the tuple's bytes, one word each
		h=$(toeplitz "$key" $(tuple4 "$SRC" "$DST" "$port" "$DPORT"))
		ring=${reta[h & (n - 1)]}
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
