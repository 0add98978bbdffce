# SPDX-License-Identifier: GPL-2.0
#
# In-VM benchmark: a CPU hog on the busiest lane's CPU, under traffic
# whose events cost busy time (the device's --cost), so that every lane
# carries load.  Reports, asserts nothing.
#
# BENCH_HOG_MODE=evsteer     policy lowest-margin: the load monitor
#                            moves the lanes off the hogged CPU
# BENCH_HOG_MODE=irqbalance  policy static (lanes never move), and
#                            Debian's irqbalance daemon runs in the
#                            guest (arguments BENCH_IRQB_ARGS), started
#                            with the sampling so that its first pass
#                            (after its 10 s interval) is seen and done
#                            before the hog: it moves IRQ affinities,
#                            hence where the hard IRQ runs, not the lanes
#
# The module is loaded here (vm.sh --no-load) and the policy set right
# after, before evs0 comes up (sh "$EVSTEER_NETUP") and the device
# produces, so that with "static" the lanes stay where the driver puts
# them (ring i's on the CPU of ring i's vector).  The device's UDP
# frames have no listener here: the stack drops them (UDP NoPorts) in
# the lanes' softirqs, which is part of the lanes' load.
#
# Timeline: insmod, knobs, traffic reaches every lane, the sampler's
# cost is measured (BENCH_COST_S without it, then with it), tracing
# (evsteer_migrate) and sampling (every BENCH_SAMPLE_S: per-CPU
# /proc/stat, the monitor's usage and lane placement, the vectors'
# affinities and per-CPU counts) start, [irqbalance starts],
# BENCH_SETTLE_S pass; then BENCH_HOG_ROUNDS rounds: the hog starts on
# the CPU of the lane with the highest load (it writes the trace marker
# bench-hog-start-K from that CPU), runs BENCH_HOG_S, stops (marker
# bench-hog-end-K), and BENCH_GAP_S pass; then sampling and tracing
# stop.
#
# Output lines (tests/vm/bench/run.sh reads them):
#   bench-info ...                   mode, knobs, timeline
#   bench-sampler ...                what sampling costs (bench_lib.sh)
#   bench-place round=K ring=R lane=L cpu=C   placement right after the
#                                    trace marker bench-place-K
#   bench-hog round=K cpu=C ring=R lane=L t=UPTIME
#   bench-hogend round=K t=UPTIME
#   bench-sample ...                 see bench_lib.sh: sample
#   bench-trace SECONDS marker NAME | migrate k=v ...
#   bench-es when=start|end NAME=VALUE ...   ethtool -S counters
#   bench-irqb status=... / bench-irqblog LINE   irqbalance, its log

# shellcheck shell=sh disable=SC2317 # functions run through wait_s
# shellcheck source=../guest/lib.sh
. ./lib.sh
# shellcheck source=../guest/dp_lib.sh
. ./dp_lib.sh
# shellcheck source=bench_lib.sh
. ./bench_lib.sh

MODE=${BENCH_HOG_MODE:-evsteer}
MARGIN=${BENCH_MARGIN:-50}
INTERVAL=${BENCH_INTERVAL_MS:-100}
SAMPLE_S=${BENCH_SAMPLE_S:-0.2}
SETTLE_S=${BENCH_SETTLE_S:-5}
HOG_S=${BENCH_HOG_S:-6}
GAP_S=${BENCH_GAP_S:-4}
COST_S=${BENCH_COST_S:-3}	# sampler's cost: usage without it, then with it
ROUNDS=${BENCH_HOG_ROUNDS:-3}
IRQB_ARGS=${BENCH_IRQB_ARGS:---foreground --debug}
IRQB_LOG_LINES=400	# at most this many lines of its log come back (bench_lib.sh)

# lanes_busy: every data lane in use has some load of its own
lanes_busy() {
	[ "$(mon_lanes | awk '$4 == 0 { z++ } END { print (NR > 0 && z == 0) }')" = 1 ]
}

# es_line WHEN: the counters that matter here, on one line
es_line() {
	es_snap /tmp/es.hog || return
	emit es "when=$1 $(grep -E '^(events|lost|dups|reorders|dev_drops|dev_produced|monitor_ticks|migrations|ring[0-9]+_lane[0-9]+_migrations) ' /tmp/es.hog | tr ' ' '=' | tr '\n' ' ')"
}

# irqb_start, irqb_stop: bench_lib.sh's (IRQB_LOG_LINES lines of its log)

if [ "$EVSTEER_LOAD" = 0 ]; then
	insmod "$EVSTEER_KO" || { emit error "insmod failed"; exit 1; }
	KD=$(knob_dir)
fi
if [ "$MODE" = irqbalance ]; then
	set_knob policy static
else
	set_knob policy lowest-margin
fi
set_knob margin "$MARGIN"
set_knob interval_ms "$INTERVAL"
set_knob smoothing 0
# evs0 up only now: the device produces only while it is up, and the
# lanes must not carry load (and move) before the policy is set
if [ "$EVSTEER_LOAD" = 0 ]; then
	sh "$EVSTEER_NETUP" || { emit error "evs0 did not come up"; exit 1; }
fi
ip link set "$NETDEV" up
emit info "guest_kernel=$(uname -r) cpus=$(ncpus)"
emit info "mode=$MODE sample_s=$SAMPLE_S settle_s=$SETTLE_S hog_s=$HOG_S gap_s=$GAP_S rounds=$ROUNDS knobs: $(knobs_state)"
wait_s 20 lanes_busy || emit error "not every lane had load after 20 s"
sampler_cost "$SAMPLE_S" "$COST_S"
es_line start
trace_start evsteer_migrate
sampler_start "$SAMPLE_S"
if [ "$MODE" = irqbalance ]; then
	# shellcheck disable=SC2086 # the arguments are meant to split
	irqb_start $IRQB_ARGS
fi
sleep "$SETTLE_S"

k=1
while [ "$k" -le "$ROUNDS" ]; do
	busiest_lane >/tmp/hog.busiest
	read -r ring lane cpu </tmp/hog.busiest
	# the marker first: a move between it and the read is seen twice,
	# which does no harm (run.sh sets a lane's CPU, it does not count)
	trace_mark "bench-place-$k"
	mon_lanes | while read -r r l c _load; do
		emit place "round=$k ring=$r lane=$l cpu=$c"
	done
	emit hog "round=$k cpu=$cpu ring=$ring lane=$lane t=$(uptime_s)"
	hog_start "$cpu" "bench-hog-start-$k"
	sleep "$HOG_S"
	trace_mark "bench-hog-end-$k"
	emit hogend "round=$k t=$(uptime_s)"
	hog_stop
	sleep "$GAP_S"
	k=$((k + 1))
done
sampler_stop
trace_stop
es_line end
irqb_stop
exit 0
