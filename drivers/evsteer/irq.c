// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: MSI-X vectors.  Vector i signals ring i; the last vector
 * signals the admin ring.  Data ring i's vector is affine to the i-th
 * allowed CPU (all online CPUs for now), the admin vector to the first
 * one, the default processor of the device's default configuration.
 *
 * A vector does not stay put: the user writes /proc/irq/N/smp_affinity
 * (an affinity notifier says so) and the kernel moves it off a CPU that
 * goes offline (the monitor's tick reads it back).  Either way the ring
 * follows: its lanes' home, ethtool -S and the device's processor ids
 * name the CPU the vector is on now.
 */

#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/pci.h>

#include "evsteer.h"

/**
 * evs_irq_alloc_vectors() - allocate one MSI-X vector per ring
 * @edev: device with validated geometry
 *
 * The vectors are device-managed (pcim): they go away with the device.
 *
 * Return: 0 or a negative errno.
 */
int evs_irq_alloc_vectors(struct evs_dev *edev)
{
	struct pci_dev *pdev = edev->pdev;
	unsigned int want = edev->geo.total_rings;
	int have, got;

	have = pci_msix_vec_count(pdev);
	if (have < 0 || (unsigned int)have < want) {
		dev_err(&pdev->dev, "%u rings need %u MSI-X vectors, the device has %d (ivshmem-doorbell vectors=%u)\n",
			want, want, have, want);
		return -ENOSPC;
	}
	got = pci_alloc_irq_vectors(pdev, want, want, PCI_IRQ_MSIX);
	if (got < 0)
		return dev_err_probe(&pdev->dev, got,
				     "cannot allocate %u MSI-X vectors\n", want);
	return 0;
}

/* The @n-th allowed CPU, wrapping around. */
static unsigned int evs_irq_pick_cpu(unsigned int n)
{
	const struct cpumask *allowed = cpu_online_mask;
	unsigned int cpu;

	/* a CPU going offline meanwhile only makes us fall back */
	cpu = cpumask_nth(n % num_online_cpus(), allowed);
	return cpu < nr_cpu_ids ? cpu : cpumask_first(allowed);
}

/*
 * The CPU the vector is on, if it was sent to @target: its effective
 * affinity, or where in @target it is going while that is elsewhere.
 */
static unsigned int evs_irq_cpu_in(const struct evs_ring *ring,
				   const struct cpumask *target)
{
	const struct cpumask *eff = irq_get_effective_affinity_mask(ring->irq);
	unsigned int cpu;

	if (eff && cpumask_subset(eff, target))
		cpu = cpumask_first_and(eff, cpu_online_mask);
	else
		cpu = cpumask_first_and(target, cpu_online_mask);
	return cpu < nr_cpu_ids ? cpu : READ_ONCE(ring->cpu);
}

/*
 * Take the vector's CPU as the ring's.  The notifier and the monitor's
 * tick may both get here for one move; only one of them counts it.
 */
static bool evs_irq_sync_ring(struct evs_ring *ring,
			      const struct cpumask *target)
{
	unsigned int old = READ_ONCE(ring->cpu);
	unsigned int cpu = evs_irq_cpu_in(ring, target);

	if (cpu == old || cmpxchg(&ring->cpu, old, cpu) != old)
		return false;
	atomic64_inc(&ring->vector_moves);
	dev_info(ring->edev->dev, "%s: vector moved from CPU %u to CPU %u\n",
		 ring->irq_name, old, cpu);
	return true;
}

/**
 * evs_irq_sync_cpus() - follow vectors that the kernel moved
 * @edev: device
 *
 * The kernel moves a vector off a CPU going offline without telling
 * the affinity notifier; the monitor calls this on every tick.
 */
void evs_irq_sync_cpus(struct evs_dev *edev)
{
	bool moved = false;
	unsigned int i;

	if (!READ_ONCE(edev->vectors_follow))
		return;
	for (i = 0; i < edev->geo.total_rings; i++) {
		struct evs_ring *ring = &edev->rings[i];
		struct irq_data *d = irq_get_irq_data(ring->irq);

		/*
		 * Without interrupt remapping x86 moves an MSI only when
		 * it next fires: until then the notifier has said where
		 * it goes, and the affinity still names where it was.
		 */
		if (!d || irqd_is_setaffinity_pending(d))
			continue;
		moved |= evs_irq_sync_ring(ring, irq_data_get_affinity_mask(d));
	}
	if (moved)
		schedule_work(&edev->vectors_work);
}

static void evs_irq_affinity_notify(struct irq_affinity_notify *notify,
				    const cpumask_t *mask)
{
	struct evs_ring *ring = container_of(notify, struct evs_ring,
					     affinity_notify);

	if (evs_irq_sync_ring(ring, mask))
		schedule_work(&ring->edev->vectors_work);
}

/* The notifier lives in the ring: nothing to free when it is dropped. */
static void evs_irq_affinity_release(struct kref *ref)
{
}

static void evs_irq_vectors_work(struct work_struct *work)
{
	evs_rss_follow_vectors(container_of(work, struct evs_dev,
					    vectors_work));
}

/**
 * evs_irq_follow_start() - follow the vectors from now on
 * @edev: device whose steering is programmed (evs_rss_init())
 *
 * A notifier that cannot be installed leaves the tick's read-back.
 */
void evs_irq_follow_start(struct evs_dev *edev)
{
	unsigned int i;
	int err;

	INIT_WORK(&edev->vectors_work, evs_irq_vectors_work);
	for (i = 0; i < edev->geo.total_rings; i++) {
		struct evs_ring *ring = &edev->rings[i];

		ring->affinity_notify.notify = evs_irq_affinity_notify;
		ring->affinity_notify.release = evs_irq_affinity_release;
		err = irq_set_affinity_notifier(ring->irq,
						&ring->affinity_notify);
		if (err)
			dev_warn(edev->dev, "%s: no affinity notifier (%d): a move is seen at the monitor's next tick\n",
				 ring->irq_name, err);
	}
	WRITE_ONCE(edev->vectors_follow, true);
}

/* Undo evs_irq_follow_start(): no notifier or work runs on return. */
static void evs_irq_follow_stop(struct evs_dev *edev)
{
	unsigned int i;

	if (!edev->vectors_follow)
		return;
	WRITE_ONCE(edev->vectors_follow, false);
	for (i = 0; i < edev->geo.total_rings; i++)
		irq_set_affinity_notifier(edev->rings[i].irq, NULL);
	cancel_work_sync(&edev->vectors_work);
}

/* A data ring's vector also carries its TX queue's completions. */
static irqreturn_t evs_irq_handler(int irq, void *data)
{
	struct evs_ring *ring = data;

	evs_ring_irq(ring);
	evs_tx_irq(ring->edev, ring->id);
	return IRQ_HANDLED;
}

static int evs_irq_request(struct evs_ring *ring)
{
	struct evs_dev *edev = ring->edev;
	bool admin = evs_ring_is_admin(ring);
	int err;

	ring->irq = pci_irq_vector(edev->pdev, ring->id);
	if (ring->irq < 0)
		return ring->irq;
	if (admin)
		snprintf(ring->irq_name, sizeof(ring->irq_name), "%s-admin",
			 edev->name);
	else
		snprintf(ring->irq_name, sizeof(ring->irq_name), "%s-ring%u",
			 edev->name, ring->id);
	err = request_irq(ring->irq, evs_irq_handler, 0, ring->irq_name, ring);
	if (err)
		return err;
	evs_ring_set_cpu(ring, evs_irq_pick_cpu(admin ? 0 : ring->id));
	err = irq_set_affinity_and_hint(ring->irq, cpumask_of(ring->cpu));
	if (err)
		goto err_free_irq;
	return 0;

err_free_irq:
	irq_update_affinity_hint(ring->irq, NULL);
	free_irq(ring->irq, ring);
	return err;
}

static void evs_irq_free(struct evs_ring *ring)
{
	/* free_irq() warns about a hint left behind */
	irq_update_affinity_hint(ring->irq, NULL);
	free_irq(ring->irq, ring);
}

/**
 * evs_irq_request_all() - install the handlers and set the affinities
 * @edev: device with vectors allocated and rings initialised
 *
 * Return: 0, or a negative errno with nothing left installed.
 */
int evs_irq_request_all(struct evs_dev *edev)
{
	unsigned int i;
	int err;

	for (i = 0; i < edev->geo.total_rings; i++) {
		err = evs_irq_request(&edev->rings[i]);
		if (err)
			goto err_free_irqs;
	}
	return 0;

err_free_irqs:
	dev_err(&edev->pdev->dev, "cannot set up the vector of ring %u: %d\n",
		i, err);
	while (i--)
		evs_irq_free(&edev->rings[i]);
	return err;
}

/**
 * evs_irq_free_all() - remove the handlers, in reverse order
 * @edev: device
 *
 * On return no handler runs any more; a ring consumer may still be
 * queued (evs_ring_stop() cancels it).
 */
void evs_irq_free_all(struct evs_dev *edev)
{
	unsigned int i = edev->geo.total_rings;

	evs_irq_follow_stop(edev);
	while (i--)
		evs_irq_free(&edev->rings[i]);
}
