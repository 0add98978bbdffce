// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: the load monitor, and the steering knobs it obeys.
 *
 * Every interval_ms a delayed work item measures each online CPU's
 * usage over the last interval from the kernel's CPU time accounting,
 * and each data lane's own load from its busy_ns, both in hundredths of
 * a percent of one CPU (policy.h's unit).  The placement policy
 * (policy.c) then decides, lane after lane, where each lane of each
 * data ring runs next; a lane that should move gets its new CPU with
 * WRITE_ONCE(lane->cpu).  The dispatcher reads lane->cpu once per
 * window and the windows of a ring never overlap, so a moved lane's
 * next window simply runs on its new CPU: per-flow order holds and
 * nothing is lost.  The admin ring's lane stays on the default CPU.
 *
 * A lane that moved stays on its new CPU for the residence time
 * (residence_ms) unless that CPU becomes hot (policy.c); the monitor
 * keeps when each lane last moved and tells the policy how long ago
 * that was.
 *
 * With the rebalance knob on, every tick also moves RETA buckets from
 * busy rings to idle ones (RSS++): the frames each ring counted per
 * bucket since the last tick (ring.c) are summed over the rings and
 * handed to evs_rebalance() (rebalance.c) through rss.c, which commits
 * the new table under rss_lock with the moved buckets handed off in
 * order (handoff.c).  That step runs after mon->lock is released:
 * mon->lock and rss_lock are never held together.
 *
 * With relief_us set, a lane whose window waited that long for it asks
 * for a relief pass between ticks (relief.c): evs_monitor_relief_work()
 * places it with its CPU taken as fully busy, and sends a window it has
 * not started on to its new CPU.  The pass runs under mon->lock like a
 * tick, so the monitor stays the only writer of lane CPUs.
 *
 * A lane leaves a CPU at once, whatever the policy and the margin, when
 * the "cpus" knob no longer allows it and when it goes offline
 * (hotplug.c calls evs_monitor_cpu_offline() while the CPU is still
 * up).  When it comes back, the ticks bring lanes back as usage says.
 *
 * Changing the lanes per ring or the bottom-half mode quiesces the
 * rings: stopped, changed, started again.  A stopped ring is disarmed,
 * the device goes on producing into it and the read index stays in
 * shared memory, so the first window after the restart takes what came
 * meanwhile: nothing is lost unless the ring fills in those few
 * microseconds, and that would be a counted device drop.
 *
 * Locking: mon->lock serialises the ticks, the knob setters and the CPU
 * hotplug callbacks.  The callbacks run with cpu_hotplug_lock held, so
 * everyone else takes cpus_read_lock() before mon->lock; mon->lock and
 * the device's rss_lock are never held together.  The lock also keeps
 * cpu_online_mask still while a tick or a knob change looks at it.
 * The lanes and bh_mode knobs restart rings and take RTNL before all of
 * these, as the net device's open and stop (which start and stop the
 * data rings) hold it; the kernel takes cpu_hotplug_lock inside RTNL.
 */

#include <linux/cpu.h>
#include <linux/kernel_stat.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/rtnetlink.h>
#include <linux/tick.h>
#include <linux/topology.h>

#include "evsteer.h"
#include "trace.h"

/* get_cpu_idle_time_us() and friends without NO_HZ accounting */
#define EVS_NO_NOHZ	((u64)-1)

/* 0 .. EVS_USAGE_FULL: @busy out of @all. */
static u32 evs_monitor_share(u64 busy, u64 all)
{
	if (!all)
		return 0;
	return div64_u64(min(busy, all) * EVS_USAGE_FULL, all);
}

/**
 * evs_monitor_cpu_times() - a CPU's time so far, as the kernel accounts it
 * @cpu:     CPU
 * @all_ns:  set to all time
 * @idle_ns: set to idle and iowait time
 *
 * With NO_HZ the tick code keeps idle and iowait time itself and
 * returns the wall time it measured them at; otherwise the per-CPU
 * cpustat counters hold them, and all time is the sum of the counters.
 */
static void evs_monitor_cpu_times(unsigned int cpu, u64 *all_ns, u64 *idle_ns)
{
	struct kernel_cpustat kcs;
	const u64 *t = kcs.cpustat;
	u64 wall_us = 0, idle_us, iowait_us;

	idle_us = get_cpu_idle_time_us(cpu, &wall_us);
	iowait_us = get_cpu_iowait_time_us(cpu, NULL);
	if (idle_us != EVS_NO_NOHZ && iowait_us != EVS_NO_NOHZ) {
		*all_ns = wall_us * NSEC_PER_USEC;
		*idle_ns = (idle_us + iowait_us) * NSEC_PER_USEC;
		return;
	}
	/* guest time is already part of user and nice */
	kcpustat_cpu_fetch(&kcs, cpu);
	*idle_ns = t[CPUTIME_IDLE] + t[CPUTIME_IOWAIT];
	*all_ns = *idle_ns + t[CPUTIME_USER] + t[CPUTIME_NICE] +
		  t[CPUTIME_SYSTEM] + t[CPUTIME_SOFTIRQ] + t[CPUTIME_IRQ] +
		  t[CPUTIME_STEAL];
}

/* Take a CPU's first sample: the next one measures from here. */
static void evs_monitor_prime_cpu(struct evs_monitor *mon, unsigned int cpu)
{
	struct evs_cpu_sample *s = &mon->cpu[cpu];

	evs_monitor_cpu_times(cpu, &s->all_ns, &s->idle_ns);
	s->valid = true;
	s->measured = false;
	s->raw = 0;
	s->usage = 0;
}

/* Usage of one online CPU since its last sample, smoothed. */
static void evs_monitor_sample_cpu(struct evs_monitor *mon, unsigned int cpu)
{
	struct evs_cpu_sample *s = &mon->cpu[cpu];
	u64 all, idle, d_all, d_idle;

	if (!s->valid) {
		evs_monitor_prime_cpu(mon, cpu);
		return;
	}
	evs_monitor_cpu_times(cpu, &all, &idle);
	d_all = all - s->all_ns;
	d_idle = min(idle - s->idle_ns, d_all);
	s->all_ns = all;
	s->idle_ns = idle;
	s->raw = evs_monitor_share(d_all - d_idle, d_all);
	/* EWMA: smoothing is the previous value's weight, in percent */
	if (s->measured)
		s->usage = (s->usage * mon->smoothing +
			    s->raw * (100 - mon->smoothing)) / 100;
	else
		s->usage = s->raw;
	s->measured = true;
}

static void evs_monitor_sample_cpus(struct evs_dev *edev)
{
	struct evs_monitor *mon = &edev->mon;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct evs_cpu_sample *s = &mon->cpu[cpu];

		if (!cpu_online(cpu)) {
			memset(s, 0, sizeof(*s));
			continue;
		}
		evs_monitor_sample_cpu(mon, cpu);
		trace_evsteer_monitor_sample(edev, cpu, s->usage, s->raw);
	}
}

/* Each data lane's own load over the last @elapsed_ns. */
static void evs_monitor_sample_lanes(struct evs_dev *edev, u64 elapsed_ns)
{
	struct evs_lane_snapshot s;
	unsigned int i, j;

	for (i = 0; i < edev->geo.num_rings; i++) {
		for (j = 0; j < EVS_MAX_LANES; j++) {
			struct evs_lane *lane = &edev->rings[i].lanes[j];

			evs_lane_snapshot(lane, &s);
			lane->mon.load = evs_monitor_share(s.busy_ns -
							   lane->mon.busy_ns,
							   elapsed_ns);
			lane->mon.busy_ns = s.busy_ns;
		}
	}
}

/*
 * Frames per RETA bucket since the last call, summed over the data
 * rings (a bucket that just moved has frames on both); the rings'
 * counters wrap, their differences do not.  Only the monitor's work
 * (and its start, before the work runs) calls this.
 */
static void evs_monitor_bucket_loads(struct evs_dev *edev)
{
	struct evs_monitor *mon = &edev->mon;
	u32 i, b;

	memset(mon->bucket_load, 0,
	       EVS_RSS_RETA_SIZE * sizeof(*mon->bucket_load));
	for (i = 0; i < edev->geo.num_rings; i++) {
		const u32 *frames = edev->rings[i].bucket_frames;
		u32 *last = mon->bucket_last + (size_t)i * EVS_RSS_RETA_SIZE;

		for (b = 0; b < EVS_RSS_RETA_SIZE; b++) {
			u32 now = READ_ONCE(frames[b]);

			mon->bucket_load[b] += now - last[b];
			last[b] = now;
		}
	}
}

/* Take the first sample of every online CPU, lane and bucket. */
static void evs_monitor_prime(struct evs_dev *edev)
{
	struct evs_monitor *mon = &edev->mon;
	unsigned int cpu;

	for_each_online_cpu(cpu)
		evs_monitor_prime_cpu(mon, cpu);
	evs_monitor_sample_lanes(edev, 0);
	evs_monitor_bucket_loads(edev);
	mon->last_ns = ktime_get_ns();
}

/*
 * The CPUs lanes may use: the allowed ones that are online, without
 * @gone (a CPU on its way out, or -1).  With @fallback, if none is left,
 * any online CPU but @gone: lanes must leave @gone even then, and come
 * back to the allowed CPUs as soon as one is online again.
 */
static void evs_monitor_allowed(struct evs_monitor *mon, int gone,
				bool fallback)
{
	cpumask_and(mon->allowed, mon->cpus, cpu_online_mask);
	if (gone >= 0)
		cpumask_clear_cpu(gone, mon->allowed);
	if (!fallback || !cpumask_empty(mon->allowed))
		return;
	cpumask_copy(mon->allowed, cpu_online_mask);
	if (gone >= 0)
		cpumask_clear_cpu(gone, mon->allowed);
}

/* Fresh estimates from the last sample: policy.c updates them as lanes move. */
static void evs_monitor_reset_estimate(struct evs_monitor *mon)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		mon->estimate[cpu] = mon->cpu[cpu].usage;
	evs_policy_tree_init(&mon->tree, mon->tree_node, mon->estimate,
			     cpumask_bits(mon->allowed), nr_cpu_ids);
}

/*
 * Policy "topology": how near @cpu is to @home.  A module cannot read
 * the scheduler's LLC masks (cpus_share_cache() and x86's
 * cpu_llc_shared_map are not exported), so the LLC level is the
 * package, topology_core_cpumask(), which is the LLC on most parts.
 */
static enum evs_closeness evs_monitor_closeness(const void *arg,
						unsigned int home,
						unsigned int cpu)
{
	if (home >= nr_cpu_ids || cpu >= nr_cpu_ids)
		return EVS_CLOSE_FAR;
	if (cpu == home ||
	    cpumask_test_cpu(cpu, topology_sibling_cpumask(home)))
		return EVS_CLOSE_CORE;
	if (cpumask_test_cpu(cpu, topology_core_cpumask(home)))
		return EVS_CLOSE_LLC;
	if (cpu_to_node(cpu) == cpu_to_node(home))
		return EVS_CLOSE_NODE;
	return EVS_CLOSE_FAR;
}

static const struct evs_policy_topo evs_monitor_topo = {
	.closeness = evs_monitor_closeness,
};

/* Milliseconds since the monitor last moved @lane, for the residence rule. */
static u32 evs_monitor_since_ms(const struct evs_lane *lane, u64 now)
{
	u64 ms;

	if (!lane->mon.moved_ns || now < lane->mon.moved_ns)
		return EVS_SINCE_NEVER;
	ms = div_u64(now - lane->mon.moved_ns, NSEC_PER_MSEC);
	return min_t(u64, ms, EVS_SINCE_NEVER);
}

/**
 * struct evs_place_round - what one round of placements decides with
 * @is_static: only leave a CPU that is not in mon->allowed
 * @topo:      policy "topology": prefer CPUs near the ring's vector
 * @relief:    a relief pass: the lane's CPU is taken as fully busy
 * @margin:    hysteresis, in usage units
 * @now:       ktime_get_ns() of this round, for the residence rule
 */
struct evs_place_round {
	bool is_static;
	bool topo;
	bool relief;
	u32 margin;
	u64 now;
};

/* A tick's round, or a relief pass's (margin 0: see evs_policy_relieve()). */
static struct evs_place_round evs_monitor_round(const struct evs_monitor *mon,
						bool relief)
{
	return (struct evs_place_round) {
		.is_static = mon->policy == EVS_POLICY_STATIC,
		.topo = mon->policy == EVS_POLICY_TOPOLOGY,
		.relief = relief,
		.margin = relief ? 0 : mon->margin * (EVS_USAGE_FULL / 100),
		.now = ktime_get_ns(),
	};
}

/**
 * evs_monitor_place() - decide for one lane and apply the decision
 * @edev:  device; mon->lock held
 * @lane:  data lane in use
 * @round: the round's knobs
 *
 * Lanes are placed one after the other with one call each, so the
 * estimates carry the lanes already moved in this round (as one
 * evs_policy_tick() over all of them would) and what each decision was
 * made on can be kept for debugfs and the tracepoint.  The tree keeps
 * the lowest estimate at hand: O(log C) per move, not O(C) per lane.
 */
static void evs_monitor_place(struct evs_dev *edev, struct evs_lane *lane,
			      const struct evs_place_round *round)
{
	struct evs_monitor *mon = &edev->mon;
	const struct evs_policy_topo *topo = round->topo ? &evs_monitor_topo :
							   NULL;
	struct evs_policy_lane pl = {
		.cpu = READ_ONCE(lane->cpu),
		.load = lane->mon.load,
		.home = READ_ONCE(lane->ring->cpu),
		.since_ms = evs_monitor_since_ms(lane, round->now),
	};
	unsigned int from = pl.cpu, low;

	low = evs_policy_tree_lowest(&mon->tree);
	lane->mon.from = from;
	lane->mon.usage_from = from < nr_cpu_ids ? mon->estimate[from] : 0;
	lane->mon.usage_low = low < nr_cpu_ids ? mon->estimate[low] : 0;
	if (round->relief)
		evs_policy_relieve(&mon->tree, mon->residence_ms,
				   round->is_static, topo, &pl);
	else
		evs_policy_tick_tree(&mon->tree, round->margin,
				     mon->residence_ms, round->is_static, topo,
				     &pl, 1);
	lane->mon.decision = pl.decision;
	if (pl.decision == EVS_DECIDE_STAY_RESIDENCE) {
		lane->mon.held++;
		atomic64_inc(&mon->residence_holds);
	}
	if (pl.cpu == from)
		return;
	lane->mon.moved_ns = round->now;
	WRITE_ONCE(lane->cpu, pl.cpu);
	evs_lane_moved(lane);
	atomic64_inc(&lane->migrations);
	trace_evsteer_migrate(lane, from, pl.cpu, lane->mon.usage_from,
			      lane->mon.usage_low, round->margin, pl.decision);
}

/* Move every data lane in use whose CPU is not in mon->allowed. */
static void evs_monitor_evict(struct evs_dev *edev)
{
	struct evs_monitor *mon = &edev->mon;
	struct evs_place_round round = evs_monitor_round(mon, false);
	unsigned int i, j;

	round.is_static = true;
	round.margin = 0;

	evs_monitor_reset_estimate(mon);
	for (i = 0; i < edev->geo.num_rings; i++) {
		struct evs_ring *ring = &edev->rings[i];

		for (j = 0; j < ring->nr_lanes; j++) {
			struct evs_lane *lane = &ring->lanes[j];

			if (!cpumask_test_cpu(READ_ONCE(lane->cpu),
					      mon->allowed))
				evs_monitor_place(edev, lane, &round);
		}
	}
}

/* One tick: sample, then place every data lane in use. */
static void evs_monitor_tick(struct evs_dev *edev)
{
	struct evs_monitor *mon = &edev->mon;
	struct evs_place_round round = evs_monitor_round(mon, false);
	unsigned int i, j;

	evs_irq_sync_cpus(edev);
	evs_monitor_sample_cpus(edev);
	evs_monitor_sample_lanes(edev, round.now - mon->last_ns);
	mon->last_ns = round.now;
	evs_monitor_allowed(mon, -1, false);
	evs_monitor_reset_estimate(mon);
	for (i = 0; i < edev->geo.num_rings; i++) {
		struct evs_ring *ring = &edev->rings[i];

		for (j = 0; j < ring->nr_lanes; j++)
			evs_monitor_place(edev, &ring->lanes[j], &round);
	}
	atomic64_inc(&mon->ticks);
}

/*
 * A relief pass: each data lane that asked (relief.c) is placed with
 * its CPU taken as fully busy, on the estimates the last tick left; a
 * share of a window it has not started follows it.  The CPU to blame
 * is the one its share was sent to: a lane that has left it already
 * (a tick or an earlier pass moved it) is not placed again, only its
 * share sent on.  @place is false while the monitor stops or relief is
 * off: the requests only go.
 */
static void evs_monitor_relieve(struct evs_dev *edev, bool place)
{
	struct evs_monitor *mon = &edev->mon;
	struct evs_place_round round = evs_monitor_round(mon, true);
	u64 quiet = round.now + READ_ONCE(edev->relief.limit_ns);
	unsigned int i, j, from;

	for (i = 0; i < edev->geo.num_rings; i++) {
		struct evs_ring *ring = &edev->rings[i];

		/* every slot: a lane that asked and then went out of use */
		for (j = 0; j < EVS_MAX_LANES; j++) {
			struct evs_lane *lane = &ring->lanes[j];

			if (!test_and_clear_bit(EVS_LANE_RELIEF, &lane->relief) ||
			    !place || j >= ring->nr_lanes)
				continue;
			from = READ_ONCE(lane->cpu);
			if (READ_ONCE(lane->queued_cpu) == from) {
				evs_monitor_place(edev, lane, &round);
				atomic64_inc(READ_ONCE(lane->cpu) != from ?
					     &edev->relief.moves :
					     &edev->relief.stays);
			}
			WRITE_ONCE(lane->mon.relief_quiet_ns, quiet);
			if (evs_lane_resteer(lane))
				atomic64_inc(&edev->relief.resteers);
		}
	}
}

static void evs_monitor_relief_work(struct work_struct *work)
{
	struct evs_dev *edev = container_of(work, struct evs_dev, relief.work);
	struct evs_monitor *mon = &edev->mon;

	cpus_read_lock();
	mutex_lock(&mon->lock);
	evs_monitor_relieve(edev, mon->running &&
			    READ_ONCE(edev->relief.limit_ns));
	mutex_unlock(&mon->lock);
	cpus_read_unlock();
}

/*
 * The tick's RETA step, without mon->lock: the bucket loads since the
 * last tick (taken whether the knob is on or not, so that turning it
 * on starts from one tick's worth), then rss.c's rebalance.
 */
static void evs_monitor_rebalance(struct evs_dev *edev,
				  const struct evs_rebal_params *p)
{
	struct evs_monitor *mon = &edev->mon;
	int n;

	evs_monitor_bucket_loads(edev);
	if (!p->max_moves)
		return;
	n = evs_rss_rebalance(edev, mon->bucket_load, p, mon->rebal_moves);
	if (n > 0) {
		atomic64_add(n, &mon->rebalance_moves);
		atomic64_inc(&mon->rebalances);
	} else if (n < 0) {
		atomic64_inc(&mon->rebalance_fails);
	}
}

static void evs_monitor_work(struct work_struct *work)
{
	struct evs_monitor *mon = container_of(to_delayed_work(work),
					       struct evs_monitor, work);
	struct evs_dev *edev = container_of(mon, struct evs_dev, mon);
	struct evs_rebal_params p = { };
	bool tick = false;

	cpus_read_lock();
	mutex_lock(&mon->lock);
	if (mon->running) {
		evs_monitor_tick(edev);
		tick = true;
		p.threshold_pct = mon->rebalance_threshold;
		p.max_moves = mon->rebalance ? mon->rebalance_max : 0;
		queue_delayed_work(system_unbound_wq, &mon->work,
				   msecs_to_jiffies(mon->interval_ms));
	}
	mutex_unlock(&mon->lock);
	cpus_read_unlock();
	/* evs_monitor_stop() waits for this: the work is not done yet */
	if (tick)
		evs_monitor_rebalance(edev, &p);
}

/**
 * evs_monitor_init() - the knobs' defaults and the monitor's memory
 * @edev:  device with validated geometry, rings not yet set up
 * @lanes: lanes per data ring, from the module parameter
 *
 * Margin 20 %, a tick every 100 ms, no smoothing, a residence time of
 * 20 s, policy lowest-margin, every possible CPU allowed; rebalancing
 * off (threshold 10 %, 8 moves per tick when on); relief off.  The
 * memory is device-managed.
 *
 * Return: 0 or -ENOMEM.
 */
int evs_monitor_init(struct evs_dev *edev, u32 lanes)
{
	struct evs_monitor *mon = &edev->mon;
	struct device *dev = edev->dev;

	mon->cpus = devm_kzalloc(dev, cpumask_size(), GFP_KERNEL);
	mon->allowed = devm_kzalloc(dev, cpumask_size(), GFP_KERNEL);
	mon->cpu = evs_devm_kvcalloc(dev, nr_cpu_ids, sizeof(*mon->cpu));
	mon->estimate = evs_devm_kvcalloc(dev, nr_cpu_ids,
					  sizeof(*mon->estimate));
	mon->tree_node = evs_devm_kvcalloc(dev,
					   evs_policy_tree_nodes(nr_cpu_ids),
					   sizeof(*mon->tree_node));
	mon->bucket_last = evs_devm_kvcalloc(dev, (size_t)edev->geo.num_rings *
					     EVS_RSS_RETA_SIZE,
					     sizeof(*mon->bucket_last));
	mon->bucket_load = evs_devm_kvcalloc(dev, EVS_RSS_RETA_SIZE,
					     sizeof(*mon->bucket_load));
	mon->rebal_moves = evs_devm_kvcalloc(dev, EVS_REBAL_MAX_MOVES,
					     sizeof(*mon->rebal_moves));
	if (!mon->cpus || !mon->allowed || !mon->cpu || !mon->estimate ||
	    !mon->tree_node || !mon->bucket_last || !mon->bucket_load ||
	    !mon->rebal_moves)
		return -ENOMEM;
	mutex_init(&mon->lock);
	INIT_DELAYED_WORK(&mon->work, evs_monitor_work);
	mon->margin = EVS_MON_MARGIN_DEFAULT;
	mon->interval_ms = EVS_MON_INTERVAL_DEFAULT;
	mon->smoothing = 0;
	mon->residence_ms = EVS_MON_RESIDENCE_DEFAULT;
	mon->lanes = lanes;
	mon->policy = EVS_POLICY_LOWEST_MARGIN;
	cpumask_copy(mon->cpus, cpu_possible_mask);
	atomic64_set(&mon->ticks, 0);
	atomic64_set(&mon->residence_holds, 0);
	mon->rebalance = 0;
	mon->rebalance_threshold = EVS_MON_REBAL_THRESHOLD_DEFAULT;
	mon->rebalance_max = EVS_MON_REBAL_MOVES_DEFAULT;
	atomic64_set(&mon->rebalance_moves, 0);
	atomic64_set(&mon->rebalances, 0);
	atomic64_set(&mon->rebalance_fails, 0);
	evs_relief_init(edev, evs_monitor_relief_work);
	return 0;
}

/**
 * evs_monitor_start() - follow CPU hotplug, take the first samples, tick
 * @edev: device whose rings are running
 *
 * The hotplug callbacks ignore the device until the first samples are
 * taken; a CPU that went offline before that has its lanes moved here.
 *
 * Return: 0, or the error of adding the hotplug instance, with nothing
 * running.
 */
int evs_monitor_start(struct evs_dev *edev)
{
	struct evs_monitor *mon = &edev->mon;
	int err;

	err = evs_hotplug_add(edev);
	if (err)
		return err;
	cpus_read_lock();
	mutex_lock(&mon->lock);
	evs_monitor_prime(edev);
	mon->running = true;
	evs_monitor_allowed(mon, -1, true);
	evs_monitor_evict(edev);
	queue_delayed_work(system_unbound_wq, &mon->work,
			   msecs_to_jiffies(mon->interval_ms));
	mutex_unlock(&mon->lock);
	cpus_read_unlock();
	return 0;
}

/**
 * evs_monitor_stop() - no more ticks, hotplug callbacks or knob changes
 * @edev: device; its rings are still there
 *
 * Knob writes fail with -ENODEV from here on.  Lanes stay where they
 * are; a lane on a CPU that goes offline later runs wherever the
 * data path's fallback puts it.  The data lanes are stopped already
 * (they may ask for relief until then); relief's watch and pass end.
 */
void evs_monitor_stop(struct evs_dev *edev)
{
	struct evs_monitor *mon = &edev->mon;

	mutex_lock(&mon->lock);
	mon->running = false;
	mutex_unlock(&mon->lock);
	evs_hotplug_remove(edev);
	/* the work re-queues itself only while running */
	cancel_delayed_work_sync(&mon->work);
	evs_relief_stop(edev);
}

/**
 * evs_monitor_cpu_online() - a CPU came online: start measuring it
 * @edev: device
 * @cpu:  the CPU
 *
 * Called with cpu_hotplug_lock held.  Lanes come to @cpu by the
 * ticks, once its usage says so.
 */
void evs_monitor_cpu_online(struct evs_dev *edev, unsigned int cpu)
{
	struct evs_monitor *mon = &edev->mon;

	mutex_lock(&mon->lock);
	if (mon->running)
		evs_monitor_prime_cpu(mon, cpu);
	mutex_unlock(&mon->lock);
}

/**
 * evs_monitor_cpu_offline() - a CPU is going offline: move its lanes
 * @edev: device
 * @cpu:  the CPU, still online
 *
 * Called with cpu_hotplug_lock held.  Every data lane on @cpu moves,
 * now, to the lowest-usage allowed online CPU other than @cpu (each
 * moved lane's load counted on its new CPU before the next is placed),
 * or to any other online CPU if no allowed one is left.
 */
void evs_monitor_cpu_offline(struct evs_dev *edev, unsigned int cpu)
{
	struct evs_monitor *mon = &edev->mon;

	mutex_lock(&mon->lock);
	if (mon->running) {
		evs_monitor_allowed(mon, cpu, true);
		evs_monitor_evict(edev);
		mon->cpu[cpu].valid = false;
		mon->cpu[cpu].measured = false;
	}
	mutex_unlock(&mon->lock);
}

/* Take the locks for a knob change; -ENODEV once remove has begun. */
static int evs_monitor_lock(struct evs_monitor *mon)
{
	cpus_read_lock();
	mutex_lock(&mon->lock);
	if (mon->running)
		return 0;
	mutex_unlock(&mon->lock);
	cpus_read_unlock();
	return -ENODEV;
}

static void evs_monitor_unlock(struct evs_monitor *mon)
{
	mutex_unlock(&mon->lock);
	cpus_read_unlock();
}

/**
 * evs_monitor_set_margin() - set the hysteresis
 * @edev:   device
 * @margin: percent of one CPU, 0 .. EVS_MON_MARGIN_MAX
 *
 * Return: 0, -ERANGE, or -ENODEV while the device goes away.
 */
int evs_monitor_set_margin(struct evs_dev *edev, u32 margin)
{
	int err;

	if (margin > EVS_MON_MARGIN_MAX)
		return -ERANGE;
	err = evs_monitor_lock(&edev->mon);
	if (err)
		return err;
	edev->mon.margin = margin;
	evs_monitor_unlock(&edev->mon);
	return 0;
}

/**
 * evs_monitor_set_interval() - set the tick period, from now on
 * @edev:        device
 * @interval_ms: EVS_MON_INTERVAL_MIN .. EVS_MON_INTERVAL_MAX
 *
 * The next tick comes @interval_ms after this; it measures over the
 * time since the last one, whatever that was.
 *
 * Return: 0, -ERANGE, or -ENODEV while the device goes away.
 */
int evs_monitor_set_interval(struct evs_dev *edev, u32 interval_ms)
{
	struct evs_monitor *mon = &edev->mon;
	int err;

	if (interval_ms < EVS_MON_INTERVAL_MIN ||
	    interval_ms > EVS_MON_INTERVAL_MAX)
		return -ERANGE;
	err = evs_monitor_lock(mon);
	if (err)
		return err;
	mon->interval_ms = interval_ms;
	mod_delayed_work(system_unbound_wq, &mon->work,
			 msecs_to_jiffies(interval_ms));
	evs_monitor_unlock(mon);
	return 0;
}

/**
 * evs_monitor_set_smoothing() - set the weight of the previous usage
 * @edev:      device
 * @smoothing: percent, 0 (none) .. EVS_MON_SMOOTHING_MAX
 *
 * Return: 0, -ERANGE, or -ENODEV while the device goes away.
 */
int evs_monitor_set_smoothing(struct evs_dev *edev, u32 smoothing)
{
	int err;

	if (smoothing > EVS_MON_SMOOTHING_MAX)
		return -ERANGE;
	err = evs_monitor_lock(&edev->mon);
	if (err)
		return err;
	edev->mon.smoothing = smoothing;
	evs_monitor_unlock(&edev->mon);
	return 0;
}

/**
 * evs_monitor_set_residence() - set the lanes' minimum residence time
 * @edev:         device
 * @residence_ms: 0 (off) .. EVS_MON_RESIDENCE_MAX
 *
 * A lane that moved less than @residence_ms ago moves again only if its
 * CPU is hot (evs_policy_hot()) or it must leave its CPU; from the next
 * tick on, counted from each lane's last move.
 *
 * Return: 0, -ERANGE, or -ENODEV while the device goes away.
 */
int evs_monitor_set_residence(struct evs_dev *edev, u32 residence_ms)
{
	int err;

	if (residence_ms > EVS_MON_RESIDENCE_MAX)
		return -ERANGE;
	err = evs_monitor_lock(&edev->mon);
	if (err)
		return err;
	edev->mon.residence_ms = residence_ms;
	evs_monitor_unlock(&edev->mon);
	return 0;
}

/**
 * evs_monitor_set_rebalance() - turn RETA rebalancing on or off
 * @edev: device
 * @on:   0 or 1
 *
 * Either way, a table the user set with ethtool -X is the rebalancer's
 * to change from now on (ethtool -X wins only until this is written).
 *
 * Return: 0, -EINVAL, or -ENODEV while the device goes away.
 */
int evs_monitor_set_rebalance(struct evs_dev *edev, u32 on)
{
	int err;

	if (on > 1)
		return -EINVAL;
	err = evs_monitor_lock(&edev->mon);
	if (err)
		return err;
	WRITE_ONCE(edev->mon.rebalance, on);
	evs_monitor_unlock(&edev->mon);
	/* rss_lock after mon->lock, never inside it */
	evs_rss_user_reset(edev);
	return 0;
}

/**
 * evs_monitor_set_rebal_threshold() - set the rebalancer's hysteresis
 * @edev: device
 * @pct:  percent over the mean ring load, 0 .. EVS_MON_REBAL_THRESHOLD_MAX
 *
 * Return: 0, -ERANGE, or -ENODEV while the device goes away.
 */
int evs_monitor_set_rebal_threshold(struct evs_dev *edev, u32 pct)
{
	int err;

	if (pct > EVS_MON_REBAL_THRESHOLD_MAX)
		return -ERANGE;
	err = evs_monitor_lock(&edev->mon);
	if (err)
		return err;
	WRITE_ONCE(edev->mon.rebalance_threshold, pct);
	evs_monitor_unlock(&edev->mon);
	return 0;
}

/**
 * evs_monitor_set_rebal_moves() - set the buckets moved per tick at most
 * @edev:  device
 * @moves: 1 .. EVS_REBAL_MAX_MOVES
 *
 * Return: 0, -ERANGE, or -ENODEV while the device goes away.
 */
int evs_monitor_set_rebal_moves(struct evs_dev *edev, u32 moves)
{
	int err;

	if (moves < 1 || moves > EVS_REBAL_MAX_MOVES)
		return -ERANGE;
	err = evs_monitor_lock(&edev->mon);
	if (err)
		return err;
	WRITE_ONCE(edev->mon.rebalance_max, moves);
	evs_monitor_unlock(&edev->mon);
	return 0;
}

/**
 * evs_monitor_set_relief() - set the delay that calls for a relief pass
 * @edev:      device
 * @relief_us: window taken -> lane start, 0 (off) or EVS_RELIEF_MIN_US ..
 *             EVS_RELIEF_MAX_US
 *
 * Return: 0, -ERANGE, or -ENODEV while the device goes away.
 */
int evs_monitor_set_relief(struct evs_dev *edev, u32 relief_us)
{
	int err;

	if (relief_us &&
	    (relief_us < EVS_RELIEF_MIN_US || relief_us > EVS_RELIEF_MAX_US))
		return -ERANGE;
	err = evs_monitor_lock(&edev->mon);
	if (err)
		return err;
	evs_relief_set(edev, (u64)relief_us * NSEC_PER_USEC);
	evs_monitor_unlock(&edev->mon);
	return 0;
}

/**
 * evs_monitor_set_policy() - set the placement policy
 * @edev:   device
 * @policy: enum evs_policy_kind
 *
 * Return: 0, -EINVAL, or -ENODEV while the device goes away.
 */
int evs_monitor_set_policy(struct evs_dev *edev, enum evs_policy_kind policy)
{
	int err;

	if ((unsigned int)policy >= EVS_NUM_POLICIES)
		return -EINVAL;
	err = evs_monitor_lock(&edev->mon);
	if (err)
		return err;
	edev->mon.policy = policy;
	evs_monitor_unlock(&edev->mon);
	return 0;
}

/**
 * evs_monitor_set_cpus() - set the allowed CPUs; lanes leave the others now
 * @edev: device
 * @cpus: CPUs, at least one of them online
 *
 * Return: 0, -EINVAL if no CPU of @cpus is online, or -ENODEV while the
 * device goes away.  On error nothing changed.
 */
int evs_monitor_set_cpus(struct evs_dev *edev, const struct cpumask *cpus)
{
	struct evs_monitor *mon = &edev->mon;
	int err;

	err = evs_monitor_lock(mon);
	if (err)
		return err;
	if (!cpumask_intersects(cpus, cpu_online_mask)) {
		err = -EINVAL;
		goto out_unlock;
	}
	cpumask_copy(mon->cpus, cpus);
	evs_monitor_allowed(mon, -1, false);
	evs_monitor_evict(edev);
out_unlock:
	evs_monitor_unlock(mon);
	return err;
}

/*
 * Stop the running rings among 0 .. @n - 1 and wait until no lane of
 * theirs runs.  Return: the mask of rings that were running.
 */
static u64 evs_monitor_rings_stop(struct evs_dev *edev, u32 n)
{
	u64 running = 0;
	u32 i;

	for (i = 0; i < n; i++) {
		if (!edev->rings[i].running)
			continue;
		running |= BIT_ULL(i);
		evs_ring_stop(&edev->rings[i]);
	}
	return running;
}

/* Start the rings of @running again, their lanes where they were. */
static void evs_monitor_rings_start(struct evs_dev *edev, u64 running)
{
	u32 i;

	for (i = 0; i < edev->geo.total_rings; i++)
		if (running & BIT_ULL(i))
			evs_ring_start(&edev->rings[i]);
	/* lanes just put to use may sit on a CPU not allowed */
	evs_monitor_allowed(&edev->mon, -1, true);
	evs_monitor_evict(edev);
}

/*
 * The lanes and bh_mode knobs restart rings, which the net device's
 * open and stop do too: RTNL first (datapath.c), then the usual locks.
 * Their rings stop without a drain, so the rebalancer is paused and
 * its hand-offs end first (rss.c; rss_lock is never held with ours).
 */
static int evs_monitor_lock_rtnl(struct evs_dev *edev)
{
	int err;

	rtnl_lock();
	evs_rss_pause_rebalance(edev);
	err = evs_monitor_lock(&edev->mon);
	if (err) {
		evs_rss_resume_rebalance(edev);
		rtnl_unlock();
	}
	return err;
}

static void evs_monitor_unlock_rtnl(struct evs_dev *edev)
{
	evs_monitor_unlock(&edev->mon);
	evs_rss_resume_rebalance(edev);
	rtnl_unlock();
}

/**
 * evs_monitor_set_lanes() - set the lanes of every data ring
 * @edev:  device
 * @lanes: 1 .. EVS_MAX_LANES
 *
 * The data rings are quiesced around the change (see the top of this
 * file): entries that arrive meanwhile wait in the ring.
 *
 * Return: 0, -ERANGE, or -ENODEV while the device goes away.
 */
int evs_monitor_set_lanes(struct evs_dev *edev, u32 lanes)
{
	struct evs_monitor *mon = &edev->mon;
	unsigned int i;
	u64 running;
	int err;

	if (lanes < 1 || lanes > EVS_MAX_LANES)
		return -ERANGE;
	err = evs_monitor_lock_rtnl(edev);
	if (err)
		return err;
	if (lanes != mon->lanes) {
		running = evs_monitor_rings_stop(edev, edev->geo.num_rings);
		for (i = 0; i < edev->geo.num_rings; i++)
			WRITE_ONCE(edev->rings[i].nr_lanes, lanes);
		mon->lanes = lanes;
		evs_monitor_rings_start(edev, running);
	}
	evs_monitor_unlock_rtnl(edev);
	return 0;
}

/*
 * Between the NAPI modes, the NAPI instances gain or lose kthreads; the
 * lanes' work items take the lockdep class of the new mode.
 */
static int evs_monitor_switch_bh(struct evs_dev *edev, enum evs_bh_mode mode)
{
	bool was = edev->bh_mode == EVS_BH_THREADED;
	bool now = mode == EVS_BH_THREADED;
	unsigned int i, j;
	int err;

	if (was != now) {
		err = evs_netdev_set_threaded(edev, now);
		if (err)
			return err;
	}
	WRITE_ONCE(edev->bh_mode, mode);
	for (i = 0; i < edev->geo.total_rings; i++)
		for (j = 0; j < EVS_MAX_LANES; j++)
			evs_lane_init_work(&edev->rings[i].lanes[j]);
	return 0;
}

/**
 * evs_monitor_set_bh_mode() - switch how every lane runs
 * @edev: device
 * @mode: enum evs_bh_mode
 *
 * Every running ring, the admin ring too, is quiesced around the
 * switch: no lane is queued or running while the mode changes.
 *
 * Return: 0, -EINVAL, -ENODEV while the device goes away, or the error
 * of creating NAPI kthreads (the mode is then unchanged).
 */
int evs_monitor_set_bh_mode(struct evs_dev *edev, enum evs_bh_mode mode)
{
	u64 running;
	int err;

	if ((unsigned int)mode >= EVS_NUM_BH_MODES)
		return -EINVAL;
	err = evs_lane_mode_effective(mode);
	if (err < 0)
		return err;
	mode = err;
	err = evs_monitor_lock_rtnl(edev);
	if (err)
		return err;
	if (mode != edev->bh_mode) {
		running = evs_monitor_rings_stop(edev, edev->geo.total_rings);
		err = evs_monitor_switch_bh(edev, mode);
		evs_monitor_rings_start(edev, running);
		evs_netdev_link_queues(edev);
	}
	evs_monitor_unlock_rtnl(edev);
	return err;
}
