# SPDX-License-Identifier: GPL-2.0
#
# A device that stops answering configurations (inject config-stall):
# the first steering change waits for it and fails with the table
# unchanged; the next ones, and ip link down/up, fail or proceed at
# once instead of holding the RTNL for seconds each; once the device
# answers again, steering changes work as before.
# shellcheck shell=sh disable=SC2317 # functions run through check

. ./lib.sh
. ./dp_lib.sh

STALL_MS=${DP_STALL_MS:-12000}
SLOW_CS=150	# the first handshake waits its 2 s timeout: at least this
FAST_CS=50	# later ones, with the device still silent: at most this

# timed CMD...: run CMD; T = its wall time in hundredths of a second,
# RC = its exit status
timed() {
	_t0=$(uptime_cs)
	"$@" 2>/dev/null
	RC=$?
	T=$(($(uptime_cs) - _t0))
}

failed_fast() { [ "$RC" != 0 ] && [ "$T" -le "$FAST_CS" ]; }
worked_fast() { [ "$RC" = 0 ] && [ "$T" -le "$FAST_CS" ]; }

answers_again() { dmesg | grep -q 'answers configurations again'; }

need_netdev
check "the table starts as equal $EVSTEER_RINGS" reta_is_equal "$EVSTEER_RINGS"
host_req inject config-stall "$STALL_MS"
sleep 1

timed ethtool -X "$NETDEV" equal 2
note "ethtool -X equal 2 with the device silent: exit $RC after $T cs"
check "the first steering change fails" [ "$RC" != 0 ]
check "... after waiting for the device (${T} cs >= $SLOW_CS)" [ "$T" -ge "$SLOW_CS" ]
check "... and the table is unchanged" reta_is_equal "$EVSTEER_RINGS"

timed ethtool -X "$NETDEV" equal 3
note "ethtool -X equal 3, still silent: exit $RC after $T cs"
check "the next one fails at once (${T} cs <= $FAST_CS)" failed_fast
timed ip link set "$NETDEV" down
note "ip link set down, still silent: exit $RC after $T cs"
check "ip link set down takes no handshake wait (${T} cs <= $FAST_CS)" \
	worked_fast
timed ip link set "$NETDEV" up
check "ip link set up works (${T} cs)" [ "$RC" = 0 ]
check "the table is still equal $EVSTEER_RINGS" reta_is_equal "$EVSTEER_RINGS"

# after the stall the device applies the last configuration written
sleep $((STALL_MS / 1000))
check "once the device answers, ethtool -X equal 2 works (20 s at most)" \
	wait_s 20 ethtool -X "$NETDEV" equal 2
check "the driver says the device answers again" answers_again
check "the table is equal 2" reta_is_equal 2
check "ethtool -X equal $EVSTEER_RINGS works" ethtool -X "$NETDEV" equal "$EVSTEER_RINGS"
dmesg | grep -E 'steering configuration|answers' | sed 's/^/# /'
check_dmesg
exit "$FAILED"
