// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: MSI-X vectors.  Vector i signals ring i; the last vector
 * signals the admin ring.  Data ring i's vector is affine to the i-th
 * allowed CPU (all online CPUs for now), the admin vector to the first
 * one, the default processor of the device's default configuration.
 */

#include <linux/cpumask.h>
#include <linux/interrupt.h>
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

	while (i--)
		evs_irq_free(&edev->rings[i]);
}
