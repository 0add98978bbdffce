// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evsteer-device --backend loopback, with this test as the guest
 * driver: frames posted on the TX queues come back on the RX ring
 * their hash steers to, byte for byte (UDP flows hashed L4, an ARP
 * frame with EVS_HASH_NONE through RETA entry 0); completions, the TX
 * armed rule, JSON counters, refused lengths and producer indices,
 * "inject tx-stall", TX during an operator pause, re-enabling, and
 * the option checks of --backend.
 */
#define _GNU_SOURCE
#include <poll.h>
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

#define RINGS		4
#define TOTAL		(RINGS + 1)
#define MSG_MS		2000
#define NFRAMES		24
#define MAX_GOT		256

static const char *const dev_args[] = {
	"--backend", "loopback", "--rings", "4", "--ring-size", "64", NULL
};

static struct evs_devproc dev;
static struct evs_mini drv;
static struct evs_steer steer;
static char reply[EVS_STRBUF_SIZE];

/* A received entry, copied out. */
struct rx {
	u32 ring;
	u32 code;
	u32 hash;
	u32 hash_type;
	u32 len;
	u8 frame[EVS_BUF_SIZE_MAX];
};

static struct rx got[MAX_GOT];
static unsigned int ngot;

static u8 sent[NFRAMES + 1][EVS_FRAME_MAX];
static u32 sent_len[NFRAMES + 1];

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int ctl(const char *cmd)
{
	return evs_devproc_cmd(&dev, cmd, reply, sizeof(reply));
}

static u64 stat_total(const char *field)
{
	return evs_devproc_stat(&dev, field, reply, sizeof(reply));
}

static u64 stat_txq(u32 q, const char *field)
{
	u64 v = ~0ull;

	if (!ctl("stats"))
		evs_json_u64(evs_json_object(reply, "queue", q), field, &v);
	return v;
}

static void collect(void *arg, u32 ring, const struct evs_entry *e)
{
	struct rx *r = &got[ngot];
	u32 len = evs_rd16(&e->len);

	(void)arg;
	if (ngot == MAX_GOT)
		return;
	ngot++;
	r->ring = ring;
	r->code = evs_rd16(&e->code);
	r->hash = evs_rd32(&e->hash);
	r->hash_type = e->hash_type;
	r->len = len;
	if (len <= drv.buf_size)
		memcpy(r->frame, evs_mini_frame(&drv, e), len);
}

/* Consume and re-arm every ring until @want entries arrived or @ms. */
static void rx_wait(unsigned int want, unsigned int ms)
{
	u64 counts[TOTAL] = { 0 };
	unsigned int waited;

	for (waited = 0; waited < ms && ngot < want; waited += 10) {
		evs_mini_wait(&drv, 10, counts);
		evs_mini_napi(&drv, collect, NULL);
	}
}

/* A UDP frame of flow @f, from the NIC's peer side, as a guest sends. */
static u32 udp_frame(u8 *buf, u32 f)
{
	struct evs_frame_addrs a;
	struct evs_flow_tuple t;

	evs_frame_addrs_default(&a);
	evs_flow_tuple_make_at(&a, f, 3, false, &t);
	return evs_frame_build(buf, EVS_FRAME_MIN_V4 + f * 37, &a, &t, f, f,
			       1000 + f);
}

/* An ARP request: not IP, so EVS_HASH_NONE and RETA entry 0. */
static u32 arp_frame(u8 *buf)
{
	static const u8 arp[42] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x02, 0x45, 0x56, 0x53, 0x00, 0x02, 0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
		0x02, 0x45, 0x56, 0x53, 0x00, 0x02, 198, 18, 0, 2,
		0, 0, 0, 0, 0, 0, 198, 18, 0, 1,
	};

	memcpy(buf, arp, sizeof(arp));
	return sizeof(arp);
}

/* Where frame @i must come back, from the test's own steering copy. */
static void expect(u32 i, u32 *ring, u32 *hash, u32 *type)
{
	struct evs_frame_info info;
	struct evs_target t;

	*hash = 0;
	*type = EVS_HASH_NONE;
	if (!evs_frame_check(sent[i], sent_len[i], &info)) {
		*hash = evs_toeplitz_ref(steer.key, info.tuple.b,
					 info.tuple.len);
		*type = EVS_HASH_IPV4_L4;
	}
	evs_steer_resolve(&steer, EVS_EV_DATA, *hash, &t);
	*ring = t.ring;
}

/*
 * Wait until queue @q completed @want: a frame is looped back before
 * the cons of its batch is published.
 */
static bool wait_cons(u32 q, u32 want)
{
	unsigned int waited;

	for (waited = 0; waited < MSG_MS; waited += 5) {
		if (evs_mini_tx_completed(&drv, q) == want)
			return true;
		sleep_ms(5);
	}
	return false;
}

/* Every frame posted came back once, where its hash steers it. */
static void check_loopback(void)
{
	u32 i, j, found = 0, placed = 0, hashed = 0;

	for (i = 0; i <= NFRAMES; i++) {
		u32 ring, hash, type, n = 0;

		expect(i, &ring, &hash, &type);
		for (j = 0; j < ngot; j++) {
			if (got[j].len != sent_len[i] ||
			    memcmp(got[j].frame, sent[i], sent_len[i]))
				continue;
			n++;
			placed += got[j].ring == ring &&
				  got[j].code == EVS_EV_DATA;
			hashed += got[j].hash == hash &&
				  got[j].hash_type == type;
		}
		found += n == 1;
	}
	tap_eq(ngot, NFRAMES + 1, "%u entries came back", NFRAMES + 1);
	tap_eq(found, NFRAMES + 1, "each posted frame came back once, byte for byte");
	tap_eq(placed, NFRAMES + 1,
	       "... as EVS_EV_DATA in the ring its hash steers to");
	tap_eq(hashed, NFRAMES + 1,
	       "... with the Toeplitz hash of its tuple (ARP: none, 0)");
}

static void test_loopback(void)
{
	u32 q, i, status, rings_hit = 0, cons_ok = 0;
	struct evs_config cfg;
	bool ring_seen[TOTAL] = { false };

	memcpy(&cfg, drv.cfg, sizeof(cfg));
	tap_eq(evs_steer_load(&steer, &cfg, TOTAL, TOTAL), EVS_CFG_OK,
	       "the default configuration loads");
	evs_mini_configure(&drv, &cfg, &status, MSG_MS);
	evs_mini_tx_reset(&drv);
	for (q = 0; q < RINGS; q++)
		evs_mini_tx_arm(&drv, q, true);
	tap_ok(!evs_mini_enable(&drv, true), "enable");
	for (i = 0; i < NFRAMES; i++) {
		sent_len[i] = udp_frame(sent[i], i);
		evs_mini_tx_post(&drv, i % RINGS, sent[i], sent_len[i]);
	}
	sent_len[NFRAMES] = arp_frame(sent[NFRAMES]);
	evs_mini_tx_post(&drv, 1, sent[NFRAMES], sent_len[NFRAMES]);
	for (q = 0; q < RINGS; q++)
		evs_mini_tx_publish(&drv, q);
	evs_ivc_doorbell(&drv.ivc);
	rx_wait(NFRAMES + 1, 3000);
	check_loopback();
	for (i = 0; i < ngot; i++)
		ring_seen[got[i].ring] = true;
	for (i = 0; i < TOTAL; i++)
		rings_hit += ring_seen[i];
	tap_ok(rings_hit >= 2, "the flows spread over %u rings", rings_hit);
	for (q = 0; q < RINGS; q++)
		cons_ok += wait_cons(q, drv.tx_prod[q]);
	tap_eq(cons_ok, RINGS, "every queue's cons caught up with prod");
	tap_eq(stat_total("tx_frames"), NFRAMES + 1, "JSON tx_frames");
	tap_eq(stat_total("loopback_frames"), NFRAMES + 1,
	       "JSON loopback_frames");
	tap_eq(stat_total("tx_signalled"), RINGS,
	       "JSON tx_signalled: once per armed queue");
	for (q = 0, cons_ok = 0; q < RINGS; q++)
		cons_ok += !evs_rd32(&drv.tx_ctl[q].armed);
	tap_eq(cons_ok, RINGS, "the device cleared every TX armed flag");
	tap_eq(stat_txq(1, "frames"), NFRAMES / RINGS + 1,
	       "JSON tx_queues[1].frames (ARP included)");
	tap_ok(!ctl("stats") && strstr(reply, "\"backend\":\"loopback\""),
	       "JSON backend loopback");
}

/* Post one UDP frame on @q, publish it and ring the doorbell. */
static void post_one(u32 q, u32 flow)
{
	sent_len[0] = udp_frame(sent[0], flow);
	evs_mini_tx_post(&drv, q, sent[0], sent_len[0]);
	evs_mini_tx_publish(&drv, q);
	evs_ivc_doorbell(&drv.ivc);
}

static void test_bad(void)
{
	u64 bad = stat_total("tx_bad"), bp = stat_total("tx_bad_prod");
	u32 c0 = evs_mini_tx_completed(&drv, 2), saved;

	evs_mini_tx_post(&drv, 2, NULL, 0);
	evs_mini_tx_post(&drv, 2, NULL, 13);
	evs_mini_tx_post(&drv, 2, NULL, drv.buf_size + 1);
	evs_mini_tx_publish(&drv, 2);
	evs_ivc_doorbell(&drv.ivc);
	sleep_ms(100);
	tap_eq(stat_total("tx_bad") - bad, 3,
	       "lengths 0, 13, buf_size + 1: tx_bad + 3");
	tap_eq(evs_mini_tx_completed(&drv, 2) - c0, 3, "... and completed");
	saved = drv.tx_prod[3];
	evs_wr32(&drv.tx_ctl[3].prod, saved + drv.tx_ring_size + 1);
	evs_ivc_doorbell(&drv.ivc);
	sleep_ms(100);
	tap_ok(stat_total("tx_bad_prod") > bp,
	       "prod beyond the queue: tx_bad_prod counted");
	tap_eq(ctl("stats"), 0, "the device still answers");
	evs_wr32(&drv.tx_ctl[3].prod, saved);
	ngot = 0;
	post_one(3, 5);
	rx_wait(1, 2000);
	tap_eq(ngot, 1, "queue 3 works again once prod is sane");
}

static void test_tx_stall(void)
{
	u32 c0;

	tap_ok(ctl("inject tx-stall 60001") == 1, "tx-stall 60001: refused");
	tap_ok(ctl("inject tx-stall x") == 1, "tx-stall x: refused");
	tap_eq(ctl("inject tx-stall 500"), 0, "inject tx-stall 500: %s", reply);
	tap_ok(!ctl("stats") && strstr(reply, "\"tx_stalled\":true"),
	       "JSON tx_stalled true");
	c0 = evs_mini_tx_completed(&drv, 0);
	ngot = 0;
	post_one(0, 9);
	sleep_ms(150);
	tap_ok(evs_mini_tx_completed(&drv, 0) == c0 && !ngot,
	       "stalled: the frame is neither consumed nor completed");
	tap_eq(ctl("inject tx-stall 0"), 0, "inject tx-stall 0: %s", reply);
	sleep_ms(50);
	tap_eq(evs_mini_tx_completed(&drv, 0), c0 + 1,
	       "tx-stall 0: consumed at once");
	rx_wait(1, 1000);
	tap_eq(ngot, 1, "... and looped back");
	/* a stall that ends by itself */
	tap_eq(ctl("inject tx-stall 200"), 0, "inject tx-stall 200");
	post_one(0, 10);
	sleep_ms(50);
	tap_eq(evs_mini_tx_completed(&drv, 0), c0 + 1, "stalled for now");
	sleep_ms(400);
	tap_eq(evs_mini_tx_completed(&drv, 0), c0 + 2,
	       "consumed once the stall ended, without a doorbell");
}

static void test_pause_and_reenable(void)
{
	u64 dropped = stat_total("loopback_dropped");
	u32 c0 = evs_mini_tx_completed(&drv, 1);
	unsigned int waited;

	tap_eq(ctl("pause"), 0, "pause");
	post_one(1, 11);
	sleep_ms(100);
	tap_eq(evs_mini_tx_completed(&drv, 1), c0 + 1,
	       "paused: TX is still consumed");
	tap_eq(stat_total("loopback_dropped") - dropped, 1,
	       "... and the looped-back frame dropped (RX paused)");
	tap_eq(ctl("resume"), 0, "resume");
	tap_ok(ctl("rate 10") == 1, "rate: refused, loopback generates nothing");

	/* disable, wait for the device to see it, zero, enable again */
	evs_mini_enable(&drv, false);
	for (waited = 0; waited < MSG_MS; waited += 10) {
		if (!ctl("stats") && strstr(reply, "\"enabled\":false"))
			break;
		sleep_ms(10);
	}
	evs_mini_tx_reset(&drv);
	evs_mini_enable(&drv, true);
	ngot = 0;
	post_one(2, 12);
	rx_wait(1, 2000);
	wait_cons(2, 1);
	tap_ok(ngot == 1 && evs_mini_tx_completed(&drv, 2) == 1,
	       "re-enabled with zeroed indices: the device starts over at 0");
}

static void test_options(void)
{
	static const char *const bad[][6] = {
		{ "--backend", "loopback", "--rate", "10" },
		{ "--backend", "tap" },
		{ "--backend", "pcap" },
		{ "--backend", "nope" },
		{ "--backend", "loopback", "--tap", "x0" },
		{ "--tap", "0123456789abcdef" },
		{ "--tap", "a/b" },
	};
	const char *dev_path = strdup(evs_tool_path("evsteer-device"));
	unsigned int i, ok = 0;
	static char out[16384];
	int st;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *argv[10] = { dev_path, "--socket", "/nonexistent/s" };
		unsigned int j;

		for (j = 0; j < 6 && bad[i][j]; j++)
			argv[3 + j] = bad[i][j];
		if (!evs_run_tool(argv, 5000, out, sizeof(out), &st) &&
		    WIFEXITED(st) && WEXITSTATUS(st) == 2)
			ok++;
		else
			tap_diag("case %u: %s", i, out);
	}
	tap_eq(ok, ARRAY_SIZE(bad), "bad --backend/--tap combinations: exit 2");
	{
		const char *argv[] = { dev_path, "--help", NULL };

		tap_ok(!evs_run_tool(argv, 5000, out, sizeof(out), &st) &&
		       strstr(out, "--backend") && strstr(out, "--tap IFNAME"),
		       "--help documents --backend and --tap");
	}
	free((void *)dev_path);
}

int main(void)
{
	int st;

	alarm(60);	/* children die with us (PDEATHSIG) */
	test_options();
	if (!tap_ok(!evs_devproc_start(&dev, dev_args), "loopback device starts"))
		return tap_done();
	if (tap_ok(!evs_mini_attach(&drv, dev.sock, TOTAL, MSG_MS),
		   "attach, header with TX queues checks out")) {
		tap_eq(drv.tx_ring_size, 64, "TX queues of 64");
		test_loopback();
		test_bad();
		test_tx_stall();
		test_pause_and_reenable();
		evs_mini_detach(&drv);
	}
	tap_ok(!evs_devproc_stop(&dev, &st) && WIFEXITED(st) &&
	       WEXITSTATUS(st) == 0, "SIGTERM: exit 0");
	evs_devproc_cleanup(&dev);
	return tap_done();
}
