#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The steering comparison of `make bench` (scripts/bench.sh runs it from
# steer_bench): one VM (scripts/vm.sh --tap --no-load), one UDP
# request/response flow (udprr, a fixed rate and source port) from the
# run's namespace to evs0, without and with a CPU hog on the CPU of the
# lane that carries the flow, in four steering configurations of
# evsteer itself, switched in the same boot (steer_guest.sh reloads the
# module for each):
#
#   evsteer     its dynamic steering at its defaults (lowest-margin)
#   static      policy static: plain RSS, lanes where the driver put them
#   rps         policy static plus RPS/RFS as a user would set them up
#   irqbalance  policy static plus Debian's irqbalance on evsteer's vectors
#
# and the ratios of each to evsteer's dynamic mode.  Reports, asserts
# nothing; every run is bounded.  A mode that cannot run (irqbalance not
# fetchable) is reported as skipped, with the reason.
#
# Usage: tests/vm/bench/steer.sh --out DIR [--quick] [--modes "M..."]
#                                 [--rounds N] [--parse-only]
#   --quick       4 s runs
#   --rounds N    N rounds of the modes in one boot (default 1), the
#                 others in reverse order in even rounds, irqbalance last;
#                 the figures are the medians over the rounds
#   --modes       these modes, in this order (default "evsteer static rps
#                 irqbalance"; irqbalance's affinities stay behind it, so
#                 put it last); the ratios need evsteer among them
#   --parse-only  no VM: the figures again from DIR/steer
# Writes into DIR: steer.json, steer.md, steer_status (ok, partial:
# reason, skipped: reason), and steer/ (console log, raw results).
# Env: EVSTEER_CACHE (build/cache): where irqbalance's .deb is kept.

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
VM=$ROOT/scripts/vm.sh
G=$ROOT/tests/vm/guest
B=$ROOT/tests/vm/bench
CACHE=${EVSTEER_CACHE:-$ROOT/build/cache}
UDPRR=$ROOT/build/tools/udprr
OUT=
QUICK=0
PARSE_ONLY=0
FETCH_TIMEOUT=300

SMP=4
RINGS=4
MODES=(evsteer static rps irqbalance)
ROUNDS=1
RR_RATE=200 RR_S=10
IRQB_SETTLE_S=12	# irqbalance's first pass (10 s interval) before the runs
WARM_S=3		# the warm-up runs before the first mode (steer_guest.sh)
LIMIT=360		# vm.sh --timeout: boot to power-off

log() { echo "bench-steer: $*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

json_str() {
	printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g' |
			 tr -d '\000-\037')"
}

# jv VALUE: a number as it is, "-" or nothing as null, else a string
jv() {
	if [[ $1 =~ ^-?[0-9]+(\.[0-9]+)?$ ]]; then printf '%s' "$1"
	elif [ -z "$1" ] || [ "$1" = - ]; then printf null
	else json_str "$1"; fi
}

usage() {
	sed -n '/^# Usage:/,/^# Env:/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--out) OUT=$2; shift ;;
	--quick) QUICK=1 ;;
	--modes) read -ra MODES <<<"$2"; shift ;;
	--rounds) ROUNDS=$2; shift ;;
	--parse-only) PARSE_ONLY=1 ;;
	-h|--help) usage ;;
	*) usage ;;
	esac
	shift
done
[ -n "$OUT" ] || usage
[[ $ROUNDS =~ ^[1-9][0-9]?$ ]] || usage
for m in "${MODES[@]}"; do
	case $m in
	evsteer|static|rps|irqbalance) ;;
	*) echo "bench-steer: no mode '$m' (evsteer, static, rps, irqbalance)" >&2; exit 2 ;;
	esac
done
mkdir -p "$OUT/steer" || exit 1
OUT=$(cd "$OUT" && pwd)
V=$OUT/steer
if [ "$QUICK" = 1 ]; then
	RR_S=4 WARM_S=2 LIMIT=240
fi
# a round of the four modes takes about 125 s (quick: 65 s)
if [ "$ROUNDS" -gt 1 ]; then
	LIMIT=$((LIMIT + (ROUNDS - 1) * (QUICK == 1 ? 90 : 160)))
fi

# fetch_irqbalance: the same cached Debian package as run.sh's and nic.sh's
# shellcheck source=irqb_fetch.sh
. "$B/irqb_fetch.sh"

write_skipped() {
	echo "skipped: $1" >"$OUT/steer_status"
	printf '{"status": "skipped", "reason": %s, "results": null}\n' "$(json_str "$1")" >"$OUT/steer.json"
	printf 'The steering comparison was **not run**: %s.  No figures are reported.\n' "$1" >"$OUT/steer.md"
}

# ---- the run ---------------------------------------------------------------------

run_vm() {
	local t0 rc modes irqb=()

	modes="${MODES[*]}"
	if [ -n "$IRQB_BIN" ]; then
		irqb=(--guest-bin "$IRQB_BIN")
	else
		modes=$(printf '%s\n' "${MODES[@]}" | grep -vx irqbalance | tr '\n' ' ')
	fi
	log "booting one VM, modes $modes (bounded by $LIMIT s)"
	rm -f "$V"/*.json "$V"/*.ping "$V"/*.err
	t0=$(now)
	# the host side is nic.sh's: it runs udprr's client in the namespace
	EVSTEER_NO_BUILD=1 EVSTEER_NIC_OUT=$V EVSTEER_UDPRR=$UDPRR \
		timeout -k 10 $((LIMIT + 30)) "$VM" --smp "$SMP" --rings "$RINGS" \
		--tap --no-load --timeout "$LIMIT" \
		--guest-file "$G/lib.sh" --guest-file "$G/dp_lib.sh" \
		--guest-file "$G/tx_lib.sh" --guest-file "$B/bench_lib.sh" \
		--guest-bin "$UDPRR" "${irqb[@]}" \
		--guest-env "STEER_MODES=$modes" --guest-env "STEER_RR_RATE=$RR_RATE" \
		--guest-env "STEER_RR_S=$RR_S" --guest-env "STEER_IRQB_SETTLE_S=$IRQB_SETTLE_S" \
		--guest-env "STEER_WARM_S=$WARM_S" --guest-env "STEER_ROUNDS=$ROUNDS" \
		--host-script "$B/nic_host.sh" --guest-script "$B/steer_guest.sh" \
		>"$V/steer.log" 2>&1
	rc=$?
	echo "$rc $(elapsed "$t0")" >"$V/run"
	{ echo "$LOAD0"; cut -d' ' -f1-3 /proc/loadavg; } >"$V/loadavg"
	log "exit $rc after $(cut -d' ' -f2 "$V/run") s"
	return "$rc"
}

# ---- figures -------------------------------------------------------------------

# bench_lines WHAT: the "bench-WHAT ..." lines of the console log
bench_lines() {
	grep -o "bench-$1 .*" "$V/steer.log" 2>/dev/null | tr -d '\r'
}

# kv_of LINE KEY: a value of a "k=v ..." line
kv_of() {
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}

# jqv FILE FILTER: a figure from a JSON file, "-" if there is none
jqv() {
	local v

	v=$(jq -r "$2 // empty" "$1" 2>/dev/null)
	printf '%s' "${v:--}"
}

# files MODE KIND: the host's result files of MODE, one a round (KIND rr
# or rrhog)
files() {
	local r

	for ((r = 1; r <= ROUNDS; r++)); do
		if [ "$r" = 1 ]; then echo "$V/${2}_$1.json"; else echo "$V/${2}_${1}_$r.json"; fi
	done
}

# med MODE KIND FILTER: the median of a figure over the rounds ("-" if
# no round has it); sum MODE KIND FILTER: their sum
med() {
	local f

	for f in $(files "$1" "$2"); do jqv "$f" "$3"; echo; done |
		grep -E '^[0-9.]+$' | sort -g |
		awk '{ v[++n] = $1 } END { if (!n) print "-"; else if (n % 2) print v[(n + 1) / 2]; else printf "%.1f\n", (v[n / 2] + v[n / 2 + 1]) / 2 }'
}
sum() {
	local f

	for f in $(files "$1" "$2"); do jqv "$f" "$3"; echo; done |
		awk '/^[0-9]+$/ { s += $1; n++ } END { print n ? s : "-" }'
}

# per_round MODE: "p50/p99 hog p50/p99" of every round, for the record
per_round() {
	local r=1 f h

	paste <(files "$1" rr) <(files "$1" rrhog) | while read -r f h; do
		printf '%s{"round": %s, "p50_us": %s, "p99_us": %s, "hog_p50_us": %s, "hog_p99_us": %s}' \
			"$([ "$r" = 1 ] || echo ', ')" "$r" "$(jv "$(jqv "$f" .p50_us)")" "$(jv "$(jqv "$f" .p99_us)")" \
			"$(jv "$(jqv "$h" .p50_us)")" "$(jv "$(jqv "$h" .p99_us)")"
		r=$((r + 1))
	done
}

rr_of() {	# rr_of MODE HOG: its bench-rr line (round 1)
	bench_lines rr | grep " mode=$1 hog=$2 " | head -n 1
}

# mode_status MODE: ok, or skipped/failed: why
mode_status() {
	local l

	l=$(bench_lines steer | grep "mode=$1 " | grep -v status=ok | head -n 1)
	[ -n "$l" ] || l=$(bench_lines steer | grep "mode=$1 " | tail -n 1)
	[ "$(bench_lines steer | grep -c "mode=$1 .*status=ok")" -ge "$ROUNDS" ] || [[ $l != *status=ok* ]] ||
		l="status=failed reason=fewer-rounds-than-asked"
	case $l in
	*status=ok*) echo ok ;;
	*status=skipped*) echo "skipped: $(kv_of "$l" reason | tr - ' ')" ;;
	*status=failed*) echo "failed: $(kv_of "$l" reason | tr - ' ')" ;;
	*)
		if [ "$1" = irqbalance ] && [ -z "$IRQB_BIN" ]; then
			echo "skipped: ${IRQB_REASON:-no irqbalance}"
		elif [ -n "$(rr_of "$1" no)" ]; then
			echo "failed: cut short (steer/steer.log)"
		else
			echo "failed: not reached (steer/steer.log)"
		fi
		;;
	esac
}

# config_of MODE: what the mode is, in words
config_of() {
	case $1 in
	evsteer) echo "policy lowest-margin, the driver's defaults (the load monitor moves lanes)" ;;
	static) echo "policy static: lanes stay where the driver put them (RSS only)" ;;
	rps) echo "policy static; RPS rps_cpus=$(kv_of "$(bench_lines rps | head -n 1)" rps_cpus) on every RX queue, RFS rps_sock_flow_entries=$(kv_of "$(bench_lines rps | head -n 1)" rps_sock_flow_entries) rps_flow_cnt=$(kv_of "$(bench_lines rps | head -n 1)" rps_flow_cnt)" ;;
	irqbalance) echo "policy static; Debian's irqbalance ${IRQB_VERSION:-(not fetched)} (defaults, --foreground) on evsteer's vectors, the serial ports banned" ;;
	esac
}

# metrics: steer/steer.tsv, one mode a line: mode, status, p50, p99,
# lost, hog p50, hog p99, hog lost, hog CPU, lanes left on it, the
# flow's lane's CPU after, the ratios to evsteer (p50, p99, hog p50,
# hog p99), the hog's p99 over the p99 without, and the sends udprr's
# client skipped without and with the hog (it fell 10 periods behind:
# the host starved it, and the run says more about the host), the p90
# without and with the hog
metrics() {
	local m st p50 p90 p99 lost hp50 hp90 hp99 hlost l

	for m in "${MODES[@]}"; do
		st=$(mode_status "$m")
		p50=$(med "$m" rr .p50_us) p99=$(med "$m" rr .p99_us) lost=$(sum "$m" rr .lost)
		hp50=$(med "$m" rrhog .p50_us) hp99=$(med "$m" rrhog .p99_us) hlost=$(sum "$m" rrhog .lost)
		p90=$(med "$m" rr .p90_us) hp90=$(med "$m" rrhog .p90_us)
		l=$(rr_of "$m" yes)
		if [ "$st" = ok ] && { [ "$p99" = - ] || [ "$hp99" = - ]; }; then
			st="partial: no udprr figures (steer/rr*_$m.err)"
		elif [ "$st" = ok ] && [ "$(kv_of "$l" rc)$(kv_of "$(rr_of "$m" no)" rc)" != 00 ]; then
			# the figures are the host's; the guest's snapshots after
			# a run it did not see end are late
			st="partial: a udprr run's answer did not reach the guest (rc $(kv_of "$(rr_of "$m" no)" rc), with the hog $(kv_of "$l" rc))"
		fi
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$m" "$st" \
			"$p50" "$p99" "$lost" "$hp50" "$hp99" "$hlost" \
			"$(kv_of "$l" hog_cpu)" \
			"$(bench_lines rr | grep " mode=$m hog=yes " | sed -n 's/.* lanes_on_cpu_after=\([0-9]*\).*/\1/p' | tr '\n' / | sed 's|/$||')" \
			"$(kv_of "$l" flow_lane_cpu_after)" \
			"$(sum "$m" rr .skipped)" "$(sum "$m" rrhog .skipped)" "$p90" "$hp90"
	done | awk -F'\t' -v OFS='\t' '
		function num(x) { return x ~ /^[0-9.]+$/ }
		function r(a, b) { return (num(a) && num(b) && b + 0 > 0) ? sprintf("%.2f", a / b) : "-" }
		{ line[NR] = $0; if ($1 == "evsteer") { e50 = $3; e99 = $4; eh50 = $6; eh99 = $7 } }
		END { for (i = 1; i <= NR; i++) { split(line[i], f, "\t")
			print f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11],
				r(f[3], e50), r(f[4], e99), r(f[6], eh50), r(f[7], eh99), r(f[7], f[4]), f[12], f[13], f[14], f[15] } }' \
		>"$V/steer.tsv"
}

# ---- outputs ---------------------------------------------------------------------

us() {	# us VALUE: microseconds as "684 us" or "5.27 ms"
	awk -v v="$1" 'BEGIN { if (v !~ /^[0-9.]+$/) print "-"; else if (v >= 1000) printf "%.2f ms\n", v / 1000; else printf "%.0f us\n", v }'
}

steer_json() {
	local info sep='' m st

	info=$(bench_lines info | head -n 1)
	{
		printf '{"status": %s, "wall_s": %s, "vm_exit": %s, "host_nproc": %s, "host_loadavg_start": %s, "host_loadavg_end": %s,\n' \
			"$(json_str "$STATUS")" "$(jv "${WALL:-}")" "$(jv "${VM_RC:-}")" \
			"$(nproc)" "$(json_str "$LOAD0")" "$(json_str "$LOAD1")"
		printf ' "what": "one VM, evs0 (198.18.0.2) on a TAP in the run'"'"'s namespace; one UDP request/response flow (udprr, fixed source port) without and with a CPU hog on the CPU of the lane that carried it, per steering configuration of evsteer; each mode on a freshly loaded module; ratio = mode / evsteer (dynamic)",\n'
		printf ' "setup": {"guest_cpus": %s, "evsteer_rings": %s, "accel": "%s", "guest_kernel": %s, "rr_rate": %s, "rr_s": %s, "rr_size": 64, "rounds": %s, "figures": "medians over the rounds; lost and client_skipped summed", "warm_up_s": %s, "irqbalance_settle_s": %s, "irqbalance_version": %s, "hog": "taskset -c CPU busy loop, started with the run, on the CPU of the lane whose busy_ns grew most in the run without the hog"},\n' \
			"$SMP" "$RINGS" "$([ "${EVSTEER_KVM:-0}" = 1 ] && echo kvm || echo tcg)" \
			"$(json_str "$(kv_of "$info" kernel)")" "$RR_RATE" "$RR_S" "$ROUNDS" \
			"$(jv "$(kv_of "$info" warm_s)")" "$IRQB_SETTLE_S" \
			"$(json_str "${IRQB_VERSION:-}")"
		printf ' "modes": [\n'
		while IFS=$'\t' read -r m st p50 p99 lost hp50 hp99 hlost hcpu left fcpu r50 r99 rh50 rh99 hgrow skip hskip p90 hp90; do
			printf '%s  {"mode": "%s", "status": %s, "config": %s,\n' "$sep" "$m" "$(json_str "$st")" "$(json_str "$(config_of "$m")")"
			printf '   "rr": {"p50_us": %s, "p90_us": %s, "p99_us": %s, "lost": %s, "client_skipped": %s}, "rr_hog": {"p50_us": %s, "p90_us": %s, "p99_us": %s, "lost": %s, "client_skipped": %s},\n' \
				"$(jv "$p50")" "$(jv "$p90")" "$(jv "$p99")" "$(jv "$lost")" "$(jv "$skip")" \
				"$(jv "$hp50")" "$(jv "$hp90")" "$(jv "$hp99")" "$(jv "$hlost")" "$(jv "$hskip")"
			printf '   "ratio_vs_evsteer": {"p50": %s, "p99": %s, "hog_p50": %s, "hog_p99": %s}, "hog_p99_over_p99": %s,\n' \
				"$(jv "$r50")" "$(jv "$r99")" "$(jv "$rh50")" "$(jv "$rh99")" "$(jv "$hgrow")"
			printf '   "hog_cpu": %s, "lanes_on_hog_cpu_after": %s, "flow_lane_cpu_after": %s, "per_round": [%s],\n' \
				"$(jv "$hcpu")" "$(jv "$left")" "$(jv "$fcpu")" "$(per_round "$m")"
			printf '   "before_hog": %s, "during_hog": %s, "info": %s, "counters": %s}' \
				"$(json_str "$(rr_of "$m" no | sed 's/^bench-rr //')")" \
				"$(json_str "$(rr_of "$m" yes | sed 's/^bench-rr //')")" \
				"$(json_str "$(bench_lines info | grep " mode=$m " | head -n 1 | sed 's/^bench-info //')")" \
				"$(json_str "$(bench_lines evs | grep "mode=$m " | head -n 1 | sed 's/^bench-evs //')")"
			sep=$',\n'
		done <"$V/steer.tsv"
		printf '\n ],\n "irqbalance": %s,\n' \
			"$(json_str "$(bench_lines irqb | sed 's/^bench-irqb //' | tr '\n' ';')${IRQB_REASON:+not run: $IRQB_REASON}")"
		printf ' "raw": "steer/ (steer.log: console; rr_*.json, rrhog_*.json: udprr on the host side)"}\n'
	} >"$OUT/steer.json"
}

steer_md() {
	local info

	info=$(bench_lines info | head -n 1)
	{
		cat <<EOF
One VM (QEMU $(qemu-system-x86_64 --version 2>/dev/null | head -n 1 | awk '{ print $4 }'), $([ "${EVSTEER_KVM:-0}" = 1 ] && echo KVM || echo TCG), $SMP vCPUs on $(nproc) host CPUs, guest kernel $(kv_of "$info" kernel), host load
average $LOAD0 at the start, $LOAD1 at the end; ${WALL:-?} s in the VM): evsteer's \`evs0\`
($RINGS rings) on a TAP in the run's namespace, one flow of \`udprr\` from there ($RR_RATE
requests/s for $RR_S s, 64 bytes, open loop, one source port), p50/p90/p99
of the round trips; then the same with a CPU hog (\`taskset -c N\` busy loop)
on the CPU of the lane that carried the flow in the run before (the lane
whose \`busy_ns\` grew most): where RSS put the flow's work, so a
configuration is measured by how well it gets the flow off a busy CPU.
Each mode on a freshly loaded module (the flow on the same ring and lane
in all of them), in one boot, after a warm-up of the same runs that is
not counted (TCG translates guest code the first time it runs).
$([ "$ROUNDS" = 1 ] || echo "$ROUNDS rounds of the modes (the others in reverse order in even rounds, irqbalance last): every figure is the median over the rounds, lost and skipped sends are summed.")
Ratios: the mode over evsteer's dynamic mode; "hog/no hog" is the
mode's p99 with the hog over its p99 without.
Percentiles are nearest-rank over the run's round trips ($((RR_RATE * RR_S)): the
p99 is the $((RR_RATE * RR_S / 100))th slowest, so a few stalls of the host move it).
Everything under TCG on a shared host: single runs, noisy; the ratios
say more than the absolute values.

| mode | configuration | p50 / p90 / p99 | with the hog: p50 / p90 / p99 | hog/no hog, p99 | p50 / evsteer | p99 / evsteer | hog p50 / evsteer | hog p99 / evsteer | lanes left on the hogged CPU | status |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
EOF
		while IFS=$'\t' read -r m st p50 p99 lost hp50 hp99 hlost hcpu left fcpu r50 r99 rh50 rh99 hgrow skip hskip p90 hp90; do
			printf '| %s | %s | %s / %s / %s | %s / %s / %s | %s | %s | %s | %s | %s | %s | %s |\n' "$m" \
				"$(config_of "$m")" "$(us "$p50")" "$(us "$p90")" "$(us "$p99")" \
				"$(us "$hp50")" "$(us "$hp90")" "$(us "$hp99")" \
				"$hgrow" "$r50" "$r99" "$rh50" "$rh99" "${left:--} (CPU ${hcpu:--})" \
				"$st$(awk -v a="$skip" -v b="$hskip" -v n="$((RR_RATE * RR_S))" 'BEGIN {
					if (a + b > 0.02 * n) printf "; host-starved: the client skipped %d and %d of %d sends", a, b, n }')"
		done <"$V/steer.tsv"
		printf '\nLost requests (without, with the hog): %s.  Sends the client skipped, 10 periods or more behind (the host starved it: such a run measures the host more than the steering): %s.\n' \
			"$(awk -F'\t' '{ printf "%s%s %s, %s", (NR > 1 ? "; " : ""), $1, $5, $8 }' "$V/steer.tsv")" \
			"$(awk -F'\t' '{ printf "%s%s %s, %s", (NR > 1 ? "; " : ""), $1, $17, $18 }' "$V/steer.tsv")"
		if [ "$ROUNDS" -gt 1 ]; then
			printf '\nPer round, p50 / p99 without and with the hog (ms):\n\n'
			for m in "${MODES[@]}"; do
				printf -- '- %s: %s\n' "$m" "$(echo "[$(per_round "$m")]" | jq -r 'map("round \(.round): \((.p50_us // 0) / 1000 | . * 100 | round / 100) / \((.p99_us // 0) / 1000 | . * 10 | round / 10), hog \((.hog_p50_us // 0) / 1000 | . * 100 | round / 100) / \((.hog_p99_us // 0) / 1000 | . * 10 | round / 10)") | join("; ")' 2>/dev/null)"
			done
		fi
		printf '\nWhere the flow went during the hog, round 1 (lane ring.lane:cpu:busy_ns:packets; per-CPU data IRQs and stack packets, CPU 0 first):\n\n'
		for m in "${MODES[@]}"; do
			l=$(rr_of "$m" yes)
			[ -n "$l" ] || continue
			printf -- '- %s: hog on CPU %s; lanes %s; IRQs %s; stack %s; server on CPU %s\n' "$m" \
				"$(kv_of "$l" hog_cpu)" "$(kv_of "$l" lane_deltas)" "$(kv_of "$l" irq_deltas)" \
				"$(kv_of "$l" softnet_deltas)" "$(kv_of "$l" server_cpu)"
		done
	} >"$OUT/steer.md"
}

main() {
	local t0 problems=() m st info

	t0=$(now)
	LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
	IRQB_BIN='' IRQB_VERSION='' IRQB_REASON=''
	if [ "$PARSE_ONLY" = 0 ]; then
		if [ "$(id -u)" != 0 ]; then
			write_skipped "needs root (scripts/vm.sh --tap: a network namespace)"
			return 0
		fi
		for t in qemu-system-x86_64 jq ping; do
			command -v "$t" >/dev/null ||
				{ write_skipped "$t is not installed (scripts/deps.sh)"; return 0; }
		done
		log "building (scripts/vm.sh --tap --build-only)"
		if ! timeout 1200 "$VM" --tap --build-only >"$V/build.log" 2>&1 ||
		   [ ! -x "$UDPRR" ]; then
			write_skipped "scripts/vm.sh --build-only failed (steer/build.log): $(tail -n 1 "$V/build.log")"
			return 1
		fi
		fetch_irqbalance || log "irqbalance: $IRQB_REASON (mode irqbalance skipped)"
		run_vm || problems+=("vm.sh exit $(cut -d' ' -f1 "$V/run") (steer/steer.log)")
	else
		fetch_irqbalance >/dev/null 2>&1
	fi
	read -r VM_RC WALL <"$V/run" 2>/dev/null || { VM_RC='' WALL=''; }
	# the run's own rate and length (--parse-only does not know them)
	info=$(bench_lines info | head -n 1)
	RR_RATE=$(kv_of "$info" rr_rate) RR_S=$(kv_of "$info" rr_s)
	RR_RATE=${RR_RATE:-0} RR_S=${RR_S:-0}
	[ -z "$(kv_of "$info" rounds)" ] || ROUNDS=$(kv_of "$info" rounds)
	LOAD0=$(sed -n 1p "$V/loadavg" 2>/dev/null) LOAD1=$(sed -n 2p "$V/loadavg" 2>/dev/null)
	metrics
	while IFS=$'\t' read -r m st _; do
		case $st in
		ok) ;;
		skipped*) ;;
		*) problems+=("$m: $st") ;;
		esac
	done <"$V/steer.tsv"
	if [ ${#problems[@]} = 0 ]; then STATUS=ok; else STATUS="partial: ${problems[*]}"; fi
	steer_json
	steer_md
	echo "$STATUS" >"$OUT/steer_status"
	log "done in $(elapsed "$t0") s: $STATUS"
}

main
