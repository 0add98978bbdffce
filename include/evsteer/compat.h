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

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;

#define le16_to_cpu(x)	le16toh(x)
#define le32_to_cpu(x)	le32toh(x)
#define le64_to_cpu(x)	le64toh(x)
#define cpu_to_le16(x)	htole16(x)
#define cpu_to_le32(x)	htole32(x)
#define cpu_to_le64(x)	htole64(x)

#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define xchg(p, v)		__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)
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
#define evs_wr32_release(p, v)	smp_store_release((p), cpu_to_le32(v))

/* A full barrier and an exchange, for the interrupt-armed flag. */
#define evs_xchg32(p, v)	le32_to_cpu(xchg((p), cpu_to_le32(v)))

/* 64-bit statistics counters: one writer, any number of readers. */
#define evs_add64(p, n)		evs_wr64((p), evs_rd64(p) + (n))

#endif /* _EVSTEER_COMPAT_H */
