# SPDX-License-Identifier: GPL-2.0
#
# The steering knobs in /sys/bus/pci/devices/<bdf>/evsteer/: they start
# at their documented defaults, accept the ends of their ranges and read
# back what was written; then every invalid write of the table below is
# refused with its errno class (the shell's "write error: ..." message:
# EINVAL "Invalid argument", ERANGE "Numerical result out of range") and
# leaves every knob as it was.  The data path keeps running throughout.

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh
# shellcheck source=dp_lib.sh
. ./dp_lib.sh
# shellcheck source=mon_lib.sh
. ./mon_lib.sh

SYSCPU=/sys/devices/system/cpu
OFF_CPU=3	# taken offline for the "no online CPU in cpus" case

# Invalid writes, "knob|errno|value" (the value may be empty: the write
# is then just a newline; spaces in it count).
cat >/tmp/mon.invalid <<'EOF'
margin|ERANGE|101
margin|ERANGE|-1
margin|ERANGE|99999999999
margin|EINVAL|abc
margin|EINVAL|1.5
margin|EINVAL|20x
margin|EINVAL| 5
margin|EINVAL|
interval_ms|ERANGE|9
interval_ms|ERANGE|0
interval_ms|ERANGE|60001
interval_ms|EINVAL|0x10
interval_ms|EINVAL|ten
smoothing|ERANGE|101
smoothing|ERANGE|-5
smoothing|EINVAL|5%
policy|EINVAL|lowest
policy|EINVAL|STATIC
policy|EINVAL|static extra
policy|EINVAL|
cpus|ERANGE|4
cpus|ERANGE|0-4
cpus|EINVAL|0-
cpus|EINVAL|a
cpus|EINVAL|3-1
cpus|EINVAL|
lanes|ERANGE|0
lanes|ERANGE|9
lanes|ERANGE|-1
lanes|EINVAL|two
bh_mode|EINVAL|softirq
bh_mode|EINVAL|WORKQUEUE
bh_mode|EINVAL|
relief_us|ERANGE|99
relief_us|ERANGE|1000001
relief_us|ERANGE|-1
relief_us|EINVAL|2ms
EOF

strerror() {
	case $1 in
	EINVAL) echo "Invalid argument" ;;
	ERANGE) echo "Numerical result out of range" ;;
	esac
}

# refused KNOB ERRNO VALUE: the write fails with ERRNO's message and no
# knob changes
refused() {
	_state=$(knobs_state)
	if (echo "$3" >"$KD/$1") 2>/tmp/mon.err; then
		note "'$3' > $1 was accepted"
		return 1
	fi
	_msg=$(cat /tmp/mon.err)
	if ! grep -q "$(strerror "$2")" /tmp/mon.err; then
		note "'$3' > $1: $_msg"
		return 1
	fi
	if [ "$(knobs_state)" != "$_state" ]; then
		note "knobs changed: $(knobs_state), they were $_state"
		return 1
	fi
}

# every data ring consumed more since snapshot FILE
all_grew_since() {
	es_snap /tmp/es.now && rings_grew "$1" /tmp/es.now 0 $((EVSTEER_RINGS - 1))
}

check "the driver is bound" bound
need_knobs
check "traffic reaches every ring within 30 s" wait_s 30 all_rings_consumed
state=$(knobs_state)
note "at load: $state"
check "the knobs start at their defaults" [ "$state" = \
	"margin=20 interval_ms=100 smoothing=0 policy=lowest-margin cpus=0-3 lanes=2 bh_mode=napi relief_us=0 " ]

# the ends of each range are valid, and read back as written
set_knob margin 0
set_knob margin 100
set_knob interval_ms 10
set_knob interval_ms 60000
set_knob smoothing 100
set_knob lanes 1
set_knob lanes 8
set_knob cpus 0
set_knob cpus 3,0,2 0,2-3
set_knob relief_us 100
set_knob relief_us 1000000
set_knob relief_us 0
# then a state that is nowhere near the defaults
set_knob margin 35
set_knob interval_ms 250
set_knob smoothing 40
set_knob policy static
set_knob lanes 3
set_knob bh_mode tasklet
set_knob relief_us 5000
state=$(knobs_state)
check "the knobs read: $state" [ "$state" = \
	"margin=35 interval_ms=250 smoothing=40 policy=static cpus=0,2-3 lanes=3 bh_mode=tasklet relief_us=5000 " ]
es_snap /tmp/es.valid

n=0
while IFS='|' read -r k e v; do
	check "refused with $e: '$v' > $k" refused "$k" "$e" "$v"
	n=$((n + 1))
done </tmp/mon.invalid

# a cpulist whose CPUs are all offline
if [ -w "$SYSCPU/cpu$OFF_CPU/online" ] && echo 0 >"$SYSCPU/cpu$OFF_CPU/online"; then
	check "refused with EINVAL: '$OFF_CPU' > cpus, CPU $OFF_CPU being offline" \
		refused cpus EINVAL "$OFF_CPU"
	n=$((n + 1))
	check "CPU $OFF_CPU comes back online" sh -c "echo 1 >$SYSCPU/cpu$OFF_CPU/online"
else
	fail "CPU $OFF_CPU can go offline"
fi
check "$n different invalid writes tried (at least 20)" [ "$n" -ge 20 ]
check "every knob as it was: $(knobs_state)" [ "$(knobs_state)" = "$state" ]
check "the data path kept running: every ring consumed more" all_grew_since /tmp/es.valid
es_snap /tmp/es.end
check_zero /tmp/es.end dups reorders
check_dmesg
exit "$FAILED"
