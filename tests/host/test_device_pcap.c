// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evsteer-device --pcap: flow tuples from a capture file.  The test
 * writes a capture with TCP/UDP over IPv4, IPv6 (with an extension
 * header) and a VLAN tag, plus packets that must be skipped (ARP,
 * ICMP, a later fragment, a truncated one), then checks the parser,
 * its bounds checks at every truncation, and the device replaying the
 * flows in packet order with the right hashes.
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

#define MAX_PKT		128
#define NUM_FLOWS	5

struct pkt {
	u8 b[MAX_PKT];
	u32 len;	/* captured */
	u32 wire;	/* original */
};

static struct pkt pkts[16];
static unsigned int npkts;
static struct evs_flow_tuple want[NUM_FLOWS];
static const u32 want_order[] = { 0, 1, 2, 3, 0, 4 };

static u8 *put16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
	return p + 2;
}

static u8 *eth(u8 *p, u16 proto, int vlan)
{
	memset(p, 0x02, 12);
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

static u8 *ports(u8 *p, u16 sport, u16 dport, unsigned int hdr_len)
{
	memset(p, 0, hdr_len);
	put16(p, sport);
	put16(p + 2, dport);
	return p + hdr_len;
}

static void add(u8 *start, u8 *end)
{
	pkts[npkts].len = end - start;
	pkts[npkts].wire = end - start;
	npkts++;
}

static void expect(unsigned int flow, const u8 *src, const u8 *dst,
		   unsigned int alen, u16 sport, u16 dport)
{
	struct evs_flow_tuple *t = &want[flow];

	memset(t, 0, sizeof(*t));
	memcpy(t->b, src, alen);
	memcpy(t->b + alen, dst, alen);
	put16(put16(t->b + 2 * alen, sport), dport);
	t->len = 2 * alen + 4;
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
	u8 *p, *s;

	/* A: IPv4 TCP */
	s = pkts[npkts].b;
	p = ports(ipv4(eth(s, 0x0800, 0), 6, a4s, a4d, 0), 1234, 80, 20);
	add(s, p);
	expect(0, a4s, a4d, 4, 1234, 80);
	/* B: IPv4 UDP */
	s = pkts[npkts].b;
	p = ports(ipv4(eth(s, 0x0800, 0), 17, b4s, b4d, 0x2000), 5353, 53, 8);
	add(s, p);
	expect(1, b4s, b4d, 4, 5353, 53);
	/* ARP: skipped */
	s = pkts[npkts].b;
	p = eth(s, 0x0806, 0);
	memset(p, 0, 28);
	add(s, p + 28);
	/* C: IPv6 UDP */
	s = pkts[npkts].b;
	p = ports(ipv6(eth(s, 0x86dd, 0), 17, c6s, c6d), 4096, 8192, 8);
	add(s, p);
	expect(2, c6s, c6d, 16, 4096, 8192);
	/* D: VLAN-tagged IPv4 TCP */
	s = pkts[npkts].b;
	p = ports(ipv4(eth(s, 0x0800, 5), 6, d4s, d4d, 0), 40000, 443, 20);
	add(s, p);
	expect(3, d4s, d4d, 4, 40000, 443);
	/* A again */
	pkts[npkts] = pkts[0];
	npkts++;
	/* A truncated in its ports: skipped */
	pkts[npkts] = pkts[0];
	pkts[npkts++].len = 14 + 20 + 2;
	/* ICMP: skipped */
	s = pkts[npkts].b;
	p = ports(ipv4(eth(s, 0x0800, 0), 1, a4s, a4d, 0), 0x0800, 0, 8);
	add(s, p);
	/* a later fragment, no ports: skipped */
	s = pkts[npkts].b;
	p = ports(ipv4(eth(s, 0x0800, 0), 17, b4s, b4d, 100), 1, 2, 8);
	add(s, p);
	/* E: IPv6, hop-by-hop options, TCP */
	s = pkts[npkts].b;
	p = ipv6(eth(s, 0x86dd, 0), 0, e6s, e6d);
	memset(p, 0, 8);
	p[0] = 6;
	p = ports(p + 8, 7, 8, 20);
	add(s, p);
	expect(4, e6s, e6d, 16, 7, 8);
}

/* Write the packets as a classic little-endian pcap file. */
static int write_pcap(const char *path, int linktype, unsigned int first,
		      unsigned int count)
{
	u32 ghdr[6] = { 0xa1b2c3d4, 2 | (4 << 16), 0, 0, 65535, linktype };
	FILE *f = fopen(path, "wb");
	unsigned int i;

	if (!f)
		return -1;
	fwrite(ghdr, sizeof(ghdr), 1, f);
	for (i = first; i < first + count; i++) {
		u32 rec[4] = { 1700000000 + i, 0, pkts[i].len, pkts[i].wire };

		fwrite(rec, sizeof(rec), 1, f);
		fwrite(pkts[i].b, pkts[i].len, 1, f);
	}
	return fclose(f);
}

static bool tuple_eq(const struct evs_flow_tuple *a,
		     const struct evs_flow_tuple *b)
{
	return a->len == b->len && !memcmp(a->b, b->b, a->len);
}

static void test_load(const char *path)
{
	struct evs_pcap_flows pf;
	unsigned int i, ok = 0;

	if (!tap_ok(!evs_pcap_flows_load(&pf, path, stderr), "the capture loads"))
		return;
	tap_eq(pf.num_flows, NUM_FLOWS, "5 distinct flows");
	tap_eq(pf.num_order, ARRAY_SIZE(want_order), "6 usable packets");
	tap_eq(pf.skipped, 4, "ARP, ICMP, truncated and fragment skipped");
	for (i = 0; i < pf.num_order && i < ARRAY_SIZE(want_order); i++)
		ok += pf.order[i] == want_order[i];
	tap_eq(ok, ARRAY_SIZE(want_order),
	       "packet order kept, repeated flow mapped to its first id");
	for (i = 0, ok = 0; i < NUM_FLOWS && i < pf.num_flows; i++)
		ok += tuple_eq(&pf.tuples[i], &want[i]);
	tap_eq(ok, NUM_FLOWS,
	       "tuples: addresses and ports in network order (v4 12, v6 36 bytes)");
	evs_pcap_flows_free(&pf);
}

/* Every truncation of a packet: refused until its ports are in. */
static void test_truncation(unsigned int pkt, unsigned int flow,
			    unsigned int need, const char *what)
{
	struct evs_flow_tuple t;
	unsigned int len, ok = 0;

	for (len = 0; len <= pkts[pkt].len; len++) {
		int r = evs_pcap_flows_parse(pkts[pkt].b, len, DLT_EN10MB, &t);

		ok += len < need ? r == -1 : !r && tuple_eq(&t, &want[flow]);
	}
	tap_eq(ok, pkts[pkt].len + 1,
	       "%s: every caplen below %u refused, from %u parsed", what,
	       need, need);
}

static void test_parser(void)
{
	struct evs_flow_tuple t;

	test_truncation(0, 0, 14 + 20 + 4, "IPv4 TCP");
	test_truncation(4, 3, 18 + 20 + 4, "VLAN IPv4 TCP");
	test_truncation(3, 2, 14 + 40 + 4, "IPv6 UDP");
	test_truncation(9, 4, 14 + 40 + 8 + 4, "IPv6 hop-by-hop TCP");
	tap_ok(!evs_pcap_flows_parse(pkts[3].b + 14, pkts[3].len - 14, DLT_RAW,
				     &t) && tuple_eq(&t, &want[2]),
	       "raw IP link type");
	tap_ok(evs_pcap_flows_parse(pkts[0].b, pkts[0].len, DLT_NULL, &t),
	       "unknown link type refused");
}

static void test_bad_files(const char *dir)
{
	FILE *f, *quiet = fopen("/dev/null", "w");
	struct evs_pcap_flows pf;
	char path[128];

	tap_ok(evs_pcap_flows_load(&pf, "/nonexistent.pcap", quiet),
	       "a missing file is refused");
	snprintf(path, sizeof(path), "%s/arp.pcap", dir);
	write_pcap(path, DLT_EN10MB, 2, 1);
	tap_ok(evs_pcap_flows_load(&pf, path, quiet),
	       "a capture without TCP/UDP is refused");
	unlink(path);
	snprintf(path, sizeof(path), "%s/wifi.pcap", dir);
	write_pcap(path, DLT_IEEE802_11, 0, 1);
	tap_ok(evs_pcap_flows_load(&pf, path, quiet),
	       "an unsupported link type is refused");
	unlink(path);
	snprintf(path, sizeof(path), "%s/junk.pcap", dir);
	f = fopen(path, "w");
	if (f) {
		fputs("this is not a capture file at all\n", f);
		fclose(f);
	}
	tap_ok(evs_pcap_flows_load(&pf, path, quiet), "garbage is refused");
	unlink(path);
	fclose(quiet);
}

/* ---- the device replaying the capture --------------------------------- */

struct replay {
	u32 n;
	u32 bad_order, bad_hash, bad_flags, bad_ring;
};

static void replay_entry(void *arg, u32 ring, const struct evs_entry *e)
{
	struct replay *r = arg;
	u32 flow = evs_rd32(&e->flow_id);
	bool v6;

	if (ring != 0)
		r->bad_ring++;
	if (flow != want_order[r->n++ % ARRAY_SIZE(want_order)] ||
	    flow >= NUM_FLOWS) {
		r->bad_order++;
		return;
	}
	if (evs_rd32(&e->hash) !=
	    evs_toeplitz_ref(evs_default_key(), want[flow].b, want[flow].len))
		r->bad_hash++;
	v6 = want[flow].len == EVS_TUPLE_V6_PORTS;
	if (!!(evs_rd16(&e->flags) & EVS_EF_IPV6) != v6)
		r->bad_flags++;
}

static void test_device(const char *path)
{
	const char *const args[] = {
		"--pcap", path, "--rings", "1", "--rate", "5000", NULL
	};
	struct evs_devproc p;
	struct evs_mini m;
	struct replay r = { 0 };
	u64 counts[2], end;
	char reply[256], log[1024] = "";
	FILE *f;

	if (!tap_ok(!evs_devproc_start(&p, args), "device --pcap starts"))
		return;
	if (tap_ok(!evs_mini_attach(&m, p.sock, 2, 2000), "driver attaches")) {
		evs_mini_enable(&m, true);
		end = evs_now_ns() + 300 * 1000000ull;
		while (evs_now_ns() < end) {
			evs_mini_wait(&m, 10, counts);
			evs_mini_napi(&m, replay_entry, &r);
		}
		tap_eq(evs_devproc_cmd(&p, "pause", reply, sizeof(reply)), 0,
		       "pause");
		evs_mini_napi(&m, replay_entry, &r);
		tap_ok(r.n > 100, "%u events replayed", r.n);
		tap_eq(r.bad_order, 0, "flows in packet order, cyclically");
		tap_eq(r.bad_hash, 0, "hashes = reference Toeplitz of the file's tuples");
		tap_eq(r.bad_flags, 0, "IPv6 flows flagged EVS_EF_IPV6");
		tap_eq(r.bad_ring, 0, "one data ring: all in ring 0");
		tap_eq(evs_devproc_cmd(&p, "flows 10", reply, sizeof(reply)), 1,
		       "flows command refused with --pcap: %s", reply);
		evs_mini_detach(&m);
	}
	evs_devproc_stop(&p, &(int){ 0 });
	f = fopen(p.err, "r");
	if (f) {
		log[fread(log, 1, sizeof(log) - 1, f)] = '\0';
		fclose(f);
	}
	tap_ok(strstr(log, "pcap: 6 packets, 5 flows, 4 skipped") != NULL,
	       "the device reports what it took from the file");
	evs_devproc_cleanup(&p);
}

int main(void)
{
	char dir[] = "/tmp/evsteer-pcap-XXXXXX", path[64];

	alarm(30);
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/flows.pcap", dir);
	build_packets();
	tap_ok(!write_pcap(path, DLT_EN10MB, 0, npkts), "write the capture");
	test_load(path);
	test_parser();
	test_bad_files(dir);
	test_device(path);
	unlink(path);
	rmdir(dir);
	return tap_done();
}
