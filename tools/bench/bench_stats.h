/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Order statistics for the benchmarks: median, percentiles, extremes.
 */
#ifndef _EVSTEER_BENCH_STATS_H
#define _EVSTEER_BENCH_STATS_H

#include <stddef.h>

double bench_percentile(const double *v, size_t n, double p);
double bench_median(const double *v, size_t n);
double bench_mean(const double *v, size_t n);
double bench_min(const double *v, size_t n);
double bench_max(const double *v, size_t n);

#endif /* _EVSTEER_BENCH_STATS_H */
