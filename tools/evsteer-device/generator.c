// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Traffic generator.  Everything random comes from one seeded
 * xorshift64* stream, so a seed reproduces the same traffic; every
 * data event is a real frame, built by evs_frame_build() from the same
 * tuple that evsteer-steer computes for the flow.
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

/**
 * evs_gen_init() - a generator of one flow, data events only
 * @g:     generator
 * @seed:  traffic seed
 * @ipv6:  synthetic frames are IPv6
 * @addrs: addresses of synthetic frames, NULL for the defaults
 * @pcap:  frames to replay instead, or NULL
 *
 * Frame lengths span evs_frame_min_len() .. EVS_FRAME_MAX.
 *
 * Return: 0, or -1 if out of memory.
 */
int evs_gen_init(struct evs_generator *g, u32 seed, bool ipv6,
		 const struct evs_frame_addrs *addrs,
		 const struct evs_pcap *pcap)
{
	static const u32 data_only[EVS_NUM_CODES] = { [EVS_EV_DATA] = 1 };

	memset(g, 0, sizeof(*g));
	g->rng = evs_gen_seed_state(seed);
	g->seed = seed;
	g->ipv6 = ipv6;
	g->pcap = pcap;
	if (addrs)
		g->addrs = *addrs;
	else
		evs_frame_addrs_default(&g->addrs);
	g->frame_min = evs_frame_min_len(ipv6);
	g->frame_max = EVS_FRAME_MAX;
	evs_gen_set_mix(g, data_only);
	return evs_gen_set_flows(g, 1, 0);
}

/* Make room for the sequence numbers of @num_flows flows. */
static int evs_gen_grow_seq(struct evs_generator *g, u32 num_flows)
{
	u64 *seq;

	if (num_flows <= g->flow_seq_len)
		return 0;
	seq = realloc(g->flow_seq, sizeof(*seq) * num_flows);
	if (!seq)
		return -1;
	memset(seq + g->flow_seq_len, 0,
	       sizeof(*seq) * (num_flows - g->flow_seq_len));
	g->flow_seq = seq;
	g->flow_seq_len = num_flows;
	return 0;
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

	if (!num_flows || evs_gen_grow_seq(g, num_flows))
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

/**
 * evs_gen_set_frame_len() - set the range of synthetic frame lengths
 * @g:   generator
 * @min: shortest, at least evs_frame_min_len() of the family
 * @max: longest, at most EVS_FRAME_MAX
 *
 * Return: 0, or -1 (nothing changed) if the range is invalid.
 */
int evs_gen_set_frame_len(struct evs_generator *g, u32 min, u32 max)
{
	if (min < evs_frame_min_len(g->ipv6) || max > EVS_FRAME_MAX ||
	    min > max)
		return -1;
	g->frame_min = min;
	g->frame_max = max;
	return 0;
}

u32 evs_gen_pick_flow(struct evs_generator *g)
{
	u32 lo = 0, hi;
	double u;

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

/* The tuple of synthetic flow @flow: the one evsteer-steer predicts. */
void evs_gen_flow_tuple(const struct evs_generator *g, u32 flow,
			struct evs_flow_tuple *t)
{
	evs_flow_tuple_make_at(&g->addrs, flow, g->seed, g->ipv6, t);
}

static u32 evs_gen_hash_type(bool ipv6)
{
	return ipv6 ? EVS_HASH_IPV6_L4 : EVS_HASH_IPV4_L4;
}

/* The next frame of the capture, hashed over its own tuple. */
static void evs_gen_pcap_event(struct evs_generator *g,
			       const struct evs_steer *s, struct evs_event *ev)
{
	const struct evs_pcap_pkt *pk = &g->pcap->pkts[g->pcap_pos];

	ev->flow_id = g->pcap_pos;
	if (++g->pcap_pos == g->pcap->num_pkts)
		g->pcap_pos = 0;
	ev->frame = g->pcap->data + pk->off;
	ev->len = pk->len;
	evs_pcap_event_hash(s, ev->frame, pk, ev);
}

/* Build flow @flow's frame number @seq into g->frame. */
static void evs_gen_frame(struct evs_generator *g, const struct evs_steer *s,
			  u32 flow, u32 len, u64 seq, struct evs_event *ev)
{
	struct evs_flow_tuple t;

	evs_gen_flow_tuple(g, flow, &t);
	ev->flow_id = flow;
	ev->hash = evs_toeplitz_hash(&s->tz, t.b, t.len);
	ev->hash_type = evs_gen_hash_type(g->ipv6);
	ev->len = evs_frame_build(g->frame, len, &g->addrs, &t, flow, seq,
				  ev->tstamp_ns);
	ev->frame = g->frame;
	if (g->ipv6)
		ev->flags = EVS_EF_IPV6;
}

/**
 * evs_gen_event() - make the next event
 * @g:      generator
 * @s:      loaded steering configuration, whose key hashes the tuple
 * @now_ns: device time stamp, in the entry and the EVSP header
 * @ev:     filled in; events without data get EVS_EF_NODATA, no frame
 *          and no hash, and are steered to the default processor
 *
 * A data event takes its flow's next sequence number here, before it
 * is produced: if the ring is full the frame is lost, and the receiver
 * sees the loss as a gap in the flow's sequence.  @ev->frame points
 * into @g (or the capture) until the next call.
 */
void evs_gen_event(struct evs_generator *g, const struct evs_steer *s,
		   u64 now_ns, struct evs_event *ev)
{
	u32 flow, len;

	memset(ev, 0, sizeof(*ev));
	ev->code = evs_gen_pick_code(g);
	ev->cost_ns = g->cost_ns;
	ev->tstamp_ns = now_ns;
	if (!evs_code_has_data(ev->code)) {
		ev->flags = EVS_EF_NODATA;
		return;
	}
	if (g->pcap) {
		evs_gen_pcap_event(g, s, ev);
		return;
	}
	flow = evs_gen_pick_flow(g);
	len = g->frame_min + evs_gen_below(g, g->frame_max - g->frame_min + 1);
	evs_gen_frame(g, s, flow, len, g->flow_seq[flow]++, ev);
}

/**
 * evs_gen_fault_event() - a valid data event of flow 0, to be spoiled
 * @g:      generator
 * @s:      loaded steering configuration
 * @now_ns: device time stamp
 * @ev:     a shortest synthetic frame of flow 0 (also with --pcap), the
 *          rest of g->frame zeroed; its EVSP sequence number is
 *          EVS_GEN_FAULT_SEQ, so it takes none of the flow's own
 */
void evs_gen_fault_event(struct evs_generator *g, const struct evs_steer *s,
			 u64 now_ns, struct evs_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	memset(g->frame, 0, sizeof(g->frame));
	ev->code = EVS_EV_DATA;
	ev->cost_ns = g->cost_ns;
	ev->tstamp_ns = now_ns;
	evs_gen_frame(g, s, 0, evs_frame_min_len(g->ipv6), EVS_GEN_FAULT_SEQ,
		      ev);
}

void evs_gen_free(struct evs_generator *g)
{
	free(g->cdf);
	free(g->flow_seq);
	g->cdf = NULL;
	g->flow_seq = NULL;
	g->flow_seq_len = 0;
}
