// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The shared memory: one memfd for the device's lifetime, handed to
 * every guest, and laid out afresh for each new guest so that a driver
 * never probes the leftovers of the previous one.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "device.h"

/**
 * evs_shm_create() - create and map the shared memory
 * @dev: device; @dev->opt.mem_size gives the size
 *
 * The size is sealed: the guest side holds the same fd, and a shrunk
 * memfd would make the device's next access a SIGBUS.
 *
 * Return: 0, or -1 with errno set.
 */
int evs_shm_create(struct evs_device *dev)
{
	u32 size = dev->opt.mem_size;
	int fd;

	fd = memfd_create("evsteer-shm", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, size) ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL))
		goto close_fd;
	dev->shm = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (dev->shm == MAP_FAILED)
		goto close_fd;
	dev->shm_fd = fd;
	return 0;

close_fd:
	close(fd);
	return -1;
}

/**
 * evs_shm_reset() - lay the memory out for a new guest
 * @dev: device
 *
 * Zeroes everything, formats the header (with the NIC's MAC and the
 * buffer geometry), rings, buffers and default configuration, loads
 * that configuration for steering, and applies
 * --bad-magic/--bad-version.  The device starts disabled.
 *
 * Return: 0, or -1 if the geometry does not fit (the options forbid it).
 */
int evs_shm_reset(struct evs_device *dev)
{
	const struct evs_options *o = &dev->opt;
	struct evs_producer *p = &dev->prod;

	memset(dev->shm, 0, o->mem_size);
	if (evs_shm_format(p, dev->shm, o->mem_size, o->num_rings,
			   o->ring_size, o->buf_size, o->addrs.dst_mac,
			   o->map_mode) ||
	    evs_steer_load(&dev->steer, p->cfg, p->total_rings,
			   p->num_vectors))
		return -1;
	dev->config_seen = evs_rd32(&p->hdr->config_gen);
	dev->enabled = false;
	dev->was_active = false;
	dev->stall_until_ns = 0;
	dev->tx_stall_until_ns = 0;
	dev->pending = 0;
	evs_tx_init(dev);
	memset(dev->vec, 0, sizeof(dev->vec));
	memset(&dev->frames, 0, sizeof(dev->frames));
	memset(dev->ring_frames, 0, sizeof(dev->ring_frames));
	memset(&dev->bk, 0, sizeof(dev->bk));
	evs_fault_header(dev);
	evs_sync_status(dev);
	return 0;
}

void evs_shm_destroy(struct evs_device *dev)
{
	if (dev->shm && dev->shm != MAP_FAILED)
		munmap(dev->shm, dev->opt.mem_size);
	if (dev->shm_fd >= 0)
		close(dev->shm_fd);
	dev->shm = NULL;
	dev->shm_fd = -1;
}
