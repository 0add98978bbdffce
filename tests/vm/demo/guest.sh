# SPDX-License-Identifier: GPL-2.0
#
# make demo, guest side: once a second, the interrupt rate of every
# evsteer vector on every CPU (from /proc/interrupts) and the entries the
# driver consumed per ring (from debugfs), for EVSTEER_DEMO_SECONDS.

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=../guest/lib.sh
. ./lib.sh

secs=${EVSTEER_DEMO_SECONDS:-20}

snapshot() {
	cut -d' ' -f1 /proc/uptime | sed 's/^/uptime /'
	grep "$DEV-" /proc/interrupts
	cat "$DBG/stats"
}

# rates PREV CUR T: print the table of per-second rates between two snapshots
rates() {
	awk -v t="$3" -v c="$(ncpus)" '
	function parse(f,    i, name, n) {
		if ($1 == "uptime") { up[f] = $2; return }
		if ($1 ~ /^ring=/) {
			for (i = 1; i <= NF; i++) {
				split($i, kv, "=")
				if (kv[1] == "name") name = kv[2]
				if (kv[1] == "events") n = kv[2]
			}
			ev[f, name] = n
			return
		}
		name = $NF
		names[name] = 1
		for (i = 1; i <= c; i++) irq[f, name, i] = $(i + 1)
	}
	FNR == NR { parse(0); next }
	{ parse(1) }
	END {
		dt = up[1] - up[0]
		if (dt <= 0) dt = 1
		printf "guest t=%2ds  irq/s by CPU:", t
		for (i = 1; i <= c; i++) printf " %7s", "CPU" i - 1
		printf "   consumed/s\n"
		n = 0
		for (name in names) order[n++] = name
		for (a = 0; a < n; a++)		# sort: ring0, ring1, ..., admin
			for (b = a + 1; b < n; b++)
				if (key(order[b]) < key(order[a])) { x = order[a]; order[a] = order[b]; order[b] = x }
		for (a = 0; a < n; a++) {
			name = order[a]
			printf "  %-22s", name
			for (i = 1; i <= c; i++)
				printf " %7d", (irq[1, name, i] - irq[0, name, i]) / dt
			printf "   %10d\n", (ev[1, name] - ev[0, name]) / dt
		}
	}
	function key(s,    r) {
		if (s ~ /admin$/) return 1000000
		r = s; sub(/.*ring/, "", r); return r + 0
	}' "$1" "$2"
}

if ! bound; then
	echo "the driver is not bound; kernel log:"
	dmesg | grep -i evsteer
	exit 1
fi
cat "$DBG/info"
snapshot >/tmp/prev
t=1
while [ "$t" -le "$secs" ]; do
	sleep 1
	snapshot >/tmp/cur
	rates /tmp/prev /tmp/cur "$t"
	mv /tmp/cur /tmp/prev
	t=$((t + 1))
done
echo "guest totals:"
sed 's/^/  /' "$DBG/stats"
check_dmesg
exit "$FAILED"
