// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer-ynl: read a device's queues, NAPI instances and per-queue
 * stats over the kernel's "netdev" generic netlink family with the
 * kernel's own YNL C library: tools/net/ynl/lib/ynl.c and the family
 * code ynl-gen-c.py generates from netdev.yaml (Linux 6.12), for the
 * test VM's busybox initramfs, where YNL's cli.py has no Python.  Only
 * dumps: it changes nothing.  Built static (make ynl).
 *
 *   evsteer-ynl IFNAME queues      queue id=0 type=rx napi=8193
 *   evsteer-ynl IFNAME napis       napi id=8193 irq=27 pid=0
 *   evsteer-ynl IFNAME qstats      qstats type=rx queue=0 rx-packets=...
 *   evsteer-ynl IFNAME qstats-dev  qstats dev rx-packets=... tx-packets=...
 *
 * napi=0: the queue has no NAPI; irq=-1: the NAPI has no IRQ; pid=0:
 * the NAPI is not threaded.  qstats print the counters of netdev.yaml's
 * qstats-get reply (rx/tx packets and bytes) that the driver reports.
 * Exit status: 0 ok, 1 error (netlink or system), 2 usage.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <ynl.h>
#include "netdev-user.h"

#define RECV_TIMEOUT_S	10

static const char *qtype(enum netdev_queue_type type)
{
	const char *s = netdev_queue_type_str(type);

	return s ? s : "?";
}

/* replies for another device (a kernel that ignores the filter) skip */
static int other_dev(unsigned int present, __u32 got, __u32 ifindex)
{
	return present && got != ifindex;
}

static int queues(struct ynl_sock *ys, __u32 ifindex)
{
	struct netdev_queue_get_req_dump *req;
	struct netdev_queue_get_list *list;

	req = netdev_queue_get_req_dump_alloc();
	if (!req)
		return -ENOMEM;
	netdev_queue_get_req_dump_set_ifindex(req, ifindex);
	list = netdev_queue_get_dump(ys, req);
	netdev_queue_get_req_dump_free(req);
	if (!list)
		return -1;
	ynl_dump_foreach(list, q) {
		if (other_dev(q->_present.ifindex, q->ifindex, ifindex))
			continue;
		printf("queue id=%u type=%s napi=%u\n", q->id, qtype(q->type),
		       q->_present.napi_id ? q->napi_id : 0);
	}
	netdev_queue_get_list_free(list);
	return 0;
}

static int napis(struct ynl_sock *ys, __u32 ifindex)
{
	struct netdev_napi_get_req_dump *req;
	struct netdev_napi_get_list *list;

	req = netdev_napi_get_req_dump_alloc();
	if (!req)
		return -ENOMEM;
	netdev_napi_get_req_dump_set_ifindex(req, ifindex);
	list = netdev_napi_get_dump(ys, req);
	netdev_napi_get_req_dump_free(req);
	if (!list)
		return -1;
	ynl_dump_foreach(list, n) {
		if (other_dev(n->_present.ifindex, n->ifindex, ifindex))
			continue;
		printf("napi id=%u irq=%lld pid=%u\n", n->id,
		       n->_present.irq ? (long long)n->irq : -1LL,
		       n->_present.pid ? n->pid : 0);
	}
	netdev_napi_get_list_free(list);
	return 0;
}

static void counter(const char *name, unsigned int present, __u64 v)
{
	if (present)
		printf(" %s=%llu", name, (unsigned long long)v);
}

static void qstats_print(const struct netdev_qstats_get_rsp_dump *s)
{
	printf("qstats");
	if (s->_present.queue_type)
		printf(" type=%s", qtype(s->queue_type));
	if (s->_present.queue_id)
		printf(" queue=%u", s->queue_id);
	if (!s->_present.queue_type && !s->_present.queue_id)
		printf(" dev");
	counter("rx-packets", s->_present.rx_packets, s->rx_packets);
	counter("rx-bytes", s->_present.rx_bytes, s->rx_bytes);
	counter("tx-packets", s->_present.tx_packets, s->tx_packets);
	counter("tx-bytes", s->_present.tx_bytes, s->tx_bytes);
	putchar('\n');
}

/* scope 0: the device's totals (no scope attribute) */
static int qstats(struct ynl_sock *ys, __u32 ifindex, __u64 scope)
{
	struct netdev_qstats_get_req_dump *req;
	struct netdev_qstats_get_rsp_list *list;

	req = netdev_qstats_get_req_dump_alloc();
	if (!req)
		return -ENOMEM;
	netdev_qstats_get_req_dump_set_ifindex(req, ifindex);
	if (scope)
		netdev_qstats_get_req_dump_set_scope(req, scope);
	list = netdev_qstats_get_dump(ys, req);
	netdev_qstats_get_req_dump_free(req);
	if (!list)
		return -1;
	ynl_dump_foreach(list, s) {
		if (!other_dev(s->_present.ifindex, s->ifindex, ifindex))
			qstats_print(s);
	}
	netdev_qstats_get_rsp_list_free(list);
	return 0;
}

static int qstats_queues(struct ynl_sock *ys, __u32 ifindex)
{
	return qstats(ys, ifindex, NETDEV_QSTATS_SCOPE_QUEUE);
}

static int qstats_dev(struct ynl_sock *ys, __u32 ifindex)
{
	return qstats(ys, ifindex, 0);
}

static const struct {
	const char *name;
	int (*run)(struct ynl_sock *ys, __u32 ifindex);
} cmds[] = {
	{ "queues", queues },
	{ "napis", napis },
	{ "qstats", qstats_queues },
	{ "qstats-dev", qstats_dev },
};

static void help(FILE *f)
{
	fprintf(f,
		"usage: evsteer-ynl IFNAME queues|napis|qstats|qstats-dev\n"
		"  queues      one line per queue: queue id= type=rx|tx napi= (0: none)\n"
		"  napis       one line per NAPI: napi id= irq= (-1: none) pid= (0: not threaded)\n"
		"  qstats      per-queue stats: qstats type= queue= COUNTER=...\n"
		"  qstats-dev  device totals: qstats dev COUNTER=...\n"
		"Reads the kernel's netdev generic netlink family (Linux 6.8+, qstats 6.9+)\n"
		"with the kernel's YNL C library.\n"
		"Exit: 0 ok, 1 error (netlink or system), 2 usage.\n");
}

static int find_cmd(const char *name)
{
	unsigned int i;

	for (i = 0; i < YNL_ARRAY_SIZE(cmds); i++)
		if (!strcmp(cmds[i].name, name))
			return (int)i;
	return -1;
}

/* a netlink socket of YNL's for the family, its replies bounded in time */
static struct ynl_sock *open_netdev(void)
{
	struct timeval tv = { .tv_sec = RECV_TIMEOUT_S };
	struct ynl_error yerr;
	struct ynl_sock *ys;

	ys = ynl_sock_create(&ynl_netdev_family, &yerr);
	if (!ys) {
		fprintf(stderr, "evsteer-ynl: genetlink family netdev: %s\n",
			yerr.msg);
		return NULL;
	}
	if (setsockopt(ynl_socket_get_fd(ys), SOL_SOCKET, SO_RCVTIMEO, &tv,
		       sizeof(tv)))
		perror("evsteer-ynl: SO_RCVTIMEO");
	return ys;
}

int main(int argc, char **argv)
{
	struct ynl_sock *ys;
	unsigned int ifindex;
	int c, ret;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		help(stdout);
		return 0;
	}
	c = argc == 3 ? find_cmd(argv[2]) : -1;
	if (c < 0) {
		help(stderr);
		return 2;
	}
	ifindex = if_nametoindex(argv[1]);
	if (!ifindex) {
		fprintf(stderr, "evsteer-ynl: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	ys = open_netdev();
	if (!ys)
		return 1;
	ret = cmds[c].run(ys, ifindex);
	if (ret)
		fprintf(stderr, "evsteer-ynl: %s %s: %s\n", argv[1], argv[2],
			ret == -ENOMEM ? strerror(ENOMEM) : ys->err.msg);
	ynl_sock_destroy(ys);
	if (fflush(stdout)) {
		perror("evsteer-ynl: stdout");
		return 1;
	}
	return ret ? 1 : 0;
}
