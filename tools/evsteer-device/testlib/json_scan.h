/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Fields of the device's JSON statistics line, for host tests. */
#ifndef _EVSTEER_TESTLIB_JSON_SCAN_H
#define _EVSTEER_TESTLIB_JSON_SCAN_H

#include <evsteer/compat.h>

const char *evs_json_object(const char *json, const char *key, u32 id);
int evs_json_u64(const char *from, const char *field, u64 *out);

#endif /* _EVSTEER_TESTLIB_JSON_SCAN_H */
