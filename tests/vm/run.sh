#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# evsteer VM scenarios: each boots the test VM through scripts/vm.sh
# with its own device options and guest script (tests/vm/guest/) and
# becomes one TAP line.  The last line is "N passed, N failed, N skipped";
# the exit status is non-zero if any scenario failed.
#
# Usage: tests/vm/run.sh [--kernel RELEASE] [SCENARIO...]   (default: all)
#        tests/vm/run.sh [--kernel RELEASE] --list
#   --kernel RELEASE  boot this guest kernel (EVSTEER_GUEST_KVER): the
#                     default list is then NEW_KERNEL_SCENARIOS (or
#                     RT_KERNEL_SCENARIOS for an -rt- release), and each
#                     TAP line names the kernel
# Usage: tests/vm/run.sh --debug-kernel SCENARIO...
#   --debug-kernel    boot the project's debug kernel (scripts/vm.sh
#                     --debug-kernel: Linux 6.12 with KASAN, lockdep,
#                     kmemleak ...; built once, some 16 minutes); a
#                     sanitizer report fails the scenario; timeouts are
#                     stretched by scripts/vm.sh --timeout-factor; the
#                     TAP lines say NAME@debug.  Scenarios by name only
#                     (--list: those that suit a 6.12 kernel)
# Env:   EVSTEER_SCENARIO_TIMEOUT  bound on one scenario, seconds (default 300)
#        EVSTEER_VERBOSE=1         show every scenario's output, not only failures
#        EVSTEER_KVM=1             passed on to scripts/vm.sh

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VM=$ROOT/scripts/vm.sh
G=$ROOT/tests/vm/guest
LOGS=$ROOT/build/vm/logs
SCENARIO_TIMEOUT=${EVSTEER_SCENARIO_TIMEOUT:-300}
VM_TIMEOUT=$((SCENARIO_TIMEOUT - 60))

SCENARIOS=(probe_affinity bad_magic bad_version rmmod_reload untrusted
	dp_uniform dp_reta dp_channels dp_default_cpu dp_tasklet dp_bad_ethtool
	dp_corrupt dp_silent irq_follow dev_gone
	rx_napi rx_threaded rx_workqueue rx_tasklet rx_pcap rebal_zipf
	mon_hog mon_noise mon_cpus mon_hotplug mon_sysfs mon_tasklet mon_numa
	mon_relief
	tx_ping tx_iperf_tcp tx_iperf_udp tx_rmmod tx_watchdog tx_ring_full
	soak)

vm() {
	EVSTEER_NO_BUILD=1 timeout "$SCENARIO_TIMEOUT" "$VM" \
		--timeout "$VM_TIMEOUT" --guest-file "$G/lib.sh" "$@"
}

# (a) 4 rings for 4 vCPUs: every vector fires, each on its own CPU
sc_probe_affinity() {
	vm --smp 4 --rings 4 --device-opt "--rate 2000" \
		--guest-script "$G/probe_affinity.sh"
}

# (b) a foreign ABI is refused with a clear message
sc_bad_magic() {
	vm --smp 2 --rings 2 --device-opt --bad-magic --no-up \
		--guest-env "EVSTEER_EXPECT=bad ABI magic" \
		--guest-script "$G/bad_abi.sh"
}

sc_bad_version() {
	vm --smp 2 --rings 2 --device-opt --bad-version --no-up \
		--guest-env "EVSTEER_EXPECT=unsupported evsteer ABI version" \
		--guest-script "$G/bad_abi.sh"
}

# (c) rmmod while producing, insmod again, three times
sc_rmmod_reload() {
	vm --smp 4 --rings 4 --device-opt "--rate 2000" \
		--guest-env EVSTEER_CYCLES=3 --guest-script "$G/rmmod_reload.sh"
}

# (d) indices and entries from the device are checked, counted, survived
sc_untrusted() {
	vm --smp 4 --rings 4 --device-opt "--rate 2000" \
		--host-script "$ROOT/tests/vm/host/untrusted.sh" \
		--guest-script "$G/untrusted.sh"
}

# ---- data path (dp_*): 4 rings on 4 vCPUs; the guest scripts ask
# tests/vm/host/dp_ctl.sh for device commands (pause, inject, ...) and
# read the driver through ethtool; each is bounded by DP_TIMEOUT.

DP_TIMEOUT=90
DP_RING_SIZE=4096	# a second and more of traffic: a starved vCPU loses nothing

dp_vm() {
	vm --timeout "$DP_TIMEOUT" --smp 4 --rings 4 \
		--device-opt "--ring-size $DP_RING_SIZE" \
		--guest-file "$G/dp_lib.sh" \
		--host-script "$ROOT/tests/vm/host/dp_ctl.sh" "$@"
}

# (a) uniform flows: every ring gets events; paused and drained, the
# device's and the driver's per-ring counts agree exactly, nothing lost
sc_dp_uniform() {
	dp_vm --device-opt "--rate 10000 --flows 1024" \
		--guest-script "$G/dp_uniform.sh"
}

# (b) the RSS table and key steer: weight 1 0 0 0 sends everything to
# ring 0, equal 4 spreads again, and with two known keys each ring gets
# the share computed here from the same key, table and flows
DP_RETA_FLOWS=16	# few flows: coarse shares that tell keys apart
DP_RETA_SEED=1
DP_RETA_RATE=10000	# 40000 events per key in 4 s
DP_RETA_ONE_RING_RATE=3000	# while ring 0 takes it all
DP_RETA_KEY_A=01:23:45:67:89:ab:cd:ef:fe:dc:ba:98:76:54:32:10:01:23:45:67:89:ab:cd:ef:fe:dc:ba:98:76:54:32:10:01:23:45:67:89:ab:cd:ef
DP_RETA_KEY_B=3c:00:ff:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:01:23:45:67:89:ab:cd:ef:fe:dc:ba:98:76:54:32:10:0f:1e:2d:3c:4b:5a

# dp_shares KEY: each ring's expected share, ring 0 first
dp_shares() {
	"$ROOT/build/tools/evsteer-steer" --key "$1" --equal 4 \
		--flows "$DP_RETA_FLOWS" --seed "$DP_RETA_SEED" |
		sed -n 's/^ring=[0-9]* flows=[0-9]* share=//p' | paste -sd ' '
}

sc_dp_reta() {
	local a b

	a=$(dp_shares "$DP_RETA_KEY_A")
	b=$(dp_shares "$DP_RETA_KEY_B")
	if [ -z "$a" ] || [ -z "$b" ]; then
		echo "build/tools/evsteer-steer computed no shares"
		return 1
	fi
	echo "# expected shares: key A: $a; key B: $b"
	dp_vm --device-opt "--rate $DP_RETA_RATE --flows $DP_RETA_FLOWS --seed $DP_RETA_SEED" \
		--guest-env "DP_RATE=$DP_RETA_RATE" \
		--guest-env "DP_ONE_RING_RATE=$DP_RETA_ONE_RING_RATE" \
		--guest-env "DP_KEY_A=$DP_RETA_KEY_A" --guest-env "DP_SHARES_A=$a" \
		--guest-env "DP_KEY_B=$DP_RETA_KEY_B" --guest-env "DP_SHARES_B=$b" \
		--guest-env DP_MIN_EVENTS=40000 --guest-env DP_TOLERANCE=0.01 \
		--guest-script "$G/dp_reta.sh"
}

# (c) ethtool -L combined 2 and back under traffic: only rings 0-1 get
# new events at 2, and nothing is lost
sc_dp_channels() {
	dp_vm --device-opt "--rate 6000 --flows 1024" \
		--guest-script "$G/dp_channels.sh"
}

# (d) events without data go to the default CPU (the admin ring's), and
# the carrier follows injected link events
sc_dp_default_cpu() {
	dp_vm --device-opt "--rate 4000 --flows 256 --mix 90,5,5,0" \
		--guest-script "$G/dp_default_cpu.sh"
}

# (e) (a) again with the lanes run as tasklets: the module is loaded by
# the guest script, with bh_mode=tasklet
sc_dp_tasklet() {
	dp_vm --device-opt "--rate 10000 --flows 1024" --no-load \
		--guest-env EVSTEER_BH=tasklet --guest-script "$G/dp_uniform.sh"
}

# (f) bad ethtool -X/-L input is refused and changes nothing
sc_dp_bad_ethtool() {
	dp_vm --device-opt "--rate 2000" --guest-script "$G/dp_bad_ethtool.sh"
}

# (g) corrupt entries (code, len, ring) and a bogus write index are
# counted in ethtool -S and survived, with exact accounting
sc_dp_corrupt() {
	dp_vm --device-opt "--rate 4000 --flows 1024" \
		--guest-script "$G/dp_corrupt.sh"
}

# (i) a ring follows its vector: moved by the user (the affinity
# notifier) or by the kernel off a CPU going offline (the monitor's
# tick); the processor ids follow when the rings keep distinct CPUs
sc_irq_follow() {
	dp_vm --device-opt "--rate 4000 --flows 256" \
		--guest-script "$G/irq_follow.sh"
}

# (j) the device process stopped, continued, then killed: the driver
# takes it as gone (no heartbeat), then back, then gone for good, and
# nothing it does waits for the device
sc_dev_gone() {
	dp_vm --device-opt "--rate 4000 --flows 256" \
		--guest-script "$G/dev_gone.sh"
}

# (h) a device that stops answering configurations: the first steering
# change waits for it and fails, the next ones and ip link down do not
# wait (the RTNL is not held for seconds), and once it answers again
# steering works as before
sc_dp_silent() {
	dp_vm --device-opt "--rate 2000" --guest-script "$G/dp_silent.sh"
}

# ---- soak (soak.sh): traffic through every lane mode under random
# knob changes, ethtool -L/-X, CPU hotplug, link flaps and device
# faults, then rmmod/insmod cycles under traffic, then (on a kernel with
# fault injection: --debug-kernel) failslab and fail_page_alloc aimed
# at the module.  Sized by EVSTEER_SOAK_SECONDS (the chaos), _CYCLES,
# _RATE and _SEED; make soak runs the full size, make soak-debug the
# full size on the debug kernel.
# The guest's JSON summary, with the sanitizer reports counted here,
# goes to build/vm/logs/soak[@KERNEL].json.
SOAK_SECONDS=${EVSTEER_SOAK_SECONDS:-45}
SOAK_CYCLES=${EVSTEER_SOAK_CYCLES:-10}
SOAK_RATE=${EVSTEER_SOAK_RATE:-20000}
# the debug kernel's guest (KASAN, lockdep, kmemleak) takes some 1700
# frames/s under TCG: at 20000 the rings overflow (counted, not lost)
DEBUG_SOAK_RATE=${EVSTEER_SOAK_RATE:-2000}
SOAK_SEED=${EVSTEER_SOAK_SEED:-1}
# what counts as a sanitizer or kernel report on the console
SOAK_REPORTS='BUG:|WARNING:|KASAN:|KCSAN:|ODEBUG:|UBSAN:|kmemleak:.*suspected|general protection fault|circular locking|inconsistent lock state|Kernel panic'

sc_soak() {
	local out=$LOGS/soak${KERNEL:+@$KERNEL} rc reports rate=$SOAK_RATE
	local budget=$((SOAK_SECONDS * 3 + SOAK_CYCLES * 15 + 240))
	# vm() bounds the run by SCENARIO_TIMEOUT: at least the soak's own
	local SCENARIO_TIMEOUT=$((SCENARIO_TIMEOUT > budget + 60 ?
				  SCENARIO_TIMEOUT : budget + 60))

	[ "$KERNEL" = debug ] && rate=$DEBUG_SOAK_RATE
	vm --timeout "$budget" \
		--smp 4 --rings 4 \
		--device-opt "--ring-size $DP_RING_SIZE --rate $rate --flows 1024" \
		--guest-file "$G/dp_lib.sh" --guest-file "$G/mon_lib.sh" \
		--host-script "$ROOT/tests/vm/host/dp_ctl.sh" \
		--guest-env "SOAK_SECONDS=$SOAK_SECONDS" \
		--guest-env "SOAK_CYCLES=$SOAK_CYCLES" \
		--guest-env "SOAK_SEED=$SOAK_SEED" \
		--guest-script "$G/soak.sh" 2>&1 | tee "$out.out"
	rc=${PIPESTATUS[0]}
	# the debug kernel's console as vm.sh scanned it; else the guest's
	# own look at dmesg (check_dmesg prints what it finds)
	reports=$(sed -n 's/^vm: sanitizers: \([0-9]*\) report lines.*/\1/p' \
		"$out.out" | tail -n 1)
	[ -n "$reports" ] || reports=$(grep -vE '^(vm|host|#)' "$out.out" |
		grep -cE "$SOAK_REPORTS")
	if ! sed -n 's/.*soak-json //p' "$out.out" | tail -n 1 |
		jq -c --arg k "${KERNEL:-default}" --argjson r "$reports" \
			'. + {kernel: $k, sanitizer_reports: $r}' >"$out.json" ||
		[ ! -s "$out.json" ]; then
		echo "# FAIL: no soak summary from the guest"
		return 1
	fi
	echo "# soak summary ($out.json): $(cat "$out.json")"
	return "$rc"
}

# ---- real frames (rx_*): 256 UDP flows to our receiver in the guest,
# the lanes moved every 250 ms and the steering changed under traffic:
# nothing lost, reordered or duplicated per flow, the counters agree,
# in each lane mode
RX_TRAFFIC="--rate 5000 --flows 256"
# --debug-kernel: its guest (KASAN, lockdep) under TCG takes a fifth of
# that; at 5000 it lost frames to full rings and socket buffers
DEBUG_RX_TRAFFIC="--rate 1000 --flows 256"

rx_vm() {
	dp_vm --device-opt "$RX_TRAFFIC" --guest-file "$G/mon_lib.sh" \
		--no-up --guest-script "$G/rx_frames.sh" "$@"
}

sc_rx_napi() { rx_vm; }
sc_rx_threaded() { rx_vm --no-load --guest-env EVSTEER_BH=threaded; }
sc_rx_workqueue() { rx_vm --no-load --guest-env EVSTEER_BH=workqueue; }
sc_rx_tasklet() { rx_vm --no-load --guest-env EVSTEER_BH=tasklet; }
# BH work items: Linux 6.9 and later
sc_rx_bh() { rx_vm --no-load --guest-env EVSTEER_BH=bh; }

# RETA rebalancing: Zipf flows (4096, skew 0.6), ring 0 given 3x the
# others by ethtool -X weight 3 1 1 1, then the rebalance knob on: ring
# max/mean under 1.2 within 2 s, the receiver sees nothing reordered
sc_rebal_zipf() {
	dp_vm --device-opt "--rate 5000 --flows 4096 --zipf 0.6" \
		--guest-file "$G/mon_lib.sh" --no-up \
		--guest-script "$G/rebal_zipf.sh"
}

# netdev netlink (6.8+): queue -> NAPI -> IRQ links against
# /proc/interrupts, the threaded NAPIs' pids, qstats against ethtool -S
sc_nl_links() {
	dp_vm --device-opt "$RX_TRAFFIC" --guest-file "$G/mon_lib.sh" \
		--guest-script "$G/nl_links.sh"
}

# a real capture (loopback TCP, UDP, ICMP over IPv4 and IPv6, made here
# in a network namespace of our own) replayed by the device reaches the
# guest byte-identical: tcpdump -w there has the capture's frames
RX_PCAP_N=100

sc_rx_pcap() {
	local dir=$LOGS/rx_pcap.d rc

	rm -rf "$dir"
	mkdir -p "$dir"
	if ! timeout 60 "$ROOT/tests/vm/host/pcap_capture.sh" "$dir/host.pcap" \
		"$RX_PCAP_N"; then
		echo "# FAIL: no capture of $RX_PCAP_N frames on the host"
		return 1
	fi
	dp_vm --no-up --device-opt "--pcap $dir/host.pcap --rate 0" \
		--guest-env "PCAP_N=$RX_PCAP_N" --guest-script "$G/rx_pcap.sh" |
		tee "$dir/out"
	rc=${PIPESTATUS[0]}
	sed -n '/^pcap-b64-begin$/,/^pcap-b64-end$/p' "$dir/out" |
		grep -E '^[A-Za-z0-9+/=]+$' | base64 -d >"$dir/guest.pcap" || rc=1
	"$ROOT/tests/vm/host/pcap_frames.sh" "$dir/host.pcap" >"$dir/host.frames"
	"$ROOT/tests/vm/host/pcap_frames.sh" "$dir/guest.pcap" >"$dir/guest.frames" || true
	if cmp -s "$dir/host.frames" "$dir/guest.frames"; then
		echo "# ok: the guest's capture has the host capture's $RX_PCAP_N frames, byte for byte"
	else
		echo "# FAIL: the guest's capture differs from the host's ($(wc -l <"$dir/guest.frames") frames; diff in $dir)"
		rc=1
	fi
	return "$rc"
}

# ---- load monitor (mon_*): 4 rings on 4 vCPUs, traffic whose events
# cost busy time (--cost) so that every lane has a load of its own; the
# guest scripts drive the sysfs knobs, CPU hogs and CPU hotplug and
# read debugfs and the evsteer tracepoints; each is bounded by
# MON_TIMEOUT and takes well under a minute.

MON_TIMEOUT=90
MON_TRAFFIC="--ring-size 4096 --rate 4000 --flows 1024 --cost 25000"

mon_vm() {
	vm --timeout "$MON_TIMEOUT" --smp 4 --rings 4 --device-opt "$MON_TRAFFIC" \
		--guest-file "$G/dp_lib.sh" --guest-file "$G/mon_lib.sh" "$@"
}

# (a) a busy loop on the busiest lane's CPU: the lane leaves for a CPU
# with lower usage within 2 intervals (trace_marker to evsteer_migrate)
sc_mon_hog() {
	mon_vm --guest-script "$G/mon_hog.sh"
}

# (b) every CPU within the margin of the others for 30 s: no lane moves;
# margin 0 under the same load: lanes move
sc_mon_noise() {
	mon_vm --guest-script "$G/mon_noise.sh"
}

# (c) narrowing the cpus knob evicts the lanes within one interval, and
# they run only on the CPUs left
sc_mon_cpus() {
	mon_vm --guest-script "$G/mon_cpus.sh"
}

# (d) CPU offline and online under traffic: the lanes leave and, with
# the other CPUs hogged, come back; nothing lost (the device is paused
# through tests/vm/host/dp_ctl.sh for the exact accounting)
sc_mon_hotplug() {
	mon_vm --host-script "$ROOT/tests/vm/host/dp_ctl.sh" \
		--guest-script "$G/mon_hotplug.sh"
}

# (e) 38 invalid knob writes refused with EINVAL or ERANGE, no knob changed
sc_mon_sysfs() {
	mon_vm --guest-script "$G/mon_sysfs.sh"
}

# (f) (a) with the lanes run as tasklets (switched through bh_mode)
sc_mon_tasklet() {
	mon_vm --guest-env EVSTEER_BH=tasklet --guest-script "$G/mon_hog.sh"
}

# (i) a real-time hog on the busiest lane's CPU with relief_us 2000: the
# lanes leave it within 10 ms (median), workqueue and threaded, windows
# sent on; relief off for contrast; nothing lost.  Two vCPUs: under TCG
# the hog's vCPU takes a host core, and with four vCPUs the three left
# would share one, every lane there delayed as much as the hogged ones.
sc_mon_relief() {
	vm --timeout "$MON_TIMEOUT" --smp 2 --rings 2 --device-opt "$MON_TRAFFIC" \
		--guest-file "$G/dp_lib.sh" --guest-file "$G/mon_lib.sh" \
		--host-script "$ROOT/tests/vm/host/dp_ctl.sh" \
		--guest-script "$G/mon_relief.sh"
}

# ---- transmit (tx_*): scripts/vm.sh --tap wires evs0 to a TAP in a
# network namespace of the run's own, where tests/vm/host/tx_host.sh
# runs ping, iperf3 and evsteer-ctl on the guest's requests; 4 rings on
# 4 vCPUs; each is bounded by TX_TIMEOUT and its host side's output
# (iperf3's JSON) is kept in build/vm/logs/<scenario>.d/.

TX_TIMEOUT=100
SKIP=77			# a scenario's exit status for "skipped"

# tx_ready: root and the host's tools, or say what is missing.
tx_ready() {
	local t

	if [ "$(id -u)" != 0 ]; then
		echo "# SKIP: --tap needs root (a network namespace)"
		return 1
	fi
	for t in iperf3 ping jq; do
		if ! command -v "$t" >/dev/null; then
			echo "# SKIP: $t is not installed (scripts/deps.sh)"
			return 1
		fi
	done
}

# tx_dir NAME: a fresh directory for the host side's output, $TX_DIR.
tx_dir() {
	TX_DIR=$LOGS/$1.d
	rm -rf "$TX_DIR"
	mkdir -p "$TX_DIR"
}

# tx_vm VM-OPTION...: one run, the host side's output in $TX_DIR.
tx_vm() {
	EVSTEER_TX_OUT=$TX_DIR vm --timeout "$TX_TIMEOUT" --smp 4 --rings 4 --tap \
		--guest-file "$G/dp_lib.sh" --guest-file "$G/tx_lib.sh" \
		--host-script "$ROOT/tests/vm/host/tx_host.sh" "$@"
}

# (a) ping from the namespace: 100 of 100 and IPv6 answered, ARP
# resolves to evs0's MAC, the guest's TX counters grew, nothing dropped
sc_tx_ping() {
	tx_ready || return $SKIP
	tx_dir tx_ping
	tx_vm --guest-script "$G/tx_ping.sh"
}

# (b) iperf3 TCP 10 s each way (the server in the guest): both complete
# with bytes moved; throughput and retransmits on "# measured:" lines
TX_TCP_SECS=10

sc_tx_iperf_tcp() {
	tx_ready || return $SKIP
	tx_dir tx_iperf_tcp
	tx_vm --guest-env "TX_SECS=$TX_TCP_SECS" \
		--guest-script "$G/tx_iperf_tcp.sh"
}

# (c) 8 UDP streams from the namespace at a rate TCG keeps up with: each
# ring receives what the streams' tuples (iperf3's source ports) hash to
# with the guest's key and table, within 2 % of all packets received
TX_UDP_STREAMS=8
TX_UDP_RATE=1M		# per stream; 1000-byte datagrams: 125 per second each
TX_UDP_SECS=5
TX_UDP_TOLERANCE=0.02

sc_tx_iperf_udp() {
	local rc

	tx_ready || return $SKIP
	tx_dir tx_iperf_udp
	tx_vm --guest-env "TX_STREAMS=$TX_UDP_STREAMS" \
		--guest-env "TX_RATE=$TX_UDP_RATE" --guest-env "TX_SECS=$TX_UDP_SECS" \
		--guest-script "$G/tx_iperf_udp.sh" | tee "$TX_DIR/out"
	rc=${PIPESTATUS[0]}
	"$ROOT/tests/vm/host/tx_steer.sh" --check "$TX_DIR/out" "$TX_DIR/udp.json" \
		"$TX_UDP_TOLERANCE" || rc=1
	return "$rc"
}

# (d) rmmod during an iperf3 run, then insmod: no oops, the device runs
# on, and a new ping from the namespace is answered
sc_tx_rmmod() {
	tx_ready || return $SKIP
	tx_dir tx_rmmod
	tx_vm --guest-script "$G/tx_rmmod.sh"
}

# (e) the device stops completing TX for TX_STALL_MS while the guest
# sends: the queue stays stopped, the watchdog (5 s) counts tx_timeouts,
# and after the stall the interface recovers.  The watchdog looks every
# 5 s (rounded to a second): a stall of more than 11 s is seen whatever
# its phase.
TX_STALL_MS=12000

sc_tx_watchdog() {
	tx_ready || return $SKIP
	tx_dir tx_watchdog
	tx_vm --guest-env "TX_STALL_MS=$TX_STALL_MS" \
		--guest-script "$G/tx_watchdog.sh"
}

# (f) a 200 ms stall under a guest->host UDP stream the qdisc can hold:
# queues stop and wake, and nothing is lost: not by the driver, not by
# the qdisc, not at the receiver in the namespace
sc_tx_ring_full() {
	tx_ready || return $SKIP
	tx_dir tx_ring_full
	tx_vm --guest-script "$G/tx_ring_full.sh"
}

# (g) policy topology on hyperthreads (2 sockets x 2 cores x 2 threads):
# each ring's two lanes settle on the two threads of its vector's core
# and run there at the same time.  Not in the default list: under TCG
# the light lanes now and then herd onto one thread for seconds (the
# lowest-margin herding the policy inherits), so it is run by name:
# tests/vm/run.sh mon_smt
sc_mon_smt() {
	mon_vm --topology sockets=2,cores=2,threads=2 --rings 2 \
		--guest-script "$G/mon_smt.sh"
}

# (h) two NUMA nodes (vm.sh --numa 2; each CPU a package of its own):
# the guest sees them, and policy topology takes a CPU of the ring's
# node as nearer than one of the other node; the device paused, so
# closeness alone decides (about 25 s)
sc_mon_numa() {
	vm --timeout "$MON_TIMEOUT" --topology sockets=4,cores=1,threads=1 --numa 2 \
		--rings 4 --device-opt "--rate 0" \
		--guest-file "$G/dp_lib.sh" --guest-file "$G/mon_lib.sh" \
		--guest-script "$G/mon_numa.sh"
}

# On a newer guest kernel: the ones that show what it changes (6.12:
# the NAPI modes, tasklet as bh, netdev netlink; PREEMPT_RT: napi as
# threaded, tasklet as bh), few enough for make check.  The monitor's
# timing claims (mon_hog) are checked on 6.1: under TCG an RT guest
# misses them by a tick now and then.
NEW_KERNEL_SCENARIOS=(rmmod_reload rx_napi rx_threaded rx_tasklet nl_links tx_ping)
RT_KERNEL_SCENARIOS=(probe_affinity rmmod_reload rx_napi rx_tasklet tx_ping)

PASSED=0
FAILED=0
SKIPPED=0
N=0

tap() {
	local status=$1 name=$2 directive=${3:-}

	N=$((N + 1))
	echo "$status $N - $name${KERNEL:+@$KERNEL}${directive:+ # $directive}"
}

missing_tool() {
	local t

	for t in qemu-system-x86_64 busybox cpio ethtool; do
		command -v "$t" >/dev/null || { echo "$t"; return; }
	done
}

run_one() {
	local name=$1 log=$LOGS/$1${KERNEL:+@$KERNEL}.log t0 rc secs

	t0=$(date +%s.%N)
	"sc_$name" >"$log" 2>&1
	rc=$?
	# a guest that hung (124) or died (125), e.g. in a TCG guest's
	# cross-CPU code patching, gets one more run; the first one's log is
	# kept, and the retry is said (a scenario failure is never retried)
	if [ $rc = 124 ] || [ $rc = 125 ]; then
		mv "$log" "${log%.log}.first.log"
		echo "# $name: the guest hung or died (exit $rc; log kept: ${log%.log}.first.log): run again"
		"sc_$name" >"$log" 2>&1
		rc=$?
	fi
	secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	if [ $rc = 0 ]; then
		tap ok "$name"
		PASSED=$((PASSED + 1))
	elif [ $rc = $SKIP ]; then
		tap ok "$name" "SKIP $(sed -n 's/^# SKIP: //p' "$log" | tail -n 1)"
		SKIPPED=$((SKIPPED + 1))
		rc=0
	else
		tap "not ok" "$name"
		FAILED=$((FAILED + 1))
	fi
	if [ $rc != 0 ] || [ "${EVSTEER_VERBOSE:-0}" = 1 ]; then
		sed 's/^#* \{0,1\}/# /' "$log"
	fi
	echo "# $name: exit $rc in $secs s (log: ${log#"$ROOT"/})"
}

main() {
	local names=() name missing defaults=("${SCENARIOS[@]}") factor build_timeout

	KERNEL=
	build_timeout=1200
	if [ "${1:-}" = --debug-kernel ]; then
		KERNEL=debug
		export EVSTEER_DEBUG_KERNEL=1
		defaults=("${NEW_KERNEL_SCENARIOS[@]}")
		shift
		if [ $# = 0 ]; then
			echo "--debug-kernel runs scenarios by name (--list: candidates)" >&2
			exit 2
		fi
		factor=$("$VM" --timeout-factor)
		SCENARIO_TIMEOUT=$((SCENARIO_TIMEOUT * factor))
		build_timeout=$((build_timeout * factor))
		RX_TRAFFIC=$DEBUG_RX_TRAFFIC
	elif [ "${1:-}" = --kernel ]; then
		KERNEL=${2:?--kernel needs a kernel release}
		export EVSTEER_GUEST_KVER=$KERNEL
		case $KERNEL in
		*-rt-*) defaults=("${RT_KERNEL_SCENARIOS[@]}") ;;
		*) defaults=("${NEW_KERNEL_SCENARIOS[@]}") ;;
		esac
		shift 2
	fi
	names=("$@")
	if [ "${1:-}" = --list ]; then
		printf '%s\n' "${defaults[@]}"
		return 0
	fi
	[ ${#names[@]} -gt 0 ] || names=("${defaults[@]}")
	for name in "${names[@]}"; do
		declare -F "sc_$name" >/dev/null || { echo "unknown scenario: $name" >&2; exit 2; }
	done
	mkdir -p "$LOGS"

	missing=$(missing_tool)
	if [ -n "$missing" ]; then
		for name in "${names[@]}"; do
			tap ok "$name" "SKIP $missing is not installed (scripts/deps.sh)"
			SKIPPED=$((SKIPPED + 1))
		done
	elif ! timeout "$build_timeout" "$VM" --build-only >"$LOGS/build.log" 2>&1; then
		sed 's/^/# /' "$LOGS/build.log"
		for name in "${names[@]}"; do
			tap "not ok" "$name"
			FAILED=$((FAILED + 1))
		done
	else
		for name in "${names[@]}"; do
			run_one "$name"
		done
	fi
	echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
	[ $FAILED = 0 ]
}

main "$@"
