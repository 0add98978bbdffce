/* SPDX-License-Identifier: GPL-2.0 */
/*
 * policy_sim: RETA bucket rebalancing (drivers/evsteer/rebalance.c,
 * compiled unchanged) on flows hashed into the 512 buckets.
 */
#ifndef _EVSTEER_SIM_RETA_H
#define _EVSTEER_SIM_RETA_H

#include <stdio.h>

#include "sim.h"
#include "rebalance.h"		/* drivers/evsteer/, unchanged */

/**
 * struct sim_reta_config - one contender: rebalancing off, or on with
 * its parameters
 * @name: as shown in tables
 * @on:   rebalancing runs every tick
 * @p:    evs_rebalance()'s parameters, if @on
 */
struct sim_reta_config {
	const char *name;
	bool on;
	struct evs_rebal_params p;
};

/**
 * struct sim_reta_result - one (CPUs, skew, config) run
 * @nr_cpus:     CPUs
 * @nr_rings:    rings, one per CPU up to SIM_MAX_RINGS
 * @skew:        the flows' Zipf exponent
 * @config:      the contender
 * @ticks:       ticks simulated
 * @ratio_mean:  mean over ticks of max / mean ring load
 * @ratio_p99:   99th percentile of the same
 * @ratio_settled: mean from SIM_SETTLE_TICKS on
 * @bound_flow:  mean over ticks of the lower bound: the heaviest flow's
 *               load over the mean ring load (at least 1)
 * @bound_bucket: the same for the heaviest bucket (the best a bucket
 *               table can do)
 * @moves_per_tick: mean bucket moves per tick
 * @moves_per_tick_settled: the same from SIM_SETTLE_TICKS on
 * @ns_median:   median ns of one evs_rebalance() call (NAN if off)
 * @ns_p99:      99th percentile of the same
 * @under_1_2:   first tick with max / mean <= 1.2, -1 if none
 */
struct sim_reta_result {
	unsigned int nr_cpus;
	unsigned int nr_rings;
	double skew;
	const struct sim_reta_config *config;
	unsigned int ticks;
	double ratio_mean;
	double ratio_p99;
	double ratio_settled;
	double bound_flow;
	double bound_bucket;
	double moves_per_tick;
	double moves_per_tick_settled;
	double ns_median;
	double ns_p99;
	int under_1_2;
};

/**
 * struct sim_reta_report - every run of sim_reta_all()
 * @res:     results, by CPUs, then skew, then config
 * @nr_res:  entries in @res
 * @seconds: simulated seconds per run
 * @seed:    the traces' seed
 * @worst_ns: median ns of the worst call: every bucket, one frame each,
 *           on ring 0 of 64, EVS_REBAL_MAX_MOVES moves
 */
struct sim_reta_report {
	struct sim_reta_result *res;
	unsigned int nr_res;
	unsigned int seconds;
	u64 seed;
	double worst_ns;
};

int sim_reta_all(const unsigned int *cpus, unsigned int nr_cpus,
		 unsigned int seconds, u64 seed, struct sim_reta_report *rep);
void sim_reta_free(struct sim_reta_report *rep);
void sim_reta_report_md(FILE *f, const struct sim_reta_report *rep);
void sim_reta_report_json(FILE *f, const struct sim_reta_report *rep);
int sim_reta_write(const char *dir, const struct sim_reta_report *rep,
		   bool append);

#endif /* _EVSTEER_SIM_RETA_H */
