# SPDX-License-Identifier: GPL-2.0
#
# Events without data (link, error) go to the default processor, the
# admin ring's CPU: the admin vector is affine to it and its interrupts
# land only there, and only the admin ring counts link and error events.
# The carrier of the net device follows injected link events.
# The device sends a mix of data, link and error events (run.sh).

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh
# shellcheck source=dp_lib.sh
. ./dp_lib.sh

ADMIN=$DEV-admin
WATCH_S=2		# seconds the admin vector is watched

# affine_to IRQNAME CPU: affinity and effective affinity are that CPU
affine_to() {
	_irq=$(irq_num "$1")
	[ -n "$_irq" ] &&
		[ "$(cat "/proc/irq/$_irq/smp_affinity_list")" = "$2" ] &&
		[ "$(cat "/proc/irq/$_irq/effective_affinity_list")" = "$2" ]
}

# only_on BEFORE AFTER CPU: per-CPU counts grew in CPU's column only
only_on() {
	echo "$1 $2" | awk -v cpu="$3" '{
		n = NF / 2
		if (n < 1 || NF % 2) exit 1
		for (i = 1; i <= n; i++) {
			grew = $(i + n) - $i
			if (i - 1 == cpu && grew <= 0) exit 1
			if (i - 1 != cpu && grew != 0) exit 1
		}
	}'
}

admin_fired_twice() { [ "$(irq_total "$ADMIN")" -ge 2 ]; }

# data rings counted no event without data; the admin ring nothing else
codes_where_they_belong() {
	_r=0
	while [ "$_r" -lt "$EVSTEER_RINGS" ]; do
		if [ "$(ring_stat "$_r" link)" != 0 ] ||
		   [ "$(ring_stat "$_r" error)" != 0 ]; then
			return 1
		fi
		_r=$((_r + 1))
	done
	[ "$(ring_stat "$EVSTEER_RINGS" data)" = 0 ] &&
		[ "$(ring_stat "$EVSTEER_RINGS" control)" = 0 ] &&
		[ "$(ring_stat "$EVSTEER_RINGS" link)" -gt 0 ] &&
		[ "$(ring_stat "$EVSTEER_RINGS" error)" -gt 0 ]
}

need_netdev
cpu=$(es admin_cpu)
note "the admin ring's CPU (default processor): $cpu"
check "$ADMIN is affine to CPU $cpu" affine_to "$ADMIN" "$cpu"
check "$ADMIN fires within 30 s" wait_s 30 admin_fired_twice
before=$(irq_counts "$ADMIN")
sleep "$WATCH_S"
after=$(irq_counts "$ADMIN")
note "$ADMIN per-CPU counts: $before, $WATCH_S s later $after"
check "$ADMIN fires only on CPU $cpu" only_on "$before" "$after" "$cpu"

check "the carrier is up (the device's link is up)" carrier_is 1
lc0=$(es link_changes)
host_req inject link down
check "inject link down: carrier 0 within 5 s" wait_s 5 carrier_is 0
host_req inject link up
check "inject link up: carrier 1 within 5 s" wait_s 5 carrier_is 1
check "link_changes counted them ($lc0 -> $(es link_changes))" \
	[ "$(es link_changes)" -ge $((lc0 + 2)) ]

pause_device
check_drained_exact
check_zero /tmp/es.drained lost dups dev_drops bad_entries bad_prod
f=/tmp/es.drained
note "admin_events=$(sv $f admin_events) link_changes=$(sv $f link_changes) error_events=$(sv $f error_events)"
check "the admin ring consumed exactly the link and error events" \
	[ "$(sv $f admin_events)" = $(($(sv $f link_changes) + $(sv $f error_events))) ]
check "there were link and error events" \
	[ "$(sv $f link_changes)" -gt 2 -a "$(sv $f error_events)" -gt 0 ]
grep -E '^ring=' "$DBG/stats" | cut -d' ' -f1,8-12 | sed 's/^/# /'
check "debugfs: no link or error event on a data ring, only they on the admin ring" \
	codes_where_they_belong
nodata=$(sed -n 's/^events=.* nodata=\([0-9]*\).*/\1/p' "$DBG/device")
check "the device sent $nodata events without data, all on the admin ring" \
	[ "$nodata" = "$(sv $f admin_dev_produced)" ]
check "rmmod works" rmmod evsteer
check_dmesg
exit "$FAILED"
