// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Command-line parsing of evsteer-device.  Every value goes through a
 * strict parser with explicit limits; anything odd is a usage error.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "options.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

#define EVS_SUN_PATH_MAX	(sizeof(((struct sockaddr_un *)0)->sun_path) - 1)

/**
 * evs_parse_u32() - parse a decimal integer within limits
 * @s:   text; digits only, no sign, no trailing characters
 * @min: smallest value accepted
 * @max: largest value accepted
 * @out: the value, written only on success
 *
 * Return: 0, or -1 if @s is not a number in [@min, @max].
 */
int evs_parse_u32(const char *s, u32 min, u32 max, u32 *out)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/**
 * evs_parse_size() - parse a shared-memory size such as 4M
 * @s:   a number with an optional K, M or G suffix (binary units)
 * @out: bytes; a power of two within EVS_OPT_MEM_MIN..EVS_OPT_MEM_MAX
 *
 * ivshmem exposes the memory as a BAR, and BARs are powers of two.
 */
int evs_parse_size(const char *s, u32 *out)
{
	unsigned long long v, mult = 1;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case 'K': case 'k':
		mult = 1ull << 10;
		end++;
		break;
	case 'M': case 'm':
		mult = 1ull << 20;
		end++;
		break;
	case 'G': case 'g':
		mult = 1ull << 30;
		end++;
		break;
	}
	if (*end || v > EVS_OPT_MEM_MAX / mult)
		return -1;
	v *= mult;
	if (v < EVS_OPT_MEM_MIN || !evs_is_pow2(v))
		return -1;
	*out = v;
	return 0;
}

/* A Zipf exponent: a finite decimal in 0..EVS_OPT_SKEW_MAX. */
int evs_parse_skew(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !(isdigit((unsigned char)s[0]) || s[0] == '.'))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v < 0 || v > EVS_OPT_SKEW_MAX)
		return -1;
	*out = v;
	return 0;
}

/* Four comma-separated weights D,L,E,C; at least one must be nonzero. */
int evs_parse_mix(const char *s, u32 mix[EVS_NUM_CODES])
{
	u32 w[EVS_NUM_CODES], sum = 0;
	char field[16];
	unsigned int i;

	for (i = 0; i < EVS_NUM_CODES; i++) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);

		if ((comma != NULL) != (i < EVS_NUM_CODES - 1) ||
		    n >= sizeof(field))
			return -1;
		memcpy(field, s, n);
		field[n] = '\0';
		if (evs_parse_u32(field, 0, EVS_OPT_WEIGHT_MAX, &w[i]))
			return -1;
		sum += w[i];
		s += n + 1;
	}
	if (!sum)
		return -1;
	memcpy(mix, w, sizeof(w));
	return 0;
}

int evs_parse_mode(const char *s, u32 *mode)
{
	if (!strcmp(s, "proc-code"))
		*mode = EVS_MAP_PROC_CODE;
	else if (!strcmp(s, "proc-ring"))
		*mode = EVS_MAP_PROC_RING;
	else
		return -1;
	return 0;
}

static const char *const evs_backend_names[EVS_NUM_BACKENDS] = {
	[EVS_BACKEND_GENERATOR] = "generator",
	[EVS_BACKEND_PCAP] = "pcap",
	[EVS_BACKEND_TAP] = "tap",
	[EVS_BACKEND_LOOPBACK] = "loopback",
};

int evs_parse_backend(const char *s, u32 *backend)
{
	u32 i;

	for (i = 0; i < EVS_NUM_BACKENDS; i++) {
		if (!strcmp(s, evs_backend_names[i])) {
			*backend = i;
			return 0;
		}
	}
	return -1;
}

const char *evs_backend_name(u32 backend)
{
	return backend < EVS_NUM_BACKENDS ? evs_backend_names[backend] : "?";
}

/*
 * An interface name the kernel would accept: 1..15 bytes, printable,
 * no '/', ':' or whitespace, not "." or "..".
 */
int evs_parse_ifname(const char *s, const char **out)
{
	size_t i, n = s ? strlen(s) : 0;

	if (!n || n > EVS_OPT_IFNAME_MAX || !strcmp(s, ".") ||
	    !strcmp(s, ".."))
		return -1;
	for (i = 0; i < n; i++)
		if (!isgraph((unsigned char)s[i]) || s[i] == '/' ||
		    s[i] == ':')
			return -1;
	*out = s;
	return 0;
}

/* The value of hex digit @c, or -1. */
int evs_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/**
 * evs_parse_mac() - parse a unicast MAC address
 * @s:   six colon-separated pairs of hex digits, e.g. 02:45:56:53:00:02
 * @mac: the address, written only on success
 *
 * Multicast and all-zero addresses are refused: frames are addressed
 * to the NIC and come from one peer, so both ends are unicast.
 *
 * Return: 0 or -1.
 */
int evs_parse_mac(const char *s, u8 mac[EVS_ETH_ALEN])
{
	u8 m[EVS_ETH_ALEN];
	unsigned int i;

	if (!s || strlen(s) != 3 * EVS_ETH_ALEN - 1)
		return -1;
	for (i = 0; i < EVS_ETH_ALEN; i++, s += 3) {
		int hi = evs_hexval(s[0]), lo = evs_hexval(s[1]);

		if (hi < 0 || lo < 0 || (i < EVS_ETH_ALEN - 1 && s[2] != ':'))
			return -1;
		m[i] = hi << 4 | lo;
	}
	if ((m[0] & 1) || !(m[0] | m[1] | m[2] | m[3] | m[4] | m[5]))
		return -1;
	memcpy(mac, m, sizeof(m));
	return 0;
}

/* A dotted-quad IPv4 address, in network order. */
int evs_parse_ip4(const char *s, u8 ip[4])
{
	u8 a[4];

	if (!s || inet_pton(AF_INET, s, a) != 1)
		return -1;
	memcpy(ip, a, sizeof(a));
	return 0;
}

/* An IPv6 address in any RFC 4291 text form, in network order. */
int evs_parse_ip6(const char *s, u8 ip[16])
{
	u8 a[16];

	if (!s || inet_pton(AF_INET6, s, a) != 1)
		return -1;
	memcpy(ip, a, sizeof(a));
	return 0;
}

/*
 * The IPv4 source network: flow f adds 1 + f % 254 to its last byte,
 * so that byte must be 0 for the flows to stay inside the /24.
 */
int evs_parse_src_ip4(const char *s, u8 ip[4])
{
	u8 a[4];

	if (evs_parse_ip4(s, a) || a[3])
		return -1;
	memcpy(ip, a, sizeof(a));
	return 0;
}

/* The IPv6 source prefix: flow f adds f + 1 to its (zero) last 32 bits. */
int evs_parse_src_ip6(const char *s, u8 ip[16])
{
	u8 a[16];

	if (evs_parse_ip6(s, a) || a[12] | a[13] | a[14] | a[15])
		return -1;
	memcpy(ip, a, sizeof(a));
	return 0;
}

int evs_parse_port(const char *s, u16 *port)
{
	u32 v;

	if (evs_parse_u32(s, 1, 65535, &v))
		return -1;
	*port = v;
	return 0;
}

/**
 * evs_parse_frame_len() - parse a frame length or a range of them
 * @s:   "N" or "MIN-MAX", bytes within EVS_FRAME_MIN_V4..EVS_FRAME_MAX
 * @min: shortest length, written only on success
 * @max: longest length, written only on success
 *
 * The IPv6 minimum is larger; evs_options_parse() checks it once it
 * knows the family.
 *
 * Return: 0 or -1.
 */
int evs_parse_frame_len(const char *s, u32 *min, u32 *max)
{
	const char *dash = s ? strchr(s, '-') : NULL;
	u32 lo, hi;
	char field[16];
	size_t n;

	if (!s)
		return -1;
	n = dash ? (size_t)(dash - s) : strlen(s);
	if (n >= sizeof(field))
		return -1;
	memcpy(field, s, n);
	field[n] = '\0';
	if (evs_parse_u32(field, EVS_FRAME_MIN_V4, EVS_FRAME_MAX, &lo))
		return -1;
	hi = lo;
	if (dash && (evs_parse_u32(dash + 1, EVS_FRAME_MIN_V4, EVS_FRAME_MAX,
				   &hi) || hi < lo))
		return -1;
	*min = lo;
	*max = hi;
	return 0;
}

/**
 * evs_mem_for_geometry() - the default --mem of a geometry
 * @num_rings: data rings
 * @ring_size: entries per ring
 * @buf_size:  bytes per receive buffer
 *
 * Return: the smallest power of two that holds the layout, at least
 * EVS_OPT_MEM_MIN; 0 if the geometry is invalid or needs more than
 * EVS_OPT_MEM_MAX.
 */
u32 evs_mem_for_geometry(u32 num_rings, u32 ring_size, u32 buf_size)
{
	struct evs_layout l;
	u32 mem = EVS_OPT_MEM_MIN;

	if (evs_layout_compute(num_rings, ring_size, buf_size, &l) ||
	    l.total_size > EVS_OPT_MEM_MAX)
		return 0;
	while (mem < l.total_size)
		mem <<= 1;
	return mem;
}

void evs_options_usage(FILE *f)
{
	fprintf(f,
"usage: evsteer-device --socket PATH [options]\n"
"\n"
"The userspace side of the evsteer device: an ivshmem server that QEMU's\n"
"ivshmem-doorbell connects to, and a traffic generator that sends Ethernet\n"
"frames into the shared-memory receive buffers, steers their entries into\n"
"the rings and raises MSI-X vectors.\n"
"\n"
"  --socket PATH          ivshmem server socket (required); start QEMU with\n"
"                         -chardev socket,path=PATH,id=ivsh\n"
"                         -device ivshmem-doorbell,chardev=ivsh,vectors=N+1\n"
"  --ctl PATH             control socket (line commands, see evsteer-ctl)\n"
"  --mem SIZE             shared memory, power of two, K/M/G suffix (default:\n"
"                         the smallest that holds rings x ring-size x buf-size,\n"
"                         at least 64K; 16M for the defaults)\n"
"  --rings N              data rings, 1..%u (default 4); ring and vector N are\n"
"                         the admin ones, so QEMU needs vectors=N+1\n"
"  --ring-size N          entries per ring, power of two %u..%u (default 1024)\n"
"  --buf-size N           receive buffer per entry, power of two %u..%u\n"
"                         (default %u)\n"
"  --mac MAC              the NIC's MAC, published in the header and the\n"
"                         destination of generated frames (default\n"
"                         02:45:56:53:00:02)\n"
"  --peer-mac MAC         source MAC of generated frames (default\n"
"                         02:45:56:53:00:01)\n"
"  --src-ip A.B.C.0       IPv4 source /24: flow f comes from .(1 + f %% 254)\n"
"                         (default 198.18.1.0)\n"
"  --dst-ip A.B.C.D       IPv4 destination (default 198.18.0.2)\n"
"  --src-ip6 PREFIX::     IPv6 source /96: flow f comes from PREFIX::(f + 1)\n"
"                         (default 2001:db8:1::)\n"
"  --dst-ip6 ADDR         IPv6 destination (default 2001:db8::2)\n"
"  --dst-port N           UDP destination port, 1..65535 (default 9999)\n"
"  --frame-len MIN-MAX|N  generated frame length in bytes, uniform in MIN..MAX\n"
"                         (default %u..%u, %u..%u with --ipv6: Ethernet, IP,\n"
"                         UDP and the EVSP header at least)\n"
"  --rate N               events per second, 0..%u, 0 = paused (default 1000)\n"
"  --flows N              synthetic flows, 1..%u (default 64)\n"
"  --zipf S               flow popularity skew, 0 = uniform (default 0)\n"
"  --mix D,L,E,C          weights of data, link, error, control events\n"
"                         (default 100,0,0,0)\n"
"  --cost NS              busy time written into each entry, a test knob\n"
"                         (default 0)\n"
"  --ipv6                 synthetic IPv6 frames instead of IPv4\n"
"  --pcap FILE            replay the frames of a pcap file (Ethernet, Linux\n"
"                         cooked or raw IP), byte for byte, in file order\n"
"                         (excludes --flows, --zipf, --ipv6, --frame-len,\n"
"                         --src-ip, --src-ip6 and --dst-port)\n"
"  --pcap-rewrite         with --pcap: send the frames to --mac and --dst-ip\n"
"                         or --dst-ip6, fixing the IPv4, TCP, UDP and ICMPv6\n"
"                         checksums\n"
"  --backend generator|pcap|tap|loopback  where received frames come from\n"
"                         and transmitted ones go (default generator; --pcap\n"
"                         implies pcap, --tap implies tap): generator and pcap\n"
"                         count and discard TX frames; tap reads RX frames\n"
"                         from a TAP interface and writes TX frames to it;\n"
"                         loopback sends every TX frame back as RX.  tap and\n"
"                         loopback generate nothing (no --rate, --flows, ...)\n"
"  --tap IFNAME           the existing TAP interface of --backend tap, in the\n"
"                         device's network namespace (ip tuntap add dev IFNAME\n"
"                         mode tap)\n"
"  --seed N               traffic seed (default 1)\n"
"  --mode proc-code|proc-ring  initial mapping mode (default proc-code)\n"
"  --bad-magic            corrupt the header magic (driver refusal test)\n"
"  --bad-version          corrupt the ABI version (driver refusal test)\n"
"  --stats-interval MS    print statistics as a JSON line every MS (default 0,\n"
"                         off)\n"
"  --duration S           exit after S seconds (default 0, run until SIGTERM)\n"
"  --exit-on-disconnect   exit when the QEMU client disconnects (default)\n"
"  --no-exit-on-disconnect  keep serving new clients instead\n"
"  --help                 this text\n"
"\n"
"Generated frames are UDP over IPv4 or IPv6 with correct checksums; the\n"
"payload starts with the EVSP header (flow id, per-flow sequence number,\n"
"device timestamp), so a receiver can check order and loss.\n"
"\n"
"The device is ivshmem peer 0: the guest rings it by writing 0 (peer 0,\n"
"vector 0) to the Doorbell register, after changing driver_ctrl or\n"
"config_gen or posting TX frames.  It produces and consumes TX only while\n"
"the driver sets EVS_CTRL_ENABLE, and checks config_gen and the TX queues\n"
"on every doorbell and generator tick (the TX queues also every 1 ms while\n"
"frames are pending).  The operator's pause stops RX only; TX keeps being\n"
"consumed.  Each new guest gets freshly formatted shared memory.\n"
"\n"
"Exit status: 0 on SIGTERM/SIGINT/quit/disconnect, 1 on a runtime failure,\n"
"2 on bad options.\n",
		EVS_MAX_RINGS - 1, EVS_RING_SIZE_MIN, EVS_RING_SIZE_MAX,
		EVS_BUF_SIZE_MIN, EVS_BUF_SIZE_MAX, EVS_OPT_BUF_SIZE,
		EVS_FRAME_MIN_V4, EVS_FRAME_MAX, EVS_FRAME_MIN_V6,
		EVS_FRAME_MAX, EVS_OPT_RATE_MAX, EVS_OPT_FLOWS_MAX);
}

enum {
	OPT_SOCKET = 256, OPT_CTL, OPT_MEM, OPT_RINGS, OPT_RING_SIZE,
	OPT_RATE, OPT_FLOWS, OPT_ZIPF, OPT_MIX, OPT_COST, OPT_IPV6, OPT_PCAP,
	OPT_SEED, OPT_MODE, OPT_BAD_MAGIC, OPT_BAD_VERSION,
	OPT_STATS_INTERVAL, OPT_DURATION, OPT_EXIT_ON_DISC,
	OPT_NO_EXIT_ON_DISC, OPT_BUF_SIZE, OPT_MAC, OPT_PEER_MAC, OPT_SRC_IP,
	OPT_DST_IP, OPT_SRC_IP6, OPT_DST_IP6, OPT_DST_PORT, OPT_FRAME_LEN,
	OPT_PCAP_REWRITE, OPT_BACKEND, OPT_TAP, OPT_HELP,
};

/* In enum order: the option's name is evs_long_options[opt - OPT_SOCKET]. */
static const struct option evs_long_options[] = {
	{ "socket",		required_argument, NULL, OPT_SOCKET },
	{ "ctl",		required_argument, NULL, OPT_CTL },
	{ "mem",		required_argument, NULL, OPT_MEM },
	{ "rings",		required_argument, NULL, OPT_RINGS },
	{ "ring-size",		required_argument, NULL, OPT_RING_SIZE },
	{ "rate",		required_argument, NULL, OPT_RATE },
	{ "flows",		required_argument, NULL, OPT_FLOWS },
	{ "zipf",		required_argument, NULL, OPT_ZIPF },
	{ "mix",		required_argument, NULL, OPT_MIX },
	{ "cost",		required_argument, NULL, OPT_COST },
	{ "ipv6",		no_argument,	   NULL, OPT_IPV6 },
	{ "pcap",		required_argument, NULL, OPT_PCAP },
	{ "seed",		required_argument, NULL, OPT_SEED },
	{ "mode",		required_argument, NULL, OPT_MODE },
	{ "bad-magic",		no_argument,	   NULL, OPT_BAD_MAGIC },
	{ "bad-version",	no_argument,	   NULL, OPT_BAD_VERSION },
	{ "stats-interval",	required_argument, NULL, OPT_STATS_INTERVAL },
	{ "duration",		required_argument, NULL, OPT_DURATION },
	{ "exit-on-disconnect",	no_argument,	   NULL, OPT_EXIT_ON_DISC },
	{ "no-exit-on-disconnect", no_argument,	   NULL, OPT_NO_EXIT_ON_DISC },
	{ "buf-size",		required_argument, NULL, OPT_BUF_SIZE },
	{ "mac",		required_argument, NULL, OPT_MAC },
	{ "peer-mac",		required_argument, NULL, OPT_PEER_MAC },
	{ "src-ip",		required_argument, NULL, OPT_SRC_IP },
	{ "dst-ip",		required_argument, NULL, OPT_DST_IP },
	{ "src-ip6",		required_argument, NULL, OPT_SRC_IP6 },
	{ "dst-ip6",		required_argument, NULL, OPT_DST_IP6 },
	{ "dst-port",		required_argument, NULL, OPT_DST_PORT },
	{ "frame-len",		required_argument, NULL, OPT_FRAME_LEN },
	{ "pcap-rewrite",	no_argument,	   NULL, OPT_PCAP_REWRITE },
	{ "backend",		required_argument, NULL, OPT_BACKEND },
	{ "tap",		required_argument, NULL, OPT_TAP },
	{ "help",		no_argument,	   NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};
static_assert(ARRAY_SIZE(evs_long_options) == OPT_HELP - OPT_SOCKET + 2,
	      "one entry per option, and the terminator");

static void evs_options_defaults(struct evs_options *o)
{
	memset(o, 0, sizeof(*o));
	o->num_rings = 4;
	o->ring_size = 1024;
	o->buf_size = EVS_OPT_BUF_SIZE;
	evs_frame_addrs_default(&o->addrs);
	o->rate = 1000;
	o->flows = 64;
	o->mix[EVS_EV_DATA] = 100;
	o->seed = 1;
	o->map_mode = EVS_MAP_PROC_CODE;
	o->exit_on_disconnect = true;
}

static int evs_parse_path(const char *s, const char **out)
{
	if (!*s || strlen(s) > EVS_SUN_PATH_MAX)
		return -1;
	*out = s;
	return 0;
}

/* The options of the frames: buffers, addresses, lengths. */
static const char *evs_options_apply_frame(struct evs_options *o, int opt,
					   const char *arg)
{
	struct evs_frame_addrs *a = &o->addrs;

	switch (opt) {
	case OPT_BUF_SIZE:
		return evs_parse_u32(arg, EVS_BUF_SIZE_MIN, EVS_BUF_SIZE_MAX,
				     &o->buf_size) || !evs_is_pow2(o->buf_size) ?
		       "a power of two 2048..16384" : NULL;
	case OPT_MAC:
		return evs_parse_mac(arg, a->dst_mac) ?
		       "a unicast MAC address such as 02:45:56:53:00:02" : NULL;
	case OPT_PEER_MAC:
		return evs_parse_mac(arg, a->src_mac) ?
		       "a unicast MAC address such as 02:45:56:53:00:01" : NULL;
	case OPT_SRC_IP:
		return evs_parse_src_ip4(arg, a->src_ip4) ?
		       "an IPv4 /24 network with last byte 0, such as 198.18.1.0" :
		       NULL;
	case OPT_DST_IP:
		return evs_parse_ip4(arg, a->dst_ip4) ?
		       "an IPv4 address such as 198.18.0.2" : NULL;
	case OPT_SRC_IP6:
		return evs_parse_src_ip6(arg, a->src_ip6) ?
		       "an IPv6 /96 prefix with the last 32 bits 0, such as 2001:db8:1::" :
		       NULL;
	case OPT_DST_IP6:
		return evs_parse_ip6(arg, a->dst_ip6) ?
		       "an IPv6 address such as 2001:db8::2" : NULL;
	case OPT_DST_PORT:
		return evs_parse_port(arg, &a->dst_port) ?
		       "a port 1..65535" : NULL;
	case OPT_FRAME_LEN:
		return evs_parse_frame_len(arg, &o->frame_min, &o->frame_max) ?
		       "a length or MIN-MAX within 66..1514 bytes" : NULL;
	}
	return NULL;
}

/* Apply one option; return a description of what was expected on error. */
static const char *evs_options_apply(struct evs_options *o, int opt,
				     const char *arg)
{
	switch (opt) {
	case OPT_SOCKET:
		return evs_parse_path(arg, &o->socket_path) ?
		       "a socket path of at most 107 bytes" : NULL;
	case OPT_CTL:
		return evs_parse_path(arg, &o->ctl_path) ?
		       "a socket path of at most 107 bytes" : NULL;
	case OPT_MEM:
		return evs_parse_size(arg, &o->mem_size) ?
		       "a power of two from 64K to 1G, e.g. 4M" : NULL;
	case OPT_RINGS:
		return evs_parse_u32(arg, 1, EVS_MAX_RINGS - 1, &o->num_rings) ?
		       "an integer 1..63" : NULL;
	case OPT_RING_SIZE:
		return evs_parse_u32(arg, EVS_RING_SIZE_MIN, EVS_RING_SIZE_MAX,
				     &o->ring_size) || !evs_is_pow2(o->ring_size) ?
		       "a power of two 16..65536" : NULL;
	case OPT_RATE:
		return evs_parse_u32(arg, 0, EVS_OPT_RATE_MAX, &o->rate) ?
		       "an integer 0..10000000" : NULL;
	case OPT_FLOWS:
		return evs_parse_u32(arg, 1, EVS_OPT_FLOWS_MAX, &o->flows) ?
		       "an integer 1..1048576" : NULL;
	case OPT_ZIPF:
		return evs_parse_skew(arg, &o->skew) ?
		       "a number 0..10" : NULL;
	case OPT_MIX:
		return evs_parse_mix(arg, o->mix) ?
		       "four weights D,L,E,C of 0..1000000, not all zero" : NULL;
	case OPT_COST:
		return evs_parse_u32(arg, 0, EVS_OPT_COST_MAX, &o->cost_ns) ?
		       "nanoseconds 0..1000000000" : NULL;
	case OPT_PCAP:
		o->pcap_path = arg;
		return *arg ? NULL : "a pcap file";
	case OPT_SEED:
		return evs_parse_u32(arg, 0, UINT32_MAX, &o->seed) ?
		       "an integer 0..4294967295" : NULL;
	case OPT_MODE:
		return evs_parse_mode(arg, &o->map_mode) ?
		       "proc-code or proc-ring" : NULL;
	case OPT_STATS_INTERVAL:
		return evs_parse_u32(arg, 0, EVS_OPT_INTERVAL_MAX,
				     &o->stats_interval_ms) ?
		       "milliseconds 0..3600000" : NULL;
	case OPT_DURATION:
		return evs_parse_u32(arg, 0, EVS_OPT_DURATION_MAX,
				     &o->duration_s) ?
		       "seconds 0..604800" : NULL;
	case OPT_BACKEND:
		return evs_parse_backend(arg, &o->backend) ?
		       "generator, pcap, tap or loopback" : NULL;
	case OPT_TAP:
		return evs_parse_ifname(arg, &o->tap_name) ?
		       "an interface name of 1..15 bytes" : NULL;
	}
	return evs_options_apply_frame(o, opt, arg);
}

static int evs_options_flag(struct evs_options *o, int opt)
{
	switch (opt) {
	case OPT_IPV6:
		o->ipv6 = true;
		return 1;
	case OPT_BAD_MAGIC:
		o->bad_magic = true;
		return 1;
	case OPT_BAD_VERSION:
		o->bad_version = true;
		return 1;
	case OPT_EXIT_ON_DISC:
		o->exit_on_disconnect = true;
		return 1;
	case OPT_NO_EXIT_ON_DISC:
		o->exit_on_disconnect = false;
		return 1;
	case OPT_PCAP_REWRITE:
		o->pcap_rewrite = true;
		return 1;
	}
	return 0;
}

#define SEEN(opt)	(seen[(opt) - OPT_SOCKET])

/* What --pcap excludes, and what only --pcap-rewrite gives a meaning. */
static const char *evs_options_check_pcap(const struct evs_options *o,
					  const bool *seen)
{
	if (!o->pcap_path)
		return o->pcap_rewrite ? "--pcap-rewrite needs --pcap" : NULL;
	if (SEEN(OPT_FLOWS) || SEEN(OPT_ZIPF) || SEEN(OPT_IPV6) ||
	    SEEN(OPT_FRAME_LEN) || SEEN(OPT_SRC_IP) || SEEN(OPT_SRC_IP6) ||
	    SEEN(OPT_DST_PORT))
		return "--pcap replays the file's frames: drop --flows, --zipf, --ipv6, --frame-len, --src-ip, --src-ip6 and --dst-port";
	if (!o->pcap_rewrite && (SEEN(OPT_DST_IP) || SEEN(OPT_DST_IP6)))
		return "--dst-ip and --dst-ip6 change replayed frames only with --pcap-rewrite";
	return NULL;
}

/*
 * --pcap implies the pcap backend and --tap the tap one; the tap and
 * loopback backends generate nothing, so the generator's options have
 * no meaning there.
 */
static const char *evs_options_check_backend(struct evs_options *o,
					     const bool *seen)
{
	u32 implied = o->pcap_path ? EVS_BACKEND_PCAP :
		      o->tap_name ? EVS_BACKEND_TAP : EVS_BACKEND_GENERATOR;

	if (o->pcap_path && o->tap_name)
		return "--pcap and --tap exclude each other";
	if (!SEEN(OPT_BACKEND))
		o->backend = implied;
	if (o->backend == EVS_BACKEND_PCAP && !o->pcap_path)
		return "--backend pcap needs --pcap FILE";
	if (o->backend == EVS_BACKEND_TAP && !o->tap_name)
		return "--backend tap needs --tap IFNAME";
	if ((o->pcap_path || o->tap_name) && o->backend != implied)
		return o->pcap_path ? "--pcap needs --backend pcap" :
		       "--tap needs --backend tap";
	if (o->backend != EVS_BACKEND_TAP &&
	    o->backend != EVS_BACKEND_LOOPBACK)
		return NULL;
	if (SEEN(OPT_RATE) || SEEN(OPT_FLOWS) || SEEN(OPT_ZIPF) ||
	    SEEN(OPT_MIX) || SEEN(OPT_IPV6) || SEEN(OPT_FRAME_LEN) ||
	    SEEN(OPT_SRC_IP) || SEEN(OPT_SRC_IP6) || SEEN(OPT_DST_PORT) ||
	    SEEN(OPT_DST_IP) || SEEN(OPT_DST_IP6))
		return "--backend tap and loopback generate no traffic: drop --rate, --flows, --zipf, --mix, --ipv6, --frame-len, --src-ip, --src-ip6, --dst-ip, --dst-ip6 and --dst-port";
	o->rate = 0;
	return NULL;
}

/* Resolve the default frame lengths; the family sets the minimum. */
static const char *evs_options_check_frames(struct evs_options *o)
{
	u32 min = evs_frame_min_len(o->ipv6);

	if (!memcmp(o->addrs.dst_mac, o->addrs.src_mac, EVS_ETH_ALEN))
		return "--mac and --peer-mac must differ";
	if (!o->frame_min) {
		o->frame_min = min;
		o->frame_max = EVS_FRAME_MAX;
	}
	if (o->frame_min < min)
		return o->ipv6 ?
		       "--frame-len: IPv6 frames need at least 86 bytes (Ethernet, IPv6, UDP, EVSP)" :
		       "--frame-len: IPv4 frames need at least 66 bytes (Ethernet, IPv4, UDP, EVSP)";
	return NULL;
}

/* --mem from the geometry, or a given --mem that must hold it. */
static const char *evs_options_check_mem(struct evs_options *o,
					 const bool *seen)
{
	u32 need = evs_mem_for_geometry(o->num_rings, o->ring_size,
					o->buf_size);
	static char why[96];

	if (!need)
		return "--rings x --ring-size x --buf-size needs more than 1G of memory";
	if (!SEEN(OPT_MEM)) {
		o->mem_size = need;
		return NULL;
	}
	if (o->mem_size >= need)
		return NULL;
	snprintf(why, sizeof(why),
		 "--mem is too small for --rings x --ring-size x --buf-size (needs %uK)",
		 need >> 10);
	return why;
}

/*
 * Options that make no sense together, or a missing required one; also
 * fills in the defaults that depend on other options.
 */
static const char *evs_options_check(struct evs_options *o, const bool *seen)
{
	const char *why;

	if (!o->socket_path)
		return "--socket is required";
	why = evs_options_check_pcap(o, seen);
	if (why)
		return why;
	why = evs_options_check_backend(o, seen);
	if (why)
		return why;
	if (o->ctl_path && !strcmp(o->ctl_path, o->socket_path))
		return "--ctl and --socket must differ";
	why = evs_options_check_frames(o);
	if (why)
		return why;
	return evs_options_check_mem(o, seen);
}

/**
 * evs_options_parse() - parse the command line
 * @o:    filled with defaults, then the options
 * @argc: argument count
 * @argv: arguments
 * @err:  where usage errors go
 *
 * Return: enum evs_options_result.
 */
int evs_options_parse(struct evs_options *o, int argc, char **argv,
		      FILE *err)
{
	bool seen[OPT_HELP - OPT_SOCKET + 1] = { false };
	const char *why;
	int opt;

	evs_options_defaults(o);
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", evs_long_options,
				  NULL)) != -1) {
		if (opt == OPT_HELP) {
			evs_options_usage(stdout);
			return EVS_OPTIONS_HELP;
		}
		if (opt < OPT_SOCKET) {
			fprintf(err, "evsteer-device: error: unknown option or missing value: '%s'\n",
				argv[optind - 1]);
			goto usage;
		}
		seen[opt - OPT_SOCKET] = true;
		if (evs_options_flag(o, opt))
			continue;
		why = evs_options_apply(o, opt, optarg);
		if (why) {
			fprintf(err, "evsteer-device: error: --%s: expected %s, got '%s'\n",
				evs_long_options[opt - OPT_SOCKET].name, why,
				optarg);
			goto usage;
		}
	}
	if (optind < argc) {
		fprintf(err, "evsteer-device: error: unexpected argument '%s'\n",
			argv[optind]);
		goto usage;
	}
	why = evs_options_check(o, seen);
	if (why) {
		fprintf(err, "evsteer-device: error: %s\n", why);
		goto usage;
	}
	return EVS_OPTIONS_RUN;

usage:
	fprintf(err, "Try 'evsteer-device --help'.\n");
	return EVS_OPTIONS_BAD;
}
