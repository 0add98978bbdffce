/* SPDX-License-Identifier: GPL-2.0 */
/*
 * evsteer: RETA bucket rebalancing, RSS++-style (the decision only).
 *
 * A pure function over per-bucket frame counts and the redirection
 * table: no locking, no allocation, no floating point, no kernel calls,
 * so that KUnit and the userspace simulator (tools/bench) call it as it
 * is.  The caller counts the frames, calls it every tick and carries
 * out the moves it returns (the order-safe hand-off is the caller's).
 */
#ifndef _EVSTEER_REBALANCE_H
#define _EVSTEER_REBALANCE_H

#include <linux/types.h>

#define EVS_REBAL_MAX_MOVES	64	/* upper bound of max_moves */
#define EVS_REBAL_MAX_BUCKETS	512	/* largest reta_size (the ABI's) */
#define EVS_REBAL_MAX_RINGS	64	/* largest nr_rings */
#define EVS_REBAL_THRESHOLD	2	/* RSS++'s threshold, percent */

/**
 * struct evs_rebal_params - how eagerly evs_rebalance() moves buckets
 * @threshold_pct: act only while the busiest ring's load exceeds the
 *                 mean by more than this, percent (hysteresis); RSS++
 *                 uses 2 (EVS_REBAL_THRESHOLD)
 * @max_moves:     at most this many bucket moves per call,
 *                 1..EVS_REBAL_MAX_MOVES (larger is taken as the bound,
 *                 0 moves nothing)
 */
struct evs_rebal_params {
	u32 threshold_pct;
	u32 max_moves;
};

/**
 * struct evs_rebal_move - one bucket moved by evs_rebalance()
 * @bucket: the RETA index
 * @from:   its ring before the call
 * @to:     its ring now
 */
struct evs_rebal_move {
	u16 bucket;
	u16 from;
	u16 to;
};

unsigned int evs_rebalance(const u64 *load, u32 *reta, unsigned int reta_size,
			   unsigned int nr_rings,
			   const struct evs_rebal_params *p,
			   struct evs_rebal_move *moves);

#endif /* _EVSTEER_REBALANCE_H */
