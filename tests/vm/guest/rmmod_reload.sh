# SPDX-License-Identifier: GPL-2.0
#
# rmmod while the device produces, insmod again: the vectors go away,
# come back, fire again, and the consumer picks up where it left off.
# EVSTEER_CYCLES: unload/load rounds (default 3).

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh

producing() {
	_a=$(total_events)
	sleep 0.5
	[ "$(total_events)" -gt "$_a" ]
}

# neither side saw a nonsense index from the other, on any ring
no_bad_index() {
	_r=0
	while [ "$_r" -le "$EVSTEER_RINGS" ]; do
		[ "$(ring_stat "$_r" bad_prod)" = 0 ] || return 1
		[ "$(dev_ring_stat "$_r" bad_cons)" = 0 ] || return 1
		_r=$((_r + 1))
	done
}

cycles=${EVSTEER_CYCLES:-3}
c=1
while [ "$c" -le "$cycles" ]; do
	check "round $c: every ring's vector fires" wait_until 30 all_rings_fired
	check "round $c: the driver consumes on every ring" \
		wait_until 30 all_rings_consumed 0
	check "round $c: the device is producing" producing
	check "round $c: the ring indices stayed sane" no_bad_index
	check "round $c: rmmod while producing" rmmod evsteer
	check "round $c: the vectors are gone" no_evsteer_irqs
	check "round $c: no driver bound" eval '! bound'
	sleep 1
	check "round $c: insmod again" evs_insmod
	check "round $c: the driver is bound again" bound
	c=$((c + 1))
done
check "after reload: every ring's vector fires" wait_until 30 all_rings_fired
check "after reload: the driver consumes on every ring" \
	wait_until 30 all_rings_consumed 0
check "after reload: the ring indices stayed sane" no_bad_index
sed 's/^/# /' "$DBG/stats"
check "final rmmod" rmmod evsteer
check_dmesg
exit "$FAILED"
