// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evsteer-rx, the guest's UDP receiver, run on the host's loopback: a
 * known pattern of EVSP datagrams (flows in order, a gap, duplicates,
 * reordering, bad magic, runts, a flow id out of range) over IPv4 and
 * IPv6 must give exactly the expected counters; --count, --idle,
 * --duration and --interval-ms must stop and report as documented.
 *
 * Only loopback addresses are bound or sent to.  Every receiver is
 * bounded: --duration, PR_SET_PDEATHSIG, and SIGTERM then SIGKILL by
 * its pid.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <evsteer/frame.h>
#include "tap.h"

#define RX_SAFETY_DURATION	"20"	/* seconds: outlives any check here */
#define RX_START_MS		5000
#define RX_STOP_MS		3000
#define RX_OUT_MAX		(256 * 1024)
#define RX_MAX_ARGS		32
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/* ---- the receiver process ------------------------------------------ */

struct rx_proc {
	pid_t pid;
	int out_fd;
	int status;
	bool exited;
	unsigned int port;
	char ready[PATH_MAX];
	char out[RX_OUT_MAX];
	size_t len;
};

static char tmpdir[64];

static u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + (u64)ts.tv_nsec / 1000000;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* build/tools/evsteer-rx, found from build/host/test_rx. */
static const char *rx_path(void)
{
	static char path[PATH_MAX + 32];
	char exe[PATH_MAX];
	ssize_t n;

	if (getenv("EVSTEER_RX"))
		return getenv("EVSTEER_RX");
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return "build/tools/evsteer-rx";
	exe[n] = '\0';
	snprintf(path, sizeof(path), "%s/../tools/evsteer-rx", dirname(exe));
	return path;
}

/* Take whatever the receiver printed so far, without blocking. */
static void rx_drain(struct rx_proc *p)
{
	ssize_t n;

	while (p->out_fd >= 0 && p->len < sizeof(p->out) - 1) {
		n = read(p->out_fd, p->out + p->len,
			 sizeof(p->out) - 1 - p->len);
		if (n <= 0)
			break;
		p->len += n;
	}
	p->out[p->len] = '\0';
}

static bool rx_reap(struct rx_proc *p)
{
	if (!p->exited && waitpid(p->pid, &p->status, WNOHANG) == p->pid)
		p->exited = true;
	return p->exited;
}

/* Wait up to @ms for the receiver to exit; the rest of its output too. */
static bool rx_wait_exit(struct rx_proc *p, unsigned int ms)
{
	u64 end = now_ms() + ms;

	while (!rx_reap(p) && now_ms() < end) {
		rx_drain(p);
		sleep_ms(5);
	}
	rx_drain(p);
	return p->exited;
}

/* The receiver's stdout, and its stderr too if @merge, go to @out. */
static void rx_child(int out, char **argv, bool merge)
{
	int null = open("/dev/null", O_RDONLY);

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	dup2(null, STDIN_FILENO);
	dup2(out, STDOUT_FILENO);
	if (merge)
		dup2(out, STDERR_FILENO);
	execv(argv[0], argv);
	_exit(127);
}

/* Start the receiver with @args (NULL-terminated) and a ready file. */
static int rx_spawn(struct rx_proc *p, const char *const *args, bool merge)
{
	char *argv[RX_MAX_ARGS];
	static int serial;
	int pipefd[2], n = 0;

	memset(p, 0, sizeof(*p));
	snprintf(p->ready, sizeof(p->ready), "%s/ready.%d", tmpdir, serial++);
	argv[n++] = (char *)rx_path();
	argv[n++] = "--ready-file";
	argv[n++] = p->ready;
	argv[n++] = "--duration";
	argv[n++] = RX_SAFETY_DURATION;
	while (*args && n < RX_MAX_ARGS - 1)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	if (pipe2(pipefd, O_CLOEXEC))
		return -1;
	fflush(stdout);
	p->pid = fork();
	if (p->pid < 0)
		return -1;
	if (!p->pid)
		rx_child(pipefd[1], argv, merge);
	close(pipefd[1]);
	p->out_fd = pipefd[0];
	fcntl(p->out_fd, F_SETFL, O_NONBLOCK);
	return 0;
}

/* Start it and wait for its ready file, which holds the port. */
static int rx_start(struct rx_proc *p, const char *const *args)
{
	u64 end = now_ms() + RX_START_MS;
	FILE *f;

	if (rx_spawn(p, args, false))
		return -1;
	while (now_ms() < end && !rx_reap(p)) {
		f = fopen(p->ready, "r");
		if (f) {
			if (fscanf(f, "%u", &p->port) != 1)
				p->port = 0;
			fclose(f);
			return p->port ? 0 : -1;
		}
		rx_drain(p);
		sleep_ms(5);
	}
	tap_diag("evsteer-rx did not get ready (exited: %d)", p->exited);
	return -1;
}

/* SIGTERM by pid, bounded; SIGKILL if it does not go. */
static bool rx_stop(struct rx_proc *p)
{
	bool clean;

	if (!p->exited)
		kill(p->pid, SIGTERM);
	clean = rx_wait_exit(p, RX_STOP_MS);
	if (!clean) {
		kill(p->pid, SIGKILL);
		waitpid(p->pid, &p->status, 0);
		p->exited = true;
	}
	return clean;
}

static void rx_close(struct rx_proc *p)
{
	if (p->pid > 0 && !p->exited)
		rx_stop(p);
	if (p->out_fd >= 0)
		close(p->out_fd);
	p->out_fd = -1;
	unlink(p->ready);
}

static bool rx_exit_ok(const struct rx_proc *p)
{
	return p->exited && WIFEXITED(p->status) && !WEXITSTATUS(p->status);
}

/* ---- reading its JSON ------------------------------------------------ */

/* The last line holding @type ("final" or "interval"), or NULL. */
static const char *rx_line(const struct rx_proc *p, const char *type)
{
	char want[32];
	const char *at, *line = NULL;

	snprintf(want, sizeof(want), "{\"type\":\"%s\"", type);
	for (at = p->out; (at = strstr(at, want)); at++)
		line = at;
	return line;
}

static unsigned int rx_count_lines(const struct rx_proc *p, const char *type)
{
	const char *at;
	unsigned int n = 0;
	char want[32];

	snprintf(want, sizeof(want), "{\"type\":\"%s\"", type);
	for (at = p->out; (at = strstr(at, want)); at++)
		n++;
	return n;
}

static bool json_num(const char *json, const char *key, double *v);

/* What the interval lines so far add up to: datagrams taken in. */
static u64 rx_interval_sum(const struct rx_proc *p)
{
	const char *at, *want = "{\"type\":\"interval\"";
	u64 sum = 0;
	double v;

	for (at = p->out; (at = strstr(at, want)); at++)
		if (strchr(at, '\n') && json_num(at, "received", &v))
			sum += (u64)v;
	return sum;
}

/* Wait up to @ms until the receiver has taken @n datagrams in. */
static bool rx_wait_taken(struct rx_proc *p, u64 n, unsigned int ms)
{
	u64 end = now_ms() + ms;

	while (rx_interval_sum(p) < n && now_ms() < end && !rx_reap(p)) {
		sleep_ms(10);
		rx_drain(p);
	}
	return rx_interval_sum(p) >= n;
}

/*
 * The number after "key": in @json, at its first occurrence before the
 * end of the line: top-level keys come before the threads array.
 */
static bool json_num(const char *json, const char *key, double *v)
{
	const char *end = json ? strchr(json, '\n') : NULL, *at;
	char want[64];
	char *stop;

	if (!json)
		return false;
	snprintf(want, sizeof(want), "\"%s\":", key);
	at = strstr(json, want);
	if (!at || (end && at > end))
		return false;
	*v = strtod(at + strlen(want), &stop);
	return stop != at + strlen(want);
}

static u64 json_u64(const char *json, const char *key)
{
	double v;

	return json_num(json, key, &v) ? (u64)v : ~0ull;
}

static bool json_has_str(const char *json, const char *key, const char *val)
{
	char want[96];
	const char *end = json ? strchr(json, '\n') : NULL, *at;

	if (!json)
		return false;
	snprintf(want, sizeof(want), "\"%s\":\"%s\"", key, val);
	at = strstr(json, want);
	return at && (!end || at < end);
}

struct rx_thread_info {
	int cpu;
	bool pinned;
	u64 received;
};

/* The "threads" array of a final line. */
static unsigned int json_threads(const char *json, struct rx_thread_info *t,
				 unsigned int max)
{
	const char *at = json ? strstr(json, "\"threads\":[") : NULL, *pin;
	unsigned int n = 0;
	double v;

	while (at && n < max && (at = strstr(at, "{\"cpu\":"))) {
		if (!json_num(at, "cpu", &v))
			break;
		t[n].cpu = (int)v;
		pin = strstr(at, "\"pinned\":");
		t[n].pinned = pin && !strncmp(pin + 9, "true", 4);
		t[n].received = json_u64(at, "datagrams");
		n++;
		at++;
	}
	return n;
}

/* ---- sending ---------------------------------------------------------- */

struct peer {
	int family;
	struct sockaddr_storage to;
	socklen_t to_len;
};

static void peer_init(struct peer *pr, int family, unsigned int port)
{
	memset(pr, 0, sizeof(*pr));
	pr->family = family;
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&pr->to;

		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		pr->to_len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&pr->to;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		a->sin6_addr = in6addr_loopback;
		pr->to_len = sizeof(*a);
	}
}

/* One datagram: the EVSP header, then a pattern, @len bytes in all. */
static int send_raw(int fd, const struct peer *pr, u32 magic, u32 flow,
		    u64 seq, u32 len)
{
	u8 buf[1500];
	u32 i;

	for (i = 0; i < len; i++)
		buf[i] = (u8)(seq + i);
	for (i = 0; i < 4 && i < len; i++)
		buf[i] = (u8)(magic >> (8 * i));
	for (i = 0; i < 4 && 4 + i < len; i++)
		buf[4 + i] = (u8)(flow >> (8 * i));
	for (i = 0; i < 8 && 8 + i < len; i++)
		buf[8 + i] = (u8)(seq >> (8 * i));
	return sendto(fd, buf, len, 0, (const struct sockaddr *)&pr->to,
		      pr->to_len) == (ssize_t)len ? 0 : -1;
}

/*
 * The pattern, one sending socket per flow so that the kernel's
 * reuseport hash may spread the flows over the receiver's sockets
 * while each flow stays on one.
 */
struct pattern {
	const struct peer *pr;
	int fds[16];
	unsigned int nfds;
	u64 sent;
	u64 bytes;
	int errors;
};

static int pattern_fd(struct pattern *pt, unsigned int i)
{
	while (pt->nfds <= i)
		pt->fds[pt->nfds++] = socket(pt->pr->family,
					     SOCK_DGRAM | SOCK_CLOEXEC, 0);
	return pt->fds[i];
}

static void pattern_send(struct pattern *pt, unsigned int sock, u32 magic,
			 u32 flow, u64 seq, u32 len)
{
	if (send_raw(pattern_fd(pt, sock), pt->pr, magic, flow, seq, len))
		pt->errors++;
	pt->sent++;
	pt->bytes += len;
	/* paced: the receive buffer may be rmem_max-sized without root */
	if (!(pt->sent % 32))
		sleep_ms(1);
}

static void pattern_evsp(struct pattern *pt, unsigned int sock, u32 flow,
			 u64 seq)
{
	pattern_send(pt, sock, EVS_EVSP_MAGIC, flow, seq,
		     sizeof(struct evs_evsp_hdr) + (u32)(seq * 7 % 100));
}

/*
 * Flows 0-3: seq 0..49 in order, interleaved.  Flow 10: 0..19 without
 * 5, 6, 7.  Flow 11: 0..9, then 4 and 9 again.  Flow 12: 0 1 2 5 3 4
 * 6 7.  Flow 1000: out of --max-flows.  Then bad magic, a runt and an
 * empty datagram.
 */
static void pattern_run(struct pattern *pt)
{
	static const u64 reord[] = { 0, 1, 2, 5, 3, 4, 6, 7 };
	unsigned int f, i;
	u64 s;

	for (s = 0; s < 50; s++)
		for (f = 0; f < 4; f++)
			pattern_evsp(pt, f, f, s);
	for (s = 0; s < 20; s++)
		if (s < 5 || s > 7)
			pattern_evsp(pt, 4, 10, s);
	for (s = 0; s < 10; s++)
		pattern_evsp(pt, 5, 11, s);
	pattern_evsp(pt, 5, 11, 4);
	pattern_evsp(pt, 5, 11, 9);
	for (i = 0; i < ARRAY_SIZE(reord); i++)
		pattern_evsp(pt, 6, 12, reord[i]);
	pattern_evsp(pt, 7, 1000, 0);
	pattern_send(pt, 7, 0xdeadbeef, 20, 0, 64);
	pattern_send(pt, 7, EVS_EVSP_MAGIC, 21, 0, 10);
	pattern_send(pt, 7, EVS_EVSP_MAGIC, 22, 0, 0);
}

static void pattern_close(struct pattern *pt)
{
	unsigned int i;

	for (i = 0; i < pt->nfds; i++)
		if (pt->fds[i] >= 0)
			close(pt->fds[i]);
}

/* ---- the checks ------------------------------------------------------- */

static void check_counters(const char *j, const struct pattern *pt,
			   const char *fam)
{
	static const struct {
		const char *key;
		u64 want;
	} want[] = {
		{ "received", 241 }, { "flows", 7 }, { "unique", 235 },
		{ "lost", 3 }, { "reordered", 2 }, { "duplicated", 2 },
		{ "bad", 3 }, { "untracked", 1 }, { "no_tstamp", 0 },
		{ "sock_drops", 0 },
	};
	unsigned int i;

	tap_eq(pt->sent, 241, "%s: the pattern is 241 datagrams", fam);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		tap_eq(json_u64(j, want[i].key), want[i].want, "%s: %s", fam,
		       want[i].key);
	tap_eq(json_u64(j, "bytes"), pt->bytes, "%s: bytes", fam);
}

static void check_latency(const char *j, const char *fam)
{
	const char *l = j ? strstr(j, "\"latency_ns\":{") : NULL;
	u64 p50 = json_u64(l, "p50"), p90 = json_u64(l, "p90");
	u64 p99 = json_u64(l, "p99"), p999 = json_u64(l, "p999");
	u64 max = json_u64(l, "max");

	tap_ok(l && p50 != ~0ull && p90 != ~0ull && p99 != ~0ull &&
	       p999 != ~0ull && max != ~0ull,
	       "%s: latency_ns has p50, p90, p99, p999 and max", fam);
	tap_ok(p50 <= p90 && p90 <= p99 && p99 <= p999 && p999 <= max &&
	       max > 0 && max != ~0ull,
	       "%s: latency percentiles ordered, max > 0 (p50 %llu max %llu)",
	       fam, p50, max);
	tap_eq(json_u64(l, "samples"), 241,
	       "%s: every datagram had a kernel timestamp", fam);
}

/*
 * Scripts read the line with a greedy sed ('s/.*"KEY":\([0-9.]*\).*'),
 * which takes the last match: no key outside the threads array may
 * appear twice in the line (the array's own keys repeat, per thread).
 */
static bool keys_unique(const char *line)
{
	const char *end = line ? strchr(line, '\n') : NULL, *top, *a, *b;
	size_t la, lb;

	if (!end)
		return false;
	top = strstr(line, "\"threads\":[");
	if (!top || top > end)
		top = end;
	for (a = strchr(line, '"'); a && a < top; a = strchr(a + la, '"')) {
		la = strcspn(a + 1, "\"") + 2;
		if (a[la] != ':')
			continue;
		for (b = strchr(a + la, '"'); b && b < end;
		     b = strchr(b + lb, '"')) {
			lb = strcspn(b + 1, "\"") + 2;
			if (b[lb] == ':' && la == lb && !memcmp(a, b, la)) {
				tap_diag("key %.*s twice", (int)la, a);
				return false;
			}
		}
	}
	return true;
}

static int first_allowed_cpu(void)
{
	cpu_set_t set;
	int c;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -1;
	for (c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set))
			return c;
	return -1;
}

static void check_threads(const char *j, const char *fam, bool pinned)
{
	struct rx_thread_info t[4];
	unsigned int n = json_threads(j, t, 4), i;
	u64 sum = 0;
	bool pin_ok = true;

	for (i = 0; i < n; i++) {
		sum += t[i].received;
		pin_ok &= t[i].pinned == pinned;
	}
	tap_eq(n, 2, "%s: two threads reported", fam);
	tap_eq(sum, 241, "%s: threads' received adds up", fam);
	tap_ok(pin_ok && (!pinned || (n && t[0].cpu == first_allowed_cpu())),
	       "%s: threads %s", fam,
	       pinned ? "pinned, thread 0 on the first CPU" : "not pinned");
}

static bool have_ipv6_loopback(void)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);
	bool ok = fd >= 0 && !bind(fd, (struct sockaddr *)&a, sizeof(a));

	if (fd >= 0)
		close(fd);
	return ok;
}

/* The whole pattern over one family, two threads, port 0. */
static void test_pattern(int family)
{
	const char *fam = family == AF_INET ? "IPv4" : "IPv6";
	const char *args[] = {
		"--bind", family == AF_INET ? "127.0.0.1" : "::1",
		"--port", "0", "--threads", "2", "--max-flows", "64",
		"--rcvbuf", "1M", "--interval-ms", "50",
		family == AF_INET ? "--pin" : NULL, NULL,
	};
	struct pattern pt = { 0 };
	struct rx_proc p;
	struct peer pr;
	const char *j;
	bool up, stopped;

	up = !rx_start(&p, args);
	tap_ok(up, "%s: evsteer-rx is ready on a port it picked (%u)", fam,
	       p.port);
	if (!up) {
		rx_close(&p);
		return;
	}
	peer_init(&pr, family, p.port);
	pt.pr = &pr;
	pattern_run(&pt);
	tap_eq(pt.errors, 0, "%s: every datagram sent", fam);
	/* SIGTERM only once all are in: the drain is not what is tested */
	tap_ok(rx_wait_taken(&p, pt.sent, RX_STOP_MS),
	       "%s: interval lines add up to all datagrams", fam);
	stopped = rx_stop(&p);
	j = rx_line(&p, "final");
	tap_ok(stopped && rx_exit_ok(&p) && json_has_str(j, "stop", "signal"),
	       "%s: SIGTERM stops it with status 0 and a final line", fam);
	if (!j)
		tap_diag("output: %s", p.out);
	tap_ok(keys_unique(j) && keys_unique(rx_line(&p, "interval")),
	       "%s: no top-level key twice in the final or an interval line",
	       fam);
	check_counters(j, &pt, fam);
	check_latency(j, fam);
	check_threads(j, fam, family == AF_INET);
	pattern_close(&pt);
	rx_close(&p);
}

/* A port that was free a moment ago: --port N, not 0, is tested too. */
static unsigned int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	unsigned int port = 0;

	if (fd >= 0 && !bind(fd, (struct sockaddr *)&a, sizeof(a)) &&
	    !getsockname(fd, (struct sockaddr *)&a, &len))
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static void send_n(unsigned int port, unsigned int n, u32 flow)
{
	struct peer pr;
	unsigned int i;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	peer_init(&pr, AF_INET, port);
	for (i = 0; i < n; i++)
		send_raw(fd, &pr, EVS_EVSP_MAGIC, flow, i, 100);
	close(fd);
}

/* --count N: stops by itself, reports exactly N of more datagrams. */
static void test_count(void)
{
	unsigned int port = free_port();
	char port_s[16];
	const char *args[] = { "--bind", "127.0.0.1", "--port", port_s,
			       "--threads", "1", "--count", "5", NULL };
	struct rx_proc p;
	const char *j;
	bool up;

	snprintf(port_s, sizeof(port_s), "%u", port);
	up = !rx_start(&p, args);
	tap_ok(up && p.port == port, "count: ready on --port %u", port);
	if (up)
		send_n(port, 12, 7);
	tap_ok(up && rx_wait_exit(&p, RX_STOP_MS) && rx_exit_ok(&p),
	       "count: exits by itself with status 0 after --count 5");
	j = rx_line(&p, "final");
	tap_ok(json_has_str(j, "stop", "count"), "count: stop is \"count\"");
	tap_eq(json_u64(j, "received"), 5, "count: exactly 5 received");
	tap_eq(json_u64(j, "unique"), 5, "count: exactly 5 unique");
	tap_eq(json_u64(j, "lost"), 0, "count: none lost");
	rx_close(&p);
}

/* --idle S: not before the first datagram, then S after the last. */
static void test_idle(void)
{
	const char *args[] = { "--bind", "::1", "--port", "0",
			       "--threads", "1", "--idle", "0.3", NULL };
	struct rx_proc p;
	const char *j;
	bool up, early;
	u64 sent, took;

	if (!have_ipv6_loopback())
		args[1] = "127.0.0.1";
	up = !rx_start(&p, args);
	tap_ok(up, "idle: ready");
	sleep_ms(500);
	early = rx_reap(&p);
	tap_ok(up && !early, "idle: still running 0.5 s before any datagram");
	if (up && !early) {
		struct peer pr;
		int fd;

		peer_init(&pr, args[1][0] == ':' ? AF_INET6 : AF_INET, p.port);
		fd = socket(pr.family, SOCK_DGRAM, 0);
		send_raw(fd, &pr, EVS_EVSP_MAGIC, 3, 0, 40);
		send_raw(fd, &pr, EVS_EVSP_MAGIC, 3, 1, 40);
		send_raw(fd, &pr, EVS_EVSP_MAGIC, 3, 2, 40);
		close(fd);
	}
	sent = now_ms();
	tap_ok(up && rx_wait_exit(&p, RX_STOP_MS) && rx_exit_ok(&p),
	       "idle: exits by itself with status 0");
	took = now_ms() - sent;
	tap_ok(took >= 250 && took < 2000,
	       "idle: exits about 0.3 s after the last datagram (%llu ms)",
	       took);
	j = rx_line(&p, "final");
	tap_ok(json_has_str(j, "stop", "idle"), "idle: stop is \"idle\"");
	tap_eq(json_u64(j, "received"), 3, "idle: 3 received");
	tap_eq(json_u64(j, "flows"), 1, "idle: 1 flow");
	rx_close(&p);
}

/* --duration and --interval-ms, without traffic. */
static void test_duration(void)
{
	const char *args[] = { "--bind", "127.0.0.1", "--port", "0",
			       "--threads", "1", "--duration", "0.45",
			       "--interval-ms", "100", NULL };
	struct rx_proc p;
	const char *j, *iv, *l;
	bool up;

	/* the safety --duration comes first: the later one wins */
	up = !rx_start(&p, args);
	tap_ok(up && rx_wait_exit(&p, RX_STOP_MS) && rx_exit_ok(&p),
	       "duration: exits by itself with status 0");
	j = rx_line(&p, "final");
	iv = rx_line(&p, "interval");
	l = j ? strstr(j, "\"latency_ns\":{") : NULL;
	tap_ok(json_has_str(j, "stop", "duration"),
	       "duration: stop is \"duration\"");
	tap_ok(json_u64(j, "received") == 0 && json_u64(l, "p50") == 0 &&
	       json_u64(l, "max") == 0 && json_u64(j, "pps") == 0,
	       "duration: nothing received, zero latency and rate");
	tap_ok(rx_count_lines(&p, "interval") >= 3,
	       "duration: interval lines every 100 ms (%u)",
	       rx_count_lines(&p, "interval"));
	tap_ok(iv && json_u64(iv, "received") == 0 &&
	       json_u64(iv, "pps") == 0 &&
	       strstr(iv, "\"latency_ns\":{\"p50\":0,\"p99\":0}"),
	       "duration: interval line has received, pps, p50 and p99");
	rx_close(&p);
}

static int run_status(const char *const *args, char *out, size_t size)
{
	struct rx_proc *p = calloc(1, sizeof(*p));
	int st = -1;

	/* stderr too: usage errors are checked, and kept out of the TAP */
	if (!p || rx_spawn(p, args, true)) {
		free(p);
		return -1;
	}
	if (rx_wait_exit(p, RX_STOP_MS) && WIFEXITED(p->status))
		st = WEXITSTATUS(p->status);
	if (out)
		snprintf(out, size, "%s", p->out);
	rx_close(p);
	free(p);
	return st;
}

static void test_cli(void)
{
	static const char *const opts[] = {
		"--port", "--bind", "--threads", "--pin", "--rcvbuf",
		"--batch", "--busy-ns", "--duration", "--idle", "--count",
		"--ready-file", "--interval-ms", "--max-flows", "--max-seq",
		"--help",
	};
	static const char *const help[] = { "--help", NULL };
	static const char *const zero[] = { "--threads", "0", NULL };
	static const char *const bogus[] = { "--bogus", NULL };
	static const char *const addr[] = { "--bind", "not-an-address", NULL };
	static char out[RX_OUT_MAX];
	bool all = true;
	unsigned int i;

	tap_eq(run_status(help, out, sizeof(out)), 0, "--help exits 0");
	for (i = 0; i < ARRAY_SIZE(opts); i++)
		if (!strstr(out, opts[i])) {
			tap_diag("--help does not mention %s", opts[i]);
			all = false;
		}
	tap_ok(all, "--help documents every option");
	tap_ok(run_status(zero, out, sizeof(out)) == 2 &&
	       strstr(out, "--threads"),
	       "--threads 0 is a usage error that names the option");
	tap_ok(run_status(bogus, out, sizeof(out)) == 2 &&
	       strstr(out, "bogus"),
	       "an unknown option is a usage error that names it");
	tap_ok(run_status(addr, out, sizeof(out)) == 1 &&
	       strstr(out, "not-an-address"),
	       "a bad --bind address fails and says which");
}

int main(void)
{
	struct stat st;

	alarm(60);	/* whatever happens, the test ends */
	if (stat(rx_path(), &st)) {
		tap_ok(0, "%s exists (make tools)", rx_path());
		return tap_done();
	}
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/evsteer-test-rx.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		tap_ok(0, "a temporary directory");
		return tap_done();
	}
	test_cli();
	test_pattern(AF_INET);
	if (have_ipv6_loopback())
		test_pattern(AF_INET6);
	else
		tap_ok(1, "IPv6 pattern # SKIP no IPv6 loopback");
	test_count();
	test_idle();
	test_duration();
	rmdir(tmpdir);
	return tap_done();
}
