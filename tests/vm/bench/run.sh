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
#   rx_<mode>        real frames to our receiver, one boot per lane
#                    mode (napi, threaded, workqueue, tasklet; rx.sh):
#                    hard IRQ -> socket latency (and the driver's window
#                    -> lane start and head-of-line histograms) at a
#                    fixed rate, then the highest frame rate with
#                    nothing lost at 4, 2 and 1 rings, interrupts per
#                    frame at every step
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
#   --quick       the four lane modes in one boot (bh_mode knob), 4 rings
#                 only, a short search; one evsteer round, 12 s of hog
#                 with irqbalance
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
# The frames runs: one boot per lane mode, each about 2 minutes (a 10 s
# boot, the fixed rate, 5-7 steps of ~5 s per ring count).  The
# deadline keeps the four within ~12 minutes even on a starved host, so
# that with the hogs (4-6 minutes) everything fits scripts/bench.sh's
# 18 (EVSTEER_BENCH_VM_TIMEOUT).
RX_MODES=(napi threaded workqueue tasklet)
RX_DEVICE="--ring-size 4096 --rate 5000 --flows 256"
RX_LIMIT=200		# vm.sh --timeout of one mode's boot
RX_DEADLINE=160		# guest uptime (s) after which rx.sh starts no step
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

RX_ENV=()
EVS_HOG_S=6
if [ "$QUICK" = 1 ]; then
	RX_ENV=(--guest-env "BENCH_RX_RINGS=4" --guest-env "BENCH_RX_START=16000"
		--guest-env "BENCH_RX_MAX=32000" --guest-env "BENCH_RX_BISECT=0"
		--guest-env "BENCH_RX_REPEAT=0" --guest-env "BENCH_LAT_SECS=4")
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

# fetch_irqbalance (shared with nic.sh)
# shellcheck source=irqb_fetch.sh
. "$B/irqb_fetch.sh"

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

# run_rx NAME MODES...: one boot of rx.sh over these lane modes
run_rx() {
	local name=$1

	shift
	vm_run "$name" "$RX_LIMIT" --no-load --device-opt "$RX_DEVICE" \
		--host-script "$ROOT/tests/vm/host/dp_ctl.sh" \
		--guest-env "BENCH_RX_MODES=$*" \
		--guest-env "BENCH_RX_DEADLINE=$RX_DEADLINE" "${RX_ENV[@]}" \
		--guest-script "$B/rx.sh"
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

# ---- frames to a socket: parse ----------------------------------------------------

# bench_lines LOG WHAT: the "bench-WHAT ..." lines of a console log
bench_lines() {
	grep -o "bench-$2 .*" "$1" | tr -d '\r'
}

# kv_of LINE KEY: a value of a "k=v ..." line
kv_of() {
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}

# rx_logs: the console logs of the frames runs (one for all modes with
# --quick, else one per mode), in the order of RX_MODES
rx_logs() {
	local f m

	for f in "$V/rx.log" "${RX_MODES[@]/#/$V/rx_}"; do
		case $f in *.log) ;; *) f=$f.log ;; esac
		[ -s "$f" ] && echo "$f"
	done
}

# rx_parse: vm/rx.steps.tsv (every step), vm/rx.tsv (per mode and ring
# count) and vm/rx.lat.tsv (per mode, the fixed rate); see rx.awk.
# RX_INFO: the first mode's parameter line.
rx_parse() {
	local f

	: >"$V/rx.steps.tsv"
	: >"$V/rx.tsv"
	: >"$V/rx.lat.tsv"
	RX_INFO=
	for f in $(rx_logs); do
		bench_lines "$f" 'rx[a-z]*'
	done | awk -v out="$V/rx" -f "$B/rx.awk"
	for f in $(rx_logs); do
		RX_INFO=$(bench_lines "$f" info | grep -m 1 'phase=rx')
		[ -n "$RX_INFO" ] && break
	done
}

# rx_buckets MODE WHAT: a debugfs histogram as JSON pairs [from_ns, count]
rx_buckets() {
	local f

	for f in $(rx_logs); do
		bench_lines "$f" rxlatb
	done | awk -v m="$1" -v w="$2" '{ delete a
		for (i = 2; i <= NF; i++) { p = index($i, "="); a[substr($i, 1, p - 1)] = substr($i, p + 1) } }
		a["mode"] == m && a["what"] == w { printf "%s[%s, %s]", (n++ ? ", " : ""), a["from_ns"], a["count"] }'
}

# The awk helper of the JSON below: a figure, null where there is none.
RX_JV='function v(x) { return x ~ /^-?[0-9]+(\.[0-9]+)?$/ ? x : (x == "-" || x == "na" || x == "" ? "null" : "\"" x "\"") }'

rx_json() {
	local m sep=''

	if [ ! -s "$V/rx.steps.tsv" ]; then
		printf '{"status": "failed", "reason": "no bench-rx line in vm/rx*.log", "results": null}'
		return
	fi
	printf '{"status": "ok", "what": "UDP frames from the device to evsteer-rx in the guest (SO_REUSEPORT, one socket per CPU), per lane mode", '
	printf '"device": %s, "rings_note": "4 rings and 4 vCPUs; 1 and 2 rings are ethtool -L combined 1 and 2", ' \
		"$(json_str "$RX_DEVICE (rate set per step)")"
	printf '"start_rate": %s, "max_rate": %s, "bisect_steps": %s, "repeat": %s, "settle_s": %s, "window_s": %s, "flows": %s, ' \
		"$(jv "$(kv_of "$RX_INFO" start)")" "$(jv "$(kv_of "$RX_INFO" max)")" \
		"$(jv "$(kv_of "$RX_INFO" bisect)")" "$(jv "$(kv_of "$RX_INFO" repeat)")" \
		"$(jv "$(kv_of "$RX_INFO" settle)")" "$(jv "$(kv_of "$RX_INFO" window)")" \
		"$(jv "$(kv_of "$RX_INFO" flows)")"
	printf '"clean": "from resume to pause: the receiver lost (lost - sequence numbers used before the step), reordered and duplicated nothing and took every frame the device made; dev_drops, driver drops (rx_alloc_fail, rx_down_drops, bad_entries), driver dups and stack drops (/proc/net/snmp, sock_drops) 0; and in the window the device made at least %s %% of the rate asked (else short: the device starved by the host; the search takes it once more) and the driver delivered at least %s %% of that (else behind)", ' \
		"$(kv_of "$RX_INFO" min_pct)" "$(kv_of "$RX_INFO" min_pct)"
	printf '"frames_per_s": "rx_packets over the window (ethtool -S)", "socket_pps": "the receiver: received / (first to last datagram)", "irqs_per_frame": "sum of ring<i>_irqs / rx_packets over the window", '
	printf '"by_mode_rings": [\n'
	awk -F'\t' "$RX_JV"' { printf "%s    {\"mode\": \"%s\", \"rings\": %s, \"max_clean_rate\": %s, \"frames_per_s\": %s, \"socket_pps\": %s, \"irqs_per_frame\": %s, \"first_failed_rate\": %s, \"first_failed_verdict\": %s, \"search_steps\": %s, \"repeat_at_max_verdict\": %s, \"cut_short\": %s}",
		(NR > 1 ? ",\n" : ""), $1, $2, $3, v($4), v($5), v($6), v($7), v($8), $9, v($10), v($11) } END { print "" }' "$V/rx.tsv"
	printf '   ],\n   "latency": [\n'
	while IFS=$'\t' read -r m _; do
		printf '%s    ' "$sep"
		awk -F'\t' -v m="$m" -v lb="$(rx_buckets "$m" latency)" -v hb="$(rx_buckets "$m" hol)" "$RX_JV"'
			$1 == m { printf "{\"mode\": \"%s\", \"rings\": %s, \"rate\": %s, \"secs\": %s, \"frames\": %s, \"received\": %s, \"socket_pps\": %s, \"p50_ns\": %s, \"p90_ns\": %s, \"p99_ns\": %s, \"verdict\": %s, \"irqs_per_frame\": %s, ",
				m, $2, $3, v($4), v($5), v($6), v($7), v($8), v($9), v($10), v($11), v($12)
			  printf "\"window_to_lane_start\": {\"samples\": %s, \"p50_ns\": %s, \"p99_ns\": %s, \"buckets\": [%s]}, ", v($13), v($14), v($15), lb
			  if ($16 == "yes")
				printf "\"hol\": {\"samples\": %s, \"p50_ns\": %s, \"p99_ns\": %s, \"buckets\": [%s]}}", v($17), v($18), v($19), hb
			  else
				printf "\"hol\": null}" }' "$V/rx.lat.tsv"
		sep=$',\n'
	done <"$V/rx.lat.tsv"
	printf '\n   ],\n   "latency_note": "hard IRQ (the driver stamps skb->tstamp when it takes the window) -> the receiver (SO_TIMESTAMPNS), every datagram from resume to pause; the driver histograms (debugfs latency and hol) reset at the window start; a percentile is its log-linear bucket lower bound (within 19 %%)",\n'
	printf '   "steps": [\n'
	awk -F'\t' "$RX_JV"' { printf "%s    {\"mode\": \"%s\", \"rings\": %s, \"rate\": %s, \"kind\": \"%s\", \"secs\": %s, \"frames\": %s, \"irqs\": %s, \"irq_busy\": %s, \"windows\": %s, \"socket_pps\": %s, \"received\": %s, \"rx_lost\": %s, \"reordered\": %s, \"duplicated\": %s, \"flows\": %s, \"generated\": %s, \"missing\": %s, \"dev_drops\": %s, \"drv_lost\": %s, \"drv_dups\": %s, \"drv_drops\": %s, \"stack_drops\": %s, \"sock_drops\": %s, \"p50_ns\": %s, \"p90_ns\": %s, \"p99_ns\": %s, \"verdict\": \"%s\", \"irqs_per_frame\": %s, \"frames_per_s\": %s, \"offered\": %s, \"offered_per_s\": %s}",
		(NR > 1 ? ",\n" : ""), $1, $2, $3, $4, v($5), v($6), v($7), v($8), v($9), v($10), v($11), v($12), v($13), v($14), v($15), v($16), v($17), v($18), v($19), v($20), v($21), v($22), v($23), v($24), v($25), v($26), $27, v($28), v($29), v($30), v($31) }
		END { print "" }' "$V/rx.steps.tsv"
	printf '   ]}'
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

# The awk helpers of the tables below: ns as us or ms; a rate with
# thin spaces of thousands left out (plain digits sort and paste well)
RX_FMT='function t(x) { if (x !~ /^[0-9]+$/) return "-"; if (x < 1000) return x " ns"; if (x < 1000000) return sprintf("%.1f us", x / 1000); return sprintf("%.2f ms", x / 1000000) }'

rx_md() {
	local rings

	cat <<EOF
### Frames to a socket, per lane mode

UDP frames of $(kv_of "$RX_INFO" flows) flows (66-1514 bytes) from the device to our receiver
\`evsteer-rx\` in the guest (one \`SO_REUSEPORT\` socket per CPU, not
pinned), device \`$RX_DEVICE\` (the rate set per step), 4 vCPUs, 4 rings
(1 and 2: \`ethtool -L evs0 combined N\`).  One boot per lane mode
(\`insmod bh_mode=...\`; with --quick one boot, the \`bh_mode\` knob).
Every step stands alone: the device paused and the rings drained, a
fresh receiver, the rate set, the device resumed, $(kv_of "$RX_INFO" settle) s settle, a $(kv_of "$RX_INFO" window) s window
read through \`ethtool -S\`, the device paused and drained again.
**Clean**: from resume to pause the receiver lost, reordered and
duplicated nothing and took every frame the device made; device drops,
driver drops, stack drops (\`/proc/net/snmp\`, socket overflows) all 0;
and in the window the device made >= $(kv_of "$RX_INFO" min_pct) % of the rate asked (else *short*:
the device, a host process, was starved; taken once more) and the
driver delivered >= $(kv_of "$RX_INFO" min_pct) % of that (else *behind*).  Per ring count the rate starts at $(kv_of "$RX_INFO" start) frames/s and doubles
while a step is clean, then $(kv_of "$RX_INFO" bisect) bisection steps; repeat = the highest
clean rate once more.  Interrupts per frame: the rings' \`irqs\` over
\`rx_packets\` in the window.  One window per step, on a shared 2-core
host under TCG: the figures are noisy.

Highest clean rate (frames/s asked) and interrupts per frame there:

EOF
	rings=$(cut -f2 "$V/rx.tsv" | sort -n -u | tr '\n' ' ')
	printf '| mode |'
	for r in $rings; do printf ' %s ring%s |' "$r" "$([ "$r" = 1 ] || echo s)"; done
	printf '\n| --- |'
	for r in $rings; do printf ' ---: |'; done
	printf '\n'
	awk -F'\t' -v rings="$rings" '
		{ if (!($1 in seen)) { seen[$1] = 1; mode[++n] = $1 }
		  if ($3 + 0 > 0) cell[$1, $2] = $3 " (" $6 " irqs/frame)"
		  else if ($11 == "deadline" && $9 == 0) cell[$1, $2] = "not measured (deadline)"
		  else cell[$1, $2] = "none clean (" $7 ": " $8 ")"
		  if ($11 == "deadline" && $3 + 0 > 0) cell[$1, $2] = cell[$1, $2] " (cut short)" }
		END { k = split(rings, r, " ")
			for (i = 1; i <= n; i++) {
				printf "| %s |", mode[i]
				for (x = 1; x <= k; x++) printf " %s |", ((mode[i], r[x]) in cell) ? cell[mode[i], r[x]] : "-"
				printf "\n"
			} }' "$V/rx.tsv"
	cat <<'EOF'

| mode | rings | highest clean rate asked | delivered, window (frames/s) | at the socket (receiver, frames/s) | interrupts/frame | first failed rate (why) | search steps | repeat at that rate |
| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |
EOF
	awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s%s |\n", $1, $2, $3, $4, $5, $6,
		($7 == "-" ? "none up to the search limit" : $7 " (" $8 ")"), $9, $10,
		($11 == "deadline" ? "; cut short by the deadline" : "") }' "$V/rx.tsv"
	cat <<EOF

### Hard IRQ -> socket latency, per lane mode

$(kv_of "$RX_INFO" lat_secs) s at $(kv_of "$RX_INFO" lat_rate) frames/s over 4 rings, a fresh receiver: the time from the hard IRQ that
took the frame's window (the driver's \`skb->tstamp\`) to the receiver
(\`SO_TIMESTAMPNS\`), every datagram from resume to pause.  Window ->
lane start and head-of-line (first lane of a window done -> last lane
done, windows of two lanes or more; the window barrier's cost) are the
driver's debugfs \`latency\` and \`hol\` histograms, reset at the window
start.  Percentiles are the lower bound of a log-linear bucket (within
19 %).

| mode | frames | socket p50 | p90 | p99 | interrupts/frame | window -> lane start p50 / p99 | head-of-line p50 / p99 | verdict |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
EOF
	awk -F'\t' "$RX_FMT"' { printf "| %s | %s | %s | %s | %s | %s | %s / %s | %s | %s |\n", $1, $6, t($8), t($9), t($10), $12,
		t($14), t($15), ($16 == "yes" ? t($18) " / " t($19) : "not in this driver"), $11 }' "$V/rx.lat.tsv"
	printf '\nEvery step (frames/s and interrupts/frame of the window; socket: the receiver'"'"'s rate and latency; rx lost, missing, device, stack drops: see clean above):\n\n'
	printf '| mode | rings | rate | kind | offered/s | frames/s | irqs/frame | socket frames/s | rx lost | missing | dev drops | stack drops | reord. | p50 | p99 | verdict |\n'
	printf '| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n'
	awk -F'\t' "$RX_FMT"' { printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
		$1, $2, $3, $4, $31, $29, $28, $10, $12, $17, $18, $22, $13, t($24), t($26), $27 }' "$V/rx.steps.tsv"
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

# module_ok: the module vm.sh built is for the guest's kernel (its
# vermagic names that release); else every boot would only log "invalid
# module format".  Sets MODULE_REASON.
module_ok() {
	local ko kv vm

	ko=$(sed -n 's/^vm: built \([^ ]*\.ko\) and .*/\1/p' "$V/build.log" | tail -n 1)
	kv=$(sed -n 's/.*; kernel .*guest\/\([^/]*\)\/vmlinuz.*/\1/p' "$V/build.log" | tail -n 1)
	[ -n "$ko" ] && [ -n "$kv" ] && command -v modinfo >/dev/null ||
		return 0	# nothing to check against, or with
	vm=$(modinfo -F vermagic "$ko" 2>/dev/null)
	case $vm in
	"$kv "*) return 0 ;;
	esac
	MODULE_REASON="$ko has vermagic '${vm:-none}', not one of kernel $kv (a build for another kernel interfered?)"
	return 1
}

main() {
	local t0 missing sc m load0 load1 kver problems=() hogs_json=() irqb_json

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
		if ! module_ok; then
			write_skipped "$MODULE_REASON"
			return 1
		fi
		fetch_irqbalance || log "irqbalance: $IRQB_REASON"
		rm -f "$V/rx.log" "$V"/rx_*.log
		if [ "$QUICK" = 1 ]; then
			run_rx rx "${RX_MODES[@]}" || problems+=("rx: vm.sh exit $?")
		else
			for m in "${RX_MODES[@]}"; do
				run_rx "rx_$m" "$m" || problems+=("rx_$m: vm.sh exit $?")
			done
		fi
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
	rx_parse
	RX_JSON=$(rx_json)
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
		printf '  "frames": %s,\n' "$RX_JSON"
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
		rx_md
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
