#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo, host side (run by scripts/vm.sh --host-script): once a
# second, the device's production rate per ring, from evsteer-ctl stats.
# Halfway through it skews the traffic (zipf EVSTEER_DEMO_SKEW), so a few
# hot flows, and the rings their processors map to, carry most of it.
# Env from vm.sh: EVSTEER_CTL, EVSTEER_CTL_BIN, EVSTEER_RUN_DIR, EVSTEER_RINGS.

set -uo pipefail

secs=${EVSTEER_DEMO_SECONDS:-20}
skew=${EVSTEER_DEMO_SKEW:-1.5}
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
for ((t = 1; t <= secs; t++)); do
	sleep 1
	if [ "$t" = $((secs / 2 + 1)) ]; then
		echo "device: skewing the traffic (zipf $skew): $(ctl skew "$skew")"
	fi
	ctl stats | ring_counts >"$dir/cur" || continue
	now=$(date +%s.%N)
	rates "$dir/prev" "$dir/cur" "$(awk -v a="$last" -v b="$now" 'BEGIN { print b - a }')" "$t"
	mv "$dir/cur" "$dir/prev"
	last=$now
done
echo "device totals: $(ctl stats | ring_counts |
	awk -v admin="${EVSTEER_RINGS:-4}" '{ printf "%s %d  ", $1 == admin ? "admin" : "ring" $1, $2 }')"
