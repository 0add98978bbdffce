#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo, host side (run by scripts/vm.sh --host-script): every
# EVERY (5) seconds, the device's production rate per ring and its drops,
# from evsteer-ctl stats; the guest's table is the main show.
# Env from vm.sh: EVSTEER_CTL, EVSTEER_CTL_BIN, EVSTEER_RUN_DIR, EVSTEER_RINGS.

set -uo pipefail

secs=${EVSTEER_DEMO_SECONDS:-24}
EVERY=5
ctl() { timeout 5 "$EVSTEER_CTL_BIN" "$EVSTEER_CTL" "$@"; }

# "ring produced dropped" per ring, from the stats JSON line
ring_counts() {
	grep -o '"ring":[0-9]*,"produced":[0-9]*,"dropped":[0-9]*' |
		tr -c '0-9\n' ' ' | awk '{ print $1, $2, $3 }'
}

# rates PREV CUR DT
rates() {
	awk -v dt="$3" -v t="$4" -v admin="${EVSTEER_RINGS:-4}" '
		FNR == NR { p[$1] = $2; d[$1] = $3; next }
		{ name = $1 == admin ? "admin" : "ring" $1
		  line = line sprintf(" %s %6d/s", name, ($2 - p[$1]) / dt)
		  drop += $3 - d[$1] }
		END { printf "device t=%2ds produced:%s  dropped %d\n", t, line, drop }
	' "$1" "$2"
}

dir=$EVSTEER_RUN_DIR/demo-host
mkdir -p "$dir"
ctl stats | ring_counts >"$dir/prev"
last=$(date +%s.%N)
for ((t = EVERY; t <= secs; t += EVERY)); do
	sleep "$EVERY"
	ctl stats | ring_counts >"$dir/cur" || continue
	now=$(date +%s.%N)
	rates "$dir/prev" "$dir/cur" "$(awk -v a="$last" -v b="$now" 'BEGIN { print b - a }')" "$t"
	mv "$dir/cur" "$dir/prev"
	last=$now
done
