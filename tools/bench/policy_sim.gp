# SPDX-License-Identifier: GPL-2.0
#
# Charts of a policy_sim run (tools/bench/policy_sim.c), from the data
# files it wrote into the directory `dir`:
#
#   migrations.png   lane migrations per minute, per policy and scenario
#   relief.png       time to relieve the hot CPU (step and bursts)
#   step_usage.png   max/mean CPU usage over time, step scenario
#
# Usage: gnuplot -e "dir='OUT'; cpus='4 64 1024 4096'; series='4 64'" \
#                tools/bench/policy_sim.gp

if (!exists("dir")) dir = "."
if (!exists("cpus")) cpus = "4 64 1024 4096"
if (!exists("series")) series = "4 64"

dat = dir . "/policy_sim.dat"
policies = "evsteer-m0 evsteer-m5 evsteer-m10 evsteer-m20 static irqbalance evsteer-m10-r20s evsteer-m20-r20s"
scenarios = "step noise bursts zipf"
npol = words(policies)
bw = 0.1			# bar width; npol bars per scenario
colors = "#1f77b4 #2ca02c #ff7f0e #d62728 #7f7f7f #9467bd #e377c2 #8c564b"
xpos(s, p) = s + (p - (npol - 1) / 2.0) * bw

set terminal pngcairo size 1400,900 font "sans,11"
set style fill solid 0.85 border -1
set boxwidth bw
set grid ytics
set key top left horizontal font "sans,10"

# ---- migrations per minute ----------------------------------------------
set output dir . "/migrations.png"
set multiplot layout 2,2 title "Lane migrations per simulated minute (log scale; 0 is labelled)" font "sans,14"
set logscale y
set yrange [0.1:5000000]
set xrange [-0.6:3.6]
set xtics ("step" 0, "noise" 1, "bursts" 2, "zipf" 3)
set ylabel "migrations / min"
do for [c in cpus] {
	set title sprintf("%s CPUs", c)
	plot for [p=0:npol-1] dat using ($1 == c + 0 && $4 == p ? xpos($2, p) : NaN):($6 > 0 ? $6 : NaN) \
		with boxes lc rgb word(colors, p + 1) title word(policies, p + 1), \
	     for [p=0:npol-1] dat using ($1 == c + 0 && $4 == p && $6 == 0 ? xpos($2, p) : NaN):(0.14):(sprintf("0")) \
		with labels font "sans,8" notitle
}
unset multiplot

# ---- time to relieve ------------------------------------------------------
# "never" is drawn as a hatched bar up to its own tick above the scale.
set output dir . "/relief.png"
set multiplot layout 2,2 title "Time to relieve the hot CPU (usage below 90 %), median over hot events; hatched = never relieved" font "sans,14"
never = 50000
set yrange [7:200000]
set ytics ("10" 10, "100" 100, "1000" 1000, "10000" 10000, "never" never)
set xrange [-0.6:1.6]
set xtics ("step (1 event, lasts to the end)" 0, "bursts (one event per burst, 4 s each)" 1)
set ylabel "ms (log scale)"
set key top left horizontal
rx(s) = s == 0 ? 0 : 1		# scenario index 0 (step) or 2 (bursts)
do for [c in cpus] {
	set title sprintf("%s CPUs", c)
	plot for [p=0:npol-1] dat using ($1 == c + 0 && $4 == p && $7 >= 0 ? xpos(rx($2), p) : NaN):7 \
		with boxes lc rgb word(colors, p + 1) title word(policies, p + 1), \
	     for [p=0:npol-1] dat using ($1 == c + 0 && $4 == p && $7 == -1 ? xpos(rx($2), p) : NaN):(never) \
		with boxes lc rgb word(colors, p + 1) fs pattern 4 border notitle, \
	     for [p=0:npol-1] dat using ($1 == c + 0 && $4 == p && $7 >= 0 ? xpos(rx($2), p) : NaN):($7 * 1.5):(sprintf("%.0f", $7)) \
		with labels font "sans,8" notitle
}
unset multiplot
set ytics auto
set style fill solid 0.85 border -1

# ---- max/mean usage over time, step scenario --------------------------------
# Left: the whole run; right: 5 s either side of the step, tick by tick.
# Lines that coincide (policies that never move) are drawn thicker and
# dashed so that both stay visible.
set output dir . "/step_usage.png"
unset logscale y
set ytics auto
set xtics auto
set yrange [0.9:*]
set ylabel "max / mean CPU usage"
set key outside right top vertical font "sans,10"
dash(p) = p == 4 ? 2 : p == 5 ? 3 : 1
width(p) = p == 4 ? 4 : p == 5 ? 2.5 : 1.2
set multiplot layout words(series),2 title "Step scenario (a task takes 85 % of a lane's CPU at 30 s): max/mean CPU usage per 100 ms tick" font "sans,14"
do for [c in series] {
	f = dir . "/step_" . c . ".dat"
	set title sprintf("%s CPUs, whole run", c)
	set xlabel "simulated time (s)"
	set xrange [0:*]
	plot for [p=0:npol-1] f using 1:(column(p + 2)) with lines \
		lw width(p) dt dash(p) lc rgb word(colors, p + 1) title word(policies, p + 1)
	set title sprintf("%s CPUs, 25-35 s", c)
	set xrange [25:35]
	plot for [p=0:npol-1] f using 1:(column(p + 2)) with linespoints pt 7 ps 0.4 \
		lw width(p) dt dash(p) lc rgb word(colors, p + 1) title word(policies, p + 1)
}
unset multiplot
