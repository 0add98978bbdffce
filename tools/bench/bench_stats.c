// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Order statistics for the benchmarks.  Percentiles use the
 * nearest-rank method on a sorted copy: the value itself, never an
 * interpolation between two samples.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench_stats.h"

static int bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/**
 * bench_percentile() - the p-th percentile, nearest rank
 * @v: samples, left unchanged
 * @n: number of samples
 * @p: 0 < p <= 100
 *
 * Return: the sample of rank ceil(p / 100 * n), or NAN if @n is 0.
 */
double bench_percentile(const double *v, size_t n, double p)
{
	double *s, r;
	size_t rank;

	if (!n)
		return NAN;
	s = malloc(n * sizeof(*s));
	if (!s)
		abort();
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), bench_cmp);
	rank = (size_t)ceil(p / 100 * n);
	rank = rank < 1 ? 1 : rank > n ? n : rank;
	r = s[rank - 1];
	free(s);
	return r;
}

/* The median: the lower middle sample when @n is even. */
double bench_median(const double *v, size_t n)
{
	return bench_percentile(v, n, 50);
}

double bench_mean(const double *v, size_t n)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += v[i];
	return n ? sum / n : NAN;
}

double bench_min(const double *v, size_t n)
{
	double m = n ? v[0] : NAN;
	size_t i;

	for (i = 1; i < n; i++)
		m = v[i] < m ? v[i] : m;
	return m;
}

double bench_max(const double *v, size_t n)
{
	double m = n ? v[0] : NAN;
	size_t i;

	for (i = 1; i < n; i++)
		m = v[i] > m ? v[i] : m;
	return m;
}
