# SPDX-License-Identifier: GPL-2.0
#
# make demo: the load monitor over time, from build/demo/monitor.dat
# (one row per monitor tick: seconds, usage of each CPU in hundredths of
# a percent, then the CPU of each lane).  scripts/demo.sh sets:
#   datafile, out, ncpu, nlanes, lanenames (words, "ring.lane"), hot
#   (index of the busiest lane, from 0), hog_t (seconds), hog_cpu,
#   title_extra

set terminal pngcairo size 1280,900 font "sans,11"
set output out
set multiplot layout 2,1 title "evsteer load monitor: ".title_extra font "sans,13"
set grid
set lmargin at screen 0.07
set rmargin at screen 0.82
set key outside right top
set xlabel "time (s)"
set xrange [0:*]
set arrow 1 from hog_t, graph 0 to hog_t, graph 1 nohead dashtype 2 linewidth 2 linecolor "black"
set label 1 sprintf(" busy loop on CPU %d", hog_cpu) at hog_t, graph 0.93 left

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
unset multiplot
