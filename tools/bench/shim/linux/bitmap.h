/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim for the bitmap helpers drivers/evsteer/policy.c uses:
 * test_bit(), find_next_bit() and for_each_set_bit(), with the
 * kernel's semantics (bit n is bit n % BITS_PER_LONG of word
 * n / BITS_PER_LONG; a search past the last bit returns @size) and,
 * like lib/find_bit.c, a word at a time.  Also bitmap_zero(),
 * bitmap_fill() and __set_bit() for the simulator's own use.
 */
#ifndef _EVSTEER_SHIM_LINUX_BITMAP_H
#define _EVSTEER_SHIM_LINUX_BITMAP_H

#include <limits.h>
#include <string.h>
#include <linux/types.h>

#define BITS_PER_LONG		((unsigned int)(CHAR_BIT * sizeof(long)))
#define BITS_TO_LONGS(nr)	(((nr) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define BIT_WORD(nr)		((nr) / BITS_PER_LONG)
#define BIT_MASK(nr)		(1UL << ((nr) % BITS_PER_LONG))

static inline bool test_bit(unsigned long nr, const unsigned long *addr)
{
	return addr[BIT_WORD(nr)] & BIT_MASK(nr);
}

static inline void __set_bit(unsigned long nr, unsigned long *addr)
{
	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}

/* The first set bit at or after @offset, or @size if there is none. */
static inline unsigned long find_next_bit(const unsigned long *addr,
					  unsigned long size,
					  unsigned long offset)
{
	unsigned long idx, word;

	if (offset >= size)
		return size;
	idx = BIT_WORD(offset);
	word = addr[idx] & (~0UL << (offset % BITS_PER_LONG));
	while (!word) {
		if (++idx * BITS_PER_LONG >= size)
			return size;
		word = addr[idx];
	}
	offset = idx * BITS_PER_LONG + __builtin_ctzl(word);
	return offset < size ? offset : size;
}

#define find_first_bit(addr, size)	find_next_bit((addr), (size), 0)

#define for_each_set_bit(bit, addr, size)				\
	for ((bit) = find_first_bit((addr), (size));			\
	     (bit) < (size);						\
	     (bit) = find_next_bit((addr), (size), (bit) + 1))

static inline void bitmap_zero(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0, BITS_TO_LONGS(nbits) * sizeof(long));
}

/* All of the first @nbits bits set, the rest of the last word clear. */
static inline void bitmap_fill(unsigned long *dst, unsigned int nbits)
{
	unsigned int full = nbits / BITS_PER_LONG;

	memset(dst, 0xff, full * sizeof(long));
	if (nbits % BITS_PER_LONG)
		dst[full] = ~0UL >> (BITS_PER_LONG - nbits % BITS_PER_LONG);
}

#endif /* _EVSTEER_SHIM_LINUX_BITMAP_H */
