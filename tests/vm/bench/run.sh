#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The in-VM part of `make bench` (scripts/bench.sh runs it from
# vm_bench): boots the test VM through scripts/vm.sh with the real
# driver and device, runs the benchmarks of tests/vm/bench/ in it and
# writes their figures.  Reports, asserts nothing; every run is bounded
# (vm.sh --timeout, and timeout around it) and vm.sh stops what it
# started by pid.
#
#   tput             highest event rate with nothing lost at 1, 2, 4
#                    rings, interrupts per event; then the window ->
#                    lane start latency at a fixed rate (tput.sh)
#   hog_<scenario>   a CPU hog on the busiest lane's CPU (hog.sh):
#                    evsteer-m20  policy lowest-margin, margin 20 (the
#                                 driver's default), 3 rounds
#                    evsteer-m50  the same, margin 50 (the mon_hog
#                                 scenario's choice against TCG noise)
#                    irqbalance   policy static, Debian's irqbalance
#                                 daemon in the guest, 36 s of hog
#                    irqbalance-core  the same, irqbalance told to balance
#                                 every IRQ at core level (irqb_core.sh)
#
# Usage: tests/vm/bench/run.sh --out DIR [--quick] [--parse-only]
#   --quick       one ring count, one evsteer round, 12 s of hog with
#                 irqbalance
#   --parse-only  no VM: make the figures, tables and charts again from
#                 the console logs already in DIR/vm
# Writes into DIR: vm.json (the "vm" object of results.json), vm.md (its
# Markdown), vm_status (ok, partial: reason, or skipped: reason),
# hog_<scenario>.png, and vm/ (console logs, parsed data).
# Env: EVSTEER_CACHE (build/cache): where irqbalance's .deb is kept.

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
VM=$ROOT/scripts/vm.sh
G=$ROOT/tests/vm/guest
B=$ROOT/tests/vm/bench
CACHE=${EVSTEER_CACHE:-$ROOT/build/cache}
OUT=
QUICK=0
PARSE_ONLY=0

SMP=4
RINGS=4
TP_DEVICE="--ring-size 4096 --rate 1000 --flows 1024"
HOG_DEVICE="--ring-size 4096 --rate 4000 --flows 1024 --cost 100000"
HOG_SCENARIOS=(evsteer-m20 evsteer-m50 irqbalance irqbalance-core)
IRQB_HOG_S=36		# >= 3 irqbalance intervals (10 s) of hog
IRQB_SETTLE_S=12	# irqbalance's first pass (after 10 s) before the hog
EVS_ROUNDS=3
FETCH_TIMEOUT=300
TARGET_INTERVALS=2	# the target: relieved within 2 monitor intervals

log() { echo "bench-vm: $*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

json_str() {
	printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g' |
			 tr -d '\000-\037')"
}

while [ $# -gt 0 ]; do
	case $1 in
	--out) OUT=$2; shift ;;
	--quick) QUICK=1 ;;
	--parse-only) PARSE_ONLY=1 ;;
	-h|--help) sed -n '/^# Usage:/,/^# Env:/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "usage: $0 --out DIR [--quick] [--parse-only]" >&2; exit 2 ;;
	esac
	shift
done
[ -n "$OUT" ] || { echo "usage: $0 --out DIR [--quick] [--parse-only]" >&2; exit 2; }
mkdir -p "$OUT/vm" || exit 1
OUT=$(cd "$OUT" && pwd)
V=$OUT/vm

TP_ENV=()
EVS_HOG_S=6
if [ "$QUICK" = 1 ]; then
	TP_ENV=(--guest-env "BENCH_TP_RINGS=4" --guest-env "BENCH_TP_BISECT=1")
	EVS_ROUNDS=1
	IRQB_HOG_S=12
	HOG_SCENARIOS=(evsteer-m20 irqbalance)
fi

# ---- prerequisites ------------------------------------------------------------

missing_tool() {
	local t

	for t in qemu-system-x86_64 busybox cpio ethtool gzip; do
		command -v "$t" >/dev/null || { echo "$t"; return; }
	done
}

# fetch_irqbalance: Debian's irqbalance package downloaded once into
# $CACHE/irqbalance (apt-get download, never installed) and unpacked
# there; sets IRQB_BIN and IRQB_VERSION, or IRQB_REASON.
fetch_irqbalance() {
	local dir=$CACHE/irqbalance deb='' f tmp root missing

	IRQB_BIN='' IRQB_VERSION='' IRQB_REASON=''
	mkdir -p "$dir"
	for f in "$dir"/irqbalance_*.deb; do
		[ -f "$f" ] && deb=$f
	done
	if [ -z "$deb" ]; then
		log "downloading Debian's irqbalance (apt-get download, once)"
		tmp=$(mktemp -d "$dir/.fetch.XXXXXX")
		chown _apt "$tmp" 2>/dev/null || true
		if ! (cd "$tmp" && timeout "$FETCH_TIMEOUT" apt-get download -q irqbalance) \
			>"$V/irqbalance-fetch.log" 2>&1; then
			IRQB_REASON="apt-get download irqbalance failed: $(tail -n 1 "$V/irqbalance-fetch.log")"
			rm -rf "$tmp"
			return 1
		fi
		for f in "$tmp"/irqbalance_*.deb; do
			[ -f "$f" ] && mv "$f" "$dir/" && deb=$dir/${f##*/}
		done
		rm -rf "$tmp"
	fi
	if [ -z "$deb" ]; then
		IRQB_REASON="apt-get download irqbalance left no .deb"
		return 1
	fi
	IRQB_VERSION=$(dpkg-deb -f "$deb" Version 2>/dev/null)
	root=$dir/root-$IRQB_VERSION
	if [ ! -x "$root/usr/sbin/irqbalance" ] &&
	   ! timeout "$FETCH_TIMEOUT" dpkg-deb -x "$deb" "$root"; then
		IRQB_REASON="dpkg-deb -x $deb failed"
		return 1
	fi
	missing=$(ldd "$root/usr/sbin/irqbalance" 2>&1 | awk '/not found/ { printf "%s ", $1 }')
	if [ -n "$missing" ]; then
		IRQB_REASON="shared libraries of irqbalance not on the host (vm.sh copies the host's): ${missing% }"
		return 1
	fi
	IRQB_BIN=$root/usr/sbin/irqbalance
}

# ---- runs -------------------------------------------------------------------------

RUNS_JSON=()
# vm_run NAME TIMEOUT VM_ARGS...: one boot; console output into vm/NAME.log
vm_run() {
	local name=$1 limit=$2 t0 rc

	shift 2
	log "$name: booting (bounded by $limit s)"
	t0=$(now)
	EVSTEER_NO_BUILD=1 timeout -k 10 $((limit + 30)) "$VM" --smp "$SMP" \
		--rings "$RINGS" --timeout "$limit" \
		--guest-file "$G/lib.sh" --guest-file "$G/dp_lib.sh" \
		--guest-file "$B/bench_lib.sh" "$@" >"$V/$name.log" 2>&1
	rc=$?
	RUN_WALL=$(elapsed "$t0")
	log "$name: exit $rc after $RUN_WALL s"
	RUNS_JSON+=("{\"name\": \"$name\", \"exit\": $rc, \"wall_s\": $RUN_WALL, \"log\": \"vm/$name.log\"}")
	return $rc
}

run_tput() {
	vm_run tput 420 --device-opt "$TP_DEVICE" \
		--host-script "$ROOT/tests/vm/host/dp_ctl.sh" "${TP_ENV[@]}" \
		--guest-script "$B/tput.sh"
}

# run_hog SCENARIO
run_hog() {
	local sc=$1 args=(--no-load --device-opt "$HOG_DEVICE" --guest-script "$B/hog.sh")

	case $sc in
	evsteer-m*)
		args+=(--guest-env BENCH_HOG_MODE=evsteer
		       --guest-env "BENCH_MARGIN=${sc#evsteer-m}"
		       --guest-env "BENCH_HOG_ROUNDS=$EVS_ROUNDS"
		       --guest-env "BENCH_HOG_S=$EVS_HOG_S")
		vm_run "hog_$sc" 150 "${args[@]}"
		;;
	irqbalance*)
		if [ -z "$IRQB_BIN" ]; then
			log "hog_$sc: not run: $IRQB_REASON"
			return 1
		fi
		args+=(--guest-bin "$IRQB_BIN" --guest-env BENCH_HOG_MODE=irqbalance
		       --guest-env BENCH_HOG_ROUNDS=1
		       --guest-env "BENCH_SETTLE_S=$IRQB_SETTLE_S"
		       --guest-env "BENCH_HOG_S=$IRQB_HOG_S" --guest-env BENCH_GAP_S=2)
		if [ "$sc" = irqbalance-core ]; then
			args+=(--guest-file "$B/irqb_core.sh"
			       --guest-env "BENCH_IRQB_ARGS=--foreground --debug --policyscript=/scenario/irqb_core.sh")
		fi
		vm_run "hog_$sc" 200 "${args[@]}"
		;;
	esac
}

# ---- throughput and latency: parse ----------------------------------------------

# bench_lines LOG WHAT: the "bench-WHAT ..." lines of a console log
bench_lines() {
	grep -o "bench-$2 .*" "$1" | tr -d '\r'
}

# tput_parse: vm/tput_steps.tsv (every step) and vm/tput.tsv (per ring
# count: the highest clean rate of the search and its figures, the first
# failure above it, the search's steps, the verdict of the repeat)
tput_parse() {
	bench_lines "$V/tput.log" tp | awk '
	{ delete a; for (i = 2; i <= NF; i++) { p = index($i, "="); a[substr($i, 1, p - 1)] = substr($i, p + 1) } }
	{ printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a["rings"], a["rate"],
		 a["secs"], a["events"], a["lost"], a["dev_drops"], a["dev_produced"],
		 a["irqs"], a["irq_busy"], a["windows"], a["verdict"], a["kind"],
		 ("dups" in a) ? a["dups"] : "null", ("reorders" in a) ? a["reorders"] : "null" }' \
		>"$V/tput_steps.tsv"
	awk -F'\t' '
	!($1 in order) { order[$1] = ++nr; ring[nr] = $1; rep[$1] = "not-run" }
	$12 == "repeat" { rep[$1] = $11; next }
	{ n[$1]++ }
	$11 == "ok" && $2 + 0 > best[$1] + 0 {
		best[$1] = $2; eps[$1] = $4 / $3; ipe[$1] = $4 ? $8 / $4 : 0
		wpe[$1] = $4 ? $10 / $4 : 0; ips[$1] = $8 / $3
	}
	{ rate[$1, n[$1]] = $2; verdict[$1, n[$1]] = $11 }
	END {
		for (i = 1; i <= nr; i++) {
			r = ring[i]; fail = "none"; fv = "-"
			for (j = 1; j <= n[r]; j++)
				if (verdict[r, j] != "ok" && rate[r, j] + 0 > best[r] + 0 &&
				    (fail == "none" || rate[r, j] + 0 < fail + 0)) {
					fail = rate[r, j]; fv = verdict[r, j]
				}
			printf "%s\t%s\t%.0f\t%.5f\t%.0f\t%.5f\t%s\t%s\t%d\t%s\n", r,
			       best[r] == "" ? 0 : best[r], eps[r], ipe[r], ips[r],
			       wpe[r], fail, fv, n[r], rep[r]
		}
	}' "$V/tput_steps.tsv" >"$V/tput.tsv"
}

# kv_of LINE KEY: a value of a "k=v ..." line
kv_of() {
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}

tput_json() {
	local info

	info=$(bench_lines "$V/tput.log" info | grep -m 1 'phase=tput')
	printf '{"status": "ok", "rings_note": "4 rings and 4 vCPUs; 1 and 2 rings are ethtool -L combined 1 and 2", '
	printf '"device": %s, "event_cost_ns": 0, ' "$(json_str "$TP_DEVICE (rate set per step)")"
	printf '"start_rate": %s, "bisect_steps": %s, "settle_s": %s, "window_s": %s, ' \
		"$(kv_of "$info" start)" "$(kv_of "$info" bisect)" \
		"$(kv_of "$info" settle)" "$(kv_of "$info" window)"
	printf '"clean": "lost = 0 and dev_drops = 0 over the window, and the driver consumed at least %s %% of the rate asked", ' \
		"$(kv_of "$info" min_pct)"
	printf '"by_rings": [\n'
	awk -F'\t' '{ printf "%s    {\"rings\": %s, \"max_clean_rate\": %s, \"events_per_s\": %s, \"irqs_per_event\": %s, \"irqs_per_s\": %s, \"windows_per_event\": %s, \"first_failed_rate\": %s, \"first_failed_verdict\": \"%s\", \"search_steps\": %s, \"repeat_at_max_verdict\": \"%s\"}",
		(NR > 1 ? ",\n" : ""), $1, $2, $3, $4, $5, $6,
		($7 == "none" ? "null" : $7), $8, $9, $10 } END { print "" }' "$V/tput.tsv"
	printf '   ],\n   "steps": [\n'
	awk -F'\t' '{ printf "%s    {\"rings\": %s, \"rate\": %s, \"secs\": %s, \"events\": %s, \"lost\": %s, \"dev_drops\": %s, \"dev_produced\": %s, \"irqs\": %s, \"irq_busy\": %s, \"windows\": %s, \"verdict\": \"%s\", \"kind\": \"%s\", \"dups\": %s, \"reorders\": %s}",
		(NR > 1 ? ",\n" : ""), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14 }
		END { print "" }' "$V/tput_steps.tsv"
	printf '   ]}'
}

lat_json() {
	local lat

	lat=$(bench_lines "$V/tput.log" lat | head -n 1)
	if [ -z "$lat" ]; then
		printf '{"status": "failed", "reason": "no bench-lat line in vm/tput.log", "results": null}'
		return
	fi
	printf '{"status": "ok", "what": "window taken in the hard IRQ -> each of its lanes starting (debugfs latency, reset before the window); a percentile is its log-linear bucket lower bound (within 19 %%)", "rings": %s, "rate": %s, "secs": %s, "events": %s, "lost": %s, "samples": %s, "p50_ns": %s, "p99_ns": %s, "buckets": [%s]}' \
		"$RINGS" "$(kv_of "$lat" rate)" "$(kv_of "$lat" secs)" \
		"$(kv_of "$lat" events)" "$(kv_of "$lat" lost)" \
		"$(kv_of "$lat" samples)" "$(kv_of "$lat" p50_ns)" \
		"$(kv_of "$lat" p99_ns)" \
		"$(bench_lines "$V/tput.log" latb | sed 's/.*from_ns=\([0-9]*\) count=\([0-9]*\).*/[\1, \2]/' | paste -sd, - | sed 's/,/, /g')"
}

# ---- hogs: parse ------------------------------------------------------------------------

# sum_get SCENARIO KEY: a value of vm/hog_SCENARIO.summary
sum_get() {
	sed -n "s/^$2=//p" "$V/hog_$1.summary"
}

# jv VALUE: a number as it is, anything else as a JSON string
jv() {
	if [[ $1 =~ ^-?[0-9]+(\.[0-9]+)?$ ]]; then printf '%s' "$1"; else json_str "$1"; fi
}

# relief_median SCENARIO: the median relief over the rounds, "never" if
# half of them or more were never relieved
relief_median() {
	awk -F'\t' 'NR > 1 { v[++n] = ($4 == "never" || $4 == "n/a") ? 1e12 : $4 }
		END {
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
				if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
			m = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
			if (!n) print "n/a"; else if (m >= 1e12) print "never"; else print m
		}' "$V/hog_$1.rounds.tsv"
}

hog_parse() {
	local sc=$1

	awk -v out="$V/hog_$sc" -f "$B/hog.awk" "$V/hog_$sc.log"
	bench_lines "$V/hog_$sc.log" irqblog | sed 's/^bench-irqblog //' >"$V/hog_$sc.irqbalance.log"
	[ -s "$V/hog_$sc.irqbalance.log" ] || rm -f "$V/hog_$sc.irqbalance.log"
}

hog_plot() {
	local sc=$1 title

	if ! command -v gnuplot >/dev/null; then
		CHARTS="skipped: gnuplot missing (Debian package gnuplot-nox)"
		return 0
	fi
	case $sc in
	evsteer-m*) title="evsteer, policy lowest-margin, margin $(sum_get "$sc" margin), interval $(sum_get "$sc" interval_ms) ms: CPU hog on the CPU of the busiest lane" ;;
	irqbalance) title="policy static + Debian irqbalance $IRQB_VERSION (defaults): CPU hog on the CPU of the busiest lane" ;;
	irqbalance-core) title="policy static + Debian irqbalance $IRQB_VERSION, balance_level=core: CPU hog on the CPU of the busiest lane" ;;
	esac
	if ! timeout 120 gnuplot -e "p='$V/hog_$sc'; png='$OUT/hog_$sc.png'; name='$title'; ncpu=$(sum_get "$sc" cpus); nlanes=$(sum_get "$sc" lanes); nirqs=$RINGS" \
		"$B/hog.gp" 2>"$V/hog_$sc.gnuplot.log"; then
		CHARTS="failed: hog_$sc (vm/hog_$sc.gnuplot.log)"
	fi
}

hog_json() {
	local sc=$1 irqb=null sampler target

	target=$((TARGET_INTERVALS * $(sum_get "$sc" interval_ms)))
	if [[ $sc == irqbalance* ]]; then
		irqb=$(printf '{"version": %s, "args": %s, "status": %s, "passes_logged": %s, "last_pass_cpu_loads": %s, "irqs_selected_for_rebalancing": %s, "log": "vm/hog_%s.irqbalance.log"}' \
			"$(json_str "$IRQB_VERSION")" \
			"$(json_str "$(bench_lines "$V/hog_$sc.log" irqb | sed -n 's/.*status=running.* args=//p' | head -n 1)")" \
			"$(json_str "$(sum_get "$sc" irqbalance)")" \
			"$(sum_get "$sc" irqbalance_passes_logged)" \
			"$(json_str "$(sum_get "$sc" irqbalance_last_cpu_loads)")" \
			"$(json_str "$(sum_get "$sc" irqbalance_selected_irqs)")" "$sc")
	fi
	sampler=$(bench_lines "$V/hog_$sc.log" sampler | head -n 1)
	printf '{"name": "%s", "status": "ok", "policy": %s, "margin": %s, "interval_ms": %s, ' \
		"$sc" "$(json_str "$(sum_get "$sc" policy)")" "$(sum_get "$sc" margin)" \
		"$(sum_get "$sc" interval_ms)"
	printf '"device": %s, "irqbalance": %s, ' "$(json_str "$HOG_DEVICE")" "$irqb"
	printf '"relief_ms_median": %s, "target_ms": %s, ' "$(jv "$(relief_median "$sc")")" "$target"
	printf '"rounds": [\n'
	awk -F'\t' 'function v(x) { return x ~ /^-?[0-9]+(\.[0-9]+)?$/ ? x : "\"" x "\"" }
		NR > 1 { printf "%s      {\"round\": %s, \"cpu\": %s, \"lanes_on_cpu_at_hog_start\": %s, \"relief_ms\": %s, \"first_lane_off_ms\": %s, \"relief_polled_ms\": %s, \"moves_during_hog\": %s, \"moves_onto_hogged_cpu\": %s, \"hard_irq_off_cpu_polled_ms\": %s, \"hog_s\": %s}",
			(NR > 2 ? ",\n" : ""), $1, $2, v($3), v($4), v($5), v($6), $7, $8, v($9), $10 }
		END { print "" }' "$V/hog_$sc.rounds.tsv"
	printf '     ], "migrations_traced": %s, "migrations_per_min": %s, "migrations_before_first_hog": %s, "settle_s": %s, "span_s": %s, ' \
		"$(sum_get "$sc" migrations_traced)" "$(sum_get "$sc" migrations_per_min)" \
		"$(sum_get "$sc" migrations_before_first_hog)" \
		"$(sum_get "$sc" settle_s)" "$(sum_get "$sc" span_s)"
	printf '"irq_affinity_changes": ['
	awk -F'\t' 'NR > 1 { printf "%s{\"t_s\": %s, \"irq\": %s, \"name\": \"%s\", \"from\": \"%s\", \"to\": \"%s\"}",
		(NR > 2 ? ", " : ""), $1, $2, $3, $4, $5 }' "$V/hog_$sc.irqchanges.tsv"
	printf '], "affinity_format": "smp_affinity_list/effective_affinity_list", '
	printf '"events": %s, "lost": %s, "dev_drops": %s, "samples": %s, "sample_period_ms_median": %s, ' \
		"$(sum_get "$sc" events)" "$(sum_get "$sc" lost)" "$(sum_get "$sc" dev_drops)" \
		"$(sum_get "$sc" samples)" "$(jv "$(sum_get "$sc" sample_period_ms)")"
	printf '"sampler_cost": {"ms_per_sample": %s, "usage_all_cpus_without_pct": %s, "usage_all_cpus_with_pct": %s}, ' \
		"$(jv "$(kv_of "$sampler" sample_ms)")" "$(jv "$(kv_of "$sampler" usage_without)")" \
		"$(jv "$(kv_of "$sampler" usage_with)")"
	printf '"plot": %s, "data": "vm/hog_%s.*"}' \
		"$(if [ -s "$OUT/hog_$sc.png" ]; then json_str "hog_$sc.png"; else echo null; fi)" "$sc"
}

# ---- Markdown ---------------------------------------------------------------------------

tput_md() {
	cat <<EOF
### Highest event rate with nothing lost

4 vCPUs, 4 device rings (1 and 2 rings: \`ethtool -L evs0 combined N\`);
device \`$TP_DEVICE\`, no per-event cost.  Per ring count the rate
starts at $(kv_of "$(bench_lines "$V/tput.log" info | grep -m 1 phase=tput)" start) events/s and doubles while a step is clean, then
bisects; the highest clean rate is then measured once more (repeat).
A step: rate set, 1 s settle, 3 s window read through \`ethtool -S\`;
clean = lost = dev_drops = 0 and >= 95 % of the rate consumed.  One
window per step: a vCPU starved by the host for longer than a
4096-entry ring lasts makes a step fail, so the figures are noisy.

| rings | highest clean rate asked (events/s) | consumed (events/s) | interrupts/event | interrupts/s | first failed rate (why) | search steps | repeat at that rate |
| ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |
EOF
	awk -F'\t' '{ printf "| %s | %s | %s | %.4f | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5,
		($7 == "none" ? "none up to the search limit" : $7 " (" $8 ")"), $9, $10 }' "$V/tput.tsv"
	printf '\nEvery step (rings, rate asked, events consumed in the window, lost, dev_drops, dups, interrupts, verdict):\n\n'
	printf '| rings | rate | s | events | lost | dev_drops | dups | irqs | verdict | kind |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n'
	awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, ($13 == "null" ? "-" : $13), $8, $11, $12 }' \
		"$V/tput_steps.tsv"
}

lat_md() {
	local lat

	lat=$(bench_lines "$V/tput.log" lat | head -n 1)
	[ -n "$lat" ] || { printf '\n### Latency\n\nNot measured: no bench-lat line in vm/tput.log.\n'; return; }
	cat <<EOF

### Window taken (hard IRQ) -> lane start

Debugfs \`latency\` histogram, reset, then $(kv_of "$lat" secs) s at $(kv_of "$lat" rate) events/s over
$RINGS rings (no per-event cost).  Percentiles are the lower bound of
their log-linear bucket (4 per power of two: within 19 %).

| rate (events/s) | events | samples | p50 | p99 |
| ---: | ---: | ---: | ---: | ---: |
| $(kv_of "$lat" rate) | $(kv_of "$lat" events) | $(kv_of "$lat" samples) | $(awk -v n="$(kv_of "$lat" p50_ns)" 'BEGIN { printf "%.1f us", n / 1000 }') | $(awk -v n="$(kv_of "$lat" p99_ns)" 'BEGIN { printf "%.1f us", n / 1000 }') |
EOF
}

hog_md() {
	local sc s

	cat <<EOF

### CPU hog on the busiest lane's CPU

Device \`$HOG_DEVICE\` (each event costs 100 us of busy time in its
lane: about 5 % of a CPU per lane), 4 rings x 2 lanes on 4 vCPUs,
interval 100 ms, smoothing 0.  The hog: \`taskset -c N sh -c 'while :; do :; done'\`
on the CPU of the lane with the highest load.  **relief**: from the
hog's start (its trace marker) to the evsteer_migrate event after which
no lane is left on the hogged CPU; **first off**: the first lane that
leaves it; **polled**: the same from the monitor file, sampled every
~200 ms; **hard IRQ off**: when no data vector's effective affinity is
the hogged CPU any more (sampled).

| scenario | round | hogged CPU | lanes on it | relief | first off | relief, polled | moves during hog | moves onto it | hard IRQ off | hog |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
EOF
	for sc in "${HOG_DONE[@]}"; do
		awk -F'\t' -v sc="$sc" 'function u(x) { return x ~ /^[0-9]+$/ ? x " ms" : x }
			NR > 1 { printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s s |\n",
				sc, $1, $2, $3, u($4), u($5), u($6), $7, $8, u($9), $10 }' \
			"$V/hog_$sc.rounds.tsv"
	done
	printf '\n| scenario | migrations traced (per minute) | of which before the first hog | affinity changes | events | lost | sample period | sampler cost (all CPUs, %% of one) |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n'
	for sc in "${HOG_DONE[@]}"; do
		s=$(bench_lines "$V/hog_$sc.log" sampler | head -n 1)
		printf '| %s | %s in %s s (%s/min) | %s (in %s s) | %s | %s | %s | %s ms | %s ms/sample (<= %s %% of one CPU); %s %% without, %s %% with |\n' \
			"$sc" "$(sum_get "$sc" migrations_traced)" \
			"$(sum_get "$sc" span_s)" "$(sum_get "$sc" migrations_per_min)" \
			"$(sum_get "$sc" migrations_before_first_hog)" "$(sum_get "$sc" settle_s)" \
			"$(sum_get "$sc" irq_affinity_changes)" "$(sum_get "$sc" events)" \
			"$(sum_get "$sc" lost)" "$(sum_get "$sc" sample_period_ms)" \
			"$(kv_of "$s" sample_ms)" \
			"$(awk -v a="$(kv_of "$s" sample_ms)" -v b="$(sum_get "$sc" sample_period_ms)" 'BEGIN { if (b > 0) printf "%.0f", a * 100 / b; else printf "?" }')" \
			"$(kv_of "$s" usage_without)" "$(kv_of "$s" usage_with)"
	done
	for sc in "${HOG_DONE[@]}"; do
		[[ $sc == irqbalance* ]] || continue
		printf '\nirqbalance in %s: %s (%s); %s passes logged; its own per-CPU loads at its last pass (ns of irq + softirq time in its interval, from /proc/stat; the hog is user time), CPU0 first: %s; IRQs it selected for rebalancing: %s (log: vm/hog_%s.irqbalance.log).\n' \
			"$sc" "$(sum_get "$sc" irqbalance)" \
			"$(bench_lines "$V/hog_$sc.log" irqb | sed -n 's/.*status=running.* args=//p' | head -n 1)" \
			"$(sum_get "$sc" irqbalance_passes_logged)" \
			"$(sum_get "$sc" irqbalance_last_cpu_loads)" \
			"$(sum_get "$sc" irqbalance_selected_irqs)" "$sc"
	done
	for sc in "${HOG_DONE[@]}"; do
		[ -s "$V/hog_$sc.irqchanges.tsv" ] || continue
		[ "$(wc -l <"$V/hog_$sc.irqchanges.tsv")" -gt 1 ] || continue
		printf '\nAffinity changes in %s (s since sampling started; smp_affinity_list/effective_affinity_list):\n\n' "$sc"
		awk -F'\t' 'NR > 1 { printf "- %s s: IRQ %s (%s) %s -> %s\n", $1, $2, $3, $4, $5 }' \
			"$V/hog_$sc.irqchanges.tsv"
	done
	if [ ${#HOG_SKIPPED[@]} -gt 0 ]; then
		printf '\nNot run: %s.\n' "${HOG_SKIPPED[*]}"
	fi
	printf '\nCharts (%s): %s\n' "$CHARTS" "$(for sc in "${HOG_DONE[@]}"; do [ -s "$OUT/hog_$sc.png" ] && printf 'hog_%s.png ' "$sc"; done)"
}

# targets_md: the target of the issue, from the figures
targets_md() {
	local sc rel target n ok

	printf '\n### Target: a hogged CPU relieved within %s intervals, where irqbalance takes >= 10 s or never\n\n' "$TARGET_INTERVALS"
	printf '| scenario | wanted | measured (per round) | met |\n| --- | --- | --- | --- |\n'
	for sc in "${HOG_DONE[@]}"; do
		rel=$(awk -F'\t' 'NR > 1 { printf "%s%s", sep, ($4 ~ /^[0-9]+$/ ? $4 " ms" : $4); sep = ", " }' "$V/hog_$sc.rounds.tsv")
		case $sc in
		evsteer-m*)
			target=$((TARGET_INTERVALS * $(sum_get "$sc" interval_ms)))
			n=$(awk -F'\t' 'NR > 1' "$V/hog_$sc.rounds.tsv" | wc -l)
			ok=$(awk -F'\t' -v t="$target" 'NR > 1 && $4 ~ /^[0-9]+$/ && $4 <= t' "$V/hog_$sc.rounds.tsv" | wc -l)
			printf '| %s | relief <= %s ms | %s | %s of %s rounds |\n' "$sc" "$target" "$rel" "$ok" "$n"
			;;
		irqbalance*)
			printf '| %s | relief >= 10 s or never | lanes: %s; hard IRQ off the CPU: %s (hog %s s) | %s |\n' \
				"$sc" "$rel" \
				"$(awk -F'\t' 'NR > 1 { printf "%s%s", sep, ($9 ~ /^[0-9]+$/ ? $9 " ms" : $9); sep = ", " }' "$V/hog_$sc.rounds.tsv")" \
				"$(awk -F'\t' 'NR == 2 { print $10 }' "$V/hog_$sc.rounds.tsv")" \
				"$(awk -F'\t' 'NR > 1 && $4 ~ /^[0-9]+$/ && $4 < 10000 { f = 1 } END { print f ? "no" : "yes" }' "$V/hog_$sc.rounds.tsv")"
			;;
		esac
	done
}

# ---- main ----------------------------------------------------------------------------------

write_skipped() {
	echo "skipped: $1" >"$OUT/vm_status"
	printf '{"status": "skipped", "reason": %s, "results": null}\n' "$(json_str "$1")" >"$OUT/vm.json"
	printf 'The in-VM part was **not run**: %s.  No VM figures are reported.\n' "$1" >"$OUT/vm.md"
}

main() {
	local t0 missing sc load0 load1 kver problems=() hogs_json=() irqb_json

	t0=$(now)
	load0=$(cut -d' ' -f1-3 /proc/loadavg)
	HOG_DONE=()
	HOG_SKIPPED=()
	if [ "$PARSE_ONLY" = 1 ]; then
		fetch_irqbalance
		for sc in "${HOG_SCENARIOS[@]}"; do
			[ -s "$V/hog_$sc.log" ] && HOG_DONE+=("$sc")
		done
		RUNS_JSON=("{\"name\": \"parse-only\", \"note\": \"figures made again from the logs of an earlier run\"}")
	else
		missing=$(missing_tool)
		if [ -n "$missing" ]; then
			write_skipped "$missing is not installed (scripts/deps.sh)"
			return 0
		fi
		log "building the module and the device (scripts/vm.sh --build-only)"
		if ! timeout 1200 "$VM" --build-only >"$V/build.log" 2>&1; then
			write_skipped "scripts/vm.sh --build-only failed (vm/build.log): $(tail -n 1 "$V/build.log")"
			return 1
		fi
		fetch_irqbalance || log "irqbalance: $IRQB_REASON"
		run_tput || problems+=("tput: vm.sh exit $?")
		for sc in "${HOG_SCENARIOS[@]}"; do
			if run_hog "$sc"; then
				HOG_DONE+=("$sc")
			elif [ ! -s "$V/hog_$sc.log" ]; then
				HOG_SKIPPED+=("$sc ($IRQB_REASON)")
			else
				problems+=("hog_$sc: vm.sh failed (vm/hog_$sc.log)")
			fi
		done
	fi
	kver=$(sed -n 's/.*; kernel .*guest\/\([^/]*\)\/vmlinuz.*/\1/p' "$V/build.log" 2>/dev/null)
	load1=$(cut -d' ' -f1-3 /proc/loadavg)

	# figures
	tput_parse
	TP_JSON=$(tput_json)
	CHARTS=ok
	for sc in "${HOG_DONE[@]}"; do
		hog_parse "$sc"
		hog_plot "$sc"
		hogs_json+=("$(hog_json "$sc")")
	done
	if [ -n "$IRQB_BIN" ]; then
		irqb_json=$(printf '{"status": "ok", "package": "irqbalance", "version": %s, "binary": %s, "how": "apt-get download into the cache, dpkg-deb -x, copied with its ldd libraries into the initramfs (vm.sh --guest-bin); never installed on the host", "class_note": "ivshmem is PCI class 0x05 (memory controller): irqbalance classifies its MSI-X vectors as \\"other\\" and balances them at package level by default"}' \
			"$(json_str "$IRQB_VERSION")" "$(json_str "${IRQB_BIN#"$ROOT"/}")")
	else
		irqb_json=$(printf '{"status": "not-run", "reason": %s}' "$(json_str "$IRQB_REASON")")
	fi
	{
		printf '{"status": "%s", ' "$([ ${#problems[@]} = 0 ] && echo ok || echo partial)"
		printf '"problems": [%s], ' "$(for p in "${problems[@]}"; do json_str "$p"; printf ', '; done | sed 's/, $//')"
		printf '"wall_s": %s, "charts": %s, ' "$(elapsed "$t0")" "$(json_str "$CHARTS")"
		printf '"machine": {"accel": "%s", "qemu": %s, "guest_kernel": %s, "guest_cpus": %s, "guest_mem": "512M", "host_nproc": %s, "host_loadavg_start": %s, "host_loadavg_end": %s},\n' \
			"$([ "${EVSTEER_KVM:-0}" = 1 ] && echo kvm || echo tcg)" \
			"$(json_str "$(qemu-system-x86_64 --version | head -n 1)")" \
			"$(json_str "${kver:-$(sed -n 's/^guest_kernel=//p' "$V"/hog_*.summary 2>/dev/null | head -n 1)}")" \
			"$SMP" "$(nproc)" "$(json_str "$load0")" "$(json_str "$load1")"
		printf '  "runs": [%s],\n' "$(IFS=,; echo "${RUNS_JSON[*]}")"
		printf '  "throughput": %s,\n' "$TP_JSON"
		printf '  "latency": %s,\n' "$(lat_json)"
		printf '  "irqbalance": %s,\n' "$irqb_json"
		printf '  "hog": {"scenarios": [\n    %s\n  ], "not_run": [%s]}\n}\n' \
			"$(IFS=,; printf '%s' "${hogs_json[*]}" | sed 's/},{"name"/},\n    {"name"/g')" \
			"$(for s in "${HOG_SKIPPED[@]}"; do json_str "$s"; printf ', '; done | sed 's/, $//')"
	} >"$OUT/vm.json"
	{
		printf 'Machine: QEMU %s (%s), %s vCPUs, 512M, guest kernel %s, on %s host CPUs' \
			"$(qemu-system-x86_64 --version | head -n 1 | awk '{ print $4 }')" \
			"$([ "${EVSTEER_KVM:-0}" = 1 ] && echo KVM || echo TCG)" "$SMP" \
			"${kver:-?}" "$(nproc)"
		if [ "$PARSE_ONLY" = 1 ]; then
			printf '; tables made again from the logs of an earlier run (--parse-only).\n\n'
		else
			printf '; load average %s at the start, %s at the end; %s s in all.\n\n' \
				"$load0" "$load1" "$(elapsed "$t0")"
		fi
		if [ ${#problems[@]} -gt 0 ]; then
			printf '**Problems**: %s.\n\n' "${problems[*]}"
		fi
		if [ -z "$IRQB_BIN" ]; then
			printf '**irqbalance could not run**: %s.\n\n' "$IRQB_REASON"
		fi
		tput_md
		lat_md
		hog_md
		targets_md
	} >"$OUT/vm.md"
	if [ ${#problems[@]} = 0 ]; then
		echo ok >"$OUT/vm_status"
	else
		echo "partial: ${problems[*]}" >"$OUT/vm_status"
	fi
	log "done in $(elapsed "$t0") s"
}

main
