/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The frames the device sends: Ethernet + IPv4 or IPv6 + UDP, with
 * correct checksums, whose payload starts with the EVSP header (flow
 * id, per-flow sequence number, device timestamp) so that any receiver
 * can check order and loss.  Shared by the device (which builds them),
 * the host tests and the KUnit suites (which check them) and
 * evsteer-steer (which predicts where each flow goes).
 *
 * Synthetic flows use benchmark-range addresses (RFC 2544) that never
 * leave the test VM: flow f comes from 198.18.1.<1 + f % 254> (or
 * 2001:db8:1::<f + 1>) and a source port that varies with f, and goes
 * to 198.18.0.2 (2001:db8::2) port 9999.  struct evs_frame_addrs
 * holds all of it, so each part can be configured.
 */
#ifndef _EVSTEER_FRAME_H
#define _EVSTEER_FRAME_H

#include "compat.h"
#include "abi.h"
#include "toeplitz.h"

/* ---- the EVSP payload header --------------------------------------- */

#define EVS_EVSP_MAGIC		0x50535645u	/* "EVSP" in memory order */

/**
 * struct evs_evsp_hdr - first bytes of every generated UDP payload
 * @magic:     EVS_EVSP_MAGIC
 * @flow_id:   the generator's flow number
 * @seq:       per-flow sequence number, from 0; a frame the device had
 *             to drop still uses one, so a receiver sees it as a gap
 * @tstamp_ns: device time (host CLOCK_MONOTONIC) when it was made
 */
struct evs_evsp_hdr {
	__le32 magic;
	__le32 flow_id;
	__le64 seq;
	__le64 tstamp_ns;
};

static_assert(sizeof(struct evs_evsp_hdr) == 24);

#define EVS_ETH_HLEN		14
#define EVS_IPV4_HLEN		20
#define EVS_IPV6_HLEN		40
#define EVS_UDP_HLEN		8
#define EVS_ETHERTYPE_IPV4	0x0800
#define EVS_ETHERTYPE_IPV6	0x86dd
#define EVS_IPPROTO_UDP		17
#define EVS_FRAME_MAX		1514	/* generated frames: MTU 1500 */

/* Smallest generated frame of each family: headers and EVSP. */
#define EVS_FRAME_MIN_V4	(EVS_ETH_HLEN + EVS_IPV4_HLEN + EVS_UDP_HLEN + \
				 (u32)sizeof(struct evs_evsp_hdr))
#define EVS_FRAME_MIN_V6	(EVS_ETH_HLEN + EVS_IPV6_HLEN + EVS_UDP_HLEN + \
				 (u32)sizeof(struct evs_evsp_hdr))

/* ---- addresses and synthetic flows ------------------------------------ */

/**
 * struct evs_frame_addrs - where generated frames come from and go to
 * @dst_mac:  destination MAC: the NIC's own (the header's mac)
 * @src_mac:  source MAC: the device's peer on the wire
 * @src_ip4:  IPv4 source network; flow f adds 1 + f % 254 to its last byte
 * @dst_ip4:  IPv4 destination: the guest's address
 * @src_ip6:  IPv6 source network; flow f adds f + 1 to its last 32 bits
 * @dst_ip6:  IPv6 destination
 * @dst_port: UDP destination port
 */
struct evs_frame_addrs {
	u8 dst_mac[EVS_ETH_ALEN];
	u8 src_mac[EVS_ETH_ALEN];
	u8 src_ip4[4];
	u8 dst_ip4[4];
	u8 src_ip6[16];
	u8 dst_ip6[16];
	u16 dst_port;
};

/* Locally administered MACs: the NIC's, and its peer's. */
#define EVS_DEFAULT_NIC_MAC	{ 0x02, 0x45, 0x56, 0x53, 0x00, 0x02 }
#define EVS_DEFAULT_PEER_MAC	{ 0x02, 0x45, 0x56, 0x53, 0x00, 0x01 }
#define EVS_DEFAULT_DST_PORT	9999

/* The defaults of the issue and of Documentation/abi.rst. */
static inline void evs_frame_addrs_default(struct evs_frame_addrs *a)
{
	static const u8 nic[EVS_ETH_ALEN] = EVS_DEFAULT_NIC_MAC;
	static const u8 peer[EVS_ETH_ALEN] = EVS_DEFAULT_PEER_MAC;
	static const u8 src4[4] = { 198, 18, 1, 0 };
	static const u8 dst4[4] = { 198, 18, 0, 2 };
	static const u8 src6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1 };
	static const u8 dst6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

	memcpy(a->dst_mac, nic, sizeof(nic));
	memcpy(a->src_mac, peer, sizeof(peer));
	memcpy(a->src_ip4, src4, sizeof(src4));
	memcpy(a->dst_ip4, dst4, sizeof(dst4));
	memcpy(a->src_ip6, src6, sizeof(src6));
	memcpy(a->dst_ip6, dst6, sizeof(dst6));
	a->dst_port = EVS_DEFAULT_DST_PORT;
}

/**
 * struct evs_flow_tuple - the bytes that are hashed for one flow
 * @b:   source address, destination address, source port, dest port
 * @len: EVS_TUPLE_V4_PORTS or EVS_TUPLE_V6_PORTS
 */
struct evs_flow_tuple {
	u8 b[EVS_TOEPLITZ_MAX_INPUT];
	u8 len;
};

/* A 32-bit integer mixer (murmur3 finaliser): stable, cheap, spread. */
static inline u32 evs_mix32(u32 x)
{
	x ^= x >> 16;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	x *= 0xc2b2ae35u;
	x ^= x >> 16;
	return x;
}

static inline void evs_put_be16(u8 *p, u16 v)
{
	p[0] = (v >> 8) & 0xff;
	p[1] = v & 0xff;
}

static inline void evs_put_be32(u8 *p, u32 v)
{
	p[0] = (v >> 24) & 0xff;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

static inline u16 evs_get_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline u32 evs_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/*
 * Flow @flow_id's source port: 1024 and up, distinct for the flows that
 * share a source address, shuffled by @seed so seeds give other tuples.
 * It varies with the address too (257 reaches both bytes): Toeplitz is
 * linear, and flows that differed only in a few address bits would
 * leave some rings with none of a few flows whatever the key.
 */
static inline u16 evs_flow_src_port(u32 flow_id, u32 seed)
{
	return 1024 + (u16)((flow_id / 254 + (flow_id % 254) * 257 +
			     evs_mix32(seed)) % 64512);
}

/**
 * evs_flow_tuple_make_at() - the tuple of synthetic flow @flow_id
 * @a:       addresses
 * @flow_id: flow number
 * @seed:    traffic seed; the same seed gives the same tuples everywhere
 * @ipv6:    build an IPv6 tuple instead of IPv4
 * @t:       filled in, in RSS order (source, destination, ports)
 */
static inline void evs_flow_tuple_make_at(const struct evs_frame_addrs *a,
					  u32 flow_id, u32 seed, bool ipv6,
					  struct evs_flow_tuple *t)
{
	unsigned int addr = ipv6 ? 16 : 4;
	u8 *p = t->b;

	memset(t, 0, sizeof(*t));
	if (ipv6) {
		memcpy(p, a->src_ip6, 16);
		evs_put_be32(p + 12, evs_get_be32(a->src_ip6 + 12) + flow_id + 1);
		memcpy(p + 16, a->dst_ip6, 16);
	} else {
		memcpy(p, a->src_ip4, 4);
		p[3] = (u8)(a->src_ip4[3] + 1 + flow_id % 254);
		memcpy(p + 4, a->dst_ip4, 4);
	}
	evs_put_be16(p + 2 * addr, evs_flow_src_port(flow_id, seed));
	evs_put_be16(p + 2 * addr + 2, a->dst_port);
	t->len = 2 * addr + 4;
}

/**
 * evs_flow_tuple_make() - the tuple of synthetic flow @flow_id with the
 * default addresses
 * @flow_id: flow number
 * @seed:    traffic seed
 * @ipv6:    IPv6 instead of IPv4
 * @t:       filled in
 *
 * The device, the host tests and the VM scenarios all derive a flow's
 * tuple from its id this way, so each can recompute where it must go.
 */
static inline void evs_flow_tuple_make(u32 flow_id, u32 seed, bool ipv6,
				       struct evs_flow_tuple *t)
{
	struct evs_frame_addrs a;

	evs_frame_addrs_default(&a);
	evs_flow_tuple_make_at(&a, flow_id, seed, ipv6, t);
}

/* ---- checksums ----------------------------------------------------------- */

/* One's complement sum of @len bytes, big-endian 16-bit words. */
static inline u32 evs_csum_add(u32 sum, const u8 *p, u32 len)
{
	u32 i;

	for (i = 0; i + 1 < len; i += 2)
		sum += evs_get_be16(p + i);
	if (len & 1)
		sum += (u32)p[len - 1] << 8;
	return sum;
}

static inline u16 evs_csum_fold(u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

/* The UDP checksum over the pseudo-header and @udp_len bytes at @udp. */
static inline u16 evs_udp_csum(const u8 *src, const u8 *dst,
			       unsigned int addr_len, const u8 *udp,
			       u32 udp_len)
{
	u32 sum = evs_csum_add(0, src, addr_len);
	u16 c;

	sum = evs_csum_add(sum, dst, addr_len);
	sum += EVS_IPPROTO_UDP + udp_len;
	c = evs_csum_fold(evs_csum_add(sum, udp, udp_len));
	return c ? c : 0xffff;	/* 0 means "no checksum" */
}

/* ---- building and checking frames ------------------------------------------ */

/**
 * struct evs_frame_info - what a generated frame says about itself
 * @ipv6:    IPv6
 * @tuple:   its flow tuple, in RSS order
 * @evsp:    its EVSP header, native-endian
 * @payload: UDP payload bytes, EVSP header included
 */
struct evs_frame_info {
	bool ipv6;
	struct evs_flow_tuple tuple;
	struct {
		u32 magic;
		u32 flow_id;
		u64 seq;
		u64 tstamp_ns;
	} evsp;
	u32 payload;
};

static inline u32 evs_frame_min_len(bool ipv6)
{
	return ipv6 ? EVS_FRAME_MIN_V6 : EVS_FRAME_MIN_V4;
}

static inline void evs_frame_put_ip4(u8 *ip, const struct evs_flow_tuple *t,
				     u32 ip_len)
{
	memset(ip, 0, EVS_IPV4_HLEN);
	ip[0] = 0x45;
	evs_put_be16(ip + 2, ip_len);
	ip[6] = 0x40;			/* don't fragment */
	ip[8] = 64;			/* TTL */
	ip[9] = EVS_IPPROTO_UDP;
	memcpy(ip + 12, t->b, 8);
	evs_put_be16(ip + 10, evs_csum_fold(evs_csum_add(0, ip, EVS_IPV4_HLEN)));
}

static inline void evs_frame_put_ip6(u8 *ip, const struct evs_flow_tuple *t,
				     u32 payload_len)
{
	memset(ip, 0, EVS_IPV6_HLEN);
	ip[0] = 0x60;
	evs_put_be16(ip + 4, payload_len);
	ip[6] = EVS_IPPROTO_UDP;
	ip[7] = 64;			/* hop limit */
	memcpy(ip + 8, t->b, 32);
}

/**
 * evs_frame_build() - write one generated UDP frame
 * @buf:       at least @len bytes
 * @len:       frame length, evs_frame_min_len() .. EVS_FRAME_MAX
 * @a:         MAC addresses (the tuple holds the rest)
 * @t:         the flow's tuple; its length says IPv4 or IPv6
 * @flow_id:   goes into the EVSP header
 * @seq:       per-flow sequence number
 * @tstamp_ns: device time
 *
 * The payload after the EVSP header is a pattern of the sequence
 * number, so two frames of a flow never look alike.
 *
 * Return: @len, or 0 if @len is out of range.
 */
static inline u32 evs_frame_build(u8 *buf, u32 len,
				  const struct evs_frame_addrs *a,
				  const struct evs_flow_tuple *t, u32 flow_id,
				  u64 seq, u64 tstamp_ns)
{
	bool ipv6 = t->len == EVS_TUPLE_V6_PORTS;
	u32 ip_hlen = ipv6 ? EVS_IPV6_HLEN : EVS_IPV4_HLEN;
	u32 udp_len = len - EVS_ETH_HLEN - ip_hlen, i;
	unsigned int addr = ipv6 ? 16 : 4;
	u8 *ip = buf + EVS_ETH_HLEN, *udp = ip + ip_hlen;
	u8 *evsp = udp + EVS_UDP_HLEN;

	if (len < evs_frame_min_len(ipv6) || len > EVS_FRAME_MAX)
		return 0;
	memcpy(buf, a->dst_mac, EVS_ETH_ALEN);
	memcpy(buf + EVS_ETH_ALEN, a->src_mac, EVS_ETH_ALEN);
	evs_put_be16(buf + 12, ipv6 ? EVS_ETHERTYPE_IPV6 : EVS_ETHERTYPE_IPV4);
	if (ipv6)
		evs_frame_put_ip6(ip, t, udp_len);
	else
		evs_frame_put_ip4(ip, t, ip_hlen + udp_len);
	memcpy(udp, t->b + 2 * addr, 4);	/* source and destination port */
	evs_put_be16(udp + 4, udp_len);
	evs_put_be16(udp + 6, 0);
	/*
	 * Unaligned in the frame (offset 42 or 62): byte-wise little-endian
	 * stores through a byte pointer, never through a struct pointer.
	 */
	for (i = 0; i < 4; i++) {
		evsp[offsetof(struct evs_evsp_hdr, magic) + i] =
			(u8)(EVS_EVSP_MAGIC >> (8 * i));
		evsp[offsetof(struct evs_evsp_hdr, flow_id) + i] =
			(u8)(flow_id >> (8 * i));
	}
	for (i = 0; i < 8; i++) {
		evsp[offsetof(struct evs_evsp_hdr, seq) + i] =
			(u8)(seq >> (8 * i));
		evsp[offsetof(struct evs_evsp_hdr, tstamp_ns) + i] =
			(u8)(tstamp_ns >> (8 * i));
	}
	for (i = EVS_UDP_HLEN + sizeof(struct evs_evsp_hdr); i < udp_len; i++)
		udp[i] = (u8)(seq + i);
	evs_put_be16(udp + 6, evs_udp_csum(t->b, t->b + addr, addr, udp,
					   udp_len));
	return len;
}

static inline u64 evs_get_le(const u8 *p, unsigned int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/**
 * evs_frame_check() - parse and verify a generated frame
 * @buf:  the frame
 * @len:  its length
 * @info: filled in on success
 *
 * Checks the Ethernet type, the IP header (and its checksum for IPv4),
 * the lengths, the UDP checksum and the EVSP magic.
 *
 * Return: 0, or -1 for anything else.
 */
static inline int evs_frame_check(const u8 *buf, u32 len,
				  struct evs_frame_info *info)
{
	u16 type = len >= EVS_ETH_HLEN ? evs_get_be16(buf + 12) : 0;
	bool ipv6 = type == EVS_ETHERTYPE_IPV6;
	u32 ip_hlen = ipv6 ? EVS_IPV6_HLEN : EVS_IPV4_HLEN;
	unsigned int addr = ipv6 ? 16 : 4;
	const u8 *ip = buf + EVS_ETH_HLEN, *udp = ip + ip_hlen, *src;
	const u8 *evsp = udp + EVS_UDP_HLEN;
	u32 udp_len;

	if ((type != EVS_ETHERTYPE_IPV4 && !ipv6) ||
	    len < evs_frame_min_len(ipv6))
		return -1;
	if (ipv6) {
		if (ip[0] >> 4 != 6 || ip[6] != EVS_IPPROTO_UDP ||
		    evs_get_be16(ip + 4) != len - EVS_ETH_HLEN - ip_hlen)
			return -1;
		src = ip + 8;
	} else {
		if (ip[0] != 0x45 || ip[9] != EVS_IPPROTO_UDP ||
		    evs_get_be16(ip + 2) != len - EVS_ETH_HLEN ||
		    evs_csum_fold(evs_csum_add(0, ip, EVS_IPV4_HLEN)))
			return -1;
		src = ip + 12;
	}
	udp_len = evs_get_be16(udp + 4);
	if (udp_len != len - EVS_ETH_HLEN - ip_hlen ||
	    evs_csum_fold(evs_csum_add(evs_csum_add(evs_csum_add(0, src, addr),
						    src + addr, addr) +
				       EVS_IPPROTO_UDP + udp_len,
				       udp, udp_len)))
		return -1;
	info->ipv6 = ipv6;
	memset(&info->tuple, 0, sizeof(info->tuple));
	memcpy(info->tuple.b, src, 2 * addr);
	memcpy(info->tuple.b + 2 * addr, udp, 4);
	info->tuple.len = 2 * addr + 4;
	info->evsp.magic = (u32)evs_get_le(evsp, 4);
	info->evsp.flow_id = (u32)evs_get_le(evsp + 4, 4);
	info->evsp.seq = evs_get_le(evsp + 8, 8);
	info->evsp.tstamp_ns = evs_get_le(evsp + 16, 8);
	info->payload = udp_len - EVS_UDP_HLEN;
	return info->evsp.magic == EVS_EVSP_MAGIC ? 0 : -1;
}

#endif /* _EVSTEER_FRAME_H */
