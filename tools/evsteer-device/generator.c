// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Traffic generator.  Everything random comes from one seeded
 * xorshift64* stream, so a seed reproduces the same traffic.
 */
#include <math.h>
#include <stdlib.h>

#include "generator.h"

/* splitmix64: turns any seed, 0 included, into a good nonzero state. */
static u64 evs_gen_seed_state(u32 seed)
{
	u64 z = seed + 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return z ? z : 1;
}

static u64 evs_gen_rand(struct evs_generator *g)
{
	u64 x = g->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	g->rng = x;
	return x * 0x2545f4914f6cdd1dull;
}

/* Uniform in [0, n); the multiply-shift bias is below 2^-32. */
static u32 evs_gen_below(struct evs_generator *g, u32 n)
{
	return (u32)(((evs_gen_rand(g) >> 32) * n) >> 32);
}

/* Uniform in [0, 1). */
static double evs_gen_unit(struct evs_generator *g)
{
	return (evs_gen_rand(g) >> 11) * 0x1.0p-53;
}

void evs_gen_init(struct evs_generator *g, u32 seed, bool ipv6,
		  const struct evs_pcap_flows *pcap)
{
	static const u32 data_only[EVS_NUM_CODES] = { [EVS_EV_DATA] = 1 };

	memset(g, 0, sizeof(*g));
	g->rng = evs_gen_seed_state(seed);
	g->seed = seed;
	g->ipv6 = ipv6;
	g->num_flows = 1;
	g->pcap = pcap;
	evs_gen_set_mix(g, data_only);
}

/**
 * evs_gen_set_flows() - set the number of flows and their popularity
 * @g:         generator
 * @num_flows: flows, at least 1
 * @skew:      Zipf exponent s; flow k is picked with weight 1/(k+1)^s
 *
 * For s > 0 the cumulative distribution is precomputed once so that a
 * pick is one binary search.  On allocation failure nothing changes.
 *
 * Return: 0 or -1.
 */
int evs_gen_set_flows(struct evs_generator *g, u32 num_flows, double skew)
{
	double *cdf = NULL, sum = 0;
	u32 k;

	if (!num_flows)
		return -1;
	if (skew > 0) {
		cdf = malloc(sizeof(*cdf) * num_flows);
		if (!cdf)
			return -1;
		for (k = 0; k < num_flows; k++) {
			sum += pow(k + 1.0, -skew);
			cdf[k] = sum;
		}
		for (k = 0; k < num_flows; k++)
			cdf[k] /= sum;
		cdf[num_flows - 1] = 1.0;
	}
	free(g->cdf);
	g->cdf = cdf;
	g->num_flows = num_flows;
	g->skew = skew;
	return 0;
}

/* @mix must have a nonzero sum; evs_parse_mix() guarantees that. */
void evs_gen_set_mix(struct evs_generator *g, const u32 mix[EVS_NUM_CODES])
{
	u32 sum = 0;
	unsigned int c;

	for (c = 0; c < EVS_NUM_CODES; c++) {
		sum += mix[c];
		g->mix_cum[c] = sum;
	}
}

u32 evs_gen_pick_flow(struct evs_generator *g)
{
	u32 lo = 0, hi;
	double u;

	if (g->pcap) {
		u32 flow = g->pcap->order[g->pcap_pos];

		if (++g->pcap_pos == g->pcap->num_order)
			g->pcap_pos = 0;
		return flow;
	}
	if (!g->cdf)
		return evs_gen_below(g, g->num_flows);
	/* the first flow whose cumulative share exceeds u */
	u = evs_gen_unit(g);
	hi = g->num_flows - 1;
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (g->cdf[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

u32 evs_gen_pick_code(struct evs_generator *g)
{
	u32 r = evs_gen_below(g, g->mix_cum[EVS_NUM_CODES - 1]);
	u32 c = 0;

	while (r >= g->mix_cum[c])
		c++;
	return c;
}

void evs_gen_flow_tuple(const struct evs_generator *g, u32 flow,
			struct evs_flow_tuple *t)
{
	if (g->pcap)
		*t = g->pcap->tuples[flow];
	else
		evs_flow_tuple_make(flow, g->seed, g->ipv6, t);
}

/**
 * evs_gen_event() - make the next event
 * @g:      generator
 * @s:      loaded steering configuration, whose key hashes the tuple
 * @now_ns: device time stamp
 * @ev:     filled in; events without data get EVS_EF_NODATA, no flow
 *          and no hash, and are steered to the default processor
 */
void evs_gen_event(struct evs_generator *g, const struct evs_steer *s,
		   u64 now_ns, struct evs_event *ev)
{
	struct evs_flow_tuple t;

	memset(ev, 0, sizeof(*ev));
	ev->code = evs_gen_pick_code(g);
	ev->cost_ns = g->cost_ns;
	ev->tstamp_ns = now_ns;
	if (!evs_code_has_data(ev->code)) {
		ev->flags = EVS_EF_NODATA;
		return;
	}
	ev->flow_id = evs_gen_pick_flow(g);
	evs_gen_flow_tuple(g, ev->flow_id, &t);
	ev->hash = evs_toeplitz_hash(&s->tz, t.b, t.len);
	ev->len = EVS_GEN_LEN_MIN +
		  evs_gen_below(g, EVS_GEN_LEN_MAX - EVS_GEN_LEN_MIN + 1);
	if (t.len == EVS_TUPLE_V6_PORTS)
		ev->flags = EVS_EF_IPV6;
}

void evs_gen_free(struct evs_generator *g)
{
	free(g->cdf);
	g->cdf = NULL;
}
