// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Statistics as one JSON line: totals, then one object per ring and
 * one per vector.  The same line answers the "stats" command and is
 * printed every --stats-interval.
 *
 *   {"uptime_ms":..,"connected":..,"enabled":..,"paused":..,"rate":..,
 *    "mode":"proc-code","events":..,"produced":..,"dropped":..,
 *    "nodata":..,"config_applied":..,"config_rejected":..,
 *    "doorbells":..,"injected":..,"frames":..,"bytes":..,
 *    "rings":[{"ring":0,"produced":..,"dropped":..,"signalled":..,
 *              "bad_cons":..,"prod":..,"cons":..,"frames":..,
 *              "bytes":..},...],
 *
 *    "vectors":[{"vector":0,"produced":..,"signals":..},...],
 *    "tx_queues":[{"queue":0,"frames":..,"bytes":..,"bad":..,
 *                  "bad_prod":..,"prod":..,"cons":..},...]}
 *
 * "frames" and "bytes" count the frames the device wrote into receive
 * buffers (injected faults aside), and their length.  After them come
 * "backend" (generator, pcap, tap, loopback), the TX totals of
 * evs_stats ("tx_frames", "tx_bytes", "tx_bad", "tx_bad_prod",
 * "tx_signalled") and the backend counters ("tap_rx_frames",
 * "tap_rx_bytes", "tap_rx_dropped", "tap_tx_frames", "tap_tx_errors",
 * "loopback_frames", "loopback_dropped"; zero in other backends), and
 * "tx_stalled".
 */
#include "device.h"

static const char *evs_bool(bool v)
{
	return v ? "true" : "false";
}

static void evs_stats_totals(const struct evs_device *dev,
			     struct evs_strbuf *b)
{
	const struct evs_stats *st = dev->prod.stats;

	evs_strbuf_printf(b,
		"\"uptime_ms\":%llu,\"connected\":%s,\"enabled\":%s,\"paused\":%s,\"rate\":%u,\"mode\":\"%s\",",
		(unsigned long long)(evs_now_ns() - dev->start_ns) /
		EVS_NSEC_PER_MSEC,
		evs_bool(evs_ivshmem_connected(&dev->ivs)),
		evs_bool(dev->enabled), evs_bool(dev->paused), dev->opt.rate,
		dev->steer.map_mode == EVS_MAP_PROC_RING ? "proc-ring" :
							   "proc-code");
	evs_strbuf_printf(b,
		"\"events\":%llu,\"produced\":%llu,\"dropped\":%llu,\"nodata\":%llu,",
		(unsigned long long)evs_rd64(&st->events),
		(unsigned long long)evs_rd64(&st->produced),
		(unsigned long long)evs_rd64(&st->dropped),
		(unsigned long long)evs_rd64(&st->nodata));
	evs_strbuf_printf(b,
		"\"config_applied\":%llu,\"config_rejected\":%llu,\"doorbells\":%llu,\"injected\":%llu,",
		(unsigned long long)evs_rd64(&st->config_applied),
		(unsigned long long)evs_rd64(&st->config_rejected),
		(unsigned long long)evs_rd64(&st->doorbells),
		(unsigned long long)evs_rd64(&st->injected));
	evs_strbuf_printf(b, "\"frames\":%llu,\"bytes\":%llu,",
			  (unsigned long long)dev->frames.frames,
			  (unsigned long long)dev->frames.bytes);
}

static void evs_stats_backend(const struct evs_device *dev,
			      struct evs_strbuf *b)
{
	const struct evs_stats *st = dev->prod.stats;
	const struct evs_backend_stats *bk = &dev->bk;

	evs_strbuf_printf(b,
		"\"backend\":\"%s\",\"tx_frames\":%llu,\"tx_bytes\":%llu,\"tx_bad\":%llu,\"tx_bad_prod\":%llu,\"tx_signalled\":%llu,",
		evs_backend_name(dev->opt.backend),
		(unsigned long long)evs_rd64(&st->tx_frames),
		(unsigned long long)evs_rd64(&st->tx_bytes),
		(unsigned long long)evs_rd64(&st->tx_bad),
		(unsigned long long)evs_rd64(&st->tx_bad_prod),
		(unsigned long long)evs_rd64(&st->tx_signalled));
	evs_strbuf_printf(b,
		"\"tap_rx_frames\":%llu,\"tap_rx_bytes\":%llu,\"tap_rx_dropped\":%llu,\"tap_tx_frames\":%llu,\"tap_tx_errors\":%llu,\"loopback_frames\":%llu,\"loopback_dropped\":%llu,\"tx_stalled\":%s,",
		(unsigned long long)bk->tap_rx_frames,
		(unsigned long long)bk->tap_rx_bytes,
		(unsigned long long)bk->tap_rx_dropped,
		(unsigned long long)bk->tap_tx_frames,
		(unsigned long long)bk->tap_tx_errors,
		(unsigned long long)bk->loopback_frames,
		(unsigned long long)bk->loopback_dropped,
		evs_bool(evs_tx_stalled(dev, evs_now_ns())));
}

static void evs_stats_rings(const struct evs_device *dev,
			    struct evs_strbuf *b)
{
	u32 i;

	evs_strbuf_printf(b, "\"rings\":[");
	for (i = 0; i < dev->prod.total_rings; i++) {
		const struct evs_ring_producer *rp = &dev->prod.ring[i];

		evs_strbuf_printf(b,
			"%s{\"ring\":%u,\"produced\":%llu,\"dropped\":%llu,\"signalled\":%llu,\"bad_cons\":%llu,\"prod\":%u,\"cons\":%u,\"frames\":%llu,\"bytes\":%llu}",
			i ? "," : "", i,
			(unsigned long long)evs_rd64(&rp->stats->produced),
			(unsigned long long)evs_rd64(&rp->stats->dropped),
			(unsigned long long)evs_rd64(&rp->stats->signalled),
			(unsigned long long)evs_rd64(&rp->stats->bad_cons),
			rp->prod, evs_rd32(&rp->ctl->cons),
			(unsigned long long)dev->ring_frames[i].frames,
			(unsigned long long)dev->ring_frames[i].bytes);
	}
	evs_strbuf_printf(b, "],");
}

static void evs_stats_vectors(const struct evs_device *dev,
			      struct evs_strbuf *b)
{
	u32 i;

	evs_strbuf_printf(b, "\"vectors\":[");
	for (i = 0; i < dev->prod.num_vectors; i++)
		evs_strbuf_printf(b,
			"%s{\"vector\":%u,\"produced\":%llu,\"signals\":%llu}",
			i ? "," : "", i,
			(unsigned long long)dev->vec[i].produced,
			(unsigned long long)dev->vec[i].signals);
	evs_strbuf_printf(b, "],");
}

/* Per TX queue: device-private counts, and both indices as seen. */
static void evs_stats_tx_queues(const struct evs_device *dev,
				struct evs_strbuf *b)
{
	u32 i;

	evs_strbuf_printf(b, "\"tx_queues\":[");
	for (i = 0; i < dev->num_txq; i++) {
		const struct evs_tx_queue *q = &dev->txq[i];

		evs_strbuf_printf(b,
			"%s{\"queue\":%u,\"frames\":%llu,\"bytes\":%llu,\"bad\":%llu,\"bad_prod\":%llu,\"prod\":%u,\"cons\":%u}",
			i ? "," : "", i, (unsigned long long)q->frames,
			(unsigned long long)q->bytes,
			(unsigned long long)q->bad,
			(unsigned long long)q->bad_prod,
			evs_rd32(&q->ctl->prod), q->cons);
	}
	evs_strbuf_printf(b, "]");
}

/* Append the statistics line to @b, without a newline. */
void evs_stats_json(const struct evs_device *dev, struct evs_strbuf *b)
{
	evs_strbuf_printf(b, "{");
	evs_stats_totals(dev, b);
	evs_stats_backend(dev, b);
	evs_stats_rings(dev, b);
	evs_stats_vectors(dev, b);
	evs_stats_tx_queues(dev, b);
	evs_strbuf_printf(b, "}");
}
