// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: the two BARs of the ivshmem-doorbell function.  BAR0 holds
 * the ivshmem registers (our peer id, the doorbell), BAR2 the memory
 * shared with the device.  vendor:device is generic ivshmem, so the
 * shared memory must carry our ABI magic and major version; everything
 * else the header says is checked against what the geometry implies and
 * copied, never read from shared memory again.
 */

#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/pci.h>

#include "evsteer.h"
#include "kcompat.h"

#define EVS_REGS_MIN_LEN	(EVS_REG_DOORBELL + sizeof(u32))

static int evs_shm_map_regs(struct evs_dev *edev)
{
	struct pci_dev *pdev = edev->pdev;

	if (pci_resource_len(pdev, EVS_BAR_REGS) < EVS_REGS_MIN_LEN) {
		dev_err(&pdev->dev, "BAR%d is too small for the ivshmem registers\n",
			EVS_BAR_REGS);
		return -ENODEV;
	}
	edev->regs = evs_pcim_iomap_bar(pdev, EVS_BAR_REGS, EVS_DRV_NAME);
	if (IS_ERR(edev->regs))
		return dev_err_probe(&pdev->dev, PTR_ERR(edev->regs),
				     "cannot map BAR%d\n", EVS_BAR_REGS);
	edev->ivposition = readl(edev->regs + EVS_REG_IVPOSITION);
	return 0;
}

/* BAR2 is RAM on the host side: map it write-back, not as MMIO. */
static int evs_shm_map_mem(struct evs_dev *edev)
{
	struct pci_dev *pdev = edev->pdev;
	struct device *dev = &pdev->dev;
	resource_size_t start = pci_resource_start(pdev, EVS_BAR_SHM);
	void *shm;

	edev->shm_len = pci_resource_len(pdev, EVS_BAR_SHM);
	if (!(pci_resource_flags(pdev, EVS_BAR_SHM) & IORESOURCE_MEM) ||
	    edev->shm_len < EVS_HEADER_SIZE) {
		dev_err(dev, "BAR%d is missing or smaller than the evsteer header\n",
			EVS_BAR_SHM);
		return -ENODEV;
	}
	if (!devm_request_mem_region(dev, start, edev->shm_len, EVS_DRV_NAME)) {
		dev_err(dev, "BAR%d is busy\n", EVS_BAR_SHM);
		return -EBUSY;
	}
	shm = devm_memremap(dev, start, edev->shm_len, MEMREMAP_WB);
	if (IS_ERR(shm))
		return dev_err_probe(dev, PTR_ERR(shm), "cannot map BAR%d\n",
				     EVS_BAR_SHM);
	edev->shm = shm;
	edev->hdr = shm;
	return 0;
}

static int evs_shm_check_abi(struct evs_dev *edev)
{
	struct device *dev = &edev->pdev->dev;
	u32 magic, version;

	/* the device writes the magic last, with release */
	magic = evs_rd32_acquire(&edev->hdr->magic);
	if (magic != EVS_MAGIC) {
		dev_err(dev, "not an evsteer device: bad ABI magic %#010x in BAR%d (expected %#010x)\n",
			magic, EVS_BAR_SHM, EVS_MAGIC);
		return -ENODEV;
	}
	version = evs_rd32(&edev->hdr->abi_version);
	if (EVS_ABI_VERSION_MAJOR(version) != EVS_ABI_MAJOR) {
		dev_err(dev, "unsupported evsteer ABI version %u.%u (driver supports %u.x)\n",
			EVS_ABI_VERSION_MAJOR(version), version & 0xffff,
			EVS_ABI_MAJOR);
		return -EPROTONOSUPPORT;
	}
	return 0;
}

/* Does the header describe exactly the layout its geometry implies? */
static bool evs_shm_layout_matches(const struct evs_header *hdr,
				   const struct evs_layout *l)
{
	return evs_rd32(&hdr->config_off) == l->config_off &&
	       evs_rd32(&hdr->stats_off) == l->stats_off &&
	       evs_rd32(&hdr->ring_ctl_off) == l->ring_ctl_off &&
	       evs_rd32(&hdr->entries_off) == l->entries_off &&
	       evs_rd32(&hdr->bufs_off) == l->bufs_off;
}

/* The TX queues of ABI 2.1, where the layout puts them. */
static bool evs_shm_tx_matches(const struct evs_header *hdr,
			       const struct evs_layout *l)
{
	return evs_rd32(&hdr->tx_ring_size) == l->tx_ring_size &&
	       evs_rd32(&hdr->tx_ctl_off) == l->tx_ctl_off &&
	       evs_rd32(&hdr->tx_desc_off) == l->tx_desc_off &&
	       evs_rd32(&hdr->tx_bufs_off) == l->tx_bufs_off;
}

static bool evs_shm_geometry_ok(struct evs_dev *edev, u32 shm_size)
{
	const struct evs_header *hdr = edev->hdr;
	struct evs_geometry *geo = &edev->geo;
	u32 need;

	if (evs_rd32(&hdr->header_size) != EVS_HEADER_SIZE ||
	    evs_rd32(&hdr->entry_size) != sizeof(struct evs_entry) ||
	    evs_rd32(&hdr->max_procs) != EVS_MAX_PROCS ||
	    evs_rd32(&hdr->reta_max) != EVS_RETA_MAX)
		return false;
	if (evs_layout_compute(geo->num_rings, geo->ring_size, geo->buf_size,
			       &geo->layout))
		return false;
	if (evs_rd32(&hdr->num_vectors) != geo->total_rings ||
	    !evs_shm_layout_matches(hdr, &geo->layout))
		return false;
	if (geo->features & EVS_FEAT_TX) {
		if (!evs_shm_tx_matches(hdr, &geo->layout))
			return false;
		need = geo->layout.total_size;
	} else {
		need = geo->layout.rx_end;
	}
	return need <= shm_size && shm_size <= edev->shm_len;
}

static int evs_shm_check_geometry(struct evs_dev *edev)
{
	struct evs_geometry *geo = &edev->geo;
	u32 shm_size;

	geo->num_rings = evs_rd32(&edev->hdr->num_rings);
	geo->total_rings = geo->num_rings + 1;
	geo->ring_size = evs_rd32(&edev->hdr->ring_size);
	geo->buf_size = evs_rd32(&edev->hdr->buf_size);
	geo->features = evs_rd32(&edev->hdr->features);
	/* TX came with ABI 2.1: a 2.0 device's bit means nothing */
	if ((evs_rd32(&edev->hdr->abi_version) & 0xffff) < 1)
		geo->features &= ~EVS_FEAT_TX;
	/* and the heartbeat with 2.2 */
	if ((evs_rd32(&edev->hdr->abi_version) & 0xffff) < 2)
		geo->features &= ~EVS_FEAT_HEARTBEAT;
	shm_size = evs_rd32(&edev->hdr->shm_size);
	if (!evs_shm_geometry_ok(edev, shm_size)) {
		dev_err(&edev->pdev->dev,
			"inconsistent evsteer geometry: %u rings of %u entries, %u-byte buffers, in %u bytes, BAR%d has %llu\n",
			geo->num_rings, geo->ring_size, geo->buf_size, shm_size,
			EVS_BAR_SHM, (unsigned long long)edev->shm_len);
		return -EINVAL;
	}
	memcpy(geo->mac, edev->hdr->mac, EVS_ETH_ALEN);
	return 0;
}

/**
 * evs_shm_map() - map both BARs and validate the device's shared memory
 * @edev: device being probed
 *
 * All mappings are device-managed.  On success @edev->geo holds the
 * validated geometry.
 *
 * Return: 0, or a negative errno after a dev_err() saying why.
 */
int evs_shm_map(struct evs_dev *edev)
{
	int err;

	err = evs_shm_map_regs(edev);
	if (err)
		return err;
	err = evs_shm_map_mem(edev);
	if (err)
		return err;
	err = evs_shm_check_abi(edev);
	if (err)
		return err;
	return evs_shm_check_geometry(edev);
}

/**
 * evs_shm_doorbell() - ring one of the device's doorbell vectors
 * @edev:   device
 * @vector: the device's vector (its eventfd index)
 */
void evs_shm_doorbell(struct evs_dev *edev, u16 vector)
{
	writel((edev->device_peer << 16) | vector,
	       edev->regs + EVS_REG_DOORBELL);
}

/**
 * evs_shm_enable() - let the device produce events
 * @edev: device whose rings are initialised
 */
void evs_shm_enable(struct evs_dev *edev)
{
	/* the rings' read indices are visible first */
	evs_wr32_release(&edev->hdr->driver_ctrl, EVS_CTRL_ENABLE);
	evs_shm_doorbell(edev, 0);
}

/**
 * evs_shm_pause() - ask the device to stop producing, for a while
 * @edev: device
 *
 * The device takes note when it next looks at the shared memory; a
 * configuration handshake after this tells when it did.
 */
void evs_shm_pause(struct evs_dev *edev)
{
	evs_wr32_release(&edev->hdr->driver_ctrl, 0);
}

/**
 * evs_shm_disable() - ask the device to stop producing events
 * @edev: device
 *
 * The device is untrusted: the caller must still cope with interrupts
 * and ring updates that come after this.
 */
void evs_shm_disable(struct evs_dev *edev)
{
	evs_wr32_release(&edev->hdr->driver_ctrl, 0);
	evs_wr32(&edev->hdr->active_rings, 0);
	evs_shm_doorbell(edev, 0);
}
