// SPDX-License-Identifier: GPL-2.0
/*
 * udprr: UDP request/response latency at a fixed rate, for the NIC
 * comparison of `make bench` (tests/vm/bench/nic.sh).
 *
 *   udprr server [--port P] [--duration S]
 *	echo every datagram back to its sender (in the guest)
 *   udprr client --addr A [--port P] [--rate R] [--duration S]
 *		  [--size B] [--wait-ms T] [--sport P]
 *	send R requests a second for S seconds, open loop (a late reply
 *	never holds the next request back), and print one JSON object:
 *	sent, received, lost, duplicated, late (after the wait), the
 *	round-trip percentiles in microseconds; --sport fixes the source
 *	port, so that runs one after the other are one flow (one hash,
 *	one queue or lane)
 *
 * Each request carries its sequence number and the client's
 * CLOCK_MONOTONIC time taken just before send(); the round trip is
 * measured against that clock only, so the two ends need no common time.
 * Static, like evsteer-rx, so that it runs in the busybox guest and on
 * the host alike.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RR_MAGIC 0x52525055u	/* "UPRR" */
#define RR_MAX_SIZE 1472

struct rr_hdr {
	uint32_t magic;
	uint32_t pad;
	uint64_t seq;
	uint64_t sent_ns;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* nearest rank: the smallest value with at least p % at or below it */
static double pct_us(const uint64_t *v, size_t n, double p)
{
	size_t k;

	if (!n)
		return -1;
	k = (size_t)(p / 100.0 * n + 0.999999);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1] / 1000.0;
}

static int server(int port, double duration)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };
	uint64_t end = duration > 0 ? now_ns() + duration * 1e9 : 0;
	unsigned long echoed = 0;
	char buf[2048];
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
		die("bind");
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n;

		if (end && now_ns() >= end)
			break;
		if (poll(&p, 1, 200) <= 0)
			continue;
		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
			     (struct sockaddr *)&from, &fl);
		if (n < 0)
			continue;
		if (sendto(fd, buf, n, 0, (struct sockaddr *)&from, fl) == n)
			echoed++;
	}
	fprintf(stderr, "udprr server: %lu echoed\n", echoed);
	return 0;
}

static int client(const char *addr, int port, double rate, double duration,
		  int size, int wait_ms, int sport)
{
	struct sockaddr_in src = { .sin_family = AF_INET,
				   .sin_port = htons(sport) };
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };
	size_t n_max = (size_t)(rate * duration) + 1, sent = 0, got = 0;
	size_t dups = 0, late = 0, bad = 0, skipped = 0, i;
	uint64_t period = 1e9 / rate, next, end_send, end_wait = 0, sum = 0;
	uint64_t *rtt = calloc(n_max, sizeof(*rtt));
	uint64_t *sorted = calloc(n_max, sizeof(*sorted));
	char buf[RR_MAX_SIZE] = { 0 }, rbuf[2048];
	struct rr_hdr *h = (struct rr_hdr *)buf, *r = (struct rr_hdr *)rbuf;
	int fd;

	if (!rtt || !sorted)
		die("calloc");
	if (inet_pton(AF_INET, addr, &a.sin_addr) != 1) {
		fprintf(stderr, "udprr: bad address %s\n", addr);
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	if (sport) {
		int one = 1;

		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&src, sizeof(src)))
			die("bind");
	}
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)))
		die("connect");
	next = now_ns();
	end_send = next + duration * 1e9;
	for (;;) {
		uint64_t t = now_ns();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct timespec ts;
		uint64_t wait;

		if (sent < n_max && t >= next && t < end_send) {
			h->magic = RR_MAGIC;
			h->seq = sent;
			h->sent_ns = now_ns();
			if (send(fd, buf, size, 0) == size)
				sent++;
			next += period;
			/* far behind (the host starved us): no burst to catch up */
			if (t > next + 10 * period) {
				skipped += (t - next) / period;
				next = t + period;
			}
			continue;
		}
		if ((sent >= n_max || t >= end_send) && !end_wait)
			end_wait = t + (uint64_t)wait_ms * 1000000;
		if (end_wait && (t >= end_wait || got + dups >= sent))
			break;
		wait = end_wait ? end_wait - t : (next > t ? next - t : 0);
		ts.tv_sec = wait / 1000000000ull;
		ts.tv_nsec = wait % 1000000000ull;
		if (ppoll(&p, 1, &ts, NULL) <= 0)
			continue;
		while (recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT) >= (ssize_t)sizeof(*r)) {
			uint64_t now = now_ns();

			if (r->magic != RR_MAGIC || r->seq >= sent) {
				bad++;
				continue;
			}
			if (rtt[r->seq]) {
				dups++;
				continue;
			}
			/* 0 marks "no reply yet" */
			rtt[r->seq] = now > r->sent_ns ? now - r->sent_ns : 1;
			got++;
		}
	}
	/* what came after the wait is late, not lost */
	while (recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT) >= (ssize_t)sizeof(*r))
		late++;
	for (i = 0, got = 0; i < sent; i++) {
		if (rtt[i]) {
			sorted[got++] = rtt[i];
			sum += rtt[i];
		}
	}
	qsort(sorted, got, sizeof(*sorted), cmp_u64);
	printf("{\"addr\": \"%s\", \"port\": %d, \"rate\": %.0f, \"duration_s\": %.1f, \"size\": %d, "
	       "\"sent\": %zu, \"received\": %zu, \"lost\": %zu, \"duplicated\": %zu, \"late\": %zu, "
	       "\"bad\": %zu, \"skipped\": %zu, ",
	       addr, port, rate, duration, size, sent, got, sent - got, dups, late,
	       bad, skipped);
	if (got)
		printf("\"min_us\": %.1f, \"p50_us\": %.1f, \"p90_us\": %.1f, \"p99_us\": %.1f, "
		       "\"max_us\": %.1f, \"mean_us\": %.1f}\n",
		       sorted[0] / 1000.0, pct_us(sorted, got, 50), pct_us(sorted, got, 90),
		       pct_us(sorted, got, 99), sorted[got - 1] / 1000.0,
		       sum / 1000.0 / got);
	else
		printf("\"min_us\": null, \"p50_us\": null, \"p90_us\": null, \"p99_us\": null, "
		       "\"max_us\": null, \"mean_us\": null}\n");
	return got ? 0 : 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: udprr server [--port P] [--duration S]\n"
			"       udprr client --addr A [--port P] [--rate R] [--duration S] [--size B] [--wait-ms T] [--sport P]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "addr", required_argument, NULL, 'a' },
		{ "port", required_argument, NULL, 'p' },
		{ "rate", required_argument, NULL, 'r' },
		{ "duration", required_argument, NULL, 'd' },
		{ "size", required_argument, NULL, 's' },
		{ "wait-ms", required_argument, NULL, 'w' },
		{ "sport", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	const char *addr = NULL;
	double rate = 200, duration = 10;
	int port = 9000, size = 64, wait_ms = 1000, c, timed = 0, sport = 0;

	if (argc < 2)
		usage();
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a': addr = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'r': rate = atof(optarg); break;
		case 'd': duration = atof(optarg); timed = 1; break;
		case 's': size = atoi(optarg); break;
		case 'w': wait_ms = atoi(optarg); break;
		case 'S': sport = atoi(optarg); break;
		default: usage();
		}
	}
	if (size < (int)sizeof(struct rr_hdr) || size > RR_MAX_SIZE || rate <= 0 ||
	    port <= 0 || port > 65535 || sport < 0 || sport > 65535)
		usage();
	if (!strcmp(argv[1], "server"))
		return server(port, timed ? duration : 0);
	if (!strcmp(argv[1], "client") && addr)
		return client(addr, port, rate, duration, size, wait_ms, sport);
	usage();
	return 2;
}
