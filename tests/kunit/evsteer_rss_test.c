// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the driver's RSS mapping, drivers/evsteer/rss_map.c,
 * compiled into this test: ring <-> processor translation, the limit
 * on active rings, table and ring-count changes, and the device
 * configuration it builds, resolved by the device's own steering code
 * (evs_steer_load() and evs_steer_resolve() of include/evsteer/
 * producer.h) in both mapping modes.
 */

#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include <evsteer/producer.h>

#include "rss_map.c"

/*
 * The standard layout: 4 data rings on CPUs 5, 9, 2 and 40 (ring i's
 * processor id is its CPU), the admin ring (ring 4, vector 4) on CPU 5.
 */
#define EVS_T_RINGS	4
#define EVS_T_TOTAL	(EVS_T_RINGS + 1)
#define EVS_T_ADMIN_CPU	5

static const unsigned int evs_t_cpus[EVS_T_RINGS] = { 5, 9, 2, 40 };

/**
 * struct evs_rss_fixture - a state in the standard layout, and room for
 * the configuration it builds and the device's steering copy of it
 * @rss:   state, set up with evs_default_key()
 * @cfg:   configuration built from @rss
 * @steer: what evs_steer_load() makes of @cfg
 */
struct evs_rss_fixture {
	struct evs_rss rss;
	struct evs_config cfg;
	struct evs_steer steer;
};

static int evs_rss_test_init(struct kunit *test)
{
	struct evs_rss_fixture *f;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	if (evs_rss_map_setup(&f->rss, EVS_T_RINGS, evs_t_cpus,
			      EVS_T_ADMIN_CPU, 8) != EVS_T_RINGS)
		return -EINVAL;
	memcpy(f->rss.key, evs_default_key(), EVS_HASH_KEY_SIZE);
	test->priv = f;
	return 0;
}

static struct evs_rss_fixture *evs_fix(struct kunit *test)
{
	return test->priv;
}

/* Build the configuration, switch it to @mode, load it as the device does. */
static int evs_t_load(struct kunit *test, u32 mode)
{
	struct evs_rss_fixture *f = evs_fix(test);

	evs_rss_build_config(&f->rss, &f->cfg);
	evs_wr32(&f->cfg.map_mode, mode);
	return evs_steer_load(&f->steer, &f->cfg, EVS_T_TOTAL, EVS_T_TOTAL);
}

static const char *evs_t_mode_name(u32 mode)
{
	return mode == EVS_MAP_PROC_RING ? "b" : "a";
}

static const u32 evs_modes[] = { EVS_MAP_PROC_CODE, EVS_MAP_PROC_RING };

static void evs_mode_desc(const u32 *mode, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "mode %s",
		 *mode == EVS_MAP_PROC_RING ? "b proc-ring" : "a proc-code");
}

KUNIT_ARRAY_PARAM(evs_mode, evs_modes, evs_mode_desc);

/* ---- ring <-> processor ---------------------------------------------- */

/**
 * struct evs_setup_case - where a device's vectors landed
 * @name:         what it tests
 * @num_rings:    data rings
 * @cpu:          CPU of each data ring's vector
 * @admin_cpu:    CPU of the admin vector
 * @online:       CPUs online
 * @max_rings:    rings that can be active
 * @default_proc: processor id of events without data
 */
struct evs_setup_case {
	const char *name;
	u32 num_rings;
	unsigned int cpu[8];
	unsigned int admin_cpu;
	unsigned int online;
	u32 max_rings;
	u32 default_proc;
};

static const struct evs_setup_case evs_setup_cases[] = {
	{ .name = "4 rings on CPUs 0-3", .num_rings = 4,
	  .cpu = { 0, 1, 2, 3 }, .admin_cpu = 0, .online = 4,
	  .max_rings = 4, .default_proc = 0 },
	{ .name = "sparse CPUs 5 9 2 40", .num_rings = 4,
	  .cpu = { 5, 9, 2, 40 }, .admin_cpu = 5, .online = 8,
	  .max_rings = 4, .default_proc = 5 },
	{ .name = "6 rings on 4 CPUs: 4 active", .num_rings = 6,
	  .cpu = { 0, 1, 2, 3, 0, 1 }, .admin_cpu = 0, .online = 4,
	  .max_rings = 4, .default_proc = 0 },
	{ .name = "online CPUs cap the rings", .num_rings = 4,
	  .cpu = { 0, 1, 2, 3 }, .admin_cpu = 0, .online = 2,
	  .max_rings = 2, .default_proc = 0 },
	{ .name = "shared CPU stops at ring 2", .num_rings = 4,
	  .cpu = { 0, 1, 1, 2 }, .admin_cpu = 0, .online = 4,
	  .max_rings = 2, .default_proc = 0 },
	{ .name = "CPU 64 stops at ring 2", .num_rings = 4,
	  .cpu = { 0, 1, 64, 3 }, .admin_cpu = 0, .online = 128,
	  .max_rings = 2, .default_proc = 0 },
	{ .name = "CPU 63 is the last processor id", .num_rings = 2,
	  .cpu = { 63, 62 }, .admin_cpu = 63, .online = 64,
	  .max_rings = 2, .default_proc = 63 },
	{ .name = "admin CPU 70: ring 0's CPU is default", .num_rings = 2,
	  .cpu = { 3, 4 }, .admin_cpu = 70, .online = 80,
	  .max_rings = 2, .default_proc = 3 },
	{ .name = "ring 0 on CPU 64: no ring usable", .num_rings = 2,
	  .cpu = { 64, 1 }, .admin_cpu = 64, .online = 80,
	  .max_rings = 0, .default_proc = 0 },
};

static void evs_setup_desc(const struct evs_setup_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_setup, evs_setup_cases, evs_setup_desc);

/* Setup finds how many rings can be active, activates all, spreads. */
static void evs_rss_test_setup(struct kunit *test)
{
	const struct evs_setup_case *c = test->param_value;
	struct evs_rss *rss = &evs_fix(test)->rss;
	unsigned int i, bad = 0;

	KUNIT_EXPECT_EQ(test, evs_rss_map_setup(rss, c->num_rings, c->cpu,
						c->admin_cpu, c->online),
			c->max_rings);
	KUNIT_EXPECT_EQ(test, rss->num_rings, c->num_rings);
	KUNIT_EXPECT_EQ(test, rss->max_rings, c->max_rings);
	KUNIT_EXPECT_EQ(test, rss->active_rings, c->max_rings);
	KUNIT_EXPECT_EQ(test, rss->default_proc, c->default_proc);
	if (!c->max_rings)
		return;
	for (i = 0; i < EVS_RSS_RETA_SIZE; i++)
		bad += rss->reta[i] != i % c->max_rings;
	KUNIT_EXPECT_EQ_MSG(test, bad, 0, "RETA is not the default spread");
}

/* Every active ring and its processor translate into each other. */
static void evs_rss_test_translate(struct kunit *test)
{
	const struct evs_setup_case *c = test->param_value;
	struct evs_rss *rss = &evs_fix(test)->rss;
	unsigned int r, owned = 0;
	u32 proc;

	if (!evs_rss_map_setup(rss, c->num_rings, c->cpu, c->admin_cpu,
			       c->online)) {
		/* nothing is active: nothing translates */
		KUNIT_EXPECT_EQ(test, evs_rss_ring_to_proc(rss, 0), -EINVAL);
		KUNIT_EXPECT_EQ(test, evs_rss_proc_to_ring(rss, c->cpu[0]),
				-ENOENT);
		return;
	}
	for (r = 0; r < rss->active_rings; r++) {
		KUNIT_EXPECT_EQ(test, evs_rss_ring_to_proc(rss, r), c->cpu[r]);
		KUNIT_EXPECT_EQ(test, evs_rss_proc_to_ring(rss, c->cpu[r]), r);
	}
	KUNIT_EXPECT_EQ(test, evs_rss_ring_to_proc(rss, rss->active_rings),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, evs_rss_ring_to_proc(rss, U32_MAX), -EINVAL);
	for (proc = 0; proc < EVS_MAX_PROCS + 2; proc++) {
		int ring = evs_rss_proc_to_ring(rss, proc);

		if (ring >= 0) {
			owned++;
			KUNIT_EXPECT_EQ(test, evs_rss_ring_to_proc(rss, ring),
					proc);
		} else {
			KUNIT_EXPECT_EQ(test, ring, -ENOENT);
		}
	}
	KUNIT_EXPECT_EQ(test, owned, rss->active_rings);
}

/* A ring made inactive no longer translates, nor does its processor. */
static void evs_rss_test_translate_inactive(struct kunit *test)
{
	struct evs_rss *rss = &evs_fix(test)->rss;

	KUNIT_ASSERT_EQ(test, evs_rss_resize(rss, 2, false), 0);
	KUNIT_EXPECT_EQ(test, evs_rss_ring_to_proc(rss, 1), evs_t_cpus[1]);
	KUNIT_EXPECT_EQ(test, evs_rss_proc_to_ring(rss, evs_t_cpus[1]), 1);
	KUNIT_EXPECT_EQ(test, evs_rss_ring_to_proc(rss, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, evs_rss_ring_to_proc(rss, 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, evs_rss_proc_to_ring(rss, evs_t_cpus[2]),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, evs_rss_proc_to_ring(rss, evs_t_cpus[3]),
			-ENOENT);
}

/* ---- indirection tables ---------------------------------------------- */

static const u32 evs_spread_rings[] = { 1, 2, 3, 4, 63 };

static void evs_spread_desc(const u32 *rings, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "over %u rings", *rings);
}

KUNIT_ARRAY_PARAM(evs_spread, evs_spread_rings, evs_spread_desc);

/* The default table is ethtool's, and as even as its entries allow. */
static void evs_rss_test_default_indir(struct kunit *test)
{
	u32 rings = *(const u32 *)test->param_value;
	u32 *indir, per_ring[64] = { 0 };
	unsigned int i, bad = 0;

	indir = kunit_kcalloc(test, EVS_RSS_RETA_SIZE, sizeof(*indir),
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, indir);
	evs_rss_fill_indir(indir, EVS_RSS_RETA_SIZE, rings);
	for (i = 0; i < EVS_RSS_RETA_SIZE; i++) {
		bad += indir[i] != ethtool_rxfh_indir_default(i, rings);
		if (indir[i] < ARRAY_SIZE(per_ring))
			per_ring[indir[i]]++;
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, evs_rss_check_indir(indir, EVS_RSS_RETA_SIZE,
						  rings), 0);
	for (i = 0; i < rings; i++) {
		KUNIT_EXPECT_GE(test, per_ring[i], EVS_RSS_RETA_SIZE / rings);
		KUNIT_EXPECT_LE(test, per_ring[i],
				DIV_ROUND_UP(EVS_RSS_RETA_SIZE, rings));
	}
}

/*
 * The busiest ring's share of the default table over its mean share,
 * in thousandths, when flows spread evenly over the entries.
 */
static u32 evs_t_skew_milli(struct kunit *test, u32 size, u32 rings)
{
	u32 *indir, per_ring[EVS_MAX_RINGS] = { 0 }, top = 0;
	unsigned int i;

	indir = kunit_kcalloc(test, size, sizeof(*indir), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, indir);
	evs_rss_fill_indir(indir, size, rings);
	for (i = 0; i < size; i++)
		per_ring[indir[i]]++;
	for (i = 0; i < rings; i++)
		top = max(top, per_ring[i]);
	return top * rings * 1000 / size;
}

/*
 * All of the ABI's EVS_RETA_MAX entries: over 63 rings (the most the
 * ABI has beside the admin ring) the busiest ring has 9 entries for a
 * mean of 512 / 63 = 8.13, max/mean 1.107, where a 128-entry table
 * gives 3 for 2.03, 1.477; and no ring count from 1 to 63 is worse.
 */
static void evs_rss_test_reta_skew(struct kunit *test)
{
	u32 rings, worst = 0, worst_rings = 0;

	KUNIT_EXPECT_EQ(test, EVS_RSS_RETA_SIZE, EVS_RETA_MAX);
	KUNIT_EXPECT_EQ(test, evs_t_skew_milli(test, EVS_RSS_RETA_SIZE, 63),
			1107);
	KUNIT_EXPECT_EQ(test, evs_t_skew_milli(test, 128, 63), 1476);
	for (rings = 1; rings <= EVS_MAX_RINGS - 1; rings++) {
		u32 skew = evs_t_skew_milli(test, EVS_RSS_RETA_SIZE, rings);

		if (skew > worst) {
			worst = skew;
			worst_rings = rings;
		}
	}
	KUNIT_EXPECT_LE(test, worst, 1107);
	kunit_info(test, "default table of %u entries: max/mean %u.%03u at worst (%u rings); 128 entries: 1.476 at 63 rings\n",
		   EVS_RSS_RETA_SIZE, worst / 1000, worst % 1000, worst_rings);
}

/**
 * struct evs_indir_case - one entry of the default table changed
 * @name:   what it tests
 * @active: active rings when the table is set
 * @slot:   entry changed
 * @value:  its new ring
 * @err:    what evs_rss_apply_table() must answer
 */
struct evs_indir_case {
	const char *name;
	u32 active;
	u32 slot;
	u32 value;
	int err;
};

static const struct evs_indir_case evs_indir_cases[] = {
	{ "ring 3 of 4 accepted", 4, 0, 3, 0 },
	{ "ring 4 of 4 refused", 4, 0, 4, -EINVAL },
	{ "ring 4 of 4 in the last entry refused", 4, EVS_RSS_RETA_SIZE - 1, 4,
	  -EINVAL },
	{ "ring U32_MAX refused", 4, 64, U32_MAX, -EINVAL },
	{ "ring 1 of 2 accepted", 2, 5, 1, 0 },
	{ "ring 2 of 2 active refused", 2, 5, 2, -EINVAL },
	{ "ring 3 of 2 active refused", 2, 100, 3, -EINVAL },
};

static void evs_indir_desc(const struct evs_indir_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_indir, evs_indir_cases, evs_indir_desc);

/*
 * A table with an entry that is not an active ring is refused, and
 * nothing changes, not even the key that came with it; a good one is
 * taken with its key.
 */
static void evs_rss_test_apply_table(struct kunit *test)
{
	const struct evs_indir_case *c = test->param_value;
	struct evs_rss *rss = &evs_fix(test)->rss;
	u8 key[EVS_HASH_KEY_SIZE];
	struct evs_rss *before;
	u32 *indir;

	before = kunit_kmalloc(test, sizeof(*before), GFP_KERNEL);
	indir = kunit_kcalloc(test, EVS_RSS_RETA_SIZE, sizeof(*indir),
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	KUNIT_ASSERT_NOT_NULL(test, indir);
	KUNIT_ASSERT_EQ(test, evs_rss_resize(rss, c->active, false), 0);
	memcpy(before, rss, sizeof(*before));
	evs_rss_fill_indir(indir, EVS_RSS_RETA_SIZE, c->active);
	indir[c->slot] = c->value;
	memset(key, 0xa5, sizeof(key));

	KUNIT_EXPECT_EQ(test, evs_rss_check_indir(indir, EVS_RSS_RETA_SIZE,
						  c->active), c->err);
	KUNIT_EXPECT_EQ(test, evs_rss_apply_table(rss, indir, key), c->err);
	if (c->err) {
		KUNIT_EXPECT_EQ_MSG(test, memcmp(before, rss, sizeof(*rss)), 0,
				    "a refused table changed the state");
		return;
	}
	KUNIT_EXPECT_EQ(test, memcmp(rss->reta, indir, sizeof(rss->reta)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(rss->key, key, sizeof(key)), 0);
	KUNIT_EXPECT_EQ(test, rss->active_rings, c->active);
}

/* A key alone leaves the table; neither leaves everything. */
static void evs_rss_test_apply_key_only(struct kunit *test)
{
	struct evs_rss *rss = &evs_fix(test)->rss;
	u8 key[EVS_HASH_KEY_SIZE];
	struct evs_rss *before;

	before = kunit_kmalloc(test, sizeof(*before), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	memcpy(before, rss, sizeof(*before));
	KUNIT_EXPECT_EQ(test, evs_rss_apply_table(rss, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, memcmp(before, rss, sizeof(*rss)), 0);

	memset(key, 0x3c, sizeof(key));
	KUNIT_EXPECT_EQ(test, evs_rss_apply_table(rss, NULL, key), 0);
	KUNIT_EXPECT_EQ(test, memcmp(rss->key, key, sizeof(key)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(rss->reta, before->reta,
				     sizeof(rss->reta)), 0);
}

/**
 * struct evs_resize_case - a change of the active ring count
 * @name:        what it tests
 * @table_rings: the table before spreads over rings 0 .. this - 1
 * @custom:      the user set that table
 * @rings:       new count
 * @err:         what evs_rss_resize() must answer
 */
struct evs_resize_case {
	const char *name;
	u32 table_rings;
	bool custom;
	u32 rings;
	int err;
};

static const struct evs_resize_case evs_resize_cases[] = {
	{ "default table spread over 2", 4, false, 2, 0 },
	{ "default table spread over 1", 4, false, 1, 0 },
	{ "0 rings refused", 4, false, 0, -EINVAL },
	{ "5 rings of 4 refused", 4, false, 5, -EINVAL },
	{ "custom table on rings 0-1 kept at 2", 2, true, 2, 0 },
	{ "custom table on ring 3 refused at 2", 4, true, 2, -EINVAL },
	{ "custom table on ring 1 refused at 1", 2, true, 1, -EINVAL },
	{ "custom table kept when growing to 4", 1, true, 4, 0 },
};

static void evs_resize_desc(const struct evs_resize_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_resize, evs_resize_cases, evs_resize_desc);

static void evs_rss_test_resize(struct kunit *test)
{
	const struct evs_resize_case *c = test->param_value;
	struct evs_rss *rss = &evs_fix(test)->rss;
	struct evs_rss *before;
	unsigned int i, bad = 0;

	before = kunit_kmalloc(test, sizeof(*before), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	evs_rss_fill_indir(rss->reta, EVS_RSS_RETA_SIZE, c->table_rings);
	memcpy(before, rss, sizeof(*before));

	KUNIT_EXPECT_EQ(test, evs_rss_resize(rss, c->rings, c->custom),
			c->err);
	if (c->err) {
		KUNIT_EXPECT_EQ_MSG(test, memcmp(before, rss, sizeof(*rss)), 0,
				    "a refused count changed the state");
		return;
	}
	KUNIT_EXPECT_EQ(test, rss->active_rings, c->rings);
	KUNIT_EXPECT_EQ(test, rss->max_rings, before->max_rings);
	for (i = 0; i < EVS_RSS_RETA_SIZE; i++)
		bad += rss->reta[i] != (c->custom ? before->reta[i] :
					i % c->rings);
	KUNIT_EXPECT_EQ(test, bad, 0);
}

/* ---- the configuration, through the device's steering code ----------- */

/*
 * The device accepts the configuration in either mode: the key, the
 * RETA size, the default processor and one vector per ring as built.
 */
static void evs_rss_test_config_loads(struct kunit *test)
{
	u32 mode = *(const u32 *)test->param_value;
	struct evs_rss_fixture *f = evs_fix(test);
	unsigned int r;

	KUNIT_ASSERT_EQ(test, evs_t_load(test, mode), EVS_CFG_OK);
	KUNIT_EXPECT_EQ(test, memcmp(f->steer.key, evs_default_key(),
				     EVS_HASH_KEY_SIZE), 0);
	KUNIT_EXPECT_EQ(test, f->steer.reta_size, EVS_RSS_RETA_SIZE);
	KUNIT_EXPECT_EQ(test, f->steer.default_proc, EVS_T_ADMIN_CPU);
	KUNIT_EXPECT_EQ(test, f->steer.map_mode, mode);
	for (r = 0; r < EVS_T_TOTAL; r++)
		KUNIT_EXPECT_EQ(test, f->steer.ring_vector[r], r);
	/* the driver always selects mode (a) */
	evs_rss_build_config(&f->rss, &f->cfg);
	KUNIT_EXPECT_EQ(test, evs_rd32(&f->cfg.map_mode), EVS_MAP_PROC_CODE);
}

enum evs_t_table {
	EVS_T_DEFAULT,		/* ethtool -X default */
	EVS_T_WEIGHT_1000,	/* ethtool -X weight 1 0 0 0 */
	EVS_T_IRREGULAR,	/* (7 i + 3) % 4 */
};

static int evs_t_set_table(struct evs_rss *rss, enum evs_t_table table)
{
	static u32 indir[EVS_RSS_RETA_SIZE];
	unsigned int i;

	for (i = 0; i < EVS_RSS_RETA_SIZE; i++) {
		if (table == EVS_T_WEIGHT_1000)
			indir[i] = 0;
		else if (table == EVS_T_IRREGULAR)
			indir[i] = (7 * i + 3) % EVS_T_RINGS;
		else
			indir[i] = i % EVS_T_RINGS;
	}
	return evs_rss_apply_table(rss, indir, NULL);
}

/**
 * struct evs_follow_case - vectors of the standard layout moved
 * @name:         what it tests
 * @cpu:          CPU of each data ring's vector now
 * @admin_cpu:    CPU of the admin vector now
 * @err:          what evs_rss_map_follow() returns
 * @default_proc: processor id of events without data after it
 */
struct evs_follow_case {
	const char *name;
	unsigned int cpu[EVS_T_RINGS];
	unsigned int admin_cpu;
	int err;
	u32 default_proc;
};

static const struct evs_follow_case evs_follow_cases[] = {
	{ "ring 1 to CPU 7", { 5, 7, 2, 40 }, 5, 0, 5 },
	{ "rings 0 and 2 swap CPUs", { 2, 9, 5, 40 }, 5, 0, 5 },
	{ "admin to CPU 11", { 5, 9, 2, 40 }, 11, 0, 11 },
	{ "admin beyond the ids: ring 0's CPU", { 6, 9, 2, 40 },
	  EVS_MAX_PROCS + 1, 0, 6 },
	{ "ring 1 onto ring 2's CPU: ids stay", { 5, 2, 2, 40 }, 5, -EBUSY,
	  EVS_T_ADMIN_CPU },
	{ "ring 3 beyond the ids: ids stay", { 5, 9, 2, EVS_MAX_PROCS }, 5,
	  -EBUSY, EVS_T_ADMIN_CPU },
};

static void evs_follow_desc(const struct evs_follow_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_follow, evs_follow_cases, evs_follow_desc);

/* Count RETA slots the device does not steer to their ring's new CPU. */
static unsigned int evs_t_misrouted(struct kunit *test, const unsigned int *cpu)
{
	struct evs_rss_fixture *f = evs_fix(test);
	unsigned int i, bad = 0;
	struct evs_target t;

	for (i = 0; i < EVS_RSS_RETA_SIZE; i++) {
		u32 ring = f->rss.reta[i];

		evs_steer_resolve(&f->steer, EVS_EV_DATA, i, &t);
		bad += t.proc != cpu[ring] || t.ring != ring ||
		       t.vector != ring;
	}
	return bad;
}

/*
 * The processor ids follow moved vectors while the rings keep distinct
 * CPUs, and the device then steers every slot to its ring under the
 * new ids; otherwise nothing changes.
 */
static void evs_rss_test_follow(struct kunit *test)
{
	const struct evs_follow_case *c = test->param_value;
	struct evs_rss_fixture *f = evs_fix(test);
	struct evs_rss *before;
	unsigned int r;

	before = kunit_kmalloc(test, sizeof(*before), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	KUNIT_ASSERT_EQ(test, evs_t_set_table(&f->rss, EVS_T_IRREGULAR), 0);
	*before = f->rss;
	KUNIT_ASSERT_EQ(test, evs_rss_map_follow(&f->rss, c->cpu, c->admin_cpu),
			c->err);
	KUNIT_EXPECT_EQ(test, f->rss.default_proc, c->default_proc);
	if (c->err) {
		KUNIT_EXPECT_EQ_MSG(test, memcmp(before, &f->rss,
						 sizeof(*before)), 0,
				    "a refused follow changed the state");
		return;
	}
	KUNIT_EXPECT_EQ(test, memcmp(before->reta, f->rss.reta,
				     sizeof(f->rss.reta)), 0);
	KUNIT_EXPECT_EQ(test, f->rss.active_rings, before->active_rings);
	KUNIT_EXPECT_EQ(test, f->rss.max_rings, before->max_rings);
	for (r = 0; r < EVS_T_RINGS; r++) {
		KUNIT_EXPECT_EQ(test, evs_rss_ring_to_proc(&f->rss, r),
				c->cpu[r]);
		KUNIT_EXPECT_EQ(test, evs_rss_proc_to_ring(&f->rss, c->cpu[r]),
				r);
	}
	KUNIT_ASSERT_EQ(test, evs_t_load(test, EVS_MAP_PROC_CODE), EVS_CFG_OK);
	KUNIT_EXPECT_EQ(test, evs_t_misrouted(test, c->cpu), 0);
	KUNIT_ASSERT_EQ(test, evs_t_load(test, EVS_MAP_PROC_RING), EVS_CFG_OK);
	KUNIT_EXPECT_EQ(test, evs_t_misrouted(test, c->cpu), 0);
	KUNIT_EXPECT_EQ(test, f->steer.default_proc, c->default_proc);
}

/* Rings that cannot be active may share a CPU: only the others count. */
static void evs_rss_test_follow_inactive(struct kunit *test)
{
	static const unsigned int cpu[] = { 0, 1, 2, 3 };
	static const unsigned int moved[] = { 1, 0, 1, 0 };
	struct evs_rss *rss = &evs_fix(test)->rss;

	KUNIT_ASSERT_EQ(test, evs_rss_map_setup(rss, 4, cpu, 0, 2), 2);
	KUNIT_EXPECT_EQ(test, evs_rss_map_follow(rss, moved, 0), 0);
	KUNIT_EXPECT_EQ(test, evs_rss_ring_to_proc(rss, 0), 1);
	KUNIT_EXPECT_EQ(test, evs_rss_ring_to_proc(rss, 1), 0);
	KUNIT_EXPECT_EQ(test, rss->max_rings, 2);
}

/**
 * struct evs_route_case - events with data through a built config
 * @name:  what it tests
 * @mode:  mapping mode switched to on the built config
 * @code:  EVS_EV_DATA or EVS_EV_CONTROL
 * @table: RETA
 */
struct evs_route_case {
	const char *name;
	u32 mode;
	u32 code;
	enum evs_t_table table;
};

static const struct evs_route_case evs_route_cases[] = {
	{ "a: data follows the default table", EVS_MAP_PROC_CODE,
	  EVS_EV_DATA, EVS_T_DEFAULT },
	{ "a: data follows weight 1 0 0 0", EVS_MAP_PROC_CODE,
	  EVS_EV_DATA, EVS_T_WEIGHT_1000 },
	{ "a: data follows an irregular table", EVS_MAP_PROC_CODE,
	  EVS_EV_DATA, EVS_T_IRREGULAR },
	{ "a: control follows an irregular table", EVS_MAP_PROC_CODE,
	  EVS_EV_CONTROL, EVS_T_IRREGULAR },
	{ "b: data follows the default table", EVS_MAP_PROC_RING,
	  EVS_EV_DATA, EVS_T_DEFAULT },
	{ "b: data follows weight 1 0 0 0", EVS_MAP_PROC_RING,
	  EVS_EV_DATA, EVS_T_WEIGHT_1000 },
	{ "b: data follows an irregular table", EVS_MAP_PROC_RING,
	  EVS_EV_DATA, EVS_T_IRREGULAR },
	{ "b: control follows an irregular table", EVS_MAP_PROC_RING,
	  EVS_EV_CONTROL, EVS_T_IRREGULAR },
};

static void evs_route_desc(const struct evs_route_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_route, evs_route_cases, evs_route_desc);

/*
 * For every RETA slot (and hashes that differ above the slot bits), the
 * device steers the event to the processor of the slot's ring, to that
 * ring and to its vector.
 */
static void evs_rss_test_data_follows_reta(struct kunit *test)
{
	const struct evs_route_case *c = test->param_value;
	struct evs_rss_fixture *f = evs_fix(test);
	unsigned int i, hi, bad = 0;
	struct evs_target t;

	KUNIT_ASSERT_EQ(test, evs_t_set_table(&f->rss, c->table), 0);
	KUNIT_ASSERT_EQ(test, evs_t_load(test, c->mode), EVS_CFG_OK);
	for (hi = 0; hi < 4; hi++) {
		for (i = 0; i < EVS_RSS_RETA_SIZE; i++) {
			u32 ring = f->rss.reta[i];

			evs_steer_resolve(&f->steer, c->code,
					  hi * 0x40000080u + i, &t);
			bad += t.proc != evs_t_cpus[ring];
			bad += t.ring != ring;
			bad += t.vector != ring;
		}
	}
	KUNIT_EXPECT_EQ_MSG(test, bad, 0, "mode %s: events off their ring",
			    evs_t_mode_name(c->mode));
}

/**
 * struct evs_nodata_case - an event without data through a built config
 * @name: what it tests
 * @mode: mapping mode switched to on the built config
 * @code: EVS_EV_LINK or EVS_EV_ERROR
 * @ring: ring (and vector) it must land on
 */
struct evs_nodata_case {
	const char *name;
	u32 mode;
	u32 code;
	u32 ring;
};

static const struct evs_nodata_case evs_nodata_cases[] = {
	{ "a: link -> default proc -> admin ring", EVS_MAP_PROC_CODE,
	  EVS_EV_LINK, EVS_T_RINGS },
	{ "a: error -> default proc -> admin ring", EVS_MAP_PROC_CODE,
	  EVS_EV_ERROR, EVS_T_RINGS },
	/* mode (b) has no per-code cell: the default processor's ring */
	{ "b: link -> default proc -> its ring 0", EVS_MAP_PROC_RING,
	  EVS_EV_LINK, 0 },
	{ "b: error -> default proc -> its ring 0", EVS_MAP_PROC_RING,
	  EVS_EV_ERROR, 0 },
};

static void evs_nodata_desc(const struct evs_nodata_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_nodata, evs_nodata_cases, evs_nodata_desc);

/* Events without data go to the default processor, whatever the hash. */
static void evs_rss_test_nodata_default(struct kunit *test)
{
	const struct evs_nodata_case *c = test->param_value;
	struct evs_rss_fixture *f = evs_fix(test);
	unsigned int i, bad = 0;
	struct evs_target t;

	KUNIT_ASSERT_EQ(test, evs_t_set_table(&f->rss, EVS_T_IRREGULAR), 0);
	KUNIT_ASSERT_EQ(test, evs_t_load(test, c->mode), EVS_CFG_OK);
	for (i = 0; i < EVS_RSS_RETA_SIZE; i++) {
		evs_steer_resolve(&f->steer, c->code, i * 0x01010101u, &t);
		bad += t.proc != EVS_T_ADMIN_CPU;
		bad += t.ring != c->ring;
		bad += t.vector != c->ring;
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
}

/*
 * Every processor id has a data ring: its own if an active ring owns
 * it, else proc % active rings; events without data always go to the
 * admin ring in mode (a).
 */
static void evs_rss_test_every_proc(struct kunit *test)
{
	struct evs_rss_fixture *f = evs_fix(test);
	const struct evs_steer *s = &f->steer;
	unsigned int p, bad = 0;

	KUNIT_ASSERT_EQ(test, evs_rss_resize(&f->rss, 3, false), 0);
	KUNIT_ASSERT_EQ(test, evs_t_load(test, EVS_MAP_PROC_CODE), EVS_CFG_OK);
	for (p = 0; p < EVS_MAX_PROCS; p++) {
		int own = evs_rss_proc_to_ring(&f->rss, p);
		u32 ring = own >= 0 ? own : p % 3;

		bad += s->pc_ring[p][EVS_EV_DATA] != ring;
		bad += s->pc_ring[p][EVS_EV_CONTROL] != ring;
		bad += s->pc_vector[p][EVS_EV_DATA] != ring;
		bad += s->pc_ring[p][EVS_EV_LINK] != EVS_T_RINGS;
		bad += s->pc_vector[p][EVS_EV_ERROR] != EVS_T_RINGS;
		bad += s->proc_ring[p] != ring;
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	/* CPU 40 (ring 3, now inactive) spreads to ring 40 % 3 = 1 */
	KUNIT_EXPECT_EQ(test, s->pc_ring[40][EVS_EV_DATA], 1);
}

/*
 * With fewer active rings, data only reaches those rings, in both
 * modes; the inactive rings keep their vectors for what is in flight.
 */
static void evs_rss_test_fewer_rings(struct kunit *test)
{
	u32 mode = *(const u32 *)test->param_value;
	struct evs_rss_fixture *f = evs_fix(test);
	unsigned int i, bad = 0, hits[EVS_T_TOTAL] = { 0 };
	struct evs_target t;

	KUNIT_ASSERT_EQ(test, evs_rss_resize(&f->rss, 2, false), 0);
	KUNIT_ASSERT_EQ(test, evs_t_load(test, mode), EVS_CFG_OK);
	for (i = 0; i < EVS_RSS_RETA_SIZE; i++) {
		evs_steer_resolve(&f->steer, EVS_EV_DATA, i, &t);
		bad += t.ring != i % 2 || t.vector != t.ring;
		hits[t.ring % EVS_T_TOTAL]++;
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, hits[0], EVS_RSS_RETA_SIZE / 2);
	KUNIT_EXPECT_EQ(test, hits[1], EVS_RSS_RETA_SIZE / 2);
	KUNIT_EXPECT_EQ(test, f->steer.ring_vector[2], 2);
	KUNIT_EXPECT_EQ(test, f->steer.ring_vector[3], 3);
}

/*
 * End to end: flow tuples (IPv4 and IPv6 lengths) hashed with the
 * loaded key (the device's lookup table, checked against the reference
 * Toeplitz over the driver's key) land on the ring that the driver's
 * RETA names for their hash.
 */
static void evs_rss_test_flows(struct kunit *test)
{
	struct evs_rss_fixture *f = evs_fix(test);
	unsigned int flow, i, len, bad = 0;
	u8 tup[EVS_TUPLE_V6_PORTS];
	u8 key[EVS_HASH_KEY_SIZE];
	struct evs_target t;
	u32 hash;

	for (i = 0; i < EVS_HASH_KEY_SIZE; i++)
		key[i] = evs_mix32(1000 + i);
	KUNIT_ASSERT_EQ(test, evs_t_set_table(&f->rss, EVS_T_IRREGULAR), 0);
	KUNIT_ASSERT_EQ(test, evs_rss_apply_table(&f->rss, NULL, key), 0);
	KUNIT_ASSERT_EQ(test, evs_t_load(test, EVS_MAP_PROC_CODE), EVS_CFG_OK);
	for (flow = 0; flow < 256; flow++) {
		len = flow & 1 ? EVS_TUPLE_V6_PORTS : EVS_TUPLE_V4_PORTS;
		for (i = 0; i < len; i++)
			tup[i] = evs_mix32(flow * 64 + i);
		hash = evs_toeplitz_hash(&f->steer.tz, tup, len);
		bad += hash != evs_toeplitz_ref(key, tup, len);
		evs_steer_resolve(&f->steer, EVS_EV_DATA, hash, &t);
		bad += t.ring != f->rss.reta[hash % EVS_RSS_RETA_SIZE];
		bad += t.proc != evs_t_cpus[t.ring % EVS_T_RINGS];
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
}

static struct kunit_case evs_rss_cases[] = {
	KUNIT_CASE_PARAM(evs_rss_test_setup, evs_setup_gen_params),
	KUNIT_CASE_PARAM(evs_rss_test_translate, evs_setup_gen_params),
	KUNIT_CASE(evs_rss_test_translate_inactive),
	KUNIT_CASE_PARAM(evs_rss_test_follow, evs_follow_gen_params),
	KUNIT_CASE(evs_rss_test_follow_inactive),
	KUNIT_CASE_PARAM(evs_rss_test_default_indir, evs_spread_gen_params),
	KUNIT_CASE(evs_rss_test_reta_skew),
	KUNIT_CASE_PARAM(evs_rss_test_apply_table, evs_indir_gen_params),
	KUNIT_CASE(evs_rss_test_apply_key_only),
	KUNIT_CASE_PARAM(evs_rss_test_resize, evs_resize_gen_params),
	KUNIT_CASE_PARAM(evs_rss_test_config_loads, evs_mode_gen_params),
	KUNIT_CASE_PARAM(evs_rss_test_data_follows_reta, evs_route_gen_params),
	KUNIT_CASE_PARAM(evs_rss_test_nodata_default, evs_nodata_gen_params),
	KUNIT_CASE(evs_rss_test_every_proc),
	KUNIT_CASE_PARAM(evs_rss_test_fewer_rings, evs_mode_gen_params),
	KUNIT_CASE(evs_rss_test_flows),
	{}
};

static struct kunit_suite evs_rss_suite = {
	.name = "evsteer_rss",
	.init = evs_rss_test_init,
	.test_cases = evs_rss_cases,
};

kunit_test_suite(evs_rss_suite);

MODULE_DESCRIPTION("KUnit tests of the evsteer driver's RSS mapping");
MODULE_LICENSE("GPL");
