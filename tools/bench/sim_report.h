/* SPDX-License-Identifier: GPL-2.0 */
/*
 * policy_sim: writing the results, as JSON, Markdown tables and data
 * files for gnuplot (tools/bench/policy_sim.gp).
 */
#ifndef _EVSTEER_SIM_REPORT_H
#define _EVSTEER_SIM_REPORT_H

#include <stdio.h>

#include "sim.h"

/**
 * struct sim_report - a whole simulator run
 * @res:      results, grouped by CPUs, then scenario, then policy
 * @nr_res:   entries in @res
 * @pols:     the policies, in the order of @res
 * @nr_pols:  entries in @pols
 * @seconds:  simulated seconds per run
 * @seed:     the traces' seed
 */
struct sim_report {
	const struct sim_result *res;
	unsigned int nr_res;
	const struct sim_policy *pols;
	unsigned int nr_pols;
	unsigned int seconds;
	u64 seed;
};

void sim_report_json(FILE *f, const struct sim_report *rep);
void sim_report_md(FILE *f, const struct sim_report *rep);
void sim_report_dat(FILE *f, const struct sim_report *rep);
void sim_report_series(FILE *f, const struct sim_report *rep,
		       const char *scenario, unsigned int nr_cpus);

#endif /* _EVSTEER_SIM_REPORT_H */
