// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Just enough JSON scanning for the device's statistics line, whose
 * shape the tests know: objects are found by their leading id field.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_scan.h"

/* The object {"<key>":<id>,...} of a stats line, or NULL. */
const char *evs_json_object(const char *json, const char *key, u32 id)
{
	char pat[64];

	snprintf(pat, sizeof(pat), "{\"%s\":%u,", key, id);
	return strstr(json, pat);
}

/* The first "<field>":<number> at or after @from. */
int evs_json_u64(const char *from, const char *field, u64 *out)
{
	char pat[64], *end;
	const char *p;

	if (!from)
		return -1;
	snprintf(pat, sizeof(pat), "\"%s\":", field);
	p = strstr(from, pat);
	if (!p)
		return -1;
	p += strlen(pat);
	errno = 0;
	*out = strtoull(p, &end, 10);
	return errno || end == p ? -1 : 0;
}
