// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Toeplitz host tests: both implementations against Microsoft's RSS
 * verification vectors (also over the tuple read back from a frame
 * built for the vector, so frames carry their tuple in RSS byte
 * order), and against each other on random keys and tuples.
 */
#include <arpa/inet.h>
#include <stdlib.h>

#include <evsteer/toeplitz.h>
#include <evsteer/producer.h>
#include "rng.h"
#include "tap.h"

struct ms_vector {
	int family;
	const char *src, *dst;
	u16 sport, dport;
	u32 hash_addr;		/* addresses only */
	u32 hash_ports;		/* addresses and ports */
};

/* Microsoft, "Verifying the RSS Hash Calculation". */
static const struct ms_vector ms_vectors[] = {
	{ AF_INET, "66.9.149.187", "161.142.100.80", 2794, 1766,
	  0x323e8fc2, 0x51ccc178 },
	{ AF_INET, "199.92.111.2", "65.69.140.83", 14230, 4739,
	  0xd718262a, 0xc626b0ea },
	{ AF_INET, "24.19.198.95", "12.22.207.184", 12898, 38024,
	  0xd2d0a5de, 0x5c2b394a },
	{ AF_INET, "38.27.205.30", "209.142.163.6", 48228, 2217,
	  0x82989176, 0xafc7327f },
	{ AF_INET, "153.39.163.191", "202.188.127.2", 44251, 1303,
	  0x5d1809c5, 0x10e828a2 },
	{ AF_INET6, "3ffe:2501:200:1fff::7", "3ffe:2501:200:3::1", 2794, 1766,
	  0x2cc18cd5, 0x40207d3d },
	{ AF_INET6, "3ffe:501:8::260:97ff:fe40:efab", "ff02::1", 14230, 4739,
	  0x0f0c461c, 0xdde51bbf },
	{ AF_INET6, "3ffe:1900:4545:3:200:f8ff:fe21:67cf",
	  "fe80::200:f8ff:fe21:67cf", 44251, 38024,
	  0x4b61e985, 0x02d1feef },
};

/* Build the hashed input: source, destination, source port, dest port. */
static unsigned int ms_tuple(const struct ms_vector *v, u8 *buf)
{
	unsigned int alen = v->family == AF_INET ? 4 : 16;

	inet_pton(v->family, v->src, buf);
	inet_pton(v->family, v->dst, buf + alen);
	buf[2 * alen] = v->sport >> 8;
	buf[2 * alen + 1] = v->sport;
	buf[2 * alen + 2] = v->dport >> 8;
	buf[2 * alen + 3] = v->dport;
	return 2 * alen;
}

static void test_ms_vectors(const struct evs_toeplitz *tz)
{
	const u8 *key = evs_default_key();
	unsigned int i;

	for (i = 0; i < sizeof(ms_vectors) / sizeof(ms_vectors[0]); i++) {
		const struct ms_vector *v = &ms_vectors[i];
		const char *fam = v->family == AF_INET ? "IPv4" : "IPv6";
		u8 buf[EVS_TOEPLITZ_MAX_INPUT];
		unsigned int alen = ms_tuple(v, buf);

		tap_eq(evs_toeplitz_ref(key, buf, alen), v->hash_addr,
		       "bitwise %s %s -> %s", fam, v->src, v->dst);
		tap_eq(evs_toeplitz_hash(tz, buf, alen), v->hash_addr,
		       "table %s %s -> %s", fam, v->src, v->dst);
		tap_eq(evs_toeplitz_ref(key, buf, alen + 4), v->hash_ports,
		       "bitwise %s %s:%u -> %s:%u", fam, v->src, v->sport,
		       v->dst, v->dport);
		tap_eq(evs_toeplitz_hash(tz, buf, alen + 4), v->hash_ports,
		       "table %s %s:%u -> %s:%u", fam, v->src, v->sport,
		       v->dst, v->dport);
	}
}

/* A frame of the vector's tuple hashes, read back, to the vector's hash. */
static void test_ms_frames(const struct evs_toeplitz *tz)
{
	struct evs_frame_addrs a;
	unsigned int i, bad = 0;
	static u8 frame[EVS_FRAME_MAX];

	evs_frame_addrs_default(&a);
	for (i = 0; i < sizeof(ms_vectors) / sizeof(ms_vectors[0]); i++) {
		const struct ms_vector *v = &ms_vectors[i];
		struct evs_flow_tuple t = { .len = 0 };
		struct evs_frame_info info;
		bool v6 = v->family == AF_INET6;

		t.len = ms_tuple(v, t.b) + 4;
		if (!evs_frame_build(frame, evs_frame_min_len(v6) + i, &a, &t,
				     i, 0, 0) ||
		    evs_frame_check(frame, evs_frame_min_len(v6) + i, &info) ||
		    evs_toeplitz_hash(tz, info.tuple.b, info.tuple.len) !=
		    v->hash_ports ||
		    evs_toeplitz_hash(tz, info.tuple.b, info.tuple.len - 4) !=
		    v->hash_addr)
			bad++;
	}
	tap_eq(bad, 0,
	       "frames built for the 8 vectors: their read-back tuples hash to the vectors' L4 and L3 hashes");
}

static struct test_rng rng = { 0x9e3779b97f4a7c15ull };

#define RANDOM_KEYS		4096
#define TUPLES_PER_KEY		256

static void test_random_agreement(struct evs_toeplitz *tz)
{
	static const unsigned int lens[] = {
		EVS_TUPLE_V4, EVS_TUPLE_V4_PORTS,
		EVS_TUPLE_V6, EVS_TUPLE_V6_PORTS,
	};
	unsigned long tuples = 0, mismatches = 0;
	unsigned int k, n, i;
	u8 key[EVS_HASH_KEY_SIZE], buf[EVS_TOEPLITZ_MAX_INPUT];

	for (k = 0; k < RANDOM_KEYS; k++) {
		for (i = 0; i < EVS_HASH_KEY_SIZE; i++)
			key[i] = test_rng32(&rng);
		evs_toeplitz_init(tz, key);
		for (n = 0; n < TUPLES_PER_KEY; n++) {
			unsigned int len = lens[n % 4];
			u32 ref;

			for (i = 0; i < len; i++)
				buf[i] = test_rng32(&rng);
			ref = evs_toeplitz_ref(key, buf, len);
			if (evs_toeplitz_hash(tz, buf, len) != ref ||
			    evs_toeplitz_setbits(key, buf, len) != ref)
				mismatches++;
			tuples++;
		}
	}
	tap_diag("%lu tuples over %u random keys, %lu mismatches", tuples,
		 RANDOM_KEYS, mismatches);
	tap_ok(tuples >= 1000000 && mismatches == 0,
	       "table and set-bit match bitwise on %lu random tuples and keys",
	       tuples);
}

/* Flipping any one input bit must change the hash by that bit's window. */
static void test_linearity(struct evs_toeplitz *tz)
{
	const u8 *key = evs_default_key();
	u8 buf[EVS_TOEPLITZ_MAX_INPUT] = { 0 };
	unsigned int bit, bad = 0;

	evs_toeplitz_init(tz, key);
	for (bit = 0; bit < EVS_TOEPLITZ_MAX_INPUT * 8; bit++) {
		buf[bit / 8] = 0x80 >> (bit % 8);
		if (evs_toeplitz_hash(tz, buf, sizeof(buf)) !=
		    evs_toeplitz_window(key, bit))
			bad++;
		buf[bit / 8] = 0;
	}
	tap_eq(bad, 0, "a single input bit hashes to its key window");
	tap_eq(evs_toeplitz_hash(tz, buf, sizeof(buf)), 0,
	       "all-zero input hashes to 0");
}

int main(void)
{
	struct evs_toeplitz *tz = malloc(sizeof(*tz));

	if (!tz)
		return 1;
	evs_toeplitz_init(tz, evs_default_key());
	test_ms_vectors(tz);
	test_ms_frames(tz);
	test_linearity(tz);
	test_random_agreement(tz);
	free(tz);
	return tap_done();
}
