#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the evsteer test VM: Debian's guest kernel under QEMU (TCG), the
# userspace evsteer device behind an ivshmem-doorbell function, the
# module loaded, one guest script run; its output is printed here.
#
# Usage: scripts/vm.sh [options]
#   --smp N               guest CPUs (default 4)
#   --topology SPEC       give the guest a CPU topology, QEMU's -smp
#                         sockets=S,cores=C,threads=T; the CPUs are then
#                         S x C x T (--smp is set from it)
#   --numa N              split the guest into N NUMA nodes: node i gets the
#                         i-th N-th of the CPUs (in order: whole sockets with
#                         --topology, when N divides them) and of the RAM (a
#                         memory-backend-ram each); the CPUs and the RAM in
#                         MiB must divide by N
#   --rings N             device data rings (default: --smp); vectors = N + 1
#   --mem SIZE            guest RAM (default 512M)
#   --shm SIZE            device shared memory, its --mem (default: what the
#                         rings and their receive buffers need)
#   --device-opt "OPTS"   extra evsteer-device options (word-split; repeatable)
#   --guest-script FILE   run in the guest after the module loads
#                         (default: print the driver's state)
#   --guest-file FILE     copy FILE to /scenario/ in the guest (repeatable)
#   --guest-bin PATH      copy program PATH to /usr/bin/ in the guest, with
#                         the shared libraries ldd lists (repeatable)
#   --guest-env NAME=VAL  export NAME=VAL to the guest script (repeatable)
#   --no-load             do not load the module; the guest script may, from
#                         $EVSTEER_KO, and bring evs0 up with
#                         "sh $EVSTEER_NETUP" (evs_up in tests/vm/guest/lib.sh)
#   --no-up               load the module but leave evs0 down (by default it
#                         goes up as 198.18.0.2/24 and 2001:db8::2/64)
#   --host-script FILE    run on the host while the guest script runs, with
#                         EVSTEER_CTL (device control socket), EVSTEER_CTL_BIN
#                         (evsteer-ctl), EVSTEER_CONSOLE (guest console log),
#                         EVSTEER_RUN_DIR (and with --tap EVSTEER_NETNS and
#                         EVSTEER_TO_GUEST, a FIFO whose lines the guest reads
#                         from $EVSTEER_FROM_HOST); stopped when the guest is
#                         done
#   --tap                 wire evs0 to the host: a network namespace of this
#                         run's own (evsteer-<pid>, in EVSTEER_NETNS) holds a
#                         TAP evstap0 with 198.18.0.1/24 and 2001:db8::1/64,
#                         and the device runs there with --backend tap;
#                         `ip netns exec NS ping 198.18.0.2` reaches the guest.
#                         Nothing leaves the namespace; it goes away on exit.
#                         Needs root.
#   --virtio-net          with --tap: QEMU's virtio-net-pci beside evs0, for
#                         comparison: multiqueue (a queue pair per guest CPU,
#                         userspace backend, vhost=off) on a second TAP
#                         evstap1 in the same namespace, 198.18.2.1/24 and
#                         2001:db8:2::1/64; the guest's side (its name in
#                         EVSTEER_VNET_IF) gets 198.18.2.2/24 and
#                         2001:db8:2::2/64, every queue, RPS over all CPUs on
#                         every RX queue and RFS (32768 flow entries)
#   --shell               an interactive shell on the guest's console, here,
#                         after the guest script (if any); exit powers off
#                         (default --timeout then 3600)
#   --timeout S           bound on the guest run, boot to power-off (default 120)
#   --keep                keep the run directory (build/vm/run.*) on success
#   --build-only          fetch the kernel, build module and device; no boot
#   --debug-kernel        boot the project's debug kernel instead of a Debian
#                         one: Linux 6.12 with KASAN, lockdep, kmemleak, debug
#                         objects and fault injection (scripts/debug-kernel.sh
#                         builds it, once; the module is built against it).
#                         The console is scanned for sanitizer reports (BUG:,
#                         WARNING:, KASAN:, ODEBUG:, lockdep's, a kmemleak scan
#                         at the end, a panic ...): any fails the run, and its
#                         first lines are printed.  Timeouts are stretched
#                         (--timeout-factor); the guest has 1G unless --mem
#   --timeout-factor      print the factor --debug-kernel stretches the
#                         timeouts by, and exit
#
# Environment:
#   EVSTEER_KVM=1         use KVM (-accel kvm -cpu host); TCG otherwise
#   EVSTEER_NO_BUILD=1    use the module and device already built
#   EVSTEER_GUEST_KVER    guest kernel (default: scripts/kver.sh, the release
#                         Debian's linux-headers-amd64 is for)
#   EVSTEER_CACHE         downloads (default build/cache)
#   EVSTEER_DEBUG_KERNEL=1  as --debug-kernel
#
# Exit status: the guest script's; 124 if the run timed out; 125 if the
# guest died before finishing; 1 on a setup error or, with --debug-kernel,
# a sanitizer report on a run that passed otherwise.  Lines starting with
# "vm:" on stderr tell what happens and how long each step took.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build
CACHE=${EVSTEER_CACHE:-$BUILD/cache}

SMP=4
TOPOLOGY=
NUMA=
RINGS=
MEM=
SHM=
DEVICE_OPTS=()
GUEST_SCRIPT=
GUEST_FILES=()
GUEST_BINS=()
GUEST_ENV=()
LOAD=1
UP=1
HOST_SCRIPT=
TIMEOUT=
KEEP=0
BUILD_ONLY=0
TAP=0
SHELL_MODE=0
NETNS=
NETNS_MADE=0
TAP_IF=evstap0
VIRTIO=0
VTAP_IF=evstap1
# the virtio NIC's modules in Debian's guest kernel; those present are
# loaded, in the order their dependencies give
VIRTIO_MODS=(virtio virtio_ring virtio_pci_modern_dev virtio_pci_legacy_dev
	     virtio_pci failover net_failover virtio_net)
DEBUG_KERNEL=${EVSTEER_DEBUG_KERNEL:-0}
KDIR=		# the module's build dir; default the guest's Debian headers

FETCH_TIMEOUT=600	# apt-get download + unpack
BUILD_TIMEOUT=600	# module or device build
SOCKET_TIMEOUT=10	# device up and listening
NETNS_TIMEOUT=10	# one ip netns/link command
SHUTDOWN_TIMEOUT=20	# end marker to QEMU exit
STOP_TIMEOUT=5		# a process asked to stop, before SIGKILL
# --debug-kernel: under TCG, KASAN, lockdep and kmemleak make the guest
# this many times slower; the guest's run and power-off bounds are
# stretched by it (and tests/vm/run.sh's, which asks for it)
DEBUG_TIMEOUT_FACTOR=4
DEBUG_BUILD_TIMEOUT=5400	# a cold debug kernel build

log() { echo "vm: $*" >&2; }
die() { log "$*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

usage() {
	sed -n '/^# Usage/,/^# Exit/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit "${1:-1}"
}

# topology_cpus SPEC: the CPUs of sockets=S,cores=C,threads=T
topology_cpus() {
	local f k v n=1

	for f in ${1//,/ }; do
		k=${f%%=*} v=${f#*=}
		case $k in
		sockets|cores|threads) ;;
		*) return 1 ;;
		esac
		[[ $v =~ ^[1-9][0-9]*$ ]] || return 1
		n=$((n * v))
	done
	echo "$n"
}

# mem_mib SIZE: QEMU's -m SIZE in MiB (a plain number is MiB there too)
mem_mib() {
	case $1 in
	*[Gg]) [[ ${1%?} =~ ^[0-9]+$ ]] && echo $((${1%?} * 1024)) ;;
	*[Mm]) [[ ${1%?} =~ ^[0-9]+$ ]] && echo "${1%?}" ;;
	*) [[ $1 =~ ^[0-9]+$ ]] && echo "$1" ;;
	esac
}

# numa_args: --numa's QEMU options, a RAM backend and a node per node:
# node i has CPUs i*SMP/N .. (i+1)*SMP/N - 1 and MEM/N of the RAM
numa_args() {
	local i per=$((SMP / NUMA)) mib

	mib=$(($(mem_mib "$MEM") / NUMA))
	for ((i = 0; i < NUMA; i++)); do
		printf '%s\n' -object "memory-backend-ram,id=evsnuma$i,size=${mib}M" \
			-numa "node,nodeid=$i,cpus=$((i * per))-$(((i + 1) * per - 1)),memdev=evsnuma$i"
	done
}

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		--smp) SMP=$2; shift ;;
		--topology) TOPOLOGY=$2; shift ;;
		--numa) NUMA=$2; shift ;;
		--rings) RINGS=$2; shift ;;
		--mem) MEM=$2; shift ;;
		--shm) SHM=$2; shift ;;
		--device-opt) read -ra opts <<<"$2"; DEVICE_OPTS+=("${opts[@]}"); shift ;;
		--guest-script) GUEST_SCRIPT=$2; shift ;;
		--guest-file) GUEST_FILES+=("$2"); shift ;;
		--guest-bin) GUEST_BINS+=("$2"); shift ;;
		--guest-env) GUEST_ENV+=("$2"); shift ;;
		--no-load) LOAD=0 ;;
		--no-up) UP=0 ;;
		--host-script) HOST_SCRIPT=$2; shift ;;
		--tap) TAP=1 ;;
		--virtio-net) VIRTIO=1 ;;
		--shell) SHELL_MODE=1 ;;
		--timeout) TIMEOUT=$2; shift ;;
		--keep) KEEP=1 ;;
		--build-only) BUILD_ONLY=1 ;;
		--debug-kernel) DEBUG_KERNEL=1 ;;
		--timeout-factor) echo "$DEBUG_TIMEOUT_FACTOR"; exit 0 ;;
		-h|--help) usage 0 ;;
		*) log "unknown option: $1"; usage ;;
		esac
		shift
	done
	if [ -n "$TOPOLOGY" ]; then
		SMP=$(topology_cpus "$TOPOLOGY") ||
			die "--topology wants sockets=S,cores=C,threads=T: '$TOPOLOGY'"
	fi
	RINGS=${RINGS:-$SMP}
	if [ -z "$TIMEOUT" ]; then
		TIMEOUT=120
		[ $SHELL_MODE = 0 ] || TIMEOUT=3600
	fi
	if [ -z "$MEM" ]; then
		MEM=512M
		[ "$DEBUG_KERNEL" = 0 ] || MEM=1G	# shadow, quarantine, kmemleak
	fi
	if [ "$DEBUG_KERNEL" = 1 ]; then
		[ $VIRTIO = 0 ] || die "--virtio-net: the debug kernel has no virtio"
		TIMEOUT=$((TIMEOUT * DEBUG_TIMEOUT_FACTOR))
		SHUTDOWN_TIMEOUT=$((SHUTDOWN_TIMEOUT * DEBUG_TIMEOUT_FACTOR))
	fi
	if [ -n "$NUMA" ]; then
		[[ $NUMA =~ ^[1-9][0-9]*$ ]] || die "--numa wants a number of nodes: '$NUMA'"
		[ $((SMP % NUMA)) = 0 ] || die "--numa $NUMA: $SMP CPUs do not divide into $NUMA nodes"
		mem_mib "$MEM" >/dev/null || die "--numa: guest RAM '$MEM' is not N, NM or NG"
		[ $(($(mem_mib "$MEM") % NUMA)) = 0 ] ||
			die "--numa $NUMA: $MEM of RAM does not divide into $NUMA nodes"
	fi
	if [ $SHELL_MODE = 1 ] && { [ ! -t 0 ] || [ ! -t 1 ]; }; then
		die "--shell needs a terminal"
	fi
	if [ $VIRTIO = 1 ] && [ $TAP = 0 ]; then
		die "--virtio-net needs --tap (its TAP is in the run's namespace)"
	fi
	if [ $TAP = 1 ] && [ "$(id -u)" != 0 ]; then
		die "--tap needs root (ip netns add)"
	fi
	for f in "$GUEST_SCRIPT" "$HOST_SCRIPT" "${GUEST_FILES[@]}" "${GUEST_BINS[@]}"; do
		[ -z "$f" ] || [ -f "$f" ] || die "no such file: $f"
	done
	for e in "${GUEST_ENV[@]}"; do
		[[ $e =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "bad --guest-env: $e"
	done
}

# ---- guest kernel ----------------------------------------------------

# The guest runs the kernel the default headers were made for
# (scripts/kver.sh: Debian's linux-headers-amd64), or the one asked for.
guest_kver() {
	local k

	if [ -n "${EVSTEER_GUEST_KVER:-}" ]; then
		echo "$EVSTEER_GUEST_KVER"
		return
	fi
	k=$(KVER= "$ROOT/scripts/kver.sh")
	[ -n "$k" ] || die "no /usr/src/linux-headers-*-amd64: install linux-headers-amd64"
	echo "$k"
}

# Download linux-image-<kver>-unsigned once, at the headers' exact
# version, and keep only the kernel image; never install it.
fetch_kernel() {
	local dir=$CACHE/guest/$KVER pkg=linux-image-$KVER-unsigned ver tmp t0

	VMLINUZ=$dir/vmlinuz
	[ -s "$VMLINUZ" ] && return
	mkdir -p "$CACHE/guest"
	exec 8>"$CACHE/guest/.lock"
	flock -w "$FETCH_TIMEOUT" 8 || die "kernel cache lock timed out"
	if [ ! -s "$VMLINUZ" ]; then
		t0=$(now)
		ver=$(dpkg-query -W -f '${Version}' "linux-headers-$KVER" 2>/dev/null || true)
		tmp=$(mktemp -d "$CACHE/guest/.fetch.XXXXXX")
		# let apt download as its sandbox user, where there is one
		chown _apt "$tmp" 2>/dev/null || true
		log "fetching $pkg${ver:+=$ver} (once)"
		(cd "$tmp" && timeout "$FETCH_TIMEOUT" apt-get download -q \
			"$pkg${ver:+=$ver}" >&2) ||
			{ rm -rf "$tmp"; die "download failed (apt-get update?)"; }
		timeout "$FETCH_TIMEOUT" dpkg-deb -x "$tmp"/*.deb "$tmp/root" ||
			{ rm -rf "$tmp"; die "unpacking $pkg failed"; }
		mkdir -p "$dir"
		cp "$tmp/root/boot/config-$KVER" "$dir/config"
		cp "$tmp/root/boot/vmlinuz-$KVER" "$dir/vmlinuz.tmp"
		mv "$dir/vmlinuz.tmp" "$VMLINUZ"
		rm -rf "$tmp"
		log "guest kernel $KVER cached in $(elapsed "$t0") s"
	fi
	exec 8>&-
}

# --debug-kernel: build it (once; scripts/debug-kernel.sh) and build the
# module against its build dir.
debug_kernel() {
	local out

	out=$(timeout "$DEBUG_BUILD_TIMEOUT" "$ROOT/scripts/debug-kernel.sh") ||
		die "the debug kernel did not build (scripts/debug-kernel.sh)"
	VMLINUZ=$(sed -n 1p <<<"$out")
	KDIR=$(sed -n 2p <<<"$out")
	KVER=$(cat "$KDIR/include/config/kernel.release") ||
		die "no kernel release in $KDIR"
	[ -s "$VMLINUZ" ] || die "no debug kernel image $VMLINUZ"
}

# --virtio-net: Debian builds virtio as modules; take them from the same
# package as the kernel, once, into $CACHE/guest/<kver>/virtio with the
# order to insmod them in (their modinfo dependencies); never installed.
fetch_virtio() {
	local dir=$CACHE/guest/$KVER/virtio pkg=linux-image-$KVER-unsigned
	local ver tmp t0 m d f ok progress order=() left=() next=()

	VIRTIO_DIR=$dir
	[ -s "$dir/order" ] && return
	mkdir -p "$CACHE/guest"
	exec 8>"$CACHE/guest/.lock"
	flock -w "$FETCH_TIMEOUT" 8 || die "kernel cache lock timed out"
	if [ ! -s "$dir/order" ]; then
		t0=$(now)
		ver=$(dpkg-query -W -f '${Version}' "linux-headers-$KVER" 2>/dev/null || true)
		tmp=$(mktemp -d "$CACHE/guest/.fetch.XXXXXX")
		chown _apt "$tmp" 2>/dev/null || true
		log "fetching $pkg${ver:+=$ver} for its virtio modules (once)"
		(cd "$tmp" && timeout "$FETCH_TIMEOUT" apt-get download -q \
			"$pkg${ver:+=$ver}" >&2) ||
			{ rm -rf "$tmp"; die "download failed (apt-get update?)"; }
		# only these files: the whole tree is some 400 MB unpacked
		mkdir -p "$tmp/root"
		timeout "$FETCH_TIMEOUT" dpkg-deb --fsys-tarfile "$tmp"/*.deb |
			tar -x -C "$tmp/root" --wildcards --no-anchored \
				"${VIRTIO_MODS[@]/%/.ko}" 2>/dev/null || true
		rm -rf "$dir.tmp"
		mkdir -p "$dir.tmp"
		for m in "${VIRTIO_MODS[@]}"; do
			f=$(find "$tmp/root" -name "$m.ko" | head -n 1)
			if [ -n "$f" ]; then
				cp "$f" "$dir.tmp/"
				left+=("$m")
			elif [ "$m" != virtio_pci_legacy_dev ]; then
				rm -rf "$tmp" "$dir.tmp"
				die "$pkg has no $m.ko"
			fi
		done
		rm -rf "$tmp"
		while [ ${#left[@]} -gt 0 ]; do
			progress=0 next=()
			for m in "${left[@]}"; do
				ok=1
				for d in $(modinfo -F depends "$dir.tmp/$m.ko" | tr , ' '); do
					[[ " ${order[*]} " == *" $d "* ]] || ok=0
				done
				if [ $ok = 1 ]; then
					order+=("$m") progress=1
				else
					next+=("$m")
				fi
			done
			[ $progress = 1 ] ||
				{ rm -rf "$dir.tmp"; die "virtio modules: dependencies not met: ${next[*]}"; }
			left=("${next[@]}")
		done
		printf '%s\n' "${order[@]}" >"$dir.tmp/order"
		rm -rf "$dir"
		mv "$dir.tmp" "$dir"
		log "virtio modules of $KVER cached in $(elapsed "$t0") s: ${order[*]}"
	fi
	exec 8>&-
}

# ---- builds ------------------------------------------------------------

# Build the module against the guest's headers in build/kmod/<release>,
# a tree of symlinks to the sources: the objects stay out of the source
# tree and do not collide with other builds of it, for this kernel or
# another.
build_module() {
	local kdir=${KDIR:-/usr/src/linux-headers-$KVER} k=$BUILD/kmod/$KVER f

	KO=$k/drivers/evsteer/evsteer.ko
	[ "${EVSTEER_NO_BUILD:-0}" = 1 ] && [ -f "$KO" ] && return
	[ -d "$kdir" ] || die "no $kdir"
	mkdir -p "$k/drivers/evsteer"
	exec 7>"$k/.lock"
	flock -w "$BUILD_TIMEOUT" 7 || die "module build lock timed out"
	echo "obj-m += drivers/evsteer/" >"$k/Kbuild"
	ln -sfn "$ROOT/include" "$k/include"
	find "$k/drivers/evsteer" -maxdepth 1 -type l -delete
	for f in "$ROOT"/drivers/evsteer/*.[ch] "$ROOT"/drivers/evsteer/*.sh \
		 "$ROOT"/drivers/evsteer/Kbuild; do
		# what an in-tree build generated, for whatever kernel it was
		case ${f##*/} in
		*.mod.c|kcompat_generated.h) continue ;;
		esac
		ln -sfn "$f" "$k/drivers/evsteer/${f##*/}"
	done
	timeout "$BUILD_TIMEOUT" make -s -C "$kdir" M="$k" modules >&2 ||
		die "module build failed"
	exec 7>&-
}

# The device, its CLI and the guest's receiver (make tools).
build_device() {
	DEVICE=$BUILD/tools/evsteer-device
	CTL_BIN=$BUILD/tools/evsteer-ctl
	RX_BIN=$BUILD/tools/evsteer-rx
	if [ "${EVSTEER_NO_BUILD:-0}" != 1 ] || [ ! -x "$DEVICE" ] ||
	   [ ! -x "$RX_BIN" ]; then
		exec 7>"$BUILD/.device.lock"
		flock -w "$BUILD_TIMEOUT" 7 || die "device build lock timed out"
		timeout "$BUILD_TIMEOUT" make -s -C "$ROOT" tools >&2 ||
			die "device build failed"
		exec 7>&-
	fi
	[ -x "$DEVICE" ] || die "no $DEVICE"
}

# The guest's netdev netlink reader (make ynl), for a 6.8+ guest only:
# it is built on the kernel's YNL library from linux-source-6.12.
# Without it the guest has none and nl_links skips; nothing else needs it.
build_ynl() {
	NL_BIN=$BUILD/tools/evsteer-ynl
	[ "$(printf '%s\n' 6.8 "${KVER%%[-+]*}" | sort -V | head -n 1)" = 6.8 ] ||
		return 0
	[ "${EVSTEER_NO_BUILD:-0}" = 1 ] && [ -x "$NL_BIN" ] && return
	exec 7>"$BUILD/.device.lock"
	flock -w "$BUILD_TIMEOUT" 7 || die "device build lock timed out"
	timeout "$BUILD_TIMEOUT" make -s -C "$ROOT" ynl >&2 ||
		log "no $NL_BIN: make ynl failed (linux-source-6.12," \
		    "python3-yaml, python3-jsonschema: scripts/deps.sh); nl_links skips"
	exec 7>&-
}

# ---- initramfs ---------------------------------------------------------

# Quote a value for the guest's sh.
shquote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

write_guest_env() {
	local e

	echo "export EVSTEER_MARKER=$MARKER"
	echo "export EVSTEER_LOAD=$LOAD"
	echo "export EVSTEER_UP=$UP"
	echo "export EVSTEER_KO=/lib/evsteer/evsteer.ko"
	echo "export EVSTEER_NETUP=/lib/evsteer/netup.sh"
	echo "export EVSTEER_SMP=$SMP"
	echo "export EVSTEER_NUMA=${NUMA:-1}"
	echo "export EVSTEER_RINGS=$RINGS"
	echo "export EVSTEER_TAP=$TAP"
	[ $TAP = 0 ] || echo "export EVSTEER_FROM_HOST=/dev/ttyS1"
	echo "export EVSTEER_SHELL=$SHELL_MODE"
	echo "export EVSTEER_DEBUG_KERNEL=$DEBUG_KERNEL"
	[ $VIRTIO = 0 ] || echo "export EVSTEER_VIRTIO=1 EVSTEER_VNETUP=/lib/evsteer/vnetup.sh"
	for e in "${GUEST_ENV[@]}"; do
		echo "export ${e%%=*}=$(shquote "${e#*=}")"
	done
}

# The guest's side of the test network: evs0 up with the addresses the
# device's frames go to (include/evsteer/frame.h), no DAD delay.
write_netup() {
	cat <<'EOF'
#!/bin/sh
# usage: netup.sh [IFNAME]
i=${1:-evs0}
n=0
while [ ! -e "/sys/class/net/$i" ] && [ "$n" -lt 50 ]; do
	sleep 0.1
	n=$((n + 1))
done
# iproute2's ip: busybox sh prefers its own applets to PATH
ip=/usr/bin/ip
# the addresses first: the device sends as soon as the link is up
$ip addr add 198.18.0.2/24 dev "$i" &&
$ip -6 addr add 2001:db8::2/64 dev "$i" nodad &&
$ip link set "$i" up
EOF
}

# --virtio-net: the guest's side of evstap1, set up as a user would for
# many flows over a multiqueue virtio NIC: every queue pair, RPS over all
# CPUs on every RX queue, RFS.  Prints the interface's name.
write_vnetup() {
	cat <<'EOF'
#!/bin/sh
d=/lib/evsteer/virtio
for m in $(cat "$d/order"); do
	insmod "$d/$m.ko" || { echo "insmod $m failed" >&2; exit 1; }
done
i=
n=0
while [ -z "$i" ] && [ "$n" -lt 50 ]; do
	for f in /sys/class/net/*; do
		[ "$(basename "$(readlink "$f/device/driver")")" = virtio_net ] &&
			i=${f##*/}
	done
	[ -n "$i" ] || sleep 0.1
	n=$((n + 1))
done
[ -n "$i" ] || { echo "no virtio_net interface" >&2; exit 1; }
ethtool -L "$i" combined "$EVSTEER_SMP" >&2 || echo "ethtool -L $i failed" >&2
ip=/usr/bin/ip
$ip addr add 198.18.2.2/24 dev "$i" &&
$ip -6 addr add 2001:db8:2::2/64 dev "$i" nodad &&
$ip link set "$i" up || exit 1
nq=$(ls -d /sys/class/net/"$i"/queues/rx-* | wc -l)
mask=$(printf '%x' $(((1 << EVSTEER_SMP) - 1)))
echo 32768 >/proc/sys/net/core/rps_sock_flow_entries
for q in /sys/class/net/"$i"/queues/rx-*; do
	echo "$mask" >"$q/rps_cpus"
	echo $((32768 / nq)) >"$q/rps_flow_cnt"
done
echo "$i"
EOF
}

write_init() {
	cat <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
. /etc/evsteer.env
# kmemleak (the debug kernel): a scan records each object's checksum, a
# second one reports what stayed unreferenced and unchanged; "clear"
# forgets what boot left, so the end's report is the run's own
KML=/sys/kernel/debug/kmemleak
kmemleak_scan() { echo scan >"$KML" && echo scan >"$KML"; }
kmemleak_report() {
	kmemleak_scan || { echo "kmemleak: scan failed"; return; }
	n=$(grep -c '^unreferenced object' "$KML")
	echo "evsteer guest: kmemleak scan: $n unreferenced objects"
	[ "$n" = 0 ] || { echo "kmemleak: $n suspected memory leaks:"; cat "$KML"; }
}
if [ "$EVSTEER_DEBUG_KERNEL" = 1 ]; then
	kmemleak_scan && echo clear >"$KML" || echo "kmemleak: no baseline"
fi
echo "$EVSTEER_MARKER-BEGIN"
rc=0
ip link set lo up
if [ "${EVSTEER_VIRTIO:-0}" = 1 ]; then
	EVSTEER_VNET_IF=$(sh "$EVSTEER_VNETUP") || echo "virtio-net did not come up"
	export EVSTEER_VNET_IF
fi
if [ "$EVSTEER_LOAD" = 1 ]; then
	insmod "$EVSTEER_KO" || { rc=$?; echo "insmod failed: $rc"; }
	# no evs0 (a refused device) is the guest script's to judge
	if [ "$rc" = 0 ] && [ "$EVSTEER_UP" = 1 ]; then
		sh "$EVSTEER_NETUP" || echo "evs0 did not come up"
	fi
fi
if [ "$rc" = 0 ]; then
	cd /scenario && sh ./guest.sh
	rc=$?
fi
if [ "$EVSTEER_SHELL" = 1 ]; then
	echo "evsteer guest: evs0 is 198.18.0.2 (2001:db8::2); exit powers off"
	PS1='evsteer-guest# ' setsid cttyhack sh
fi
[ "$EVSTEER_DEBUG_KERNEL" = 0 ] || kmemleak_report
echo "$EVSTEER_MARKER-END rc=$rc"
poweroff -f
EOF
}

default_guest_script() {
	# an interactive run has its own shell to look around with
	[ $SHELL_MODE = 0 ] || return 0
	cat <<'EOF'
grep -E 'CPU|evsteer' /proc/interrupts
for f in /sys/kernel/debug/evsteer/*/*; do echo "== $f"; cat "$f"; done
EOF
}

# add_binary DST BIN [AS]: copy a binary (to AS, default its own path)
# and the shared libraries it needs.
add_binary() {
	local dst=$1 bin=$2 as=${3:-$2} lib

	! ldd "$bin" | grep 'not found' || die "$bin: shared libraries not found"
	mkdir -p "$dst$(dirname "$as")"
	cp -L "$bin" "$dst$as"
	for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
		mkdir -p "$dst$(dirname "$lib")"
		cp -L "$lib" "$dst$lib"
	done
}

build_initramfs() {
	local s=$RUN/initramfs f

	mkdir -p "$s"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,lib/evsteer,scenario}
	cp /bin/busybox "$s/bin/busybox"
	add_binary "$s" "$(command -v ethtool)"
	add_binary "$s" /usr/bin/ip	# iproute2's; busybox has its own applet
	add_binary "$s" /usr/sbin/tc /usr/bin/tc	# iproute2's: qdisc statistics
	add_binary "$s" /usr/bin/chrt	# util-linux's: real-time hogs (mon_relief)

	add_binary "$s" "$(command -v tcpdump)" /usr/bin/tcpdump
	# traffic of your own (and the tx_* scenarios); deps.sh installs it
	f=$(command -v iperf3 || true)
	[ -z "$f" ] || add_binary "$s" "$f" /usr/bin/iperf3
	# our static guest programs: the receiver, the netdev netlink reader
	for f in "$RX_BIN" "$NL_BIN"; do
		[ ! -x "$f" ] || cp "$f" "$s/usr/bin/"
	done
	# tcpdump drops its privileges to this user
	printf 'root:x:0:0::/:/bin/sh\ntcpdump:x:104:110::/:/bin/false\n' >"$s/etc/passwd"
	printf 'root:x:0:\ntcpdump:x:110:\n' >"$s/etc/group"
	write_netup >"$s/lib/evsteer/netup.sh"
	for f in "${GUEST_BINS[@]}"; do
		add_binary "$s" "$f" "/usr/bin/${f##*/}"
	done
	cp "$KO" "$s/lib/evsteer/evsteer.ko"
	if [ $VIRTIO = 1 ]; then
		mkdir -p "$s/lib/evsteer/virtio"
		cp "$VIRTIO_DIR"/*.ko "$VIRTIO_DIR/order" "$s/lib/evsteer/virtio/"
		write_vnetup >"$s/lib/evsteer/vnetup.sh"
	fi
	write_init >"$s/init"
	chmod +x "$s/init"
	write_guest_env >"$s/etc/evsteer.env"
	if [ -n "$GUEST_SCRIPT" ]; then
		cp "$GUEST_SCRIPT" "$s/scenario/guest.sh"
	else
		default_guest_script >"$s/scenario/guest.sh"
	fi
	for f in "${GUEST_FILES[@]}"; do
		cp "$f" "$s/scenario/"
	done
	(cd "$s" && find . | cpio -o -H newc --quiet) | gzip -1 >"$RUN/initramfs.gz"
	rm -rf "$s"
}

# ---- processes ---------------------------------------------------------

PIDS=()

# Stop one process we started: TERM, a bounded wait, then KILL.
stop_pid() {
	local pid=$1 i

	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	log "pid $pid did not stop, killing it"
	kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
	local i

	for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
		stop_pid "${PIDS[i]}"
	done
	wait 2>/dev/null || true
	remove_netns
	# QEMU restores the terminal when it exits normally; not when killed
	[ $SHELL_MODE = 0 ] || stty sane 2>/dev/null || true
}

# ---- --tap: the host's end of evs0, in a namespace of its own ------------

ns_ip() { timeout "$NETNS_TIMEOUT" ip "$@"; }

# A fresh namespace with a persistent TAP in it, addressed as the peer
# of the guest's evs0 (the device attaches to it by name).  The
# addresses exist only there: the host's own interfaces never get them.
make_netns() {
	NETNS=evsteer-$$
	[ ! -e "/run/netns/$NETNS" ] || die "network namespace $NETNS exists already"
	ns_ip netns add "$NETNS" || die "ip netns add $NETNS failed"
	NETNS_MADE=1
	if ! { ns_ip -n "$NETNS" link set lo up &&
	       ns_ip -n "$NETNS" tuntap add mode tap name "$TAP_IF" &&
	       ns_ip -n "$NETNS" addr add 198.18.0.1/24 dev "$TAP_IF" &&
	       ns_ip -n "$NETNS" -6 addr add 2001:db8::1/64 dev "$TAP_IF" nodad &&
	       ns_ip -n "$NETNS" link set "$TAP_IF" up; }; then
		die "setting up $TAP_IF in $NETNS failed"
	fi
	log "namespace $NETNS: $TAP_IF 198.18.0.1/24 2001:db8::1/64 (ip netns exec $NETNS ping 198.18.0.2)"
	[ $VIRTIO = 1 ] || return 0
	# multi_queue: QEMU attaches one fd per queue pair to it
	if ! { ns_ip -n "$NETNS" tuntap add mode tap name "$VTAP_IF" multi_queue &&
	       ns_ip -n "$NETNS" addr add 198.18.2.1/24 dev "$VTAP_IF" &&
	       ns_ip -n "$NETNS" -6 addr add 2001:db8:2::1/64 dev "$VTAP_IF" nodad &&
	       ns_ip -n "$NETNS" link set "$VTAP_IF" up; }; then
		die "setting up $VTAP_IF in $NETNS failed"
	fi
	log "namespace $NETNS: $VTAP_IF 198.18.2.1/24 2001:db8:2::1/64, the virtio-net NIC's peer (198.18.2.2)"
}

# The TAP first (persistent: it would outlive its last user otherwise),
# then the namespace; only once the device that used them is stopped.
remove_netns() {
	[ "$NETNS_MADE" = 1 ] || return 0
	NETNS_MADE=0
	ns_ip -n "$NETNS" link del "$TAP_IF" 2>/dev/null || true
	[ $VIRTIO = 0 ] || ns_ip -n "$NETNS" link del "$VTAP_IF" 2>/dev/null || true
	ns_ip netns del "$NETNS" || log "could not remove namespace $NETNS"
}

start_device() {
	local i mem=() ns=() tap=()

	[ -z "$SHM" ] || mem=(--mem "$SHM")
	# in the namespace, where the TAP is; its sockets are files, so
	# QEMU out here still connects
	if [ $TAP = 1 ]; then
		ns=(ip netns exec "$NETNS")
		tap=(--backend tap --tap "$TAP_IF")
	fi
	SOCK=$RUN/ivshmem.sock
	CTL=$RUN/ctl.sock
	timeout "$((TIMEOUT + 60))" "${ns[@]}" "$DEVICE" --socket "$SOCK" \
		--ctl "$CTL" --rings "$RINGS" "${mem[@]}" "${tap[@]}" \
		"${DEVICE_OPTS[@]}" >"$RUN/device.log" 2>&1 &
	DEVICE_PID=$!
	PIDS+=("$DEVICE_PID")
	for ((i = 0; i < SOCKET_TIMEOUT * 10; i++)); do
		[ -S "$SOCK" ] && return
		kill -0 "$DEVICE_PID" 2>/dev/null || break
		sleep 0.1
	done
	tail -n 20 "$RUN/device.log" >&2
	die "the device did not come up (options: ${DEVICE_OPTS[*]})"
}

# Stop the device politely once QEMU is gone, then by pid.
stop_device() {
	if kill -0 "$DEVICE_PID" 2>/dev/null && [ -x "$CTL_BIN" ]; then
		timeout 3 "$CTL_BIN" "$CTL" quit >/dev/null 2>&1 || true
	fi
	stop_pid "$DEVICE_PID"
}

# Print the guest's part of the console, between the markers, as it
# comes (line by line: awk may read a pipe in blocks).
print_guest() {
	local line on=0

	while IFS= read -r line; do
		line=${line%$'\r'}
		case $line in
		*"$MARKER-END"*) on=0 ;;
		esac
		if [ $on = 1 ]; then
			printf '%s\n' "$line"
		fi
		case $line in
		*"$MARKER-BEGIN"*) on=1 ;;
		esac
	done
}

start_qemu() {
	# shellcheck disable=SC2054 # commas belong to -accel's argument
	local cpu=max
	# TCG's "max" CPU says AMD without TOPOEXT, so a Linux guest sees no
	# SMT siblings; as Intel it reads them from CPUID leaf 0xB
	[ -z "$TOPOLOGY" ] || cpu=max,vendor=GenuineIntel
	local accel=(-accel tcg,thread=multi -cpu "$cpu")
	local common serial2=() qns=()

	[ "${EVSTEER_KVM:-0}" = 1 ] && accel=(-accel kvm -cpu host)
	# the debug kernel: warnings (lockdep's, WARN()) on the console too,
	# and every KASAN report, not only the first
	local kargs=
	[ "$DEBUG_KERNEL" = 0 ] || kargs=" loglevel=5 kasan_multi_shot"
	# shellcheck disable=SC2054 # commas belong to -chardev's argument
	common=("${accel[@]}" -smp "$SMP${TOPOLOGY:+,$TOPOLOGY}" -m "$MEM" -no-reboot -nic none
		-kernel "$VMLINUZ" -initrd "$RUN/initramfs.gz"
		-append "console=ttyS0 quiet panic=-1 mitigations=off$kargs"
		-chardev socket,path="$SOCK",id=ivsh
		-device ivshmem-doorbell,chardev=ivsh,vectors=$((RINGS + 1)))
	[ -z "$NUMA" ] || mapfile -t -O "${#common[@]}" common < <(numa_args)
	# --tap: a second serial port (ttyS1) carries the host script's
	# answers to the guest, off the network under test
	if [ $TAP = 1 ]; then
		TO_GUEST=$RUN/hostch.in
		mkfifo "$TO_GUEST"
		: >"$RUN/hostch.out"
		common+=(-chardev "pipe,id=hostch,path=$RUN/hostch")
		serial2=(-serial chardev:hostch)
	fi
	# --virtio-net: QEMU itself runs in the namespace and opens evstap1
	# there by name, a queue each (IFF_MULTI_QUEUE).  Simpler than
	# opening the fds in the namespace and passing them down (fds=...,
	# one per queue, a helper to hold them): its other endpoints are
	# filesystem sockets and FIFOs, reachable from any namespace, and
	# ip netns exec execs QEMU, so QEMU_PID and timeout stay as they are.
	if [ $VIRTIO = 1 ]; then
		qns=(ip netns exec "$NETNS")
		# shellcheck disable=SC2054 # commas belong to the arguments
		common+=(-netdev "tap,id=vnet0,ifname=$VTAP_IF,script=no,downscript=no,vhost=off,queues=$SMP"
			 -device "virtio-net-pci,netdev=vnet0,mq=on,vectors=$((2 * SMP + 2)),mac=52:54:00:45:56:02")
	fi
	if [ $SHELL_MODE = 1 ]; then
		# the console on this terminal (Ctrl-C goes to the guest), and
		# logged for the markers; --foreground: timeout's own process
		# group could not read the terminal
		exec 3<&0
		timeout --foreground "$TIMEOUT" "${qns[@]}" qemu-system-x86_64 "${common[@]}" \
			-display none -monitor none -serial chardev:con \
			-chardev stdio,id=con,signal=off,logfile="$RUN/console.log" \
			"${serial2[@]}" <&3 2>"$RUN/qemu.log" &
		QEMU_PID=$!
		PIDS+=("$QEMU_PID")
		return
	fi
	[ $TAP = 0 ] || serial2=(-serial mon:stdio "${serial2[@]}")
	timeout "$TIMEOUT" "${qns[@]}" qemu-system-x86_64 "${common[@]}" -nographic \
		"${serial2[@]}" </dev/null >"$RUN/console.log" 2>"$RUN/qemu.log" &
	QEMU_PID=$!
	PIDS+=("$QEMU_PID")
	tail -n +1 -F --pid="$QEMU_PID" "$RUN/console.log" 2>/dev/null |
		print_guest &
	PRINTER_PID=$!
	PIDS+=("$PRINTER_PID")
}

start_host_script() {
	EVSTEER_CTL=$CTL EVSTEER_CTL_BIN=$CTL_BIN EVSTEER_RUN_DIR=$RUN \
	EVSTEER_CONSOLE=$RUN/console.log EVSTEER_SMP=$SMP EVSTEER_RINGS=$RINGS \
	EVSTEER_NETNS=$NETNS EVSTEER_TO_GUEST=${TO_GUEST:-} \
	EVSTEER_DEVICE_PID=$DEVICE_PID \
		timeout "$TIMEOUT" bash "$HOST_SCRIPT" &
	HOST_PID=$!
	PIDS+=("$HOST_PID")
}

seen() { grep -q -- "$MARKER-$1" "$RUN/console.log" 2>/dev/null; }

# Follow the guest through its markers: start the host script when the
# guest script starts, note when it ends.
follow_markers() {
	if [ "$BEGUN" = 0 ] && seen BEGIN; then
		BEGUN=1
		T_BEGIN=$(now)
		log "booted in $(elapsed "$T_QEMU") s"
		[ -z "$HOST_SCRIPT" ] || start_host_script
	fi
	if [ "$BEGUN" = 1 ] && [ "$ENDED" = 0 ] && seen END; then
		ENDED=1
		T_END=$(now)
		log "guest script ran $(elapsed "$T_BEGIN") s"
	fi
}

# Wait for QEMU to exit, giving the guest a bounded time to power off
# after its script ends (QEMU itself runs under timeout).
wait_guest() {
	BEGUN=0
	ENDED=0
	T_QEMU=$(now)
	while kill -0 "$QEMU_PID" 2>/dev/null; do
		follow_markers
		if [ "$ENDED" = 1 ] &&
		   [ "$(elapsed "$T_END" | cut -d. -f1)" -ge "$SHUTDOWN_TIMEOUT" ]; then
			log "guest did not power off"
			stop_pid "$QEMU_PID"
		fi
		sleep 0.2
	done
	follow_markers
	QEMU_RC=0
	wait "$QEMU_PID" || QEMU_RC=$?
	[ "$ENDED" = 0 ] || log "powered off in $(elapsed "$T_END") s"
	log "total $(elapsed "$T_QEMU") s in the VM"
}

guest_rc() {
	local rc

	rc=$(tr -d '\r' <"$RUN/console.log" | sed -n "s/.*$MARKER-END rc=\([0-9]*\).*/\1/p" | tail -n 1)
	if [ -n "$rc" ]; then
		echo "$rc"
	elif [ "$QEMU_RC" = 124 ]; then
		log "timed out after $TIMEOUT s"
		echo 124
	else
		log "the guest died before finishing (qemu exit $QEMU_RC)"
		echo 125
	fi
}

# ---- --debug-kernel: sanitizer reports on the console ---------------------

# The first line of a report: KASAN's and UBSAN's, lockdep's, debug
# objects', a BUG() or WARN(), an oops, the atomic-sleep check, the
# guest's kmemleak scan (write_init), a panic.
SANITIZER_RE='BUG:|WARNING:|KASAN:|KCSAN:|ODEBUG:|UBSAN:|general protection fault'
SANITIZER_RE+='|possible circular locking|inconsistent lock state'
SANITIZER_RE+='|sleeping function called from invalid context'
SANITIZER_RE+='|kmemleak: [0-9]+ suspected memory leak|Kernel panic'
REPORT_LINES=40		# of the first report, shown
REPORT_HEADS=20		# first lines of reports, shown

# scan_console: succeed if the console has no report; else show the
# first one's first lines and the first line of every other.
scan_console() {
	local con=$RUN/console.txt n first

	tr -d '\r' <"$RUN/console.log" >"$con"
	n=$(grep -cE "$SANITIZER_RE" "$con" || true)
	if [ "$n" = 0 ]; then
		log "sanitizers: no report on the console"
		return 0
	fi
	first=$(grep -nE -m 1 "$SANITIZER_RE" "$con" | cut -d: -f1)
	log "sanitizers: $n report lines on the console; the first report:"
	sed -n "$first,$((first + REPORT_LINES - 1))p" "$con" | sed 's/^/vm:   /' >&2
	log "sanitizers: the report lines (at most $REPORT_HEADS):"
	grep -E "$SANITIZER_RE" "$con" | head -n "$REPORT_HEADS" | sed 's/^/vm:   /' >&2
	return 1
}

# ---- main ----------------------------------------------------------------

main() {
	local rc

	parse_args "$@"
	if [ "$DEBUG_KERNEL" = 1 ]; then
		debug_kernel
	else
		KVER=$(guest_kver)
		fetch_kernel
	fi
	[ $VIRTIO = 0 ] || fetch_virtio
	build_module
	build_device
	build_ynl
	[ $BUILD_ONLY = 1 ] && { log "built $KO and $DEVICE; kernel $VMLINUZ"; return 0; }

	mkdir -p "$BUILD/vm"
	RUN=$(mktemp -d "$BUILD/vm/run.XXXXXX")
	MARKER=EVSTEER-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	build_initramfs
	[ $TAP = 0 ] || make_netns
	start_device
	start_qemu
	wait_guest
	[ -z "${PRINTER_PID:-}" ] || wait "$PRINTER_PID" 2>/dev/null || true
	[ -z "${HOST_PID:-}" ] || stop_pid "$HOST_PID"
	stop_device
	rc=$(guest_rc)
	if [ "$rc" = 124 ] || [ "$rc" = 125 ]; then
		log "last lines of the console:"
		{ tr -d '\r' <"$RUN/console.log" | tail -n 30; echo; } |
			sed 's/^/vm:   /' >&2
	fi
	if [ "$DEBUG_KERNEL" = 1 ] && ! scan_console && [ "$rc" = 0 ]; then
		rc=1
	fi
	if [ "$rc" != 0 ]; then
		log "logs kept: $RUN/{console,device,qemu}.log"
	elif [ $KEEP = 0 ]; then
		rm -rf "$RUN"
	fi
	return "$rc"
}

main "$@"
