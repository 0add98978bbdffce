// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Frame host tests (include/evsteer/frame.h): the default addresses,
 * the synthetic tuples, and the generated UDP frames over IPv4 and
 * IPv6, whose headers and checksums are checked here against a
 * reference written independently of frame.h, and whose EVSP header
 * evs_frame_check() must read back; damaged frames must be refused.
 */
#include <arpa/inet.h>
#include <stdlib.h>

#include <evsteer/frame.h>
#include "tap.h"

#define FLOWS_MAX	(1u << 20)	/* the device's --flows limit */

/* Internet checksum, RFC 1071 style: 64-bit sum, folded at the end. */
static u16 ref_csum(const u8 *p, size_t n, u64 sum)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (u64)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (u64)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

/* The UDP checksum over an explicit pseudo-header; 0 if it verifies. */
static u16 ref_udp_verify(const u8 *frame, u32 len, bool v6)
{
	static u8 buf[2048];
	u32 ip_hlen = v6 ? 40 : 20, udp_len = len - 14 - ip_hlen, n = 0;
	const u8 *ip = frame + 14;

	if (v6) {
		memcpy(buf, ip + 8, 32);
		n = 32;
		buf[n++] = 0;
		buf[n++] = 0;
		buf[n++] = udp_len >> 8;
		buf[n++] = udp_len;
		buf[n++] = 0;
		buf[n++] = 0;
		buf[n++] = 0;
		buf[n++] = 17;
	} else {
		memcpy(buf, ip + 12, 8);
		n = 8;
		buf[n++] = 0;
		buf[n++] = 17;
		buf[n++] = udp_len >> 8;
		buf[n++] = udp_len;
	}
	memcpy(buf + n, ip + ip_hlen, udp_len);
	return ref_csum(buf, n + udp_len, 0);
}

static u64 le(const u8 *p, unsigned int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void test_defaults(void)
{
	static const u8 nic[6] = { 0x02, 0x45, 0x56, 0x53, 0x00, 0x02 };
	static const u8 peer[6] = { 0x02, 0x45, 0x56, 0x53, 0x00, 0x01 };
	struct evs_frame_addrs a;
	u8 v6[16];

	evs_frame_addrs_default(&a);
	tap_ok(!memcmp(a.dst_mac, nic, 6) && !memcmp(a.src_mac, peer, 6),
	       "default MACs: NIC 02:45:56:53:00:02, peer 02:45:56:53:00:01");
	tap_ok(!memcmp(a.src_ip4, "\xc6\x12\x01\x00", 4) &&
	       !memcmp(a.dst_ip4, "\xc6\x12\x00\x02", 4) && a.dst_port == 9999,
	       "default IPv4: 198.18.1.0 -> 198.18.0.2, port 9999");
	inet_pton(AF_INET6, "2001:db8:1::", v6);
	tap_ok(!memcmp(a.src_ip6, v6, 16), "default IPv6 source 2001:db8:1::");
	inet_pton(AF_INET6, "2001:db8::2", v6);
	tap_ok(!memcmp(a.dst_ip6, v6, 16), "default IPv6 destination 2001:db8::2");
}

static void test_tuples(void)
{
	static const u8 src[4] = { 10, 1, 2, 0 }, dst[4] = { 10, 9, 9, 9 };
	struct evs_frame_addrs a;
	struct evs_flow_tuple t, u;
	unsigned int f, bad = 0;
	char s6[64];

	evs_frame_addrs_default(&a);
	evs_flow_tuple_make_at(&a, 0, 1, false, &t);
	tap_ok(t.len == EVS_TUPLE_V4_PORTS &&
	       !memcmp(t.b, "\xc6\x12\x01\x01\xc6\x12\x00\x02", 8) &&
	       evs_get_be16(t.b + 8) >= 1024 && evs_get_be16(t.b + 10) == 9999,
	       "flow 0: 198.18.1.1:>=1024 -> 198.18.0.2:9999, 12 bytes");
	evs_flow_tuple_make_at(&a, 253, 1, false, &t);
	evs_flow_tuple_make_at(&a, 254, 1, false, &u);
	tap_ok(t.b[3] == 254 && u.b[3] == 1 &&
	       evs_get_be16(t.b + 8) != evs_get_be16(u.b + 8),
	       "flow 253 is .254; flow 254 wraps to .1 with another port");
	/* flows that share a source address never share a port */
	for (f = 254; f < FLOWS_MAX; f += 254) {
		evs_flow_tuple_make_at(&a, f - 254, 7, false, &t);
		evs_flow_tuple_make_at(&a, f, 7, false, &u);
		bad += t.b[3] != u.b[3] ||
		       evs_get_be16(t.b + 8) == evs_get_be16(u.b + 8);
	}
	tap_eq(bad, 0, "flows 254 apart: same address, distinct ports");
	evs_flow_tuple_make_at(&a, 5, 1, false, &t);
	evs_flow_tuple_make_at(&a, 5, 2, false, &u);
	tap_ok(evs_get_be16(t.b + 8) != evs_get_be16(u.b + 8),
	       "another seed gives another source port");
	memcpy(a.src_ip4, src, 4);
	memcpy(a.dst_ip4, dst, 4);
	a.dst_port = 4789;
	evs_flow_tuple_make_at(&a, 9, 1, false, &t);
	tap_ok(!memcmp(t.b, "\x0a\x01\x02\x0a\x0a\x09\x09\x09", 8) &&
	       evs_get_be16(t.b + 10) == 4789,
	       "configured addresses: flow 9 is 10.1.2.10 -> 10.9.9.9:4789");
	evs_frame_addrs_default(&a);
	evs_flow_tuple_make_at(&a, 0x1ffff, 1, true, &t);
	inet_ntop(AF_INET6, t.b, s6, sizeof(s6));
	tap_ok(t.len == EVS_TUPLE_V6_PORTS && !strcmp(s6, "2001:db8:1::2:0") &&
	       evs_get_be16(t.b + 34) == 9999,
	       "IPv6 flow 0x1ffff: %s -> 2001:db8::2:9999, 36 bytes", s6);
	evs_flow_tuple_make(3, 1, false, &t);
	evs_flow_tuple_make_at(&a, 3, 1, false, &u);
	tap_ok(!memcmp(&t, &u, sizeof(t)),
	       "evs_flow_tuple_make() is evs_flow_tuple_make_at() with the defaults");
}

/* Build every length of one family and check it all independently. */
static void test_build(bool v6)
{
	const char *fam = v6 ? "IPv6" : "IPv4";
	u32 min = evs_frame_min_len(v6), len, ip_hlen = v6 ? 40 : 20;
	unsigned int bad_hdr = 0, bad_csum = 0, bad_check = 0, bad_evsp = 0;
	struct evs_frame_addrs a;
	struct evs_flow_tuple t;
	static u8 f[2048];

	evs_frame_addrs_default(&a);
	evs_flow_tuple_make_at(&a, 77, 3, v6, &t);
	for (len = min; len <= EVS_FRAME_MAX; len++) {
		const u8 *ip = f + 14, *udp = ip + ip_hlen;
		struct evs_frame_info info;
		u64 seq = 0x0102030405060708ull + len;

		memset(f, 0xee, sizeof(f));
		if (evs_frame_build(f, len, &a, &t, 77, seq, 999 + len) != len) {
			bad_hdr++;
			continue;
		}
		bad_hdr += memcmp(f, a.dst_mac, 6) || memcmp(f + 6, a.src_mac, 6) ||
			   evs_get_be16(f + 12) != (v6 ? 0x86dd : 0x0800) ||
			   f[len] != 0xee;
		if (v6)
			bad_hdr += ip[0] != 0x60 || ip[6] != 17 ||
				   evs_get_be16(ip + 4) != len - 54 ||
				   memcmp(ip + 8, t.b, 32);
		else
			bad_hdr += ip[0] != 0x45 || ip[9] != 17 ||
				   evs_get_be16(ip + 2) != len - 14 ||
				   memcmp(ip + 12, t.b, 8) ||
				   ref_csum(ip, 20, 0) != 0;
		bad_hdr += memcmp(udp, t.b + (v6 ? 32 : 8), 4) ||
			   evs_get_be16(udp + 4) != len - 14 - ip_hlen;
		bad_csum += !evs_get_be16(udp + 6) ||
			    ref_udp_verify(f, len, v6) != 0;
		bad_check += evs_frame_check(f, len, &info) || info.ipv6 != v6 ||
			     info.tuple.len != t.len ||
			     memcmp(info.tuple.b, t.b, t.len) ||
			     info.payload != len - 14 - ip_hlen - 8;
		bad_evsp += le(udp + 8, 4) != EVS_EVSP_MAGIC ||
			    le(udp + 12, 4) != 77 || le(udp + 16, 8) != seq ||
			    le(udp + 24, 8) != 999 + len ||
			    info.evsp.flow_id != 77 || info.evsp.seq != seq ||
			    info.evsp.tstamp_ns != 999 + len;
	}
	tap_eq(bad_hdr, 0, "%s: %u..%u bytes: Ethernet, IP and UDP headers as specified",
	       fam, min, EVS_FRAME_MAX);
	tap_eq(bad_csum, 0, "%s: every UDP checksum verifies (reference code)%s",
	       fam, v6 ? "" : ", and every IPv4 header checksum");
	tap_eq(bad_check, 0, "%s: evs_frame_check() accepts them, tuple read back",
	       fam);
	tap_eq(bad_evsp, 0, "%s: EVSP magic, flow, seq, timestamp little-endian at offset %u",
	       fam, 14 + ip_hlen + 8);
	tap_ok(!evs_frame_build(f, min - 1, &a, &t, 0, 0, 0) &&
	       !evs_frame_build(f, EVS_FRAME_MAX + 1, &a, &t, 0, 0, 0),
	       "%s: lengths %u and %u refused", fam, min - 1, EVS_FRAME_MAX + 1);
}

/* Every kind of damage is refused. */
static void test_check_refuses(void)
{
	struct evs_frame_addrs a;
	struct evs_flow_tuple t;
	struct evs_frame_info info;
	static u8 f[2048], g[2048];
	const u32 len = 200;
	unsigned int i, missed = 0;
	u16 c;

	evs_frame_addrs_default(&a);
	evs_flow_tuple_make_at(&a, 1, 1, false, &t);
	evs_frame_build(f, len, &a, &t, 1, 5, 6);
	/* any single flipped bit past the MACs is caught */
	for (i = 12 * 8; i < len * 8; i++) {
		memcpy(g, f, len);
		g[i / 8] ^= 0x80 >> (i % 8);
		missed += !evs_frame_check(g, len, &info);
	}
	tap_eq(missed, 0, "IPv4: every single-bit error after the MACs is refused");
	tap_ok(evs_frame_check(f, len - 1, &info) &&
	       evs_frame_check(f, 13, &info) && evs_frame_check(f, 0, &info),
	       "a frame cut short is refused");
	/* a wrong magic with a correct checksum: only the magic is wrong */
	memcpy(g, f, len);
	g[14 + 20 + 8] ^= 1;
	g[14 + 20 + 6] = 0;
	g[14 + 20 + 7] = 0;
	c = ref_udp_verify(g, len, false);
	g[14 + 20 + 6] = c >> 8;
	g[14 + 20 + 7] = c;
	tap_ok(ref_udp_verify(g, len, false) == 0 && evs_frame_check(g, len, &info),
	       "a checksummed UDP frame without the EVSP magic is refused");
	evs_flow_tuple_make_at(&a, 1, 1, true, &t);
	evs_frame_build(f, len, &a, &t, 1, 5, 6);
	for (i = 12 * 8, missed = 0; i < len * 8; i++) {
		memcpy(g, f, len);
		g[i / 8] ^= 0x80 >> (i % 8);
		/* no IPv6 header checksum: class, flow label, hop limit are free */
		if ((i >= 14 * 8 + 4 && i < 14 * 8 + 32) || i / 8 == 14 + 7)
			continue;
		missed += !evs_frame_check(g, len, &info);
	}
	tap_eq(missed, 0,
	       "IPv6: every single-bit error outside class, flow label and hop limit is refused");
}

int main(void)
{
	test_defaults();
	test_tuples();
	test_build(false);
	test_build(true);
	test_check_refuses();
	return tap_done();
}
