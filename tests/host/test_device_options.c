// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evsteer-device options: the value parsers the command line shares
 * with the control socket (and evsteer-steer), whole command lines
 * with the defaults that depend on other options (--mem from the
 * geometry, frame lengths from the family), and the binary's --help
 * and usage errors.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "device_proc.h"
#include "options.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static void test_parse_u32(void)
{
	u32 v = 7;

	tap_ok(!evs_parse_u32("0", 0, 10, &v) && v == 0, "u32: 0");
	tap_ok(!evs_parse_u32("10", 0, 10, &v) && v == 10, "u32: upper limit");
	tap_ok(!evs_parse_u32("4294967295", 0, UINT32_MAX, &v) &&
	       v == UINT32_MAX, "u32: 2^32-1");
	v = 7;
	tap_ok(evs_parse_u32("11", 0, 10, &v) && v == 7,
	       "u32: above the limit refused, value untouched");
	tap_ok(evs_parse_u32("0", 1, 10, &v), "u32: below the limit refused");
	tap_ok(evs_parse_u32("4294967296", 0, UINT32_MAX, &v),
	       "u32: 2^32 refused");
	tap_ok(evs_parse_u32("-1", 0, 10, &v), "u32: sign refused");
	tap_ok(evs_parse_u32("+1", 0, 10, &v), "u32: plus refused");
	tap_ok(evs_parse_u32(" 1", 0, 10, &v), "u32: leading space refused");
	tap_ok(evs_parse_u32("1x", 0, 10, &v), "u32: trailing junk refused");
	tap_ok(evs_parse_u32("", 0, 10, &v), "u32: empty refused");
	tap_ok(evs_parse_u32("99999999999999999999999", 0, UINT32_MAX, &v),
	       "u32: overflow refused");
}

static void test_parse_size(void)
{
	static const struct {
		const char *s;
		u32 want;	/* 0: refused */
	} cases[] = {
		{ "4M", 4u << 20 }, { "4m", 4u << 20 }, { "64K", 64u << 10 },
		{ "1G", 1u << 30 }, { "1048576", 1u << 20 },
		{ "3M", 0 }, { "32K", 0 }, { "2G", 0 }, { "0", 0 },
		{ "M", 0 }, { "4MB", 0 }, { "-4M", 0 }, { "", 0 },
		{ "4T", 0 }, { "18446744073709551615K", 0 },
	};
	unsigned int i, ok = 0;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u32 v = 0;
		int r = evs_parse_size(cases[i].s, &v);
		bool good = r != 0;

		if (cases[i].want)
			good = !r && v == cases[i].want;
		if (good)
			ok++;
		else
			tap_diag("size '%s': r=%d v=%u", cases[i].s, r, v);
	}
	tap_eq(ok, ARRAY_SIZE(cases),
	       "sizes: powers of two 64K..1G with K/M/G, nothing else");
}

static void test_parse_skew_mix_mode(void)
{
	u32 mix[EVS_NUM_CODES] = { 9, 9, 9, 9 }, mode = 9;
	double d = -1;

	tap_ok(!evs_parse_skew("0", &d) && d == 0, "skew 0");
	tap_ok(!evs_parse_skew("1.25", &d) && d == 1.25, "skew 1.25");
	tap_ok(!evs_parse_skew("10", &d) && d == 10, "skew 10");
	tap_ok(evs_parse_skew("10.5", &d) && evs_parse_skew("-1", &d) &&
	       evs_parse_skew("nan", &d) && evs_parse_skew("inf", &d) &&
	       evs_parse_skew("1,5", &d) && evs_parse_skew("", &d) && d == 10,
	       "skew: out of range, nan, inf, junk refused");
	tap_ok(!evs_parse_mix("70,10,10,10", mix) && mix[0] == 70 &&
	       mix[1] == 10 && mix[2] == 10 && mix[3] == 10, "mix 70,10,10,10");
	tap_ok(!evs_parse_mix("0,0,0,1", mix) && mix[3] == 1 && mix[0] == 0,
	       "mix 0,0,0,1");
	tap_ok(evs_parse_mix("0,0,0,0", mix) && evs_parse_mix("1,2,3", mix) &&
	       evs_parse_mix("1,2,3,4,5", mix) && evs_parse_mix("1,,3,4", mix) &&
	       evs_parse_mix("a,b,c,d", mix) && evs_parse_mix("1,2,3,4,", mix) &&
	       evs_parse_mix("1000001,0,0,0", mix) && evs_parse_mix("", mix) &&
	       mix[3] == 1, "mix: all zero, wrong count, junk refused, unchanged");
	tap_ok(!evs_parse_mode("proc-code", &mode) && mode == EVS_MAP_PROC_CODE,
	       "mode proc-code");
	tap_ok(!evs_parse_mode("proc-ring", &mode) && mode == EVS_MAP_PROC_RING,
	       "mode proc-ring");
	tap_ok(evs_parse_mode("proc", &mode) && mode == EVS_MAP_PROC_RING,
	       "mode: unknown refused");
}

static void test_parse_addresses(void)
{
	u8 mac[6] = { 9, 9, 9, 9, 9, 9 }, ip4[4] = { 7, 7, 7, 7 }, ip6[16];
	u16 port = 7;

	tap_ok(!evs_parse_mac("02:45:56:53:00:02", mac) &&
	       !memcmp(mac, "\x02\x45\x56\x53\x00\x02", 6), "mac: lower case");
	tap_ok(!evs_parse_mac("0A:BC:DE:F0:12:34", mac) && mac[0] == 0x0a &&
	       mac[5] == 0x34, "mac: upper case");
	tap_ok(evs_parse_mac("01:00:5e:00:00:01", mac) &&
	       evs_parse_mac("ff:ff:ff:ff:ff:ff", mac) &&
	       evs_parse_mac("00:00:00:00:00:00", mac) && mac[0] == 0x0a,
	       "mac: multicast, broadcast and zero refused, value untouched");
	tap_ok(evs_parse_mac("02:45:56:53:00", mac) &&
	       evs_parse_mac("02:45:56:53:00:02:03", mac) &&
	       evs_parse_mac("02-45-56-53-00-02", mac) &&
	       evs_parse_mac("2:45:56:53:00:02:", mac) &&
	       evs_parse_mac("02:45:56:53:00:0g", mac) &&
	       evs_parse_mac("", mac), "mac: wrong shape or digits refused");
	tap_ok(!evs_parse_ip4("198.18.0.2", ip4) &&
	       !memcmp(ip4, "\xc6\x12\x00\x02", 4), "ip4: 198.18.0.2");
	tap_ok(evs_parse_ip4("256.1.1.1", ip4) && evs_parse_ip4("1.2.3", ip4) &&
	       evs_parse_ip4("1.2.3.4 ", ip4) && evs_parse_ip4("::1", ip4) &&
	       evs_parse_ip4("", ip4) && ip4[3] == 2, "ip4: junk refused");
	tap_ok(!evs_parse_src_ip4("10.1.2.0", ip4) && ip4[2] == 2 &&
	       evs_parse_src_ip4("10.1.2.1", ip4) && ip4[3] == 0,
	       "src ip4: a /24 network, last byte 0");
	tap_ok(!evs_parse_ip6("2001:db8::2", ip6) && ip6[0] == 0x20 &&
	       ip6[15] == 2 && evs_parse_ip6("2001:db8::g", ip6) &&
	       evs_parse_ip6("1.2.3.4", ip6) && ip6[15] == 2, "ip6: parsed, junk refused");
	tap_ok(!evs_parse_src_ip6("2001:db8:1::", ip6) && ip6[5] == 1 &&
	       evs_parse_src_ip6("2001:db8:1::1", ip6) &&
	       evs_parse_src_ip6("2001:db8:1::1:0", ip6) && ip6[15] == 0,
	       "src ip6: a /96 prefix, last 32 bits 0");
	tap_ok(!evs_parse_port("9999", &port) && port == 9999 &&
	       !evs_parse_port("65535", &port) && evs_parse_port("0", &port) &&
	       evs_parse_port("65536", &port) && port == 65535,
	       "port: 1..65535");
}

static void test_parse_frame_len(void)
{
	u32 lo = 1, hi = 1;

	tap_ok(!evs_parse_frame_len("128", &lo, &hi) && lo == 128 && hi == 128,
	       "frame-len N: fixed length");
	tap_ok(!evs_parse_frame_len("66-1514", &lo, &hi) && lo == 66 &&
	       hi == 1514, "frame-len 66-1514: the whole range");
	tap_ok(evs_parse_frame_len("65", &lo, &hi) &&
	       evs_parse_frame_len("1515", &lo, &hi) &&
	       evs_parse_frame_len("100-90", &lo, &hi) &&
	       evs_parse_frame_len("100-", &lo, &hi) &&
	       evs_parse_frame_len("-100", &lo, &hi) &&
	       evs_parse_frame_len("100-200-300", &lo, &hi) &&
	       evs_parse_frame_len("a-b", &lo, &hi) &&
	       evs_parse_frame_len("", &lo, &hi) && lo == 66 && hi == 1514,
	       "frame-len: out of range, reversed, junk refused, values untouched");
}

static void test_mem_for_geometry(void)
{
	tap_eq(evs_mem_for_geometry(4, 1024, 2048), 16u << 20,
	       "default geometry (4 x 1024 x 2048): 16M");
	tap_eq(evs_mem_for_geometry(1, 16, 2048), 128u << 10,
	       "1 x 16 x 2048: 128K");
	tap_eq(evs_mem_for_geometry(8, 4096, 16384), 1u << 30,
	       "8 x 4096 x 16384: 1G");
	tap_eq(evs_mem_for_geometry(63, 4096, 16384), 0,
	       "63 x 4096 x 16384: more than 1G, refused");
	tap_eq(evs_mem_for_geometry(4, 1024, 3000), 0, "bad buffer size: refused");
}

/* Parse a NULL-terminated command line; errors go to a buffer. */
static int parse(struct evs_options *o, const char *const *args, char *err,
		 size_t size)
{
	char *argv[64];
	int argc = 0, r;
	FILE *f = fmemopen(err, size, "w");

	argv[argc++] = "evsteer-device";
	while (*args)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	r = evs_options_parse(o, argc, argv, f);
	fclose(f);
	return r;
}

static void test_command_lines(void)
{
	static const char *const full[] = {
		"--socket", "/tmp/s", "--ctl", "/tmp/c", "--mem", "64M",
		"--rings", "8", "--ring-size", "256", "--rate", "0",
		"--flows", "100", "--zipf", "1.1", "--mix", "1,2,3,4",
		"--cost", "250", "--ipv6", "--seed", "42", "--mode",
		"proc-ring", "--bad-magic", "--bad-version",
		"--stats-interval", "500", "--duration", "3",
		"--no-exit-on-disconnect", "--buf-size", "4096",
		"--mac", "02:00:00:00:00:aa", "--peer-mac", "02:00:00:00:00:bb",
		"--src-ip", "10.1.2.0", "--dst-ip", "10.9.9.9",
		"--src-ip6", "fd00:1::", "--dst-ip6", "fd00::9",
		"--dst-port", "4789", "--frame-len", "100-200", NULL
	};
	static const char *const minimal[] = { "--socket", "/tmp/s", NULL };
	static const char *const v6[] = { "--socket", "/tmp/s", "--ipv6", NULL };
	static const char *const pcap[] = {
		"--socket", "/tmp/s", "--pcap", "f", "--pcap-rewrite",
		"--dst-ip", "10.0.0.1", "--dst-ip6", "fd00::1", "--mac",
		"02:00:00:00:00:01", NULL
	};
	struct evs_frame_addrs def;
	struct evs_options o;
	char err[512] = "";

	evs_frame_addrs_default(&def);
	tap_eq(parse(&o, full, err, sizeof(err)), EVS_OPTIONS_RUN,
	       "every option at once parses");
	tap_ok(!strcmp(o.socket_path, "/tmp/s") && !strcmp(o.ctl_path, "/tmp/c") &&
	       o.mem_size == 64u << 20 && o.num_rings == 8 &&
	       o.ring_size == 256 && o.rate == 0 && o.flows == 100 &&
	       o.skew == 1.1 && o.mix[0] == 1 && o.mix[3] == 4 &&
	       o.cost_ns == 250 && o.ipv6 && o.seed == 42 &&
	       o.map_mode == EVS_MAP_PROC_RING && o.bad_magic &&
	       o.bad_version && o.stats_interval_ms == 500 &&
	       o.duration_s == 3 && !o.exit_on_disconnect,
	       "... and every value lands");
	tap_ok(o.buf_size == 4096 && o.addrs.dst_mac[5] == 0xaa &&
	       o.addrs.src_mac[5] == 0xbb &&
	       !memcmp(o.addrs.src_ip4, "\x0a\x01\x02\x00", 4) &&
	       !memcmp(o.addrs.dst_ip4, "\x0a\x09\x09\x09", 4) &&
	       o.addrs.src_ip6[0] == 0xfd && o.addrs.src_ip6[3] == 1 &&
	       o.addrs.dst_ip6[15] == 9 && o.addrs.dst_port == 4789 &&
	       o.frame_min == 100 && o.frame_max == 200,
	       "... the frame options too");
	tap_eq(parse(&o, minimal, err, sizeof(err)), EVS_OPTIONS_RUN,
	       "--socket alone parses");
	tap_ok(o.num_rings == 4 &&
	       o.ring_size == 1024 && o.rate == 1000 && o.flows == 64 &&
	       o.skew == 0 && o.mix[0] == 100 && !o.mix[1] && !o.mix[2] &&
	       !o.mix[3] && !o.cost_ns && !o.ipv6 &&
	       o.map_mode == EVS_MAP_PROC_CODE && !o.ctl_path &&
	       !o.stats_interval_ms && !o.duration_s && o.exit_on_disconnect,
	       "defaults: 4 rings of 1024, 1000/s, 64 flows, uniform, data only, cost 0");
	tap_ok(o.mem_size == 16u << 20 && o.buf_size == 2048,
	       "defaults: 2048-byte buffers, --mem 16M from the geometry");
	tap_ok(!memcmp(&o.addrs, &def, sizeof(def)) && !o.pcap_rewrite,
	       "defaults: the addresses of evs_frame_addrs_default()");
	tap_ok(o.frame_min == 66 && o.frame_max == 1514,
	       "defaults: IPv4 frames of 66..1514 bytes");
	tap_eq(parse(&o, v6, err, sizeof(err)), EVS_OPTIONS_RUN, "--ipv6 parses");
	tap_ok(o.frame_min == 86 && o.frame_max == 1514,
	       "--ipv6: frames of 86..1514 bytes");
	tap_eq(parse(&o, pcap, err, sizeof(err)), EVS_OPTIONS_RUN,
	       "--pcap with --pcap-rewrite, --dst-ip, --dst-ip6 and --mac parses");
	tap_ok(o.pcap_rewrite && o.addrs.dst_ip4[3] == 1 &&
	       o.addrs.dst_ip6[15] == 1 && o.addrs.dst_mac[5] == 1,
	       "... and the rewrite targets land");
}

static void test_bad_command_lines(void)
{
	static const char *const bad[][10] = {
		{ NULL },
		{ "--rings", "4", NULL },
		{ "--socket", "s", "--rings", "0", NULL },
		{ "--socket", "s", "--rings", "64", NULL },
		{ "--socket", "s", "--ring-size", "1000", NULL },
		{ "--socket", "s", "--ring-size", "8", NULL },
		{ "--socket", "s", "--mem", "3M", NULL },
		{ "--socket", "s", "--rings", "63", "--ring-size", "65536", NULL },
		{ "--socket", "s", "--rate", "-1", NULL },
		{ "--socket", "s", "--rate", "10000001", NULL },
		{ "--socket", "s", "--flows", "0", NULL },
		{ "--socket", "s", "--zipf", "x", NULL },
		{ "--socket", "s", "--mix", "0,0,0,0", NULL },
		{ "--socket", "s", "--mode", "fast", NULL },
		{ "--socket", "s", "--cost", "1000000001", NULL },
		{ "--socket", "s", "--seed", "4294967296", NULL },
		{ "--socket", "s", "--bogus", NULL },
		{ "--socket", "s", "extra", NULL },
		{ "--socket", "s", "--rings", NULL },
		{ "--socket", "s", "--pcap", "f", "--flows", "3", NULL },
		{ "--socket", "s", "--pcap", "f", "--ipv6", NULL },
		{ "--socket", "s", "--ctl", "s", NULL },
		{ "--socket", "", NULL },
		{ "--socket", "s", "--mem", "4M", NULL },
		{ "--socket", "s", "--rings", "1", "--ring-size", "16",
		  "--mem", "64K", NULL },
		{ "--socket", "s", "--rings", "63", "--ring-size", "4096",
		  "--buf-size", "16384", NULL },
		{ "--socket", "s", "--buf-size", "1024", NULL },
		{ "--socket", "s", "--buf-size", "3000", NULL },
		{ "--socket", "s", "--buf-size", "32768", NULL },
		{ "--socket", "s", "--mac", "01:00:5e:00:00:01", NULL },
		{ "--socket", "s", "--mac", "02:45:56:53:00", NULL },
		{ "--socket", "s", "--peer-mac", "00:00:00:00:00:00", NULL },
		{ "--socket", "s", "--peer-mac", "02:45:56:53:00:02", NULL },
		{ "--socket", "s", "--src-ip", "198.18.1.5", NULL },
		{ "--socket", "s", "--dst-ip", "198.18.0.256", NULL },
		{ "--socket", "s", "--src-ip6", "2001:db8:1::7", NULL },
		{ "--socket", "s", "--dst-ip6", "2001:db8::zz", NULL },
		{ "--socket", "s", "--dst-port", "0", NULL },
		{ "--socket", "s", "--dst-port", "65536", NULL },
		{ "--socket", "s", "--frame-len", "65", NULL },
		{ "--socket", "s", "--frame-len", "1515", NULL },
		{ "--socket", "s", "--frame-len", "200-100", NULL },
		{ "--socket", "s", "--ipv6", "--frame-len", "70-80", NULL },
		{ "--socket", "s", "--pcap", "f", "--frame-len", "100", NULL },
		{ "--socket", "s", "--pcap", "f", "--src-ip", "10.0.0.0", NULL },
		{ "--socket", "s", "--pcap", "f", "--dst-port", "80", NULL },
		{ "--socket", "s", "--pcap", "f", "--dst-ip", "10.0.0.1", NULL },
		{ "--socket", "s", "--pcap-rewrite", NULL },
	};
	static const char *const small_mem[] = {
		"--socket", "s", "--mem", "4M", NULL
	};
	static const char *const short_v6[] = {
		"--socket", "s", "--ipv6", "--frame-len", "70-80", NULL
	};
	unsigned int i, refused = 0, explained = 0;
	struct evs_options o;
	char err[512];

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(err, 0, sizeof(err));
		if (parse(&o, bad[i], err, sizeof(err)) == EVS_OPTIONS_BAD)
			refused++;
		else
			tap_diag("bad command line %u accepted", i);
		explained += !!strstr(err, "error: ");
	}
	tap_eq(refused, ARRAY_SIZE(bad), "%zu bad command lines refused",
	       ARRAY_SIZE(bad));
	tap_eq(explained, ARRAY_SIZE(bad), "... each with an error message");
	memset(err, 0, sizeof(err));
	parse(&o, bad[2], err, sizeof(err));
	tap_ok(strstr(err, "--rings") && strstr(err, "'0'") &&
	       strstr(err, "1..63"), "the message names option, value and range");
	memset(err, 0, sizeof(err));
	parse(&o, small_mem, err, sizeof(err));
	tap_ok(strstr(err, "--mem is too small") && strstr(err, "16384K"),
	       "--mem 4M for the default geometry: too small, says what it needs");
	memset(err, 0, sizeof(err));
	parse(&o, short_v6, err, sizeof(err));
	tap_ok(strstr(err, "86 bytes") != NULL,
	       "--ipv6 --frame-len 70-80: says the IPv6 minimum");
}

/* The binary: --help exits 0 and documents every option. */
static void test_binary_help(void)
{
	static const char *const options[] = {
		"--socket", "--ctl", "--mem", "--rings", "--ring-size", "--rate",
		"--flows", "--zipf", "--mix", "--cost", "--ipv6", "--pcap",
		"--seed", "--mode", "--bad-magic", "--bad-version",
		"--stats-interval", "--duration", "--exit-on-disconnect",
		"--no-exit-on-disconnect", "--help", "--buf-size", "--mac",
		"--peer-mac", "--src-ip", "--dst-ip", "--src-ip6", "--dst-ip6",
		"--dst-port", "--frame-len", "--pcap-rewrite",
	};
	const char *dev = strdup(evs_tool_path("evsteer-device"));
	const char *const help[] = { dev, "--help", NULL };
	static char out[16384];
	unsigned int i, found = 0;
	int st = -1;

	tap_ok(!evs_run_tool(help, 5000, out, sizeof(out), &st) &&
	       WIFEXITED(st) && WEXITSTATUS(st) == 0, "--help exits 0");
	for (i = 0; i < ARRAY_SIZE(options); i++) {
		if (strstr(out, options[i]))
			found++;
		else
			tap_diag("--help does not mention %s", options[i]);
	}
	tap_eq(found, ARRAY_SIZE(options), "--help mentions all %zu options",
	       ARRAY_SIZE(options));
	free((void *)dev);
}

/* The binary: bad options exit 2 with a message, and create nothing. */
static void test_binary_usage_errors(void)
{
	const char *dev = strdup(evs_tool_path("evsteer-device"));
	const char *sock = "/tmp/evsteer-test-never.sock";
	const char *const cases[][6] = {
		{ dev, "--socket", sock, "--rings", "0", NULL },
		{ dev, "--socket", sock, "--frobnicate", NULL },
		{ dev, "--socket", sock, "--pcap", "/nonexistent.pcap", NULL },
		{ dev, "--socket", sock, "--mem", "1M", NULL },
		{ dev, "--socket", sock, "--buf-size", "4000", NULL },
		{ dev, NULL },
	};
	unsigned int i, ok = 0;
	char out[4096];

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int st = -1;

		if (!evs_run_tool(cases[i], 5000, out, sizeof(out), &st) &&
		    WIFEXITED(st) && WEXITSTATUS(st) == 2 &&
		    strstr(out, "evsteer-device"))
			ok++;
		else
			tap_diag("case %u: status %d, output '%s'", i, st, out);
	}
	tap_eq(ok, ARRAY_SIZE(cases),
	       "bad options, unreadable --pcap, small --mem, no --socket: exit 2 with a message");
	tap_ok(!evs_path_exists(sock), "... and no socket was created");
	free((void *)dev);
}

/* --stats-interval: JSON lines on stdout; --duration: a bounded run. */
static void test_binary_stats_and_duration(void)
{
	static const char *const args[] = {
		"--stats-interval", "100", "--duration", "1", "--rings", "2",
		NULL
	};
	unsigned int lines = 0, good = 0;
	struct evs_devproc p;
	char line[4096];
	int status = -1;
	FILE *f;

	if (!tap_ok(!evs_devproc_start(&p, args), "device starts"))
		return;
	tap_ok(!evs_devproc_wait(&p, 3000, &status) && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0, "--duration 1: exits by itself, status 0");
	tap_ok(!evs_path_exists(p.sock) && !evs_path_exists(p.ctl),
	       "--duration 1: sockets removed");
	f = fopen(p.out, "r");
	while (f && fgets(line, sizeof(line), f)) {
		lines++;
		good += line[0] == '{' && strstr(line, "}\n") &&
			strstr(line, "\"rings\":[{\"ring\":0,") &&
			strstr(line, "{\"ring\":2,") &&
			!strstr(line, "{\"ring\":3,") &&
			strstr(line, "\"vectors\":[{\"vector\":0,") &&
			strstr(line, "{\"vector\":2,");
	}
	if (f)
		fclose(f);
	tap_ok(lines >= 8 && lines <= 11,
	       "--stats-interval 100 for 1 s: %u lines on stdout", lines);
	tap_eq(good, lines,
	       "every line is one JSON object with 3 rings and 3 vectors");
	evs_devproc_cleanup(&p);
}

int main(void)
{
	alarm(30);
	test_parse_u32();
	test_parse_size();
	test_parse_skew_mix_mode();
	test_parse_addresses();
	test_parse_frame_len();
	test_mem_for_geometry();
	test_command_lines();
	test_bad_command_lines();
	test_binary_help();
	test_binary_usage_errors();
	test_binary_stats_and_duration();
	return tap_done();
}
