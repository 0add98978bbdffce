// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: programming the steering configuration into the device.
 *
 * The driver writes struct evs_config into shared memory, bumps
 * config_gen with release, rings the doorbell and waits, bounded, for
 * the device to acknowledge that generation; config_status then says
 * whether it applied it (see Documentation/abi.rst).  edev->rss is
 * what the device last accepted: a change is tried on a copy, and if
 * the device rejects it or does not answer, the previous state is
 * programmed again, so a failed change changes nothing.
 *
 * A change while the interface is up is order-safe: the device is
 * paused first, and the rings are drained after it acknowledged the
 * new table and before it may produce again (datapath.c), so no flow's
 * new frames can overtake its old ones on another ring.  Every change
 * of the table with the same key also hands the moved buckets off
 * (handoff.c), which is what keeps the rebalancer's changes in order:
 * it runs from the monitor's work, without the RTNL, and neither pauses
 * the device nor drains the rings.
 *
 * ethtool -X wins over the rebalancer: a table the user set
 * (IFF_RXFH_CONFIGURED, read under the RTNL the next time the
 * rebalancer runs after ethtool -X) is left alone until ethtool -X
 * default, or until the rebalance knob is written.
 */

#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/iopoll.h>
#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/time64.h>

#include "evsteer.h"

/* The device answers within ~10 ms, but a TCG guest can be slow. */
#define EVS_RSS_POLL_US		1000
#define EVS_RSS_TIMEOUT_MS	2000

static const char *evs_rss_status_name(u32 status)
{
	static const char * const names[] = {
		[EVS_CFG_OK]		= "ok",
		[EVS_CFG_BAD_RETA_SIZE]	= "bad RETA size",
		[EVS_CFG_BAD_PROC]	= "bad processor id",
		[EVS_CFG_BAD_RING]	= "bad ring",
		[EVS_CFG_BAD_VECTOR]	= "bad vector",
		[EVS_CFG_BAD_MODE]	= "bad mapping mode",
		[EVS_CFG_BAD_ACTIVE]	= "bad active ring count",
	};

	return status < ARRAY_SIZE(names) ? names[status] : "unknown status";
}

/* Write a steering state and tell the device; the caller may wait. */
static u32 evs_rss_write(struct evs_dev *edev, const struct evs_rss *rss)
{
	struct evs_header *hdr = edev->hdr;
	u32 gen = edev->config_gen + 1;

	evs_rss_build_config(rss, evs_shm_at(edev, edev->geo.layout.config_off));
	evs_wr32(&hdr->active_rings, rss->active_rings);
	edev->config_gen = gen;
	/* the device reads the configuration after it sees the new gen */
	evs_wr32_release(&hdr->config_gen, gen);
	evs_shm_doorbell(edev, 0);
	return gen;
}

/*
 * A device that let a handshake time out stays silent until it
 * acknowledges the last configuration written.  Meanwhile handshakes
 * fail at once: each would hold the RTNL for EVS_RSS_TIMEOUT_MS.
 */
static bool evs_rss_silent(struct evs_dev *edev)
{
	if (READ_ONCE(edev->health.gone)) {
		dev_err_ratelimited(edev->dev, "steering configuration: the device is gone\n");
		return true;
	}
	if (!edev->config_silent)
		return false;
	if (evs_rd32_acquire(&edev->hdr->config_ack) != edev->config_gen) {
		dev_err_ratelimited(edev->dev, "steering configuration: the device has not answered since configuration %u\n",
				    edev->config_gen);
		return true;
	}
	edev->config_silent = false;
	dev_info(edev->dev, "the device answers configurations again\n");
	return false;
}

/**
 * evs_rss_program() - hand a steering state to the device
 * @edev: device; rss_lock held (or probe, before anyone else can call)
 * @rss:  state to program
 *
 * Return: 0 once the device has applied it; -ETIMEDOUT if it did not
 * acknowledge in time, or at once while it is silent (evs_rss_silent());
 * -EIO if it rejected it.
 */
static int evs_rss_program(struct evs_dev *edev, const struct evs_rss *rss)
{
	struct evs_header *hdr = edev->hdr;
	u32 gen, ack, status;
	int err;

	if (evs_rss_silent(edev))
		return -ETIMEDOUT;
	gen = evs_rss_write(edev, rss);
	err = read_poll_timeout(evs_rd32_acquire, ack, ack == gen,
				EVS_RSS_POLL_US, EVS_RSS_TIMEOUT_MS * USEC_PER_MSEC,
				false,
				&hdr->config_ack);
	if (err) {
		dev_err(edev->dev, "steering configuration %u (%u active rings): no answer from the device within %u ms\n",
			gen, rss->active_rings, EVS_RSS_TIMEOUT_MS);
		edev->config_silent = true;
		return -ETIMEDOUT;
	}
	status = evs_rd32(&hdr->config_status);
	if (status != EVS_CFG_OK) {
		dev_err(edev->dev, "steering configuration %u (%u active rings): rejected by the device: %s (%u)\n",
			gen, rss->active_rings, evs_rss_status_name(status),
			status);
		return -EIO;
	}
	return 0;
}

/*
 * A hand-off still in progress holds frames for a few milliseconds at
 * most (its timeout); let it end before its bucket may move again.
 */
static void evs_rss_wait_handoffs(struct evs_dev *edev)
{
	unsigned long end = jiffies +
			    msecs_to_jiffies(2 * edev->ho_timeout_ms + 20);

	while (!evs_handoff_idle(edev) && time_before(jiffies, end))
		usleep_range(200, 1000);
}

/* Does going from the device's table to @next move buckets in order? */
static bool evs_rss_hands_off(struct evs_dev *edev, const struct evs_rss *next)
{
	return READ_ONCE(edev->up) &&
	       !memcmp(edev->rss.key, next->key, sizeof(next->key)) &&
	       memcmp(edev->rss.reta, next->reta, sizeof(next->reta));
}

/*
 * Program @next; if that fails, put back what the device had.  With
 * @quiesce (ethtool, and anyone with the RTNL) the device is paused and
 * the rings drained around it while up; without (the rebalancer), the
 * hand-offs alone keep the moved buckets' frames in order.
 */
static int evs_rss_commit_mode(struct evs_dev *edev,
			       const struct evs_rss *next, bool quiesce)
{
	bool up = quiesce && edev->up;
	bool handoff;
	int err;

	lockdep_assert_held(&edev->rss_lock);
	handoff = evs_rss_hands_off(edev, next);
	if (handoff && quiesce)
		evs_rss_wait_handoffs(edev);
	if (up)
		evs_shm_pause(edev);
	if (handoff)
		evs_handoff_begin(edev, edev->rss.reta, next->reta);
	err = evs_rss_program(edev, next);
	if (handoff)
		evs_handoff_commit(edev, !err);
	if (!err) {
		edev->rss = *next;
	} else if (err == -ETIMEDOUT) {
		/* no second wait: a device that answers again applies it */
		evs_rss_write(edev, &edev->rss);
	} else if (evs_rss_program(edev, &edev->rss)) {
		/* still the last one written: a device that wakes up applies it */
		dev_err(edev->dev, "previous steering configuration not acknowledged either\n");
	} else {
		dev_info(edev->dev, "previous steering configuration restored\n");
	}
	/*
	 * Still paused: whatever table is in force, no flow overtakes
	 * itself.  A device that did not answer has not applied a new
	 * one, and may not have seen the pause: no drain to wait for.
	 */
	if (up) {
		if (err != -ETIMEDOUT)
			evs_dp_drain(edev);
		evs_shm_enable(edev);
	}
	return err;
}

static int evs_rss_commit(struct evs_dev *edev, const struct evs_rss *next)
{
	return evs_rss_commit_mode(edev, next, true);
}

/* Why fewer rings than the device has can be active. */
static void evs_rss_report_limit(struct evs_dev *edev,
				 const unsigned int *ring_cpu)
{
	const struct evs_rss *rss = &edev->rss;
	u32 limit = min3(rss->num_rings, num_online_cpus(), EVS_MAX_PROCS);

	if (rss->max_rings < limit)
		dev_warn(edev->dev, "ring %u's CPU %u cannot be a processor id of its own (ids are below %u): %u of %u rings can be active\n",
			 rss->max_rings, ring_cpu[rss->max_rings],
			 EVS_MAX_PROCS, rss->max_rings, rss->num_rings);
	else if (rss->max_rings < rss->num_rings)
		dev_info(edev->dev, "%u of %u rings can be active: one per CPU\n",
			 rss->max_rings, rss->num_rings);
	if (edev->rings[rss->num_rings].cpu >= EVS_MAX_PROCS)
		dev_warn(edev->dev, "admin CPU %u cannot be a processor id: CPU %u is the default processor\n",
			 edev->rings[rss->num_rings].cpu, rss->default_proc);
}

/**
 * evs_rss_init() - set up and program the initial steering
 * @edev: device whose vectors have their CPUs; not yet enabled
 *
 * A random key (netdev_rss_key_fill()) and the default table over every
 * ring that can be active.
 *
 * Return: 0, or a negative errno after a message saying why.
 */
int evs_rss_init(struct evs_dev *edev)
{
	unsigned int ring_cpu[EVS_MAX_RINGS];
	struct evs_rss *rss = &edev->rss;
	u32 i, n = edev->geo.num_rings;

	mutex_init(&edev->rss_lock);
	/* generations continue from what a previous driver left behind */
	edev->config_gen = evs_rd32(&edev->hdr->config_gen);
	for (i = 0; i < n; i++)
		ring_cpu[i] = edev->rings[i].cpu;
	netdev_rss_key_fill(rss->key, sizeof(rss->key));
	if (!evs_rss_map_setup(rss, n, ring_cpu, edev->rings[n].cpu,
			       num_online_cpus())) {
		dev_err(edev->dev, "ring 0's CPU %u cannot be a processor id (ids are below %u)\n",
			ring_cpu[0], EVS_MAX_PROCS);
		return -ERANGE;
	}
	evs_rss_report_limit(edev, ring_cpu);
	return evs_rss_program(edev, rss);
}

/**
 * evs_rss_program_current() - program the steering the device has again
 * @edev: device
 *
 * A configuration handshake that changes nothing: once it is
 * acknowledged, the device has seen everything written before it.
 *
 * Return: 0, or the error of programming the device.
 */
int evs_rss_program_current(struct evs_dev *edev)
{
	int err;

	mutex_lock(&edev->rss_lock);
	err = evs_rss_program(edev, &edev->rss);
	mutex_unlock(&edev->rss_lock);
	return err;
}

/**
 * evs_rss_set_rings() - change the number of active rings
 * @edev:   device
 * @rings:  new count
 * @custom: the user set the table (netif_is_rxfh_configured())
 *
 * Without a custom table the default one is spread over @rings; a
 * custom table must fit.  Every ring stays consumed, so events still in
 * the rings that become inactive are not lost.
 *
 * Return: 0, -EINVAL if @rings is out of range or the custom table does
 * not fit, -ENOMEM, or the error of programming the device.  On error
 * nothing changed.
 */
int evs_rss_set_rings(struct evs_dev *edev, u32 rings, bool custom)
{
	struct evs_rss *next = kmalloc(sizeof(*next), GFP_KERNEL);
	int err;

	if (!next)
		return -ENOMEM;
	mutex_lock(&edev->rss_lock);
	*next = edev->rss;
	err = evs_rss_resize(next, rings, custom);
	if (!err)
		err = evs_rss_commit(edev, next);
	mutex_unlock(&edev->rss_lock);
	kfree(next);
	return err;
}

/**
 * evs_rss_set_table() - change the indirection table and/or the key
 * @edev:  device
 * @indir: EVS_RSS_RETA_SIZE ring indices, or NULL
 * @key:   EVS_HASH_KEY_SIZE bytes, or NULL
 *
 * Return: 0, -EINVAL if an entry is not an active ring, -ENOMEM, or the
 * error of programming the device.  On error nothing changed.
 */
int evs_rss_set_table(struct evs_dev *edev, const u32 *indir, const u8 *key)
{
	struct evs_rss *next = kmalloc(sizeof(*next), GFP_KERNEL);
	int err;

	if (!next)
		return -ENOMEM;
	mutex_lock(&edev->rss_lock);
	*next = edev->rss;
	err = evs_rss_apply_table(next, indir, key);
	if (!err)
		err = evs_rss_commit(edev, next);
	/*
	 * Whose table it is now (the user's, or the default again for
	 * ethtool -X default) is read before the next rebalance; set
	 * under the same lock as the table, or a rebalance could slip
	 * in between.
	 */
	if (!err && indir)
		edev->rebal_check = true;
	mutex_unlock(&edev->rss_lock);
	kfree(next);
	return err;
}

/**
 * evs_rss_get_table() - copy out the indirection table and/or the key
 * @edev:  device
 * @indir: EVS_RSS_RETA_SIZE entries to fill, or NULL
 * @key:   EVS_HASH_KEY_SIZE bytes to fill, or NULL
 */
void evs_rss_get_table(struct evs_dev *edev, u32 *indir, u8 *key)
{
	mutex_lock(&edev->rss_lock);
	if (indir)
		memcpy(indir, edev->rss.reta, sizeof(edev->rss.reta));
	if (key)
		memcpy(key, edev->rss.key, sizeof(edev->rss.key));
	mutex_unlock(&edev->rss_lock);
}

/**
 * evs_rss_get_rings() - active rings and how many can be
 * @edev:   device
 * @active: rings the table spreads over
 * @max:    rings that can be active
 */
void evs_rss_get_rings(struct evs_dev *edev, u32 *active, u32 *max)
{
	mutex_lock(&edev->rss_lock);
	*active = edev->rss.active_rings;
	*max = edev->rss.max_rings;
	mutex_unlock(&edev->rss_lock);
}

/* Did evs_rss_map_follow() change what the device is told? */
static bool evs_rss_procs_changed(const struct evs_rss *a,
				  const struct evs_rss *b)
{
	return a->default_proc != b->default_proc ||
	       memcmp(a->ring_proc, b->ring_proc, sizeof(a->ring_proc));
}

/**
 * evs_rss_follow_vectors() - give the device the processor ids of the
 * CPUs the vectors are on now
 * @edev: device; takes the RTNL (for @edev->up) and rss_lock
 *
 * Runs after irq.c found a vector on another CPU.  Every ring keeps its
 * share of the table; only the names of the processors change.  If two
 * rings that can be active now share a CPU, the ids cannot follow and
 * stay as they were, with a warning.
 */
void evs_rss_follow_vectors(struct evs_dev *edev)
{
	unsigned int ring_cpu[EVS_MAX_RINGS];
	u32 i, n = edev->geo.num_rings;
	struct evs_rss *next;
	int err;

	next = kmalloc(sizeof(*next), GFP_KERNEL);
	if (!next)
		return;
	rtnl_lock();
	mutex_lock(&edev->rss_lock);
	for (i = 0; i < n; i++)
		ring_cpu[i] = READ_ONCE(edev->rings[i].cpu);
	*next = edev->rss;
	err = evs_rss_map_follow(next, ring_cpu, READ_ONCE(edev->rings[n].cpu));
	if (err)
		dev_warn(edev->dev, "processor ids stay: two rings that can be active share a CPU now, or one is on a CPU at or above %u\n",
			 EVS_MAX_PROCS);
	else if (evs_rss_procs_changed(next, &edev->rss) &&
		 !evs_rss_commit(edev, next))
		dev_info(edev->dev, "processor ids follow the vectors: default processor %u\n",
			 next->default_proc);
	mutex_unlock(&edev->rss_lock);
	rtnl_unlock();
	kfree(next);
}

/**
 * evs_rss_user_reset() - the rebalance knob was written: the table is
 * the rebalancer's again, whoever set it
 * @edev: device
 */
void evs_rss_user_reset(struct evs_dev *edev)
{
	mutex_lock(&edev->rss_lock);
	edev->rebal_user = false;
	edev->rebal_check = false;
	mutex_unlock(&edev->rss_lock);
}

/**
 * evs_rss_pause_rebalance() - no rebalance, and no hand-off, from now on
 * @edev: device; RTNL held, no other lock
 *
 * For what stops the rings without draining them (the lanes and
 * bh_mode knobs): a ring that stops drops what its lanes held and ends
 * the hand-offs into it, and the old ring's older frames of the bucket
 * would then overtake nothing and be overtaken.  So the hand-offs in
 * progress end first, within their timeout.  Undone by
 * evs_rss_resume_rebalance(); RTNL serialises the pairs.
 */
void evs_rss_pause_rebalance(struct evs_dev *edev)
{
	ASSERT_RTNL();
	mutex_lock(&edev->rss_lock);
	edev->rebal_paused = true;
	evs_rss_wait_handoffs(edev);
	mutex_unlock(&edev->rss_lock);
}

/**
 * evs_rss_resume_rebalance() - the rebalancer may change the table again
 * @edev: device; RTNL held
 */
void evs_rss_resume_rebalance(struct evs_dev *edev)
{
	ASSERT_RTNL();
	mutex_lock(&edev->rss_lock);
	edev->rebal_paused = false;
	mutex_unlock(&edev->rss_lock);
}

/*
 * May the rebalancer change the table now?  Not while it is the user's,
 * a knob has it paused, the device is down, gone or silent, or a
 * hand-off is still in progress (its bucket may not move again before
 * it ends).
 */
static bool evs_rss_may_rebalance(struct evs_dev *edev)
{
	lockdep_assert_held(&edev->rss_lock);
	if (edev->rebal_check) {
		/* RTNL after rss_lock: a try only, ethtool takes them the other way */
		if (!rtnl_trylock())
			return false;
		edev->rebal_user = netif_is_rxfh_configured(edev->netdev);
		edev->rebal_check = false;
		rtnl_unlock();
	}
	if (edev->rebal_user || edev->rebal_paused || !READ_ONCE(edev->up) ||
	    READ_ONCE(edev->health.gone) || !evs_handoff_idle(edev))
		return false;
	/* a silent device is asked again only once it answered */
	return !edev->config_silent ||
	       evs_rd32_acquire(&edev->hdr->config_ack) == edev->config_gen;
}

/**
 * evs_rss_rebalance() - move RETA buckets from busy rings to idle ones
 * @edev:  device; the monitor's work, no lock held
 * @load:  frames per bucket since the last call, EVS_RSS_RETA_SIZE of them
 * @p:     evs_rebalance()'s parameters
 * @moves: room for EVS_REBAL_MAX_MOVES moves, filled in
 *
 * evs_rebalance() decides on a copy of the table; the new table goes to
 * the device as ethtool's does, under rss_lock, but without pausing the
 * device or draining the rings: the hand-offs keep the moved buckets'
 * frames in order.  A device that does not answer costs one handshake
 * timeout, then nothing until it answers (evs_rss_program()).
 *
 * Return: buckets moved (0 if the table stays), or a negative errno of
 * programming the device, with the table unchanged.
 */
int evs_rss_rebalance(struct evs_dev *edev, const u64 *load,
		      const struct evs_rebal_params *p,
		      struct evs_rebal_move *moves)
{
	struct evs_rss *next = kmalloc(sizeof(*next), GFP_KERNEL);
	unsigned int n = 0;
	int err = 0;

	if (!next)
		return -ENOMEM;
	mutex_lock(&edev->rss_lock);
	if (!evs_rss_may_rebalance(edev))
		goto out_unlock;
	*next = edev->rss;
	n = evs_rebalance(load, next->reta, EVS_RSS_RETA_SIZE,
			  next->active_rings, p, moves);
	if (!n)
		goto out_unlock;
	if (WARN_ON_ONCE(evs_rss_check_indir(next->reta, EVS_RSS_RETA_SIZE,
					     next->active_rings))) {
		err = -EINVAL;
		goto out_unlock;
	}
	err = evs_rss_commit_mode(edev, next, false);
out_unlock:
	mutex_unlock(&edev->rss_lock);
	kfree(next);
	return err ?: n;
}
