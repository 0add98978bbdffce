// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evsteer-device: set up the shared memory, the ivshmem server and the
 * control socket, then run one poll loop until a signal, "quit", the
 * end of --duration or the guest's disconnect.
 *
 * Each iteration sleeps in ppoll() until a descriptor is ready or the
 * next deadline (generator tick, stall end, idle check, TX poll, stats
 * line, end of run), handles what is ready, picks up what the driver
 * wrote, produces the events that are due and consumes the TX queues.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "device.h"

/* Fixed slots of the poll set; unused slots hold fd -1. */
enum {
	EVS_PFD_SIGNAL,
	EVS_PFD_IVSHMEM,
	EVS_PFD_GUEST,
	EVS_PFD_DOORBELL,
	EVS_PFD_CTL,
	EVS_PFD_TAP,
	EVS_PFD_CTL_CONN,
	EVS_PFD_COUNT = EVS_PFD_CTL_CONN + EVS_CTL_MAX_CONN,
};

/* Large (the steering tables), so not on the stack. */
static struct evs_device evs_device;

static int evs_signals_open(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	/* replies go out with MSG_NOSIGNAL; this covers a closed stdout */
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

static int evs_traffic_setup(struct evs_device *dev)
{
	const struct evs_options *o = &dev->opt;
	struct evs_pcap *pc = o->pcap_path ? &dev->pcap : NULL;

	if (evs_gen_init(&dev->gen, o->seed, o->ipv6, &o->addrs, pc) ||
	    evs_gen_set_frame_len(&dev->gen, o->frame_min, o->frame_max))
		return -1;
	evs_gen_set_mix(&dev->gen, o->mix);
	dev->gen.cost_ns = o->cost_ns;
	if (pc) {
		fprintf(stderr, "evsteer-device: pcap: %u frames, %llu bytes, %u skipped (%u short, %u too big, %u over the memory cap, %u without a link header), %u rewritten\n",
			pc->num_pkts, (unsigned long long)pc->data_len,
			pc->skipped, pc->skipped_short, pc->skipped_big,
			pc->skipped_mem, pc->skipped_link, pc->rewritten);
		return 0;
	}
	return evs_gen_set_flows(&dev->gen, o->flows, o->skew);
}

/* Read --pcap: frames up to a buffer long, within the memory cap. */
static int evs_pcap_setup(struct evs_device *dev)
{
	const struct evs_options *o = &dev->opt;
	const struct evs_pcap_opts po = {
		.max_len = o->buf_size,
		.max_bytes = EVS_PCAP_MAX_BYTES,
		.rewrite = o->pcap_rewrite,
		.addrs = &o->addrs,
	};

	return evs_pcap_load(&dev->pcap, o->pcap_path, &po, stderr);
}

/**
 * evs_device_setup() - everything before the loop
 * @dev: device with its options parsed
 * @sfd: the signalfd, or -1
 *
 * Return: 0, 1 on a runtime failure, 2 if the options were unusable
 * (a pcap file that cannot be read).
 */
static int evs_device_setup(struct evs_device *dev, int *sfd)
{
	const struct evs_options *o = &dev->opt;

	dev->shm_fd = -1;
	dev->tap_fd = -1;
	evs_ivshmem_init(&dev->ivs);
	evs_control_init(&dev->ctl, evs_command_exec, dev);
	dev->link_up = true;
	dev->start_ns = evs_now_ns();
	/* first, so that a signal during setup still cleans up */
	*sfd = evs_signals_open();
	if (*sfd < 0) {
		perror("evsteer-device: signalfd");
		return 1;
	}
	if (o->pcap_path && evs_pcap_setup(dev))
		return 2;
	if (evs_traffic_setup(dev)) {
		perror("evsteer-device: generator");
		return 1;
	}
	if (evs_backend_open(dev))
		return 1;
	if (evs_shm_create(dev) || evs_shm_reset(dev)) {
		perror("evsteer-device: shared memory");
		return 1;
	}
	if (evs_ivshmem_listen(&dev->ivs, o->socket_path, dev->shm_fd,
			       dev->prod.num_vectors)) {
		fprintf(stderr, "evsteer-device: %s: %s\n", o->socket_path,
			strerror(errno));
		return 1;
	}
	if (o->ctl_path && evs_control_listen(&dev->ctl, o->ctl_path)) {
		fprintf(stderr, "evsteer-device: %s: %s\n", o->ctl_path,
			strerror(errno));
		return 1;
	}
	fprintf(stderr, "evsteer-device: serving %s: %u rings of %u, %u-byte buffers, %u TX queues of %u, %u vectors, %u bytes of memory, backend %s, MAC %02x:%02x:%02x:%02x:%02x:%02x\n",
		o->socket_path, o->num_rings, o->ring_size, o->buf_size,
		dev->num_txq, evs_tx_ring_size(o->ring_size),
		dev->prod.num_vectors, o->mem_size,
		evs_backend_name(o->backend), o->addrs.dst_mac[0],
		o->addrs.dst_mac[1], o->addrs.dst_mac[2], o->addrs.dst_mac[3],
		o->addrs.dst_mac[4], o->addrs.dst_mac[5]);
	return 0;
}

static void evs_device_teardown(struct evs_device *dev, int sfd)
{
	if (sfd >= 0)
		close(sfd);
	evs_control_close(&dev->ctl);
	evs_ivshmem_close(&dev->ivs);
	evs_backend_close(dev);
	evs_shm_destroy(dev);
	evs_gen_free(&dev->gen);
	evs_pcap_free(&dev->pcap);
}

static void evs_on_accept(struct evs_device *dev)
{
	int fd;

	switch (evs_ivshmem_accept(&dev->ivs, &fd)) {
	case EVS_IVSHMEM_NEW:
		/* a new guest gets a freshly formatted device */
		if (evs_shm_reset(dev)) {
			close(fd);
			break;
		}
		if (evs_ivshmem_welcome(&dev->ivs, fd)) {
			perror("evsteer-device: guest setup");
			break;
		}
		fprintf(stderr, "evsteer-device: guest %u connected\n",
			dev->ivs.id);
		break;
	case EVS_IVSHMEM_REFUSED:
		fprintf(stderr, "evsteer-device: refused a second guest\n");
		break;
	}
}

static void evs_on_guest(struct evs_device *dev)
{
	switch (evs_ivshmem_guest_state(&dev->ivs)) {
	case EVS_GUEST_PRESENT:
		return;
	case EVS_GUEST_NOT_QEMU:
		evs_ivshmem_drop(&dev->ivs);
		return;
	}
	fprintf(stderr, "evsteer-device: guest %u disconnected\n", dev->ivs.id);
	evs_ivshmem_drop(&dev->ivs);
	if (dev->opt.exit_on_disconnect)
		dev->quit = true;
}

static void evs_on_signal(struct evs_device *dev, int sfd)
{
	struct signalfd_siginfo si;

	if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		fprintf(stderr, "evsteer-device: %s, exiting\n",
			strsignal(si.ssi_signo));
		dev->quit = true;
	}
}

static void evs_poll_fill(const struct evs_device *dev, int sfd,
			  struct pollfd *pfd, u64 now_ns)
{
	unsigned int i;

	for (i = 0; i < EVS_PFD_COUNT; i++) {
		pfd[i].fd = -1;
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
	}
	pfd[EVS_PFD_SIGNAL].fd = sfd;
	pfd[EVS_PFD_IVSHMEM].fd = dev->ivs.listen_fd;
	pfd[EVS_PFD_GUEST].fd = dev->ivs.sock;
	pfd[EVS_PFD_DOORBELL].fd = dev->ivs.doorbell_fd;
	pfd[EVS_PFD_CTL].fd = dev->ctl.listen_fd;
	pfd[EVS_PFD_TAP].fd = evs_backend_rx_fd(dev, now_ns);
	for (i = 0; i < EVS_CTL_MAX_CONN; i++)
		pfd[EVS_PFD_CTL_CONN + i].fd = dev->ctl.conn[i].fd;
}

static void evs_poll_dispatch(struct evs_device *dev, int sfd,
			      const struct pollfd *pfd)
{
	unsigned int i;
	u64 rings;

	if (pfd[EVS_PFD_SIGNAL].revents)
		evs_on_signal(dev, sfd);
	if (pfd[EVS_PFD_DOORBELL].revents) {
		rings = evs_ivshmem_doorbells(&dev->ivs);
		evs_add64(&dev->prod.stats->doorbells, rings);
		/* before any command: it must see what the driver rang for */
		evs_sync_driver(dev);
	}
	if (pfd[EVS_PFD_GUEST].revents)
		evs_on_guest(dev);
	if (pfd[EVS_PFD_IVSHMEM].revents)
		evs_on_accept(dev);
	if (pfd[EVS_PFD_CTL].revents)
		evs_control_accept(&dev->ctl);
	for (i = 0; i < EVS_CTL_MAX_CONN; i++) {
		struct evs_ctl_conn *c = &dev->ctl.conn[i];

		/* the slot may have been reused since poll() */
		if (pfd[EVS_PFD_CTL_CONN + i].revents &&
		    pfd[EVS_PFD_CTL_CONN + i].fd == c->fd)
			evs_control_readable(&dev->ctl, c);
	}
}

/* Sleep until something is ready or @wake_ns; never busy-wait. */
static int evs_poll_wait(struct pollfd *pfd, u64 now_ns, u64 wake_ns)
{
	struct timespec ts, *timeout = NULL;
	u64 dt;

	if (wake_ns != UINT64_MAX) {
		dt = wake_ns > now_ns ? wake_ns - now_ns : 0;
		ts.tv_sec = dt / EVS_NSEC_PER_SEC;
		ts.tv_nsec = dt % EVS_NSEC_PER_SEC;
		timeout = &ts;
	}
	if (ppoll(pfd, EVS_PFD_COUNT, timeout, NULL) < 0 && errno != EINTR)
		return -1;
	return 0;
}

/* At exit, on stderr: what went through the backend and the TX queues. */
static void evs_print_summary(const struct evs_device *dev)
{
	const struct evs_stats *st = dev->prod.stats;
	const struct evs_backend_stats *bk = &dev->bk;

	if (!st)
		return;
	fprintf(stderr, "evsteer-device: backend %s: rx frames %llu, tx_frames %llu, tx_bytes %llu, tx_bad %llu, tx_bad_prod %llu, tx_signalled %llu, tap_rx_frames %llu, tap_rx_dropped %llu, tap_tx_frames %llu, tap_tx_errors %llu, loopback_frames %llu, loopback_dropped %llu\n",
		evs_backend_name(dev->opt.backend),
		(unsigned long long)dev->frames.frames,
		(unsigned long long)evs_rd64(&st->tx_frames),
		(unsigned long long)evs_rd64(&st->tx_bytes),
		(unsigned long long)evs_rd64(&st->tx_bad),
		(unsigned long long)evs_rd64(&st->tx_bad_prod),
		(unsigned long long)evs_rd64(&st->tx_signalled),
		(unsigned long long)bk->tap_rx_frames,
		(unsigned long long)bk->tap_rx_dropped,
		(unsigned long long)bk->tap_tx_frames,
		(unsigned long long)bk->tap_tx_errors,
		(unsigned long long)bk->loopback_frames,
		(unsigned long long)bk->loopback_dropped);
}

static void evs_print_stats(const struct evs_device *dev)
{
	static struct evs_strbuf line;

	evs_strbuf_reset(&line);
	evs_stats_json(dev, &line);
	printf("%s\n", line.s);
	fflush(stdout);
}

static u64 evs_min(u64 a, u64 b)
{
	return a < b ? a : b;
}

/*
 * Tell the driver the device still runs (EVS_FEAT_HEARTBEAT), whatever
 * it does meanwhile.  Return: when to bump it next.
 */
static u64 evs_heartbeat(struct evs_device *dev, u64 now, u64 due)
{
	struct evs_header *hdr = dev->prod.hdr;

	if (now < due)
		return due;
	evs_wr32(&hdr->heartbeat, evs_rd32(&hdr->heartbeat) + 1);
	return now + (u64)EVS_HEARTBEAT_MS * EVS_NSEC_PER_MSEC;
}

static int evs_device_run(struct evs_device *dev, int sfd)
{
	const struct evs_options *o = &dev->opt;
	u64 interval = (u64)o->stats_interval_ms * EVS_NSEC_PER_MSEC;
	u64 next_stats = interval ? dev->start_ns + interval : UINT64_MAX;
	u64 deadline = o->duration_s ?
		dev->start_ns + (u64)o->duration_s * EVS_NSEC_PER_SEC :
		UINT64_MAX;
	struct pollfd pfd[EVS_PFD_COUNT];
	u64 now, wake, beat = 0;

	while (!dev->quit) {
		now = evs_now_ns();
		beat = evs_heartbeat(dev, now, beat);
		wake = evs_min(evs_min(evs_traffic_wake_ns(dev, now),
				       evs_tx_wake_ns(dev, now)),
			       evs_min(evs_min(next_stats, deadline), beat));
		evs_poll_fill(dev, sfd, pfd, now);
		if (evs_poll_wait(pfd, now, wake)) {
			perror("evsteer-device: ppoll");
			return 1;
		}
		evs_poll_dispatch(dev, sfd, pfd);
		now = evs_now_ns();
		evs_sync_driver(dev);
		if (pfd[EVS_PFD_TAP].revents)
			evs_backend_rx_poll(dev, now);
		evs_traffic_tick(dev, now);
		/* every doorbell, tick and idle check polls TX too */
		evs_tx_poll(dev, now);
		if (now >= next_stats) {
			evs_print_stats(dev);
			next_stats += interval;
			if (next_stats <= now)	/* fell behind: no burst */
				next_stats = now + interval;
		}
		if (now >= deadline)
			break;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct evs_device *dev = &evs_device;
	int sfd = -1, ret;

	switch (evs_options_parse(&dev->opt, argc, argv, stderr)) {
	case EVS_OPTIONS_HELP:
		return 0;
	case EVS_OPTIONS_BAD:
		return 2;
	}
	ret = evs_device_setup(dev, &sfd);
	if (!ret) {
		ret = evs_device_run(dev, sfd);
		evs_print_summary(dev);
	}
	evs_device_teardown(dev, sfd);
	return ret;
}
