// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer-rx: the guest's receiver for the device's generated UDP
 * traffic.  It checks every datagram's EVSP header (flow id, per-flow
 * sequence number) and counts what the path from the device to the
 * socket did to each flow: loss, duplicates and reordering.  It also
 * measures how long each datagram took from the driver's hard IRQ
 * (the skb timestamp it sets there) to the application.
 *
 * One SO_REUSEPORT socket per thread, so the kernel spreads flows over
 * them as a multi-queue server would; per-flow state is shared under
 * striped locks, so a flow that reaches two sockets is still counted
 * right (only its reordering can then be over-counted: two threads
 * take the lock in their own order, not the wire's).
 *
 * Built static: it runs in the test VM's busybox initramfs, which has
 * no shared libraries.  See --help for the options and the output.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <evsteer/frame.h>

#define RX_DEFAULT_PORT		EVS_DEFAULT_DST_PORT
#define RX_DEFAULT_RCVBUF	(4u << 20)
#define RX_DEFAULT_MAX_FLOWS	(1u << 20)
#define RX_MAX_MAX_FLOWS	(1u << 26)	/* 512 MiB of flow pointers */
#define RX_DEFAULT_MAX_SEQ	(1ull << 28)	/* 32 MiB of bitmap per flow */
#define RX_DEFAULT_BATCH	64
#define RX_MAX_BATCH		1024
#define RX_MAX_THREADS		1024
#define RX_BUF_SIZE		2048	/* an MTU-1500 datagram and then some */
#define RX_CMSG_SIZE		(CMSG_SPACE(sizeof(struct timespec)) + \
				 CMSG_SPACE(sizeof(u32)))
#define RX_POLL_NS		50000000ull	/* how often stop is checked */
#define RX_DRAIN_NS		200000000ull	/* bound on the final drain */
#define RX_FLOW_STRIPES		1024
#define RX_FLOW_MIN_BITS	512

#define NSEC_PER_SEC		1000000000ull
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define __aligned(x)		__attribute__((aligned(x)))
#define __noreturn		__attribute__((noreturn))

/* ---- options ------------------------------------------------------------ */

struct rx_opts {
	unsigned int port;
	unsigned int threads;
	const char *bind;
	u64 rcvbuf;
	bool pin;
	u64 busy_ns;
	double duration_s;
	double idle_s;
	u64 count;
	const char *ready_file;
	unsigned int interval_ms;
	u32 max_flows;
	u64 max_seq;
	unsigned int batch;
};

static struct rx_opts opt = {
	.port = RX_DEFAULT_PORT,
	.rcvbuf = RX_DEFAULT_RCVBUF,
	.max_flows = RX_DEFAULT_MAX_FLOWS,
	.max_seq = RX_DEFAULT_MAX_SEQ,
	.batch = RX_DEFAULT_BATCH,
};

/* ---- latency histogram ------------------------------------------------ */

/*
 * Log-linear, as drivers/evsteer/latency.c: four buckets per power of
 * two, so a percentile read from it is within 19 % of the true value,
 * and adding a sample is one store.  64 powers cover any u64.
 */
#define RX_LAT_SUB		4
#define RX_LAT_BUCKETS		(64 * RX_LAT_SUB)

struct rx_lat {
	u64 bucket[RX_LAT_BUCKETS];
	u64 max;
};

static unsigned int rx_lat_bucket(u64 ns)
{
	unsigned int lg;

	if (ns < RX_LAT_SUB)
		return ns;
	lg = 63 - __builtin_clzll(ns);
	/* the two bits below the leading one pick the sub-bucket */
	return lg * RX_LAT_SUB + ((ns >> (lg - 2)) & (RX_LAT_SUB - 1));
}

static u64 rx_lat_bucket_low(unsigned int idx)
{
	unsigned int lg = idx / RX_LAT_SUB, sub = idx % RX_LAT_SUB;

	/* 0 .. 3 ns have a bucket each; buckets 4 .. 7 stay empty */
	if (lg < 2)
		return idx < RX_LAT_SUB ? idx : RX_LAT_SUB;
	return (u64)(RX_LAT_SUB + sub) << (lg - 2);
}

static u64 rx_lat_count(const struct rx_lat *lat)
{
	u64 n = 0;
	unsigned int i;

	for (i = 0; i < RX_LAT_BUCKETS; i++)
		n += lat->bucket[i];
	return n;
}

/*
 * The @permille-th percentile, as its bucket's lower bound (as the
 * driver's debugfs reports it), never above the exact maximum.
 */
static u64 rx_lat_percentile(const struct rx_lat *lat, unsigned int permille)
{
	u64 total = rx_lat_count(lat), seen = 0, rank;
	unsigned int i;

	if (!total)
		return 0;
	rank = (total * permille + 999) / 1000;
	for (i = 0; i < RX_LAT_BUCKETS; i++) {
		seen += lat->bucket[i];
		if (seen >= rank)
			break;
	}
	if (i == RX_LAT_BUCKETS)
		i--;
	return rx_lat_bucket_low(i) < lat->max ? rx_lat_bucket_low(i) :
						 lat->max;
}

/* ---- per-flow sequence tracking ------------------------------------- */

/**
 * struct rx_flow - what one flow's datagrams said so far
 * @highest: highest sequence number seen
 * @unique:  distinct sequence numbers seen
 * @nbits:   size of @bits, in bits: a power of two
 * @bits:    bit s set once sequence number s was seen
 */
struct rx_flow {
	u64 highest;
	u64 unique;
	u64 nbits;
	u64 *bits;
};

enum rx_seen { RX_NEW, RX_REORDERED, RX_DUPLICATE, RX_UNTRACKED };

/* Indexed by flow id; a flow is allocated when its first datagram comes. */
static struct rx_flow **rx_flows;

/* Flow f is under stripe f % RX_FLOW_STRIPES: flows rarely contend. */
static struct {
	pthread_mutex_t lock;
} __aligned(64) rx_stripe[RX_FLOW_STRIPES];

static int rx_flow_grow(struct rx_flow *f, u64 seq)
{
	u64 n = f->nbits ? f->nbits : RX_FLOW_MIN_BITS;
	u64 *bits;

	while (n <= seq)
		n *= 2;
	bits = realloc(f->bits, n / 8);
	if (!bits)
		return -1;
	memset(bits + f->nbits / 64, 0, (n - f->nbits) / 8);
	f->bits = bits;
	f->nbits = n;
	return 0;
}

static enum rx_seen rx_flow_mark(struct rx_flow *f, u64 seq)
{
	u64 bit = 1ull << (seq % 64);
	enum rx_seen r = RX_NEW;

	if (seq >= f->nbits && rx_flow_grow(f, seq))
		return RX_UNTRACKED;
	if (f->bits[seq / 64] & bit)
		return RX_DUPLICATE;
	f->bits[seq / 64] |= bit;
	if (f->unique && seq < f->highest)
		r = RX_REORDERED;
	else
		f->highest = seq;
	f->unique++;
	return r;
}

/* Record (@flow_id, @seq); called with the flow's stripe lock held. */
static enum rx_seen rx_flow_track_locked(u32 flow_id, u64 seq)
{
	struct rx_flow *f = rx_flows[flow_id];

	if (!f) {
		f = calloc(1, sizeof(*f));
		if (!f)
			return RX_UNTRACKED;
		rx_flows[flow_id] = f;
	}
	return rx_flow_mark(f, seq);
}

static enum rx_seen rx_flow_track(u32 flow_id, u64 seq)
{
	pthread_mutex_t *lock;
	enum rx_seen r;

	/* bounded memory: a flow id or sequence out of range is not tracked */
	if (flow_id >= opt.max_flows || seq >= opt.max_seq)
		return RX_UNTRACKED;
	lock = &rx_stripe[flow_id % RX_FLOW_STRIPES].lock;
	pthread_mutex_lock(lock);
	r = rx_flow_track_locked(flow_id, seq);
	pthread_mutex_unlock(lock);
	return r;
}

static int rx_flows_init(void)
{
	unsigned int i;

	/* calloc of this size is mmap: pages appear as flows are seen */
	rx_flows = calloc(opt.max_flows, sizeof(*rx_flows));
	if (!rx_flows)
		return -1;
	for (i = 0; i < RX_FLOW_STRIPES; i++)
		pthread_mutex_init(&rx_stripe[i].lock, NULL);
	return 0;
}

/* ---- threads ---------------------------------------------------------- */

/*
 * One receiving thread.  Counters have a single writer, the thread;
 * the main thread reads them for the interval lines, so both sides use
 * relaxed atomics (plain loads and stores on x86, no locked bus cycle).
 */
struct rx_thread {
	pthread_t tid;
	unsigned int idx;
	int fd;
	int cpu;		/* pinned CPU, or -1 */
	int last_cpu;		/* where the last batch ran */
	bool failed;
	u64 received;
	u64 bytes;
	u64 bad;
	u64 untracked;
	u64 no_tstamp;
	u64 duplicated;
	u64 reordered;
	u64 first_ns;		/* CLOCK_MONOTONIC of the first datagram */
	u64 last_ns;		/* ... and of the last one */
	u32 sock_drops;		/* SO_RXQ_OVFL: the socket's drop counter */
	struct rx_lat lat;
} __aligned(64);

static struct rx_thread *rx_threads;
static int rx_stop;		/* set once: the threads drain and exit */
static u64 rx_taken;		/* datagrams accounted, for --count */

#define rd(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define wr(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define inc(x, v)	wr(x, rd(x) + (v))	/* single writer only */

static u64 rx_clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
}

/* --busy-ns: hold the CPU as an application that works on each datagram. */
static void rx_busy(u64 ns)
{
	u64 end = rx_clock_ns(CLOCK_MONOTONIC) + ns;

	while (rx_clock_ns(CLOCK_MONOTONIC) < end)
		;
}

/* The kernel's receive timestamp and drop counter, from the cmsgs. */
static void rx_cmsgs(struct rx_thread *t, struct msghdr *h, u64 now_real)
{
	bool have_ts = false;
	struct cmsghdr *c;
	struct timespec ts;
	unsigned int idx;
	u64 ns, lat;
	u32 drops;

	for (c = CMSG_FIRSTHDR(h); c; c = CMSG_NXTHDR(h, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_TIMESTAMPNS) {
			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			have_ts = true;
		} else if (c->cmsg_type == SO_RXQ_OVFL) {
			memcpy(&drops, CMSG_DATA(c), sizeof(drops));
			wr(t->sock_drops, drops);
		}
	}
	if (!have_ts) {
		inc(t->no_tstamp, 1);
		return;
	}
	ns = (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
	/* a stepped wall clock must not give a huge unsigned latency */
	lat = now_real > ns ? now_real - ns : 0;
	idx = rx_lat_bucket(lat);
	inc(t->lat.bucket[idx], 1);
	if (lat > t->lat.max)
		wr(t->lat.max, lat);
}

static void rx_datagram(struct rx_thread *t, struct mmsghdr *m,
			const u8 *buf, u64 now_real)
{
	u32 len = m->msg_len;	/* the full length: MSG_TRUNC */

	inc(t->received, 1);
	inc(t->bytes, len);
	rx_cmsgs(t, &m->msg_hdr, now_real);
	if (len < sizeof(struct evs_evsp_hdr) ||
	    evs_get_le(buf, 4) != EVS_EVSP_MAGIC) {
		inc(t->bad, 1);
		return;
	}
	switch (rx_flow_track((u32)evs_get_le(buf + 4, 4),
			      evs_get_le(buf + 8, 8))) {
	case RX_NEW:
		break;
	case RX_REORDERED:
		inc(t->reordered, 1);
		break;
	case RX_DUPLICATE:
		inc(t->duplicated, 1);
		break;
	case RX_UNTRACKED:
		inc(t->untracked, 1);
		break;
	}
}

/*
 * With --count, how many of @n just-received datagrams still count:
 * the report then covers exactly N datagrams even if more were queued.
 */
static int rx_quota(int n)
{
	u64 before;

	if (!opt.count)
		return n;
	before = __atomic_fetch_add(&rx_taken, n, __ATOMIC_RELAXED);
	if (before + n >= opt.count)
		wr(rx_stop, 1);
	if (before >= opt.count)
		return 0;
	return before + n > opt.count ? (int)(opt.count - before) : n;
}

struct rx_batch {
	struct mmsghdr *msgs;
	struct iovec *iov;
	u8 *bufs;
	u8 *cmsgs;
};

static int rx_batch_alloc(struct rx_batch *b, unsigned int n)
{
	unsigned int i;

	b->msgs = calloc(n, sizeof(*b->msgs));
	b->iov = calloc(n, sizeof(*b->iov));
	b->bufs = malloc((size_t)n * RX_BUF_SIZE);
	b->cmsgs = malloc((size_t)n * RX_CMSG_SIZE);
	if (!b->msgs || !b->iov || !b->bufs || !b->cmsgs)
		return -1;
	for (i = 0; i < n; i++) {
		b->iov[i].iov_base = b->bufs + (size_t)i * RX_BUF_SIZE;
		b->iov[i].iov_len = RX_BUF_SIZE;
		b->msgs[i].msg_hdr.msg_iov = &b->iov[i];
		b->msgs[i].msg_hdr.msg_iovlen = 1;
		b->msgs[i].msg_hdr.msg_control = b->cmsgs +
						 (size_t)i * RX_CMSG_SIZE;
	}
	return 0;
}

static void rx_batch_free(struct rx_batch *b)
{
	free(b->msgs);
	free(b->iov);
	free(b->bufs);
	free(b->cmsgs);
}

/* Account for @n datagrams that one recvmmsg() returned. */
static void rx_batch_handle(struct rx_thread *t, struct rx_batch *b, int n)
{
	u64 now_real = rx_clock_ns(CLOCK_REALTIME);
	u64 now_mono = rx_clock_ns(CLOCK_MONOTONIC);
	int i;

	n = rx_quota(n);
	if (!n)
		return;
	if (!rd(t->first_ns))
		wr(t->first_ns, now_mono);
	wr(t->last_ns, now_mono);
	if (t->cpu < 0)
		wr(t->last_cpu, sched_getcpu());
	for (i = 0; i < n; i++) {
		rx_datagram(t, &b->msgs[i], b->bufs + (size_t)i * RX_BUF_SIZE,
			    now_real);
		if (opt.busy_ns)
			rx_busy(opt.busy_ns);
	}
}

static void rx_batch_reset(struct rx_batch *b, unsigned int n)
{
	unsigned int i;

	/* recvmmsg() shrinks msg_controllen to what it wrote */
	for (i = 0; i < n; i++) {
		b->msgs[i].msg_hdr.msg_controllen = RX_CMSG_SIZE;
		b->msgs[i].msg_hdr.msg_flags = 0;
	}
}

/*
 * Until stop, block for the first datagram of each batch (SO_RCVTIMEO
 * bounds the wait so that stop is seen); then drain what the socket
 * already holds, for a bounded time, so that a datagram the kernel
 * delivered before stop is not reported lost.
 */
static void *rx_thread_main(void *arg)
{
	struct rx_thread *t = arg;
	u64 drain_end = 0;
	struct rx_batch b;
	int n, flags;

	if (t->cpu < 0)
		wr(t->last_cpu, sched_getcpu());
	if (rx_batch_alloc(&b, opt.batch)) {
		fprintf(stderr, "evsteer-rx: thread %u: out of memory\n",
			t->idx);
		t->failed = true;
		wr(rx_stop, 1);
		rx_batch_free(&b);
		return NULL;
	}
	for (;;) {
		if (rd(rx_stop) && !drain_end)
			drain_end = rx_clock_ns(CLOCK_MONOTONIC) + RX_DRAIN_NS;
		if (drain_end && (rx_clock_ns(CLOCK_MONOTONIC) > drain_end ||
				  (opt.count && rd(rx_taken) >= opt.count)))
			break;
		flags = MSG_TRUNC | (drain_end ? MSG_DONTWAIT : MSG_WAITFORONE);
		rx_batch_reset(&b, opt.batch);
		n = recvmmsg(t->fd, b.msgs, opt.batch, flags, NULL);
		if (n > 0) {
			rx_batch_handle(t, &b, n);
		} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (drain_end)
				break;
		} else if (n < 0 && errno != EINTR) {
			fprintf(stderr, "evsteer-rx: thread %u: recvmmsg: %s\n",
				t->idx, strerror(errno));
			t->failed = true;
			wr(rx_stop, 1);
			break;
		}
	}
	rx_batch_free(&b);
	return NULL;
}

/* ---- sockets ---------------------------------------------------------- */

/*
 * --bind: an IPv6 address, or an IPv4 one as its v4-mapped form, so
 * that every socket is AF_INET6 and, bound to ::, takes both families.
 */
static int rx_parse_bind(const char *s, struct sockaddr_in6 *a)
{
	struct in_addr v4;

	memset(a, 0, sizeof(*a));
	a->sin6_family = AF_INET6;
	if (!s)
		return 0;	/* in6addr_any */
	if (inet_pton(AF_INET6, s, &a->sin6_addr) == 1)
		return 0;
	if (inet_pton(AF_INET, s, &v4) != 1)
		return -1;
	a->sin6_addr.s6_addr[10] = 0xff;
	a->sin6_addr.s6_addr[11] = 0xff;
	memcpy(&a->sin6_addr.s6_addr[12], &v4, 4);
	return 0;
}

/* A kernel without IPv6: fall back to AF_INET for :: and v4-mapped. */
static int rx_socket_v4(const struct sockaddr_in6 *a6, struct sockaddr_in *a4)
{
	memset(a4, 0, sizeof(*a4));
	a4->sin_family = AF_INET;
	a4->sin_port = a6->sin6_port;
	if (IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr))
		memcpy(&a4->sin_addr, &a6->sin6_addr.s6_addr[12], 4);
	else if (!IN6_IS_ADDR_UNSPECIFIED(&a6->sin6_addr))
		return -1;
	return socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
}

static int rx_setsockopt_int(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val));
}

static int rx_socket_opts(int fd, bool v6)
{
	struct timeval tv = { .tv_usec = RX_POLL_NS / 1000 };
	int rcvbuf = (int)opt.rcvbuf;

	if (rx_setsockopt_int(fd, SOL_SOCKET, SO_REUSEPORT, 1) ||
	    (v6 && rx_setsockopt_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, 0)) ||
	    rx_setsockopt_int(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return -1;
	/* best effort: FORCE needs CAP_NET_ADMIN, else rmem_max caps it */
	if (rx_setsockopt_int(fd, SOL_SOCKET, SO_RCVBUFFORCE, rcvbuf))
		rx_setsockopt_int(fd, SOL_SOCKET, SO_RCVBUF, rcvbuf);
	rx_setsockopt_int(fd, SOL_SOCKET, SO_RXQ_OVFL, 1);
	return 0;
}

/*
 * One bound socket on @a; with port 0 the first socket's port, which
 * the kernel picked, is written back for the others to share.
 */
static int rx_socket(struct sockaddr_in6 *a)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(*a);
	struct sockaddr_in a4;
	int fd;

	memcpy(&ss, a, sizeof(*a));
	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 && errno == EAFNOSUPPORT) {
		fd = rx_socket_v4(a, &a4);
		memcpy(&ss, &a4, sizeof(a4));
		len = sizeof(a4);
	}
	if (fd < 0)
		return -1;
	if (rx_socket_opts(fd, ss.ss_family == AF_INET6) ||
	    bind(fd, (struct sockaddr *)&ss, len) ||
	    getsockname(fd, (struct sockaddr *)&ss, &len)) {
		close(fd);
		return -1;
	}
	a->sin6_port = ss.ss_family == AF_INET6 ?
		       ((struct sockaddr_in6 *)&ss)->sin6_port :
		       ((struct sockaddr_in *)&ss)->sin_port;
	return fd;
}

static int rx_sockets_open(unsigned int *port)
{
	struct sockaddr_in6 a;
	unsigned int i;

	if (rx_parse_bind(opt.bind, &a)) {
		fprintf(stderr, "evsteer-rx: --bind %s: not an address\n",
			opt.bind);
		return -1;
	}
	a.sin6_port = htons(opt.port);
	for (i = 0; i < opt.threads; i++) {
		rx_threads[i].fd = rx_socket(&a);
		if (rx_threads[i].fd < 0) {
			fprintf(stderr,
				"evsteer-rx: socket %u on [%s]:%u: %s\n", i,
				opt.bind ? opt.bind : "::", opt.port,
				strerror(errno));
			return -1;
		}
	}
	*port = ntohs(a.sin6_port);
	return 0;
}

/* ---- starting, waiting, stopping ------------------------------------- */

/* --pin: thread i on the i-th CPU we may run on (CPU i with all online). */
static int rx_pin_cpus(void)
{
	int cpus[CPU_SETSIZE], n = 0, c;
	unsigned int i;
	cpu_set_t set;

	for (i = 0; i < opt.threads; i++)
		rx_threads[i].cpu = -1;
	if (!opt.pin)
		return 0;
	if (sched_getaffinity(0, sizeof(set), &set)) {
		perror("evsteer-rx: sched_getaffinity");
		return -1;
	}
	for (c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set))
			cpus[n++] = c;
	for (i = 0; n && i < opt.threads; i++)
		rx_threads[i].cpu = cpus[i % n];
	return 0;
}

/* Return: how many threads run; fewer than --threads on failure. */
static unsigned int rx_threads_start(void)
{
	pthread_attr_t attr;
	unsigned int i;
	cpu_set_t set;
	int err;

	for (i = 0; i < opt.threads; i++) {
		struct rx_thread *t = &rx_threads[i];

		t->idx = i;
		t->last_cpu = t->cpu;
		pthread_attr_init(&attr);
		if (t->cpu >= 0) {
			/* set before it runs: no datagram on the wrong CPU */
			CPU_ZERO(&set);
			CPU_SET(t->cpu, &set);
			pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
		}
		err = pthread_create(&t->tid, &attr, rx_thread_main, t);
		pthread_attr_destroy(&attr);
		if (err) {
			fprintf(stderr, "evsteer-rx: thread %u: %s\n", i,
				strerror(err));
			break;
		}
	}
	return i;
}

/* Written to a temporary name and renamed: it never appears half-written. */
static int rx_ready(unsigned int port)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", opt.ready_file, getpid());
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f, "%u\n", port);
	if (fclose(f) || rename(tmp, opt.ready_file)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/*
 * ---- output: one JSON object per line, flat but for two fields ----
 *
 * Every key is unique within its line (a thread's count is "datagrams",
 * not "received"): scripts read them with a greedy sed or awk match.
 */

static void rx_json_u64(const char *key, u64 v)
{
	printf(",\"%s\":%llu", key, v);
}

static void rx_json_double(const char *key, double v, int decimals)
{
	printf(",\"%s\":%.*f", key, decimals, v);
}

/* "latency_ns":{...}: p50 and p99, and with @full p90, p999, max, samples */
static void rx_json_latency(const struct rx_lat *lat, bool full)
{
	static const struct {
		const char *key;
		unsigned int permille;
		bool full_only;
	} pct[] = {
		{ "p50", 500, false }, { "p90", 900, true },
		{ "p99", 990, false }, { "p999", 999, true },
	};
	const char *sep = "";
	unsigned int i;

	printf(",\"latency_ns\":{");
	for (i = 0; i < ARRAY_SIZE(pct); i++) {
		if (pct[i].full_only && !full)
			continue;
		printf("%s\"%s\":%llu", sep, pct[i].key,
		       rx_lat_percentile(lat, pct[i].permille));
		sep = ",";
	}
	if (full) {
		rx_json_u64("max", lat->max);
		rx_json_u64("samples", rx_lat_count(lat));
	}
	printf("}");
}

/* A snapshot of every thread's counters, for interval and final lines. */
struct rx_sum {
	u64 received, bytes, bad, untracked, no_tstamp;
	u64 duplicated, reordered, sock_drops;
	u64 first_ns, last_ns;
	struct rx_lat lat;
};

static void rx_sum(struct rx_sum *s)
{
	unsigned int i, j;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < opt.threads; i++) {
		struct rx_thread *t = &rx_threads[i];
		u64 first = rd(t->first_ns), last = rd(t->last_ns);

		s->received += rd(t->received);
		s->bytes += rd(t->bytes);
		s->bad += rd(t->bad);
		s->untracked += rd(t->untracked);
		s->no_tstamp += rd(t->no_tstamp);
		s->duplicated += rd(t->duplicated);
		s->reordered += rd(t->reordered);
		s->sock_drops += rd(t->sock_drops);
		if (first && (!s->first_ns || first < s->first_ns))
			s->first_ns = first;
		if (last > s->last_ns)
			s->last_ns = last;
		for (j = 0; j < RX_LAT_BUCKETS; j++)
			s->lat.bucket[j] += rd(t->lat.bucket[j]);
		if (rd(t->lat.max) > s->lat.max)
			s->lat.max = rd(t->lat.max);
	}
}

/*
 * One "type":"interval" line: the datagrams and latency since @prev.
 * The interval's max is not kept per interval, so its percentiles are
 * capped by the run's maximum only.
 */
static void rx_print_interval(struct rx_sum *prev, u64 t_ns, u64 dt_ns)
{
	struct rx_sum cur, d;
	unsigned int i;

	rx_sum(&cur);
	memset(&d, 0, sizeof(d));
	for (i = 0; i < RX_LAT_BUCKETS; i++)
		d.lat.bucket[i] = cur.lat.bucket[i] - prev->lat.bucket[i];
	d.lat.max = cur.lat.max;
	d.received = cur.received - prev->received;
	printf("{\"type\":\"interval\"");
	rx_json_double("t_s", (double)t_ns / NSEC_PER_SEC, 3);
	rx_json_u64("received", d.received);
	rx_json_double("pps", dt_ns ? (double)d.received * NSEC_PER_SEC /
				      dt_ns : 0.0, 1);
	rx_json_latency(&d.lat, false);
	printf("}\n");
	fflush(stdout);
	*prev = cur;
}

/* Why the main thread should stop now, or NULL to keep going. */
static const char *rx_should_stop(u64 start, u64 now)
{
	u64 last = 0;
	unsigned int i;

	if (rd(rx_stop))
		return "count";
	if (opt.duration_s > 0 &&
	    now - start >= (u64)(opt.duration_s * NSEC_PER_SEC))
		return "duration";
	for (i = 0; i < opt.threads; i++)
		if (rd(rx_threads[i].last_ns) > last)
			last = rd(rx_threads[i].last_ns);
	/* idle only counts once traffic has started */
	if (opt.idle_s > 0 && last && now > last &&
	    now - last >= (u64)(opt.idle_s * NSEC_PER_SEC))
		return "idle";
	return NULL;
}

/*
 * The main thread waits for SIGINT/SIGTERM (blocked everywhere, taken
 * here with sigtimedwait) and checks the other stop conditions and the
 * interval every RX_POLL_NS at most.
 */
static const char *rx_wait(u64 start)
{
	u64 iv = (u64)opt.interval_ms * 1000000, next = start + iv, now;
	u64 printed = start;
	const char *why = NULL;
	struct rx_sum prev;
	struct timespec to;
	sigset_t set;
	u64 wait;

	memset(&prev, 0, sizeof(prev));
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	for (;;) {
		now = rx_clock_ns(CLOCK_MONOTONIC);
		why = rx_should_stop(start, now);
		if (why)
			break;
		if (iv && now >= next) {
			rx_print_interval(&prev, now - start, now - printed);
			printed = now;
			/* after a stall, do not print a burst of lines */
			next = now - next >= iv ? now + iv : next + iv;
		}
		wait = RX_POLL_NS;
		if (iv && next > now && next - now < wait)
			wait = next - now;
		to.tv_sec = 0;
		to.tv_nsec = (long)wait;
		if (sigtimedwait(&set, NULL, &to) > 0)
			return "signal";
	}
	return why;
}

/* Sum the flow table: flows, unique, lost. */
static void rx_flows_sum(u64 *flows, u64 *unique, u64 *lost)
{
	u32 i;

	*flows = *unique = *lost = 0;
	for (i = 0; i < opt.max_flows; i++) {
		struct rx_flow *f = rx_flows[i];

		if (!f)
			continue;
		(*flows)++;
		*unique += f->unique;
		*lost += f->highest + 1 - f->unique;
	}
}

static u64 rx_rcvbuf(void)
{
	socklen_t len = sizeof(int);
	int v = 0;

	getsockopt(rx_threads[0].fd, SOL_SOCKET, SO_RCVBUF, &v, &len);
	return v > 0 ? (u64)v : 0;
}

static void rx_print_threads(void)
{
	unsigned int i;

	printf(",\"threads\":[");
	for (i = 0; i < opt.threads; i++)
		printf("%s{\"cpu\":%d,\"pinned\":%s,\"datagrams\":%llu}",
		       i ? "," : "", rx_threads[i].last_cpu,
		       rx_threads[i].cpu >= 0 ? "true" : "false",
		       rx_threads[i].received);
	printf("]");
}

static void rx_print_final(const char *why, u64 run_ns)
{
	u64 flows, unique, lost, active;
	struct rx_sum s;

	rx_sum(&s);
	rx_flows_sum(&flows, &unique, &lost);
	active = s.last_ns - s.first_ns;
	printf("{\"type\":\"final\",\"stop\":\"%s\"", why);
	rx_json_u64("received", s.received);
	rx_json_u64("bytes", s.bytes);
	rx_json_u64("flows", flows);
	rx_json_u64("unique", unique);
	rx_json_u64("lost", lost);
	rx_json_u64("reordered", s.reordered);
	rx_json_u64("duplicated", s.duplicated);
	rx_json_u64("bad", s.bad);
	rx_json_u64("untracked", s.untracked);
	rx_json_u64("no_tstamp", s.no_tstamp);
	rx_json_u64("sock_drops", s.sock_drops);
	rx_json_u64("rcvbuf", rx_rcvbuf());
	rx_json_double("duration_s", (double)run_ns / NSEC_PER_SEC, 3);
	rx_json_double("active_s", (double)active / NSEC_PER_SEC, 6);
	rx_json_double("pps", active ? (double)s.received * NSEC_PER_SEC /
				       active : 0.0, 1);
	rx_json_latency(&s.lat, true);
	rx_print_threads();
	printf("}\n");
	fflush(stdout);
}

/* ---- command line ------------------------------------------------------ */

static void rx_usage(FILE *f)
{
	fprintf(f,
"usage: evsteer-rx [OPTION]...\n"
"Receive the evsteer device's UDP traffic, check each datagram's EVSP\n"
"header (flow id, per-flow sequence number) and measure the latency from\n"
"the kernel's receive timestamp (set by the driver in hard IRQ) to the\n"
"application.  Prints one JSON line at the end (and every --interval-ms).\n"
"\n"
"  --port N          UDP port (default %u; 0: a free port, see --ready-file)\n"
"  --bind ADDR       bind address (default ::, which takes IPv4 and IPv6;\n"
"                    an IPv4 address is bound as ::ffff:ADDR)\n"
"  --threads N       threads, one SO_REUSEPORT socket each (default: the\n"
"                    number of online CPUs)\n"
"  --pin             pin thread i to the i-th allowed CPU (CPU i if all\n"
"                    are online)\n"
"  --rcvbuf BYTES    socket receive buffer, K/M/G suffixes (default 4M);\n"
"                    SO_RCVBUFFORCE, else SO_RCVBUF capped by rmem_max\n"
"  --batch N         datagrams per recvmmsg() (default %u, max %u)\n"
"  --busy-ns N       spin N ns per datagram, as a heavy application would\n"
"  --duration S      stop after S seconds (fractions allowed; 0: never)\n"
"  --idle S          stop S seconds after the last datagram, once one came\n"
"                    (0: never)\n"
"  --count N         stop after N datagrams; exactly N are reported (0: no\n"
"                    limit)\n"
"  --ready-file PATH once every socket is bound, write the port to PATH\n"
"                    (removed at start, created by rename)\n"
"  --interval-ms M   also print a \"type\":\"interval\" line every M ms\n"
"  --max-flows N     track flow ids below N (default %u, max %u)\n"
"  --max-seq N       track sequence numbers below N (default %llu); the\n"
"                    per-flow bitmap takes up to N/8 bytes\n"
"  -h, --help        this text\n"
"\n"
"It also stops on SIGINT or SIGTERM; the datagrams already queued on the\n"
"sockets are then drained (for up to %llu ms) before the report.\n"
"\n"
"Final line: {\"type\":\"final\",\n"
"  \"stop\" (signal, duration, idle, count or error),\n"
"  \"received\" datagrams, \"bytes\" of UDP payload, \"flows\" seen,\n"
"  \"unique\" (flow, seq) pairs, \"lost\" = sum over flows of highest seq\n"
"  + 1 - unique, \"reordered\" (a new seq below its flow's highest),\n"
"  \"duplicated\" (a seq seen again), \"bad\" (shorter than the EVSP header\n"
"  or wrong magic), \"untracked\" (flow id or seq out of range),\n"
"  \"no_tstamp\" (no kernel timestamp), \"sock_drops\" (SO_RXQ_OVFL, as of\n"
"  each socket's last datagram), \"rcvbuf\" (as the kernel reports it),\n"
"  \"duration_s\" (run), \"active_s\" (first to last datagram), \"pps\"\n"
"  (received / active_s), \"latency_ns\":{p50,p90,p99,p999,max,samples}\n"
"  (receive time minus kernel timestamp; percentiles are the lower bound\n"
"  of a log-linear bucket, 4 per power of two), \"threads\":[{\"cpu\"\n"
"  (pinned CPU, else where it last ran),\"pinned\",\"datagrams\"}]}.\n"
"  received = unique + duplicated + bad + untracked.  A flow that reaches\n"
"  two sockets keeps exact counts, but its reordering may be over-counted.\n"
"Interval line: {\"type\":\"interval\",\"t_s\",\"received\",\"pps\",\n"
"  \"latency_ns\":{\"p50\",\"p99\"}}, all for that interval.\n"
"No key appears twice in a line, so sed 's/.*\"KEY\":\\([0-9.]*\\).*/\\1/p'\n"
"reads any number.\n"
"Exit status: 0, 1 on a runtime error, 2 on a usage error.\n",
		RX_DEFAULT_PORT, RX_DEFAULT_BATCH, RX_MAX_BATCH,
		RX_DEFAULT_MAX_FLOWS, RX_MAX_MAX_FLOWS,
		(unsigned long long)RX_DEFAULT_MAX_SEQ,
		(unsigned long long)(RX_DRAIN_NS / 1000000));
}

static __noreturn void rx_bad_arg(const char *name, const char *val)
{
	fprintf(stderr, "evsteer-rx: --%s: bad value '%s' (see --help)\n",
		name, val);
	exit(2);
}

/* An unsigned number with an optional K/M/G (binary) suffix, in range. */
static u64 rx_parse_u64(const char *name, const char *s, u64 min, u64 max,
			bool suffix)
{
	static const char units[] = "KMG";
	const char *unit;
	unsigned long long v;
	char *end;
	int shift = 0;

	errno = 0;
	v = strtoull(s, &end, 0);
	unit = suffix && end != s && *end ? strchr(units, toupper(*end)) : NULL;
	if (unit) {
		shift = 10 * (int)(unit - units + 1);
		end++;
	}
	if (errno || end == s || *end || *s == '-' || v > (max >> shift) ||
	    (v << shift) < min)
		rx_bad_arg(name, s);
	return (u64)v << shift;
}

static double rx_parse_seconds(const char *name, const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < 0 || v > 1e9)
		rx_bad_arg(name, s);
	return v;
}

enum {
	OPT_PORT = 256, OPT_BIND, OPT_THREADS, OPT_PIN, OPT_RCVBUF, OPT_BATCH,
	OPT_BUSY, OPT_DURATION, OPT_IDLE, OPT_COUNT, OPT_READY, OPT_INTERVAL,
	OPT_MAX_FLOWS, OPT_MAX_SEQ,
};

static const struct option rx_longopts[] = {
	{ "port", required_argument, NULL, OPT_PORT },
	{ "bind", required_argument, NULL, OPT_BIND },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "pin", no_argument, NULL, OPT_PIN },
	{ "rcvbuf", required_argument, NULL, OPT_RCVBUF },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "busy-ns", required_argument, NULL, OPT_BUSY },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "idle", required_argument, NULL, OPT_IDLE },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "ready-file", required_argument, NULL, OPT_READY },
	{ "interval-ms", required_argument, NULL, OPT_INTERVAL },
	{ "max-flows", required_argument, NULL, OPT_MAX_FLOWS },
	{ "max-seq", required_argument, NULL, OPT_MAX_SEQ },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void rx_parse_one(int c, const char *a)
{
	switch (c) {
	case OPT_PORT:
		opt.port = rx_parse_u64("port", a, 0, 65535, false);
		break;
	case OPT_BIND:
		opt.bind = a;
		break;
	case OPT_THREADS:
		opt.threads = rx_parse_u64("threads", a, 1, RX_MAX_THREADS,
					   false);
		break;
	case OPT_PIN:
		opt.pin = true;
		break;
	case OPT_RCVBUF:
		opt.rcvbuf = rx_parse_u64("rcvbuf", a, 1, INT32_MAX, true);
		break;
	case OPT_BATCH:
		opt.batch = rx_parse_u64("batch", a, 1, RX_MAX_BATCH, false);
		break;
	case OPT_BUSY:
		opt.busy_ns = rx_parse_u64("busy-ns", a, 0, NSEC_PER_SEC,
					   false);
		break;
	case OPT_DURATION:
		opt.duration_s = rx_parse_seconds("duration", a);
		break;
	case OPT_IDLE:
		opt.idle_s = rx_parse_seconds("idle", a);
		break;
	case OPT_COUNT:
		opt.count = rx_parse_u64("count", a, 0, UINT64_MAX >> 1, false);
		break;
	case OPT_READY:
		opt.ready_file = a;
		break;
	case OPT_INTERVAL:
		opt.interval_ms = rx_parse_u64("interval-ms", a, 0, 3600000,
					       false);
		break;
	case OPT_MAX_FLOWS:
		opt.max_flows = rx_parse_u64("max-flows", a, 1,
					     RX_MAX_MAX_FLOWS, false);
		break;
	case OPT_MAX_SEQ:
		opt.max_seq = rx_parse_u64("max-seq", a, 1, 1ull << 40, false);
		break;
	}
}

static void rx_parse(int argc, char **argv)
{
	int c;

	while ((c = getopt_long(argc, argv, "h", rx_longopts, NULL)) != -1) {
		if (c == 'h') {
			rx_usage(stdout);
			exit(0);
		}
		if (c == '?') {
			/* getopt said what is wrong; keep the error short */
			fprintf(stderr, "evsteer-rx: try --help\n");
			exit(2);
		}
		rx_parse_one(c, optarg);
	}
	if (optind < argc) {
		fprintf(stderr, "evsteer-rx: unexpected argument '%s'\n",
			argv[optind]);
		exit(2);
	}
	if (!opt.threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		opt.threads = n < 1 ? 1 :
			      n > RX_MAX_THREADS ? RX_MAX_THREADS : n;
	}
}

/* Everything before the threads run; on failure, nothing to undo. */
static int rx_setup(unsigned int *port)
{
	sigset_t set;

	rx_threads = aligned_alloc(64, sizeof(*rx_threads) * opt.threads);
	if (!rx_threads || rx_flows_init()) {
		fprintf(stderr, "evsteer-rx: out of memory\n");
		return -1;
	}
	memset(rx_threads, 0, sizeof(*rx_threads) * opt.threads);
	/* a stale ready file must not tell a script we are up */
	if (opt.ready_file)
		unlink(opt.ready_file);
	if (rx_pin_cpus() || rx_sockets_open(port))
		return -1;
	/* blocked in every thread: only the main thread takes them */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int port = 0, started, i;
	const char *why = "error";
	bool failed = false;
	u64 start;

	rx_parse(argc, argv);
	if (rx_setup(&port))
		return 1;
	start = rx_clock_ns(CLOCK_MONOTONIC);
	started = rx_threads_start();
	if (started < opt.threads) {
		failed = true;
	} else if (opt.ready_file && rx_ready(port)) {
		fprintf(stderr, "evsteer-rx: --ready-file %s: %s\n",
			opt.ready_file, strerror(errno));
		failed = true;
	}
	if (!failed)
		why = rx_wait(start);
	wr(rx_stop, 1);
	for (i = 0; i < started; i++) {
		pthread_join(rx_threads[i].tid, NULL);
		failed |= rx_threads[i].failed;
	}
	rx_print_final(failed ? "error" : why,
		       rx_clock_ns(CLOCK_MONOTONIC) - start);
	return failed ? 1 : 0;
}
