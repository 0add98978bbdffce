# SPDX-License-Identifier: GPL-2.0
#
# One chart of a hog scenario (tests/vm/bench/hog.sh, parsed by hog.awk):
# per-CPU usage, the CPU of every lane, and the CPU each data vector's
# hard IRQ is delivered to (effective affinity), over time; the hogs
# are the shaded spans (and, in the lower panels, the hogged CPU's row);
# dashed lines mark changes of a vector's affinity (irqbalance's writes).
#
# Usage: gnuplot -e "p='PREFIX'; png='FILE'; name='TITLE'; ncpu=4; \
#                    nlanes=8; nirqs=4" tests/vm/bench/hog.gp
# PREFIX.usage.dat, .lanes.dat, .irqs.dat, .hogs.dat, .irqchanges.tsv
# come from hog.awk.

if (!exists("ncpu")) ncpu = 4
if (!exists("nlanes")) nlanes = 8
if (!exists("nirqs")) nirqs = 4

set terminal pngcairo size 1200,1050 font "sans,10" noenhanced
set output png
set multiplot layout 3,1 title name font "sans,13"
set grid xtics ytics
set key outside right top vertical font "sans,9"
set xlabel "s since sampling started (guest /proc/uptime)"
set lmargin 10
set rmargin 16
hogs = p . ".hogs.dat"
shade = "fs transparent solid 0.18 noborder lc rgb '#d62728'"

set title "CPU usage between samples (/proc/stat: all but idle and iowait)"
set ylabel "%"
set yrange [0:105]
plot hogs using (($1 + $2) / 2):(52.5):(($2 - $1) / 2):(52.5) \
	with boxxyerror @shade title "hog", \
     for [c = 2:ncpu + 1] p . ".usage.dat" using 1:c with lines lw 1.5 \
	title columnhead(c)

set title "Lane placement (the driver's monitor file; lanes offset a little to stay apart)"
set ylabel "CPU"
set yrange [-0.5:ncpu - 0.5]
set ytics 1
plot hogs using (($1 + $2) / 2):3:(($2 - $1) / 2):(0.5) \
	with boxxyerror @shade title "hogged CPU", \
     for [l = 2:nlanes + 1] p . ".lanes.dat" \
	using 1:(column(l) + (l - 1 - nlanes / 2.0) * 0.04) with steps lw 1.5 \
	title columnhead(l)

set title "Where each data vector's hard IRQ goes (effective affinity); dashed: an affinity changed"
plot hogs using (($1 + $2) / 2):3:(($2 - $1) / 2):(0.5) \
	with boxxyerror @shade title "hogged CPU", \
     p . ".irqchanges.tsv" every ::1 using 1:(-0.5):(0):(ncpu) \
	with vectors nohead dt 2 lc rgb "black" title "affinity written", \
     for [v = 2:nirqs + 1] p . ".irqs.dat" \
	using 1:(column(v) + (v - 1 - nirqs / 2.0) * 0.06) with steps lw 2 \
	title columnhead(v)
unset multiplot
