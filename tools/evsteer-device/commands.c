// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Commands of the control socket.  Each is checked completely before
 * it changes anything, so a refused command leaves the device as it
 * was.  A handler returns 0 and appends what follows "ok", or returns
 * -1 and appends what follows "error: ".
 */
#include <ctype.h>
#include <string.h>

#include "device.h"

#define EVS_CMD_MAX_ARGS	4	/* words after the command name */

/**
 * struct evs_command - one command (or one "inject" kind)
 * @name:  first word
 * @usage: its arguments, for error messages
 * @min:   fewest arguments it takes
 * @max:   most arguments it takes
 * @run:   handler; @argv holds the arguments, NULL-terminated
 */
struct evs_command {
	const char *name;
	const char *usage;
	int min;
	int max;
	int (*run)(struct evs_device *dev, char **argv,
		   struct evs_strbuf *out);
};

static void evs_list_names(const struct evs_command *table,
			   struct evs_strbuf *out)
{
	const struct evs_command *c;

	for (c = table; c->name; c++)
		evs_strbuf_printf(out, "%s%s", c == table ? "" : ", ", c->name);
}

/* Find argv[0] in @table, check the argument count, run it. */
static int evs_dispatch(struct evs_device *dev, const char *prefix,
			const struct evs_command *table, int argc,
			char **argv, struct evs_strbuf *out)
{
	const struct evs_command *c;

	if (argc < 1) {
		evs_strbuf_printf(out, "usage: %s<", prefix);
		evs_list_names(table, out);
		evs_strbuf_printf(out, ">");
		return -1;
	}
	for (c = table; c->name && strcmp(c->name, argv[0]); c++)
		;
	if (!c->name) {
		evs_strbuf_printf(out, "unknown command '%s%s' (known: ",
				  prefix, argv[0]);
		evs_list_names(table, out);
		evs_strbuf_printf(out, ")");
		return -1;
	}
	if (argc - 1 < c->min || argc - 1 > c->max) {
		evs_strbuf_printf(out, "usage: %s%s%s%s", prefix, c->name,
				  *c->usage ? " " : "", c->usage);
		return -1;
	}
	return c->run(dev, argv + 1, out);
}

static int evs_cmd_rate(struct evs_device *dev, char **argv,
			struct evs_strbuf *out)
{
	u32 rate;

	if (!evs_backend_generates(dev)) {
		evs_strbuf_printf(out, "the %s backend generates no traffic",
				  evs_backend_name(dev->opt.backend));
		return -1;
	}
	if (evs_parse_u32(argv[0], 0, EVS_OPT_RATE_MAX, &rate)) {
		evs_strbuf_printf(out, "rate must be an integer 0..%u",
				  EVS_OPT_RATE_MAX);
		return -1;
	}
	dev->opt.rate = rate;
	evs_traffic_restart(dev);
	evs_strbuf_printf(out, "rate %u", rate);
	return 0;
}

static int evs_cmd_set_flows(struct evs_device *dev, u32 flows, double skew,
			     struct evs_strbuf *out)
{
	if (dev->gen.pcap) {
		evs_strbuf_printf(out, "flows come from the pcap file");
		return -1;
	}
	if (evs_gen_set_flows(&dev->gen, flows, skew)) {
		evs_strbuf_printf(out, "out of memory");
		return -1;
	}
	dev->opt.flows = flows;
	dev->opt.skew = skew;
	evs_strbuf_printf(out, "flows %u skew %g", flows, skew);
	return 0;
}

static int evs_cmd_flows(struct evs_device *dev, char **argv,
			 struct evs_strbuf *out)
{
	u32 flows;

	if (evs_parse_u32(argv[0], 1, EVS_OPT_FLOWS_MAX, &flows)) {
		evs_strbuf_printf(out, "flows must be an integer 1..%u",
				  EVS_OPT_FLOWS_MAX);
		return -1;
	}
	return evs_cmd_set_flows(dev, flows, dev->opt.skew, out);
}

static int evs_cmd_skew(struct evs_device *dev, char **argv,
			struct evs_strbuf *out)
{
	double skew;

	if (evs_parse_skew(argv[0], &skew)) {
		evs_strbuf_printf(out, "skew must be a number 0..%g",
				  EVS_OPT_SKEW_MAX);
		return -1;
	}
	return evs_cmd_set_flows(dev, dev->opt.flows, skew, out);
}

static int evs_cmd_mix(struct evs_device *dev, char **argv,
		       struct evs_strbuf *out)
{
	u32 mix[EVS_NUM_CODES];

	if (evs_parse_mix(argv[0], mix)) {
		evs_strbuf_printf(out, "mix must be D,L,E,C weights 0..%u, not all zero",
				  EVS_OPT_WEIGHT_MAX);
		return -1;
	}
	memcpy(dev->opt.mix, mix, sizeof(mix));
	evs_gen_set_mix(&dev->gen, mix);
	evs_strbuf_printf(out, "mix %u,%u,%u,%u", mix[0], mix[1], mix[2],
			  mix[3]);
	return 0;
}

static int evs_cmd_cost(struct evs_device *dev, char **argv,
			struct evs_strbuf *out)
{
	u32 cost;

	if (evs_parse_u32(argv[0], 0, EVS_OPT_COST_MAX, &cost)) {
		evs_strbuf_printf(out, "cost must be nanoseconds 0..%u",
				  EVS_OPT_COST_MAX);
		return -1;
	}
	dev->opt.cost_ns = cost;
	dev->gen.cost_ns = cost;
	evs_strbuf_printf(out, "cost %u", cost);
	return 0;
}

static int evs_cmd_pause(struct evs_device *dev, char **argv,
			 struct evs_strbuf *out)
{
	(void)argv;
	dev->paused = true;
	evs_strbuf_printf(out, "paused");
	return 0;
}

static int evs_cmd_resume(struct evs_device *dev, char **argv,
			  struct evs_strbuf *out)
{
	(void)argv;
	dev->paused = false;
	evs_strbuf_printf(out, "resumed");
	return 0;
}

static int evs_cmd_stats(struct evs_device *dev, char **argv,
			 struct evs_strbuf *out)
{
	(void)argv;
	evs_stats_json(dev, out);
	return 0;
}

static int evs_cmd_quit(struct evs_device *dev, char **argv,
			struct evs_strbuf *out)
{
	(void)argv;
	dev->quit = true;
	evs_strbuf_printf(out, "bye");
	return 0;
}

/* ---- inject ------------------------------------------------------- */

static int evs_parse_ring(struct evs_device *dev, const char *s, u32 *ring,
			  struct evs_strbuf *out)
{
	if (!evs_parse_u32(s, 0, dev->prod.total_rings - 1, ring))
		return 0;
	evs_strbuf_printf(out, "ring must be 0..%u", dev->prod.total_rings - 1);
	return -1;
}

static int evs_parse_onoff(const char *s, const char *on, const char *off,
			   bool *val, struct evs_strbuf *out)
{
	if (!strcmp(s, on) || !strcmp(s, off)) {
		*val = !strcmp(s, on);
		return 0;
	}
	evs_strbuf_printf(out, "expected %s or %s, got '%s'", on, off, s);
	return -1;
}

static int evs_need_driver(struct evs_device *dev, struct evs_strbuf *out)
{
	if (evs_fault_can_write(dev))
		return 0;
	evs_strbuf_printf(out, "no guest driver has enabled the device");
	return -1;
}

static int evs_inj_bad_prod(struct evs_device *dev, char **argv,
			    struct evs_strbuf *out)
{
	u32 ring;

	if (evs_parse_ring(dev, argv[0], &ring, out) ||
	    evs_need_driver(dev, out))
		return -1;
	evs_fault_bad_prod(dev, ring);
	evs_strbuf_printf(out, "injected bad-prod ring %u", ring);
	return 0;
}

static int evs_inj_corrupt(struct evs_device *dev, char **argv,
			   struct evs_strbuf *out)
{
	static const char *const fields[] = {
		[EVS_CORRUPT_FIELD_CODE] = "code",
		[EVS_CORRUPT_FIELD_LEN] = "len",
		[EVS_CORRUPT_FIELD_RING] = "ring",
		[EVS_CORRUPT_FIELD_RUNT] = "runt",
	};
	unsigned int f;
	u32 ring;

	if (evs_parse_ring(dev, argv[0], &ring, out))
		return -1;
	for (f = 0; f < ARRAY_SIZE(fields); f++)
		if (!strcmp(argv[1], fields[f]))
			break;
	if (f == ARRAY_SIZE(fields)) {
		evs_strbuf_printf(out, "field must be code, len, ring or runt");
		return -1;
	}
	if (evs_need_driver(dev, out))
		return -1;
	evs_fault_corrupt(dev, ring, f);
	evs_strbuf_printf(out, "injected corrupt %s ring %u", fields[f], ring);
	return 0;
}

static int evs_inj_flood(struct evs_device *dev, char **argv,
			 struct evs_strbuf *out)
{
	bool on;

	if (evs_parse_onoff(argv[0], "on", "off", &on, out))
		return -1;
	evs_fault_flood(dev, on);
	evs_strbuf_printf(out, "flood %s", on ? "on" : "off");
	return 0;
}

/* The MS of a stall fault, @lo .. EVS_OPT_STALL_MAX; else say why not. */
static int evs_inj_stall_ms(const char *arg, u32 lo, const char *fault,
			    struct evs_strbuf *out, u32 *ms)
{
	if (!evs_parse_u32(arg, lo, EVS_OPT_STALL_MAX, ms))
		return 0;
	evs_strbuf_printf(out, "%s must be milliseconds %u..%u%s", fault, lo,
			  EVS_OPT_STALL_MAX, lo ? "" : " (0 resumes)");
	return -1;
}

static int evs_inj_stall(struct evs_device *dev, char **argv,
			 struct evs_strbuf *out)
{
	u32 ms;

	if (evs_inj_stall_ms(argv[0], 1, "stall", out, &ms))
		return -1;
	evs_fault_stall(dev, ms);
	evs_strbuf_printf(out, "stall %u ms", ms);
	return 0;
}

static int evs_inj_config_stall(struct evs_device *dev, char **argv,
				struct evs_strbuf *out)
{
	u32 ms;

	if (evs_inj_stall_ms(argv[0], 1, "config-stall", out, &ms))
		return -1;
	evs_fault_config_stall(dev, ms);
	evs_strbuf_printf(out, "config-stall %u ms", ms);
	return 0;
}

static int evs_inj_tx_stall(struct evs_device *dev, char **argv,
			    struct evs_strbuf *out)
{
	u32 ms;

	if (evs_inj_stall_ms(argv[0], 0, "tx-stall", out, &ms))
		return -1;
	evs_fault_tx_stall(dev, ms);
	if (ms)
		evs_strbuf_printf(out, "tx-stall %u ms", ms);
	else
		evs_strbuf_printf(out, "tx-stall off");
	return 0;
}

static int evs_inj_link(struct evs_device *dev, char **argv,
			struct evs_strbuf *out)
{
	bool up;

	if (evs_parse_onoff(argv[0], "up", "down", &up, out) ||
	    evs_need_driver(dev, out))
		return -1;
	evs_fault_link(dev, up);
	evs_strbuf_printf(out, "link %s", up ? "up" : "down");
	return 0;
}

static int evs_inj_error(struct evs_device *dev, char **argv,
			 struct evs_strbuf *out)
{
	(void)argv;
	if (evs_need_driver(dev, out))
		return -1;
	evs_fault_error(dev);
	evs_strbuf_printf(out, "injected error event");
	return 0;
}

static const struct evs_command evs_inject_commands[] = {
	{ "bad-prod",	"RING",			1, 1, evs_inj_bad_prod },
	{ "corrupt",	"RING code|len|ring|runt", 2, 2, evs_inj_corrupt },
	{ "flood",	"on|off",		1, 1, evs_inj_flood },
	{ "stall",	"MS",			1, 1, evs_inj_stall },
	{ "tx-stall",	"MS",			1, 1, evs_inj_tx_stall },
	{ "config-stall", "MS",			1, 1, evs_inj_config_stall },
	{ "link",	"up|down",		1, 1, evs_inj_link },
	{ "error",	"",			0, 0, evs_inj_error },
	{ NULL }
};

static int evs_cmd_inject(struct evs_device *dev, char **argv,
			  struct evs_strbuf *out)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return evs_dispatch(dev, "inject ", evs_inject_commands, argc, argv,
			    out);
}

static const struct evs_command evs_commands[] = {
	{ "rate",	"N",		1, 1, evs_cmd_rate },
	{ "flows",	"N",		1, 1, evs_cmd_flows },
	{ "skew",	"S",		1, 1, evs_cmd_skew },
	{ "mix",	"D,L,E,C",	1, 1, evs_cmd_mix },
	{ "cost",	"NS",		1, 1, evs_cmd_cost },
	{ "pause",	"",		0, 0, evs_cmd_pause },
	{ "resume",	"",		0, 0, evs_cmd_resume },
	{ "stats",	"",		0, 0, evs_cmd_stats },
	/* the kind of injection checks its own arguments */
	{ "inject",	"bad-prod|corrupt|flood|stall|tx-stall|config-stall|link|error ...",
			1, EVS_CMD_MAX_ARGS, evs_cmd_inject },
	{ "quit",	"",		0, 0, evs_cmd_quit },
	{ NULL }
};

/* Split @line into words in place; refuse control characters. */
static int evs_split(char *line, char **argv, int max, struct evs_strbuf *out)
{
	int argc = 0;
	char *p;

	for (p = line; *p; p++) {
		if (!isprint((unsigned char)*p) && *p != '\t') {
			evs_strbuf_printf(out, "control character in command");
			return -1;
		}
	}
	for (p = strtok(line, " \t"); p; p = strtok(NULL, " \t")) {
		if (argc == max) {
			evs_strbuf_printf(out, "too many words");
			return -1;
		}
		argv[argc++] = p;
	}
	argv[argc] = NULL;
	return argc;
}

/**
 * evs_command_exec() - run one control line
 * @arg:   the struct evs_device
 * @line:  the command, without its newline
 * @reply: receives "ok ..." or "error: ..."
 */
void evs_command_exec(void *arg, const char *line, struct evs_strbuf *reply)
{
	char *argv[EVS_CMD_MAX_ARGS + 2], copy[EVS_CTL_LINE_MAX];
	struct evs_device *dev = arg;
	int argc, ret;

	snprintf(copy, sizeof(copy), "%s", line);
	evs_strbuf_reset(reply);
	argc = evs_split(copy, argv, EVS_CMD_MAX_ARGS + 1, reply);
	ret = argc < 0 ? -1 : evs_dispatch(dev, "", evs_commands, argc, argv,
					   reply);
	evs_sync_status(dev);
	evs_strbuf_prepend(reply, ret ? "error: " : "ok ");
}
