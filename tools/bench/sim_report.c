// SPDX-License-Identifier: GPL-2.0
/*
 * policy_sim: the results as JSON (one object), Markdown (one table
 * per scenario) and whitespace-separated data for gnuplot.
 *
 * Time to relieve is "never" when no hot event was relieved before it
 * ended, "-" when the scenario has no hot event; in the data file these
 * are -1 and -2, in JSON null with a "relief" string that says which.
 */
#include <math.h>
#include <string.h>

#include "sim_report.h"

/* "never", "-", or "N ticks (M ms)". */
static const char *sim_relief_text(const struct sim_result *r, char *buf,
				   size_t len)
{
	if (isnan(r->relief))
		return "-";
	if (isinf(r->relief))
		return "never";
	snprintf(buf, len, "%.0f tick%s (%.0f ms)", r->relief,
		 r->relief == 1 ? "" : "s", r->relief * SIM_TICK_MS);
	return buf;
}

static const char *sim_relief_status(const struct sim_result *r)
{
	return isnan(r->relief) ? "no-event" : isinf(r->relief) ? "never" :
	       "relieved";
}

static void sim_json_run(FILE *f, const struct sim_result *r, bool last)
{
	fprintf(f, "    {\"scenario\": \"%s\", \"policy\": \"%s\", \"cpus\": %u, \"lanes\": %u, \"ticks\": %u,\n",
		r->scenario->name, r->policy->name, r->nr_cpus, r->nr_lanes,
		r->ticks);
	fprintf(f, "     \"migrations\": %lu, \"migrations_per_min\": %.2f, \"hot_events\": %u, \"relieved\": %u, \"relief\": \"%s\",\n",
		r->moves, r->mig_per_min, r->events, r->relieved,
		sim_relief_status(r));
	fprintf(f, "     \"migrations_settled\": %lu, \"migrations_per_min_settled\": %.2f, \"residence_holds\": %lu,\n",
		r->moves_settled, r->mig_per_min_settled, r->held);
	if (isfinite(r->relief))
		fprintf(f, "     \"relief_ticks_median\": %.1f, \"relief_ms_median\": %.0f,\n",
			r->relief, r->relief * SIM_TICK_MS);
	else
		fprintf(f, "     \"relief_ticks_median\": null, \"relief_ms_median\": null,\n");
	fprintf(f, "     \"max_over_mean_mean\": %.4f, \"max_over_mean_p99\": %.4f,\n",
		r->ratio_mean, r->ratio_p99);
	fprintf(f, "     \"ns_per_round_median\": %.0f, \"timed_rounds\": %u}%s\n",
		r->ns_median, r->ns_rounds, last ? "" : ",");
}

static void sim_json_policies(FILE *f, const struct sim_report *rep)
{
	static const char * const kinds[] = {
		[SIM_POLICY_EVSTEER] = "evsteer",
		[SIM_POLICY_STATIC] = "static",
		[SIM_POLICY_IRQBALANCE] = "irqbalance-like",
	};
	unsigned int i;

	fprintf(f, "  \"policies\": [\n");
	for (i = 0; i < rep->nr_pols; i++)
		fprintf(f, "    {\"name\": \"%s\", \"kind\": \"%s\", \"margin_pct\": %u, \"residence_ms\": %u}%s\n",
			rep->pols[i].name, kinds[rep->pols[i].kind],
			rep->pols[i].margin / SIM_PCT(1),
			rep->pols[i].residence_ms,
			i + 1 < rep->nr_pols ? "," : "");
	fprintf(f, "  ],\n");
}

/**
 * sim_report_json() - the whole run as one JSON object
 * @f:   output
 * @rep: the run
 */
void sim_report_json(FILE *f, const struct sim_report *rep)
{
	unsigned int i;

	fprintf(f, "{\n  \"tick_ms\": %u, \"seconds\": %u, \"seed\": %llu,\n",
		SIM_TICK_MS, rep->seconds, (unsigned long long)rep->seed);
	fprintf(f, "  \"hot_threshold_pct\": %u, \"lanes_per_ring\": %u, \"max_rings\": %u,\n",
		SIM_HOT / SIM_PCT(1), SIM_LANES_PER_RING, SIM_MAX_RINGS);
	fprintf(f, "  \"scenarios\": [\n");
	for (i = 0; i < sim_nr_scenarios; i++)
		fprintf(f, "    {\"name\": \"%s\", \"desc\": \"%s\"}%s\n",
			sim_scenarios[i].name, sim_scenarios[i].desc,
			i + 1 < sim_nr_scenarios ? "," : "");
	fprintf(f, "  ],\n");
	sim_json_policies(f, rep);
	fprintf(f, "  \"runs\": [\n");
	for (i = 0; i < rep->nr_res; i++)
		sim_json_run(f, &rep->res[i], i + 1 == rep->nr_res);
	fprintf(f, "  ]\n}\n");
}

static void sim_md_table(FILE *f, const struct sim_report *rep,
			 const struct sim_scenario *sc)
{
	unsigned int i;
	char buf[64];

	fprintf(f, "\n#### Scenario `%s`: %s\n\n", sc->name, sc->desc);
	fprintf(f, "| CPUs | lanes | policy | migrations/min | from %u s on | time to relieve (median) | relieved | max/mean mean | max/mean p99 | ns per decision round (median) |\n",
		SIM_SETTLE_TICKS * SIM_TICK_MS / 1000);
	fprintf(f, "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
	for (i = 0; i < rep->nr_res; i++) {
		const struct sim_result *r = &rep->res[i];

		if (r->scenario != sc)
			continue;
		fprintf(f, "| %u | %u | %s | %.1f | %.1f | %s | %u/%u | %.3f | %.3f | %.0f |\n",
			r->nr_cpus, r->nr_lanes, r->policy->name,
			r->mig_per_min, r->mig_per_min_settled,
			sim_relief_text(r, buf, sizeof(buf)),
			r->relieved, r->events, r->ratio_mean, r->ratio_p99,
			r->ns_median);
	}
}

/**
 * sim_report_md() - one Markdown table per scenario
 * @f:   output
 * @rep: the run
 */
void sim_report_md(FILE *f, const struct sim_report *rep)
{
	unsigned int s;

	fprintf(f, "Simulated %u s per run (tick %u ms), seed %llu; relieved = usage below %u %%.\n",
		rep->seconds, SIM_TICK_MS, (unsigned long long)rep->seed,
		SIM_HOT / SIM_PCT(1));
	for (s = 0; s < sim_nr_scenarios; s++)
		sim_md_table(f, rep, &sim_scenarios[s]);
}

static unsigned int sim_index_of_policy(const struct sim_report *rep,
					const struct sim_policy *pol)
{
	return pol - rep->pols;
}

/**
 * sim_report_dat() - one line per run, for gnuplot
 * @f:   output
 * @rep: the run
 *
 * Columns: CPUs, scenario index, scenario, policy index, policy,
 * migrations/min, relief in ms (-1 never, -2 no event), max/mean mean,
 * max/mean p99, ns per round.
 */
void sim_report_dat(FILE *f, const struct sim_report *rep)
{
	unsigned int i;

	fprintf(f, "# cpus scen_idx scenario pol_idx policy mig_per_min relief_ms ratio_mean ratio_p99 ns_median\n");
	for (i = 0; i < rep->nr_res; i++) {
		const struct sim_result *r = &rep->res[i];
		double relief = isnan(r->relief) ? -2 :
				isinf(r->relief) ? -1 :
				r->relief * SIM_TICK_MS;

		fprintf(f, "%u %u %s %u %s %.3f %.0f %.4f %.4f %.0f\n",
			r->nr_cpus,
			(unsigned int)(r->scenario - sim_scenarios),
			r->scenario->name, sim_index_of_policy(rep, r->policy),
			r->policy->name, r->mig_per_min, relief, r->ratio_mean,
			r->ratio_p99, r->ns_median);
	}
}

/**
 * sim_report_series() - max/mean usage of every tick, one column per policy
 * @f:        output
 * @rep:      the run
 * @scenario: which scenario
 * @nr_cpus:  on how many CPUs
 */
void sim_report_series(FILE *f, const struct sim_report *rep,
		       const char *scenario, unsigned int nr_cpus)
{
	const struct sim_result *cols[16];
	unsigned int i, n = 0, t;

	for (i = 0; i < rep->nr_res && n < 16; i++)
		if (rep->res[i].nr_cpus == nr_cpus &&
		    !strcmp(rep->res[i].scenario->name, scenario))
			cols[n++] = &rep->res[i];
	if (!n)
		return;
	fprintf(f, "time_s");
	for (i = 0; i < n; i++)
		fprintf(f, " %s", cols[i]->policy->name);
	fprintf(f, "\n");
	for (t = 0; t < cols[0]->ticks; t++) {
		fprintf(f, "%.1f", t * SIM_TICK_MS / 1000.0);
		for (i = 0; i < n; i++)
			fprintf(f, " %.4f", cols[i]->ratio[t]);
		fprintf(f, "\n");
	}
}
