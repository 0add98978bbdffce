// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evsteer-device --pcap: frames replayed from a capture file.  The
 * test writes captures by hand (Ethernet, Linux cooked, raw IP) with
 * TCP/UDP over IPv4, IPv6 (with an extension header) and a VLAN tag,
 * ARP, ICMP, ICMPv6, a later fragment, a UDP datagram without
 * checksum, and packets that cannot be replayed (cut by the snap
 * length, a runt, one bigger than a buffer).  It checks what is kept
 * and why the rest is not, the hash type of every frame at every
 * truncation, --pcap-rewrite (checksums recomputed here from scratch
 * must match the incremental update), the memory cap, and the device
 * replaying the frames byte for byte with the right hashes.
 */
#define _GNU_SOURCE
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <evsteer/producer.h>
#include "tap.h"
#include "device.h"
#include "device_proc.h"
#include "mini_driver.h"
#include "pcap_flows.h"

#define MAX_PKT		2200
#define NPKTS		14
#define BUF_SIZE	2048
#define LINKTYPE_RAW		101	/* in the file; libpcap says DLT_RAW */
#define LINKTYPE_LINUX_SLL	113

/**
 * struct pkt - one captured packet and what the device must make of it
 * @b:     bytes as captured
 * @len:   captured length
 * @wire:  original length
 * @kept:  the device replays it
 * @type:  its hash type
 * @tuple: what it is hashed over
 * @l3:    network header offset (0: none)
 * @l4:    transport header offset with a checksum to fix (0: none)
 * @proto: that header's protocol
 * @v6:    IPv6
 */
struct pkt {
	u8 b[MAX_PKT];
	u32 len, wire;
	bool kept;
	u32 type;
	struct evs_flow_tuple tuple;
	u32 l3, l4;
	u8 proto;
	bool v6;
};

static struct pkt pkts[NPKTS];
static unsigned int npkts, nkept;
static u32 kept[NPKTS];		/* index in pkts[] of each kept frame */

static const u8 nic_mac[6] = EVS_DEFAULT_NIC_MAC;
static const u8 peer_mac[6] = EVS_DEFAULT_PEER_MAC;
static const u8 new_mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const u8 new_ip4[4] = { 10, 99, 0, 7 };
static u8 new_ip6[16] = { 0xfd, 0x00, 0x99, [15] = 7 };

/* ---- building the capture ------------------------------------------- */

static u8 *put16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
	return p + 2;
}

static u64 sum16(const u8 *p, u32 n, u64 sum)
{
	u32 i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (u64)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (u64)p[n - 1] << 8;
	return sum;
}

static u16 fold(u64 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

/* The transport checksum from scratch, pseudo-header included. */
static u16 l4_csum(const u8 *ip, bool v6, const u8 *l4, u32 l4_len, u8 proto)
{
	u64 sum = v6 ? sum16(ip + 8, 32, 0) : sum16(ip + 12, 8, 0);

	sum += proto + l4_len;
	return fold(sum16(l4, l4_len, sum));
}

static u32 csum_at(u8 proto)
{
	return proto == 6 ? 16 : proto == 17 ? 6 : 2;
}

/* Fill in lengths and checksums of a finished packet, as a host would. */
static void finish(struct pkt *k, bool udp_csum)
{
	u8 *ip = k->b + k->l3, *l4 = k->b + k->l4;
	u32 l4_len = k->len - k->l4;
	u16 c;

	if (!k->v6) {
		put16(ip + 2, k->len - k->l3);
		put16(ip + 10, 0);
		put16(ip + 10, fold(sum16(ip, 20, 0)));
	} else {
		put16(ip + 4, k->len - k->l3 - 40);
	}
	if (!k->l4 || (k->proto == 17 && !udp_csum))
		return;
	put16(l4 + csum_at(k->proto), 0);
	c = l4_csum(ip, k->v6, l4, l4_len, k->proto);
	put16(l4 + csum_at(k->proto), k->proto == 17 && !c ? 0xffff : c);
}

static u8 *eth(u8 *p, u16 proto, int vlan)
{
	memcpy(p, "\x02\xaa\xaa\xaa\xaa\xaa", 6);	/* not our NIC */
	memcpy(p + 6, "\x02\xbb\xbb\xbb\xbb\xbb", 6);
	p += 12;
	if (vlan) {
		p = put16(p, 0x8100);
		p = put16(p, vlan);
	}
	return put16(p, proto);
}

static u8 *ipv4(u8 *p, u8 proto, const u8 *src, const u8 *dst, u16 frag)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	p[8] = 64;
	p[9] = proto;
	put16(p + 6, frag);
	memcpy(p + 12, src, 4);
	memcpy(p + 16, dst, 4);
	return p + 20;
}

static u8 *ipv6(u8 *p, u8 next, const u8 *src, const u8 *dst)
{
	memset(p, 0, 40);
	p[0] = 0x60;
	p[6] = next;
	p[7] = 64;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	return p + 40;
}

/* A transport header and a payload pattern. */
static u8 *l4(u8 *p, u16 sport, u16 dport, u32 hdr_len, u32 payload)
{
	u32 i;

	memset(p, 0, hdr_len);
	put16(p, sport);
	put16(p + 2, dport);
	if (hdr_len == 20)
		p[12] = 5 << 4;		/* TCP data offset */
	if (hdr_len == 8)
		put16(p + 4, 8 + payload);
	for (i = 0; i < payload; i++)
		p[hdr_len + i] = (u8)(i * 7 + sport);
	return p + hdr_len + payload;
}

/* Start packet @i: returns its first byte. */
static struct pkt *begin(void)
{
	return &pkts[npkts];
}

/* End the packet at @end; say what it must hash to. */
static void end(struct pkt *k, u8 *end_p, u32 type, u32 l3, u32 l4_off,
		u8 proto, bool v6, bool udp_csum)
{
	unsigned int alen = v6 ? 16 : 4;

	k->len = end_p - k->b;
	k->wire = k->len;
	k->kept = true;
	k->type = type;
	k->l3 = l3;
	k->l4 = l4_off;
	k->proto = proto;
	k->v6 = v6;
	memset(&k->tuple, 0, sizeof(k->tuple));
	if (type != EVS_HASH_NONE) {
		memcpy(k->tuple.b, k->b + l3 + (v6 ? 8 : 12), 2 * alen);
		k->tuple.len = 2 * alen;
	}
	if (evs_hash_type_is_l4(type)) {
		memcpy(k->tuple.b + 2 * alen, k->b + l4_off, 4);
		k->tuple.len += 4;
	}
	if (l3)
		finish(k, udp_csum);
	npkts++;
}

static void build_packets(void)
{
	static const u8 a4s[4] = { 10, 0, 0, 1 }, a4d[4] = { 10, 0, 0, 2 };
	static const u8 b4s[4] = { 192, 168, 1, 1 }, b4d[4] = { 192, 168, 1, 2 };
	static const u8 d4s[4] = { 172, 16, 0, 1 }, d4d[4] = { 172, 16, 0, 2 };
	static const u8 c6s[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const u8 c6d[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	static const u8 e6s[16] = { 0x20, 0x01, 0x0d, 0xb8, [14] = 0xa, 7 };
	static const u8 e6d[16] = { 0x20, 0x01, 0x0d, 0xb8, [14] = 0xb, 8 };
	struct pkt *k;
	u8 *p;

	/* 0: IPv4 TCP */
	k = begin();
	p = l4(ipv4(eth(k->b, 0x0800, 0), 6, a4s, a4d, 0), 1234, 80, 20, 33);
	end(k, p, EVS_HASH_IPV4_L4, 14, 34, 6, false, true);
	/* 1: IPv4 UDP, first fragment (MF): hashed on addresses only */
	k = begin();
	p = l4(ipv4(eth(k->b, 0x0800, 0), 17, b4s, b4d, 0x2000), 5353, 53, 8, 40);
	end(k, p, EVS_HASH_IPV4, 14, 34, 17, false, true);
	/* 2: ARP: replayed, not hashed */
	k = begin();
	p = eth(k->b, 0x0806, 0);
	memset(p, 0x11, 28);
	end(k, p + 28, EVS_HASH_NONE, 0, 0, 0, false, false);
	/* 3: IPv6 UDP */
	k = begin();
	p = l4(ipv6(eth(k->b, 0x86dd, 0), 17, c6s, c6d), 4096, 8192, 8, 100);
	end(k, p, EVS_HASH_IPV6_L4, 14, 54, 17, true, true);
	/* 4: VLAN-tagged IPv4 TCP */
	k = begin();
	p = l4(ipv4(eth(k->b, 0x0800, 5), 6, d4s, d4d, 0), 40000, 443, 20, 1);
	end(k, p, EVS_HASH_IPV4_L4, 18, 38, 6, false, true);
	/* 5: packet 0 again */
	pkts[npkts++] = pkts[0];
	/* 6: ICMP echo: L3 */
	k = begin();
	p = l4(ipv4(eth(k->b, 0x0800, 0), 1, a4s, a4d, 0), 0x0800, 0, 8, 20);
	end(k, p, EVS_HASH_IPV4, 14, 0, 0, false, false);
	/* 7: a later fragment, no ports: L3 */
	k = begin();
	p = l4(ipv4(eth(k->b, 0x0800, 0), 17, b4s, b4d, 100), 1, 2, 8, 0);
	end(k, p, EVS_HASH_IPV4, 14, 0, 0, false, false);
	/* 8: IPv6, hop-by-hop options, TCP */
	k = begin();
	p = ipv6(eth(k->b, 0x86dd, 0), 0, e6s, e6d);
	memset(p, 0, 8);
	p[0] = 6;
	p = l4(p + 8, 7, 8, 20, 64);
	end(k, p, EVS_HASH_IPV6_L4, 14, 62, 6, true, true);
	/* 9: IPv4 UDP without a checksum */
	k = begin();
	p = l4(ipv4(eth(k->b, 0x0800, 0), 17, d4s, a4d, 0), 7777, 9999, 8, 10);
	end(k, p, EVS_HASH_IPV4_L4, 14, 34, 17, false, false);
	/* 10: ICMPv6 echo: L3, its checksum has the pseudo-header */
	k = begin();
	p = ipv6(eth(k->b, 0x86dd, 0), 58, e6s, c6d);
	p = l4(p, 0x8000, 0x0001, 8, 16);
	end(k, p, EVS_HASH_IPV6, 14, 54, 58, true, true);
	/* 11: cut by the snap length: skipped */
	pkts[npkts] = pkts[3];
	pkts[npkts].len = 60;
	pkts[npkts++].kept = false;
	/* 12: a runt: skipped */
	k = begin();
	memset(k->b, 0x02, 10);
	k->len = k->wire = 10;
	npkts++;
	/* 13: bigger than a 2048-byte buffer: skipped */
	k = begin();
	p = l4(ipv4(eth(k->b, 0x0800, 0), 17, a4s, a4d, 0), 1, 2, 8, 2100);
	end(k, p, EVS_HASH_IPV4_L4, 14, 34, 17, false, true);
	k->kept = false;
	for (nkept = 0, npkts = 0; npkts < NPKTS; npkts++)
		if (pkts[npkts].kept)
			kept[nkept++] = npkts;
}

/* Write packets as a classic little-endian pcap file. */
static int write_pcap(const char *path, u32 linktype, const u32 *which,
		      unsigned int count, u32 strip)
{
	u32 ghdr[6] = { 0xa1b2c3d4, 2 | (4 << 16), 0, 0, 65535, linktype };
	FILE *f = fopen(path, "wb");
	unsigned int i;

	if (!f)
		return -1;
	fwrite(ghdr, sizeof(ghdr), 1, f);
	for (i = 0; i < count; i++) {
		const struct pkt *k = &pkts[which ? which[i] : i];
		u32 rec[4] = { 1700000000 + i, 0, k->len - strip,
			       k->wire - strip };

		fwrite(rec, sizeof(rec), 1, f);
		fwrite(k->b + strip, k->len - strip, 1, f);
	}
	return fclose(f);
}

/* ---- loading and classifying ------------------------------------------- */

static struct evs_frame_addrs addrs;

static int load(struct evs_pcap *pc, const char *path, bool rewrite,
		u64 max_bytes, FILE *err)
{
	struct evs_pcap_opts o = {
		.max_len = BUF_SIZE, .max_bytes = max_bytes,
		.rewrite = rewrite, .addrs = &addrs,
	};

	return evs_pcap_load(pc, path, &o, err);
}

static bool tuple_eq(const struct evs_flow_tuple *a,
		     const struct evs_flow_tuple *b)
{
	return a->len == b->len && !memcmp(a->b, b->b, a->len);
}

static void test_load(const char *path)
{
	unsigned int i, same = 0, types = 0, tuples = 0;
	struct evs_pcap pc;

	if (!tap_ok(!load(&pc, path, false, EVS_PCAP_MAX_BYTES, stderr),
		    "the capture loads"))
		return;
	tap_eq(pc.num_pkts, nkept, "%u of %u packets kept", nkept, NPKTS);
	tap_ok(pc.skipped == 3 && pc.skipped_short == 2 && pc.skipped_big == 1 &&
	       !pc.skipped_mem && !pc.skipped_link && !pc.rewritten,
	       "skipped: one cut by the snap length, one runt, one over the buffer size");
	for (i = 0; i < pc.num_pkts && i < nkept; i++) {
		const struct pkt *k = &pkts[kept[i]];
		const struct evs_pcap_pkt *pk = &pc.pkts[i];
		struct evs_flow_tuple t;

		same += pk->len == k->len &&
			!memcmp(evs_pcap_frame(&pc, i), k->b, k->len);
		types += pk->hash_type == k->type && pk->l3_off == k->l3;
		tuples += evs_pcap_tuple(evs_pcap_frame(&pc, i), pk, &t) ==
			  k->type && tuple_eq(&t, &k->tuple);
	}
	tap_eq(same, nkept, "kept frames are byte-identical, in file order");
	tap_eq(types, nkept,
	       "hash types: TCP/UDP L4, fragments, ICMP and ICMPv6 L3, ARP none");
	tap_eq(tuples, nkept, "tuples: addresses (and ports for L4) in network order");
	tap_ok(pc.data_len <= pc.data_cap && pc.data_cap <= 1u << 20,
	       "stored compactly: %llu bytes in an arena of %llu",
	       (unsigned long long)pc.data_len,
	       (unsigned long long)pc.data_cap);
	evs_pcap_free(&pc);
}

/* Every truncation of a frame: its hash type grows with what is in. */
static void test_truncation(unsigned int i, u32 l3_need, u32 l4_need,
			    u32 l3_type, const char *what)
{
	const struct pkt *k = &pkts[i];
	unsigned int len, ok = 0;

	for (len = 0; len <= k->len; len++) {
		struct evs_pcap_pkt pk;
		u32 want = len < l3_need ? EVS_HASH_NONE :
			   len < l4_need ? l3_type : k->type;

		evs_pcap_classify(k->b, len, &pk);
		ok += pk.hash_type == want;
	}
	tap_eq(ok, k->len + 1,
	       "%s: not hashed below %u bytes, L3 below %u, then L4", what,
	       l3_need, l4_need);
}

static void test_classify(void)
{
	struct evs_pcap_pkt pk;
	u8 f[64];

	test_truncation(0, 14 + 20, 14 + 20 + 4, EVS_HASH_IPV4, "IPv4 TCP");
	test_truncation(4, 18 + 20, 18 + 20 + 4, EVS_HASH_IPV4, "VLAN IPv4 TCP");
	test_truncation(3, 14 + 40, 14 + 40 + 4, EVS_HASH_IPV6, "IPv6 UDP");
	test_truncation(8, 14 + 40, 14 + 40 + 8 + 4, EVS_HASH_IPV6,
			"IPv6 hop-by-hop TCP");
	memcpy(f, pkts[0].b, sizeof(f));
	f[14] = 0x44;		/* IHL 4: not a valid header */
	evs_pcap_classify(f, sizeof(f), &pk);
	tap_eq(pk.hash_type, EVS_HASH_NONE, "IPv4 with IHL < 5: not hashed");
	f[14] = 0x65;		/* version 6 behind an IPv4 ethertype */
	evs_pcap_classify(f, sizeof(f), &pk);
	tap_eq(pk.hash_type, EVS_HASH_NONE, "wrong IP version: not hashed");
}

/* ---- --pcap-rewrite ----------------------------------------------------- */

/* Everything but dst MAC, dst IP and the checksums is as captured. */
static bool rewrite_ok(const struct pkt *k, const u8 *f, u32 len)
{
	static u8 want[MAX_PKT];
	u32 addr = k->v6 ? 16 : 4, dst = k->l3 + (k->v6 ? 24 : 16);
	u8 *ip = want + k->l3;
	u16 c;

	if (len != k->len)
		return false;
	memcpy(want, k->b, len);
	memcpy(want, new_mac, 6);
	if (k->type != EVS_HASH_NONE) {
		memcpy(want + dst, k->v6 ? new_ip6 : new_ip4, addr);
		if (!k->v6) {
			put16(ip + 10, 0);
			put16(ip + 10, fold(sum16(ip, 20, 0)));
		}
		/* from scratch, unless a UDP checksum over IPv4 was "none" */
		if (k->l4 && !(k->proto == 17 && !k->v6 &&
			       !evs_get_be16(k->b + k->l4 + 6))) {
			put16(want + k->l4 + csum_at(k->proto), 0);
			c = l4_csum(ip, k->v6, want + k->l4, len - k->l4,
				    k->proto);
			put16(want + k->l4 + csum_at(k->proto),
			      k->proto == 17 && !c ? 0xffff : c);
		}
	}
	return !memcmp(f, want, len);
}

static void test_rewrite(const char *path)
{
	unsigned int i, ok = 0, tuples = 0;
	struct evs_pcap pc;

	memcpy(addrs.dst_mac, new_mac, 6);
	memcpy(addrs.dst_ip4, new_ip4, 4);
	memcpy(addrs.dst_ip6, new_ip6, 16);
	if (!tap_ok(!load(&pc, path, true, EVS_PCAP_MAX_BYTES, stderr),
		    "the capture loads with rewriting"))
		goto out;
	tap_eq(pc.rewritten, nkept - 1, "every IP frame rewritten (all but ARP)");
	for (i = 0; i < pc.num_pkts && i < nkept; i++) {
		const struct pkt *k = &pkts[kept[i]];
		const u8 *f = evs_pcap_frame(&pc, i);
		struct evs_flow_tuple t;

		if (rewrite_ok(k, f, pc.pkts[i].len))
			ok++;
		else
			tap_diag("frame %u (packet %u) rewritten wrong", i, kept[i]);
		evs_pcap_tuple(f, &pc.pkts[i], &t);
		tuples += k->type == EVS_HASH_NONE ||
			  !memcmp(t.b + t.len / 2 - (evs_hash_type_is_l4(k->type) ? 2 : 0),
				  k->v6 ? new_ip6 : new_ip4, k->v6 ? 16 : 4);
	}
	tap_eq(ok, nkept,
	       "rewritten: dst MAC and IP replaced, IPv4 and TCP/UDP/ICMPv6 checksums equal a full recomputation, all else as captured");
	tap_ok(kept[9] == 9 && !evs_get_be16(evs_pcap_frame(&pc, 9) + 34 + 6),
	       "a UDP/IPv4 checksum of 0 (none) stays 0");
	tap_eq(tuples, nkept, "the hashed tuple carries the new destination");
	evs_pcap_free(&pc);
out:
	evs_frame_addrs_default(&addrs);
}

/* ---- other link types, limits, bad files -------------------------------- */

static void test_link_types(const char *dir)
{
	static const u32 ip_pkts[] = { 0, 3, 6, 8 };
	unsigned int i, ok = 0;
	struct evs_pcap pc;
	char path[128];
	struct pkt sll;

	snprintf(path, sizeof(path), "%s/raw.pcap", dir);
	write_pcap(path, LINKTYPE_RAW, ip_pkts, 4, 14);
	if (tap_ok(!load(&pc, path, false, EVS_PCAP_MAX_BYTES, stderr),
		   "a raw-IP capture loads")) {
		for (i = 0; i < pc.num_pkts && i < 4; i++) {
			const struct pkt *k = &pkts[ip_pkts[i]];
			const u8 *f = evs_pcap_frame(&pc, i);

			ok += pc.pkts[i].len == k->len &&
			      !memcmp(f, nic_mac, 6) && !memcmp(f + 6, peer_mac, 6) &&
			      !memcmp(f + 12, k->b + 12, k->len - 12) &&
			      pc.pkts[i].hash_type == k->type;
		}
		tap_eq(ok, 4,
		       "raw IP: an Ethernet header to the NIC from the peer, ethertype by IP version, rest as captured");
		evs_pcap_free(&pc);
	}
	/* Linux cooked: 16-byte header, protocol at 14 */
	sll = pkts[3];
	memset(sll.b, 0, 14);
	memmove(sll.b + 16, pkts[3].b + 14, pkts[3].len - 14);
	put16(sll.b + 14, 0x86dd);
	sll.len = sll.wire = pkts[3].len + 2;
	pkts[NPKTS - 1] = sll;	/* the big one is not needed any more */
	snprintf(path, sizeof(path), "%s/sll.pcap", dir);
	write_pcap(path, LINKTYPE_LINUX_SLL, (const u32[]){ NPKTS - 1 }, 1, 0);
	if (tap_ok(!load(&pc, path, false, EVS_PCAP_MAX_BYTES, stderr),
		   "a Linux cooked capture loads")) {
		const u8 *f = evs_pcap_frame(&pc, 0);

		tap_ok(pc.num_pkts == 1 && pc.pkts[0].len == pkts[3].len &&
		       !memcmp(f, nic_mac, 6) && !memcmp(f + 6, peer_mac, 6) &&
		       !memcmp(f + 12, pkts[3].b + 12, pkts[3].len - 12) &&
		       pc.pkts[0].hash_type == EVS_HASH_IPV6_L4,
		       "Linux cooked: its protocol becomes the ethertype, rest as captured");
		evs_pcap_free(&pc);
	}
	unlink(path);
	/* raw IP whose version is neither 4 nor 6 */
	pkts[NPKTS - 1] = pkts[0];
	pkts[NPKTS - 1].b[14] = 0x55;
	snprintf(path, sizeof(path), "%s/raw.pcap", dir);
	write_pcap(path, LINKTYPE_RAW, (const u32[]){ 0, NPKTS - 1 }, 2, 14);
	if (!load(&pc, path, false, EVS_PCAP_MAX_BYTES, stderr)) {
		tap_ok(pc.num_pkts == 1 && pc.skipped_link == 1,
		       "raw IP of version 5: skipped, counted");
		evs_pcap_free(&pc);
	} else {
		tap_ok(0, "raw IP of version 5: skipped, counted");
	}
	unlink(path);
}

static void test_memory_cap(const char *path)
{
	struct evs_pcap pc;
	u64 cap = pkts[0].len + pkts[1].len + pkts[2].len;

	if (!tap_ok(!load(&pc, path, false, cap, stderr),
		    "the capture loads under a %llu-byte cap",
		    (unsigned long long)cap))
		return;
	tap_ok(pc.num_pkts == 3 && pc.data_len == cap &&
	       pc.skipped_mem == nkept - 3 && pc.data_cap <= cap,
	       "the first 3 frames fill the cap; the %u others are skipped and counted",
	       nkept - 3);
	evs_pcap_free(&pc);
}

static void test_bad_files(const char *dir)
{
	FILE *f, *quiet = fopen("/dev/null", "w");
	struct evs_pcap pc;
	char path[128];

	tap_ok(load(&pc, "/nonexistent.pcap", false, EVS_PCAP_MAX_BYTES, quiet),
	       "a missing file is refused");
	snprintf(path, sizeof(path), "%s/runt.pcap", dir);
	write_pcap(path, DLT_EN10MB, (const u32[]){ 12, 11 }, 2, 0);
	tap_ok(load(&pc, path, false, EVS_PCAP_MAX_BYTES, quiet),
	       "a capture without a replayable frame is refused");
	unlink(path);
	snprintf(path, sizeof(path), "%s/wifi.pcap", dir);
	write_pcap(path, DLT_IEEE802_11, NULL, 1, 0);
	tap_ok(load(&pc, path, false, EVS_PCAP_MAX_BYTES, quiet),
	       "an unsupported link type is refused");
	unlink(path);
	snprintf(path, sizeof(path), "%s/junk.pcap", dir);
	f = fopen(path, "w");
	if (f) {
		fputs("this is not a capture file at all\n", f);
		fclose(f);
	}
	tap_ok(load(&pc, path, false, EVS_PCAP_MAX_BYTES, quiet),
	       "garbage is refused");
	unlink(path);
	fclose(quiet);
}

/* ---- the device replaying the capture --------------------------------- */

struct replay {
	const struct evs_mini *m;
	bool rewrite;
	u32 n;
	u32 bad_bytes, bad_hash, bad_flags, bad_ring;
};

static void replay_entry(void *arg, u32 ring, const struct evs_entry *e)
{
	struct replay *r = arg;
	const struct pkt *k = &pkts[kept[r->n++ % nkept]];
	const u8 *f = evs_mini_frame(r->m, e);
	u32 len = evs_rd16(&e->len), hash = 0;
	struct evs_pcap_pkt pk;
	struct evs_flow_tuple t;

	if (ring != 0)
		r->bad_ring++;
	if (r->rewrite ? !rewrite_ok(k, f, len) :
	    len != k->len || memcmp(f, k->b, len))
		r->bad_bytes++;
	/* the hash is over the frame as sent */
	evs_pcap_classify(f, len, &pk);
	if (evs_pcap_tuple(f, &pk, &t) != EVS_HASH_NONE)
		hash = evs_toeplitz_ref(evs_default_key(), t.b, t.len);
	if (evs_rd32(&e->hash) != hash || e->hash_type != k->type)
		r->bad_hash++;
	if (!!(evs_rd16(&e->flags) & EVS_EF_IPV6) !=
	    (k->type == EVS_HASH_IPV6 || k->type == EVS_HASH_IPV6_L4))
		r->bad_flags++;
}

static void read_log(const struct evs_devproc *p, char *log, size_t size)
{
	FILE *f = fopen(p->err, "r");

	log[0] = '\0';
	if (f) {
		log[fread(log, 1, size - 1, f)] = '\0';
		fclose(f);
	}
}

static void run_device(const char *const *args, bool rewrite, const char *what)
{
	struct evs_devproc p;
	struct evs_mini m;
	struct replay r = { .m = &m, .rewrite = rewrite };
	u64 counts[2], end;
	char reply[256], log[2048];

	if (!tap_ok(!evs_devproc_start(&p, args), "%s: device starts", what))
		return;
	if (tap_ok(!evs_mini_attach(&m, p.sock, 2, 2000), "%s: driver attaches",
		   what)) {
		tap_ok(!memcmp(m.mac, rewrite ? new_mac : nic_mac, 6),
		       "%s: the header's MAC is %s", what,
		       rewrite ? "--mac" : "the default");
		evs_mini_enable(&m, true);
		end = evs_now_ns() + 300 * 1000000ull;
		while (evs_now_ns() < end) {
			evs_mini_wait(&m, 10, counts);
			evs_mini_napi(&m, replay_entry, &r);
		}
		tap_eq(evs_devproc_cmd(&p, "pause", reply, sizeof(reply)), 0,
		       "%s: pause", what);
		evs_mini_napi(&m, replay_entry, &r);
		tap_ok(r.n > 100, "%s: %u frames replayed", what, r.n);
		tap_eq(r.bad_bytes, 0, rewrite ?
		       "%s: frames in file order, rewritten with valid checksums" :
		       "%s: frames byte-identical to the file's, in order, cyclically",
		       what);
		tap_eq(r.bad_hash, 0,
		       "%s: hash = reference Toeplitz over each frame's tuple, with its hash type",
		       what);
		tap_eq(r.bad_flags, 0, "%s: IPv6 frames flagged EVS_EF_IPV6", what);
		tap_eq(r.bad_ring, 0, "%s: one data ring: all in ring 0", what);
		tap_eq(evs_devproc_cmd(&p, "flows 10", reply, sizeof(reply)), 1,
		       "%s: flows command refused with --pcap: %s", what, reply);
		evs_mini_detach(&m);
	}
	evs_devproc_stop(&p, &(int){ 0 });
	read_log(&p, log, sizeof(log));
	tap_ok(strstr(log, "pcap: 11 frames") && strstr(log, "3 skipped") &&
	       strstr(log, rewrite ? "10 rewritten" : "0 rewritten"),
	       "%s: the device reports what it took from the file", what);
	evs_devproc_cleanup(&p);
}

static void test_device(const char *path)
{
	const char *const plain[] = {
		"--pcap", path, "--rings", "1", "--rate", "5000", NULL
	};
	const char *const rewrite[] = {
		"--pcap", path, "--rings", "1", "--rate", "5000",
		"--pcap-rewrite", "--mac", "02:11:22:33:44:55",
		"--dst-ip", "10.99.0.7", "--dst-ip6", "fd00:9900::7", NULL
	};

	run_device(plain, false, "--pcap");
	run_device(rewrite, true, "--pcap-rewrite");
}

int main(void)
{
	char dir[] = "/tmp/evsteer-pcap-XXXXXX", path[64];

	alarm(30);
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/frames.pcap", dir);
	evs_frame_addrs_default(&addrs);
	build_packets();
	tap_ok(!write_pcap(path, DLT_EN10MB, NULL, NPKTS, 0), "write the capture");
	test_load(path);
	test_classify();
	test_rewrite(path);
	test_memory_cap(path);
	test_device(path);
	test_link_types(dir);
	test_bad_files(dir);
	unlink(path);
	rmdir(dir);
	return tap_done();
}
