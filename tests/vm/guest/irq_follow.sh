# SPDX-License-Identifier: GPL-2.0
#
# A ring follows its vector.  The user moves ring 1's vector onto ring
# 2's CPU: ethtool -S names the new CPU at once, but the processor ids
# cannot follow (two rings would share one) and stay, saying so.  Ring
# 2's vector then takes ring 1's old CPU: now they can, and the device
# is told the swapped ids, while every ring keeps its share of the
# table.  The kernel moves ring 3's vector off a CPU going offline,
# which no notifier reports: the monitor's tick reads it back.  Nothing
# is lost meanwhile.  The device sends uniform traffic (run.sh).

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh
# shellcheck source=dp_lib.sh
. ./dp_lib.sh

SYSCPU=/sys/devices/system/cpu

irq_of() { irq_num "$DEV-ring$1"; }
effective_cpu() { cat "/proc/irq/$(irq_of "$1")/effective_affinity_list"; }
ring_cpu_is() { [ "$(es "ring$1_cpu")" = "$2" ]; }
moves_of() { ring_stat "$1" vector_moves; }

# procs_of RING: the processor ids the device has for RING's RETA entries
procs_of() {
	sed -n "s/^entry=[0-9]* ring=$1 proc=\([0-9]*\)$/\1/p" "$DBG/reta" |
		sort -u | tr '\n' ' '
}
procs_are() { [ "$(procs_of "$1")" = "$2 " ]; }
# the ring of every RETA entry, as one line
reta_rings() { sed -n 's/^entry=[0-9]* ring=\([0-9]*\) .*/\1/p' "$DBG/reta" | tr '\n' ' '; }

# only_on BEFORE AFTER CPU: counts grew in CPU's column only (x86
# without interrupt remapping may land one more on the old CPU)
only_on() {
	echo "$1 $2" | awk -v cpu="$3" '{
		n = NF / 2
		if (n < 1 || NF % 2) exit 1
		for (i = 1; i <= n; i++) {
			grew = $(i + n) - $i
			if (i - 1 == cpu && grew <= 0) exit 1
			if (i - 1 != cpu) early += grew
		}
		exit early > 1
	}'
}

need_netdev
check "every data ring's vector fires within 30 s" wait_until 30 all_rings_fired
check "ring 1 starts on CPU 1, ring 2 on CPU 2" \
	sh -c '[ "$0" = 1 ] && [ "$1" = 2 ]' "$(es ring1_cpu)" "$(es ring2_cpu)"
check "ring 1's entries go to processor 1" procs_are 1 1
reta_rings >/tmp/reta.before

note "ring 1's vector onto CPU 2, ring 2's CPU"
echo 2 >"/proc/irq/$(irq_of 1)/smp_affinity_list"
check "ethtool -S names ring 1's new CPU within 2 s" wait_until 2 ring_cpu_is 1 2
check "debugfs counts the move ($(moves_of 1))" [ "$(moves_of 1)" = 1 ]
check "the processor ids stay, and the log says why" \
	wait_until 2 sh -c 'dmesg | grep -q "processor ids stay"'
check "ring 1's entries still go to processor 1" procs_are 1 1

note "ring 2's vector onto CPU 1: the ids can swap"
echo 1 >"/proc/irq/$(irq_of 2)/smp_affinity_list"
check "ethtool -S names ring 2's new CPU within 2 s" wait_until 2 ring_cpu_is 2 1
check "the processor ids follow within 2 s" wait_until 2 procs_are 1 2
check "ring 2's entries go to processor 1" procs_are 2 1
check "every RETA entry still names the ring it did" \
	[ "$(reta_rings)" = "$(cat /tmp/reta.before)" ]
sleep 0.5
before=$(irq_counts "$DEV-ring1")
sleep 2
after=$(irq_counts "$DEV-ring1")
note "$DEV-ring1 per-CPU counts: $before, 2 s later $after"
check "ring 1's interrupts land on CPU 2" only_on "$before" "$after" 2

cpu3=$SYSCPU/cpu3/online
if [ -w "$cpu3" ] && [ "$(es ring3_cpu)" = 3 ]; then
	note "CPU 3 offline: the kernel moves ring 3's vector"
	check "echo 0 > $cpu3" sh -c "echo 0 >$cpu3"
	check "ring 3 follows its vector within 2 s (monitor tick)" \
		wait_until 2 sh -c '[ "$(ethtool -S "$0" | sed -n "s/^ *ring3_cpu: //p")" = "$1" ] && [ "$1" != 3 ]' \
		"$NETDEV" "$(effective_cpu 3)"
	note "ring 3 is on CPU $(es ring3_cpu), vector_moves=$(moves_of 3)"
	check "echo 1 > $cpu3" sh -c "echo 1 >$cpu3"
else
	note "CPU 3 cannot go offline here: the read-back is not shown"
fi

dmesg | grep -E 'vector moved|processor ids' | sed 's/^/# /'
pause_device
check_drained_exact
check_zero /tmp/es.drained lost dups dev_drops bad_entries bad_prod
check "rmmod works" rmmod evsteer
check_dmesg
exit "$FAILED"
