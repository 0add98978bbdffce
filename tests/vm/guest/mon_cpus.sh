# SPDX-License-Identifier: GPL-2.0
#
# Narrowing the "cpus" knob moves every lane off the CPUs it excludes
# within one interval, and from then on the lanes run only on the CPUs
# left.  Twice: from 0-3 to the two CPUs that hold the fewest lanes,
# then to the one of those two that holds fewer (so that lanes have to
# move each time).  Measured
# with evsteer_migrate (why=evicted) against a trace_marker written just
# before the knob, and checked with evsteer_lane_run (the CPU each lane
# really ran on).  Then back to 0-3.
#
# Each narrowing is written under policy static, so that no lane moves
# on usage between counting the lanes to evict and the write (eviction
# ignores the policy): the evictions must be exactly those lanes.  Then
# for STAY_S seconds the policy is lowest-margin with margin 0, so that
# the ticks move lanes about all the time, and none of those moves may
# go to an excluded CPU.

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh
# shellcheck source=dp_lib.sh
. ./dp_lib.sh
# shellcheck source=mon_lib.sh
. ./mon_lib.sh

INTERVAL=${MON_INTERVAL:-100}
STAY_S=2	# traffic after each narrowing, watched

# narrow STEP KEEP: write cpus=KEEP (a cpulist in canonical form) and
# check that the lanes leave the other CPUs within one interval and
# run only on KEEP afterwards
narrow() {
	_step=$1 _keep=$2
	_excl=$(cpulist_expand "0-$(($(ncpus) - 1))" | awk -v k=" $(cpulist_expand "$_keep") " '{
		for (i = 1; i <= NF; i++) if (!index(k, " " $i " ")) { printf "%s%s", sep, $i; sep = " " }
		print "" }')
	set_knob policy static
	_before=$(lanes_on "$_excl")
	note "step $_step: lanes $(lane_places); usage $(cpu_usages)"
	check "step $_step: $_before lanes are on the CPUs to exclude ($_excl)" \
		[ "$_before" -gt 0 ]
	trace_start evsteer_migrate evsteer_lane_run
	trace_mark "mon-cpus-$_step"
	set_knob cpus "$_keep"
	_now=$(lanes_on "$_excl")
	set_knob policy lowest-margin
	set_knob margin 0
	sleep "$STAY_S"
	set_knob policy static
	_later=$(lanes_on "$_excl")
	trace_stop "/tmp/mon.cpus$_step"
	note "step $_step: lanes $(lane_places)"
	_t0=$(trace_marker_ts "/tmp/mon.cpus$_step" "mon-cpus-$_step")
	migrate_events "/tmp/mon.cpus$_step" >/tmp/mon.moves
	sed 's/^/# evsteer_migrate: /' /tmp/mon.moves
	check "step $_step: the marker is in the trace" [ -n "$_t0" ]
	_ev=$(awk '$9 == "evicted"' /tmp/mon.moves | wc -l)
	_last=$(awk '$9 == "evicted" { t = $1 } END { print t }' /tmp/mon.moves)
	check "step $_step: $_ev lanes evicted ($_before were on $_excl)" \
		[ "$_ev" = "$_before" ]
	_churn=$(awk '$9 == "moved"' /tmp/mon.moves | wc -l)
	note "step $_step: then $_churn moves by the ticks at margin 0 in $STAY_S s"
	if [ "$(cpulist_expand "$_keep" | wc -w)" -gt 1 ]; then
		check "step $_step: the ticks did move lanes (among $_keep): $_churn" \
			[ "$_churn" -gt 0 ]
	fi
	if [ -n "$_last" ] && [ -n "$_t0" ]; then
		_ms=$(ms_between "$_t0" "$_last")
		note "measured: step $_step: the last lane left $_excl $_ms ms after the marker"
		check "step $_step: evicted within one interval: $_ms ms <= $INTERVAL ms" \
			[ "$_ms" -le "$INTERVAL" ]
	fi
	check "step $_step: no lane on $_excl when the write returned ($_now), nor $STAY_S s later ($_later)" \
		[ "$_now" = 0 -a "$_later" = 0 ]
	_in=$(awk -v x=" $_excl " 'index(x, " " $5 " ")' /tmp/mon.moves | wc -l)
	check "step $_step: no lane moved onto $_excl ($_in did)" [ "$_in" = 0 ]
	# where the lanes ran, one interval after the marker
	lane_runs "/tmp/mon.cpus$_step" | awk -v t="${_t0:-0}" -v g="$INTERVAL" \
		'$1 >= t + g / 1000 { print $4 }' | sort | uniq -c >/tmp/mon.where
	note "step $_step: lane runs by CPU, from one interval on: $(awk '{ printf "%sCPU %s: %d", sep, $2, $1; sep = ", " }' /tmp/mon.where)"
	_bad=$(awk -v x=" $_excl " 'index(x, " " $2 " ") { s += $1 } END { print s + 0 }' /tmp/mon.where)
	_all=$(awk '{ s += $1 } END { print s + 0 }' /tmp/mon.where)
	check "step $_step: lanes ran $_all times, none on $_excl ($_bad)" \
		[ "$_all" -gt 0 -a "$_bad" = 0 ]
}

check "the driver is bound" bound
need_knobs
set_knob interval_ms "$INTERVAL"
check "traffic reaches every ring within 30 s" wait_s 30 all_rings_consumed
check "every lane has load of its own within 10 s" wait_s 10 lanes_busy
check "cpus is 0-3 to begin with" [ "$(knob cpus)" = 0-3 ]

# keep the two CPUs with the fewest lanes: the others have at least half
set_knob policy static
mon_lanes | awk -v n="$(ncpus)" '{ c[$3]++ } END { for (i = 0; i < n; i++) print c[i] + 0, i }' |
	sort -n | head -n 2 | awk '{ print $2 }' >/tmp/mon.keep
narrow 1 "$(cpulist_of </tmp/mon.keep)"
# of those two, the one with more lanes goes next
keep=$(mon_lanes | awk -v k=" $(cpulist_expand "$(knob cpus)") " 'index(k, " " $3 " ") { n[$3]++ }
	END { split(k, c, " "); print (n[c[1]] + 0 < n[c[2]] + 0) ? c[1] : c[2] }')
narrow 2 "$keep"
set_knob cpus 0-3
es_snap /tmp/es.end
check_zero /tmp/es.end dups reorders
check_dmesg
exit "$FAILED"
