/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A tiny TAP producer for the host tests: each check prints one
 * "ok N - name" or "not ok N - name" line; tap_done() prints the plan
 * and returns the exit status.
 */
#ifndef _EVSTEER_TAP_H
#define _EVSTEER_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_count, tap_failed;

static inline __attribute__((format(printf, 2, 3)))
int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return cond;
}

/* Diagnostics, shown but not counted. */
#define tap_diag(...) do { printf("# " __VA_ARGS__); printf("\n"); } while (0)

/* Compare two unsigned values and say both when they differ. */
#define tap_eq(got, want, ...)						\
	({								\
		unsigned long long _g = (got), _w = (want);		\
		if (_g != _w)						\
			tap_diag("got %llu (0x%llx), want %llu (0x%llx)", \
				 _g, _g, _w, _w);			\
		tap_ok(_g == _w, __VA_ARGS__);				\
	})

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif /* _EVSTEER_TAP_H */
