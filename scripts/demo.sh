#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: build everything, boot the test VM with 4 vCPUs and a
# 4-ring device, load the module and show the load monitor at work for
# EVSTEER_DEMO_SECONDS (default 24).  The traffic is skewed (zipf flows)
# and every event costs busy time, so the lanes differ in load.  Once a
# second the guest prints a table row: per-CPU usage as the monitor
# measured it, the CPU of every lane, the lane moves of that second
# (each listed below its row) and the events consumed; every 5 s the
# host prints the device's production.  Halfway through, a busy loop is
# pinned on the CPU of the busiest lane, and the lane leaves it.
#
# Then it plots per-CPU usage and lane placement over time, one point
# per monitor tick, to build/demo/monitor.png (gnuplot); the raw data
# is build/demo/monitor.dat and the whole output build/demo/demo.log.
#
# Usage: scripts/demo.sh [extra scripts/vm.sh options]
# Env:   EVSTEER_DEMO_SECONDS, EVSTEER_DEMO_RATE (events/s, default 4000),
#        EVSTEER_DEMO_SKEW (zipf skew, default 1.5), EVSTEER_DEMO_COST
#        (ns of busy time per event, default 40000), EVSTEER_DEMO_MARGIN
#        (default 50), EVSTEER_DEMO_SMOOTHING (default 50)

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
D=$ROOT/tests/vm/demo
OUT=$ROOT/build/demo
SECS=${EVSTEER_DEMO_SECONDS:-24}
RATE=${EVSTEER_DEMO_RATE:-4000}
SKEW=${EVSTEER_DEMO_SKEW:-1.5}
COST=${EVSTEER_DEMO_COST:-40000}
MARGIN=${EVSTEER_DEMO_MARGIN:-50}
SMOOTHING=${EVSTEER_DEMO_SMOOTHING:-50}
PLOT_TIMEOUT=60

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# plot: monitor.dat and the demo-hog line of demo.log into monitor.png
plot() {
	local hog lanes ncpu nlanes hot hog_t hog_cpu hot_name

	sed -n 's/^demo-data //p' "$OUT/demo.log" >"$OUT/monitor.dat"
	hog=$(sed -n 's/^demo-hog //p' "$OUT/demo.log" | tail -n 1)
	lanes=$(sed -n 's/^demo-lanes //p' "$OUT/demo.log" | tail -n 1)
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
		-e "datafile='$OUT/monitor.dat'; out='$OUT/monitor.png'" \
		-e "ncpu=$ncpu; nlanes=$nlanes; lanenames='$lanes'" \
		-e "hot=$((${hot:-0} - 1)); hog_t=$hog_t; hog_cpu=$hog_cpu" \
		-e "title_extra='$RATE events/s, zipf $SKEW, $COST ns per event, margin $MARGIN %, smoothing $SMOOTHING %'" \
		"$D/monitor.gp"
	echo "demo: plot in ${OUT#"$ROOT"/}/monitor.png (data: monitor.dat)"
}

t0=$(date +%s.%N)
"$ROOT/scripts/vm.sh" --build-only
mkdir -p "$OUT"
export EVSTEER_DEMO_SECONDS=$SECS
rc=0
# the demo-* lines are data for the plot, not for the screen
EVSTEER_NO_BUILD=1 "$ROOT/scripts/vm.sh" --smp 4 --rings 4 \
	--device-opt "--rate $RATE --flows 64 --zipf $SKEW --cost $COST --ring-size 4096" \
	--timeout $((SECS * 2 + 60)) \
	--guest-file "$ROOT/tests/vm/guest/lib.sh" \
	--guest-file "$ROOT/tests/vm/guest/mon_lib.sh" \
	--guest-env "EVSTEER_DEMO_SECONDS=$SECS" \
	--guest-env "EVSTEER_DEMO_MARGIN=$MARGIN" \
	--guest-env "EVSTEER_DEMO_SMOOTHING=$SMOOTHING" \
	--guest-script "$D/guest.sh" --host-script "$D/host.sh" "$@" 2>&1 |
	tee "$OUT/demo.log" | grep --line-buffered -v '^demo-' || rc=${PIPESTATUS[0]}
if ! plot && [ "$rc" = 0 ]; then
	rc=1
fi
echo "demo: finished in $(elapsed "$t0") s (exit $rc)"
exit "$rc"
