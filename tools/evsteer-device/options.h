/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Command-line options of evsteer-device, and the value parsers that
 * the control socket shares with them, so a value is accepted or
 * refused the same way wherever it comes from.
 */
#ifndef _EVSTEER_DEVICE_OPTIONS_H
#define _EVSTEER_DEVICE_OPTIONS_H

#include <stdio.h>
#include <evsteer/abi.h>
#include <evsteer/frame.h>

/* Limits of the tunables; the control socket enforces the same ones. */
#define EVS_OPT_RATE_MAX	10000000u	/* events per second */
#define EVS_OPT_FLOWS_MAX	(1u << 20)
#define EVS_OPT_SKEW_MAX	10.0
#define EVS_OPT_WEIGHT_MAX	1000000u	/* one --mix weight */
#define EVS_OPT_COST_MAX	1000000000u	/* ns: one second */
#define EVS_OPT_MEM_MIN		(64u << 10)
#define EVS_OPT_MEM_MAX		(1u << 30)
#define EVS_OPT_INTERVAL_MAX	3600000u	/* ms */
#define EVS_OPT_DURATION_MAX	(7u * 24 * 3600)	/* s */
#define EVS_OPT_STALL_MAX	60000u		/* ms */
#define EVS_OPT_BUF_SIZE	2048u		/* default --buf-size */
#define EVS_OPT_IFNAME_MAX	15		/* IFNAMSIZ - 1 */

/* Where received frames come from and transmitted ones go (--backend). */
enum evs_backend {
	EVS_BACKEND_GENERATOR,	/* synthetic RX; TX counted and discarded */
	EVS_BACKEND_PCAP,	/* RX replayed from --pcap; TX discarded */
	EVS_BACKEND_TAP,	/* RX read from --tap, TX written to it */
	EVS_BACKEND_LOOPBACK,	/* TX frames come back as RX */
	EVS_NUM_BACKENDS,
};

/**
 * struct evs_options - everything the command line sets
 * @socket_path: ivshmem server socket
 * @ctl_path:    control socket, or NULL
 * @pcap_path:   pcap file to replay, or NULL
 * @pcap_rewrite: rewrite the replayed frames' destination MAC and IP
 * @backend:     enum evs_backend
 * @tap_name:    TAP interface of the tap backend, or NULL
 * @mem_size:    shared memory bytes, a power of two (from the geometry
 *               unless --mem gives it)
 * @num_rings:   data rings (the admin ring comes on top)
 * @ring_size:   entries per ring
 * @buf_size:    bytes per receive buffer, a power of two
 * @addrs:       addresses of generated frames: dst_mac is the NIC's MAC
 *               (published in the header), src_mac the peer's
 * @frame_min:   shortest generated frame, bytes
 * @frame_max:   longest generated frame, bytes
 * @rate:        events per second, 0 = paused
 * @flows:       synthetic flows
 * @skew:        Zipf exponent of flow popularity, 0 = uniform
 * @mix:         weights of the event codes, indexed by enum evs_event_code
 * @cost_ns:     per-event processing cost written into entries
 * @ipv6:        synthetic IPv6 tuples
 * @seed:        traffic seed
 * @map_mode:    enum evs_map_mode of the initial configuration
 * @bad_magic:   corrupt the header magic after formatting
 * @bad_version: corrupt the ABI version after formatting
 * @stats_interval_ms: period of the JSON statistics lines, 0 = off
 * @duration_s:  run time, 0 = until a signal
 * @exit_on_disconnect: exit when the QEMU client goes away
 */
struct evs_options {
	const char *socket_path;
	const char *ctl_path;
	const char *pcap_path;
	bool pcap_rewrite;
	u32 backend;
	const char *tap_name;
	u32 mem_size;
	u32 num_rings;
	u32 ring_size;
	u32 buf_size;
	struct evs_frame_addrs addrs;
	u32 frame_min;
	u32 frame_max;
	u32 rate;
	u32 flows;
	double skew;
	u32 mix[EVS_NUM_CODES];
	u32 cost_ns;
	bool ipv6;
	u32 seed;
	u32 map_mode;
	bool bad_magic;
	bool bad_version;
	u32 stats_interval_ms;
	u32 duration_s;
	bool exit_on_disconnect;
};

enum evs_options_result {
	EVS_OPTIONS_RUN,	/* parsed, start the device */
	EVS_OPTIONS_HELP,	/* --help was printed, exit 0 */
	EVS_OPTIONS_BAD,	/* an error was printed, exit 2 */
};

int evs_options_parse(struct evs_options *o, int argc, char **argv,
		      FILE *err);
void evs_options_usage(FILE *f);

int evs_parse_u32(const char *s, u32 min, u32 max, u32 *out);
int evs_parse_size(const char *s, u32 *out);
int evs_parse_skew(const char *s, double *out);
int evs_parse_mix(const char *s, u32 mix[EVS_NUM_CODES]);
int evs_parse_mode(const char *s, u32 *mode);
int evs_parse_backend(const char *s, u32 *backend);
const char *evs_backend_name(u32 backend);
int evs_parse_ifname(const char *s, const char **out);
int evs_hexval(int c);
int evs_parse_mac(const char *s, u8 mac[EVS_ETH_ALEN]);
int evs_parse_ip4(const char *s, u8 ip[4]);
int evs_parse_ip6(const char *s, u8 ip[16]);
int evs_parse_src_ip4(const char *s, u8 ip[4]);
int evs_parse_src_ip6(const char *s, u8 ip[16]);
int evs_parse_port(const char *s, u16 *port);
int evs_parse_frame_len(const char *s, u32 *min, u32 *max);
u32 evs_mem_for_geometry(u32 num_rings, u32 ring_size, u32 buf_size);

#endif /* _EVSTEER_DEVICE_OPTIONS_H */
