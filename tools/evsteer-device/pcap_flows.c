// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Pcap replay: the frames of a capture file, kept compactly in one
 * arena and replayed byte for byte.  Packets are untrusted input:
 * every header is bounds-checked against the frame's length before it
 * is read, and a frame that cannot be sent as it was captured (cut
 * short by the snap length, bigger than a receive buffer, over the
 * memory cap) is skipped and counted rather than sent half-made.
 */
#include <pcap/pcap.h>
#include <stdlib.h>

#include "pcap_flows.h"

#define EVS_ETH_P_8021Q		0x8100
#define EVS_ETH_P_8021AD	0x88a8
#define EVS_ETH_P_MIN		0x0600	/* below: an 802.3 length */
#define EVS_IPPROTO_HOPOPTS	0
#define EVS_IPPROTO_TCP		6
#define EVS_IPPROTO_ROUTING	43
#define EVS_IPPROTO_FRAGMENT	44
#define EVS_IPPROTO_ICMPV6	58
#define EVS_IPPROTO_DSTOPTS	60
#define EVS_IPV6_MAX_EXT	8	/* extension headers walked, at most */
#define EVS_SLL_HLEN		16
#define EVS_SLL2_HLEN		20
#define EVS_PCAP_ARENA_MIN	(1u << 20)

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2		276
#endif

/* ---- what a frame is ---------------------------------------------- */

/* The transport header at @l4 with protocol @proto, if its ports are in. */
static void evs_classify_l4(struct evs_pcap_pkt *pk, u32 len, u32 l4,
			    u8 proto, bool frag, u32 l4_type)
{
	bool ports = proto == EVS_IPPROTO_TCP || proto == EVS_IPPROTO_UDP;

	if (l4 > 0xffff || (!ports && proto != EVS_IPPROTO_ICMPV6))
		return;
	if (len >= l4 + 4) {
		pk->l4_off = l4;
		pk->l4_proto = proto;
	}
	/* fragments hash on addresses only, so all of them go one way */
	if (ports && !frag && pk->l4_off)
		pk->hash_type = l4_type;
}

static void evs_classify_ipv4(const u8 *p, u32 len, u32 l3,
			      struct evs_pcap_pkt *pk)
{
	const u8 *ip = p + l3;
	u32 ihl, frag;

	if (len < l3 + EVS_IPV4_HLEN || ip[0] >> 4 != 4)
		return;
	ihl = (ip[0] & 0x0f) * 4;
	if (ihl < EVS_IPV4_HLEN)
		return;
	pk->l3_off = l3;
	pk->hash_type = EVS_HASH_IPV4;
	frag = evs_get_be16(ip + 6) & 0x3fff;	/* MF and offset */
	/* only the first fragment has a transport header */
	if (!(frag & 0x1fff))
		evs_classify_l4(pk, len, l3 + ihl, ip[9], frag,
				EVS_HASH_IPV4_L4);
}

static void evs_classify_ipv6(const u8 *p, u32 len, u32 l3,
			      struct evs_pcap_pkt *pk)
{
	u32 off = l3 + EVS_IPV6_HLEN, hops;
	bool frag = false;
	u8 next;

	if (len < off || p[l3] >> 4 != 6)
		return;
	pk->l3_off = l3;
	pk->hash_type = EVS_HASH_IPV6;
	next = p[l3 + 6];
	for (hops = 0; hops < EVS_IPV6_MAX_EXT; hops++) {
		if (next != EVS_IPPROTO_HOPOPTS &&
		    next != EVS_IPPROTO_ROUTING &&
		    next != EVS_IPPROTO_FRAGMENT &&
		    next != EVS_IPPROTO_DSTOPTS)
			break;
		if (len < off + 8)
			return;
		if (next == EVS_IPPROTO_FRAGMENT) {
			/* a later fragment has no transport header */
			if (evs_get_be16(p + off + 2) & 0xfff8)
				return;
			frag = true;
			next = p[off];
			off += 8;
		} else {
			next = p[off];
			off += (p[off + 1] + 1) * 8;
		}
	}
	evs_classify_l4(pk, len, off, next, frag, EVS_HASH_IPV6_L4);
}

/**
 * evs_pcap_classify() - find the headers of an Ethernet frame
 * @frame: the frame, Ethernet header first
 * @len:   its length
 * @pk:    l3_off, l4_off, l4_proto and hash_type filled in
 *
 * Up to two VLAN tags are skipped.  TCP and UDP with both ports in the
 * frame hash on addresses and ports (L4); other IP frames, fragments
 * included, on their addresses (L3); anything else is not hashed.
 */
void evs_pcap_classify(const u8 *frame, u32 len, struct evs_pcap_pkt *pk)
{
	u32 off = EVS_ETH_HLEN, tags = 0;
	u16 type;

	pk->l3_off = 0;
	pk->l4_off = 0;
	pk->l4_proto = 0;
	pk->hash_type = EVS_HASH_NONE;
	if (len < EVS_ETH_HLEN)
		return;
	type = evs_get_be16(frame + 12);
	while ((type == EVS_ETH_P_8021Q || type == EVS_ETH_P_8021AD) &&
	       tags++ < 2) {
		if (len < off + 4)
			return;
		type = evs_get_be16(frame + off + 2);
		off += 4;
	}
	if (type == EVS_ETHERTYPE_IPV4)
		evs_classify_ipv4(frame, len, off, pk);
	else if (type == EVS_ETHERTYPE_IPV6)
		evs_classify_ipv6(frame, len, off, pk);
}

/* ---- --pcap-rewrite ------------------------------------------------- */

/*
 * RFC 1624, eqn. 3: HC' = ~(~HC + ~m + m') for each 16-bit word m of
 * the checksummed data that changes to m'.
 */
static void evs_csum_replace(u8 *csum, const u8 *old, const u8 *new,
			     u32 len, bool udp)
{
	u32 sum = ~evs_get_be16(csum) & 0xffff, i;
	u16 c;

	for (i = 0; i < len; i += 2) {
		sum += ~evs_get_be16(old + i) & 0xffff;
		sum += evs_get_be16(new + i);
	}
	c = evs_csum_fold(sum);
	/* in UDP, 0 means "no checksum": a computed 0 is sent as 0xffff */
	evs_put_be16(csum, udp && !c ? 0xffff : c);
}

/* Where the transport checksum is, if the pseudo-header is in it. */
static u8 *evs_l4_csum(u8 *frame, const struct evs_pcap_pkt *pk, bool v6)
{
	u32 at;

	if (!pk->l4_off)
		return NULL;
	if (pk->l4_proto == EVS_IPPROTO_TCP)
		at = 16;
	else if (pk->l4_proto == EVS_IPPROTO_UDP)
		at = 6;
	else if (pk->l4_proto == EVS_IPPROTO_ICMPV6 && v6)
		at = 2;
	else
		return NULL;
	if (pk->len < pk->l4_off + at + 2)
		return NULL;
	return frame + pk->l4_off + at;
}

/**
 * evs_pcap_rewrite() - send a captured frame to this NIC
 * @frame: the frame, changed in place
 * @pk:    its classification
 * @a:     dst_mac, dst_ip4 and dst_ip6 to write
 *
 * The destination MAC of every frame, and the destination address of
 * IP frames, with the IPv4 header checksum and the TCP, UDP or ICMPv6
 * checksum (whose pseudo-header holds the address) updated
 * incrementally.  A UDP checksum of 0 over IPv4 ("none") stays 0.
 */
void evs_pcap_rewrite(u8 *frame, const struct evs_pcap_pkt *pk,
		      const struct evs_frame_addrs *a)
{
	bool v6 = pk->hash_type == EVS_HASH_IPV6 ||
		  pk->hash_type == EVS_HASH_IPV6_L4;
	u8 *ip = frame + pk->l3_off, *dst, *l4;
	const u8 *new = v6 ? a->dst_ip6 : a->dst_ip4;
	u32 addr = v6 ? 16 : 4;

	memcpy(frame, a->dst_mac, EVS_ETH_ALEN);
	if (pk->hash_type == EVS_HASH_NONE)
		return;
	dst = ip + (v6 ? 24 : 16);
	l4 = evs_l4_csum(frame, pk, v6);
	if (l4 && !(pk->l4_proto == EVS_IPPROTO_UDP && !v6 &&
		    !evs_get_be16(l4)))
		evs_csum_replace(l4, dst, new, addr,
				 pk->l4_proto == EVS_IPPROTO_UDP);
	if (!v6)
		evs_csum_replace(ip + 10, dst, new, addr, false);
	memcpy(dst, new, addr);
}

/* ---- loading -------------------------------------------------------- */

/* Room for @len more bytes in the arena, within the memory cap. */
static u8 *evs_pcap_reserve(struct evs_pcap *pc, u32 len, u64 max_bytes)
{
	u64 cap = pc->data_cap ? pc->data_cap : EVS_PCAP_ARENA_MIN;
	u8 *data;

	if (pc->data_len + len > max_bytes ||
	    pc->num_pkts == EVS_PCAP_MAX_PACKETS)
		return NULL;
	while (cap < pc->data_len + len)
		cap *= 2;
	if (cap > max_bytes)
		cap = max_bytes;
	if (cap != pc->data_cap) {
		data = realloc(pc->data, cap);
		if (!data)
			return NULL;
		pc->data = data;
		pc->data_cap = cap;
	}
	return pc->data + pc->data_len;
}

/*
 * The ethertype of a packet captured without an Ethernet header, and
 * where its network header starts; 0 if there is nothing to go by.
 */
static u16 evs_pcap_ethertype(int linktype, const u8 *p, u32 len, u32 *hdr)
{
	u16 type = 0;

	switch (linktype) {
	case DLT_LINUX_SLL:
		*hdr = EVS_SLL_HLEN;
		type = len >= EVS_SLL_HLEN ? evs_get_be16(p + 14) : 0;
		break;
	case DLT_LINUX_SLL2:
		*hdr = EVS_SLL2_HLEN;
		type = len >= EVS_SLL2_HLEN ? evs_get_be16(p) : 0;
		break;
	default:	/* raw IP: the version says which */
		*hdr = 0;
		if (len && p[0] >> 4 == 4)
			type = EVS_ETHERTYPE_IPV4;
		else if (len && p[0] >> 4 == 6)
			type = EVS_ETHERTYPE_IPV6;
		break;
	}
	return type >= EVS_ETH_P_MIN ? type : 0;
}

static bool evs_linktype_supported(int linktype)
{
	return linktype == DLT_EN10MB || linktype == DLT_LINUX_SLL ||
	       linktype == DLT_LINUX_SLL2 || linktype == DLT_RAW ||
	       linktype == DLT_IPV4 || linktype == DLT_IPV6;
}

/*
 * Why a packet cannot become a frame: the counter to bump, or NULL.
 * Sets @hdr to the capture's own header, which is dropped, and @type
 * to the ethertype of the Ethernet header to make up (0: it has one).
 */
static u32 *evs_pcap_skip_reason(struct evs_pcap *pc, int linktype,
				 const u8 *p, u32 caplen, u32 *hdr, u16 *type)
{
	*hdr = 0;
	*type = 0;
	if (linktype != DLT_EN10MB) {
		*type = evs_pcap_ethertype(linktype, p, caplen, hdr);
		if (caplen < *hdr)
			return &pc->skipped_short;
		if (!*type)
			return &pc->skipped_link;
	}
	if (caplen - *hdr + (*type ? EVS_ETH_HLEN : 0) < EVS_ETH_HLEN)
		return &pc->skipped_short;
	return NULL;
}

/* Keep one captured packet as an Ethernet frame, or count why not. */
static void evs_pcap_add(struct evs_pcap *pc, const struct evs_pcap_opts *o,
			 int linktype, const struct pcap_pkthdr *h,
			 const u8 *p)
{
	struct evs_pcap_pkt *pk = &pc->pkts[pc->num_pkts];
	u32 *why, hdr, len;
	u16 type;
	u8 *f;

	why = h->caplen < h->len ? &pc->skipped_short :
	      evs_pcap_skip_reason(pc, linktype, p, h->caplen, &hdr, &type);
	len = why ? 0 : h->caplen - hdr + (type ? EVS_ETH_HLEN : 0);
	if (!why && len > o->max_len)
		why = &pc->skipped_big;
	f = why ? NULL : evs_pcap_reserve(pc, len, o->max_bytes);
	if (!why && !f)
		why = &pc->skipped_mem;
	if (why) {
		(*why)++;
		pc->skipped++;
		return;
	}
	if (type) {
		memcpy(f, o->addrs->dst_mac, EVS_ETH_ALEN);
		memcpy(f + EVS_ETH_ALEN, o->addrs->src_mac, EVS_ETH_ALEN);
		evs_put_be16(f + 12, type);
		memcpy(f + EVS_ETH_HLEN, p + hdr, h->caplen - hdr);
	} else {
		memcpy(f, p, len);
	}
	pk->off = pc->data_len;
	pk->len = len;
	evs_pcap_classify(f, len, pk);
	if (o->rewrite) {
		evs_pcap_rewrite(f, pk, o->addrs);
		pc->rewritten += pk->hash_type != EVS_HASH_NONE;
	}
	pc->data_len += len;
	pc->num_pkts++;
}

static int evs_pcap_read(struct evs_pcap *pc, pcap_t *p,
			 const struct evs_pcap_opts *o, FILE *err)
{
	int linktype = pcap_datalink(p);
	struct pcap_pkthdr *h;
	const u_char *pkt;
	int ret;

	while ((ret = pcap_next_ex(p, &h, &pkt)) == 1)
		evs_pcap_add(pc, o, linktype, h, pkt);
	if (ret == PCAP_ERROR) {
		fprintf(err, "evsteer-device: pcap: %s\n", pcap_geterr(p));
		return -1;
	}
	return 0;
}

/**
 * evs_pcap_load() - read the frames of a pcap file
 * @pc:   filled in; free with evs_pcap_free()
 * @path: the file
 * @o:    limits, addresses, rewriting
 * @err:  where problems are reported
 *
 * Return: 0, or -1 if the file cannot be read, has an unsupported link
 * type, or holds no frame that can be replayed.
 */
int evs_pcap_load(struct evs_pcap *pc, const char *path,
		  const struct evs_pcap_opts *o, FILE *err)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p;

	memset(pc, 0, sizeof(*pc));
	p = pcap_open_offline(path, errbuf);
	if (!p) {
		fprintf(err, "evsteer-device: pcap: %s\n", errbuf);
		return -1;
	}
	if (!evs_linktype_supported(pcap_datalink(p))) {
		fprintf(err, "evsteer-device: pcap: %s: unsupported link type %s\n",
			path, pcap_datalink_val_to_name(pcap_datalink(p)));
		goto close_pcap;
	}
	/* zero-filled on demand by the kernel: a small file costs little */
	pc->pkts = calloc(EVS_PCAP_MAX_PACKETS, sizeof(*pc->pkts));
	if (!pc->pkts) {
		fprintf(err, "evsteer-device: pcap: out of memory\n");
		goto close_pcap;
	}
	if (evs_pcap_read(pc, p, o, err))
		goto free_pcap;
	if (!pc->num_pkts) {
		fprintf(err, "evsteer-device: pcap: %s: no frame to replay (%u skipped)\n",
			path, pc->skipped);
		goto free_pcap;
	}
	pcap_close(p);
	return 0;

free_pcap:
	evs_pcap_free(pc);
close_pcap:
	pcap_close(p);
	return -1;
}

void evs_pcap_free(struct evs_pcap *pc)
{
	free(pc->data);
	free(pc->pkts);
	pc->data = NULL;
	pc->pkts = NULL;
	pc->data_len = 0;
	pc->data_cap = 0;
	pc->num_pkts = 0;
}
