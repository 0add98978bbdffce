#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo, host side (run by scripts/vm.sh --host-script): every
# EVERY (5) seconds, the frames the device sent per ring and the ones it
# dropped on a full ring, from evsteer-ctl stats; the guest's table is
# the main show.
# Env from vm.sh: EVSTEER_CTL, EVSTEER_CTL_BIN, EVSTEER_RUN_DIR, EVSTEER_RINGS.

set -uo pipefail

secs=${EVSTEER_DEMO_SECONDS:-24}
EVERY=5
ctl() { timeout 5 "$EVSTEER_CTL_BIN" "$EVSTEER_CTL" "$@"; }

# "ring frames dropped" per ring, from the stats JSON line's "rings" array
ring_counts() {
	sed -n 's/.*"rings":\[\([^]]*\)\].*/\1/p' | tr '}' '\n' | awk '
		match($0, /"ring":[0-9]+/) {
			r = substr($0, RSTART + 7, RLENGTH - 7)
			f = d = 0
			if (match($0, /"frames":[0-9]+/)) f = substr($0, RSTART + 9, RLENGTH - 9)
			if (match($0, /"dropped":[0-9]+/)) d = substr($0, RSTART + 10, RLENGTH - 10)
			print r, f, d
		}'
}

# rates PREV CUR DT
rates() {
	awk -v dt="$3" -v admin="${EVSTEER_RINGS:-4}" '
		FNR == NR { p[$1] = $2; d[$1] = $3; next }
		$1 != admin { line = line sprintf(" ring%s %5d/s", $1, ($2 - p[$1]) / dt)
		  all += $2 - p[$1] }
		{ drop += $3 - d[$1] }
		END { printf "device, the last %d s: frames sent%s  (%d/s), dropped on full rings %d\n",
			dt + 0.5, line, all / dt, drop }
	' "$1" "$2"
}

dir=$EVSTEER_RUN_DIR/demo-host
mkdir -p "$dir"
ctl stats | ring_counts >"$dir/prev"
last=$(date +%s.%N)
for ((t = EVERY; t <= secs + EVERY; t += EVERY)); do
	sleep "$EVERY"
	ctl stats | ring_counts >"$dir/cur" || continue
	[ -s "$dir/cur" ] || continue
	now=$(date +%s.%N)
	rates "$dir/prev" "$dir/cur" "$(awk -v a="$last" -v b="$now" 'BEGIN { print b - a }')"
	mv "$dir/cur" "$dir/prev"
	last=$now
done
