// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evsteer-device --backend tap, with this test as the guest driver, in
 * a network namespace of its own (unshare(CLONE_NEWNET)): a TAP is
 * created there with 198.18.0.1/24, the device attaches to it, and
 *
 *   - a UDP frame and an ARP request sent into the TAP (through a
 *     packet socket) reach the RX ring their hash steers to, byte for
 *     byte (ARP with EVS_HASH_NONE, through RETA entry 0);
 *   - a UDP frame the guest transmits reaches a UDP socket of the
 *     namespace's stack, and an ARP request it transmits is answered,
 *     the reply coming back on an RX ring.
 *
 * The namespace belongs to this process and its children only, so it
 * and the TAP vanish when the test exits, however it exits; nothing
 * touches the host's own interfaces.  Skipped (one "# SKIP" line)
 * without root, /dev/net/tun or network namespaces.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <evsteer/producer.h>
#include "tap.h"
#include "device.h"
#include "device_proc.h"
#include "json_scan.h"
#include "mini_driver.h"

#define IFNAME		"evstap0"
#define RINGS		4
#define TOTAL		(RINGS + 1)
#define MSG_MS		2000
#define UDP_PORT	9998
#define MAX_GOT		64

static const char *const dev_args[] = {
	"--tap", IFNAME, "--rings", "4", "--ring-size", "64", NULL
};

static const u8 nic_mac[EVS_ETH_ALEN] = EVS_DEFAULT_NIC_MAC;
static const u8 ns_ip[4] = { 198, 18, 0, 1 };	/* the namespace's side */
static const u8 guest_ip[4] = { 198, 18, 0, 2 };

static struct evs_devproc dev;
static struct evs_mini drv;
static struct evs_steer steer;
static u8 tap_mac[EVS_ETH_ALEN];
static char reply[EVS_STRBUF_SIZE];

struct rx {
	u32 ring;
	u32 hash;
	u32 hash_type;
	u32 len;
	u8 frame[2048];
};

static struct rx got[MAX_GOT];
static unsigned int ngot;

static int ctl(const char *cmd)
{
	return evs_devproc_cmd(&dev, cmd, reply, sizeof(reply));
}

static u64 stat_total(const char *field)
{
	return evs_devproc_stat(&dev, field, reply, sizeof(reply));
}

static const char *ip_path(void)
{
	static const char *const paths[] = {
		"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(paths); i++)
		if (!access(paths[i], X_OK))
			return paths[i];
	return NULL;
}

/* Run "ip ARGS..." in our namespace; 0 if it exited 0. */
static int ip_cmd(const char *a, const char *b, const char *c,
		  const char *d, const char *e, const char *f)
{
	const char *argv[] = { ip_path(), a, b, c, d, e, f, NULL };
	char out[1024];
	int st;

	if (evs_run_tool(argv, 5000, out, sizeof(out), &st) ||
	    !WIFEXITED(st) || WEXITSTATUS(st)) {
		tap_diag("ip %s %s %s: %s", a, b, c ? c : "", out);
		return -1;
	}
	return 0;
}

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);

	if (fd >= 0) {
		if (write(fd, s, strlen(s)) < 0)
			tap_diag("%s: %s", path, strerror(errno));
		close(fd);
	}
}

/* Why the test cannot run here, or NULL. */
static const char *cannot_run(void)
{
	if (geteuid())
		return "not root";
	if (access("/dev/net/tun", R_OK | W_OK))
		return "no /dev/net/tun";
	if (!ip_path())
		return "no ip(8)";
	if (unshare(CLONE_NEWNET))
		return "no network namespaces (unshare)";
	return NULL;
}

/* The TAP, up, with 198.18.0.1/24, IPv6 off so the kernel stays quiet. */
static int make_tap(void)
{
	struct ifreq ifr;
	int s;

	if (ip_cmd("tuntap", "add", "dev", IFNAME, "mode", "tap"))
		return -1;
	write_file("/proc/sys/net/ipv6/conf/" IFNAME "/disable_ipv6", "1");
	if (ip_cmd("link", "set", IFNAME, "up", NULL, NULL) ||
	    ip_cmd("addr", "add", "198.18.0.1/24", "dev", IFNAME, NULL))
		return -1;
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", IFNAME);
	if (s < 0 || ioctl(s, SIOCGIFHWADDR, &ifr)) {
		if (s >= 0)
			close(s);
		return -1;
	}
	memcpy(tap_mac, ifr.ifr_hwaddr.sa_data, EVS_ETH_ALEN);
	close(s);
	return 0;
}

static void collect(void *arg, u32 ring, const struct evs_entry *e)
{
	struct rx *r = &got[ngot];
	u32 len = evs_rd16(&e->len);

	(void)arg;
	if (ngot == MAX_GOT || len > sizeof(r->frame))
		return;
	ngot++;
	r->ring = ring;
	r->hash = evs_rd32(&e->hash);
	r->hash_type = e->hash_type;
	r->len = len;
	memcpy(r->frame, evs_mini_frame(&drv, e), len);
}

/* Wait up to @ms for an RX entry that @match accepts; its index or -1. */
static int rx_find(bool (*match)(const struct rx *r, const void *arg),
		   const void *arg, unsigned int ms)
{
	u64 counts[TOTAL] = { 0 };
	unsigned int waited, i;

	for (waited = 0; waited <= ms; waited += 10) {
		evs_mini_napi(&drv, collect, NULL);
		for (i = 0; i < ngot; i++)
			if (match(&got[i], arg))
				return i;
		evs_mini_wait(&drv, 10, counts);
	}
	return -1;
}

struct frame_ref {
	const u8 *f;
	u32 len;
};

static bool same_frame(const struct rx *r, const void *arg)
{
	const struct frame_ref *w = arg;

	return r->len == w->len && !memcmp(r->frame, w->f, w->len);
}

static bool arp_reply_to_guest(const struct rx *r, const void *arg)
{
	(void)arg;
	return r->len >= 42 && !memcmp(r->frame, nic_mac, EVS_ETH_ALEN) &&
	       evs_get_be16(r->frame + 12) == 0x0806 &&
	       evs_get_be16(r->frame + 20) == 2 &&
	       !memcmp(r->frame + 28, ns_ip, 4);
}

/* A UDP frame from @src to @dst, built and checksummed by frame.h. */
static u32 udp_frame(u8 *buf, const u8 *dmac, const u8 *smac, const u8 *src,
		     const u8 *dst, u16 sport, u16 dport, u64 seq)
{
	struct evs_frame_addrs a;
	struct evs_flow_tuple t;

	memset(&a, 0, sizeof(a));
	memcpy(a.dst_mac, dmac, EVS_ETH_ALEN);
	memcpy(a.src_mac, smac, EVS_ETH_ALEN);
	memset(&t, 0, sizeof(t));
	memcpy(t.b, src, 4);
	memcpy(t.b + 4, dst, 4);
	evs_put_be16(t.b + 8, sport);
	evs_put_be16(t.b + 10, dport);
	t.len = EVS_TUPLE_V4_PORTS;
	return evs_frame_build(buf, 200, &a, &t, 77, seq, 12345);
}

/* An ARP request from @smac/@sip for @tip. */
static u32 arp_request(u8 *buf, const u8 *smac, const u8 *sip, const u8 *tip)
{
	static const u8 head[] = { 0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06,
				   0x04, 0x00, 0x01 };

	memset(buf, 0xff, EVS_ETH_ALEN);
	memcpy(buf + 6, smac, EVS_ETH_ALEN);
	memcpy(buf + 12, head, sizeof(head));
	memcpy(buf + 22, smac, EVS_ETH_ALEN);
	memcpy(buf + 28, sip, 4);
	memset(buf + 32, 0, EVS_ETH_ALEN);
	memcpy(buf + 38, tip, 4);
	return 42;
}

/* Send @f into the TAP from the namespace side, as its stack would. */
static int inject(const u8 *f, u32 len)
{
	struct sockaddr_ll sll;
	int s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	ssize_t n;

	if (s < 0)
		return -1;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = if_nametoindex(IFNAME);
	sll.sll_halen = EVS_ETH_ALEN;
	memcpy(sll.sll_addr, f, EVS_ETH_ALEN);
	n = sendto(s, f, len, 0, (struct sockaddr *)&sll, sizeof(sll));
	close(s);
	return n == (ssize_t)len ? 0 : -1;
}

static void expect_steered(const struct rx *r, u32 hash, u32 type,
			   const char *what)
{
	struct evs_target t;

	evs_steer_resolve(&steer, EVS_EV_DATA, hash, &t);
	tap_ok(r->hash == hash && r->hash_type == type,
	       "%s: hash %#x, type %u", what, r->hash, r->hash_type);
	tap_eq(r->ring, t.ring, "%s: in the ring its hash steers to", what);
}

static void test_rx(void)
{
	static u8 f[256], a[64];
	struct frame_ref w = { f, 0 };
	u32 hash;
	u8 tuple[12];
	int i;

	w.len = udp_frame(f, nic_mac, tap_mac, ns_ip, guest_ip, 40000,
			  9999, 1);
	tap_ok(!inject(f, w.len), "UDP frame sent into the TAP");
	i = rx_find(same_frame, &w, 3000);
	if (tap_ok(i >= 0, "... reaches an RX ring byte for byte")) {
		memcpy(tuple, ns_ip, 4);
		memcpy(tuple + 4, guest_ip, 4);
		evs_put_be16(tuple + 8, 40000);
		evs_put_be16(tuple + 10, 9999);
		hash = evs_toeplitz_ref(steer.key, tuple, sizeof(tuple));
		expect_steered(&got[i], hash, EVS_HASH_IPV4_L4, "UDP from the TAP");
	}
	w.f = a;
	w.len = arp_request(a, tap_mac, ns_ip, guest_ip);
	tap_ok(!inject(a, w.len), "ARP request sent into the TAP");
	i = rx_find(same_frame, &w, 3000);
	if (tap_ok(i >= 0, "... reaches an RX ring byte for byte"))
		expect_steered(&got[i], 0, EVS_HASH_NONE, "ARP from the TAP");
	tap_ok(stat_total("tap_rx_frames") >= 2, "JSON tap_rx_frames");
	tap_ok(stat_total("tap_rx_bytes") >= 200 + 42, "JSON tap_rx_bytes");
}

static void test_tx(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(UDP_PORT) };
	struct pollfd pfd;
	static u8 f[256], a[64], buf[512];
	struct frame_ref w = { a, 0 };
	u32 len;
	int s, i;
	ssize_t n = -1;

	memcpy(&sin.sin_addr, ns_ip, 4);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (!tap_ok(s >= 0 && !bind(s, (struct sockaddr *)&sin, sizeof(sin)),
		    "UDP socket on 198.18.0.1:%u in the namespace", UDP_PORT))
		return;
	len = udp_frame(f, tap_mac, nic_mac, guest_ip, ns_ip, 41000,
			UDP_PORT, 2);
	evs_mini_tx_post(&drv, 2, f, len);
	evs_mini_tx_publish(&drv, 2);
	evs_ivc_doorbell(&drv.ivc);
	pfd.fd = s;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 3000) == 1)
		n = recv(s, buf, sizeof(buf), MSG_DONTWAIT);
	tap_ok(n == (ssize_t)(len - 42) && !memcmp(buf, f + 42, n),
	       "a UDP frame the guest transmits reaches the namespace's socket (%zd bytes)",
	       n);
	close(s);

	w.len = arp_request(a, nic_mac, guest_ip, ns_ip);
	evs_mini_tx_post(&drv, 0, a, w.len);
	evs_mini_tx_publish(&drv, 0);
	evs_ivc_doorbell(&drv.ivc);
	i = rx_find(arp_reply_to_guest, NULL, 3000);
	tap_ok(i >= 0,
	       "an ARP request the guest transmits is answered, the reply on an RX ring");
	if (i >= 0)
		expect_steered(&got[i], 0, EVS_HASH_NONE, "ARP reply");
	tap_eq(stat_total("tap_tx_frames"), 2, "JSON tap_tx_frames 2");
	tap_eq(stat_total("tap_tx_errors"), 0, "JSON tap_tx_errors 0");
	tap_eq(stat_total("tx_frames"), 2, "JSON tx_frames 2");
	tap_ok(evs_mini_tx_completed(&drv, 0) == 1 &&
	       evs_mini_tx_completed(&drv, 2) == 1, "both completed");
}

static void run(void)
{
	struct evs_config cfg;
	u32 ring, status;
	int st;

	if (!tap_ok(!make_tap(), "TAP %s up with 198.18.0.1/24 in a namespace of our own",
		    IFNAME))
		return;
	if (!tap_ok(!evs_devproc_start(&dev, dev_args), "tap device starts"))
		return;
	if (tap_ok(!evs_mini_attach(&drv, dev.sock, TOTAL, MSG_MS), "attach")) {
		memcpy(&cfg, drv.cfg, sizeof(cfg));
		evs_steer_load(&steer, &cfg, TOTAL, TOTAL);
		evs_mini_configure(&drv, &cfg, &status, MSG_MS);
		evs_mini_tx_reset(&drv);
		for (ring = 0; ring < TOTAL; ring++)
			evs_mini_arm(&drv, ring, true);
		evs_mini_enable(&drv, true);
		tap_ok(!ctl("stats") && strstr(reply, "\"backend\":\"tap\"") &&
		       strstr(reply, "\"rate\":0,"),
		       "JSON: backend tap, no generated traffic");
		test_rx();
		test_tx();
		evs_mini_detach(&drv);
	}
	tap_ok(!evs_devproc_stop(&dev, &st) && WIFEXITED(st) &&
	       WEXITSTATUS(st) == 0, "SIGTERM: exit 0");
	evs_devproc_cleanup(&dev);
}

int main(void)
{
	const char *why;

	alarm(60);	/* children die with us (PDEATHSIG) */
	why = cannot_run();
	if (why) {
		tap_ok(1, "tap backend # SKIP %s", why);
		return tap_done();
	}
	{
		const char *argv[] = { evs_tool_path("evsteer-device"),
				       "--socket", "/nonexistent/s", "--tap",
				       "evsnone0", NULL };
		static char out[4096];
		int st;

		tap_ok(!evs_run_tool(argv, 5000, out, sizeof(out), &st) &&
		       WIFEXITED(st) && WEXITSTATUS(st) == 1 &&
		       strstr(out, "no such interface"),
		       "--tap of a missing interface: refused, none created");
	}
	run();
	return tap_done();
}
