# SPDX-License-Identifier: GPL-2.0
#
# CPU hotplug under traffic: the CPU that holds the most lanes goes
# offline, and its lanes leave it before it is gone (evsteer_migrate,
# why=evicted); with busy loops on every other CPU it comes back online
# as the least loaded one, and the monitor brings the lanes back to it.
# Nothing is lost: once the device is paused and the driver has
# drained, each ring's consumed count equals what the device produced
# on it, and lost, dups, reorders, dev_drops are 0.
#
# Policy static while the CPU goes offline, so that no lane moves on
# usage in between (eviction ignores the policy): exactly the lanes that
# were on it must be evicted.  If no CPU that can go offline holds a
# lane, the cpus knob gathers them on the last CPU first.  The default
# policy and margin (20) for the way back: the hogged CPUs read 100 %,
# the one that came back reads its lanes' load plus noise.  This shell runs pinned on a
# hogged CPU meanwhile, so that its own polling does not add to the
# usage of the CPU that came back.

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh
# shellcheck source=dp_lib.sh
. ./dp_lib.sh
# shellcheck source=mon_lib.sh
. ./mon_lib.sh

OFF_S=2		# traffic while the CPU is offline
BACK_S=10	# bound on the lanes coming back
SYSCPU=/sys/devices/system/cpu

cpu_is_online() { [ "$(cat "$SYSCPU/cpu$1/online")" = "$2" ]; }

all_lanes_on() { [ "$(lanes_on "$1")" = "$(mon_lanes | wc -l)" ]; }

# every data ring consumed more since snapshot FILE
all_grew_since() {
	es_snap /tmp/es.now && rings_grew "$1" /tmp/es.now 0 $((EVSTEER_RINGS - 1))
}

check "the driver is bound" bound
need_knobs
need_netdev
set_knob policy static
set_knob margin 20
set_knob interval_ms 100
set_knob smoothing 0
check "traffic reaches every ring within 30 s" wait_s 30 all_rings_consumed
check "every lane has load of its own within 10 s" wait_s 10 lanes_busy

# pluggable_with_lanes: the hot-pluggable CPU with the most lanes (CPU 0
# usually is not hot-pluggable), or nothing
pluggable_with_lanes() {
	mon_lanes | awk '{ n[$3]++ } END { for (c in n) print n[c], c }' |
		sort -rn >/tmp/mon.per_cpu
	while read -r _n _c; do
		if [ -w "$SYSCPU/cpu$_c/online" ]; then
			echo "$_c"
			return
		fi
	done </tmp/mon.per_cpu
}

last=$(($(ncpus) - 1))
x=$(pluggable_with_lanes)
if [ -z "$x" ]; then
	note "no CPU that can go offline holds a lane ($(lane_places)): gathering them on CPU $last"
	set_knob cpus "$last"
	set_knob cpus "0-$last"
	x=$(pluggable_with_lanes)
fi
if [ -z "$x" ]; then
	fail "a CPU with lanes can go offline (lanes: $(lane_places))"
	exit 1
fi
others=$(cpulist_expand "0-$last" | tr ' ' '\n' | grep -vx "$x" | paste -sd ' ')
before=$(lanes_on "$x")
note "lanes: $(lane_places); usage: $(cpu_usages)"
note "CPU $x goes offline with $before lanes"
check "CPU $x holds lanes ($before)" [ "$before" -gt 0 ]

trace_start evsteer_migrate
trace_mark mon-offline
check "echo 0 > $SYSCPU/cpu$x/online" sh -c "echo 0 >$SYSCPU/cpu$x/online"
check "CPU $x is offline" cpu_is_online "$x" 0
now=$(lanes_on "$x")
es_snap /tmp/es.off
sleep "$OFF_S"
later=$(lanes_on "$x")
trace_stop /tmp/mon.off
migrate_events /tmp/mon.off >/tmp/mon.moves
sed 's/^/# evsteer_migrate: /' /tmp/mon.moves
note "offline: lanes $(lane_places)"
evicted=$(awk -v x="$x" '$4 == x && $9 == "evicted"' /tmp/mon.moves | wc -l)
check "the lanes on CPU $x left it as it went: $evicted evicted ($before were there)" \
	[ "$evicted" = "$before" ]
check "no lane on CPU $x once it is offline ($now), nor $OFF_S s later ($later)" \
	[ "$now" = 0 -a "$later" = 0 ]
check "the monitor sees CPU $x offline" \
	grep -q "^cpu=$x online=0 " "$MON"
check "every ring consumed more while CPU $x was offline" all_grew_since /tmp/es.off

# everyone else busy: CPU x will be the least loaded once it is back
set_knob policy lowest-margin
taskset -p -c "${others%% *}" $$ >/dev/null
for c in $others; do
	hog_start "$c"
done
sleep 1
trace_start evsteer_migrate
trace_mark mon-online
check "echo 1 > $SYSCPU/cpu$x/online" sh -c "echo 1 >$SYSCPU/cpu$x/online"
check "CPU $x is online" cpu_is_online "$x" 1
check "every lane comes back to CPU $x within $BACK_S s" wait_s "$BACK_S" all_lanes_on "$x"
trace_stop /tmp/mon.on
note "usage: $(cpu_usages)"
note "online: lanes $(lane_places)"
hogs_stop
taskset -p -c "0-$last" $$ >/dev/null
migrate_events /tmp/mon.on >/tmp/mon.moves
sed 's/^/# evsteer_migrate: /' /tmp/mon.moves
t_on=$(trace_marker_ts /tmp/mon.on mon-online)
t_last=$(awk -v x="$x" '$5 == x { t = $1 } END { print t }' /tmp/mon.moves)
if [ -n "$t_on" ] && [ -n "$t_last" ]; then
	note "measured: the last lane came back to CPU $x $(ms_between "$t_on" "$t_last") ms after it was told to go online"
fi
moved=$(awk -v x="$x" '$5 == x && $9 == "moved"' /tmp/mon.moves | wc -l)
check "the lanes came back by the policy (why=moved): $moved moves to CPU $x" \
	[ "$moved" -ge 1 ]

pause_device
check_drained_exact
check_zero /tmp/es.drained lost dups reorders dev_drops bad_entries bad_prod
check_dmesg
exit "$FAILED"
