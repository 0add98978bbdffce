# SPDX-License-Identifier: GPL-2.0
#
# Data path under uniform traffic, one ring per CPU: every ring receives
# events; once the device is paused and the driver has drained, each
# ring's consumed count equals what the device produced on it, exactly,
# every entry went through exactly one lane, and nothing was lost,
# duplicated, reordered or dropped.
#
# EVSTEER_BH: napi (default), threaded, workqueue or tasklet.  Other than
# napi, the module is loaded here (run.sh passes --no-load) with it.

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh
# shellcheck source=dp_lib.sh
. ./dp_lib.sh

BH=${EVSTEER_BH:-napi}
TRAFFIC_S=3		# seconds of traffic measured
MIN_EVENTS=10000	# at least this many in them (the device sends 10000/s)
MIN_SHARE_PCT=10	# uniform flows: every ring gets at least this share

# TASKLET softirqs run so far, all CPUs.
tasklet_runs() {
	awk '$1 == "TASKLET:" { for (i = 2; i <= NF; i++) s += $i } END { print s + 0 }' /proc/softirqs
}

# windows taken on the data rings between two snapshots
windows_between() {
	_r=0
	_w=0
	while [ "$_r" -lt "$EVSTEER_RINGS" ]; do
		_w=$((_w + $(dv "$1" "$2" "ring${_r}_windows")))
		_r=$((_r + 1))
	done
	echo "$_w"
}

# every data ring has consumed something
rings_consumed() {
	es_snap /tmp/es.now || return 1
	_r=0
	while [ "$_r" -lt "$EVSTEER_RINGS" ]; do
		[ "$(sv /tmp/es.now "ring${_r}_events")" -gt 0 ] || return 1
		_r=$((_r + 1))
	done
}

# lanes_account FILE R: ring R's lanes processed exactly its events
lanes_account() {
	_each=$(awk -v p="ring$2_lane" 'index($1, p) == 1 && $1 ~ /_events$/ {
		printf "%s%s", sep, $2; sep = " " }' "$1")
	_sum=$(echo "$_each" | awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s + 0 }')
	note "ring $2: lanes processed $_sum ($_each), ring consumed $(sv "$1" "ring$2_events")"
	[ "$_sum" = "$(sv "$1" "ring$2_events")" ]
}

if [ "$EVSTEER_LOAD" = 0 ]; then
	check "insmod bh_mode=$BH" evs_insmod "bh_mode=$BH"
fi
check "the module runs its lanes as $BH" \
	[ "$(cat /sys/module/evsteer/parameters/bh_mode 2>/dev/null)" = "$BH" ]
need_netdev
check "traffic reaches every data ring within 30 s" wait_s 30 rings_consumed

es_snap /tmp/es.a
t0=$(tasklet_runs)
sleep "$TRAFFIC_S"
es_snap /tmp/es.b
t1=$(tasklet_runs)

total=$(dv /tmp/es.a /tmp/es.b events)
check "$total events in $TRAFFIC_S s (at least $MIN_EVENTS)" [ "$total" -ge "$MIN_EVENTS" ]
r=0
while [ "$r" -lt "$EVSTEER_RINGS" ]; do
	n=$(dv /tmp/es.a /tmp/es.b "ring${r}_events")
	check "ring $r receives events: $n of $total (at least $MIN_SHARE_PCT %)" \
		[ "$n" -gt 0 -a $((n * 100)) -ge $((total * MIN_SHARE_PCT)) ]
	r=$((r + 1))
done

# The lanes really run the way the module says: in tasklet mode lane
# runs are TASKLET softirqs (one softirq may run several tasklets, so
# ask for a tenth of the windows); in workqueue mode there are hardly
# any (below 1 %).
w=$(windows_between /tmp/es.a /tmp/es.b)
t=$((t1 - t0))
note "$w windows on the data rings, $t TASKLET softirqs"
if [ "$BH" = tasklet ]; then
	check "lanes ran as tasklets: $t TASKLET softirqs for $w windows" \
		[ "$w" -gt 0 -a $((t * 10)) -ge "$w" ]
elif [ "$BH" = workqueue ]; then
	check "lanes ran as work items: $t TASKLET softirqs for $w windows" \
		[ "$w" -gt 0 -a $((t * 100)) -lt "$w" ]
fi

pause_device
check_drained_exact
check_zero /tmp/es.drained lost dups reorders dev_drops bad_entries bad_prod
r=0
while [ "$r" -lt "$EVSTEER_RINGS" ]; do
	check "ring $r: every entry went through exactly one lane" \
		lanes_account /tmp/es.drained "$r"
	# ethtool and debugfs are two views of the same counters
	check "ring $r: debugfs agrees with ethtool -S" [ \
		"$(ring_stat "$r" events)" = "$(sv /tmp/es.drained "ring${r}_events")" -a \
		"$(dev_ring_stat "$r" produced)" = "$(sv /tmp/es.drained "ring${r}_dev_produced")" ]
	r=$((r + 1))
done
check "rmmod works" rmmod evsteer
check_dmesg
exit "$FAILED"
