/* SPDX-License-Identifier: GPL-2.0 */
/*
 * evsteer: dynamic interrupt steering for the evsteer device, a
 * userspace device that reaches the guest as QEMU's ivshmem-doorbell
 * PCI function.  This header ties the driver's pieces together:
 *
 *   main.c     PCI glue: probe, remove, module init
 *   shm.c      BAR0 registers, BAR2 shared memory, ABI and geometry checks
 *   irq.c      MSI-X vectors, their names and CPU affinity
 *   ring.c     event ring windows: take, split, retire, re-arm
 *   lane.c     lanes: NAPI, threaded NAPI, work items or tasklets that
 *              process their share of a window, on their own CPU
 *   rx.c       receive: frames copied out of shared memory into skbs,
 *              handed to the stack
 *   tx.c       transmit: frames copied into the TX rings, completions,
 *              BQL, the watchdog
 *   debugfs.c  state and counter dumps for tests and humans
 *   rss_map.c  RSS state <-> device steering configuration (pure logic)
 *   rss.c      programming the steering configuration into the device
 *   netdev.c   the net device: open/stop, carrier, MTU, statistics
 *   ethtool.c  ethtool: channels, RSS table and key, statistics
 *   monitor.c  the load monitor: CPU usage, lane placement, the knobs
 *   hotplug.c  CPU hotplug: lanes leave a CPU before it goes offline
 *   sysfs.c    the knobs as attributes of the PCI device
 *   trace.c    tracepoints (trace.h): IRQs, lane runs, migrations
 */
#ifndef _EVSTEER_H
#define _EVSTEER_H

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/math.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/pci.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>

#include <evsteer/abi.h>

#include "policy.h"
#include "rebalance.h"

#define EVS_DRV_NAME		"evsteer"

#define EVS_PCI_VENDOR		0x1af4	/* Red Hat, Inc. */
#define EVS_PCI_DEVICE		0x1110	/* Inter-VM shared memory */

#define EVS_BAR_REGS		0	/* ivshmem registers */
#define EVS_BAR_SHM		2	/* shared memory */

#define EVS_REG_IVPOSITION	8	/* our own ivshmem peer id */
#define EVS_REG_DOORBELL	12	/* (peer id << 16) | vector */

#define EVS_NAME_LEN		20	/* "evsteer<N>", any int N */
#define EVS_IRQ_NAME_LEN	40	/* "evsteer<N>-ring<i>", "evsteer<N>-admin" */

#define EVS_MAX_LANES		8	/* deferred work items per ring */
#define EVS_DEFAULT_LANES	2
#define EVS_LANE_NONE		0xff	/* slot of a corrupt entry: no lane */
#define EVS_FLOW_SLOTS		128	/* per-lane per-flow order tracker */
#define EVS_COST_MAX_NS		100000	/* cap on the cost the device asks */
#define EVS_COST_RUN_MAX_NS	(1 * NSEC_PER_MSEC)	/* per lane run */

/*
 * Entries taken in one window, at most: what the hard-IRQ handler reads
 * (32-byte descriptors, never frame bytes) is bounded by it, whatever
 * the device publishes.
 */
#define EVS_WINDOW_MAX		256

/* The stack's TX watchdog: a queue stopped this long has timed out. */
#define EVS_TX_TIMEOUT		(5 * HZ)

/* How the lanes of a window run. */
enum evs_bh_mode {
	EVS_BH_NAPI,		/* NAPI in softirq, scheduled on the lane CPU by IPI */
	EVS_BH_THREADED,	/* threaded NAPI, its kthread pinned to the lane CPU */
	EVS_BH_WORKQUEUE,	/* work items, queue_work_on(lane CPU) */
	EVS_BH_TASKLET,		/* tasklets, raised on the lane CPU by an IPI */
	EVS_BH_BH,		/* BH work items (Linux 6.9+), queued on the lane CPU */
	EVS_NUM_BH_MODES,
};

static inline bool evs_bh_is_napi(enum evs_bh_mode mode)
{
	return mode == EVS_BH_NAPI || mode == EVS_BH_THREADED;
}

/**
 * struct evs_slot - one entry of the current window, its descriptor
 * copied out of shared memory once, so that the device cannot change
 * what the lanes see (and cannot make two lanes disagree on who owns an
 * entry); the frame's bytes are copied later, by the lane
 * @seq:       per-ring sequence number
 * @hash:      the device's Toeplitz hash, also the flow's key
 * @cost_ns:   busy time to spend, capped at EVS_COST_MAX_NS
 * @len:       frame length, checked against the buffer size
 * @code:      event code, below EVS_NUM_CODES
 * @flags:     EVS_EF_* (low byte)
 * @hash_type: enum evs_hash_type, below EVS_NUM_HASH_TYPES
 * @lane:      lane that owns the entry, or EVS_LANE_NONE
 * @held:      its RETA bucket is being handed to this ring: the lane
 *             holds the frame until the old ring is past it (handoff.c)
 */
struct evs_slot {
	u32 seq;
	u32 hash;
	u32 cost_ns;
	u16 len;
	u16 code;
	u8 flags;
	u8 hash_type;
	u8 lane;
	u8 held;
};

/* Last sequence number a lane saw of one flow (hashed by flow hash). */
struct evs_flow_seen {
	u32 hash;
	u32 seq;
	bool valid;
};

/**
 * struct evs_ring_stats_sw - counters of one ring, kept by the window
 * owner (one writer at a time: whoever holds EVS_RING_BUSY)
 * @syncp:       guards the 64-bit counters for readers on 32-bit kernels
 * @windows:     windows taken
 * @events:      entries consumed
 * @codes:       entries consumed, per event code
 * @lost:        sequence numbers never seen (device drops show here too)
 * @dups:        entries whose sequence number was already seen
 * @bad_prod:    times the write index was outside the ring window
 * @bad_entry:   corrupt entries, all reasons (the next four and more)
 * @bad_code:    entries with an unknown event code or another ring's id
 * @runts:       data entries shorter than an Ethernet header
 * @oversize:    data entries longer than their buffer
 * @bad_link:    link events on a data ring (carrier is the admin ring's)
 * @rearm_races: entries found right after re-arming the interrupt
 */
struct evs_ring_stats_sw {
	struct u64_stats_sync syncp;
	u64_stats_t windows;
	u64_stats_t events;
	u64_stats_t codes[EVS_NUM_CODES];
	u64_stats_t lost;
	u64_stats_t dups;
	u64_stats_t bad_prod;
	u64_stats_t bad_entry;
	u64_stats_t bad_code;
	u64_stats_t runts;
	u64_stats_t oversize;
	u64_stats_t bad_link;
	u64_stats_t rearm_races;
};

/**
 * struct evs_ring_snapshot - a consistent copy of a ring's counters,
 * its lanes' receive counters summed in
 */
struct evs_ring_snapshot {
	u64 irqs;
	u64 irq_busy;
	u64 windows;
	u64 events;
	u64 codes[EVS_NUM_CODES];
	u64 lost;
	u64 dups;
	u64 bad_prod;
	u64 bad_entry;
	u64 bad_code;
	u64 runts;
	u64 oversize;
	u64 bad_link;
	u64 rearm_races;
	u64 rx_packets;
	u64 rx_bytes;
	u64 rx_alloc_fail;
	u64 rx_down;
	u64 handoff_held;
	u64 handoff_timeout;
	u64 handoff_drops;
};

/**
 * struct evs_lane_stats - counters of one lane, kept by the lane itself
 * @syncp:    guards the 64-bit counters for readers on 32-bit kernels
 * @runs:     windows in which the lane had entries
 * @events:   entries processed
 * @reorders: entries of a flow older than one already processed
 * @busy_ns:  time spent processing
 * @rx_packets: frames handed to the stack
 * @rx_bytes:   their bytes
 * @rx_alloc_fail: frames dropped because no skb could be allocated
 * @rx_down:    frames dropped because the interface was down (only the
 *              admin ring runs then)
 * @handoff_held: frames held for a bucket's hand-off (handoff.c)
 * @handoff_timeout: held frames released because the hand-off timed out
 *              (the old ring did not get past its position in time)
 * @handoff_drops: frames dropped by a hand-off: beyond the hold limit, or
 *              still held when the ring stopped
 */
struct evs_lane_stats {
	struct u64_stats_sync syncp;
	u64_stats_t runs;
	u64_stats_t events;
	u64_stats_t reorders;
	u64_stats_t busy_ns;
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	u64_stats_t rx_alloc_fail;
	u64_stats_t rx_down;
	u64_stats_t handoff_held;
	u64_stats_t handoff_timeout;
	u64_stats_t handoff_drops;
};

/** struct evs_lane_snapshot - a consistent copy of a lane's counters */
struct evs_lane_snapshot {
	u64 runs;
	u64 events;
	u64 reorders;
	u64 busy_ns;
	u64 rx_packets;
	u64 rx_bytes;
	u64 rx_alloc_fail;
	u64 rx_down;
	u64 handoff_held;
	u64 handoff_timeout;
	u64 handoff_drops;
	u64 migrations;
	unsigned int cpu;
	unsigned int last_cpu;
};

/**
 * struct evs_lane_mon - the load monitor's view of one lane, under the
 * monitor's lock
 * @busy_ns:    the lane's busy_ns at the last sample
 * @load:       its own load over the last interval (0 .. EVS_USAGE_FULL)
 * @decision:   enum evs_decision of the last placement
 * @from:       its CPU before that placement
 * @usage_from: usage estimate of @from then
 * @usage_low:  usage estimate of the lowest allowed CPU then
 * @moved_ns:   when the monitor last changed its CPU (ktime_get_ns()),
 *              0 if it never did: the residence time counts from here
 * @held:       moves held back by the residence time
 * @relief_quiet_ns: a relief pass placed it: it asks again only from
 *              then on (ktime_get_ns(); read by relief.c)
 */
struct evs_lane_mon {
	u64 busy_ns;
	u32 load;
	enum evs_decision decision;
	unsigned int from;
	u32 usage_from;
	u32 usage_low;
	u64 moved_ns;
	u64 held;
	u64 relief_quiet_ns;
};

/* A lane's work item, and the way back to its lane. */
struct evs_lane_work {
	struct work_struct work;
	struct evs_lane *lane;
};

/**
 * struct evs_lane - one deferred work item of a ring
 * @ring:     owning ring
 * @idx:      lane number within the ring: see evs_lane_of()
 * @cpu:      target CPU; the load monitor changes it (WRITE_ONCE), the
 *            dispatcher reads it once per window (READ_ONCE)
 * @last_cpu: CPU the lane last ran on
 * @napi:     NAPI modes: the lane's NAPI instance
 * @napi_on:  @napi is enabled
 * @in_window: the lane has a share of the window in flight, finished or
 *            not; cleared as it finishes
 * @started:  the lane began its share of the window in flight (cleared
 *            by the dispatcher before @in_window is set)
 * @queued_cpu: CPU the lane's share of the window was sent to (the
 *            dispatcher's, and relief's when it sends it on)
 * @relief:   EVS_LANE_RELIEF: the lane asked for a relief pass
 * @work:     workqueue mode: two work items, used in turn, see
 *            evs_lane_schedule()
 * @next_work: the one the next window uses (the dispatcher's)
 * @raise:    NAPI and tasklet modes: IPI that schedules the lane on @cpu
 * @tasklet:  tasklet mode
 * @batch:    slot indices of the lane's entries in the current window,
 *            in ring order; filled by the window's taker
 * @batch_len: entries in @batch
 * @batch_pos: entries of @batch done (a NAPI poll may stop mid-batch)
 * @cost_budget: busy time the lane may still spend in this window
 * @flows:    last sequence number per flow, to detect reordering
 * @stats:    counters
 * @hold:     frames held for hand-offs, in ring order (no lock: only
 *            the lane touches it while in a window, the ring's stop
 *            when no lane runs)
 * @migrations: times the monitor (or CPU hotplug) changed @cpu
 * @mon:      the load monitor's view
 */
struct evs_lane {
	struct evs_ring *ring;
	u32 idx;
	unsigned int cpu;
	unsigned int last_cpu;
	struct napi_struct napi;
	bool napi_on;
	bool in_window;
	bool started;
	unsigned int queued_cpu;
	unsigned long relief;
	struct evs_lane_work work[2];
	unsigned int next_work;
	call_single_data_t raise;
	struct tasklet_struct tasklet;
	u16 batch[EVS_WINDOW_MAX];
	u32 batch_len;
	u32 batch_pos;
	u32 cost_budget;
	struct evs_flow_seen flows[EVS_FLOW_SLOTS];
	struct evs_lane_stats stats;
	struct sk_buff_head hold;
	atomic64_t migrations;
	struct evs_lane_mon mon;
};

/**
 * struct evs_txq_stats - counters of one TX queue, written under its
 * xmit lock
 * @syncp:    guards the 64-bit counters for readers on 32-bit kernels
 * @packets:  frames posted to the device
 * @bytes:    their bytes
 * @dropped:  frames dropped: too short, too long, or no room
 * @stops:    times the ring filled and the driver stopped the queue
 *            (BQL's own stops are in the queue's byte_queue_limits)
 * @wakes:    times the driver woke the queue (a completion, or the
 *            watchdog's retry)
 * @timeouts: watchdog timeouts (the device stopped completing)
 * @resets:   queue resets after a timeout (the device paused, the ring
 *            emptied)
 * @reset_drops: frames posted but never completed, dropped by a reset
 * @bad_cons: completion indices beyond what was posted, ignored
 */
struct evs_txq_stats {
	struct u64_stats_sync syncp;
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t dropped;
	u64_stats_t stops;
	u64_stats_t wakes;
	u64_stats_t timeouts;
	u64_stats_t resets;
	u64_stats_t reset_drops;
	u64_stats_t bad_cons;
};

/** struct evs_txq_snapshot - a consistent copy of a TX queue's counters */
struct evs_txq_snapshot {
	u64 packets;
	u64 bytes;
	u64 dropped;
	u64 stops;
	u64 wakes;
	u64 timeouts;
	u64 resets;
	u64 reset_drops;
	u64 bad_cons;
};

/* Bits of evs_txq.state. */
enum {
	EVS_TXQ_RUNNING,	/* the net device is up */
	EVS_TXQ_ARMED,		/* stopped: a completion interrupt is due */
	EVS_TXQ_RESET,		/* timed out: evs_tx_reset_work() resets it */
};

/**
 * struct evs_txq - one TX queue: ring @id's transmit half
 * @edev:     device
 * @ctl:      control block in shared memory
 * @desc:     descriptors in shared memory
 * @bufs:     one buffer per descriptor, in shared memory
 * @id:       queue number, also the ring whose vector completes it
 * @size:     descriptors, a power of two
 * @buf_size: bytes per buffer
 * @prod:     descriptors posted (free-running)
 * @clean:    descriptors reclaimed (free-running)
 * @state:    EVS_TXQ_* bits
 * @len:      bytes of each posted descriptor, for BQL at completion
 * @napi:     reclaims and wakes the queue after a completion interrupt
 * @stats:    counters
 */
struct evs_txq {
	struct evs_dev *edev;
	struct evs_tx_ctl *ctl;
	struct evs_tx_desc *desc;
	u8 *bufs;
	u32 id;
	u32 size;
	u32 buf_size;
	u32 prod;
	u32 clean;
	unsigned long state;
	u16 len[EVS_TX_RING_SIZE_MAX];
	struct napi_struct napi;
	struct evs_txq_stats stats;
};

/* Bits of evs_ring.state. */
enum {
	EVS_RING_BUSY,		/* a window is being taken or processed */
	EVS_RING_STOPPING,	/* no new window: the ring is going away */
	EVS_RING_KICK,		/* a hand-off into the ring was released */
};

/**
 * struct evs_ring - one event ring, its vector and its lanes
 * @edev:          owning device
 * @ctl:           control block in shared memory (prod, armed, cons)
 * @entries:       entry array in shared memory
 * @bufs:          the entries' receive buffers in shared memory
 * @slots:         private copy of the current window, @size slots
 * @lanes:         EVS_MAX_LANES lanes
 * @id:            ring id; the admin ring is the last one
 * @size:          entries, a power of two, from the validated geometry
 * @buf_size:      bytes per receive buffer, from the validated geometry
 * @nr_lanes:      lanes used for the next window (1 .. EVS_MAX_LANES)
 * @state:         EVS_RING_* bits
 * @cons:          read index; only the holder of EVS_RING_BUSY uses it
 * @win_end:       end of the window in flight (its start is @cons)
 * @win_taken_ns:  when the window was taken, for the latency histogram
 * @win_taken_real: the same on the wall clock: the frames' skb timestamp
 * @win_lanes:     lanes the window in flight went to
 * @win_first_done: when the first of them finished (0: none yet), for
 *                 the head-of-line histogram
 * @next_seq:      sequence number expected next
 * @seq_synced:    @next_seq is known (false until the first entry)
 * @lanes_pending: lanes of the window in flight that have not finished
 * @running:       started and not stopped since (see evs_ring_start())
 * @irq:           Linux IRQ number of the vector
 * @cpu:           CPU the vector is affine to: its effective affinity,
 *                 followed when the vector moves (irq.c)
 * @affinity_notify: tells irq.c that the user moved the vector
 * @vector_moves:  times the vector was found on another CPU
 * @irq_name:      name in /proc/interrupts
 * @irqs:          hard interrupts taken
 * @irq_busy:      hard interrupts that found a window in flight
 * @stats:         window owner's counters
 * @bucket_frames: frames taken per RETA bucket, EVS_RSS_RETA_SIZE of
 *                 them (data rings), written by the window owner only and
 *                 read by the monitor, which takes differences (they wrap)
 * @retired:       read index the ring last published: the hand-offs'
 *                 copy, never read back from shared memory
 * @win_released:  hand-offs into the ring that the window in flight ends
 * @ho_release:    their buckets: the lanes deliver what they held of them
 * @ho_timed_out:  of those, the buckets whose hand-off timed out
 */
struct evs_ring {
	struct evs_dev *edev;
	struct evs_ring_ctl *ctl;
	struct evs_entry *entries;
	const u8 *bufs;
	struct evs_slot *slots;
	struct evs_lane *lanes;
	u32 id;
	u32 size;
	u32 buf_size;
	u32 nr_lanes;
	unsigned long state;
	u32 cons;
	u32 win_end;
	u64 win_taken_ns;
	ktime_t win_taken_real;
	u32 win_lanes;
	atomic64_t win_first_done;
	u32 next_seq;
	bool seq_synced;
	atomic_t lanes_pending;
	bool running;
	int irq;
	unsigned int cpu;
	struct irq_affinity_notify affinity_notify;
	atomic64_t vector_moves;
	char irq_name[EVS_IRQ_NAME_LEN];
	atomic64_t irqs;
	atomic64_t irq_busy;
	struct evs_ring_stats_sw stats;
	u32 *bucket_frames;
	u32 retired;
	u32 win_released;
	DECLARE_BITMAP(ho_release, EVS_RETA_MAX);
	DECLARE_BITMAP(ho_timed_out, EVS_RETA_MAX);
};

/*
 * Latency histogram buckets: four per power of two of nanoseconds, so a
 * percentile read from it is within 19 % of the true value.
 */
#define EVS_LAT_SUB		4
#define EVS_LAT_BUCKETS		(40 * EVS_LAT_SUB)	/* up to ~18 min */

/**
 * struct evs_latency - how long windows wait for their lanes
 * @bucket: counts per bucket, see evs_latency_bucket()
 */
struct evs_latency {
	atomic64_t bucket[EVS_LAT_BUCKETS];
};

/**
 * struct evs_geometry - the device's layout, validated once at probe
 * @num_rings:   data rings
 * @total_rings: data rings plus the admin ring (= MSI-X vectors used)
 * @ring_size:   entries per ring
 * @buf_size:    bytes per receive buffer
 * @features:    EVS_FEAT_* advertised by the device
 * @mac:         the NIC's MAC address, as the device published it
 * @layout:      region offsets, recomputed by the driver
 *
 * Nothing here is read from shared memory again after probe: the device
 * could change it at any time.
 */
struct evs_geometry {
	u32 num_rings;
	u32 total_rings;
	u32 ring_size;
	u32 buf_size;
	u32 features;
	u8 mac[EVS_ETH_ALEN];
	struct evs_layout layout;
};

/*
 * RETA entries, as ethtool -x shows and -X takes: all the ABI allows, so
 * that the default table over 63 rings is within 1.107x of even (128
 * entries: 1.48x).
 */
#define EVS_RSS_RETA_SIZE	EVS_RETA_MAX

/**
 * struct evs_rss - the driver's steering state, as ethtool sees it
 * @key:          Toeplitz key
 * @reta:         redirection table of ring indices, each < @active_rings
 * @num_rings:    data rings of the device; ring @num_rings is the admin ring
 * @max_rings:    rings that can be active: the leading data rings whose
 *                CPUs are distinct processor ids (below EVS_MAX_PROCS)
 * @active_rings: rings the RETA spreads over, 1 .. @max_rings
 * @ring_proc:    CPU of each data ring's vector; for the rings below
 *                @max_rings that is the ring's processor id
 * @default_proc: processor id of events without data: the admin ring's CPU
 *
 * Only the steering changes with @active_rings: every ring keeps its
 * vector and its lanes and is consumed, so no event in flight is lost.
 */
struct evs_rss {
	u8 key[EVS_HASH_KEY_SIZE];
	u32 reta[EVS_RSS_RETA_SIZE];
	u32 num_rings;
	u32 max_rings;
	u32 active_rings;
	u32 ring_proc[EVS_MAX_RINGS];
	u32 default_proc;
};

/* The RETA bucket of a flow hash, as the device indexes the RETA. */
static inline u32 evs_bucket_of(u32 hash)
{
	return hash & (EVS_RSS_RETA_SIZE - 1);
}

/*
 * Hand-offs (handoff.c): a hold whose old ring retires nothing for this
 * long is released anyway; a lane holds this many frames at most.  A
 * window waits for its lanes' vCPU for tens of milliseconds under TCG
 * (hard IRQ -> socket p99 21 ms, max 77 ms in rebal_zipf): 10 ms let
 * one hand-off in twenty time out there, and its frames overtake.
 */
#define EVS_HANDOFF_TIMEOUT_MS	100
#define EVS_HANDOFF_HOLD_MAX	512

/* States of a bucket's hand-off (struct evs_handoff). */
enum {
	EVS_HO_NONE,		/* no hand-off */
	EVS_HO_PENDING,		/* new table on its way: hold, no position yet */
	EVS_HO_ARMED,		/* hold until the old ring is past @pos */
	EVS_HO_RELEASED,	/* it is: deliver what was held */
	EVS_HO_TIMED_OUT,	/* released by the timeout (or a failed change) */
};

/**
 * struct evs_handoff - one RETA bucket on its way from one ring to another
 * @state:    EVS_HO_*
 * @from:     the ring it leaves
 * @to:       the ring it goes to, whose lanes hold its frames meanwhile
 * @pos:      @from's write index once the device acknowledged the new
 *            table: every older frame of the bucket on @from is below it
 * @seen:     what @from had retired when @deadline was set
 * @deadline: jiffies at which the hold is released if @from retired
 *            nothing more since (else it is pushed on)
 */
struct evs_handoff {
	atomic_t state;
	u16 from;
	u16 to;
	u32 pos;
	u32 seen;
	unsigned long deadline;
};

/* Lane placement policies (sysfs "policy"). */
enum evs_policy_kind {
	EVS_POLICY_LOWEST_MARGIN,	/* lowest usage, with a margin */
	EVS_POLICY_STATIC,		/* lanes only leave CPUs not allowed */
	EVS_POLICY_TOPOLOGY,		/* lowest-margin, nearest the vector's CPU */
	EVS_NUM_POLICIES,
};

/**
 * struct evs_cpu_sample - one CPU as the load monitor last saw it
 * @all_ns:   all time, as the kernel accounts it, at the last sample
 * @idle_ns:  idle and iowait time at the last sample
 * @raw:      usage over the last interval, 0 .. EVS_USAGE_FULL
 * @usage:    @raw smoothed: what the policy sees
 * @valid:    @all_ns and @idle_ns hold a sample to measure from
 * @measured: @usage holds a measurement (else it starts from @raw)
 */
struct evs_cpu_sample {
	u64 all_ns;
	u64 idle_ns;
	u32 raw;
	u32 usage;
	bool valid;
	bool measured;
};

/**
 * struct evs_monitor - the load monitor and the steering knobs
 * @lock:        serialises ticks, knob changes and CPU hotplug callbacks;
 *               taken inside cpu_hotplug_lock (the callbacks run with it
 *               held); never held together with @rss_lock
 * @work:        the periodic tick
 * @cpuhp_node:  this device's CPU hotplug instance
 * @running:     ticks and hotplug callbacks act; cleared by remove
 * @margin:      hysteresis, percent of one CPU (0 .. 100)
 * @interval_ms: tick period (EVS_MON_INTERVAL_MIN .. EVS_MON_INTERVAL_MAX)
 * @smoothing:   EWMA weight of the previous usage, percent (0 .. 100)
 * @residence_ms: a lane that moved stays this long unless its CPU is hot
 *               (0 .. EVS_MON_RESIDENCE_MAX, 0: off)
 * @lanes:       lanes of every data ring (1 .. EVS_MAX_LANES)
 * @policy:      enum evs_policy_kind
 * @cpus:        allowed CPUs, as set; lanes use those that are online
 * @allowed:     scratch: @cpus and online CPUs
 * @cpu:         per-CPU samples, nr_cpu_ids of them
 * @estimate:    scratch: per-CPU usage estimates as lanes are placed
 * @tree:        the lowest of @estimate over @allowed, kept up to date as
 *               lanes move (a tournament tree over @tree_node)
 * @tree_node:   its nodes, evs_policy_tree_nodes(nr_cpu_ids) of them
 * @last_ns:     time of the last sample
 * @ticks:       ticks done
 * @residence_holds: moves held back by the residence time, all lanes
 * @rebalance:   move RETA buckets between rings every tick (0 or 1)
 * @rebalance_threshold: act while the busiest ring is this much above
 *               the mean, percent (EVS_MON_REBAL_THRESHOLD_MAX at most)
 * @rebalance_max: buckets moved per tick at most (1 .. EVS_REBAL_MAX_MOVES)
 * @bucket_last: each data ring's bucket_frames at the last tick, the
 *               monitor work's own (no lock)
 * @bucket_load: scratch: frames per bucket since the last tick
 * @rebal_moves: scratch: the moves of one rebalance
 * @rebalance_moves: buckets moved by the rebalancer
 * @rebalances:  tables the rebalancer committed
 * @rebalance_fails: tables it tried and the device did not take
 */
struct evs_monitor {
	struct mutex lock;	/* see above */
	struct delayed_work work;
	struct hlist_node cpuhp_node;
	bool running;
	u32 margin;
	u32 interval_ms;
	u32 smoothing;
	u32 residence_ms;
	u32 lanes;
	enum evs_policy_kind policy;
	struct cpumask *cpus;
	struct cpumask *allowed;
	struct evs_cpu_sample *cpu;
	u32 *estimate;
	struct evs_policy_tree tree;
	u32 *tree_node;
	u64 last_ns;
	atomic64_t ticks;
	atomic64_t residence_holds;
	u32 rebalance;
	u32 rebalance_threshold;
	u32 rebalance_max;
	u32 *bucket_last;
	u64 *bucket_load;
	struct evs_rebal_move *rebal_moves;
	atomic64_t rebalance_moves;
	atomic64_t rebalances;
	atomic64_t rebalance_fails;
};

#define EVS_MON_MARGIN_DEFAULT		20	/* percent: TCG guests are noisy */
#define EVS_MON_MARGIN_MAX		100
#define EVS_MON_INTERVAL_DEFAULT	100	/* ms */
#define EVS_MON_INTERVAL_MIN		10
#define EVS_MON_INTERVAL_MAX		60000
#define EVS_MON_SMOOTHING_MAX		100	/* percent */
#define EVS_MON_RESIDENCE_DEFAULT	20000	/* ms: performance.rst */
#define EVS_MON_RESIDENCE_MAX		600000	/* ms: 10 minutes */
#define EVS_MON_REBAL_THRESHOLD_DEFAULT	10	/* percent: TCG noise */
#define EVS_MON_REBAL_THRESHOLD_MAX	1000
#define EVS_MON_REBAL_MOVES_DEFAULT	8	/* buckets per tick */

struct net_device;

/**
 * struct evs_health - the device's heartbeat, as health.c watches it
 * @work:      polls the heartbeat
 * @last_beat: the heartbeat when it last moved
 * @last_seen: jiffies when it last moved
 * @gone:      it has not moved for long: the device is taken as gone
 * @watching:  @work is set up (the device offers EVS_FEAT_HEARTBEAT)
 * @lost:      times the device was found gone
 * @back:      times it came back
 */
struct evs_health {
	struct delayed_work work;
	u32 last_beat;
	unsigned long last_seen;
	bool gone;
	bool watching;
	atomic64_t lost;
	atomic64_t back;
};

/* struct evs_lane's relief bit: a relief pass is queued for it */
#define EVS_LANE_RELIEF		0

/**
 * struct evs_relief - sub-tick relief (relief.c): lanes whose queueing
 * delay crossed a threshold between two ticks are placed at once
 * @limit_ns: the threshold, window taken -> lane start; 0: off.  Written
 *            under the monitor's lock, read anywhere
 * @watch:    while on, every @limit_ns / 2: finds the lanes that have
 *            not started although their window waits longer than that
 * @work:     the monitor's relief pass (monitor.c), on an unbound worker
 * @requests: lanes that asked for a pass
 * @moves:    lanes a pass moved
 * @stays:    lanes a pass left where they were (no CPU was the margin
 *            below a busy one)
 * @resteers: windows not yet started that a pass sent on to their
 *            lane's new CPU (workqueue mode)
 */
struct evs_relief {
	u64 limit_ns;
	struct hrtimer watch;
	struct work_struct work;
	atomic64_t requests;
	atomic64_t moves;
	atomic64_t stays;
	atomic64_t resteers;
};

#define EVS_RELIEF_MIN_US	100	/* below: ordinary wake-up latency */
#define EVS_RELIEF_MAX_US	1000000

/**
 * struct evs_dev - one evsteer device
 * @pdev:        PCI function
 * @dev:         its struct device, for devres and messages
 * @id:          instance id, from an IDA
 * @name:        "evsteer<id>"
 * @regs:        BAR0, the ivshmem registers
 * @shm:         BAR2, the shared memory (write-back mapped RAM)
 * @shm_len:     bytes of BAR2
 * @hdr:         header at the start of @shm
 * @geo:         validated geometry
 * @ivposition:  our own ivshmem peer id
 * @device_peer: ivshmem peer id of the device, for the doorbell
 * @wq:          workqueue of the lanes in workqueue mode
 * @bh_mode:     enum evs_bh_mode of the lanes
 * @link_event:  called by a lane for a link change event, may be NULL
 * @rings:       @geo.total_rings rings, the admin ring last
 * @txqs:        @num_txqs TX queues, one per data ring (ABI 2.1)
 * @num_txqs:    TX queues; 0 if the device has none
 * @tx_reset_work: resets the TX queues the watchdog found stuck
 * @vectors_work: makes the processor ids follow vectors that moved
 * @vectors_follow: ring CPUs are followed (evs_irq_follow_start())
 * @debugfs:     this device's debugfs directory
 * @up:          the net device is up: the data rings run and the device
 *               may produce; changed under RTNL only
 * @drain_timeouts: steering changes or stops whose drain timed out
 * @rss_lock:    serialises steering changes and the config handshake
 * @rss:         steering state the device last accepted
 * @config_gen:  config_gen last written (the driver's own copy)
 * @config_silent: the device let a handshake time out and has not
 *               acknowledged @config_gen since: handshakes fail at once
 * @rebal_user:  the table is the user's (ethtool -X): the rebalancer
 *               leaves it alone; under rss_lock
 * @rebal_check: ethtool -X set a table: whether it is the user's, or
 *               the default again, is read from the net device's flags
 *               (under RTNL) before the next rebalance; under rss_lock
 * @rebal_paused: a knob that stops the rings has the rebalancer paused
 *               (evs_rss_pause_rebalance()); under rss_lock
 * @netdev:      the net device
 * @link_netdev: where link events go; cleared, and RCU waited for,
 *               before the net device is unregistered
 * @mon:         the load monitor and the steering knobs
 * @relief:      sub-tick relief of delayed lanes
 * @health:      whether the device is still there (health.c)
 * @latency:     window taken -> lane start, all rings
 * @hol:         head-of-line cost of the window barrier: first lane of a
 *               window done -> last lane done, windows of two lanes or more
 * @handoff:     EVS_RSS_RETA_SIZE buckets' hand-offs (handoff.c)
 * @ho_active:   hand-offs begun and not ended; one ends when the window
 *               of its new ring that delivered what was held retires
 * @ho_timeout_ms: longest hold of a hand-off (EVS_HANDOFF_TIMEOUT_MS)
 * @ho_timer:    releases the hand-offs whose old ring is late
 * @handoffs:    hand-offs begun
 * @handoff_timeouts: hand-offs released by the timeout
 */
struct evs_dev {
	struct pci_dev *pdev;
	struct device *dev;
	int id;
	char name[EVS_NAME_LEN];
	void __iomem *regs;
	void *shm;
	resource_size_t shm_len;
	struct evs_header *hdr;
	struct evs_geometry geo;
	u32 ivposition;
	u32 device_peer;
	struct workqueue_struct *wq;
	enum evs_bh_mode bh_mode;
	void (*link_event)(struct evs_dev *edev, bool up);
	struct evs_ring *rings;
	struct evs_txq *txqs;
	u32 num_txqs;
	struct work_struct tx_reset_work;
	struct work_struct vectors_work;
	bool vectors_follow;
	struct dentry *debugfs;
	bool up;
	atomic64_t drain_timeouts;
	struct mutex rss_lock;		/* protects @rss and @config_gen */
	struct evs_rss rss;
	u32 config_gen;
	bool config_silent;
	bool rebal_user;
	bool rebal_check;
	bool rebal_paused;
	struct net_device *netdev;
	struct net_device __rcu *link_netdev;
	struct evs_monitor mon;
	struct evs_relief relief;
	struct evs_health health;
	struct evs_latency latency;
	struct evs_latency hol;
	struct evs_handoff *handoff;
	atomic_t ho_active;
	u32 ho_timeout_ms;
	struct timer_list ho_timer;
	atomic64_t handoffs;
	atomic64_t handoff_timeouts;
};

/*
 * The lane of a flow hash: its high bits scaled to the lane count.  The
 * RETA index is the hash's low bits, so within one ring those are
 * nearly fixed; a modulo would leave most lanes of a ring empty.
 */
static inline u32 evs_lane_of(u32 hash, u32 nr_lanes)
{
	return reciprocal_scale(hash, nr_lanes);
}

static inline bool evs_ring_is_admin(const struct evs_ring *ring)
{
	return ring->id == ring->edev->geo.num_rings;
}

static inline void *evs_shm_at(const struct evs_dev *edev, u32 off)
{
	return (u8 *)edev->shm + off;
}

static inline void evs_devm_kvfree(void *p)
{
	kvfree(p);
}

/**
 * evs_devm_kvcalloc() - zeroed array freed with @dev, vmalloc'ed if large
 * @dev:  owning device
 * @n:    elements
 * @size: bytes each
 *
 * For arrays that grow with the ring size or the CPU count: a
 * physically contiguous one of that size may not be there to allocate.
 *
 * Return: the array, or NULL.
 */
static inline void *evs_devm_kvcalloc(struct device *dev, size_t n,
				      size_t size)
{
	void *p = kvcalloc(n, size, GFP_KERNEL);

	if (p && devm_add_action_or_reset(dev, evs_devm_kvfree, p))
		return NULL;
	return p;
}

/* shm.c */
int evs_shm_map(struct evs_dev *edev);
void evs_shm_doorbell(struct evs_dev *edev, u16 vector);
void evs_shm_enable(struct evs_dev *edev);
void evs_shm_pause(struct evs_dev *edev);
void evs_shm_disable(struct evs_dev *edev);

/* Why the window's taker refused an entry (ring.c). */
enum evs_entry_verdict {
	EVS_ENTRY_OK,
	EVS_ENTRY_BAD_CODE,	/* unknown event code, or another ring's id */
	EVS_ENTRY_RUNT,		/* data shorter than an Ethernet header */
	EVS_ENTRY_OVERSIZE,	/* data longer than the entry's buffer */
	EVS_ENTRY_LINK_ON_DATA,	/* carrier comes from the admin ring only */
};

/* ring.c */
int evs_ring_init(struct evs_dev *edev, struct evs_ring *ring, u32 id,
		  u32 nr_lanes);
void evs_ring_set_cpu(struct evs_ring *ring, unsigned int cpu);
enum evs_entry_verdict evs_ring_check_entry(const struct evs_ring *ring,
					    u32 code, u32 len, u32 entry_ring);
void evs_ring_start(struct evs_ring *ring);
void evs_ring_irq(struct evs_ring *ring);
void evs_ring_window_done(struct evs_ring *ring);
void evs_ring_stop(struct evs_ring *ring);
bool evs_ring_idle(struct evs_ring *ring);
void evs_ring_snapshot(struct evs_ring *ring, struct evs_ring_snapshot *s);
void evs_ring_kick(struct evs_ring *ring);

/* handoff.c */
int evs_handoff_init(struct evs_dev *edev);
void evs_handoff_shutdown(struct evs_dev *edev);
bool evs_handoff_idle(struct evs_dev *edev);
u32 evs_handoff_begin(struct evs_dev *edev, const u32 *old_reta,
		      const u32 *new_reta);
void evs_handoff_commit(struct evs_dev *edev, bool applied);
void evs_handoff_retired(struct evs_ring *ring);
bool evs_handoff_hold(struct evs_ring *ring, u32 bucket);
void evs_handoff_take(struct evs_ring *ring);
void evs_handoff_window_end(struct evs_ring *ring);
void evs_handoff_ring_stop(struct evs_ring *ring);

/* latency.c */
void evs_latency_add(struct evs_latency *lat, u64 ns);
void evs_latency_reset(struct evs_latency *lat);
u64 evs_latency_bucket_low(unsigned int idx);
u64 evs_latency_percentile(const struct evs_latency *lat, unsigned int pct,
			   u64 *count);

/* lane.c */
void evs_lane_init(struct evs_ring *ring, struct evs_lane *lane, u32 idx);
void evs_lane_init_work(struct evs_lane *lane);
void evs_lane_add_napi(struct evs_lane *lane, struct net_device *nd);
void evs_lane_del_napi(struct evs_lane *lane);
void evs_lane_start(struct evs_lane *lane);
void evs_lane_schedule(struct evs_lane *lane);
void evs_lane_wait(struct evs_lane *lane);
void evs_lane_flush(struct evs_lane *lane);
void evs_lane_stop(struct evs_lane *lane);
void evs_lane_moved(struct evs_lane *lane);
bool evs_lane_resteer(struct evs_lane *lane);
int evs_lane_mode_effective(enum evs_bh_mode mode);
void evs_lane_snapshot(struct evs_lane *lane, struct evs_lane_snapshot *s);

/* rx.c */
enum pkt_hash_types evs_rx_hash_type(u32 type);
struct sk_buff *evs_rx_build_skb(struct evs_lane *lane,
				 const struct evs_slot *slot, const u8 *buf);
void evs_rx_deliver(struct evs_lane *lane, struct sk_buff *skb,
		    struct list_head *list);
void evs_rx_flush(struct evs_lane *lane, struct list_head *list);

/* tx.c */
int evs_tx_init(struct evs_dev *edev);
netdev_tx_t evs_tx_xmit(struct sk_buff *skb, struct net_device *nd);
void evs_tx_irq(struct evs_dev *edev, u32 id);
void evs_tx_add_napis(struct evs_dev *edev);
void evs_tx_start(struct evs_dev *edev);
void evs_tx_stop(struct evs_dev *edev);
void evs_tx_timeout(struct net_device *nd, unsigned int q);
void evs_tx_cancel_reset(struct evs_dev *edev);
void evs_txq_snapshot(struct evs_txq *txq, struct evs_txq_snapshot *s);

/* irq.c */
int evs_irq_alloc_vectors(struct evs_dev *edev);
int evs_irq_request_all(struct evs_dev *edev);
void evs_irq_free_all(struct evs_dev *edev);
void evs_irq_follow_start(struct evs_dev *edev);
void evs_health_start(struct evs_dev *edev);
void evs_health_stop(struct evs_dev *edev);
void evs_irq_sync_cpus(struct evs_dev *edev);

/* rss_map.c */
u32 evs_rss_map_setup(struct evs_rss *rss, u32 num_rings,
		      const unsigned int *ring_cpu, unsigned int admin_cpu,
		      unsigned int online_cpus);
int evs_rss_ring_to_proc(const struct evs_rss *rss, u32 ring);
int evs_rss_proc_to_ring(const struct evs_rss *rss, u32 proc);
int evs_rss_check_indir(const u32 *indir, u32 size, u32 rings);
void evs_rss_fill_indir(u32 *indir, u32 size, u32 rings);
int evs_rss_resize(struct evs_rss *rss, u32 rings, bool custom);
int evs_rss_apply_table(struct evs_rss *rss, const u32 *indir,
			const u8 *key);
void evs_rss_build_config(const struct evs_rss *rss, struct evs_config *cfg);
int evs_rss_map_follow(struct evs_rss *rss, const unsigned int *ring_cpu,
		       unsigned int admin_cpu);

/* datapath.c */
void evs_dp_start_rings(struct evs_dev *edev, u32 first, u32 n);
void evs_dp_stop_rings(struct evs_dev *edev, u32 first, u32 n);
void evs_dp_drain(struct evs_dev *edev);
int evs_dp_open(struct evs_dev *edev);
void evs_dp_close(struct evs_dev *edev);

/* rss.c */
int evs_rss_init(struct evs_dev *edev);
int evs_rss_program_current(struct evs_dev *edev);
int evs_rss_set_rings(struct evs_dev *edev, u32 rings, bool custom);
int evs_rss_set_table(struct evs_dev *edev, const u32 *indir, const u8 *key);
void evs_rss_get_table(struct evs_dev *edev, u32 *indir, u8 *key);
void evs_rss_get_rings(struct evs_dev *edev, u32 *active, u32 *max);
void evs_rss_pause_rebalance(struct evs_dev *edev);
void evs_rss_resume_rebalance(struct evs_dev *edev);
void evs_rss_user_reset(struct evs_dev *edev);
int evs_rss_rebalance(struct evs_dev *edev, const u64 *load,
		      const struct evs_rebal_params *p,
		      struct evs_rebal_move *moves);
void evs_rss_follow_vectors(struct evs_dev *edev);

/* netdev.c */
int evs_netdev_create(struct evs_dev *edev);
int evs_netdev_register(struct evs_dev *edev);
void evs_netdev_unregister(struct evs_dev *edev);
int evs_netdev_set_threaded(struct evs_dev *edev, bool threaded);
void evs_netdev_link_queues(struct evs_dev *edev);
struct evs_dev *evs_netdev_to_edev(struct net_device *nd);
u64 evs_netdev_link_changes(struct net_device *nd);

/* ethtool.c */
void evs_ethtool_set_ops(struct net_device *nd);

/* debugfs.c */
void evs_debugfs_init(void);
void evs_debugfs_exit(void);
void evs_debugfs_add(struct evs_dev *edev);
void evs_debugfs_remove(struct evs_dev *edev);

/* monitor.c */
int evs_monitor_init(struct evs_dev *edev, u32 lanes);
int evs_monitor_start(struct evs_dev *edev);
void evs_monitor_stop(struct evs_dev *edev);
void evs_monitor_cpu_online(struct evs_dev *edev, unsigned int cpu);
void evs_monitor_cpu_offline(struct evs_dev *edev, unsigned int cpu);
int evs_monitor_set_margin(struct evs_dev *edev, u32 margin);
int evs_monitor_set_interval(struct evs_dev *edev, u32 interval_ms);
int evs_monitor_set_smoothing(struct evs_dev *edev, u32 smoothing);
int evs_monitor_set_residence(struct evs_dev *edev, u32 residence_ms);
int evs_monitor_set_policy(struct evs_dev *edev, enum evs_policy_kind policy);
int evs_monitor_set_cpus(struct evs_dev *edev, const struct cpumask *cpus);
int evs_monitor_set_lanes(struct evs_dev *edev, u32 lanes);
int evs_monitor_set_bh_mode(struct evs_dev *edev, enum evs_bh_mode mode);
int evs_monitor_set_rebalance(struct evs_dev *edev, u32 on);
int evs_monitor_set_rebal_threshold(struct evs_dev *edev, u32 pct);
int evs_monitor_set_rebal_moves(struct evs_dev *edev, u32 moves);
int evs_monitor_set_relief(struct evs_dev *edev, u32 relief_us);

void evs_relief_init(struct evs_dev *edev, work_func_t pass);
void evs_relief_request(struct evs_lane *lane, u64 delay_ns);
unsigned int evs_relief_scan(struct evs_dev *edev, u64 now);
void evs_relief_set(struct evs_dev *edev, u64 limit_ns);
void evs_relief_stop(struct evs_dev *edev);

/* A lane began its share of a window @delay_ns after it was taken. */
static inline void evs_relief_check(struct evs_lane *lane, u64 delay_ns)
{
	u64 limit = READ_ONCE(lane->ring->edev->relief.limit_ns);

	if (unlikely(limit && delay_ns >= limit))
		evs_relief_request(lane, delay_ns);
}

/* hotplug.c */
int evs_hotplug_init(void);
void evs_hotplug_exit(void);
int evs_hotplug_add(struct evs_dev *edev);
void evs_hotplug_remove(struct evs_dev *edev);

/* sysfs.c */
int evs_sysfs_add(struct evs_dev *edev);
const char *evs_policy_kind_name(enum evs_policy_kind policy);
const char *evs_bh_mode_name(enum evs_bh_mode mode);
int evs_bh_mode_parse(const char *buf);

#endif /* _EVSTEER_H */
