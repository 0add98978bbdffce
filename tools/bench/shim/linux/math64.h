/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim for <linux/math64.h>: div_u64() and div_u64_rem(), as
 * drivers/evsteer/rebalance.c uses them (the kernel's own spare 32-bit
 * machines a 64-bit division; here it is plain C).
 */
#ifndef _EVSTEER_SHIM_LINUX_MATH64_H
#define _EVSTEER_SHIM_LINUX_MATH64_H

#include <linux/types.h>

static inline u64 div_u64_rem(u64 dividend, u32 divisor, u32 *remainder)
{
	*remainder = dividend % divisor;
	return dividend / divisor;
}

static inline u64 div_u64(u64 dividend, u32 divisor)
{
	return dividend / divisor;
}

#endif /* _EVSTEER_SHIM_LINUX_MATH64_H */
