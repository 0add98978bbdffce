#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print every frame of a pcap file as one line of hex, sorted: two
# captures of the same frames, in any order, print the same.
#
# Usage: tests/vm/host/pcap_frames.sh FILE.pcap
set -euo pipefail

tcpdump -r "$1" -nn -t -xx 2>/dev/null | awk '
	/^[^ \t]/ { if (f != "") print f; f = ""; next }
	/^[ \t]+0x[0-9a-f]+:/ { for (i = 2; i <= NF; i++) f = f $i }
	END { if (f != "") print f }' | sort
