// SPDX-License-Identifier: GPL-2.0
/*
 * policy_sim: one run, a scenario on a number of CPUs under a policy.
 *
 * Each tick: the trace sets the loads, usage follows from where the
 * lanes are, the metrics take the tick, and then the policy decides on
 * what it just saw; its moves count from the next tick on.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_stats.h"
#include "sim.h"

/**
 * struct sim_relief - how long hot events take to relieve
 * @active: an event is running and not relieved yet
 * @onset:  its first tick
 * @cpu:    its CPU
 * @ticks:  per event: ticks to relief, INFINITY if never
 */
struct sim_relief {
	bool active;
	unsigned int onset;
	unsigned int cpu;
	double *ticks;
};

int sim_world_init(struct sim_world *w, unsigned int nr_cpus)
{
	unsigned int rings = nr_cpus < SIM_MAX_RINGS ? nr_cpus : SIM_MAX_RINGS;
	unsigned int i;

	memset(w, 0, sizeof(*w));
	w->nr_cpus = nr_cpus;
	w->nr_lanes = rings * SIM_LANES_PER_RING;
	w->allowed = calloc(BITS_TO_LONGS(nr_cpus), sizeof(long));
	w->bg = calloc(nr_cpus, sizeof(*w->bg));
	w->bg_base = calloc(nr_cpus, sizeof(*w->bg_base));
	w->usage = calloc(nr_cpus, sizeof(*w->usage));
	w->estimate = calloc(nr_cpus, sizeof(*w->estimate));
	w->tree_node = calloc(evs_policy_tree_nodes(nr_cpus),
			      sizeof(*w->tree_node));
	w->lane_base = calloc(w->nr_lanes, sizeof(*w->lane_base));
	w->lanes = calloc(w->nr_lanes, sizeof(*w->lanes));
	if (!w->allowed || !w->bg || !w->bg_base || !w->usage ||
	    !w->estimate || !w->tree_node || !w->lane_base || !w->lanes) {
		sim_world_free(w);
		return -1;
	}
	bitmap_fill(w->allowed, nr_cpus);
	/* the driver starts every lane of ring r on ring r's CPU */
	for (i = 0; i < w->nr_lanes; i++) {
		w->lanes[i].cpu = i / SIM_LANES_PER_RING;
		w->lanes[i].since_ms = EVS_SINCE_NEVER;
	}
	w->hot_cpu = EVS_CPU_NONE;
	return 0;
}

void sim_world_free(struct sim_world *w)
{
	free(w->allowed);
	free(w->bg);
	free(w->bg_base);
	free(w->usage);
	free(w->estimate);
	free(w->tree_node);
	free(w->lane_base);
	free(w->lanes);
	memset(w, 0, sizeof(*w));
}

/* Background plus the lanes each CPU runs, capped at one full CPU. */
static void sim_usage(struct sim_world *w)
{
	unsigned int i, c;

	for (c = 0; c < w->nr_cpus; c++)
		w->usage[c] = w->bg[c];
	for (i = 0; i < w->nr_lanes; i++)
		w->usage[w->lanes[i].cpu] += w->lanes[i].load;
	for (c = 0; c < w->nr_cpus; c++)
		w->usage[c] = min_t(u32, w->usage[c], EVS_USAGE_FULL);
}

/* Max over mean CPU usage: 1 is perfectly even. */
static double sim_ratio(const struct sim_world *w)
{
	unsigned int c;
	u64 sum = 0;
	u32 top = 0;

	for (c = 0; c < w->nr_cpus; c++) {
		sum += w->usage[c];
		top = max(top, w->usage[c]);
	}
	return sum ? (double)top * w->nr_cpus / sum : 1;
}

static void sim_relief_tick(struct sim_relief *r, const struct sim_world *w,
			    unsigned int t, struct sim_result *res)
{
	if (w->hot_onset) {
		r->active = true;
		r->onset = t;
		r->cpu = w->hot_cpu;
		r->ticks[res->events++] = INFINITY;
	}
	if (!r->active)
		return;
	if (w->hot_cpu != r->cpu) {
		r->active = false;	/* over before it was relieved */
	} else if (w->usage[r->cpu] < SIM_HOT) {
		r->ticks[res->events - 1] = t - r->onset;
		res->relieved++;
		r->active = false;
	}
}

static double sim_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/*
 * evsteer or static: policy.c on a copy of the usage, as the driver's
 * monitor runs it (the tree built over the estimates, then the lanes);
 * times both.
 */
static unsigned int sim_decide_policy_c(const struct sim_policy *pol,
					struct sim_world *w, double *ns,
					unsigned long *held)
{
	bool is_static = pol->kind == SIM_POLICY_STATIC;
	struct evs_policy_tree tree;
	unsigned int i, moves;
	double start;

	/* a tick has passed since the last decision: age the residence */
	for (i = 0; i < w->nr_lanes; i++)
		if (w->lanes[i].since_ms != EVS_SINCE_NEVER)
			w->lanes[i].since_ms += SIM_TICK_MS;
	memcpy(w->estimate, w->usage, w->nr_cpus * sizeof(*w->usage));
	start = sim_now_ns();
	evs_policy_tree_init(&tree, w->tree_node, w->estimate, w->allowed,
			     w->nr_cpus);
	moves = evs_policy_tick_tree(&tree, pol->margin, pol->residence_ms,
				     is_static, NULL, w->lanes, w->nr_lanes);
	*ns = sim_now_ns() - start;
	for (i = 0; i < w->nr_lanes; i++)
		*held += w->lanes[i].decision == EVS_DECIDE_STAY_RESIDENCE;
	return moves;
}

/* irqbalance: accounts every tick, decides (timed) every interval. */
static unsigned int sim_decide_irqbalance(struct sim_irqbalance *ib,
					  struct sim_world *w, double *ns)
{
	unsigned int moves;
	double start;

	sim_irqbalance_account(ib, w);
	if (!sim_irqbalance_due(ib))
		return 0;
	start = sim_now_ns();
	moves = sim_irqbalance_decide(ib, w);
	*ns = sim_now_ns() - start;
	return moves;
}

static void sim_summarise(struct sim_result *res, const double *relief,
			  const double *ns)
{
	res->mig_per_min = (double)res->moves * SIM_TICKS_PER_MIN / res->ticks;
	if (res->ticks > SIM_SETTLE_TICKS)
		res->mig_per_min_settled = (double)res->moves_settled *
					   SIM_TICKS_PER_MIN /
					   (res->ticks - SIM_SETTLE_TICKS);
	res->relief = res->events ? bench_median(relief, res->events) : NAN;
	res->ratio_mean = bench_mean(res->ratio, res->ticks);
	res->ratio_p99 = bench_percentile(res->ratio, res->ticks, 99);
	res->ns_median = bench_median(ns, res->ns_rounds);
}

static void sim_loop(struct sim_world *w, const struct sim_scenario *sc,
		     const struct sim_policy *pol, struct sim_irqbalance *ib,
		     struct sim_relief *rel, double *ns,
		     struct sim_result *res)
{
	unsigned int t;

	for (t = 0; t < res->ticks; t++) {
		double cost = NAN;
		unsigned int moves;

		sc->tick(w, t);
		sim_usage(w);
		res->ratio[t] = sim_ratio(w);
		sim_relief_tick(rel, w, t, res);
		if (pol->kind == SIM_POLICY_IRQBALANCE)
			moves = sim_decide_irqbalance(ib, w, &cost);
		else
			moves = sim_decide_policy_c(pol, w, &cost, &res->held);
		res->moves += moves;
		if (t >= SIM_SETTLE_TICKS)
			res->moves_settled += moves;
		if (!isnan(cost))
			ns[res->ns_rounds++] = cost;
	}
}

/**
 * sim_run() - simulate one scenario on @nr_cpus CPUs under one policy
 * @sc:      the trace
 * @pol:     the policy
 * @nr_cpus: CPUs
 * @ticks:   ticks to simulate
 * @seed:    the trace's seed: the same seed, the same trace
 * @res:     filled in; res->ratio is allocated, the caller frees it
 *
 * Return: 0, or -1 if memory ran out.
 */
int sim_run(const struct sim_scenario *sc, const struct sim_policy *pol,
	    unsigned int nr_cpus, unsigned int ticks, u64 seed,
	    struct sim_result *res)
{
	struct sim_irqbalance ib = { 0 };
	struct sim_relief rel = { 0 };
	struct sim_world w;
	double *ns;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	res->scenario = sc;
	res->policy = pol;
	res->nr_cpus = nr_cpus;
	res->ticks = ticks;
	if (sim_world_init(&w, nr_cpus))
		return -1;
	res->nr_lanes = w.nr_lanes;
	res->ratio = calloc(ticks, sizeof(*res->ratio));
	rel.ticks = calloc(ticks, sizeof(*rel.ticks));
	ns = calloc(ticks, sizeof(*ns));
	if (!res->ratio || !rel.ticks || !ns ||
	    (pol->kind == SIM_POLICY_IRQBALANCE && sim_irqbalance_init(&ib, &w)))
		goto out;
	bench_rng_seed(&w.rng, seed);
	sc->init(&w);
	sim_loop(&w, sc, pol, &ib, &rel, ns, res);
	sim_summarise(res, rel.ticks, ns);
	rc = 0;
out:
	sim_irqbalance_free(&ib);
	sim_world_free(&w);
	free(rel.ticks);
	free(ns);
	return rc;
}
