// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Minimal driver model for host tests.  Everything read from shared
 * memory is checked before it is used as an index, as the kernel
 * driver must.
 */
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "mini_driver.h"

/* Check the header against the layout its geometry implies. */
static int evs_mini_check_header(struct evs_mini *m)
{
	struct evs_header *hdr = m->ivc.shm;
	struct evs_layout l;

	if (m->ivc.shm_size < EVS_HEADER_SIZE ||
	    evs_rd32_acquire(&hdr->magic) != EVS_MAGIC ||
	    EVS_ABI_VERSION_MAJOR(evs_rd32(&hdr->abi_version)) != EVS_ABI_MAJOR)
		return -1;
	m->num_rings = evs_rd32(&hdr->num_rings);
	m->ring_size = evs_rd32(&hdr->ring_size);
	m->num_vectors = evs_rd32(&hdr->num_vectors);
	m->buf_size = evs_rd32(&hdr->buf_size);
	if (evs_layout_compute(m->num_rings, m->ring_size, m->buf_size, &l) ||
	    l.total_size > m->ivc.shm_size ||
	    m->num_vectors != m->num_rings + 1 ||
	    evs_rd32(&hdr->entry_size) != sizeof(struct evs_entry) ||
	    evs_rd32(&hdr->config_off) != l.config_off ||
	    evs_rd32(&hdr->stats_off) != l.stats_off ||
	    evs_rd32(&hdr->ring_ctl_off) != l.ring_ctl_off ||
	    evs_rd32(&hdr->entries_off) != l.entries_off ||
	    evs_rd32(&hdr->bufs_off) != l.bufs_off ||
	    evs_rd32(&hdr->tx_ring_size) != l.tx_ring_size ||
	    evs_rd32(&hdr->tx_ctl_off) != l.tx_ctl_off ||
	    evs_rd32(&hdr->tx_desc_off) != l.tx_desc_off ||
	    evs_rd32(&hdr->tx_bufs_off) != l.tx_bufs_off)
		return -1;
	memcpy(m->mac, hdr->mac, EVS_ETH_ALEN);
	m->total_rings = m->num_rings + 1;
	m->hdr = hdr;
	m->cfg = (void *)((u8 *)hdr + l.config_off);
	m->stats = (void *)((u8 *)hdr + l.stats_off);
	m->ctl = (void *)((u8 *)hdr + l.ring_ctl_off);
	m->entries = (void *)((u8 *)hdr + l.entries_off);
	m->bufs = (u8 *)hdr + l.bufs_off;
	m->tx_ctl = (void *)((u8 *)hdr + l.tx_ctl_off);
	m->tx_desc = (void *)((u8 *)hdr + l.tx_desc_off);
	m->tx_bufs = (u8 *)hdr + l.tx_bufs_off;
	m->tx_ring_size = l.tx_ring_size;
	return 0;
}

/**
 * evs_mini_attach() - connect to the device and check its memory
 * @m:           driver
 * @path:        ivshmem socket
 * @num_vectors: vectors to expect (QEMU's vectors= property)
 * @timeout_ms:  per protocol message
 *
 * Return: 0, or -1 if the connection or the header is bad.
 */
int evs_mini_attach(struct evs_mini *m, const char *path,
		    unsigned int num_vectors, int timeout_ms)
{
	memset(m, 0, sizeof(*m));
	if (evs_ivc_attach(&m->ivc, path, num_vectors, timeout_ms))
		return -1;
	if (evs_mini_check_header(m) || m->num_vectors != num_vectors) {
		evs_ivc_detach(&m->ivc);
		return -1;
	}
	return 0;
}

void evs_mini_detach(struct evs_mini *m)
{
	evs_ivc_detach(&m->ivc);
}

static void evs_mini_sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/**
 * evs_mini_configure() - program a configuration and wait for the ack
 * @m:          driver
 * @cfg:        configuration to write
 * @status:     the device's verdict, enum evs_config_status
 * @timeout_ms: how long to wait for config_ack
 *
 * Return: 0 once acknowledged, -1 on timeout.
 */
int evs_mini_configure(struct evs_mini *m, const struct evs_config *cfg,
		       u32 *status, int timeout_ms)
{
	u32 gen = evs_rd32(&m->hdr->config_gen) + 1;
	int waited;

	memcpy(m->cfg, cfg, sizeof(*cfg));
	evs_wr32_release(&m->hdr->config_gen, gen);
	evs_ivc_doorbell(&m->ivc);
	for (waited = 0; waited <= timeout_ms; waited++) {
		if (evs_rd32_acquire(&m->hdr->config_ack) == gen) {
			*status = evs_rd32(&m->hdr->config_status);
			return 0;
		}
		evs_mini_sleep_ms(1);
	}
	return -1;
}

/* Set or clear EVS_CTRL_ENABLE and tell the device. */
int evs_mini_enable(struct evs_mini *m, bool on)
{
	smp_mb();	/* configuration and arming before ENABLE */
	evs_wr32(&m->hdr->driver_ctrl, on ? EVS_CTRL_ENABLE : 0);
	return evs_ivc_doorbell(&m->ivc);
}

void evs_mini_arm(struct evs_mini *m, u32 ring, bool on)
{
	evs_wr32(&m->ctl[ring].armed, on);
	smp_mb();	/* the re-check of prod comes after the flag */
}

/**
 * evs_mini_consume() - take every published entry of a ring
 * @m:    driver
 * @ring: ring
 * @fn:   called per entry
 * @arg:  its argument
 *
 * A producer index more than a ring ahead of ours is counted in
 * @m->bad_prod and nothing is consumed.
 *
 * Return: entries consumed.
 */
u32 evs_mini_consume(struct evs_mini *m, u32 ring, evs_mini_entry_fn fn,
		     void *arg)
{
	struct evs_ring_ctl *ctl = &m->ctl[ring];
	u32 prod = evs_rd32_acquire(&ctl->prod);
	u32 cons = m->cons[ring], n = 0;

	if (prod - cons > m->ring_size) {
		m->bad_prod++;
		return 0;
	}
	for (; cons != prod; cons++, n++)
		fn(arg, ring, &m->entries[(size_t)ring * m->ring_size +
					  (cons & (m->ring_size - 1))]);
	m->cons[ring] = cons;
	evs_wr32_release(&ctl->cons, cons);
	return n;
}

/* Consume all rings, re-arm them, and consume what raced in. */
u32 evs_mini_napi(struct evs_mini *m, evs_mini_entry_fn fn, void *arg)
{
	u32 ring, n = 0;

	for (ring = 0; ring < m->total_rings; ring++) {
		n += evs_mini_consume(m, ring, fn, arg);
		evs_mini_arm(m, ring, true);
		n += evs_mini_consume(m, ring, fn, arg);
	}
	return n;
}

/* Read and reset a vector's eventfd: how often it was raised. */
u64 evs_mini_read_vector(struct evs_mini *m, u32 vector)
{
	u64 count;

	if (read(m->ivc.vec_fd[vector], &count, sizeof(count)) !=
	    sizeof(count))
		return 0;
	return count;
}

/**
 * evs_mini_wait() - wait for interrupts
 * @m:          driver
 * @timeout_ms: poll timeout
 * @counts:     per vector, incremented by how often it was raised
 *
 * Return: vectors that fired, 0 on timeout.
 */
int evs_mini_wait(struct evs_mini *m, int timeout_ms, u64 *counts)
{
	struct pollfd pfd[EVS_MAX_VECTORS];
	int fired = 0;
	u32 v;

	for (v = 0; v < m->num_vectors; v++) {
		pfd[v].fd = m->ivc.vec_fd[v];
		pfd[v].events = POLLIN;
	}
	if (poll(pfd, m->num_vectors, timeout_ms) <= 0)
		return 0;
	for (v = 0; v < m->num_vectors; v++) {
		if (!(pfd[v].revents & POLLIN))
			continue;
		counts[v] += evs_mini_read_vector(m, v);
		fired++;
	}
	return fired;
}

/* ---- TX (ABI 2.1) ------------------------------------------------- */

/* Zero every TX queue's indices, as a driver must before it enables. */
void evs_mini_tx_reset(struct evs_mini *m)
{
	u32 q;

	for (q = 0; q < m->num_rings; q++) {
		evs_wr32(&m->tx_ctl[q].prod, 0);
		evs_wr32(&m->tx_ctl[q].armed, 0);
		evs_wr32(&m->tx_ctl[q].cons, 0);
		m->tx_prod[q] = 0;
	}
}

/* Descriptors of queue @q the device has completed (its cons). */
u32 evs_mini_tx_completed(const struct evs_mini *m, u32 q)
{
	return evs_rd32_acquire(&m->tx_ctl[q].cons);
}

/**
 * evs_mini_tx_post() - put one frame on TX queue @q, unpublished
 * @m:     driver
 * @q:     queue, below num_rings
 * @frame: bytes to copy into the descriptor's buffer, or NULL to leave
 *         the buffer as it is (for bad lengths)
 * @len:   the length written into the descriptor, as is
 *
 * Publish with evs_mini_tx_publish(), then ring the doorbell.
 *
 * Return: 0, or -1 if the queue is full.
 */
int evs_mini_tx_post(struct evs_mini *m, u32 q, const u8 *frame, u32 len)
{
	u32 prod = m->tx_prod[q], slot = prod & (m->tx_ring_size - 1);
	struct evs_tx_desc *d;

	if (prod - evs_mini_tx_completed(m, q) >= m->tx_ring_size)
		return -1;
	if (frame)
		memcpy(m->tx_bufs + ((size_t)q * m->tx_ring_size + slot) *
		       m->buf_size, frame, len < m->buf_size ? len :
		       m->buf_size);
	d = &m->tx_desc[(size_t)q * m->tx_ring_size + slot];
	evs_wr16(&d->len, len);
	evs_wr16(&d->flags, 0);
	evs_wr32(&d->reserved, 0);
	m->tx_prod[q] = prod + 1;
	return 0;
}

/* Descriptors and buffers first, then prod (release). */
void evs_mini_tx_publish(struct evs_mini *m, u32 q)
{
	evs_wr32_release(&m->tx_ctl[q].prod, m->tx_prod[q]);
}

void evs_mini_tx_arm(struct evs_mini *m, u32 q, bool on)
{
	evs_wr32(&m->tx_ctl[q].armed, on);
	smp_mb();	/* the re-check of cons comes after the flag */
}
