/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A bounded text buffer for control replies and JSON lines: appends
 * never overflow, and a reply that did not fit is marked as truncated
 * instead of being sent half-written.
 */
#ifndef _EVSTEER_DEVICE_STRBUF_H
#define _EVSTEER_DEVICE_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define EVS_STRBUF_SIZE		32768	/* a stats line for 64 rings fits */

struct evs_strbuf {
	char s[EVS_STRBUF_SIZE];
	size_t len;
	bool truncated;
};

static inline void evs_strbuf_reset(struct evs_strbuf *b)
{
	b->s[0] = '\0';
	b->len = 0;
	b->truncated = false;
}

#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif

static inline __printf(2, 3)
void evs_strbuf_printf(struct evs_strbuf *b, const char *fmt, ...)
{
	size_t room = sizeof(b->s) - b->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->s + b->len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		b->truncated = true;
		b->len = sizeof(b->s) - 1;
		return;
	}
	b->len += n;
}

/* Put @prefix in front of what is already there. */
static inline void evs_strbuf_prepend(struct evs_strbuf *b, const char *prefix)
{
	size_t n = strlen(prefix);

	if (b->len + n >= sizeof(b->s)) {
		b->truncated = true;
		return;
	}
	memmove(b->s + n, b->s, b->len + 1);
	memcpy(b->s, prefix, n);
	b->len += n;
}

#endif /* _EVSTEER_DEVICE_STRBUF_H */
