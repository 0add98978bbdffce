# SPDX-License-Identifier: GPL-2.0
#
# Sub-tick relief (relief.c): a real-time busy loop (SCHED_FIFO) on the
# busiest lane's CPU holds the lanes queued there, which no usage tick
# would see for up to an interval.  With relief_us set, the relief
# watch finds them late: in every round a lane of the hogged CPU asks
# for a relief pass (evsteer_relief), its window having waited at least
# relief_us; in workqueue mode windows waiting there are sent on to the
# lanes' new CPUs; with relief off nothing asks.  Nothing is lost.  In
# workqueue mode (whose work items wait on the hogged CPU) and threaded
# mode (whose kthread the move re-pins).
#
# Measured, not asserted (TCG delays every vCPU by milliseconds when one
# of them spins, so the passes often find no CPU with room): per round,
# on the trace clock, from the trace_marker that the hog writes from its
# CPU as it starts to the first evsteer_migrate with why=relieved off
# that CPU, and the median; and what the tick alone takes.
#
# The margin is 50 % as in mon_hog.sh: TCG noise must not move the
# lanes on its own.  The script's own shell leaves the hogged CPU, which
# the loop would hold for 950 ms of every second (RT throttling).
#
# RELIEF_US, RELIEF_ROUNDS override the threshold and rounds per mode.

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh
# shellcheck source=dp_lib.sh
. ./dp_lib.sh
# shellcheck source=mon_lib.sh
. ./mon_lib.sh

RELIEF_US=${RELIEF_US:-2000}
ROUNDS=${RELIEF_ROUNDS:-5}
LIMIT_MS=10		# the issue's target for the median relief time
HOG_S=1			# how long each round's hog runs
MARKER=mon-relief-start
NCPU=$(ncpus)

# relief_stat NAME: a counter of the monitor file's relief line.
relief_stat() {
	awk -v k="$1" '$1 ~ /^relief_us=/ {
		for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] }
	}' "$MON"
}

# park_all: a parked real-time busy loop on every CPU
park_all() {
	_c=0
	while [ "$_c" -lt "$NCPU" ]; do
		hog_park "$_c" "$MARKER" chrt -f 50
		_c=$((_c + 1))
	done
}

# hog_round WHY: hog the busiest lane's CPU for HOG_S; sets $cpu, $ms (to
# the first move off it for WHY, or "none"), $left (lanes still there
# at the end) and $back (moves onto it meanwhile).  The CPU is picked
# after the trace starts, so that a lane leaving it in between (TCG
# noise) is in the trace.
hog_round() {
	trace_start evsteer_migrate evsteer_relief
	busiest_lane >/tmp/rl.busiest
	read -r _r _l cpu </tmp/rl.busiest
	_n=$(lanes_on "$cpu")
	taskset -pc "$(((cpu + 1) % NCPU))" $$ >/dev/null
	hog_release "$cpu"
	sleep "$HOG_S"
	left=$(lanes_on "$cpu")
	trace_stop /tmp/rl.trace
	hogs_stop
	taskset -pc "0-$((NCPU - 1))" $$ >/dev/null
	park_all
	_t=$(trace_marker_ts /tmp/rl.trace "$MARKER")
	migrate_events /tmp/rl.trace >/tmp/rl.moves
	ms=none
	if [ -n "$_t" ]; then
		_m=$(awk -v t="$_t" -v c="$cpu" -v why="$1" \
			'$1 >= t && $4 == c && $9 == why { print $1; exit }' /tmp/rl.moves)
		[ -z "$_m" ] || ms=$(ms_between "$_t" "$_m")
	fi
	back=$(awk -v t="${_t:-0}" -v c="$cpu" '$1 >= t && $5 == c' /tmp/rl.moves | wc -l)
	req_us=$(trace_events /tmp/rl.trace evsteer_relief |
		awk -v c="$cpu" '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			if (v["cpu"] == c) { printf "%d", v["delay_ns"] / 1000; exit } }')
	req_us=${req_us:-none}
	note "hog on CPU $cpu ($_n lanes there): first move off it ($1) after $ms ms, first request's delay $req_us us, $left lanes left on it after $HOG_S s, $back moved onto it"
}

# asked_late: the hogged CPU's first request came, at least RELIEF_US late
asked_late() { [ "$req_us" != none ] && [ "$req_us" -ge "$RELIEF_US" ]; }

# median of the numbers on stdin ("none" sorts last)
median() {
	sed 's/^none$/999999/' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# relief_mode MODE: the rounds in one bottom-half mode
relief_mode() {
	set_knob bh_mode "$1"
	check "every lane has load of its own within 10 s ($1)" wait_s 10 lanes_busy
	r0=$(relief_stat resteered)
	: >/tmp/rl.times
	_i=1 _tries=0
	while [ "$_i" -le "$ROUNDS" ] && [ "$_tries" -lt $((2 * ROUNDS)) ]; do
		_tries=$((_tries + 1))
		hog_round relieved
		if [ "$_n" = 0 ]; then
			note "$1: no lane was on CPU $cpu when the hog started: again"
			continue
		fi
		echo "$ms" >>/tmp/rl.times
		check "$1 round $_i: a lane of hogged CPU $cpu asked for relief, its window $req_us us late (>= $RELIEF_US)" \
			asked_late
		sleep 1
		_i=$((_i + 1))
	done
	check "$1: $ROUNDS rounds with lanes on the hogged CPU" [ "$_i" -gt "$ROUNDS" ]
	med=$(median </tmp/rl.times)
	note "measured ($1, relief_us=$RELIEF_US, interval_ms=100): relief times $(tr '\n' ' ' </tmp/rl.times)ms, median $med ms (target $LIMIT_MS ms)"
	if [ "$1" = workqueue ]; then
		_s=$(($(relief_stat resteered) - r0))
		check "workqueue: windows waiting on the hogged CPU were sent on ($_s)" [ "$_s" -gt 0 ]
	fi
}

check "the driver is bound" bound
need_knobs
set_knob margin 50
set_knob interval_ms 100
set_knob smoothing 0
set_knob relief_us "$RELIEF_US"
note "knobs: $(knobs_state)"
check "traffic reaches every ring within 30 s" wait_s 30 all_rings_consumed
park_all
sleep 1

relief_mode workqueue
relief_mode threaded

# the same hog with relief off: only the usage tick moves a lane
set_knob relief_us 0
set_knob bh_mode workqueue
hog_round moved
note "measured (relief off): the tick moved the first lane off CPU $cpu after $ms ms"
check "relief off: no lane asked ($(relief_stat requests) requests in all)" \
	[ "$(trace_events /tmp/rl.trace evsteer_relief | wc -l)" = 0 ]
hogs_stop
note "relief counters: $(awk '$1 ~ /^relief_us=/' "$MON")"

pause_device
check_drained_exact
check_zero /tmp/es.drained lost dups dev_drops reorders bad_entries bad_prod
resume_device
check_dmesg
exit "$FAILED"
