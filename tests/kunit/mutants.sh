#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Mutation check of the KUnit suites: each mutant below breaks one rule
# of include/evsteer/ in a scratch copy, and scripts/kunit.sh, built
# against that copy (EVSTEER_INCLUDE), must then fail.  A mutant that
# survives names a claim no test holds; one that no longer applies
# means the header changed and the list needs updating.  Slow (one
# incremental kunit run per mutant), so not part of `make check`.
#
# Usage: tests/kunit/mutants.sh [--uml]

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SCRATCH=$ROOT/build/mutants
n=0 passed=0 failed=0

# file|sed expression
MUTANTS=(
'toeplitz.h|s/return (u32)(v >> (8 - shift));/return (u32)(v >> (7 - shift));/'
'toeplitz.h|s/(key, i \* 8 + 7 - b);/(key, i * 8 + b);/'
'abi.h|s/return code == EVS_EV_DATA || code == EVS_EV_CONTROL;/return code != EVS_EV_ERROR;/'
'abi.h|s/!evs_is_pow2(ring_size) || ring_size < EVS_RING_SIZE_MIN ||/!evs_is_pow2(ring_size) ||/'
'producer.h|s/reta_size > EVS_RETA_MAX)/reta_size >= EVS_RETA_MAX)/'
'producer.h|s/if (evs_rd16(&cfg->reta\[i\]) >= EVS_MAX_PROCS)/if (evs_rd16(\&cfg->reta[i]) > EVS_MAX_PROCS)/'
'producer.h|s/int err = evs_steer_check_tables(/int err = (s->reta_size = 1, 0) + evs_steer_check_tables(/'
'producer.h|s/t->proc = s->default_proc;/t->proc = s->reta[0];/'
'producer.h|s/t->vector = s->ring_vector\[t->ring\];/t->vector = s->pc_vector[t->proc][code];/'
'producer.h|s/evs_config_default(p->cfg, num_rings, evs_default_key(), mode);/evs_config_default(p->cfg, num_rings, evs_default_key(), 0);/'
'producer.h|s/0x6d, 0x5a, 0x56, 0xda/0x6d, 0x5a, 0x56, 0xdb/'
'producer.h|s/^\tevs_wr32_release(&hdr->magic, EVS_MAGIC);//'
'producer.h|s/l.total_size > shm_size)/l.total_size > shm_size + 1)/'
'producer.h|s/if (used > rp->size) {/if (used >= rp->size) {/'
'producer.h|s/u32 seq = rp->seq++;/u32 seq = rp->seq; rp->seq += rp->prod - evs_rd32(\&rp->ctl->cons) < rp->size;/'
'producer.h|s/evs_add64(&rp->stats->bad_cons, 1);//'
'producer.h|s/evs_wr32_release(&rp->ctl->prod, rp->prod);/evs_wr32_release(\&rp->ctl->prod, rp->prod \& 0xffff);/'
'producer.h|s/evs_wr32(&e->flow_id, ev->flow_id);/evs_wr32(\&e->flow_id, ev->hash);/'
'producer.h|s/evs_wr16(&e->ring, ring_id);//'
'producer.h|s/evs_xchg32(&rp->ctl->armed, 0) || ignore_armed/evs_rd32(\&rp->ctl->armed) || ignore_armed/'
'producer.h|s/if (used == rp->size) {/if (used == rp->size) { evs_xchg32(\&rp->ctl->armed, 0);/'
'producer.h|s/evs_add64(&p->stats->nodata, 1);/evs_add64(\&p->stats->nodata, 2);/'
)

result() {	# result OK NAME
	n=$((n + 1))
	if [ "$1" = 1 ]; then
		passed=$((passed + 1))
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
	fi
}

for m in "${MUTANTS[@]}"; do
	file=${m%%|*}
	expr=${m#*|}
	rm -rf "$SCRATCH"
	mkdir -p "$SCRATCH"
	cp -r "$ROOT/include" "$SCRATCH/include"
	sed -i "$expr" "$SCRATCH/include/evsteer/$file"
	if cmp -s "$ROOT/include/evsteer/$file" \
		  "$SCRATCH/include/evsteer/$file"; then
		result 0 "mutant applies: $file $expr"
		continue
	fi
	summary=$(EVSTEER_INCLUDE=$SCRATCH/include \
		  "$ROOT/scripts/kunit.sh" "$@" 2>&1 | tail -n 1)
	echo "# $file $expr: $summary"
	# killed: the suites built and ran (some passed) and some failed;
	# a mutant that does not even build proves nothing
	read -r ok _ bad _ <<<"$summary"
	[ "${ok:-0}" -gt 0 ] 2>/dev/null && [ "${bad:-0}" -gt 0 ] 2>/dev/null
	result $((! $?)) "mutant killed: $file $expr"
done
rm -rf "$SCRATCH"
echo "$passed passed, $failed failed, 0 skipped"
[ $failed = 0 ]
