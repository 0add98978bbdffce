// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the device's producer logic (include/evsteer/producer.h)
 * running in the kernel: the very code the userspace device runs, so the
 * driver and the device agree on layout (receive buffers and the MAC
 * included), steering, ring rules and where each frame's bytes go.
 */

#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/string.h>

#include <evsteer/producer.h>

#define EVS_T_RINGS	4	/* data rings; ring 4 is the admin ring */
#define EVS_T_TOTAL	(EVS_T_RINGS + 1)
#define EVS_T_RSIZE	16	/* entries per ring */
#define EVS_T_BUF	EVS_BUF_SIZE_MIN	/* bytes per receive buffer */

static const u8 evs_t_mac[EVS_ETH_ALEN] = EVS_DEFAULT_NIC_MAC;

/**
 * struct evs_fixture - a formatted shared memory and a steering copy
 * @shm:      the shared memory, kvzalloc'd
 * @shm_size: its size
 * @p:        the producer attached to @shm
 * @s:        a steering copy for evs_steer_load()
 */
struct evs_fixture {
	void *shm;
	u32 shm_size;
	struct evs_producer p;
	struct evs_steer *s;
};

static int evs_producer_test_init(struct kunit *test)
{
	struct evs_fixture *f;
	struct evs_layout l;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->s = kunit_kzalloc(test, sizeof(*f->s), GFP_KERNEL);
	if (!f->s)
		return -ENOMEM;
	if (evs_layout_compute(EVS_T_RINGS, EVS_T_RSIZE, EVS_T_BUF, &l))
		return -EINVAL;
	f->shm_size = l.total_size;
	f->shm = kvzalloc(f->shm_size, GFP_KERNEL);
	if (!f->shm)
		return -ENOMEM;
	test->priv = f;
	if (evs_shm_format(&f->p, f->shm, f->shm_size, EVS_T_RINGS,
			   EVS_T_RSIZE, EVS_T_BUF, evs_t_mac, EVS_MAP_PROC_CODE))
		return -EINVAL;
	return 0;
}

static void evs_producer_test_exit(struct kunit *test)
{
	struct evs_fixture *f = test->priv;

	if (f)
		kvfree(f->shm);
}

static struct evs_fixture *evs_fix(struct kunit *test)
{
	return test->priv;
}

/* ---- shared memory format ------------------------------------------- */

static void evs_test_format_header(struct kunit *test)
{
	struct evs_fixture *f = evs_fix(test);
	struct evs_header *hdr = f->shm;
	struct evs_layout l;

	KUNIT_ASSERT_EQ(test, evs_layout_compute(EVS_T_RINGS, EVS_T_RSIZE,
						 EVS_T_BUF, &l), 0);
	KUNIT_EXPECT_EQ(test, evs_rd32(&hdr->magic), EVS_MAGIC);
	KUNIT_EXPECT_EQ(test, evs_rd32(&hdr->abi_version), EVS_ABI_VERSION);
	KUNIT_EXPECT_EQ(test, evs_rd32(&hdr->header_size), EVS_HEADER_SIZE);
	KUNIT_EXPECT_EQ(test, evs_rd32(&hdr->shm_size), f->shm_size);
	KUNIT_EXPECT_EQ(test, evs_rd32(&hdr->num_rings), EVS_T_RINGS);
	KUNIT_EXPECT_EQ(test, evs_rd32(&hdr->num_vectors), EVS_T_TOTAL);
	KUNIT_EXPECT_EQ(test, evs_rd32(&hdr->ring_size), EVS_T_RSIZE);
	KUNIT_EXPECT_EQ(test, evs_rd32(&hdr->entry_size),
			sizeof(struct evs_entry));
	KUNIT_EXPECT_EQ(test, evs_rd32(&hdr->max_procs), EVS_MAX_PROCS);
	KUNIT_EXPECT_EQ(test, evs_rd32(&hdr->reta_max), EVS_RETA_MAX);
	KUNIT_EXPECT_EQ(test, evs_rd32(&hdr->config_off), l.config_off);
	KUNIT_EXPECT_EQ(test, evs_rd32(&hdr->stats_off), l.stats_off);
	KUNIT_EXPECT_EQ(test, evs_rd32(&hdr->ring_ctl_off), l.ring_ctl_off);
	KUNIT_EXPECT_EQ(test, evs_rd32(&hdr->entries_off), l.entries_off);
	KUNIT_EXPECT_EQ(test, evs_rd32(&hdr->bufs_off), l.bufs_off);
	KUNIT_EXPECT_EQ(test, evs_rd32(&hdr->buf_size), EVS_T_BUF);
	KUNIT_EXPECT_EQ(test, memcmp(hdr->mac, evs_t_mac, EVS_ETH_ALEN), 0);
	KUNIT_EXPECT_EQ(test, hdr->pad0[0] | hdr->pad0[1], 0);
	/* the device is not enabled and nothing is produced yet */
	KUNIT_EXPECT_EQ(test, evs_rd32(&hdr->status), 0);
	KUNIT_EXPECT_EQ(test, evs_rd32(&hdr->driver_ctrl), 0);
}

/* Every region is aligned, disjoint, in order and inside the memory. */
static void evs_test_format_layout(struct kunit *test)
{
	struct evs_fixture *f = evs_fix(test);
	struct evs_producer *p = &f->p;
	u8 *base = f->shm;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, p->total_rings, EVS_T_TOTAL);
	KUNIT_EXPECT_EQ(test, p->num_vectors, EVS_T_TOTAL);
	KUNIT_EXPECT_PTR_EQ(test, (u8 *)p->hdr, base);
	KUNIT_EXPECT_EQ(test, ((u8 *)p->cfg - base) % EVS_ALIGN, 0);
	KUNIT_EXPECT_GE(test, (u8 *)p->cfg - base, EVS_HEADER_SIZE);
	/* signed sizes: a region before its predecessor must fail */
	KUNIT_EXPECT_GE(test, (u8 *)p->stats - (u8 *)p->cfg,
			(long)sizeof(struct evs_config));
	KUNIT_EXPECT_EQ(test, ((u8 *)p->stats - base) % EVS_ALIGN, 0);
	KUNIT_EXPECT_GE(test, (u8 *)p->ring[0].ctl - (u8 *)p->stats,
			(long)sizeof(struct evs_stats));
	KUNIT_EXPECT_EQ(test, ((u8 *)p->ring[0].ctl - base) % EVS_ALIGN, 0);
	for (i = 0; i < p->total_rings; i++) {
		struct evs_ring_producer *rp = &p->ring[i];

		KUNIT_EXPECT_PTR_EQ(test, rp->ctl, p->ring[0].ctl + i);
		KUNIT_EXPECT_PTR_EQ(test, rp->entries,
				    p->ring[0].entries + i * EVS_T_RSIZE);
		KUNIT_EXPECT_PTR_EQ(test, rp->stats, &p->stats->ring[i]);
		/* entry j of ring i owns buffer i * ring_size + j */
		KUNIT_EXPECT_PTR_EQ(test, rp->bufs, p->ring[0].bufs +
				    (size_t)i * EVS_T_RSIZE * EVS_T_BUF);
		KUNIT_EXPECT_EQ(test, rp->buf_size, EVS_T_BUF);
		KUNIT_EXPECT_EQ(test, rp->size, EVS_T_RSIZE);
		KUNIT_EXPECT_EQ(test, rp->prod, 0);
		KUNIT_EXPECT_EQ(test, rp->seq, 0);
	}
	KUNIT_EXPECT_GE(test, (u8 *)p->ring[0].entries -
			(u8 *)(p->ring[EVS_T_RINGS].ctl + 1), 0);
	KUNIT_EXPECT_EQ(test, ((u8 *)p->ring[0].entries - base) % EVS_ALIGN, 0);
	/*
	 * The buffers come after the entries, aligned, and end the ABI 2.0
	 * part; the TX queues' buffers end the memory.
	 */
	KUNIT_EXPECT_GE(test, p->ring[0].bufs - (u8 *)(p->ring[EVS_T_RINGS].entries +
						       EVS_T_RSIZE), 0);
	KUNIT_EXPECT_EQ(test, (p->ring[0].bufs - base) % EVS_ALIGN, 0);
	KUNIT_EXPECT_EQ(test, p->ring[EVS_T_RINGS].bufs +
			EVS_T_RSIZE * EVS_T_BUF - base,
			evs_rd32(&p->hdr->tx_ctl_off));
	KUNIT_EXPECT_EQ(test, evs_rd32(&p->hdr->tx_bufs_off) + EVS_T_RINGS *
			evs_tx_ring_size(EVS_T_RSIZE) * EVS_T_BUF, f->shm_size);
}

static const u32 evs_modes[] = { EVS_MAP_PROC_CODE, EVS_MAP_PROC_RING };

static void evs_mode_desc(const u32 *mode, char *desc)
{
	strscpy(desc, *mode == EVS_MAP_PROC_RING ? "mode b proc-ring" :
		"mode a proc-code", KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_mode, evs_modes, evs_mode_desc);

/*
 * The format writes the default configuration in the mode asked for:
 * Microsoft's key (it gives the first verification vector's hash),
 * all rings in use, events without data on the admin ring.
 */
static void evs_test_format_default_config(struct kunit *test)
{
	static const u8 ms_vector[EVS_TUPLE_V4_PORTS] = {
		66, 9, 149, 187, 161, 142, 100, 80, 0x0a, 0xea, 0x06, 0xe6,
	};
	struct evs_fixture *f = evs_fix(test);
	const u32 *mode = test->param_value;
	struct evs_config *cfg;
	unsigned int i;

	memset(f->shm, 0, f->shm_size);
	KUNIT_ASSERT_EQ(test, evs_shm_format(&f->p, f->shm, f->shm_size,
					     EVS_T_RINGS, EVS_T_RSIZE, EVS_T_BUF,
					     evs_t_mac, *mode), 0);
	cfg = f->p.cfg;
	KUNIT_EXPECT_EQ(test, memcmp(cfg->hash_key, evs_default_key(),
				     EVS_HASH_KEY_SIZE), 0);
	KUNIT_EXPECT_EQ(test, evs_toeplitz_ref(cfg->hash_key, ms_vector,
					       sizeof(ms_vector)), 0x51ccc178);
	KUNIT_EXPECT_EQ(test, evs_rd16(&cfg->reta_size), 128);
	KUNIT_EXPECT_EQ(test, evs_rd16(&cfg->default_proc), 0);
	KUNIT_EXPECT_EQ(test, evs_rd32(&cfg->map_mode), *mode);
	for (i = 0; i < 128; i++)
		KUNIT_EXPECT_EQ(test, evs_rd16(&cfg->reta[i]), i % EVS_T_RINGS);
	for (i = 0; i < EVS_MAX_PROCS; i++) {
		const struct evs_mvmt_entry *pc = cfg->mvmt_pc[i];

		KUNIT_EXPECT_EQ(test, evs_rd16(&pc[EVS_EV_DATA].ring),
				i % EVS_T_RINGS);
		KUNIT_EXPECT_EQ(test, evs_rd16(&pc[EVS_EV_LINK].ring),
				EVS_T_RINGS);
		KUNIT_EXPECT_EQ(test, evs_rd16(&cfg->proc_ring[i]),
				i % EVS_T_RINGS);
	}
	for (i = 0; i < EVS_T_TOTAL; i++)
		KUNIT_EXPECT_EQ(test, evs_rd16(&cfg->ring_vector[i]), i);
}

/**
 * struct evs_geometry_case - a ring geometry and whether it is valid
 * @name:      what it tests
 * @num_rings: data rings
 * @ring_size: entries per ring
 * @buf_size:  bytes per receive buffer
 * @valid:     evs_layout_compute() accepts it
 */
struct evs_geometry_case {
	const char *name;
	u32 num_rings;
	u32 ring_size;
	u32 buf_size;
	bool valid;
};

static const struct evs_geometry_case evs_geometry_cases[] = {
	{ "no data ring", 0, 16, 2048, false },
	{ "one data ring", 1, 16, 2048, true },
	{ "63 data rings plus admin (max)", EVS_MAX_RINGS - 1, 16, 2048, true },
	{ "64 data rings plus admin", EVS_MAX_RINGS, 16, 2048, false },
	{ "ring size 0", 4, 0, 2048, false },
	{ "ring size 8 below minimum", 4, 8, 2048, false },
	{ "ring size 24 not a power of two", 4, 24, 2048, false },
	{ "ring size 65536 (max)", 4, EVS_RING_SIZE_MAX, 2048, true },
	{ "ring size 131072 above maximum", 4, 2 * EVS_RING_SIZE_MAX, 2048,
	  false },
	{ "buffer size 0", 4, 16, 0, false },
	{ "buffer size 1024 below minimum", 4, 16, 1024, false },
	{ "buffer size 3072 not a power of two", 4, 16, 3072, false },
	{ "buffer size 16384 (max)", 4, 16, EVS_BUF_SIZE_MAX, true },
	{ "buffer size 32768 above maximum", 4, 16, 2 * EVS_BUF_SIZE_MAX,
	  false },
	{ "7 rings of 65536 x 4096: 2 GiB of buffers", 7, EVS_RING_SIZE_MAX,
	  4096, false },
	{ "63 rings of 65536 x 16384: beyond 32 bits", EVS_MAX_RINGS - 1,
	  EVS_RING_SIZE_MAX, EVS_BUF_SIZE_MAX, false },
};

static void evs_geometry_desc(const struct evs_geometry_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_geometry, evs_geometry_cases, evs_geometry_desc);

static void evs_test_layout_geometry(struct kunit *test)
{
	const struct evs_geometry_case *c = test->param_value;
	struct evs_layout l;
	int ret;

	ret = evs_layout_compute(c->num_rings, c->ring_size, c->buf_size, &l);
	KUNIT_EXPECT_EQ(test, ret, c->valid ? 0 : -1);
	if (ret)
		return;
	KUNIT_EXPECT_EQ(test, l.entries_off % EVS_ALIGN, 0);
	KUNIT_EXPECT_EQ(test, l.bufs_off % EVS_ALIGN, 0);
	KUNIT_EXPECT_GE(test, l.bufs_off, l.entries_off + (c->num_rings + 1) *
			c->ring_size * sizeof(struct evs_entry));
	KUNIT_EXPECT_EQ(test, l.buf_size, c->buf_size);
	KUNIT_EXPECT_EQ(test, (u64)l.rx_end, l.bufs_off +
			(u64)(c->num_rings + 1) * c->ring_size * c->buf_size);
	/* the TX queues follow, aligned, at most 256 descriptors each */
	KUNIT_EXPECT_EQ(test, l.tx_ring_size, min(c->ring_size, 256U));
	KUNIT_EXPECT_EQ(test, l.tx_ctl_off % EVS_ALIGN, 0);
	KUNIT_EXPECT_GE(test, l.tx_ctl_off, l.rx_end);
	KUNIT_EXPECT_GE(test, l.tx_desc_off, l.tx_ctl_off + c->num_rings *
			sizeof(struct evs_tx_ctl));
	KUNIT_EXPECT_GE(test, l.tx_bufs_off, l.tx_desc_off + c->num_rings *
			l.tx_ring_size * sizeof(struct evs_tx_desc));
	KUNIT_EXPECT_EQ(test, (u64)l.total_size, l.tx_bufs_off +
			(u64)c->num_rings * l.tx_ring_size * c->buf_size);
}

/* A memory one byte short, or a bad geometry, is refused untouched. */
static void evs_test_format_rejects(struct kunit *test)
{
	struct evs_fixture *f = evs_fix(test);
	struct evs_producer *p;

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(f->shm, 0, f->shm_size);
	KUNIT_EXPECT_EQ(test, evs_shm_format(p, f->shm, f->shm_size - 1,
					     EVS_T_RINGS, EVS_T_RSIZE, EVS_T_BUF,
					     evs_t_mac, 0), -1);
	KUNIT_EXPECT_EQ(test, evs_shm_format(p, f->shm, f->shm_size,
					     EVS_T_RINGS, 24, EVS_T_BUF,
					     evs_t_mac, 0), -1);
	KUNIT_EXPECT_EQ(test, evs_shm_format(p, f->shm, f->shm_size,
					     0, EVS_T_RSIZE, EVS_T_BUF,
					     evs_t_mac, 0), -1);
	KUNIT_EXPECT_EQ(test, evs_shm_format(p, f->shm, f->shm_size,
					     EVS_T_RINGS, EVS_T_RSIZE, 3072,
					     evs_t_mac, 0), -1);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(f->shm, 0, f->shm_size), NULL);
	KUNIT_EXPECT_EQ(test, evs_shm_format(p, f->shm, f->shm_size,
					     EVS_T_RINGS, EVS_T_RSIZE, EVS_T_BUF,
					     evs_t_mac, 0), 0);
}

/* ---- configuration loading -------------------------------------------- */

/* Everything evs_steer_load() copies must match the configuration. */
static void evs_expect_steer_is(struct kunit *test, const struct evs_steer *s,
				const struct evs_config *cfg)
{
	u32 reta_size = evs_rd16(&cfg->reta_size);
	unsigned int i, c, bad = 0;

	KUNIT_EXPECT_EQ(test, memcmp(s->key, cfg->hash_key, EVS_HASH_KEY_SIZE),
			0);
	KUNIT_EXPECT_EQ(test, s->reta_size, reta_size);
	KUNIT_EXPECT_EQ(test, s->default_proc, evs_rd16(&cfg->default_proc));
	KUNIT_EXPECT_EQ(test, s->map_mode, evs_rd32(&cfg->map_mode));
	KUNIT_EXPECT_EQ(test, s->total_rings, EVS_T_TOTAL);
	KUNIT_EXPECT_EQ(test, s->num_vectors, EVS_T_TOTAL);
	for (i = 0; i < EVS_RETA_MAX; i++)
		bad += s->reta[i] !=
		       (i < reta_size ? evs_rd16(&cfg->reta[i]) : 0);
	for (i = 0; i < EVS_MAX_PROCS; i++) {
		for (c = 0; c < EVS_NUM_CODES; c++) {
			bad += s->pc_ring[i][c] !=
			       evs_rd16(&cfg->mvmt_pc[i][c].ring);
			bad += s->pc_vector[i][c] !=
			       evs_rd16(&cfg->mvmt_pc[i][c].vector);
		}
		bad += s->proc_ring[i] != evs_rd16(&cfg->proc_ring[i]);
	}
	for (i = 0; i < EVS_MAX_RINGS; i++)
		bad += s->ring_vector[i] != evs_rd16(&cfg->ring_vector[i]);
	KUNIT_EXPECT_EQ_MSG(test, bad, 0, "table cells differ from the config");
}

static void evs_test_load_default(struct kunit *test)
{
	struct evs_fixture *f = evs_fix(test);
	const u32 *mode = test->param_value;
	static const u8 tuple[EVS_TUPLE_V4_PORTS] = { 10, 1, 2, 3, 192, 168,
						      0, 1, 4, 0, 0, 80 };

	evs_config_default(f->p.cfg, EVS_T_RINGS, evs_default_key(), *mode);
	KUNIT_ASSERT_EQ(test, evs_steer_load(f->s, f->p.cfg, EVS_T_TOTAL,
					     EVS_T_TOTAL), EVS_CFG_OK);
	evs_expect_steer_is(test, f->s, f->p.cfg);
	/* the lookup table was built for the loaded key */
	KUNIT_EXPECT_EQ(test,
			evs_toeplitz_hash(&f->s->tz, tuple, sizeof(tuple)),
			evs_toeplitz_ref(evs_default_key(), tuple,
					 sizeof(tuple)));
}

enum evs_cfg_field {
	EVS_F_RETA_SIZE,
	EVS_F_DEFAULT_PROC,
	EVS_F_MAP_MODE,
	EVS_F_RETA,
	EVS_F_PC_RING,
	EVS_F_PC_VECTOR,
	EVS_F_PROC_RING,
	EVS_F_RING_VECTOR,
};

/**
 * struct evs_load_case - one field of the default config changed
 * @name:   what it tests
 * @mode:   mapping mode of the config
 * @field:  the field changed
 * @idx:    table index (processor, RETA slot or ring)
 * @code:   event code, for the mode (a) table
 * @val:    the new value
 * @status: what evs_steer_load() must answer
 */
struct evs_load_case {
	const char *name;
	u32 mode;
	enum evs_cfg_field field;
	u32 idx;
	u32 code;
	u32 val;
	int status;
};

static const struct evs_load_case evs_load_cases[] = {
	{ .name = "reta size 0",
	  .mode = EVS_MAP_PROC_CODE, .field = EVS_F_RETA_SIZE, .val = 0,
	  .status = EVS_CFG_BAD_RETA_SIZE },
	{ .name = "reta size 96 not a power of two",
	  .mode = EVS_MAP_PROC_CODE, .field = EVS_F_RETA_SIZE, .val = 96,
	  .status = EVS_CFG_BAD_RETA_SIZE },
	{ .name = "reta size 1024 above max",
	  .mode = EVS_MAP_PROC_CODE, .field = EVS_F_RETA_SIZE,
	  .val = 2 * EVS_RETA_MAX, .status = EVS_CFG_BAD_RETA_SIZE },
	{ .name = "reta size 1 accepted",
	  .mode = EVS_MAP_PROC_CODE, .field = EVS_F_RETA_SIZE, .val = 1,
	  .status = EVS_CFG_OK },
	{ .name = "reta size 512 (max) accepted",
	  .mode = EVS_MAP_PROC_RING, .field = EVS_F_RETA_SIZE,
	  .val = EVS_RETA_MAX, .status = EVS_CFG_OK },
	{ .name = "reta proc 64 rejected",
	  .mode = EVS_MAP_PROC_CODE, .field = EVS_F_RETA, .idx = 5,
	  .val = EVS_MAX_PROCS, .status = EVS_CFG_BAD_PROC },
	{ .name = "reta proc 63 accepted",
	  .mode = EVS_MAP_PROC_CODE, .field = EVS_F_RETA, .idx = 127,
	  .val = EVS_MAX_PROCS - 1, .status = EVS_CFG_OK },
	{ .name = "reta slot past reta size ignored",
	  .mode = EVS_MAP_PROC_CODE, .field = EVS_F_RETA, .idx = 200,
	  .val = 0xffff, .status = EVS_CFG_OK },
	{ .name = "default proc 64 rejected",
	  .mode = EVS_MAP_PROC_RING, .field = EVS_F_DEFAULT_PROC,
	  .val = EVS_MAX_PROCS, .status = EVS_CFG_BAD_PROC },
	{ .name = "default proc 63 accepted",
	  .mode = EVS_MAP_PROC_CODE, .field = EVS_F_DEFAULT_PROC,
	  .val = EVS_MAX_PROCS - 1, .status = EVS_CFG_OK },
	{ .name = "mode 2 rejected",
	  .mode = EVS_MAP_PROC_CODE, .field = EVS_F_MAP_MODE,
	  .val = EVS_NUM_MAP_MODES, .status = EVS_CFG_BAD_MODE },
	{ .name = "mode a: ring 5 of 5 rejected",
	  .mode = EVS_MAP_PROC_CODE, .field = EVS_F_PC_RING, .idx = 3,
	  .code = EVS_EV_DATA, .val = EVS_T_TOTAL, .status = EVS_CFG_BAD_RING },
	{ .name = "mode a: admin ring accepted",
	  .mode = EVS_MAP_PROC_CODE, .field = EVS_F_PC_RING, .idx = 63,
	  .code = EVS_EV_CONTROL, .val = EVS_T_RINGS, .status = EVS_CFG_OK },
	{ .name = "mode a: vector 5 of 5 rejected",
	  .mode = EVS_MAP_PROC_CODE, .field = EVS_F_PC_VECTOR, .idx = 63,
	  .code = EVS_EV_ERROR, .val = EVS_T_TOTAL,
	  .status = EVS_CFG_BAD_VECTOR },
	{ .name = "mode a: proc-ring table not checked",
	  .mode = EVS_MAP_PROC_CODE, .field = EVS_F_PROC_RING, .idx = 7,
	  .val = 0xffff, .status = EVS_CFG_OK },
	{ .name = "mode b: ring 5 of 5 rejected",
	  .mode = EVS_MAP_PROC_RING, .field = EVS_F_PROC_RING, .idx = 7,
	  .val = EVS_T_TOTAL, .status = EVS_CFG_BAD_RING },
	{ .name = "mode b: admin ring accepted",
	  .mode = EVS_MAP_PROC_RING, .field = EVS_F_PROC_RING, .idx = 63,
	  .val = EVS_T_RINGS, .status = EVS_CFG_OK },
	{ .name = "mode b: vector 5 of 5 rejected",
	  .mode = EVS_MAP_PROC_RING, .field = EVS_F_RING_VECTOR,
	  .idx = EVS_T_RINGS, .val = EVS_T_TOTAL,
	  .status = EVS_CFG_BAD_VECTOR },
	{ .name = "mode b: vector of a ring past the last ignored",
	  .mode = EVS_MAP_PROC_RING, .field = EVS_F_RING_VECTOR,
	  .idx = EVS_T_TOTAL, .val = 0xffff, .status = EVS_CFG_OK },
	{ .name = "mode b: proc-code table not checked",
	  .mode = EVS_MAP_PROC_RING, .field = EVS_F_PC_VECTOR, .idx = 3,
	  .code = EVS_EV_LINK, .val = 0xffff, .status = EVS_CFG_OK },
};

static void evs_load_desc(const struct evs_load_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_load, evs_load_cases, evs_load_desc);

static void evs_cfg_set(struct evs_config *cfg, const struct evs_load_case *c)
{
	switch (c->field) {
	case EVS_F_RETA_SIZE:
		evs_wr16(&cfg->reta_size, c->val);
		break;
	case EVS_F_DEFAULT_PROC:
		evs_wr16(&cfg->default_proc, c->val);
		break;
	case EVS_F_MAP_MODE:
		evs_wr32(&cfg->map_mode, c->val);
		break;
	case EVS_F_RETA:
		evs_wr16(&cfg->reta[c->idx], c->val);
		break;
	case EVS_F_PC_RING:
		evs_wr16(&cfg->mvmt_pc[c->idx][c->code].ring, c->val);
		break;
	case EVS_F_PC_VECTOR:
		evs_wr16(&cfg->mvmt_pc[c->idx][c->code].vector, c->val);
		break;
	case EVS_F_PROC_RING:
		evs_wr16(&cfg->proc_ring[c->idx], c->val);
		break;
	case EVS_F_RING_VECTOR:
		evs_wr16(&cfg->ring_vector[c->idx], c->val);
		break;
	}
}

/*
 * Load a good config, then the changed one: a bad one must be refused
 * with its status and leave the loaded copy exactly as it was; a good
 * one must replace it.
 */
static void evs_test_load_config(struct kunit *test)
{
	const struct evs_load_case *c = test->param_value;
	struct evs_fixture *f = evs_fix(test);
	struct evs_config *cfg = f->p.cfg;
	struct evs_steer *before;

	before = kunit_kmalloc(test, sizeof(*before), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	evs_config_default(cfg, EVS_T_RINGS, evs_default_key(), c->mode);
	KUNIT_ASSERT_EQ(test, evs_steer_load(f->s, cfg, EVS_T_TOTAL,
					     EVS_T_TOTAL), EVS_CFG_OK);
	memcpy(before, f->s, sizeof(*before));

	/* another key as well, so that any partial copy shows */
	memset(cfg->hash_key, 0x5a, EVS_HASH_KEY_SIZE);
	evs_cfg_set(cfg, c);
	KUNIT_EXPECT_EQ(test, evs_steer_load(f->s, cfg, EVS_T_TOTAL,
					     EVS_T_TOTAL), c->status);
	if (c->status == EVS_CFG_OK)
		evs_expect_steer_is(test, f->s, cfg);
	else
		KUNIT_EXPECT_EQ_MSG(test, memcmp(before, f->s, sizeof(*before)),
				    0, "a refused config changed the copy");
}

/* ---- steering ------------------------------------------------------- */

/*
 * A hand-made configuration (4 data rings, 5 vectors): RETA of 8 slots
 * {3, 1, 4, 1, 5, 9, 2, 6}, default processor 7, and a few cells set
 * away from the default layout so that each lookup step is visible.
 */
static const u16 evs_hand_reta[8] = { 3, 1, 4, 1, 5, 9, 2, 6 };

static void evs_hand_config(struct evs_config *cfg, u32 mode)
{
	unsigned int i;

	evs_config_default(cfg, EVS_T_RINGS, evs_default_key(), mode);
	evs_wr16(&cfg->reta_size, ARRAY_SIZE(evs_hand_reta));
	for (i = 0; i < ARRAY_SIZE(evs_hand_reta); i++)
		evs_wr16(&cfg->reta[i], evs_hand_reta[i]);
	evs_wr16(&cfg->default_proc, 7);
	/* mode (a) cells */
	evs_wr16(&cfg->mvmt_pc[9][EVS_EV_DATA].ring, 2);
	evs_wr16(&cfg->mvmt_pc[9][EVS_EV_DATA].vector, 3);
	evs_wr16(&cfg->mvmt_pc[9][EVS_EV_CONTROL].ring, 1);
	evs_wr16(&cfg->mvmt_pc[9][EVS_EV_CONTROL].vector, 0);
	evs_wr16(&cfg->mvmt_pc[7][EVS_EV_LINK].ring, 4);
	evs_wr16(&cfg->mvmt_pc[7][EVS_EV_LINK].vector, 4);
	evs_wr16(&cfg->mvmt_pc[7][EVS_EV_ERROR].ring, 3);
	evs_wr16(&cfg->mvmt_pc[7][EVS_EV_ERROR].vector, 2);
	/* mode (b) cells */
	evs_wr16(&cfg->proc_ring[9], 2);
	evs_wr16(&cfg->proc_ring[7], 4);
	evs_wr16(&cfg->ring_vector[2], 1);
	evs_wr16(&cfg->ring_vector[4], 3);
}

/**
 * struct evs_resolve_case - one event through the hand-made config
 * @name:   what it tests
 * @mode:   mapping mode
 * @code:   event code
 * @hash:   flow hash; only its low 3 bits index the 8-slot RETA
 * @proc:   expected processor
 * @ring:   expected ring
 * @vector: expected vector
 */
struct evs_resolve_case {
	const char *name;
	u32 mode;
	u32 code;
	u32 hash;
	u32 proc;
	u32 ring;
	u32 vector;
};

static const struct evs_resolve_case evs_resolve_cases[] = {
	{ .name = "a: data slot 5 -> proc 9 -> ring 2 vector 3",
	  .mode = EVS_MAP_PROC_CODE, .code = EVS_EV_DATA, .hash = 0xdeadbee5,
	  .proc = 9, .ring = 2, .vector = 3 },
	{ .name = "a: control slot 5 -> proc 9 -> ring 1 vector 0",
	  .mode = EVS_MAP_PROC_CODE, .code = EVS_EV_CONTROL, .hash = 0x0000000d,
	  .proc = 9, .ring = 1, .vector = 0 },
	{ .name = "a: data slot 2 -> proc 4 -> default ring 0",
	  .mode = EVS_MAP_PROC_CODE, .code = EVS_EV_DATA, .hash = 0xfffffffa,
	  .proc = 4, .ring = 0, .vector = 0 },
	{ .name = "a: data slot 6 -> proc 2 -> default ring 2",
	  .mode = EVS_MAP_PROC_CODE, .code = EVS_EV_DATA, .hash = 0x00000006,
	  .proc = 2, .ring = 2, .vector = 2 },
	{ .name = "a: link -> default proc 7 -> ring 4 vector 4",
	  .mode = EVS_MAP_PROC_CODE, .code = EVS_EV_LINK, .hash = 0xdeadbee5,
	  .proc = 7, .ring = 4, .vector = 4 },
	{ .name = "a: error -> default proc 7 -> ring 3 vector 2",
	  .mode = EVS_MAP_PROC_CODE, .code = EVS_EV_ERROR, .hash = 0x00000002,
	  .proc = 7, .ring = 3, .vector = 2 },
	{ .name = "b: data slot 5 -> proc 9 -> ring 2 -> vector 1",
	  .mode = EVS_MAP_PROC_RING, .code = EVS_EV_DATA, .hash = 0xdeadbee5,
	  .proc = 9, .ring = 2, .vector = 1 },
	{ .name = "b: control slot 5 -> same ring as data",
	  .mode = EVS_MAP_PROC_RING, .code = EVS_EV_CONTROL, .hash = 0x0000000d,
	  .proc = 9, .ring = 2, .vector = 1 },
	{ .name = "b: data slot 0 -> proc 3 -> ring 3 -> vector 3",
	  .mode = EVS_MAP_PROC_RING, .code = EVS_EV_DATA, .hash = 0x12345678,
	  .proc = 3, .ring = 3, .vector = 3 },
	{ .name = "b: link -> default proc 7 -> ring 4 -> vector 3",
	  .mode = EVS_MAP_PROC_RING, .code = EVS_EV_LINK, .hash = 0x00000001,
	  .proc = 7, .ring = 4, .vector = 3 },
	{ .name = "b: error -> default proc 7 -> ring 4 -> vector 3",
	  .mode = EVS_MAP_PROC_RING, .code = EVS_EV_ERROR, .hash = 0xffffffff,
	  .proc = 7, .ring = 4, .vector = 3 },
};

static void evs_resolve_desc(const struct evs_resolve_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_resolve, evs_resolve_cases, evs_resolve_desc);

static void evs_test_resolve(struct kunit *test)
{
	const struct evs_resolve_case *c = test->param_value;
	struct evs_fixture *f = evs_fix(test);
	struct evs_target t = { 0 };

	evs_hand_config(f->p.cfg, c->mode);
	KUNIT_ASSERT_EQ(test, evs_steer_load(f->s, f->p.cfg, EVS_T_TOTAL,
					     EVS_T_TOTAL), EVS_CFG_OK);
	evs_steer_resolve(f->s, c->code, c->hash, &t);
	KUNIT_EXPECT_EQ(test, t.proc, c->proc);
	KUNIT_EXPECT_EQ(test, t.ring, c->ring);
	KUNIT_EXPECT_EQ(test, t.vector, c->vector);
}

/**
 * struct evs_route_case - one event produced with the default config
 * @name:         what it tests
 * @mode:         mapping mode
 * @default_proc: processor for events without data
 * @code:         event code
 * @hash:         flow hash; RETA slot i (of 128) names processor i % 4
 * @proc:         expected processor
 * @ring:         ring the entry must land in
 */
struct evs_route_case {
	const char *name;
	u32 mode;
	u32 default_proc;
	u32 code;
	u32 hash;
	u32 proc;
	u32 ring;
};

static const struct evs_route_case evs_route_cases[] = {
	{ .name = "a: data slot 6 -> ring 2",
	  .mode = EVS_MAP_PROC_CODE, .default_proc = 0, .code = EVS_EV_DATA,
	  .hash = 0x86, .proc = 2, .ring = 2 },
	{ .name = "a: link -> default proc 0 -> admin ring",
	  .mode = EVS_MAP_PROC_CODE, .default_proc = 0, .code = EVS_EV_LINK,
	  .hash = 0x86, .proc = 0, .ring = EVS_T_RINGS },
	{ .name = "a: error -> default proc 3 -> admin ring",
	  .mode = EVS_MAP_PROC_CODE, .default_proc = 3, .code = EVS_EV_ERROR,
	  .hash = 0x01, .proc = 3, .ring = EVS_T_RINGS },
	{ .name = "b: link -> default proc 0 -> ring 0",
	  .mode = EVS_MAP_PROC_RING, .default_proc = 0, .code = EVS_EV_LINK,
	  .hash = 0x86, .proc = 0, .ring = 0 },
	{ .name = "b: error -> default proc 3 -> ring 3",
	  .mode = EVS_MAP_PROC_RING, .default_proc = 3, .code = EVS_EV_ERROR,
	  .hash = 0x02, .proc = 3, .ring = 3 },
	{ .name = "b: control slot 127 -> ring 3",
	  .mode = EVS_MAP_PROC_RING, .default_proc = 0, .code = EVS_EV_CONTROL,
	  .hash = 0x7f, .proc = 3, .ring = 3 },
};

static void evs_route_desc(const struct evs_route_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_route, evs_route_cases, evs_route_desc);

/* evs_produce() writes the entry into the steered ring, and counts it. */
static void evs_test_produce_route(struct kunit *test)
{
	const struct evs_route_case *c = test->param_value;
	struct evs_fixture *f = evs_fix(test);
	struct evs_producer *p = &f->p;
	struct evs_event ev = { .code = c->code, .hash = c->hash,
				.hash_type = EVS_HASH_IPV4_L4, .flow_id = 42 };
	bool nodata = !evs_code_has_data(c->code);
	struct evs_target t = { 0 };
	struct evs_entry *e;
	unsigned int i;

	evs_config_default(p->cfg, EVS_T_RINGS, evs_default_key(), c->mode);
	evs_wr16(&p->cfg->default_proc, c->default_proc);
	KUNIT_ASSERT_EQ(test, evs_steer_load(f->s, p->cfg, EVS_T_TOTAL,
					     EVS_T_TOTAL), EVS_CFG_OK);
	KUNIT_EXPECT_EQ(test, evs_produce(p, f->s, &ev, false, &t),
			EVS_PRODUCED);
	KUNIT_EXPECT_EQ(test, t.proc, c->proc);
	KUNIT_EXPECT_EQ(test, t.ring, c->ring);
	for (i = 0; i < EVS_T_TOTAL; i++)
		KUNIT_EXPECT_EQ(test, evs_rd32(&p->ring[i].ctl->prod),
				i == c->ring ? 1 : 0);
	e = &p->ring[c->ring].entries[0];
	KUNIT_EXPECT_EQ(test, evs_rd32(&e->hash), c->hash);
	KUNIT_EXPECT_EQ(test, e->hash_type, EVS_HASH_IPV4_L4);
	KUNIT_EXPECT_EQ(test, evs_rd16(&e->code), c->code);
	KUNIT_EXPECT_EQ(test, evs_rd16(&e->ring), c->ring);
	KUNIT_EXPECT_EQ(test, evs_rd64(&p->stats->events), 1);
	KUNIT_EXPECT_EQ(test, evs_rd64(&p->stats->produced), 1);
	KUNIT_EXPECT_EQ(test, evs_rd64(&p->stats->nodata), nodata ? 1 : 0);
}

/* ---- rings ------------------------------------------------------------ */

/* Start ring 0 at free-running index @start, empty, not armed. */
static struct evs_ring_producer *evs_ring_at(struct kunit *test, u32 start)
{
	struct evs_ring_producer *rp = &evs_fix(test)->p.ring[0];

	rp->prod = start;
	rp->seq = start;
	evs_wr32(&rp->ctl->prod, start);
	evs_wr32(&rp->ctl->cons, start);
	evs_wr32(&rp->ctl->armed, 0);
	return rp;
}

/* An event without a frame whose hash says @flow_id: it shows in the entry. */
static int evs_put(struct evs_ring_producer *rp, u32 flow_id)
{
	struct evs_event ev = { .code = EVS_EV_DATA, .flow_id = flow_id,
				.hash = flow_id };

	return evs_ring_produce(rp, &ev, 0, false);
}

static void evs_test_entry_fields(struct kunit *test)
{
	struct evs_ring_producer *rp = evs_ring_at(test, 0);
	struct evs_event ev = {
		.code = EVS_EV_LINK, .flags = EVS_EF_LINK_UP | EVS_EF_NODATA,
		.flow_id = 0x01020304, .hash = 0xa1b2c3d4,
		.hash_type = EVS_HASH_IPV6_L4, .len = 1500,
		.cost_ns = 777, .tstamp_ns = 0x1122334455667788ull,
	};
	struct evs_entry *e = &rp->entries[0];

	/* every byte of the entry is written, the reserved ones as zero */
	memset(e, 0xff, sizeof(*e));
	KUNIT_ASSERT_EQ(test, evs_ring_produce(rp, &ev, 3, false),
			EVS_PRODUCED);
	KUNIT_EXPECT_EQ(test, evs_rd32(&e->seq), 0);
	KUNIT_EXPECT_EQ(test, evs_rd16(&e->code), EVS_EV_LINK);
	KUNIT_EXPECT_EQ(test, evs_rd16(&e->flags),
			EVS_EF_LINK_UP | EVS_EF_NODATA);
	KUNIT_EXPECT_EQ(test, evs_rd32(&e->hash), 0xa1b2c3d4);
	KUNIT_EXPECT_EQ(test, e->hash_type, EVS_HASH_IPV6_L4);
	KUNIT_EXPECT_EQ(test, e->reserved[0] | e->reserved[1] | e->reserved[2],
			0);
	KUNIT_EXPECT_EQ(test, evs_rd16(&e->len), 1500);
	KUNIT_EXPECT_EQ(test, evs_rd16(&e->ring), 3);
	KUNIT_EXPECT_EQ(test, evs_rd32(&e->cost_ns), 777);
	KUNIT_EXPECT_EQ(test, evs_rd64(&e->tstamp_ns), 0x1122334455667788ull);
	KUNIT_EXPECT_EQ(test, evs_rd32(&rp->ctl->prod), 1);
	KUNIT_EXPECT_EQ(test, evs_rd64(&rp->stats->produced), 1);
}

/**
 * struct evs_frame_case - one frame length against the buffer size
 * @name: what it tests
 * @len:  bytes of the frame (and of its entry's len)
 * @code: event code
 */
struct evs_frame_case {
	const char *name;
	u32 len;
	u32 code;
};

static const struct evs_frame_case evs_frame_cases[] = {
	{ "a 64-byte frame", 64, EVS_EV_DATA },
	{ "a control frame of 1514 bytes", EVS_FRAME_MAX, EVS_EV_CONTROL },
	{ "a frame of exactly the buffer size", EVS_T_BUF, EVS_EV_DATA },
	{ "one byte over: cut, len kept", EVS_T_BUF + 1, EVS_EV_DATA },
	{ "a 64 KiB length: cut, len kept", 0xffff, EVS_EV_DATA },
};

static void evs_frame_desc(const struct evs_frame_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_frame, evs_frame_cases, evs_frame_desc);

/*
 * The frame goes into the buffer of the entry's slot, at most the
 * buffer size of it: the neighbouring buffers are untouched and the
 * entry keeps the length the device meant, for the driver to refuse.
 */
static void evs_test_entry_frame(struct kunit *test)
{
	const struct evs_frame_case *c = test->param_value;
	struct evs_ring_producer *rp = evs_ring_at(test, 5);
	u32 copied = min_t(u32, c->len, EVS_T_BUF);
	struct evs_event ev = { .code = c->code, .len = c->len };
	const u8 *buf = rp->bufs + 5 * EVS_T_BUF;
	u8 *frame;
	u32 i;

	frame = kunit_kmalloc(test, c->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, frame);
	for (i = 0; i < c->len; i++)
		frame[i] = (u8)(i * 7 + 1);
	ev.frame = frame;
	KUNIT_ASSERT_EQ(test, evs_ring_produce(rp, &ev, 0, false),
			EVS_PRODUCED);
	KUNIT_EXPECT_EQ(test, evs_rd16(&rp->entries[5].len), (u16)c->len);
	KUNIT_EXPECT_EQ(test, memcmp(buf, frame, copied), 0);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(buf + copied, 0,
					     EVS_T_BUF - copied), NULL);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(rp->bufs, 0, 5 * EVS_T_BUF), NULL);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(buf + EVS_T_BUF, 0,
					     (EVS_T_RSIZE - 6) * EVS_T_BUF),
			    NULL);
}

/* An event without data writes no buffer, and its entry says len 0. */
static void evs_test_entry_no_frame(struct kunit *test)
{
	struct evs_ring_producer *rp = evs_ring_at(test, 0);
	struct evs_event ev = { .code = EVS_EV_ERROR };

	KUNIT_ASSERT_EQ(test, evs_ring_produce(rp, &ev, 0, false),
			EVS_PRODUCED);
	KUNIT_EXPECT_EQ(test, evs_rd16(&rp->entries[0].len), 0);
	KUNIT_EXPECT_EQ(test, rp->entries[0].hash_type, EVS_HASH_NONE);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(rp->bufs, 0,
					     EVS_T_RSIZE * EVS_T_BUF), NULL);
}

static const u32 evs_ring_starts[] = {
	0, U32_MAX - 20, U32_MAX - EVS_T_RSIZE + 1, U32_MAX,
};

static void evs_ring_start_desc(const u32 *start, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "indices from %u", *start);
}

KUNIT_ARRAY_PARAM(evs_ring_start, evs_ring_starts, evs_ring_start_desc);

/*
 * Three laps of produce 10 / consume 10 from a start near 2^32: every
 * entry lands at index & (size - 1) with its own sequence number, and
 * the full check keeps working after the indices wrapped.
 */
static void evs_test_ring_wrap(struct kunit *test)
{
	u32 start = *(const u32 *)test->param_value;
	struct evs_ring_producer *rp = evs_ring_at(test, start);
	unsigned int lap, i, bad = 0;
	u32 n = 0;

	for (lap = 0; lap < 3; lap++) {
		for (i = 0; i < 10; i++)
			bad += evs_put(rp, n + i) != EVS_PRODUCED;
		bad += evs_rd32(&rp->ctl->prod) != start + n + 10;
		for (i = 0; i < 10; i++, n++) {
			struct evs_entry *e =
				&rp->entries[(start + n) & (EVS_T_RSIZE - 1)];

			bad += evs_rd32(&e->seq) != start + n;
			bad += evs_rd32(&e->hash) != n;
		}
		evs_wr32(&rp->ctl->cons, start + n);
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, evs_rd32(&rp->ctl->prod), start + 30);
	for (i = 0; i < EVS_T_RSIZE; i++)
		bad += evs_put(rp, 100 + i) != EVS_PRODUCED;
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, evs_put(rp, 200), EVS_DROPPED_FULL);
	KUNIT_EXPECT_EQ(test, evs_rd32(&rp->ctl->prod),
			start + 30 + EVS_T_RSIZE);
	KUNIT_EXPECT_EQ(test, evs_rd64(&rp->stats->produced), 30 + EVS_T_RSIZE);
	KUNIT_EXPECT_EQ(test, evs_rd64(&rp->stats->dropped), 1);
}

/*
 * A full ring drops the event and counts it; the dropped event's
 * sequence number is used anyway, so the consumer sees the gap.
 */
static void evs_test_ring_full(struct kunit *test)
{
	struct evs_producer *p = &evs_fix(test)->p;
	struct evs_ring_producer *rp = evs_ring_at(test, U32_MAX - 3);
	unsigned int i;

	for (i = 0; i < EVS_T_RSIZE; i++)
		KUNIT_ASSERT_EQ(test, evs_put(rp, i), EVS_PRODUCED);
	KUNIT_EXPECT_EQ(test, evs_put(rp, 99), EVS_DROPPED_FULL);
	KUNIT_EXPECT_EQ(test, evs_rd64(&rp->stats->dropped), 1);
	KUNIT_EXPECT_EQ(test, evs_rd64(&rp->stats->produced), EVS_T_RSIZE);
	KUNIT_EXPECT_EQ(test, evs_rd32(&rp->ctl->prod),
			U32_MAX - 3 + EVS_T_RSIZE);
	/* the oldest entry was not overwritten */
	KUNIT_EXPECT_EQ(test, evs_rd32(&rp->entries[(U32_MAX - 3) &
				       (EVS_T_RSIZE - 1)].hash), 0);

	evs_wr32(&rp->ctl->cons, U32_MAX - 3 + 1);
	KUNIT_EXPECT_EQ(test, evs_put(rp, 100), EVS_PRODUCED);
	i = (U32_MAX - 3 + EVS_T_RSIZE) & (EVS_T_RSIZE - 1);
	KUNIT_EXPECT_EQ(test, evs_rd32(&rp->entries[i].seq),
			U32_MAX - 3 + EVS_T_RSIZE + 1);
	KUNIT_EXPECT_EQ(test, evs_rd32(&rp->entries[i].hash), 100);
	/* device-wide counters are evs_produce()'s; untouched here */
	KUNIT_EXPECT_EQ(test, evs_rd64(&p->stats->dropped), 0);
}

/* evs_produce() counts a drop in the device-wide counters too. */
static void evs_test_produce_counts_drop(struct kunit *test)
{
	struct evs_fixture *f = evs_fix(test);
	struct evs_producer *p = &f->p;
	struct evs_event ev = { .code = EVS_EV_DATA, .hash = 0 };
	struct evs_target t;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, evs_steer_load(f->s, p->cfg, EVS_T_TOTAL,
					     EVS_T_TOTAL), EVS_CFG_OK);
	for (i = 0; i < EVS_T_RSIZE; i++)
		KUNIT_ASSERT_EQ(test, evs_produce(p, f->s, &ev, false, &t),
				EVS_PRODUCED);
	KUNIT_EXPECT_EQ(test, evs_produce(p, f->s, &ev, false, &t),
			EVS_DROPPED_FULL);
	KUNIT_EXPECT_EQ(test, evs_rd64(&p->stats->events), EVS_T_RSIZE + 1);
	KUNIT_EXPECT_EQ(test, evs_rd64(&p->stats->produced), EVS_T_RSIZE);
	KUNIT_EXPECT_EQ(test, evs_rd64(&p->stats->dropped), 1);
	KUNIT_EXPECT_EQ(test, evs_rd64(&p->stats->ring[t.ring].dropped), 1);
}

/**
 * struct evs_cons_case - a consumer index relative to the producer's
 * @name:   what it tests
 * @start:  free-running start index of the ring
 * @delta:  cons = prod + delta, after 3 entries were produced
 * @result: what producing one more event must return
 */
struct evs_cons_case {
	const char *name;
	u32 start;
	s32 delta;
	int result;
};

static const struct evs_cons_case evs_cons_cases[] = {
	{ "consumer caught up", 0, 0, EVS_PRODUCED },
	{ "consumer size behind: full", 0, -EVS_T_RSIZE, EVS_DROPPED_FULL },
	{ "consumer size+1 behind", 0, -EVS_T_RSIZE - 1, EVS_DROPPED_BAD_CONS },
	{ "consumer one ahead", 0, 1, EVS_DROPPED_BAD_CONS },
	{ "consumer half the space away", 0, S32_MIN, EVS_DROPPED_BAD_CONS },
	{ "consumer one ahead across 2^32", U32_MAX - 3, 1,
	  EVS_DROPPED_BAD_CONS },
	{ "consumer size behind across 2^32: full", U32_MAX - 1, -EVS_T_RSIZE,
	  EVS_DROPPED_FULL },
};

static void evs_cons_desc(const struct evs_cons_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_cons, evs_cons_cases, evs_cons_desc);

/*
 * A consumer index outside [prod - size, prod] is nonsense: the event
 * is dropped, counted as such, nothing is written, and the sequence
 * number is used so that the gap shows once the index is sane again.
 */
static void evs_test_ring_cons(struct kunit *test)
{
	const struct evs_cons_case *c = test->param_value;
	struct evs_ring_producer *rp = evs_ring_at(test, c->start);
	u32 prod = c->start + 3, idx = prod & (EVS_T_RSIZE - 1);
	bool dropped = c->result != EVS_PRODUCED;
	struct evs_entry slot;
	unsigned int i;

	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, evs_put(rp, i), EVS_PRODUCED);
	memcpy(&slot, &rp->entries[idx], sizeof(slot));
	evs_wr32(&rp->ctl->cons, prod + c->delta);
	KUNIT_EXPECT_EQ(test, evs_put(rp, 50), c->result);
	KUNIT_EXPECT_EQ(test, evs_rd32(&rp->ctl->prod), prod + !dropped);
	KUNIT_EXPECT_EQ(test, evs_rd64(&rp->stats->dropped), dropped ? 1 : 0);
	KUNIT_EXPECT_EQ(test, evs_rd64(&rp->stats->bad_cons),
			c->result == EVS_DROPPED_BAD_CONS ? 1 : 0);
	if (dropped) {
		KUNIT_EXPECT_EQ_MSG(test, memcmp(&slot, &rp->entries[idx],
						 sizeof(slot)), 0,
				    "a dropped event was written");
		evs_wr32(&rp->ctl->cons, prod);
		KUNIT_EXPECT_EQ(test, evs_put(rp, 51), EVS_PRODUCED);
	}
	/* the entry after the three has sequence start + 4 if one dropped */
	KUNIT_EXPECT_EQ(test, evs_rd32(&rp->entries[idx].seq),
			c->start + 3 + dropped);
}

/**
 * struct evs_armed_case - the interrupt-armed rule for one event
 * @name:         what it tests
 * @armed:        armed flag before the event
 * @ignore_armed: fault injection: signal regardless
 * @full:         the ring is full
 * @result:       expected evs_ring_produce() result
 * @armed_after:  armed flag after the event
 */
struct evs_armed_case {
	const char *name;
	u32 armed;
	bool ignore_armed;
	bool full;
	int result;
	u32 armed_after;
};

static const struct evs_armed_case evs_armed_cases[] = {
	{ "not armed: no signal", 0, false, false, EVS_PRODUCED, 0 },
	{ "armed: signal, flag cleared", 1, false, false,
	  EVS_PRODUCED_SIGNAL, 0 },
	{ "any nonzero flag arms", 0x80000000, false, false,
	  EVS_PRODUCED_SIGNAL, 0 },
	{ "ignore_armed signals unarmed ring", 0, true, false,
	  EVS_PRODUCED_SIGNAL, 0 },
	{ "full ring: no signal, stays armed", 1, false, true,
	  EVS_DROPPED_FULL, 1 },
};

static void evs_armed_desc(const struct evs_armed_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_armed, evs_armed_cases, evs_armed_desc);

static void evs_test_armed(struct kunit *test)
{
	const struct evs_armed_case *c = test->param_value;
	struct evs_ring_producer *rp = evs_ring_at(test, 0);
	struct evs_event ev = { .code = EVS_EV_DATA };
	bool signal = c->result == EVS_PRODUCED_SIGNAL;

	if (c->full)
		evs_wr32(&rp->ctl->cons, -EVS_T_RSIZE);
	evs_wr32(&rp->ctl->armed, c->armed);
	KUNIT_EXPECT_EQ(test, evs_ring_produce(rp, &ev, 0, c->ignore_armed),
			c->result);
	KUNIT_EXPECT_EQ(test, evs_rd32(&rp->ctl->armed), c->armed_after);
	KUNIT_EXPECT_EQ(test, evs_rd64(&rp->stats->signalled), signal ? 1 : 0);
}

/* One signal per arming: the next event waits for the driver to re-arm. */
static void evs_test_armed_once(struct kunit *test)
{
	struct evs_ring_producer *rp = evs_ring_at(test, 0);

	evs_wr32(&rp->ctl->armed, 1);
	KUNIT_EXPECT_EQ(test, evs_put(rp, 0), EVS_PRODUCED_SIGNAL);
	KUNIT_EXPECT_EQ(test, evs_put(rp, 1), EVS_PRODUCED);
	KUNIT_EXPECT_EQ(test, evs_put(rp, 2), EVS_PRODUCED);
	evs_wr32(&rp->ctl->armed, 1);
	KUNIT_EXPECT_EQ(test, evs_put(rp, 3), EVS_PRODUCED_SIGNAL);
	KUNIT_EXPECT_EQ(test, evs_rd64(&rp->stats->signalled), 2);
	KUNIT_EXPECT_EQ(test, evs_rd64(&rp->stats->produced), 4);
}

static struct kunit_case evs_producer_cases[] = {
	KUNIT_CASE(evs_test_format_header),
	KUNIT_CASE(evs_test_format_layout),
	KUNIT_CASE_PARAM(evs_test_format_default_config, evs_mode_gen_params),
	KUNIT_CASE(evs_test_format_rejects),
	KUNIT_CASE_PARAM(evs_test_layout_geometry, evs_geometry_gen_params),
	KUNIT_CASE_PARAM(evs_test_load_default, evs_mode_gen_params),
	KUNIT_CASE_PARAM(evs_test_load_config, evs_load_gen_params),
	KUNIT_CASE_PARAM(evs_test_resolve, evs_resolve_gen_params),
	KUNIT_CASE_PARAM(evs_test_produce_route, evs_route_gen_params),
	KUNIT_CASE(evs_test_entry_fields),
	KUNIT_CASE_PARAM(evs_test_entry_frame, evs_frame_gen_params),
	KUNIT_CASE(evs_test_entry_no_frame),
	KUNIT_CASE_PARAM(evs_test_ring_wrap, evs_ring_start_gen_params),
	KUNIT_CASE(evs_test_ring_full),
	KUNIT_CASE(evs_test_produce_counts_drop),
	KUNIT_CASE_PARAM(evs_test_ring_cons, evs_cons_gen_params),
	KUNIT_CASE_PARAM(evs_test_armed, evs_armed_gen_params),
	KUNIT_CASE(evs_test_armed_once),
	{}
};

static struct kunit_suite evs_producer_suite = {
	.name = "evsteer_producer",
	.init = evs_producer_test_init,
	.exit = evs_producer_test_exit,
	.test_cases = evs_producer_cases,
};

kunit_test_suite(evs_producer_suite);

MODULE_DESCRIPTION("KUnit tests of the evsteer device producer logic");
MODULE_LICENSE("GPL");
