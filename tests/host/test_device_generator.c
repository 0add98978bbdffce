// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evsteer-device generator and pacer: exact pacing arithmetic, the
 * catch-up limit, Zipf and uniform flow popularity, the event-code
 * mix, the events themselves, and reproducibility from the seed.
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

	evs_gen_init(&g, 1, false, NULL);
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

	evs_gen_init(&g, 3, false, NULL);
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

static void test_events(void)
{
	static const u32 mix[EVS_NUM_CODES] = { 1, 1, 1, 1 };
	static struct evs_steer s;
	struct evs_generator g;
	struct evs_config cfg;
	struct evs_event ev;
	u32 i, bad = 0, nodata = 0, v6 = 0;

	evs_config_default(&cfg, 4, evs_default_key(), EVS_MAP_PROC_CODE);
	evs_steer_load(&s, &cfg, 5, 5);
	evs_gen_init(&g, 9, true, NULL);
	evs_gen_set_flows(&g, 32, 0.5);
	evs_gen_set_mix(&g, mix);
	g.cost_ns = 77;
	for (i = 0; i < 2000; i++) {
		struct evs_flow_tuple t;

		evs_gen_event(&g, &s, 1234, &ev);
		bad += ev.cost_ns != 77 || ev.tstamp_ns != 1234;
		if (!evs_code_has_data(ev.code)) {
			nodata++;
			bad += ev.flags != EVS_EF_NODATA || ev.hash ||
			       ev.flow_id || ev.len;
			continue;
		}
		evs_flow_tuple_make(ev.flow_id, 9, true, &t);
		v6 += ev.flags == EVS_EF_IPV6;
		bad += ev.flow_id >= 32 || ev.len < EVS_GEN_LEN_MIN ||
		       ev.len > EVS_GEN_LEN_MAX ||
		       ev.hash != evs_toeplitz_ref(evs_default_key(), t.b, t.len);
	}
	tap_eq(bad, 0, "2000 events: hash = reference Toeplitz of the flow's tuple, fields in range");
	tap_ok(nodata > 800 && nodata < 1200, "half are without data (%u)",
	       nodata);
	tap_eq(v6, 2000 - nodata, "IPv6 generator: data events carry EVS_EF_IPV6");
	evs_gen_free(&g);
}

static void test_seed(void)
{
	struct evs_generator a, b, c;
	u32 i, same_ab = 0, same_ac = 0;

	evs_gen_init(&a, 5, false, NULL);
	evs_gen_init(&b, 5, false, NULL);
	evs_gen_init(&c, 6, false, NULL);
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
}

static void test_pcap_replay(void)
{
	static struct evs_flow_tuple tuples[3];
	static u32 order[] = { 2, 0, 0, 1 };
	struct evs_pcap_flows pf = {
		.tuples = tuples, .num_flows = 3,
		.order = order, .num_order = 4,
	};
	struct evs_generator g;
	u32 i, ok = 0;

	evs_gen_init(&g, 1, false, &pf);
	for (i = 0; i < 12; i++)
		ok += evs_gen_pick_flow(&g) == order[i % 4];
	tap_eq(ok, 12, "pcap flows replay in packet order, cyclically");
}

int main(void)
{
	test_pacer();
	test_zipf();
	test_mix();
	test_events();
	test_seed();
	test_pcap_replay();
	return tap_done();
}
