# SPDX-License-Identifier: GPL-2.0
#
# Corrupt entries and a bogus write index, injected by the device on
# request, are counted in `ethtool -S` and survived: an entry with an
# unknown code (ring 0), a length out of range (ring 1) and another
# ring's id (ring 2) each count one bad entry on their ring; a write
# index out of range (ring 3, device paused so that it stays visible)
# counts bad_prod.  Every ring keeps receiving, nothing is lost or
# duplicated, and once drained every ring's consumed + refused entries
# equal what the device produced.

# shellcheck shell=sh disable=SC2317 # functions run through check
# shellcheck source=lib.sh
. ./lib.sh
# shellcheck source=dp_lib.sh
. ./dp_lib.sh

LAST=$((EVSTEER_RINGS - 1))

# stat_is NAME VALUE / stat_at_least NAME VALUE: the counter, now
stat_is() { [ "$(es "$1")" = "$2" ]; }
stat_at_least() { [ "$(es "$1")" -ge "$2" ]; }

all_grew_since() {
	es_snap /tmp/es.now && rings_grew "$1" /tmp/es.now 0 "$LAST"
}

# inject_corrupt RING FIELD: one entry with a bad FIELD on RING
inject_corrupt() {
	host_req inject corrupt "$1" "$2"
	check "ring $1: the entry with a bad $2 is counted within 10 s" \
		wait_s 10 stat_is "ring$1_bad_entries" 1
}

need_netdev
es_snap /tmp/es.start
check "traffic reaches every ring within 30 s" wait_s 30 all_grew_since /tmp/es.start
check_zero /tmp/es.start bad_entries bad_prod

inject_corrupt 0 code
inject_corrupt 1 len
inject_corrupt 2 ring

pause_device
host_req inject bad-prod 3
check "ring 3: the bogus write index is counted within 10 s" \
	wait_s 10 stat_at_least ring3_bad_prod 1
resume_device

es_snap /tmp/es.a
check "every ring keeps receiving within 10 s" wait_s 10 all_grew_since /tmp/es.a
sleep 1
es_snap /tmp/es.b
check "and goes on receiving" rings_grew /tmp/es.a /tmp/es.b 0 "$LAST"

pause_device
check_drained_exact
f=/tmp/es.drained
check "3 bad entries in all, one each on rings 0-2" [ \
	"$(sv $f bad_entries)" = 3 -a "$(sv $f ring0_bad_entries)" = 1 -a \
	"$(sv $f ring1_bad_entries)" = 1 -a "$(sv $f ring2_bad_entries)" = 1 -a \
	"$(sv $f ring3_bad_entries)" = 0 -a "$(sv $f admin_bad_entries)" = 0 ]
check "bad_prod only on ring 3 ($(sv $f ring3_bad_prod)), and in the total" [ \
	"$(sv $f bad_prod)" = "$(sv $f ring3_bad_prod)" -a "$(sv $f bad_prod)" -ge 1 ]
check_zero /tmp/es.drained lost dups dev_drops reorders
check "rmmod works" rmmod evsteer
check_dmesg
exit "$FAILED"
