// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evsteer-device, ivshmem side: connect over the real UNIX socket as
 * QEMU does and check the exact setup sequence, that every fd is what
 * it claims to be, the formatted shared memory, the doorbell and the
 * vectors, a refused second guest, header fault injection, and what
 * happens when the guest goes away.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <evsteer/producer.h>
#include "tap.h"
#include "device_proc.h"
#include "ivshmem_client.h"
#include "ivshmem_server.h"
#include "json_scan.h"
#include "mini_driver.h"
#include "sockutil.h"
#include "strbuf.h"

#define RINGS		3
#define VECTORS		(RINGS + 1)
#define RING_SIZE	64
#define BUF_SIZE	2048	/* the default --buf-size */
#define MEM		(1u << 20)
#define MSG_MS		2000

static const char *const dev_args[] = {
	"--rings", "3", "--ring-size", "64", "--mem", "1M",
	"--no-exit-on-disconnect", NULL
};

/* What the kernel says an fd is: "/memfd:...", "anon_inode:[eventfd]". */
static void fd_kind(int fd, char *buf, size_t size)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, size - 1);
	buf[n < 0 ? 0 : n] = '\0';
}

static int is_eventfd(int fd)
{
	char kind[PATH_MAX];

	fd_kind(fd, kind, sizeof(kind));
	return !strcmp(kind, "anon_inode:[eventfd]");
}

/* An eventfd counts what is written to it and reads back the sum. */
static int eventfd_works(int fd)
{
	u64 v = 3, got = 0;

	if (!is_eventfd(fd))
		return 0;
	if (write(fd, &v, sizeof(v)) != sizeof(v))
		return 0;
	if (read(fd, &got, sizeof(got)) != sizeof(got))
		return 0;
	return got == 3;
}

static u64 stat_u64(const struct evs_devproc *p, const char *field)
{
	char reply[EVS_STRBUF_SIZE];
	u64 v = ~0ull;

	if (evs_devproc_cmd(p, "stats", reply, sizeof(reply)) == 0)
		evs_json_u64(reply, field, &v);
	return v;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Wait until a stats counter reaches @want; return its last value. */
static u64 wait_stat(const struct evs_devproc *p, const char *field,
		     u64 want)
{
	u64 v = 0;
	int i;

	for (i = 0; i < 200; i++) {
		v = stat_u64(p, field);
		if (v == want)
			break;
		sleep_ms(10);
	}
	return v;
}

static bool wait_enabled(const struct evs_devproc *p)
{
	char reply[EVS_STRBUF_SIZE];
	int i;

	for (i = 0; i < 200; i++) {
		if (evs_devproc_cmd(p, "stats", reply, sizeof(reply)) == 0 &&
		    strstr(reply, "\"enabled\":true"))
			return true;
		sleep_ms(10);
	}
	return false;
}

static void check_memory(const struct evs_ivc *c)
{
	static const u8 mac[EVS_ETH_ALEN] = EVS_DEFAULT_NIC_MAC;
	const struct evs_header *hdr = c->shm;
	struct evs_config cfg;
	struct evs_layout l;

	evs_layout_compute(RINGS, RING_SIZE, BUF_SIZE, &l);
	tap_eq(evs_rd32(&hdr->magic), EVS_MAGIC, "magic");
	tap_eq(evs_rd32(&hdr->abi_version), EVS_ABI_VERSION, "ABI version");
	tap_eq(evs_rd32(&hdr->header_size), EVS_HEADER_SIZE, "header size");
	tap_eq(evs_rd32(&hdr->shm_size), MEM, "shm_size field");
	tap_eq(evs_rd32(&hdr->num_rings), RINGS, "num_rings");
	tap_eq(evs_rd32(&hdr->num_vectors), VECTORS, "num_vectors");
	tap_eq(evs_rd32(&hdr->ring_size), RING_SIZE, "ring_size");
	tap_eq(evs_rd32(&hdr->entry_size), sizeof(struct evs_entry),
	       "entry_size");
	tap_eq(evs_rd32(&hdr->max_procs), EVS_MAX_PROCS, "max_procs");
	tap_eq(evs_rd32(&hdr->reta_max), EVS_RETA_MAX, "reta_max");
	tap_ok(evs_rd32(&hdr->config_off) == l.config_off &&
	       evs_rd32(&hdr->stats_off) == l.stats_off &&
	       evs_rd32(&hdr->ring_ctl_off) == l.ring_ctl_off &&
	       evs_rd32(&hdr->entries_off) == l.entries_off &&
	       evs_rd32(&hdr->bufs_off) == l.bufs_off,
	       "region offsets are those of evs_layout_compute()");
	tap_eq(evs_rd32(&hdr->buf_size), BUF_SIZE, "buf_size: the default 2048");
	tap_ok(!memcmp(hdr->mac, mac, EVS_ETH_ALEN),
	       "mac: the default NIC MAC 02:45:56:53:00:02");
	tap_eq(evs_rd32(&hdr->features),
	       EVS_FEAT_MAP_PROC_CODE | EVS_FEAT_MAP_PROC_RING |
	       EVS_FEAT_TIMESTAMP | EVS_FEAT_COST | EVS_FEAT_TX |
	       EVS_FEAT_HEARTBEAT, "features");
	tap_eq(evs_rd32(&hdr->status), EVS_STATUS_READY | EVS_STATUS_LINK_UP,
	       "status: ready, link up, not running before ENABLE");
	tap_eq(evs_rd32(&hdr->driver_ctrl), 0, "driver_ctrl starts clear");
	memcpy(&cfg, (u8 *)c->shm + l.config_off, sizeof(cfg));
	tap_eq(evs_steer_check_tables(&cfg, VECTORS, VECTORS), EVS_CFG_OK,
	       "the default configuration is valid");
	tap_eq(evs_rd32(&cfg.map_mode), EVS_MAP_PROC_CODE,
	       "default mapping mode is proc-code");
}

/* The setup messages one by one, in the order the spec requires. */
static int64_t check_sequence(struct evs_ivc *c)
{
	struct evs_ivc_msg m;
	char kind[PATH_MAX];
	struct stat st;
	unsigned int i;
	int ok;

	tap_ok(!evs_ivc_recv(c->sock, MSG_MS, &m) && m.value == 0 &&
	       m.nfds == 0, "1st message: protocol version 0, no fd");
	ok = !evs_ivc_recv(c->sock, MSG_MS, &m) && m.nfds == 0;
	tap_ok(ok && m.value >= EVS_FIRST_GUEST_ID && m.value <= 65535,
	       "2nd message: our id %lld, no fd", (long long)m.value);
	c->own_id = m.value;
	ok = !evs_ivc_recv(c->sock, MSG_MS, &m) && m.value == -1 &&
	     m.nfds == 1;
	tap_ok(ok, "3rd message: -1 with one fd");
	c->shm_fd = m.fd;
	fd_kind(c->shm_fd, kind, sizeof(kind));
	tap_ok(!strncmp(kind, "/memfd:", 7), "shm fd is a memfd (%s)", kind);
	if (fstat(c->shm_fd, &st))
		st.st_size = -1;
	tap_eq(st.st_size, MEM, "memfd size == --mem");

	ok = !evs_ivc_recv(c->sock, MSG_MS, &m) && m.nfds == 1;
	tap_ok(ok && m.value == EVS_DEVICE_PEER_ID,
	       "4th message: device peer id %d with one fd", EVS_DEVICE_PEER_ID);
	c->peer_id = m.value;
	c->peer_fd[c->num_peer_fds++] = m.fd;
	/* the device reads it: check_doorbell() shows that it works */
	tap_ok(is_eventfd(m.fd), "device doorbell fd is an eventfd");

	for (i = 0; i < VECTORS; i++) {
		ok = !evs_ivc_recv(c->sock, MSG_MS, &m) && m.nfds == 1 &&
		     m.value == c->own_id;
		tap_ok(ok, "vector %u: our own id with one fd", i);
		if (m.fd >= 0)
			c->vec_fd[c->num_vec_fds++] = m.fd;
		tap_ok(ok && eventfd_works(m.fd),
		       "vector %u fd is a working eventfd", i);
	}
	tap_ok(evs_ivc_recv(c->sock, 200, &m), "nothing follows the setup");
	return c->own_id;
}

static struct evs_ivc *map_client(struct evs_ivc *c)
{
	c->shm_size = MEM;
	c->shm = mmap(NULL, MEM, PROT_READ | PROT_WRITE, MAP_SHARED,
		      c->shm_fd, 0);
	if (c->shm == MAP_FAILED)
		c->shm = NULL;
	tap_ok(c->shm != NULL, "shared memory maps");
	return c->shm ? c : NULL;
}

/* The doorbell fd is read by the device and counted. */
static void check_doorbell(struct evs_devproc *p, struct evs_ivc *c)
{
	tap_ok(!evs_ivc_doorbell(c) && !evs_ivc_doorbell(c),
	       "ring the doorbell twice");
	tap_eq(wait_stat(p, "doorbells", 2), 2, "device counted 2 doorbells");
}

/* A vector fd raises: enable, arm the admin ring, inject an event. */
static void check_vector(struct evs_devproc *p, struct evs_ivc *c)
{
	struct pollfd pfd = { .fd = c->vec_fd[RINGS], .events = POLLIN };
	struct evs_header *hdr = c->shm;
	struct evs_ring_ctl *ctl;
	char reply[256];
	u64 count = 0;

	ctl = (void *)((u8 *)c->shm + evs_rd32(&hdr->ring_ctl_off));
	evs_wr32(&ctl[RINGS].armed, 1);
	evs_wr32(&hdr->driver_ctrl, EVS_CTRL_ENABLE);
	evs_ivc_doorbell(c);
	tap_ok(wait_enabled(p), "the device sees ENABLE");
	tap_eq(evs_devproc_cmd(p, "inject error", reply, sizeof(reply)), 0,
	       "inject error: %s", reply);
	if (poll(&pfd, 1, 2000) != 1 ||
	    read(pfd.fd, &count, sizeof(count)) != sizeof(count))
		count = 0;
	tap_eq(count, 1, "admin vector raised exactly once");
	tap_eq(evs_rd32(&ctl[RINGS].prod), 1,
	       "the error event is in the admin ring");
}

/*
 * The heartbeat moves while the device runs, even with the guest's
 * driver not there to enable it: a driver tells a dead device by it.
 */
static void check_heartbeat(const struct evs_ivc *c)
{
	const struct evs_header *hdr = c->shm;
	u32 first = evs_rd32(&hdr->heartbeat), now = first;
	unsigned int ms;

	for (ms = 0; ms < 2000 && now - first < 3; ms += 10) {
		sleep_ms(10);
		now = evs_rd32(&hdr->heartbeat);
	}
	tap_ok(now - first >= 3,
	       "the heartbeat moves: %u beats in %u ms (one per %u ms wanted)",
	       now - first, ms, EVS_HEARTBEAT_MS);
}

/* While a guest is served, a second connection is closed at once. */
static void check_second_guest(struct evs_devproc *p)
{
	struct evs_ivc_msg m;
	int fd = evs_unix_connect(p->sock);

	tap_ok(fd >= 0 && evs_ivc_recv(fd, MSG_MS, &m),
	       "a second guest is refused (closed, no messages)");
	if (fd >= 0)
		close(fd);
	tap_eq(stat_u64(p, "uptime_ms") != ~0ull, 1,
	       "the device keeps serving after refusing it");
}

/* --no-exit-on-disconnect: the next guest gets a new id and fresh memory. */
static void check_reconnect(struct evs_devproc *p, int64_t old_id)
{
	struct evs_mini m;

	tap_ok(!evs_mini_attach(&m, p->sock, VECTORS, MSG_MS),
	       "a new guest attaches after the first left");
	if (!m.hdr)
		return;
	tap_ok(m.ivc.own_id != old_id, "it gets a new id (%lld, was %lld)",
	       (long long)m.ivc.own_id, (long long)old_id);
	tap_eq(evs_rd32(&m.hdr->driver_ctrl), 0,
	       "its memory is freshly formatted (ENABLE of the old guest gone)");
	tap_eq(evs_rd32(&m.ctl[RINGS].prod), 0, "and its rings are empty");
	evs_mini_detach(&m);
}

static void test_handshake(void)
{
	struct evs_devproc p;
	struct evs_ivc c;
	int64_t id;
	int status;

	if (!tap_ok(!evs_devproc_start(&p, dev_args), "device starts"))
		return;
	memset(&c, 0, sizeof(c));
	c.sock = evs_unix_connect(p.sock);
	c.shm_fd = -1;
	tap_ok(c.sock >= 0, "connect to the ivshmem socket");
	id = check_sequence(&c);
	if (map_client(&c)) {
		check_memory(&c);
		check_heartbeat(&c);
		check_doorbell(&p, &c);
		check_second_guest(&p);
		check_vector(&p, &c);
	}
	evs_ivc_detach(&c);
	check_reconnect(&p, id);
	tap_ok(!evs_devproc_stop(&p, &status) && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0, "SIGTERM: exit status 0");
	tap_ok(!evs_path_exists(p.sock) && !evs_path_exists(p.ctl),
	       "SIGTERM: both sockets removed");
	evs_devproc_cleanup(&p);
}

/* Default --exit-on-disconnect: the guest leaving ends the device. */
static void test_disconnect_exits(void)
{
	static const char *const args[] = { "--rings", "2", NULL };
	struct evs_devproc p;
	struct evs_mini m;
	int status = -1;

	if (!tap_ok(!evs_devproc_start(&p, args), "device starts"))
		return;
	tap_ok(!evs_mini_attach(&m, p.sock, 3, MSG_MS), "guest attaches");
	evs_mini_detach(&m);
	tap_ok(!evs_devproc_wait(&p, 3000, &status) && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0,
	       "guest disconnect: device exits with status 0");
	tap_ok(!evs_path_exists(p.sock) && !evs_path_exists(p.ctl),
	       "guest disconnect: sockets removed");
	evs_devproc_cleanup(&p);
}

/* --bad-magic / --bad-version: a driver must refuse the device. */
static void test_bad_header(const char *opt)
{
	const char *const args[] = {
		"--rings", "2", "--no-exit-on-disconnect", opt, NULL
	};
	struct evs_devproc p;
	struct evs_mini m;
	struct evs_ivc c;
	const struct evs_header *hdr;

	if (!tap_ok(!evs_devproc_start(&p, args), "device %s starts", opt))
		return;
	tap_ok(evs_mini_attach(&m, p.sock, 3, MSG_MS),
	       "%s: the driver model refuses the device", opt);
	if (tap_ok(!evs_ivc_attach(&c, p.sock, 3, MSG_MS),
		   "%s: the protocol itself still completes", opt)) {
		hdr = c.shm;
		if (!strcmp(opt, "--bad-magic"))
			tap_ok(evs_rd32(&hdr->magic) != EVS_MAGIC &&
			       evs_rd32(&hdr->abi_version) == EVS_ABI_VERSION,
			       "--bad-magic: magic wrong, version right");
		else
			tap_ok(evs_rd32(&hdr->magic) == EVS_MAGIC &&
			       EVS_ABI_VERSION_MAJOR(evs_rd32(&hdr->abi_version)) !=
			       EVS_ABI_MAJOR,
			       "--bad-version: magic right, major version wrong");
		tap_eq(stat_u64(&p, "injected"), 1, "%s counted as injected", opt);
		evs_ivc_detach(&c);
	}
	evs_devproc_cleanup(&p);
}

/*
 * A socket file nobody serves (left by a killed device) is taken over;
 * one that a running device serves is not.
 */
static void test_socket_paths(void)
{
	const char *bin = strdup(evs_tool_path("evsteer-device"));
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct evs_devproc p;
	char out[1024], stale[64];
	const char *const busy[] = { bin, "--socket", p.sock, NULL };
	const char *const takeover[] = {
		bin, "--socket", stale, "--duration", "1", NULL
	};
	int fd, st = -1;

	if (!tap_ok(!evs_devproc_start(&p, NULL), "device starts"))
		goto free_bin;
	tap_ok(!evs_run_tool(busy, 5000, out, sizeof(out), &st) &&
	       WEXITSTATUS(st) == 1 && strstr(out, "in use"),
	       "a second device on a served socket exits 1: %.60s", out);
	tap_ok(evs_path_exists(p.sock) && stat_u64(&p, "uptime_ms") != ~0ull,
	       "the first device keeps its socket and runs on");

	snprintf(stale, sizeof(stale), "%s/stale.sock", p.dir);
	strcpy(sun.sun_path, stale);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	tap_ok(fd >= 0 && !bind(fd, (struct sockaddr *)&sun, sizeof(sun)) &&
	       !close(fd) && evs_path_exists(stale),
	       "leave a stale socket file behind");
	tap_ok(!evs_run_tool(takeover, 5000, out, sizeof(out), &st) &&
	       WEXITSTATUS(st) == 0 && strstr(out, "serving"),
	       "a device takes the stale socket over and runs");
	tap_ok(!evs_path_exists(stale), "... and removes it when done");
	evs_devproc_cleanup(&p);
free_bin:
	free((void *)bin);
}

int main(void)
{
	alarm(60);	/* hard limit; children die with us (PDEATHSIG) */
	test_handshake();
	test_disconnect_exits();
	test_bad_header("--bad-magic");
	test_bad_header("--bad-version");
	test_socket_paths();
	return tap_done();
}
