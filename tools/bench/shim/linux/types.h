/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim for <linux/types.h>, so that drivers/evsteer/policy.c
 * compiles unchanged in tools/bench/policy_sim: the uapi header for the
 * __u32 family, and the kernel's short names and bool on top.
 */
#ifndef _EVSTEER_SHIM_LINUX_TYPES_H
#define _EVSTEER_SHIM_LINUX_TYPES_H

#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;

#endif /* _EVSTEER_SHIM_LINUX_TYPES_H */
