#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The NIC comparison of `make bench` (scripts/bench.sh runs it from
# nic_bench): one VM (scripts/vm.sh --tap --virtio-net) with evsteer's
# evs0 and QEMU's multiqueue virtio-net side by side, both wired to
# TAPs in the run's namespace, the same workloads through each, and the
# ratios evsteer / virtio-net:
#
#   ping     RTT p50/p99 from the namespace, per-packet times
#   tcp      iperf3 host->guest and guest->host (-R): Mbit/s, retransmits,
#            and the guest's CPU per Mbit/s (/proc/stat over each run)
#   rr       UDP request/response (udprr, ours) p50/p99 at a fixed rate,
#            without and with a CPU hog on the NIC's busiest CPU
#
# virtio-net is set up as a user would (vm.sh: every queue pair, RPS on
# every RX queue over all CPUs, RFS; nic_guest.sh: Debian's irqbalance,
# evsteer's vectors banned from it); evsteer runs with its defaults.
# Reports, asserts nothing; every run is bounded.
#
# Usage: tests/vm/bench/nic.sh --out DIR [--quick] [--parse-only]
#   --quick       fewer pings, 4 s runs
#   --parse-only  no VM: the figures again from DIR/nic
# Writes into DIR: nic.json, nic.md, nic_status (ok, partial: reason,
# skipped: reason), nic.png, and nic/ (console log, raw results).
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
PINGS=200 PING_IVAL=0.02 IPERF_S=10 RR_RATE=200 RR_S=10
LIMIT=420		# vm.sh --timeout: boot to power-off

log() { echo "bench-nic: $*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

json_str() {
	printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g' |
			 tr -d '\000-\037')"
}

usage() {
	sed -n '/^# Usage:/,/^# Env:/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--out) OUT=$2; shift ;;
	--quick) QUICK=1 ;;
	--parse-only) PARSE_ONLY=1 ;;
	-h|--help) usage ;;
	*) usage ;;
	esac
	shift
done
[ -n "$OUT" ] || usage
mkdir -p "$OUT/nic" || exit 1
OUT=$(cd "$OUT" && pwd)
V=$OUT/nic
if [ "$QUICK" = 1 ]; then
	PINGS=50 IPERF_S=4 RR_S=4 LIMIT=240
fi

# fetch_irqbalance: the same cached Debian package as run.sh's
# shellcheck source=irqb_fetch.sh
. "$B/irqb_fetch.sh"

write_skipped() {
	echo "skipped: $1" >"$OUT/nic_status"
	printf '{"status": "skipped", "reason": %s, "results": null}\n' "$(json_str "$1")" >"$OUT/nic.json"
	printf 'The NIC comparison was **not run**: %s.  No figures are reported.\n' "$1" >"$OUT/nic.md"
}

# ---- the run ---------------------------------------------------------------------

run_vm() {
	local t0 rc irqb=()

	[ -z "$IRQB_BIN" ] || irqb=(--guest-bin "$IRQB_BIN")
	log "booting one VM with both NICs (bounded by $LIMIT s)"
	rm -f "$V"/*.json "$V"/*.ping "$V"/*.err
	t0=$(now)
	EVSTEER_NO_BUILD=1 EVSTEER_NIC_OUT=$V EVSTEER_UDPRR=$UDPRR \
		timeout -k 10 $((LIMIT + 30)) "$VM" --smp "$SMP" --rings "$RINGS" \
		--tap --virtio-net --timeout "$LIMIT" \
		--guest-file "$G/lib.sh" --guest-file "$G/dp_lib.sh" \
		--guest-file "$G/tx_lib.sh" --guest-file "$B/bench_lib.sh" \
		--guest-bin "$UDPRR" "${irqb[@]}" \
		--guest-env "NIC_PINGS=$PINGS" --guest-env "NIC_PING_IVAL=$PING_IVAL" \
		--guest-env "NIC_IPERF_S=$IPERF_S" --guest-env "NIC_RR_RATE=$RR_RATE" \
		--guest-env "NIC_RR_S=$RR_S" \
		--host-script "$B/nic_host.sh" --guest-script "$B/nic_guest.sh" \
		>"$V/nic.log" 2>&1
	rc=$?
	echo "$rc $(elapsed "$t0")" >"$V/run"
	{ echo "$LOAD0"; cut -d' ' -f1-3 /proc/loadavg; } >"$V/loadavg"
	log "exit $rc after $(cut -d' ' -f2 "$V/run") s"
	return "$rc"
}

# ---- figures -------------------------------------------------------------------

# bench_lines WHAT: the "bench-WHAT ..." lines of the console log
bench_lines() {
	grep -o "bench-$1 .*" "$V/nic.log" | tr -d '\r'
}

# kv_of LINE KEY: a value of a "k=v ..." line
kv_of() {
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}

# ping_pct FILE P: the P-th percentile (nearest rank) of the per-packet
# RTTs, in ms; "-" without replies
ping_pct() {
	sed -n 's/.* time=\([0-9.]*\) ms.*/\1/p' "$1" 2>/dev/null | sort -g |
		awk -v p="$2" '{ v[++n] = $1 }
			END { if (!n) { print "-"; exit }
			      k = int(p / 100 * n + 0.999999); if (k < 1) k = 1
			      print v[k] }'
}

ping_got() {
	sed -n 's/.* \([0-9]*\) received.*/\1/p' "$1" 2>/dev/null | head -n 1
}

# jqv FILE FILTER: a figure from a JSON file, "-" if there is none
jqv() {
	local v

	v=$(jq -r "$2 // empty" "$1" 2>/dev/null)
	printf '%s' "${v:--}"
}

# cpu_per_mbit NIC DIR: the guest's busy CPU (% of one CPU, averaged
# over the run) over the Mbit/s iperf3 measured
cpu_pct() {
	local l

	l=$(bench_lines cpu | grep " nic=$1 dir=$2 " | head -n 1)
	# a run the host did not answer in time spans more than iperf3's
	[ "$(kv_of "$l" rc)" = 0 ] || { echo -; return; }
	awk -v b0="$(kv_of "$l" busy0)" -v a0="$(kv_of "$l" all0)" \
	    -v b1="$(kv_of "$l" busy1)" -v a1="$(kv_of "$l" all1)" \
	    -v c="$(kv_of "$l" cpus)" \
	    'BEGIN { if (a1 > a0) printf "%.1f", (b1 - b0) / (a1 - a0) * c * 100; else print "-" }'
}

# metrics: vm/nic.tsv, one measure a line:
# key, label, unit, better (lower/higher), evsteer, virtio-net
metrics() {
	local n e v a d h

	{
		for n in 50 99; do
			printf 'ping_p%s\tping RTT p%s\tms\tlower\t%s\t%s\n' "$n" "$n" \
				"$(ping_pct "$V/ping_evsteer.ping" "$n")" \
				"$(ping_pct "$V/ping_virtio.ping" "$n")"
		done
		for d in fwd rev; do
			a="host->guest"
			[ "$d" = fwd ] || a="guest->host (-R)"
			e=$(jqv "$V/tcp_${d}_evsteer.json" '.end.sum_received.bits_per_second / 1e6 * 10 | round / 10')
			v=$(jqv "$V/tcp_${d}_virtio.json" '.end.sum_received.bits_per_second / 1e6 * 10 | round / 10')
			printf 'tcp_%s_mbps\tTCP %s\tMbit/s\thigher\t%s\t%s\n' "$d" "$a" "$e" "$v"
			printf 'tcp_%s_retr\tTCP %s retransmits\tsegments\tlower\t%s\t%s\n' "$d" "$a" \
				"$(jqv "$V/tcp_${d}_evsteer.json" '.end.sum_sent.retransmits')" \
				"$(jqv "$V/tcp_${d}_virtio.json" '.end.sum_sent.retransmits')"
			printf 'tcp_%s_cpu\tguest CPU, TCP %s\t%% of one CPU\t-\t%s\t%s\n' "$d" "$a" \
				"$(cpu_pct evsteer "$d")" "$(cpu_pct virtio "$d")"
			printf 'tcp_%s_cpu_per_mbit\tguest CPU per Mbit/s, TCP %s\t%% of one CPU per Mbit/s\tlower\t%s\t%s\n' "$d" "$a" \
				"$(awk -v c="$(cpu_pct evsteer "$d")" -v m="$e" 'BEGIN { if (m > 0 && c != "-") printf "%.3f", c / m; else print "-" }')" \
				"$(awk -v c="$(cpu_pct virtio "$d")" -v m="$v" 'BEGIN { if (m > 0 && c != "-") printf "%.3f", c / m; else print "-" }')"
		done
		for h in rr rrhog; do
			a="UDP request/response"
			[ "$h" = rr ] || a="UDP request/response, CPU hog"
			for n in 50 99; do
				printf '%s_p%s\t%s p%s\tus\tlower\t%s\t%s\n' "$h" "$n" "$a" "$n" \
					"$(jqv "$V/${h}_evsteer.json" ".p${n}_us")" \
					"$(jqv "$V/${h}_virtio.json" ".p${n}_us")"
			done
			printf '%s_lost\t%s lost\trequests\tlower\t%s\t%s\n' "$h" "$a" \
				"$(jqv "$V/${h}_evsteer.json" '.lost')" "$(jqv "$V/${h}_virtio.json" '.lost')"
		done
	} | awk -F'\t' -v OFS='\t' '{
		r = ($5 ~ /^[0-9.]+$/ && $6 ~ /^[0-9.]+$/ && $6 + 0 > 0) ? sprintf("%.2f", $5 / $6) : "-"
		print $0, r }' >"$V/nic.tsv"
}

# ---- outputs ---------------------------------------------------------------------

plot() {
	if ! command -v gnuplot >/dev/null; then
		CHART="skipped: gnuplot missing (Debian package gnuplot-nox)"
		return
	fi
	rm -f "$OUT/nic.png"
	# latencies in us (ping's ms too); the ratios a log scale can show
	awk -F'\t' -v OFS='\t' '$1 ~ /^(ping|rr|rrhog)_p/ && $5 != "-" && $6 != "-" {
		k = $1; sub(/^ping_/, "ping ", k); sub(/^rrhog_/, "UDP RR+hog ", k); sub(/^rr_/, "UDP RR ", k)
		m = ($3 == "ms") ? 1000 : 1
		print "\"" k "\"", $5 * m, $6 * m }' "$V/nic.tsv" >"$V/nic_lat.dat"
	awk -F'\t' -v OFS='\t' '$7 != "-" && $7 + 0 > 0 && $4 != "-" {
		l = $2; gsub(/"/, "", l); sub(/UDP request\/response/, "UDP RR", l)
		print "\"" l "\"", $7, $4 }' "$V/nic.tsv" >"$V/nic_ratio.dat"
	if timeout 120 gnuplot -e "lat='$V/nic_lat.dat'; ratio='$V/nic_ratio.dat'; png='$OUT/nic.png'" "$B/nic.gp" \
		2>"$V/gnuplot.log" && [ -s "$OUT/nic.png" ]; then
		CHART=ok
	else
		CHART="failed (nic/gnuplot.log)"
	fi
}

hog_of() {	# hog_of NIC HOG: its bench-rr line
	bench_lines rr | grep " nic=$1 hog=$2 " | head -n 1
}

nic_json() {
	local info irqb

	info=$(bench_lines info | head -n 1)
	irqb=$(bench_lines irqb | sed 's/^bench-irqb //' | tr '\n' ';')
	{
		printf '{"status": %s, "wall_s": %s, "vm_exit": %s, "chart": %s, "host_nproc": %s, "host_loadavg_start": %s, "host_loadavg_end": %s, ' \
			"$(json_str "$STATUS")" "${WALL:-null}" "${VM_RC:-null}" "$(json_str "$CHART")" \
			"$(nproc)" "$(json_str "$LOAD0")" "$(json_str "$LOAD1")"
		printf '"what": "one VM, two NICs: evsteer (evs0, 198.18.0.2 <-> evstap0) and QEMU virtio-net-pci (198.18.2.2 <-> evstap1), both TAPs in the run'"'"'s namespace; ratio = evsteer / virtio-net", '
		printf '"setup": {"guest_cpus": %s, "evsteer_rings": %s, "virtio_queues": %s, "virtio": "virtio-net-pci mq=on vectors=%s, tap vhost=off queues=%s; RPS rps_cpus=%s on every RX queue, RFS rps_sock_flow_entries=%s rps_flow_cnt=%s", "irqbalance": %s, "irqbalance_version": %s, "evsteer": %s, "accel": "%s", "pings": %s, "ping_interval_s": %s, "iperf_s": %s, "rr_rate": %s, "rr_s": %s},\n' \
			"$SMP" "$RINGS" "$(jv "$(kv_of "$info" vqueues)")" "$((2 * SMP + 2))" "$SMP" \
			"$(kv_of "$info" rps_cpus | tr -cd '0-9a-f,')" \
			"$(kv_of "$info" rps_sock_flow_entries | tr -cd 0-9)" \
			"$(kv_of "$info" rps_flow_cnt | tr -cd 0-9)" "$(json_str "${irqb:-not run: ${IRQB_REASON:-}}")" \
			"$(json_str "${IRQB_VERSION:-}")" \
			"$(json_str "lanes=$(kv_of "$info" evs_lanes) policy=$(kv_of "$info" policy) margin=$(kv_of "$info" margin) interval_ms=$(kv_of "$info" interval_ms) bh_mode=$(kv_of "$info" bh_mode)")" \
			"$([ "${EVSTEER_KVM:-0}" = 1 ] && echo kvm || echo tcg)" \
			"$PINGS" "$PING_IVAL" "$IPERF_S" "$RR_RATE" "$RR_S"
		printf '  "metrics": [\n'
		awk -F'\t' 'function v(x) { return x ~ /^-?[0-9]+(\.[0-9]+)?$/ ? x : "null" }
			{ printf "%s    {\"key\": \"%s\", \"measure\": \"%s\", \"unit\": \"%s\", \"better\": \"%s\", \"evsteer\": %s, \"virtio_net\": %s, \"ratio\": %s}",
				(NR > 1 ? ",\n" : ""), $1, $2, $3, $4, v($5), v($6), v($7) }
			END { print "" }' "$V/nic.tsv"
		printf '  ],\n  "hog": {"evsteer": %s, "virtio_net": %s, "evsteer_during": %s, "virtio_net_during": %s},\n' \
			"$(json_str "$(hog_of evsteer no | sed 's/^bench-rr //')")" \
			"$(json_str "$(hog_of virtio no | sed 's/^bench-rr //')")" \
			"$(json_str "$(hog_of evsteer yes | sed 's/^bench-rr //')")" \
			"$(json_str "$(hog_of virtio yes | sed 's/^bench-rr //')")"
		printf '  "raw": "nic/ (nic.log: console; *.ping, *.json: the host side)", "plot": %s}\n' \
			"$(if [ -s "$OUT/nic.png" ]; then json_str nic.png; else echo null; fi)"
	} >"$OUT/nic.json"
}

jv() {
	if [[ $1 =~ ^-?[0-9]+(\.[0-9]+)?$ ]]; then printf '%s' "$1"; else json_str "$1"; fi
}

nic_md() {
	local info e v

	info=$(bench_lines info | head -n 1)
	e=$(hog_of evsteer no) v=$(hog_of virtio no)
	{
		cat <<EOF
One VM (QEMU $(qemu-system-x86_64 --version | head -n 1 | awk '{ print $4 }'), $([ "${EVSTEER_KVM:-0}" = 1 ] && echo KVM || echo TCG), $SMP vCPUs on $(nproc) host CPUs, host load average
$LOAD0 at the start, $LOAD1 at the end; ${WALL:-?} s in the VM), two NICs side by side, each wired to a TAP in the
run's namespace: evsteer's \`evs0\` (4 rings, $(kv_of "$info" evs_lanes) lanes each, policy
$(kv_of "$info" policy), margin $(kv_of "$info" margin), interval $(kv_of "$info" interval_ms) ms: its defaults) and QEMU's
\`virtio-net-pci\` (mq=on, $(kv_of "$info" vqueues) queue pairs, tap backend with vhost=off), set up
as a user would: RPS on every RX queue over all CPUs (\`rps_cpus=$(kv_of "$info" rps_cpus)\`),
RFS (\`rps_sock_flow_entries=$(kv_of "$info" rps_sock_flow_entries)\`, \`rps_flow_cnt=$(kv_of "$info" rps_flow_cnt)\`), Debian's irqbalance
${IRQB_VERSION:-(not run)} (evsteer's vectors and the serial ports banned from it; $(bench_lines irqb | tail -n 1 | sed 's/^bench-irqb //')).
From the namespace: $PINGS pings at $PING_IVAL s (per-packet RTT, nearest-rank
percentiles), iperf3 TCP $IPERF_S s each way, \`udprr\` $RR_RATE requests/s for
$RR_S s (64 bytes, open loop, one flow), then again with a CPU hog
(\`taskset -c N\` busy loop) on the busiest CPU: for evsteer the CPU of
the lane whose busy time grew most in the run before (CPU $(kv_of "$e" hog_cpu), $(kv_of "$e" lane | sed 's/^/lane /')), for
virtio-net the CPU that took most of its RX interrupts (CPU $(kv_of "$v" hog_cpu), per-CPU
deltas $(kv_of "$v" irq_deltas)).  Guest CPU: \`/proc/stat\` over each iperf3 run, busy
time as % of one CPU.  Everything under TCG on a shared host: the
figures are noisy, the ratios more telling than the absolute values.

| measure | unit | evsteer | virtio-net | evsteer / virtio-net | better |
| --- | --- | ---: | ---: | ---: | --- |
EOF
		awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s |\n", $2, $3, $5, $6, $7, $4 }' "$V/nic.tsv"
		printf '\nDuring the hog: evsteer %s; virtio-net %s.\n' \
			"$(hog_of evsteer yes | tr ' ' '\n' | grep -E '^(lanes_on_cpu_after|busiest_then)=' | tr '\n' ' ' | sed 's/ $//')" \
			"$(hog_of virtio yes | tr ' ' '\n' | grep -E '^(irq_deltas|affinity)=' | tr '\n' ' ' | sed 's/ $//')"
		printf '\nChart (%s): nic.png\n' "$CHART"
	} >"$OUT/nic.md"
}

main() {
	local t0 problems=()

	t0=$(now)
	LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
	IRQB_BIN='' IRQB_VERSION='' IRQB_REASON=''
	if [ "$PARSE_ONLY" = 0 ]; then
		if [ "$(id -u)" != 0 ]; then
			write_skipped "needs root (scripts/vm.sh --tap: a network namespace)"
			return 0
		fi
		for t in qemu-system-x86_64 iperf3 jq ping; do
			command -v "$t" >/dev/null ||
				{ write_skipped "$t is not installed (scripts/deps.sh)"; return 0; }
		done
		log "building (scripts/vm.sh --tap --virtio-net --build-only)"
		if ! timeout 1200 "$VM" --tap --virtio-net --build-only >"$V/build.log" 2>&1 ||
		   [ ! -x "$UDPRR" ]; then
			write_skipped "scripts/vm.sh --build-only failed (nic/build.log): $(tail -n 1 "$V/build.log")"
			return 1
		fi
		fetch_irqbalance || log "irqbalance: $IRQB_REASON"
		run_vm || problems+=("vm.sh exit $(cut -d' ' -f1 "$V/run") (nic/nic.log)")
	else
		fetch_irqbalance >/dev/null 2>&1
	fi
	read -r VM_RC WALL <"$V/run" 2>/dev/null || { VM_RC=null WALL=null; }
	LOAD0=$(sed -n 1p "$V/loadavg" 2>/dev/null) LOAD1=$(sed -n 2p "$V/loadavg" 2>/dev/null)
	metrics
	if awk -F'\t' '$5 == "-" || $6 == "-"' "$V/nic.tsv" | grep -q .; then
		problems+=("measures missing: $(awk -F'\t' '$5 == "-" || $6 == "-" { printf "%s ", $1 }' "$V/nic.tsv")")
	fi
	if [ ${#problems[@]} = 0 ]; then STATUS=ok; else STATUS="partial: ${problems[*]}"; fi
	plot
	nic_json
	nic_md
	echo "$STATUS" >"$OUT/nic_status"
	log "done in $(elapsed "$t0") s: $STATUS"
}

main
