# SPDX-License-Identifier: GPL-2.0
#
# A device with a foreign ABI (bad magic, or another major version) is
# refused by probe with a clear message; nothing else happens.
# EVSTEER_EXPECT: the message probe must log.

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh

refused() { dmesg | grep "evsteer" | grep -q "$EVSTEER_EXPECT"; }
no_debugfs_dev() { ! [ -e "$DBG" ]; }

dmesg | grep evsteer | sed 's/^/# /'
check "the module is loaded" loaded
check "probe refused the device: \"$EVSTEER_EXPECT\"" refused
check "no device is bound" eval '! bound'
check "no evsteer vectors exist" no_evsteer_irqs
check "no debugfs device directory" no_debugfs_dev
check "rmmod works" rmmod evsteer
check "the module is gone" eval '! loaded'
check_dmesg
exit "$FAILED"
