# SPDX-License-Identifier: GPL-2.0
#
# The device is untrusted: a bogus write index (ring 1), an entry with an
# unknown event code (ring 2) and one with another ring's id (ring 3),
# injected by tests/vm/host/untrusted.sh, are counted and survived; every
# ring keeps being consumed and nothing lands in the kernel log.

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh

at_least() { [ "$(ring_stat "$1" "$2")" -ge "$3" ]; }
is_zero() { [ "$(ring_stat "$1" "$2")" = 0 ]; }

# every data ring consumed more since the last call
all_rings_progress() {
	_ok=0
	_r=0
	while [ "$_r" -lt "$EVSTEER_RINGS" ]; do
		_now=$(ring_stat "$_r" events)
		_was=$(sed -n "s/^$_r //p" /tmp/events 2>/dev/null)
		[ "$_now" -gt "${_was:-0}" ] || _ok=1
		echo "$_r $_now"
		_r=$((_r + 1))
	done >/tmp/events.new
	mv /tmp/events.new /tmp/events
	return $_ok
}

check "the driver is bound" bound
check "ring 1: the bogus write index is counted" wait_until 60 at_least 1 bad_prod 1
check "ring 2: the entry with a bad code is counted" wait_until 30 at_least 2 bad_entry 1
check "ring 3: the entry of another ring is counted" wait_until 30 at_least 3 bad_entry 1
check "ring 0: nothing bad counted" eval 'is_zero 0 bad_prod && is_zero 0 bad_entry'
all_rings_progress
sleep 2
check "every ring is still consumed" all_rings_progress
sed 's/^/# /' "$DBG/stats"
check "rmmod works" rmmod evsteer
check_dmesg
exit "$FAILED"
