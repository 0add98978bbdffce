/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Toeplitz hash as used by RSS: a bitwise reference, and a table-driven
 * version that precomputes, per key, the hash contribution of every
 * possible byte at every input position (one lookup per input byte).
 */
#ifndef _EVSTEER_TOEPLITZ_H
#define _EVSTEER_TOEPLITZ_H

#include "compat.h"
#include "abi.h"

/* The key is 4 bytes longer than the longest input it can hash. */
#define EVS_TOEPLITZ_MAX_INPUT	(EVS_HASH_KEY_SIZE - 4)

/* Input lengths of the usual tuples: addresses, then ports. */
#define EVS_TUPLE_V4		8
#define EVS_TUPLE_V4_PORTS	12
#define EVS_TUPLE_V6		32
#define EVS_TUPLE_V6_PORTS	36

/**
 * struct evs_toeplitz - per-key lookup table
 * @t: t[i][b] is the hash of byte value b at input position i
 */
struct evs_toeplitz {
	u32 t[EVS_TOEPLITZ_MAX_INPUT][256];
};

/* The 40 key bits that start at byte @byte: every 32-bit window in it. */
static inline u64 evs_toeplitz_key40(const u8 *key, unsigned int byte)
{
	return ((u64)key[byte] << 32) | ((u64)key[byte + 1] << 24) |
	       ((u64)key[byte + 2] << 16) | ((u64)key[byte + 3] << 8) |
	       key[byte + 4];
}

/* The 32 key bits that start at bit @bit of @key (bit 0 = MSB of key[0]). */
static inline u32 evs_toeplitz_window(const u8 *key, unsigned int bit)
{
	return (u32)(evs_toeplitz_key40(key, bit / 8) >> (8 - bit % 8));
}

/**
 * evs_toeplitz_ref() - bitwise reference Toeplitz hash
 * @key:  hash key, at least @len + 4 bytes
 * @data: input tuple
 * @len:  input length in bytes
 *
 * For every set input bit, XOR in the 32-bit key window that starts at
 * that bit.  Slow and obviously right; the other versions are tested
 * against it.
 */
static inline u32 evs_toeplitz_ref(const u8 *key, const u8 *data,
				   unsigned int len)
{
	u32 hash = 0;
	unsigned int i, j;

	for (i = 0; i < len; i++)
		for (j = 0; j < 8; j++)
			if (data[i] & (0x80 >> j))
				hash ^= evs_toeplitz_window(key, i * 8 + j);
	return hash;
}

/**
 * evs_toeplitz_init() - precompute the lookup table for a key
 * @tz:  table to fill
 * @key: EVS_HASH_KEY_SIZE bytes
 *
 * Each entry is built from the entry with its lowest set bit cleared,
 * so the whole table costs one XOR per entry.
 */
static inline void evs_toeplitz_init(struct evs_toeplitz *tz, const u8 *key)
{
	unsigned int i, b;

	for (i = 0; i < EVS_TOEPLITZ_MAX_INPUT; i++) {
		u32 win[8];

		/* win[k]: contribution of bit value (1 << k) of byte i */
		for (b = 0; b < 8; b++)
			win[b] = evs_toeplitz_window(key, i * 8 + 7 - b);
		tz->t[i][0] = 0;
		for (b = 1; b < 256; b++) {
			unsigned int low = b & -b;

			tz->t[i][b] = tz->t[i][b ^ low] ^
				      win[__builtin_ctz(low)];
		}
	}
}

/**
 * evs_toeplitz_hash() - table-driven Toeplitz hash
 * @tz:   table from evs_toeplitz_init()
 * @data: input tuple
 * @len:  input length, at most EVS_TOEPLITZ_MAX_INPUT
 *
 * Four bytes per step: each byte's row is then a constant offset from
 * one pointer, which halves the instructions of the byte-wise loop
 * (tools/bench measures both).
 */
static inline u32 evs_toeplitz_hash(const struct evs_toeplitz *tz,
				    const u8 *data, unsigned int len)
{
	const u32 (*t)[256] = tz->t;
	unsigned int i;
	u32 hash = 0;

	for (i = 0; i + 4 <= len; i += 4, t += 4, data += 4)
		hash ^= t[0][data[0]] ^ t[1][data[1]] ^ t[2][data[2]] ^
			t[3][data[3]];
	for (; i < len; i++, t++, data++)
		hash ^= t[0][data[0]];
	return hash;
}

/**
 * evs_toeplitz_setbits() - Toeplitz hash visiting only the set bits
 * @key:  hash key, at least @len + 4 bytes
 * @data: input tuple
 * @len:  input length in bytes
 *
 * No table: for every set input bit, found with ctz, XOR in the key
 * window that starts at that bit -- the way software RSS without a
 * precomputed table works (DPDK's rte_softrss).  A benchmark baseline.
 */
static inline u32 evs_toeplitz_setbits(const u8 *key, const u8 *data,
				       unsigned int len)
{
	u32 hash = 0;
	unsigned int i;

	for (i = 0; i < len; i++) {
		unsigned int bits = data[i];
		u64 key40;

		if (!bits)
			continue;
		key40 = evs_toeplitz_key40(key, i);
		/* bit b of the byte is input bit 8 * i + 7 - b */
		for (; bits; bits &= bits - 1)
			hash ^= (u32)(key40 >> (1 + __builtin_ctz(bits)));
	}
	return hash;
}

#endif /* _EVSTEER_TOEPLITZ_H */
