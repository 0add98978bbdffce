// SPDX-License-Identifier: GPL-2.0
/*
 * policy_sim: RETA bucket rebalancing under Zipf load.
 *
 * Model.  SIM_RETA_FLOWS flows, the k-th heaviest carrying 1/k^s of
 * the first's load (Zipf, s = 1, 0.8 and 0.6), are hashed into the
 * RETA's 512 buckets (a uniform random hash: Toeplitz over random
 * tuples).  A ring per CPU, up to SIM_MAX_RINGS; the table starts as
 * the driver's default, bucket b on ring b % rings.  The rings carry
 * SIM_RETA_FRAMES_PER_RING frames per 100 ms tick on average; each
 * flow's frames vary by +-10 % from tick to tick (dithered to whole
 * frames), and each tick one flow in SIM_RETA_CHURN ends and a new one
 * of the same weight starts under another hash (flows live 20 s on
 * average).  A ring's load is the frames of its buckets.
 *
 * Each tick the metrics take the ring loads under the current table;
 * then, with rebalancing on, evs_rebalance() (drivers/evsteer/
 * rebalance.c itself) sees that tick's per-bucket frames, as the
 * driver's monitor gives it the counts since the last tick, and its
 * moves apply from the next tick.  Every contender sees the same trace:
 * it is drawn once per tick, whatever the tables did.
 *
 * The lower bound is the heaviest flow's frames over the mean ring's
 * (no table can split a flow), and at least 1; the heaviest bucket's
 * over the mean is what a bucket table can reach at best.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_stats.h"
#include "bench_util.h"
#include "sim_reta.h"

#define SIM_RETA_BUCKETS	EVS_REBAL_MAX_BUCKETS
#define SIM_RETA_FLOWS		8192
#define SIM_RETA_FRAMES_PER_RING 20000	/* per tick: 200 kframes/s */
#define SIM_RETA_CHURN		200	/* a flow lives 200 ticks on average */
#define SIM_RETA_NOISE		0.10	/* +-10 % per flow per tick */

static const struct sim_reta_config sim_reta_configs[] = {
	{ "off", false, { 0, 0 } },
	{ "on-2%-k8", true, { 2, 8 } },
	{ "on-2%-k64", true, { 2, 64 } },
	{ "on-10%-k8", true, { 10, 8 } },
};

#define SIM_RETA_NR_CONFIGS	ARRAY_SIZE(sim_reta_configs)

static const double sim_reta_skews[] = { 1.0, 0.8, 0.6 };

#define SIM_RETA_NR_SKEWS	ARRAY_SIZE(sim_reta_skews)

/**
 * struct sim_reta_trace - the flows and this tick's frames
 * @weight: each flow's mean frames per tick
 * @bucket: each flow's bucket
 * @load:   frames per bucket this tick
 * @top_flow: the heaviest flow's frames this tick
 * @total:  frames this tick
 * @rng:    the trace's random numbers
 */
struct sim_reta_trace {
	double weight[SIM_RETA_FLOWS];
	u32 bucket[SIM_RETA_FLOWS];
	u64 load[SIM_RETA_BUCKETS];
	u64 top_flow;
	u64 total;
	struct bench_rng rng;
};

/**
 * struct sim_reta_state - one contender's table and measurements
 * @reta:  the table
 * @ratio: max / mean ring load per tick
 * @ns:    ns per evs_rebalance() call
 * @moves: bucket moves over the run, and from SIM_SETTLE_TICKS on
 * @first: first tick at max / mean <= 1.2, -1 if none yet
 */
struct sim_reta_state {
	u32 reta[SIM_RETA_BUCKETS];
	double *ratio;
	double *ns;
	unsigned long moves, moves_settled;
	int first;
};

static double sim_reta_unit(struct bench_rng *rng)
{
	return bench_rng32(rng) / 4294967296.0;
}

static void sim_reta_trace_init(struct sim_reta_trace *tr, double skew,
				unsigned int nr_rings, u64 seed)
{
	double sum = 0;
	unsigned int f;

	bench_rng_seed(&tr->rng, seed);
	for (f = 0; f < SIM_RETA_FLOWS; f++) {
		tr->weight[f] = pow(f + 1, -skew);
		sum += tr->weight[f];
		tr->bucket[f] = bench_rng32(&tr->rng) % SIM_RETA_BUCKETS;
	}
	for (f = 0; f < SIM_RETA_FLOWS; f++)
		tr->weight[f] *= (double)SIM_RETA_FRAMES_PER_RING * nr_rings /
				 sum;
}

/* This tick's frames: noise, dithering and flow churn, in a fixed order. */
static void sim_reta_trace_tick(struct sim_reta_trace *tr)
{
	unsigned int f;

	memset(tr->load, 0, sizeof(tr->load));
	tr->top_flow = 0;
	tr->total = 0;
	for (f = 0; f < SIM_RETA_FLOWS; f++) {
		double x = tr->weight[f] *
			   (1 + SIM_RETA_NOISE * (2 * sim_reta_unit(&tr->rng) - 1));
		u64 frames = (u64)(x + sim_reta_unit(&tr->rng));

		if (bench_rng32(&tr->rng) % SIM_RETA_CHURN == 0)
			tr->bucket[f] = bench_rng32(&tr->rng) % SIM_RETA_BUCKETS;
		tr->load[tr->bucket[f]] += frames;
		tr->total += frames;
		if (frames > tr->top_flow)
			tr->top_flow = frames;
	}
}

static double sim_reta_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Max over mean ring load under @reta: 1 is perfectly even. */
static double sim_reta_ratio(const struct sim_reta_trace *tr, const u32 *reta,
			     unsigned int nr_rings)
{
	u64 ring[EVS_REBAL_MAX_RINGS] = { 0 }, top = 0;
	unsigned int b, r;

	for (b = 0; b < SIM_RETA_BUCKETS; b++)
		ring[reta[b]] += tr->load[b];
	for (r = 0; r < nr_rings; r++)
		top = max(top, ring[r]);
	return tr->total ? (double)top * nr_rings / tr->total : 1;
}

/* One tick for one contender: measure, then rebalance (timed). */
static void sim_reta_step(struct sim_reta_state *st,
			  const struct sim_reta_config *cfg,
			  const struct sim_reta_trace *tr,
			  unsigned int nr_rings, unsigned int t)
{
	struct evs_rebal_move moves[EVS_REBAL_MAX_MOVES];
	unsigned int n;
	double start;

	st->ratio[t] = sim_reta_ratio(tr, st->reta, nr_rings);
	if (st->first < 0 && st->ratio[t] <= 1.2)
		st->first = t;
	if (!cfg->on)
		return;
	start = sim_reta_now_ns();
	n = evs_rebalance(tr->load, st->reta, SIM_RETA_BUCKETS, nr_rings,
			  &cfg->p, moves);
	st->ns[t] = sim_reta_now_ns() - start;
	st->moves += n;
	if (t >= SIM_SETTLE_TICKS)
		st->moves_settled += n;
}

static void sim_reta_summarise(struct sim_reta_result *r,
			       const struct sim_reta_state *st,
			       double bound_flow, double bound_bucket)
{
	unsigned int settled = r->ticks > SIM_SETTLE_TICKS ?
			       r->ticks - SIM_SETTLE_TICKS : 0;

	r->ratio_mean = bench_mean(st->ratio, r->ticks);
	r->ratio_p99 = bench_percentile(st->ratio, r->ticks, 99);
	r->ratio_settled = settled ?
			   bench_mean(st->ratio + SIM_SETTLE_TICKS, settled) :
			   NAN;
	r->bound_flow = bound_flow / r->ticks;
	r->bound_bucket = bound_bucket / r->ticks;
	r->moves_per_tick = (double)st->moves / r->ticks;
	r->moves_per_tick_settled = settled ?
				    (double)st->moves_settled / settled : NAN;
	r->ns_median = r->config->on ? bench_median(st->ns, r->ticks) : NAN;
	r->ns_p99 = r->config->on ? bench_percentile(st->ns, r->ticks, 99) :
		    NAN;
	r->under_1_2 = st->first;
}

/*
 * Every contender on one trace (@nr_cpus, @skew), in lock step; fills
 * SIM_RETA_NR_CONFIGS results from @res on.
 */
static int sim_reta_run(unsigned int nr_cpus, double skew,
			unsigned int ticks, u64 seed,
			struct sim_reta_result *res)
{
	unsigned int rings = min_t(unsigned int, nr_cpus, SIM_MAX_RINGS);
	struct sim_reta_state *st;
	struct sim_reta_trace *tr;
	double bound_flow = 0, bound_bucket = 0;
	unsigned int c, b, t;
	int rc = -1;

	tr = calloc(1, sizeof(*tr));
	st = calloc(SIM_RETA_NR_CONFIGS, sizeof(*st));
	if (!tr || !st)
		goto out;
	for (c = 0; c < SIM_RETA_NR_CONFIGS; c++) {
		st[c].ratio = calloc(ticks, sizeof(double));
		st[c].ns = calloc(ticks, sizeof(double));
		if (!st[c].ratio || !st[c].ns)
			goto out;
		for (b = 0; b < SIM_RETA_BUCKETS; b++)
			st[c].reta[b] = b % rings;
		st[c].first = -1;
	}
	sim_reta_trace_init(tr, skew, rings, seed);
	for (t = 0; t < ticks; t++) {
		u64 top_bucket = 0;

		sim_reta_trace_tick(tr);
		for (b = 0; b < SIM_RETA_BUCKETS; b++)
			top_bucket = max(top_bucket, tr->load[b]);
		if (tr->total) {
			bound_flow += fmax(1, (double)tr->top_flow * rings /
					   tr->total);
			bound_bucket += fmax(1, (double)top_bucket * rings /
					     tr->total);
		}
		for (c = 0; c < SIM_RETA_NR_CONFIGS; c++)
			sim_reta_step(&st[c], &sim_reta_configs[c], tr, rings,
				      t);
	}
	for (c = 0; c < SIM_RETA_NR_CONFIGS; c++) {
		res[c].nr_cpus = nr_cpus;
		res[c].nr_rings = rings;
		res[c].skew = skew;
		res[c].config = &sim_reta_configs[c];
		res[c].ticks = ticks;
		sim_reta_summarise(&res[c], &st[c], bound_flow, bound_bucket);
	}
	rc = 0;
out:
	for (c = 0; st && c < SIM_RETA_NR_CONFIGS; c++) {
		free(st[c].ratio);
		free(st[c].ns);
	}
	free(st);
	free(tr);
	return rc;
}

#define SIM_RETA_WORST_ROUNDS	1001

/* The median ns of the worst call (see struct sim_reta_report). */
static double sim_reta_worst_ns(void)
{
	struct evs_rebal_params p = { 2, EVS_REBAL_MAX_MOVES };
	struct evs_rebal_move moves[EVS_REBAL_MAX_MOVES];
	u64 load[SIM_RETA_BUCKETS];
	u32 reta[SIM_RETA_BUCKETS];
	double ns[SIM_RETA_WORST_ROUNDS], start;
	unsigned int i, b;

	for (i = 0; i < SIM_RETA_WORST_ROUNDS; i++) {
		for (b = 0; b < SIM_RETA_BUCKETS; b++) {
			load[b] = 1;
			reta[b] = 0;
		}
		start = sim_reta_now_ns();
		evs_rebalance(load, reta, SIM_RETA_BUCKETS,
			      EVS_REBAL_MAX_RINGS, &p, moves);
		ns[i] = sim_reta_now_ns() - start;
	}
	return bench_median(ns, SIM_RETA_WORST_ROUNDS);
}

/**
 * sim_reta_all() - every CPU count, skew and contender
 * @cpus:    CPU counts
 * @nr_cpus: entries in @cpus
 * @seconds: simulated seconds per run
 * @seed:    the traces' seed
 * @rep:     filled in; sim_reta_free() frees it
 *
 * Return: 0, or -1 if memory ran out.
 */
int sim_reta_all(const unsigned int *cpus, unsigned int nr_cpus,
		 unsigned int seconds, u64 seed, struct sim_reta_report *rep)
{
	unsigned int c, s, n = 0;

	memset(rep, 0, sizeof(*rep));
	rep->seconds = seconds;
	rep->seed = seed;
	rep->worst_ns = sim_reta_worst_ns();
	rep->nr_res = nr_cpus * SIM_RETA_NR_SKEWS * SIM_RETA_NR_CONFIGS;
	rep->res = calloc(rep->nr_res, sizeof(*rep->res));
	if (!rep->res)
		return -1;
	for (c = 0; c < nr_cpus; c++) {
		for (s = 0; s < SIM_RETA_NR_SKEWS; s++) {
			if (sim_reta_run(cpus[c], sim_reta_skews[s],
					 seconds * 10,
					 seed * 1000003 + 7919 * s + cpus[c],
					 &rep->res[n]))
				return -1;
			n += SIM_RETA_NR_CONFIGS;
		}
	}
	return 0;
}

void sim_reta_free(struct sim_reta_report *rep)
{
	free(rep->res);
	memset(rep, 0, sizeof(*rep));
}

/* "123", or "-" if not timed. */
static const char *sim_reta_ns(double ns, char *buf, size_t len)
{
	if (isnan(ns))
		return "-";
	snprintf(buf, len, "%.0f", ns);
	return buf;
}

static const char * const sim_reta_columns[] = {
	"CPUs", "rings", "s", "rebalancing", "max/mean", "p99", "from 30 s",
	"bound: flow", "bound: bucket", "moves/tick", "from 30 s", "ns/call",
	"p99", "<= 1.2 at",
};

/* One row of the table. */
static void sim_reta_md_row(FILE *f, const struct sim_reta_result *r)
{
	char ns[32], p99[32], at[32];

	if (r->under_1_2 < 0)
		snprintf(at, sizeof(at), "never");
	else
		snprintf(at, sizeof(at), "%d ms", r->under_1_2 * SIM_TICK_MS);
	fprintf(f, "| %u | %u | %.1f | %s ", r->nr_cpus, r->nr_rings,
		r->skew, r->config->name);
	fprintf(f, "| %.3f | %.3f | %.3f ", r->ratio_mean, r->ratio_p99,
		r->ratio_settled);
	fprintf(f, "| %.3f | %.3f ", r->bound_flow, r->bound_bucket);
	fprintf(f, "| %.2f | %.2f ", r->moves_per_tick,
		r->moves_per_tick_settled);
	fprintf(f, "| %s | %s | %s |\n",
		sim_reta_ns(r->ns_median, ns, sizeof(ns)),
		sim_reta_ns(r->ns_p99, p99, sizeof(p99)), at);
}

/**
 * sim_reta_report_md() - the runs as a Markdown section
 * @f:   where to
 * @rep: the runs
 */
void sim_reta_report_md(FILE *f, const struct sim_reta_report *rep)
{
	unsigned int i;

	fprintf(f, "\n## RETA bucket rebalancing (rebalance.c, RSS++-style)\n\n");
	fprintf(f, "%u flows, Zipf s = 1, 0.8 and 0.6, hashed into %u buckets; ",
		SIM_RETA_FLOWS, SIM_RETA_BUCKETS);
	fprintf(f, "a ring per CPU up to %u; ", SIM_MAX_RINGS);
	fprintf(f, "%u frames per ring per 100 ms tick, ",
		SIM_RETA_FRAMES_PER_RING);
	fprintf(f, "+-10 %% per flow per tick, one flow in %u replaced per tick; ",
		SIM_RETA_CHURN);
	fprintf(f, "%u s per run, seed %llu.  ", rep->seconds,
		(unsigned long long)rep->seed);
	fprintf(f, "max/mean is the busiest ring's frames over the mean ring's; ");
	fprintf(f, "the bounds are the heaviest flow's and the heaviest ");
	fprintf(f, "bucket's over the mean; moves and ns are per 100 ms tick ");
	fprintf(f, "and per evs_rebalance() call.\n\n");
	for (i = 0; i < ARRAY_SIZE(sim_reta_columns); i++)
		fprintf(f, "| %s ", sim_reta_columns[i]);
	fprintf(f, "|\n");
	for (i = 0; i < ARRAY_SIZE(sim_reta_columns); i++)
		fprintf(f, "|%s", i == 3 ? "---" : "---:");
	fprintf(f, "|\n");
	for (i = 0; i < rep->nr_res; i++)
		sim_reta_md_row(f, &rep->res[i]);
	fprintf(f, "\nThe worst call (512 buckets of one frame on ring 0 of %u, ",
		EVS_REBAL_MAX_RINGS);
	fprintf(f, "%u moves): %.0f ns (median of %u).\n", EVS_REBAL_MAX_MOVES,
		rep->worst_ns, SIM_RETA_WORST_ROUNDS);
}

/* ", "key": v" as JSON, null if @v is not a number; @first: no comma. */
static void sim_reta_json_num(FILE *f, const char *key, double v,
			      const char *fmt, bool first)
{
	fprintf(f, "%s\"%s\": ", first ? "" : ", ", key);
	if (isfinite(v))
		fprintf(f, fmt, v);
	else
		fprintf(f, "null");
}

static void sim_reta_json_run(FILE *f, const struct sim_reta_result *r)
{
	fprintf(f, "  {\"cpus\": %u, \"rings\": %u, ", r->nr_cpus, r->nr_rings);
	fprintf(f, "\"rebalancing\": \"%s\", ", r->config->name);
	fprintf(f, "\"threshold_pct\": %u, \"max_moves\": %u, ",
		r->config->p.threshold_pct, r->config->p.max_moves);
	sim_reta_json_num(f, "zipf_s", r->skew, "%.2f", true);
	sim_reta_json_num(f, "max_over_mean_mean", r->ratio_mean, "%.4f", false);
	sim_reta_json_num(f, "max_over_mean_p99", r->ratio_p99, "%.4f", false);
	sim_reta_json_num(f, "max_over_mean_settled", r->ratio_settled, "%.4f",
			  false);
	sim_reta_json_num(f, "bound_flow", r->bound_flow, "%.4f", false);
	sim_reta_json_num(f, "bound_bucket", r->bound_bucket, "%.4f", false);
	sim_reta_json_num(f, "moves_per_tick", r->moves_per_tick, "%.3f",
			  false);
	sim_reta_json_num(f, "moves_per_tick_settled",
			  r->moves_per_tick_settled, "%.3f", false);
	sim_reta_json_num(f, "ns_per_call_median", r->ns_median, "%.0f", false);
	sim_reta_json_num(f, "ns_per_call_p99", r->ns_p99, "%.0f", false);
	sim_reta_json_num(f, "under_1_2_ms", r->under_1_2 < 0 ? NAN :
			  (double)r->under_1_2 * SIM_TICK_MS, "%.0f", false);
	fprintf(f, "}");
}

/**
 * sim_reta_report_json() - the runs as one JSON object
 * @f:   where to
 * @rep: the runs
 */
void sim_reta_report_json(FILE *f, const struct sim_reta_report *rep)
{
	unsigned int i;

	fprintf(f, "{\"flows\": %u, \"buckets\": %u, \"max_rings\": %u, ",
		SIM_RETA_FLOWS, SIM_RETA_BUCKETS, SIM_MAX_RINGS);
	fprintf(f, "\"frames_per_ring_per_tick\": %u, \"tick_ms\": %u, ",
		SIM_RETA_FRAMES_PER_RING, SIM_TICK_MS);
	fprintf(f, "\"churn_one_in\": %u, \"seconds\": %u, \"seed\": %llu, ",
		SIM_RETA_CHURN, rep->seconds, (unsigned long long)rep->seed);
	sim_reta_json_num(f, "worst_call_ns_median", rep->worst_ns, "%.0f",
			  true);
	fprintf(f, ",\n \"runs\": [\n");
	for (i = 0; i < rep->nr_res; i++) {
		sim_reta_json_run(f, &rep->res[i]);
		fprintf(f, "%s\n", i + 1 < rep->nr_res ? "," : "");
	}
	fprintf(f, " ]}\n");
}

static FILE *sim_reta_open(const char *dir, const char *name,
			   const char *mode)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, mode);
	if (!f)
		fprintf(stderr, "policy_sim: %s: %s\n", path, strerror(errno));
	return f;
}

/**
 * sim_reta_write() - write the runs into @dir
 * @dir:    the output directory
 * @rep:    the runs
 * @append: also append the Markdown section to policy_sim.md, so that
 *          the results of make bench show it
 *
 * Writes reta_sim.md and reta_sim.json.
 *
 * Return: 0, or -1 if a file could not be written.
 */
int sim_reta_write(const char *dir, const struct sim_reta_report *rep,
		   bool append)
{
	FILE *md = sim_reta_open(dir, "reta_sim.md", "w");
	FILE *json = sim_reta_open(dir, "reta_sim.json", "w");
	FILE *pol = append ? sim_reta_open(dir, "policy_sim.md", "a") : NULL;
	int rc = md && json && (pol || !append) ? 0 : -1;

	if (!rc) {
		sim_reta_report_md(md, rep);
		sim_reta_report_json(json, rep);
		if (pol)
			sim_reta_report_md(pol, rep);
	}
	rc |= md && fclose(md) ? -1 : 0;
	rc |= json && fclose(json) ? -1 : 0;
	rc |= pol && fclose(pol) ? -1 : 0;
	return rc;
}
