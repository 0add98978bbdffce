/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * evsteer device ABI: the layout of the shared memory (BAR2 of the
 * ivshmem-doorbell function) that the userspace device and the driver
 * both read and write.  Every field is little-endian and fixed-width;
 * every offset is checked at compile time.  See Documentation/abi.rst.
 */
#ifndef _EVSTEER_ABI_H
#define _EVSTEER_ABI_H

#include "compat.h"

#define EVS_MAGIC		0x54535645u	/* "EVST" in memory order */
#define EVS_ABI_MAJOR		2
#define EVS_ABI_MINOR		2	/* 2.1: TX queues; 2.2: heartbeat */
#define EVS_ABI_VERSION		((EVS_ABI_MAJOR << 16) | EVS_ABI_MINOR)
#define EVS_ABI_VERSION_MAJOR(v)	((v) >> 16)

#define EVS_HASH_KEY_SIZE	40	/* bytes, Microsoft RSS key length */
#define EVS_RETA_MAX		512	/* redirection table entries, max */
#define EVS_MAX_PROCS		64	/* processor ids 0 .. EVS_MAX_PROCS - 1 */
#define EVS_MAX_RINGS		64	/* ring ids, data rings plus admin ring */
#define EVS_MAX_VECTORS		EVS_MAX_RINGS
#define EVS_RING_SIZE_MIN	16	/* entries per ring, power of two */
#define EVS_RING_SIZE_MAX	65536
#define EVS_HEADER_SIZE		256
#define EVS_ALIGN		4096	/* alignment of every region */
#define EVS_BUF_SIZE_MIN	2048	/* receive buffer per entry, bytes */
#define EVS_BUF_SIZE_MAX	16384	/* a power of two in between */
#define EVS_ETH_ALEN		6
#define EVS_TX_RING_SIZE_MAX	256	/* TX descriptors per queue, max */

/* Event codes; codes without data go to the default processor. */
enum evs_event_code {
	EVS_EV_DATA	= 0,	/* carries a flow, hashed and steered */
	EVS_EV_LINK	= 1,	/* link state change, no data */
	EVS_EV_ERROR	= 2,	/* device error report, no data */
	EVS_EV_CONTROL	= 3,	/* data event of the control class */
	EVS_NUM_CODES	= 4,
};

static inline bool evs_code_has_data(u32 code)
{
	return code == EVS_EV_DATA || code == EVS_EV_CONTROL;
}

/* Entry flags. */
#define EVS_EF_LINK_UP		0x0001	/* EVS_EV_LINK: the new state is up */
#define EVS_EF_IPV6		0x0002	/* the flow tuple was IPv6 */
#define EVS_EF_NODATA		0x0004	/* sent to the default processor */

/* What evs_entry.hash was computed over (evs_entry.hash_type). */
enum evs_hash_type {
	EVS_HASH_NONE		= 0,	/* no hash: not an IP frame */
	EVS_HASH_IPV4		= 1,	/* L3: IPv4 addresses */
	EVS_HASH_IPV4_L4	= 2,	/* L4: IPv4 addresses and ports */
	EVS_HASH_IPV6		= 3,	/* L3: IPv6 addresses */
	EVS_HASH_IPV6_L4	= 4,	/* L4: IPv6 addresses and ports */
	EVS_NUM_HASH_TYPES	= 5,
};

static inline bool evs_hash_type_is_l4(u32 type)
{
	return type == EVS_HASH_IPV4_L4 || type == EVS_HASH_IPV6_L4;
}

/* Feature bits advertised in evs_header.features. */
#define EVS_FEAT_MAP_PROC_CODE	0x0001	/* mapping mode (a) */
#define EVS_FEAT_MAP_PROC_RING	0x0002	/* mapping mode (b) */
#define EVS_FEAT_TIMESTAMP	0x0004	/* entries carry a device timestamp */
#define EVS_FEAT_COST		0x0008	/* entries carry a processing cost */
#define EVS_FEAT_TX		0x0010	/* TX queues (ABI 2.1) */
#define EVS_FEAT_HEARTBEAT	0x0020	/* evs_header.heartbeat (ABI 2.2) */

/*
 * A device that offers EVS_FEAT_HEARTBEAT bumps evs_header.heartbeat at
 * least this often for as long as it runs, paused, stalled or not.
 */
#define EVS_HEARTBEAT_MS	50

/* Device status bits (device-owned). */
#define EVS_STATUS_READY	0x0001	/* layout valid, config accepted */
#define EVS_STATUS_RUNNING	0x0002	/* producing events */
#define EVS_STATUS_LINK_UP	0x0004
#define EVS_STATUS_ERROR	0x0008
#define EVS_STATUS_PAUSED	0x0010	/* generator paused by its operator */

/* Driver control bits (driver-owned). */
#define EVS_CTRL_ENABLE		0x0001	/* device may produce events */

/* Mapping modes for evs_config.map_mode. */
enum evs_map_mode {
	EVS_MAP_PROC_CODE = 0,	/* (proc, code) -> mvmt_pc -> ring, vector */
	EVS_MAP_PROC_RING = 1,	/* proc -> proc_ring -> ring -> ring_vector */
	EVS_NUM_MAP_MODES = 2,
};

/* Result of the last configuration, in evs_header.config_status. */
enum evs_config_status {
	EVS_CFG_OK		= 0,
	EVS_CFG_BAD_RETA_SIZE	= 1,
	EVS_CFG_BAD_PROC	= 2,
	EVS_CFG_BAD_RING	= 3,
	EVS_CFG_BAD_VECTOR	= 4,
	EVS_CFG_BAD_MODE	= 5,
	EVS_CFG_BAD_ACTIVE	= 6,
};

/**
 * struct evs_header - first bytes of the shared memory
 *
 * The device fills everything up to @driver_ctrl at start and never
 * changes it (except @status).  The driver owns @driver_ctrl,
 * @config_gen and @active_rings; the device owns @config_ack and
 * @config_status.  To change the configuration the driver writes
 * struct evs_config, then increments @config_gen (release) and rings
 * the doorbell; the device validates a private copy, applies it or
 * rejects it, writes @config_status and then @config_ack = @config_gen.
 */
struct evs_header {
	__le32 magic;		/* EVS_MAGIC */
	__le32 abi_version;	/* EVS_ABI_VERSION */
	__le32 header_size;	/* EVS_HEADER_SIZE */
	__le32 shm_size;	/* bytes of shared memory */
	__le32 features;	/* EVS_FEAT_* */
	__le32 status;		/* EVS_STATUS_*, device-owned */
	__le32 num_rings;	/* data rings; ring num_rings is the admin ring */
	__le32 num_vectors;	/* MSI-X vectors: num_rings + 1 */
	__le32 ring_size;	/* entries per ring, power of two */
	__le32 entry_size;	/* sizeof(struct evs_entry) */
	__le32 max_procs;	/* EVS_MAX_PROCS */
	__le32 reta_max;	/* EVS_RETA_MAX */
	__le32 config_off;	/* struct evs_config */
	__le32 stats_off;	/* struct evs_stats */
	__le32 ring_ctl_off;	/* struct evs_ring_ctl[num_rings + 1] */
	__le32 entries_off;	/* struct evs_entry[num_rings + 1][ring_size] */
	__le32 bufs_off;	/* receive buffers, one per entry, same order */
	__le32 buf_size;	/* bytes per buffer, a power of two */
	u8 mac[EVS_ETH_ALEN];	/* the NIC's own MAC address */
	u8 pad0[2];
	__le32 tx_ring_size;	/* 2.1: descriptors per TX queue; 0: no TX */
	__le32 tx_ctl_off;	/* 2.1: struct evs_tx_ctl[num_rings] */
	__le32 tx_desc_off;	/* 2.1: struct evs_tx_desc[num_rings][tx_ring_size] */
	__le32 tx_bufs_off;	/* 2.1: TX buffers, one per descriptor, buf_size */
	__le32 reserved0[8];
	/* driver-owned */
	__le32 driver_ctrl;	/* EVS_CTRL_* */
	__le32 config_gen;	/* bumped by the driver after a config write */
	__le32 active_rings;	/* informational: rings the driver consumes */
	__le32 reserved1[5];
	/* device-owned */
	__le32 config_ack;	/* config_gen of the last config handled */
	__le32 config_status;	/* enum evs_config_status of that config */
	__le32 heartbeat;	/* 2.2: bumped every EVS_HEARTBEAT_MS */
	__le32 reserved2[5];
	u8 pad[EVS_HEADER_SIZE - 192];
};

/* One MVMT cell in mode (a): where events of (processor, code) go. */
struct evs_mvmt_entry {
	__le16 ring;
	__le16 vector;
};

/**
 * struct evs_config - the steering configuration, written by the driver
 *
 * @hash_key:     Toeplitz key
 * @reta_size:    entries in @reta, a power of two, 1 .. EVS_RETA_MAX
 * @default_proc: processor id that receives events without data
 * @map_mode:     enum evs_map_mode
 * @reta:         processor ids, indexed by hash & (reta_size - 1)
 * @mvmt_pc:      mode (a): ring and vector per (processor id, event code)
 * @proc_ring:    mode (b): ring per processor id
 * @ring_vector:  mode (b): vector per ring id
 */
struct evs_config {
	u8 hash_key[EVS_HASH_KEY_SIZE];
	__le16 reta_size;
	__le16 default_proc;
	__le32 map_mode;
	__le16 reta[EVS_RETA_MAX];
	struct evs_mvmt_entry mvmt_pc[EVS_MAX_PROCS][EVS_NUM_CODES];
	__le16 proc_ring[EVS_MAX_PROCS];
	__le16 ring_vector[EVS_MAX_RINGS];
};

/* Per-ring control block, device and driver halves on their own lines. */
struct evs_ring_ctl {
	__le32 prod;		/* device: free-running write index */
	__le32 armed;		/* driver sets nonzero; device clears on signal */
	__le32 pad0[14];
	__le32 cons;		/* driver: free-running read index */
	__le32 pad1[15];
};

/**
 * struct evs_tx_ctl - control block of TX queue q (ABI 2.1)
 * @prod:  driver: free-running count of descriptors posted
 * @armed: driver sets nonzero to ask for an interrupt (vector q) at the
 *         next completion; the device clears it as it signals
 * @cons:  device: free-running count of descriptors completed
 *
 * The device reads descriptors only while EVS_CTRL_ENABLE is set.  It
 * takes @cons as its starting point each time it sees EVS_CTRL_ENABLE
 * set anew; the driver zeroes @prod and @cons before it enables.
 */
struct evs_tx_ctl {
	__le32 prod;
	__le32 armed;
	__le32 pad0[14];
	__le32 cons;
	__le32 pad1[15];
};

/**
 * struct evs_tx_desc - one frame the guest transmits (ABI 2.1)
 * @len:      bytes of the frame, in the descriptor's TX buffer
 * @flags:    zero (no offloads)
 * @reserved: zero
 *
 * Descriptor i of queue q owns TX buffer q * tx_ring_size + i, at
 * tx_bufs_off + (q * tx_ring_size + i) * buf_size.  A descriptor whose
 * length is below an Ethernet header (14) or above buf_size is
 * completed without being sent, and counted in evs_stats.tx_bad.
 */
struct evs_tx_desc {
	__le16 len;
	__le16 flags;
	__le32 reserved;
};

/**
 * struct evs_entry - one event in a ring
 *
 * @seq:       per-ring sequence number; a dropped event still uses one,
 *             so the consumer sees every device-side loss as a gap
 * @code:      enum evs_event_code
 * @flags:     EVS_EF_*
 * @hash:      Toeplitz hash of the frame's tuple (0 without data)
 * @hash_type: enum evs_hash_type: what @hash covers
 * @reserved:  zero
 * @len:       frame length in bytes, in the entry's receive buffer;
 *             0 for events without data
 * @ring:      ring the device meant the entry for (a cross-check only)
 * @cost_ns:   busy time the consumer should spend (a test knob, 0 by
 *             default)
 * @tstamp_ns: device time (CLOCK_MONOTONIC of the host) at production
 *
 * Entry i of ring r owns receive buffer r * ring_size + i, at
 * bufs_off + (r * ring_size + i) * buf_size: the frame's bytes.
 */
struct evs_entry {
	__le32 seq;
	__le16 code;
	__le16 flags;
	__le32 hash;
	u8 hash_type;
	u8 reserved[3];
	__le16 len;
	__le16 ring;
	__le32 cost_ns;
	__le64 tstamp_ns;
};

/* Device-side counters of one ring. */
struct evs_ring_stats {
	__le64 produced;	/* entries written */
	__le64 dropped;		/* events lost because the ring was full */
	__le64 signalled;	/* interrupts raised for this ring */
	__le64 bad_cons;	/* consumer index outside the ring, seen */
};

/* Device-side counters, written only by the device. */
struct evs_stats {
	__le64 events;		/* events generated */
	__le64 produced;	/* entries written, all rings */
	__le64 dropped;		/* events lost, all rings */
	__le64 nodata;		/* events sent to the default processor */
	__le64 config_applied;
	__le64 config_rejected;
	__le64 doorbells;	/* doorbell rings received from the guest */
	__le64 injected;	/* faults injected on purpose */
	__le64 tx_frames;	/* 2.1: TX descriptors sent to the backend */
	__le64 tx_bytes;	/* 2.1: their bytes */
	__le64 tx_bad;		/* 2.1: TX descriptors refused (length) */
	__le64 tx_bad_prod;	/* 2.1: TX producer index outside the ring */
	__le64 tx_signalled;	/* 2.1: TX completion interrupts raised */
	__le64 reserved[3];
	struct evs_ring_stats ring[EVS_MAX_RINGS];
};

/* Layout checks: the ABI must not drift. */
static_assert(sizeof(struct evs_header) == EVS_HEADER_SIZE);
static_assert(offsetof(struct evs_header, magic) == 0);
static_assert(offsetof(struct evs_header, abi_version) == 4);
static_assert(offsetof(struct evs_header, status) == 20);
static_assert(offsetof(struct evs_header, num_rings) == 24);
static_assert(offsetof(struct evs_header, ring_size) == 32);
static_assert(offsetof(struct evs_header, config_off) == 48);
static_assert(offsetof(struct evs_header, entries_off) == 60);
static_assert(offsetof(struct evs_header, bufs_off) == 64);
static_assert(offsetof(struct evs_header, buf_size) == 68);
static_assert(offsetof(struct evs_header, mac) == 72);
static_assert(offsetof(struct evs_header, tx_ring_size) == 80);
static_assert(offsetof(struct evs_header, tx_ctl_off) == 84);
static_assert(offsetof(struct evs_header, tx_desc_off) == 88);
static_assert(offsetof(struct evs_header, tx_bufs_off) == 92);
static_assert(offsetof(struct evs_header, driver_ctrl) == 128);
static_assert(offsetof(struct evs_header, config_gen) == 132);
static_assert(offsetof(struct evs_header, active_rings) == 136);
static_assert(offsetof(struct evs_header, config_ack) == 160);
static_assert(offsetof(struct evs_header, config_status) == 164);
static_assert(sizeof(struct evs_mvmt_entry) == 4);
static_assert(offsetof(struct evs_config, reta_size) == 40);
static_assert(offsetof(struct evs_config, default_proc) == 42);
static_assert(offsetof(struct evs_config, map_mode) == 44);
static_assert(offsetof(struct evs_config, reta) == 48);
static_assert(offsetof(struct evs_config, mvmt_pc) == 48 + 2 * EVS_RETA_MAX);
static_assert(offsetof(struct evs_config, proc_ring) ==
	      48 + 2 * EVS_RETA_MAX + 4 * EVS_MAX_PROCS * EVS_NUM_CODES);
static_assert(offsetof(struct evs_config, ring_vector) ==
	      offsetof(struct evs_config, proc_ring) + 2 * EVS_MAX_PROCS);
static_assert(sizeof(struct evs_config) ==
	      offsetof(struct evs_config, ring_vector) + 2 * EVS_MAX_RINGS);
static_assert(sizeof(struct evs_ring_ctl) == 128);
static_assert(offsetof(struct evs_ring_ctl, armed) == 4);
static_assert(offsetof(struct evs_ring_ctl, cons) == 64);
static_assert(sizeof(struct evs_tx_ctl) == 128);
static_assert(offsetof(struct evs_tx_ctl, armed) == 4);
static_assert(offsetof(struct evs_tx_ctl, cons) == 64);
static_assert(sizeof(struct evs_tx_desc) == 8);
static_assert(sizeof(struct evs_entry) == 32);
static_assert(offsetof(struct evs_entry, code) == 4);
static_assert(offsetof(struct evs_entry, hash) == 8);
static_assert(offsetof(struct evs_entry, hash_type) == 12);
static_assert(offsetof(struct evs_entry, len) == 16);
static_assert(offsetof(struct evs_entry, ring) == 18);
static_assert(offsetof(struct evs_entry, cost_ns) == 20);
static_assert(offsetof(struct evs_entry, tstamp_ns) == 24);
static_assert(sizeof(struct evs_ring_stats) == 32);
static_assert(offsetof(struct evs_stats, ring) == 128);
static_assert(sizeof(struct evs_stats) == 128 + 32 * EVS_MAX_RINGS);

static inline bool evs_is_pow2(u32 v)
{
	return v && !(v & (v - 1));
}

static inline u32 evs_align_up(u32 v, u32 a)
{
	return (v + a - 1) & ~(a - 1);
}

/**
 * struct evs_layout - where each region lives, derived from the geometry
 */
struct evs_layout {
	u32 config_off;
	u32 stats_off;
	u32 ring_ctl_off;
	u32 entries_off;
	u32 bufs_off;
	u32 buf_size;
	u32 rx_end;		/* end of the receive buffers (ABI 2.0 size) */
	u32 tx_ring_size;	/* descriptors per TX queue */
	u32 tx_ctl_off;
	u32 tx_desc_off;
	u32 tx_bufs_off;
	u32 total_size;		/* bytes needed, from offset 0 */
};

/* TX descriptors per queue for a geometry: the RX size, at most 256. */
static inline u32 evs_tx_ring_size(u32 ring_size)
{
	return ring_size < EVS_TX_RING_SIZE_MAX ? ring_size :
						  EVS_TX_RING_SIZE_MAX;
}

/**
 * evs_layout_compute() - lay out the regions for a ring geometry
 * @num_rings: data rings (the admin ring comes on top)
 * @ring_size: entries per ring
 * @buf_size:  bytes per receive buffer
 * @l:         filled in
 *
 * Both sides use it: the device to lay the memory out, the driver to
 * check that what the device advertised is what the geometry implies.
 * The TX regions (one queue per data ring) follow the receive buffers,
 * so an ABI 2.0 layout is a prefix of it, ending at @l->rx_end.
 *
 * Return: 0, or -1 if the geometry is out of range.
 */
static inline int evs_layout_compute(u32 num_rings, u32 ring_size,
				     u32 buf_size, struct evs_layout *l)
{
	u64 entries, bufs, tx_bufs;
	u32 tx_size = evs_tx_ring_size(ring_size);

	if (num_rings < 1 || num_rings >= EVS_MAX_RINGS ||
	    !evs_is_pow2(ring_size) || ring_size < EVS_RING_SIZE_MIN ||
	    ring_size > EVS_RING_SIZE_MAX || !evs_is_pow2(buf_size) ||
	    buf_size < EVS_BUF_SIZE_MIN || buf_size > EVS_BUF_SIZE_MAX)
		return -1;
	entries = (u64)(num_rings + 1) * ring_size * sizeof(struct evs_entry);
	bufs = (u64)(num_rings + 1) * ring_size * buf_size;
	tx_bufs = (u64)num_rings * tx_size * buf_size;
	l->config_off = EVS_ALIGN;
	l->stats_off = evs_align_up(l->config_off + sizeof(struct evs_config),
				    EVS_ALIGN);
	l->ring_ctl_off = evs_align_up(l->stats_off + sizeof(struct evs_stats),
				       EVS_ALIGN);
	l->entries_off = evs_align_up(l->ring_ctl_off + (num_rings + 1) *
				      sizeof(struct evs_ring_ctl), EVS_ALIGN);
	if (entries + bufs + tx_bufs + 4 * EVS_ALIGN +
	    (u64)num_rings * (sizeof(struct evs_tx_ctl) + tx_size *
			      sizeof(struct evs_tx_desc)) >
	    0x7fffffffu - l->entries_off)
		return -1;
	l->bufs_off = evs_align_up(l->entries_off + (u32)entries, EVS_ALIGN);
	l->buf_size = buf_size;
	l->rx_end = l->bufs_off + (u32)bufs;
	l->tx_ring_size = tx_size;
	l->tx_ctl_off = evs_align_up(l->rx_end, EVS_ALIGN);
	l->tx_desc_off = evs_align_up(l->tx_ctl_off + num_rings *
				      sizeof(struct evs_tx_ctl), EVS_ALIGN);
	l->tx_bufs_off = evs_align_up(l->tx_desc_off + num_rings * tx_size *
				      sizeof(struct evs_tx_desc), EVS_ALIGN);
	l->total_size = l->tx_bufs_off + (u32)tx_bufs;
	return 0;
}

#endif /* _EVSTEER_ABI_H */
