/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The traffic generator: which flow and which event code come next
 * (uniform or Zipf flow popularity, weighted code mix), and the event
 * that results: a UDP frame of the flow with its EVSP header, hashed
 * with the loaded steering configuration; or the next frame of a
 * pcap file.
 */
#ifndef _EVSTEER_DEVICE_GENERATOR_H
#define _EVSTEER_DEVICE_GENERATOR_H

#include <evsteer/producer.h>
#include "pcap_flows.h"

/* EVSP sequence number of injected frames: they use no flow's own. */
#define EVS_GEN_FAULT_SEQ	(~0ull)

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
 * @addrs:     MACs, addresses and port of the synthetic frames
 * @frame_min: shortest synthetic frame
 * @frame_max: longest synthetic frame
 * @flow_seq:  next EVSP sequence number of each flow
 * @flow_seq_len: entries in @flow_seq; it only grows, so a flow that
 *             comes back after "flows" shrank continues its sequence
 * @pcap:      frames from a pcap file, or NULL for synthetic ones
 * @pcap_pos:  next frame of @pcap to replay
 * @frame:     the frame of the last event; EVS_BUF_SIZE_MAX bytes, so
 *             the producer may copy a whole buffer from it
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
	struct evs_frame_addrs addrs;
	u32 frame_min;
	u32 frame_max;
	u64 *flow_seq;
	u32 flow_seq_len;
	const struct evs_pcap *pcap;
	u32 pcap_pos;
	u8 frame[EVS_BUF_SIZE_MAX];
};

int evs_gen_init(struct evs_generator *g, u32 seed, bool ipv6,
		 const struct evs_frame_addrs *addrs,
		 const struct evs_pcap *pcap);
int evs_gen_set_flows(struct evs_generator *g, u32 num_flows, double skew);
void evs_gen_set_mix(struct evs_generator *g, const u32 mix[EVS_NUM_CODES]);
int evs_gen_set_frame_len(struct evs_generator *g, u32 min, u32 max);
u32 evs_gen_pick_flow(struct evs_generator *g);
u32 evs_gen_pick_code(struct evs_generator *g);
void evs_gen_flow_tuple(const struct evs_generator *g, u32 flow,
			struct evs_flow_tuple *t);
void evs_gen_event(struct evs_generator *g, const struct evs_steer *s,
		   u64 now_ns, struct evs_event *ev);
void evs_gen_fault_event(struct evs_generator *g, const struct evs_steer *s,
			 u64 now_ns, struct evs_event *ev);
void evs_gen_free(struct evs_generator *g);

#endif /* _EVSTEER_DEVICE_GENERATOR_H */
