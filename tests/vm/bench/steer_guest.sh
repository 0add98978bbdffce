# SPDX-License-Identifier: GPL-2.0
#
# The guest's side of the steering comparison (tests/vm/bench/steer.sh;
# VM from scripts/vm.sh --tap --no-load): one UDP request/response flow
# through evs0 (198.18.0.2) from the run's namespace, the same in every
# steering configuration of evsteer itself, without and with a CPU hog.
# The host side (nic_host.sh, in the namespace) runs udprr's client; this
# prints raw figures as "bench-<what> key=value ..." lines and asserts
# nothing.
#
# The modes (STEER_MODES, in this order: irqbalance last, so that the
# affinities it writes cannot stay behind for another mode; STEER_ROUNDS
# rounds of them, the others in reverse order in even rounds):
#   evsteer     policy lowest-margin, every knob at its default: the
#               load monitor moves lanes off busy CPUs
#   static      policy static: lanes stay where the driver puts them
#               (ring i's on the CPU of ring i's vector), plain RSS
#   rps         policy static, and RPS/RFS as a user would set them up:
#               rps_cpus all CPUs on every RX queue,
#               rps_sock_flow_entries 32768, rps_flow_cnt 32768 / queues
#   irqbalance  policy static, and Debian's irqbalance (defaults) managing
#               evsteer's vectors: only the serial ports are banned (the
#               harness's); STEER_IRQB_SETTLE_S pass first, for its first
#               pass (10 s interval)
#
# First a warm-up (STEER_WARM_S s of the same runs, not measured; see
# warm_up).  Each mode starts from a fresh module (rmmod, insmod, the
# knobs, then evs0 up: before any traffic; the static modes with every
# lane on its ring's vector CPU, see evs_load), and the flow (one source
# port) hashes to the same ring and lane in every mode.  Then: a fresh udprr server, a warm
# ping, udprr STEER_RR_RATE/s for STEER_RR_S s; the hog (taskset busy
# loop) goes on the CPU of the lane that carried the flow in that run
# (its busy_ns grew most: debugfs lanes), and the same udprr run again
# under it.
# shellcheck shell=sh disable=SC2317 # functions run through check

RR_RATE=${STEER_RR_RATE:-200}
RR_S=${STEER_RR_S:-10}
MODES=${STEER_MODES:-evsteer static rps irqbalance}
IRQB_SETTLE_S=${STEER_IRQB_SETTLE_S:-12}
WARM_S=${STEER_WARM_S:-3}
ROUNDS=${STEER_ROUNDS:-1}
RPS_ENTRIES=32768
RR_PORT=9000
ADDR=198.18.0.2
# one request, at most (tx_lib.sh's host_wait): the run and slack
TX_HOST_WAIT=$((RR_S + 60))
# shellcheck source=../guest/lib.sh
. ./lib.sh
# shellcheck source=../guest/dp_lib.sh
. ./dp_lib.sh
# shellcheck source=../guest/tx_lib.sh
. ./tx_lib.sh
# shellcheck source=bench_lib.sh
. ./bench_lib.sh

IRQB_LOG_LINES=60
DATA_IRQS='^evsteer[0-9]+-ring'

# ---- the module, per mode -------------------------------------------------------

# at_home: every data lane on its ring's vector CPU (debugfs stats'
# ring=R ... cpu=C and the monitor's lanes)
at_home() {
	[ "$(awk 'FNR == NR { if ($1 ~ /^ring=/) { split($1, r, "="); for (i = 2; i <= NF; i++) if ($i ~ /^cpu=/) { split($i, c, "="); home[r[2]] = c[2] } }; next }
		$1 ~ /^ring=/ { delete v; for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			n++; if (!(v["ring"] in home) || home[v["ring"]] != v["cpu"]) bad++ }
		END { print (n > 0 && !bad) }' "$DBG/stats" "$MON")" = 1 ]
}

# evs_load POLICY: insmod, the policy, then evs0 up (vm.sh's netup.sh).
# The monitor starts under the default policy at insmod, and a tick or
# two of it before the write of "static" can move lanes (seen on a busy
# host: six moves herded every idle lane onto one CPU).  So for static
# the lanes are brought home first, to their ring's vector CPU where the
# driver puts them: policy topology with margin 100 and no residence
# moves every lane that carries no load there within a tick; then the
# knobs go back to their defaults and the policy to static.
evs_load() {
	insmod "$EVSTEER_KO" || return 1
	KD=$(knob_dir) || return 1
	if [ "$1" = static ]; then
		_margin=$(cat "$KD/margin") _res=$(cat "$KD/residence_ms")
		set_knob margin 100
		set_knob residence_ms 0
		set_knob policy topology
		wait_s 5 at_home || emit error "lanes not home within 5 s: $(lanes_home)"
		set_knob policy static
		set_knob margin "$_margin"
		set_knob residence_ms "$_res"
	fi
	set_knob policy "$1"
	sh "$EVSTEER_NETUP"
}

# lanes_home: "ring.lane@cpu" of every data lane, for the record
lanes_home() {
	awk '$1 ~ /^ring=/ { delete v; for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		printf "%s%s.%s@%s", (n++ ? "," : ""), v["ring"], v["lane"], v["cpu"] }' "$MON"
}

evs_unload() {
	$IP link set "$NETDEV" down 2>/dev/null
	rmmod evsteer
}

# rps_setup: RPS over every CPU on every RX queue of evs0, and RFS
rps_setup() {
	set -- /sys/class/net/"$NETDEV"/queues/rx-*
	_nq=$#
	echo "$RPS_ENTRIES" >/proc/sys/net/core/rps_sock_flow_entries || return 1
	for _q in "$@"; do
		printf '%x\n' $(((1 << EVSTEER_SMP) - 1)) >"$_q/rps_cpus" || return 1
		echo $((RPS_ENTRIES / _nq)) >"$_q/rps_flow_cnt" || return 1
	done
	emit rps "queues=$_nq rps_cpus=$(cat "$1/rps_cpus") rps_flow_cnt=$(cat "$1/rps_flow_cnt") rps_sock_flow_entries=$(cat /proc/sys/net/core/rps_sock_flow_entries)"
}

# ---- snapshots -------------------------------------------------------------------

# softnet_snap FILE: per CPU, the packets the stack took in there
# (/proc/net/softnet_stat's first field, hex; with RPS the CPU the
# packet was steered to), space-separated
softnet_snap() {
	awk 'function hex(s,  i, v) { v = 0
			for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(tolower(s), i, 1)) - 1
			return v }
		{ printf "%s%d", (NR > 1 ? " " : ""), hex($1) } END { print "" }' \
		/proc/net/softnet_stat >"$1"
}

# deltas A B: B - A, field by field, comma-separated
deltas() {
	awk 'FNR == NR { for (i = 1; i <= NF; i++) a[i] = $i; next }
		{ for (i = 1; i <= NF; i++) printf "%s%d", (i > 1 ? "," : ""), $i - a[i]; print "" }' "$1" "$2"
}

# snap N: lanes, data vectors' per-CPU counts, softnet into /tmp/*.N
snap() {
	lanes_snap "/tmp/l.$1"
	irq_snap "/tmp/i.$1" "$DATA_IRQS"
	softnet_snap "/tmp/s.$1"
}

# data_aff: every data vector's IRQ:smp_affinity_list/effective
data_aff() {
	for _i in $(evs_irqs); do
		case $(awk -v i="$_i:" '$1 == i { print $NF }' /proc/interrupts) in
		evsteer*-ring*) ;;
		*) continue ;;
		esac
		printf '%s:%s/%s,' "$_i" "$(cat /proc/irq/"$_i"/smp_affinity_list)" \
			"$(cat /proc/irq/"$_i"/effective_affinity_list 2>/dev/null)"
	done
}

# server_cpu: the CPU the udprr server last ran on (/proc/PID/stat 39)
server_cpu() { awk '{ print $39 }' "/proc/$RR_PID/stat" 2>/dev/null; }

# where A B: what the flow's path did from snapshot A to B, "k=v ..."
where() {
	printf 'lane_deltas=%s irq_deltas=%s softnet_deltas=%s aff=%s server_cpu=%s' \
		"$(busiest_lane_cpu "/tmp/l.$1" "/tmp/l.$2" | cut -d' ' -f5)" \
		"$(deltas "/tmp/i.$1" "/tmp/i.$2")" "$(deltas "/tmp/s.$1" "/tmp/s.$2")" \
		"$(data_aff)" "$(server_cpu)"
}

# ---- one mode ---------------------------------------------------------------------

RR_PID=
# run_mode MODE ROUND: its two runs; the host's files are rr_MODE.json
# and rrhog_MODE.json in round 1, with _ROUND after MODE in later ones
run_mode() {
	_m=$1
	_r=$2
	_f=$_m
	[ "$_r" = 1 ] || _f=${_m}_$_r
	_pol=static
	[ "$_m" = evsteer ] && _pol=lowest-margin
	if [ "$_m" = irqbalance ] && ! command -v irqbalance >/dev/null; then
		emit steer "mode=$_m round=$_r status=skipped reason=no-irqbalance-in-the-guest"
		return 0
	fi
	if ! evs_load "$_pol"; then
		emit steer "mode=$_m round=$_r status=failed reason=insmod-or-evs0-up"
		return 1
	fi
	[ -n "$TX_OPEN" ] || { tx_channel_open; TX_OPEN=1; }
	case $_m in
	rps)
		rps_setup || emit error "mode=rps RPS/RFS set-up refused"
		;;
	irqbalance)
		# shellcheck disable=SC2046 # one word per IRQ banned
		irqb_start --foreground $(irqb_bans 'ttyS')
		;;
	esac
	timeout $((4 * RR_S + 120)) udprr server --port "$RR_PORT" >/tmp/udprr-s.log 2>&1 &
	RR_PID=$!
	host_do ping "warm_$_f" "$ADDR" 5 0.1
	[ "$_m" != irqbalance ] || sleep "$IRQB_SETTLE_S"
	emit info "mode=$_m round=$_r lanes=$(lanes) $(knobs_state | tr -d '\n')residence_ms=$(cat "$KD/residence_ms") aff=$(data_aff) placement=$(lanes_home) t=$(uptime_s)"

	snap 0
	host_do rr "rr_$_f" "$ADDR" "$RR_RATE" "$RR_S"
	_rc=$?
	snap 1
	# shellcheck disable=SC2046 # five words
	set -- $(busiest_lane_cpu /tmp/l.0 /tmp/l.1)
	_cpu=$2
	emit rr "mode=$_m hog=no round=$_r rc=$_rc file=rr_$_f.json hog_cpu=$_cpu lane=$1 busy_ns=$3 packets=$4 $(where 0 1)"

	snap 2
	hog_start "$_cpu" "bench-steer-hog-$_f"
	host_do rr "rrhog_$_f" "$ADDR" "$RR_RATE" "$RR_S"
	_rc=$?
	snap 3
	hog_stop
	emit rr "mode=$_m hog=yes round=$_r rc=$_rc file=rrhog_$_f.json hog_cpu=$_cpu lanes_on_cpu_after=$(awk -v c="$_cpu" '$2 == c' /tmp/l.3 | wc -l) flow_lane_cpu_after=$(awk -v l="$1" '$1 == l { print $2 }' /tmp/l.3) $(where 2 3)"

	es_snap /tmp/es.steer &&
		emit evs "mode=$_m round=$_r $(grep -E '^(migrations|monitor_ticks|rx_packets|tx_packets|residence_holds) ' /tmp/es.steer | tr ' ' '=' | tr '\n' ' ')"
	irqb_stop
	kill "$RR_PID" 2>/dev/null
	wait "$RR_PID" 2>/dev/null
	RR_PID=
	[ "$_m" != rps ] || echo 0 >/proc/sys/net/core/rps_sock_flow_entries
	emit steer "mode=$_m round=$_r status=ok"
	evs_unload || { emit error "mode=$_m round=$_r rmmod failed"; return 1; }
}

# warm_up: the same runs once, not measured, before the first mode.
# Under TCG the first time guest code runs it is translated: without
# this the first mode's runs paid for it (p99 with the hog 130-560 ms
# for evsteer first, 14 ms with evsteer third, on one busy host)
warm_up() {
	evs_load static || return 1
	[ -n "$TX_OPEN" ] || { tx_channel_open; TX_OPEN=1; }
	timeout $((2 * WARM_S + 90)) udprr server --port "$RR_PORT" >/tmp/udprr-s.log 2>&1 &
	RR_PID=$!
	host_do ping warm_up "$ADDR" 5 0.1
	snap 0
	host_do rr warm_rr "$ADDR" "$RR_RATE" "$WARM_S"
	_rc=$?
	snap 1
	hog_start "$(busiest_lane_cpu /tmp/l.0 /tmp/l.1 | cut -d' ' -f2)" bench-steer-warm-hog
	host_do rr warm_rrhog "$ADDR" "$RR_RATE" "$WARM_S"
	emit warm "rc=$_rc rc_hog=$? secs=$WARM_S t=$(uptime_s)"
	hog_stop
	kill "$RR_PID" 2>/dev/null
	wait "$RR_PID" 2>/dev/null
	RR_PID=
	evs_unload
}

TX_OPEN=
emit info "smp=$EVSTEER_SMP rings=$EVSTEER_RINGS modes=$MODES rounds=$ROUNDS rr_rate=$RR_RATE rr_s=$RR_S irqb_settle_s=$IRQB_SETTLE_S warm_s=$WARM_S kernel=$(uname -r)"
[ "$WARM_S" = 0 ] || warm_up || emit error "the warm-up failed"
# order_of ROUND: the modes in MODES' order in odd rounds, the others
# reversed in even ones, irqbalance last in both (its affinities)
order_of() {
	_rev=
	if [ $(($1 % 2)) = 1 ]; then
		echo "$MODES"
		return
	fi
	for _o in $MODES; do
		[ "$_o" = irqbalance ] || _rev="$_o $_rev"
	done
	case " $MODES " in
	*" irqbalance "*) _rev="$_rev irqbalance" ;;
	esac
	echo "$_rev"
}

r=1
while [ "$r" -le "$ROUNDS" ]; do
	for m in $(order_of "$r"); do
		run_mode "$m" "$r" || break 2
	done
	r=$((r + 1))
done
exit 0
