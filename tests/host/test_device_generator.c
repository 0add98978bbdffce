// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evsteer-device generator and pacer: exact pacing arithmetic, the
 * catch-up limit, Zipf and uniform flow popularity, the event-code
 * mix, the events and their frames (valid UDP over IPv4 and IPv6 with
 * the configured addresses, per-flow EVSP sequence numbers, the hash
 * over the frame's own tuple), pcap replay, and reproducibility from
 * the seed.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <evsteer/producer.h>
#include "tap.h"
#include "generator.h"
#include "pacer.h"

#define SEC	EVS_NSEC_PER_SEC
#define MS	EVS_NSEC_PER_MSEC

static void test_pacer(void)
{
	struct evs_pacer p;
	u64 t, total = 0, worst = 0;

	evs_pacer_start(&p, 1000, 5 * SEC);
	tap_eq(evs_pacer_owed(&p, 5 * SEC), 0, "nothing owed at the start");
	tap_eq(evs_pacer_owed(&p, 5 * SEC + MS - 1), 0,
	       "nothing owed just before 1 ms at 1000/s");
	tap_eq(evs_pacer_owed(&p, 5 * SEC + MS), 1, "one owed at 1 ms");
	tap_eq(evs_pacer_owed(&p, 6 * SEC), 1000, "1000 owed after 1 s");
	tap_eq(evs_pacer_next_ns(&p), 5 * SEC + MS, "first event due at 1 ms");

	/* ticks of 1 ms for 10 s hand out exactly rate * time */
	for (t = 5 * SEC + MS; t <= 15 * SEC; t += MS) {
		u64 n = evs_pacer_take(&p, t);

		total += n;
		if (n > worst)
			worst = n;
	}
	tap_eq(total, 10000, "10 s of 1 ms ticks: exactly 10000 events");
	tap_eq(worst, 1, "... one per tick, no bursts");
	tap_eq(evs_pacer_next_ns(&p), 15 * SEC + MS, "next due at the next ms");

	evs_pacer_start(&p, 3, 0);
	tap_eq(evs_pacer_next_ns(&p), 333333334,
	       "3/s: first due at ceil(1e9 / 3) ns");
	tap_eq(evs_pacer_owed(&p, 333333333), 0, "... not a ns earlier");
	tap_eq(evs_pacer_owed(&p, 333333334), 1, "... owed from then");

	evs_pacer_start(&p, 10000000, 0);
	tap_eq(evs_pacer_owed(&p, 3600 * SEC), 36000000000ull,
	       "10M/s for an hour: no overflow");

	/* a device that was not scheduled for 2 s does not burst */
	evs_pacer_start(&p, 1000, 0);
	tap_eq(evs_pacer_take(&p, 2 * SEC), 50,
	       "2 s late: only 50 ms worth (EVS_PACER_MAX_LAG_NS) handed out");
	tap_eq(evs_pacer_take(&p, 2 * SEC + 10 * MS), 10,
	       "... then the rate continues from there");

	evs_pacer_start(&p, 0, 0);
	tap_eq(evs_pacer_take(&p, 100 * SEC), 0, "rate 0 owes nothing");
	tap_eq(evs_pacer_next_ns(&p), UINT64_MAX, "rate 0: nothing ever due");
}

static void test_zipf(void)
{
	enum { N = 16, DRAWS = 400000 };
	struct evs_generator g;
	u32 counts[N] = { 0 }, i, flow;
	double h = 0, worst = 0;

	tap_ok(!evs_gen_init(&g, 1, false, NULL, NULL), "generator init");
	tap_ok(!evs_gen_set_flows(&g, N, 1.0), "16 flows, Zipf s=1");
	for (i = 0; i < N; i++)
		h += 1.0 / (i + 1);
	for (i = 0; i < DRAWS; i++) {
		flow = evs_gen_pick_flow(&g);
		if (flow < N)
			counts[flow]++;
	}
	for (i = 0, flow = 0; i < N; i++)
		flow += counts[i];
	tap_eq(flow, DRAWS, "every pick is a valid flow");
	for (i = 0; i < N; i++) {
		double want = DRAWS / ((i + 1) * h);
		double err = fabs(counts[i] - want) / want;

		if (err > worst)
			worst = err;
	}
	tap_diag("Zipf s=1: flow 0 %u (want %.0f), flow 15 %u (want %.0f), worst error %.2f%%",
		 counts[0], DRAWS / h, counts[15], DRAWS / (16 * h),
		 100 * worst);
	tap_ok(worst < 0.05, "every flow within 5%% of 1/(k+1) / H_16");

	memset(counts, 0, sizeof(counts));
	tap_ok(!evs_gen_set_flows(&g, N, 0), "16 flows, uniform");
	tap_ok(g.cdf == NULL, "uniform needs no CDF");
	for (i = 0; i < DRAWS; i++)
		counts[evs_gen_pick_flow(&g) % N]++;
	worst = 0;
	for (i = 0; i < N; i++) {
		double err = fabs((double)counts[i] - DRAWS / N) / (DRAWS / N);

		if (err > worst)
			worst = err;
	}
	tap_ok(worst < 0.05, "uniform: every flow within 5%% of 1/16 (%.2f%%)",
	       100 * worst);

	tap_ok(!evs_gen_set_flows(&g, 1, 2.0), "one flow, skewed");
	for (i = 0, flow = 0; i < 1000; i++)
		flow |= evs_gen_pick_flow(&g);
	tap_eq(flow, 0, "one flow: always flow 0");
	tap_ok(evs_gen_set_flows(&g, 0, 1.0) && g.num_flows == 1,
	       "zero flows refused, nothing changed");
	evs_gen_free(&g);
}

static void test_mix(void)
{
	static const u32 mix[EVS_NUM_CODES] = { 70, 10, 10, 10 };
	static const u32 only_error[EVS_NUM_CODES] = { 0, 0, 5, 0 };
	u32 counts[EVS_NUM_CODES] = { 0 }, i, c, bad = 0;
	struct evs_generator g;

	evs_gen_init(&g, 3, false, NULL, NULL);
	tap_eq(evs_gen_pick_code(&g), EVS_EV_DATA, "default mix: data only");
	evs_gen_set_mix(&g, mix);
	for (i = 0; i < 100000; i++)
		counts[evs_gen_pick_code(&g)]++;
	for (c = 0; c < EVS_NUM_CODES; c++)
		bad += fabs(counts[c] / 100000.0 - mix[c] / 100.0) > 0.01;
	tap_eq(bad, 0, "mix 70,10,10,10 within 1%% (%u/%u/%u/%u)", counts[0],
	       counts[1], counts[2], counts[3]);
	evs_gen_set_mix(&g, only_error);
	for (i = 0, bad = 0; i < 1000; i++)
		bad += evs_gen_pick_code(&g) != EVS_EV_ERROR;
	tap_eq(bad, 0, "mix 0,0,5,0: only error events");
	evs_gen_free(&g);
}

/**
 * struct frame_check - what the frames of a run must be
 * @a:       addresses the generator was given
 * @ipv6:    family
 * @seed:    traffic seed
 * @min:     shortest frame length allowed
 * @max:     longest
 * @tstamp:  EVSP and entry time stamp
 * @next:    next EVSP sequence number expected per flow
 * @bad:     events that failed any check
 */
struct frame_check {
	struct evs_frame_addrs a;
	bool ipv6;
	u32 seed, min, max;
	u64 tstamp;
	u64 next[64];
	u32 bad;
};

/* One data event: its frame, tuple, hash, hash type and sequence. */
static void check_frame(struct frame_check *c, const struct evs_event *ev)
{
	struct evs_frame_info info;
	struct evs_flow_tuple t;
	const u8 *f = ev->frame;

	if (!f || ev->len < c->min || ev->len > c->max ||
	    evs_frame_check(f, ev->len, &info) || info.ipv6 != c->ipv6 ||
	    ev->flow_id >= 64) {
		c->bad++;
		return;
	}
	evs_flow_tuple_make_at(&c->a, ev->flow_id, c->seed, c->ipv6, &t);
	c->bad += memcmp(f, c->a.dst_mac, 6) || memcmp(f + 6, c->a.src_mac, 6) ||
		  info.tuple.len != t.len ||
		  memcmp(info.tuple.b, t.b, t.len) ||
		  info.evsp.flow_id != ev->flow_id ||
		  info.evsp.seq != c->next[ev->flow_id]++ ||
		  info.evsp.tstamp_ns != c->tstamp ||
		  ev->hash != evs_toeplitz_ref(evs_default_key(), info.tuple.b,
					      info.tuple.len) ||
		  ev->hash_type != (c->ipv6 ? EVS_HASH_IPV6_L4 :
					      EVS_HASH_IPV4_L4) ||
		  ev->flags != (c->ipv6 ? EVS_EF_IPV6 : 0);
}

static void load_default_steer(struct evs_steer *s)
{
	struct evs_config cfg;

	evs_config_default(&cfg, 4, evs_default_key(), EVS_MAP_PROC_CODE);
	evs_steer_load(s, &cfg, 5, 5);
}

static void test_events(void)
{
	static const u32 mix[EVS_NUM_CODES] = { 1, 1, 1, 1 };
	static struct evs_steer s;
	static struct evs_generator g;
	static struct frame_check c;
	struct evs_event ev;
	u32 i, bad = 0, nodata = 0, lo = ~0u, hi = 0, seqs = 0;

	load_default_steer(&s);
	evs_gen_init(&g, 9, true, NULL, NULL);
	evs_gen_set_flows(&g, 32, 0.5);
	evs_gen_set_mix(&g, mix);
	g.cost_ns = 77;
	evs_frame_addrs_default(&c.a);
	c.ipv6 = true;
	c.seed = 9;
	c.min = EVS_FRAME_MIN_V6;
	c.max = EVS_FRAME_MAX;
	c.tstamp = 1234;
	for (i = 0; i < 4000; i++) {
		evs_gen_event(&g, &s, 1234, &ev);
		bad += ev.cost_ns != 77 || ev.tstamp_ns != 1234;
		if (!evs_code_has_data(ev.code)) {
			nodata++;
			bad += ev.flags != EVS_EF_NODATA || ev.hash ||
			       ev.hash_type || ev.flow_id || ev.len || ev.frame;
			continue;
		}
		lo = ev.len < lo ? ev.len : lo;
		hi = ev.len > hi ? ev.len : hi;
		check_frame(&c, &ev);
	}
	for (i = 0; i < 32; i++)
		seqs += c.next[i] == g.flow_seq[i];
	tap_eq(bad, 0, "4000 events: cost, time stamp; no frame without data");
	tap_eq(c.bad, 0,
	       "IPv6 data events: valid frames with the default addresses, EVSP seq 0,1,2.. per flow, hash = reference Toeplitz over the frame's tuple, HASH_IPV6_L4");
	tap_ok(nodata > 1700 && nodata < 2300, "half are without data (%u)",
	       nodata);
	tap_ok(lo >= EVS_FRAME_MIN_V6 && lo < EVS_FRAME_MIN_V6 + 20 &&
	       hi <= EVS_FRAME_MAX && hi > EVS_FRAME_MAX - 20,
	       "lengths span %u..%u (seen %u..%u)", EVS_FRAME_MIN_V6,
	       EVS_FRAME_MAX, lo, hi);
	tap_eq(seqs, 32, "the generator's per-flow counters agree");
	evs_gen_free(&g);
}

/* Configured addresses, a fixed length, IPv4. */
static void test_configured_frames(void)
{
	static const u8 nic[6] = { 0x02, 0, 0, 0, 0, 0xaa };
	static const u8 peer[6] = { 0x02, 0, 0, 0, 0, 0xbb };
	static struct evs_steer s;
	static struct evs_generator g;
	static struct frame_check c;
	struct evs_event ev;
	u32 i;

	load_default_steer(&s);
	evs_frame_addrs_default(&c.a);
	memcpy(c.a.dst_mac, nic, 6);
	memcpy(c.a.src_mac, peer, 6);
	memcpy(c.a.src_ip4, "\x0a\x01\x02\x00", 4);
	memcpy(c.a.dst_ip4, "\x0a\x09\x09\x09", 4);
	c.a.dst_port = 4789;
	c.seed = 4;
	c.min = c.max = 128;
	c.tstamp = 55;
	evs_gen_init(&g, 4, false, &c.a, NULL);
	evs_gen_set_flows(&g, 64, 0);
	tap_ok(evs_gen_set_frame_len(&g, 65, 128) &&
	       evs_gen_set_frame_len(&g, 128, 1515) &&
	       evs_gen_set_frame_len(&g, 200, 100) && g.frame_min == 66,
	       "IPv4 frame lengths outside 66..1514 refused, nothing changed");
	tap_ok(!evs_gen_set_frame_len(&g, 128, 128), "fixed length 128");
	for (i = 0; i < 2000; i++) {
		evs_gen_event(&g, &s, 55, &ev);
		check_frame(&c, &ev);
		if (i == 0)
			tap_ok(ev.frame[14 + 12] == 10 && ev.frame[14 + 16] == 10 &&
			       evs_get_be16(ev.frame + 14 + 20 + 2) == 4789,
			       "first frame: 10.1.2.x -> 10.9.9.9:4789");
	}
	tap_eq(c.bad, 0,
	       "2000 IPv4 frames of 128 bytes: configured MACs, addresses and port, per-flow seq, L4 hash");
	evs_gen_free(&g);
	evs_gen_init(&g, 4, true, NULL, NULL);
	tap_ok(evs_gen_set_frame_len(&g, 70, 80) && g.frame_min == 86,
	       "IPv6: frames below 86 bytes refused");
	evs_gen_free(&g);
}

/* "flows" may shrink and grow: a flow's sequence never starts over. */
static void test_flow_seq_kept(void)
{
	static struct evs_steer s;
	static struct evs_generator g;
	struct evs_frame_info info;
	struct evs_event ev;
	u64 before[8];
	u32 i, bad = 0;

	load_default_steer(&s);
	evs_gen_init(&g, 2, false, NULL, NULL);
	evs_gen_set_flows(&g, 8, 0);
	for (i = 0; i < 400; i++)
		evs_gen_event(&g, &s, 0, &ev);
	memcpy(before, g.flow_seq, sizeof(before));
	evs_gen_set_flows(&g, 2, 0);
	for (i = 0; i < 100; i++)
		evs_gen_event(&g, &s, 0, &ev);
	evs_gen_set_flows(&g, 8, 0);
	for (i = 0; i < 400; i++) {
		evs_gen_event(&g, &s, 0, &ev);
		if (evs_frame_check(ev.frame, ev.len, &info) ||
		    (ev.flow_id >= 2 && info.evsp.seq < before[ev.flow_id]))
			bad++;
	}
	tap_eq(bad, 0, "flows 8 -> 2 -> 8: flows 2..7 continue their sequences");
	tap_ok(g.flow_seq[0] > before[0] && g.flow_seq[7] > before[7],
	       "... and every flow moved on");
	evs_gen_free(&g);
}

/* The frame of an injected fault takes no flow's sequence number. */
static void test_fault_event(void)
{
	static struct evs_steer s;
	static struct evs_generator g;
	struct evs_frame_info info;
	struct evs_flow_tuple t;
	struct evs_event ev;

	load_default_steer(&s);
	evs_gen_init(&g, 5, false, NULL, NULL);
	evs_gen_event(&g, &s, 0, &ev);
	evs_gen_fault_event(&g, &s, 42, &ev);
	evs_flow_tuple_make(0, 5, false, &t);
	tap_ok(ev.code == EVS_EV_DATA && ev.len == EVS_FRAME_MIN_V4 &&
	       !evs_frame_check(ev.frame, ev.len, &info) &&
	       info.evsp.flow_id == 0 && info.evsp.seq == EVS_GEN_FAULT_SEQ &&
	       info.evsp.tstamp_ns == 42 &&
	       ev.hash == evs_toeplitz_ref(evs_default_key(), t.b, t.len) &&
	       ev.hash_type == EVS_HASH_IPV4_L4 && ev.frame[ev.len] == 0,
	       "fault event: flow 0's shortest frame, EVSP seq 2^64-1, zeros after it");
	tap_eq(g.flow_seq[0], 1, "... flow 0's own sequence is untouched");
	evs_gen_free(&g);
}

static void test_seed(void)
{
	static struct evs_generator a, b, c;
	u32 i, same_ab = 0, same_ac = 0;

	evs_gen_init(&a, 5, false, NULL, NULL);
	evs_gen_init(&b, 5, false, NULL, NULL);
	evs_gen_init(&c, 6, false, NULL, NULL);
	evs_gen_set_flows(&a, 1000, 0);
	evs_gen_set_flows(&b, 1000, 0);
	evs_gen_set_flows(&c, 1000, 0);
	for (i = 0; i < 100; i++) {
		u32 fa = evs_gen_pick_flow(&a);

		same_ab += fa == evs_gen_pick_flow(&b);
		same_ac += fa == evs_gen_pick_flow(&c);
	}
	tap_eq(same_ab, 100, "same seed: same flow sequence");
	tap_ok(same_ac < 10, "other seed: another sequence (%u equal)", same_ac);
	evs_gen_free(&a);
	evs_gen_free(&b);
	evs_gen_free(&c);
}

/* Put a frame into a hand-made capture, classified as the loader does. */
static void pcap_put(struct evs_pcap *pc, const u8 *f, u32 len)
{
	struct evs_pcap_pkt *pk = &pc->pkts[pc->num_pkts++];

	memcpy(pc->data + pc->data_len, f, len);
	pk->off = pc->data_len;
	pk->len = len;
	evs_pcap_classify(pc->data + pk->off, len, pk);
	pc->data_len += len;
}

static void test_pcap_replay(void)
{
	static u8 data[4096], f[200];
	static struct evs_pcap_pkt pkts[3];
	static struct evs_steer s;
	static struct evs_generator g;
	struct evs_pcap pc = { .data = data, .pkts = pkts };
	struct evs_frame_addrs a;
	struct evs_flow_tuple t;
	struct evs_event ev;
	u32 i, same = 0, hashes = 0;
	static const u32 types[3] = {
		EVS_HASH_IPV4_L4, EVS_HASH_NONE, EVS_HASH_IPV6_L4
	};

	evs_frame_addrs_default(&a);
	evs_flow_tuple_make_at(&a, 3, 1, false, &t);
	evs_frame_build(f, 100, &a, &t, 3, 0, 0);
	pcap_put(&pc, f, 100);
	memset(f + 12, 0, 60);
	f[12] = 0x08;
	f[13] = 0x06;		/* ARP */
	pcap_put(&pc, f, 60);
	evs_flow_tuple_make_at(&a, 4, 1, true, &t);
	evs_frame_build(f, 150, &a, &t, 4, 0, 0);
	pcap_put(&pc, f, 150);

	load_default_steer(&s);
	evs_gen_init(&g, 1, false, NULL, &pc);
	for (i = 0; i < 12; i++) {
		const struct evs_pcap_pkt *pk = &pkts[i % 3];
		struct evs_flow_tuple pt;

		evs_gen_event(&g, &s, 0, &ev);
		same += ev.len == pk->len &&
			!memcmp(ev.frame, data + pk->off, pk->len);
		evs_pcap_tuple(data + pk->off, pk, &pt);
		hashes += ev.hash_type == types[i % 3] &&
			  ev.hash == (types[i % 3] ?
				      evs_toeplitz_ref(evs_default_key(), pt.b,
						       pt.len) : 0) &&
			  !!(ev.flags & EVS_EF_IPV6) == (i % 3 == 2);
	}
	tap_eq(same, 12, "pcap frames replay byte for byte, in file order, cyclically");
	tap_eq(hashes, 12,
	       "... hashed over their own tuples: UDP/IPv4 L4, ARP none (hash 0), UDP/IPv6 L4 with EVS_EF_IPV6");
	evs_gen_free(&g);
}

int main(void)
{
	test_pacer();
	test_zipf();
	test_mix();
	test_events();
	test_configured_frames();
	test_flow_seq_kept();
	test_fault_event();
	test_seed();
	test_pcap_replay();
	return tap_done();
}
