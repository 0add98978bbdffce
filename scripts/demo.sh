#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: build everything, boot the test VM with 4 vCPUs and a
# 4-ring device, load the module and show real frames steered to an
# application for EVSTEER_DEMO_SECONDS (default 24).  The device sends
# UDP frames of 64 zipf-skewed flows, each costing its lane busy time,
# so the lanes differ in load; our receiver (evsteer-rx) takes them on
# 198.18.0.2:9999 and spends busy time per datagram as an application
# would.  Once a second the guest prints a table row: per-CPU usage as
# the monitor measured it, the CPU of every lane, the lane moves of that
# second (each listed below its row), the frames the driver delivered,
# and the application's datagrams/s and hard IRQ -> socket latency (p50,
# p99) in that second; every 5 s the host prints the frames the device
# sent.  Halfway through, a real-time busy loop is pinned on the CPU of
# the busiest lane (the application is moved off that CPU), the lanes
# leave it, and the application's latency and rate before, during and
# after are summed up (tests/vm/demo/guest.sh tells why real-time).
#
# Then it plots per-CPU usage, lane placement and the application's
# latency over time to build/demo/monitor.png (gnuplot); the raw data is
# build/demo/monitor.dat (one row per monitor tick) and rx.dat (one row
# per receiver interval), the whole output build/demo/demo.log.
#
# Usage: scripts/demo.sh [extra scripts/vm.sh options]
# Env:   EVSTEER_DEMO_SECONDS, EVSTEER_DEMO_RATE (frames/s, default 2000),
#        EVSTEER_DEMO_SKEW (zipf skew, default 1.5), EVSTEER_DEMO_COST
#        (ns of lane busy time per frame, the device's --cost test knob,
#        default 40000; 0 for none), EVSTEER_DEMO_BUSY_NS (ns of
#        application CPU per datagram, evsteer-rx --busy-ns, default
#        20000), EVSTEER_DEMO_HOG (fifo, the default: the busy loop runs
#        SCHED_FIFO; normal: an ordinary one), EVSTEER_DEMO_BH (the
#        lanes' bh_mode; default the driver's, napi), EVSTEER_DEMO_MARGIN
#        (default 50), EVSTEER_DEMO_SMOOTHING (default 50)

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
D=$ROOT/tests/vm/demo
OUT=$ROOT/build/demo
SECS=${EVSTEER_DEMO_SECONDS:-24}
RATE=${EVSTEER_DEMO_RATE:-2000}
SKEW=${EVSTEER_DEMO_SKEW:-1.5}
COST=${EVSTEER_DEMO_COST:-40000}
BUSY_NS=${EVSTEER_DEMO_BUSY_NS:-20000}
HOG=${EVSTEER_DEMO_HOG:-fifo}
MARGIN=${EVSTEER_DEMO_MARGIN:-50}
SMOOTHING=${EVSTEER_DEMO_SMOOTHING:-50}
PLOT_TIMEOUT=60

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# plot: monitor.dat, rx.dat and the demo-hog and demo-clear lines of
# demo.log into monitor.png
plot() {
	local hog lanes ncpu nlanes hot hog_t hog_cpu hot_name clear

	sed -n 's/^demo-data //p' "$OUT/demo.log" >"$OUT/monitor.dat"
	sed -n 's/^demo-rx //p' "$OUT/demo.log" >"$OUT/rx.dat"
	hog=$(sed -n 's/^demo-hog //p' "$OUT/demo.log" | tail -n 1)
	lanes=$(sed -n 's/^demo-lanes //p' "$OUT/demo.log" | tail -n 1)
	clear=$(sed -n 's/^demo-clear //p' "$OUT/demo.log" | tail -n 1)
	if [ ! -s "$OUT/monitor.dat" ] || [ -z "$hog" ] || [ -z "$lanes" ]; then
		echo "demo: no monitor data to plot"
		return 1
	fi
	if ! command -v gnuplot >/dev/null; then
		echo "demo: gnuplot is not installed (scripts/deps.sh): no plot"
		return 1
	fi
	read -r hog_t hog_cpu hot_name <<<"$hog"
	ncpu=$(awk '{ print NF - 1; exit }' "$OUT/monitor.dat")
	nlanes=$(wc -w <<<"$lanes")
	ncpu=$((ncpu - nlanes))
	hot=$(tr ' ' '\n' <<<"$lanes" | grep -nx "$hot_name" | cut -d: -f1)
	timeout "$PLOT_TIMEOUT" gnuplot \
		-e "datafile='$OUT/monitor.dat'; rxfile='$OUT/rx.dat'; out='$OUT/monitor.png'" \
		-e "ncpu=$ncpu; nlanes=$nlanes; lanenames='$lanes'" \
		-e "hot=$((${hot:-0} - 1)); hog_t=$hog_t; hog_cpu=$hog_cpu; clear_t=${clear:--1}" \
		-e "hog_what='$HOG_WHAT'; have_rx=$([ -s "$OUT/rx.dat" ] && echo 1 || echo 0)" \
		-e "title_extra='$RATE frames/s, zipf $SKEW, lane cost $COST ns per frame, application $BUSY_NS ns per datagram, margin $MARGIN %, smoothing $SMOOTHING %'" \
		"$D/monitor.gp"
	echo "demo: plot in ${OUT#"$ROOT"/}/monitor.png (data: monitor.dat, rx.dat)"
}

# the real-time hog needs chrt (util-linux) in the guest
GUEST_BINS=()
HOG_WHAT="busy loop"
if [ "$HOG" = fifo ]; then
	if command -v chrt >/dev/null; then
		GUEST_BINS=(--guest-bin "$(command -v chrt)")
		HOG_WHAT="real-time busy loop"
	else
		echo "demo: no chrt on this host: the busy loop will not be real-time"
	fi
fi

t0=$(date +%s.%N)
"$ROOT/scripts/vm.sh" --build-only
mkdir -p "$OUT"
export EVSTEER_DEMO_SECONDS=$SECS
rc=0
# the demo-* lines are data for the plot, not for the screen
EVSTEER_NO_BUILD=1 "$ROOT/scripts/vm.sh" --smp 4 --rings 4 \
	--device-opt "--rate $RATE --flows 64 --zipf $SKEW --cost $COST --ring-size 4096" \
	--timeout $((SECS * 2 + 60)) \
	--no-up "${GUEST_BINS[@]}" \
	--guest-file "$ROOT/tests/vm/guest/lib.sh" \
	--guest-file "$ROOT/tests/vm/guest/dp_lib.sh" \
	--guest-file "$ROOT/tests/vm/guest/mon_lib.sh" \
	--guest-env "EVSTEER_DEMO_SECONDS=$SECS" \
	--guest-env "EVSTEER_DEMO_BUSY_NS=$BUSY_NS" \
	--guest-env "EVSTEER_DEMO_HOG=$HOG" \
	--guest-env "EVSTEER_DEMO_BH=${EVSTEER_DEMO_BH:-}" \
	--guest-env "EVSTEER_DEMO_MARGIN=$MARGIN" \
	--guest-env "EVSTEER_DEMO_SMOOTHING=$SMOOTHING" \
	--guest-script "$D/guest.sh" --host-script "$D/host.sh" "$@" 2>&1 |
	tee "$OUT/demo.log" | grep --line-buffered -v '^demo-' || rc=${PIPESTATUS[0]}
if ! plot && [ "$rc" = 0 ]; then
	rc=1
fi
echo "demo: finished in $(elapsed "$t0") s (exit $rc)"
exit "$rc"
