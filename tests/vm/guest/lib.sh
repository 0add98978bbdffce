# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the evsteer guest scripts (busybox sh), sourced as
# ". ./lib.sh".  A script reports each check on a "# ok:" or "# FAIL:"
# line and exits with $FAILED; the host turns that into one TAP line.
# shellcheck shell=sh
# shellcheck disable=SC2034 # FAILED is for the scripts that source this

FAILED=0
DEV=${EVSTEER_DEV:-evsteer0}
DBG=/sys/kernel/debug/evsteer/$DEV
DRV=/sys/bus/pci/drivers/evsteer

# iproute2's ip (busybox sh runs its own applet for a bare "ip")
IP=/usr/bin/ip

note() { echo "# $*"; }
pass() { echo "# ok: $*"; }
fail() { echo "# FAIL: $*"; FAILED=1; }

# check DESCRIPTION COMMAND...: run COMMAND, record the result.
check() {
	_desc=$1
	shift
	if "$@"; then pass "$_desc"; else fail "$_desc"; fi
}

# wait_until SECONDS COMMAND...: poll COMMAND every 0.2 s, bounded.
wait_until() {
	_n=$(($1 * 5))
	shift
	while [ "$_n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.2
		_n=$((_n - 1))
	done
	return 1
}

ncpus() { head -n 1 /proc/interrupts | wc -w; }

# irq_num NAME: the Linux IRQ number of the vector named NAME.
irq_num() {
	awk -v n="$1" '$NF == n { sub(":", "", $1); print $1 }' /proc/interrupts
}

# irq_counts NAME: per-CPU interrupt counts of vector NAME, CPU0 first.
irq_counts() {
	awk -v n="$1" -v c="$(ncpus)" '$NF == n {
		for (i = 2; i <= c + 1; i++) printf "%s%s", $i, (i <= c ? " " : "\n")
	}' /proc/interrupts
}

# irq_total NAME: all interrupts of vector NAME.
irq_total() {
	irq_counts "$1" | awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s + 0 }'
}

# evs_insmod [PARAM...]: load the module and bring evs0 up, as the VM
# does when it loads the module itself.
evs_insmod() {
	insmod "$EVSTEER_KO" "$@" && sh "$EVSTEER_NETUP"
}

has_irq() { [ -n "$(irq_num "$1")" ]; }
no_evsteer_irqs() { ! grep -q evsteer /proc/interrupts; }

# ring_stat RING FIELD: a field of the driver's per-ring counters.
ring_stat() {
	sed -n "s/^ring=$1 \(.* \)*$2=\([0-9]*\).*/\2/p" "$DBG/stats"
}

# dev_ring_stat RING FIELD: the device's own per-ring counter.
dev_ring_stat() {
	sed -n "s/^ring=$1 \(.* \)*$2=\([0-9]*\).*/\2/p" "$DBG/device"
}

bound() {
	for _d in "$DRV"/0000:*; do
		[ -e "$_d" ] && return 0
	done
	return 1
}
loaded() { grep -q '^evsteer ' /proc/modules; }

# every data ring's vector has fired at least once
all_rings_fired() {
	_r=0
	while [ "$_r" -lt "$EVSTEER_RINGS" ]; do
		[ "$(irq_total "$DEV-ring$_r")" -gt 0 ] || return 1
		_r=$((_r + 1))
	done
}

# the driver has consumed entries on every data ring
all_rings_consumed() {
	_r=0
	while [ "$_r" -lt "$EVSTEER_RINGS" ]; do
		[ "${1:-0}" -lt "$(ring_stat "$_r" events)" ] || return 1
		_r=$((_r + 1))
	done
}

total_events() {
	awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^events=/) { sub("events=", "", $i); s += $i } }
	     END { print s + 0 }' "$DBG/stats"
}

# The kernel log must have no bug, warning or oops in it.
check_dmesg() {
	if dmesg | grep -E 'BUG:|WARNING:|Oops|Kernel panic|Call Trace'; then
		fail "kernel log has a BUG, WARNING or Oops (above)"
	else
		pass "kernel log has no BUG, WARNING or Oops"
	fi
}
