// SPDX-License-Identifier: GPL-2.0
/*
 * policy_sim: compare lane placement policies on synthetic load traces.
 *
 * The evsteer policy is drivers/evsteer/policy.c itself, compiled
 * against the userspace shim in tools/bench/shim/; it runs at margins
 * 0, 5, 10 and 20 % without a residence time, and at 10 and 20 % with
 * the driver's default residence time (20 s), next to "static" (policy.c with is_static: lanes
 * never move) and an irqbalance-like policy (sim_irqbalance.c).  Every
 * scenario (sim_trace.c) runs on every CPU count under every policy,
 * with the same seeded trace for all policies; only the ns timings
 * change from one run to the next.
 *
 * Usage: policy_sim [--cpus 4,64,1024,4096] [--seconds 180] [--seed 1]
 *                   [--series-cpus 4,64] [--reta-only] --out DIR
 *
 * --seconds is 40 to 3600: the step scenario's step comes at 30 s.
 *
 * Writes DIR/policy_sim.{json,md,dat} and, for the step scenario on
 * each --series-cpus count, DIR/step_<cpus>.dat (max/mean per tick).
 *
 * Then RETA bucket rebalancing (drivers/evsteer/rebalance.c, through
 * sim_reta.c) on Zipf flows at the same CPU counts: a section appended
 * to DIR/policy_sim.md, and DIR/reta_sim.{md,json}.  --reta-only
 * runs only that part and writes only reta_sim.{md,json}.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "sim_report.h"
#include "sim_reta.h"

#define SIM_MAX_COUNTS	16

/* the residence runs come last, so that the charts' colours stay put */
static const struct sim_policy sim_policies[] = {
	{ "evsteer-m0", SIM_POLICY_EVSTEER, SIM_PCT(0), 0 },
	{ "evsteer-m5", SIM_POLICY_EVSTEER, SIM_PCT(5), 0 },
	{ "evsteer-m10", SIM_POLICY_EVSTEER, SIM_PCT(10), 0 },
	{ "evsteer-m20", SIM_POLICY_EVSTEER, SIM_PCT(20), 0 },
	{ "static", SIM_POLICY_STATIC, 0, 0 },
	{ "irqbalance", SIM_POLICY_IRQBALANCE, 0, 0 },
	{ "evsteer-m10-r20s", SIM_POLICY_EVSTEER, SIM_PCT(10), 20000 },
	{ "evsteer-m20-r20s", SIM_POLICY_EVSTEER, SIM_PCT(20), 20000 },
};

#define SIM_NR_POLICIES	ARRAY_SIZE(sim_policies)

struct sim_opts {
	unsigned int cpus[SIM_MAX_COUNTS], nr_cpus;
	unsigned int series[SIM_MAX_COUNTS], nr_series;
	unsigned int seconds;
	u64 seed;
	const char *out;
	bool reta_only;
};

/* "4,64,1024" into @v; 0 on success. */
static int sim_parse_list(const char *s, unsigned int *v, unsigned int *n)
{
	char *end;

	*n = 0;
	while (*s && *n < SIM_MAX_COUNTS) {
		unsigned long x = strtoul(s, &end, 10);

		if (end == s || !x || x > 65536 || (*end && *end != ','))
			return -1;
		v[(*n)++] = x;
		s = *end ? end + 1 : end;
	}
	return *s ? -1 : 0;
}

static int sim_parse(int argc, char **argv, struct sim_opts *o)
{
	static const struct option longopts[] = {
		{ "cpus", required_argument, NULL, 'c' },
		{ "seconds", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 'r' },
		{ "series-cpus", required_argument, NULL, 'S' },
		{ "out", required_argument, NULL, 'o' },
		{ "reta-only", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	int c, bad = 0;

	sim_parse_list("4,64,1024,4096", o->cpus, &o->nr_cpus);
	sim_parse_list("4,64", o->series, &o->nr_series);
	o->seconds = 180;
	o->seed = 1;
	o->out = NULL;
	o->reta_only = false;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'c')
			bad |= sim_parse_list(optarg, o->cpus, &o->nr_cpus);
		else if (c == 'S')
			bad |= sim_parse_list(optarg, o->series, &o->nr_series);
		else if (c == 's')
			o->seconds = strtoul(optarg, NULL, 10);
		else if (c == 'r')
			o->seed = strtoull(optarg, NULL, 0);
		else if (c == 'o')
			o->out = optarg;
		else if (c == 'R')
			o->reta_only = true;
		else
			bad = 1;
	}
	/* the step comes at 30 s: give it time to be relieved */
	if (bad || !o->out || o->seconds < 40 || o->seconds > 3600 ||
	    optind != argc) {
		fprintf(stderr, "usage: policy_sim [--cpus 4,64,1024,4096] [--seconds 180] [--seed 1] [--series-cpus 4,64] [--reta-only] --out DIR\n");
		return -1;
	}
	return 0;
}

static FILE *sim_open(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "policy_sim: %s: %s\n", path, strerror(errno));
	return f;
}

static int sim_write(const struct sim_opts *o, const struct sim_report *rep)
{
	FILE *json = sim_open(o->out, "policy_sim.json");
	FILE *md = sim_open(o->out, "policy_sim.md");
	FILE *dat = sim_open(o->out, "policy_sim.dat");
	unsigned int i;
	int rc = json && md && dat ? 0 : -1;

	if (!rc) {
		sim_report_json(json, rep);
		sim_report_md(md, rep);
		sim_report_dat(dat, rep);
	}
	for (i = 0; !rc && i < o->nr_series; i++) {
		char name[64];
		FILE *f;

		snprintf(name, sizeof(name), "step_%u.dat", o->series[i]);
		f = sim_open(o->out, name);
		if (!f) {
			rc = -1;
			break;
		}
		sim_report_series(f, rep, "step", o->series[i]);
		rc |= fclose(f) ? -1 : 0;
	}
	rc |= json && fclose(json) ? -1 : 0;
	rc |= md && fclose(md) ? -1 : 0;
	rc |= dat && fclose(dat) ? -1 : 0;
	return rc;
}

/* Every CPU count, scenario and policy; @res has room for them all. */
static int sim_all(const struct sim_opts *o, struct sim_result *res)
{
	unsigned int c, s, p, n = 0;
	struct timespec t0, t1;

	for (c = 0; c < o->nr_cpus; c++) {
		for (s = 0; s < sim_nr_scenarios; s++) {
			u64 seed = o->seed * 1000003 + s * 65537 + o->cpus[c];

			clock_gettime(CLOCK_MONOTONIC, &t0);
			for (p = 0; p < SIM_NR_POLICIES; p++)
				if (sim_run(&sim_scenarios[s], &sim_policies[p],
					    o->cpus[c], o->seconds * 10, seed,
					    &res[n++]))
					return -1;
			clock_gettime(CLOCK_MONOTONIC, &t1);
			fprintf(stderr, "policy_sim: %u CPUs, %s: %.1f s\n",
				o->cpus[c], sim_scenarios[s].name,
				(t1.tv_sec - t0.tv_sec) +
				(t1.tv_nsec - t0.tv_nsec) / 1e9);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sim_reta_report reta = { 0 };
	struct sim_report rep = { 0 };
	struct sim_result *res;
	struct sim_opts o;
	unsigned int i, n;
	int rc;

	if (sim_parse(argc, argv, &o))
		return 2;
	n = o.nr_cpus * sim_nr_scenarios * SIM_NR_POLICIES;
	res = calloc(n, sizeof(*res));
	if (!res)
		return 1;
	rc = o.reta_only ? 0 : sim_all(&o, res);
	if (!rc && !o.reta_only) {
		rep.res = res;
		rep.nr_res = n;
		rep.pols = sim_policies;
		rep.nr_pols = SIM_NR_POLICIES;
		rep.seconds = o.seconds;
		rep.seed = o.seed;
		rc = sim_write(&o, &rep);
	}
	if (!rc)
		rc = sim_reta_all(o.cpus, o.nr_cpus, o.seconds, o.seed, &reta);
	if (!rc)
		rc = sim_reta_write(o.out, &reta, !o.reta_only);
	sim_reta_free(&reta);
	for (i = 0; i < n; i++)
		free(res[i].ratio);
	free(res);
	if (rc)
		fprintf(stderr, "policy_sim: failed\n");
	return rc ? 1 : 0;
}
