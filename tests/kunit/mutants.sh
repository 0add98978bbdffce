#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Mutation check of the KUnit suites: each mutant below breaks one rule
# of include/evsteer/ or of the driver files the suites compile in
# (drivers/evsteer/) in a scratch copy, and scripts/kunit.sh, built
# against that copy (EVSTEER_INCLUDE, EVSTEER_DRIVER), must then fail.
# A mutant that survives names a claim no test holds; one that no
# longer applies means the file changed and the list needs updating.
# Slow (one incremental kunit run per mutant), so not part of `make
# check`.
#
# Usage: tests/kunit/mutants.sh [scripts/kunit.sh options] [FILTER_GLOB]
#        (a filter, e.g. 'evsteer_ring*', runs fewer suites per mutant;
#        a mutant tagged "kasan:" runs in that configuration, whose
#        tracepoints its case needs: add --kernel 6.12 for the one that
#        make check builds)
# Env:   EVSTEER_MUTANT_MATCH=TEXT  only the mutants whose line has TEXT
#        (e.g. tx.c)

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SCRATCH=$ROOT/build/mutants
n=0 passed=0 failed=0

# [config:]file|sed expression; a bare file name is in include/evsteer/,
# a path is relative to the project
MUTANTS=(
'toeplitz.h|s/>> (8 - bit % 8));/>> (7 - bit % 8));/'
'toeplitz.h|s/(key, i \* 8 + 7 - b);/(key, i * 8 + b);/'
'abi.h|s/return code == EVS_EV_DATA || code == EVS_EV_CONTROL;/return code != EVS_EV_ERROR;/'
'abi.h|s/!evs_is_pow2(ring_size) || ring_size < EVS_RING_SIZE_MIN ||/!evs_is_pow2(ring_size) ||/'
'abi.h|s/buf_size < EVS_BUF_SIZE_MIN || buf_size > EVS_BUF_SIZE_MAX)/buf_size > EVS_BUF_SIZE_MAX)/'
'abi.h|s/l->bufs_off = evs_align_up(l->entries_off + (u32)entries, EVS_ALIGN);/l->bufs_off = l->entries_off;/'
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
'producer.h|s/u32 seq = rp->seq++, slot;/u32 slot, seq = rp->seq; rp->seq += rp->prod - evs_rd32(\&rp->ctl->cons) < rp->size;/'
'producer.h|s/evs_add64(&rp->stats->bad_cons, 1);//'
'producer.h|s/evs_wr32_release(&rp->ctl->prod, rp->prod);/evs_wr32_release(\&rp->ctl->prod, rp->prod \& 0xffff);/'
'producer.h|s/e->hash_type = (u8)ev->hash_type;/e->hash_type = EVS_HASH_NONE;/'
'producer.h|s/ev->len < rp->buf_size ? ev->len : rp->buf_size);/ev->len);/'
'producer.h|s/memcpy(rp->bufs + (size_t)slot \* rp->buf_size, ev->frame,/memcpy(rp->bufs + (size_t)slot, ev->frame,/'
'producer.h|s/evs_wr16(&e->ring, ring_id);//'
'producer.h|s/evs_xchg32(&rp->ctl->armed, 0) || ignore_armed/evs_rd32(\&rp->ctl->armed) || ignore_armed/'
'producer.h|s/if (used == rp->size) {/if (used == rp->size) { evs_xchg32(\&rp->ctl->armed, 0);/'
'producer.h|s/evs_add64(&p->stats->nodata, 1);/evs_add64(\&p->stats->nodata, 2);/'
'frame.h|s/evs_put_be16(ip + 10, evs_csum_fold(/evs_put_be16(ip + 10, 1 + evs_csum_fold(/'
'frame.h|s/ipv6 ? EVS_ETHERTYPE_IPV6 : EVS_ETHERTYPE_IPV4);/ipv6 ? EVS_ETHERTYPE_IPV4 : EVS_ETHERTYPE_IPV6);/'
'drivers/evsteer/ring.c|s/if (len > ring->buf_size)/if (len > ring->buf_size + 1)/'
'drivers/evsteer/ring.c|s/if (len < ETH_HLEN)/if (len < ETH_HLEN - 1)/'
'drivers/evsteer/ring.c|s/if (code == EVS_EV_LINK \&\& !evs_ring_is_admin(ring))/if (code == EVS_EV_LINK \&\& evs_ring_is_admin(ring))/'
'drivers/evsteer/ring.c|s/u64_stats_add(&st->runts, c->bad\[EVS_ENTRY_RUNT\]);/u64_stats_add(\&st->oversize, c->bad[EVS_ENTRY_RUNT]);/'
'drivers/evsteer/ring.c|s/^\t\t  EVS_WINDOW_MAX);/\t\t  EVS_WINDOW_MAX \/ 2);/'
'drivers/evsteer/ring.c|s/evs_lane_of(slot->hash, nr_lanes)/evs_lane_of(slot->hash + (slot->seq << 30), nr_lanes)/'
'drivers/evsteer/rx.c|s/if (ring->id < READ_ONCE(nd->real_num_rx_queues))/if (ring->id <= READ_ONCE(nd->real_num_rx_queues))/'
'drivers/evsteer/rx.c|s/^\tcase EVS_HASH_IPV6_L4:$//'
'drivers/evsteer/rx.c|s/skb->tstamp = ring->win_taken_real;/skb->tstamp = ring->win_taken_ns;/'
'drivers/evsteer/lane.c|s/if (unlikely(!READ_ONCE(edev->up))) {/if (unlikely(!READ_ONCE(edev->up) \&\& 0)) {/'
'kasan:drivers/evsteer/lane.c|s/^\t\tWRITE_ONCE(lane->next_work, w ^ 1);$//;s/^\t\t\t      &lane->work\[w\]\.work);$/&\n\t\tWRITE_ONCE(lane->next_work, w ^ 1);/'
'drivers/evsteer/policy.c|s/(t->usage\[a\] == t->usage\[b\] \&\& a < b)/(t->usage[a] == t->usage[b] \&\& a > b)/'
'drivers/evsteer/policy.c|s/^\t\tevs_policy_tree_update(t, from);//'
'drivers/evsteer/policy.c|s/if (usage\[near\] + lane->load >= floor + max(margin, 1U))/if (0)/'
'drivers/evsteer/policy.c|s/if (c < best_c || (c == best_c \&\& usage\[cpu\] < usage\[best\])) {/if (c < best_c) {/'
'drivers/evsteer/tx.c|s/^\tevs_xchg32(&txq->ctl->armed, 1);//'
'drivers/evsteer/tx.c|s/if (done > txq->prod - txq->clean) {/if (0) {/'
'drivers/evsteer/tx.c|s/evs_txq_free(txq) >= EVS_TX_WAKE_FREE(txq->size)/evs_txq_free(txq) > EVS_TX_WAKE_FREE(txq->size)/'
'drivers/evsteer/tx.c|s/^\tevs_wr32_release(&txq->ctl->prod, txq->prod);//'
'drivers/evsteer/tx.c|s/netdev_tx_completed_queue(evs_txq_nq(txq), done, bytes);/netdev_tx_completed_queue(evs_txq_nq(txq), done, bytes \/ 2);/'
'drivers/evsteer/policy.c|s/lane->since_ms < residence_ms \&\&/lane->since_ms <= residence_ms \&\&/'
'drivers/evsteer/policy.c|s/other > usage\[low\] + 2 \* margin;/other > usage[low] + 3 * margin;/'
'drivers/evsteer/policy.c|s/return usage\[cpu\] >= EVS_USAGE_SATURATED ||/return usage[cpu] > EVS_USAGE_SATURATED ||/'
'drivers/evsteer/policy.c|s/u32 other = usage\[cpu\] - min(load, usage\[cpu\]);/u32 other = usage[cpu];/'
'drivers/evsteer/rss_map.c|s/^\tevs_wr16(\&cfg->reta_size, EVS_RSS_RETA_SIZE);/\tevs_wr16(\&cfg->reta_size, 128);/'
'drivers/evsteer/evsteer.h|s/return hash \& (EVS_RSS_RETA_SIZE - 1);/return hash \& (EVS_RSS_RETA_SIZE \/ 2 - 1);/'
'drivers/evsteer/ring.c|s/slot->held = ho \&\& evs_handoff_hold(ring, bucket);/slot->held = 0; \/* handoff off *\//'
'drivers/evsteer/handoff.c|s/^\tevs_ring_kick(\&edev->rings\[READ_ONCE(h->to)\]);$//'
'drivers/evsteer/handoff.c|s/if (time_after_eq(now, h->deadline)) {/if (0) {/'
'drivers/evsteer/handoff.c|s/if (prod - retired > ring->size)/if (0)/'
'drivers/evsteer/handoff.c|s/if (retired == h->seen) {/if (1) {/'
'drivers/evsteer/lane.c|s/skb_queue_len(\&lane->hold) >= EVS_HANDOFF_HOLD_MAX;/skb_queue_len(\&lane->hold) > EVS_HANDOFF_HOLD_MAX;/'
'drivers/evsteer/lane.c|s/if (evs_lane_releasing(lane) \&\& !slot->held)/if (0)/'
'drivers/evsteer/rebalance.c|s/if (peak < best_peak) {/if (peak <= best_peak) {/'
'drivers/evsteer/rebalance.c|s/u64 peak, best_peak = hi;/u64 peak, best_peak = hi + 1;/'
'drivers/evsteer/rebalance.c|s/if (reta\[b\] != src || (moved\[b \/ 64\] & (1ULL << (b % 64))))/if (reta[b] != src)/'
'drivers/evsteer/rebalance.c|s/return mean + hundreds \* pct + rest \* pct \/ 100;/return mean + hundreds * pct;/'
'drivers/evsteer/rebalance.c|s/for (r = 1; r < nr_rings; r++) {/for (r = 1; r < EVS_REBAL_MAX_RINGS; r++) {/'
'drivers/evsteer/policy.c|s/\t\tt->usage\[cur\] = EVS_USAGE_FULL;/\t\t;/'
'drivers/evsteer/relief.c|s/READ_ONCE(lane->started))$/false)/'
'drivers/evsteer/evsteer.h|s/if (unlikely(limit \&\& delay_ns >= limit))/if (unlikely(limit \&\& delay_ns < limit))/'
'drivers/evsteer/lane.c|s/if (!cancel_work(\&lane->work\[w\].work))/if (1)/'
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
	[[ $m == *"${EVSTEER_MUTANT_MATCH:-}"* ]] || continue
	file=${m%%|*}
	expr=${m#*|}
	config=()
	if [[ $file == *:* ]]; then
		config=(--config "${file%%:*}")
		file=${file#*:}
	fi
	[[ $file == */* ]] || file=include/evsteer/$file
	rm -rf "$SCRATCH"
	mkdir -p "$SCRATCH/drivers"
	cp -r "$ROOT/include" "$SCRATCH/include"
	cp -r "$ROOT/drivers/evsteer" "$SCRATCH/drivers/evsteer"
	sed -i "$expr" "$SCRATCH/$file"
	if cmp -s "$ROOT/$file" "$SCRATCH/$file"; then
		result 0 "mutant applies: $file $expr"
		continue
	fi
	summary=$(EVSTEER_INCLUDE=$SCRATCH/include \
		  EVSTEER_DRIVER=$SCRATCH/drivers/evsteer \
		  "$ROOT/scripts/kunit.sh" "${config[@]}" "$@" 2>&1 | tail -n 1)
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
