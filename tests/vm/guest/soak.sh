# SPDX-License-Identifier: GPL-2.0
#
# The soak: traffic through every lane mode while, at random intervals,
#   - lanes move (the cpus knob), channels and the RETA change
#     (ethtool -L/-X), the lanes and bh_mode knobs switch;
#   - CPUs go offline and online, the link flaps (ip link down/up);
#   - the device injects faults: corrupt entries, a bogus write index,
#     an interrupt flood, a stall (tests/vm/host/dp_ctl.sh runs them);
#   - the device process stops for 3 s (SIGSTOP): the driver takes it
#     as gone, then back when it continues;
# then rmmod/insmod cycles under traffic; then, where the kernel has
# fault injection with its stacktrace filter (the debug kernel),
# failslab and fail_page_alloc aimed at the module's code, during probe
# (unbind, bind) and during traffic.
# At every quiet point (device paused, rings drained) each ring's
# entries are all accounted for: consumed or refused, as many as the
# device produced; every frame consumed was delivered or dropped under
# a counter that names why.  Last, one "soak-json {...}" line sums it
# up (tests/vm/run.sh writes it to build/vm/logs/soak.json).
# Env: SOAK_SECONDS (chaos, default 60), SOAK_CYCLES (rmmod/insmod, 10),
#      SOAK_SEED (the random actions, 1), SOAK_FAULT_ROUNDS (probes
#      under failslab, 10)

# shellcheck shell=sh disable=SC2317,SC2119 # functions run through check
# shellcheck disable=SC2086 # the word lists (MODES, ACTIONS) are split on purpose

. ./lib.sh
. ./dp_lib.sh
. ./mon_lib.sh

SECONDS_CHAOS=${SOAK_SECONDS:-60}
CYCLES=${SOAK_CYCLES:-10}
FAULT_ROUNDS=${SOAK_FAULT_ROUNDS:-10}
SEED=${SOAK_SEED:-1}
SYSCPU=/sys/devices/system/cpu
FI=/sys/kernel/debug

need_netdev

# ---- randomness and bookkeeping ----------------------------------------

_rng=$SEED

# rnd N: R = a pseudo-random number 0 .. N-1 (an LCG: the run is
# replayable); not in a $(...) subshell, which would lose the state
rnd() {
	_rng=$(((_rng * 1103515245 + 12345) % 2147483648))
	R=$(((_rng / 65536) % $1))
}

# count KIND: one more action or fault of KIND, for the summary
count() {
	eval "_n_$1=\$((\${_n_$1:-0} + 1))"
}

counted() { eval "echo \${_n_$1:-0}"; }

# ---- what a user does -----------------------------------------------------

NCPU=$(ncpus)

# knob_try NAME VALUE: write a knob; a refusal is said and counted (the
# cpus knob refuses a set with no CPU online, for one)
knob_try() {
	echo "$2" >"$KD/$1" 2>/dev/null && return 0
	note "refused: echo $2 > $1"
	count knob_refused
	return 1
}
MODES="napi threaded workqueue tasklet"

act_cpus() {
	rnd "$NCPU"
	_a=$R
	rnd "$NCPU"
	_b=$R
	[ "$_a" -le "$_b" ] || { _t=$_a; _a=$_b; _b=$_t; }
	knob_try cpus "$_a-$_b" && count lane_moves
}

act_channels() {
	rnd "$EVSTEER_RINGS"
	# a table the user set names rings: ethtool -L refuses to drop them
	ethtool -X "$NETDEV" default &&
		ethtool -L "$NETDEV" combined $((1 + R)) && count channels
}

act_reta() {
	rnd 3
	if [ "$R" = 0 ]; then
		ethtool -X "$NETDEV" equal "$(channels cur)"
	else
		ethtool -X "$NETDEV" weight "$R" 1 1 1 2>/dev/null ||
			ethtool -X "$NETDEV" equal "$(channels cur)"
	fi && count reta
}

act_lanes() {
	rnd 4
	knob_try lanes $((1 + R)) && count lanes
}

act_bh_mode() {
	set -- $MODES
	rnd $#
	shift "$R"
	knob_try bh_mode "$1" && count bh_mode
}

# act_hotplug: one CPU but 0 goes offline, or comes back
act_hotplug() {
	rnd $((NCPU - 1))
	_c=$((1 + R))
	[ -w "$SYSCPU/cpu$_c/online" ] || return 0
	if [ "$(cat "$SYSCPU/cpu$_c/online")" = 1 ]; then
		echo 0 >"$SYSCPU/cpu$_c/online" && count cpu_offline
	else
		echo 1 >"$SYSCPU/cpu$_c/online" && count cpu_online
	fi
}

act_link_flap() {
	rnd 5
	ip link set "$NETDEV" down && sleep 0.$((1 + R)) &&
		ip link set "$NETDEV" up && count link_flaps
}

# ---- what the device does wrong (tests/vm/host/dp_ctl.sh) ----------------

act_corrupt() {
	set -- code len ring
	rnd 3
	shift "$R"
	rnd "$EVSTEER_RINGS"
	host_req inject corrupt "$R" "$1"
	count fault_corrupt
}

act_bad_prod() {
	rnd "$EVSTEER_RINGS"
	host_req inject bad-prod "$R"
	count fault_bad_prod
}

act_flood() {
	host_req inject flood on
	rnd 6
	sleep 0.$((2 + R))
	host_req inject flood off
	count fault_flood
}

act_stall() {
	rnd 500
	host_req inject stall $((50 + R))
	count fault_stall
}

# The driver takes a heartbeat that stands still for 2 s as a device
# gone (carrier off), and brings the carrier back when it moves again.
act_device_stop() {
	host_req device stop
	sleep 3
	host_req device cont
	check "the device stopped for 3 s is back: carrier on within 5 s" \
		wait_s 5 carrier_is 1
	count fault_device_stop
}

pause_a_little() {
	rnd 9
	sleep 0.$((1 + R))
}

ACTIONS="cpus channels reta lanes bh_mode hotplug link_flap corrupt bad_prod flood stall device_stop"

# every kind once, in order, then at random
chaos() {
	_end=$(($(uptime_cs) + SECONDS_CHAOS * 100))
	for _a in $ACTIONS; do
		"act_$_a"
		pause_a_little
	done
	while [ "$(uptime_cs)" -lt "$_end" ]; do
		set -- $ACTIONS
		rnd $#
		shift "$R"
		"act_$1"
		pause_a_little
	done
}

# back to a known state: every CPU online, every ring in the table,
# NAPI lanes, no flood
settle() {
	for _c in "$SYSCPU"/cpu[0-9]*; do
		[ -w "$_c/online" ] && [ "$(cat "$_c/online")" = 0 ] &&
			echo 1 >"$_c/online" && count cpu_online
	done
	host_req inject flood off
	echo "0-$((NCPU - 1))" >"$KD/cpus"
	ethtool -L "$NETDEV" combined "$EVSTEER_RINGS"
	ethtool -X "$NETDEV" equal "$EVSTEER_RINGS"
	echo napi >"$KD/bh_mode"
	ip link set "$NETDEV" up
}

# ---- accounting -------------------------------------------------------

# rings_empty: every ring's control block has prod = cons (the driver
# took everything the device published) and no window in flight; the
# same twice, a second apart
rings_empty() {
	_e=$(awk '{ for (i = 1; i <= NF; i++) {
			if ($i ~ /^pending=/ && $i != "pending=0") b = 1
			if ($i ~ /^busy=/ && $i != "busy=0") b = 1 } }
		END { exit b }' "$DBG/rings" && cat "$DBG/rings")
	[ -n "$_e" ] && sleep 1 && [ "$_e" = "$(cat "$DBG/rings")" ]
}

# drained PHASE exact|empty: pause the device, wait until the rings are
# drained.  exact: each ring's consumed + refused entries equal what the
# device produced on it since it started (one driver instance since
# boot); empty: the driver took everything published (after reloads,
# whose counters start again at 0).
drained() {
	pause_device
	rm -f /tmp/es.drained
	if [ "$2" = exact ]; then
		check "$1: every ring's entries are accounted for (60 s at most)" \
			wait_s 60 quiet_and_drained
	else
		check "$1: the driver took every entry published (60 s at most)" \
			wait_s 60 rings_empty
		es_snap /tmp/es.drained
	fi
}

# delivered FILE: consumed frames all went to the stack or to a counter
# that says why they did not: rx_packets + rx_alloc_fail + rx_down_drops
# = the data rings' events
delivered() {
	_ev=0
	_r=0
	while [ "$_r" -lt "$EVSTEER_RINGS" ]; do
		_ev=$((_ev + $(sv "$1" "ring${_r}_events")))
		_r=$((_r + 1))
	done
	_out=$(($(sv "$1" rx_packets) + $(sv "$1" rx_alloc_fail) + \
		$(sv "$1" rx_down_drops)))
	note "data ring events $_ev, delivered or counted $_out"
	UNCOUNTED=$((UNCOUNTED + _ev - _out))
	[ "$_ev" = "$_out" ]
}
UNCOUNTED=0

# ---- rmmod/insmod cycles under traffic --------------------------------

producing() {
	_a=$(es rx_packets)
	sleep 0.5
	[ "$(es rx_packets)" -gt "$_a" ]
}

cycles() {
	_c=1
	while [ "$_c" -le "$CYCLES" ]; do
		if ! rmmod evsteer; then
			fail "cycle $_c: rmmod while producing"
			return
		fi
		if ! evs_insmod; then
			fail "cycle $_c: insmod again"
			return
		fi
		count cycles
		rnd 10
		sleep 0.$R
		_c=$((_c + 1))
	done
	KD=$(knob_dir)
	check "after $CYCLES cycles: frames flow" wait_s 30 producing
}

# ---- fault injection aimed at the module --------------------------------

has_fault_injection() { [ -e "$FI/failslab/require-start" ] && [ -e "$FI/fail_page_alloc/require-start" ]; }

# module_text: the start of the module's code and 1 MiB on, for the
# stacktrace filter (require-start/-end): only allocations made with
# the module's code on the stack may fail
module_text() {
	_s=$(cat /sys/module/evsteer/sections/.text 2>/dev/null)
	[ -n "$_s" ] || return 1
	echo "$_s $(printf '0x%x' $((_s + 0x100000)))"
}

# aim KIND TASKS PROBABILITY: fail KIND's allocations from the module's
# code with PROBABILITY percent, at most 1000 times; TASKS Y: only in
# tasks that asked for it (/proc/self/make-it-fail), N: anywhere
aim() {
	_d=$FI/$1
	_t=$(module_text) || return 1
	set -- "$1" "$2" "$3" $_t
	echo "$3" >"$_d/probability"
	echo 1 >"$_d/interval"
	echo 1000 >"$_d/times"
	echo 0 >"$_d/verbose"
	echo "$2" >"$_d/task-filter"
	[ -e "$_d/ignore-gfp-wait" ] && echo N >"$_d/ignore-gfp-wait"
	echo "$4" >"$_d/require-start"
	echo "$5" >"$_d/require-end"
}

# disarm: no more faults; INJECTED grows by the faults injected since
# aim (each kind's "times" counts down from 1000)
disarm() {
	for _k in failslab fail_page_alloc; do
		echo 0 >"$FI/$_k/probability"
		INJECTED=$((INJECTED + 1000 - $(cat "$FI/$_k/times")))
	done
}
INJECTED=0

bdf() { basename "$(dirname "$KD")"; }

# faults_probe: the device is unbound and bound again by a task whose
# allocations from the module's code fail at 20 %: probe fails cleanly
# (nothing left bound) or succeeds; either way a plain bind then works
faults_probe() {
	_bdf=$(bdf)
	_r=1
	while [ "$_r" -le "$FAULT_ROUNDS" ]; do
		echo "$_bdf" >"$DRV/unbind" 2>/dev/null
		aim failslab Y 20
		aim fail_page_alloc Y 20
		if sh -c "echo 1 >/proc/self/make-it-fail && echo $_bdf >$DRV/bind" \
			2>/dev/null; then
			count probe_fault_bound
		else
			count probe_fault_refused
		fi
		disarm
		_r=$((_r + 1))
	done
	[ -e "$DRV/$_bdf" ] && echo "$_bdf" >"$DRV/unbind"
	check "allocation faults were injected in the probes ($INJECTED)" \
		[ "$INJECTED" -gt 0 ]
	check "after $FAULT_ROUNDS probes under failslab: a plain bind works" \
		sh -c "echo $_bdf >$DRV/bind"
	KD=$(knob_dir)
	sh "$EVSTEER_NETUP"
}

# faults_traffic: allocations from the module's code fail at 5 % in any
# context for SECONDS: frames are dropped and counted (rx_alloc_fail),
# nothing else breaks
faults_traffic() {
	aim failslab N 5 && aim fail_page_alloc N 5 || return
	_before=$INJECTED
	sleep "$1"
	disarm
	note "allocation faults injected under traffic: $((INJECTED - _before))"
	count alloc_fault_rounds
}

# ---- the run ---------------------------------------------------------

note "soak: $SECONDS_CHAOS s of chaos, $CYCLES cycles, seed $SEED, $NCPU CPUs"
drained start exact
es_snap /tmp/es.start
resume_device
chaos
settle
drained "after the chaos" exact
es_snap /tmp/es.chaos
check "after the chaos: consumed frames were delivered or counted" \
	delivered /tmp/es.chaos
check_zero /tmp/es.chaos dups reorders
resume_device
check "frames flow again" wait_s 30 producing

cycles
drained "after the cycles" empty
check "after the cycles: consumed frames were delivered or counted" \
	delivered /tmp/es.drained
resume_device

if has_fault_injection; then
	faults_probe
	check "after the probes: frames flow" wait_s 30 producing
	faults_traffic 5
	drained "after fault injection" empty
	check "after fault injection: consumed frames were delivered or counted" \
		delivered /tmp/es.drained
	resume_device
else
	note "no failslab/fail_page_alloc in this kernel: fault injection skipped"
fi

es_snap /tmp/es.end
frames=$(($(sv /tmp/es.chaos rx_packets) - $(sv /tmp/es.start rx_packets)))
json="{\"frames\":$(sv /tmp/es.end dev_produced),\"frames_chaos\":$frames"
for k in lane_moves channels reta lanes bh_mode cpu_offline cpu_online \
	link_flaps fault_corrupt fault_bad_prod fault_flood fault_stall \
	fault_device_stop knob_refused cycles \
	probe_fault_bound probe_fault_refused alloc_fault_rounds; do
	json="$json,\"$k\":$(counted "$k")"
done
json="$json,\"uncounted\":$UNCOUNTED,\"alloc_faults_injected\":$INJECTED"
for k in lost dups reorders bad_entries bad_prod rx_alloc_fail rx_down_drops \
	rx_runts rx_oversize bad_code bad_link dev_drops drain_timeouts \
	tx_dropped dev_lost dev_back; do
	json="$json,\"chaos_$k\":$(($(sv /tmp/es.chaos "$k") - $(sv /tmp/es.start "$k")))"
done
echo "soak-json $json}"
check_dmesg
exit "$FAILED"
