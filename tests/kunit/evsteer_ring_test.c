// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the driver's receive path (drivers/evsteer/ring.c,
 * lane.c and rx.c) against the device's own producer and frame code
 * (include/evsteer/): ring windows with wrap-around, a full ring, a
 * bogus write index, windows of at most EVS_WINDOW_MAX entries and the
 * checks of every entry (codes, ring ids, runts, oversize frames, link
 * events); the lane split and per-flow order; skbs built from real
 * Ethernet + IP + UDP frames, with their hash, RX queue and timestamp;
 * and two races run for a million frames in each bottom-half mode: the
 * last-finisher re-arm protocol, and lanes that move between CPUs
 * while the device produces.  A packet tap on the test's net device
 * checks what the stack got: every frame once, in order per flow.
 * The frames counted per RETA bucket, and the order-safe hand-off of
 * buckets between rings (handoff.c): held frames released when the old
 * ring is past them, by the timeout when it is stalled, dropped beyond
 * the hold limit and when the ring stops, and a million frames whose
 * buckets keep moving between the two rings while the producer runs,
 * none of them reordered or lost.
 *
 * The driver's data-path files are compiled into this test: they need
 * no PCI device, only a struct evs_dev with a struct device, a net
 * device, a workqueue and the validated geometry.
 */

#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/etherdevice.h>
#include <linux/irq_work.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/tracepoint.h>
/* before trace.c, whose define_trace.h would create these too */
#include <trace/events/workqueue.h>

#include <evsteer/producer.h>

#include "ring.c"
#include "lane.c"
#include "rx.c"
#include "handoff.c"
#include "latency.c"
#include "relief.c"
/* last: it defines the tracepoints the files above call */
#include "trace.c"

#define EVS_T_RINGS	2		/* data rings; ring 2 is the admin ring */
#define EVS_T_ADMIN	EVS_T_RINGS
#define EVS_T_TOTAL	(EVS_T_RINGS + 1)
#define EVS_T_RSIZE	64		/* entries per ring */
#define EVS_T_BUF	EVS_BUF_SIZE_MIN	/* bytes per receive buffer */
#define EVS_T_FRAME	128		/* length of the test frames */
#define EVS_T_FLOWS	1024		/* flow ids the tests use */
#define EVS_T_LOG	256		/* frames the tap remembers */
#define EVS_T_SEED	7		/* traffic seed of the flow tuples */
#define EVS_T_WAIT_MS	20000		/* bound on waiting for the lanes */

static const u8 evs_t_mac[EVS_ETH_ALEN] = EVS_DEFAULT_NIC_MAC;

/**
 * struct evs_tap_rec - one frame as the packet tap saw it
 * @flow:   EVSP flow id, or U32_MAX if the frame has no EVSP header
 * @seq:    EVSP sequence number
 * @len:    frame length, Ethernet header included
 * @queue:  recorded RX queue, or -1
 * @hash:   skb->hash
 * @l4:     skb->l4_hash
 */
struct evs_tap_rec {
	u32 flow;
	u64 seq;
	u32 len;
	int queue;
	u32 hash;
	bool l4;
};

/**
 * struct evs_tap - a packet_type on the test's net device: what the
 * stack received from the lanes
 * @pt:    the handler, for every protocol (ETH_P_ALL)
 * @lock:  serialises the handlers of several lanes
 * @n:     frames seen
 * @bad:   frames that were not linear
 * @back:  frames of a flow older than one seen before
 * @gaps:  frames of a flow that skipped sequence numbers
 * @next:  sequence number expected next, per flow id
 * @rec:   the first EVS_T_LOG frames
 */
struct evs_tap {
	struct packet_type pt;
	spinlock_t lock;	/* see above */
	u32 n;
	u32 bad;
	u32 back;
	u32 gaps;
	u64 next[EVS_T_FLOWS];
	struct evs_tap_rec rec[EVS_T_LOG];
};

/* The vector of one ring: evs_ring_irq() in hard-IRQ context. */
struct evs_rt_irq {
	struct irq_work work;
	struct evs_ring *ring;
};

struct evs_race;

/**
 * struct evs_rt - a device made of a kernel buffer and the driver's rings
 * @edev:      the driver's view
 * @dev:       root device standing in for the PCI function (devres)
 * @prod:      the device's view of the same memory (shared producer code)
 * @steer:     the device's loaded steering configuration
 * @addrs:     addresses of the generated frames
 * @irq:       one vector per ring
 * @tap:       what the stack received
 * @tap_on:    @tap is registered
 * @registered: the net device is registered
 * @links:     link events the lanes passed on
 * @link_up:   the state of the last one
 * @tx_seq:    next EVSP sequence number, per flow id
 * @frame:     scratch for building frames
 * @race:      a race case's state, stopped and freed on exit
 * @relief_passes: relief passes run (evs_rt_relief_pass())
 * @relief_cpu: where the pass puts the lanes that asked, -1: nowhere
 *             (the requests stay, and the lanes do not ask again)
 * @resteered: windows the pass sent on to the new CPU
 */
struct evs_rt {
	struct evs_dev edev;
	struct device *dev;
	struct evs_producer prod;
	struct evs_steer *steer;
	struct evs_frame_addrs addrs;
	struct evs_rt_irq irq[EVS_T_TOTAL];
	struct evs_tap tap;
	bool tap_on;
	bool registered;
	atomic_t links;
	bool link_up;
	u64 tx_seq[EVS_T_FLOWS];
	u8 frame[EVS_FRAME_MAX];
	struct evs_race *race;
	atomic_t relief_passes;
	int relief_cpu;
	atomic_t resteered;
};

static void evs_race_teardown(struct evs_race *r);

/*
 * The suite's relief pass, standing in for the monitor's: it counts,
 * and with a target CPU set moves the lanes that asked there and sends
 * their windows on (evs_lane_resteer()), as monitor.c does.
 */
static void evs_rt_relief_pass(struct work_struct *work)
{
	struct evs_dev *edev = container_of(work, struct evs_dev, relief.work);
	struct evs_rt *rt = container_of(edev, struct evs_rt, edev);
	int cpu = READ_ONCE(rt->relief_cpu);
	unsigned int i, j;

	atomic_inc(&rt->relief_passes);
	if (cpu < 0)
		return;
	for (i = 0; i < edev->geo.num_rings; i++) {
		for (j = 0; j < EVS_MAX_LANES; j++) {
			struct evs_lane *lane = &edev->rings[i].lanes[j];

			if (!test_and_clear_bit(EVS_LANE_RELIEF, &lane->relief))
				continue;
			WRITE_ONCE(lane->cpu, cpu);
			if (evs_lane_resteer(lane))
				atomic_inc(&rt->resteered);
		}
	}
}

/* ---- the test device ------------------------------------------------ */

static netdev_tx_t evs_t_xmit(struct sk_buff *skb, struct net_device *nd)
{
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops evs_t_netdev_ops = {
	.ndo_start_xmit = evs_t_xmit,
};

/* edev->link_event: lane context */
static void evs_rt_link_event(struct evs_dev *edev, bool up)
{
	struct evs_rt *rt = container_of(edev, struct evs_rt, edev);

	WRITE_ONCE(rt->link_up, up);
	atomic_inc(&rt->links);
}

static void evs_rt_irq_fn(struct irq_work *work)
{
	evs_ring_irq(container_of(work, struct evs_rt_irq, work)->ring);
}

/* The first EVS_T_LOG frames are kept; the order check covers them all. */
static void evs_tap_note(struct evs_tap *tap, const struct evs_tap_rec *r)
{
	if (r->flow < EVS_T_FLOWS) {
		if (r->seq < tap->next[r->flow])
			tap->back++;
		else if (r->seq > tap->next[r->flow])
			tap->gaps++;
		tap->next[r->flow] = r->seq + 1;
	}
	if (tap->n < EVS_T_LOG)
		tap->rec[tap->n] = *r;
	tap->n++;
}

/* EVSP flow id and sequence number of a frame; false if it has none. */
static bool evs_t_parse_evsp(const u8 *f, u32 len, u32 *flow, u64 *seq)
{
	u32 off = EVS_ETH_HLEN + EVS_UDP_HLEN;
	const u8 *h;

	if (len < EVS_ETH_HLEN)
		return false;
	off += evs_get_be16(f + 12) == EVS_ETHERTYPE_IPV6 ? EVS_IPV6_HLEN :
							     EVS_IPV4_HLEN;
	if (len < off + sizeof(struct evs_evsp_hdr))
		return false;
	h = f + off;
	if (evs_get_le(h, 4) != EVS_EVSP_MAGIC)
		return false;
	*flow = (u32)evs_get_le(h + 4, 4);
	*seq = evs_get_le(h + 8, 8);
	return true;
}

static int evs_tap_rcv(struct sk_buff *skb, struct net_device *nd,
		       struct packet_type *pt, struct net_device *orig)
{
	struct evs_tap *tap = container_of(pt, struct evs_tap, pt);
	const u8 *f = skb_mac_header(skb);
	u32 len = skb->len + (skb->data - f);
	struct evs_tap_rec r = {
		.flow = U32_MAX,
		.len = len,
		.queue = skb_rx_queue_recorded(skb) ? skb_get_rx_queue(skb) : -1,
		.hash = skb->hash,
		.l4 = skb->l4_hash,
	};
	bool linear = !skb_is_nonlinear(skb);

	if (linear && !evs_t_parse_evsp(f, len, &r.flow, &r.seq))
		r.flow = U32_MAX;
	spin_lock(&tap->lock);
	if (!linear)
		tap->bad++;
	evs_tap_note(tap, &r);
	spin_unlock(&tap->lock);
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static void evs_tap_snapshot(struct evs_rt *rt, struct evs_tap *copy)
{
	spin_lock_bh(&rt->tap.lock);
	memcpy(copy, &rt->tap, sizeof(*copy));
	spin_unlock_bh(&rt->tap.lock);
}

/* The net device: NAPI instances in the NAPI modes, as the driver's. */
static void evs_rt_netdev(struct kunit *test, struct evs_rt *rt)
{
	struct evs_dev *edev = &rt->edev;
	struct net_device *nd;
	unsigned int i, j;
	int err;

	nd = alloc_etherdev_mqs(0, 1, EVS_T_RINGS);
	KUNIT_ASSERT_NOT_NULL(test, nd);
	edev->netdev = nd;
	strscpy(nd->name, "evskunit%d", sizeof(nd->name));
	nd->netdev_ops = &evs_t_netdev_ops;
	eth_hw_addr_set(nd, evs_t_mac);
	if (evs_bh_is_napi(edev->bh_mode))
		for (i = 0; i < EVS_T_TOTAL; i++)
			for (j = 0; j < EVS_MAX_LANES; j++)
				evs_lane_add_napi(&edev->rings[i].lanes[j], nd);
	KUNIT_ASSERT_EQ(test, register_netdev(nd), 0);
	rt->registered = true;
	if (edev->bh_mode == EVS_BH_THREADED) {
		rtnl_lock();
		err = dev_set_threaded(nd, true);
		rtnl_unlock();
		KUNIT_ASSERT_EQ(test, err, 0);
	}
	spin_lock_init(&rt->tap.lock);
	rt->tap.pt.type = htons(ETH_P_ALL);
	rt->tap.pt.dev = nd;
	rt->tap.pt.func = evs_tap_rcv;
	dev_add_pack(&rt->tap.pt);
	rt->tap_on = true;
}

/* Shared memory, formatted by the device's code, and its steering copy. */
static void evs_rt_shm(struct kunit *test, struct evs_rt *rt, u32 ring_size)
{
	struct evs_dev *edev = &rt->edev;

	edev->geo.num_rings = EVS_T_RINGS;
	edev->geo.total_rings = EVS_T_TOTAL;
	edev->geo.ring_size = ring_size;
	edev->geo.buf_size = EVS_T_BUF;
	memcpy(edev->geo.mac, evs_t_mac, EVS_ETH_ALEN);
	KUNIT_ASSERT_EQ(test, evs_layout_compute(EVS_T_RINGS, ring_size,
						 EVS_T_BUF, &edev->geo.layout),
			0);
	edev->shm_len = edev->geo.layout.total_size;
	edev->shm = kvzalloc(edev->shm_len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, edev->shm);
	edev->hdr = edev->shm;
	KUNIT_ASSERT_EQ(test, evs_shm_format(&rt->prod, edev->shm,
					     edev->shm_len, EVS_T_RINGS,
					     ring_size, EVS_T_BUF, evs_t_mac,
					     EVS_MAP_PROC_CODE), 0);
	rt->steer = kunit_kzalloc(test, sizeof(*rt->steer), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rt->steer);
	KUNIT_ASSERT_EQ(test, evs_steer_load(rt->steer, rt->prod.cfg,
					     rt->prod.total_rings,
					     rt->prod.num_vectors), EVS_CFG_OK);
	evs_frame_addrs_default(&rt->addrs);
}

/**
 * evs_rt_setup_size() - a running device: rings, lanes, net device, tap
 * @test:      the test; its exit tears all of it down
 * @mode:      bottom-half mode of the lanes
 * @nr_lanes:  lanes per ring
 * @ring_size: entries per ring
 *
 * Ring i's vector and lanes start on CPU (i + 1) % online CPUs; the
 * net device is registered and "up" for the lanes.
 *
 * Return: the device.
 */
static struct evs_rt *evs_rt_setup_size(struct kunit *test,
					enum evs_bh_mode mode, u32 nr_lanes,
					u32 ring_size)
{
	struct evs_rt *rt = kunit_kzalloc(test, sizeof(*rt), GFP_KERNEL);
	struct evs_dev *edev;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, rt);
	test->priv = rt;
	edev = &rt->edev;
	evs_relief_init(edev, evs_rt_relief_pass);
	rt->relief_cpu = -1;
	rt->dev = root_device_register("evsteer-kunit");
	KUNIT_ASSERT_FALSE(test, IS_ERR(rt->dev));
	edev->dev = rt->dev;
	KUNIT_ASSERT_EQ(test, evs_handoff_init(edev), 0);
	strscpy(edev->name, "evsteer-kunit", sizeof(edev->name));
	edev->bh_mode = mode;
	evs_rt_shm(test, rt, ring_size);
	edev->wq = alloc_workqueue("evs-kunit", WQ_HIGHPRI, 0);
	KUNIT_ASSERT_NOT_NULL(test, edev->wq);
	edev->rings = devm_kcalloc(rt->dev, EVS_T_TOTAL, sizeof(*edev->rings),
				   GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, edev->rings);
	for (i = 0; i < EVS_T_TOTAL; i++) {
		KUNIT_ASSERT_EQ(test, evs_ring_init(edev, &edev->rings[i], i,
						    nr_lanes), 0);
		evs_ring_set_cpu(&edev->rings[i], (i + 1) % num_online_cpus());
		rt->irq[i].ring = &edev->rings[i];
		init_irq_work(&rt->irq[i].work, evs_rt_irq_fn);
	}
	evs_rt_netdev(test, rt);
	edev->link_event = evs_rt_link_event;
	WRITE_ONCE(edev->up, true);
	for (i = 0; i < EVS_T_TOTAL; i++)
		evs_ring_start(&edev->rings[i]);
	return rt;
}

static struct evs_rt *evs_rt_setup(struct kunit *test, enum evs_bh_mode mode,
				   u32 nr_lanes)
{
	return evs_rt_setup_size(test, mode, nr_lanes, EVS_T_RSIZE);
}

/* Undo the net device: no tap, no NAPI, unregistered and freed. */
static void evs_rt_netdev_exit(struct evs_rt *rt)
{
	struct evs_dev *edev = &rt->edev;
	unsigned int i, j;

	if (rt->tap_on)
		dev_remove_pack(&rt->tap.pt);
	if (edev->rings)
		for (i = 0; i < EVS_T_TOTAL; i++)
			for (j = 0; edev->rings[i].lanes && j < EVS_MAX_LANES;
			     j++)
				evs_lane_del_napi(&edev->rings[i].lanes[j]);
	if (rt->registered)
		unregister_netdev(edev->netdev);
	free_netdev(edev->netdev);
}

static void evs_rt_exit(struct kunit *test)
{
	struct evs_rt *rt = test->priv;
	struct evs_dev *edev;
	unsigned int i;

	if (!rt || IS_ERR_OR_NULL(rt->dev))
		return;
	edev = &rt->edev;
	if (rt->race)
		evs_race_teardown(rt->race);
	for (i = 0; i < EVS_T_TOTAL; i++)
		if (rt->irq[i].ring)
			irq_work_sync(&rt->irq[i].work);
	if (edev->rings)
		for (i = 0; i < EVS_T_TOTAL; i++)
			if (edev->rings[i].lanes)
				evs_ring_stop(&edev->rings[i]);
	/* the lanes, which ask for relief, are stopped */
	evs_relief_stop(edev);
	evs_handoff_shutdown(edev);
	if (edev->netdev)
		evs_rt_netdev_exit(rt);
	if (edev->wq)
		destroy_workqueue(edev->wq);
	kvfree(edev->shm);
	root_device_unregister(rt->dev);
}

static struct evs_ring *evs_rt_ring(struct kunit *test, u32 id)
{
	return &((struct evs_rt *)test->priv)->edev.rings[id];
}

/* ---- frames and interrupts ------------------------------------------ */

/**
 * evs_t_flow() - the tuple, hash and hash type of synthetic flow @flow
 * @steer: steering copy whose Toeplitz key hashes the tuple
 * @a:     addresses
 * @flow:  flow id; odd ones are IPv6
 * @t:     the tuple, filled in
 * @type:  set to its enum evs_hash_type (L4)
 *
 * Return: the tuple's Toeplitz hash, as the device computes it.
 */
static u32 evs_t_flow(const struct evs_steer *steer,
		      const struct evs_frame_addrs *a, u32 flow,
		      struct evs_flow_tuple *t, u32 *type)
{
	bool ipv6 = flow & 1;

	evs_flow_tuple_make_at(a, flow, EVS_T_SEED, ipv6, t);
	*type = ipv6 ? EVS_HASH_IPV6_L4 : EVS_HASH_IPV4_L4;
	return evs_toeplitz_hash(&steer->tz, t->b, t->len);
}

static u32 evs_rt_flow_hash(struct evs_rt *rt, u32 flow)
{
	struct evs_flow_tuple t;
	u32 type;

	return evs_t_flow(rt->steer, &rt->addrs, flow, &t, &type);
}

/**
 * evs_rt_event() - build flow @flow's next frame, as the device does
 * @rt:   device; the frame goes to @rt->frame
 * @flow: flow id, below EVS_T_FLOWS; takes the flow's next EVSP number
 * @ev:   the event, filled in
 */
static void evs_rt_event(struct evs_rt *rt, u32 flow, struct evs_event *ev)
{
	struct evs_flow_tuple t;

	memset(ev, 0, sizeof(*ev));
	ev->code = EVS_EV_DATA;
	ev->flow_id = flow;
	ev->hash = evs_t_flow(rt->steer, &rt->addrs, flow, &t,
			      &ev->hash_type);
	ev->len = evs_frame_build(rt->frame, EVS_T_FRAME, &rt->addrs, &t,
				  flow, rt->tx_seq[flow]++, ktime_get_ns());
	ev->frame = rt->frame;
}

/* Produce flow @flow's next frame into @ring (bypassing the RETA). */
static int evs_rt_produce(struct evs_rt *rt, u32 ring, u32 flow)
{
	struct evs_event ev;

	evs_rt_event(rt, flow, &ev);
	return evs_ring_produce(&rt->prod.ring[ring], &ev, ring, false);
}

/* The ring's vector fires on the ring's CPU; returns once it ran. */
static void evs_rt_irq(struct evs_rt *rt, u32 ring)
{
	unsigned int cpu = rt->edev.rings[ring].cpu;

	if (!cpu_online(cpu))
		cpu = raw_smp_processor_id();
	irq_work_queue_on(&rt->irq[ring].work, cpu);
	irq_work_sync(&rt->irq[ring].work);
}

/* Wait until the ring has no window in flight and nothing pending. */
static bool evs_rt_idle(struct evs_ring *ring)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(EVS_T_WAIT_MS);

	while (time_before(jiffies, deadline)) {
		if (!test_bit(EVS_RING_BUSY, &ring->state) &&
		    evs_rd32(&ring->ctl->prod) == READ_ONCE(ring->cons))
			return true;
		usleep_range(200, 1000);
	}
	return false;
}

/* Interrupt, then wait for the ring to be idle again. */
static bool evs_rt_kick(struct evs_rt *rt, u32 ring)
{
	evs_rt_irq(rt, ring);
	return evs_rt_idle(&rt->edev.rings[ring]);
}

/*
 * Move both sides of a ring to free-running index @start, empty: the
 * ring is stopped meanwhile, and synchronises on its next entry.
 */
static void evs_rt_ring_at(struct evs_rt *rt, u32 id, u32 start)
{
	struct evs_ring *ring = &rt->edev.rings[id];

	evs_ring_stop(ring);
	rt->prod.ring[id].prod = start;
	rt->prod.ring[id].seq = start;
	evs_wr32(&ring->ctl->prod, start);
	evs_wr32(&ring->ctl->cons, start);
	ring->cons = start;
	ring->seq_synced = false;
	evs_ring_start(ring);
}

static u64 evs_rt_lane_sum(struct evs_ring *ring, size_t field)
{
	struct evs_lane_snapshot s;
	u64 sum = 0;
	unsigned int i;

	for (i = 0; i < EVS_MAX_LANES; i++) {
		evs_lane_snapshot(&ring->lanes[i], &s);
		sum += *(u64 *)((u8 *)&s + field);
	}
	return sum;
}

#define evs_rt_lane_events(ring) \
	evs_rt_lane_sum(ring, offsetof(struct evs_lane_snapshot, events))
#define evs_rt_lane_reorders(ring) \
	evs_rt_lane_sum(ring, offsetof(struct evs_lane_snapshot, reorders))

/* What the tap got is what the ring says it delivered, all in order. */
static void evs_rt_expect_delivered(struct kunit *test, struct evs_rt *rt,
				    u64 frames)
{
	struct evs_ring_snapshot s;
	u64 rx = 0;
	unsigned int i;

	for (i = 0; i < EVS_T_TOTAL; i++) {
		evs_ring_snapshot(&rt->edev.rings[i], &s);
		rx += s.rx_packets;
	}
	spin_lock_bh(&rt->tap.lock);
	KUNIT_EXPECT_EQ(test, (u64)rt->tap.n, frames);
	KUNIT_EXPECT_EQ(test, rt->tap.bad, 0u);
	KUNIT_EXPECT_EQ(test, rt->tap.back, 0u);
	KUNIT_EXPECT_EQ(test, rt->tap.gaps, 0u);
	spin_unlock_bh(&rt->tap.lock);
	KUNIT_EXPECT_EQ(test, rx, frames);
}

/* ---- ring windows ---------------------------------------------------- */

/* Indices are free-running u32: windows keep working across 2^32. */
static void evs_test_ring_wraparound(struct kunit *test)
{
	struct evs_rt *rt = evs_rt_setup(test, EVS_BH_WORKQUEUE, 2);
	struct evs_ring *ring = evs_rt_ring(test, 0);
	struct evs_ring_snapshot s;
	u32 start = 0xffffffe0u, i, round;

	evs_rt_ring_at(rt, 0, start);
	for (round = 0; round < 4; round++) {
		for (i = 0; i < EVS_T_RSIZE - 3; i++)
			evs_rt_produce(rt, 0, i);
		KUNIT_ASSERT_TRUE(test, evs_rt_kick(rt, 0));
	}
	evs_ring_snapshot(ring, &s);
	KUNIT_EXPECT_EQ(test, s.events, 4ull * (EVS_T_RSIZE - 3));
	KUNIT_EXPECT_EQ(test, evs_rt_lane_events(ring), s.events);
	KUNIT_EXPECT_EQ(test, s.lost, 0ull);
	KUNIT_EXPECT_EQ(test, s.dups, 0ull);
	KUNIT_EXPECT_EQ(test, s.bad_prod, 0ull);
	KUNIT_EXPECT_EQ(test, s.bad_entry, 0ull);
	KUNIT_EXPECT_EQ(test, s.rx_bytes, s.events * EVS_T_FRAME);
	KUNIT_EXPECT_LT(test, ring->cons, start);	/* it wrapped */
	KUNIT_EXPECT_EQ(test, evs_rd32(&ring->ctl->cons), ring->cons);
	KUNIT_EXPECT_NE(test, evs_rd32(&ring->ctl->armed), 0u);
	evs_rt_expect_delivered(test, rt, s.events);
}

/* A full ring drops on the device side; the driver sees it as lost. */
static void evs_test_ring_full(struct kunit *test)
{
	struct evs_rt *rt = evs_rt_setup(test, EVS_BH_WORKQUEUE, 2);
	struct evs_ring *ring = evs_rt_ring(test, 1);
	struct evs_ring_snapshot s;
	unsigned int i, dropped = 0;

	evs_wr32(&ring->ctl->armed, 0);	/* no interrupt: let it fill */
	for (i = 0; i < EVS_T_RSIZE + 5; i++)
		dropped += evs_rt_produce(rt, 1, i) == EVS_DROPPED_FULL;
	KUNIT_EXPECT_EQ(test, dropped, 5u);
	KUNIT_ASSERT_TRUE(test, evs_rt_kick(rt, 1));
	evs_rt_produce(rt, 1, 1000);
	KUNIT_ASSERT_TRUE(test, evs_rt_kick(rt, 1));

	evs_ring_snapshot(ring, &s);
	KUNIT_EXPECT_EQ(test, s.events, (u64)EVS_T_RSIZE + 1);
	KUNIT_EXPECT_EQ(test, s.lost, 5ull);	/* every drop is visible */
	KUNIT_EXPECT_EQ(test, evs_rd64(&rt->prod.ring[1].stats->dropped), 5ull);
	evs_rt_expect_delivered(test, rt, EVS_T_RSIZE + 1);
}

/* A write index beyond the ring is counted and not followed. */
static void evs_test_ring_bogus_prod(struct kunit *test)
{
	struct evs_rt *rt = evs_rt_setup(test, EVS_BH_WORKQUEUE, 2);
	struct evs_ring *ring = evs_rt_ring(test, 0);
	struct evs_ring_snapshot s;
	u32 good;

	evs_rt_produce(rt, 0, 1);
	KUNIT_ASSERT_TRUE(test, evs_rt_kick(rt, 0));
	good = evs_rd32(&ring->ctl->prod);

	evs_wr32(&ring->ctl->prod, good + EVS_T_RSIZE + 1);
	evs_rt_irq(rt, 0);
	msleep(20);
	evs_ring_snapshot(ring, &s);
	KUNIT_EXPECT_EQ(test, s.bad_prod, 1ull);
	KUNIT_EXPECT_EQ(test, s.events, 1ull);
	KUNIT_EXPECT_EQ(test, READ_ONCE(ring->cons), good);
	KUNIT_EXPECT_FALSE(test, test_bit(EVS_RING_BUSY, &ring->state));

	/* the device publishes a sane index again: processing goes on */
	evs_wr32(&ring->ctl->prod, good);
	evs_rt_produce(rt, 0, 2);
	KUNIT_ASSERT_TRUE(test, evs_rt_kick(rt, 0));
	evs_ring_snapshot(ring, &s);
	KUNIT_EXPECT_EQ(test, s.events, 2ull);
	KUNIT_EXPECT_EQ(test, s.lost, 0ull);
	evs_rt_expect_delivered(test, rt, 2);
}

static const char * const evs_bh_names[EVS_NUM_BH_MODES] = {
	[EVS_BH_NAPI] = "napi",
	[EVS_BH_THREADED] = "threaded",
	[EVS_BH_WORKQUEUE] = "workqueue",
	[EVS_BH_TASKLET] = "tasklet",
	[EVS_BH_BH] = "bh",
};

/* BH work items only where the kernel has them (6.9+) */
static const enum evs_bh_mode evs_bh_modes[] = {
	EVS_BH_NAPI, EVS_BH_THREADED, EVS_BH_WORKQUEUE, EVS_BH_TASKLET,
#ifdef EVS_HAVE_SYSTEM_BH_WQ
	EVS_BH_BH,
#endif
};

static void evs_bh_mode_desc(const enum evs_bh_mode *m, char *desc)
{
	strscpy(desc, evs_bh_names[*m], KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_bh_mode, evs_bh_modes, evs_bh_mode_desc);

/* The modes whose lanes are work items, with two used in turn. */
static const enum evs_bh_mode evs_work_modes[] = {
	EVS_BH_WORKQUEUE,
#ifdef EVS_HAVE_SYSTEM_BH_WQ
	EVS_BH_BH,
#endif
};

KUNIT_ARRAY_PARAM(evs_work_mode, evs_work_modes, evs_bh_mode_desc);

/* Hand-offs: a softirq mode and a process-context one. */
static const enum evs_bh_mode evs_ho_modes[] = {
	EVS_BH_NAPI, EVS_BH_WORKQUEUE,
};

KUNIT_ARRAY_PARAM(evs_ho_mode, evs_ho_modes, evs_bh_mode_desc);

/*
 * 600 entries and one interrupt, one lane: windows of at most
 * EVS_WINDOW_MAX entries (256, 256, 88), each taken by the lane that
 * retired the one before; in the NAPI modes a window is more than a
 * poll's budget, so the lane also stops and resumes mid-batch.
 */
static void evs_test_ring_window_max(struct kunit *test)
{
	const enum evs_bh_mode *mode = test->param_value;
	struct evs_rt *rt = evs_rt_setup_size(test, *mode, 1, 1024);
	struct evs_ring *ring = evs_rt_ring(test, 0);
	struct evs_lane_snapshot ls;
	struct evs_ring_snapshot s;
	unsigned int i;

	evs_wr32(&ring->ctl->armed, 0);
	for (i = 0; i < 600; i++)
		KUNIT_ASSERT_EQ(test, evs_rt_produce(rt, 0, i % 37),
				EVS_PRODUCED);
	KUNIT_ASSERT_TRUE(test, evs_rt_kick(rt, 0));
	evs_ring_snapshot(ring, &s);
	evs_lane_snapshot(&ring->lanes[0], &ls);
	KUNIT_EXPECT_EQ(test, s.irqs, 1ull);
	KUNIT_EXPECT_EQ(test, s.windows, 3ull);
	KUNIT_EXPECT_EQ(test, s.events, 600ull);
	KUNIT_EXPECT_EQ(test, ls.events, 600ull);
	/* once per window, even where a NAPI poll ends on its budget */
	KUNIT_EXPECT_EQ(test, ls.runs, 3ull);
	KUNIT_EXPECT_EQ(test, ls.reorders, 0ull);
	KUNIT_EXPECT_EQ(test, s.lost, 0ull);
	evs_rt_expect_delivered(test, rt, 600);
}

/**
 * struct evs_check_case - one entry as the window's taker sees it
 * @name:    what it tests
 * @admin:   the entry is in the admin ring (else in data ring 0)
 * @code:    its event code
 * @len:     its length
 * @other:   it names another ring
 * @verdict: what evs_ring_check_entry() must say
 */
struct evs_check_case {
	const char *name;
	bool admin;
	u32 code;
	u32 len;
	bool other;
	enum evs_entry_verdict verdict;
};

static const struct evs_check_case evs_check_cases[] = {
	{ "good frame", false, EVS_EV_DATA, EVS_T_FRAME, false, EVS_ENTRY_OK },
	{ "frame of exactly buf_size", false, EVS_EV_DATA, EVS_T_BUF, false,
	  EVS_ENTRY_OK },
	{ "one byte over buf_size", false, EVS_EV_DATA, EVS_T_BUF + 1, false,
	  EVS_ENTRY_OVERSIZE },
	{ "control frame over buf_size", false, EVS_EV_CONTROL, 2 * EVS_T_BUF,
	  false, EVS_ENTRY_OVERSIZE },
	{ "length 65535", false, EVS_EV_DATA, 0xffff, false,
	  EVS_ENTRY_OVERSIZE },
	{ "frame of exactly ETH_HLEN", false, EVS_EV_DATA, ETH_HLEN, false,
	  EVS_ENTRY_OK },
	{ "runt: ETH_HLEN - 1", false, EVS_EV_DATA, ETH_HLEN - 1, false,
	  EVS_ENTRY_RUNT },
	{ "zero length data", false, EVS_EV_DATA, 0, false, EVS_ENTRY_RUNT },
	{ "zero length control", false, EVS_EV_CONTROL, 0, false,
	  EVS_ENTRY_RUNT },
	{ "data on the admin ring", true, EVS_EV_DATA, EVS_T_FRAME, false,
	  EVS_ENTRY_OK },
	{ "runt on the admin ring", true, EVS_EV_DATA, 1, false,
	  EVS_ENTRY_RUNT },
	{ "link event on a data ring", false, EVS_EV_LINK, 0, false,
	  EVS_ENTRY_LINK_ON_DATA },
	{ "link event on the admin ring", true, EVS_EV_LINK, 0, false,
	  EVS_ENTRY_OK },
	{ "error event: length ignored", false, EVS_EV_ERROR, 0xffff, false,
	  EVS_ENTRY_OK },
	{ "unknown event code", false, EVS_NUM_CODES, EVS_T_FRAME, false,
	  EVS_ENTRY_BAD_CODE },
	{ "event code 65535", true, 0xffff, 0, false, EVS_ENTRY_BAD_CODE },
	{ "another ring's id", false, EVS_EV_DATA, EVS_T_FRAME, true,
	  EVS_ENTRY_BAD_CODE },
	{ "link event naming another ring", true, EVS_EV_LINK, 0, true,
	  EVS_ENTRY_BAD_CODE },
};

static void evs_check_desc(const struct evs_check_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_check, evs_check_cases, evs_check_desc);

/* evs_ring_check_entry() alone: its verdict for each kind of entry. */
static void evs_test_ring_check_entry(struct kunit *test)
{
	const struct evs_check_case *c = test->param_value;
	struct evs_dev *edev = kunit_kzalloc(test, sizeof(*edev), GFP_KERNEL);
	struct evs_ring *ring = kunit_kzalloc(test, sizeof(*ring), GFP_KERNEL);
	u32 id;

	KUNIT_ASSERT_NOT_NULL(test, edev);
	KUNIT_ASSERT_NOT_NULL(test, ring);
	edev->geo.num_rings = EVS_T_RINGS;
	ring->edev = edev;
	ring->id = c->admin ? EVS_T_ADMIN : 0;
	ring->buf_size = EVS_T_BUF;
	id = c->other ? 1 : ring->id;
	KUNIT_EXPECT_EQ(test, evs_ring_check_entry(ring, c->code, c->len, id),
			c->verdict);
}

/**
 * struct evs_corruption - an entry changed after the device wrote it
 * @name:    what it tests
 * @ring:    ring of the three entries (0 or the admin ring)
 * @slot:    slot of the changed entry, the middle one of the three
 * @code:    new event code, or -1
 * @len:     new length, or -1
 * @other:   it names another ring
 * @verdict: how the window's taker counts it
 * @rx:      it is still a frame for the stack
 * @link:    it is a link event the lanes pass on
 */
struct evs_corruption {
	const char *name;
	u32 ring;
	u32 slot;
	int code;
	int len;
	bool other;
	enum evs_entry_verdict verdict;
	bool rx;
	bool link;
};

#define EVS_LAST	(EVS_T_RSIZE - 1)

static const struct evs_corruption evs_corruptions[] = {
	{ "unknown event code", 0, 1, 9, -1, false, EVS_ENTRY_BAD_CODE },
	{ "another ring's id", 0, 1, -1, -1, true, EVS_ENTRY_BAD_CODE },
	{ "length over the buffer", 0, 1, -1, EVS_T_BUF + 1, false,
	  EVS_ENTRY_OVERSIZE },
	{ "length 65535", 0, 1, -1, 0xffff, false, EVS_ENTRY_OVERSIZE },
	{ "last slot: length crossing into the next ring", 0, EVS_LAST, -1,
	  2 * EVS_T_BUF, false, EVS_ENTRY_OVERSIZE },
	{ "admin ring's last slot: length past the memory", EVS_T_ADMIN,
	  EVS_LAST, -1, 0xffff, false, EVS_ENTRY_OVERSIZE },
	{ "runt", 0, 1, -1, ETH_HLEN - 1, false, EVS_ENTRY_RUNT },
	{ "zero length data", 0, 1, -1, 0, false, EVS_ENTRY_RUNT },
	{ "zero length control", 0, 1, EVS_EV_CONTROL, 0, false,
	  EVS_ENTRY_RUNT },
	{ "link event on a data ring", 0, 1, EVS_EV_LINK, 0, false,
	  EVS_ENTRY_LINK_ON_DATA },
	{ "link event on the admin ring", EVS_T_ADMIN, 1, EVS_EV_LINK, 0,
	  false, EVS_ENTRY_OK, false, true },
	{ "good frame of exactly buf_size", 0, 1, -1, EVS_T_BUF, false,
	  EVS_ENTRY_OK, true },
	{ "good frame of buf_size at the last slot", 0, EVS_LAST, -1,
	  EVS_T_BUF, false, EVS_ENTRY_OK, true },
};

static void evs_corruption_desc(const struct evs_corruption *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_corruption, evs_corruptions, evs_corruption_desc);

static void evs_corrupt(struct evs_ring *ring, const struct evs_corruption *c)
{
	struct evs_entry *e = &ring->entries[c->slot];

	if (c->code >= 0)
		evs_wr16(&e->code, c->code);
	if (c->code == EVS_EV_LINK)
		evs_wr16(&e->flags, EVS_EF_LINK_UP);
	if (c->len >= 0)
		evs_wr16(&e->len, c->len);
	if (c->other)
		evs_wr16(&e->ring, 1);
}

/* Each rejected entry under its own counter; only good ones delivered. */
static void evs_expect_rejected(struct kunit *test, struct evs_ring *ring,
				enum evs_entry_verdict v)
{
	struct evs_ring_snapshot s;

	evs_ring_snapshot(ring, &s);
	KUNIT_EXPECT_EQ(test, s.bad_entry, v == EVS_ENTRY_OK ? 0ull : 1ull);
	KUNIT_EXPECT_EQ(test, s.bad_code, v == EVS_ENTRY_BAD_CODE ? 1ull : 0ull);
	KUNIT_EXPECT_EQ(test, s.runts, v == EVS_ENTRY_RUNT ? 1ull : 0ull);
	KUNIT_EXPECT_EQ(test, s.oversize, v == EVS_ENTRY_OVERSIZE ? 1ull : 0ull);
	KUNIT_EXPECT_EQ(test, s.bad_link,
			v == EVS_ENTRY_LINK_ON_DATA ? 1ull : 0ull);
	KUNIT_EXPECT_EQ(test, s.events, v == EVS_ENTRY_OK ? 3ull : 2ull);
	KUNIT_EXPECT_EQ(test, evs_rt_lane_events(ring), s.events);
	KUNIT_EXPECT_EQ(test, s.lost, 0ull);
	KUNIT_EXPECT_EQ(test, s.dups, 0ull);
}

/*
 * The tap's records by flow: frames of different flows may be in two
 * lanes, whose deliveries interleave in any order.
 */
static void evs_tap_sort_by_flow(struct evs_tap *tap)
{
	struct evs_tap_rec r;
	u32 i, j;

	for (i = 1; i < tap->n; i++) {
		r = tap->rec[i];
		for (j = i; j > 0 && tap->rec[j - 1].flow > r.flow; j--)
			tap->rec[j] = tap->rec[j - 1];
		tap->rec[j] = r;
	}
}

/*
 * Three frames of flows 1, 2 and 3, the middle one changed: it is
 * counted under its own counter and never reaches the stack (nor the
 * carrier); its neighbours are processed.
 */
static void evs_test_ring_corrupt_entry(struct kunit *test)
{
	const struct evs_corruption *c = test->param_value;
	struct evs_rt *rt = evs_rt_setup(test, EVS_BH_WORKQUEUE, 2);
	struct evs_ring *ring = evs_rt_ring(test, c->ring);
	struct evs_tap *tap;
	unsigned int i;

	evs_rt_ring_at(rt, c->ring, c->slot - 1);
	evs_wr32(&ring->ctl->armed, 0);
	for (i = 1; i <= 3; i++)
		KUNIT_ASSERT_EQ(test, evs_rt_produce(rt, c->ring, i),
				EVS_PRODUCED);
	evs_corrupt(ring, c);
	KUNIT_ASSERT_TRUE(test, evs_rt_kick(rt, c->ring));
	evs_expect_rejected(test, ring, c->verdict);
	KUNIT_EXPECT_EQ(test, atomic_read(&rt->links), c->link ? 1 : 0);
	if (c->link)
		KUNIT_EXPECT_TRUE(test, READ_ONCE(rt->link_up));

	tap = kunit_kzalloc(test, sizeof(*tap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tap);
	evs_tap_snapshot(rt, tap);
	KUNIT_ASSERT_EQ(test, tap->n, c->rx ? 3u : 2u);
	evs_tap_sort_by_flow(tap);
	for (i = 0; i < tap->n; i++) {
		KUNIT_EXPECT_EQ(test, tap->rec[i].flow, i + (i && !c->rx) + 1);
		KUNIT_EXPECT_EQ(test, tap->rec[i].len,
				c->rx && i == 1 ? EVS_T_BUF : EVS_T_FRAME);
	}
	evs_rt_expect_delivered(test, rt, tap->n);
}

/* A corrupt entry's sequence number is not followed. */
static void evs_test_ring_corrupt_seq(struct kunit *test)
{
	struct evs_rt *rt = evs_rt_setup(test, EVS_BH_WORKQUEUE, 2);
	struct evs_ring *ring = evs_rt_ring(test, 0);
	struct evs_ring_snapshot s;

	evs_wr32(&ring->ctl->armed, 0);
	evs_rt_produce(rt, 0, 1);
	evs_rt_produce(rt, 0, 2);
	evs_rt_produce(rt, 0, 3);
	ring->entries[1].code = cpu_to_le16(9);
	ring->entries[1].seq = cpu_to_le32(0x7fffffff);
	KUNIT_ASSERT_TRUE(test, evs_rt_kick(rt, 0));
	evs_ring_snapshot(ring, &s);
	KUNIT_EXPECT_EQ(test, s.bad_entry, 1ull);
	KUNIT_EXPECT_LE(test, s.lost, 1ull);	/* the corrupted event */
	KUNIT_EXPECT_EQ(test, s.dups, 0ull);
	evs_rt_expect_delivered(test, rt, 2);
}

/* A window of nothing but corrupt entries is retired all the same. */
static void evs_test_ring_all_corrupt(struct kunit *test)
{
	struct evs_rt *rt = evs_rt_setup(test, EVS_BH_TASKLET, 2);
	struct evs_ring *ring = evs_rt_ring(test, 0);
	struct evs_ring_snapshot s;
	unsigned int i;

	evs_wr32(&ring->ctl->armed, 0);
	for (i = 0; i < 8; i++) {
		evs_rt_produce(rt, 0, i);
		ring->entries[i].ring = cpu_to_le16(1);
	}
	KUNIT_ASSERT_TRUE(test, evs_rt_kick(rt, 0));
	evs_ring_snapshot(ring, &s);
	KUNIT_EXPECT_EQ(test, s.bad_entry, 8ull);
	KUNIT_EXPECT_EQ(test, s.bad_code, 8ull);
	KUNIT_EXPECT_EQ(test, s.events, 0ull);
	KUNIT_EXPECT_EQ(test, evs_rd32(&ring->ctl->cons), 8u);
	KUNIT_EXPECT_NE(test, evs_rd32(&ring->ctl->armed), 0u);
	evs_rt_expect_delivered(test, rt, 0);
}

/* ---- lanes ------------------------------------------------------------- */

/*
 * Many windows of interleaved flows over 4 lanes: every entry goes to
 * lane evs_lane_of(hash, 4) (so a flow stays in one lane), no lane
 * ever sees a flow go backwards, and neither does the stack; each frame
 * arrives with its flow's L4 hash, on RX queue 0.
 */
static void evs_test_lane_split_keeps_flow_order(struct kunit *test)
{
	u64 want[EVS_MAX_LANES] = { 0 };
	struct evs_lane_snapshot ls;
	struct evs_tap *tap;
	struct evs_rt *rt;
	struct evs_ring *ring;
	unsigned int w, i;

	rt = evs_rt_setup(test, EVS_BH_WORKQUEUE, 4);
	ring = evs_rt_ring(test, 0);
	for (w = 0; w < 50; w++) {
		for (i = 0; i < EVS_T_RSIZE / 2; i++) {
			u32 flow = (w * 7 + i * 13) % 37;

			evs_rt_produce(rt, 0, flow);
			want[evs_lane_of(evs_rt_flow_hash(rt, flow), 4)]++;
		}
		KUNIT_ASSERT_TRUE(test, evs_rt_kick(rt, 0));
	}
	for (i = 0; i < EVS_MAX_LANES; i++) {
		evs_lane_snapshot(&ring->lanes[i], &ls);
		KUNIT_EXPECT_EQ_MSG(test, ls.events, want[i], "lane %u", i);
		KUNIT_EXPECT_EQ_MSG(test, ls.reorders, 0ull, "lane %u", i);
		KUNIT_EXPECT_EQ_MSG(test, ls.rx_packets, want[i], "lane %u", i);
	}
	evs_rt_expect_delivered(test, rt, 50 * EVS_T_RSIZE / 2);
	tap = kunit_kzalloc(test, sizeof(*tap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tap);
	evs_tap_snapshot(rt, tap);
	for (i = 0; i < EVS_T_LOG; i++) {
		KUNIT_EXPECT_EQ(test, tap->rec[i].hash,
				evs_rt_flow_hash(rt, tap->rec[i].flow));
		KUNIT_EXPECT_TRUE(test, tap->rec[i].l4);
		KUNIT_EXPECT_EQ(test, tap->rec[i].queue, 0);
	}
}

/* The order check itself: a flow going backwards is caught. */
static void evs_test_lane_detects_reorder(struct kunit *test)
{
	struct evs_lane *lane = kunit_kzalloc(test, sizeof(*lane), GFP_KERNEL);
	struct evs_slot a = { .seq = 10, .hash = 0x1234 };
	struct evs_slot b = { .seq = 11, .hash = 0x1234 };
	struct evs_slot other = { .seq = 3, .hash = 0x4321 };

	KUNIT_ASSERT_NOT_NULL(test, lane);
	KUNIT_EXPECT_TRUE(test, evs_lane_in_order(lane, &a));
	KUNIT_EXPECT_TRUE(test, evs_lane_in_order(lane, &b));
	KUNIT_EXPECT_FALSE(test, evs_lane_in_order(lane, &a));
	KUNIT_EXPECT_TRUE(test, evs_lane_in_order(lane, &other));
	KUNIT_EXPECT_FALSE(test, evs_lane_in_order(lane, &other));
}

/* ---- receive ---------------------------------------------------------- */

/**
 * struct evs_hash_case - a device hash type and the kernel's
 * @type: enum evs_hash_type, or a value past it
 * @want: enum pkt_hash_types
 */
struct evs_hash_case {
	u32 type;
	enum pkt_hash_types want;
};

static const struct evs_hash_case evs_hash_cases[] = {
	{ EVS_HASH_NONE, PKT_HASH_TYPE_NONE },
	{ EVS_HASH_IPV4, PKT_HASH_TYPE_L3 },
	{ EVS_HASH_IPV4_L4, PKT_HASH_TYPE_L4 },
	{ EVS_HASH_IPV6, PKT_HASH_TYPE_L3 },
	{ EVS_HASH_IPV6_L4, PKT_HASH_TYPE_L4 },
	{ EVS_NUM_HASH_TYPES, PKT_HASH_TYPE_NONE },
	{ 255, PKT_HASH_TYPE_NONE },
	{ U32_MAX, PKT_HASH_TYPE_NONE },
};

static void evs_hash_desc(const struct evs_hash_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "hash type %u", c->type);
}

KUNIT_ARRAY_PARAM(evs_hash, evs_hash_cases, evs_hash_desc);

/* Every enum evs_hash_type maps to its kind; anything else to none. */
static void evs_test_rx_hash_type(struct kunit *test)
{
	const struct evs_hash_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, evs_rx_hash_type(c->type), c->want);
	if (c->type < EVS_NUM_HASH_TYPES)
		KUNIT_EXPECT_EQ(test, evs_hash_type_is_l4(c->type),
				c->want == PKT_HASH_TYPE_L4);
}

/**
 * struct evs_skb_case - one frame turned into an skb
 * @name:      what it tests
 * @mode:      bottom-half mode (napi_alloc_skb() in the NAPI modes)
 * @flow:      flow id; odd ones are IPv6
 * @len:       frame length
 * @hash_type: enum evs_hash_type of the entry
 * @ring:      ring of the entry
 * @rx_queues: the net device's real RX queues
 */
struct evs_skb_case {
	const char *name;
	enum evs_bh_mode mode;
	u32 flow;
	u32 len;
	u32 hash_type;
	u32 ring;
	u32 rx_queues;
};

static const struct evs_skb_case evs_skb_cases[] = {
	{ "IPv4 L4, ring 0, napi", EVS_BH_NAPI, 2, EVS_T_FRAME,
	  EVS_HASH_IPV4_L4, 0, EVS_T_RINGS },
	{ "IPv6 L4 1514 bytes, ring 1, napi", EVS_BH_NAPI, 3, EVS_FRAME_MAX,
	  EVS_HASH_IPV6_L4, 1, EVS_T_RINGS },
	{ "IPv4 L3 smallest, workqueue", EVS_BH_WORKQUEUE, 4,
	  EVS_FRAME_MIN_V4, EVS_HASH_IPV4, 1, EVS_T_RINGS },
	{ "IPv6 L3 smallest, tasklet", EVS_BH_TASKLET, 5, EVS_FRAME_MIN_V6,
	  EVS_HASH_IPV6, 0, EVS_T_RINGS },
	{ "IPv4 1514 bytes no hash, threaded", EVS_BH_THREADED, 6,
	  EVS_FRAME_MAX, EVS_HASH_NONE, 0, EVS_T_RINGS },
	{ "IPv6 no hash, workqueue", EVS_BH_WORKQUEUE, 7, EVS_T_FRAME,
	  EVS_HASH_NONE, 1, EVS_T_RINGS },
	{ "ring 1 retired by ethtool -L: no queue", EVS_BH_NAPI, 9,
	  EVS_T_FRAME, EVS_HASH_IPV6_L4, 1, 1 },
	{ "ring 0 of one queue", EVS_BH_WORKQUEUE, 8, EVS_T_FRAME,
	  EVS_HASH_IPV4_L4, 0, 1 },
	{ "admin ring: no queue", EVS_BH_TASKLET, 10, EVS_T_FRAME,
	  EVS_HASH_IPV4_L4, EVS_T_ADMIN, EVS_T_RINGS },
};

static void evs_skb_desc(const struct evs_skb_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_skb, evs_skb_cases, evs_skb_desc);

/* The skb's hash: the device's, of its type; none without a type. */
static void evs_expect_skb_hash(struct kunit *test, const struct sk_buff *skb,
				const struct evs_slot *slot)
{
	enum pkt_hash_types type = evs_rx_hash_type(slot->hash_type);

	KUNIT_EXPECT_EQ(test, skb->hash, type == PKT_HASH_TYPE_NONE ? 0 :
			slot->hash);
	KUNIT_EXPECT_EQ(test, (bool)skb->l4_hash, type == PKT_HASH_TYPE_L4);
	KUNIT_EXPECT_FALSE(test, skb->sw_hash);
}

/* Bytes, headers and protocol: the frame, after eth_type_trans(). */
static void evs_expect_skb_frame(struct kunit *test, const struct sk_buff *skb,
				 const u8 *frame, u32 len, bool ipv6)
{
	KUNIT_EXPECT_EQ(test, skb->len, len - ETH_HLEN);
	KUNIT_EXPECT_FALSE(test, skb_is_nonlinear(skb));
	KUNIT_EXPECT_EQ(test, ntohs(skb->protocol),
			ipv6 ? ETH_P_IPV6 : ETH_P_IP);
	KUNIT_EXPECT_EQ(test, (int)skb->pkt_type, PACKET_HOST);
	KUNIT_EXPECT_PTR_EQ(test, skb_mac_header(skb), skb->data - ETH_HLEN);
	KUNIT_EXPECT_EQ(test, memcmp(skb_mac_header(skb), frame, ETH_HLEN), 0);
	KUNIT_EXPECT_EQ(test, memcmp(skb->data, frame + ETH_HLEN, skb->len), 0);
}

/*
 * evs_rx_build_skb() on a frame in its ring's buffer: a copy of the
 * frame, not an alias (the device rewrites its buffer at once and the
 * skb does not change), with the entry's hash and hash type, the
 * ring's RX queue only if the ring is a real queue, and the time the
 * window was taken as its timestamp.
 */
static void evs_test_rx_build_skb(struct kunit *test)
{
	const struct evs_skb_case *c = test->param_value;
	struct evs_rt *rt = evs_rt_setup(test, c->mode, 2);
	struct evs_ring *ring = evs_rt_ring(test, c->ring);
	struct net_device *nd = rt->edev.netdev;
	struct evs_flow_tuple t;
	struct evs_frame_info info;
	struct evs_slot slot = { .code = EVS_EV_DATA, .len = c->len,
				 .hash_type = c->hash_type };
	struct sk_buff *skb;
	u32 type;
	u8 *buf, *frame;

	frame = kunit_kmalloc(test, c->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, frame);
	slot.hash = evs_t_flow(rt->steer, &rt->addrs, c->flow, &t, &type);
	KUNIT_ASSERT_EQ(test, evs_frame_build(frame, c->len, &rt->addrs, &t,
					      c->flow, 42, 4242), c->len);
	rtnl_lock();
	KUNIT_ASSERT_EQ(test, netif_set_real_num_rx_queues(nd, c->rx_queues), 0);
	rtnl_unlock();
	/* the frame sits in the ring's third buffer; no window runs */
	buf = rt->prod.ring[c->ring].bufs + 2 * EVS_T_BUF;
	memcpy(buf, frame, c->len);
	ring->win_taken_real = ktime_set(1700000000, 123456789);

	local_bh_disable();	/* a lane runs with bottom halves off */
	skb = evs_rx_build_skb(&ring->lanes[1], &slot, buf);
	local_bh_enable();
	KUNIT_ASSERT_NOT_NULL(test, skb);
	memset(buf, 0xa5, EVS_T_BUF);	/* the device reuses the buffer */

	evs_expect_skb_frame(test, skb, frame, c->len, c->flow & 1);
	evs_expect_skb_hash(test, skb, &slot);
	KUNIT_EXPECT_PTR_EQ(test, skb->dev, nd);
	KUNIT_EXPECT_EQ(test, skb_rx_queue_recorded(skb),
			c->ring < c->rx_queues);
	if (c->ring < c->rx_queues)
		KUNIT_EXPECT_EQ(test, skb_get_rx_queue(skb), (u16)c->ring);
	KUNIT_EXPECT_EQ(test, ktime_to_ns(skb->tstamp),
			ktime_to_ns(ring->win_taken_real));
	KUNIT_EXPECT_EQ(test, evs_frame_check(skb_mac_header(skb), c->len,
					      &info), 0);
	KUNIT_EXPECT_EQ(test, info.evsp.flow_id, c->flow);
	KUNIT_EXPECT_EQ(test, info.evsp.seq, 42ull);
	kfree_skb(skb);
}

/* A hash type past the enum is taken as none: no hash for the stack. */
static void evs_test_rx_bad_hash_type(struct kunit *test)
{
	struct evs_rt *rt = evs_rt_setup(test, EVS_BH_NAPI, 2);
	struct evs_ring *ring = evs_rt_ring(test, 0);
	struct evs_tap *tap;

	evs_wr32(&ring->ctl->armed, 0);
	evs_rt_produce(rt, 0, 1);
	evs_rt_produce(rt, 0, 2);
	ring->entries[0].hash_type = EVS_NUM_HASH_TYPES;
	ring->entries[1].hash_type = 0xff;
	KUNIT_ASSERT_TRUE(test, evs_rt_kick(rt, 0));
	evs_rt_expect_delivered(test, rt, 2);
	tap = kunit_kzalloc(test, sizeof(*tap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tap);
	evs_tap_snapshot(rt, tap);
	KUNIT_EXPECT_EQ(test, tap->rec[0].hash, 0u);
	KUNIT_EXPECT_EQ(test, tap->rec[1].hash, 0u);
	KUNIT_EXPECT_FALSE(test, tap->rec[0].l4 || tap->rec[1].l4);
}

/*
 * While the interface is down the lanes consume the ring but hand
 * nothing to the stack; once it is up again, they do.
 */
static void evs_test_rx_down(struct kunit *test)
{
	const enum evs_bh_mode *mode = test->param_value;
	struct evs_rt *rt = evs_rt_setup(test, *mode, 2);
	struct evs_ring *ring = evs_rt_ring(test, 1);
	struct evs_ring_snapshot s;
	unsigned int i;

	WRITE_ONCE(rt->edev.up, false);
	for (i = 0; i < 5; i++)
		evs_rt_produce(rt, 1, i);
	KUNIT_ASSERT_TRUE(test, evs_rt_kick(rt, 1));
	evs_ring_snapshot(ring, &s);
	KUNIT_EXPECT_EQ(test, s.events, 5ull);
	KUNIT_EXPECT_EQ(test, s.rx_down, 5ull);
	evs_rt_expect_delivered(test, rt, 0);

	WRITE_ONCE(rt->edev.up, true);
	for (i = 0; i < 3; i++)
		evs_rt_produce(rt, 1, 10 + i);
	KUNIT_ASSERT_TRUE(test, evs_rt_kick(rt, 1));
	evs_ring_snapshot(ring, &s);
	KUNIT_EXPECT_EQ(test, s.rx_down, 5ull);
	KUNIT_EXPECT_EQ(test, s.rx_bytes, 3ull * EVS_T_FRAME);
	evs_rt_expect_delivered(test, rt, 3);
}

/* ---- the latency histogram ------------------------------------------ */

/* Every latency falls in the bucket whose bounds enclose it. */
static void evs_test_latency_buckets(struct kunit *test)
{
	u64 ns;

	for (ns = 0; ns < (1ull << 36); ns = ns * 5 / 4 + 1) {
		unsigned int b = evs_latency_bucket(ns);

		KUNIT_EXPECT_LE_MSG(test, evs_latency_bucket_low(b), ns,
				    "ns %llu", ns);
		KUNIT_EXPECT_GT_MSG(test, evs_latency_bucket_low(b + 1), ns,
				    "ns %llu", ns);
	}
}

/* Percentiles of 1..1000 us land within a bucket of the true value. */
static void evs_test_latency_percentiles(struct kunit *test)
{
	struct evs_latency *lat = kunit_kzalloc(test, sizeof(*lat), GFP_KERNEL);
	u64 count, p50, p99, us;

	KUNIT_ASSERT_NOT_NULL(test, lat);
	for (us = 1; us <= 1000; us++)
		evs_latency_add(lat, us * 1000);
	p50 = evs_latency_percentile(lat, 50, &count);
	p99 = evs_latency_percentile(lat, 99, &count);
	KUNIT_EXPECT_EQ(test, count, 1000ull);
	KUNIT_EXPECT_LE(test, p50, 500000ull);
	KUNIT_EXPECT_GE(test, p50, 500000ull * 4 / 5);
	KUNIT_EXPECT_LE(test, p99, 990000ull);
	KUNIT_EXPECT_GE(test, p99, 990000ull * 4 / 5);
	evs_latency_reset(lat);
	KUNIT_EXPECT_EQ(test, evs_latency_percentile(lat, 99, &count), 0ull);
	KUNIT_EXPECT_EQ(test, count, 0ull);
}

/* ---- RETA buckets and hand-offs ---------------------------------------- */

/*
 * Every frame counts once in its ring's bucket, the RETA index the
 * device used: hash & (512 - 1).
 */
static void evs_test_bucket_counts(struct kunit *test)
{
	static const u32 flows[] = { 3, 4, 77, 500 }, frames[] = { 5, 7, 11, 2 };
	struct evs_rt *rt = evs_rt_setup(test, EVS_BH_WORKQUEUE, 2);
	u32 *want = kunit_kcalloc(test, EVS_RSS_RETA_SIZE, sizeof(u32),
				  GFP_KERNEL);
	u32 i, j, b;
	u64 sum = 0;

	KUNIT_ASSERT_NOT_NULL(test, want);

	for (i = 0; i < ARRAY_SIZE(flows); i++) {
		for (j = 0; j < frames[i]; j++)
			KUNIT_ASSERT_NE(test, evs_rt_produce(rt, 0, flows[i]),
					EVS_DROPPED_FULL);
		/* the device indexes the driver's 512-entry RETA so */
		want[evs_rt_flow_hash(rt, flows[i]) % EVS_RETA_MAX] += frames[i];
	}
	KUNIT_ASSERT_TRUE(test, evs_rt_kick(rt, 0));
	for (b = 0; b < EVS_RSS_RETA_SIZE; b++) {
		KUNIT_EXPECT_EQ_MSG(test, rt->edev.rings[0].bucket_frames[b],
				    want[b], "bucket %u", b);
		KUNIT_EXPECT_EQ_MSG(test, rt->edev.rings[1].bucket_frames[b], 0u,
				    "bucket %u", b);
		sum += rt->edev.rings[0].bucket_frames[b];
	}
	KUNIT_EXPECT_EQ(test, sum, 25ull);
	evs_rt_expect_delivered(test, rt, 25);
}

/* Wait until the tap got @n frames. */
static bool evs_rt_wait_tap(struct evs_rt *rt, u32 n, unsigned int ms)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(ms);
	u32 got;

	do {
		spin_lock_bh(&rt->tap.lock);
		got = rt->tap.n;
		spin_unlock_bh(&rt->tap.lock);
		if (got >= n)
			return true;
		usleep_range(200, 1000);
	} while (time_before(jiffies, deadline));
	return false;
}

/* Wait until every hand-off ended. */
static bool evs_rt_wait_handoffs(struct evs_rt *rt, unsigned int ms)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(ms);

	while (!evs_handoff_idle(&rt->edev)) {
		if (time_after(jiffies, deadline))
			return false;
		usleep_range(200, 1000);
	}
	return true;
}

#define EVS_T_HO_FLOW	9	/* the flow whose bucket moves */
#define EVS_T_HO_OLD	20	/* its frames waiting in ring 0 */

/*
 * Ring 0 (A) holds EVS_T_HO_OLD frames of one flow, not yet consumed
 * (no interrupt), when its bucket moves to ring 1 (B): the hand-off is
 * begun, the "device" acknowledges, and @n newer frames of the flow go
 * to B, whose lanes take them.  Return: the lanes' snapshot of B.
 */
static void evs_rt_handoff_setup(struct kunit *test, struct evs_rt *rt,
				 u32 n, struct evs_ring_snapshot *s)
{
	u32 *old_reta, *new_reta, b, i, sent;

	old_reta = kunit_kcalloc(test, EVS_RSS_RETA_SIZE, sizeof(u32),
				 GFP_KERNEL);
	new_reta = kunit_kcalloc(test, EVS_RSS_RETA_SIZE, sizeof(u32),
				 GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, old_reta);
	KUNIT_ASSERT_NOT_NULL(test, new_reta);
	b = evs_bucket_of(evs_rt_flow_hash(rt, EVS_T_HO_FLOW));
	new_reta[b] = 1;
	for (i = 0; i < EVS_T_HO_OLD; i++)
		KUNIT_ASSERT_NE(test, evs_rt_produce(rt, 0, EVS_T_HO_FLOW),
				EVS_DROPPED_FULL);
	KUNIT_ASSERT_EQ(test, evs_handoff_begin(&rt->edev, old_reta, new_reta),
			1u);
	evs_handoff_commit(&rt->edev, true);
	KUNIT_EXPECT_EQ(test, rt->edev.handoff[b].pos,
			evs_rd32(&rt->edev.rings[0].ctl->prod));
	for (sent = 0; sent < n; sent += i) {
		for (i = 0; i < min(n - sent, 48u); i++)
			KUNIT_ASSERT_NE(test,
					evs_rt_produce(rt, 1, EVS_T_HO_FLOW),
					EVS_DROPPED_FULL);
		KUNIT_ASSERT_TRUE(test, evs_rt_kick(rt, 1));
	}
	evs_ring_snapshot(&rt->edev.rings[1], s);
}

/*
 * B holds the bucket's frames until A is past its position; when A
 * consumes its old ones, B delivers them next, without any new frame
 * coming to B (the kick), and the flow is in order.
 */
static void evs_test_handoff_release(struct kunit *test)
{
	const enum evs_bh_mode *mode = test->param_value;
	struct evs_rt *rt = evs_rt_setup(test, *mode, 2);
	struct evs_ring_snapshot s;

	rt->edev.ho_timeout_ms = 60000;
	evs_rt_handoff_setup(test, rt, 30, &s);
	KUNIT_EXPECT_EQ(test, s.handoff_held, 30ull);
	KUNIT_EXPECT_EQ(test, s.rx_packets, 0ull);
	msleep(20);
	KUNIT_EXPECT_EQ(test, READ_ONCE(rt->tap.n), 0u);
	KUNIT_EXPECT_FALSE(test, evs_handoff_idle(&rt->edev));

	KUNIT_ASSERT_TRUE(test, evs_rt_kick(rt, 0));
	KUNIT_EXPECT_TRUE(test, evs_rt_wait_tap(rt, EVS_T_HO_OLD + 30, 5000));
	KUNIT_EXPECT_TRUE(test, evs_rt_wait_handoffs(rt, 5000));
	evs_ring_snapshot(&rt->edev.rings[1], &s);
	KUNIT_EXPECT_EQ(test, s.handoff_held, 30ull);
	KUNIT_EXPECT_EQ(test, s.handoff_timeout, 0ull);
	KUNIT_EXPECT_EQ(test, s.handoff_drops, 0ull);
	KUNIT_EXPECT_EQ(test, s.rx_packets, 30ull);
	KUNIT_EXPECT_EQ(test, atomic64_read(&rt->edev.handoffs), 1ll);
	KUNIT_EXPECT_EQ(test, atomic64_read(&rt->edev.handoff_timeouts), 0ll);
	evs_rt_expect_delivered(test, rt, EVS_T_HO_OLD + 30);
}

/*
 * The window that ends the hand-off also has newer frames of the
 * bucket (B got them before its kick): what B held goes first.
 */
static void evs_test_handoff_release_mixed(struct kunit *test)
{
	const enum evs_bh_mode *mode = test->param_value;
	struct evs_rt *rt = evs_rt_setup(test, *mode, 2);
	struct evs_ring_snapshot s;
	u32 i;

	rt->edev.ho_timeout_ms = 60000;
	evs_rt_handoff_setup(test, rt, 30, &s);
	KUNIT_EXPECT_EQ(test, s.handoff_held, 30ull);
	/* no interrupt for these: B takes them with the kick */
	for (i = 0; i < 10; i++)
		KUNIT_ASSERT_NE(test, evs_rt_produce(rt, 1, EVS_T_HO_FLOW),
				EVS_DROPPED_FULL);
	KUNIT_ASSERT_TRUE(test, evs_rt_kick(rt, 0));
	KUNIT_EXPECT_TRUE(test, evs_rt_wait_tap(rt, EVS_T_HO_OLD + 40, 5000));
	KUNIT_EXPECT_TRUE(test, evs_rt_wait_handoffs(rt, 5000));
	evs_ring_snapshot(&rt->edev.rings[1], &s);
	KUNIT_EXPECT_EQ(test, s.handoff_held, 30ull);
	KUNIT_EXPECT_EQ(test, s.rx_packets, 40ull);
	evs_rt_expect_delivered(test, rt, EVS_T_HO_OLD + 40);
}

/*
 * A never consumes: after the timeout B delivers what it held anyway,
 * counted as released by the timeout; A's old frames come later, the
 * reordering the timeout bounds.
 */
static void evs_test_handoff_timeout(struct kunit *test)
{
	const enum evs_bh_mode *mode = test->param_value;
	struct evs_rt *rt = evs_rt_setup(test, *mode, 2);
	struct evs_ring_snapshot s;
	u64 t0;

	rt->edev.ho_timeout_ms = 30;
	t0 = ktime_get_ns();
	evs_rt_handoff_setup(test, rt, 30, &s);
	KUNIT_EXPECT_EQ(test, s.handoff_held, 30ull);
	KUNIT_EXPECT_TRUE(test, evs_rt_wait_tap(rt, 30, 5000));
	KUNIT_EXPECT_GE(test, ktime_get_ns() - t0, 20 * NSEC_PER_MSEC);
	KUNIT_EXPECT_TRUE(test, evs_rt_wait_handoffs(rt, 5000));
	evs_ring_snapshot(&rt->edev.rings[1], &s);
	KUNIT_EXPECT_EQ(test, s.handoff_timeout, 30ull);
	KUNIT_EXPECT_EQ(test, s.handoff_drops, 0ull);
	KUNIT_EXPECT_EQ(test, s.rx_packets, 30ull);
	KUNIT_EXPECT_EQ(test, atomic64_read(&rt->edev.handoff_timeouts), 1ll);
	KUNIT_EXPECT_EQ(test, evs_rd32(&rt->edev.rings[0].ctl->cons),
			READ_ONCE(rt->edev.rings[0].cons));

	KUNIT_ASSERT_TRUE(test, evs_rt_kick(rt, 0));
	KUNIT_EXPECT_TRUE(test, evs_rt_wait_tap(rt, EVS_T_HO_OLD + 30, 5000));
	spin_lock_bh(&rt->tap.lock);
	KUNIT_EXPECT_EQ(test, rt->tap.n, EVS_T_HO_OLD + 30u);
	/* the old frames came after the newer ones: one step back */
	KUNIT_EXPECT_EQ(test, rt->tap.back, 1u);
	spin_unlock_bh(&rt->tap.lock);
}

/*
 * The timeout counts from the old ring's last progress: one that
 * retired something since the deadline was set only gets another
 * ho_timeout_ms; one that did not is released.  The timer is called
 * here with the deadline put in the past, so no sleep decides it.
 */
static void evs_test_handoff_slow_ring(struct kunit *test)
{
	struct evs_rt *rt = evs_rt_setup(test, EVS_BH_NAPI, 2);
	struct evs_ring *a = evs_rt_ring(test, 0);
	struct evs_ring_snapshot s;
	struct evs_handoff *h;
	u32 retired;

	rt->edev.ho_timeout_ms = 60000;
	evs_rt_handoff_setup(test, rt, 30, &s);
	h = &rt->edev.handoff[evs_bucket_of(evs_rt_flow_hash(rt,
							     EVS_T_HO_FLOW))];
	KUNIT_ASSERT_EQ(test, atomic_read(&h->state), EVS_HO_ARMED);
	retired = READ_ONCE(a->retired);
	/* progress, short of the position: more time */
	WRITE_ONCE(a->retired, retired + 1);
	h->deadline = jiffies - 1;
	/* as in the timer's softirq */
	local_bh_disable();
	evs_handoff_timer(&rt->edev.ho_timer);
	local_bh_enable();
	KUNIT_EXPECT_EQ(test, atomic_read(&h->state), EVS_HO_ARMED);
	KUNIT_EXPECT_EQ(test, h->seen, retired + 1);
	KUNIT_EXPECT_TRUE(test, time_after(h->deadline, jiffies));
	/* no progress since: released */
	h->deadline = jiffies - 1;
	local_bh_disable();
	evs_handoff_timer(&rt->edev.ho_timer);
	local_bh_enable();
	WRITE_ONCE(a->retired, retired);
	KUNIT_EXPECT_TRUE(test, evs_rt_wait_tap(rt, 30, 5000));
	KUNIT_EXPECT_TRUE(test, evs_rt_wait_handoffs(rt, 5000));
	evs_ring_snapshot(&rt->edev.rings[1], &s);
	KUNIT_EXPECT_EQ(test, s.handoff_timeout, 30ull);
	KUNIT_EXPECT_EQ(test, atomic64_read(&rt->edev.handoff_timeouts), 1ll);
	KUNIT_ASSERT_TRUE(test, evs_rt_kick(rt, 0));
	KUNIT_EXPECT_TRUE(test, evs_rt_wait_tap(rt, EVS_T_HO_OLD + 30, 5000));
}

/* Beyond EVS_HANDOFF_HOLD_MAX a lane drops, counted; the rest is in order. */
static void evs_test_handoff_limit(struct kunit *test)
{
	struct evs_rt *rt = evs_rt_setup(test, EVS_BH_NAPI, 2);
	struct evs_ring_snapshot s;

	rt->edev.ho_timeout_ms = 60000;
	evs_rt_handoff_setup(test, rt, EVS_HANDOFF_HOLD_MAX + 16, &s);
	KUNIT_EXPECT_EQ(test, s.handoff_held, (u64)EVS_HANDOFF_HOLD_MAX);
	KUNIT_EXPECT_EQ(test, s.handoff_drops, 16ull);
	KUNIT_ASSERT_TRUE(test, evs_rt_kick(rt, 0));
	KUNIT_EXPECT_TRUE(test, evs_rt_wait_tap(rt, EVS_T_HO_OLD +
						EVS_HANDOFF_HOLD_MAX, 5000));
	KUNIT_EXPECT_TRUE(test, evs_rt_wait_handoffs(rt, 5000));
	evs_ring_snapshot(&rt->edev.rings[1], &s);
	KUNIT_EXPECT_EQ(test, s.handoff_timeout, 0ull);
	KUNIT_EXPECT_EQ(test, s.rx_packets, (u64)EVS_HANDOFF_HOLD_MAX);
	evs_rt_expect_delivered(test, rt, EVS_T_HO_OLD + EVS_HANDOFF_HOLD_MAX);
}

/* A ring that stops drops what its lanes held, counted, and ends its hand-offs. */
static void evs_test_handoff_stop(struct kunit *test)
{
	const enum evs_bh_mode *mode = test->param_value;
	struct evs_rt *rt = evs_rt_setup(test, *mode, 2);
	struct evs_ring_snapshot s;

	rt->edev.ho_timeout_ms = 60000;
	evs_rt_handoff_setup(test, rt, 30, &s);
	KUNIT_EXPECT_EQ(test, s.handoff_held, 30ull);
	evs_ring_stop(&rt->edev.rings[1]);
	evs_ring_snapshot(&rt->edev.rings[1], &s);
	KUNIT_EXPECT_EQ(test, s.handoff_drops, 30ull);
	KUNIT_EXPECT_EQ(test, s.rx_packets, 0ull);
	KUNIT_EXPECT_TRUE(test, evs_handoff_idle(&rt->edev));
	evs_ring_start(&rt->edev.rings[1]);
	KUNIT_ASSERT_TRUE(test, evs_rt_kick(rt, 0));
	evs_rt_expect_delivered(test, rt, EVS_T_HO_OLD);
}

/*
 * The device's write index is untrusted: one beyond a ring's size of
 * what the old ring retired is not waited for past that.
 */
static void evs_test_handoff_bogus_prod(struct kunit *test)
{
	struct evs_rt *rt = evs_rt_setup(test, EVS_BH_WORKQUEUE, 2);
	struct evs_ring *a = evs_rt_ring(test, 0);
	u32 *old_reta, *new_reta;

	old_reta = kunit_kcalloc(test, EVS_RSS_RETA_SIZE, sizeof(u32),
				 GFP_KERNEL);
	new_reta = kunit_kcalloc(test, EVS_RSS_RETA_SIZE, sizeof(u32),
				 GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, old_reta);
	KUNIT_ASSERT_NOT_NULL(test, new_reta);
	rt->edev.ho_timeout_ms = 60000;
	new_reta[7] = 1;
	new_reta[8] = 1;
	evs_wr32(&a->ctl->prod, a->retired + 100 * EVS_T_RSIZE);
	KUNIT_ASSERT_EQ(test, evs_handoff_begin(&rt->edev, old_reta, new_reta),
			2u);
	evs_handoff_commit(&rt->edev, true);
	KUNIT_EXPECT_EQ(test, rt->edev.handoff[7].pos, a->retired + EVS_T_RSIZE);
	/* a stop ends the hand-offs into the ring */
	evs_ring_stop(evs_rt_ring(test, 1));
	KUNIT_EXPECT_TRUE(test, evs_handoff_idle(&rt->edev));
	evs_ring_start(evs_rt_ring(test, 1));
	/* behind what the ring retired: nothing to wait for */
	evs_wr32(&a->ctl->prod, a->retired - 5);
	KUNIT_ASSERT_EQ(test, evs_handoff_begin(&rt->edev, old_reta, new_reta),
			2u);
	evs_handoff_commit(&rt->edev, true);
	KUNIT_EXPECT_TRUE(test, evs_rt_wait_handoffs(rt, 5000));
	evs_wr32(&a->ctl->prod, a->retired);
}

/* ---- races ------------------------------------------------------------- */

/*
 * A million frames per race and mode.  Under QEMU TCG, 4 vCPUs on a
 * 2-core host that runs other VMs too, a mode took 12-24 s in the
 * re-arm race and 10-31 s with the lanes moving (workqueue slowest,
 * up to 56 s at a load average of 15).  For short runs:
 * kunit.py --kernel_args=evsteer_ring_test.race_frames=N.
 */
static unsigned int race_frames = 1000000;
module_param(race_frames, uint, 0444);
MODULE_PARM_DESC(race_frames, "frames per race case and mode (1000000)");

#define EVS_RACE_FLOWS		256	/* odd flows IPv6, even IPv4 */
#define EVS_RACE_MAX_MS		150000	/* give up producing after this */
#define EVS_RACE_DRAIN_MS	5000	/* a ring stuck this long: lost wake-up */
#define EVS_RACE_MOVE_US	200	/* the mover's pause between rounds */

/**
 * struct evs_race_flow - one flow of a race, both ends
 * @hash:    its Toeplitz hash
 * @type:    its enum evs_hash_type
 * @tuple:   its tuple
 * @tx_seq:  the producer's next EVSP sequence number
 * @rx_next: the receiver's next expected one
 */
struct evs_race_flow {
	u32 hash;
	u32 type;
	struct evs_flow_tuple tuple;
	u32 tx_seq;
	u32 rx_next;
};

/**
 * struct evs_race - a producer thread and interrupts on other CPUs, with
 * or without a thread that keeps moving the lanes, and a receiver that
 * checks every frame the stack gets
 * @rt:        the device
 * @steer:     produce with evs_produce() over both data rings (else ring
 *             0 only, with evs_ring_produce())
 * @move:      run the mover
 * @ring_size: entries per ring, and the longest burst
 * @frames:    frames to produce
 * @cap:       frames per flow at most: the size of a flow's @seen bits
 * @irq_cpu:   CPU of each data ring's interrupt
 * @tasks:     the producer and the mover
 * @done:      the producer finished
 * @produced:  frames written
 * @signals:   interrupts raised
 * @drops:     frames the device had to drop (none expected)
 * @moves:     lane moves made
 * @stalled:   the driver stopped draining: a lost wake-up
 * @late:      the producer ran out of time
 * @elapsed_ms: the producer's run time
 * @wait_ms:   of which waiting for the rings to drain
 * @addrs:     the frames' addresses: to another host on the wire, so
 *             that the stack drops them right after the taps
 * @pt:        the receiver, on the test's net device
 * @rx:        frames it got
 * @rx_bad:    frames that did not check (evs_frame_check(), flow, seq)
 * @rx_dups:   frames it got twice
 * @rx_reorders: frames older than one of the same flow it got before
 * @seen:      one bit per (flow, seq) received
 * @flow:      the flows
 * @frame:     the producer's scratch
 */
struct evs_race {
	struct evs_rt *rt;
	bool steer;
	bool move;
	u32 ring_size;
	u32 frames;
	u32 cap;
	unsigned int irq_cpu[EVS_T_RINGS];
	struct task_struct *tasks[2];
	struct completion done;
	u32 produced;
	u32 signals;
	u32 drops;
	u32 moves;
	bool stalled;
	bool late;
	u64 elapsed_ms;
	u64 wait_ms;
	struct evs_frame_addrs addrs;
	struct packet_type pt;
	atomic_t rx;
	atomic_t rx_bad;
	atomic_t rx_dups;
	atomic_t rx_reorders;
	unsigned long *seen;
	struct evs_race_flow flow[EVS_RACE_FLOWS];
	u8 frame[EVS_FRAME_MAX];
};

/* A race's receiver: softirq (or bottom halves off), any CPU. */
static int evs_race_rcv(struct sk_buff *skb, struct net_device *nd,
			struct packet_type *pt, struct net_device *orig)
{
	struct evs_race *r = container_of(pt, struct evs_race, pt);
	const u8 *f = skb_mac_header(skb);
	struct evs_frame_info info;
	struct evs_race_flow *fl;
	u32 seq;

	atomic_inc(&r->rx);
	if (skb_is_nonlinear(skb) ||
	    evs_frame_check(f, skb->len + (skb->data - f), &info) ||
	    info.evsp.flow_id >= EVS_RACE_FLOWS || info.evsp.seq >= r->cap) {
		atomic_inc(&r->rx_bad);
		goto out;
	}
	/* one lane at a time has a flow: the window handover orders them */
	fl = &r->flow[info.evsp.flow_id];
	seq = info.evsp.seq;
	if (test_and_set_bit(info.evsp.flow_id * r->cap + seq, r->seen))
		atomic_inc(&r->rx_dups);
	else if (seq < fl->rx_next)
		atomic_inc(&r->rx_reorders);
	else
		fl->rx_next = seq + 1;
out:
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

/*
 * Has the driver taken everything from every data ring, in time?  The
 * wait sleeps, 10 us at first and up to 160 us: the CPU is left to
 * lanes that run here, and under TCG to the other vCPUs.
 */
static bool evs_race_drained(struct evs_race *r)
{
	unsigned long deadline = jiffies +
				 msecs_to_jiffies(EVS_RACE_DRAIN_MS);
	unsigned int i, us = 10;

	for (i = 0; i < EVS_T_RINGS; i++) {
		struct evs_ring_producer *rp = &r->rt->prod.ring[i];

		while (evs_rd32_acquire(&rp->ctl->cons) != rp->prod) {
			if (time_after(jiffies, deadline))
				return false;
			usleep_range(us, us + us / 2);
			us = min(2 * us, 160u);
		}
	}
	return true;
}

/* The next frame's flow: pseudo-random, among those with room left. */
static u32 evs_race_pick(struct evs_race *r)
{
	u32 f = evs_mix32(r->produced ^ 0x5bd1e995) % EVS_RACE_FLOWS;

	while (r->flow[f].tx_seq >= r->cap)
		f = (f + 1) % EVS_RACE_FLOWS;
	return f;
}

/* Build and produce one frame; raise its ring's vector if asked to. */
static void evs_race_produce_one(struct evs_race *r)
{
	struct evs_race_flow *fl;
	struct evs_target t = { };
	struct evs_event ev = { .code = EVS_EV_DATA };
	u32 f = evs_race_pick(r);
	int ret;

	fl = &r->flow[f];
	ev.flow_id = f;
	ev.hash = fl->hash;
	ev.hash_type = fl->type;
	ev.len = evs_frame_build(r->frame, evs_frame_min_len(f & 1) +
				 evs_mix32(r->produced) % 128, &r->addrs,
				 &fl->tuple, f, fl->tx_seq++, r->produced);
	ev.frame = r->frame;
	if (r->steer)
		ret = evs_produce(&r->rt->prod, r->rt->steer, &ev, false, &t);
	else
		ret = evs_ring_produce(&r->rt->prod.ring[0], &ev, 0, false);
	if (ret == EVS_PRODUCED_SIGNAL) {
		irq_work_queue_on(&r->rt->irq[t.ring].work, r->irq_cpu[t.ring]);
		r->signals++;
	} else if (ret != EVS_PRODUCED) {
		r->drops++;
	}
	r->produced++;
}

/* A finished thread waits for kthread_stop(), which the test's exit calls. */
static void evs_race_park(void)
{
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
}

/*
 * Bursts of 1 .. ring size frames, each followed by a wait for the
 * driver to drain the rings: the end of every burst is a chance for the
 * race between the last lane re-arming and the producer's last entry.
 * A lost wake-up leaves a ring undrained and stops the producer.
 */
static int evs_race_producer(void *arg)
{
	struct evs_race *r = arg;
	u64 start = ktime_get_ns(), wait = 0, t;
	unsigned long deadline = jiffies + msecs_to_jiffies(EVS_RACE_MAX_MS);
	u32 burst;

	while (r->produced < r->frames && !kthread_should_stop()) {
		for (burst = 1 + evs_mix32(r->produced) % r->ring_size;
		     burst && r->produced < r->frames; burst--)
			evs_race_produce_one(r);
		t = ktime_get_ns();
		if (!evs_race_drained(r)) {
			r->stalled = true;
			break;
		}
		wait += ktime_get_ns() - t;
		if (time_after(jiffies, deadline)) {
			r->late = true;
			break;
		}
	}
	r->elapsed_ms = div_u64(ktime_get_ns() - start, NSEC_PER_MSEC);
	r->wait_ms = div_u64(wait, NSEC_PER_MSEC);
	complete(&r->done);
	evs_race_park();
	return 0;
}

/* Move one lane one to three online CPUs on, as the load monitor would. */
static void evs_race_move_lane(struct evs_race *r, struct evs_lane *lane)
{
	unsigned int cpu = READ_ONCE(lane->cpu), step;

	for (step = 1 + evs_mix32(r->moves) % 3; step; step--) {
		cpu = cpumask_next(cpu, cpu_online_mask);
		if (cpu >= nr_cpu_ids)
			cpu = cpumask_first(cpu_online_mask);
	}
	WRITE_ONCE(lane->cpu, cpu);
	atomic64_inc(&lane->migrations);
	evs_lane_moved(lane);
	r->moves++;
}

/* Keep moving every lane of the data rings until stopped. */
static int evs_race_mover(void *arg)
{
	struct evs_race *r = arg;
	struct evs_dev *edev = &r->rt->edev;
	unsigned int i, j;

	while (!kthread_should_stop()) {
		for (i = 0; i < EVS_T_RINGS; i++)
			for (j = 0; j < READ_ONCE(edev->rings[i].nr_lanes); j++)
				evs_race_move_lane(r, &edev->rings[i].lanes[j]);
		usleep_range(EVS_RACE_MOVE_US, 2 * EVS_RACE_MOVE_US);
	}
	return 0;
}

/* Stop the threads and the receiver, free the rest; test exit calls it. */
static void evs_race_teardown(struct evs_race *r)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(r->tasks); i++)
		if (!IS_ERR_OR_NULL(r->tasks[i]))
			kthread_stop(r->tasks[i]);
	for (i = 0; i < EVS_T_TOTAL; i++)
		irq_work_sync(&r->rt->irq[i].work);
	if (r->pt.func)
		dev_remove_pack(&r->pt);
	kvfree(r->seen);
	r->rt->race = NULL;
}

static struct evs_race *evs_race_new(struct kunit *test, struct evs_rt *rt,
				     bool steer, bool move)
{
	struct evs_race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->rt = rt;
	rt->race = r;
	r->steer = steer;
	r->move = move;
	r->ring_size = rt->edev.geo.ring_size;
	r->frames = race_frames;
	r->cap = 2 * (race_frames / EVS_RACE_FLOWS) + 64;
	init_completion(&r->done);
	r->addrs = rt->addrs;
	r->addrs.dst_mac[EVS_ETH_ALEN - 1] ^= 0x80;	/* PACKET_OTHERHOST */
	for (i = 0; i < EVS_T_RINGS; i++)
		r->irq_cpu[i] = (i + 1) % num_online_cpus();
	for (i = 0; i < EVS_RACE_FLOWS; i++)
		r->flow[i].hash = evs_t_flow(rt->steer, &rt->addrs, i,
					     &r->flow[i].tuple,
					     &r->flow[i].type);
	r->seen = kvcalloc(BITS_TO_LONGS(EVS_RACE_FLOWS * r->cap),
			   sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->seen);
	/* the test's tap stays out of the way: this receiver checks all */
	dev_remove_pack(&rt->tap.pt);
	rt->tap_on = false;
	r->pt.type = htons(ETH_P_ALL);
	r->pt.dev = rt->edev.netdev;
	r->pt.func = evs_race_rcv;
	dev_add_pack(&r->pt);
	return r;
}

/* Start a thread bound to @cpu (if there is such a CPU). */
static struct task_struct *evs_race_thread(struct kunit *test,
					   int (*fn)(void *), void *arg,
					   unsigned int cpu, const char *name)
{
	struct task_struct *t = kthread_create(fn, arg, "%s", name);

	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	if (cpu < nr_cpu_ids && cpu_online(cpu))
		kthread_bind(t, cpu);
	wake_up_process(t);
	return t;
}

/* Frames the producer made that the receiver never got. */
static u64 evs_race_lost(struct evs_race *r)
{
	unsigned long bit, end;
	u64 lost = 0;
	unsigned int i;

	for (i = 0; i < EVS_RACE_FLOWS; i++) {
		bit = (unsigned long)i * r->cap;
		end = bit + r->flow[i].tx_seq;
		for (bit = find_next_zero_bit(r->seen, end, bit); bit < end;
		     bit = find_next_zero_bit(r->seen, end, bit + 1))
			lost++;
	}
	return lost;
}

/* The data rings' counters, summed, and their lanes' reorders. */
static void evs_race_sum(struct evs_rt *rt, struct evs_ring_snapshot *sum,
			 u64 *reorders, u64 *migrations)
{
	struct evs_ring_snapshot s;
	unsigned int i;

	memset(sum, 0, sizeof(*sum));
	*reorders = 0;
	*migrations = 0;
	for (i = 0; i < EVS_T_RINGS; i++) {
		evs_ring_snapshot(&rt->edev.rings[i], &s);
		sum->irqs += s.irqs;
		sum->irq_busy += s.irq_busy;
		sum->windows += s.windows;
		sum->events += s.events;
		sum->lost += s.lost;
		sum->dups += s.dups;
		sum->bad_entry += s.bad_entry;
		sum->rearm_races += s.rearm_races;
		sum->rx_packets += s.rx_packets;
		sum->rx_alloc_fail += s.rx_alloc_fail;
		*reorders += evs_rt_lane_reorders(&rt->edev.rings[i]);
		*migrations += evs_rt_lane_sum(&rt->edev.rings[i],
					       offsetof(struct evs_lane_snapshot,
							migrations));
	}
}

/* What the driver counted and what the stack got: all of it, once. */
static void evs_race_expect(struct kunit *test, struct evs_race *r)
{
	struct evs_ring_snapshot s;
	u64 reorders, migrations;

	evs_race_sum(r->rt, &s, &reorders, &migrations);
	kunit_info(test, "%u frames in %llu ms (%llu ms draining): %llu windows, %u signals, %llu interrupts (%llu while busy), %llu re-arm races, %u lane moves",
		   r->produced, r->elapsed_ms, r->wait_ms, s.windows, r->signals,
		   s.irqs, s.irq_busy, s.rearm_races, r->moves);
	KUNIT_EXPECT_EQ(test, r->produced, r->frames);
	KUNIT_EXPECT_EQ(test, r->drops, 0u);
	KUNIT_EXPECT_EQ(test, s.events, (u64)r->produced);
	KUNIT_EXPECT_EQ(test, s.rx_packets, (u64)r->produced);
	KUNIT_EXPECT_EQ(test, s.lost, 0ull);
	KUNIT_EXPECT_EQ(test, s.dups, 0ull);
	KUNIT_EXPECT_EQ(test, s.bad_entry, 0ull);
	KUNIT_EXPECT_EQ(test, s.rx_alloc_fail, 0ull);
	KUNIT_EXPECT_EQ(test, reorders, 0ull);
	KUNIT_EXPECT_EQ(test, (u32)atomic_read(&r->rx), r->produced);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->rx_bad), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->rx_dups), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->rx_reorders), 0);
	KUNIT_EXPECT_EQ(test, evs_race_lost(r), 0ull);
	if (r->move) {
		KUNIT_EXPECT_GT(test, r->moves, 0u);
		KUNIT_EXPECT_EQ(test, migrations, (u64)r->moves);
	}
}

/**
 * evs_race_run() - run a race in the case's bottom-half mode
 * @test:      the case; its parameter is the mode
 * @steer:     produce over both data rings through the RETA
 * @move:      keep moving the lanes meanwhile
 * @ring_size: entries per ring, and the longest burst
 *
 * The producer runs on CPU 0, ring i's interrupt on CPU i + 1 (as its
 * lanes start), the mover on CPU 3; four lanes per ring.
 */
static void evs_race_run(struct kunit *test, bool steer, bool move,
			 u32 ring_size)
{
	const enum evs_bh_mode *mode = test->param_value;
	unsigned long wait = msecs_to_jiffies(EVS_RACE_MAX_MS +
					      2 * EVS_RACE_DRAIN_MS + 10000);
	struct evs_race *r;
	struct evs_rt *rt;
	unsigned int i;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	rt = evs_rt_setup_size(test, *mode, 4, ring_size);
	r = evs_race_new(test, rt, steer, move);
	r->tasks[0] = evs_race_thread(test, evs_race_producer, r, 0,
				      "evs-race-prod");
	if (move)
		r->tasks[1] = evs_race_thread(test, evs_race_mover, r, 3,
					      "evs-race-move");
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&r->done, wait),
			0ul);
	for (i = 0; i < ARRAY_SIZE(r->tasks); i++) {
		if (r->tasks[i])
			kthread_stop(r->tasks[i]);
		r->tasks[i] = NULL;
	}
	for (i = 0; i < EVS_T_RINGS; i++)
		irq_work_sync(&rt->irq[i].work);
	KUNIT_ASSERT_FALSE_MSG(test, r->stalled,
			       "rings not drained after %u frames: lost wake-up",
			       r->produced);
	KUNIT_EXPECT_FALSE_MSG(test, r->late, "only %u of %u frames in %u ms",
			       r->produced, r->frames, EVS_RACE_MAX_MS);
	evs_race_expect(test, r);
}

/*
 * A million frames from a producer thread into ring 0, interrupts in
 * hard-IRQ context on another CPU, four lanes: nothing lost,
 * duplicated or reordered, and no wake-up lost (the run would stall).
 */
static void evs_test_rearm_race_million(struct kunit *test)
{
	evs_race_run(test, false, false, EVS_WINDOW_MAX);
}

/*
 * The same through the RETA over both data rings, while another thread
 * keeps moving every lane to other CPUs (WRITE_ONCE() of its CPU and
 * evs_lane_moved(), as the load monitor does): each window runs where
 * its lanes are, and still no frame is lost, duplicated or reordered.
 * Bursts of up to 1024 frames, mostly full windows: a window costs a
 * round of IPIs or wake-ups over all CPUs, slow under TCG.
 */
static void evs_test_race_lane_moves(struct kunit *test)
{
	evs_race_run(test, true, true, 4 * EVS_WINDOW_MAX);
}

/**
 * struct evs_ho_race - a race whose buckets keep moving between the two
 * data rings, each move handed off as rss.c does it
 * @r:        the race (its receiver, flows, counters)
 * @table:    the producer's RETA, bucket -> ring: the device's copy
 * @next:     the table the switcher asks it to load
 * @cur:      the switcher's idea of the table, the driver's
 * @scratch:  the switcher's next table, being made
 * @req:      tables asked for
 * @ack:      tables the producer loaded (after its last frame's prod)
 * @switches: tables changed
 * @moved:    buckets moved
 * @waits:    times the producer found a ring full and waited
 * @finished: the producer made its last frame (unlike r->done, which
 *            the test's wait consumes, it stays set)
 */
struct evs_ho_race {
	struct evs_race *r;
	u32 table[EVS_RSS_RETA_SIZE];
	u32 next[EVS_RSS_RETA_SIZE];
	u32 cur[EVS_RSS_RETA_SIZE];
	u32 scratch[EVS_RSS_RETA_SIZE];
	atomic_t req;
	atomic_t ack;
	u32 switches;
	u32 moved;
	u32 waits;
	bool finished;
};

#define EVS_HO_RACE_MOVES	8	/* buckets per change */
#define EVS_HO_RACE_GAP_US	300	/* between changes */

/* A full ring is waited for (the device would drop): it is consumed. */
static bool evs_ho_race_room(struct evs_ho_race *h, u32 ring)
{
	struct evs_ring_producer *rp = &h->r->rt->prod.ring[ring];
	unsigned long deadline = jiffies + msecs_to_jiffies(EVS_RACE_DRAIN_MS);

	while (rp->prod - evs_rd32_acquire(&rp->ctl->cons) >= rp->size) {
		if (time_after(jiffies, deadline))
			return false;
		h->waits++;
		usleep_range(10, 30);
	}
	return true;
}

/*
 * The device: load a new table between two frames when asked (its
 * acknowledgment comes after the last frame steered by the old one is
 * published), steer each frame by its bucket, never wait for a drain.
 */
static int evs_ho_race_producer(void *arg)
{
	struct evs_ho_race *h = arg;
	struct evs_race *r = h->r;
	unsigned long deadline = jiffies + msecs_to_jiffies(EVS_RACE_MAX_MS);
	u64 start = ktime_get_ns();
	int req;

	while (r->produced < r->frames && !kthread_should_stop()) {
		struct evs_event ev = { .code = EVS_EV_DATA };
		u32 f = evs_race_pick(r), ring;
		struct evs_race_flow *fl = &r->flow[f];
		int ret;

		req = atomic_read_acquire(&h->req);
		if (req != atomic_read(&h->ack)) {
			memcpy(h->table, h->next, sizeof(h->table));
			atomic_set_release(&h->ack, req);
		}
		ring = h->table[evs_bucket_of(fl->hash)];
		if (!evs_ho_race_room(h, ring)) {
			r->stalled = true;
			break;
		}
		ev.flow_id = f;
		ev.hash = fl->hash;
		ev.hash_type = fl->type;
		ev.len = evs_frame_build(r->frame, evs_frame_min_len(f & 1) +
					 evs_mix32(r->produced) % 128, &r->addrs,
					 &fl->tuple, f, fl->tx_seq++,
					 r->produced);
		ev.frame = r->frame;
		ret = evs_ring_produce(&r->rt->prod.ring[ring], &ev, ring, false);
		if (ret == EVS_PRODUCED_SIGNAL) {
			irq_work_queue_on(&r->rt->irq[ring].work,
					  r->irq_cpu[ring]);
			r->signals++;
		} else if (ret != EVS_PRODUCED) {
			r->drops++;
		}
		r->produced++;
		if (time_after(jiffies, deadline)) {
			r->late = true;
			break;
		}
		if (!(r->produced % 64))
			cond_resched();
	}
	r->elapsed_ms = div_u64(ktime_get_ns() - start, NSEC_PER_MSEC);
	/* pairs with the switcher's acquire: the last frame is out */
	smp_store_release(&h->finished, true);
	complete(&r->done);
	/* the device stays up: a table asked for meanwhile is still loaded */
	while (!kthread_should_stop()) {
		req = atomic_read_acquire(&h->req);
		if (req != atomic_read(&h->ack)) {
			memcpy(h->table, h->next, sizeof(h->table));
			atomic_set_release(&h->ack, req);
		}
		usleep_range(20, 40);
	}
	return 0;
}

/*
 * rss.c's steps for one change of the table: once the last hand-off
 * ended, begin the new ones, have the device load the table, then arm
 * them with the old rings' positions.
 */
static int evs_ho_race_switcher(void *arg)
{
	struct evs_ho_race *h = arg;
	struct evs_dev *edev = &h->r->rt->edev;
	u32 *next = h->scratch;
	unsigned int i;
	int req;

	/* not r->done: the test's wait consumes it */
	while (!kthread_should_stop() && !smp_load_acquire(&h->finished)) {
		if (!evs_handoff_idle(edev)) {
			usleep_range(50, 100);
			continue;
		}
		memcpy(next, h->cur, sizeof(h->scratch));
		for (i = 0; i < EVS_HO_RACE_MOVES; i++) {
			u32 b = evs_mix32(h->switches * 131 + i) %
				EVS_RSS_RETA_SIZE;

			next[b] = !next[b];
		}
		h->moved += evs_handoff_begin(edev, h->cur, next);
		memcpy(h->next, next, sizeof(h->next));
		req = atomic_inc_return_release(&h->req);
		while (atomic_read_acquire(&h->ack) != req &&
		       !kthread_should_stop())
			usleep_range(10, 20);
		evs_handoff_commit(edev, atomic_read(&h->ack) == req);
		memcpy(h->cur, next, sizeof(h->cur));
		h->switches++;
		usleep_range(EVS_HO_RACE_GAP_US, 2 * EVS_HO_RACE_GAP_US);
	}
	evs_race_park();
	return 0;
}

/*
 * A million frames (race_frames) over both data rings while buckets
 * keep moving between them, eight at a time, the producer never
 * waiting for a drain: the frames of a moved bucket still in the old
 * ring are delivered before the new ring's, because the new ring holds
 * those until the old one is past its position.  Nothing lost,
 * duplicated or reordered; without the hand-off the receiver sees
 * reordering (tests/kunit/mutants.sh).
 */
static void evs_test_race_handoff(struct kunit *test)
{
	const enum evs_bh_mode *mode = test->param_value;
	unsigned long wait = msecs_to_jiffies(EVS_RACE_MAX_MS +
					      2 * EVS_RACE_DRAIN_MS + 10000);
	struct evs_ring_snapshot s0, s1;
	struct evs_ho_race *h;
	struct evs_race *r;
	struct evs_rt *rt;
	unsigned int i;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	rt = evs_rt_setup_size(test, *mode, 4, 2 * EVS_WINDOW_MAX);
	/* a hand-off that times out may reorder: none is expected here */
	rt->edev.ho_timeout_ms = 10000;
	r = evs_race_new(test, rt, true, false);
	h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	h->r = r;
	r->tasks[0] = evs_race_thread(test, evs_ho_race_producer, h, 0,
				      "evs-ho-prod");
	r->tasks[1] = evs_race_thread(test, evs_ho_race_switcher, h, 3,
				      "evs-ho-switch");
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&r->done, wait),
			0ul);
	/* the switcher first: the producer answers its last request */
	for (i = ARRAY_SIZE(r->tasks); i--; ) {
		kthread_stop(r->tasks[i]);
		r->tasks[i] = NULL;
	}
	KUNIT_ASSERT_FALSE_MSG(test, r->stalled,
			       "a ring stayed full after %u frames",
			       r->produced);
	KUNIT_EXPECT_TRUE(test, evs_race_drained(r));
	KUNIT_EXPECT_TRUE(test, evs_rt_wait_handoffs(rt, 5000));
	for (i = 0; i < EVS_T_RINGS; i++)
		irq_work_sync(&rt->irq[i].work);
	evs_ring_snapshot(&rt->edev.rings[0], &s0);
	evs_ring_snapshot(&rt->edev.rings[1], &s1);
	kunit_info(test, "%u table changes, %u buckets moved, %llu frames held, %u waits for room",
		   h->switches, h->moved, s0.handoff_held + s1.handoff_held,
		   h->waits);
	evs_race_expect(test, r);
	KUNIT_EXPECT_GT(test, h->switches, 10u);
	KUNIT_EXPECT_GT(test, s0.handoff_held + s1.handoff_held, 0ull);
	KUNIT_EXPECT_EQ(test, s0.handoff_timeout + s1.handoff_timeout, 0ull);
	KUNIT_EXPECT_EQ(test, s0.handoff_drops + s1.handoff_drops, 0ull);
	KUNIT_EXPECT_EQ(test, atomic64_read(&rt->edev.handoffs), (s64)h->moved);
	KUNIT_EXPECT_EQ(test, atomic64_read(&rt->edev.handoff_timeouts), 0ll);
}

/**
 * struct evs_turn - what a probe on the workqueue_queue_work tracepoint
 * saw of the test device's lane work items
 * @edev:   the device
 * @queued: its lane work items queued
 * @stale:  of which while the lane's turn still named that item
 */
struct evs_turn {
	struct evs_dev *edev;
	atomic_t queued;
	atomic_t stale;
};

/* Inside queue_work_on(), before the item can run. */
static void evs_turn_probe(void *data, int req_cpu,
			   struct pool_workqueue *pwq, struct work_struct *work)
{
	struct evs_turn *t = data;
	struct evs_lane_work *lw = container_of(work, struct evs_lane_work,
						work);
	struct evs_lane *lanes;
	unsigned int i;

	for (i = 0; i < EVS_T_TOTAL; i++) {
		lanes = t->edev->rings[i].lanes;
		if ((void *)work < (void *)lanes ||
		    (void *)work >= (void *)(lanes + EVS_MAX_LANES))
			continue;
		atomic_inc(&t->queued);
		if (READ_ONCE(lw->lane->next_work) == lw - lw->lane->work)
			atomic_inc(&t->stale);
		return;
	}
}

/*
 * A work item lane's turn passes to its other work item before this
 * one is queued (evs_lane_schedule()): once queued, the item may run
 * at once on the lane's CPU, finish the window and dispatch the next
 * one, which must then queue the other item.  Queued again while it
 * still runs, this one would stay on its old CPU, and the dispatcher's
 * later flip of the turn would race with the lane's.  The probe sees
 * every queueing, so the rule is checked at each, not only when the
 * timing goes wrong.
 */
static void evs_test_lane_turn(struct kunit *test)
{
	const enum evs_bh_mode *mode = test->param_value;
	struct evs_turn t = { };
	struct evs_rt *rt;
	unsigned int round, i;

	if (!IS_ENABLED(CONFIG_TRACEPOINTS))
		kunit_skip(test, "needs tracepoints (scripts/kunit.sh --config kasan)");
	rt = evs_rt_setup(test, *mode, 4);
	t.edev = &rt->edev;
	KUNIT_ASSERT_EQ(test, register_trace_workqueue_queue_work(evs_turn_probe,
								  &t), 0);
	/* no assertion while the probe is registered: it must go first */
	for (round = 0; round < 100; round++) {
		/* no signal from the producer: the test raises the vector */
		evs_wr32(&rt->edev.rings[0].ctl->armed, 0);
		for (i = 0; i < 48; i++)
			if (evs_rt_produce(rt, 0, (round * 48 + i) % EVS_T_FLOWS) !=
			    EVS_PRODUCED)
				break;
		if (i < 48 || !evs_rt_kick(rt, 0))
			break;
	}
	unregister_trace_workqueue_queue_work(evs_turn_probe, &t);
	tracepoint_synchronize_unregister();
	kunit_info(test, "%d lane work items queued, %d with a stale turn",
		   atomic_read(&t.queued), atomic_read(&t.stale));
	KUNIT_EXPECT_EQ(test, round, 100u);
	/* one work item at least per window */
	KUNIT_EXPECT_GE(test, atomic_read(&t.queued), 100);
	KUNIT_EXPECT_EQ(test, atomic_read(&t.stale), 0);
	evs_rt_expect_delivered(test, rt, 100 * 48);
}

/* ---- sub-tick relief (relief.c) -------------------------------------- */

/* Lanes of @ring that asked for relief; their requests stay set. */
static unsigned int evs_rt_relief_asked(struct evs_ring *ring)
{
	unsigned int j, n = 0;

	for (j = 0; j < EVS_MAX_LANES; j++)
		n += test_bit(EVS_LANE_RELIEF, &ring->lanes[j].relief);
	return n;
}

/* @n frames of flows @first.. into ring 0, one interrupt, drained. */
static bool evs_rt_relief_traffic(struct evs_rt *rt, u32 first, u32 n)
{
	u32 i;

	/* no signal from the producer: the test raises the vector */
	evs_wr32(&rt->edev.rings[0].ctl->armed, 0);
	for (i = 0; i < n; i++)
		if (evs_rt_produce(rt, 0, (first + i) % EVS_T_FLOWS) !=
		    EVS_PRODUCED)
			return false;
	return evs_rt_kick(rt, 0);
}

/*
 * The delay trigger as a lane starts: a window that waited at least
 * relief.limit_ns for its lane makes the lane ask for one pass, once
 * (its request stays until a pass takes it), and a shorter wait, relief
 * off, or a lane a pass placed less than a threshold ago whose window
 * runs where it is, asks nothing.
 */
static void evs_test_relief_trigger(struct kunit *test)
{
	const enum evs_bh_mode *mode = test->param_value;
	struct evs_rt *rt = evs_rt_setup(test, *mode, 2);
	struct evs_dev *edev = &rt->edev;
	struct evs_ring *ring = &edev->rings[0];
	unsigned int j, asked;
	s64 requests;

	/* off: nothing asks however long the lanes wait */
	KUNIT_ASSERT_TRUE(test, evs_rt_relief_traffic(rt, 0, 32));
	KUNIT_EXPECT_EQ(test, atomic64_read(&edev->relief.requests), 0);
	/* 1 ns: every lane that starts has waited that long */
	WRITE_ONCE(edev->relief.limit_ns, 1);
	for (j = 0; j < 4; j++)
		KUNIT_ASSERT_TRUE(test, evs_rt_relief_traffic(rt, 32 * j, 32));
	flush_work(&edev->relief.work);
	asked = evs_rt_relief_asked(ring);
	requests = atomic64_read(&edev->relief.requests);
	kunit_info(test, "%u lanes asked, %lld requests, %d passes", asked,
		   requests, atomic_read(&rt->relief_passes));
	KUNIT_EXPECT_EQ(test, asked, 2u);
	KUNIT_EXPECT_EQ(test, requests, 2);
	KUNIT_EXPECT_GE(test, atomic_read(&rt->relief_passes), 1);
	KUNIT_EXPECT_EQ(test, evs_rt_relief_asked(&edev->rings[1]), 0u);
	/* taken by a pass: a long threshold asks nothing */
	for (j = 0; j < EVS_MAX_LANES; j++)
		clear_bit(EVS_LANE_RELIEF, &ring->lanes[j].relief);
	WRITE_ONCE(edev->relief.limit_ns, 10 * NSEC_PER_SEC);
	KUNIT_ASSERT_TRUE(test, evs_rt_relief_traffic(rt, 0, 32));
	KUNIT_EXPECT_EQ(test, atomic64_read(&edev->relief.requests), requests);
	/* placed by a pass a moment ago, its window runs where it is */
	for (j = 0; j < EVS_MAX_LANES; j++)
		WRITE_ONCE(ring->lanes[j].mon.relief_quiet_ns,
			   ktime_get_ns() + 10 * NSEC_PER_SEC);
	WRITE_ONCE(edev->relief.limit_ns, 1);
	KUNIT_ASSERT_TRUE(test, evs_rt_relief_traffic(rt, 0, 32));
	KUNIT_EXPECT_EQ(test, atomic64_read(&edev->relief.requests), requests);
	KUNIT_EXPECT_EQ(test, evs_rt_relief_asked(ring), 0u);
	/* the quiet time is over: it may ask again */
	for (j = 0; j < EVS_MAX_LANES; j++)
		WRITE_ONCE(ring->lanes[j].mon.relief_quiet_ns, 0);
	KUNIT_ASSERT_TRUE(test, evs_rt_relief_traffic(rt, 0, 32));
	KUNIT_EXPECT_EQ(test, evs_rt_relief_asked(ring), 2u);
	WRITE_ONCE(edev->relief.limit_ns, 0);
	evs_rt_expect_delivered(test, rt, 8 * 32);
}

/*
 * The watch: a lane whose share of a window in flight has not started
 * although the window was taken at least the threshold ago is late
 * and asks; one that started, or a younger window, is not.  Ring 0 is
 * idle, its lane 0 made to look in flight.
 */
static void evs_test_relief_scan(struct kunit *test)
{
	struct evs_rt *rt = evs_rt_setup(test, EVS_BH_WORKQUEUE, 1);
	struct evs_dev *edev = &rt->edev;
	struct evs_ring *ring = &edev->rings[0];
	struct evs_lane *lane = &ring->lanes[0];
	u64 now = ktime_get_ns(), ms = NSEC_PER_MSEC;

	KUNIT_ASSERT_TRUE(test, evs_rt_idle(ring));
	KUNIT_EXPECT_EQ(test, evs_relief_scan(edev, now), 0u);
	WRITE_ONCE(edev->relief.limit_ns, ms);
	WRITE_ONCE(ring->win_taken_ns, now - 5 * ms);
	WRITE_ONCE(lane->started, false);
	/* as evs_ring_dispatch() publishes a share: after its time */
	smp_store_release(&lane->in_window, true);
	KUNIT_EXPECT_EQ(test, evs_relief_scan(edev, now), 1u);
	KUNIT_EXPECT_TRUE(test, test_bit(EVS_LANE_RELIEF, &lane->relief));
	KUNIT_EXPECT_EQ(test, atomic64_read(&edev->relief.requests), 1);
	/* still late, already asking: no second request */
	KUNIT_EXPECT_EQ(test, evs_relief_scan(edev, now), 1u);
	KUNIT_EXPECT_EQ(test, atomic64_read(&edev->relief.requests), 1);
	/* a window younger than the threshold */
	KUNIT_EXPECT_EQ(test, evs_relief_scan(edev, now - 4 * ms - 1), 0u);
	WRITE_ONCE(lane->started, true);
	KUNIT_EXPECT_EQ(test, evs_relief_scan(edev, now), 0u);
	WRITE_ONCE(lane->started, false);
	WRITE_ONCE(edev->relief.limit_ns, 0);
	KUNIT_EXPECT_EQ(test, evs_relief_scan(edev, now), 0u);
	/* as a lane that finished */
	smp_store_release(&lane->in_window, false);
	flush_work(&edev->relief.work);
}

/* A work item that holds its CPU's slot of a max_active 1 workqueue. */
struct evs_t_blocker {
	struct work_struct work;
	struct completion started;
	struct completion go;
};

static void evs_t_blocker_fn(struct work_struct *work)
{
	struct evs_t_blocker *b = container_of(work, struct evs_t_blocker,
					       work);

	complete(&b->started);
	wait_for_completion_timeout(&b->go, 10 * HZ);
}

/*
 * Workqueue mode: ring 0's lane has a window queued on a CPU whose
 * worker slot another item holds (as a real-time task would hold the
 * CPU).  The watch finds it late, the pass moves the lane, and the
 * window, sent on, is delivered on the new CPU while the old one is
 * still held.
 */
static void evs_test_relief_resteer(struct kunit *test)
{
	struct evs_rt *rt = evs_rt_setup(test, EVS_BH_WORKQUEUE, 1);
	struct evs_dev *edev = &rt->edev;
	struct evs_ring *ring = &edev->rings[0];
	struct evs_lane *lane = &ring->lanes[0];
	unsigned int held = ring->cpu, to, i;
	struct evs_t_blocker b;
	bool delivered, waited;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	to = cpumask_any_but(cpu_online_mask, held);
	/* one work item at a time per CPU: the blocker holds @held's */
	destroy_workqueue(edev->wq);
	edev->wq = alloc_workqueue("evs-kunit-1", WQ_HIGHPRI, 1);
	KUNIT_ASSERT_NOT_NULL(test, edev->wq);
	INIT_WORK_ONSTACK(&b.work, evs_t_blocker_fn);
	init_completion(&b.started);
	init_completion(&b.go);
	queue_work_on(held, edev->wq, &b.work);
	wait_for_completion(&b.started);
	for (i = 0; i < 8; i++)
		evs_rt_produce(rt, 0, 5);
	evs_rt_irq(rt, 0);
	msleep(20);
	waited = !evs_rt_wait_tap(rt, 1, 0) && READ_ONCE(lane->in_window) &&
		 !READ_ONCE(lane->started);
	WRITE_ONCE(rt->relief_cpu, to);
	WRITE_ONCE(edev->relief.limit_ns, NSEC_PER_MSEC);
	evs_relief_scan(edev, ktime_get_ns());
	delivered = evs_rt_wait_tap(rt, 8, 2000);
	complete(&b.go);
	flush_work(&b.work);
	destroy_work_on_stack(&b.work);
	WRITE_ONCE(edev->relief.limit_ns, 0);
	kunit_info(test, "CPU %u held; the lane went to CPU %u, ran on %u",
		   held, to, READ_ONCE(lane->last_cpu));
	KUNIT_EXPECT_TRUE_MSG(test, waited, "the window did not wait");
	KUNIT_EXPECT_TRUE_MSG(test, delivered,
			      "the window waited for the held CPU");
	KUNIT_EXPECT_EQ(test, atomic_read(&rt->resteered), 1);
	KUNIT_EXPECT_EQ(test, READ_ONCE(lane->last_cpu), to);
	KUNIT_EXPECT_TRUE(test, evs_rt_idle(ring));
	evs_rt_expect_delivered(test, rt, 8);
}

static struct kunit_case evsteer_ring_cases[] = {
	KUNIT_CASE(evs_test_ring_wraparound),
	KUNIT_CASE(evs_test_ring_full),
	KUNIT_CASE(evs_test_ring_bogus_prod),
	KUNIT_CASE_PARAM(evs_test_ring_window_max, evs_bh_mode_gen_params),
	KUNIT_CASE_PARAM(evs_test_ring_check_entry, evs_check_gen_params),
	KUNIT_CASE_PARAM(evs_test_ring_corrupt_entry, evs_corruption_gen_params),
	KUNIT_CASE(evs_test_ring_corrupt_seq),
	KUNIT_CASE(evs_test_ring_all_corrupt),
	KUNIT_CASE(evs_test_lane_split_keeps_flow_order),
	KUNIT_CASE(evs_test_lane_detects_reorder),
	KUNIT_CASE_PARAM(evs_test_rx_hash_type, evs_hash_gen_params),
	KUNIT_CASE_PARAM(evs_test_rx_build_skb, evs_skb_gen_params),
	KUNIT_CASE(evs_test_rx_bad_hash_type),
	KUNIT_CASE_PARAM(evs_test_rx_down, evs_bh_mode_gen_params),
	KUNIT_CASE(evs_test_latency_buckets),
	KUNIT_CASE(evs_test_latency_percentiles),
	KUNIT_CASE_PARAM(evs_test_rearm_race_million, evs_bh_mode_gen_params),
	KUNIT_CASE_PARAM(evs_test_race_lane_moves, evs_bh_mode_gen_params),
	KUNIT_CASE_PARAM(evs_test_lane_turn, evs_work_mode_gen_params),
	KUNIT_CASE(evs_test_bucket_counts),
	KUNIT_CASE_PARAM(evs_test_handoff_release, evs_bh_mode_gen_params),
	KUNIT_CASE_PARAM(evs_test_handoff_release_mixed, evs_ho_mode_gen_params),
	KUNIT_CASE_PARAM(evs_test_handoff_timeout, evs_ho_mode_gen_params),
	KUNIT_CASE(evs_test_handoff_slow_ring),
	KUNIT_CASE(evs_test_handoff_limit),
	KUNIT_CASE_PARAM(evs_test_handoff_stop, evs_ho_mode_gen_params),
	KUNIT_CASE(evs_test_handoff_bogus_prod),
	KUNIT_CASE_PARAM(evs_test_race_handoff, evs_ho_mode_gen_params),
	KUNIT_CASE_PARAM(evs_test_relief_trigger, evs_ho_mode_gen_params),
	KUNIT_CASE(evs_test_relief_scan),
	KUNIT_CASE(evs_test_relief_resteer),
	{}
};

static struct kunit_suite evsteer_ring_suite = {
	.name = "evsteer_ring",
	.exit = evs_rt_exit,
	.test_cases = evsteer_ring_cases,
};

kunit_test_suite(evsteer_ring_suite);

MODULE_DESCRIPTION("KUnit tests of the evsteer ring windows, lanes and receive path");
MODULE_LICENSE("GPL");
