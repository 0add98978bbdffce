# SPDX-License-Identifier: GPL-2.0
#
# The VM rig's NUMA nodes (scripts/vm.sh --numa 2 --topology
# sockets=4,cores=1,threads=1: CPUs 0-1 on node 0, 2-3 on node 1, each
# CPU a package of its own, so that "same node" is the only closeness
# between two CPUs): the guest sees the nodes, and policy "topology"
# takes a CPU of the ring's node as nearer than one of the other node.
#
# The rings' vector CPUs (ring i on CPU i) are taken out of the allowed
# CPUs (cpus 1,3): ring 0's lanes (home CPU 0, node 0) and ring 2's
# (home CPU 2, node 1) are evicted, then brought back near at once: the
# device is paused (--rate 0), so the lanes carry no load and nothing
# but closeness decides; margin 100 (no move on usage) and residence 0
# (no hold).  The nearest allowed CPU is 1 for ring 0 and 3 for ring 2,
# one hop across the node either way.  Under lowest-margin, the
# contrast, where the evicted lanes go is the usage's (with no load, all
# to the one lowest CPU): reported only.

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh
# shellcheck source=dp_lib.sh
. ./dp_lib.sh
# shellcheck source=mon_lib.sh
. ./mon_lib.sh

SETTLE_S=5	# bound on the lanes settling: a few 100 ms ticks
STAY_S=2	# and then they stay

node_cpus() { cat "/sys/devices/system/node/node$1/cpulist"; }
node_mem_kb() { awk '/MemTotal/ { print $4 }' "/sys/devices/system/node/node$1/meminfo"; }
nodes() { for _n in /sys/devices/system/node/node[0-9]*; do [ -d "$_n" ] && echo "$_n"; done | wc -l; }
node_split() { [ "$(node_cpus 0)" = 0-1 ] && [ "$(node_cpus 1)" = 2-3 ]; }
node_mem() { [ "$(node_mem_kb 0)" -gt 0 ] && [ "$(node_mem_kb 1)" -gt 0 ]; }
package_of() { cat "/sys/devices/system/cpu/cpu$1/topology/core_siblings_list"; }
homes() { [ "$(ring_stat 0 cpu)" = 0 ] && [ "$(ring_stat 2 cpu)" = 2 ]; }

# near: ring 0's lanes on CPU 1, ring 2's on CPU 3, rings 1 and 3 home
near() {
	[ "$(mon_lanes | awk '
		$1 == 0 && $3 != 1 { bad++ }  $1 == 2 && $3 != 3 { bad++ }
		$1 == 1 && $3 != 1 { bad++ }  $1 == 3 && $3 != 3 { bad++ }
		{ n++ } END { print (n >= 4 && !bad) }')" = 1 ]
}

# at_home: every lane on its ring's vector CPU (ring i's on CPU i)
at_home() {
	[ "$(mon_lanes | awk '$1 != $3 { bad++ } { n++ } END { print (n >= 4 && !bad) }')" = 1 ]
}

# off_node: how many of rings 0 and 2's lanes are on the other node
off_node() { mon_lanes | awk '($1 == 0 && $3 >= 2) || ($1 == 2 && $3 < 2) { n++ } END { print n + 0 }'; }

# stays_near SECONDS: near at every sample, 10 a second
stays_near() {
	_n=$(($1 * 10))
	while [ "$_n" -gt 0 ]; do
		near || return 1
		sleep 0.1
		_n=$((_n - 1))
	done
}

check "the driver is bound" bound
need_knobs
check "the guest has $EVSTEER_NUMA NUMA nodes (it sees $(nodes))" [ "$(nodes)" = "$EVSTEER_NUMA" ]
check "node 0 has CPUs 0-1 ($(node_cpus 0)), node 1 CPUs 2-3 ($(node_cpus 1))" \
	node_split
check "each node has RAM of its own ($(node_mem_kb 0) and $(node_mem_kb 1) kB)" \
	node_mem
check "every CPU is a package of its own (CPU 0's package: $(package_of 0))" \
	[ "$(package_of 0)" = 0 ]
r=0
while [ "$r" -lt "$EVSTEER_RINGS" ]; do
	note "ring $r: vector on CPU $(ring_stat "$r" cpu)"
	r=$((r + 1))
done
check "ring 0's vector is on CPU 0 and ring 2's on CPU 2" homes

set_knob residence_ms 0
set_knob margin 100
set_knob policy topology
set_knob cpus 1,3
check "policy topology: within $SETTLE_S s ring 0's lanes are on CPU 1 (its node) and ring 2's on CPU 3 (its node)" \
	wait_s "$SETTLE_S" near
note "lanes: $(lane_places)"
check "and stay there for $STAY_S s" stays_near "$STAY_S"

# the contrast: the same eviction under lowest-margin, from home (where
# policy topology brings the lanes back once their CPUs are allowed)
set_knob cpus 0-3
check "with every CPU allowed again the lanes go back to their vectors' CPUs" \
	wait_s "$SETTLE_S" at_home
set_knob policy lowest-margin
set_knob cpus 1,3
sleep 1
note "lowest-margin, cpus 1,3: lanes $(lane_places), $(off_node) of the 4 evicted off their ring's node (the usage decides, not the node)"
check_dmesg
exit "$FAILED"
