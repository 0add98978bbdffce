// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evsteer-device, traffic side: this test is the guest driver.  It
 * programs configurations in both mapping modes, enables the device,
 * consumes rings NAPI-style while waiting on the vector eventfds, and
 * checks every entry against its frame (the frame in the entry's
 * buffer must be valid; the flow's tuple, recomputed from the EVSP flow
 * id, must be the frame's; hash, RETA and MVMT must put it where the
 * device did).  Then: rate, rejected configurations, the armed rule,
 * flood, full rings, fault injection (corrupt code, len, ring, runt),
 * stall, pause/resume, per-flow sequences, frame statistics, control
 * errors, IPv6 frames, SIGTERM.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
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
#define RING_SIZE	1024
#define RATE		20000
#define FLOWS		256
#define SEED		7
#define COST		500
#define MSG_MS		2000

static const char *const dev_args[] = {
	"--rings", "4", "--ring-size", "1024", "--rate", "20000",
	"--flows", "256", "--zipf", "0.8", "--mix", "70,10,10,10",
	"--seed", "7", "--cost", "500", NULL
};

/**
 * struct check - what the consumer has seen and verified
 * @steer:    the configuration the device should be steering with
 * @ipv6:     tuples are IPv6
 * @flows:    flow ids must be below this
 * @cost:     cost_ns every entry must carry
 * @next_seq: next expected sequence number per ring
 * @last_ts:  last time stamp per ring
 * @ring:     entries consumed per ring
 * @vec:      entries whose steering names each vector
 * @gap:      sequence numbers skipped per ring (device-side drops)
 * @nodata:   entries without data
 * @codes:    entries per event code
 * @frames:   data entries with a valid frame, per ring
 * @bytes:    their frame bytes, per ring
 * @flow_seen: frames seen per flow
 * @flow_end: one more than the highest EVSP sequence number per flow
 * @flow_dups: frames whose flow and sequence number came before
 * @bad:      entries failing any check, by kind
 */
struct check {
	struct evs_steer steer;
	bool ipv6;
	u32 flows;
	u32 cost;
	u32 next_seq[TOTAL];
	u64 last_ts[TOTAL];
	u64 ring[TOTAL];
	u64 vec[TOTAL];
	u64 gap[TOTAL];
	u64 nodata;
	u64 codes[EVS_NUM_CODES];
	u64 frames[TOTAL];
	u64 bytes[TOTAL];
	u64 flow_seen[FLOWS];
	u64 flow_end[FLOWS];
	u64 flow_dups;
	struct {
		u64 ring_field, code, fields, hash, target, time, frame;
	} bad;
};

/* Sequence numbers seen, per flow: far more than a run can produce. */
#define SEQ_BITS	(1u << 18)

static struct evs_devproc dev;
static struct evs_mini drv;
static struct check chk;
static u64 seq_seen[FLOWS][SEQ_BITS / 64];
static char reply[EVS_STRBUF_SIZE];

static u64 now_ns(void)
{
	return evs_now_ns();
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int ctl(const char *cmd)
{
	return evs_devproc_cmd(&dev, cmd, reply, sizeof(reply));
}

/* ---- configurations ------------------------------------------------- */

static void test_key(u8 *key)
{
	unsigned int i;

	for (i = 0; i < EVS_HASH_KEY_SIZE; i++)
		key[i] = (u8)(i * 37 + 11) ^ 0x5a;
}

/* Mode (a): six processors, an MVMT that crosses rings and vectors. */
static void config_proc_code(struct evs_config *cfg)
{
	unsigned int i, p, c;

	memset(cfg, 0, sizeof(*cfg));
	test_key(cfg->hash_key);
	evs_wr16(&cfg->reta_size, 64);
	evs_wr16(&cfg->default_proc, 5);
	evs_wr32(&cfg->map_mode, EVS_MAP_PROC_CODE);
	for (i = 0; i < 64; i++)
		evs_wr16(&cfg->reta[i], (i * 7 + 3) % 6);
	for (p = 0; p < EVS_MAX_PROCS; p++) {
		for (c = 0; c < EVS_NUM_CODES; c++) {
			u32 ring = evs_code_has_data(c) ? (p + c) % RINGS :
				   c == EVS_EV_LINK ? RINGS : 3;

			evs_wr16(&cfg->mvmt_pc[p][c].ring, ring);
			evs_wr16(&cfg->mvmt_pc[p][c].vector, (ring + p) % TOTAL);
		}
	}
}

/* Mode (b): eight processors over all five rings, vectors rotated. */
static void config_proc_ring(struct evs_config *cfg)
{
	unsigned int i;

	memset(cfg, 0, sizeof(*cfg));
	test_key(cfg->hash_key);
	evs_wr16(&cfg->reta_size, 128);
	evs_wr16(&cfg->default_proc, 2);
	evs_wr32(&cfg->map_mode, EVS_MAP_PROC_RING);
	for (i = 0; i < 128; i++)
		evs_wr16(&cfg->reta[i], (i * 5 + 1) % 8);
	for (i = 0; i < EVS_MAX_PROCS; i++)
		evs_wr16(&cfg->proc_ring[i], (i * 3 + 1) % TOTAL);
	for (i = 0; i < TOTAL; i++)
		evs_wr16(&cfg->ring_vector[i], (i + 2) % TOTAL);
}

/* ---- consuming and checking ------------------------------------------ */

/* The frame's fields against the entry's and the flow's own. */
static void check_frame(struct check *c, const struct evs_entry *e,
			const u8 *f, const struct evs_frame_info *info)
{
	static const u8 peer[EVS_ETH_ALEN] = EVS_DEFAULT_PEER_MAC;
	u32 flow = info->evsp.flow_id, len = evs_rd16(&e->len);
	struct evs_flow_tuple t;

	evs_flow_tuple_make(flow, SEED, c->ipv6, &t);
	if (memcmp(f, drv.mac, EVS_ETH_ALEN) ||
	    memcmp(f + EVS_ETH_ALEN, peer, EVS_ETH_ALEN) ||
	    info->tuple.len != t.len || memcmp(info->tuple.b, t.b, t.len) ||
	    info->evsp.tstamp_ns != evs_rd64(&e->tstamp_ns) ||
	    len < evs_frame_min_len(c->ipv6) || len > EVS_FRAME_MAX)
		c->bad.frame++;
	c->flow_seen[flow]++;
	if (info->evsp.seq + 1 > c->flow_end[flow])
		c->flow_end[flow] = info->evsp.seq + 1;
	if (info->evsp.seq >= SEQ_BITS) {
		c->bad.frame++;
		return;
	}
	if (seq_seen[flow][info->evsp.seq / 64] & 1ull << info->evsp.seq % 64)
		c->flow_dups++;
	seq_seen[flow][info->evsp.seq / 64] |= 1ull << info->evsp.seq % 64;
}

/* A data entry: its frame first, then the hash over the frame's tuple. */
static void check_data(struct check *c, u32 ring, const struct evs_entry *e,
		       u32 *hash)
{
	const u8 *f = evs_mini_frame(&drv, e);
	u32 len = evs_rd16(&e->len), flags = evs_rd16(&e->flags);
	struct evs_frame_info info;

	*hash = evs_rd32(&e->hash);
	if (len > drv.buf_size || evs_frame_check(f, len, &info) ||
	    info.ipv6 != c->ipv6 || info.evsp.flow_id >= c->flows) {
		c->bad.frame++;
		return;
	}
	check_frame(c, e, f, &info);
	c->frames[ring]++;
	c->bytes[ring] += len;
	if ((flags & EVS_EF_NODATA) || !(flags & EVS_EF_IPV6) != !c->ipv6 ||
	    e->hash_type != (c->ipv6 ? EVS_HASH_IPV6_L4 : EVS_HASH_IPV4_L4))
		c->bad.fields++;
	*hash = evs_toeplitz_ref(c->steer.key, info.tuple.b, info.tuple.len);
	if (evs_rd32(&e->hash) != *hash)
		c->bad.hash++;
}

static void check_nodata(struct check *c, const struct evs_entry *e, u32 code)
{
	u32 flags = evs_rd16(&e->flags);

	c->nodata++;
	if (!(flags & EVS_EF_NODATA) || evs_rd32(&e->hash) || e->hash_type ||
	    evs_rd16(&e->len) ||
	    (code == EVS_EV_LINK && !(flags & EVS_EF_LINK_UP)))
		c->bad.fields++;
}

/* Verify one entry against everything the test can recompute. */
static void check_entry(void *arg, u32 ring, const struct evs_entry *e)
{
	struct check *c = arg;
	u32 seq = evs_rd32(&e->seq), code = evs_rd16(&e->code), hash = 0;
	u64 ts = evs_rd64(&e->tstamp_ns);
	struct evs_target t;

	c->ring[ring]++;
	if (seq != c->next_seq[ring])
		c->gap[ring] += seq - c->next_seq[ring];
	c->next_seq[ring] = seq + 1;
	if (evs_rd16(&e->ring) != ring)
		c->bad.ring_field++;
	if (code >= EVS_NUM_CODES) {
		c->bad.code++;
		return;
	}
	c->codes[code]++;
	if (evs_code_has_data(code))
		check_data(c, ring, e, &hash);
	else
		check_nodata(c, e, code);
	if (evs_rd32(&e->cost_ns) != c->cost)
		c->bad.fields++;
	if (ts < c->last_ts[ring] || ts > now_ns())
		c->bad.time++;
	c->last_ts[ring] = ts;
	evs_steer_resolve(&c->steer, code, hash, &t);
	if (t.ring != ring)
		c->bad.target++;
	c->vec[t.vector]++;
}

static u64 sum(const u64 *v, unsigned int n)
{
	u64 s = 0;

	while (n--)
		s += v[n];
	return s;
}

static u64 bad_total(const struct check *c)
{
	return c->bad.ring_field + c->bad.code + c->bad.fields + c->bad.hash +
	       c->bad.target + c->bad.time + c->bad.frame;
}

/* Consume and re-arm for @ms while waiting on the vectors. */
static void run_napi(unsigned int ms, u64 *fired)
{
	u64 end = now_ns() + ms * 1000000ull, counts[TOTAL] = { 0 };

	while (now_ns() < end) {
		evs_mini_wait(&drv, 10, counts);
		evs_mini_napi(&drv, check_entry, &chk);
	}
	if (fired)
		memcpy(fired, counts, sizeof(counts));
}

/* Pause the device and consume what it left; nothing else can come. */
static void pause_and_drain(void)
{
	u32 ring;

	tap_eq(ctl("pause"), 0, "pause: %s", reply);
	for (ring = 0; ring < TOTAL; ring++)
		evs_mini_consume(&drv, ring, check_entry, &chk);
}

static void disarm_all(void)
{
	u32 i;

	for (i = 0; i < TOTAL; i++)
		evs_mini_arm(&drv, i, false);
	for (i = 0; i < TOTAL; i++)
		evs_mini_read_vector(&drv, i);
}

/* A per-ring or per-vector counter of the device's JSON statistics. */
static u64 stat_of(const char *key, u32 id, const char *field)
{
	u64 v = ~0ull;

	if (ctl("stats") == 0)
		evs_json_u64(id == ~0u ? reply : evs_json_object(reply, key, id),
			     field, &v);
	return v;
}

static u64 stat_total(const char *field)
{
	return stat_of(NULL, ~0u, field);
}

static int configure(const struct evs_config *cfg, u32 *status)
{
	return evs_mini_configure(&drv, cfg, status, MSG_MS);
}

/* Load the configuration into the checker too; it must be valid. */
static void program(const struct evs_config *cfg, const char *what)
{
	u32 status = ~0u;

	tap_eq(evs_steer_load(&chk.steer, cfg, TOTAL, TOTAL), EVS_CFG_OK,
	       "%s: the test's own copy loads", what);
	tap_ok(!configure(cfg, &status), "%s: config_ack arrives", what);
	tap_eq(status, EVS_CFG_OK, "%s: config_status OK", what);
}

/* ---- phases -------------------------------------------------------- */

static void test_steering_and_rate(void)
{
	struct evs_config cfg;
	u64 t0, t1, n, upper, fired[TOTAL];
	double secs;

	config_proc_code(&cfg);
	program(&cfg, "proc-code config");
	tap_eq(stat_total("config_applied"), 1, "config_applied counted");
	t0 = now_ns();
	tap_ok(!evs_mini_enable(&drv, true), "set ENABLE, ring the doorbell");
	run_napi(1000, fired);
	t1 = now_ns();
	n = sum(chk.ring, TOTAL);
	secs = (t1 - t0) / 1e9;
	upper = (u64)(RATE * secs) + RATE / 1000 + 1;
	tap_diag("proc-code: %llu events in %.3f s: %.0f/s (configured %d/s)",
		 (unsigned long long)n, secs, n / secs, RATE);
	tap_ok(n >= RATE * secs / 2, "rate: at least half of %d/s", RATE);
	tap_ok(n <= upper, "rate: at most rate * time + one batch (%llu)",
	       (unsigned long long)upper);
	tap_ok(sum(fired, TOTAL) > 0, "vectors fired while consuming");
	pause_and_drain();
	tap_eq(bad_total(&chk), 0, "proc-code: every entry checks out");
	tap_eq(chk.bad.frame, 0,
	       "proc-code: every frame is valid, from the peer to the NIC's MAC, with its flow's tuple");
	tap_eq(chk.bad.hash, 0,
	       "proc-code: hashes equal the reference Toeplitz over the frame's tuple");
	tap_eq(chk.bad.target, 0,
	       "proc-code: every entry is in the ring evs_steer_resolve() names");
	tap_ok(chk.codes[EVS_EV_LINK] && chk.codes[EVS_EV_ERROR] &&
	       chk.codes[EVS_EV_CONTROL],
	       "the mix produced link, error and control events");
	tap_eq(sum(chk.gap, TOTAL), 0, "sequence numbers contiguous per ring");
}

/* The device's statistics agree with what the consumer counted. */
static void test_stats_match(const char *when)
{
	u64 ring_ok = 0, vec_ok = 0;
	u32 i;

	if (ctl("stats")) {
		tap_ok(0, "%s: stats reply", when);
		return;
	}
	for (i = 0; i < TOTAL; i++) {
		u64 v = ~0ull, w = ~0ull;

		evs_json_u64(evs_json_object(reply, "ring", i), "produced", &v);
		evs_json_u64(evs_json_object(reply, "vector", i), "produced", &w);
		ring_ok += v == chk.ring[i];
		vec_ok += w == chk.vec[i];
		if (v != chk.ring[i] || w != chk.vec[i])
			tap_diag("%s: ring/vector %u: device %llu/%llu, consumer %llu/%llu",
				 when, i, (unsigned long long)v,
				 (unsigned long long)w,
				 (unsigned long long)chk.ring[i],
				 (unsigned long long)chk.vec[i]);
	}
	tap_eq(ring_ok, TOTAL, "%s: JSON per-ring produced == consumer counts",
	       when);
	tap_eq(vec_ok, TOTAL,
	       "%s: JSON per-vector produced == counts from resolve()", when);
	tap_eq(stat_total("produced"), sum(chk.ring, TOTAL),
	       "%s: JSON total produced == consumed", when);
	tap_eq(stat_total("nodata"), chk.nodata, "%s: JSON nodata == consumer",
	       when);
	tap_eq(stat_total("frames"), sum(chk.frames, TOTAL),
	       "%s: JSON frames == valid frames consumed", when);
	tap_eq(stat_total("bytes"), sum(chk.bytes, TOTAL),
	       "%s: JSON bytes == their bytes", when);
	for (i = 0, ring_ok = 0; i < TOTAL; i++)
		ring_ok += stat_of("ring", i, "frames") == chk.frames[i] &&
			   stat_of("ring", i, "bytes") == chk.bytes[i];
	tap_eq(ring_ok, TOTAL, "%s: JSON per-ring frames and bytes agree", when);
	tap_eq(stat_total("dropped"), 0, "%s: no drops", when);
}

static void test_proc_ring(void)
{
	struct evs_config cfg;
	u64 before = sum(chk.ring, TOTAL);
	u64 target = chk.bad.target;

	config_proc_ring(&cfg);
	program(&cfg, "proc-ring config");
	tap_eq(ctl("resume"), 0, "resume: %s", reply);
	run_napi(500, NULL);
	pause_and_drain();
	tap_ok(sum(chk.ring, TOTAL) > before, "proc-ring: events arrived");
	tap_ok(chk.ring[RINGS] > 0, "proc-ring: the admin ring got its share");
	tap_eq(chk.bad.target - target, 0,
	       "proc-ring: every entry is in the ring evs_steer_resolve() names");
	tap_eq(bad_total(&chk), 0, "proc-ring: every entry checks out");
	tap_ok(ctl("stats") == 0 && strstr(reply, "\"mode\":\"proc-ring\""),
	       "stats report mode proc-ring");
}

/* Rejected configurations are acknowledged, and change nothing. */
static void test_rejected(void)
{
	struct evs_config bad;
	u64 rejected = stat_total("config_rejected");
	u32 status = 0;

	config_proc_ring(&bad);
	evs_wr16(&bad.reta[5], EVS_MAX_PROCS);
	tap_ok(!configure(&bad, &status), "RETA entry >= EVS_MAX_PROCS: acked");
	tap_eq(status, EVS_CFG_BAD_PROC, "... with EVS_CFG_BAD_PROC");
	config_proc_ring(&bad);
	evs_wr16(&bad.reta_size, 100);
	tap_ok(!configure(&bad, &status), "RETA size 100: acked");
	tap_eq(status, EVS_CFG_BAD_RETA_SIZE, "... with EVS_CFG_BAD_RETA_SIZE");
	config_proc_ring(&bad);
	evs_wr16(&bad.ring_vector[1], TOTAL);
	tap_ok(!configure(&bad, &status), "vector out of range: acked");
	tap_eq(status, EVS_CFG_BAD_VECTOR, "... with EVS_CFG_BAD_VECTOR");
	tap_eq(stat_total("config_rejected"), rejected + 3,
	       "config_rejected counted");
	/* traffic must still follow the last good (proc-ring) config */
	tap_eq(ctl("resume"), 0, "resume: %s", reply);
	run_napi(300, NULL);
	pause_and_drain();
	tap_eq(bad_total(&chk), 0,
	       "after rejections the old configuration still steers");
	test_stats_match("after both modes and rejections");
}

/* Unarmed rings raise nothing; one armed ring raises exactly once. */
static void test_armed_rule(void)
{
	u64 counts[TOTAL] = { 0 }, sig0, sig1;
	struct pollfd pfd;
	u32 ring = 1, vec = (1 + 2) % TOTAL, i, pending = 0;

	disarm_all();
	tap_eq(ctl("resume"), 0, "resume: %s", reply);
	sleep_ms(150);
	tap_eq(ctl("pause"), 0, "pause: %s", reply);
	for (i = 0; i < TOTAL; i++) {
		counts[i] = evs_mini_read_vector(&drv, i);
		pending += evs_rd32(&drv.ctl[i].prod) != drv.cons[i];
	}
	tap_eq(sum(counts, TOTAL), 0, "unarmed rings: no vector raised");
	tap_eq(pending, TOTAL, "... although every ring has new entries");
	for (i = 0; i < TOTAL; i++)
		evs_mini_consume(&drv, i, check_entry, &chk);

	sig0 = stat_of("ring", ring, "signalled");
	evs_mini_arm(&drv, ring, true);
	tap_eq(ctl("resume"), 0, "resume: %s", reply);
	pfd.fd = drv.ivc.vec_fd[vec];
	pfd.events = POLLIN;
	tap_eq(poll(&pfd, 1, 2000), 1, "armed ring %u: vector %u raised", ring,
	       vec);
	sleep_ms(100);	/* more entries for ring 1: they must not signal */
	tap_eq(ctl("pause"), 0, "pause: %s", reply);
	for (i = 0; i < TOTAL; i++)
		counts[i] = evs_mini_read_vector(&drv, i);
	tap_eq(counts[vec], 1, "... exactly once until re-armed");
	tap_eq(sum(counts, TOTAL), 1, "... and no other vector");
	sig1 = stat_of("ring", ring, "signalled");
	tap_eq(sig1 - sig0, 1, "JSON: ring %u signalled once", ring);
	tap_eq(evs_rd32(&drv.ctl[ring].armed), 0, "the device cleared armed");
	for (i = 0; i < TOTAL; i++)
		evs_mini_consume(&drv, i, check_entry, &chk);
}

/* Every event raises its vector while flooding, armed or not. */
static void test_flood(void)
{
	u64 counts[TOTAL], want[TOTAL] = { 0 }, before[TOTAL], sig0[TOTAL];
	u64 vec_ok = 0, json_ok = 0;
	u32 i;

	disarm_all();
	for (i = 0; i < TOTAL; i++) {
		before[i] = chk.ring[i];
		sig0[i] = stat_of("vector", i, "signals");
	}
	tap_eq(ctl("inject flood on"), 0, "inject flood on: %s", reply);
	tap_eq(ctl("resume"), 0, "resume: %s", reply);
	sleep_ms(150);
	tap_eq(ctl("pause"), 0, "pause: %s", reply);
	tap_eq(ctl("inject flood off"), 0, "inject flood off: %s", reply);
	for (i = 0; i < TOTAL; i++) {
		counts[i] = evs_mini_read_vector(&drv, i);
		evs_mini_consume(&drv, i, check_entry, &chk);
	}
	for (i = 0; i < TOTAL; i++)
		want[chk.steer.ring_vector[i]] += chk.ring[i] - before[i];
	for (i = 0; i < TOTAL; i++) {
		vec_ok += counts[i] == want[i];
		json_ok += stat_of("vector", i, "signals") - sig0[i] == counts[i];
	}
	tap_diag("flood: %llu events, %llu interrupts",
		 (unsigned long long)sum(want, TOTAL),
		 (unsigned long long)sum(counts, TOTAL));
	tap_ok(sum(want, TOTAL) > 0, "flood: events arrived on unarmed rings");
	tap_eq(vec_ok, TOTAL, "flood: each vector raised once per event");
	tap_eq(json_ok, TOTAL, "flood: JSON per-vector signals agree");
}

/* ---- fault injection ---------------------------------------------- */

struct collected {
	u32 ring;
	struct evs_entry e;
};

static struct collected got[16];
static unsigned int ngot;

/* Keep a copy of each entry; only the sequence is checked here. */
static void collect(void *arg, u32 ring, const struct evs_entry *e)
{
	struct check *c = arg;
	u32 seq = evs_rd32(&e->seq);

	c->ring[ring]++;
	c->gap[ring] += seq - c->next_seq[ring];
	c->next_seq[ring] = seq + 1;
	if (ngot < ARRAY_SIZE(got))
		got[ngot++] = (struct collected){ ring, *e };
}

static unsigned int collect_all(void)
{
	u32 i;

	ngot = 0;
	for (i = 0; i < TOTAL; i++)
		evs_mini_consume(&drv, i, collect, &chk);
	return ngot;
}

/* Inject @cmd; exactly one entry must result, returned in got[0]. */
static bool inject_one(const char *cmd)
{
	tap_eq(ctl(cmd), 0, "%s: %s", cmd, reply);
	return tap_eq(collect_all(), 1, "%s: one entry", cmd);
}

static void test_link_and_error(void)
{
	struct evs_target t;
	u32 vec;

	evs_steer_resolve(&chk.steer, EVS_EV_LINK, 0, &t);
	vec = t.vector;
	if (inject_one("inject link down")) {
		tap_ok(got[0].ring == t.ring &&
		       evs_rd16(&got[0].e.code) == EVS_EV_LINK &&
		       evs_rd16(&got[0].e.flags) == EVS_EF_NODATA,
		       "link down: EVS_EV_LINK, NODATA, not up, in the default processor's ring %u",
		       t.ring);
		tap_eq(evs_mini_read_vector(&drv, vec), 1,
		       "link down: the default ring's vector was raised");
	}
	tap_eq(evs_rd32(&drv.hdr->status) & EVS_STATUS_LINK_UP, 0,
	       "link down: EVS_STATUS_LINK_UP cleared");
	evs_mini_arm(&drv, t.ring, true);
	if (inject_one("inject link up"))
		tap_ok(got[0].ring == t.ring &&
		       evs_rd16(&got[0].e.flags) ==
		       (EVS_EF_NODATA | EVS_EF_LINK_UP),
		       "link up: NODATA | LINK_UP in ring %u", t.ring);
	tap_ok(evs_rd32(&drv.hdr->status) & EVS_STATUS_LINK_UP,
	       "link up: EVS_STATUS_LINK_UP set");
	evs_steer_resolve(&chk.steer, EVS_EV_ERROR, 0, &t);
	if (inject_one("inject error"))
		tap_ok(got[0].ring == t.ring &&
		       evs_rd16(&got[0].e.code) == EVS_EV_ERROR &&
		       evs_rd16(&got[0].e.flags) == EVS_EF_NODATA &&
		       !evs_rd32(&got[0].e.hash),
		       "error: EVS_EV_ERROR, NODATA, no hash, ring %u", t.ring);
}

/* The frame that every corrupt entry carries: flow 0's, seq 2^64-1. */
static bool fault_frame_ok(const struct collected *g, u32 len)
{
	const u8 *f = drv.bufs + ((size_t)g->ring * drv.ring_size +
				  (evs_rd32(&g->e.seq) & (drv.ring_size - 1))) *
				 drv.buf_size;
	struct evs_frame_info info;

	if (len < EVS_ETH_HLEN)
		return !memcmp(f, drv.mac, EVS_ETH_ALEN);
	return !evs_frame_check(f, len, &info) && info.evsp.flow_id == 0 &&
	       info.evsp.seq == ~0ull;
}

static void test_corrupt(void)
{
	u64 gaps = sum(chk.gap, TOTAL);
	struct evs_flow_tuple t;
	u32 hash;

	evs_flow_tuple_make(0, SEED, false, &t);
	hash = evs_toeplitz_ref(chk.steer.key, t.b, t.len);
	if (inject_one("inject corrupt 1 code"))
		tap_ok(got[0].ring == 1 &&
		       evs_rd16(&got[0].e.code) >= EVS_NUM_CODES &&
		       evs_rd16(&got[0].e.ring) == 1 &&
		       evs_rd32(&got[0].e.hash) == hash &&
		       got[0].e.hash_type == EVS_HASH_IPV4_L4 &&
		       fault_frame_ok(&got[0], evs_rd16(&got[0].e.len)),
		       "corrupt code: code %u out of range, rest valid, flow 0's frame with EVSP seq 2^64-1",
		       evs_rd16(&got[0].e.code));
	if (inject_one("inject corrupt 1 len"))
		tap_ok(evs_rd16(&got[0].e.len) > drv.buf_size &&
		       evs_rd16(&got[0].e.code) == EVS_EV_DATA &&
		       evs_rd16(&got[0].e.ring) == 1 &&
		       fault_frame_ok(&got[0], EVS_FRAME_MIN_V4),
		       "corrupt len: len %u > buf_size %u, rest valid",
		       evs_rd16(&got[0].e.len), drv.buf_size);
	if (inject_one("inject corrupt 1 ring"))
		tap_ok(got[0].ring == 1 &&
		       evs_rd16(&got[0].e.ring) >= TOTAL &&
		       evs_rd16(&got[0].e.code) == EVS_EV_DATA &&
		       fault_frame_ok(&got[0], evs_rd16(&got[0].e.len)),
		       "corrupt ring: ring field %u out of range, in ring 1",
		       evs_rd16(&got[0].e.ring));
	if (inject_one("inject corrupt 2 runt"))
		tap_ok(got[0].ring == 2 &&
		       evs_rd16(&got[0].e.len) < EVS_ETH_HLEN &&
		       evs_rd16(&got[0].e.len) > 0 &&
		       evs_rd16(&got[0].e.code) == EVS_EV_DATA &&
		       evs_rd16(&got[0].e.ring) == 2 &&
		       evs_rd32(&got[0].e.hash) == hash &&
		       fault_frame_ok(&got[0], evs_rd16(&got[0].e.len)),
		       "corrupt runt: a data entry of len %u, below the Ethernet header",
		       evs_rd16(&got[0].e.len));
	tap_eq(sum(chk.gap, TOTAL), gaps,
	       "corrupt entries take the ring's next sequence numbers");
}

static void test_bad_prod(void)
{
	u32 bad = drv.bad_prod, ring = 3;
	u64 before = chk.ring[ring], gaps = sum(chk.gap, TOTAL);

	tap_eq(ctl("inject bad-prod 3"), 0, "inject bad-prod 3: %s", reply);
	tap_ok(evs_rd32(&drv.ctl[ring].prod) - drv.cons[ring] > RING_SIZE,
	       "bad-prod: producer index more than a ring ahead");
	tap_eq(evs_mini_consume(&drv, ring, check_entry, &chk), 0,
	       "bad-prod: the driver model refuses to consume");
	tap_eq(drv.bad_prod, bad + 1, "bad-prod: detected once");
	tap_eq(ctl("resume"), 0, "resume: %s", reply);
	run_napi(150, NULL);
	pause_and_drain();
	tap_ok(chk.ring[ring] > before,
	       "bad-prod: the next real entry repairs the index");
	tap_eq(sum(chk.gap, TOTAL), gaps, "bad-prod: no sequence number lost");
}

static void test_injections(void)
{
	u64 injected = stat_total("injected");
	u64 bad = bad_total(&chk);
	u32 i;

	for (i = 0; i < TOTAL; i++)
		evs_mini_arm(&drv, i, true);
	disarm_all();
	for (i = 0; i < TOTAL; i++)
		evs_mini_arm(&drv, i, true);
	test_link_and_error();
	test_corrupt();
	test_bad_prod();
	tap_eq(stat_total("injected"), injected + 8,
	       "8 injections counted in evs_stats.injected");
	tap_eq(bad_total(&chk), bad, "traffic around the injections is sane");
}

/* ---- stall, pause, tunables ----------------------------------------- */

static bool prods_equal(const u32 *a)
{
	u32 i;

	for (i = 0; i < TOTAL; i++)
		if (evs_rd32(&drv.ctl[i].prod) != a[i])
			return false;
	return true;
}

static void snapshot_prods(u32 *a)
{
	u32 i;

	for (i = 0; i < TOTAL; i++)
		a[i] = evs_rd32(&drv.ctl[i].prod);
}

static void test_stall(void)
{
	u64 before, injected = stat_total("injected");
	u32 prods[TOTAL];

	tap_eq(ctl("resume"), 0, "resume: %s", reply);
	run_napi(100, NULL);
	tap_eq(ctl("inject stall 600"), 0, "inject stall 600: %s", reply);
	snapshot_prods(prods);
	sleep_ms(200);
	tap_ok(prods_equal(prods), "stall: no index moved for 200 ms");
	tap_ok(evs_rd32(&drv.hdr->status) & EVS_STATUS_RUNNING,
	       "stall: status still says running");
	before = sum(chk.ring, TOTAL);
	run_napi(700, NULL);
	pause_and_drain();
	tap_ok(sum(chk.ring, TOTAL) > before, "stall: production resumes");
	tap_eq(stat_total("injected"), injected + 1, "stall counted");
}

/*
 * A configuration stall: no acknowledgment while it lasts, then the
 * last configuration written is applied and acknowledged, as a device
 * that hung and came back would.
 */
static void test_config_stall(void)
{
	struct evs_config cfg;
	u64 injected = stat_total("injected");
	u32 status = ~0u;
	int waited;

	config_proc_ring(&cfg);
	tap_eq(ctl("inject config-stall 600"), 0, "inject config-stall 600: %s",
	       reply);
	tap_ok(evs_mini_configure(&drv, &cfg, &status, 200) != 0,
	       "config-stall: no config_ack within 200 ms");
	for (waited = 0; waited < MSG_MS &&
	     evs_rd32_acquire(&drv.hdr->config_ack) !=
	     evs_rd32(&drv.hdr->config_gen); waited += 10)
		sleep_ms(10);
	tap_ok(waited >= 300 && waited < MSG_MS,
	       "config-stall: acknowledged after the stall (%d ms later)",
	       waited);
	tap_eq(evs_rd32(&drv.hdr->config_status), EVS_CFG_OK,
	       "config-stall: the configuration written meanwhile applies");
	tap_eq(stat_total("injected"), injected + 1, "config-stall counted");
	tap_ok(ctl("inject config-stall 0") != 0,
	       "config-stall 0 is refused: %s", reply);
}

/* CPU time of a process in clock ticks, from /proc/PID/stat. */
static unsigned long cpu_ticks(pid_t pid)
{
	unsigned long utime = 0, stime = 0;
	char path[64], buf[1024], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f)) {
		p = strrchr(buf, ')');
		if (p)
			sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
			       &utime, &stime);
	}
	fclose(f);
	return utime + stime;
}

static void test_pause_resume(void)
{
	long hz = sysconf(_SC_CLK_TCK);
	unsigned long t0, idle, busy;
	u32 prods[TOTAL];
	u64 before;

	tap_ok(evs_rd32(&drv.hdr->status) & EVS_STATUS_PAUSED &&
	       !(evs_rd32(&drv.hdr->status) & EVS_STATUS_RUNNING),
	       "paused: status PAUSED, not RUNNING");
	tap_ok(ctl("stats") == 0 && strstr(reply, "\"paused\":true"),
	       "paused: stats say so");
	snapshot_prods(prods);
	t0 = cpu_ticks(dev.pid);
	sleep_ms(1000);
	idle = cpu_ticks(dev.pid) - t0;
	tap_ok(prods_equal(prods), "paused: no index moved for 1 s");
	tap_diag("paused device: %lu ticks of CPU in 1 s (%.1f%%)", idle,
		 100.0 * idle / hz);
	tap_ok(idle * 100 <= 2 * (unsigned long)hz,
	       "paused device uses at most 2%% CPU (no busy-waiting)");

	tap_eq(ctl("resume"), 0, "resume: %s", reply);
	before = sum(chk.ring, TOTAL);
	t0 = cpu_ticks(dev.pid);
	run_napi(500, NULL);
	busy = cpu_ticks(dev.pid) - t0;
	tap_ok(evs_rd32(&drv.hdr->status) & EVS_STATUS_RUNNING,
	       "resumed: status RUNNING");
	tap_diag("device at %d/s: %.1f%% CPU", RATE, 100.0 * busy / hz / 0.5);
	pause_and_drain();
	tap_ok(sum(chk.ring, TOTAL) > before, "resumed: events flow again");
}

/* Control commands that retune the generator take effect. */
static void test_tunables(void)
{
	u64 control = chk.codes[EVS_EV_CONTROL], before, n, t0;
	u64 bad = bad_total(&chk), others;
	double secs;

	tap_eq(ctl("flows 4"), 0, "flows 4: %s", reply);
	tap_eq(ctl("skew 1.5"), 0, "skew 1.5: %s", reply);
	tap_eq(ctl("mix 0,0,0,1"), 0, "mix 0,0,0,1: %s", reply);
	tap_eq(ctl("cost 123"), 0, "cost 123: %s", reply);
	tap_eq(ctl("rate 5000"), 0, "rate 5000: %s", reply);
	chk.flows = 4;
	chk.cost = 123;
	others = sum(chk.codes, EVS_NUM_CODES) - control;
	before = sum(chk.ring, TOTAL);
	t0 = now_ns();
	tap_eq(ctl("resume"), 0, "resume: %s", reply);
	run_napi(400, NULL);
	pause_and_drain();
	secs = (now_ns() - t0) / 1e9;
	n = sum(chk.ring, TOTAL) - before;
	tap_diag("rate 5000: %llu events in %.3f s", (unsigned long long)n,
		 secs);
	tap_ok(n >= 5000 * secs / 2 && n <= 5000 * secs + 6,
	       "rate 5000 takes effect");
	tap_eq(chk.codes[EVS_EV_CONTROL] - control, n,
	       "mix 0,0,0,1: only control events");
	tap_eq(sum(chk.codes, EVS_NUM_CODES) - chk.codes[EVS_EV_CONTROL],
	       others, "... and no other code");
	tap_eq(bad_total(&chk), bad, "flows 4 and cost 123 show in the entries");
	tap_ok(!ctl("flows 256") && !ctl("skew 0.8") &&
	       !ctl("mix 70,10,10,10") && !ctl("cost 500") &&
	       !ctl("rate 20000"), "restore the tunables");
	chk.flows = FLOWS;
	chk.cost = COST;
}

/*
 * Every flow's frames carry EVSP sequence numbers 0..n-1, each once,
 * but for the frames the device dropped (rings left unconsumed by the
 * armed-rule and flood tests may have filled).  Data and control events
 * of a flow may sit in different rings, so this checks the set, not the
 * order (test_device_frames checks the order).
 */
static void test_flow_sequences(void)
{
	u64 dropped = stat_total("dropped"), missing = 0;
	u32 f, flows = 0;

	for (f = 0; f < FLOWS; f++) {
		flows += chk.flow_seen[f] > 0;
		missing += chk.flow_end[f] - chk.flow_seen[f];
	}
	tap_diag("%u flows seen, %llu frames, %llu missing, %llu dropped", flows,
		 (unsigned long long)sum(chk.frames, TOTAL),
		 (unsigned long long)missing, (unsigned long long)dropped);
	tap_ok(flows > FLOWS / 2, "most of the %u flows were seen (%u)", FLOWS,
	       flows);
	tap_eq(chk.flow_dups, 0, "no flow's sequence number came twice");
	tap_ok(missing <= dropped,
	       "sequence numbers missing per flow (%llu) are frames the device dropped (%llu)",
	       (unsigned long long)missing, (unsigned long long)dropped);
}

/* A ring the consumer ignores fills up; the drops show as seq gaps. */
static void test_full_ring(void)
{
	u64 gaps = sum(chk.gap, TOTAL), ok = 0, missing, before = 0;
	u32 i, full = 0;

	for (i = 0; i < FLOWS; i++)
		before += chk.flow_end[i] - chk.flow_seen[i];
	tap_eq(ctl("resume"), 0, "resume: %s", reply);
	sleep_ms(600);
	tap_eq(ctl("pause"), 0, "pause: %s", reply);
	for (i = 0; i < TOTAL; i++)
		full += evs_rd32(&drv.ctl[i].prod) - drv.cons[i] == RING_SIZE;
	tap_ok(full > 0, "%u rings filled up while not consumed", full);
	tap_ok(stat_total("dropped") > 0, "drops counted in evs_stats");
	for (i = 0; i < TOTAL; i++)
		evs_mini_consume(&drv, i, check_entry, &chk);
	tap_eq(sum(chk.gap, TOTAL), gaps, "a full ring holds contiguous entries");
	tap_eq(ctl("resume"), 0, "resume: %s", reply);
	run_napi(150, NULL);
	pause_and_drain();
	for (i = 0; i < TOTAL; i++)
		ok += stat_of("ring", i, "dropped") == chk.gap[i];
	tap_eq(ok, TOTAL, "per ring: drops == sequence gaps the consumer saw");
	tap_eq(stat_total("dropped"), sum(chk.gap, TOTAL),
	       "total drops == total gap (%llu)",
	       (unsigned long long)sum(chk.gap, TOTAL));
	for (i = 0, missing = 0; i < FLOWS; i++)
		missing += chk.flow_end[i] - chk.flow_seen[i];
	tap_ok(missing > before && missing <= sum(chk.gap, TOTAL),
	       "dropped frames show as per-flow EVSP gaps (%llu missing, %llu drops)",
	       (unsigned long long)missing,
	       (unsigned long long)sum(chk.gap, TOTAL));
	tap_eq(chk.flow_dups, 0, "... and no sequence number came twice");
	tap_eq(stat_total("frames"), sum(chk.frames, TOTAL),
	       "JSON frames == frames consumed, drops not counted");
}

/* ---- control errors -------------------------------------------------- */

static void test_bad_commands(void)
{
	static const char *const bad[] = {
		"", "   ", "bogus", "rate", "rate -1", "rate 10000001",
		"rate 1x", "rate 5 6", "flows 0", "flows 1048577", "skew -1",
		"skew nan", "skew 11", "mix 0,0,0,0", "mix 1,2,3",
		"mix 1,2,3,4,5", "mix 1,,3,4", "cost 1000000001", "pause now",
		"inject", "inject bogus", "inject bad-prod 5",
		"inject bad-prod x", "inject corrupt 0 foo", "inject corrupt 9 code",
		"inject flood maybe", "inject stall 0", "inject stall 60001",
		"inject link sideways", "inject error now", "a b c d e f",
		"rate\x01 5", "stats\x1b",
	};
	char before[EVS_STRBUF_SIZE], longline[400];
	unsigned int i, errors = 0;
	u64 injected = stat_total("injected");
	const char *b, *a;

	ctl("stats");
	strcpy(before, reply);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int r = ctl(bad[i]);

		if (r == 1 && !strncmp(reply, "error: ", 7))
			errors++;
		else
			tap_diag("'%s' got '%s'", bad[i], reply);
	}
	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	errors += ctl(longline) == 1 && strstr(reply, "error: line longer");
	tap_eq(errors, ARRAY_SIZE(bad) + 1,
	       "%zu bad control commands get \"error: ...\"",
	       ARRAY_SIZE(bad) + 1);
	ctl("stats");
	/* the settings part of the line, up to the counters, is unchanged */
	b = strstr(before, "\"connected\"");
	a = strstr(reply, "\"connected\"");
	tap_ok(a && b && !strncmp(a, b, strstr(b, "\"events\"") - b),
	       "and change nothing (rate, mode, pause state)");
	tap_eq(stat_total("injected"), injected, "nothing injected by them");
	tap_eq(ctl("stats"), 0, "the device still answers");
}

/* evsteer-ctl: prints the reply; exit 0 on ok, 1 on error, 2 on usage. */
static void test_ctl_tool(void)
{
	const char *ctl_bin = strdup(evs_tool_path("evsteer-ctl"));
	const char *const ok_cmd[] = { ctl_bin, dev.ctl, "stats", NULL };
	const char *const bad_cmd[] = { ctl_bin, dev.ctl, "bogus", "x", NULL };
	const char *const usage[] = { ctl_bin, NULL };
	const char *const nodev[] = { ctl_bin, "/nonexistent/ctl", "stats",
				      NULL };
	char out[EVS_STRBUF_SIZE];
	int st;

	tap_ok(!evs_run_tool(ok_cmd, 5000, out, sizeof(out), &st) &&
	       WEXITSTATUS(st) == 0 && !strncmp(out, "ok {\"uptime_ms\"", 15),
	       "evsteer-ctl stats: exit 0, prints the JSON reply");
	tap_ok(!evs_run_tool(bad_cmd, 5000, out, sizeof(out), &st) &&
	       WEXITSTATUS(st) == 1 && !strncmp(out, "error: unknown command", 22),
	       "evsteer-ctl bogus: exit 1, prints the error");
	tap_ok(!evs_run_tool(usage, 5000, out, sizeof(out), &st) &&
	       WEXITSTATUS(st) == 2 && strstr(out, "usage:"),
	       "evsteer-ctl without a command: usage, exit 2");
	tap_ok(!evs_run_tool(nodev, 5000, out, sizeof(out), &st) &&
	       WEXITSTATUS(st) == 1, "evsteer-ctl without a device: exit 1");
	free((void *)ctl_bin);
}

static void test_sigterm(void)
{
	int status = -1;

	tap_ok(!evs_devproc_stop(&dev, &status) && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0, "SIGTERM: exit status 0");
	tap_ok(!evs_path_exists(dev.sock) && !evs_path_exists(dev.ctl),
	       "SIGTERM: both sockets removed");
}

static void check_init(bool ipv6)
{
	memset(&chk, 0, sizeof(chk));
	memset(seq_seen, 0, sizeof(seq_seen));
	chk.ipv6 = ipv6;
	chk.flows = FLOWS;
	chk.cost = COST;
}

static void test_main_device(void)
{
	if (!tap_ok(!evs_devproc_start(&dev, dev_args), "device starts"))
		return;
	if (tap_ok(!evs_mini_attach(&drv, dev.sock, TOTAL, MSG_MS),
		   "driver model attaches")) {
		check_init(false);
		test_steering_and_rate();
		test_proc_ring();
		test_rejected();
		test_armed_rule();
		test_flood();
		test_injections();
		test_stall();
		test_config_stall();
		test_pause_resume();
		test_tunables();
		test_flow_sequences();
		test_full_ring();
		test_bad_commands();
		test_ctl_tool();
		test_sigterm();
		evs_mini_detach(&drv);
	}
	evs_devproc_cleanup(&dev);
}

/* IPv6 tuples, and the device's own default proc-ring configuration. */
static void test_ipv6_device(void)
{
	static const char *const args[] = {
		"--rings", "4", "--ipv6", "--mode", "proc-ring", "--rate",
		"5000", "--flows", "256", "--seed", "7", "--cost", "500", NULL
	};
	struct evs_config cfg;

	if (!tap_ok(!evs_devproc_start(&dev, args), "IPv6 device starts"))
		return;
	if (tap_ok(!evs_mini_attach(&drv, dev.sock, TOTAL, MSG_MS),
		   "driver model attaches")) {
		check_init(true);
		memcpy(&cfg, drv.cfg, sizeof(cfg));
		tap_eq(evs_rd32(&cfg.map_mode), EVS_MAP_PROC_RING,
		       "--mode proc-ring: the default config is in mode (b)");
		tap_eq(evs_steer_load(&chk.steer, &cfg, TOTAL, TOTAL), EVS_CFG_OK,
		       "the default config loads");
		tap_eq(ctl("inject error"), 1,
		       "inject before ENABLE: %s", reply);
		evs_mini_enable(&drv, true);
		run_napi(300, NULL);
		pause_and_drain();
		tap_ok(sum(chk.ring, TOTAL) > 0, "IPv6: events arrived");
		tap_eq(bad_total(&chk), 0,
		       "IPv6: hashes over IPv6 tuples, IPV6 flag, rings all check out");
		test_sigterm();
		evs_mini_detach(&drv);
	}
	evs_devproc_cleanup(&dev);
}

int main(void)
{
	alarm(60);	/* hard limit; children die with us (PDEATHSIG) */
	test_main_device();
	test_ipv6_device();
	return tap_done();
}
