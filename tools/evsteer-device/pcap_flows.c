// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Flow tuples from a pcap file.  Packets are untrusted input: every
 * header is bounds-checked against the captured length, and whatever
 * is not a complete IPv4/IPv6 TCP/UDP header is skipped and counted.
 */
#include <pcap/pcap.h>
#include <stdlib.h>

#include "pcap_flows.h"

#define EVS_ETH_P_IPV4		0x0800
#define EVS_ETH_P_IPV6		0x86dd
#define EVS_ETH_P_8021Q		0x8100
#define EVS_ETH_P_8021AD	0x88a8
#define EVS_IPPROTO_TCP		6
#define EVS_IPPROTO_UDP		17
#define EVS_IPV6_MAX_EXT	8	/* extension headers walked, at most */

/* Open-addressing index of the distinct tuples: twice the flow limit. */
#define EVS_PCAP_INDEX_SIZE	(2 * EVS_PCAP_MAX_FLOWS)
#define EVS_PCAP_NO_FLOW	UINT32_MAX

static u16 evs_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

/* Copy addresses and ports into the tuple in RSS order. */
static void evs_tuple_fill(struct evs_flow_tuple *t, const u8 *src,
			   const u8 *dst, unsigned int addr_len,
			   const u8 *ports)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->b, src, addr_len);
	memcpy(t->b + addr_len, dst, addr_len);
	memcpy(t->b + 2 * addr_len, ports, 4);
	t->len = 2 * addr_len + 4;
}

static int evs_parse_ipv4(const u8 *p, u32 len, struct evs_flow_tuple *t)
{
	u32 ihl;

	if (len < 20 || p[0] >> 4 != 4)
		return -1;
	ihl = (p[0] & 0x0f) * 4;
	/* later fragments carry no ports */
	if (ihl < 20 || evs_be16(p + 6) & 0x1fff)
		return -1;
	if (p[9] != EVS_IPPROTO_TCP && p[9] != EVS_IPPROTO_UDP)
		return -1;
	if (len < ihl + 4)
		return -1;
	evs_tuple_fill(t, p + 12, p + 16, 4, p + ihl);
	return 0;
}

static int evs_parse_ipv6(const u8 *p, u32 len, struct evs_flow_tuple *t)
{
	u32 off = 40, hops;
	u8 next;

	if (len < 40 || p[0] >> 4 != 6)
		return -1;
	next = p[6];
	for (hops = 0; hops < EVS_IPV6_MAX_EXT; hops++) {
		if (next == EVS_IPPROTO_TCP || next == EVS_IPPROTO_UDP)
			break;
		if (len < off + 8)
			return -1;
		if (next == 44) {		/* fragment */
			if (evs_be16(p + off + 2) & 0xfff8)
				return -1;
			next = p[off];
			off += 8;
		} else if (next == 0 || next == 43 || next == 60) {
			next = p[off];
			off += (p[off + 1] + 1) * 8;
		} else {
			return -1;
		}
	}
	if ((next != EVS_IPPROTO_TCP && next != EVS_IPPROTO_UDP) ||
	    len < off + 4)
		return -1;
	evs_tuple_fill(t, p + 8, p + 24, 16, p + off);
	return 0;
}

/* Find the network header: its offset and ethertype. */
static int evs_parse_l2(const u8 *p, u32 len, int linktype, u32 *off,
			u16 *proto)
{
	unsigned int tags = 0;

	switch (linktype) {
	case DLT_EN10MB:
		if (len < 14)
			return -1;
		*proto = evs_be16(p + 12);
		*off = 14;
		/* up to two VLAN tags (QinQ) */
		while ((*proto == EVS_ETH_P_8021Q ||
			*proto == EVS_ETH_P_8021AD) && tags++ < 2) {
			if (len < *off + 4)
				return -1;
			*proto = evs_be16(p + *off + 2);
			*off += 4;
		}
		return 0;
	case DLT_LINUX_SLL:
		if (len < 16)
			return -1;
		*proto = evs_be16(p + 14);
		*off = 16;
		return 0;
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		if (len < 1)
			return -1;
		*proto = p[0] >> 4 == 6 ? EVS_ETH_P_IPV6 : EVS_ETH_P_IPV4;
		*off = 0;
		return 0;
	}
	return -1;
}

/**
 * evs_pcap_flows_parse() - the flow tuple of one captured packet
 * @pkt:      captured bytes
 * @caplen:   how many bytes were captured
 * @linktype: DLT_* of the capture
 * @t:        filled in
 *
 * Return: 0, or -1 if the packet is not a complete TCP/UDP header over
 * IPv4 or IPv6 (first fragments included, later fragments not).
 */
int evs_pcap_flows_parse(const u8 *pkt, u32 caplen, int linktype,
			 struct evs_flow_tuple *t)
{
	u32 off;
	u16 proto;

	if (evs_parse_l2(pkt, caplen, linktype, &off, &proto))
		return -1;
	if (proto == EVS_ETH_P_IPV4)
		return evs_parse_ipv4(pkt + off, caplen - off, t);
	if (proto == EVS_ETH_P_IPV6)
		return evs_parse_ipv6(pkt + off, caplen - off, t);
	return -1;
}

static u32 evs_tuple_hash(const struct evs_flow_tuple *t)
{
	u32 h = 2166136261u;	/* FNV-1a */
	unsigned int i;

	for (i = 0; i < t->len; i++)
		h = (h ^ t->b[i]) * 16777619u;
	return h;
}

/* The flow id of @t, adding it if new; EVS_PCAP_NO_FLOW when full. */
static u32 evs_pcap_flow_id(struct evs_pcap_flows *pf, u32 *index,
			    const struct evs_flow_tuple *t)
{
	u32 slot = evs_tuple_hash(t) & (EVS_PCAP_INDEX_SIZE - 1);

	for (;; slot = (slot + 1) & (EVS_PCAP_INDEX_SIZE - 1)) {
		u32 id = index[slot];

		if (id == EVS_PCAP_NO_FLOW)
			break;
		if (pf->tuples[id].len == t->len &&
		    !memcmp(pf->tuples[id].b, t->b, t->len))
			return id;
	}
	if (pf->num_flows == EVS_PCAP_MAX_FLOWS)
		return EVS_PCAP_NO_FLOW;
	pf->tuples[pf->num_flows] = *t;
	index[slot] = pf->num_flows;
	return pf->num_flows++;
}

static int evs_pcap_flows_read(struct evs_pcap_flows *pf, pcap_t *pc,
			       u32 *index, FILE *err)
{
	int linktype = pcap_datalink(pc);
	struct pcap_pkthdr *h;
	const u_char *pkt;
	int ret;

	while ((ret = pcap_next_ex(pc, &h, &pkt)) == 1) {
		struct evs_flow_tuple t;
		u32 id;

		if (pf->num_order == EVS_PCAP_MAX_PACKETS) {
			fprintf(err, "evsteer-device: pcap: using the first %u packets\n",
				EVS_PCAP_MAX_PACKETS);
			return 0;
		}
		if (evs_pcap_flows_parse(pkt, h->caplen, linktype, &t)) {
			pf->skipped++;
			continue;
		}
		id = evs_pcap_flow_id(pf, index, &t);
		if (id == EVS_PCAP_NO_FLOW) {
			pf->skipped++;
			continue;
		}
		pf->order[pf->num_order++] = id;
	}
	if (ret == PCAP_ERROR) {
		fprintf(err, "evsteer-device: pcap: %s\n", pcap_geterr(pc));
		return -1;
	}
	return 0;
}

static bool evs_linktype_supported(int linktype)
{
	return linktype == DLT_EN10MB || linktype == DLT_LINUX_SLL ||
	       linktype == DLT_RAW || linktype == DLT_IPV4 ||
	       linktype == DLT_IPV6;
}

/**
 * evs_pcap_flows_load() - read the flows of a pcap file
 * @pf:   filled in; free with evs_pcap_flows_free()
 * @path: the file
 * @err:  where problems are reported
 *
 * Return: 0, or -1 if the file cannot be read, has an unsupported link
 * type, or holds no usable packet.
 */
int evs_pcap_flows_load(struct evs_pcap_flows *pf, const char *path,
			FILE *err)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	u32 *index = NULL;
	pcap_t *pc;

	memset(pf, 0, sizeof(*pf));
	pc = pcap_open_offline(path, errbuf);
	if (!pc) {
		fprintf(err, "evsteer-device: pcap: %s\n", errbuf);
		return -1;
	}
	if (!evs_linktype_supported(pcap_datalink(pc))) {
		fprintf(err, "evsteer-device: pcap: %s: unsupported link type %s\n",
			path, pcap_datalink_val_to_name(pcap_datalink(pc)));
		goto close_pcap;
	}
	pf->tuples = calloc(EVS_PCAP_MAX_FLOWS, sizeof(*pf->tuples));
	pf->order = calloc(EVS_PCAP_MAX_PACKETS, sizeof(*pf->order));
	index = malloc(EVS_PCAP_INDEX_SIZE * sizeof(*index));
	if (!pf->tuples || !pf->order || !index) {
		fprintf(err, "evsteer-device: pcap: out of memory\n");
		goto free_tables;
	}
	memset(index, 0xff, EVS_PCAP_INDEX_SIZE * sizeof(*index));
	if (evs_pcap_flows_read(pf, pc, index, err))
		goto free_tables;
	if (!pf->num_order) {
		fprintf(err, "evsteer-device: pcap: %s: no IPv4/IPv6 TCP/UDP packets\n",
			path);
		goto free_tables;
	}
	free(index);
	pcap_close(pc);
	return 0;

free_tables:
	free(index);
	evs_pcap_flows_free(pf);
close_pcap:
	pcap_close(pc);
	return -1;
}

void evs_pcap_flows_free(struct evs_pcap_flows *pf)
{
	free(pf->tuples);
	free(pf->order);
	pf->tuples = NULL;
	pf->order = NULL;
	pf->num_flows = 0;
	pf->num_order = 0;
}
