// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer-nl: read a device's queues, NAPI instances and per-queue
 * stats over the kernel's "netdev" generic netlink family, for the test
 * VM's busybox initramfs (no Python, no ynl).  Only GET/dump requests:
 * it changes nothing.  Raw AF_NETLINK sockets, libc only, built static.
 *
 *   evsteer-nl IFNAME queues      queue id=0 type=rx napi=8193
 *   evsteer-nl IFNAME napis       napi id=8193 irq=27 pid=0
 *   evsteer-nl IFNAME qstats      qstats type=rx queue=0 rx-packets=...
 *   evsteer-nl IFNAME qstats-dev  qstats dev rx-packets=... tx-packets=...
 *
 * napi=0: the queue has no NAPI; irq=-1: the NAPI has no IRQ; pid=0:
 * the NAPI is not threaded.  qstats print only the counters the driver
 * reports.  Exit status: 0 ok, 1 error (netlink or system), 2 usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/types.h>

/*
 * The stable UAPI of include/uapi/linux/netdev.h (values as of Linux
 * 6.12; queue/napi commands since 6.8, qstats since 6.9).  Defined here
 * because the build host's linux-libc-dev (6.1) does not have them.
 */
#define NETDEV_FAMILY_NAME		"netdev"
#define NETDEV_CMD_QUEUE_GET		10
#define NETDEV_CMD_NAPI_GET		11
#define NETDEV_CMD_QSTATS_GET		12

#define NETDEV_A_NAPI_IFINDEX		1
#define NETDEV_A_NAPI_ID		2
#define NETDEV_A_NAPI_IRQ		3
#define NETDEV_A_NAPI_PID		4

#define NETDEV_A_QUEUE_ID		1
#define NETDEV_A_QUEUE_IFINDEX		2
#define NETDEV_A_QUEUE_TYPE		3
#define NETDEV_A_QUEUE_NAPI_ID		4

#define NETDEV_A_QSTATS_IFINDEX		1
#define NETDEV_A_QSTATS_QUEUE_TYPE	2
#define NETDEV_A_QSTATS_QUEUE_ID	3
#define NETDEV_A_QSTATS_SCOPE		4
#define NETDEV_A_QSTATS_RX_PACKETS	8
#define NETDEV_A_QSTATS_TX_WAKE		34	/* the last one in 6.12 */

#define NETDEV_QUEUE_TYPE_RX		0
#define NETDEV_QUEUE_TYPE_TX		1
#define NETDEV_QSTATS_SCOPE_QUEUE	1

/* counters, in UAPI order from NETDEV_A_QSTATS_RX_PACKETS */
static const char *const qstat_names[NETDEV_A_QSTATS_TX_WAKE + 1] = {
	[NETDEV_A_QSTATS_RX_PACKETS] = "rx-packets", "rx-bytes",
	"tx-packets", "tx-bytes", "rx-alloc-fail", "rx-hw-drops",
	"rx-hw-drop-overruns", "rx-csum-complete", "rx-csum-unnecessary",
	"rx-csum-none", "rx-csum-bad", "rx-hw-gro-packets", "rx-hw-gro-bytes",
	"rx-hw-gro-wire-packets", "rx-hw-gro-wire-bytes",
	"rx-hw-drop-ratelimits", "tx-hw-drops", "tx-hw-drop-errors",
	"tx-csum-none", "tx-needs-csum", "tx-hw-gso-packets",
	"tx-hw-gso-bytes", "tx-hw-gso-wire-packets", "tx-hw-gso-wire-bytes",
	"tx-hw-drop-ratelimits", "tx-stop", "tx-wake",
};

#define MAX_ATTR	NETDEV_A_QSTATS_TX_WAKE	/* >= every family's max */
#define RECV_TIMEOUT_S	10

typedef void (*msg_cb)(const struct nlattr **tb, int ifindex);

/* the kernel caps a dump's skb at 32 KiB; MSG_TRUNC catches the rest */
static union { struct nlmsghdr h; char b[65536]; } rbuf;
static unsigned int seq;
static const char *label;	/* what we are asking, for errors */

/* tb[type] = last attribute of that type; -1 if an attribute overruns */
static int parse_attrs(const char *p, size_t len, const struct nlattr **tb)
{
	memset(tb, 0, (MAX_ATTR + 1) * sizeof(*tb));
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		size_t alen = a->nla_len, step = NLA_ALIGN(alen);
		unsigned int type = a->nla_type & NLA_TYPE_MASK;

		if (alen < NLA_HDRLEN || alen > len)
			return -1;
		if (type <= MAX_ATTR)
			tb[type] = a;
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return 0;
}

/* u16/u32/u64 (netlink "uint" is 4 or 8 bytes); -1 if absent or odd */
static int attr_uint(const struct nlattr *a, __u64 *v)
{
	const void *d = (const char *)a + NLA_HDRLEN;
	__u32 u32;
	__u16 u16;

	if (!a)
		return -1;
	switch (a->nla_len - NLA_HDRLEN) {
	case 2:
		memcpy(&u16, d, sizeof(u16));
		*v = u16;
		break;
	case 4:
		memcpy(&u32, d, sizeof(u32));
		*v = u32;
		break;
	case 8:
		memcpy(v, d, sizeof(*v));
		break;
	default:
		return -1;
	}
	return 0;
}

static void put_attr(struct nlmsghdr *h, unsigned short type,
		     const void *data, unsigned short len)
{
	struct nlattr *a = (void *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

/*
 * The kernel's errno, and its extack message if it sent one.  The TLVs
 * follow the errno in NLMSG_DONE; struct nlmsgerr in NLMSG_ERROR, and
 * our request's payload too unless the kernel capped it (CAP_ACK).
 */
static void report_error(int err, const struct nlmsghdr *h)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	const struct nlattr *tb[MAX_ATTR + 1], *msg;
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*e));

	if (h->nlmsg_type == NLMSG_DONE)
		off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(int));
	else if (h->nlmsg_len < off)
		off = h->nlmsg_len;		/* no TLVs */
	else if (!(h->nlmsg_flags & NLM_F_CAPPED) &&
		 e->msg.nlmsg_len >= NLMSG_HDRLEN)
		off = NLMSG_HDRLEN +
		      NLMSG_ALIGN(sizeof(int) + (size_t)e->msg.nlmsg_len);

	fprintf(stderr, "evsteer-nl: %s: %s", label, strerror(-err));
	if ((h->nlmsg_flags & NLM_F_ACK_TLVS) && off < h->nlmsg_len &&
	    !parse_attrs((const char *)h + off, h->nlmsg_len - off, tb)) {
		msg = tb[NLMSGERR_ATTR_MSG];
		if (msg && msg->nla_len > NLA_HDRLEN)
			fprintf(stderr, " (%.*s)", (int)(msg->nla_len - NLA_HDRLEN),
				(const char *)msg + NLA_HDRLEN);
	}
	fputc('\n', stderr);
}

/*
 * Send one request and read every reply up to NLMSG_DONE (a dump) or
 * to the end of the first datagram (a plain GET); cb gets each reply's
 * attributes.  Returns 0, or -1 after printing why.  The netdev family
 * does not set NLM_F_MULTI on its dump replies: go by our request.
 */
static int transact(int fd, struct nlmsghdr *req, msg_cb cb, int ifindex)
{
	const struct nlattr *tb[MAX_ATTR + 1];
	int dump = !!(req->nlmsg_flags & NLM_F_DUMP);
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	req->nlmsg_seq = ++seq;
	if (sendto(fd, req, req->nlmsg_len, 0, (void *)&sa, sizeof(sa)) < 0) {
		perror("evsteer-nl: send");
		return -1;
	}
	for (;;) {
		ssize_t n = recv(fd, rbuf.b, sizeof(rbuf.b), MSG_TRUNC);
		int got = 0, left;
		struct nlmsghdr *h;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || n > (ssize_t)sizeof(rbuf.b)) {
			fprintf(stderr, "evsteer-nl: %s: recv: %s\n", label,
				n < 0 ? strerror(errno) : "short or truncated reply");
			return -1;
		}
		left = (int)n;
		for (h = &rbuf.h; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			size_t plen = h->nlmsg_len - NLMSG_HDRLEN;
			const char *p = NLMSG_DATA(h);
			int err;

			if (h->nlmsg_seq != seq)
				continue;	/* not ours */
			got = 1;
			if (h->nlmsg_type == NLMSG_DONE ||
			    h->nlmsg_type == NLMSG_ERROR) {
				if (plen < sizeof(int))
					goto malformed;
				memcpy(&err, p, sizeof(err));
				if (err >= 0)
					return 0;	/* end of dump, or ACK */
				report_error(err, h);
				return -1;
			}
			if (h->nlmsg_type != req->nlmsg_type)
				continue;	/* NOOP, OVERRUN, other family */
			if (plen < GENL_HDRLEN ||
			    parse_attrs(p + GENL_HDRLEN, plen - GENL_HDRLEN, tb))
				goto malformed;
			cb(tb, ifindex);
		}
		if (got && !dump)
			return 0;
	}
malformed:
	fprintf(stderr, "evsteer-nl: %s: malformed reply\n", label);
	return -1;
}

static void new_req(struct nlmsghdr *h, unsigned short family, __u8 cmd,
		    unsigned short flags)
{
	struct genlmsghdr *g = NLMSG_DATA(h);

	h->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	h->nlmsg_type = family;
	h->nlmsg_flags = NLM_F_REQUEST | flags;
	h->nlmsg_pid = 0;
	memset(g, 0, GENL_HDRLEN);
	g->cmd = cmd;
	g->version = 1;
}

static int family_id;

static void family_cb(const struct nlattr **tb, int ifindex)
{
	__u64 v;

	(void)ifindex;
	if (!attr_uint(tb[CTRL_ATTR_FAMILY_ID], &v))
		family_id = (int)v;
}

/* replies for another device (a kernel that ignores the filter) skip */
static int other_dev(const struct nlattr *a, int ifindex)
{
	__u64 v;

	return !attr_uint(a, &v) && v != (__u64)ifindex;
}

static const char *qtype(const struct nlattr *a)
{
	__u64 v;

	if (attr_uint(a, &v))
		return "?";
	return v == NETDEV_QUEUE_TYPE_RX ? "rx" :
	       v == NETDEV_QUEUE_TYPE_TX ? "tx" : "?";
}

static void queue_cb(const struct nlattr **tb, int ifindex)
{
	__u64 id = 0, napi = 0;

	if (other_dev(tb[NETDEV_A_QUEUE_IFINDEX], ifindex))
		return;
	attr_uint(tb[NETDEV_A_QUEUE_ID], &id);
	attr_uint(tb[NETDEV_A_QUEUE_NAPI_ID], &napi);
	printf("queue id=%llu type=%s napi=%llu\n", (unsigned long long)id,
	       qtype(tb[NETDEV_A_QUEUE_TYPE]), (unsigned long long)napi);
}

static void napi_cb(const struct nlattr **tb, int ifindex)
{
	__u64 id = 0, irq, pid = 0;

	if (other_dev(tb[NETDEV_A_NAPI_IFINDEX], ifindex))
		return;
	attr_uint(tb[NETDEV_A_NAPI_ID], &id);
	attr_uint(tb[NETDEV_A_NAPI_PID], &pid);
	printf("napi id=%llu irq=%lld pid=%llu\n", (unsigned long long)id,
	       attr_uint(tb[NETDEV_A_NAPI_IRQ], &irq) ? -1LL : (long long)irq,
	       (unsigned long long)pid);
}

static void qstats_cb(const struct nlattr **tb, int ifindex)
{
	__u64 v;
	int i;

	if (other_dev(tb[NETDEV_A_QSTATS_IFINDEX], ifindex))
		return;
	printf("qstats");
	if (tb[NETDEV_A_QSTATS_QUEUE_TYPE])
		printf(" type=%s", qtype(tb[NETDEV_A_QSTATS_QUEUE_TYPE]));
	if (!attr_uint(tb[NETDEV_A_QSTATS_QUEUE_ID], &v))
		printf(" queue=%llu", (unsigned long long)v);
	if (!tb[NETDEV_A_QSTATS_QUEUE_TYPE] && !tb[NETDEV_A_QSTATS_QUEUE_ID])
		printf(" dev");
	for (i = NETDEV_A_QSTATS_RX_PACKETS; i <= NETDEV_A_QSTATS_TX_WAKE; i++)
		if (!attr_uint(tb[i], &v))
			printf(" %s=%llu", qstat_names[i], (unsigned long long)v);
	putchar('\n');
}

static void help(FILE *f)
{
	fprintf(f,
		"usage: evsteer-nl IFNAME queues|napis|qstats|qstats-dev\n"
		"  queues      one line per queue: queue id= type=rx|tx napi= (0: none)\n"
		"  napis       one line per NAPI: napi id= irq= (-1: none) pid= (0: not threaded)\n"
		"  qstats      per-queue stats: qstats type= queue= COUNTER=...\n"
		"  qstats-dev  device totals: qstats dev COUNTER=...\n"
		"Reads the kernel's netdev generic netlink family (Linux 6.8+, qstats 6.9+).\n"
		"Exit: 0 ok, 1 error (netlink or system), 2 usage.\n");
}

int main(int argc, char **argv)
{
	union { struct nlmsghdr h; char b[256]; } req;
	int fd, ifindex, one = 1, ret;
	struct timeval tv = { .tv_sec = RECV_TIMEOUT_S };
	__u32 scope = NETDEV_QSTATS_SCOPE_QUEUE, ifx;
	const char *what;
	char lbuf[IF_NAMESIZE + 16];

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		help(stdout);
		return 0;
	}
	if (argc != 3) {
		help(stderr);
		return 2;
	}
	what = argv[2];
	if (strcmp(what, "queues") && strcmp(what, "napis") &&
	    strcmp(what, "qstats") && strcmp(what, "qstats-dev")) {
		help(stderr);
		return 2;
	}
	ifindex = (int)if_nametoindex(argv[1]);
	if (!ifindex) {
		fprintf(stderr, "evsteer-nl: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0) {
		perror("evsteer-nl: socket");
		return 1;
	}
	/* best effort: extack messages, no echo of our request in errors */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

	new_req(&req.h, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	put_attr(&req.h, CTRL_ATTR_FAMILY_NAME, NETDEV_FAMILY_NAME,
		 sizeof(NETDEV_FAMILY_NAME));
	label = "genetlink family " NETDEV_FAMILY_NAME;
	ret = transact(fd, &req.h, family_cb, ifindex);
	if (ret || !family_id) {
		if (!ret)
			fprintf(stderr, "evsteer-nl: %s: no id\n", label);
		close(fd);
		return 1;
	}
	snprintf(lbuf, sizeof(lbuf), "%s %s", argv[1], what);
	label = lbuf;

	ifx = (__u32)ifindex;
	if (!strcmp(what, "queues")) {
		new_req(&req.h, family_id, NETDEV_CMD_QUEUE_GET, NLM_F_DUMP);
		put_attr(&req.h, NETDEV_A_QUEUE_IFINDEX, &ifx, sizeof(ifx));
		ret = transact(fd, &req.h, queue_cb, ifindex);
	} else if (!strcmp(what, "napis")) {
		new_req(&req.h, family_id, NETDEV_CMD_NAPI_GET, NLM_F_DUMP);
		put_attr(&req.h, NETDEV_A_NAPI_IFINDEX, &ifx, sizeof(ifx));
		ret = transact(fd, &req.h, napi_cb, ifindex);
	} else {
		new_req(&req.h, family_id, NETDEV_CMD_QSTATS_GET, NLM_F_DUMP);
		put_attr(&req.h, NETDEV_A_QSTATS_IFINDEX, &ifx, sizeof(ifx));
		if (!strcmp(what, "qstats"))
			put_attr(&req.h, NETDEV_A_QSTATS_SCOPE, &scope,
				 sizeof(scope));
		ret = transact(fd, &req.h, qstats_cb, ifindex);
	}
	close(fd);
	if (fflush(stdout)) {
		perror("evsteer-nl: stdout");
		return 1;
	}
	return ret ? 1 : 0;
}
