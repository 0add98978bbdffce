# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the data-path scenarios (dp_*.sh, busybox sh), sourced
# after lib.sh: counters from `ethtool -S`, requests to the host side
# (tests/vm/host/dp_ctl.sh), pausing the device and draining the rings.
# shellcheck shell=sh
# shellcheck disable=SC2034 # NETDEV and friends are for the scripts

NETDEV=${EVSTEER_NETDEV:-evs0}

# wait_s SECONDS COMMAND...: poll COMMAND every 0.2 s until it succeeds,
# for at most SECONDS of wall time (lib.sh's wait_until counts polls,
# and a poll that runs ethtool takes a while itself).
wait_s() {
	_deadline=$(($(uptime_cs) + $1 * 100))
	shift
	while :; do
		"$@" && return 0
		[ "$(uptime_cs)" -lt "$_deadline" ] || return 1
		sleep 0.2
	done
}

uptime_cs() { awk '{ printf "%d", $1 * 100 }' /proc/uptime; }

# ---- counters ---------------------------------------------------------

# es_snap FILE: every `ethtool -S` counter into FILE, "name value" lines.
es_snap() {
	ethtool -S "$NETDEV" >/tmp/es.raw || return 1
	awk -F': *' 'NR > 1 { sub(/^ +/, "", $1); print $1, $2 }' /tmp/es.raw >"$1"
}

# sv FILE NAME: a counter of a snapshot; fails if there is no such name.
sv() {
	awk -v n="$2" '$1 == n { print $2; f = 1 } END { exit !f }' "$1"
}

# es NAME: a counter, now.
es() {
	es_snap /tmp/es.now && sv /tmp/es.now "$1"
}

# dv A B NAME: how much counter NAME grew from snapshot A to B.
dv() {
	echo $(($(sv "$2" "$3") - $(sv "$1" "$3")))
}

# The name prefix of ring R's counters: ring<R>_, or admin_ for the admin
# ring (ring number EVSTEER_RINGS).
rp() {
	if [ "$1" = "$EVSTEER_RINGS" ]; then echo admin_; else echo "ring$1_"; fi
}

# rings_grew A B FIRST LAST: rings FIRST..LAST all consumed more in B.
rings_grew() {
	_r=$3
	while [ "$_r" -le "$4" ]; do
		[ "$(dv "$1" "$2" "ring${_r}_events")" -gt 0 ] || return 1
		_r=$((_r + 1))
	done
}

# rings_still A B FIRST LAST: rings FIRST..LAST got nothing new in B,
# neither produced by the device nor consumed by the driver.
rings_still() {
	_r=$3
	while [ "$_r" -le "$4" ]; do
		[ "$(dv "$1" "$2" "ring${_r}_events")" = 0 ] || return 1
		[ "$(dv "$1" "$2" "ring${_r}_dev_produced")" = 0 ] || return 1
		_r=$((_r + 1))
	done
}

# rings_caught_up FIRST LAST: right now, the driver has consumed (or
# refused) everything the device produced on rings FIRST..LAST.
rings_caught_up() {
	es_snap /tmp/es.now || return 1
	_c=$1
	while [ "$_c" -le "$2" ]; do
		ring_drained /tmp/es.now "$_c" || return 1
		_c=$((_c + 1))
	done
}

# check_steered_away FIRST LAST: a steering change that takes rings
# FIRST..LAST out of the table returned a second ago.  Once the driver
# has caught up on what the device put there before (at once, unless
# the guest is starved), the rings get nothing new for a second: not
# from the device, not consumed by the driver.
check_steered_away() {
	check "the driver catches up on rings $1-$2 (10 s at most)" \
		wait_s 10 rings_caught_up "$1" "$2"
	es_snap /tmp/es.away0
	sleep 1
	es_snap /tmp/es.away1
	check "then rings $1-$2 get nothing new for 1 s" \
		rings_still /tmp/es.away0 /tmp/es.away1 "$1" "$2"
}

# show_rings FILE: one line per ring of the counters that matter here.
show_rings() {
	_r=0
	while [ "$_r" -le "$EVSTEER_RINGS" ]; do
		_p=$(rp "$_r")
		note "${_p%_}: events=$(sv "$1" "${_p}events") dev_produced=$(sv "$1" "${_p}dev_produced") bad_entries=$(sv "$1" "${_p}bad_entries") bad_prod=$(sv "$1" "${_p}bad_prod") lost=$(sv "$1" "${_p}lost") dups=$(sv "$1" "${_p}dups") dev_drops=$(sv "$1" "${_p}dev_drops") cpu=$(sv "$1" "${_p}cpu")"
		_r=$((_r + 1))
	done
}

# ---- the net device ---------------------------------------------------

has_netdev() { [ -d "/sys/class/net/$NETDEV" ]; }

# The counter names agreed for `ethtool -S`, one per line.
stat_names() {
	for _n in events lost dups reorders bad_entries bad_prod dev_produced \
		dev_drops link_changes error_events; do
		echo "$_n"
	done
	_r=0
	while [ "$_r" -le "$EVSTEER_RINGS" ]; do
		for _n in events irqs irq_busy windows lost dups bad_entries \
			bad_prod dev_produced dev_drops cpu; do
			echo "$(rp "$_r")$_n"
		done
		_j=0
		while [ "$_r" -lt "$EVSTEER_RINGS" ] && [ "$_j" -lt "$(lanes)" ]; do
			for _n in runs events reorders cpu; do
				echo "ring${_r}_lane${_j}_$_n"
			done
			_j=$((_j + 1))
		done
		_r=$((_r + 1))
	done
}

# Lanes per data ring, as the module was loaded.
lanes() { cat /sys/module/evsteer/parameters/lanes; }

# every agreed name is there, with a number
has_stat_names() {
	es_snap /tmp/es.names || return 1
	stat_names | while read -r _n; do
		_v=$(sv /tmp/es.names "$_n") || { echo "# missing: $_n"; exit 1; }
		case $_v in
		''|*[!0-9]*) echo "# not a number: $_n: $_v"; exit 1 ;;
		esac
	done
}

# need_netdev: the scenario cannot run without the net device and its
# counters: say so and stop here, failed.
need_netdev() {
	if ! has_netdev; then
		fail "$NETDEV exists (the driver has no net device)"
		exit 1
	fi
	pass "$NETDEV exists"
	if ! has_stat_names; then
		fail "ethtool -S $NETDEV has every agreed counter"
		exit 1
	fi
	pass "ethtool -S $NETDEV has every agreed counter"
	check "ip link set $NETDEV up" ip link set "$NETDEV" up
}

carrier_is() { [ "$(cat "/sys/class/net/$NETDEV/carrier" 2>/dev/null)" = "$1" ]; }

# The RETA of `ethtool -x`, one entry per line.
reta_entries() {
	ethtool -x "$NETDEV" | awk '/^ *[0-9]+: / { for (i = 2; i <= NF; i++) print $i }'
}

# Entries of the driver's RETA (EVS_RSS_RETA_SIZE: the ABI's maximum).
RETA_SIZE=512

# reta_is_equal N: RETA_SIZE entries, entry i is ring i % N.
reta_is_equal() {
	reta_entries | awk -v n="$1" -v size="$RETA_SIZE" '
		{ if ($1 != (NR - 1) % n) bad = 1 }
		END { exit bad || NR != size }'
}

# reta_is_all R: RETA_SIZE entries, every one ring R.
reta_is_all() {
	reta_entries | awk -v r="$1" -v size="$RETA_SIZE" '
		{ if ($1 != r) bad = 1 } END { exit bad || NR != size }'
}

# The hash key that `ethtool -x` shows, lower case.
rss_key() {
	ethtool -x "$NETDEV" | awk '/^RSS hash key:/ { getline; print tolower($1) }'
}

# channels WHICH: the combined count under "Pre-set maximums" (max) or
# "Current hardware settings" (cur).
channels() {
	ethtool -l "$NETDEV" | awk -v w="$1" '
		/^Pre-set maximums/ { s = "max" }
		/^Current hardware settings/ { s = "cur" }
		/^Combined:/ && s == w { print $2 }'
}

# ---- the host side ----------------------------------------------------

_dp_req=0

# host_req CMD...: ask tests/vm/host/dp_ctl.sh to run `evsteer-ctl CTL
# CMD...`.  It reads the request from the console; the caller checks
# the effect.
host_req() {
	_dp_req=$((_dp_req + 1))
	echo "dp-host-req $_dp_req $*"
}

# The device's status bits, as the driver's debugfs shows them.
dev_status() {
	sed -n 's/.*device_status=\(0x[0-9a-f]*\).*/\1/p' "$DBG/info"
}

dev_paused() {
	_s=$(dev_status)
	[ -n "$_s" ] && [ $((_s & 0x10)) != 0 ]
}

dev_running() {
	_s=$(dev_status)
	[ -n "$_s" ] && [ $((_s & 0x12)) = 2 ]
}

# pause_device: the device stops producing; checked.
pause_device() {
	host_req pause
	check "the device pauses (evsteer-ctl pause)" wait_s 10 dev_paused
}

resume_device() {
	host_req resume
	check "the device runs again (evsteer-ctl resume)" wait_s 10 dev_running
}

# ring_drained FILE R: ring R's entries are all accounted for: consumed
# (events) or refused (bad_entries), as many as the device produced.
ring_drained() {
	_p=$(rp "$2")
	[ $(($(sv "$1" "${_p}events") + $(sv "$1" "${_p}bad_entries"))) = \
		"$(sv "$1" "${_p}dev_produced")" ]
}

# accounting FILE: the counters that say where entries are: per ring
# (the admin ring too) consumed, refused and produced.  Other counters,
# such as the load monitor's, move on their own.
accounting() {
	grep -E '^(ring[0-9]+|admin)_(events|bad_entries|dev_produced) ' "$1"
}

# quiet_and_drained: no entry moved since the previous call (the last
# snapshot is kept in /tmp/es.drained) and every ring, the admin ring
# too, is drained.
quiet_and_drained() {
	[ -f /tmp/es.drained ] && mv /tmp/es.drained /tmp/es.prev
	es_snap /tmp/es.drained || return 1
	[ -f /tmp/es.prev ] || return 1
	[ "$(accounting /tmp/es.prev)" = "$(accounting /tmp/es.drained)" ] || return 1
	_r=0
	while [ "$_r" -le "$EVSTEER_RINGS" ]; do
		ring_drained /tmp/es.drained "$_r" || return 1
		_r=$((_r + 1))
	done
}

# check_drained_exact: with the device paused, the driver must drain
# every ring, and then each ring's consumed (+ refused) count must equal
# what the device produced on it, exactly; the totals too.
check_drained_exact() {
	rm -f /tmp/es.drained /tmp/es.prev
	if ! wait_s 10 quiet_and_drained; then
		fail "the rings drain within 10 s"
	else
		pass "the rings drain within 10 s"
	fi
	show_rings /tmp/es.drained
	_r=0
	while [ "$_r" -le "$EVSTEER_RINGS" ]; do
		_p=$(rp "$_r")
		check "${_p%_}: consumed $(sv /tmp/es.drained "${_p}events") + refused $(sv /tmp/es.drained "${_p}bad_entries") = produced by the device $(sv /tmp/es.drained "${_p}dev_produced")" \
			ring_drained /tmp/es.drained "$_r"
		_r=$((_r + 1))
	done
	check "total: consumed $(sv /tmp/es.drained events) + refused $(sv /tmp/es.drained bad_entries) = produced $(sv /tmp/es.drained dev_produced)" \
		[ $(($(sv /tmp/es.drained events) + $(sv /tmp/es.drained bad_entries))) = \
			"$(sv /tmp/es.drained dev_produced)" ]
}

# check_zero FILE NAME...: each counter is 0.
check_zero() {
	_f=$1
	shift
	for _n in "$@"; do
		check "$_n is 0 (it is $(sv "$_f" "$_n"))" [ "$(sv "$_f" "$_n")" = 0 ]
	done
}
