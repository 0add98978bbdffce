# SPDX-License-Identifier: GPL-2.0
#
# make demo: the load monitor and the application over time.
# build/demo/monitor.dat has one row per monitor tick: seconds, usage of
# each CPU in hundredths of a percent, then the CPU of each lane;
# build/demo/rx.dat one row per receiver interval: start and end
# (seconds), datagrams/s, p50 and p99 latency (ns).  scripts/demo.sh
# sets:
#   datafile, rxfile, out, ncpu, nlanes, lanenames (words, "ring.lane"),
#   hot (index of the busiest lane, from 0), hog_t (seconds), hog_cpu,
#   hog_what, clear_t (seconds at which no lane was left on the hogged
#   CPU; -1: never), have_rx (rx.dat has rows), title_extra

set terminal pngcairo size 1280,1250 font "sans,11"
set output out
set multiplot layout 3,1 title "evsteer: real frames, the load monitor and an application\n".title_extra font "sans,13"
set grid
set lmargin at screen 0.07
set rmargin at screen 0.80
set key outside right top
set xlabel "time (s)"
set xrange [0:*]
set arrow 1 from hog_t, graph 0 to hog_t, graph 1 nohead dashtype 2 linewidth 2 linecolor "black"
set label 1 sprintf(" %s on CPU %d", hog_what, hog_cpu) at hog_t, graph 0.06 left
if (clear_t >= 0) {
	set arrow 2 from clear_t, graph 0 to clear_t, graph 1 nohead dashtype 3 linewidth 2 linecolor "dark-green"
}

set title "per-CPU usage as the monitor measures it (each tick)"
set ylabel "usage (%)"
set yrange [0:105]
plot for [c = 0:ncpu - 1] datafile using 1:(column(2 + c) / 100.0) \
	with lines linewidth 2 title sprintf("CPU %d", c)

unset label 1
set title "lane placement: the CPU each lane runs on (lanes offset slightly to stay apart)"
set ylabel "CPU"
set yrange [-0.5:ncpu - 0.5]
set ytics 1
plot for [i = 0:nlanes - 1] datafile \
	using 1:(column(2 + ncpu + i) + (i - (nlanes - 1) / 2.0) * 0.06) \
	with steps linewidth (i == hot ? 5 : 1.5) \
	title "lane ".word(lanenames, i + 1).(i == hot ? " (busiest)" : "")

set title "the application (evsteer-rx): hard IRQ -> socket latency per 1 s interval".(clear_t >= 0 ? "; dotted: the last lane leaves the hogged CPU" : "")
set ylabel "latency (ms)"
set logscale y
set yrange [*:*]
set ytics auto
set format y "%g"
if (have_rx) {
	plot rxfile using 2:($4 / 1e6) with fsteps linewidth 2 title "p50", \
		rxfile using 2:($5 / 1e6) with fsteps linewidth 2 title "p99"
} else {
	set label 3 "no receiver data" at graph 0.5, graph 0.5 center
	set yrange [0.1:1]
	plot 1 notitle with lines linecolor "white"
}
unset multiplot
