// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the shared Toeplitz hash (include/evsteer/toeplitz.h):
 * both implementations against Microsoft's RSS verification suite, and
 * the table-driven one against the bitwise reference on random input.
 *
 * The vectors are those of Microsoft's "Verifying the RSS Hash
 * Calculation" page (also in Intel's 82599 datasheet, 7.1.2.8.3, and
 * DPDK's app/test/test_thash.c), with the suite's key.  The input is
 * source address, destination address, source port, destination port,
 * big-endian.
 */

#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/prandom.h>

#include <evsteer/toeplitz.h>

/**
 * struct evs_rss_vector - one line of the verification suite
 * @src:        source address (4 or 16 bytes used)
 * @dst:        destination address
 * @sport:      source port
 * @dport:      destination port
 * @ipv6:       the addresses are IPv6
 * @hash_addrs: expected hash of the addresses only
 * @hash_ports: expected hash of addresses and ports
 */
struct evs_rss_vector {
	u8 src[16];
	u8 dst[16];
	u16 sport;
	u16 dport;
	bool ipv6;
	u32 hash_addrs;
	u32 hash_ports;
};

static const u8 evs_ms_key[EVS_HASH_KEY_SIZE] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

static const struct evs_rss_vector evs_rss_vectors[] = {
	{ .src = { 66, 9, 149, 187 }, .dst = { 161, 142, 100, 80 },
	  .sport = 2794, .dport = 1766,
	  .hash_addrs = 0x323e8fc2, .hash_ports = 0x51ccc178 },
	{ .src = { 199, 92, 111, 2 }, .dst = { 65, 69, 140, 83 },
	  .sport = 14230, .dport = 4739,
	  .hash_addrs = 0xd718262a, .hash_ports = 0xc626b0ea },
	{ .src = { 24, 19, 198, 95 }, .dst = { 12, 22, 207, 184 },
	  .sport = 12898, .dport = 38024,
	  .hash_addrs = 0xd2d0a5de, .hash_ports = 0x5c2b394a },
	{ .src = { 38, 27, 205, 30 }, .dst = { 209, 142, 163, 6 },
	  .sport = 48228, .dport = 2217,
	  .hash_addrs = 0x82989176, .hash_ports = 0xafc7327f },
	{ .src = { 153, 39, 163, 191 }, .dst = { 202, 188, 127, 2 },
	  .sport = 44251, .dport = 1303,
	  .hash_addrs = 0x5d1809c5, .hash_ports = 0x10e828a2 },
	/* 3ffe:2501:200:1fff::7 -> 3ffe:2501:200:3::1 */
	{ .src = { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x1f, 0xff,
		   0, 0, 0, 0, 0, 0, 0, 0x07 },
	  .dst = { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x00, 0x03,
		   0, 0, 0, 0, 0, 0, 0, 0x01 },
	  .sport = 2794, .dport = 1766, .ipv6 = true,
	  .hash_addrs = 0x2cc18cd5, .hash_ports = 0x40207d3d },
	/* 3ffe:501:8::260:97ff:fe40:efab -> ff02::1 */
	{ .src = { 0x3f, 0xfe, 0x05, 0x01, 0x00, 0x08, 0x00, 0x00,
		   0x02, 0x60, 0x97, 0xff, 0xfe, 0x40, 0xef, 0xab },
	  .dst = { 0xff, 0x02, 0, 0, 0, 0, 0, 0,
		   0, 0, 0, 0, 0, 0, 0, 0x01 },
	  .sport = 14230, .dport = 4739, .ipv6 = true,
	  .hash_addrs = 0x0f0c461c, .hash_ports = 0xdde51bbf },
	/* 3ffe:1900:4545:3:200:f8ff:fe21:67cf -> fe80::200:f8ff:fe21:67cf */
	{ .src = { 0x3f, 0xfe, 0x19, 0x00, 0x45, 0x45, 0x00, 0x03,
		   0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21, 0x67, 0xcf },
	  .dst = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0,
		   0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21, 0x67, 0xcf },
	  .sport = 44251, .dport = 38024, .ipv6 = true,
	  .hash_addrs = 0x4b61e985, .hash_ports = 0x02d1feef },
};

static void evs_rss_vector_desc(const struct evs_rss_vector *v, char *desc)
{
	if (v->ipv6)
		snprintf(desc, KUNIT_PARAM_DESC_SIZE, "[%pI6c]:%u > [%pI6c]:%u",
			 v->src, v->sport, v->dst, v->dport);
	else
		snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%pI4:%u > %pI4:%u",
			 v->src, v->sport, v->dst, v->dport);
}

KUNIT_ARRAY_PARAM(evs_rss_vector, evs_rss_vectors, evs_rss_vector_desc);

/* Lay the tuple out as the device hashes it; returns its length. */
static unsigned int evs_rss_tuple(const struct evs_rss_vector *v,
				  bool ports, u8 *buf)
{
	unsigned int alen = v->ipv6 ? 16 : 4;

	memcpy(buf, v->src, alen);
	memcpy(buf + alen, v->dst, alen);
	if (!ports)
		return 2 * alen;
	buf[2 * alen] = v->sport >> 8;
	buf[2 * alen + 1] = v->sport & 0xff;
	buf[2 * alen + 2] = v->dport >> 8;
	buf[2 * alen + 3] = v->dport & 0xff;
	return 2 * alen + 4;
}

/* Hash a vector with the reference or the table-driven version. */
static u32 evs_rss_vector_hash(struct kunit *test, bool table, bool ports)
{
	const struct evs_rss_vector *v = test->param_value;
	u8 buf[EVS_TOEPLITZ_MAX_INPUT];
	unsigned int len = evs_rss_tuple(v, ports, buf);
	struct evs_toeplitz *tz;

	KUNIT_ASSERT_EQ(test, len, ports ?
			(v->ipv6 ? EVS_TUPLE_V6_PORTS : EVS_TUPLE_V4_PORTS) :
			(v->ipv6 ? EVS_TUPLE_V6 : EVS_TUPLE_V4));
	if (!table)
		return evs_toeplitz_ref(evs_ms_key, buf, len);
	tz = kunit_kzalloc(test, sizeof(*tz), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tz);
	evs_toeplitz_init(tz, evs_ms_key);
	return evs_toeplitz_hash(tz, buf, len);
}

static void evs_test_ref_addrs(struct kunit *test)
{
	const struct evs_rss_vector *v = test->param_value;

	KUNIT_EXPECT_EQ(test, evs_rss_vector_hash(test, false, false),
			v->hash_addrs);
}

static void evs_test_ref_ports(struct kunit *test)
{
	const struct evs_rss_vector *v = test->param_value;

	KUNIT_EXPECT_EQ(test, evs_rss_vector_hash(test, false, true),
			v->hash_ports);
}

static void evs_test_table_addrs(struct kunit *test)
{
	const struct evs_rss_vector *v = test->param_value;

	KUNIT_EXPECT_EQ(test, evs_rss_vector_hash(test, true, false),
			v->hash_addrs);
}

static void evs_test_table_ports(struct kunit *test)
{
	const struct evs_rss_vector *v = test->param_value;

	KUNIT_EXPECT_EQ(test, evs_rss_vector_hash(test, true, true),
			v->hash_ports);
}

/**
 * struct evs_random_case - random keys and tuples of one input length
 * @name: what the length stands for
 * @len:  input length in bytes
 * @seed: PRNG seed, fixed so that a failure reproduces
 */
struct evs_random_case {
	const char *name;
	unsigned int len;
	u64 seed;
};

static const struct evs_random_case evs_random_cases[] = {
	{ "1 byte", 1, 1 },
	{ "ipv4 addresses", EVS_TUPLE_V4, 2 },
	{ "ipv4 with ports", EVS_TUPLE_V4_PORTS, 3 },
	{ "13 bytes", 13, 4 },
	{ "ipv6 addresses", EVS_TUPLE_V6, 5 },
	{ "ipv6 with ports (longest)", EVS_TUPLE_V6_PORTS, 6 },
};

static void evs_random_case_desc(const struct evs_random_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_random, evs_random_cases, evs_random_case_desc);

#define EVS_RANDOM_KEYS		16
#define EVS_RANDOM_TUPLES	64

static void evs_random_bytes(struct rnd_state *rnd, u8 *buf, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		buf[i] = prandom_u32_state(rnd);
}

static void evs_test_random_agree(struct kunit *test)
{
	const struct evs_random_case *c = test->param_value;
	u8 key[EVS_HASH_KEY_SIZE], buf[EVS_TOEPLITZ_MAX_INPUT];
	unsigned int k, n, mismatches = 0;
	struct evs_toeplitz *tz;
	struct rnd_state rnd;

	tz = kunit_kzalloc(test, sizeof(*tz), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tz);
	prandom_seed_state(&rnd, c->seed);
	for (k = 0; k < EVS_RANDOM_KEYS; k++) {
		evs_random_bytes(&rnd, key, sizeof(key));
		evs_toeplitz_init(tz, key);
		for (n = 0; n < EVS_RANDOM_TUPLES; n++) {
			u32 ref, hash;

			evs_random_bytes(&rnd, buf, c->len);
			ref = evs_toeplitz_ref(key, buf, c->len);
			hash = evs_toeplitz_hash(tz, buf, c->len);
			/* report the first mismatch only */
			if (ref != hash && !mismatches++)
				KUNIT_FAIL(test,
					   "key %u tuple %u: ref %08x table %08x",
					   k, n, ref, hash);
		}
	}
	KUNIT_EXPECT_EQ(test, mismatches, 0);
}

static struct kunit_case evs_toeplitz_cases[] = {
	KUNIT_CASE_PARAM(evs_test_ref_addrs, evs_rss_vector_gen_params),
	KUNIT_CASE_PARAM(evs_test_ref_ports, evs_rss_vector_gen_params),
	KUNIT_CASE_PARAM(evs_test_table_addrs, evs_rss_vector_gen_params),
	KUNIT_CASE_PARAM(evs_test_table_ports, evs_rss_vector_gen_params),
	KUNIT_CASE_PARAM(evs_test_random_agree, evs_random_gen_params),
	{}
};

static struct kunit_suite evs_toeplitz_suite = {
	.name = "evsteer_toeplitz",
	.test_cases = evs_toeplitz_cases,
};

kunit_test_suite(evs_toeplitz_suite);

MODULE_DESCRIPTION("KUnit tests of the evsteer Toeplitz hash");
MODULE_LICENSE("GPL");
