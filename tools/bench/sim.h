/* SPDX-License-Identifier: GPL-2.0 */
/*
 * policy_sim: replay synthetic per-CPU load traces through the driver's
 * lane placement policy (drivers/evsteer/policy.c, compiled unchanged)
 * and through the policies it is compared with.
 *
 * Model.  A tick is 100 ms, as the driver's monitor ticks.  Every CPU
 * has a background load that stays on it (tasks, other interrupts);
 * every lane has a load of its own that moves with the lane.  A CPU's
 * usage in a tick is its background plus the loads of the lanes it
 * runs, capped at EVS_USAGE_FULL (a CPU cannot be more than busy).
 * The policies see the usage and the lane loads of the tick that just
 * ended, as the driver's monitor does, and their moves take effect in
 * the next tick.
 *
 * Units are policy.h's: hundredths of a percent of one CPU.
 */
#ifndef _EVSTEER_SIM_H
#define _EVSTEER_SIM_H

#include <linux/bitmap.h>
#include <linux/minmax.h>
#include <linux/types.h>

#include "policy.h"		/* drivers/evsteer/, unchanged */
#include "bench_rng.h"

#define SIM_TICK_MS		100
#define SIM_TICKS_PER_MIN	(60 * 1000 / SIM_TICK_MS)
#define SIM_PCT(x)		((x) * (EVS_USAGE_FULL / 100))
#define SIM_HOT			SIM_PCT(90)	/* relieved below this */
#define SIM_MAX_RINGS		63	/* EVS_MAX_RINGS less the admin ring */
#define SIM_LANES_PER_RING	2	/* the driver's default lanes=2 */
#define SIM_SETTLE_TICKS	300	/* "settled" churn counts from 30 s on */

/**
 * struct sim_world - the simulated machine in one tick
 * @nr_cpus:   CPUs, all allowed
 * @nr_lanes:  lanes, SIM_LANES_PER_RING per ring
 * @allowed:   bitmap of allowed CPUs (all of them)
 * @bg:        background load of each CPU this tick
 * @bg_base:   each CPU's background before noise and events
 * @lane_base: each lane's load before noise
 * @lanes:     each lane's CPU, and its load this tick
 * @usage:     each CPU's usage this tick (capped)
 * @estimate:  scratch copy of @usage that evs_policy_tick_tree() updates
 * @tree_node: the nodes of the tournament tree over @estimate
 * @rng:       the trace's random numbers, drawn in a fixed order
 * @hot_cpu:   CPU under a hot event this tick, or EVS_CPU_NONE
 * @hot_onset: this tick starts the hot event
 */
struct sim_world {
	unsigned int nr_cpus;
	unsigned int nr_lanes;
	unsigned long *allowed;
	u32 *bg;
	u32 *bg_base;
	u32 *lane_base;
	struct evs_policy_lane *lanes;
	u32 *usage;
	u32 *estimate;
	u32 *tree_node;
	struct bench_rng rng;
	unsigned int hot_cpu;
	bool hot_onset;
};

/**
 * struct sim_scenario - a synthetic load trace
 * @name: short name, used in file names and tables
 * @desc: one line for the report
 * @init: set base loads once the lanes have their first CPUs
 * @tick: set @bg, each lane's load and the hot event for tick @t
 */
struct sim_scenario {
	const char *name;
	const char *desc;
	void (*init)(struct sim_world *w);
	void (*tick)(struct sim_world *w, unsigned int t);
};

extern const struct sim_scenario sim_scenarios[];
extern const unsigned int sim_nr_scenarios;

enum sim_policy_kind {
	SIM_POLICY_EVSTEER,	/* policy.c, lowest usage with a margin */
	SIM_POLICY_STATIC,	/* policy.c with is_static: never moves */
	SIM_POLICY_IRQBALANCE,	/* sim_irqbalance.c */
};

/**
 * struct sim_policy - one contender
 * @name:   as shown in tables and charts
 * @kind:   enum sim_policy_kind
 * @margin: for SIM_POLICY_EVSTEER, in usage units
 * @residence_ms: for SIM_POLICY_EVSTEER, the lanes' minimum residence
 *          time (policy.c's residence rule); 0: none
 */
struct sim_policy {
	const char *name;
	enum sim_policy_kind kind;
	u32 margin;
	u32 residence_ms;
};

/**
 * struct sim_irqbalance - state of the irqbalance-like policy
 * @acc:   each lane's load summed over the current interval
 * @ticks: ticks in the current interval
 * @irq:   scratch: each CPU's interrupt load over the interval
 * @count: scratch: lanes on each CPU
 */
struct sim_irqbalance {
	u64 *acc;
	unsigned int ticks;
	u64 *irq;
	unsigned int *count;
};

#define SIM_IRQBALANCE_TICKS	100	/* irqbalance's 10 s interval */

int sim_irqbalance_init(struct sim_irqbalance *ib, const struct sim_world *w);
void sim_irqbalance_free(struct sim_irqbalance *ib);
void sim_irqbalance_account(struct sim_irqbalance *ib,
			    const struct sim_world *w);
bool sim_irqbalance_due(const struct sim_irqbalance *ib);
unsigned int sim_irqbalance_decide(struct sim_irqbalance *ib,
				   struct sim_world *w);

/**
 * struct sim_result - what one (scenario, CPUs, policy) run measured
 * @scenario:    the trace
 * @policy:      the contender
 * @nr_cpus:     CPUs
 * @nr_lanes:    lanes
 * @ticks:       ticks simulated
 * @moves:       lane migrations over the run
 * @mig_per_min: @moves per simulated minute
 * @moves_settled: lane migrations from tick SIM_SETTLE_TICKS on, after
 *               the first placement has settled
 * @mig_per_min_settled: @moves_settled per simulated minute of those ticks
 * @held:        moves held back by the residence rule over the run
 * @events:      hot events in the trace
 * @relieved:    hot events relieved before they ended
 * @relief:      median ticks from onset to usage below SIM_HOT over the
 *               events (INFINITY: never; NAN: no events)
 * @ratio_mean:  mean over ticks of max / mean CPU usage
 * @ratio_p99:   99th percentile of the same
 * @ns_median:   median ns of one policy decision round
 * @ns_rounds:   rounds timed (every tick; irqbalance: every interval)
 * @ratio:       max / mean usage of every tick (@ticks entries)
 */
struct sim_result {
	const struct sim_scenario *scenario;
	const struct sim_policy *policy;
	unsigned int nr_cpus;
	unsigned int nr_lanes;
	unsigned int ticks;
	unsigned long moves;
	double mig_per_min;
	unsigned long moves_settled;
	double mig_per_min_settled;
	unsigned long held;
	unsigned int events;
	unsigned int relieved;
	double relief;
	double ratio_mean;
	double ratio_p99;
	double ns_median;
	unsigned int ns_rounds;
	double *ratio;
};

int sim_world_init(struct sim_world *w, unsigned int nr_cpus);
void sim_world_free(struct sim_world *w);
int sim_run(const struct sim_scenario *sc, const struct sim_policy *pol,
	    unsigned int nr_cpus, unsigned int ticks, u64 seed,
	    struct sim_result *res);

#endif /* _EVSTEER_SIM_H */
