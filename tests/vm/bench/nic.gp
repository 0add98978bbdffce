# SPDX-License-Identifier: GPL-2.0
#
# The NIC comparison's chart (tests/vm/bench/nic.sh): latencies of both
# NICs side by side, and every ratio evsteer / virtio-net.
# Variables: lat (label, evsteer us, virtio-net us), ratio (label,
# ratio, better: lower or higher), png.
set terminal pngcairo size 1100,900 font ",10"
set output png
set multiplot layout 2,1 title "evsteer vs QEMU virtio-net (RPS, RFS, irqbalance), one TCG guest, 4 vCPUs"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set logscale y
set grid ytics
set key top left
set rmargin 10
set ylabel "latency, us (log)"
set xtics rotate by -20 noenhanced
set title "Latency: ping RTT and UDP request/response, p50 and p99"
plot lat using 2:xtic(1) title "evsteer" lc rgb "#1f77b4", \
     '' using 3 title "virtio-net" lc rgb "#ff7f0e"
set title "evsteer / virtio-net (below 1: evsteer lower; whether lower is better is in the table)"
set ylabel "ratio (log)"
set boxwidth 0.6
set xtics rotate by -30 noenhanced
unset key
plot ratio using 0:2:xtic(1) with boxes lc rgb "#2ca02c", 1 with lines lc rgb "black" dt 2 notitle
unset multiplot
