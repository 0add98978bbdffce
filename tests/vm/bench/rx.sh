# SPDX-License-Identifier: GPL-2.0
#
# In-VM benchmark: real frames to a socket, per lane mode.  The highest
# frame rate delivered to our receiver (evsteer-rx) with nothing lost
# anywhere, at 1, 2 and 4 active rings (ethtool -L combined N, 4
# vCPUs), interrupts per frame at every step, and the hard IRQ ->
# socket latency at a fixed rate.  Reports, asserts nothing.
#
# BENCH_RX_MODES: the lane modes, in order.  The module is loaded here
# (vm.sh --no-load) with bh_mode= the first, the receiver started
# before evs0 comes up (sh "$EVSTEER_NETUP"), so that it sees every
# flow from sequence number 0; each further mode is switched to through
# the bh_mode knob, the device paused (tests/vm/bench/run.sh boots once
# per mode; --quick runs all four in one boot).
#
# Every step stands alone, so that a loss in one cannot spoil the next:
# the device is paused and the rings drained before it, a fresh
# receiver is started, the rate is set and the device resumed;
# BENCH_RX_SETTLE s pass, `ethtool -S` is read before and after a
# window (frames/s, interrupts per frame); then the device is paused
# again, the rings drain, the receiver is given what the stack queued
# for it and stopped.  The receiver counts each flow from sequence
# number 0, so its "lost" includes the B sequence numbers the device
# used before the step (each one delivered or counted by an earlier
# step: the device was paused, the rings drained); B is the data
# rings' dev_produced + dev_drops at the start, and the step's own loss
# is lost - B when the step saw every flow.  A step is clean when, from
# resume to pause:
#
#   - the receiver lost, reordered and duplicated nothing, and took
#     every frame the device made (generated = produced + dropped by
#     the device on the data rings; missing = generated - unique);
#   - the device dropped nothing (dev_drops), the driver saw no step
#     back in the ring sequence (dups) and dropped nothing
#     (rx_alloc_fail, rx_down_drops, bad_entries).  The driver's gap
#     count (lost, drv_lost here) is reported, not judged: it counts a
#     gap when the next entry of that ring comes, so drops at the end
#     of one step show in the next; dev_drops counts them exactly;
#   - the stack dropped nothing (/proc/net/snmp: IP header and address
#     errors, discards, unknown protocols, UDP no port, UDP errors, the
#     latter with the receive buffer overflows the receiver's
#     sock_drops also sees);
#   - and, in the window, the device made at least BENCH_RX_MIN_PCT %
#     of the rate asked (else "short": the device, a host process, was
#     starved by the host; the search takes such a step once more) and
#     the driver delivered at least that share of what it made (else
#     "behind": the guest fell behind without losing anything yet).
#
# Per mode: one step of BENCH_LAT_SECS at BENCH_LAT_RATE with all rings
# (kind=lat) first, for the receiver's latency percentiles and the
# driver's debugfs histograms, reset at the window's start: latency
# (window taken -> lane start) and, if the driver has it, hol (first
# lane of a window done -> last lane done: the window barrier's
# head-of-line cost).  Then per ring count of BENCH_RX_RINGS: from
# BENCH_RX_START the rate doubles while a step is clean (up to
# BENCH_RX_MAX), or halves (3 times at most) while the first fails;
# BENCH_RX_BISECT steps bisect between the last clean and the first
# failed rate; the highest clean rate is measured once more if
# BENCH_RX_REPEAT=1 (kind=repeat).  BENCH_RX_DEADLINE (guest uptime,
# s) bounds it all: a step that would end after it is not started (a
# bench-rxskip line says so), so that the figures come back before
# vm.sh's timeout.
#
# Output lines (tests/vm/bench/run.sh reads them):
#   bench-info mode=M phase=rx ...         parameters, knobs
#   bench-rxwarm mode=M received= lost= ... the first receiver, from seq 0
#   bench-rx mode=M rings=N rate=R kind=search|repeat|lat secs=S
#            offered=G frames=F irqs=I irq_busy=B windows=W pps=P received=N
#            rx_lost=L|na reordered=O duplicated=D flows=F generated=G
#            missing=M dev_drops=X drv_lost=Y drv_dups=Z drv_drops=V
#            stack_drops=T sock_drops=K p50_ns= p90_ns= p99_ns=
#            verdict=ok|loss|reorder|short|behind|error
#   bench-rxlat mode=M rings=N rate=R lat_samples= lat_p50_ns=
#            lat_p99_ns= hol=yes|no [hol_samples= hol_p50_ns= hol_p99_ns=]
#   bench-rxlatb mode=M what=latency|hol from_ns=X count=N
#   bench-rxskip mode=M rings=N reason=... at=RATE
#   bench-rxjson mode=M rings=N rate=R {the receiver's final line}

# shellcheck shell=sh disable=SC2317 # functions run through wait_s
# shellcheck source=../guest/lib.sh
. ./lib.sh
# shellcheck source=../guest/dp_lib.sh
. ./dp_lib.sh
# shellcheck source=bench_lib.sh
. ./bench_lib.sh

MODES=${BENCH_RX_MODES:-napi}
RINGS_LIST=${BENCH_RX_RINGS:-4 2 1}	# the most wanted first, against the deadline
START=${BENCH_RX_START:-8000}
MAX=${BENCH_RX_MAX:-1024000}
BISECT=${BENCH_RX_BISECT:-2}
REPEAT=${BENCH_RX_REPEAT:-1}
SETTLE=${BENCH_RX_SETTLE:-1}
WINDOW=${BENCH_RX_WINDOW:-2}
MIN_PCT=${BENCH_RX_MIN_PCT:-90}
LAT_RATE=${BENCH_LAT_RATE:-5000}
LAT_SECS=${BENCH_LAT_SECS:-6}
DEADLINE=${BENCH_RX_DEADLINE:-100000}
FLOWS=${BENCH_RX_FLOWS:-256}	# the device's --flows
STEP_COST=4		# what a step takes beyond settle + window, about (s)
RX_OUT=/tmp/rx.json
HOL=$DBG/hol
MODE=${MODES%% *}

# ---- the books ----------------------------------------------------------------
#
# One awk over the snapshots of a step (few processes: under TCG each
# costs tens of ms): /tmp/rx.0 (ethtool -S, paused and drained, before),
# rx.a and rx.b (the window), rx.c (paused and drained, after),
# /tmp/snmp.0 and snmp.1 (/proc/net/snmp before and after) and the
# receiver's final line in /tmp/rx.final.  what=target prints what the
# receiver should have taken (delivered by the driver - dropped by the
# stack); what=line the step's bench-rx line.
# shellcheck disable=SC2016 # awk's $, not the shell's
BOOKS='
function ringsum(f, s,    i, t) {
	for (i = 0; i < nr; i++) t += c[f, "ring" i "_" s]
	return t + 0
}
function d(s) { return c["c", s] - c["0", s] }
function stackd(    n, i, t) {
	n = split("Ip:InHdrErrors Ip:InAddrErrors Ip:InDiscards Ip:InUnknownProtos Udp:NoPorts Udp:InErrors", k, " ")
	for (i = 1; i <= n; i++) t += s1[k[i]] - s0[k[i]]
	return t + 0
}
function jv(k) { return (k in j) ? j[k] : "" }
FILENAME ~ /snmp\.[01]$/ {
	key = FILENAME SUBSEP $1
	if (!(key in hdr)) { hdr[key] = $0; next }
	split(hdr[key], h, " ")
	for (i = 2; i <= NF; i++) {
		if (FILENAME ~ /0$/) s0[$1 h[i]] = $i; else s1[$1 h[i]] = $i
	}
	next
}
FILENAME ~ /rx\.final$/ {
	gsub(/[{}"]/, ""); gsub(/\[/, ""); gsub(/\]/, "")
	n = split($0, kv, ",")
	for (i = 1; i <= n; i++) {
		m = split(kv[i], p, ":")
		if (m >= 2 && !(p[m - 1] in j)) j[p[m - 1]] = p[m]
	}
	next
}
{ f = FILENAME; sub(/.*\./, "", f); c[f, $1] = $2 }
END {
	sd = stackd()
	if (what == "target") { print d("rx_packets") - sd; exit }
	base = ringsum("0", "dev_produced") + ringsum("0", "dev_drops")
	gen = ringsum("c", "dev_produced") + ringsum("c", "dev_drops") - base
	frames = c["b", "rx_packets"] - c["a", "rx_packets"]
	irqs = ringsum("b", "irqs") - ringsum("a", "irqs")
	busy = ringsum("b", "irq_busy") - ringsum("a", "irq_busy")
	wins = ringsum("b", "windows") - ringsum("a", "windows")
	offered = ringsum("b", "dev_produced") + ringsum("b", "dev_drops") -
		  ringsum("a", "dev_produced") - ringsum("a", "dev_drops")
	ddrop = d("rx_alloc_fail") + d("rx_down_drops") + d("bad_entries")
	v = ""
	if (jv("received") == "" || jv("lost") == "") {
		v = "error"; j["received"] = j["unique"] = j["lost"] = 0
		j["reordered"] = j["duplicated"] = j["sock_drops"] = 0
	}
	rlost = jv("flows") + 0 == flows + 0 ? j["lost"] - base : "na"
	miss = gen - j["unique"]
	if (v != "")
		;
	else if ((rlost != "na" && rlost != 0) || miss != 0 || d("dev_drops") != 0 ||
		 ddrop != 0 || sd != 0 || j["sock_drops"] != 0)
		v = "loss"
	else if (j["reordered"] != 0 || j["duplicated"] != 0 || d("dups") != 0)
		v = "reorder"
	else if (offered * 100 < rate * secs * minpct)
		v = "short"
	else if (frames * 100 < offered * minpct)
		v = "behind"
	else
		v = "ok"
	printf "bench-rx mode=%s rings=%s rate=%s kind=%s secs=%s offered=%d frames=%d irqs=%d irq_busy=%d windows=%d pps=%s received=%s rx_lost=%s reordered=%s duplicated=%s flows=%s generated=%d missing=%d dev_drops=%d drv_lost=%d drv_dups=%d drv_drops=%d stack_drops=%d sock_drops=%s p50_ns=%s p90_ns=%s p99_ns=%s verdict=%s\n",
	       mode, rings, rate, kind, secs, offered, frames, irqs, busy, wins, jv("pps"),
	       j["received"], rlost, j["reordered"], j["duplicated"], jv("flows"),
	       gen, miss, d("dev_drops"), d("lost"), d("dups"), ddrop, sd,
	       j["sock_drops"], jv("p50"), jv("p90"), jv("p99"), v
}'

# books WHAT [RINGS RATE KIND SECS]
books() {
	awk -v what="$1" -v rings="${2:-}" -v rate="${3:-0}" -v kind="${4:-}" \
	    -v secs="${5:-0}" -v mode="$MODE" -v nr="$EVSTEER_RINGS" \
	    -v flows="$FLOWS" -v minpct="$MIN_PCT" "$BOOKS" \
		/tmp/rx.0 /tmp/rx.a /tmp/rx.b /tmp/rx.c /tmp/snmp.0 /tmp/snmp.1 \
		/tmp/rx.final
}

# ---- the receiver -----------------------------------------------------------

RX_PID=
# rx_start: a fresh receiver, every socket bound; an interval line
# every 200 ms, so that rx_got can tell what it has taken so far
rx_start() {
	rm -f /tmp/rx.ready
	evsteer-rx --port 9999 --ready-file /tmp/rx.ready --interval-ms 200 \
		>"$RX_OUT" 2>/tmp/rx.err &
	RX_PID=$!
	wait_s 10 test -e /tmp/rx.ready ||
		emit error "mode=$MODE the receiver is not ready after 10 s: $(head -n 2 /tmp/rx.err)"
}

# rx_got: datagrams the receiver has taken so far (its interval lines)
rx_got() {
	awk -F'"received":' 'NF > 1 && /"type":"interval"/ { s += $2 + 0 } END { print s + 0 }' "$RX_OUT"
}

rx_caught_up() { [ "$(rx_got)" -ge "$1" ]; }

# rx_stop N: once the receiver has taken N datagrams (what the stack
# queued on its sockets; 3 s at most), stop it; its final line goes to
# /tmp/rx.final
rx_stop() {
	[ -n "$RX_PID" ] || return 0
	wait_s 3 rx_caught_up "$1" || true
	kill -TERM "$RX_PID" 2>/dev/null
	wait "$RX_PID" 2>/dev/null
	RX_PID=
	tail -n 1 "$RX_OUT" >/tmp/rx.final
	grep -q '"type":"final"' /tmp/rx.final ||
		emit error "mode=$MODE no final line from the receiver: $(head -n 2 /tmp/rx.err)"
}

# ---- the device -------------------------------------------------------------

# drained FILE: every ring, the admin ring too, consumed (or refused)
# all the device produced; one snapshot into FILE, one awk
drained() {
	es_snap "$1" || return 1
	awk '$1 ~ /^(ring[0-9]+|admin)_(events|bad_entries|dev_produced)$/ {
		r = $1; sub(/_[a-z_]*$/, "", r); s = substr($1, length(r) + 2)
		if (s == "dev_produced") { p[r] = $2; n++ } else got[r] += $2
	} END { for (r in p) if (got[r] != p[r]) exit 1; exit !n }' "$1"
}

# quiesce FILE: the device paused, every ring drained, the counters
# then in FILE.  The device is one thread: once its status says
# paused it makes nothing more, so one drained snapshot is final.
quiesce() {
	host_req pause
	wait_s 10 dev_paused || emit error "mode=$MODE the device did not pause in 10 s"
	wait_s 10 drained "$1" || emit error "mode=$MODE the rings did not drain in 10 s"
}

# ---- one step ---------------------------------------------------------------

# step N R KIND SECS: one measurement at rate R with N active rings, a
# window of SECS; prints its bench-rx line, succeeds if it was clean.
# The device is paused and drained when it starts, and again when it
# ends; /tmp/rx.0 holds the counters of that moment.
step() {
	cat /proc/net/snmp >/tmp/snmp.0
	rx_start
	host_req rate "$2"
	host_req resume
	sleep "$SETTLE"
	# the time just before each snapshot: ethtool reads the counters as
	# it starts, the formatting after it takes a while under TCG
	_t0=$(uptime_s)
	es_snap /tmp/rx.a
	if [ "$3" = lat ]; then
		echo 1 >"$LAT"
		[ -e "$HOL" ] && echo 1 >"$HOL"
	fi
	sleep "$4"
	if [ "$3" = lat ]; then
		cat "$LAT" >/tmp/rx.lat
		if [ -e "$HOL" ]; then cat "$HOL" >/tmp/rx.hol; else : >/tmp/rx.hol; fi
	fi
	_t1=$(uptime_s)
	es_snap /tmp/rx.b
	quiesce /tmp/rx.c
	cat /proc/net/snmp >/tmp/snmp.1
	: >/tmp/rx.final
	rx_stop "$(books target)"
	books line "$1" "$2" "$3" "$(awk -v a="$_t0" -v b="$_t1" 'BEGIN { printf "%.2f", b - a }')" >/tmp/rx.line
	cat /tmp/rx.line
	echo "bench-rxjson mode=$MODE rings=$1 rate=$2 $(cat /tmp/rx.final)"
	cp /tmp/rx.c /tmp/rx.0
	grep -q 'verdict=ok$' /tmp/rx.line
}

# fits SECS: a step with a window of SECS still ends before the deadline
fits() {
	awk -v u="$(uptime_s)" -v s="$1" -v c="$((SETTLE + STEP_COST))" -v d="$DEADLINE" \
		'BEGIN { exit !(u + s + c <= d) }'
}

# try N R KIND: a step, if it fits (else it fails with _sstop=1).  A
# step the device could not feed (short: a host process starved by the
# host) says nothing about the guest, so it is taken once more.
try() {
	_stry=0
	while [ "$_stry" -lt 2 ]; do
		if ! fits "$WINDOW"; then
			emit rxskip "mode=$MODE rings=$1 reason=deadline at=$2"
			_sstop=1
			return 1
		fi
		step "$1" "$2" "$3" "$WINDOW" && return 0
		grep -q 'verdict=short$' /tmp/rx.line || return 1
		_stry=$((_stry + 1))
	done
	return 1
}

# search N: doubling (or halving), then bisection, at N active rings.
# Its variables are its own: dp_lib.sh's helpers use _r, _n and such.
search() {
	_sgood=0 _sbad=0 _sstop=0 _srate=$START
	while [ "$_srate" -le "$MAX" ]; do
		if try "$1" "$_srate" search; then
			_sgood=$_srate
			_srate=$((_srate * 2))
		else
			_sbad=$_srate
			break
		fi
	done
	[ "$_sstop" = 0 ] || return 0
	_si=0
	while [ "$_sgood" = 0 ] && [ "$_si" -lt 3 ]; do
		_srate=$((_sbad / 2))
		if try "$1" "$_srate" search; then _sgood=$_srate; else _sbad=$_srate; fi
		[ "$_sstop" = 0 ] || return 0
		_si=$((_si + 1))
	done
	_si=0
	while [ "$_si" -lt "$BISECT" ] && [ "$_sgood" != 0 ] && [ "$_sbad" != 0 ]; do
		_srate=$(((_sgood + _sbad) / 2))
		if try "$1" "$_srate" search; then _sgood=$_srate; else _sbad=$_srate; fi
		[ "$_sstop" = 0 ] || return 0
		_si=$((_si + 1))
	done
	[ "$REPEAT" = 1 ] && [ "$_sgood" != 0 ] || return 0
	try "$1" "$_sgood" repeat || true
}

# lat_step: the fixed rate, all rings, and the driver's histograms
lat_step() {
	ethtool -L "$NETDEV" combined "$EVSTEER_RINGS"
	step "$EVSTEER_RINGS" "$LAT_RATE" lat "$LAT_SECS"
	read -r _lat </tmp/rx.lat
	_hol="hol=no"
	if [ -s /tmp/rx.hol ]; then
		read -r _h </tmp/rx.hol
		_hol="hol=yes $(echo "$_h" | sed 's/\([a-z0-9_]*\)=/hol_\1=/g')"
	fi
	emit rxlat "mode=$MODE rings=$EVSTEER_RINGS rate=$LAT_RATE $(echo "$_lat" | sed 's/\([a-z0-9_]*\)=/lat_\1=/g') $_hol"
	sed -n "s/^from_ns=/bench-rxlatb mode=$MODE what=latency from_ns=/p" /tmp/rx.lat
	[ ! -s /tmp/rx.hol ] ||
		sed -n "s/^from_ns=/bench-rxlatb mode=$MODE what=hol from_ns=/p" /tmp/rx.hol
}

# ---- main -------------------------------------------------------------------

# the receiver first: it sees every flow from sequence number 0
rx_start
if [ "$EVSTEER_LOAD" = 0 ]; then
	{ insmod "$EVSTEER_KO" "bh_mode=$MODE" && sh "$EVSTEER_NETUP"; } ||
		{ emit error "mode=$MODE insmod bh_mode=$MODE or evs0 up failed"; exit 1; }
	KD=$(knob_dir)
fi
emit info "guest_kernel=$(uname -r) cpus=$(ncpus)"
delivering() { [ "$(es rx_packets)" -gt 100 ]; }
wait_s 30 delivering || emit error "mode=$MODE no frames reached the stack in 30 s"
# the first receiver's books: from boot (empty "before" files count 0)
for _f in 0 a b; do : >/tmp/rx.$_f; done
: >/tmp/snmp.0
quiesce /tmp/rx.c
cat /proc/net/snmp >/tmp/snmp.1
: >/tmp/rx.final
rx_stop "$(books target)"
cp /tmp/rx.c /tmp/rx.0
emit rxwarm "mode=$MODE received=$(sed -n 's/.*"received":\([0-9]*\).*/\1/p' /tmp/rx.final) lost=$(sed -n 's/.*"lost":\([0-9]*\).*/\1/p' /tmp/rx.final) reordered=$(sed -n 's/.*"reordered":\([0-9]*\).*/\1/p' /tmp/rx.final) duplicated=$(sed -n 's/.*"duplicated":\([0-9]*\).*/\1/p' /tmp/rx.final) generated=$(($(es_sum /tmp/rx.c dev_produced) + $(es_sum /tmp/rx.c dev_drops)))"

for MODE in $MODES; do
	how=insmod
	if [ "$(cat "$KD/bh_mode")" != "$MODE" ]; then
		how=knob
		echo "$MODE" >"$KD/bh_mode" 2>/dev/null
		if [ "$(cat "$KD/bh_mode")" != "$MODE" ]; then
			emit error "mode=$MODE the bh_mode knob refused $MODE"
			continue
		fi
	fi
	emit info "mode=$MODE phase=rx how=$how start=$START max=$MAX bisect=$BISECT repeat=$REPEAT settle=$SETTLE window=$WINDOW min_pct=$MIN_PCT lat_rate=$LAT_RATE lat_secs=$LAT_SECS hol=$([ -e "$HOL" ] && echo yes || echo no) flows=$FLOWS deadline=$DEADLINE t=$(uptime_s) knobs: $(knobs_state)"
	# the fixed rate first: its figures come back even if the search
	# runs out of time
	if fits "$LAT_SECS"; then
		lat_step
	else
		emit rxskip "mode=$MODE rings=$EVSTEER_RINGS reason=deadline at=lat"
	fi
	for n in $RINGS_LIST; do
		ethtool -L "$NETDEV" combined "$n" ||
			{ emit error "mode=$MODE ethtool -L combined $n failed"; continue; }
		search "$n"
	done
done
emit info "mode=$MODE phase=done t=$(uptime_s)"
exit 0
