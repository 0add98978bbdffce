# SPDX-License-Identifier: GPL-2.0
#
# Bad ethtool input is refused and changes nothing: every command below
# must exit non-zero, and `ethtool -x` and `ethtool -l` must print
# exactly what they printed before.  Some are refused by ethtool or the
# ethtool core before they reach the driver (key size, channel limits);
# the scenario holds whoever refuses them.  Two valid changes at the end
# show that the comparison does see a change.

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh
# shellcheck source=dp_lib.sh
. ./dp_lib.sh

KEY=00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77
KEY39=${KEY%:77}
KEY41=$KEY:88

state() {
	ethtool -x "$NETDEV" && ethtool -l "$NETDEV"
}

# refused ARGS...: `ethtool ARGS` fails and the state is byte-identical
refused() {
	state >/tmp/state.before 2>&1 || return 1
	if ethtool "$@" >/tmp/out 2>&1; then
		echo "# ethtool $*: exit 0: $(cat /tmp/out)"
		return 1
	fi
	echo "# ethtool $*: $(head -n 2 /tmp/out | tr '\n' ' ')"
	state >/tmp/state.after 2>&1 || return 1
	cmp -s /tmp/state.before /tmp/state.after || {
		diff /tmp/state.before /tmp/state.after | sed 's/^/# /'
		return 1
	}
}

# changes ARGS...: `ethtool ARGS` succeeds and the state is different
changes() {
	state >/tmp/state.before 2>&1 || return 1
	ethtool "$@" || return 1
	state >/tmp/state.after 2>&1 || return 1
	! cmp -s /tmp/state.before /tmp/state.after
}

need_netdev
check "ethtool -x: $EVSTEER_RINGS rings, equal" reta_is_equal "$EVSTEER_RINGS"
check "ethtool -l: $EVSTEER_RINGS of $EVSTEER_RINGS combined" \
	[ "$(channels cur)" = "$EVSTEER_RINGS" -a "$(channels max)" = "$EVSTEER_RINGS" ]
N=$EVSTEER_RINGS

# RSS table, key, hash function
check "refused: -X equal $((N + 1)) (a ring out of range)" refused -X "$NETDEV" equal $((N + 1))
check "refused: -X weight with $((N + 1)) rings" refused -X "$NETDEV" weight 1 1 1 1 1
check "refused: -X weight 0 0 0 0" refused -X "$NETDEV" weight 0 0 0 0
check "refused: -X hfunc xor" refused -X "$NETDEV" hfunc xor
check "refused: -X hfunc crc32" refused -X "$NETDEV" hfunc crc32
check "refused: -X hkey of 39 bytes" refused -X "$NETDEV" hkey "$KEY39"
check "refused: -X hkey of 41 bytes" refused -X "$NETDEV" hkey "$KEY41"
check "refused: -X hkey (valid) with hfunc xor: the key is not taken" \
	refused -X "$NETDEV" hkey "$KEY" hfunc xor
check "refused: -X equal 2 with hfunc xor: the table is not taken" \
	refused -X "$NETDEV" equal 2 hfunc xor

# channels
check "refused: -L combined 0" refused -L "$NETDEV" combined 0
check "refused: -L combined $((N + 1)) (above the maximum)" \
	refused -L "$NETDEV" combined $((N + 1))
check "refused: -L rx 1" refused -L "$NETDEV" rx 1
check "refused: -L tx 1" refused -L "$NETDEV" tx 1
check "refused: -L rx 1 tx 1" refused -L "$NETDEV" rx 1 tx 1
check "refused: -L other 1" refused -L "$NETDEV" other 1
check "refused: -L combined 2 rx 1: combined is not taken" \
	refused -L "$NETDEV" combined 2 rx 1

# at 2 channels, rings 2 and up are out of range for the table
check "ethtool -L $NETDEV combined 2" ethtool -L "$NETDEV" combined 2
check "refused at 2 channels: -X equal 3" refused -X "$NETDEV" equal 3
check "refused at 2 channels: -X weight 1 1 1" refused -X "$NETDEV" weight 1 1 1
check "ethtool -L $NETDEV combined $N" ethtool -L "$NETDEV" combined "$N"
check "ethtool -x: equal over $N rings again" reta_is_equal "$N"

# the comparison sees real changes
check "accepted and visible: -X equal 2" changes -X "$NETDEV" equal 2
check "accepted and visible: -L combined 3" changes -L "$NETDEV" combined 3
check "accepted and visible: -X hkey (valid)" changes -X "$NETDEV" hkey "$KEY"
check "ethtool -x shows that key" [ "$(rss_key)" = "$KEY" ]
check "rmmod works" rmmod evsteer
check_dmesg
exit "$FAILED"
