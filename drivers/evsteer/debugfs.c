// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: debugfs state dumps, one directory per device:
 *
 *   /sys/kernel/debug/evsteer/evsteer<N>/info    geometry and peer ids
 *   /sys/kernel/debug/evsteer/evsteer<N>/stats   driver counters per ring
 *   /sys/kernel/debug/evsteer/evsteer<N>/device  device counters per ring
 *   /sys/kernel/debug/evsteer/evsteer<N>/lanes   lane placement and counters
 *   /sys/kernel/debug/evsteer/evsteer<N>/monitor the load monitor's last tick
 *   /sys/kernel/debug/evsteer/evsteer<N>/rings   ring indices in shared memory
 *   /sys/kernel/debug/evsteer/evsteer<N>/tx      TX queues: indices, state,
 *                                                counters
 *   /sys/kernel/debug/evsteer/evsteer<N>/reta    the RETA, driver and device side
 *   /sys/kernel/debug/evsteer/evsteer<N>/mvmt    the MVMT the device was given
 *   /sys/kernel/debug/evsteer/evsteer<N>/rebalance RETA rebalancing and the
 *                                                hand-offs: knobs, counters,
 *                                                frames per ring and bucket
 *   /sys/kernel/debug/evsteer/evsteer<N>/latency window taken -> lane start
 *                                                (write anything to reset)
 *   /sys/kernel/debug/evsteer/evsteer<N>/hol     first lane of a window done
 *                                                -> last lane done (likewise)
 *
 * Every line is "key=value" pairs, one ring (or CPU, lane, entry) per
 * line, for scripts.  What is read from shared memory is printed as it
 * is: only printed, never trusted.
 */

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/math64.h>
#include <linux/sched.h>
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
		seq_printf(m, "ring=%u name=%s irq=%d cpu=%u vector_moves=%lld irqs=%llu irq_busy=%llu windows=%llu events=%llu",
			   ring->id, ring->irq_name, ring->irq,
			   READ_ONCE(ring->cpu),
			   atomic64_read(&ring->vector_moves),
			   s.irqs, s.irq_busy, s.windows, s.events);
		seq_printf(m, " data=%llu link=%llu error=%llu control=%llu",
			   s.codes[EVS_EV_DATA], s.codes[EVS_EV_LINK],
			   s.codes[EVS_EV_ERROR], s.codes[EVS_EV_CONTROL]);
		seq_printf(m, " lost=%llu dups=%llu bad_prod=%llu bad_entry=%llu bad_code=%llu runts=%llu oversize=%llu bad_link=%llu rearm_races=%llu",
			   s.lost, s.dups, s.bad_prod, s.bad_entry, s.bad_code,
			   s.runts, s.oversize, s.bad_link, s.rearm_races);
		seq_printf(m, " rx_packets=%llu rx_bytes=%llu rx_alloc_fail=%llu rx_down=%llu\n",
			   s.rx_packets, s.rx_bytes, s.rx_alloc_fail, s.rx_down);
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
			struct evs_lane *lane = &ring->lanes[j];
			struct task_struct *thread = READ_ONCE(lane->napi.thread);

			evs_lane_snapshot(lane, &s);
			seq_printf(m, "ring=%u lane=%u cpu=%u last_cpu=%u runs=%llu events=%llu reorders=%llu busy_ns=%llu migrations=%llu",
				   i, j, s.cpu, s.last_cpu, s.runs, s.events,
				   s.reorders, s.busy_ns, s.migrations);
			seq_printf(m, " rx_packets=%llu rx_bytes=%llu napi_id=%u thread_pid=%d\n",
				   s.rx_packets, s.rx_bytes, lane->napi.napi_id,
				   thread ? task_pid_nr(thread) : 0);
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

static void evs_monitor_show_knobs(struct seq_file *m, struct evs_dev *edev)
{
	struct evs_monitor *mon = &edev->mon;

	seq_printf(m, "running=%d ticks=%lld policy=%s margin=%u interval_ms=%u smoothing=%u residence_ms=%u lanes=%u bh_mode=%s",
		   mon->running, (long long)atomic64_read(&mon->ticks),
		   evs_policy_kind_name(mon->policy), mon->margin,
		   mon->interval_ms, mon->smoothing, mon->residence_ms,
		   mon->lanes, evs_bh_mode_name(edev->bh_mode));
	seq_printf(m, " residence_holds=%lld",
		   (long long)atomic64_read(&mon->residence_holds));
	seq_printf(m, " cpus=%*pbl online=%*pbl\n", cpumask_pr_args(mon->cpus),
		   cpumask_pr_args(cpu_online_mask));
	seq_printf(m, "relief_us=%llu requests=%lld relieved=%lld stayed=%lld resteered=%lld\n",
		   div_u64(READ_ONCE(edev->relief.limit_ns), NSEC_PER_USEC),
		   (long long)atomic64_read(&edev->relief.requests),
		   (long long)atomic64_read(&edev->relief.moves),
		   (long long)atomic64_read(&edev->relief.stays),
		   (long long)atomic64_read(&edev->relief.resteers));
}

/* Per CPU, the usage of the last sample; per data lane, where and why. */
static int evs_monitor_show(struct seq_file *m, void *v)
{
	struct evs_dev *edev = m->private;
	struct evs_monitor *mon = &edev->mon;
	struct evs_lane_snapshot s;
	unsigned int cpu, i, j;

	mutex_lock(&mon->lock);
	evs_monitor_show_knobs(m, edev);
	for_each_possible_cpu(cpu)
		seq_printf(m, "cpu=%u online=%d allowed=%d usage=%u raw=%u\n",
			   cpu, cpu_online(cpu), cpumask_test_cpu(cpu, mon->cpus),
			   mon->cpu[cpu].usage, mon->cpu[cpu].raw);
	for (i = 0; i < edev->geo.num_rings; i++) {
		struct evs_ring *ring = &edev->rings[i];

		for (j = 0; j < ring->nr_lanes; j++) {
			struct evs_lane *lane = &ring->lanes[j];

			evs_lane_snapshot(lane, &s);
			seq_printf(m, "ring=%u lane=%u cpu=%u decision=%s from=%u usage_from=%u usage_lowest=%u load=%u migrations=%llu residence_holds=%llu\n",
				   i, j, s.cpu, evs_decision_name(lane->mon.decision),
				   lane->mon.from, lane->mon.usage_from,
				   lane->mon.usage_low, lane->mon.load,
				   s.migrations, lane->mon.held);
		}
	}
	mutex_unlock(&mon->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(evs_monitor);

/* The indices in each ring's control block, and the driver's own. */
static int evs_rings_show(struct seq_file *m, void *v)
{
	struct evs_dev *edev = m->private;
	unsigned int i;

	for (i = 0; i < edev->geo.total_rings; i++) {
		struct evs_ring *ring = &edev->rings[i];
		u32 prod = evs_rd32_acquire(&ring->ctl->prod);
		u32 cons = evs_rd32(&ring->ctl->cons);

		seq_printf(m, "ring=%u prod=%u cons=%u armed=%u pending=%u driver_cons=%u busy=%d stopping=%d lanes=%u lanes_pending=%d\n",
			   i, prod, cons, evs_rd32(&ring->ctl->armed),
			   prod - cons, READ_ONCE(ring->cons),
			   test_bit(EVS_RING_BUSY, &ring->state),
			   test_bit(EVS_RING_STOPPING, &ring->state),
			   READ_ONCE(ring->nr_lanes),
			   atomic_read(&ring->lanes_pending));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(evs_rings);

static int evs_tx_show(struct seq_file *m, void *v)
{
	struct evs_dev *edev = m->private;
	struct evs_txq_snapshot s;
	u32 i;

	for (i = 0; i < edev->num_txqs; i++) {
		struct evs_txq *txq = &edev->txqs[i];

		evs_txq_snapshot(txq, &s);
		seq_printf(m, "txq=%u prod=%u cons=%u armed=%u driver_prod=%u clean=%u size=%u running=%d wants_irq=%d stopped=%d packets=%llu bytes=%llu dropped=%llu stops=%llu wakes=%llu timeouts=%llu resets=%llu reset_drops=%llu bad_cons=%llu\n",
			   i, evs_rd32(&txq->ctl->prod),
			   evs_rd32_acquire(&txq->ctl->cons),
			   evs_rd32(&txq->ctl->armed), READ_ONCE(txq->prod),
			   READ_ONCE(txq->clean), txq->size,
			   test_bit(EVS_TXQ_RUNNING, &txq->state),
			   test_bit(EVS_TXQ_ARMED, &txq->state),
			   netif_tx_queue_stopped(netdev_get_tx_queue(edev->netdev, i)),
			   s.packets, s.bytes, s.dropped, s.stops, s.wakes,
			   s.timeouts, s.resets, s.reset_drops, s.bad_cons);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(evs_tx);

static const struct evs_config *evs_dev_config(struct evs_dev *edev)
{
	return evs_shm_at(edev, edev->geo.layout.config_off);
}

/*
 * Each RETA entry: the ring the driver put there and the processor id
 * the device was given for it.  Under rss_lock, so not mid-change.
 */
static int evs_reta_show(struct seq_file *m, void *v)
{
	struct evs_dev *edev = m->private;
	const struct evs_config *cfg = evs_dev_config(edev);
	const struct evs_rss *rss = &edev->rss;
	unsigned int i;

	mutex_lock(&edev->rss_lock);
	seq_printf(m, "reta_size=%u device_reta_size=%u active_rings=%u max_rings=%u default_proc=%u map_mode=%u\n",
		   EVS_RSS_RETA_SIZE, evs_rd16(&cfg->reta_size),
		   rss->active_rings, rss->max_rings,
		   evs_rd16(&cfg->default_proc), evs_rd32(&cfg->map_mode));
	for (i = 0; i < EVS_RSS_RETA_SIZE; i++)
		seq_printf(m, "entry=%u ring=%u proc=%u\n", i, rss->reta[i],
			   evs_rd16(&cfg->reta[i]));
	mutex_unlock(&edev->rss_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(evs_reta);

/*
 * The rebalancer's knobs and counters, then per data ring its frames
 * (all buckets) and its lanes' hand-off counters, then the buckets
 * that have frames: frames per ring, free-running.
 */
static int evs_rebalance_show(struct seq_file *m, void *v)
{
	struct evs_dev *edev = m->private;
	struct evs_monitor *mon = &edev->mon;
	struct evs_ring_snapshot s;
	unsigned int i, b;
	bool user;

	mutex_lock(&edev->rss_lock);
	user = edev->rebal_user;
	mutex_unlock(&edev->rss_lock);
	seq_printf(m, "rebalance=%u threshold=%u moves_per_tick=%u user_table=%d moves=%lld rebalances=%lld fails=%lld\n",
		   READ_ONCE(mon->rebalance), READ_ONCE(mon->rebalance_threshold),
		   READ_ONCE(mon->rebalance_max), user,
		   atomic64_read(&mon->rebalance_moves),
		   atomic64_read(&mon->rebalances),
		   atomic64_read(&mon->rebalance_fails));
	seq_printf(m, "handoffs=%lld handoff_timeouts=%lld handoffs_active=%d timeout_ms=%u hold_max=%u\n",
		   atomic64_read(&edev->handoffs),
		   atomic64_read(&edev->handoff_timeouts),
		   atomic_read(&edev->ho_active), edev->ho_timeout_ms,
		   EVS_HANDOFF_HOLD_MAX);
	for (i = 0; i < edev->geo.num_rings; i++) {
		const u32 *f = edev->rings[i].bucket_frames;
		u64 frames = 0;

		for (b = 0; b < EVS_RSS_RETA_SIZE; b++)
			frames += READ_ONCE(f[b]);
		evs_ring_snapshot(&edev->rings[i], &s);
		seq_printf(m, "ring=%u frames=%llu handoff_held=%llu handoff_timeout=%llu handoff_drops=%llu\n",
			   i, frames, s.handoff_held, s.handoff_timeout,
			   s.handoff_drops);
	}
	for (b = 0; b < EVS_RSS_RETA_SIZE; b++) {
		bool any = false;

		for (i = 0; i < edev->geo.num_rings && !any; i++)
			any = READ_ONCE(edev->rings[i].bucket_frames[b]);
		if (!any)
			continue;
		seq_printf(m, "bucket=%u", b);
		for (i = 0; i < edev->geo.num_rings; i++)
			seq_printf(m, " ring%u=%u", i,
				   READ_ONCE(edev->rings[i].bucket_frames[b]));
		seq_putc(m, '\n');
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(evs_rebalance);

/* One MVMT row: where each event code of processor id @proc goes. */
static void evs_mvmt_show_proc(struct seq_file *m, const struct evs_config *cfg,
			       unsigned int proc)
{
	static const char * const codes[EVS_NUM_CODES] = {
		[EVS_EV_DATA]		= "data",
		[EVS_EV_LINK]		= "link",
		[EVS_EV_ERROR]		= "error",
		[EVS_EV_CONTROL]	= "control",
	};
	const struct evs_mvmt_entry *e = cfg->mvmt_pc[proc];
	unsigned int c;

	seq_printf(m, "proc=%u", proc);
	for (c = 0; c < EVS_NUM_CODES; c++)
		seq_printf(m, " %s_ring=%u %s_vector=%u", codes[c],
			   evs_rd16(&e[c].ring), codes[c],
			   evs_rd16(&e[c].vector));
	seq_printf(m, " proc_ring=%u\n", evs_rd16(&cfg->proc_ring[proc]));
}

/*
 * The MVMT of mapping mode (a), a row per processor id, then mode (b)'s
 * vector of each ring, as the device was given them.
 */
static int evs_mvmt_show(struct seq_file *m, void *v)
{
	struct evs_dev *edev = m->private;
	const struct evs_config *cfg = evs_dev_config(edev);
	unsigned int i;

	mutex_lock(&edev->rss_lock);
	seq_printf(m, "map_mode=%u default_proc=%u\n",
		   evs_rd32(&cfg->map_mode), evs_rd16(&cfg->default_proc));
	for (i = 0; i < EVS_MAX_PROCS; i++)
		evs_mvmt_show_proc(m, cfg, i);
	for (i = 0; i < edev->geo.total_rings; i++)
		seq_printf(m, "ring=%u vector=%u\n", i,
			   evs_rd16(&cfg->ring_vector[i]));
	mutex_unlock(&edev->rss_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(evs_mvmt);

/* A histogram: p50, p99 and the non-empty buckets. */
static int evs_latency_show(struct seq_file *m, void *v)
{
	struct evs_latency *lat = m->private;
	u64 count, p50, p99, n;
	unsigned int i;

	p50 = evs_latency_percentile(lat, 50, &count);
	p99 = evs_latency_percentile(lat, 99, &count);
	seq_printf(m, "samples=%llu p50_ns=%llu p99_ns=%llu\n", count, p50, p99);
	for (i = 0; i < EVS_LAT_BUCKETS; i++) {
		n = atomic64_read(&lat->bucket[i]);
		if (n)
			seq_printf(m, "from_ns=%llu count=%llu\n",
				   evs_latency_bucket_low(i), n);
	}
	return 0;
}

static int evs_latency_open(struct inode *inode, struct file *file)
{
	return single_open(file, evs_latency_show, inode->i_private);
}

/* Any write starts a new measurement. */
static ssize_t evs_latency_write(struct file *file, const char __user *buf,
				 size_t len, loff_t *ppos)
{
	struct evs_latency *lat = ((struct seq_file *)file->private_data)->private;

	evs_latency_reset(lat);
	return len;
}

static const struct file_operations evs_latency_fops = {
	.owner		= THIS_MODULE,
	.open		= evs_latency_open,
	.read		= seq_read,
	.write		= evs_latency_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

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
	debugfs_create_file("monitor", 0444, edev->debugfs, edev,
			    &evs_monitor_fops);
	debugfs_create_file("rings", 0444, edev->debugfs, edev,
			    &evs_rings_fops);
	debugfs_create_file("tx", 0444, edev->debugfs, edev, &evs_tx_fops);
	debugfs_create_file("reta", 0444, edev->debugfs, edev, &evs_reta_fops);
	debugfs_create_file("mvmt", 0444, edev->debugfs, edev, &evs_mvmt_fops);
	debugfs_create_file("rebalance", 0444, edev->debugfs, edev,
			    &evs_rebalance_fops);
	debugfs_create_file("latency", 0644, edev->debugfs, &edev->latency,
			    &evs_latency_fops);
	debugfs_create_file("hol", 0644, edev->debugfs, &edev->hol,
			    &evs_latency_fops);
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
