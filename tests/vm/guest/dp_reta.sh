# SPDX-License-Identifier: GPL-2.0
#
# The RSS table and key steer the device: `ethtool -X weight 1 0 0 0`
# sends every data event to ring 0 within a second, `ethtool -X equal 4`
# spreads them again, and with a key set by `ethtool -X hkey` each ring
# gets the share the host computed beforehand from the same key, table
# and flows (build/tools/evsteer-steer), within DP_TOLERANCE.  Two keys
# with different expected shares, one after the other: a driver that
# ignored the key could match at most one of them by chance.
#
# Env (run.sh): DP_KEY_A, DP_KEY_B  keys, xx:xx:... (40 bytes)
#               DP_SHARES_A, DP_SHARES_B  expected share of each ring,
#                                         space-separated, ring 0 first
#               DP_MIN_EVENTS  data events per measurement
#               DP_TOLERANCE   allowed |share - expected|, e.g. 0.01
#               DP_RATE        the device's --rate
#               DP_ONE_RING_RATE  its rate while ring 0 takes everything

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh
# shellcheck source=dp_lib.sh
. ./dp_lib.sh

MEASURE_S=20		# bound on collecting DP_MIN_EVENTS

# events_since FILE: data events consumed since snapshot FILE
events_since() {
	es_snap /tmp/es.now || return 1
	dv "$1" /tmp/es.now events
}

# enough_since FILE [N]: N (default DP_MIN_EVENTS) consumed since
# snapshot FILE
enough_since() { [ "$(events_since "$1")" -ge "${2:-$DP_MIN_EVENTS}" ]; }

all_grew_since() {
	es_snap /tmp/es.now && rings_grew "$1" /tmp/es.now 0 $((EVSTEER_RINGS - 1))
}

# shares_match A B COUNTER EXPECTED: each ring's share of the growth of
# ring<i>_COUNTER from snapshot A to B is within DP_TOLERANCE of the
# expected share.
shares_match() {
	_counts=
	_r=0
	while [ "$_r" -lt "$EVSTEER_RINGS" ]; do
		_counts="$_counts $(dv "$1" "$2" "ring${_r}_$3")"
		_r=$((_r + 1))
	done
	echo "$_counts" "$4" | awk -v n="$EVSTEER_RINGS" -v tol="$DP_TOLERANCE" -v c="$3" '{
		if (NF != 2 * n) { print "# wrong number of shares: " $0; exit 1 }
		for (i = 1; i <= n; i++) total += $i
		if (total <= 0) exit 1
		for (i = 1; i <= n; i++) {
			got = $i / total; want = $(i + n); d = got - want
			if (d < 0) d = -d
			printf "# ring %d: %s %d of %d = %.4f, expected %.4f, off by %.4f\n",
				i - 1, c, $i, total, got, want, d
			if (d > tol) bad = 1
		}
		exit bad
	}'
}

# shares_differ A B: two lists of expected shares differ somewhere by
# at least 5 %, so the measurement can tell the keys apart.
shares_differ() {
	echo "$1" "$2" | awk -v n="$EVSTEER_RINGS" '{
		if (NF != 2 * n) exit 1
		for (i = 1; i <= n; i++) {
			d = $i - $(i + n)
			if (d < 0) d = -d
			if (d >= 0.05) ok = 1
		}
		exit !ok
	}'
}

# measure_key NAME KEY SHARES: set KEY, check -x shows it, then check
# the shares of driver-consumed and device-produced data events.
measure_key() {
	check "key $1: ethtool -X $NETDEV hkey $2" ethtool -X "$NETDEV" hkey "$2"
	check "key $1: ethtool -x shows it" [ "$(rss_key)" = "$2" ]
	check "key $1: the table is still equal $EVSTEER_RINGS" \
		reta_is_equal "$EVSTEER_RINGS"
	sleep 0.5	# entries steered with the old key are consumed
	es_snap /tmp/es.k0
	check "key $1: $DP_MIN_EVENTS data events within $MEASURE_S s" \
		wait_s "$MEASURE_S" enough_since /tmp/es.k0
	es_snap /tmp/es.k1
	check "key $1: each ring consumed its expected share ($3) within $DP_TOLERANCE" \
		shares_match /tmp/es.k0 /tmp/es.k1 events "$3"
	check "key $1: the device produced each ring's expected share within $DP_TOLERANCE" \
		shares_match /tmp/es.k0 /tmp/es.k1 dev_produced "$3"
}

need_netdev
check "the expected shares of the two keys differ (host: $DP_SHARES_A / $DP_SHARES_B)" \
	shares_differ "$DP_SHARES_A" "$DP_SHARES_B"
check "ethtool -x: a $RETA_SIZE-entry table, equal over $EVSTEER_RINGS rings" \
	reta_is_equal "$EVSTEER_RINGS"
es_snap /tmp/es.start
check "traffic is flowing" wait_s 30 enough_since /tmp/es.start 1000

# everything to ring 0, at a rate one CPU keeps up with
host_req rate "$DP_ONE_RING_RATE"
check "ethtool -X $NETDEV weight 1 0 0 0" ethtool -X "$NETDEV" weight 1 0 0 0
check "ethtool -x: every entry is ring 0" reta_is_all 0
sleep 1
check_steered_away 1 $((EVSTEER_RINGS - 1))
note "meanwhile ring 0 got $(dv /tmp/es.away0 /tmp/es.away1 ring0_events)"
check "ring 0 gets the traffic" rings_grew /tmp/es.away0 /tmp/es.away1 0 0

# back to equal, with known keys: key A first, which gives every ring
# some of the few flows (a random key leaves one ring without any of
# 16 flows about once in 25)
check "ethtool -X $NETDEV equal $EVSTEER_RINGS hkey A" \
	ethtool -X "$NETDEV" equal "$EVSTEER_RINGS" hkey "$DP_KEY_A"
host_req rate "$DP_RATE"
check "ethtool -x: equal over $EVSTEER_RINGS rings again" \
	reta_is_equal "$EVSTEER_RINGS"
es_snap /tmp/es.e0
check "every ring gets events again (10 s at most)" \
	wait_s 10 all_grew_since /tmp/es.e0
measure_key A "$DP_KEY_A" "$DP_SHARES_A"
measure_key B "$DP_KEY_B" "$DP_SHARES_B"
es_snap /tmp/es.end
show_rings /tmp/es.end
# Ring 0 alone takes all the traffic for a while: if the guest cannot
# keep up, the device drops (counted, not a steering error).
check_zero /tmp/es.end dups reorders bad_entries bad_prod
check "rmmod works" rmmod evsteer
check_dmesg
exit "$FAILED"
