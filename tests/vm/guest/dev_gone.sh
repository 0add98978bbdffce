# SPDX-License-Identifier: GPL-2.0
#
# The device process stops, comes back, then dies.  Stopped (SIGSTOP),
# its heartbeat stands still: within seconds the driver takes it as
# gone, the carrier goes off, the log says so and a steering change
# fails at once instead of holding the RTNL.  Continued, it is back:
# carrier on, frames flow again, and nothing it had published is lost.
# Killed, it is gone for good (QEMU's ivshmem-doorbell does not take a
# new server): ip link down and up, and rmmod, still finish at once.
# The device sends uniform traffic (run.sh).

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh
# shellcheck source=dp_lib.sh
. ./dp_lib.sh

GONE_S=5		# the driver's 2 s, with room for a slow guest
FAST_CS=100		# what "at once" allows, in hundredths of a second
HANDSHAKE_CS=200	# a configuration handshake's timeout (rss.c)

events_grow() {
	_e=$(es events)
	sleep 0.5
	[ "$(es events)" -gt "$_e" ]
}
log_says() { dmesg | grep -q "$1"; }

# timed CS_VAR CMD...: run CMD, its run time in hundredths into CS_VAR
timed() {
	_var=$1
	shift
	_t0=$(uptime_cs)
	"$@"
	_rc=$?
	eval "$_var=$(($(uptime_cs) - _t0))"
	return $_rc
}

need_netdev
check "frames flow" wait_s 10 events_grow
check "the carrier is up" carrier_is 1

note "SIGSTOP to the device process"
host_req device stop
check "the carrier goes off within $GONE_S s" wait_s "$GONE_S" carrier_is 0
check "dev_lost counts it" [ "$(es dev_lost)" = 1 ]
check "the log says the device is gone" log_says "the device is gone"
reta_entries >/tmp/reta.before
timed cs ethtool -X "$NETDEV" equal 2 2>/tmp/x.err
rc=$?
note "ethtool -X while gone: exit $rc in ${cs}0 ms: $(cat /tmp/x.err)"
check "a steering change fails while it is gone" [ "$rc" != 0 ]
check "... at once (${cs}0 ms)" [ "$cs" -lt "$FAST_CS" ]
check "... and changes nothing" \
	[ "$(reta_entries)" = "$(cat /tmp/reta.before)" ]

note "SIGCONT"
host_req device cont
check "the carrier comes back within $GONE_S s" wait_s "$GONE_S" carrier_is 1
check "dev_back counts it" [ "$(es dev_back)" = 1 ]
check "frames flow again" wait_s 10 events_grow
check "steering changes work again" wait_s 5 ethtool -X "$NETDEV" equal 4
pause_device
check_drained_exact
check_zero /tmp/es.drained lost dups bad_entries bad_prod
resume_device

# what rmmod takes with a device that answers, to compare with below
timed live_cs rmmod evsteer
check "rmmod with the device there (${live_cs}0 ms)" [ $? = 0 ]
check "insmod again" evs_insmod
check "frames flow again after insmod" wait_s 10 events_grow

note "SIGKILL"
host_req device kill
check "the carrier goes off within $GONE_S s" wait_s "$GONE_S" carrier_is 0
check "dev_lost counts it (a new driver)" [ "$(es dev_lost)" = 1 ]
timed cs "$IP" link set "$NETDEV" down
rc=$?
check "ip link set down works at once (exit $rc, ${cs}0 ms)" \
	[ "$rc" = 0 -a "$cs" -lt "$FAST_CS" ]
timed cs "$IP" link set "$NETDEV" up
rc=$?
check "ip link set up works at once (exit $rc, ${cs}0 ms)" \
	[ "$rc" = 0 -a "$cs" -lt "$FAST_CS" ]
check "the carrier stays off" carrier_is 0
timed cs rmmod evsteer
rc=$?
check "rmmod waits no handshake out (exit $rc, ${cs}0 ms; ${live_cs}0 ms with the device there, a handshake is 2000 more)" \
	[ "$rc" = 0 -a "$cs" -lt $((live_cs + HANDSHAKE_CS * 3 / 4)) ]
check_dmesg
exit "$FAILED"
