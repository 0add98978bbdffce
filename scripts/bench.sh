#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: build the benchmarks in tools/bench/, run them, and
# write every figure under one output directory:
#
#   results.json   everything, machine-readable
#   results.md     the same as Markdown tables (printed at the end)
#   *.png          charts of the policy comparison (gnuplot),
#                  hog_*.png of the in-VM CPU hog scenarios and
#                  nic.png of the NIC comparison
#   steer.json, steer.md   the steering comparison (also in results.*)
#   callgrind/, hash_time*.tsv, policy_sim.*, step_*.dat   raw data
#   vm/            the in-VM part's console logs and parsed data
#   nic/           the NIC comparison's console log and raw results
#   steer/         the steering comparison's console log and raw results
#
# Parts: the Toeplitz hash (instructions per hash with callgrind,
# ns per hash with clock_gettime), the policy simulator, the charts,
# and the in-VM part (vm_bench below: tests/vm/bench/run.sh boots the
# test VM with the real driver and device, about 14 minutes), and the
# NIC comparison (nic_bench: tests/vm/bench/nic.sh, evsteer and QEMU's
# virtio-net side by side in one VM, about 3 minutes; needs root), and
# the steering comparison (steer_bench: tests/vm/bench/steer.sh, UDP
# request/response under a CPU hog through evsteer in its dynamic mode,
# static RSS, RPS/RFS and irqbalance, one VM, about 3 minutes; root).
# Every command runs under `timeout`: each step under
# EVSTEER_BENCH_TIMEOUT, the in-VM part as a whole under
# EVSTEER_BENCH_VM_TIMEOUT, the NIC comparison under
# EVSTEER_BENCH_NIC_TIMEOUT, the steering comparison under
# EVSTEER_BENCH_STEER_TIMEOUT; nothing is left running.  Figures are
# reported, never asserted.
#
# Usage: scripts/bench.sh [--out DIR] [--quick] [--sim-cpus LIST]
#                         [--sim-seconds N] [--hash-runs N] [--no-vm]
#                         [--no-nic] [--no-steer]
#   --out DIR        default build/bench/<timestamp>; build/bench/latest
#                    then points at it
#   --quick          a short run for trying the script out: 2 CPU
#                    counts, 60 simulated seconds, 11 timing runs, and
#                    a shorter VM part (tests/vm/bench/run.sh --quick),
#                    NIC comparison (tests/vm/bench/nic.sh --quick) and
#                    steering comparison (tests/vm/bench/steer.sh --quick)
#   --no-vm          leave the VM parts out (recorded as not run)
#   --no-nic         leave the NIC comparison out (recorded as not run)
#   --no-steer       leave the steering comparison out (recorded as not run)
# Env: EVSTEER_BENCH_TIMEOUT (600 s per step), EVSTEER_BENCH_VM_TIMEOUT (1080 s),
#      EVSTEER_BENCH_NIC_TIMEOUT (600 s), EVSTEER_BENCH_STEER_TIMEOUT (480 s)

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build
BIN=$BUILD/bench/bin
STEP_TIMEOUT=${EVSTEER_BENCH_TIMEOUT:-600}
OUT=
SIM_CPUS=4,64,1024,4096
SIM_SECONDS=180
SERIES_CPUS=4,64
HASH_RUNS=31
HASH_TARGET_MS=5
CG_CALLS=16384			# hashes counted per callgrind run
TABLE_V4_TARGET=60		# instructions per IPv4 hash, table version
RATIO_TARGET=20			# bitwise / table instructions, at least
VM_TIMEOUT=${EVSTEER_BENCH_VM_TIMEOUT:-1080}
VM_ARGS=()
NO_VM=0
NIC_TIMEOUT=${EVSTEER_BENCH_NIC_TIMEOUT:-600}
NIC_ARGS=()
NO_NIC=0
STEER_TIMEOUT=${EVSTEER_BENCH_STEER_TIMEOUT:-480}
STEER_ARGS=()
NO_STEER=0
FAILED=()
SKIPPED=()

log() { echo "bench: $*" >&2; }

usage() {	# usage STATUS: the usage lines, to stderr unless STATUS is 0
	if [ "$1" = 0 ]; then
		sed -n '/^# Usage:/,/^# Env:/p' "$0" | sed 's/^# \{0,1\}//'
	else
		sed -n '/^# Usage:/,/^# Env:/p' "$0" | sed 's/^# \{0,1\}//' >&2
	fi
	exit "$1"
}

while [ $# -gt 0 ]; do
	case $1 in
	--out) OUT=$2; shift ;;
	--quick) SIM_CPUS=4,64 SIM_SECONDS=60 HASH_RUNS=11 VM_ARGS=(--quick)
		 NIC_ARGS=(--quick) STEER_ARGS=(--quick) ;;
	--no-vm) NO_VM=1 ;;
	--no-nic) NO_NIC=1 ;;
	--no-steer) NO_STEER=1 ;;
	--sim-cpus) SIM_CPUS=$2; shift ;;
	--sim-seconds) SIM_SECONDS=$2; shift ;;
	--hash-runs) HASH_RUNS=$2; shift ;;
	-h|--help) usage 0 ;;
	*) usage 2 ;;
	esac
	shift
done

# bounded COMMAND...: run it under the step timeout
bounded() {
	timeout -k 10 "$STEP_TIMEOUT" "$@"
}

# json_str TEXT: TEXT as a JSON string literal
json_str() {
	printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g' |
			 tr -d '\000-\037')"
}

# have TOOL PACKAGE: is TOOL there?  If not, name the Debian package.
have() {
	command -v "$1" >/dev/null 2>&1 && return 0
	log "$1 not found: install the Debian package $2"
	return 1
}

# ---- machine --------------------------------------------------------------

machine() {
	CPU_MODEL=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo |
		    head -n 1)
	NPROC=$(nproc)
	KERNEL=$(uname -r)
	CC_VERSION=$(${CC:-cc} --version 2>/dev/null | head -n 1)
	VG_VERSION=$(valgrind --version 2>/dev/null || echo none)
	LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
	GIT_REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null ||
		  echo unknown)
	if [ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null)" ]; then
		GIT_REV="$GIT_REV (with uncommitted changes)"
	fi
	DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
}

# ---- build ----------------------------------------------------------------

build() {
	log "building tools/bench"
	bounded make --no-print-directory -C "$ROOT/tools/bench" \
		O="$BUILD" >"$OUT/build.log" 2>&1 && return 0
	cat "$OUT/build.log" >&2
	return 1
}

# ---- hash: instructions (callgrind) ------------------------------------------

# cg_count BINARY VARIANT TUPLE: instructions of CG_CALLS calls of the
# loop hb_loop_VARIANT (callgrind counts only inside it).
cg_count() {
	local bin=$1 v=$2 t=$3 f

	f=$OUT/callgrind/$(basename "$bin").$v.$t.out
	bounded valgrind --tool=callgrind --callgrind-out-file="$f" \
		--toggle-collect='hb_loop_*' --collect-atstart=no \
		"$bin" count "$v" "$t" "$CG_CALLS" >/dev/null 2>&1 || return 1
	sed -n 's/^totals: *//p' "$f" | awk '{ print $1 }'
}

# hash_counts: instructions per hash of every variant, baseline off,
# into $OUT/hash_instr.tsv (build variant tuple instructions).
hash_counts() {
	local bin v t base ir

	mkdir -p "$OUT/callgrind"
	: >"$OUT/hash_instr.tsv"
	for bin in hash_bench hash_bench-O3; do
		for t in ipv4 ipv6; do
			base=$(cg_count "$BIN/$bin" none "$t") || return 1
			for v in table tableconst bitwise setbit; do
				ir=$(cg_count "$BIN/$bin" "$v" "$t") || return 1
				awk -v b="${bin#hash_bench}" -v v="$v" -v t="$t" \
				    -v ir="$ir" -v base="$base" -v n="$CG_CALLS" \
				    'BEGIN { printf "%s\t%s\t%s\t%.1f\t%.2f\n",
					     b == "" ? "O2" : "O3", v, t,
					     (ir - base) / n, base / n }' \
					>>"$OUT/hash_instr.tsv"
			done
		done
	done
}

# ---- hash: ns per hash ----------------------------------------------------------

hash_times() {
	log "hash: ns per hash, $HASH_RUNS runs of ~$HASH_TARGET_MS ms each"
	bounded "$BIN/hash_bench" time "$HASH_RUNS" "$HASH_TARGET_MS" \
		>"$OUT/hash_time.tsv" || return 1
	bounded "$BIN/hash_bench-O3" time "$HASH_RUNS" "$HASH_TARGET_MS" \
		>"$OUT/hash_time_O3.tsv"
}

# hash_join: one line per (build, variant, tuple): instructions and ns.
# Columns: build variant tuple bytes instr ns_median ns_min ns_max
hash_join() {
	awk -F'\t' '
		FNR == 1 { file++ }
		/^#/ { next }
		file == 1 { instr[$1 FS $2 FS $3] = $4; next }
		{ b = file == 2 ? "O2" : "O3"; k = b FS $1 FS $2
		  if (k in instr)
			printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", b, $1, $2,
			       $3, instr[k], $6, $7, $8 }
	' "$OUT/hash_instr.tsv" "$OUT/hash_time.tsv" "$OUT/hash_time_O3.tsv" \
		>"$OUT/hash.tsv"
}

# hash_get BUILD VARIANT TUPLE COLUMN: one figure of hash.tsv
hash_get() {
	awk -F'\t' -v b="$1" -v v="$2" -v t="$3" -v c="$4" \
	    '$1 == b && $2 == v && $3 == t { print $c }' "$OUT/hash.tsv"
}

hash_bench() {
	log "hash: instructions per hash (callgrind, $CG_CALLS calls)"
	hash_counts && hash_times && hash_join && hash_targets
}

# Targets: table IPv4 <= 60 instructions; bitwise >= 20x the table.
hash_targets() {
	local t4 b4 b6 t6

	t4=$(hash_get O2 table ipv4 5) b4=$(hash_get O2 bitwise ipv4 5)
	t6=$(hash_get O2 table ipv6 5) b6=$(hash_get O2 bitwise ipv6 5)
	awk -v t4="$t4" -v b4="$b4" -v t6="$t6" -v b6="$b6" \
	    -v lim="$TABLE_V4_TARGET" -v ratio="$RATIO_TARGET" '
	function row(name, target, value, met, note) {
		printf "%s\t%s\t%s\t%s\t%s\n", name, target, value,
		       met ? "yes" : "no", note
	}
	BEGIN {
		if (t4 <= lim)
			note = sprintf("%.1f under", lim - t4)
		else
			note = sprintf("missed by %.1f (+%.0f %%)", t4 - lim,
				       (t4 - lim) * 100 / lim)
		row("table, IPv4: instructions per hash", "<= " lim, t4,
		    t4 <= lim, note)
		row("bitwise / table instructions, IPv4", ">= " ratio "x",
		    sprintf("%.1fx", b4 / t4), b4 / t4 >= ratio, "")
		row("bitwise / table instructions, IPv6", ">= " ratio "x",
		    sprintf("%.1fx", b6 / t6), b6 / t6 >= ratio, "")
	}' >"$OUT/hash_targets.tsv"
}

hash_md() {
	local base

	base=$(awk -F'\t' '$1 == "O2" { print $5; exit }' \
		"$OUT/hash_instr.tsv")
	cat <<EOF
## Toeplitz hash

Instructions per hash: callgrind, $CG_CALLS calls, minus the same loop
without the hash ($base instructions per iteration), divided by
$CG_CALLS.  ns per hash: median over $HASH_RUNS runs of ~$HASH_TARGET_MS ms
(min-max in brackets), loop included.  Inputs: 1024 random tuples
(seeded), the length a run-time value as in the device.  Built with
\`-O2\` unless the row says otherwise.

| variant | tuple | bytes | instructions/hash | ns/hash, median (min-max) |
| --- | --- | ---: | ---: | ---: |
EOF
	awk -F'\t' '
	BEGIN { name["table"] = "table (evs_toeplitz_hash)"
		name["bitwise"] = "bitwise (evs_toeplitz_ref)"
		name["setbit"] = "set-bit (evs_toeplitz_setbits)"
		name["tableconst"] = "table, length a compile-time constant" }
	$1 == "O2" && $2 != "tableconst" { main[++n] = $0 }
	$2 == "tableconst" { what[++m] = $0 }
	function row(line, suffix,    f) {
		split(line, f, "\t")
		printf "| %s%s | %s | %s | %s | %.2f (%.2f-%.2f) |\n",
		       name[f[2]], suffix, f[3] == "ipv4" ? "IPv4" : "IPv6",
		       f[4], f[5], f[6], f[7], f[8]
	}
	END {
		for (i = 1; i <= n; i++)
			row(main[i], "")
		for (i = 1; i <= m; i++) {
			split(what[i], f, "\t")
			row(what[i], ", " (f[1] == "O2" ? "-O2" : "-O3") \
				     " (what-if)")
		}
	}' "$OUT/hash.tsv"
	printf '\n| target | wanted | measured | met | note |\n'
	printf '| --- | --- | ---: | --- | --- |\n'
	awk -F'\t' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' \
		"$OUT/hash_targets.tsv"
}

hash_json() {
	printf '{"status": "ok", "calls_counted": %s, "timing_runs": %s, ' \
		"$CG_CALLS" "$HASH_RUNS"
	printf '"timing_target_ms": %s, "tuples": 1024, ' "$HASH_TARGET_MS"
	printf '"baseline_instructions_per_call": %s,\n   "results": [\n' \
		"$(awk -F'\t' '$1 == "O2" { print $5; exit }' \
			"$OUT/hash_instr.tsv")"
	awk -F'\t' '{ printf "%s    {\"build\": \"-%s\", \"variant\": \"%s\", \"tuple\": \"%s\", \"bytes\": %s, \"instructions_per_hash\": %s, \"ns_median\": %s, \"ns_min\": %s, \"ns_max\": %s}",
			  (NR > 1 ? ",\n" : ""), $1, $2, $3, $4, $5, $6, $7, $8 }
		END { print "" }' "$OUT/hash.tsv"
	printf '   ],\n   "targets": [\n'
	awk -F'\t' '{ printf "%s    {\"name\": \"%s\", \"wanted\": \"%s\", \"measured\": \"%s\", \"met\": %s, \"note\": \"%s\"}",
			  (NR > 1 ? ",\n" : ""), $1, $2, $3,
			  $4 == "yes" ? "true" : "false", $5 }
		END { print "" }' "$OUT/hash_targets.tsv"
	printf '   ]}'
}

# ---- policy simulator -----------------------------------------------------------

policy_sim() {
	log "policy_sim: CPUs $SIM_CPUS, $SIM_SECONDS s simulated per run"
	bounded "$BIN/policy_sim" --cpus "$SIM_CPUS" \
		--seconds "$SIM_SECONDS" --series-cpus "$SERIES_CPUS" \
		--out "$OUT" 2>"$OUT/policy_sim.log"
}

charts() {
	log "charts: gnuplot"
	bounded gnuplot -e "dir='$OUT'; cpus='${SIM_CPUS//,/ }'; series='${SERIES_CPUS//,/ }'" \
		"$ROOT/tools/bench/policy_sim.gp"
}

# ---- VM part -----------------------------------------------------------------------
#
# vm_bench: the in-VM measurements, tests/vm/bench/run.sh: per lane
# mode (napi, threaded, workqueue, tasklet), the highest frame rate
# delivered to a UDP socket with nothing lost at 1, 2 and 4 rings,
# interrupts per frame, and the hard IRQ -> socket latency (with the
# driver's window -> lane start and head-of-line histograms) at a fixed
# rate; and a CPU hog against evsteer's load monitor and against
# Debian's irqbalance (policy static), with a chart each (hog_*.png).  It writes vm.json (the "vm" object of
# results.json), vm.md (the "In the VM" section) and vm_status into
# $OUT, its logs and data into $OUT/vm/.  Bounded by VM_TIMEOUT.
vm_bench() {
	local rc

	if [ "$NO_VM" = 1 ]; then
		VM_STATUS="not-run"
		VM_JSON='{"status": "not-run", "reason": "--no-vm given", "results": null}'
		# shellcheck disable=SC2016 # the backquotes are Markdown
		VM_MD='The in-VM part was **not run** (`--no-vm`). No VM figures are reported.'
		return
	fi
	log "vm: in-VM benchmarks (tests/vm/bench/run.sh, at most $VM_TIMEOUT s)"
	rm -f "$OUT/vm.json" "$OUT/vm.md" "$OUT/vm_status"
	timeout -k 30 "$VM_TIMEOUT" "$ROOT/tests/vm/bench/run.sh" --out "$OUT" \
		"${VM_ARGS[@]}"
	rc=$?
	if [ -s "$OUT/vm.json" ] && [ -s "$OUT/vm.md" ]; then
		VM_STATUS=$(head -n 1 "$OUT/vm_status" 2>/dev/null || echo unknown)
		VM_JSON=$(cat "$OUT/vm.json")
		VM_MD=$(cat "$OUT/vm.md")
		[ "$rc" = 0 ] || log "vm: tests/vm/bench/run.sh exit $rc"
		return
	fi
	VM_STATUS="failed: tests/vm/bench/run.sh exit $rc, no results"
	[ "$rc" = 124 ] && VM_STATUS="failed: timed out after $VM_TIMEOUT s"
	FAILED+=(vm)
	VM_JSON="{\"status\": \"failed\", \"reason\": $(json_str "$VM_STATUS; logs in vm/"), \"results\": null}"
	VM_MD="The in-VM part **failed** ($VM_STATUS); logs in \`vm/\`. No VM figures are reported."
}

# ---- NIC comparison --------------------------------------------------------------
#
# nic_bench: tests/vm/bench/nic.sh, one VM with evsteer's evs0 and QEMU's
# virtio-net (RPS, RFS, irqbalance) side by side on TAPs in a namespace
# of the run's own: ping RTT, iperf3 TCP both ways with the guest's CPU
# per Mbit/s, UDP request/response with and without a CPU hog; ratios
# evsteer / virtio-net.  It writes nic.json (the "nic" object of
# results.json), nic.md, nic_status and nic.png into $OUT, its logs and
# raw results into $OUT/nic/.  Bounded by NIC_TIMEOUT.
nic_bench() {
	local rc why

	if [ "$NO_VM" = 1 ] || [ "$NO_NIC" = 1 ]; then
		why=--no-nic
		[ "$NO_VM" = 0 ] || why=--no-vm
		NIC_STATUS="not-run"
		NIC_JSON="{\"status\": \"not-run\", \"reason\": \"$why given\", \"results\": null}"
		NIC_MD="The NIC comparison was **not run** (\`$why\`)."
		return
	fi
	log "nic: evsteer vs virtio-net (tests/vm/bench/nic.sh, at most $NIC_TIMEOUT s)"
	rm -f "$OUT/nic.json" "$OUT/nic.md" "$OUT/nic_status"
	timeout -k 30 "$NIC_TIMEOUT" "$ROOT/tests/vm/bench/nic.sh" --out "$OUT" \
		"${NIC_ARGS[@]}"
	rc=$?
	if [ -s "$OUT/nic.json" ] && [ -s "$OUT/nic.md" ]; then
		NIC_STATUS=$(head -n 1 "$OUT/nic_status" 2>/dev/null || echo unknown)
		NIC_JSON=$(cat "$OUT/nic.json")
		NIC_MD=$(cat "$OUT/nic.md")
		[ "$rc" = 0 ] || log "nic: tests/vm/bench/nic.sh exit $rc"
		return
	fi
	NIC_STATUS="failed: tests/vm/bench/nic.sh exit $rc, no results"
	[ "$rc" = 124 ] && NIC_STATUS="failed: timed out after $NIC_TIMEOUT s"
	FAILED+=(nic)
	NIC_JSON="{\"status\": \"failed\", \"reason\": $(json_str "$NIC_STATUS; logs in nic/"), \"results\": null}"
	NIC_MD="The NIC comparison **failed** ($NIC_STATUS); logs in \`nic/\`. No figures are reported."
}

# ---- steering comparison ---------------------------------------------------------
#
# steer_bench: tests/vm/bench/steer.sh, one VM, one UDP request/response
# flow through evs0 without and with a CPU hog on the flow's lane's CPU,
# in evsteer's dynamic mode (defaults), policy static (RSS), static with
# RPS/RFS, and static with Debian's irqbalance on evsteer's vectors;
# ratios to the dynamic mode.  It writes steer.json (the "steer" object
# of results.json), steer.md and steer_status into $OUT, its logs and
# raw results into $OUT/steer/.  Bounded by STEER_TIMEOUT.
steer_bench() {
	local rc why

	if [ "$NO_VM" = 1 ] || [ "$NO_STEER" = 1 ]; then
		why=--no-steer
		[ "$NO_VM" = 0 ] || why=--no-vm
		STEER_STATUS="not-run"
		STEER_JSON="{\"status\": \"not-run\", \"reason\": \"$why given\", \"results\": null}"
		STEER_MD="The steering comparison was **not run** (\`$why\`)."
		return
	fi
	log "steer: evsteer's steering configurations (tests/vm/bench/steer.sh, at most $STEER_TIMEOUT s)"
	rm -f "$OUT/steer.json" "$OUT/steer.md" "$OUT/steer_status"
	timeout -k 30 "$STEER_TIMEOUT" "$ROOT/tests/vm/bench/steer.sh" --out "$OUT" \
		"${STEER_ARGS[@]}"
	rc=$?
	if [ -s "$OUT/steer.json" ] && [ -s "$OUT/steer.md" ]; then
		STEER_STATUS=$(head -n 1 "$OUT/steer_status" 2>/dev/null || echo unknown)
		STEER_JSON=$(cat "$OUT/steer.json")
		STEER_MD=$(cat "$OUT/steer.md")
		[ "$rc" = 0 ] || log "steer: tests/vm/bench/steer.sh exit $rc"
		return
	fi
	STEER_STATUS="failed: tests/vm/bench/steer.sh exit $rc, no results"
	[ "$rc" = 124 ] && STEER_STATUS="failed: timed out after $STEER_TIMEOUT s"
	FAILED+=(steer)
	STEER_JSON="{\"status\": \"failed\", \"reason\": $(json_str "$STEER_STATUS; logs in steer/"), \"results\": null}"
	STEER_MD="The steering comparison **failed** ($STEER_STATUS); logs in \`steer/\`. No figures are reported."
}

# ---- results ----------------------------------------------------------------------

# part NAME FUNCTION: run one part, note whether it failed
part() {
	local name=$1

	shift
	if "$@"; then
		eval "${name}_STATUS=ok"
	else
		log "$name: failed"
		eval "${name}_STATUS=failed"
		FAILED+=("$name")
	fi
}

machine_json() {
	printf '{"nproc": %s, "cpu_model": %s, "kernel": %s, ' "$NPROC" \
		"$(json_str "$CPU_MODEL")" "$(json_str "$KERNEL")"
	printf '"cc": %s, "valgrind": %s, "loadavg_at_start": %s, ' \
		"$(json_str "$CC_VERSION")" "$(json_str "$VG_VERSION")" \
		"$(json_str "$LOADAVG")"
	printf '"git": %s, "date": %s}' "$(json_str "$GIT_REV")" \
		"$(json_str "$DATE")"
}

status_json() {	# status_json STATUS: a part that did not produce figures
	printf '{"status": %s, "results": null}' "$(json_str "$1")"
}

results_json() {
	{
		printf '{\n "machine": %s,\n' "$(machine_json)"
		printf ' "hash": '
		if [ "$HASH_STATUS" = ok ]; then hash_json
		else status_json "$HASH_STATUS"; fi
		printf ',\n "policy_sim": '
		if [ "$SIM_STATUS" = ok ]; then
			printf '{"status": "ok", "charts": %s, "data":\n' \
				"$(json_str "$CHARTS_STATUS")"
			cat "$OUT/policy_sim.json"
			printf '}'
		else
			status_json "$SIM_STATUS"
		fi
		printf ',\n "vm": %s' "$VM_JSON"
		printf ',\n "nic": %s' "$NIC_JSON"
		printf ',\n "steer": %s\n}\n' "$STEER_JSON"
	} >"$OUT/results.json"
}

results_md() {
	{
		printf '# evsteer benchmarks, %s\n\n' "$DATE"
		printf 'Machine: %s CPUs, %s, kernel %s; %s; load average at start %s; git %s.\n\n' \
			"$NPROC" "$CPU_MODEL" "$KERNEL" "$CC_VERSION" \
			"$LOADAVG" "$GIT_REV"
		if [ "$HASH_STATUS" = ok ]; then hash_md
		else printf '## Toeplitz hash\n\nNot measured: %s.\n' \
			"$HASH_STATUS"; fi
		printf '\n## Policy simulator\n\n'
		if [ "$SIM_STATUS" = ok ]; then
			cat "$OUT/policy_sim.md"
			printf '\nCharts (%s): migrations.png, relief.png, step_usage.png\n' \
				"$CHARTS_STATUS"
		else
			printf 'Not run: %s.\n' "$SIM_STATUS"
		fi
		printf '\n## In the VM\n\n%s\n' "$VM_MD"
		printf '\n## evsteer vs virtio-net, side by side\n\n%s\n' "$NIC_MD"
		printf '\n## Steering configurations of evsteer: UDP request/response under a CPU hog\n\n%s\n' "$STEER_MD"
	} >"$OUT/results.md"
}

main() {
	local stamp

	stamp=$(date +%Y%m%d-%H%M%S)
	if [ -z "$OUT" ]; then
		OUT=$BUILD/bench/$stamp
		mkdir -p "$OUT" || exit 1
		ln -sfn "$stamp" "$BUILD/bench/latest"
	fi
	mkdir -p "$OUT" || exit 1
	OUT=$(cd "$OUT" && pwd)
	machine
	log "output: $OUT"

	HASH_STATUS="not-run" SIM_STATUS="not-run" CHARTS_STATUS="not-run"
	if ! have cc gcc || ! have make make; then
		log "cannot build"
		exit 1
	fi
	part BUILD build
	if [ "$BUILD_STATUS" = ok ]; then
		if have valgrind valgrind; then
			part HASH hash_bench
		else
			HASH_STATUS="skipped: valgrind missing"
			SKIPPED+=(hash)
		fi
		part SIM policy_sim
		if [ "$SIM_STATUS" = ok ] && have gnuplot gnuplot-nox; then
			part CHARTS charts
		elif [ "$SIM_STATUS" = ok ]; then
			CHARTS_STATUS="skipped: gnuplot missing"
			SKIPPED+=(charts)
		fi
	fi
	vm_bench
	nic_bench
	steer_bench
	results_json
	results_md
	cat "$OUT/results.md"
	echo
	echo "bench: results in $OUT; vm part: $VM_STATUS; nic: $NIC_STATUS; steer: $STEER_STATUS${FAILED[*]:+; failed: ${FAILED[*]}}${SKIPPED[*]:+; skipped: ${SKIPPED[*]}}"
	[ ${#FAILED[@]} -eq 0 ]
}

main
