// SPDX-License-Identifier: GPL-2.0
/*
 * policy_sim: the synthetic load traces.
 *
 * Lanes start where the driver starts them: both lanes of ring r on
 * ring r's CPU, r.  Three traces start balanced: each CPU's background
 * is set so that background plus the lanes it starts with is 50 %, so
 * any imbalance is the trace's doing (or the policy's).
 *
 *   step    at 30 s a task takes 85 % of the CPU that runs lane 0, for
 *           good: relieved when all lanes have left it.
 *   noise   balanced, with per-tick noise of +-3 % per CPU: every
 *           difference between CPUs stays below 10 %.
 *   bursts  every 20 s from 10 s, for 4 s, a task takes 85 % of the CPU
 *           that then runs lane 7k (k: the burst's number).
 *   zipf    lane loads Zipf-skewed (60 % / rank, ranks shuffled) on a
 *           background drawn per CPU from 20-40 %; no hot event.
 *
 * Every tick draws one noise value per CPU and one per lane, in the
 * same order whatever the policy did, so all policies see the same
 * trace; only the CPU a step or burst lands on follows the placement.
 */
#include <stdlib.h>

#include "bench_util.h"
#include "sim.h"

#define SIM_LANE_LOAD		SIM_PCT(10)
#define SIM_BALANCED		SIM_PCT(50)
#define SIM_EVENT_BG		SIM_PCT(85)
#define SIM_STEP_AT		300	/* ticks: 30 s */
#define SIM_BURST_FIRST		100	/* ticks: 10 s */
#define SIM_BURST_EVERY		200	/* ticks: 20 s */
#define SIM_BURST_LEN		40	/* ticks: 4 s */
#define SIM_ZIPF_TOP		SIM_PCT(60)

static u32 sim_clamp(s64 v)
{
	return v < 0 ? 0 : v > EVS_USAGE_FULL ? EVS_USAGE_FULL : (u32)v;
}

/* Every lane at @load; each CPU's background tops it up to @level. */
static void sim_balance(struct sim_world *w, u32 load, u32 level)
{
	unsigned int i, c;

	for (i = 0; i < w->nr_lanes; i++)
		w->lane_base[i] = load;
	for (c = 0; c < w->nr_cpus; c++)
		w->bg_base[c] = level;
	for (i = 0; i < w->nr_lanes; i++) {
		c = w->lanes[i].cpu;
		w->bg_base[c] -= min(load, w->bg_base[c]);
	}
}

/* Base loads plus this tick's noise, bg within +-@bg_amp, lanes +-@ln_amp. */
static void sim_noise(struct sim_world *w, s32 bg_amp, s32 ln_amp)
{
	unsigned int i, c;

	for (c = 0; c < w->nr_cpus; c++)
		w->bg[c] = sim_clamp((s64)w->bg_base[c] +
				     bench_rng_range(&w->rng, -bg_amp, bg_amp));
	for (i = 0; i < w->nr_lanes; i++)
		w->lanes[i].load = sim_clamp((s64)w->lane_base[i] +
					     bench_rng_range(&w->rng, -ln_amp,
							     ln_amp));
}

/* A hot event: a task takes SIM_EVENT_BG of the CPU running @lane. */
static void sim_event(struct sim_world *w, unsigned int lane, bool onset)
{
	if (onset)
		w->hot_cpu = w->lanes[lane].cpu;
	w->hot_onset = onset;
	w->bg[w->hot_cpu] = sim_clamp((s64)SIM_EVENT_BG +
				      (s32)w->bg[w->hot_cpu] -
				      (s32)w->bg_base[w->hot_cpu]);
}

static void sim_balanced_init(struct sim_world *w)
{
	sim_balance(w, SIM_LANE_LOAD, SIM_BALANCED);
}

static void sim_step_tick(struct sim_world *w, unsigned int t)
{
	sim_noise(w, SIM_PCT(2), SIM_PCT(1));
	w->hot_onset = false;
	if (t >= SIM_STEP_AT)
		sim_event(w, 0, t == SIM_STEP_AT);
}

static void sim_noise_tick(struct sim_world *w, unsigned int t)
{
	(void)t;
	sim_noise(w, SIM_PCT(3), SIM_PCT(1) / 2);
}

static void sim_bursts_tick(struct sim_world *w, unsigned int t)
{
	unsigned int k, phase;

	sim_noise(w, SIM_PCT(2), SIM_PCT(1));
	w->hot_onset = false;
	if (t < SIM_BURST_FIRST)
		return;
	k = (t - SIM_BURST_FIRST) / SIM_BURST_EVERY;
	phase = (t - SIM_BURST_FIRST) % SIM_BURST_EVERY;
	if (phase < SIM_BURST_LEN)
		sim_event(w, (k * 7) % w->nr_lanes, phase == 0);
	else
		w->hot_cpu = EVS_CPU_NONE;
}

/* Ranks 1..n shuffled over the lanes; background 20-40 % per CPU. */
static void sim_zipf_init(struct sim_world *w)
{
	unsigned int i, j, c, tmp, *rank;

	rank = calloc(w->nr_lanes, sizeof(*rank));
	if (!rank)
		abort();
	for (i = 0; i < w->nr_lanes; i++)
		rank[i] = i + 1;
	for (i = w->nr_lanes - 1; i > 0; i--) {
		j = bench_rng32(&w->rng) % (i + 1);
		tmp = rank[i];
		rank[i] = rank[j];
		rank[j] = tmp;
	}
	for (i = 0; i < w->nr_lanes; i++)
		w->lane_base[i] = SIM_ZIPF_TOP / rank[i];
	for (c = 0; c < w->nr_cpus; c++)
		w->bg_base[c] = bench_rng_range(&w->rng, SIM_PCT(20),
						SIM_PCT(40));
	free(rank);
}

/* Each lane within +-5 % of its own base load. */
static void sim_zipf_tick(struct sim_world *w, unsigned int t)
{
	unsigned int i, c;

	(void)t;
	for (c = 0; c < w->nr_cpus; c++)
		w->bg[c] = sim_clamp((s64)w->bg_base[c] +
				     bench_rng_range(&w->rng, -SIM_PCT(2),
						     SIM_PCT(2)));
	for (i = 0; i < w->nr_lanes; i++) {
		s32 amp = w->lane_base[i] / 20;

		w->lanes[i].load = sim_clamp((s64)w->lane_base[i] +
					     bench_rng_range(&w->rng, -amp,
							     amp));
	}
}

const struct sim_scenario sim_scenarios[] = {
	{ "step", "at 30 s a task takes 85 % of lane 0's CPU, for good",
	  sim_balanced_init, sim_step_tick },
	{ "noise", "balanced at 50 %, per-tick noise +-3 % (within 10 %)",
	  sim_balanced_init, sim_noise_tick },
	{ "bursts", "every 20 s for 4 s a task takes 85 % of a lane's CPU",
	  sim_balanced_init, sim_bursts_tick },
	{ "zipf", "lane loads 60 %/rank (Zipf s=1), background 20-40 %",
	  sim_zipf_init, sim_zipf_tick },
};

const unsigned int sim_nr_scenarios = ARRAY_SIZE(sim_scenarios);
