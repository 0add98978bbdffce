# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the in-VM benchmarks (tests/vm/bench/*.sh, busybox sh),
# sourced after tests/vm/guest/lib.sh and dp_lib.sh.  The benchmarks
# assert nothing: they print raw figures as "bench-<what> key=value ..."
# lines on the console, and tests/vm/bench/run.sh on the host turns
# them into results.  Everything started here in the background is
# stopped by its pid.
# shellcheck shell=sh
# shellcheck disable=SC2034 # MON, LAT and KD are for the scripts

MON=$DBG/monitor
LAT=$DBG/latency

# emit WHAT KEY=VALUE...: one result line for the host.
emit() {
	_w=$1
	shift
	echo "bench-$_w $*"
}

uptime_s() { cut -d' ' -f1 /proc/uptime; }

# ---- sysfs knobs ------------------------------------------------------------

knob_dir() {
	for _k in /sys/bus/pci/devices/*/evsteer; do
		[ -d "$_k" ] && { echo "$_k"; return 0; }
	done
	return 1
}
KD=$(knob_dir)

# set_knob NAME VALUE: write it; say so if it was refused.
set_knob() {
	echo "$2" >"$KD/$1" || emit error "knob=$1 value=$2 refused"
}

knobs_state() {
	for _n in margin interval_ms smoothing policy cpus lanes bh_mode; do
		printf '%s=%s ' "$_n" "$(cat "$KD/$_n")"
	done
	echo
}

# ---- the monitor's view ---------------------------------------------------------

# mon_lanes: "RING LANE CPU LOAD" per data lane in use.
mon_lanes() {
	awk '$1 ~ /^ring=/ {
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		print v["ring"], v["lane"], v["cpu"], v["load"]
	}' "$MON"
}

# busiest_lane: "RING LANE CPU" of the lane with the highest own load.
busiest_lane() {
	mon_lanes | awk 'NR == 1 || $4 > best { best = $4; b = $1 " " $2 " " $3 }
		END { print b }'
}

# ---- tracefs --------------------------------------------------------------------

TR=/sys/kernel/tracing
[ -w "$TR/trace_marker" ] || mount -t tracefs nodev "$TR" 2>/dev/null
[ -w "$TR/trace_marker" ] || TR=/sys/kernel/debug/tracing

# trace_start EVENT...: an empty buffer, the global clock, these evsteer
# events only, tracing on.
trace_start() {
	echo 0 >"$TR/tracing_on"
	echo 0 >"$TR/events/enable"
	echo global >"$TR/trace_clock"
	echo 2048 >"$TR/buffer_size_kb"
	: >"$TR/trace"
	for _e in "$@"; do
		echo 1 >"$TR/events/evsteer/$_e/enable" ||
			emit error "tracepoint=$_e cannot be enabled"
	done
	echo 1 >"$TR/tracing_on"
}

trace_mark() { echo "$1" >"$TR/trace_marker"; }

# trace_stop: tracing off; print the markers and evsteer_migrate events
# as "bench-trace SECONDS marker NAME" and "bench-trace SECONDS migrate
# ring=R lane=L from=F to=T usage_from=U usage_to=V margin=M why=W".
trace_stop() {
	echo 0 >"$TR/tracing_on"
	awk '!/^#/ {
		for (i = 1; i < NF; i++) {
			if ($i !~ /^[0-9]+\.[0-9]+:$/)
				continue
			t = $i; sub(":", "", t)
			if ($(i + 1) == "tracing_mark_write:") {
				print "bench-trace " t " marker " $NF
			} else if ($(i + 1) == "evsteer_migrate:") {
				line = "bench-trace " t " migrate"
				for (j = i + 2; j <= NF; j++)
					if ($j !~ /^dev=/) line = line " " $j
				print line
			}
			next
		}
	}' "$TR/trace"
}

# ---- samples ----------------------------------------------------------------------

# The IRQ numbers of the evsteer vectors, space-separated.
evs_irqs() {
	awk '$NF ~ /^evsteer[0-9]+-/ { sub(":", "", $1); printf "%s ", $1 }' \
		/proc/interrupts
}

# aff_files: the affinity files of the vectors into AFF_FILES, for sample
aff_files() {
	AFF_FILES=
	for _i in $(evs_irqs); do
		AFF_FILES="$AFF_FILES /proc/irq/$_i/smp_affinity_list /proc/irq/$_i/effective_affinity_list"
	done
}

# sample: one line, "bench-sample t=UPTIME cpuN=BUSY,ALL ... mon=USAGE,...
# lanes=R.L@CPU,... aff=IRQ:AFFINITY/EFFECTIVE,... irqcpu=IRQ:C0/C1/...,...".
# BUSY and ALL are /proc/stat jiffies (busy: all but idle and iowait);
# mon is the driver's per-CPU usage of its last tick (0-10000);
# affinities are cpulists (/proc/irq/N/smp_affinity_list and
# effective_affinity_list); irqcpu are the vector's per-CPU counts.
sample() {
	# shellcheck disable=SC2086 # the file list is meant to split
	awk -v mon="$MON" '
	function add(name, v) { out[name] = out[name] (out[name] == "" ? "" : ",") v }
	FILENAME == "/proc/uptime" { t = $1; next }
	FILENAME == "/proc/stat" {
		if ($1 ~ /^cpu[0-9]+$/) {
			busy = $2 + $3 + $4 + $7 + $8 + $9
			cpus = cpus " " $1 "=" busy "," busy + $5 + $6
		}
		next
	}
	FILENAME == mon {
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		if ($1 ~ /^cpu=/) add("mon", v["usage"])
		else if ($1 ~ /^ring=/) add("lanes", v["ring"] "." v["lane"] "@" v["cpu"])
		next
	}
	FILENAME == "/proc/interrupts" {
		if (FNR == 1) { ncpu = NF; next }
		if ($NF ~ /^evsteer[0-9]+-ring/) {
			irq = $1; sub(":", "", irq); c = ""
			for (i = 2; i <= ncpu + 1; i++) c = c (i > 2 ? "/" : "") $i
			add("irqcpu", irq ":" c)
		}
		next
	}
	FILENAME ~ /smp_affinity_list$/ {
		split(FILENAME, p, "/"); aff[p[4]] = $1; next
	}
	FILENAME ~ /effective_affinity_list$/ {
		split(FILENAME, p, "/"); add("aff", p[4] ":" aff[p[4]] "/" $1); next
	}
	END {
		printf "bench-sample t=%s%s mon=%s lanes=%s aff=%s irqcpu=%s\n",
		       t, cpus, out["mon"], out["lanes"], out["aff"], out["irqcpu"]
	}' /proc/uptime /proc/stat "$MON" /proc/interrupts $AFF_FILES
}

# sampler_start PERIOD: "bench-irqs IRQ=NAME ..." (the vectors), then a
# sample every PERIOD seconds (plus the time a sample takes), in the
# background, until sampler_stop.
SAMPLER=
sampler_start() {
	aff_files
	emit irqs "$(awk '$NF ~ /^evsteer[0-9]+-/ { sub(":", "", $1); printf "%s=%s ", $1, $NF }' /proc/interrupts)"
	(
		while :; do
			sample
			sleep "$1"
		done
	) &
	SAMPLER=$!
}

sampler_stop() {
	[ -n "$SAMPLER" ] || return 0
	kill "$SAMPLER" 2>/dev/null
	wait "$SAMPLER" 2>/dev/null
	SAMPLER=
}

# cpu_busy: "BUSY ALL" jiffies, all CPUs together (/proc/stat)
cpu_busy() {
	awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat
}

# sampler_cost PERIOD SECONDS: what sampling every PERIOD costs: the
# wall time of one sample, and the usage of all CPUs together (in % of
# one CPU) over SECONDS without the sampler, then SECONDS with it.
# "bench-sampler sample_ms=X usage_without=U usage_with=V".
sampler_cost() {
	aff_files
	_t0=$(uptime_s)
	_n=0
	while [ "$_n" -lt 10 ]; do
		sample >/dev/null
		_n=$((_n + 1))
	done
	_t1=$(uptime_s)
	_a=$(cpu_busy)
	sleep "$2"
	_b=$(cpu_busy)
	sampler_start "$1" >/dev/null
	sleep "$2"
	_c=$(cpu_busy)
	sampler_stop
	echo "$_t0 $_t1 $_a $_b $_b $_c" | awk -v n="$(ncpus)" '{
		printf "bench-sampler sample_ms=%d usage_without=%.1f usage_with=%.1f\n",
		       ($2 - $1) * 100, ($5 - $3) * 100 * n / ($6 - $4),
		       ($9 - $7) * 100 * n / ($10 - $8)
	}'
}

# ---- CPU hog ------------------------------------------------------------------------

HOG=
# hog_start CPU MARKER: a busy loop pinned on CPU, which writes MARKER to
# trace_marker from that CPU as it starts.
hog_start() {
	taskset -c "$1" sh -c "echo $2 >$TR/trace_marker; while :; do :; done" &
	HOG=$!
}

hog_stop() {
	[ -n "$HOG" ] || return 0
	kill "$HOG" 2>/dev/null
	wait "$HOG" 2>/dev/null
	HOG=
}

# ---- lanes and vectors, before and after a run ------------------------------------

# lanes_snap FILE: "ring.lane cpu busy_ns rx_packets" per data lane
# (debugfs lanes)
lanes_snap() {
	awk -v r="$EVSTEER_RINGS" '{ delete v
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		if (v["ring"] + 0 < r + 0)
			print v["ring"] "." v["lane"], v["cpu"], v["busy_ns"], v["rx_packets"] }' \
		"$DBG/lanes" >"$1"
}

# busiest_lane_cpu A B: "LANE CPU BUSY_NS_DELTA PACKETS_DELTA ALL" of the
# lane whose busy time grew most from snapshot A to B (its packets if
# none did; its CPU as of B), ALL every lane's
# "ring.lane:cpu:busy_ns:packets" deltas
busiest_lane_cpu() {
	awk 'FNR == NR { b[$1] = $3; p[$1] = $4; next }
		{ d = $3 - b[$1]; q = $4 - p[$1]; all = all (n ? "," : "") $1 ":" $2 ":" d ":" q
		  if (!n++ || d > best || (d == best && q > bq)) { best = d; bq = q; l = $1; c = $2 } }
		END { print l, c, best, bq, all }' "$1" "$2"
}

# irq_snap FILE PATTERN: per-CPU counts of the vectors named PATTERN
# (an awk regex on /proc/interrupts' last field), summed
irq_snap() {
	awk -v p="$2" -v c="$EVSTEER_SMP" '$NF ~ p { for (i = 2; i <= c + 1; i++) s[i - 2] += $i }
		END { for (i = 0; i < c; i++) printf "%d%s", s[i], (i < c - 1 ? " " : "\n") }' \
		/proc/interrupts >"$1"
}

# busiest_irq_cpu A B: "CPU DELTAS" of the CPU whose counts grew most
busiest_irq_cpu() {
	awk 'FNR == NR { for (i = 1; i <= NF; i++) a[i] = $i; next }
		{ for (i = 1; i <= NF; i++) { d = $i - a[i]; ds = ds (i > 1 ? "," : "") d
			if (d > best || i == 1) { best = d; c = i - 1 } } }
		END { print c, ds }' "$1" "$2"
}

# ---- irqbalance -----------------------------------------------------------------------

IRQB_PID=
IRQB_LOG_LINES=${IRQB_LOG_LINES:-400}	# at most this many lines of its log come back

# irqb_bans PATTERN: "--banirq=N" for every IRQ whose /proc/interrupts
# line matches the awk regex PATTERN, space-separated
irqb_bans() {
	awk -v p="$1" 'NR > 1 && $0 ~ p { sub(":", "", $1); printf "%s--banirq=%s", (n++ ? " " : ""), $1 }' \
		/proc/interrupts
}

# irqb_start ARG...: Debian's irqbalance (vm.sh --guest-bin) in the
# background with these arguments; "bench-irqb status=running ..." once
# it has lasted a second, else status=missing or exited (and its log)
irqb_start() {
	if ! command -v irqbalance >/dev/null; then
		emit irqb "status=missing reason=no-irqbalance-binary-in-the-guest"
		return 1
	fi
	mkdir -p /run/irqbalance /var/run
	irqbalance "$@" >/tmp/irqb.log 2>&1 &
	IRQB_PID=$!
	sleep 1
	if kill -0 "$IRQB_PID" 2>/dev/null; then
		emit irqb "status=running pid=$IRQB_PID t=$(uptime_s) args=$*"
	else
		wait "$IRQB_PID"
		emit irqb "status=exited rc=$? t=$(uptime_s)"
		IRQB_PID=
		irqb_log
		return 1
	fi
}

# irqb_log: its log as "bench-irqblog LINE", without the very long CPU
# mask lines
irqb_log() {
	awk 'length($0) <= 200 && NF' /tmp/irqb.log | head -n "$IRQB_LOG_LINES" |
		sed 's/^/bench-irqblog /'
}

# irqb_stop: whether it lasted, then stop it by its pid; its log
irqb_stop() {
	[ -n "$IRQB_PID" ] || return 0
	if kill -0 "$IRQB_PID" 2>/dev/null; then
		emit irqb "status=ran-to-the-end t=$(uptime_s)"
	else
		emit irqb "status=died-before-the-end t=$(uptime_s)"
	fi
	kill "$IRQB_PID" 2>/dev/null
	wait "$IRQB_PID" 2>/dev/null
	IRQB_PID=
	irqb_log
}

# ---- the host channel (tx_lib.sh) ------------------------------------------------

# host_wait N [SECONDS]: for the benchmarks that source tx_lib.sh
# before this (nic_guest.sh, steer_guest.sh), its host_wait with one
# read until the deadline instead of a read -t 1 a second: busybox's
# read drops what it has read of a line when its timeout strikes, so an
# answer read across one of those deadlines is lost (seen under iperf3
# and a CPU hog: "no answer" to a request the host had answered).  Here
# only the last deadline can.
host_wait() {
	_hw_end=$(($(uptime_cs) / 100 + ${2:-$TX_HOST_WAIT} + 1))
	while :; do
		_hw_left=$((_hw_end - $(uptime_cs) / 100))
		[ "$_hw_left" -gt 0 ] || break
		# shellcheck disable=SC3045 # busybox sh has read -t
		read -r -t "$_hw_left" _hw_line <&5 || continue
		case $_hw_line in
		"tx-host-done $1 "*)
			_hw_rc=${_hw_line#"tx-host-done $1 "}
			return "${_hw_rc%% *}"
			;;
		esac
	done
	note "no answer from the host to request $1 in ${2:-$TX_HOST_WAIT} s"
	return 124
}

# ---- counters ---------------------------------------------------------------------

# es_sum FILE SUFFIX: the sum of ringN_SUFFIX over the data rings.
es_sum() {
	awk -v s="$2" -v n="$EVSTEER_RINGS" '{
		if (match($1, /^ring[0-9]+_/) && substr($1, RLENGTH + 1) == s &&
		    substr($1, 5, RLENGTH - 5) + 0 < n)
			t += $2
	} END { print t + 0 }' "$1"
}
