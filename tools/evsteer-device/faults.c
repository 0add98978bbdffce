// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Fault injection: the ways a broken device can hurt a driver, on
 * purpose, each counted in evs_stats.injected.  Injected entries use
 * the ring's next sequence number and index like real ones, so the
 * driver meets them exactly where real corruption would appear.
 */
#include "device.h"

/* Faults that write into rings need a driver that consumes them. */
bool evs_fault_can_write(const struct evs_device *dev)
{
	return evs_ivshmem_connected(&dev->ivs) && dev->enabled;
}

static void evs_fault_count(struct evs_device *dev)
{
	evs_add64(&dev->prod.stats->injected, 1);
}

/* --bad-magic / --bad-version: spoil the header after formatting. */
void evs_fault_header(struct evs_device *dev)
{
	struct evs_header *hdr = dev->prod.hdr;

	if (dev->opt.bad_magic) {
		evs_wr32(&hdr->magic, ~EVS_MAGIC);
		evs_fault_count(dev);
	}
	if (dev->opt.bad_version) {
		evs_wr32(&hdr->abi_version, (EVS_ABI_MAJOR + 1) << 16);
		evs_fault_count(dev);
	}
}

/*
 * The vector that announces @ring: in mode (b) the ring's own; in mode
 * (a) that of the first (processor, code) cell leading to the ring, or
 * the ring's number when no cell does (rings and vectors pair up).
 */
static u32 evs_ring_vector(const struct evs_device *dev, u32 ring)
{
	const struct evs_steer *s = &dev->steer;
	unsigned int p, c;

	if (s->map_mode == EVS_MAP_PROC_RING)
		return s->ring_vector[ring];
	for (p = 0; p < EVS_MAX_PROCS; p++)
		for (c = 0; c < EVS_NUM_CODES; c++)
			if (s->pc_ring[p][c] == ring)
				return s->pc_vector[p][c];
	return ring;
}

/**
 * evs_fault_bad_prod() - publish a producer index the ring cannot have
 * @dev:  device
 * @ring: ring, below dev->prod.total_rings
 *
 * The index is one more than a full ring ahead of the real one, so it
 * is invalid whatever the driver consumed.  The shared copy only: the
 * next real entry publishes the true index again (pause first to keep
 * the bad one visible).
 */
void evs_fault_bad_prod(struct evs_device *dev, u32 ring)
{
	struct evs_ring_producer *rp = &dev->prod.ring[ring];

	evs_wr32_release(&rp->ctl->prod, rp->prod + rp->size + 1);
	evs_fault_count(dev);
	if (evs_xchg32(&rp->ctl->armed, 0) || dev->flood) {
		evs_add64(&rp->stats->signalled, 1);
		dev->pending |= 1ull << evs_ring_vector(dev, ring);
		evs_traffic_flush(dev);
	}
}

/* Spoil one field of a valid data event. */
static void evs_fault_spoil(struct evs_event *ev, u32 *ring_field,
			    enum evs_corrupt_field field)
{
	switch (field) {
	case EVS_CORRUPT_FIELD_CODE:
		ev->code = EVS_CORRUPT_CODE;
		break;
	case EVS_CORRUPT_FIELD_LEN:
		/* the producer copies one buffer's worth; the entry says more */
		ev->len = EVS_CORRUPT_LEN;
		break;
	case EVS_CORRUPT_FIELD_RING:
		*ring_field = EVS_CORRUPT_RING;
		break;
	case EVS_CORRUPT_FIELD_RUNT:
		ev->len = EVS_CORRUPT_RUNT_LEN;
		break;
	}
}

/**
 * evs_fault_corrupt() - write an entry with one field out of range
 * @dev:   device
 * @ring:  ring, below dev->prod.total_rings
 * @field: which field to spoil; the others, and the frame in the
 *         entry's buffer, describe a valid data event of flow 0 (see
 *         evs_gen_fault_event(): it takes no sequence number of the
 *         flow, only the ring's next one)
 */
void evs_fault_corrupt(struct evs_device *dev, u32 ring,
		       enum evs_corrupt_field field)
{
	struct evs_ring_producer *rp = &dev->prod.ring[ring];
	struct evs_stats *st = dev->prod.stats;
	struct evs_target t = { .ring = ring };
	struct evs_event ev;
	u32 ring_field = ring;
	int ret;

	evs_gen_fault_event(&dev->gen, &dev->steer, evs_now_ns(), &ev);
	evs_fault_spoil(&ev, &ring_field, field);

	/* straight into the ring: no steering would put it there */
	ret = evs_ring_produce(rp, &ev, ring_field, dev->flood);
	evs_add64(&st->events, 1);
	if (ret == EVS_PRODUCED || ret == EVS_PRODUCED_SIGNAL)
		evs_add64(&st->produced, 1);
	else
		evs_add64(&st->dropped, 1);
	evs_fault_count(dev);
	t.vector = evs_ring_vector(dev, ring);
	evs_traffic_count(dev, ret, &t);
	evs_traffic_flush(dev);
}

/* Ignore the armed flag: every event raises its vector. */
void evs_fault_flood(struct evs_device *dev, bool on)
{
	if (on && !dev->flood)
		evs_fault_count(dev);
	dev->flood = on;
}

/* Produce nothing for @ms; indices stay where they are. */
void evs_fault_stall(struct evs_device *dev, u32 ms)
{
	dev->stall_until_ns = evs_now_ns() + (u64)ms * EVS_NSEC_PER_MSEC;
	evs_fault_count(dev);
}

/*
 * Acknowledge no configuration for @ms: the driver's handshakes time
 * out as with a device that hangs; the last one written is applied
 * after.
 */
void evs_fault_config_stall(struct evs_device *dev, u32 ms)
{
	dev->config_stall_until_ns = evs_now_ns() + (u64)ms * EVS_NSEC_PER_MSEC;
	evs_fault_count(dev);
}

/*
 * Consume and complete no TX for @ms (0: resume at once); the driver's
 * TX watchdog and its queue-full stop and wake get exercised.
 */
void evs_fault_tx_stall(struct evs_device *dev, u32 ms)
{
	if (!ms) {
		dev->tx_stall_until_ns = 0;
		return;
	}
	dev->tx_stall_until_ns = evs_now_ns() + (u64)ms * EVS_NSEC_PER_MSEC;
	evs_fault_count(dev);
}

/* An event without data, for the default processor. */
static void evs_fault_nodata(struct evs_device *dev, u32 code, u32 flags)
{
	struct evs_event ev = {
		.code = code,
		.flags = EVS_EF_NODATA | flags,
		.cost_ns = dev->opt.cost_ns,
		.tstamp_ns = evs_now_ns(),
	};

	evs_fault_count(dev);
	evs_traffic_emit(dev, &ev);
	evs_traffic_flush(dev);
}

/* Link change: status bit first, so the event's handler sees it. */
void evs_fault_link(struct evs_device *dev, bool up)
{
	dev->link_up = up;
	evs_sync_status(dev);
	evs_fault_nodata(dev, EVS_EV_LINK, up ? EVS_EF_LINK_UP : 0);
}

void evs_fault_error(struct evs_device *dev)
{
	evs_fault_nodata(dev, EVS_EV_ERROR, 0);
}
