# SPDX-License-Identifier: GPL-2.0
#
# The device produces on every ring: each ring's vector fires, and only
# on the CPU it is affine to (ring i on CPU i, wrapping around when there
# are more rings than CPUs), and the driver consumes.

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh

# x86 without interrupt remapping applies an affinity change to an MSI
# when the vector next fires: that first interrupt still lands on the
# CPU the vector had when it was requested.  So: after every vector has
# fired, take a snapshot; from then on each vector's interrupts must all
# land on its CPU, and before it at most that one landed elsewhere.
snapshot_irqs() {
	_r=0
	while [ "$_r" -lt "$EVSTEER_RINGS" ]; do
		echo "$_r $(irq_counts "$DEV-ring$_r")"
		_r=$((_r + 1))
	done
}

# ring_on_cpu RING CPU: since the snapshot, only CPU's column grew;
# before it, at most one interrupt landed elsewhere.
ring_on_cpu() {
	_before=$(sed -n "s/^$1 //p" /tmp/irqs.before)
	_now=$(irq_counts "$DEV-ring$1")
	note "$DEV-ring$1 per-CPU counts: at snapshot $_before, now $_now"
	echo "$_before $_now" | awk -v cpu="$2" '{
		n = NF / 2
		if (n < 1 || NF % 2) exit 1
		for (i = 1; i <= n; i++) {
			grew = $(i + n) - $i
			if (i - 1 == cpu && grew <= 0) exit 1
			if (i - 1 != cpu && grew != 0) exit 1
			if (i - 1 != cpu) early += $i
		}
		exit early > 1
	}'
}

# affine_to RING CPU: affinity and effective affinity are that CPU.
affine_to() {
	_irq=$(irq_num "$DEV-ring$1")
	[ -n "$_irq" ] &&
		[ "$(cat "/proc/irq/$_irq/smp_affinity_list")" = "$2" ] &&
		[ "$(cat "/proc/irq/$_irq/effective_affinity_list")" = "$2" ]
}

check "the driver is bound to the ivshmem function" bound
check "debugfs shows $DEV" test -r "$DBG/stats"
check "the admin vector is named $DEV-admin" has_irq "$DEV-admin"
check "every data ring's vector fires within 30 s" wait_until 30 all_rings_fired
snapshot_irqs >/tmp/irqs.before
sleep 3
n=$(ncpus)
r=0
while [ "$r" -lt "$EVSTEER_RINGS" ]; do
	cpu=$((r % n))
	check "$DEV-ring$r is affine to CPU $cpu" affine_to "$r" "$cpu"
	check "$DEV-ring$r fires only on CPU $cpu" ring_on_cpu "$r" "$cpu"
	ev=$(ring_stat "$r" events)
	prod=$(dev_ring_stat "$r" produced)
	note "ring $r: driver consumed $ev, device produced $prod"
	check "ring $r: the driver consumed entries" [ "$ev" -gt 0 ]
	check "ring $r: no more consumed than produced" [ "$ev" -le "$prod" ]
	check "ring $r: no bad write index or entry" \
		[ "$(ring_stat "$r" bad_prod)" = 0 -a "$(ring_stat "$r" bad_entry)" = 0 ]
	r=$((r + 1))
done
cat "$DBG/info" "$DBG/stats" | sed 's/^/# /'
check "rmmod works" rmmod evsteer
check_dmesg
exit "$FAILED"
