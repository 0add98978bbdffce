# SPDX-License-Identifier: GPL-2.0
#
# Host side of tests/vm/bench/hog.sh: reads its console output (the
# "bench-*" lines, see hog.sh) and writes, with -v out=PREFIX:
#
#   PREFIX.usage.dat    t, per-CPU usage in % (/proc/stat, between samples)
#   PREFIX.mon.dat      t, per-CPU usage in % as the driver's monitor saw it
#   PREFIX.lanes.dat    t, the CPU of each lane (polled)
#   PREFIX.irqs.dat     t, the effective CPU of each data vector
#   PREFIX.hogs.dat     start, end, CPU of each hog (t as above)
#   PREFIX.rounds.tsv   one line per hog round (columns in its header)
#   PREFIX.irqchanges.tsv  every change of a vector's affinity or
#                       effective affinity: t, irq, name, from, to
#   PREFIX.summary      key=value lines
#
# t is seconds since the first sample (guest /proc/uptime).  Times to
# relief come from the trace (evsteer_migrate and the hog's marker, the
# trace clock); the polled ones from the samples.

function kvs(a,    i, p) {
	delete a
	for (i = 2; i <= NF; i++) {
		p = index($i, "=")
		if (p)
			a[substr($i, 1, p - 1)] = substr($i, p + 1)
	}
}

# the first CPU of a cpulist ("2", "0-3", "1,3")
function first_cpu(l) { sub(/[-,].*/, "", l); return l }

function ms(x) { return sprintf("%d", x * 1000 + 0.5) }

{
	i = index($0, "bench-")
	if (!i)
		next
	$0 = substr($0, i)
	sub(/\r$/, "")
}

$1 == "bench-info" {
	for (i = 2; i <= NF; i++)
		if ($i ~ /^[a-z_]+=/) {
			p = index($i, "=")
			info[substr($i, 1, p - 1)] = substr($i, p + 1)
		}
	next
}

$1 == "bench-irqs" {
	kvs(a)
	for (k in a)
		irqname[k] = a[k]
	next
}

$1 == "bench-sample" {
	kvs(a)
	ns++
	ts[ns] = a["t"] + 0
	for (c = 0; ("cpu" c) in a; c++) {
		split(a["cpu" c], v, ",")
		busy[ns, c] = v[1]
		all[ns, c] = v[2]
	}
	ncpu = c
	nm = split(a["mon"], v, ",")
	for (c = 1; c <= nm; c++)
		mon[ns, c - 1] = v[c] / 100
	nl = split(a["lanes"], v, ",")
	for (j = 1; j <= nl; j++) {
		split(v[j], w, "@")
		if (ns == 1)
			lane_name[j] = w[1]
		lane_at[ns, w[1]] = w[2]
	}
	nlanes = nl
	na = split(a["aff"], v, ",")
	for (j = 1; j <= na; j++) {
		p = index(v[j], ":")
		irq = substr(v[j], 1, p - 1)
		aff[ns, irq] = substr(v[j], p + 1)
		if (ns == 1)
			irq_order[++nirq] = irq
	}
	next
}

$1 == "bench-place" {
	kvs(a)
	place[a["round"], a["ring"] "." a["lane"]] = a["cpu"]
	next
}

$1 == "bench-hog" {
	kvs(a)
	r = a["round"]
	rounds = r > rounds ? r : rounds
	hog_cpu[r] = a["cpu"]
	hog_t[r] = a["t"] + 0
	next
}

$1 == "bench-hogend" {
	kvs(a)
	hogend_t[a["round"]] = a["t"] + 0
	next
}

$1 == "bench-trace" {
	nt++
	tt[nt] = $2 + 0
	tkind[nt] = $3
	if ($3 == "marker") {
		tname[nt] = $4
		marker[$4] = nt
	} else {
		kvs(a)
		tlane[nt] = a["ring"] "." a["lane"]
		tfrom[nt] = a["from"]
		tto[nt] = a["to"]
	}
	next
}

$1 == "bench-es" {
	kvs(a)
	es[a["when"], "migrations"] = a["migrations"]
	es[a["when"], "lost"] = a["lost"]
	es[a["when"], "dev_drops"] = a["dev_drops"]
	es[a["when"], "events"] = a["events"]
	next
}

$1 == "bench-irqb" {
	kvs(a)
	irqb_status = irqb_status (irqb_status == "" ? "" : ",") a["status"]
	next
}

# irqbalance --debug: its tree after each pass ("CPU number N ... (load
# X)": its own load figure of the CPU, from irq and softirq time), and
# the IRQs it picked to move
$1 == "bench-irqblog" {
	if ($2 ~ /^-----/)
		irqb_dumps++
	if ($2 == "CPU" && $3 == "number") {
		l = $NF
		gsub(/[^0-9]/, "", l)
		irqb_load[irqb_dumps, $4] = l
		irqb_ncpu = $4 + 1 > irqb_ncpu ? $4 + 1 : irqb_ncpu
	}
	if ($2 == "Selecting" && $3 == "irq")
		irqb_sel = irqb_sel (irqb_sel == "" ? "" : ",") $4
	next
}

$1 == "bench-error" {
	errors++
	next
}

# lanes_on(K, CPU): lanes of round K's working placement on CPU
function lanes_on(cpu,    l, n) {
	n = 0
	for (l in cur)
		if (cur[l] == cpu)
			n++
	return n
}

# trace_round(K): relief and moves of round K from the trace
function trace_round(k,    ip, is, ie, j, l, cpu, n) {
	R_start_lanes = R_relief = R_first = "n/a"
	R_moves = R_returns = 0
	ip = marker["bench-place-" k]
	is = marker["bench-hog-start-" k]
	ie = marker["bench-hog-end-" k]
	if (!ip || !is)
		return
	cpu = hog_cpu[k]
	delete cur
	for (l = 1; l <= nlanes; l++)
		if ((k, lane_name[l]) in place)
			cur[lane_name[l]] = place[k, lane_name[l]]
	for (j = ip + 1; j <= nt && (!ie || j <= ie); j++) {
		if (j == is) {
			R_start_lanes = lanes_on(cpu)
			R_relief = R_start_lanes == 0 ? 0 : "never"
			R_first = "never"
			continue
		}
		if (tkind[j] != "migrate")
			continue
		cur[tlane[j]] = tto[j]
		if (j < is)
			continue
		R_moves++
		if (tto[j] == cpu)
			R_returns++
		if (tfrom[j] == cpu && R_first == "never")
			R_first = ms(tt[j] - tt[is])
		if (R_relief == "never" && lanes_on(cpu) == 0)
			R_relief = ms(tt[j] - tt[is])
	}
}

# poll_round(K): relief from the samples: the lanes, and the data
# vectors' effective CPU
function poll_round(k,    s, s0, cpu, l, n, j, irq, name, on, lanes_before) {
	P_relief = P_irq = "n/a"
	cpu = hog_cpu[k]
	s0 = 0
	for (s = 1; s <= ns; s++)
		if (ts[s] <= hog_t[k])
			s0 = s
	if (!s0)
		return
	on = 0
	for (j = 1; j <= nirq; j++) {
		irq = irq_order[j]
		if (irqname[irq] ~ /-ring/ && first_cpu(substr(aff[s0, irq], index(aff[s0, irq], "/") + 1)) == cpu)
			on++
	}
	P_irq = on ? "never" : "none-at-start"
	lanes_before = 0
	for (l = 1; l <= nlanes; l++)
		if (lane_at[s0, lane_name[l]] == cpu)
			lanes_before++
	P_relief = lanes_before ? "never" : 0
	for (s = s0 + 1; s <= ns && ts[s] <= hogend_t[k]; s++) {
		n = 0
		for (l = 1; l <= nlanes; l++)
			if (lane_at[s, lane_name[l]] == cpu)
				n++
		if (n == 0 && P_relief == "never")
			P_relief = ms(ts[s] - hog_t[k])
		on = 0
		for (j = 1; j <= nirq; j++) {
			irq = irq_order[j]
			if (irqname[irq] ~ /-ring/ && first_cpu(substr(aff[s, irq], index(aff[s, irq], "/") + 1)) == cpu)
				on++
		}
		if (on == 0 && P_irq == "never")
			P_irq = ms(ts[s] - hog_t[k])
	}
}

END {
	t0 = ts[1]
	# per-CPU usage between samples, at the later sample's time
	f = out ".usage.dat"
	printf "t" >f
	for (c = 0; c < ncpu; c++)
		printf " CPU%d", c >f
	printf "\n" >f
	for (s = 2; s <= ns; s++) {
		printf "%.2f", ts[s] - t0 >f
		for (c = 0; c < ncpu; c++) {
			d = all[s, c] - all[s - 1, c]
			printf " %.1f", (d > 0 ? (busy[s, c] - busy[s - 1, c]) * 100 / d : 0) >f
		}
		printf "\n" >f
	}
	close(f)
	f = out ".mon.dat"
	printf "t" >f
	for (c = 0; c < ncpu; c++)
		printf " CPU%d", c >f
	printf "\n" >f
	for (s = 1; s <= ns; s++) {
		printf "%.2f", ts[s] - t0 >f
		for (c = 0; c < ncpu; c++)
			printf " %.1f", mon[s, c] >f
		printf "\n" >f
	}
	close(f)
	f = out ".lanes.dat"
	printf "t" >f
	for (l = 1; l <= nlanes; l++) {
		split(lane_name[l], w, ".")
		printf " r%sl%s", w[1], w[2] >f
	}
	printf "\n" >f
	for (s = 1; s <= ns; s++) {
		printf "%.2f", ts[s] - t0 >f
		for (l = 1; l <= nlanes; l++)
			printf " %s", lane_at[s, lane_name[l]] >f
		printf "\n" >f
	}
	close(f)
	f = out ".irqs.dat"
	printf "t" >f
	for (j = 1; j <= nirq; j++)
		if (irqname[irq_order[j]] ~ /-ring/) {
			name = irqname[irq_order[j]]
			sub(/^.*-/, "", name)
			printf " %s(IRQ%s)", name, irq_order[j] >f
		}
	printf "\n" >f
	for (s = 1; s <= ns; s++) {
		printf "%.2f", ts[s] - t0 >f
		for (j = 1; j <= nirq; j++) {
			irq = irq_order[j]
			if (irqname[irq] ~ /-ring/)
				printf " %s", first_cpu(substr(aff[s, irq], index(aff[s, irq], "/") + 1)) >f
		}
		printf "\n" >f
	}
	close(f)
	f = out ".irqchanges.tsv"
	printf "t_s\tirq\tname\tfrom\tto\n" >f
	nchg = 0
	for (s = 2; s <= ns; s++)
		for (j = 1; j <= nirq; j++) {
			irq = irq_order[j]
			if (aff[s, irq] != aff[s - 1, irq]) {
				nchg++
				printf "%.2f\t%s\t%s\t%s\t%s\n", ts[s] - t0, irq,
				       irqname[irq], aff[s - 1, irq], aff[s, irq] >f
			}
		}
	close(f)
	f = out ".hogs.dat"
	for (k = 1; k <= rounds; k++)
		printf "%.2f %.2f %s\n", hog_t[k] - t0,
		       ((k in hogend_t) ? hogend_t[k] : ts[ns]) - t0, hog_cpu[k] >f
	close(f)
	f = out ".rounds.tsv"
	printf "round\tcpu\tlanes_at_start\trelief_ms\tfirst_move_ms\trelief_poll_ms\tmoves_during_hog\tmoves_to_hogged_cpu\thard_irq_relief_poll_ms\thog_s\n" >f
	for (k = 1; k <= rounds; k++) {
		trace_round(k)
		poll_round(k)
		printf "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%.1f\n", k, hog_cpu[k],
		       R_start_lanes, R_relief, R_first, P_relief, R_moves,
		       R_returns, P_irq, hogend_t[k] - hog_t[k] >f
	}
	close(f)
	# moves over the whole trace, and before the first hog (noise)
	before = total = 0
	for (j = 1; j <= nt; j++)
		if (tkind[j] == "migrate") {
			total++
			if (!marker["bench-hog-start-1"] || j < marker["bench-hog-start-1"])
				before++
		}
	# sample period: median of the gaps
	for (s = 2; s <= ns; s++)
		gap[s - 1] = ts[s] - ts[s - 1]
	n = ns - 1
	for (i = 1; i <= n; i++)
		for (j = i + 1; j <= n; j++)
			if (gap[j] < gap[i]) { x = gap[i]; gap[i] = gap[j]; gap[j] = x }
	f = out ".summary"
	printf "mode=%s\n", info["mode"] >f
	printf "margin=%s\n", info["margin"] >f
	printf "interval_ms=%s\n", info["interval_ms"] >f
	printf "policy=%s\n", info["policy"] >f
	printf "guest_kernel=%s\n", info["guest_kernel"] >f
	printf "cpus=%s\n", ncpu >f
	printf "lanes=%s\n", nlanes >f
	printf "rounds=%s\n", rounds >f
	printf "samples=%d\n", ns >f
	printf "sample_period_ms=%s\n", (n > 0 ? ms(gap[int((n + 1) / 2)]) : "n/a") >f
	printf "span_s=%.1f\n", ts[ns] - t0 >f
	printf "migrations_traced=%d\n", total >f
	printf "migrations_before_first_hog=%d\n", before >f
	printf "migrations_per_min=%.0f\n", (ts[ns] > t0 ? total * 60 / (ts[ns] - t0) : 0) >f
	printf "settle_s=%s\n", info["settle_s"] >f
	printf "irq_affinity_changes=%d\n", nchg >f
	printf "events=%d\n", es["end", "events"] - es["start", "events"] >f
	printf "lost=%d\n", es["end", "lost"] - es["start", "lost"] >f
	printf "dev_drops=%d\n", es["end", "dev_drops"] - es["start", "dev_drops"] >f
	printf "irqbalance=%s\n", (irqb_status == "" ? "n/a" : irqb_status) >f
	printf "errors=%d\n", errors >f
	loads = ""
	for (c = 0; c < irqb_ncpu; c++)
		loads = loads (c ? "," : "") irqb_load[irqb_dumps, c]
	printf "irqbalance_passes_logged=%d\n", irqb_dumps >f
	printf "irqbalance_last_cpu_loads=%s\n", (loads == "" ? "n/a" : loads) >f
	printf "irqbalance_selected_irqs=%s\n", (irqb_sel == "" ? "none" : irqb_sel) >f
	close(f)
}
