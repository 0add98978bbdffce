// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evsteer-device, the frames in the receive buffers, seen by a driver
 * model: with configured MACs, addresses, port, buffer size and frame
 * lengths, over IPv4 and IPv6, every frame is valid (checksums), comes
 * from the peer to the NIC's MAC in the header, carries its flow's
 * tuple and hash, and each flow's EVSP sequence runs 0, 1, 2, ... in
 * order; frames lost to a full ring show as gaps in their flows'
 * sequences, exactly as many as the device dropped.  And evsteer-steer,
 * given the same options, predicts the ring of every flow.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <evsteer/producer.h>
#include "tap.h"
#include "device.h"
#include "device_proc.h"
#include "json_scan.h"
#include "mini_driver.h"

#define FLOWS		4
#define SEED		3
#define MSG_MS		2000

/**
 * struct frames - what the consumer saw
 * @a:        addresses the device was given
 * @ipv6:     family
 * @min:      shortest frame allowed
 * @max:      longest
 * @next:     next EVSP sequence number expected per flow
 * @gap:      sequence numbers skipped per flow
 * @seen:     frames per flow
 * @ring_gap: entry sequence numbers skipped (ring 0)
 * @next_seq: next entry sequence number (ring 0)
 * @frames:   frames consumed
 * @bytes:    their bytes
 * @bad:      frames failing a check, by kind
 */
struct frames {
	struct evs_frame_addrs a;
	bool ipv6;
	u32 min, max;
	u64 next[FLOWS], gap[FLOWS], seen[FLOWS];
	u64 ring_gap;
	u32 next_seq;
	u64 frames, bytes;
	struct {
		u64 frame, addr, hash, order, ring;
	} bad;
};

static struct evs_devproc dev;
static struct evs_mini drv;
static struct frames fr;
static char reply[EVS_STRBUF_SIZE];

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static u64 stat_total(const char *field)
{
	return evs_devproc_stat(&dev, field, reply, sizeof(reply));
}

static void check_flow(struct frames *c, const struct evs_frame_info *info)
{
	u32 flow = info->evsp.flow_id;
	u64 seq = info->evsp.seq;

	c->seen[flow]++;
	if (seq < c->next[flow])
		c->bad.order++;
	else
		c->gap[flow] += seq - c->next[flow];
	c->next[flow] = seq + 1;
}

static void check_frame(void *arg, u32 ring, const struct evs_entry *e)
{
	struct frames *c = arg;
	const u8 *f = evs_mini_frame(&drv, e);
	u32 len = evs_rd16(&e->len), seq = evs_rd32(&e->seq);
	struct evs_frame_info info;
	struct evs_flow_tuple t;

	c->ring_gap += seq - c->next_seq;
	c->next_seq = seq + 1;
	if (ring || evs_rd16(&e->code) != EVS_EV_DATA)
		c->bad.ring++;
	if (len < c->min || len > c->max || evs_frame_check(f, len, &info) ||
	    info.ipv6 != c->ipv6 || info.evsp.flow_id >= FLOWS) {
		c->bad.frame++;
		return;
	}
	c->frames++;
	c->bytes += len;
	evs_flow_tuple_make_at(&c->a, info.evsp.flow_id, SEED, c->ipv6, &t);
	if (memcmp(f, drv.mac, 6) || memcmp(f, c->a.dst_mac, 6) ||
	    memcmp(f + 6, c->a.src_mac, 6) || info.tuple.len != t.len ||
	    memcmp(info.tuple.b, t.b, t.len))
		c->bad.addr++;
	if (evs_rd32(&e->hash) != evs_toeplitz_ref(evs_default_key(),
						   info.tuple.b, info.tuple.len) ||
	    e->hash_type != (c->ipv6 ? EVS_HASH_IPV6_L4 : EVS_HASH_IPV4_L4) ||
	    !(evs_rd16(&e->flags) & EVS_EF_IPV6) != !c->ipv6 ||
	    info.evsp.tstamp_ns != evs_rd64(&e->tstamp_ns))
		c->bad.hash++;
	check_flow(c, &info);
}

static void run_napi(unsigned int ms)
{
	u64 end = evs_now_ns() + ms * 1000000ull, counts[2] = { 0 };

	while (evs_now_ns() < end) {
		evs_mini_wait(&drv, 10, counts);
		evs_mini_napi(&drv, check_frame, &fr);
	}
}

static u64 sum(const u64 *v, unsigned int n)
{
	u64 s = 0;

	while (n--)
		s += v[n];
	return s;
}

static bool attach(const char *const *args, const char *what)
{
	if (!tap_ok(!evs_devproc_start(&dev, args), "%s: device starts", what))
		return false;
	if (tap_ok(!evs_mini_attach(&drv, dev.sock, 2, MSG_MS),
		   "%s: driver model attaches", what))
		return true;
	evs_devproc_cleanup(&dev);
	return false;
}

static void detach(void)
{
	int status = -1;

	evs_mini_detach(&drv);
	evs_devproc_stop(&dev, &status);
	evs_devproc_cleanup(&dev);
}

static void test_ipv4(void)
{
	static const char *const args[] = {
		"--rings", "1", "--ring-size", "512", "--rate", "4000",
		"--flows", "4", "--seed", "3", "--buf-size", "4096",
		"--mac", "02:00:00:00:00:aa", "--peer-mac", "02:00:00:00:00:bb",
		"--src-ip", "10.1.2.0", "--dst-ip", "10.9.9.9",
		"--dst-port", "4789", "--frame-len", "100-300", NULL
	};
	u64 dropped, gaps;
	u32 f, sequential = 0;

	memset(&fr, 0, sizeof(fr));
	evs_frame_addrs_default(&fr.a);
	memcpy(fr.a.dst_mac, "\x02\x00\x00\x00\x00\xaa", 6);
	memcpy(fr.a.src_mac, "\x02\x00\x00\x00\x00\xbb", 6);
	memcpy(fr.a.src_ip4, "\x0a\x01\x02\x00", 4);
	memcpy(fr.a.dst_ip4, "\x0a\x09\x09\x09", 4);
	fr.a.dst_port = 4789;
	fr.min = 100;
	fr.max = 300;
	if (!attach(args, "IPv4"))
		return;
	tap_ok(drv.buf_size == 4096 && !memcmp(drv.mac, fr.a.dst_mac, 6),
	       "header: --buf-size 4096 and --mac 02:00:00:00:00:aa");
	evs_mini_enable(&drv, true);
	run_napi(300);
	for (f = 0; f < FLOWS; f++)
		sequential += fr.seen[f] > 10 && !fr.gap[f] &&
			      fr.next[f] == fr.seen[f];
	tap_diag("consumed promptly: %llu frames", (unsigned long long)fr.frames);
	tap_eq(stat_total("dropped"), 0, "consumed promptly: nothing dropped");
	tap_eq(sequential, FLOWS,
	       "each of the 4 flows: EVSP seq 0, 1, 2, ... in order, no gap");
	tap_eq(fr.bad.frame, 0,
	       "every frame valid (checksums), 100..300 bytes, in its entry's buffer");
	tap_eq(fr.bad.addr, 0,
	       "every frame: peer MAC -> NIC MAC, 10.1.2.x -> 10.9.9.9:4789, its flow's tuple");
	tap_eq(fr.bad.hash, 0,
	       "every entry: hash = Toeplitz over the frame's tuple, HASH_IPV4_L4, EVSP time = entry time");

	/* not consuming: the 512-entry ring fills, and frames are lost */
	sleep_ms(400);
	run_napi(300);
	tap_eq(evs_devproc_cmd(&dev, "pause", reply, sizeof(reply)), 0,
	       "pause");
	evs_mini_napi(&drv, check_frame, &fr);
	dropped = stat_total("dropped");
	gaps = sum(fr.gap, FLOWS);
	tap_diag("not consumed for 400 ms: %llu dropped, per-flow gaps %llu %llu %llu %llu",
		 (unsigned long long)dropped, (unsigned long long)fr.gap[0],
		 (unsigned long long)fr.gap[1], (unsigned long long)fr.gap[2],
		 (unsigned long long)fr.gap[3]);
	tap_ok(dropped > 100, "a full ring dropped frames (%llu)",
	       (unsigned long long)dropped);
	tap_eq(gaps, dropped,
	       "every dropped frame is a gap in its flow's EVSP sequence");
	tap_eq(fr.ring_gap, dropped, "... and in the ring's entry sequence");
	tap_eq(fr.bad.order, 0, "no flow ever went backwards");
	tap_eq(fr.bad.frame + fr.bad.addr + fr.bad.hash + fr.bad.ring, 0,
	       "every frame around the drops checks out");
	tap_eq(stat_total("frames"), fr.frames, "JSON frames == frames consumed");
	tap_eq(stat_total("bytes"), fr.bytes, "JSON bytes == their bytes");
	detach();
}

static void test_ipv6(void)
{
	static const char *const args[] = {
		"--rings", "1", "--rate", "3000", "--flows", "4", "--seed", "3",
		"--ipv6", "--src-ip6", "fd00:1::", "--dst-ip6", "fd00::9",
		"--dst-port", "5000", NULL
	};
	u32 f, sequential = 0;

	memset(&fr, 0, sizeof(fr));
	evs_frame_addrs_default(&fr.a);
	inet_pton(AF_INET6, "fd00:1::", fr.a.src_ip6);
	inet_pton(AF_INET6, "fd00::9", fr.a.dst_ip6);
	fr.a.dst_port = 5000;
	fr.ipv6 = true;
	fr.min = EVS_FRAME_MIN_V6;
	fr.max = EVS_FRAME_MAX;
	if (!attach(args, "IPv6"))
		return;
	tap_eq(drv.buf_size, 2048, "header: default buffer size 2048");
	evs_mini_enable(&drv, true);
	run_napi(300);
	tap_eq(evs_devproc_cmd(&dev, "pause", reply, sizeof(reply)), 0,
	       "pause");
	evs_mini_napi(&drv, check_frame, &fr);
	for (f = 0; f < FLOWS; f++)
		sequential += fr.seen[f] > 10 && !fr.gap[f] &&
			      fr.next[f] == fr.seen[f];
	tap_ok(fr.frames > 300, "IPv6: %llu frames", (unsigned long long)fr.frames);
	tap_eq(sequential, FLOWS, "IPv6: each flow's EVSP seq 0, 1, 2, ... in order");
	tap_eq(fr.bad.frame, 0, "IPv6: every frame valid, 86..1514 bytes");
	tap_eq(fr.bad.addr, 0,
	       "IPv6: fd00:1::x -> fd00::9 port 5000 from the default peer to the default NIC MAC");
	tap_eq(fr.bad.hash, 0, "IPv6: hash over the frame's tuple, HASH_IPV6_L4, EVS_EF_IPV6");
	detach();
}

/* Which flows each ring got, by the EVSP flow id of its frames. */
static void note_ring(void *arg, u32 ring, const struct evs_entry *e)
{
	u32 *mask = arg;
	struct evs_frame_info info;

	if (ring < 4 && !evs_frame_check(evs_mini_frame(&drv, e),
					 evs_rd16(&e->len), &info) &&
	    info.evsp.flow_id < 32)
		mask[ring] |= 1u << info.evsp.flow_id;
}

/* The device's default RETA is evsteer-steer's --equal N. */
static void test_steer_tool(void)
{
	static const char *const args[] = {
		"--rings", "4", "--rate", "5000", "--flows", "16", "--seed", "5",
		"--src-ip", "10.1.2.0", "--dst-ip", "10.9.9.9",
		"--dst-port", "4789", NULL
	};
	char key[3 * EVS_HASH_KEY_SIZE], out[1024];
	const char *tool = strdup(evs_tool_path("evsteer-steer"));
	const char *const steer[] = {
		tool, "--key", key, "--equal", "4", "--flows", "16",
		"--seed", "5", "--src-ip", "10.1.2.0", "--dst-ip", "10.9.9.9",
		"--dst-port", "4789", NULL
	};
	u32 mask[4] = { 0 }, r, k, agree = 0, all = 0, once = 1;
	u64 end, counts[5];
	const char *p;
	int st = -1;

	for (k = 0; k < EVS_HASH_KEY_SIZE; k++)
		sprintf(key + 3 * k, "%02x%s", evs_default_key()[k],
			k + 1 < EVS_HASH_KEY_SIZE ? ":" : "");
	if (!tap_ok(!evs_devproc_start(&dev, args), "steer: device starts"))
		goto free_tool;
	if (tap_ok(!evs_mini_attach(&drv, dev.sock, 5, MSG_MS),
		   "steer: driver model attaches")) {
		evs_mini_enable(&drv, true);
		end = evs_now_ns() + 300 * 1000000ull;
		while (evs_now_ns() < end) {
			evs_mini_wait(&drv, 10, counts);
			evs_mini_napi(&drv, note_ring, mask);
		}
		evs_mini_detach(&drv);
	}
	evs_devproc_cleanup(&dev);
	tap_ok(!evs_run_tool(steer, 5000, out, sizeof(out), &st) &&
	       WIFEXITED(st) && !WEXITSTATUS(st),
	       "evsteer-steer with the device's options runs");
	for (r = 0; r < 4; r++) {
		char pat[32];

		snprintf(pat, sizeof(pat), "ring=%u flows=", r);
		p = strstr(out, pat);
		agree += p && strtoul(p + strlen(pat), NULL, 10) ==
			      (u32)__builtin_popcount(mask[r]);
		once &= !(mask[r] & all);
		all |= mask[r];
	}
	tap_eq(all, 0xffff, "all 16 flows arrived");
	tap_ok(once, "each flow in one ring only");
	tap_eq(agree, 4, "evsteer-steer's flows per ring == the device's (%u %u %u %u)",
	       __builtin_popcount(mask[0]), __builtin_popcount(mask[1]),
	       __builtin_popcount(mask[2]), __builtin_popcount(mask[3]));
free_tool:
	free((void *)tool);
}

/*
 * evsteer-steer --tuple hashes given flows as the device hashes a
 * frame's own: Microsoft's RSS verification vectors (with ports), IPv4
 * and IPv6, and a bad tuple is refused.
 */
static void test_steer_tuples(void)
{
	static const struct {
		const char *tuple;
		const char *hash;
	} v[] = {
		{ "66.9.149.187,2794,161.142.100.80,1766", "0x51ccc178" },
		{ "199.92.111.2,14230,65.69.140.83,4739", "0xc626b0ea" },
		{ "24.19.198.95,12898,12.22.207.184,38024", "0x5c2b394a" },
		{ "38.27.205.30,48228,209.142.163.6,2217", "0xafc7327f" },
		{ "153.39.163.191,44251,202.188.127.2,1303", "0x10e828a2" },
		{ "3ffe:2501:200:1fff::7,2794,3ffe:2501:200:3::1,1766",
		  "0x40207d3d" },
		{ "3ffe:501:8::260:97ff:fe40:efab,14230,ff02::1,4739",
		  "0xdde51bbf" },
		{ "3ffe:1900:4545:3:200:f8ff:fe21:67cf,44251,fe80::200:f8ff:fe21:67cf,38024",
		  "0x02d1feef" },
	};
	char key[3 * EVS_HASH_KEY_SIZE], out[2048], want[64];
	const char *tool = strdup(evs_tool_path("evsteer-steer"));
	const char *argv[4 + 2 * ARRAY_SIZE(v) + 2] = {
		tool, "--key", key, "--equal", NULL
	};
	const char *const bad[] = {
		tool, "--key", key, "--equal", "4",
		"--tuple", "198.18.0.1,5000,2001:db8::2,5201", NULL
	};
	unsigned int k, n = 4, found = 0;
	int st = -1;

	for (k = 0; k < EVS_HASH_KEY_SIZE; k++)
		sprintf(key + 3 * k, "%02x%s", evs_default_key()[k],
			k + 1 < EVS_HASH_KEY_SIZE ? ":" : "");
	argv[n++] = "4";
	for (k = 0; k < ARRAY_SIZE(v); k++) {
		argv[n++] = "--tuple";
		argv[n++] = v[k].tuple;
	}
	tap_ok(!evs_run_tool(argv, 5000, out, sizeof(out), &st) &&
	       WIFEXITED(st) && !WEXITSTATUS(st),
	       "evsteer-steer --tuple runs");
	for (k = 0; k < ARRAY_SIZE(v); k++) {
		snprintf(want, sizeof(want), "tuple=%u hash=%s ", k, v[k].hash);
		found += !!strstr(out, want);
	}
	tap_eq(found, ARRAY_SIZE(v),
	       "--tuple: the RSS verification suite's hashes, IPv4 and IPv6");
	tap_ok(!evs_run_tool(bad, 5000, out, sizeof(out), &st) &&
	       WIFEXITED(st) && WEXITSTATUS(st) == 2,
	       "--tuple with an IPv4 and an IPv6 address is refused (exit 2)");
	free((void *)tool);
}

int main(void)
{
	alarm(30);	/* hard limit; children die with us (PDEATHSIG) */
	test_ipv4();
	test_ipv6();
	test_steer_tool();
	test_steer_tuples();
	return tap_done();
}
