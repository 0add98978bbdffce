// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evsteer-steer: where the device's data events must go, computed on
 * the host before a test runs.  Given the hash key, the redirection
 * table (as ring indices, the way `ethtool -x` shows it) and the
 * device's traffic options, print every ring's expected share of the
 * data events.
 *
 * It mirrors the device by using the device's own code: the generator
 * (generator.c) picks a flow for every data event independently, with
 * the popularity of evs_gen_set_flows() (uniform unless --zipf), and
 * derives the flow's tuple with evs_gen_flow_tuple() from the same
 * addresses and port (--src-ip, --dst-ip, --src-ip6, --dst-ip6,
 * --dst-port, parsed as the device parses them); the device builds the
 * frame from that tuple, hashes the tuple with Toeplitz and indexes
 * the table with the hash's low bits.  So a ring's expected share is the summed popularity of the
 * flows whose hash lands on a table entry naming it; for uniform flows,
 * (flows mapped to the ring) / flows.
 *
 *   $ evsteer-steer --key 6d:5a:56:...:01:fa --equal 4 --flows 16 --seed 1
 *   ring=0 flows=8 share=0.500000
 *   ring=1 flows=7 share=0.437500
 *   ring=2 flows=0 share=0.000000
 *   ring=3 flows=1 share=0.062500
 *
 * (Toeplitz is linear: flows 0..253 differ only in the last byte of
 * the source address, so few flows spread coarsely; 64 and more spread
 * within a flow or two per ring.)
 *
 * With --tuple, the flows are given instead (real traffic through the
 * TAP backend, e.g. iperf3's streams): each is hashed as the device
 * hashes a frame's own addresses and ports, printed with its ring, and
 * the rings' shares count each tuple once.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <evsteer/producer.h>
#include "generator.h"
#include "options.h"
#include "strbuf.h"	/* __printf */

#define EVS_STEER_RETA_DEFAULT	512	/* entries of the driver's table */
#define EVS_STEER_TUPLES_MAX	1024	/* --tuple, at most */

struct evs_steer_opts {
	u8 key[EVS_HASH_KEY_SIZE];
	bool have_key;
	u16 reta[EVS_RETA_MAX];
	u32 reta_size;
	u32 flows;
	double skew;
	u32 seed;
	bool ipv6;
	struct evs_frame_addrs addrs;
	struct evs_flow_tuple *tuples;
	u32 num_tuples;
};

static const char evs_steer_help[] =
"usage: evsteer-steer --key HEX (--reta \"R0 R1 ...\" | --equal N)\n"
"                     [--flows N] [--seed S] [--zipf S] [--ipv6]\n"
"                     [--src-ip A.B.C.0] [--dst-ip A.B.C.D]\n"
"                     [--src-ip6 PREFIX::] [--dst-ip6 ADDR] [--dst-port N]\n"
"       evsteer-steer --key HEX (--reta \"R0 R1 ...\" | --equal N)\n"
"                     --tuple SRC,SPORT,DST,DPORT [--tuple ...]\n"
"\n"
"Print each ring's expected share of the evsteer device's data events,\n"
"one line per ring: ring=R flows=K share=S (K flows land on ring R; S is\n"
"their summed popularity, K / flows for uniform flows).\n"
"\n"
"  --key HEX        the 40-byte Toeplitz key, as `ethtool -x` prints it\n"
"                   (6d:5a:...) or as 80 hex digits\n"
"  --reta \"R ...\"   the redirection table as ring indices, a power of two\n"
"                   entries up to 512; entry hash & (entries - 1) is used\n"
"  --equal N        512 entries spread over rings 0..N-1 (ethtool -X equal N)\n"
"  --flows N        the device's --flows (default 64)\n"
"  --seed S         the device's --seed (default 1)\n"
"  --zipf S         the device's --zipf (default 0, uniform)\n"
"  --ipv6           the device's --ipv6\n"
"  --src-ip A.B.C.0 the device's --src-ip (default 198.18.1.0)\n"
"  --dst-ip A.B.C.D the device's --dst-ip (default 198.18.0.2)\n"
"  --src-ip6 P::    the device's --src-ip6 (default 2001:db8:1::)\n"
"  --dst-ip6 ADDR   the device's --dst-ip6 (default 2001:db8::2)\n"
"  --dst-port N     the device's --dst-port (default 9999)\n"
"  --tuple S,SP,D,DP  a flow of real traffic instead of the generator's:\n"
"                   source address, source port, destination address,\n"
"                   destination port (IPv4 or IPv6, both alike); prints\n"
"                   tuple=I hash=H ring=R for each (repeatable, up to 1024)\n"
"\n"
"Exit status: 0, or 2 on bad options.\n";

static_assert(EVS_RETA_MAX == 512 && EVS_STEER_RETA_DEFAULT == 512,
	      "the help text names these table sizes");

/* Say what is wrong with the command line; the caller exits with 2. */
static __printf(1, 2) int bad_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("evsteer-steer: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see --help)\n", stderr);
	return -1;
}


/* Exactly EVS_HASH_KEY_SIZE bytes: "xx:xx:..." or plain hex digits. */
static int parse_key(const char *s, u8 *key)
{
	unsigned int n = 0;

	while (*s) {
		int hi = evs_hexval(s[0]), lo = hi < 0 ? -1 : evs_hexval(s[1]);

		if (hi < 0 || lo < 0 || n == EVS_HASH_KEY_SIZE)
			return -1;
		key[n++] = hi << 4 | lo;
		s += 2;
		if (*s == ':' && s[1])
			s++;
	}
	return n == EVS_HASH_KEY_SIZE ? 0 : -1;
}

/* Ring indices separated by blanks; a power of two of them. */
static int parse_reta(const char *s, u16 *reta, u32 *size)
{
	char *copy = strdup(s), *save = NULL, *w;
	u32 n = 0, ring;
	int err = 0;

	if (!copy)
		return -1;
	for (w = strtok_r(copy, " \t\n", &save); w;
	     w = strtok_r(NULL, " \t\n", &save)) {
		if (n == EVS_RETA_MAX ||
		    evs_parse_u32(w, 0, EVS_MAX_RINGS - 1, &ring)) {
			err = -1;
			break;
		}
		reta[n++] = ring;
	}
	free(copy);
	if (err || !evs_is_pow2(n))
		return -1;
	*size = n;
	return 0;
}

/*
 * "SRC,SPORT,DST,DPORT" into the bytes the device hashes: addresses,
 * then ports, in network order (evs_flow_tuple_make_at()'s layout).
 */
static int parse_tuple(const char *s, struct evs_flow_tuple *t)
{
	char *copy = strdup(s), *f[4], *save = NULL;
	u32 addr, i;
	u16 sport, dport;
	int err = -1;

	if (!copy)
		return -1;
	for (i = 0; i < 4; i++)
		if (!(f[i] = strtok_r(i ? NULL : copy, ",", &save)))
			goto out;
	if (strtok_r(NULL, ",", &save) || evs_parse_port(f[1], &sport) ||
	    evs_parse_port(f[3], &dport))
		goto out;
	memset(t, 0, sizeof(*t));
	addr = strchr(f[0], ':') ? 16 : 4;
	if (addr == 16 ? evs_parse_ip6(f[0], t->b) || evs_parse_ip6(f[2], t->b + 16) :
			 evs_parse_ip4(f[0], t->b) || evs_parse_ip4(f[2], t->b + 4))
		goto out;
	evs_put_be16(t->b + 2 * addr, sport);
	evs_put_be16(t->b + 2 * addr + 2, dport);
	t->len = 2 * addr + 4;
	err = 0;
out:
	free(copy);
	return err;
}

static int add_tuple(struct evs_steer_opts *o, const char *arg)
{
	if (!o->tuples) {
		o->tuples = calloc(EVS_STEER_TUPLES_MAX, sizeof(*o->tuples));
		if (!o->tuples)
			return bad_usage("out of memory");
	}
	if (o->num_tuples == EVS_STEER_TUPLES_MAX ||
	    parse_tuple(arg, &o->tuples[o->num_tuples]))
		return bad_usage("--tuple must be SRC,SPORT,DST,DPORT (both addresses IPv4 or both IPv6), up to %u of them",
				 EVS_STEER_TUPLES_MAX);
	o->num_tuples++;
	return 0;
}

/* The address options, with the device's parsers: 1 if not one of them. */
static int parse_addr_opt(int c, const char *arg, struct evs_frame_addrs *a)
{
	switch (c) {
	case 'S':
		return evs_parse_src_ip4(arg, a->src_ip4) ?
		       bad_usage("--src-ip must be an IPv4 /24 network, last byte 0") : 0;
	case 'D':
		return evs_parse_ip4(arg, a->dst_ip4) ?
		       bad_usage("--dst-ip must be an IPv4 address") : 0;
	case 'T':
		return evs_parse_src_ip6(arg, a->src_ip6) ?
		       bad_usage("--src-ip6 must be an IPv6 /96 prefix, last 32 bits 0") : 0;
	case 'E':
		return evs_parse_ip6(arg, a->dst_ip6) ?
		       bad_usage("--dst-ip6 must be an IPv6 address") : 0;
	case 'P':
		return evs_parse_port(arg, &a->dst_port) ?
		       bad_usage("--dst-port must be 1..65535") : 0;
	}
	return 1;
}

static int parse_args(int argc, char **argv, struct evs_steer_opts *o)
{
	static const struct option longopts[] = {
		{ "key",   required_argument, NULL, 'k' },
		{ "reta",  required_argument, NULL, 'r' },
		{ "equal", required_argument, NULL, 'e' },
		{ "flows", required_argument, NULL, 'f' },
		{ "seed",  required_argument, NULL, 's' },
		{ "zipf",  required_argument, NULL, 'z' },
		{ "ipv6",  no_argument,       NULL, '6' },
		{ "src-ip",   required_argument, NULL, 'S' },
		{ "dst-ip",   required_argument, NULL, 'D' },
		{ "src-ip6",  required_argument, NULL, 'T' },
		{ "dst-ip6",  required_argument, NULL, 'E' },
		{ "dst-port", required_argument, NULL, 'P' },
		{ "tuple", required_argument, NULL, 't' },
		{ "help",  no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	bool have_table = false;
	u32 i, n;
	int c;

	o->flows = 64;
	o->seed = 1;
	evs_frame_addrs_default(&o->addrs);
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (parse_addr_opt(c, optarg, &o->addrs) < 0)
			return -1;
		switch (c) {
		case 'k':
			if (parse_key(optarg, o->key))
				return bad_usage("--key needs %u bytes in hex",
						 EVS_HASH_KEY_SIZE);
			o->have_key = true;
			break;
		case 'r':
			if (have_table ||
			    parse_reta(optarg, o->reta, &o->reta_size))
				return bad_usage("one --reta of 2^n ring indices, up to %u",
						 EVS_RETA_MAX);
			have_table = true;
			break;
		case 'e':
			if (have_table ||
			    evs_parse_u32(optarg, 1, EVS_MAX_RINGS - 1, &n))
				return bad_usage("one --equal of 1..%u rings, or --reta",
						 EVS_MAX_RINGS - 1);
			o->reta_size = EVS_STEER_RETA_DEFAULT;
			for (i = 0; i < o->reta_size; i++)
				o->reta[i] = i % n;
			have_table = true;
			break;
		case 'f':
			if (evs_parse_u32(optarg, 1, EVS_OPT_FLOWS_MAX,
					  &o->flows))
				return bad_usage("--flows must be 1..%u",
						 EVS_OPT_FLOWS_MAX);
			break;
		case 's':
			if (evs_parse_u32(optarg, 0, UINT32_MAX, &o->seed))
				return bad_usage("--seed must be 0..%u",
						 UINT32_MAX);
			break;
		case 'z':
			if (evs_parse_skew(optarg, &o->skew))
				return bad_usage("--zipf must be 0..%g",
						 EVS_OPT_SKEW_MAX);
			break;
		case '6':
			o->ipv6 = true;
			break;
		case 't':
			if (add_tuple(o, optarg))
				return -1;
			break;
		case 'S': case 'D': case 'T': case 'E': case 'P':
			break;
		case 'h':
			fputs(evs_steer_help, stdout);
			exit(0);
		default:
			return bad_usage("unknown option");
		}
	}
	if (optind < argc || !o->have_key || !have_table)
		return bad_usage("need --key, and --reta or --equal");
	return 0;
}

/* Each given tuple's ring; the rings' shares count tuples. */
static void steer_tuples(const struct evs_steer_opts *o,
			 const struct evs_toeplitz *tz, u32 rings)
{
	u32 nflows[EVS_MAX_RINGS] = { 0 }, i, hash, ring;

	for (i = 0; i < o->num_tuples; i++) {
		hash = evs_toeplitz_hash(tz, o->tuples[i].b, o->tuples[i].len);
		ring = o->reta[hash & (o->reta_size - 1)];
		nflows[ring]++;
		printf("tuple=%u hash=0x%08x ring=%u\n", i, hash, ring);
	}
	for (i = 0; i < rings; i++)
		printf("ring=%u flows=%u share=%.6f\n", i, nflows[i],
		       (double)nflows[i] / o->num_tuples);
}

int main(int argc, char **argv)
{
	static struct evs_steer_opts o;
	static struct evs_toeplitz tz;
	double share[EVS_MAX_RINGS] = { 0 };
	u32 nflows[EVS_MAX_RINGS] = { 0 }, rings = 0, i, k;
	struct evs_generator g;
	struct evs_flow_tuple t;

	if (parse_args(argc, argv, &o))
		return 2;
	evs_toeplitz_init(&tz, o.key);
	for (i = 0; i < o.reta_size; i++)
		if (o.reta[i] + 1u > rings)
			rings = o.reta[i] + 1u;
	if (o.num_tuples) {
		steer_tuples(&o, &tz, rings);
		free(o.tuples);
		return 0;
	}
	/* the device's generator, so the flows and their weights are its own */
	if (evs_gen_init(&g, o.seed, o.ipv6, &o.addrs, NULL) ||
	    evs_gen_set_flows(&g, o.flows, o.skew)) {
		fprintf(stderr, "evsteer-steer: out of memory\n");
		return 1;
	}
	for (k = 0; k < g.num_flows; k++) {
		double p = g.cdf ? g.cdf[k] - (k ? g.cdf[k - 1] : 0) :
				   1.0 / g.num_flows;
		u32 hash, ring;

		evs_gen_flow_tuple(&g, k, &t);
		hash = evs_toeplitz_hash(&tz, t.b, t.len);
		ring = o.reta[hash & (o.reta_size - 1)];
		share[ring] += p;
		nflows[ring]++;
	}
	for (i = 0; i < rings; i++)
		printf("ring=%u flows=%u share=%.6f\n", i, nflows[i], share[i]);
	evs_gen_free(&g);
	return 0;
}
