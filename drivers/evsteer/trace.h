/* SPDX-License-Identifier: GPL-2.0 */
/*
 * evsteer tracepoints, in /sys/kernel/tracing/events/evsteer/:
 *
 *   evsteer_ring_irq        a ring's vector fired (hard IRQ)
 *   evsteer_lane_run        a lane processed its share of a window
 *   evsteer_migrate         the monitor (or CPU hotplug) moved a lane
 *   evsteer_monitor_sample  one CPU's usage, once per CPU per tick
 *   evsteer_relief          a lane's window waited past relief_us: it
 *                           asked for a relief pass (relief.c)
 *
 * Usage figures are hundredths of a percent of one CPU (0 .. 10000).
 */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM evsteer

#if !defined(_EVSTEER_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _EVSTEER_TRACE_H

#include <linux/ktime.h>
#include <linux/smp.h>
#include <linux/tracepoint.h>

#include "evsteer.h"
#include "kcompat.h"

TRACE_EVENT(evsteer_ring_irq,
	    TP_PROTO(const struct evs_ring *ring),
	    TP_ARGS(ring),
	    TP_STRUCT__entry(__string(dev, ring->edev->name)
			     __field(u32, ring)
			     __field(unsigned int, cpu)),
	    TP_fast_assign(evs_assign_str(dev, ring->edev->name);
			   __entry->ring = ring->id;
			   __entry->cpu = raw_smp_processor_id();),
	    TP_printk("dev=%s ring=%u cpu=%u",
		      __get_str(dev), __entry->ring, __entry->cpu));

/* @start_ns: when the lane started; the event is taken as it ends */
TRACE_EVENT(evsteer_lane_run,
	    TP_PROTO(const struct evs_lane *lane, u32 events, u64 start_ns),
	    TP_ARGS(lane, events, start_ns),
	    TP_STRUCT__entry(__string(dev, lane->ring->edev->name)
			     __field(u32, ring)
			     __field(u32, lane)
			     __field(u32, events)
			     __field(u64, duration_ns)
			     __field(unsigned int, cpu)),
	    TP_fast_assign(evs_assign_str(dev, lane->ring->edev->name);
			   __entry->ring = lane->ring->id;
			   __entry->lane = lane->idx;
			   __entry->events = events;
			   __entry->duration_ns = ktime_get_ns() - start_ns;
			   __entry->cpu = raw_smp_processor_id();),
	    TP_printk("dev=%s ring=%u lane=%u events=%u duration_ns=%llu cpu=%u",
		      __get_str(dev), __entry->ring, __entry->lane,
		      __entry->events, __entry->duration_ns, __entry->cpu));

/* @why: EVS_DECIDE_MOVED (usage) or EVS_DECIDE_EVICTED (CPU not allowed) */
TRACE_EVENT(evsteer_migrate,
	    TP_PROTO(const struct evs_lane *lane, unsigned int from,
		     unsigned int to, u32 usage_from, u32 usage_to, u32 margin,
		     enum evs_decision why),
	    TP_ARGS(lane, from, to, usage_from, usage_to, margin, why),
	    TP_STRUCT__entry(__string(dev, lane->ring->edev->name)
			     __field(u32, ring)
			     __field(u32, lane)
			     __field(unsigned int, from)
			     __field(unsigned int, to)
			     __field(u32, usage_from)
			     __field(u32, usage_to)
			     __field(u32, margin)
			     __string(why, evs_decision_name(why))),
	    TP_fast_assign(evs_assign_str(dev, lane->ring->edev->name);
			   __entry->ring = lane->ring->id;
			   __entry->lane = lane->idx;
			   __entry->from = from;
			   __entry->to = to;
			   __entry->usage_from = usage_from;
			   __entry->usage_to = usage_to;
			   __entry->margin = margin;
			   evs_assign_str(why, evs_decision_name(why));),
	    TP_printk("dev=%s ring=%u lane=%u from=%u to=%u usage_from=%u usage_to=%u margin=%u why=%s",
		      __get_str(dev), __entry->ring, __entry->lane,
		      __entry->from, __entry->to, __entry->usage_from,
		      __entry->usage_to, __entry->margin, __get_str(why)));

/* @usage: what the policy sees (smoothed); @raw: the last interval's */
TRACE_EVENT(evsteer_monitor_sample,
	    TP_PROTO(const struct evs_dev *edev, unsigned int cpu, u32 usage,
		     u32 raw),
	    TP_ARGS(edev, cpu, usage, raw),
	    TP_STRUCT__entry(__string(dev, edev->name)
			     __field(unsigned int, cpu)
			     __field(u32, usage)
			     __field(u32, raw)),
	    TP_fast_assign(evs_assign_str(dev, edev->name);
			   __entry->cpu = cpu;
			   __entry->usage = usage;
			   __entry->raw = raw;),
	    TP_printk("dev=%s cpu=%u usage=%u raw=%u",
		      __get_str(dev), __entry->cpu, __entry->usage,
		      __entry->raw));

/* @delay_ns: how long the lane's window had waited for it */
TRACE_EVENT(evsteer_relief,
	    TP_PROTO(const struct evs_lane *lane, u64 delay_ns),
	    TP_ARGS(lane, delay_ns),
	    TP_STRUCT__entry(__string(dev, lane->ring->edev->name)
			     __field(u32, ring)
			     __field(u32, lane)
			     __field(unsigned int, cpu)
			     __field(u64, delay_ns)),
	    TP_fast_assign(evs_assign_str(dev, lane->ring->edev->name);
			   __entry->ring = lane->ring->id;
			   __entry->lane = lane->idx;
			   __entry->cpu = READ_ONCE(lane->cpu);
			   __entry->delay_ns = delay_ns;),
	    TP_printk("dev=%s ring=%u lane=%u cpu=%u delay_ns=%llu",
		      __get_str(dev), __entry->ring, __entry->lane,
		      __entry->cpu, __entry->delay_ns));

#endif /* _EVSTEER_TRACE_H */

/* An out-of-tree module: trace.o is built with -I$(src) (see Kbuild). */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
/* This part must be outside protection */
#include <trace/define_trace.h>
