// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: debugfs state dumps, one directory per device:
 *
 *   /sys/kernel/debug/evsteer/evsteer<N>/info    geometry and peer ids
 *   /sys/kernel/debug/evsteer/evsteer<N>/stats   driver counters per ring
 *   /sys/kernel/debug/evsteer/evsteer<N>/device  device counters per ring
 *   /sys/kernel/debug/evsteer/evsteer<N>/lanes   lane placement and counters
 *
 * Every line is "key=value" pairs, one ring per line, for scripts.
 * The device counters are read from shared memory as they are: they
 * are only printed, never trusted.
 */

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "evsteer.h"

static struct dentry *evs_debugfs_root;

static int evs_info_show(struct seq_file *m, void *v)
{
	struct evs_dev *edev = m->private;
	const struct evs_geometry *geo = &edev->geo;

	seq_printf(m, "name=%s pci=%s ivposition=%u device_peer=%u\n",
		   edev->name, pci_name(edev->pdev), edev->ivposition,
		   edev->device_peer);
	seq_printf(m, "rings=%u ring_size=%u vectors=%u features=%#x shm_len=%llu\n",
		   geo->num_rings, geo->ring_size, geo->total_rings,
		   geo->features, (unsigned long long)edev->shm_len);
	seq_printf(m, "driver_ctrl=%#x device_status=%#x\n",
		   evs_rd32(&edev->hdr->driver_ctrl),
		   evs_rd32(&edev->hdr->status));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(evs_info);

static int evs_stats_show(struct seq_file *m, void *v)
{
	struct evs_dev *edev = m->private;
	struct evs_ring_snapshot s;
	unsigned int i;

	for (i = 0; i < edev->geo.total_rings; i++) {
		struct evs_ring *ring = &edev->rings[i];

		evs_ring_snapshot(ring, &s);
		seq_printf(m, "ring=%u name=%s irq=%d cpu=%u irqs=%llu irq_busy=%llu windows=%llu events=%llu",
			   ring->id, ring->irq_name, ring->irq, ring->cpu,
			   s.irqs, s.irq_busy, s.windows, s.events);
		seq_printf(m, " data=%llu link=%llu error=%llu control=%llu",
			   s.codes[EVS_EV_DATA], s.codes[EVS_EV_LINK],
			   s.codes[EVS_EV_ERROR], s.codes[EVS_EV_CONTROL]);
		seq_printf(m, " lost=%llu dups=%llu bad_prod=%llu bad_entry=%llu rearm_races=%llu\n",
			   s.lost, s.dups, s.bad_prod, s.bad_entry,
			   s.rearm_races);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(evs_stats);

static int evs_lanes_show(struct seq_file *m, void *v)
{
	struct evs_dev *edev = m->private;
	struct evs_lane_snapshot s;
	unsigned int i, j;

	for (i = 0; i < edev->geo.total_rings; i++) {
		struct evs_ring *ring = &edev->rings[i];

		for (j = 0; j < READ_ONCE(ring->nr_lanes); j++) {
			evs_lane_snapshot(&ring->lanes[j], &s);
			seq_printf(m, "ring=%u lane=%u cpu=%u last_cpu=%u runs=%llu events=%llu reorders=%llu busy_ns=%llu\n",
				   i, j, s.cpu, s.last_cpu, s.runs, s.events,
				   s.reorders, s.busy_ns);
		}
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(evs_lanes);

static int evs_device_show(struct seq_file *m, void *v)
{
	struct evs_dev *edev = m->private;
	const struct evs_stats *ds = evs_shm_at(edev,
						edev->geo.layout.stats_off);
	unsigned int i;

	seq_printf(m, "events=%llu produced=%llu dropped=%llu nodata=%llu doorbells=%llu injected=%llu\n",
		   evs_rd64(&ds->events), evs_rd64(&ds->produced),
		   evs_rd64(&ds->dropped), evs_rd64(&ds->nodata),
		   evs_rd64(&ds->doorbells), evs_rd64(&ds->injected));
	for (i = 0; i < edev->geo.total_rings; i++) {
		const struct evs_ring_stats *rs = &ds->ring[i];

		seq_printf(m, "ring=%u produced=%llu dropped=%llu signalled=%llu bad_cons=%llu\n",
			   i, evs_rd64(&rs->produced), evs_rd64(&rs->dropped),
			   evs_rd64(&rs->signalled), evs_rd64(&rs->bad_cons));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(evs_device);

/**
 * evs_debugfs_add() - create a device's directory and files
 * @edev: device, fully set up
 *
 * debugfs failures are not errors: the driver works without it.
 */
void evs_debugfs_add(struct evs_dev *edev)
{
	edev->debugfs = debugfs_create_dir(edev->name, evs_debugfs_root);
	debugfs_create_file("info", 0444, edev->debugfs, edev, &evs_info_fops);
	debugfs_create_file("stats", 0444, edev->debugfs, edev,
			    &evs_stats_fops);
	debugfs_create_file("device", 0444, edev->debugfs, edev,
			    &evs_device_fops);
	debugfs_create_file("lanes", 0444, edev->debugfs, edev,
			    &evs_lanes_fops);
}

/**
 * evs_debugfs_remove() - remove a device's directory
 * @edev: device
 *
 * Waits for readers still inside the files.
 */
void evs_debugfs_remove(struct evs_dev *edev)
{
	debugfs_remove_recursive(edev->debugfs);
	edev->debugfs = NULL;
}

void evs_debugfs_init(void)
{
	evs_debugfs_root = debugfs_create_dir(EVS_DRV_NAME, NULL);
}

void evs_debugfs_exit(void)
{
	debugfs_remove_recursive(evs_debugfs_root);
}
