// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Command-line parsing of evsteer-device.  Every value goes through a
 * strict parser with explicit limits; anything odd is a usage error.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "options.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

#define EVS_SUN_PATH_MAX	(sizeof(((struct sockaddr_un *)0)->sun_path) - 1)

/**
 * evs_parse_u32() - parse a decimal integer within limits
 * @s:   text; digits only, no sign, no trailing characters
 * @min: smallest value accepted
 * @max: largest value accepted
 * @out: the value, written only on success
 *
 * Return: 0, or -1 if @s is not a number in [@min, @max].
 */
int evs_parse_u32(const char *s, u32 min, u32 max, u32 *out)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/**
 * evs_parse_size() - parse a shared-memory size such as 4M
 * @s:   a number with an optional K, M or G suffix (binary units)
 * @out: bytes; a power of two within EVS_OPT_MEM_MIN..EVS_OPT_MEM_MAX
 *
 * ivshmem exposes the memory as a BAR, and BARs are powers of two.
 */
int evs_parse_size(const char *s, u32 *out)
{
	unsigned long long v, mult = 1;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case 'K': case 'k':
		mult = 1ull << 10;
		end++;
		break;
	case 'M': case 'm':
		mult = 1ull << 20;
		end++;
		break;
	case 'G': case 'g':
		mult = 1ull << 30;
		end++;
		break;
	}
	if (*end || v > EVS_OPT_MEM_MAX / mult)
		return -1;
	v *= mult;
	if (v < EVS_OPT_MEM_MIN || !evs_is_pow2(v))
		return -1;
	*out = v;
	return 0;
}

/* A Zipf exponent: a finite decimal in 0..EVS_OPT_SKEW_MAX. */
int evs_parse_skew(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !(isdigit((unsigned char)s[0]) || s[0] == '.'))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v < 0 || v > EVS_OPT_SKEW_MAX)
		return -1;
	*out = v;
	return 0;
}

/* Four comma-separated weights D,L,E,C; at least one must be nonzero. */
int evs_parse_mix(const char *s, u32 mix[EVS_NUM_CODES])
{
	u32 w[EVS_NUM_CODES], sum = 0;
	char field[16];
	unsigned int i;

	for (i = 0; i < EVS_NUM_CODES; i++) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);

		if ((comma != NULL) != (i < EVS_NUM_CODES - 1) ||
		    n >= sizeof(field))
			return -1;
		memcpy(field, s, n);
		field[n] = '\0';
		if (evs_parse_u32(field, 0, EVS_OPT_WEIGHT_MAX, &w[i]))
			return -1;
		sum += w[i];
		s += n + 1;
	}
	if (!sum)
		return -1;
	memcpy(mix, w, sizeof(w));
	return 0;
}

int evs_parse_mode(const char *s, u32 *mode)
{
	if (!strcmp(s, "proc-code"))
		*mode = EVS_MAP_PROC_CODE;
	else if (!strcmp(s, "proc-ring"))
		*mode = EVS_MAP_PROC_RING;
	else
		return -1;
	return 0;
}

void evs_options_usage(FILE *f)
{
	fprintf(f,
"usage: evsteer-device --socket PATH [options]\n"
"\n"
"The userspace side of the evsteer device: an ivshmem server that QEMU's\n"
"ivshmem-doorbell connects to, and a traffic generator that steers events\n"
"into the shared-memory rings and raises MSI-X vectors.\n"
"\n"
"  --socket PATH          ivshmem server socket (required); start QEMU with\n"
"                         -chardev socket,path=PATH,id=ivsh\n"
"                         -device ivshmem-doorbell,chardev=ivsh,vectors=N+1\n"
"  --ctl PATH             control socket (line commands, see evsteer-ctl)\n"
"  --mem SIZE             shared memory, power of two, K/M/G suffix (default 4M)\n"
"  --rings N              data rings, 1..%u (default 4); ring and vector N are\n"
"                         the admin ones, so QEMU needs vectors=N+1\n"
"  --ring-size N          entries per ring, power of two %u..%u (default 1024)\n"
"  --rate N               events per second, 0..%u, 0 = paused (default 1000)\n"
"  --flows N              synthetic flows, 1..%u (default 64)\n"
"  --zipf S               flow popularity skew, 0 = uniform (default 0)\n"
"  --mix D,L,E,C          weights of data, link, error, control events\n"
"                         (default 100,0,0,0)\n"
"  --cost NS              processing cost written into each entry (default 0)\n"
"  --ipv6                 synthetic IPv6 tuples instead of IPv4\n"
"  --pcap FILE            take flow tuples from the TCP/UDP packets of a pcap\n"
"                         file, replayed in packet order (excludes --flows,\n"
"                         --zipf and --ipv6)\n"
"  --seed N               traffic seed (default 1)\n"
"  --mode proc-code|proc-ring  initial mapping mode (default proc-code)\n"
"  --bad-magic            corrupt the header magic (driver refusal test)\n"
"  --bad-version          corrupt the ABI version (driver refusal test)\n"
"  --stats-interval MS    print statistics as a JSON line every MS (default 0,\n"
"                         off)\n"
"  --duration S           exit after S seconds (default 0, run until SIGTERM)\n"
"  --exit-on-disconnect   exit when the QEMU client disconnects (default)\n"
"  --no-exit-on-disconnect  keep serving new clients instead\n"
"  --help                 this text\n"
"\n"
"The device is ivshmem peer 0: the guest rings it by writing 0 (peer 0,\n"
"vector 0) to the Doorbell register, after changing driver_ctrl or\n"
"config_gen.  It produces only while the driver sets EVS_CTRL_ENABLE and\n"
"checks config_gen on every doorbell and generator tick.  Each new guest\n"
"gets freshly formatted shared memory.\n"
"\n"
"Exit status: 0 on SIGTERM/SIGINT/quit/disconnect, 1 on a runtime failure,\n"
"2 on bad options.\n",
		EVS_MAX_RINGS - 1, EVS_RING_SIZE_MIN, EVS_RING_SIZE_MAX,
		EVS_OPT_RATE_MAX, EVS_OPT_FLOWS_MAX);
}

enum {
	OPT_SOCKET = 256, OPT_CTL, OPT_MEM, OPT_RINGS, OPT_RING_SIZE,
	OPT_RATE, OPT_FLOWS, OPT_ZIPF, OPT_MIX, OPT_COST, OPT_IPV6, OPT_PCAP,
	OPT_SEED, OPT_MODE, OPT_BAD_MAGIC, OPT_BAD_VERSION,
	OPT_STATS_INTERVAL, OPT_DURATION, OPT_EXIT_ON_DISC,
	OPT_NO_EXIT_ON_DISC, OPT_HELP,
};

/* In enum order: the option's name is evs_long_options[opt - OPT_SOCKET]. */
static const struct option evs_long_options[] = {
	{ "socket",		required_argument, NULL, OPT_SOCKET },
	{ "ctl",		required_argument, NULL, OPT_CTL },
	{ "mem",		required_argument, NULL, OPT_MEM },
	{ "rings",		required_argument, NULL, OPT_RINGS },
	{ "ring-size",		required_argument, NULL, OPT_RING_SIZE },
	{ "rate",		required_argument, NULL, OPT_RATE },
	{ "flows",		required_argument, NULL, OPT_FLOWS },
	{ "zipf",		required_argument, NULL, OPT_ZIPF },
	{ "mix",		required_argument, NULL, OPT_MIX },
	{ "cost",		required_argument, NULL, OPT_COST },
	{ "ipv6",		no_argument,	   NULL, OPT_IPV6 },
	{ "pcap",		required_argument, NULL, OPT_PCAP },
	{ "seed",		required_argument, NULL, OPT_SEED },
	{ "mode",		required_argument, NULL, OPT_MODE },
	{ "bad-magic",		no_argument,	   NULL, OPT_BAD_MAGIC },
	{ "bad-version",	no_argument,	   NULL, OPT_BAD_VERSION },
	{ "stats-interval",	required_argument, NULL, OPT_STATS_INTERVAL },
	{ "duration",		required_argument, NULL, OPT_DURATION },
	{ "exit-on-disconnect",	no_argument,	   NULL, OPT_EXIT_ON_DISC },
	{ "no-exit-on-disconnect", no_argument,	   NULL, OPT_NO_EXIT_ON_DISC },
	{ "help",		no_argument,	   NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};
static_assert(ARRAY_SIZE(evs_long_options) == OPT_HELP - OPT_SOCKET + 2,
	      "one entry per option, and the terminator");

static void evs_options_defaults(struct evs_options *o)
{
	memset(o, 0, sizeof(*o));
	o->mem_size = 4u << 20;
	o->num_rings = 4;
	o->ring_size = 1024;
	o->rate = 1000;
	o->flows = 64;
	o->mix[EVS_EV_DATA] = 100;
	o->seed = 1;
	o->map_mode = EVS_MAP_PROC_CODE;
	o->exit_on_disconnect = true;
}

static int evs_parse_path(const char *s, const char **out)
{
	if (!*s || strlen(s) > EVS_SUN_PATH_MAX)
		return -1;
	*out = s;
	return 0;
}

/* Apply one option; return a description of what was expected on error. */
static const char *evs_options_apply(struct evs_options *o, int opt,
				     const char *arg)
{
	switch (opt) {
	case OPT_SOCKET:
		return evs_parse_path(arg, &o->socket_path) ?
		       "a socket path of at most 107 bytes" : NULL;
	case OPT_CTL:
		return evs_parse_path(arg, &o->ctl_path) ?
		       "a socket path of at most 107 bytes" : NULL;
	case OPT_MEM:
		return evs_parse_size(arg, &o->mem_size) ?
		       "a power of two from 64K to 1G, e.g. 4M" : NULL;
	case OPT_RINGS:
		return evs_parse_u32(arg, 1, EVS_MAX_RINGS - 1, &o->num_rings) ?
		       "an integer 1..63" : NULL;
	case OPT_RING_SIZE:
		return evs_parse_u32(arg, EVS_RING_SIZE_MIN, EVS_RING_SIZE_MAX,
				     &o->ring_size) || !evs_is_pow2(o->ring_size) ?
		       "a power of two 16..65536" : NULL;
	case OPT_RATE:
		return evs_parse_u32(arg, 0, EVS_OPT_RATE_MAX, &o->rate) ?
		       "an integer 0..10000000" : NULL;
	case OPT_FLOWS:
		return evs_parse_u32(arg, 1, EVS_OPT_FLOWS_MAX, &o->flows) ?
		       "an integer 1..1048576" : NULL;
	case OPT_ZIPF:
		return evs_parse_skew(arg, &o->skew) ?
		       "a number 0..10" : NULL;
	case OPT_MIX:
		return evs_parse_mix(arg, o->mix) ?
		       "four weights D,L,E,C of 0..1000000, not all zero" : NULL;
	case OPT_COST:
		return evs_parse_u32(arg, 0, EVS_OPT_COST_MAX, &o->cost_ns) ?
		       "nanoseconds 0..1000000000" : NULL;
	case OPT_PCAP:
		o->pcap_path = arg;
		return *arg ? NULL : "a pcap file";
	case OPT_SEED:
		return evs_parse_u32(arg, 0, UINT32_MAX, &o->seed) ?
		       "an integer 0..4294967295" : NULL;
	case OPT_MODE:
		return evs_parse_mode(arg, &o->map_mode) ?
		       "proc-code or proc-ring" : NULL;
	case OPT_STATS_INTERVAL:
		return evs_parse_u32(arg, 0, EVS_OPT_INTERVAL_MAX,
				     &o->stats_interval_ms) ?
		       "milliseconds 0..3600000" : NULL;
	case OPT_DURATION:
		return evs_parse_u32(arg, 0, EVS_OPT_DURATION_MAX,
				     &o->duration_s) ?
		       "seconds 0..604800" : NULL;
	}
	return NULL;
}

static int evs_options_flag(struct evs_options *o, int opt)
{
	switch (opt) {
	case OPT_IPV6:
		o->ipv6 = true;
		return 1;
	case OPT_BAD_MAGIC:
		o->bad_magic = true;
		return 1;
	case OPT_BAD_VERSION:
		o->bad_version = true;
		return 1;
	case OPT_EXIT_ON_DISC:
		o->exit_on_disconnect = true;
		return 1;
	case OPT_NO_EXIT_ON_DISC:
		o->exit_on_disconnect = false;
		return 1;
	}
	return 0;
}

/* Options that make no sense together, or a missing required one. */
static const char *evs_options_check(const struct evs_options *o,
				     const bool *seen)
{
	struct evs_layout l;

	if (!o->socket_path)
		return "--socket is required";
	if (o->pcap_path && (seen[OPT_FLOWS - OPT_SOCKET] ||
			     seen[OPT_ZIPF - OPT_SOCKET] ||
			     seen[OPT_IPV6 - OPT_SOCKET]))
		return "--pcap takes its flows from the file: drop --flows, --zipf and --ipv6";
	if (o->ctl_path && !strcmp(o->ctl_path, o->socket_path))
		return "--ctl and --socket must differ";
	if (evs_layout_compute(o->num_rings, o->ring_size, &l) ||
	    l.total_size > o->mem_size)
		return "--mem is too small for --rings x --ring-size";
	return NULL;
}

/**
 * evs_options_parse() - parse the command line
 * @o:    filled with defaults, then the options
 * @argc: argument count
 * @argv: arguments
 * @err:  where usage errors go
 *
 * Return: enum evs_options_result.
 */
int evs_options_parse(struct evs_options *o, int argc, char **argv,
		      FILE *err)
{
	bool seen[OPT_HELP - OPT_SOCKET + 1] = { false };
	const char *why;
	int opt;

	evs_options_defaults(o);
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", evs_long_options,
				  NULL)) != -1) {
		if (opt == OPT_HELP) {
			evs_options_usage(stdout);
			return EVS_OPTIONS_HELP;
		}
		if (opt < OPT_SOCKET) {
			fprintf(err, "evsteer-device: error: unknown option or missing value: '%s'\n",
				argv[optind - 1]);
			goto usage;
		}
		seen[opt - OPT_SOCKET] = true;
		if (evs_options_flag(o, opt))
			continue;
		why = evs_options_apply(o, opt, optarg);
		if (why) {
			fprintf(err, "evsteer-device: error: --%s: expected %s, got '%s'\n",
				evs_long_options[opt - OPT_SOCKET].name, why,
				optarg);
			goto usage;
		}
	}
	if (optind < argc) {
		fprintf(err, "evsteer-device: error: unexpected argument '%s'\n",
			argv[optind]);
		goto usage;
	}
	why = evs_options_check(o, seen);
	if (why) {
		fprintf(err, "evsteer-device: error: %s\n", why);
		goto usage;
	}
	return EVS_OPTIONS_RUN;

usage:
	fprintf(err, "Try 'evsteer-device --help'.\n");
	return EVS_OPTIONS_BAD;
}
