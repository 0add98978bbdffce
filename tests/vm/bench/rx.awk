# SPDX-License-Identifier: GPL-2.0
#
# The frames benchmark's console lines (tests/vm/bench/rx.sh: bench-rx,
# bench-rxlat, bench-rxskip), of every lane mode, into tables for
# tests/vm/bench/run.sh:
#
#   OUT.steps.tsv  every step: mode rings rate kind secs frames irqs
#                  irq_busy windows pps received rx_lost reordered
#                  duplicated flows generated missing dev_drops drv_lost
#                  drv_dups drv_drops stack_drops sock_drops p50_ns
#                  p90_ns p99_ns verdict irqs_per_frame frames_per_s
#                  offered offered_per_s (what the device made in the
#                  window, dropped or not)
#   OUT.tsv        per mode and ring count: mode rings best_rate
#                  frames_per_s socket_pps irqs_per_frame first_failed
#                  first_failed_verdict steps repeat_verdict cut_short
#                  (best_rate: the highest clean rate the search asked
#                  for, 0 if none; frames_per_s and irqs_per_frame are
#                  that step's window; "-" where there is no figure)
#   OUT.lat.tsv    per mode, the fixed-rate step: mode rings rate secs
#                  frames received pps p50_ns p90_ns p99_ns verdict
#                  irqs_per_frame lat_samples lat_p50_ns lat_p99_ns hol
#                  hol_samples hol_p50_ns hol_p99_ns
#
# Modes and ring counts keep the order they first appear in; ring
# counts are then sorted, smallest first.
#
# Usage: awk -v out=PREFIX -f rx.awk LINES...

function kv(    i, p) {
	delete a
	for (i = 2; i <= NF; i++) {
		p = index($i, "=")
		if (p) a[substr($i, 1, p - 1)] = substr($i, p + 1)
	}
}

function mode_seen(m) {
	if (!(m in mseen)) { mseen[m] = 1; mode[++nm] = m }
}

function ring_seen(m, r) {
	if (!((m, r) in rseen)) { rseen[m, r] = 1; nr[m]++; ring[m, nr[m]] = r }
}

function ratio(x, y) { return y > 0 ? sprintf("%.4f", x / y) : "-" }

$1 == "bench-rx" {
	kv()
	mode_seen(a["mode"])
	ipf = ratio(a["irqs"], a["frames"])
	fps = a["secs"] > 0 ? sprintf("%.0f", a["frames"] / a["secs"]) : "-"
	ops = a["secs"] > 0 && a["offered"] != "" ? sprintf("%.0f", a["offered"] / a["secs"]) : "-"
	printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
	       a["mode"], a["rings"], a["rate"], a["kind"], a["secs"], a["frames"],
	       a["irqs"], a["irq_busy"], a["windows"], a["pps"], a["received"],
	       a["rx_lost"], a["reordered"], a["duplicated"], a["flows"],
	       a["generated"], a["missing"], a["dev_drops"], a["drv_lost"],
	       a["drv_dups"], a["drv_drops"], a["stack_drops"], a["sock_drops"],
	       a["p50_ns"], a["p90_ns"], a["p99_ns"], a["verdict"], ipf, fps,
	       a["offered"] == "" ? "-" : a["offered"], ops \
		>(out ".steps.tsv")
	m = a["mode"]; r = a["rings"]
	if (a["kind"] == "lat") {
		lat[m] = sprintf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s",
				 m, r, a["rate"], a["secs"], a["frames"], a["received"],
				 a["pps"], a["p50_ns"], a["p90_ns"], a["p99_ns"],
				 a["verdict"], ipf)
		next
	}
	ring_seen(m, r)
	if (a["kind"] == "repeat") { rep[m, r] = a["verdict"]; next }
	n[m, r]++
	rate[m, r, n[m, r]] = a["rate"]; verdict[m, r, n[m, r]] = a["verdict"]
	if (a["verdict"] == "ok" && (!((m, r) in best) || a["rate"] + 0 > best[m, r] + 0)) {
		best[m, r] = a["rate"]; bfps[m, r] = fps; bpps[m, r] = a["pps"]
		bipf[m, r] = ipf
	}
	next
}

$1 == "bench-rxlat" {
	kv()
	mode_seen(a["mode"])
	if (a["hol"] == "yes")
		hol[a["mode"]] = sprintf("yes\t%s\t%s\t%s", a["hol_samples"],
					 a["hol_p50_ns"], a["hol_p99_ns"])
	else
		hol[a["mode"]] = "no\t-\t-\t-"
	dlat[a["mode"]] = sprintf("%s\t%s\t%s", a["lat_samples"], a["lat_p50_ns"],
				  a["lat_p99_ns"])
	next
}

$1 == "bench-rxskip" {
	kv()
	mode_seen(a["mode"])
	if (a["at"] != "lat") { ring_seen(a["mode"], a["rings"]); cut[a["mode"], a["rings"]] = "deadline" }
	next
}

END {
	for (i = 1; i <= nm; i++) {
		m = mode[i]
		# ring counts, smallest first
		for (x = 1; x <= nr[m]; x++)
			for (y = x + 1; y <= nr[m]; y++)
				if (ring[m, y] + 0 < ring[m, x] + 0) {
					t = ring[m, x]; ring[m, x] = ring[m, y]; ring[m, y] = t
				}
		for (x = 1; x <= nr[m]; x++) {
			r = ring[m, x]; fail = "-"; fv = "-"
			b = ((m, r) in best) ? best[m, r] : 0
			for (k = 1; k <= n[m, r]; k++)
				if (verdict[m, r, k] != "ok" && rate[m, r, k] + 0 > b + 0 &&
				    (fail == "-" || rate[m, r, k] + 0 < fail + 0)) {
					fail = rate[m, r, k]; fv = verdict[m, r, k]
				}
			printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", m, r, b,
			       b ? bfps[m, r] : "-", b ? bpps[m, r] : "-",
			       b ? bipf[m, r] : "-", fail, fv, n[m, r] + 0,
			       ((m, r) in rep) ? rep[m, r] : "not-run",
			       ((m, r) in cut) ? cut[m, r] : "-" >(out ".tsv")
		}
		if (m in lat)
			printf "%s\t%s\t%s\n", lat[m],
			       (m in dlat) ? dlat[m] : "-\t-\t-",
			       (m in hol) ? hol[m] : "no\t-\t-\t-" >(out ".lat.tsv")
	}
}
