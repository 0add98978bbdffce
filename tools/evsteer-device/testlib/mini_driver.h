/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A minimal driver model for host tests: what the kernel driver does
 * with the device, in userspace and without the lanes.  It checks the
 * header, programs configurations through config_gen/config_ack,
 * enables the device, and consumes rings NAPI-style (consume, re-arm,
 * re-check) while it waits on the vector eventfds.
 */
#ifndef _EVSTEER_TESTLIB_MINI_DRIVER_H
#define _EVSTEER_TESTLIB_MINI_DRIVER_H

#include <evsteer/producer.h>
#include "ivshmem_client.h"

/* Called for every consumed entry; @e points into shared memory. */
typedef void (*evs_mini_entry_fn)(void *arg, u32 ring,
				  const struct evs_entry *e);

/**
 * struct evs_mini - the driver's view of one device
 * @ivc:         ivshmem connection and mapping
 * @hdr:         header
 * @cfg:         configuration area
 * @stats:       device counters
 * @ctl:         ring control blocks
 * @entries:     ring entries
 * @bufs:        receive buffers, one per entry, in entry order
 * @buf_size:    bytes per buffer
 * @mac:         the NIC's MAC from the header
 * @num_rings:   data rings
 * @total_rings: data rings plus the admin ring
 * @ring_size:   entries per ring
 * @num_vectors: vectors
 * @cons:        private read index per ring
 * @bad_prod:    times a ring's producer index was out of range
 * @tx_ctl:      TX queue control blocks, one per data ring (ABI 2.1)
 * @tx_desc:     TX descriptors, tx_ring_size per queue
 * @tx_bufs:     TX buffers, one per descriptor
 * @tx_ring_size: descriptors per TX queue
 * @tx_prod:     private producer index per TX queue
 */
struct evs_mini {
	struct evs_ivc ivc;
	struct evs_header *hdr;
	struct evs_config *cfg;
	struct evs_stats *stats;
	struct evs_ring_ctl *ctl;
	struct evs_entry *entries;
	u8 *bufs;
	u32 buf_size;
	u8 mac[EVS_ETH_ALEN];
	u32 num_rings;
	u32 total_rings;
	u32 ring_size;
	u32 num_vectors;
	u32 cons[EVS_MAX_RINGS];
	u32 bad_prod;
	struct evs_tx_ctl *tx_ctl;
	struct evs_tx_desc *tx_desc;
	u8 *tx_bufs;
	u32 tx_ring_size;
	u32 tx_prod[EVS_MAX_RINGS];
};

int evs_mini_attach(struct evs_mini *m, const char *path,
		    unsigned int num_vectors, int timeout_ms);
void evs_mini_detach(struct evs_mini *m);
int evs_mini_configure(struct evs_mini *m, const struct evs_config *cfg,
		       u32 *status, int timeout_ms);
int evs_mini_enable(struct evs_mini *m, bool on);
void evs_mini_arm(struct evs_mini *m, u32 ring, bool on);
u32 evs_mini_consume(struct evs_mini *m, u32 ring, evs_mini_entry_fn fn,
		     void *arg);
u32 evs_mini_napi(struct evs_mini *m, evs_mini_entry_fn fn, void *arg);
int evs_mini_wait(struct evs_mini *m, int timeout_ms, u64 *counts);
u64 evs_mini_read_vector(struct evs_mini *m, u32 vector);
void evs_mini_tx_reset(struct evs_mini *m);
int evs_mini_tx_post(struct evs_mini *m, u32 q, const u8 *frame, u32 len);
void evs_mini_tx_publish(struct evs_mini *m, u32 q);
void evs_mini_tx_arm(struct evs_mini *m, u32 q, bool on);
u32 evs_mini_tx_completed(const struct evs_mini *m, u32 q);

/* The receive buffer that entry @e (in shared memory) owns. */
static inline const u8 *evs_mini_frame(const struct evs_mini *m,
				       const struct evs_entry *e)
{
	return m->bufs + (size_t)(e - m->entries) * m->buf_size;
}

#endif /* _EVSTEER_TESTLIB_MINI_DRIVER_H */
