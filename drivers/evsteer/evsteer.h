/* SPDX-License-Identifier: GPL-2.0 */
/*
 * evsteer: dynamic interrupt steering for the evsteer device, a
 * userspace device that reaches the guest as QEMU's ivshmem-doorbell
 * PCI function.  This header ties the driver's pieces together:
 *
 *   main.c     PCI glue: probe, remove, module init
 *   shm.c      BAR0 registers, BAR2 shared memory, ABI and geometry checks
 *   irq.c      MSI-X vectors, their names and CPU affinity
 *   ring.c     event ring consumer (read index, re-arm, counters)
 *   debugfs.c  state and counter dumps for tests and humans
 */
#ifndef _EVSTEER_H
#define _EVSTEER_H

#include <linux/atomic.h>
#include <linux/pci.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>

#include <evsteer/abi.h>

#define EVS_DRV_NAME		"evsteer"

#define EVS_PCI_VENDOR		0x1af4	/* Red Hat, Inc. */
#define EVS_PCI_DEVICE		0x1110	/* Inter-VM shared memory */

#define EVS_BAR_REGS		0	/* ivshmem registers */
#define EVS_BAR_SHM		2	/* shared memory */

#define EVS_REG_IVPOSITION	8	/* our own ivshmem peer id */
#define EVS_REG_DOORBELL	12	/* (peer id << 16) | vector */

#define EVS_NAME_LEN		16	/* "evsteer<N>" */
#define EVS_IRQ_NAME_LEN	32	/* "evsteer<N>-ring<i>", "evsteer<N>-admin" */

/**
 * struct evs_ring_stats_sw - counters of one ring, kept by the consumer
 * @syncp:       guards the 64-bit counters for readers on 32-bit kernels
 * @polls:       consumer runs
 * @events:      entries consumed
 * @codes:       entries consumed, per event code
 * @bad_prod:    polls that found the write index outside the ring window
 * @bad_entry:   entries with an unknown code or another ring's id
 * @rearm_races: entries found right after re-arming the interrupt
 */
struct evs_ring_stats_sw {
	struct u64_stats_sync syncp;
	u64_stats_t polls;
	u64_stats_t events;
	u64_stats_t codes[EVS_NUM_CODES];
	u64_stats_t bad_prod;
	u64_stats_t bad_entry;
	u64_stats_t rearm_races;
};

/**
 * struct evs_ring_snapshot - a consistent copy of a ring's counters
 */
struct evs_ring_snapshot {
	u64 irqs;
	u64 polls;
	u64 events;
	u64 codes[EVS_NUM_CODES];
	u64 bad_prod;
	u64 bad_entry;
	u64 rearm_races;
};

/**
 * struct evs_ring - one event ring and the MSI-X vector that signals it
 * @edev:     owning device
 * @ctl:      control block in shared memory (prod, armed, cons)
 * @entries:  entry array in shared memory
 * @work:     consumer, queued by the vector's handler
 * @id:       ring id; the admin ring is the last one
 * @size:     entries, a power of two, from the validated geometry
 * @cons:     private read index; shared memory only ever gets copies
 * @stopping: set on teardown, stops the consumer from re-queueing
 * @irq:      Linux IRQ number of the vector
 * @cpu:      CPU the vector is affine to
 * @irq_name: name in /proc/interrupts
 * @irqs:     hard interrupts taken
 * @stats:    consumer counters
 */
struct evs_ring {
	struct evs_dev *edev;
	struct evs_ring_ctl *ctl;
	struct evs_entry *entries;
	struct work_struct work;
	u32 id;
	u32 size;
	u32 cons;
	bool stopping;
	int irq;
	unsigned int cpu;
	char irq_name[EVS_IRQ_NAME_LEN];
	atomic64_t irqs;
	struct evs_ring_stats_sw stats;
};

/**
 * struct evs_geometry - the device's layout, validated once at probe
 * @num_rings:   data rings
 * @total_rings: data rings plus the admin ring (= MSI-X vectors used)
 * @ring_size:   entries per ring
 * @features:    EVS_FEAT_* advertised by the device
 * @layout:      region offsets, recomputed by the driver
 *
 * Nothing here is read from shared memory again after probe: the device
 * could change it at any time.
 */
struct evs_geometry {
	u32 num_rings;
	u32 total_rings;
	u32 ring_size;
	u32 features;
	struct evs_layout layout;
};

/**
 * struct evs_dev - one evsteer device
 * @pdev:        PCI function
 * @id:          instance id, from an IDA
 * @name:        "evsteer<id>"
 * @regs:        BAR0, the ivshmem registers
 * @shm:         BAR2, the shared memory (write-back mapped RAM)
 * @shm_len:     bytes of BAR2
 * @hdr:         header at the start of @shm
 * @geo:         validated geometry
 * @ivposition:  our own ivshmem peer id
 * @device_peer: ivshmem peer id of the device, for the doorbell
 * @wq:          workqueue of the ring consumers
 * @rings:       @geo.total_rings rings, the admin ring last
 * @debugfs:     this device's debugfs directory
 */
struct evs_dev {
	struct pci_dev *pdev;
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
	struct evs_ring *rings;
	struct dentry *debugfs;
};

static inline bool evs_ring_is_admin(const struct evs_ring *ring)
{
	return ring->id == ring->edev->geo.num_rings;
}

static inline void *evs_shm_at(const struct evs_dev *edev, u32 off)
{
	return (u8 *)edev->shm + off;
}

/* shm.c */
int evs_shm_map(struct evs_dev *edev);
void evs_shm_doorbell(struct evs_dev *edev, u16 vector);
void evs_shm_enable(struct evs_dev *edev);
void evs_shm_disable(struct evs_dev *edev);

/* ring.c */
void evs_ring_init(struct evs_dev *edev, struct evs_ring *ring, u32 id);
void evs_ring_arm(struct evs_ring *ring);
void evs_ring_kick(struct evs_ring *ring);
void evs_ring_stop(struct evs_ring *ring);
void evs_ring_snapshot(struct evs_ring *ring, struct evs_ring_snapshot *s);

/* irq.c */
int evs_irq_alloc_vectors(struct evs_dev *edev);
int evs_irq_request_all(struct evs_dev *edev);
void evs_irq_free_all(struct evs_dev *edev);

/* debugfs.c */
void evs_debugfs_init(void);
void evs_debugfs_exit(void);
void evs_debugfs_add(struct evs_dev *edev);
void evs_debugfs_remove(struct evs_dev *edev);

#endif /* _EVSTEER_H */
