# SPDX-License-Identifier: GPL-2.0
#
# make demo, guest side: real frames, the load monitor and an
# application.  Our receiver (evsteer-rx) is started before evs0 comes
# up (scripts/demo.sh boots with --no-up); it takes the device's UDP
# frames on port 9999, spends EVSTEER_DEMO_BUSY_NS of CPU per datagram
# as a heavy application would, and prints a JSON line every second.
# Each of those lines makes a table row: each CPU's usage as the
# monitor measured it (the mean of the second's evsteer_monitor_sample
# events), the CPU of every lane, the lane moves of that second (each
# listed under its row, from evsteer_migrate), the frames the driver
# delivered, and what the application saw in that same second:
# datagrams/s and the hard IRQ -> socket latency, p50 and p99.
#
# Halfway through, a busy loop is pinned on the CPU of the busiest lane
# (the most busy time since the first row), the application (and this
# script) are moved off that CPU, and the rows show the lanes leave it.
# By default the loop is real-time (SCHED_FIFO, chrt -f 1).  Softirqs
# run at interrupt exit before any task, real-time or not; but once a
# CPU's NET_RX work outgrows a softirq run (2 ms; under TCG the frames
# of a busy lane do, and the device's --cost adds to them) the kernel
# hands it to that CPU's ksoftirqd, an ordinary task, which a real-time
# loop leaves only 5 % of each second.  So the
# frames of the lanes on that CPU wait until the lanes leave, and a
# window those lanes had already taken there finishes only when
# ksoftirqd gets its turn.  A plain loop (EVSTEER_DEMO_HOG=normal) shares
# the CPU fairly with ksoftirqd: the lanes still leave (the CPU reads
# 100 %), but the application hardly notices.  At the end: the
# application's latency and rate before the hog, while it held frames,
# and after; the receiver's and the driver's totals.
#
# For scripts/demo.sh to plot: one "demo-data" line per monitor tick
# (time, usage per CPU, CPU per lane), one "demo-rx" line per receiver
# interval (start, end, datagrams/s, p50 ns, p99 ns), the lanes' names
# ("demo-lanes"), the hog's time, CPU and lane ("demo-hog") and the
# time its CPU was left by all lanes ("demo-clear").  Times are seconds
# since the table began.
#
# Env: EVSTEER_DEMO_SECONDS (default 24), EVSTEER_DEMO_MARGIN (50),
# EVSTEER_DEMO_SMOOTHING (50), EVSTEER_DEMO_BUSY_NS (20000),
# EVSTEER_DEMO_HOG (fifo or normal; fifo), EVSTEER_DEMO_BH (the lanes'
# bh_mode, set before evs0 comes up; default: the driver's, napi).
# Margin 50 because the vCPUs of a TCG guest are noisy (see
# Documentation/monitor.rst); the hog reads 100 %.

# shellcheck shell=sh disable=SC2317 # functions run through wait_s
# shellcheck source=../guest/lib.sh
. ./lib.sh
# shellcheck source=../guest/dp_lib.sh
. ./dp_lib.sh
# shellcheck source=../guest/mon_lib.sh
. ./mon_lib.sh

secs=${EVSTEER_DEMO_SECONDS:-24}
half=$((secs / 2))
BUSY_NS=${EVSTEER_DEMO_BUSY_NS:-20000}
HOG=${EVSTEER_DEMO_HOG:-fifo}
LOG=/tmp/demo.trace
RX_LOG=/tmp/rx.log	# the receiver's lines, each after the uptime it came at
RX_WAIT=30		# tenths of a second a row waits for the receiver
RX_READY_S=10		# bound on the receiver's start
FRAMES_S=20		# bound on the first frames reaching it

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

# the frames the driver has taken off its rings (every entry is one)
total_frames() {
	awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^events=/) { sub("events=", "", $i); s += $i } }
	     END { print s + 0 }' "$DBG/stats"
}

# json KEY: a number from the JSON on stdin (no key appears twice in a line)
json() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" | head -n 1; }

# ---- the receiver ---------------------------------------------------------

# rx_lines: the receiver's interval lines so far
rx_lines() { grep -c '"type":"interval"' "$RX_LOG"; }

# rx_next: wait (bounded) for the receiver's next interval line; RX_LINE
# is then the newest, or empty if none came
RX_SEEN=0
rx_next() {
	_n=0
	while [ "$(rx_lines)" -le "$RX_SEEN" ] && [ "$_n" -lt "$RX_WAIT" ]; do
		sleep 0.1
		_n=$((_n + 1))
	done
	_c=$(rx_lines)
	RX_LINE=
	if [ "$_c" -gt "$RX_SEEN" ]; then
		# shellcheck disable=SC2016 # sed's $ (the last line)
		RX_LINE=$(sed -n '/"type":"interval"/h; ${x;p}' "$RX_LOG")
		RX_SEEN=$_c
	fi
}

# the receiver has had datagrams in its last interval
rx_flowing() {
	[ "$(grep '"type":"interval"' "$RX_LOG" | tail -n 1 | json received)" -gt 0 ] 2>/dev/null
}

# ---- the table ------------------------------------------------------------

header() {
	printf '%5s | %-28s | %-*s | %5s | %8s | %s\n' "" "usage % (monitor, 1 s mean)" \
		$((NLANES * 5 - 1)) "CPU of each lane (ring.lane)" "lane" "frames/s" \
		"application, same second"
	printf '%5s |' "t"
	c=0
	while [ "$c" -lt "$NCPU" ]; do
		printf ' %6s' "cpu$c"
		c=$((c + 1))
	done
	printf '%*s|' $((28 - NCPU * 7 + 1)) ""
	mon_lanes | awk '{ printf " %4s", $1 "." $2 }'
	printf ' | %5s | %8s | %8s %7s %7s\n' "moves" "driver" "dgrams/s" "p50 ms" "p99 ms"
}

# row: the table row of the second that the receiver's line RX_LINE
# closed (labelled with its end), from the driver's counters, the monitor
# file and the trace lines not seen yet, in one awk: a busy TCG guest
# forks slowly, and a row must take well under a second.  The first row
# leaves each lane's busy time in /tmp/demo.busy; every row leaves in
# /tmp/demo.state the trace lines seen, the frames so far, the row's
# second and the end of its interval, and the lane with the most busy
# time since the first row, that busy time (ns) and the lane's CPU.
row() {
	read -r _up _ </proc/uptime
	_n=$(wc -l <"$LOG")
	awk -v seen="$SEEN" -v last="$_n" -v u0="$U_T0" -v up="$_up" \
		-v up_last="$UP_LAST" -v fr_last="$FR_LAST" -v n="$NCPU" \
		-v rings="$EVSTEER_RINGS" -v hog="${HOG_CPU:--1}" -v rx="$RX_LINE" \
		-v f_busy=/tmp/demo.busy -v f_stats="$DBG/stats" -v f_mon="$MON" \
		-v f_lanes="$DBG/lanes" '
		function jnum(k) {
			if (!match(rx, "\"" k "\":[0-9.]+")) return -1
			return substr(rx, RSTART + length(k) + 3, RLENGTH - length(k) - 3) + 0
		}
		function ms(ns) {
			if (ns < 0) return "-"
			ns /= 1e6
			return sprintf(ns < 10 ? "%.2f" : ns < 100 ? "%.1f" : "%.0f", ns)
		}
		function kv(   i, p) {
			delete v
			for (i = 1; i <= NF; i++) { p = index($i, "="); if (p) v[substr($i, 1, p - 1)] = substr($i, p + 1) }
		}
		FILENAME == f_busy { prev[$1] = $2; np++; next }
		FILENAME == f_stats { kv(); fr += v["events"]; next }
		FILENAME == f_mon { if ($1 ~ /^ring=/) { kv(); lane[++nl] = v["cpu"]; cpuof[v["ring"] "." v["lane"]] = v["cpu"] } next }
		FILENAME == f_lanes { kv(); if (v["ring"] < rings) { nb++; bn[nb] = v["ring"] "." v["lane"]; bv[nb] = v["busy_ns"] } next }
		FNR <= seen || FNR > last { next }
		{
			for (i = 1; i < NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) break
			ev = $(i + 1)
			if (ev != "evsteer_monitor_sample:" && ev != "evsteer_migrate:") next
			delete v
			for (j = i + 2; j <= NF; j++) { p = index($j, "="); if (p) v[substr($j, 1, p - 1)] = substr($j, p + 1) }
			if (ev == "evsteer_monitor_sample:") { s[v["cpu"]] += v["usage"]; k[v["cpu"]]++; next }
			m++
			mv[m] = sprintf("        ring %s lane %s: CPU %s -> %s  (usage %.1f %% -> %.1f %%, %s)",
				v["ring"], v["lane"], v["from"], v["to"], v["usage_from"] / 100, v["usage_to"] / 100, v["why"])
		}
		END {
			split(rx, w, " ")
			t = int((rx != "" ? w[1] : up) - u0 + 0.5)
			printf "%4ds |", t
			for (c = 0; c < n; c++)
				printf " %5s%s", k[c] ? sprintf("%.1f", s[c] / k[c] / 100) : "-", c == hog ? "*" : " "
			for (i = 28 - n * 7 + 1; i > 0; i--) printf " "
			printf "|"
			for (i = 1; i <= nl; i++) printf " %4s", lane[i]
			pps = jnum("pps")
			dt = up - up_last
			printf " | %5d | %8d | %8s %7s %7s\n", m, (dt > 0 ? (fr - fr_last) / dt : 0),
				pps < 0 ? "-" : sprintf("%d", pps + 0.5), ms(jnum("p50")), ms(jnum("p99"))
			for (i = 1; i <= m; i++) print mv[i]
			hot = ""; hd = -1
			for (i = 1; i <= nb; i++) {
				d = bv[i] - prev[bn[i]]
				if (d > hd) { hd = d; hot = bn[i] }
				if (!np) printf "%s %s\n", bn[i], bv[i] > f_busy
			}
			printf "%d %.0f %d %.3f %s %.0f %s\n", last, fr, t, (rx != "" ? w[1] : up) - u0,
				hot, hd, cpuof[hot] > "/tmp/demo.state"
		}' /tmp/demo.busy "$DBG/stats" "$MON" "$DBG/lanes" "$LOG"
	read -r SEEN FR_LAST T_ROW E_ROW HOT HOT_BUSY HOT_CPU </tmp/demo.state
	UP_LAST=$_up
}

# ---- the hog --------------------------------------------------------------

# hog_park_as CPU: as mon_lib.sh's hog_park, through $HOG_RUN (chrt)
hog_park_as() {
	rm -f "/tmp/hog.$1"
	mkfifo "/tmp/hog.$1"
	# shellcheck disable=SC2086 # HOG_RUN is words: "chrt -f 1"
	taskset -c "$1" $HOG_RUN sh -c "read -r _ </tmp/hog.$1; echo demo-hog >$TR/trace_marker; while :; do :; done" &
	HOGS="$HOGS $!"
}

# ---- the phases, from the run ----------------------------------------------

# rx_intervals: "start end pps p50 p99" per receiver interval, in seconds
# since the table began (an interval ends when its line came)
rx_intervals() {
	awk -v u0="$U_T0" '/"type":"interval"/ {
		e = $1 - u0
		line = $0
		if (match(line, /"pps":[0-9.]+/)) pps = substr(line, RSTART + 6, RLENGTH - 6); else pps = 0
		if (match(line, /"p50":[0-9]+/)) p50 = substr(line, RSTART + 6, RLENGTH - 6); else p50 = 0
		if (match(line, /"p99":[0-9]+/)) p99 = substr(line, RSTART + 6, RLENGTH - 6); else p99 = 0
		s = n++ ? prev : e - 1
		prev = e
		if (e > 0) printf "%.3f %.3f %s %s %s\n", s, e, pps, p50, p99
	}' "$RX_LOG"
}

# phase NAME FROM TO HOW: some of the table's intervals, summed up on one
# line: how many, the seconds they cover, the median and the worst of
# their p50 and of their p99, the median and the lowest datagrams/s.
# HOW says which: "ending" within [FROM, TO], "overlapping" it, or
# "starting" within it; the three phases below split the table's
# intervals between them.
phase_header() {
	printf '  %-32s %9s %13s   %-15s %-15s %s\n' "" "intervals" "seconds" \
		"p50 ms" "p99 ms" "datagrams/s"
	printf '  %-32s %9s %13s   %-15s %-15s %s\n' "" "" "" \
		"median  worst" "median  worst" "median lowest"
}

phase() {
	awk -v name="$1" -v a="$2" -v b="$3" -v how="$4" '
		# sorts x[1..n]; the median
		function med(x, n,   i, j, t) {
			for (i = 2; i <= n; i++) for (j = i; j > 1 && x[j - 1] > x[j]; j--) {
				t = x[j]; x[j] = x[j - 1]; x[j - 1] = t }
			return n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
		}
		function ms(ns) { ns /= 1e6; return sprintf(ns < 10 ? "%.2f" : ns < 100 ? "%.1f" : "%.0f", ns) }
		(how == "ending" && $2 >= a - 0.001 && $2 <= b) || (how == "overlapping" && $2 > a && $1 < b) ||
		(how == "starting" && $1 >= a && $1 < b) {
			n++; q[n] = $3; p5[n] = $4; p9[n] = $5
			if (n == 1) t0 = $1
			t1 = $2
		}
		END {
			if (!n) { printf "  %-32s %9s\n", name, "none"; exit }
			m5 = med(p5, n); m9 = med(p9, n); mq = med(q, n)
			printf "  %-32s %9d %5.1f - %5.1f   %6s %6s   %6s %6s   %6d %6d\n", name, n, t0, t1,
				ms(m5), ms(p5[n]), ms(m9), ms(p9[n]), mq + 0.5, q[1] + 0.5
		}' /tmp/demo.rx
}

# ---- the run --------------------------------------------------------------

if ! bound; then
	echo "the driver is not bound; kernel log:"
	dmesg | grep -i evsteer
	exit 1
fi
NCPU=$(ncpus)
NLANES=$(mon_lanes | wc -l)
[ -z "${EVSTEER_DEMO_BH:-}" ] || echo "$EVSTEER_DEMO_BH" >"$KD/bh_mode"
echo "${EVSTEER_DEMO_MARGIN:-50}" >"$KD/margin"
echo "${EVSTEER_DEMO_SMOOTHING:-50}" >"$KD/smoothing"
echo "knobs: $(knobs_state)"

# the receiver first, so that it sees every flow from its first frame;
# a reader stamps each of its lines with the uptime it came at
rm -f /tmp/rx.fifo /tmp/rx.ready
mkfifo /tmp/rx.fifo
while IFS= read -r _l; do
	read -r _u _ </proc/uptime
	echo "$_u $_l"
done </tmp/rx.fifo >"$RX_LOG" &
STAMP_PID=$!
evsteer-rx --port 9999 --interval-ms 1000 --busy-ns "$BUSY_NS" \
	--duration $((secs + 60)) --ready-file /tmp/rx.ready >/tmp/rx.fifo 2>/tmp/rx.err &
RX_PID=$!
if ! wait_s "$RX_READY_S" test -e /tmp/rx.ready; then
	echo "the receiver did not start: $(head -n 3 /tmp/rx.err)"
	kill "$RX_PID" "$STAMP_PID" 2>/dev/null
	exit 1
fi
if [ "$EVSTEER_UP" != 1 ] && ! sh "$EVSTEER_NETUP"; then
	echo "evs0 did not come up"
	exit 1
fi
if ! wait_s "$FRAMES_S" rx_flowing; then
	echo "no frame reached the receiver within $FRAMES_S s"
	ethtool -S evs0 | grep -E ' (rx_packets|events|dev_produced|dev_drops):'
	FAILED=1
fi
echo "traffic: UDP frames of 64 zipf-skewed flows, 198.18.1.x -> 198.18.0.2:9999; the application"
echo "         (evsteer-rx, one SO_REUSEPORT socket per CPU) spends $BUSY_NS ns of CPU per datagram"

# a parked busy loop on every CPU (see mon_lib.sh): only one will run
HOG_RUN=
HOG_WHAT="busy loop"
if [ "$HOG" = fifo ]; then
	if command -v chrt >/dev/null; then
		HOG_RUN="chrt -f 1"
		HOG_WHAT="real-time busy loop (SCHED_FIFO)"
	else
		echo "no chrt in the guest: the busy loop is not real-time"
	fi
fi
c=0
while [ "$c" -lt "$NCPU" ]; do
	hog_park_as "$c"
	c=$((c + 1))
done
trace_start evsteer_monitor_sample evsteer_migrate
cat "$TR/trace_pipe" >"$LOG" &
PIPE=$!
# the table starts at a receiver line: its rows and the receiver's
# intervals then cover the same seconds
RX_SEEN=$(rx_lines)
rx_next
read -r U_T0 _ </proc/uptime
trace_mark demo-start
n=0
while ! grep -q demo-start "$LOG" && [ "$n" -lt 30 ]; do
	sleep 0.1
	n=$((n + 1))
done
T0=$(awk '$NF == "demo-start" { for (i = 1; i < NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { sub(":", "", $i); print $i; exit } }' "$LOG")
T0=${T0:-0}
# rows start with the first receiver line after the marker
RX_SEEN=$(rx_lines)
mon_lanes | awk '{ printf "%s ", $3 }' >/tmp/demo.start
FR_LAST=$(total_frames)
UP_LAST=$(cut -d' ' -f1 /proc/uptime)
SEEN=$(wc -l <"$LOG")
: >/tmp/demo.busy
header
T_ROW=0
ROWS=0
# one row per receiver line until the table has run its seconds; the
# first row at or after half of them picks the lane and starts the hog
while [ "$T_ROW" -lt "$secs" ]; do
	rx_next
	row
	ROWS=$((ROWS + 1))
	[ "$ROWS" = 1 ] && E_FIRST=$E_ROW
	if [ -z "${HOG_CPU:-}" ] && [ "$T_ROW" -ge "$half" ] && [ "$ROWS" -ge 2 ] &&
	   [ -n "$HOT_CPU" ]; then
		HOG_CPU=$HOT_CPU
		hot=$HOT
		# The application (every thread of it), this script, what it
		# starts and the readers of the receiver and of the trace stay
		# off the hogged CPU: a real-time loop leaves an ordinary task
		# on its CPU 5 % of the time, and a task woken or started while
		# every CPU is busy may well be put there.  What the hog may
		# hold up is then the lanes' work alone.
		mask=$(printf '%x' $(((1 << NCPU) - 1 & ~(1 << HOG_CPU))))
		taskset -p "$mask" $$ >/dev/null
		taskset -a -p "$mask" "$RX_PID" >/dev/null
		for _p in "$STAMP_PID" "$PIPE"; do
			taskset -p "$mask" "$_p" >/dev/null
		done
		hog_release "$HOG_CPU"
		pct=$(awk -v b="$HOT_BUSY" -v a="$E_FIRST" -v e="$E_ROW" 'BEGIN { printf "%.0f", (e > a ? b / (e - a) / 1e7 : 0) }')
		echo "---- t=${T_ROW}s: $HOG_WHAT pinned on CPU $HOG_CPU (marked *), the CPU of lane $hot, the busiest lane ($pct % busy since the first row); the application is kept off CPU $HOG_CPU"
		header
	fi
done
hogs_stop
echo 0 >"$TR/tracing_on"
sleep 0.3
kill "$PIPE" 2>/dev/null
wait "$PIPE" 2>/dev/null
# the receiver drains its sockets (200 ms at most) and prints its final line
kill -TERM "$RX_PID" 2>/dev/null
wait "$RX_PID"
wait "$STAMP_PID"
grep '"type":"final"' "$RX_LOG" | tail -n 1 | cut -d' ' -f2- >/tmp/rx.final
es_snap /tmp/es.end

T_HOG=$(awk -v t0="$T0" '$NF == "demo-hog" { for (i = 1; i < NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { sub(":", "", $i); printf "%.3f", $i - t0; exit } }' "$LOG")
T_HOG=${T_HOG:-0}
events "$LOG" >/tmp/demo.ev
left=$(awk -v t="$T_HOG" -v l="$hot" '$1 == "M" && $2 >= t && $3 "." $4 == l { print $2; exit }' /tmp/demo.ev)
# the first move after the hog that leaves no lane on its CPU
clear=$(awk -v start="$(cat /tmp/demo.start)" -v rings="$EVSTEER_RINGS" -v t="$T_HOG" -v h="$HOG_CPU" '
	BEGIN { nl = split(start, cpu, " ") }
	$1 == "M" {
		cpu[$3 * (nl / rings) + $4 + 1] = $6
		if ($2 < t) next
		on = 0
		for (i = 1; i <= nl; i++) if (cpu[i] == h) on++
		if (!on) { print $2; exit }
	}' /tmp/demo.ev)
if [ -n "$left" ]; then
	echo "lane $hot left CPU $HOG_CPU $(ms_between "$T_HOG" "$left") ms after the busy loop started"
else
	echo "lane $hot did not leave CPU $HOG_CPU"
fi
if [ -n "$clear" ]; then
	echo "the last lane left CPU $HOG_CPU $(ms_between "$T_HOG" "$clear") ms after the busy loop started"
else
	echo "lanes stayed on CPU $HOG_CPU until the end"
fi

# The receiver measures a datagram when it gets it, so frames held on
# the hogged CPU count in the interval they finally arrive in.  Besides
# the windows the lanes take after they leave, the window they had
# already taken there finishes there, when the real-time loop leaves
# that CPU's softirq thread its 5 % (within a second: the real-time
# throttling period).  So the hog's phase runs until a second after the
# last lane left.
rx_intervals >/tmp/demo.rx
held=
[ -z "$clear" ] || held=$(awk -v c="$clear" 'BEGIN { printf "%.3f", c + 1 }')
echo "the application (evsteer-rx), per 1 s interval: latency hard IRQ -> socket, and datagrams/s"
phase_header
phase "before the hog" "$E_FIRST" "$T_HOG" ending
if [ -n "$clear" ]; then
	phase "hog, to 1 s after its lanes left" "$T_HOG" "$held" overlapping
	phase "after that" "$held" "$E_ROW" starting
else
	phase "hog, lanes still on CPU $HOG_CPU" "$T_HOG" "$E_ROW" overlapping
fi
if [ -s /tmp/rx.final ]; then
	echo "receiver: $(json received </tmp/rx.final) datagrams, lost $(json lost </tmp/rx.final), reordered $(json reordered </tmp/rx.final), duplicated $(json duplicated </tmp/rx.final); whole run p50 $(json p50 </tmp/rx.final) ns, p99 $(json p99 </tmp/rx.final) ns"
else
	echo "receiver: no final line ($(head -n 3 /tmp/rx.err))"
	FAILED=1
fi
echo "driver: $(awk '$1 == "rx_packets" || $1 == "lost" || $1 == "dev_drops" || $1 == "monitor_ticks" || $1 == "migrations" { printf "%s %s  ", $1, $2 }' /tmp/es.end)"

# per tick: time, usage per CPU, then the CPU of each lane after the tick
awk -v n="$NCPU" -v rings="$EVSTEER_RINGS" -v start="$(cat /tmp/demo.start)" '
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
	END { flush() }' /tmp/demo.ev
sed 's/^/demo-rx /' /tmp/demo.rx
echo "demo-lanes $(mon_lanes | awk '{ printf "%s%s.%s", sep, $1, $2; sep = " " }')"
echo "demo-hog $T_HOG ${HOG_CPU:-0} $hot"
echo "demo-clear ${clear:--1}"
check_dmesg
exit "$FAILED"
