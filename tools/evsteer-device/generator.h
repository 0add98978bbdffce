/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The traffic generator: which flow and which event code come next
 * (uniform or Zipf flow popularity, weighted code mix), and the event
 * that results, hashed with the loaded steering configuration.
 */
#ifndef _EVSTEER_DEVICE_GENERATOR_H
#define _EVSTEER_DEVICE_GENERATOR_H

#include <evsteer/producer.h>
#include "pcap_flows.h"

#define EVS_GEN_LEN_MIN		64	/* payload bytes of data events */
#define EVS_GEN_LEN_MAX		1500

/**
 * struct evs_generator - generator state
 * @rng:       xorshift64* state, derived from the seed
 * @seed:      traffic seed, also the seed of the synthetic tuples
 * @ipv6:      synthetic tuples are IPv6
 * @num_flows: synthetic flows
 * @skew:      Zipf exponent, 0 = uniform
 * @cdf:       cumulative flow popularity when @skew > 0, else NULL
 * @mix_cum:   cumulative code weights
 * @cost_ns:   cost written into every entry
 * @pcap:      flows from a pcap file, or NULL for synthetic ones
 * @pcap_pos:  next packet of @pcap to replay
 */
struct evs_generator {
	u64 rng;
	u32 seed;
	bool ipv6;
	u32 num_flows;
	double skew;
	double *cdf;
	u32 mix_cum[EVS_NUM_CODES];
	u32 cost_ns;
	const struct evs_pcap_flows *pcap;
	u32 pcap_pos;
};

void evs_gen_init(struct evs_generator *g, u32 seed, bool ipv6,
		  const struct evs_pcap_flows *pcap);
int evs_gen_set_flows(struct evs_generator *g, u32 num_flows, double skew);
void evs_gen_set_mix(struct evs_generator *g, const u32 mix[EVS_NUM_CODES]);
u32 evs_gen_pick_flow(struct evs_generator *g);
u32 evs_gen_pick_code(struct evs_generator *g);
void evs_gen_flow_tuple(const struct evs_generator *g, u32 flow,
			struct evs_flow_tuple *t);
void evs_gen_event(struct evs_generator *g, const struct evs_steer *s,
		   u64 now_ns, struct evs_event *ev);
void evs_gen_free(struct evs_generator *g);

#endif /* _EVSTEER_DEVICE_GENERATOR_H */
