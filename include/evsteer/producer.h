/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The device's producer logic, shared with the driver's KUnit tests:
 * synthetic flow tuples, the steering lookup (hash -> RETA -> processor
 * -> MVMT -> ring and vector) in both mapping modes, and the ring
 * producer with its interrupt-armed rule.
 */
#ifndef _EVSTEER_PRODUCER_H
#define _EVSTEER_PRODUCER_H

#include "compat.h"
#include "abi.h"
#include "toeplitz.h"
#include "frame.h"

/* ---- synthetic flows: see frame.h ---------------------------------- */

/* ---- steering ------------------------------------------------------- */

/**
 * struct evs_steer - a validated, native-endian copy of struct evs_config
 *
 * The device never steers from shared memory directly: the driver may
 * rewrite it at any time, so the device validates and copies it first.
 */
struct evs_steer {
	struct evs_toeplitz tz;
	u8 key[EVS_HASH_KEY_SIZE];
	u32 reta_size;
	u32 default_proc;
	u32 map_mode;
	u32 total_rings;	/* data rings plus the admin ring */
	u32 num_vectors;
	u16 reta[EVS_RETA_MAX];
	u16 pc_ring[EVS_MAX_PROCS][EVS_NUM_CODES];
	u16 pc_vector[EVS_MAX_PROCS][EVS_NUM_CODES];
	u16 proc_ring[EVS_MAX_PROCS];
	u16 ring_vector[EVS_MAX_RINGS];
};

/** struct evs_target - where one event goes */
struct evs_target {
	u32 proc;
	u32 ring;
	u32 vector;
};

static inline int evs_steer_check_tables(const struct evs_config *cfg,
					 u32 total_rings, u32 num_vectors)
{
	u32 reta_size = evs_rd16(&cfg->reta_size);
	u32 mode = evs_rd32(&cfg->map_mode);
	unsigned int i, c;

	if (!evs_is_pow2(reta_size) || reta_size > EVS_RETA_MAX)
		return EVS_CFG_BAD_RETA_SIZE;
	if (mode >= EVS_NUM_MAP_MODES)
		return EVS_CFG_BAD_MODE;
	if (evs_rd16(&cfg->default_proc) >= EVS_MAX_PROCS)
		return EVS_CFG_BAD_PROC;
	for (i = 0; i < reta_size; i++)
		if (evs_rd16(&cfg->reta[i]) >= EVS_MAX_PROCS)
			return EVS_CFG_BAD_PROC;
	if (mode == EVS_MAP_PROC_RING) {
		for (i = 0; i < EVS_MAX_PROCS; i++)
			if (evs_rd16(&cfg->proc_ring[i]) >= total_rings)
				return EVS_CFG_BAD_RING;
		for (i = 0; i < total_rings; i++)
			if (evs_rd16(&cfg->ring_vector[i]) >= num_vectors)
				return EVS_CFG_BAD_VECTOR;
		return EVS_CFG_OK;
	}
	for (i = 0; i < EVS_MAX_PROCS; i++) {
		for (c = 0; c < EVS_NUM_CODES; c++) {
			if (evs_rd16(&cfg->mvmt_pc[i][c].ring) >= total_rings)
				return EVS_CFG_BAD_RING;
			if (evs_rd16(&cfg->mvmt_pc[i][c].vector) >= num_vectors)
				return EVS_CFG_BAD_VECTOR;
		}
	}
	return EVS_CFG_OK;
}

/**
 * evs_steer_load() - validate a configuration and copy it for steering
 * @s:           private copy to fill; untouched if the config is bad
 * @cfg:         configuration in shared memory
 * @total_rings: rings of the device, admin ring included
 * @num_vectors: vectors of the device
 *
 * Return: EVS_CFG_OK, or the enum evs_config_status of the first error.
 * The caller must make sure @cfg does not change while this runs (the
 * device copies it out of shared memory first).
 */
static inline int evs_steer_load(struct evs_steer *s,
				 const struct evs_config *cfg,
				 u32 total_rings, u32 num_vectors)
{
	int err = evs_steer_check_tables(cfg, total_rings, num_vectors);
	unsigned int i, c;

	if (err)
		return err;
	memcpy(s->key, cfg->hash_key, EVS_HASH_KEY_SIZE);
	evs_toeplitz_init(&s->tz, s->key);
	s->reta_size = evs_rd16(&cfg->reta_size);
	s->default_proc = evs_rd16(&cfg->default_proc);
	s->map_mode = evs_rd32(&cfg->map_mode);
	s->total_rings = total_rings;
	s->num_vectors = num_vectors;
	for (i = 0; i < EVS_RETA_MAX; i++)
		s->reta[i] = i < s->reta_size ? evs_rd16(&cfg->reta[i]) : 0;
	for (i = 0; i < EVS_MAX_PROCS; i++) {
		for (c = 0; c < EVS_NUM_CODES; c++) {
			s->pc_ring[i][c] = evs_rd16(&cfg->mvmt_pc[i][c].ring);
			s->pc_vector[i][c] = evs_rd16(&cfg->mvmt_pc[i][c].vector);
		}
		s->proc_ring[i] = evs_rd16(&cfg->proc_ring[i]);
	}
	for (i = 0; i < EVS_MAX_RINGS; i++)
		s->ring_vector[i] = evs_rd16(&cfg->ring_vector[i]);
	return EVS_CFG_OK;
}

/**
 * evs_steer_resolve() - steer one event
 * @s:    loaded configuration
 * @code: event code, below EVS_NUM_CODES
 * @hash: Toeplitz hash of the event's flow (ignored without data)
 * @t:    processor, ring and vector for the event
 */
static inline void evs_steer_resolve(const struct evs_steer *s, u32 code,
				     u32 hash, struct evs_target *t)
{
	code %= EVS_NUM_CODES;
	if (evs_code_has_data(code))
		t->proc = s->reta[hash & (s->reta_size - 1)];
	else
		t->proc = s->default_proc;
	if (s->map_mode == EVS_MAP_PROC_RING) {
		t->ring = s->proc_ring[t->proc];
		t->vector = s->ring_vector[t->ring];
	} else {
		t->ring = s->pc_ring[t->proc][code];
		t->vector = s->pc_vector[t->proc][code];
	}
}

/**
 * evs_config_default() - a configuration that spreads over all rings
 * @cfg:       configuration to fill
 * @num_rings: data rings; ring and vector @num_rings are the admin ones
 * @key:       hash key
 * @mode:      enum evs_map_mode
 *
 * RETA entry i names processor i % num_rings; processor p's data goes
 * to ring p % num_rings, its events without data to the admin ring.
 */
static inline void evs_config_default(struct evs_config *cfg, u32 num_rings,
				      const u8 *key, u32 mode)
{
	unsigned int i, c;

	memset(cfg, 0, sizeof(*cfg));
	memcpy(cfg->hash_key, key, EVS_HASH_KEY_SIZE);
	evs_wr16(&cfg->reta_size, 128);
	evs_wr16(&cfg->default_proc, 0);
	evs_wr32(&cfg->map_mode, mode);
	for (i = 0; i < 128; i++)
		evs_wr16(&cfg->reta[i], i % num_rings);
	for (i = 0; i < EVS_MAX_PROCS; i++) {
		for (c = 0; c < EVS_NUM_CODES; c++) {
			u32 ring = evs_code_has_data(c) ? i % num_rings :
							  num_rings;

			evs_wr16(&cfg->mvmt_pc[i][c].ring, ring);
			evs_wr16(&cfg->mvmt_pc[i][c].vector, ring);
		}
		evs_wr16(&cfg->proc_ring[i], i % num_rings);
	}
	for (i = 0; i <= num_rings; i++)
		evs_wr16(&cfg->ring_vector[i], i);
}

/* The key of Microsoft's RSS verification suite, also our default. */
static inline const u8 *evs_default_key(void)
{
	static const u8 key[EVS_HASH_KEY_SIZE] = {
		0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
		0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
		0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
		0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
		0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
	};

	return key;
}

/* ---- rings ------------------------------------------------------------ */

/**
 * struct evs_ring_producer - the device's side of one ring
 * @ctl:     control block in shared memory
 * @entries: entry array in shared memory
 * @stats:   device-side counters of the ring in shared memory
 * @bufs:    the ring's receive buffers in shared memory, one per entry
 * @buf_size: bytes per buffer
 * @size:    entries, a power of two
 * @prod:    private write index; shared memory only ever gets copies
 * @seq:     next sequence number
 */
struct evs_ring_producer {
	struct evs_ring_ctl *ctl;
	struct evs_entry *entries;
	struct evs_ring_stats *stats;
	u8 *bufs;
	u32 buf_size;
	u32 size;
	u32 prod;
	u32 seq;
};

enum evs_produce_result {
	EVS_PRODUCED,		/* written, ring was not armed */
	EVS_PRODUCED_SIGNAL,	/* written, raise the ring's vector */
	EVS_DROPPED_FULL,	/* ring full: counted as a drop */
	EVS_DROPPED_BAD_CONS,	/* consumer index nonsense: counted drop */
};

/**
 * struct evs_event - one event as the generator makes it
 * @code:      enum evs_event_code
 * @flags:     EVS_EF_*
 * @flow_id:   the generator's flow number (not part of the entry)
 * @hash:      Toeplitz hash of the frame's tuple
 * @hash_type: enum evs_hash_type
 * @len:       bytes of @frame (0: no data)
 * @cost_ns:   busy time asked of the consumer
 * @tstamp_ns: device time
 * @frame:     the frame's bytes, copied into the entry's buffer; the
 *             producer copies at most the buffer size
 */
struct evs_event {
	u32 code;
	u32 flags;
	u32 flow_id;
	u32 hash;
	u32 hash_type;
	u32 len;
	u32 cost_ns;
	u64 tstamp_ns;
	const u8 *frame;
};

/**
 * evs_ring_produce() - write one event into a ring
 * @rp:           the ring
 * @ev:           the event
 * @ring_id:      id written into the entry as a cross-check
 * @ignore_armed: signal even if the ring is not armed (fault injection)
 *
 * The frame goes into the entry's buffer and the entry is written
 * first (a frame longer than the buffer is cut: the entry still says
 * its length, and the consumer must refuse it), then the write index with release
 * ordering, so a consumer that reads the index with acquire sees the
 * entry.  The armed flag is then read and cleared with one exchange:
 * the exchange is a full barrier, so either the driver re-armed before
 * the index was published and this signals, or the driver's re-check
 * of the index after re-arming sees the entry.  No wake-up is lost.
 *
 * Return: enum evs_produce_result.  Drops still use a sequence number.
 */
static inline int evs_ring_produce(struct evs_ring_producer *rp,
				   const struct evs_event *ev, u32 ring_id,
				   bool ignore_armed)
{
	u32 cons = evs_rd32_acquire(&rp->ctl->cons);
	u32 used = rp->prod - cons;
	struct evs_entry *e;
	u32 seq = rp->seq++, slot;

	if (used > rp->size) {
		evs_add64(&rp->stats->bad_cons, 1);
		evs_add64(&rp->stats->dropped, 1);
		return EVS_DROPPED_BAD_CONS;
	}
	if (used == rp->size) {
		evs_add64(&rp->stats->dropped, 1);
		return EVS_DROPPED_FULL;
	}
	slot = rp->prod & (rp->size - 1);
	if (ev->frame && ev->len)
		memcpy(rp->bufs + (size_t)slot * rp->buf_size, ev->frame,
		       ev->len < rp->buf_size ? ev->len : rp->buf_size);
	e = &rp->entries[slot];
	evs_wr32(&e->seq, seq);
	evs_wr16(&e->code, ev->code);
	evs_wr16(&e->flags, ev->flags);
	evs_wr32(&e->hash, ev->hash);
	e->hash_type = (u8)ev->hash_type;
	e->reserved[0] = 0;
	e->reserved[1] = 0;
	e->reserved[2] = 0;
	evs_wr16(&e->len, ev->len);
	evs_wr16(&e->ring, ring_id);
	evs_wr32(&e->cost_ns, ev->cost_ns);
	evs_wr64(&e->tstamp_ns, ev->tstamp_ns);
	rp->prod++;
	evs_wr32_release(&rp->ctl->prod, rp->prod);
	evs_add64(&rp->stats->produced, 1);
	if (evs_xchg32(&rp->ctl->armed, 0) || ignore_armed) {
		evs_add64(&rp->stats->signalled, 1);
		return EVS_PRODUCED_SIGNAL;
	}
	return EVS_PRODUCED;
}

/**
 * struct evs_producer - the whole device side of the shared memory
 * @hdr:         header
 * @cfg:         configuration written by the driver
 * @stats:       device-side counters
 * @ring:        one producer per ring, admin ring last
 * @total_rings: data rings plus the admin ring
 * @num_vectors: vectors
 */
struct evs_producer {
	struct evs_header *hdr;
	struct evs_config *cfg;
	struct evs_stats *stats;
	struct evs_ring_producer ring[EVS_MAX_RINGS];
	u32 total_rings;
	u32 num_vectors;
};

/**
 * evs_shm_format() - lay out and initialise a device's shared memory
 * @p:         producer to attach to the memory
 * @base:      start of the shared memory, zeroed by the caller
 * @shm_size:  its size in bytes
 * @num_rings: data rings
 * @ring_size: entries per ring
 * @buf_size:  bytes per receive buffer
 * @mac:       the NIC's MAC address, published in the header
 * @mode:      initial mapping mode
 *
 * Writes the header, a default configuration (the Microsoft key, all
 * rings used) and empty rings; the device is not yet enabled.
 *
 * Return: 0, or -1 if the geometry is invalid or does not fit.
 */
static inline int evs_shm_format(struct evs_producer *p, void *base,
				 u32 shm_size, u32 num_rings, u32 ring_size,
				 u32 buf_size, const u8 *mac, u32 mode)
{
	struct evs_header *hdr = base;
	struct evs_layout l;
	unsigned int i;

	if (evs_layout_compute(num_rings, ring_size, buf_size, &l) ||
	    l.total_size > shm_size)
		return -1;
	evs_wr32(&hdr->header_size, EVS_HEADER_SIZE);
	evs_wr32(&hdr->shm_size, shm_size);
	evs_wr32(&hdr->features, EVS_FEAT_MAP_PROC_CODE |
		 EVS_FEAT_MAP_PROC_RING | EVS_FEAT_TIMESTAMP | EVS_FEAT_COST |
		 EVS_FEAT_TX | EVS_FEAT_HEARTBEAT);
	evs_wr32(&hdr->num_rings, num_rings);
	evs_wr32(&hdr->num_vectors, num_rings + 1);
	evs_wr32(&hdr->ring_size, ring_size);
	evs_wr32(&hdr->entry_size, sizeof(struct evs_entry));
	evs_wr32(&hdr->max_procs, EVS_MAX_PROCS);
	evs_wr32(&hdr->reta_max, EVS_RETA_MAX);
	evs_wr32(&hdr->config_off, l.config_off);
	evs_wr32(&hdr->stats_off, l.stats_off);
	evs_wr32(&hdr->ring_ctl_off, l.ring_ctl_off);
	evs_wr32(&hdr->entries_off, l.entries_off);
	evs_wr32(&hdr->bufs_off, l.bufs_off);
	evs_wr32(&hdr->buf_size, buf_size);
	memcpy(hdr->mac, mac, EVS_ETH_ALEN);
	evs_wr32(&hdr->tx_ring_size, l.tx_ring_size);
	evs_wr32(&hdr->tx_ctl_off, l.tx_ctl_off);
	evs_wr32(&hdr->tx_desc_off, l.tx_desc_off);
	evs_wr32(&hdr->tx_bufs_off, l.tx_bufs_off);

	p->hdr = hdr;
	p->cfg = (struct evs_config *)((u8 *)base + l.config_off);
	p->stats = (struct evs_stats *)((u8 *)base + l.stats_off);
	p->total_rings = num_rings + 1;
	p->num_vectors = num_rings + 1;
	for (i = 0; i < p->total_rings; i++) {
		struct evs_ring_producer *rp = &p->ring[i];

		rp->ctl = (struct evs_ring_ctl *)((u8 *)base +
			  l.ring_ctl_off) + i;
		rp->entries = (struct evs_entry *)((u8 *)base +
			      l.entries_off) + (size_t)i * ring_size;
		rp->stats = &p->stats->ring[i];
		rp->bufs = (u8 *)base + l.bufs_off +
			   (size_t)i * ring_size * buf_size;
		rp->buf_size = buf_size;
		rp->size = ring_size;
		rp->prod = 0;
		rp->seq = 0;
	}
	evs_config_default(p->cfg, num_rings, evs_default_key(), mode);
	/* the magic goes last: a reader that sees it sees a whole header */
	evs_wr32(&hdr->abi_version, EVS_ABI_VERSION);
	evs_wr32_release(&hdr->magic, EVS_MAGIC);
	return 0;
}

/**
 * evs_produce() - steer one event and write it into its ring
 * @p:            the device
 * @s:            loaded steering configuration
 * @ev:           the event; its hash must already be computed
 * @ignore_armed: signal whatever the armed flag says
 * @t:            where the event went
 *
 * Return: enum evs_produce_result; the caller raises @t->vector when it
 * is EVS_PRODUCED_SIGNAL (it may batch several events first).
 */
static inline int evs_produce(struct evs_producer *p,
			      const struct evs_steer *s,
			      const struct evs_event *ev, bool ignore_armed,
			      struct evs_target *t)
{
	int ret;

	evs_steer_resolve(s, ev->code, ev->hash, t);
	evs_add64(&p->stats->events, 1);
	if (!evs_code_has_data(ev->code % EVS_NUM_CODES))
		evs_add64(&p->stats->nodata, 1);
	ret = evs_ring_produce(&p->ring[t->ring], ev, t->ring, ignore_armed);
	if (ret == EVS_PRODUCED || ret == EVS_PRODUCED_SIGNAL)
		evs_add64(&p->stats->produced, 1);
	else
		evs_add64(&p->stats->dropped, 1);
	return ret;
}

#endif /* _EVSTEER_PRODUCER_H */
