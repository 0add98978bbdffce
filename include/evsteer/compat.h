/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Glue that lets the evsteer shared headers compile unchanged in the
 * kernel and in userspace: fixed-width types, little-endian conversion
 * and the few ordered accesses that the shared-memory rings need.
 */
#ifndef _EVSTEER_COMPAT_H
#define _EVSTEER_COMPAT_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/string.h>
#include <linux/atomic.h>
#include <asm/barrier.h>
#include <asm/byteorder.h>

#else /* userspace */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <assert.h>
#include <endian.h>
#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;

#define le16_to_cpu(x)	le16toh(x)
#define le32_to_cpu(x)	le32toh(x)
#define le64_to_cpu(x)	le64toh(x)
#define cpu_to_le16(x)	htole16(x)
#define cpu_to_le32(x)	htole32(x)
#define cpu_to_le64(x)	htole64(x)

#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
/* later accesses stay after the load */
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
/* earlier accesses stay before the store */
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define xchg(p, v)		__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)
/* no access crosses it */
#define smp_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)

#endif /* __KERNEL__ */

/* Little-endian loads and stores of shared-memory fields. */
#define evs_rd16(p)		le16_to_cpu(READ_ONCE(*(p)))
#define evs_rd32(p)		le32_to_cpu(READ_ONCE(*(p)))
#define evs_rd64(p)		le64_to_cpu(READ_ONCE(*(p)))
#define evs_wr16(p, v)		WRITE_ONCE(*(p), cpu_to_le16(v))
#define evs_wr32(p, v)		WRITE_ONCE(*(p), cpu_to_le32(v))
#define evs_wr64(p, v)		WRITE_ONCE(*(p), cpu_to_le64(v))

/* Publication of a ring index: entries before the index, then the index. */
#define evs_rd32_acquire(p)	le32_to_cpu(smp_load_acquire(p))
/* pairs with evs_rd32_acquire() */
#define evs_wr32_release(p, v)	smp_store_release((p), cpu_to_le32(v))

/* A full barrier and an exchange, for the interrupt-armed flag. */
#define evs_xchg32(p, v)	le32_to_cpu(xchg((p), cpu_to_le32(v)))

/* 64-bit statistics counters: one writer, any number of readers. */
static inline void evs_add64(__le64 *p, u64 n)
{
	evs_wr64(p, evs_rd64(p) + n);
}

#endif /* _EVSTEER_COMPAT_H */
