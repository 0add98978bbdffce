/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * evsteer-device: the userspace side of the evsteer device.  One
 * thread runs one poll loop; this header ties its pieces together:
 *
 *   shm.c             shared memory: memfd, layout, reset per guest
 *   config_sync.c     driver_ctrl and the config_gen/config_ack handshake
 *   ivshmem_server.c  the ivshmem protocol towards QEMU
 *   traffic.c         paced production into the rings, batched signals
 *   generator.c       flows, Zipf popularity, event-code mix, frames
 *   pacer.c           events owed at a given rate
 *   pcap_flows.c      frames of a pcap file, replayed
 *   tx.c              the TX queues: when to poll them, completions
 *   backend.c         where TX frames go and non-generated RX comes from
 *   faults.c          fault injection
 *   control.c         control socket, commands.c its commands
 *   stats_json.c      statistics as JSON lines
 *   main.c            options, setup, the poll loop
 */
#ifndef _EVSTEER_DEVICE_H
#define _EVSTEER_DEVICE_H

#include <time.h>
#include <evsteer/producer.h>
#include <evsteer/tx.h>

#include "control.h"
#include "generator.h"
#include "ivshmem_server.h"
#include "options.h"
#include "pacer.h"
#include "pcap_flows.h"
#include "strbuf.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

/* Generator period: events are produced in batches this far apart. */
#define EVS_TICK_NS		EVS_NSEC_PER_MSEC

/*
 * How often an idle device looks at driver_ctrl and config_gen.  The
 * driver rings the doorbell after changing them, so this only matters
 * for a driver that forgets to; it costs ten wake-ups a second.
 */
#define EVS_IDLE_CHECK_NS	(100 * EVS_NSEC_PER_MSEC)

/*
 * While a TX queue holds descriptors the device has not consumed (the
 * driver posted without ringing, or posted during a round), it looks
 * again this soon: a frame waits at most about this long.
 */
#define EVS_TX_POLL_NS		EVS_NSEC_PER_MSEC

/* Frames read from the TAP per poll round, so RX cannot starve TX. */
#define EVS_TAP_RX_BUDGET	64
/* Read buffer: any frame a TAP can hand out, so none is cut silently. */
#define EVS_TAP_FRAME_MAX	65536

/* Values written by "inject corrupt": outside every valid range. */
#define EVS_CORRUPT_CODE	0xffff
#define EVS_CORRUPT_LEN		0xffff	/* above every buffer size */
#define EVS_CORRUPT_RING	0xffff
#define EVS_CORRUPT_RUNT_LEN	10	/* below the Ethernet header */

/**
 * struct evs_vector_stats - device-private counters of one vector
 * @produced: entries whose event resolved to this vector
 * @signals:  times the vector was raised (eventfd writes)
 */
struct evs_vector_stats {
	u64 produced;
	u64 signals;
};

/**
 * struct evs_frame_stats - device-private counters of frames sent
 * @frames: data entries written with a frame (injected faults aside)
 * @bytes:  their frame bytes
 */
struct evs_frame_stats {
	u64 frames;
	u64 bytes;
};

/**
 * struct evs_backend_stats - device-private counters of the backends
 * @tap_rx_frames:    frames read from the TAP and produced into a ring
 * @tap_rx_bytes:     their bytes
 * @tap_rx_dropped:   frames read from the TAP and not produced: ring
 *                    full, device disabled or paused, or a length
 *                    outside 14..buf_size
 * @tap_tx_frames:    TX frames written to the TAP
 * @tap_tx_errors:    TX frames the TAP did not take (EAGAIN, errors)
 * @loopback_frames:  TX frames produced back into a ring
 * @loopback_dropped: TX frames not produced back: ring full, paused
 */
struct evs_backend_stats {
	u64 tap_rx_frames;
	u64 tap_rx_bytes;
	u64 tap_rx_dropped;
	u64 tap_tx_frames;
	u64 tap_tx_errors;
	u64 loopback_frames;
	u64 loopback_dropped;
};

enum evs_corrupt_field {
	EVS_CORRUPT_FIELD_CODE,
	EVS_CORRUPT_FIELD_LEN,
	EVS_CORRUPT_FIELD_RING,
	EVS_CORRUPT_FIELD_RUNT,
};

/**
 * struct evs_device - the whole device
 * @opt:         options, updated by control commands (current settings)
 * @shm_fd:      memfd of the shared memory
 * @shm:         its mapping
 * @prod:        producer view of the shared memory
 * @steer:       validated private copy of the driver's configuration
 * @config_seen: config_gen handled last
 * @enabled:     EVS_CTRL_ENABLE as last read
 * @paused:      paused by the operator
 * @link_up:     link state reported in status and link events
 * @flood:       ignore the armed flag (fault injection)
 * @stall_until_ns: produce nothing before this time (fault injection)
 * @tx_stall_until_ns: consume no TX before this time (fault injection)
 * @config_stall_until_ns: answer no configuration before this time (fault
 *                   injection: a device that went silent)
 * @was_active:  producing at the last tick; the pacer restarts otherwise
 * @pending:     vectors to raise at the end of the current batch
 * @vec:         per-vector counters
 * @frames:      frames sent, all rings
 * @ring_frames: frames sent, per ring
 * @pacer:       rate pacing
 * @gen:         traffic generator
 * @pcap:        frames from --pcap
 * @txq:         the device's view of the TX queues, one per data ring
 * @num_txq:     TX queues
 * @tap_fd:      the TAP of --backend tap, or -1
 * @bk:          backend counters
 * @tx_frame:    private copy of the TX frame being handed on
 * @tap_frame:   frame read from the TAP
 * @ivs:         ivshmem server
 * @ctl:         control socket
 * @start_ns:    start time
 * @quit:        leave the poll loop
 */
struct evs_device {
	struct evs_options opt;
	int shm_fd;
	void *shm;
	struct evs_producer prod;
	struct evs_steer steer;
	u32 config_seen;
	bool enabled;
	bool paused;
	bool link_up;
	bool flood;
	u64 stall_until_ns;
	u64 tx_stall_until_ns;
	u64 config_stall_until_ns;
	bool was_active;
	u64 pending;
	struct evs_vector_stats vec[EVS_MAX_VECTORS];
	struct evs_frame_stats frames;
	struct evs_frame_stats ring_frames[EVS_MAX_RINGS];
	struct evs_pacer pacer;
	struct evs_generator gen;
	struct evs_pcap pcap;
	struct evs_tx_queue txq[EVS_MAX_RINGS];
	u32 num_txq;
	int tap_fd;
	struct evs_backend_stats bk;
	u8 tx_frame[EVS_BUF_SIZE_MAX];
	u8 tap_frame[EVS_TAP_FRAME_MAX];
	struct evs_ivshmem_server ivs;
	struct evs_control ctl;
	u64 start_ns;
	bool quit;
};

static inline u64 evs_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * EVS_NSEC_PER_SEC + ts.tv_nsec;
}

/* shm.c */
int evs_shm_create(struct evs_device *dev);
int evs_shm_reset(struct evs_device *dev);
void evs_shm_destroy(struct evs_device *dev);

/* config_sync.c */
void evs_sync_driver(struct evs_device *dev);
void evs_sync_status(struct evs_device *dev);

/* traffic.c */
bool evs_traffic_active(const struct evs_device *dev);
void evs_traffic_restart(struct evs_device *dev);
void evs_traffic_tick(struct evs_device *dev, u64 now_ns);
u64 evs_traffic_wake_ns(const struct evs_device *dev, u64 now_ns);
int evs_traffic_emit(struct evs_device *dev, const struct evs_event *ev);
bool evs_traffic_stalled(const struct evs_device *dev, u64 now_ns);
void evs_traffic_count(struct evs_device *dev, int result,
		       const struct evs_target *t);
void evs_traffic_flush(struct evs_device *dev);

/* tx.c */
void evs_tx_init(struct evs_device *dev);
void evs_tx_enable(struct evs_device *dev);
bool evs_tx_stalled(const struct evs_device *dev, u64 now_ns);
void evs_tx_poll(struct evs_device *dev, u64 now_ns);
u64 evs_tx_wake_ns(const struct evs_device *dev, u64 now_ns);

/* backend.c */
bool evs_backend_generates(const struct evs_device *dev);
int evs_backend_open(struct evs_device *dev);
void evs_backend_close(struct evs_device *dev);
int evs_backend_rx_fd(const struct evs_device *dev, u64 now_ns);
void evs_backend_rx_poll(struct evs_device *dev, u64 now_ns);
void evs_backend_tx(void *arg, u32 queue, const u8 *frame, u32 len);
int evs_backend_emit_frame(struct evs_device *dev, const u8 *frame, u32 len,
			   u64 now_ns);

/* faults.c */
bool evs_fault_can_write(const struct evs_device *dev);
void evs_fault_header(struct evs_device *dev);
void evs_fault_bad_prod(struct evs_device *dev, u32 ring);
void evs_fault_corrupt(struct evs_device *dev, u32 ring,
		       enum evs_corrupt_field field);
void evs_fault_flood(struct evs_device *dev, bool on);
void evs_fault_stall(struct evs_device *dev, u32 ms);
void evs_fault_tx_stall(struct evs_device *dev, u32 ms);
void evs_fault_config_stall(struct evs_device *dev, u32 ms);
void evs_fault_link(struct evs_device *dev, bool up);
void evs_fault_error(struct evs_device *dev);

/* commands.c */
void evs_command_exec(void *dev, const char *line, struct evs_strbuf *reply);

/* stats_json.c */
void evs_stats_json(const struct evs_device *dev, struct evs_strbuf *b);

#endif /* _EVSTEER_DEVICE_H */
