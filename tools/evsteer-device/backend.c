// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Backends: where the frames the guest transmits go, and where the
 * frames it receives come from when the generator does not make them.
 *
 *   generator, pcap  RX generated or replayed (traffic.c); TX counted
 *                    in evs_stats and discarded
 *   tap              RX read from an existing TAP interface, TX written
 *                    to it; both non-blocking, never waiting on the TAP
 *   loopback         every TX frame comes back as RX
 *
 * A frame that is not generated is steered like a replayed one: its
 * tuple is classified and Toeplitz-hashed with the driver's key, and
 * a frame that is not IP gets EVS_HASH_NONE and hash 0, so RETA entry
 * 0 picks its processor.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/if_tun.h>

#include "device.h"

bool evs_backend_generates(const struct evs_device *dev)
{
	return dev->opt.backend == EVS_BACKEND_GENERATOR ||
	       dev->opt.backend == EVS_BACKEND_PCAP;
}

/*
 * Attach to the TAP: it must exist already (the test rig creates it in
 * a network namespace of its own), so a typo cannot make a new one.
 */
static int evs_tap_open(const char *name)
{
	struct ifreq ifr;
	int fd;

	if (!if_nametoindex(name)) {
		fprintf(stderr, "evsteer-device: --tap %s: no such interface here (create it first: ip tuntap add dev %s mode tap)\n",
			name, name);
		return -1;
	}
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		perror("evsteer-device: /dev/net/tun");
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		fprintf(stderr, "evsteer-device: --tap %s: TUNSETIFF: %s (is it a TAP, and free?)\n",
			name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Return: 0, or -1 after saying why. */
int evs_backend_open(struct evs_device *dev)
{
	dev->tap_fd = -1;
	if (dev->opt.backend != EVS_BACKEND_TAP)
		return 0;
	dev->tap_fd = evs_tap_open(dev->opt.tap_name);
	if (dev->tap_fd < 0)
		return -1;
	fprintf(stderr, "evsteer-device: backend tap: attached to %s\n",
		dev->opt.tap_name);
	return 0;
}

void evs_backend_close(struct evs_device *dev)
{
	if (dev->tap_fd >= 0)
		close(dev->tap_fd);
	dev->tap_fd = -1;
}

/* RX of a frame that arrived: the device must be producing. */
static bool evs_backend_rx_open(const struct evs_device *dev, u64 now_ns)
{
	return evs_traffic_active(dev) && !evs_traffic_stalled(dev, now_ns);
}

/**
 * evs_backend_emit_frame() - produce one frame that arrived into a ring
 * @dev:    device
 * @frame:  the frame, Ethernet header first
 * @len:    its length, 14..buf_size
 * @now_ns: device time stamp
 *
 * Classified, hashed and steered like a replayed frame, code
 * EVS_EV_DATA; the caller flushes the signals.
 *
 * Return: enum evs_produce_result.
 */
int evs_backend_emit_frame(struct evs_device *dev, const u8 *frame, u32 len,
			   u64 now_ns)
{
	struct evs_pcap_pkt pk;
	struct evs_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.code = EVS_EV_DATA;
	ev.cost_ns = dev->opt.cost_ns;
	ev.tstamp_ns = now_ns;
	ev.frame = frame;
	ev.len = len;
	evs_pcap_classify(frame, len, &pk);
	evs_pcap_event_hash(&dev->steer, frame, &pk, &ev);
	return evs_traffic_emit(dev, &ev);
}

static bool evs_produced(int ret)
{
	return ret == EVS_PRODUCED || ret == EVS_PRODUCED_SIGNAL;
}

/* The frame the guest sent, back into its own receive rings. */
static void evs_loopback_tx(struct evs_device *dev, const u8 *frame, u32 len)
{
	u64 now = evs_now_ns();

	if (evs_backend_rx_open(dev, now) &&
	    evs_produced(evs_backend_emit_frame(dev, frame, len, now)))
		dev->bk.loopback_frames++;
	else
		dev->bk.loopback_dropped++;
}

/* Never blocks: a TAP that cannot take the frame loses it, counted. */
static void evs_tap_tx(struct evs_device *dev, const u8 *frame, u32 len)
{
	ssize_t n = write(dev->tap_fd, frame, len);

	if (n == (ssize_t)len)
		dev->bk.tap_tx_frames++;
	else
		dev->bk.tap_tx_errors++;
}

/**
 * evs_backend_tx() - a frame the guest transmitted (evs_tx_frame_fn)
 * @arg:   the struct evs_device
 * @queue: its TX queue
 * @frame: private copy of the frame
 * @len:   its length, 14..buf_size
 */
void evs_backend_tx(void *arg, u32 queue, const u8 *frame, u32 len)
{
	struct evs_device *dev = arg;

	(void)queue;
	switch (dev->opt.backend) {
	case EVS_BACKEND_TAP:
		evs_tap_tx(dev, frame, len);
		break;
	case EVS_BACKEND_LOOPBACK:
		evs_loopback_tx(dev, frame, len);
		break;
	}
}

/*
 * The fd to wait on for RX frames, or -1.  Not during an RX stall: the
 * frames wait in the TAP's queue then, as they would in a stalled NIC.
 */
int evs_backend_rx_fd(const struct evs_device *dev, u64 now_ns)
{
	if (dev->tap_fd < 0 || evs_traffic_stalled(dev, now_ns))
		return -1;
	return dev->tap_fd;
}

/* One frame from the TAP.  Return: false once the TAP is empty. */
static bool evs_tap_rx_one(struct evs_device *dev, u64 now_ns)
{
	ssize_t n = read(dev->tap_fd, dev->tap_frame, sizeof(dev->tap_frame));
	u32 len;

	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return false;
		/* the interface went away: stop polling it, TX counts errors */
		fprintf(stderr, "evsteer-device: --tap %s: %s, detaching\n",
			dev->opt.tap_name, strerror(errno));
		evs_backend_close(dev);
		return false;
	}
	len = n;
	if (!evs_backend_rx_open(dev, now_ns) || len < EVS_TX_LEN_MIN ||
	    len > dev->opt.buf_size ||
	    !evs_produced(evs_backend_emit_frame(dev, dev->tap_frame, len,
						 now_ns))) {
		dev->bk.tap_rx_dropped++;
		return true;
	}
	dev->bk.tap_rx_frames++;
	dev->bk.tap_rx_bytes += len;
	return true;
}

/**
 * evs_backend_rx_poll() - take what arrived on the TAP
 * @dev:    device
 * @now_ns: current time
 *
 * At most EVS_TAP_RX_BUDGET frames; poll() reports the rest at once.
 * Frames that arrive while the device is disabled or paused are read
 * and dropped (counted), so the guest never sees stale ones.
 */
void evs_backend_rx_poll(struct evs_device *dev, u64 now_ns)
{
	u32 i;

	if (evs_backend_rx_fd(dev, now_ns) < 0)
		return;
	for (i = 0; i < EVS_TAP_RX_BUDGET; i++)
		if (!evs_tap_rx_one(dev, now_ns))
			break;
	evs_traffic_flush(dev);
}
