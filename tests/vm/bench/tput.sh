# SPDX-License-Identifier: GPL-2.0
#
# In-VM benchmark: the highest sustained event rate with nothing lost,
# at 1, 2 and 4 active rings (ethtool -L combined N, 4 vCPUs), then the
# window -> lane start latency at a fixed rate.  Reports, asserts nothing.
#
# For each ring count the device's rate (evsteer-ctl rate, asked of the
# host through tests/vm/host/dp_ctl.sh) starts at BENCH_TP_START and
# doubles while a step is clean, then BENCH_TP_BISECT bisection steps
# narrow the gap between the last clean and the first failed step, and
# the highest clean rate is measured once more (kind=repeat), to show
# how much one window can be trusted.  A
# step: the rate is set, BENCH_TP_SETTLE s pass, then `ethtool -S` is
# read before and after BENCH_TP_WINDOW s.  It is clean when lost = 0,
# dev_drops = 0 and the driver consumed at least BENCH_TP_MIN_PCT % of
# the rate asked for (less means the device, a host process, could not
# produce that much: the step says "short").
#
# Output lines (tests/vm/bench/run.sh reads them):
#   bench-tp rings=N rate=R secs=S events=E lost=L dev_drops=D
#            dev_produced=P irqs=I irq_busy=B windows=W verdict=V
#            kind=search|repeat dups=U reorders=O
#   bench-lat rate=R secs=S samples=N p50_ns=X p99_ns=Y
#   bench-latb from_ns=X count=N          (the histogram's buckets)

# shellcheck shell=sh
# shellcheck source=../guest/lib.sh
. ./lib.sh
# shellcheck source=../guest/dp_lib.sh
. ./dp_lib.sh
# shellcheck source=bench_lib.sh
. ./bench_lib.sh

RINGS_LIST=${BENCH_TP_RINGS:-1 2 4}
START=${BENCH_TP_START:-8000}
MAX=${BENCH_TP_MAX:-2048000}
BISECT=${BENCH_TP_BISECT:-2}
SETTLE=${BENCH_TP_SETTLE:-1}
WINDOW=${BENCH_TP_WINDOW:-3}
MIN_PCT=${BENCH_TP_MIN_PCT:-95}
LAT_RATE=${BENCH_LAT_RATE:-10000}
LAT_SECS=${BENCH_LAT_SECS:-10}
IDLE_RATE=1000		# between ring counts, to drain

# set_rate R: ask the host for rate R, then let it settle (the request
# goes through the console and dp_ctl.sh polls it every 0.1 s).
set_rate() {
	host_req rate "$1"
	sleep "$SETTLE"
}

# step N R KIND: one measurement at rate R with N rings; prints the
# bench-tp line and succeeds if the step was clean.
step() {
	set_rate "$2"
	es_snap /tmp/tp.a
	_t0=$(uptime_s)
	sleep "$WINDOW"
	es_snap /tmp/tp.b
	_t1=$(uptime_s)
	_ev=$(dv /tmp/tp.a /tmp/tp.b events)
	_lost=$(dv /tmp/tp.a /tmp/tp.b lost)
	_drops=$(dv /tmp/tp.a /tmp/tp.b dev_drops)
	_dups=$(dv /tmp/tp.a /tmp/tp.b dups)
	_reord=$(dv /tmp/tp.a /tmp/tp.b reorders)
	_prod=$(dv /tmp/tp.a /tmp/tp.b dev_produced)
	_irqs=$(($(es_sum /tmp/tp.b irqs) - $(es_sum /tmp/tp.a irqs)))
	_busy=$(($(es_sum /tmp/tp.b irq_busy) - $(es_sum /tmp/tp.a irq_busy)))
	_win=$(($(es_sum /tmp/tp.b windows) - $(es_sum /tmp/tp.a windows)))
	_secs=$(awk -v a="$_t0" -v b="$_t1" 'BEGIN { printf "%.2f", b - a }')
	if [ "$_lost" != 0 ] || [ "$_drops" != 0 ]; then
		_v=loss
	elif awk -v e="$_ev" -v r="$2" -v s="$_secs" -v p="$MIN_PCT" \
		'BEGIN { exit !(e * 100 < r * s * p) }'; then
		_v=short
	else
		_v=ok
	fi
	emit tp "rings=$1 rate=$2 secs=$_secs events=$_ev lost=$_lost dev_drops=$_drops dev_produced=$_prod irqs=$_irqs irq_busy=$_busy windows=$_win verdict=$_v kind=$3 dups=$_dups reorders=$_reord"
	[ "$_v" = ok ]
}

# search N: doubling, then bisection, at N active rings.
search() {
	_good=0
	_bad=0
	_r=$START
	while [ "$_r" -le "$MAX" ]; do
		if step "$1" "$_r" search; then
			_good=$_r
			_r=$((_r * 2))
		else
			_bad=$_r
			break
		fi
	done
	_i=0
	while [ "$_i" -lt "$BISECT" ] && [ "$_good" != 0 ] && [ "$_bad" != 0 ]; do
		_r=$(((_good + _bad) / 2))
		if step "$1" "$_r" search; then _good=$_r; else _bad=$_r; fi
		_i=$((_i + 1))
	done
	[ "$_good" = 0 ] || step "$1" "$_good" repeat
}

ip link set "$NETDEV" up
emit info "guest_kernel=$(uname -r) cpus=$(ncpus)"
emit info "phase=tput start=$START max=$MAX bisect=$BISECT settle=$SETTLE window=$WINDOW min_pct=$MIN_PCT knobs: $(knobs_state)"
for n in $RINGS_LIST; do
	host_req rate "$IDLE_RATE"
	ethtool -L "$NETDEV" combined "$n" ||
		{ emit error "ethtool -L combined $n failed"; continue; }
	sleep 1
	search "$n"
done

# latency: all rings, a fixed moderate rate, a fresh histogram
ethtool -L "$NETDEV" combined "$EVSTEER_RINGS"
set_rate "$LAT_RATE"
sleep 1
es_snap /tmp/lat.a
echo 1 >"$LAT"
_t0=$(uptime_s)
sleep "$LAT_SECS"
cat "$LAT" >/tmp/lat.txt
_t1=$(uptime_s)
es_snap /tmp/lat.b
read -r _line </tmp/lat.txt
emit lat "rate=$LAT_RATE secs=$(awk -v a="$_t0" -v b="$_t1" 'BEGIN { printf "%.2f", b - a }') events=$(dv /tmp/lat.a /tmp/lat.b events) lost=$(dv /tmp/lat.a /tmp/lat.b lost) $_line"
sed -n 's/^from_ns=/bench-latb from_ns=/p' /tmp/lat.txt
host_req pause
exit 0
