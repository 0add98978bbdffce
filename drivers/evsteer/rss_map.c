// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: the RSS state that ethtool sees and the device configuration
 * it becomes.  Pure logic: no hardware, no locking, no allocation, so
 * tests/kunit/evsteer_rss_test.c compiles this file into the test and
 * checks it against the device's own steering code.
 *
 * ethtool speaks ring indices, the device processor ids.  A processor
 * id is the CPU that a data ring's vector is affine to, and only the
 * leading rings whose CPUs are distinct and below EVS_MAX_PROCS may be
 * active, so ring <-> processor is one-to-one over the active rings.
 */

#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/ethtool.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "evsteer.h"

/* the device takes a power-of-two RETA of up to EVS_RETA_MAX entries */
static_assert((EVS_RSS_RETA_SIZE & (EVS_RSS_RETA_SIZE - 1)) == 0);
static_assert(EVS_RETA_MAX >= EVS_RSS_RETA_SIZE);

/* How many of the leading @limit rings have distinct processor ids. */
static u32 evs_rss_distinct_procs(const unsigned int *ring_cpu, u32 limit)
{
	DECLARE_BITMAP(seen, EVS_MAX_PROCS);
	u32 r;

	bitmap_zero(seen, EVS_MAX_PROCS);
	for (r = 0; r < limit; r++) {
		if (ring_cpu[r] >= EVS_MAX_PROCS ||
		    __test_and_set_bit(ring_cpu[r], seen))
			break;
	}
	return r;
}

/* Processor ids from the vectors' CPUs; the caller checked them. */
static void evs_rss_set_procs(struct evs_rss *rss,
			      const unsigned int *ring_cpu,
			      unsigned int admin_cpu)
{
	u32 r;

	memset(rss->ring_proc, 0, sizeof(rss->ring_proc));
	for (r = 0; r < rss->num_rings; r++)
		rss->ring_proc[r] = ring_cpu[r];
	rss->default_proc = admin_cpu < EVS_MAX_PROCS ? admin_cpu : ring_cpu[0];
}

/**
 * evs_rss_map_setup() - set up the ring <-> processor mapping
 * @rss:         state to fill; the key is left alone
 * @num_rings:   data rings of the device
 * @ring_cpu:    CPU of each data ring's vector, @num_rings of them
 * @admin_cpu:   CPU of the admin ring's vector
 * @online_cpus: CPUs online
 *
 * The rings that can be active are the leading ones, at most
 * @online_cpus, up to the first whose CPU cannot be a processor id of
 * its own: one at or above EVS_MAX_PROCS, or one an earlier ring has
 * (more rings than CPUs).  All of them are made active, with the
 * default RETA.  The default processor is @admin_cpu, or ring 0's CPU
 * if @admin_cpu cannot be a processor id.
 *
 * Return: rings that can be active; 0 if not even ring 0 can, and then
 * @rss must not be used.
 */
u32 evs_rss_map_setup(struct evs_rss *rss, u32 num_rings,
		      const unsigned int *ring_cpu, unsigned int admin_cpu,
		      unsigned int online_cpus)
{
	u32 limit;

	num_rings = min_t(u32, num_rings, EVS_MAX_RINGS);
	limit = min3(num_rings, (u32)online_cpus, (u32)EVS_MAX_PROCS);
	rss->num_rings = num_rings;
	rss->max_rings = evs_rss_distinct_procs(ring_cpu, limit);
	rss->active_rings = rss->max_rings;
	evs_rss_set_procs(rss, ring_cpu, admin_cpu);
	if (!rss->max_rings) {
		rss->default_proc = 0;
		return 0;
	}
	evs_rss_fill_indir(rss->reta, EVS_RSS_RETA_SIZE, rss->active_rings);
	return rss->max_rings;
}

/**
 * evs_rss_map_follow() - the processor ids follow vectors that moved
 * @rss:       state from evs_rss_map_setup()
 * @ring_cpu:  CPU of each data ring's vector now, @rss->num_rings of them
 * @admin_cpu: CPU of the admin ring's vector now
 *
 * A processor id names the CPU of its ring's vector, so when the user
 * or the kernel moves vectors the ids must move too.  They can while
 * the rings that can be active keep distinct CPUs below EVS_MAX_PROCS;
 * the table, the active rings and what they steer to stay as they are.
 *
 * Return: 0, or -EBUSY with @rss unchanged if two of those rings now
 * share a CPU or one is on a CPU that cannot be a processor id.
 */
int evs_rss_map_follow(struct evs_rss *rss, const unsigned int *ring_cpu,
		       unsigned int admin_cpu)
{
	if (evs_rss_distinct_procs(ring_cpu, rss->max_rings) < rss->max_rings)
		return -EBUSY;
	evs_rss_set_procs(rss, ring_cpu, admin_cpu);
	return 0;
}

/**
 * evs_rss_ring_to_proc() - the processor id of an active ring
 * @rss:  state
 * @ring: ring index
 *
 * Return: the processor id, or -EINVAL if @ring is not active.
 */
int evs_rss_ring_to_proc(const struct evs_rss *rss, u32 ring)
{
	if (ring >= rss->active_rings)
		return -EINVAL;
	return rss->ring_proc[ring];
}

/**
 * evs_rss_proc_to_ring() - the active ring that owns a processor id
 * @rss:  state
 * @proc: processor id
 *
 * Return: the ring index, or -ENOENT if no active ring owns @proc.
 */
int evs_rss_proc_to_ring(const struct evs_rss *rss, u32 proc)
{
	u32 r;

	for (r = 0; r < rss->active_rings; r++)
		if (rss->ring_proc[r] == proc)
			return r;
	return -ENOENT;
}

/**
 * evs_rss_check_indir() - is every entry of a table a ring in use?
 * @indir: indirection table of ring indices
 * @size:  its entries
 * @rings: rings in use
 *
 * Return: 0, or -EINVAL if an entry is not below @rings.
 */
int evs_rss_check_indir(const u32 *indir, u32 size, u32 rings)
{
	u32 i;

	for (i = 0; i < size; i++)
		if (indir[i] >= rings)
			return -EINVAL;
	return 0;
}

/**
 * evs_rss_fill_indir() - the default table: entries spread evenly
 * @indir: table to fill
 * @size:  its entries
 * @rings: rings to spread over, at least 1
 */
void evs_rss_fill_indir(u32 *indir, u32 size, u32 rings)
{
	u32 i;

	for (i = 0; i < size; i++)
		indir[i] = ethtool_rxfh_indir_default(i, rings);
}

/**
 * evs_rss_resize() - change the number of active rings
 * @rss:    state
 * @rings:  new count, 1 .. @rss->max_rings
 * @custom: the user set the table: keep it, if it fits; otherwise the
 *          default table is spread over the new count
 *
 * Return: 0, or -EINVAL with @rss unchanged if @rings is out of range
 * or the custom table names a ring at or above @rings.
 */
int evs_rss_resize(struct evs_rss *rss, u32 rings, bool custom)
{
	if (!rings || rings > rss->max_rings)
		return -EINVAL;
	if (custom) {
		if (evs_rss_check_indir(rss->reta, EVS_RSS_RETA_SIZE, rings))
			return -EINVAL;
	} else {
		evs_rss_fill_indir(rss->reta, EVS_RSS_RETA_SIZE, rings);
	}
	rss->active_rings = rings;
	return 0;
}

/**
 * evs_rss_apply_table() - take a new table and/or key
 * @rss:   state
 * @indir: EVS_RSS_RETA_SIZE ring indices, or NULL to keep the table
 * @key:   EVS_HASH_KEY_SIZE bytes, or NULL to keep the key
 *
 * Return: 0, or -EINVAL with @rss unchanged if an entry of @indir is not
 * an active ring.
 */
int evs_rss_apply_table(struct evs_rss *rss, const u32 *indir, const u8 *key)
{
	if (indir && evs_rss_check_indir(indir, EVS_RSS_RETA_SIZE,
					 rss->active_rings))
		return -EINVAL;
	if (indir)
		memcpy(rss->reta, indir, sizeof(rss->reta));
	if (key)
		memcpy(rss->key, key, sizeof(rss->key));
	return 0;
}

/* Ring for data of @proc: its own, or a spread one if it owns none. */
static u32 evs_rss_data_ring(const struct evs_rss *rss, u32 proc)
{
	int ring = evs_rss_proc_to_ring(rss, proc);

	return ring >= 0 ? ring : proc % rss->active_rings;
}

/* Mode (a): data and control to the processor's ring, the rest to admin. */
static void evs_rss_build_mvmt(const struct evs_rss *rss,
			       struct evs_config *cfg, u32 proc, u32 ring)
{
	u32 admin = rss->num_rings, code;

	for (code = 0; code < EVS_NUM_CODES; code++) {
		u32 to = evs_code_has_data(code) ? ring : admin;

		/* ring i's events raise vector i */
		evs_wr16(&cfg->mvmt_pc[proc][code].ring, to);
		evs_wr16(&cfg->mvmt_pc[proc][code].vector, to);
	}
}

/**
 * evs_rss_build_config() - the device configuration of a state
 * @rss: state with at least one active ring, every RETA entry below
 *       @rss->active_rings (as every evs_rss_* change keeps it)
 * @cfg: configuration to write, every field of it
 *
 * The RETA names each entry's ring by its processor id.  Mapping mode
 * (a) is selected; its MVMT sends data and control events of every
 * processor id to the ring that owns it (processors that own no active
 * ring to ring proc % active_rings, so every cell is valid) and link
 * and error events to the admin ring.  The mode (b) tables are filled
 * consistently, so switching modes is valid too; in mode (b) events
 * without data go to the ring of the default processor.
 */
void evs_rss_build_config(const struct evs_rss *rss, struct evs_config *cfg)
{
	u32 i;

	memcpy(cfg->hash_key, rss->key, EVS_HASH_KEY_SIZE);
	evs_wr16(&cfg->reta_size, EVS_RSS_RETA_SIZE);
	evs_wr16(&cfg->default_proc, rss->default_proc);
	evs_wr32(&cfg->map_mode, EVS_MAP_PROC_CODE);
	for (i = 0; i < EVS_RETA_MAX; i++)
		evs_wr16(&cfg->reta[i], i < EVS_RSS_RETA_SIZE ?
			 rss->ring_proc[rss->reta[i]] : 0);
	for (i = 0; i < EVS_MAX_PROCS; i++) {
		u32 ring = evs_rss_data_ring(rss, i);

		evs_rss_build_mvmt(rss, cfg, i, ring);
		evs_wr16(&cfg->proc_ring[i], ring);
	}
	for (i = 0; i < EVS_MAX_RINGS; i++)
		evs_wr16(&cfg->ring_vector[i], i <= rss->num_rings ? i : 0);
}
