// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What the driver asks through shared memory: EVS_CTRL_ENABLE in
 * driver_ctrl, and new configurations through config_gen/config_ack.
 * And what the device answers: config_status and the status bits.
 */
#include "device.h"

/*
 * The driver bumped config_gen: validate a private copy (the driver
 * may write while it is read), apply it or keep the old one, then
 * publish the verdict and only after it the acknowledgement.
 */
static void evs_sync_config(struct evs_device *dev)
{
	struct evs_header *hdr = dev->prod.hdr;
	struct evs_stats *st = dev->prod.stats;
	u32 gen = evs_rd32_acquire(&hdr->config_gen);
	struct evs_config snap;
	int status;

	if (gen == dev->config_seen || evs_now_ns() < dev->config_stall_until_ns)
		return;
	memcpy(&snap, dev->prod.cfg, sizeof(snap));
	status = evs_steer_load(&dev->steer, &snap, dev->prod.total_rings,
				dev->prod.num_vectors);
	evs_add64(status == EVS_CFG_OK ? &st->config_applied :
					 &st->config_rejected, 1);
	evs_wr32(&hdr->config_status, status);
	evs_wr32_release(&hdr->config_ack, gen);
	dev->config_seen = gen;
}

/**
 * evs_sync_driver() - pick up what the driver wrote
 * @dev: device
 *
 * Called on every doorbell and every generator tick (and every loop
 * iteration, which covers both).  A rising edge of EVS_CTRL_ENABLE
 * (the first one included) reloads the TX consumer indices.
 */
void evs_sync_driver(struct evs_device *dev)
{
	bool was = dev->enabled;

	evs_sync_config(dev);
	dev->enabled = evs_rd32(&dev->prod.hdr->driver_ctrl) & EVS_CTRL_ENABLE;
	/* the driver zeroed the TX indices before enabling: start there */
	if (dev->enabled && !was)
		evs_tx_enable(dev);
	evs_sync_status(dev);
}

/* Publish the device status bits; written only when they change. */
void evs_sync_status(struct evs_device *dev)
{
	struct evs_header *hdr = dev->prod.hdr;
	u32 status = EVS_STATUS_READY;

	if (dev->link_up)
		status |= EVS_STATUS_LINK_UP;
	if (dev->paused || (!dev->opt.rate && evs_backend_generates(dev)))
		status |= EVS_STATUS_PAUSED;
	if (evs_traffic_active(dev))
		status |= EVS_STATUS_RUNNING;
	if (evs_rd32(&hdr->status) != status)
		evs_wr32(&hdr->status, status);
}
