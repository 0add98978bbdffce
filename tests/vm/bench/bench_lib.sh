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

# ---- counters ---------------------------------------------------------------------

# es_sum FILE SUFFIX: the sum of ringN_SUFFIX over the data rings.
es_sum() {
	awk -v s="$2" -v n="$EVSTEER_RINGS" '{
		if (match($1, /^ring[0-9]+_/) && substr($1, RLENGTH + 1) == s &&
		    substr($1, 5, RLENGTH - 5) + 0 < n)
			t += $2
	} END { print t + 0 }' "$1"
}
