/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* UNIX stream sockets by path, for the ivshmem and control sockets. */
#ifndef _EVSTEER_DEVICE_SOCKUTIL_H
#define _EVSTEER_DEVICE_SOCKUTIL_H

int evs_unix_listen(const char *path);
int evs_unix_connect(const char *path);

#endif /* _EVSTEER_DEVICE_SOCKUTIL_H */
