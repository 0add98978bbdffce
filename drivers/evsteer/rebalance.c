// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: RETA bucket rebalancing, RSS++-style (the decision only).
 *
 * The device sends a frame to the ring of its RETA bucket (the low bits
 * of its Toeplitz hash), so a ring's load is the sum of its buckets'
 * loads.  A heavy flow can only be carried around by moving its lane;
 * moving buckets between rings splits a ring's load instead.
 *
 * Each call, greedy: let hi be the busiest ring (the lowest index among
 * equals) and lo the least loaded one.  While hi's load exceeds the
 * mean by more than the threshold, move the bucket of hi whose move to
 * lo leaves max(load(hi), load(lo)) lowest, the lowest bucket index
 * among equals.  A bucket of load x helps only if 0 < x < load(hi) -
 * load(lo): otherwise it would leave lo as busy as hi was or busier (a
 * single bucket heavier than the gap only swaps the rings' roles, and
 * back at the next tick), so buckets without load never move, and when
 * no bucket of hi helps the call stops.  A move that helps lowers the
 * sum of the squared ring loads, so moves never cycle.
 *
 * A bucket moves at most once per call: every move's @from is the
 * bucket's ring when the call began, which is what the hand-off waits
 * on.
 *
 * Cost: O(@reta_size) for the ring loads, then O(@nr_rings + @reta_size)
 * per move: at most 512 + 64 * (64 + 512) steps, about 37000.  The
 * stack holds the ring loads and a bitmap of moved buckets (576 bytes).
 */

#include <linux/math64.h>

#include "rebalance.h"

/*
 * The load the busiest ring must exceed for a move: the mean m (whole
 * frames, rounded down) plus @pct percent of it, also rounded down,
 * computed without overflow for any u64 total.  Beyond
 * (@nr_rings - 1) * 100 % no ring can exceed the mean by so much.
 */
static u64 evs_rebal_limit(u64 total, unsigned int nr_rings, u32 pct)
{
	u64 mean = div_u64(total, nr_rings), hundreds;
	u32 rest;

	if (pct > nr_rings * 100)
		pct = nr_rings * 100;
	hundreds = div_u64_rem(mean, 100, &rest);
	return mean + hundreds * pct + rest * pct / 100;
}

/*
 * The bucket of ring @src (load @hi) whose move to a ring of load @lo
 * leaves the larger of the two lowest; only a move that leaves it below
 * @hi counts.  Return: the bucket, or @reta_size if none helps.
 */
static unsigned int evs_rebal_pick(const u64 *load, const u32 *reta,
				   unsigned int reta_size, const u64 *moved,
				   unsigned int src, u64 hi, u64 lo)
{
	unsigned int b, best = reta_size;
	u64 peak, best_peak = hi;

	for (b = 0; b < reta_size; b++) {
		if (reta[b] != src || (moved[b / 64] & (1ULL << (b % 64))))
			continue;
		/*
		 * load[b] <= hi, part of it.  Below hi only if
		 * 0 < load[b] < hi - lo: a bucket without load, or one
		 * that would leave lo as busy as hi was, never wins.
		 */
		peak = hi - load[b];
		if (lo + load[b] > peak)
			peak = lo + load[b];
		if (peak < best_peak) {
			best = b;
			best_peak = peak;
		}
	}
	return best;
}

/**
 * evs_rebalance() - move RETA buckets from over- to under-loaded rings
 * @load:      frames per bucket since the last call, @reta_size entries
 * @reta:      ring of each bucket, updated in place; every entry < @nr_rings
 * @reta_size: buckets (a power of two, <= EVS_REBAL_MAX_BUCKETS)
 * @nr_rings:  rings the table spreads over (1..EVS_REBAL_MAX_RINGS)
 * @p:         parameters
 * @moves:     where the moves made are written, p->max_moves entries
 *
 * Moves buckets while the busiest ring's load exceeds the mean m of the
 * ring loads (rounded down) by more than p->threshold_pct percent of m
 * (also rounded down), at most p->max_moves (capped at
 * EVS_REBAL_MAX_MOVES) of them; see the top of this file for which.
 * Only rings below @nr_rings receive buckets; a bucket whose entry is
 * not below @nr_rings is left alone and its load not counted.  The
 * loads must sum to less than 2^63.  A @nr_rings or @reta_size out of
 * range moves nothing.
 *
 * Context: any; no locking, no allocation.  The caller serialises
 * calls on one table.
 * Return: number of moves made (0 when balanced within the threshold,
 * or no move would help).
 */
unsigned int evs_rebalance(const u64 *load, u32 *reta, unsigned int reta_size,
			   unsigned int nr_rings,
			   const struct evs_rebal_params *p,
			   struct evs_rebal_move *moves)
{
	u64 moved[EVS_REBAL_MAX_BUCKETS / 64] = { 0 };
	u64 ring[EVS_REBAL_MAX_RINGS] = { 0 };
	unsigned int max_moves = p->max_moves, n = 0, b, r, src, dst;
	u64 total = 0, limit;

	if (nr_rings < 2 || nr_rings > EVS_REBAL_MAX_RINGS ||
	    reta_size > EVS_REBAL_MAX_BUCKETS)
		return 0;
	if (max_moves > EVS_REBAL_MAX_MOVES)
		max_moves = EVS_REBAL_MAX_MOVES;
	for (b = 0; b < reta_size; b++) {
		if (reta[b] >= nr_rings)
			continue;
		ring[reta[b]] += load[b];
		total += load[b];
	}
	limit = evs_rebal_limit(total, nr_rings, p->threshold_pct);

	while (n < max_moves) {
		src = 0;
		dst = 0;
		for (r = 1; r < nr_rings; r++) {
			if (ring[r] > ring[src])
				src = r;
			if (ring[r] < ring[dst])
				dst = r;
		}
		if (ring[src] <= limit)
			break;
		b = evs_rebal_pick(load, reta, reta_size, moved, src,
				   ring[src], ring[dst]);
		if (b == reta_size)
			break;
		reta[b] = dst;
		ring[src] -= load[b];
		ring[dst] += load[b];
		moved[b / 64] |= 1ULL << (b % 64);
		moves[n].bucket = b;
		moves[n].from = src;
		moves[n].to = dst;
		n++;
	}
	return n;
}
