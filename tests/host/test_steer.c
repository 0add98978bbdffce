// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Steering host tests: RETA and MVMT resolution in both mapping modes,
 * the default processor, and validation of driver-written tables.
 */
#include <stdlib.h>

#include <evsteer/producer.h>
#include "tap.h"

#define RINGS	4		/* data rings; ring 4 is the admin ring */
#define TOTAL	(RINGS + 1)

static struct evs_config cfg;
static struct evs_steer steer;

static int load(void)
{
	return evs_steer_load(&steer, &cfg, TOTAL, TOTAL);
}

/* Mode (a): every (processor, code) cell gets its own ring and vector. */
static void test_mode_proc_code(void)
{
	struct evs_target t;
	unsigned int p, c, bad = 0;

	evs_config_default(&cfg, RINGS, evs_default_key(), EVS_MAP_PROC_CODE);
	evs_wr16(&cfg.reta_size, 8);
	for (p = 0; p < 8; p++)
		evs_wr16(&cfg.reta[p], 7 - p);		/* entry i -> proc 7-i */
	for (p = 0; p < EVS_MAX_PROCS; p++) {
		for (c = 0; c < EVS_NUM_CODES; c++) {
			evs_wr16(&cfg.mvmt_pc[p][c].ring, (p + c) % TOTAL);
			evs_wr16(&cfg.mvmt_pc[p][c].vector, (p * 3 + c) % TOTAL);
		}
	}
	tap_eq(load(), EVS_CFG_OK, "mode (a) config loads");
	for (p = 0; p < 64; p++) {
		u32 hash = 0xabcd0000 | p;	/* low 3 bits index the RETA */
		u32 proc = 7 - (p & 7);

		evs_steer_resolve(&steer, EVS_EV_DATA, hash, &t);
		if (t.proc != proc || t.ring != proc % TOTAL ||
		    t.vector != (proc * 3) % TOTAL)
			bad++;
		evs_steer_resolve(&steer, EVS_EV_CONTROL, hash, &t);
		if (t.proc != proc || t.ring != (proc + 3) % TOTAL ||
		    t.vector != (proc * 3 + 3) % TOTAL)
			bad++;
	}
	tap_eq(bad, 0, "mode (a): hash -> RETA -> (proc, code) -> ring, vector");
}

/* Mode (b): the processor picks the ring, the ring picks the vector. */
static void test_mode_proc_ring(void)
{
	struct evs_target t;
	unsigned int p, bad = 0;

	evs_config_default(&cfg, RINGS, evs_default_key(), EVS_MAP_PROC_RING);
	evs_wr16(&cfg.reta_size, 4);
	for (p = 0; p < 4; p++)
		evs_wr16(&cfg.reta[p], p + 10);
	for (p = 0; p < EVS_MAX_PROCS; p++)
		evs_wr16(&cfg.proc_ring[p], (p * 7) % RINGS);
	for (p = 0; p < TOTAL; p++)
		evs_wr16(&cfg.ring_vector[p], TOTAL - 1 - p);
	/* mode (a) cells must not matter in mode (b) */
	memset(cfg.mvmt_pc, 0, sizeof(cfg.mvmt_pc));
	tap_eq(load(), EVS_CFG_OK, "mode (b) config loads");
	for (p = 0; p < 64; p++) {
		u32 proc = (p & 3) + 10, ring = (proc * 7) % RINGS;

		evs_steer_resolve(&steer, EVS_EV_DATA, p << 8 | p, &t);
		if (t.proc != proc || t.ring != ring ||
		    t.vector != TOTAL - 1 - ring)
			bad++;
	}
	tap_eq(bad, 0, "mode (b): hash -> RETA -> proc -> ring -> vector");
}

/* Events without data ignore the hash and go to the default processor. */
static void test_default_processor(void)
{
	static const u32 modes[] = { EVS_MAP_PROC_CODE, EVS_MAP_PROC_RING };
	static const u32 codes[] = { EVS_EV_LINK, EVS_EV_ERROR };
	struct evs_target t;
	unsigned int m, c, h, bad = 0;

	for (m = 0; m < 2; m++) {
		evs_config_default(&cfg, RINGS, evs_default_key(), modes[m]);
		evs_wr16(&cfg.default_proc, 3);
		evs_wr16(&cfg.proc_ring[3], RINGS);	/* admin ring */
		tap_eq(load(), EVS_CFG_OK, "default-processor config %u", m);
		for (c = 0; c < 2; c++) {
			for (h = 0; h < 1000; h++) {
				evs_steer_resolve(&steer, codes[c],
						  evs_mix32(h), &t);
				if (t.proc != 3 || t.ring != RINGS ||
				    t.vector != RINGS)
					bad++;
			}
		}
	}
	tap_eq(bad, 0, "link and error events go to the default processor's admin ring in both modes");
}

/* The default configuration spreads data over every data ring. */
static void test_default_config_spreads(void)
{
	unsigned int counts[TOTAL] = { 0 }, f, r, empty = 0;
	struct evs_flow_tuple tup;
	struct evs_target t;

	evs_config_default(&cfg, RINGS, evs_default_key(), EVS_MAP_PROC_CODE);
	tap_eq(load(), EVS_CFG_OK, "default config loads");
	for (f = 0; f < 4096; f++) {
		evs_flow_tuple_make(f, 1, f & 1, &tup);
		evs_steer_resolve(&steer, EVS_EV_DATA,
				  evs_toeplitz_hash(&steer.tz, tup.b, tup.len),
				  &t);
		counts[t.ring]++;
	}
	for (r = 0; r < RINGS; r++)
		if (counts[r] < 4096 / RINGS / 2)
			empty++;
	tap_diag("rings: %u %u %u %u admin %u", counts[0], counts[1],
		 counts[2], counts[3], counts[4]);
	tap_ok(!empty && !counts[RINGS],
	       "default config: 4096 flows over every data ring, none to admin");
}

/* Configured addresses spread too: only the tuple's bytes matter. */
static void test_spread_configured_addresses(void)
{
	static const u8 src[4] = { 10, 1, 2, 0 }, dst[4] = { 10, 9, 9, 9 };
	unsigned int counts[TOTAL] = { 0 }, f, r, uneven = 0;
	struct evs_frame_addrs a;
	struct evs_flow_tuple tup;
	struct evs_target t;

	evs_frame_addrs_default(&a);
	memcpy(a.src_ip4, src, 4);
	memcpy(a.dst_ip4, dst, 4);
	a.dst_port = 4789;
	evs_config_default(&cfg, RINGS, evs_default_key(), EVS_MAP_PROC_CODE);
	load();
	for (f = 0; f < 1024; f++) {
		evs_flow_tuple_make_at(&a, f, 3, f & 1, &tup);
		evs_steer_resolve(&steer, EVS_EV_CONTROL,
				  evs_toeplitz_hash(&steer.tz, tup.b, tup.len),
				  &t);
		counts[t.ring]++;
	}
	for (r = 0; r < RINGS; r++)
		uneven += counts[r] < 1024 / RINGS * 3 / 4 ||
			  counts[r] > 1024 / RINGS * 5 / 4;
	tap_diag("rings: %u %u %u %u admin %u", counts[0], counts[1],
		 counts[2], counts[3], counts[4]);
	tap_ok(!uneven && !counts[RINGS],
	       "10.1.2.x -> 10.9.9.9:4789: 1024 control-class flows within 25%% per ring");
}

struct bad_config {
	const char *what;
	void (*spoil)(struct evs_config *c);
	int status;
};

static void reta_size_zero(struct evs_config *c) { evs_wr16(&c->reta_size, 0); }
static void reta_size_odd(struct evs_config *c) { evs_wr16(&c->reta_size, 96); }
static void reta_size_big(struct evs_config *c) { evs_wr16(&c->reta_size, 1024); }
static void reta_proc(struct evs_config *c) { evs_wr16(&c->reta[5], EVS_MAX_PROCS); }
static void default_proc(struct evs_config *c) { evs_wr16(&c->default_proc, 999); }
static void pc_ring(struct evs_config *c) { evs_wr16(&c->mvmt_pc[9][1].ring, TOTAL); }
static void pc_vector(struct evs_config *c) { evs_wr16(&c->mvmt_pc[63][3].vector, 0xffff); }
static void bad_mode(struct evs_config *c) { evs_wr32(&c->map_mode, 2); }

static void pr_ring(struct evs_config *c)
{
	evs_wr32(&c->map_mode, EVS_MAP_PROC_RING);
	evs_wr16(&c->proc_ring[40], TOTAL);
}

static void pr_vector(struct evs_config *c)
{
	evs_wr32(&c->map_mode, EVS_MAP_PROC_RING);
	evs_wr16(&c->ring_vector[RINGS], TOTAL);
}

static const struct bad_config bad_configs[] = {
	{ "RETA size 0", reta_size_zero, EVS_CFG_BAD_RETA_SIZE },
	{ "RETA size 96 (not a power of two)", reta_size_odd, EVS_CFG_BAD_RETA_SIZE },
	{ "RETA size 1024 (> 512)", reta_size_big, EVS_CFG_BAD_RETA_SIZE },
	{ "RETA processor id 64", reta_proc, EVS_CFG_BAD_PROC },
	{ "default processor 999", default_proc, EVS_CFG_BAD_PROC },
	{ "mode (a) ring out of range", pc_ring, EVS_CFG_BAD_RING },
	{ "mode (a) vector out of range", pc_vector, EVS_CFG_BAD_VECTOR },
	{ "mapping mode 2", bad_mode, EVS_CFG_BAD_MODE },
	{ "mode (b) ring out of range", pr_ring, EVS_CFG_BAD_RING },
	{ "mode (b) vector out of range", pr_vector, EVS_CFG_BAD_VECTOR },
};

/* A rejected table leaves the loaded copy exactly as it was. */
static void test_rejections(void)
{
	struct evs_steer *before = malloc(sizeof(*before));
	unsigned int i;

	evs_config_default(&cfg, RINGS, evs_default_key(), EVS_MAP_PROC_CODE);
	load();
	memcpy(before, &steer, sizeof(steer));
	for (i = 0; i < sizeof(bad_configs) / sizeof(bad_configs[0]); i++) {
		const struct bad_config *b = &bad_configs[i];

		evs_config_default(&cfg, RINGS, evs_default_key(),
				   EVS_MAP_PROC_CODE);
		b->spoil(&cfg);
		tap_eq(load(), b->status, "rejects %s", b->what);
		tap_ok(!memcmp(before, &steer, sizeof(steer)),
		       "%s leaves the loaded steering unchanged", b->what);
	}
	free(before);
}

int main(void)
{
	test_mode_proc_code();
	test_mode_proc_ring();
	test_default_processor();
	test_default_config_spreads();
	test_spread_configured_addresses();
	test_rejections();
	return tap_done();
}
