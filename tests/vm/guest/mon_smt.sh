# SPDX-License-Identifier: GPL-2.0
#
# Policy "topology" on a guest with hyperthreads (scripts/vm.sh
# --topology sockets=2,cores=2,threads=2): every lane settles on the
# core of its ring's vector CPU, one interrupt's two lanes on the two
# threads of that core, and they run there at the same time: a window's
# two lane runs overlap on the two sibling CPUs (evsteer_lane_run marks
# each run's end and duration).  The same guest under "lowest-margin"
# is the contrast: it has no reason to keep lanes near their vector.
#
# The margin is 50 %, as in mon_hog.sh: an idle TCG vCPU shows usage
# spikes that at 20 % would keep the lanes wandering.

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh
# shellcheck source=dp_lib.sh
. ./dp_lib.sh
# shellcheck source=mon_lib.sh
. ./mon_lib.sh

SETTLE_S=15	# bound on the lanes settling
TRACE_S=2	# lane runs traced, per try
TRIES=3

siblings() { cat "/sys/devices/system/cpu/cpu$1/topology/thread_siblings_list"; }

# core_of CPU: the sibling list of CPU, as the kernel gives it ("0-1").
core_of() { siblings "$1"; }

# settled: every data ring's lanes on its vector CPU's core, the two
# lanes of each ring on two different threads.
settled() {
	_r=0
	while [ "$_r" -lt "$(rings_in_use)" ]; do
		_home=$(ring_stat "$_r" cpu)
		_a=$(lane_cpu "$_r" 0)
		_b=$(lane_cpu "$_r" 1)
		[ -n "$_a" ] && [ -n "$_b" ] && [ "$_a" != "$_b" ] || return 1
		[ "$(core_of "$_a")" = "$(core_of "$_home")" ] || return 1
		[ "$(core_of "$_b")" = "$(core_of "$_home")" ] || return 1
		_r=$((_r + 1))
	done
}

rings_in_use() { mon_lanes | awk '$2 == 0 { n++ } END { print n + 0 }'; }

check "the driver is bound" bound
need_knobs
check "the guest has hyperthreads: CPU 0's siblings are 0-1 ($(siblings 0))" \
	[ "$(siblings 0)" = "0-1" ]
set_knob margin 50
set_knob policy topology
note "knobs: $(knobs_state)"
check "traffic reaches every ring within 30 s" wait_s 30 all_rings_consumed
r=0
while [ "$r" -lt "$(rings_in_use)" ]; do
	note "ring $r: vector on CPU $(ring_stat "$r" cpu), core $(core_of "$(ring_stat "$r" cpu)")"
	r=$((r + 1))
done
check "within $SETTLE_S s each ring's two lanes sit on the two threads of its vector's core" \
	wait_s "$SETTLE_S" settled
note "lanes: $(lane_places)"

# the runs, traced: lane 0 and lane 1 of ring 0 overlapping in time on
# two different CPUs of one core; TCG noise moves the lanes now and
# then (both onto one thread for a while), so up to TRIES traces
home=$(ring_stat 0 cpu)

# overlaps: in /tmp/smt.iv ("START END LANE CPU" per run), the pairs
# of runs of the two lanes that overlap on two CPUs of the home core
overlaps() {
	awk -v core="$(core_of "$home")" '
	function oncore(c,  n, a) {
		n = split(core, a, /[-,]/)
		return (n == 2 && c >= a[1] && c <= a[2]) || c == a[1]
	}
	{ s[NR] = $1; e[NR] = $2; l[NR] = $3; c[NR] = $4 }
	END {
		for (i = 1; i <= NR; i++)
			for (j = i + 1; j <= NR && j <= i + 20; j++)
				if (l[i] != l[j] && c[i] != c[j] && oncore(c[i]) &&
				    oncore(c[j]) && s[j] < e[i] && s[i] < e[j])
					n++
		print n + 0
	}' /tmp/smt.iv
}

try=1
while :; do
	trace_start evsteer_lane_run
	trace_filter evsteer_lane_run "ring == 0"
	sleep "$TRACE_S"
	trace_stop /tmp/smt.trace
	trace_events /tmp/smt.trace evsteer_lane_run |
		awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		       print $1 - v["duration_ns"] / 1e9, $1, v["lane"], v["cpu"] }' >/tmp/smt.iv
	n=$(overlaps)
	note "trace $try: lanes $(lane_places); ring 0: $(wc -l </tmp/smt.iv) lane runs in $TRACE_S s, $n pairs of lane 0 and lane 1 running at once on two threads of core $(core_of "$home")"
	[ "$n" -gt 0 ] || [ "$try" -ge "$TRIES" ] && break
	try=$((try + 1))
done
note "$(migrations) migrations since the start, $(mon_ticks) ticks (TCG noise moves lanes between the core's threads and its neighbours)"
check "ring 0's two lanes ran at the same time on the two threads of one core ($n times, trace $try of at most $TRIES)" \
	[ "$n" -gt 0 ]
es_snap /tmp/es.end
check_zero /tmp/es.end dups reorders
check_dmesg
exit "$FAILED"
