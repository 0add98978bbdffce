// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The pacer counts events from a start time instead of adding a period
 * per event, so rounding never accumulates: after t seconds exactly
 * floor(t * rate) events have been handed out, never more.
 */
#include "pacer.h"

void evs_pacer_start(struct evs_pacer *p, u32 rate, u64 now_ns)
{
	p->start_ns = now_ns;
	p->sent = 0;
	p->rate = rate;
}

/* Events due from the start up to @now_ns, sent or not. */
u64 evs_pacer_owed(const struct evs_pacer *p, u64 now_ns)
{
	if (now_ns <= p->start_ns)
		return 0;
	return (__uint128_t)(now_ns - p->start_ns) * p->rate /
	       EVS_NSEC_PER_SEC;
}

/**
 * evs_pacer_take() - hand out the events due now
 * @p:      pacer
 * @now_ns: current time
 *
 * If the device fell behind by more than EVS_PACER_MAX_LAG_NS (it was
 * not scheduled), only that much is handed out and the pacer restarts
 * at @now_ns: a stall of the host must not turn into a burst.
 *
 * Return: the number of events to generate now.
 */
u64 evs_pacer_take(struct evs_pacer *p, u64 now_ns)
{
	u64 due = evs_pacer_owed(p, now_ns) - p->sent;
	u64 max_lag = (__uint128_t)EVS_PACER_MAX_LAG_NS * p->rate /
		      EVS_NSEC_PER_SEC;

	if (max_lag < 1)
		max_lag = 1;
	if (due > max_lag) {
		evs_pacer_start(p, p->rate, now_ns);
		return max_lag;
	}
	p->sent += due;
	return due;
}

/* When the next event becomes due; UINT64_MAX when the rate is zero. */
u64 evs_pacer_next_ns(const struct evs_pacer *p)
{
	__uint128_t ns;

	if (!p->rate)
		return UINT64_MAX;
	ns = ((__uint128_t)(p->sent + 1) * EVS_NSEC_PER_SEC +
	      p->rate - 1) / p->rate;
	return p->start_ns + (u64)ns;
}
