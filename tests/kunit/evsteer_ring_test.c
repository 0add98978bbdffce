// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the driver's data path (drivers/evsteer/ring.c and
 * lane.c) against the device's own producer code (include/evsteer/):
 * ring windows with wrap-around, a full ring, a bogus write index and
 * corrupt entries; the lane split and per-flow order; and the
 * last-finisher re-arm protocol under a real producer thread for a
 * million events, in both bottom-half modes.
 *
 * The driver's data-path files are compiled into this test: they need
 * no PCI device, only a struct evs_dev with a struct device, a
 * workqueue and the validated geometry.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/irq_work.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>

#include <evsteer/producer.h>

#include "ring.c"
#include "lane.c"
#include "latency.c"

#define EVS_T_RINGS	2		/* data rings; ring 2 is the admin ring */
#define EVS_T_RSIZE	64		/* entries per ring */
#define EVS_T_WAIT_MS	20000		/* bound on waiting for the lanes */

/**
 * struct evs_rt - a device made of a kernel buffer and the driver's rings
 * @edev:  the driver's view
 * @dev:   root device standing in for the PCI function (devres)
 * @prod:  the device's view of the same memory (shared producer code)
 * @steer: the device's loaded steering configuration
 */
struct evs_rt {
	struct evs_dev edev;
	struct device *dev;
	struct evs_producer prod;
	struct evs_steer *steer;
};

static void evs_rt_setup(struct kunit *test, enum evs_bh_mode mode,
			 u32 nr_lanes)
{
	struct evs_rt *rt = kunit_kzalloc(test, sizeof(*rt), GFP_KERNEL);
	struct evs_dev *edev;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, rt);
	test->priv = rt;
	edev = &rt->edev;
	rt->dev = root_device_register("evsteer-kunit");
	KUNIT_ASSERT_FALSE(test, IS_ERR(rt->dev));
	edev->dev = rt->dev;
	edev->bh_mode = mode;
	edev->geo.num_rings = EVS_T_RINGS;
	edev->geo.total_rings = EVS_T_RINGS + 1;
	edev->geo.ring_size = EVS_T_RSIZE;
	KUNIT_ASSERT_EQ(test, evs_layout_compute(EVS_T_RINGS, EVS_T_RSIZE,
						 &edev->geo.layout), 0);
	edev->shm_len = edev->geo.layout.total_size;
	edev->shm = kvzalloc(edev->shm_len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, edev->shm);
	edev->hdr = edev->shm;
	KUNIT_ASSERT_EQ(test, evs_shm_format(&rt->prod, edev->shm,
					     edev->shm_len, EVS_T_RINGS,
					     EVS_T_RSIZE, EVS_MAP_PROC_CODE), 0);
	rt->steer = kunit_kzalloc(test, sizeof(*rt->steer), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rt->steer);
	KUNIT_ASSERT_EQ(test, evs_steer_load(rt->steer, rt->prod.cfg,
					     rt->prod.total_rings,
					     rt->prod.num_vectors), EVS_CFG_OK);
	edev->wq = alloc_workqueue("evs-kunit", WQ_HIGHPRI, 0);
	KUNIT_ASSERT_NOT_NULL(test, edev->wq);
	edev->rings = devm_kcalloc(rt->dev, edev->geo.total_rings,
				   sizeof(*edev->rings), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, edev->rings);
	for (i = 0; i < edev->geo.total_rings; i++) {
		KUNIT_ASSERT_EQ(test, evs_ring_init(edev, &edev->rings[i], i,
						    nr_lanes), 0);
		edev->rings[i].cpu = (i + 1) % num_online_cpus();
		evs_ring_start(&edev->rings[i]);
	}
}

static void evs_rt_exit(struct kunit *test)
{
	struct evs_rt *rt = test->priv;
	unsigned int i;

	if (!rt || IS_ERR_OR_NULL(rt->dev))
		return;
	if (rt->edev.rings)
		for (i = 0; i < rt->edev.geo.total_rings; i++)
			if (rt->edev.rings[i].lanes)
				evs_ring_stop(&rt->edev.rings[i]);
	if (rt->edev.wq)
		destroy_workqueue(rt->edev.wq);
	kvfree(rt->edev.shm);
	root_device_unregister(rt->dev);
}

/* Produce one data event of @flow into @ring (bypassing the RETA). */
static int evs_rt_produce(struct evs_rt *rt, u32 ring, u32 flow)
{
	struct evs_event ev = {
		.code = EVS_EV_DATA,
		.flow_id = flow,
		.hash = evs_mix32(flow),
	};

	return evs_ring_produce(&rt->prod.ring[ring], &ev, ring, false);
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

static struct evs_ring *evs_rt_ring(struct kunit *test, u32 id)
{
	return &((struct evs_rt *)test->priv)->edev.rings[id];
}

static u64 evs_rt_lane_events(struct evs_ring *ring)
{
	struct evs_lane_snapshot s;
	u64 sum = 0;
	unsigned int i;

	for (i = 0; i < EVS_MAX_LANES; i++) {
		evs_lane_snapshot(&ring->lanes[i], &s);
		sum += s.events;
	}
	return sum;
}

/* ---- ring windows ---------------------------------------------------- */

/* Indices are free-running u32: windows keep working across 2^32. */
static void evs_test_ring_wraparound(struct kunit *test)
{
	struct evs_rt *rt;
	struct evs_ring *ring;
	struct evs_ring_snapshot s;
	u32 start = 0xffffffe0u, i, round;

	evs_rt_setup(test, EVS_BH_WORKQUEUE, 2);
	rt = test->priv;
	ring = evs_rt_ring(test, 0);
	/* quiesce, then move both sides next to the wrap */
	evs_ring_stop(ring);
	rt->prod.ring[0].prod = start;
	rt->prod.ring[0].seq = start;
	evs_wr32(&ring->ctl->prod, start);
	evs_wr32(&ring->ctl->cons, start);
	ring->cons = start;
	ring->seq_synced = false;
	evs_ring_start(ring);

	for (round = 0; round < 4; round++) {
		for (i = 0; i < EVS_T_RSIZE - 3; i++)
			evs_rt_produce(rt, 0, i);
		evs_ring_irq(ring);
		KUNIT_ASSERT_TRUE(test, evs_rt_idle(ring));
	}
	evs_ring_snapshot(ring, &s);
	KUNIT_EXPECT_EQ(test, s.events, 4ull * (EVS_T_RSIZE - 3));
	KUNIT_EXPECT_EQ(test, evs_rt_lane_events(ring), s.events);
	KUNIT_EXPECT_EQ(test, s.lost, 0ull);
	KUNIT_EXPECT_EQ(test, s.dups, 0ull);
	KUNIT_EXPECT_EQ(test, s.bad_prod, 0ull);
	KUNIT_EXPECT_LT(test, ring->cons, start);	/* it wrapped */
	KUNIT_EXPECT_EQ(test, evs_rd32(&ring->ctl->cons), ring->cons);
	KUNIT_EXPECT_NE(test, evs_rd32(&ring->ctl->armed), 0u);
}

/* A full ring drops on the device side; the driver sees it as lost. */
static void evs_test_ring_full(struct kunit *test)
{
	struct evs_rt *rt;
	struct evs_ring *ring;
	struct evs_ring_snapshot s;
	unsigned int i, dropped = 0;

	evs_rt_setup(test, EVS_BH_WORKQUEUE, 2);
	rt = test->priv;
	ring = evs_rt_ring(test, 1);
	evs_wr32(&ring->ctl->armed, 0);	/* no interrupt: let it fill */
	for (i = 0; i < EVS_T_RSIZE + 5; i++)
		dropped += evs_rt_produce(rt, 1, i) == EVS_DROPPED_FULL;
	KUNIT_EXPECT_EQ(test, dropped, 5u);
	evs_ring_irq(ring);
	KUNIT_ASSERT_TRUE(test, evs_rt_idle(ring));
	evs_rt_produce(rt, 1, 1000);
	evs_ring_irq(ring);
	KUNIT_ASSERT_TRUE(test, evs_rt_idle(ring));

	evs_ring_snapshot(ring, &s);
	KUNIT_EXPECT_EQ(test, s.events, (u64)EVS_T_RSIZE + 1);
	KUNIT_EXPECT_EQ(test, s.lost, 5ull);	/* every drop is visible */
	KUNIT_EXPECT_EQ(test, evs_rd64(&rt->prod.ring[1].stats->dropped), 5ull);
}

/* A write index beyond the ring is counted and not followed. */
static void evs_test_ring_bogus_prod(struct kunit *test)
{
	struct evs_rt *rt;
	struct evs_ring *ring;
	struct evs_ring_snapshot s;
	u32 good;

	evs_rt_setup(test, EVS_BH_WORKQUEUE, 2);
	rt = test->priv;
	ring = evs_rt_ring(test, 0);
	evs_rt_produce(rt, 0, 1);
	evs_ring_irq(ring);
	KUNIT_ASSERT_TRUE(test, evs_rt_idle(ring));
	good = evs_rd32(&ring->ctl->prod);

	evs_wr32(&ring->ctl->prod, good + EVS_T_RSIZE + 1);
	evs_ring_irq(ring);
	msleep(20);
	evs_ring_snapshot(ring, &s);
	KUNIT_EXPECT_EQ(test, s.bad_prod, 1ull);
	KUNIT_EXPECT_EQ(test, s.events, 1ull);
	KUNIT_EXPECT_EQ(test, READ_ONCE(ring->cons), good);
	KUNIT_EXPECT_FALSE(test, test_bit(EVS_RING_BUSY, &ring->state));

	/* the device publishes a sane index again: processing goes on */
	evs_wr32(&ring->ctl->prod, good);
	evs_rt_produce(rt, 0, 2);
	evs_ring_irq(ring);
	KUNIT_ASSERT_TRUE(test, evs_rt_idle(ring));
	evs_ring_snapshot(ring, &s);
	KUNIT_EXPECT_EQ(test, s.events, 2ull);
	KUNIT_EXPECT_EQ(test, s.lost, 0ull);
}

struct evs_corruption {
	const char *name;
	u32 field;	/* byte offset in struct evs_entry */
	u16 value;
};

static const struct evs_corruption evs_corruptions[] = {
	{ "unknown event code", offsetof(struct evs_entry, code), 9 },
	{ "another ring's id", offsetof(struct evs_entry, ring), 1 },
	{ "length beyond a jumbo frame", offsetof(struct evs_entry, len),
	  EVS_EVENT_LEN_MAX + 1 },
};

static void evs_corruption_desc(const struct evs_corruption *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_corruption, evs_corruptions, evs_corruption_desc);

/* A corrupt entry is counted and skipped; its neighbours are processed. */
static void evs_test_ring_corrupt_entry(struct kunit *test)
{
	const struct evs_corruption *c = test->param_value;
	struct evs_rt *rt;
	struct evs_ring *ring;
	struct evs_ring_snapshot s;
	struct evs_entry *e;

	evs_rt_setup(test, EVS_BH_WORKQUEUE, 2);
	rt = test->priv;
	ring = evs_rt_ring(test, 0);
	evs_wr32(&ring->ctl->armed, 0);
	evs_rt_produce(rt, 0, 1);
	evs_rt_produce(rt, 0, 2);
	evs_rt_produce(rt, 0, 3);
	e = &ring->entries[1];
	*(__le16 *)((u8 *)e + c->field) = cpu_to_le16(c->value);
	evs_ring_irq(ring);
	KUNIT_ASSERT_TRUE(test, evs_rt_idle(ring));
	evs_ring_snapshot(ring, &s);
	KUNIT_EXPECT_EQ(test, s.bad_entry, 1ull);
	KUNIT_EXPECT_EQ(test, s.events, 2ull);
	KUNIT_EXPECT_EQ(test, evs_rt_lane_events(ring), 2ull);
	KUNIT_EXPECT_EQ(test, s.lost, 0ull);
}

/* A corrupt entry's sequence number is not followed. */
static void evs_test_ring_corrupt_seq(struct kunit *test)
{
	struct evs_rt *rt;
	struct evs_ring *ring;
	struct evs_ring_snapshot s;

	evs_rt_setup(test, EVS_BH_WORKQUEUE, 2);
	rt = test->priv;
	ring = evs_rt_ring(test, 0);
	evs_rt_produce(rt, 0, 1);
	evs_rt_produce(rt, 0, 2);
	evs_rt_produce(rt, 0, 3);
	ring->entries[1].code = cpu_to_le16(9);
	ring->entries[1].seq = cpu_to_le32(0x7fffffff);
	evs_ring_irq(ring);
	KUNIT_ASSERT_TRUE(test, evs_rt_idle(ring));
	evs_ring_snapshot(ring, &s);
	KUNIT_EXPECT_EQ(test, s.bad_entry, 1ull);
	KUNIT_EXPECT_LE(test, s.lost, 1ull);	/* the corrupted event */
	KUNIT_EXPECT_EQ(test, s.dups, 0ull);
}

/* A window of nothing but corrupt entries is retired all the same. */
static void evs_test_ring_all_corrupt(struct kunit *test)
{
	struct evs_rt *rt;
	struct evs_ring *ring;
	struct evs_ring_snapshot s;
	unsigned int i;

	evs_rt_setup(test, EVS_BH_TASKLET, 2);
	rt = test->priv;
	ring = evs_rt_ring(test, 0);
	for (i = 0; i < 8; i++) {
		evs_rt_produce(rt, 0, i);
		ring->entries[i].ring = cpu_to_le16(1);
	}
	evs_ring_irq(ring);
	KUNIT_ASSERT_TRUE(test, evs_rt_idle(ring));
	evs_ring_snapshot(ring, &s);
	KUNIT_EXPECT_EQ(test, s.bad_entry, 8ull);
	KUNIT_EXPECT_EQ(test, s.events, 0ull);
	KUNIT_EXPECT_EQ(test, evs_rd32(&ring->ctl->cons), 8u);
	KUNIT_EXPECT_NE(test, evs_rd32(&ring->ctl->armed), 0u);
}

/* ---- lanes ------------------------------------------------------------- */

/*
 * Many windows of interleaved flows over 4 lanes: every entry goes to
 * lane evs_lane_of(hash, 4) (so a flow stays in one lane) and no lane
 * ever sees a flow go backwards.
 */
static void evs_test_lane_split_keeps_flow_order(struct kunit *test)
{
	u64 want[EVS_MAX_LANES] = { 0 };
	struct evs_lane_snapshot ls;
	struct evs_rt *rt;
	struct evs_ring *ring;
	unsigned int w, i;

	evs_rt_setup(test, EVS_BH_WORKQUEUE, 4);
	rt = test->priv;
	ring = evs_rt_ring(test, 0);
	for (w = 0; w < 50; w++) {
		for (i = 0; i < EVS_T_RSIZE / 2; i++) {
			u32 flow = (w * 7 + i * 13) % 37;

			evs_rt_produce(rt, 0, flow);
			want[evs_lane_of(evs_mix32(flow), 4)]++;
		}
		evs_ring_irq(ring);
		KUNIT_ASSERT_TRUE(test, evs_rt_idle(ring));
	}
	for (i = 0; i < EVS_MAX_LANES; i++) {
		evs_lane_snapshot(&ring->lanes[i], &ls);
		KUNIT_EXPECT_EQ_MSG(test, ls.events, want[i], "lane %u", i);
		KUNIT_EXPECT_EQ_MSG(test, ls.reorders, 0ull, "lane %u", i);
	}
}

/* The order check itself: a flow going backwards is caught. */
static void evs_test_lane_detects_reorder(struct kunit *test)
{
	struct evs_lane *lane = kunit_kzalloc(test, sizeof(*lane), GFP_KERNEL);
	struct evs_slot a = { .seq = 10, .flow_id = 5 };
	struct evs_slot b = { .seq = 11, .flow_id = 5 };
	struct evs_slot other = { .seq = 3, .flow_id = 6 };

	KUNIT_ASSERT_NOT_NULL(test, lane);
	KUNIT_EXPECT_TRUE(test, evs_lane_in_order(lane, &a));
	KUNIT_EXPECT_TRUE(test, evs_lane_in_order(lane, &b));
	KUNIT_EXPECT_FALSE(test, evs_lane_in_order(lane, &a));
	KUNIT_EXPECT_TRUE(test, evs_lane_in_order(lane, &other));
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

/* ---- the re-arm race ------------------------------------------------- */

#define EVS_RACE_EVENTS	1000000u

/**
 * struct evs_race - a producer thread and an "interrupt" on another CPU
 * @rt:       the device
 * @irq:      irq_work that calls evs_ring_irq() in hard-IRQ context
 * @irq_cpu:  CPU the interrupt is delivered on
 * @produced: events written
 * @stalled:  the driver stopped draining: a lost wake-up
 * @done:     the producer finished
 */
struct evs_race {
	struct evs_rt *rt;
	struct irq_work irq;
	unsigned int irq_cpu;
	u32 produced;
	bool stalled;
	struct completion done;
};

static void evs_race_irq(struct irq_work *work)
{
	struct evs_race *r = container_of(work, struct evs_race, irq);

	evs_ring_irq(&r->rt->edev.rings[0]);
}

/* Has the driver taken everything, within a second? */
static bool evs_race_drained(struct evs_ring_producer *rp)
{
	unsigned long deadline = jiffies + HZ;

	while (evs_rd32_acquire(&rp->ctl->cons) != rp->prod) {
		if (time_after(jiffies, deadline))
			return false;
		cond_resched();
	}
	return true;
}

/*
 * Bursts of 1 .. ring size events, each followed by a wait for the
 * driver to drain the ring: the end of every burst is a chance for the
 * race between the last lane re-arming and the producer's last entry.
 * A lost wake-up leaves the ring undrained and stops the producer.
 */
static int evs_race_producer(void *arg)
{
	struct evs_race *r = arg;
	struct evs_ring_producer *rp = &r->rt->prod.ring[0];
	u32 burst;

	while (r->produced < EVS_RACE_EVENTS) {
		for (burst = 1 + evs_mix32(r->produced) % EVS_T_RSIZE;
		     burst && r->produced < EVS_RACE_EVENTS; burst--) {
			struct evs_event ev = {
				.code = EVS_EV_DATA,
				.flow_id = r->produced % 251,
				.hash = evs_mix32(r->produced % 251),
			};

			if (evs_ring_produce(rp, &ev, 0, false) ==
			    EVS_PRODUCED_SIGNAL)
				irq_work_queue_on(&r->irq, r->irq_cpu);
			r->produced++;
		}
		if (!evs_race_drained(rp)) {
			r->stalled = true;
			break;
		}
	}
	complete(&r->done);
	return 0;
}

static const enum evs_bh_mode evs_bh_modes[] = {
	EVS_BH_WORKQUEUE, EVS_BH_TASKLET,
};

static void evs_bh_mode_desc(const enum evs_bh_mode *m, char *desc)
{
	strscpy(desc, *m == EVS_BH_WORKQUEUE ? "workqueue" : "tasklet",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evs_bh_mode, evs_bh_modes, evs_bh_mode_desc);

/*
 * A million events from a producer thread, interrupts in hard-IRQ
 * context on another CPU, four lanes: nothing lost, duplicated or
 * reordered, and no wake-up lost (the run would stall).
 */
static void evs_test_rearm_race_million(struct kunit *test)
{
	const enum evs_bh_mode *mode = test->param_value;
	struct evs_ring_snapshot s;
	struct evs_lane_snapshot ls;
	struct task_struct *task;
	struct evs_ring *ring;
	struct evs_race *r;
	u64 reorders = 0;
	unsigned int i;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	evs_rt_setup(test, *mode, 4);
	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->rt = test->priv;
	r->irq_cpu = 1;
	init_irq_work(&r->irq, evs_race_irq);
	init_completion(&r->done);
	ring = evs_rt_ring(test, 0);

	task = kthread_create(evs_race_producer, r, "evs-race-prod");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	kthread_bind(task, 0);
	wake_up_process(task);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&r->done, 300 * HZ),
			0ul);
	KUNIT_ASSERT_FALSE_MSG(test, r->stalled,
			       "ring not drained after %u events: lost wake-up",
			       r->produced);
	irq_work_sync(&r->irq);

	evs_ring_snapshot(ring, &s);
	for (i = 0; i < EVS_MAX_LANES; i++) {
		evs_lane_snapshot(&ring->lanes[i], &ls);
		reorders += ls.reorders;
	}
	kunit_info(test, "%llu events in %llu windows, %llu interrupts (%llu while busy), %llu re-arm races",
		   s.events, s.windows, s.irqs, s.irq_busy, s.rearm_races);
	KUNIT_EXPECT_EQ(test, s.events, (u64)EVS_RACE_EVENTS);
	KUNIT_EXPECT_EQ(test, evs_rt_lane_events(ring), (u64)EVS_RACE_EVENTS);
	KUNIT_EXPECT_EQ(test, s.lost, 0ull);
	KUNIT_EXPECT_EQ(test, s.dups, 0ull);
	KUNIT_EXPECT_EQ(test, reorders, 0ull);
}

static struct kunit_case evsteer_ring_cases[] = {
	KUNIT_CASE(evs_test_ring_wraparound),
	KUNIT_CASE(evs_test_ring_full),
	KUNIT_CASE(evs_test_ring_bogus_prod),
	KUNIT_CASE_PARAM(evs_test_ring_corrupt_entry, evs_corruption_gen_params),
	KUNIT_CASE(evs_test_ring_corrupt_seq),
	KUNIT_CASE(evs_test_ring_all_corrupt),
	KUNIT_CASE(evs_test_lane_split_keeps_flow_order),
	KUNIT_CASE(evs_test_lane_detects_reorder),
	KUNIT_CASE(evs_test_latency_buckets),
	KUNIT_CASE(evs_test_latency_percentiles),
	KUNIT_CASE_PARAM(evs_test_rearm_race_million, evs_bh_mode_gen_params),
	{}
};

static struct kunit_suite evsteer_ring_suite = {
	.name = "evsteer_ring",
	.exit = evs_rt_exit,
	.test_cases = evsteer_ring_cases,
};

kunit_test_suite(evsteer_ring_suite);

MODULE_DESCRIPTION("KUnit tests of the evsteer ring windows and lanes");
MODULE_LICENSE("GPL");
