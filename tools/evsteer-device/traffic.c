// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Paced production.  Every tick the pacer says how many events are
 * owed; they are generated, steered and written, and the vectors whose
 * rings were armed are raised once at the end of the batch, the way a
 * NIC moderates its interrupts.  Nothing here spins: when there is
 * nothing to produce the poll loop sleeps until evs_traffic_wake_ns().
 */
#include "device.h"

/*
 * Connected, enabled by the driver, not paused, and a nonzero rate if
 * the backend generates (tap and loopback produce what arrives).
 */
bool evs_traffic_active(const struct evs_device *dev)
{
	return evs_ivshmem_connected(&dev->ivs) && dev->enabled &&
	       !dev->paused &&
	       (dev->opt.rate || !evs_backend_generates(dev));
}

bool evs_traffic_stalled(const struct evs_device *dev, u64 now_ns)
{
	return dev->stall_until_ns && now_ns < dev->stall_until_ns;
}

/* The pacer starts over at the next tick, e.g. after a rate change. */
void evs_traffic_restart(struct evs_device *dev)
{
	dev->was_active = false;
}

static void evs_traffic_raise(struct evs_device *dev, u32 vector)
{
	if (!evs_ivshmem_raise(&dev->ivs, vector))
		dev->vec[vector].signals++;
}

/* Raise every vector that a batch owes an interrupt. */
void evs_traffic_flush(struct evs_device *dev)
{
	while (dev->pending) {
		u32 vector = __builtin_ctzll(dev->pending);

		dev->pending &= dev->pending - 1;
		evs_traffic_raise(dev, vector);
	}
}

/**
 * evs_traffic_count() - account for one production result
 * @dev:    device
 * @result: enum evs_produce_result
 * @t:      where the entry went
 *
 * Flooding raises the vector for every event; otherwise the vector is
 * raised once when the batch is flushed.
 */
void evs_traffic_count(struct evs_device *dev, int result,
		       const struct evs_target *t)
{
	if (result != EVS_PRODUCED && result != EVS_PRODUCED_SIGNAL)
		return;
	dev->vec[t->vector].produced++;
	if (result != EVS_PRODUCED_SIGNAL)
		return;
	if (dev->flood)
		evs_traffic_raise(dev, t->vector);
	else
		dev->pending |= 1ull << t->vector;
}

/* A frame went out: count it for the statistics line. */
static void evs_traffic_count_frame(struct evs_device *dev, int result,
				    const struct evs_event *ev, u32 ring)
{
	if (!ev->len ||
	    (result != EVS_PRODUCED && result != EVS_PRODUCED_SIGNAL))
		return;
	dev->frames.frames++;
	dev->frames.bytes += ev->len;
	dev->ring_frames[ring].frames++;
	dev->ring_frames[ring].bytes += ev->len;
}

/*
 * Steer one event and write it; the caller flushes the signals.
 * Return: enum evs_produce_result.
 */
int evs_traffic_emit(struct evs_device *dev, const struct evs_event *ev)
{
	struct evs_target t;
	int ret;

	ret = evs_produce(&dev->prod, &dev->steer, ev, dev->flood, &t);
	evs_traffic_count(dev, ret, &t);
	evs_traffic_count_frame(dev, ret, ev, t.ring);
	return ret;
}

/**
 * evs_traffic_tick() - produce the events that are due
 * @dev:    device
 * @now_ns: current time
 */
void evs_traffic_tick(struct evs_device *dev, u64 now_ns)
{
	struct evs_event ev;
	u64 n;

	if (!evs_traffic_active(dev) || evs_traffic_stalled(dev, now_ns) ||
	    !evs_backend_generates(dev)) {
		dev->was_active = false;
		return;
	}
	dev->stall_until_ns = 0;
	if (!dev->was_active) {
		evs_pacer_start(&dev->pacer, dev->opt.rate, now_ns);
		dev->was_active = true;
		return;
	}
	for (n = evs_pacer_take(&dev->pacer, now_ns); n; n--) {
		evs_gen_event(&dev->gen, &dev->steer, evs_now_ns(), &ev);
		if (ev.code == EVS_EV_LINK && dev->link_up)
			ev.flags |= EVS_EF_LINK_UP;
		evs_traffic_emit(dev, &ev);
	}
	evs_traffic_flush(dev);
}

/**
 * evs_traffic_wake_ns() - when the poll loop must wake up next
 * @dev:    device
 * @now_ns: current time
 *
 * Return: the next tick while producing (at least EVS_TICK_NS away, so
 * events come in batches), the end of a stall, a slow idle check of
 * the shared memory while a guest is connected, else UINT64_MAX.
 */
u64 evs_traffic_wake_ns(const struct evs_device *dev, u64 now_ns)
{
	u64 next, idle = now_ns + EVS_IDLE_CHECK_NS;

	if (!evs_traffic_active(dev))
		return evs_ivshmem_connected(&dev->ivs) ? idle : UINT64_MAX;
	if (evs_traffic_stalled(dev, now_ns))
		return dev->stall_until_ns < idle ? dev->stall_until_ns : idle;
	if (!evs_backend_generates(dev))
		return idle;
	if (!dev->was_active)
		return now_ns;
	next = evs_pacer_next_ns(&dev->pacer);
	if (next < now_ns + EVS_TICK_NS)
		next = now_ns + EVS_TICK_NS;
	return next < idle ? next : idle;
}
