/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Pacing of the traffic generator: how many events are owed at a given
 * time, and when the next one is due, for a rate in events per second.
 */
#ifndef _EVSTEER_DEVICE_PACER_H
#define _EVSTEER_DEVICE_PACER_H

#include <evsteer/compat.h>

#define EVS_NSEC_PER_SEC	1000000000ull
#define EVS_NSEC_PER_MSEC	1000000ull

/* A backlog longer than this is forgotten instead of sent as a burst. */
#define EVS_PACER_MAX_LAG_NS	(50 * EVS_NSEC_PER_MSEC)

/**
 * struct evs_pacer - events owed since a start time
 * @start_ns: when the current rate took effect
 * @sent:     events handed out since @start_ns
 * @rate:     events per second; 0 owes nothing
 */
struct evs_pacer {
	u64 start_ns;
	u64 sent;
	u32 rate;
};

void evs_pacer_start(struct evs_pacer *p, u32 rate, u64 now_ns);
u64 evs_pacer_owed(const struct evs_pacer *p, u64 now_ns);
u64 evs_pacer_take(struct evs_pacer *p, u64 now_ns);
u64 evs_pacer_next_ns(const struct evs_pacer *p);

#endif /* _EVSTEER_DEVICE_PACER_H */
