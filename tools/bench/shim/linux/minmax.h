/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim for <linux/minmax.h>: min(), max() and min_t(), with the
 * kernel's type check (comparing pointers of distinct types warns, so
 * mixing signed and unsigned arguments fails a -Werror build here as
 * it would in the kernel).
 */
#ifndef _EVSTEER_SHIM_LINUX_MINMAX_H
#define _EVSTEER_SHIM_LINUX_MINMAX_H

#define __evs_cmp(x, y, op) ({				\
	typeof(x) _x = (x);				\
	typeof(y) _y = (y);				\
	(void)(&_x == &_y);				\
	_x op _y ? _x : _y; })

#define min(x, y)	__evs_cmp(x, y, <)
#define max(x, y)	__evs_cmp(x, y, >)
#define min_t(type, x, y)	__evs_cmp((type)(x), (type)(y), <)

#endif /* _EVSTEER_SHIM_LINUX_MINMAX_H */
