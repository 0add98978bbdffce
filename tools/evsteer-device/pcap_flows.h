/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Frames from a pcap file, replayed by the generator in file order:
 * the captured bytes themselves (with an Ethernet header made up for
 * captures that have none), where their network and transport headers
 * start, and what the device hashes them over.
 */
#ifndef _EVSTEER_DEVICE_PCAP_FLOWS_H
#define _EVSTEER_DEVICE_PCAP_FLOWS_H

#include <stdio.h>
#include <evsteer/producer.h>

#define EVS_PCAP_MAX_PACKETS	(1u << 20)
#define EVS_PCAP_MAX_BYTES	(256ull << 20)	/* all frames together */

/**
 * struct evs_pcap_pkt - one replayable frame
 * @off:       its first byte in evs_pcap.data
 * @len:       bytes, Ethernet header included
 * @l3_off:    IPv4 or IPv6 header, from the frame's start (0: not IP)
 * @l4_off:    TCP, UDP or ICMPv6 header, 0 if the frame has none
 * @l4_proto:  IP protocol of the header at @l4_off
 * @hash_type: enum evs_hash_type the device hashes the frame with
 */
struct evs_pcap_pkt {
	u32 off;
	u16 len;
	u16 l3_off;
	u16 l4_off;
	u8 l4_proto;
	u8 hash_type;
};

/**
 * struct evs_pcap_opts - how a capture is loaded
 * @max_len:   longest frame kept: the receive buffer size
 * @max_bytes: all kept frames together, at most
 * @rewrite:   send each IP frame to @addrs (--pcap-rewrite)
 * @addrs:     dst_mac (the NIC) and src_mac (the peer) of made-up
 *             Ethernet headers; with @rewrite, also the new destination
 *             MAC, dst_ip4 and dst_ip6
 */
struct evs_pcap_opts {
	u32 max_len;
	u64 max_bytes;
	bool rewrite;
	const struct evs_frame_addrs *addrs;
};

/**
 * struct evs_pcap - the frames of a capture
 * @data:          every kept frame, back to back
 * @data_len:      bytes used in @data
 * @data_cap:      bytes allocated for @data
 * @pkts:          the frames, in file order
 * @num_pkts:      entries in @pkts
 * @skipped:       packets not kept, all reasons together
 * @skipped_short: captured shorter than on the wire, or under 14 bytes
 * @skipped_big:   longer than opts.max_len
 * @skipped_mem:   over opts.max_bytes or EVS_PCAP_MAX_PACKETS
 * @skipped_link:  no IP version or ethertype to build a header from
 * @rewritten:     IP frames rewritten by --pcap-rewrite
 */
struct evs_pcap {
	u8 *data;
	u64 data_len;
	u64 data_cap;
	struct evs_pcap_pkt *pkts;
	u32 num_pkts;
	u32 skipped;
	u32 skipped_short;
	u32 skipped_big;
	u32 skipped_mem;
	u32 skipped_link;
	u32 rewritten;
};

int evs_pcap_load(struct evs_pcap *pc, const char *path,
		  const struct evs_pcap_opts *o, FILE *err);
void evs_pcap_free(struct evs_pcap *pc);
void evs_pcap_classify(const u8 *frame, u32 len, struct evs_pcap_pkt *pk);
void evs_pcap_rewrite(u8 *frame, const struct evs_pcap_pkt *pk,
		      const struct evs_frame_addrs *a);

/**
 * evs_pcap_tuple() - what the device hashes a frame over
 * @frame: the frame
 * @pk:    its classification
 * @t:     source and destination address, then the ports for L4, in
 *         network order; length 0 for EVS_HASH_NONE
 *
 * Return: @pk->hash_type.
 */
static inline u32 evs_pcap_tuple(const u8 *frame,
				 const struct evs_pcap_pkt *pk,
				 struct evs_flow_tuple *t)
{
	bool v6 = pk->hash_type == EVS_HASH_IPV6 ||
		  pk->hash_type == EVS_HASH_IPV6_L4;
	u32 addr = v6 ? 16 : 4;
	const u8 *src = frame + pk->l3_off + (v6 ? 8 : 12);

	memset(t, 0, sizeof(*t));
	if (pk->hash_type == EVS_HASH_NONE)
		return EVS_HASH_NONE;
	memcpy(t->b, src, 2 * addr);
	t->len = 2 * addr;
	if (evs_hash_type_is_l4(pk->hash_type)) {
		memcpy(t->b + 2 * addr, frame + pk->l4_off, 4);
		t->len += 4;
	}
	return pk->hash_type;
}

/**
 * evs_pcap_event_hash() - hash a classified frame as the device steers it
 * @s:     loaded steering configuration (its key)
 * @frame: the frame
 * @pk:    its classification (evs_pcap_classify())
 * @ev:    hash_type, hash (0 for EVS_HASH_NONE) and EVS_EF_IPV6 set
 */
static inline void evs_pcap_event_hash(const struct evs_steer *s,
				       const u8 *frame,
				       const struct evs_pcap_pkt *pk,
				       struct evs_event *ev)
{
	struct evs_flow_tuple t;

	ev->hash_type = evs_pcap_tuple(frame, pk, &t);
	ev->hash = ev->hash_type != EVS_HASH_NONE ?
		   evs_toeplitz_hash(&s->tz, t.b, t.len) : 0;
	if (ev->hash_type == EVS_HASH_IPV6 || ev->hash_type == EVS_HASH_IPV6_L4)
		ev->flags |= EVS_EF_IPV6;
}

static inline const u8 *evs_pcap_frame(const struct evs_pcap *pc, u32 i)
{
	return pc->data + pc->pkts[i].off;
}

#endif /* _EVSTEER_DEVICE_PCAP_FLOWS_H */
