# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the load-monitor scenarios (mon_*.sh, busybox sh), sourced
# after lib.sh: the sysfs knobs, the debugfs monitor file, tracefs (the
# evsteer tracepoints and trace_marker, without trace-cmd) and CPU hogs.
# Usage figures are the driver's: hundredths of a percent of one CPU.
# shellcheck shell=sh
# shellcheck disable=SC2034 # KNOBS and friends are for the scripts

KNOBS="margin interval_ms smoothing policy cpus lanes bh_mode relief_us"
MON=$DBG/monitor

# ---- sysfs knobs --------------------------------------------------------

# The device's knob directory, /sys/bus/pci/devices/<bdf>/evsteer.
knob_dir() {
	for _k in /sys/bus/pci/devices/*/evsteer; do
		[ -d "$_k" ] && { echo "$_k"; return 0; }
	done
	return 1
}
KD=$(knob_dir)

knob() { cat "$KD/$1"; }

# set_knob NAME VALUE: write it; it must be accepted and read back as
# VALUE (or as EXPECT, the canonical form, when given as a third word).
set_knob() {
	if ! echo "$2" >"$KD/$1"; then
		fail "echo $2 > $1 is accepted"
		return 1
	fi
	_want=${3:-$2}
	if [ "$(knob "$1")" != "$_want" ]; then
		fail "$1 reads back $_want after writing $2 (it reads $(knob "$1"))"
		return 1
	fi
	pass "$1 = $_want"
}

# cpulist_expand LIST: the CPUs of a cpulist (0-2,5), space-separated.
cpulist_expand() {
	echo "$1" | awk -F, '{
		for (i = 1; i <= NF; i++) {
			n = split($i, r, "-"); hi = n > 1 ? r[2] : r[1]
			for (c = r[1]; c <= hi; c++) { printf "%s%d", sep, c; sep = " " }
		}
		print ""
	}'
}

# cpulist_of: the canonical cpulist of the CPUs on stdin, one per line.
cpulist_of() {
	sort -n | awk '
		function out() { printf "%s%s", sep, lo == prev ? lo : lo "-" prev; sep = "," }
		NR == 1 { lo = prev = $1; next }
		$1 == prev + 1 { prev = $1; next }
		{ out(); lo = prev = $1 }
		END { if (NR) out(); print "" }'
}

# knobs_state: every knob as name=value, one line.
knobs_state() {
	for _n in $KNOBS; do
		printf '%s=%s ' "$_n" "$(knob "$_n")"
	done
	echo
}

need_knobs() {
	if [ -z "$KD" ] || [ ! -r "$MON" ]; then
		fail "the knobs (${KD:-no evsteer/ directory}) and $MON exist"
		exit 1
	fi
	pass "the knobs in $KD and $MON exist"
}

# ---- the debugfs monitor file ---------------------------------------------

# mon_lanes: "RING LANE CPU LOAD MIGRATIONS" per data lane in use.
mon_lanes() {
	awk '$1 ~ /^ring=/ {
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		print v["ring"], v["lane"], v["cpu"], v["load"], v["migrations"]
	}' "$MON"
}

# lane_cpu RING LANE: the CPU the lane runs its next window on.
lane_cpu() {
	mon_lanes | awk -v r="$1" -v l="$2" '$1 == r && $2 == l { print $3 }'
}

# lanes_on "CPU...": how many lanes sit on any of these CPUs.
lanes_on() {
	mon_lanes | awk -v set=" $* " 'index(set, " " $3 " ") { n++ } END { print n + 0 }'
}

# lane_places: "r0l0@1 r0l1@0 ..." for notes.
lane_places() {
	mon_lanes | awk '{ printf "%sr%sl%s@%s", sep, $1, $2, $3; sep = " " }'
}

# busiest_lane: "RING LANE CPU" of the lane with the highest own load.
busiest_lane() {
	mon_lanes | awk 'NR == 1 || $4 > best { best = $4; b = $1 " " $2 " " $3 } END { print b }'
}

# first_lane_on CPU: "RING LANE CPU" of the first lane on CPU in the
# order the monitor places them (ring after ring, lane after lane).
first_lane_on() {
	mon_lanes | awk -v c="$1" '$3 == c { print $1, $2, $3; exit }'
}

# cpu_usages: the last tick's usage of every CPU, "cpu=usage ...".
cpu_usages() {
	awk '$1 ~ /^cpu=/ {
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		printf "%scpu%s=%s", sep, v["cpu"], v["usage"]; sep = " "
	}' "$MON"
}

mon_ticks() { sed -n 's/^running=.* ticks=\([0-9]*\).*/\1/p' "$MON"; }

# migrations: the monitor's moves so far, all lanes (debugfs).
migrations() {
	mon_lanes | awk '{ s += $5 } END { print s + 0 }'
}

# ---- tracefs ----------------------------------------------------------------

TR=/sys/kernel/tracing
[ -w "$TR/trace_marker" ] || mount -t tracefs nodev "$TR" 2>/dev/null
[ -w "$TR/trace_marker" ] || TR=/sys/kernel/debug/tracing

# trace_start EVENT...: an empty buffer, the global clock (comparable
# across CPUs), only these evsteer events, no filters, tracing on; a
# trace_filter after it narrows an event down.
trace_start() {
	echo 0 >"$TR/tracing_on"
	echo 0 >"$TR/events/enable"
	echo global >"$TR/trace_clock"
	echo 4096 >"$TR/buffer_size_kb"
	: >"$TR/trace"
	for _e in evsteer_ring_irq evsteer_lane_run evsteer_migrate \
		evsteer_monitor_sample evsteer_relief; do
		echo 0 >"$TR/events/evsteer/$_e/filter"
	done
	for _e in "$@"; do
		echo 1 >"$TR/events/evsteer/$_e/enable" || return 1
	done
	echo 1 >"$TR/tracing_on"
}

# trace_stop FILE: tracing off, the buffer's events into FILE.
trace_stop() {
	echo 0 >"$TR/tracing_on"
	grep -v '^#' "$TR/trace" >"$1"
}

# trace_filter EVENT EXPR: record only the EVENT events that match EXPR.
trace_filter() { echo "$2" >"$TR/events/evsteer/$1/filter"; }

trace_mark() { echo "$1" >"$TR/trace_marker"; }

# Each trace line: "<task>-<pid> [cpu] <flags> <seconds>: <event>: k=v ...".
# trace_events FILE EVENT: "SECONDS k=v ..." per event of that name.
trace_events() {
	awk -v ev="$2:" '{
		for (i = 1; i < NF; i++)
			if ($(i + 1) == ev && $i ~ /^[0-9]+\.[0-9]+:$/) {
				t = $i; sub(":", "", t); line = t
				for (j = i + 2; j <= NF; j++) line = line " " $j
				print line
				next
			}
	}' "$1"
}

# trace_marker_ts FILE TEXT: the timestamp of the marker TEXT, seconds.
trace_marker_ts() {
	awk -v m="$2" '$NF == m {
		for (i = 1; i < NF; i++)
			if ($i ~ /^[0-9]+\.[0-9]+:$/ && $(i + 1) == "tracing_mark_write:") {
				t = $i; sub(":", "", t); print t; exit
			}
	}' "$1"
}

# migrate_events FILE: the evsteer_migrate events as
# "SECONDS ring lane from to usage_from usage_to margin why" (values only).
migrate_events() {
	trace_events "$1" evsteer_migrate | awk '{
		for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		print $1, v["ring"], v["lane"], v["from"], v["to"], v["usage_from"],
			v["usage_to"], v["margin"], v["why"]
	}'
}

# lane_runs FILE: the evsteer_lane_run events as "SECONDS ring lane cpu".
lane_runs() {
	trace_events "$1" evsteer_lane_run | awk '{
		for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		print $1, v["ring"], v["lane"], v["cpu"]
	}'
}

# ms_between T0 T1: (T1 - T0) in milliseconds, rounded.
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (b - a) * 1000 + 0.5 }'; }

# ---- CPU hogs ---------------------------------------------------------------

HOGS=

# hog_start CPU: a busy loop pinned on CPU, from now on.
hog_start() {
	taskset -c "$1" sh -c 'while :; do :; done' &
	HOGS="$HOGS $!"
}

# hog_park CPU MARKER [WRAPPER...]: a busy loop pinned on CPU that waits,
# idle, until hog_release CPU; then it writes MARKER to trace_marker
# itself, from that CPU, and loops.  Starting a process costs a guest
# under TCG up to a few hundred milliseconds of busy time; parked, that
# cost is paid before the clock starts, and the marker is the loop's
# real start.  WRAPPER runs the loop (e.g. chrt -f 50: real-time).
hog_park() {
	_hc=$1 _hm=$2
	shift 2
	rm -f "/tmp/hog.$_hc"
	mkfifo "/tmp/hog.$_hc"
	taskset -c "$_hc" "$@" sh -c "read -r _ </tmp/hog.$_hc; echo $_hm >$TR/trace_marker; while :; do :; done" &
	HOGS="$HOGS $!"
}

hog_release() { echo go >"/tmp/hog.$1"; }

hogs_stop() {
	for _p in $HOGS; do
		kill "$_p" 2>/dev/null
	done
	for _p in $HOGS; do
		wait "$_p" 2>/dev/null
	done
	HOGS=
}

# ---- traffic ----------------------------------------------------------------

# lanes_busy: every data lane in use has some load of its own.
lanes_busy() {
	[ "$(mon_lanes | awk '$4 == 0 { z++ } END { print (NR > 0 && z == 0) }')" = 1 ]
}
