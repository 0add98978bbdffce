# SPDX-License-Identifier: GPL-2.0
#
# make demo, guest side: the load monitor at work.  Once a second, a
# table row: each CPU's usage as the monitor measured it (the mean of
# the second's evsteer_monitor_sample events), the CPU of every lane,
# the lane moves of that second and the events consumed; each move is
# listed under its row, from evsteer_migrate.  Halfway through, a busy
# loop is pinned on the CPU of the busiest lane (the most busy time in
# the last second), and the rows show that lane leave it.
#
# At the end, one "demo-data" line per monitor tick (time, usage per
# CPU, CPU per lane), the lanes' names ("demo-lanes") and the hog's time,
# CPU and lane ("demo-hog"), for scripts/demo.sh to plot.
#
# Env: EVSTEER_DEMO_SECONDS (default 24), EVSTEER_DEMO_MARGIN (50),
# EVSTEER_DEMO_SMOOTHING (50).  Margin 50 because the vCPUs of a TCG
# guest are noisy (see Documentation/monitor.rst); the hog reads 100 %.

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=../guest/lib.sh
. ./lib.sh
# shellcheck source=../guest/mon_lib.sh
. ./mon_lib.sh

secs=${EVSTEER_DEMO_SECONDS:-24}
half=$((secs / 2))
LOG=/tmp/demo.trace

# The trace so far, converted: "S t cpu usage", "M t ring lane from to
# usage_from usage_to why", t in seconds since the demo began.
events() {
	awk -v t0="$T0" '{
		for (i = 1; i < NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) break
		t = $i; sub(":", "", t); t -= t0; ev = $(i + 1)
		delete v
		for (j = i + 2; j <= NF; j++) { split($j, kv, "="); v[kv[1]] = kv[2] }
		if (ev == "evsteer_monitor_sample:")
			printf "S %.3f %s %s\n", t, v["cpu"], v["usage"]
		else if (ev == "evsteer_migrate:")
			printf "M %.3f %s %s %s %s %s %s %s\n", t, v["ring"], v["lane"],
				v["from"], v["to"], v["usage_from"], v["usage_to"], v["why"]
	}' "$@"
}

total_events() {
	awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^events=/) { sub("events=", "", $i); s += $i } }
	     END { print s + 0 }' "$DBG/stats"
}

# lane_busy: "ring.lane busy_ns" per data lane in use
lane_busy() {
	awk -v rings="$EVSTEER_RINGS" '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		if (v["ring"] < rings) print v["ring"] "." v["lane"], v["busy_ns"]
	}' "$DBG/lanes"
}

header() {
	printf '%5s | %-28s | %-*s | %5s | %8s\n' "" "usage % (monitor, 1 s mean)" \
		$((NLANES * 5 - 1)) "CPU of each lane (ring.lane)" "moves" "events/s"
	printf '%5s |' "t"
	c=0
	while [ "$c" -lt "$NCPU" ]; do
		printf ' %6s' "cpu$c"
		c=$((c + 1))
	done
	printf '%*s|' $((28 - NCPU * 7 + 1)) ""
	mon_lanes | awk '{ printf " %4s", $1 "." $2 }'
	printf ' | %5s | %8s\n' "" ""
}

# row T: the table row of second T, from the trace lines not seen yet
row() {
	_ev=$(total_events)
	_up=$(cut -d' ' -f1 /proc/uptime)
	mon_lanes >/tmp/demo.lanes
	_n=$(wc -l <"$LOG")
	sed -n "$((SEEN + 1)),${_n}p" "$LOG" >/tmp/demo.new
	SEEN=$_n
	events /tmp/demo.new >/tmp/demo.sec
	awk -v t="$1" -v n="$NCPU" -v hog="${HOG_CPU:--1}" -v ev="$((_ev - EV_LAST))" \
		-v dt="$(awk -v a="$UP_LAST" -v b="$_up" 'BEGIN { print b - a }')" '
		FNR == NR { lane[NR] = $3; nl = NR; next }
		$1 == "S" { s[$3] += $4; k[$3]++ }
		$1 == "M" { m++; mv[m] = sprintf("        ring %s lane %s: CPU %s -> %s  (usage %.1f %% -> %.1f %%, %s)",
			$3, $4, $5, $6, $7 / 100, $8 / 100, $9) }
		END {
			printf "%4ds |", t
			for (c = 0; c < n; c++)
				printf " %5.1f%s", k[c] ? s[c] / k[c] / 100 : 0, c == hog ? "*" : " "
			for (i = 28 - n * 7 + 1; i > 0; i--) printf " "
			printf "|"
			for (i = 1; i <= nl; i++) printf " %4s", lane[i]
			printf " | %5d | %8d\n", m, (dt > 0 ? ev / dt : ev)
			for (i = 1; i <= m; i++) print mv[i]
		}' /tmp/demo.lanes /tmp/demo.sec
	EV_LAST=$_ev
	UP_LAST=$_up
}

if ! bound; then
	echo "the driver is not bound; kernel log:"
	dmesg | grep -i evsteer
	exit 1
fi
NCPU=$(ncpus)
NLANES=$(mon_lanes | wc -l)
echo "${EVSTEER_DEMO_MARGIN:-50}" >"$KD/margin"
echo "${EVSTEER_DEMO_SMOOTHING:-50}" >"$KD/smoothing"
echo "knobs: $(knobs_state)"
echo "traffic: zipf-skewed flows whose events cost busy time, so lanes differ in load"

# a parked busy loop on every CPU (see mon_lib.sh): only one will run
c=0
while [ "$c" -lt "$NCPU" ]; do
	hog_park "$c" demo-hog
	c=$((c + 1))
done
trace_start evsteer_monitor_sample evsteer_migrate
cat "$TR/trace_pipe" >"$LOG" &
PIPE=$!
trace_mark demo-start
n=0
while ! grep -q demo-start "$LOG" && [ "$n" -lt 30 ]; do
	sleep 0.1
	n=$((n + 1))
done
T0=$(awk '$NF == "demo-start" { for (i = 1; i < NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { sub(":", "", $i); print $i; exit } }' "$LOG")
T0=${T0:-0}
mon_lanes | awk '{ printf "%s ", $3 }' >/tmp/demo.start
EV_LAST=$(total_events)
UP_LAST=$(cut -d' ' -f1 /proc/uptime)
SEEN=$(wc -l <"$LOG")
header
t=1
while [ "$t" -le "$secs" ]; do
	sleep 1
	row "$t"
	if [ "$t" = "$half" ]; then
		lane_busy >/tmp/demo.busy1
		awk 'FNR == NR { b[$1] = $2; next } { print $1, $2 - b[$1] }' \
			/tmp/demo.busy0 /tmp/demo.busy1 | sort -k2 -n | tail -n 1 >/tmp/demo.hot
		read -r hot busy </tmp/demo.hot
		HOG_CPU=$(mon_lanes | awk -v h="$hot" '$1 "." $2 == h { print $3 }')
		hog_release "$HOG_CPU"
		echo "---- t=${t}s: busy loop pinned on CPU $HOG_CPU (marked *), the CPU of lane $hot, the busiest lane ($((busy / 10000000)) % busy in the last second)"
		header
	fi
	[ "$t" = $((half - 1)) ] && lane_busy >/tmp/demo.busy0
	t=$((t + 1))
done
hogs_stop
echo 0 >"$TR/tracing_on"
sleep 0.3
kill "$PIPE" 2>/dev/null
wait "$PIPE" 2>/dev/null
T_HOG=$(awk -v t0="$T0" '$NF == "demo-hog" { for (i = 1; i < NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { sub(":", "", $i); printf "%.3f", $i - t0; exit } }' "$LOG")
left=$(events "$LOG" | awk -v t="${T_HOG:-0}" -v l="$hot" '$1 == "M" && $2 >= t && $3 "." $4 == l { print $2; exit }')
if [ -n "$left" ] && [ -n "$T_HOG" ]; then
	echo "lane $hot left CPU $HOG_CPU $(ms_between "$T_HOG" "$left") ms after the busy loop started"
else
	echo "lane $hot did not leave CPU $HOG_CPU"
fi
echo "totals: $(ethtool -S evs0 | awk '$1 == "monitor_ticks:" || $1 == "migrations:" || $1 == "events:" || $1 == "lost:" { printf "%s %s  ", $1, $2 }')"

# per tick: time, usage per CPU, then the CPU of each lane after the tick
events "$LOG" | awk -v n="$NCPU" -v rings="$EVSTEER_RINGS" -v start="$(cat /tmp/demo.start)" '
	BEGIN { nl = split(start, cpu, " ") }
	function flush() {
		if (!have) return
		printf "demo-data %s", ts
		for (c = 0; c < n; c++) printf " %s", u[c]
		for (i = 1; i <= nl; i++) printf " %s", cpu[i]
		print ""
		have = 0
	}
	$1 == "S" { if ($3 == 0) { flush(); ts = $2 } u[$3] = $4; have = 1 }
	$1 == "M" { cpu[$3 * (nl / rings) + $4 + 1] = $6 }
	END { flush() }'
echo "demo-lanes $(mon_lanes | awk '{ printf "%s%s.%s", sep, $1, $2; sep = " " }')"
echo "demo-hog ${T_HOG:-0} ${HOG_CPU:-0} $hot"
check_dmesg
exit "$FAILED"
