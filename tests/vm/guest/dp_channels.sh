# SPDX-License-Identifier: GPL-2.0
#
# Channels under traffic: `ethtool -L combined 2` makes only rings 0 and
# 1 receive new data events, `combined 4` spreads over all four again,
# and switching back and forth loses nothing: once the device is paused
# and the driver has drained, each ring's consumed count equals what the
# device produced on it, and lost, dups, dev_drops are 0.

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh
# shellcheck source=dp_lib.sh
. ./dp_lib.sh

FLIPS=5			# quick 2 <-> 4 round trips under traffic
LAST=$((EVSTEER_RINGS - 1))

# every data ring consumed more since snapshot FILE
all_grew_since() {
	es_snap /tmp/es.now && rings_grew "$1" /tmp/es.now 0 "$LAST"
}

# set_combined N: ethtool -L, then -l and -x say N
set_combined() {
	check "ethtool -L $NETDEV combined $1" ethtool -L "$NETDEV" combined "$1"
	check "ethtool -l: $1 combined channels" [ "$(channels cur)" = "$1" ]
	check "ethtool -x: the table is spread over rings 0-$(($1 - 1))" \
		reta_is_equal "$1"
}

need_netdev
check "ethtool -l: at most $EVSTEER_RINGS combined (4 rings, 4 CPUs)" \
	[ "$(channels max)" = "$EVSTEER_RINGS" ]
check "ethtool -l: $EVSTEER_RINGS combined now" [ "$(channels cur)" = "$EVSTEER_RINGS" ]
es_snap /tmp/es.start
check "traffic reaches every ring within 30 s" wait_s 30 all_grew_since /tmp/es.start

set_combined 2
sleep 1
check_steered_away 2 "$LAST"
note "at 2 channels, 1 s: rings 0-3 got $(dv /tmp/es.away0 /tmp/es.away1 ring0_events) $(dv /tmp/es.away0 /tmp/es.away1 ring1_events) $(dv /tmp/es.away0 /tmp/es.away1 ring2_events) $(dv /tmp/es.away0 /tmp/es.away1 ring3_events)"
check "at 2 channels, rings 0 and 1 receive new events" \
	rings_grew /tmp/es.away0 /tmp/es.away1 0 1

set_combined "$EVSTEER_RINGS"
es_snap /tmp/es.c
check "back at $EVSTEER_RINGS channels, every ring receives events within 10 s" \
	wait_s 10 all_grew_since /tmp/es.c

# round_trips N: N times combined 2, then all rings again, at once
round_trips() {
	_i=1
	while [ "$_i" -le "$1" ]; do
		ethtool -L "$NETDEV" combined 2 || return 1
		ethtool -L "$NETDEV" combined "$EVSTEER_RINGS" || return 1
		_i=$((_i + 1))
	done
	[ "$(channels cur)" = "$EVSTEER_RINGS" ] && reta_is_equal "$EVSTEER_RINGS"
}

check "$FLIPS quick round trips to 2 channels and back, under traffic" \
	round_trips "$FLIPS"
es_snap /tmp/es.d
check "every ring still receives events" wait_s 10 all_grew_since /tmp/es.d

pause_device
check_drained_exact
check_zero /tmp/es.drained lost dups dev_drops reorders bad_entries bad_prod
check "rmmod works" rmmod evsteer
check_dmesg
exit "$FAILED"
