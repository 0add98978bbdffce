/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Small helpers the benchmarks share, as the kernel spells them.
 */
#ifndef _EVSTEER_BENCH_UTIL_H
#define _EVSTEER_BENCH_UTIL_H

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif /* _EVSTEER_BENCH_UTIL_H */
