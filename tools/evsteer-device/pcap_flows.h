/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Flow tuples taken from a pcap file: the distinct TCP/UDP flows, and
 * the order in which the file's packets used them.
 */
#ifndef _EVSTEER_DEVICE_PCAP_FLOWS_H
#define _EVSTEER_DEVICE_PCAP_FLOWS_H

#include <stdio.h>
#include <evsteer/producer.h>

#define EVS_PCAP_MAX_FLOWS	65536
#define EVS_PCAP_MAX_PACKETS	(1u << 20)

/**
 * struct evs_pcap_flows - what a pcap file contributes to the generator
 * @tuples:    distinct flow tuples, flow id = index, first seen first
 * @num_flows: entries in @tuples
 * @order:     flow id of every usable packet, in file order
 * @num_order: entries in @order
 * @skipped:   packets that were not IPv4/IPv6 TCP/UDP, or truncated
 */
struct evs_pcap_flows {
	struct evs_flow_tuple *tuples;
	u32 num_flows;
	u32 *order;
	u32 num_order;
	u32 skipped;
};

int evs_pcap_flows_load(struct evs_pcap_flows *pf, const char *path,
			FILE *err);
int evs_pcap_flows_parse(const u8 *pkt, u32 caplen, int linktype,
			 struct evs_flow_tuple *t);
void evs_pcap_flows_free(struct evs_pcap_flows *pf);

#endif /* _EVSTEER_DEVICE_PCAP_FLOWS_H */
