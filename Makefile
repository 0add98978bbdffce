# SPDX-License-Identifier: GPL-2.0
#
# evsteer: `make` builds the module and the userspace device,
# `make check` runs every test, `make demo` shows it working.

# KVER=<release> builds against /usr/src/linux-headers-<release>
KDIR ?= $(shell KVER=$(KVER) scripts/kdir.sh)
BUILD := $(CURDIR)/build
HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -pthread \
	-I$(CURDIR)/include -I$(CURDIR)/tests/host
# the device's own host tests are built by its Makefile
HOST_TESTS := $(patsubst tests/host/%.c,$(BUILD)/host/%,\
	$(filter-out tests/host/test_device_%,$(wildcard tests/host/test_*.c)))
# and the tests of the project's Python scripts, linked there
HOST_TESTS += $(patsubst tests/host/%.py,$(BUILD)/host/%,\
	$(wildcard tests/host/test_*.py))
# the guest's UDP receiver: static, for the busybox initramfs
RX := $(BUILD)/tools/evsteer-rx
RX_CFLAGS := -std=gnu11 -static -O2 -pthread -Wall -Wextra -Werror \
	-I$(CURDIR)/include
# the guest's netdev netlink reader (queues, NAPIs, qstats): static too,
# on the kernel's YNL C library and the netdev family code it generates,
# from Debian's linux-source-6.12 (scripts/kernel-src.sh), compiled in
# build/ynl.  Not part of tools: `make ynl`, which scripts/vm.sh runs for
# a 6.8+ guest (without that tree nl_links skips)
NL := $(BUILD)/tools/evsteer-ynl
NL_CFLAGS := -std=gnu11 -static -O2 -Wall -Wextra -Werror
YNL_OUT := $(BUILD)/ynl
PYTHON3 ?= python3
# UDP request/response for the NIC comparison of make bench: static, it
# runs in the guest (echo) and on the host (client)
UDPRR := $(BUILD)/tools/udprr

DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
DKMS_SRC := /usr/src/evsteer-$(DKMS_VERSION)
# the release KDIR is for: /lib/modules/<release>/build or
# /usr/src/linux-headers-<release>
KRELEASE = $(patsubst linux-headers-%,%,$(notdir $(patsubst %/build,%,$(KDIR))))

.PHONY: install dkms-install dkms-remove
.PHONY: all module tools ynl host-tests host-test kunit vmtest check demo lint \
	bench soak soak-debug deps clean

all: module tools

module:
	@test -n "$(KDIR)" || { echo "no kernel headers: run scripts/deps.sh" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools: $(RX) $(UDPRR)
	$(MAKE) -C tools/evsteer-device O=$(BUILD)

$(RX): tests/vm/rx/evsteer-rx.c $(wildcard include/evsteer/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(RX_CFLAGS) $< -o $@

ynl:
	@src=$$(scripts/kernel-src.sh 6.12) && \
		$(MAKE) --no-print-directory YNL_SRC="$$src" $(NL)

ifneq ($(YNL_SRC),)
YNL := $(YNL_SRC)/tools/net/ynl
# tools/net/ynl/{lib,generated}/Makefile's flags: the family's 6.12 uAPI
# header in place of the host's older one
YNL_INC := -I$(YNL)/lib -I$(YNL_OUT) -idirafter $(YNL_SRC)/include/uapi \
	-D_LINUX_NETDEV_H -include $(YNL_SRC)/include/uapi/linux/netdev.h
YNL_CFLAGS := -std=gnu11 -O2 -W -Wall -Wextra -Wno-unused-parameter \
	-Wshadow $(YNL_INC)

$(YNL_OUT)/netdev-user.h $(YNL_OUT)/netdev-user.c: $(YNL_OUT)/netdev-user.%: \
		$(YNL_SRC)/Documentation/netlink/specs/netdev.yaml $(YNL)/ynl-gen-c.py
	@mkdir -p $(dir $@)
	$(PYTHON3) $(YNL)/ynl-gen-c.py --mode user \
		--$(if $(filter %.h,$@),header,source) --spec $< -o $@

$(YNL_OUT)/ynl.o: $(YNL)/lib/ynl.c $(wildcard $(YNL)/lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(YNL_CFLAGS) -c $< -o $@

$(YNL_OUT)/netdev-user.o: $(YNL_OUT)/netdev-user.c $(YNL_OUT)/netdev-user.h
	$(CC) $(YNL_CFLAGS) -c $< -o $@

$(NL): tests/vm/nl/evsteer-ynl.c $(YNL_OUT)/netdev-user.h \
		$(YNL_OUT)/ynl.o $(YNL_OUT)/netdev-user.o
	@mkdir -p $(dir $@)
	$(CC) $(NL_CFLAGS) $(YNL_INC) $< $(filter %.o,$^) -o $@
endif

$(UDPRR): tests/vm/bench/udprr.c
	@mkdir -p $(dir $@)
	$(CC) $(NL_CFLAGS) $< -o $@

$(BUILD)/host/%: tests/host/%.c $(wildcard tests/host/*.h include/evsteer/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $< -o $@

$(BUILD)/host/%: tests/host/%.py
	@mkdir -p $(dir $@)
	ln -sf $(CURDIR)/$< $@

# test_rx runs the receiver: it must exist first (no relink when it changes)
$(BUILD)/host/test_rx: | $(RX)

host-tests: tools $(HOST_TESTS)
	$(MAKE) -C tools/evsteer-device O=$(BUILD) host-tests

host-test: host-tests
	tests/host/run.sh

kunit:
	scripts/kunit.sh

vmtest:
	tests/vm/run.sh

check:
	scripts/check.sh

demo:
	scripts/demo.sh

lint:
	scripts/lint.sh

bench:
	scripts/bench.sh

# the full soak (tests/vm/guest/soak.sh): 500 s of chaos at 20000
# frames/s and 100 rmmod/insmod cycles on the default guest kernel;
# soak-debug: the same on the debug kernel (KASAN, lockdep, kmemleak,
# fault injection), at 2000 frames/s, what its guest takes under TCG.
# JSON summaries: build/vm/logs/soak.json, soak@debug.json.
SOAK_SECONDS ?= 500
SOAK_CYCLES ?= 100
SOAK_ENV = EVSTEER_SOAK_SECONDS=$(SOAK_SECONDS) \
	EVSTEER_SOAK_CYCLES=$(SOAK_CYCLES) \
	EVSTEER_SCENARIO_TIMEOUT=$$(( $(SOAK_SECONDS) * 3 + $(SOAK_CYCLES) * 15 + 600 ))
soak:
	$(SOAK_ENV) tests/vm/run.sh soak

soak-debug:
	$(SOAK_ENV) tests/vm/run.sh --debug-kernel soak

deps:
	scripts/deps.sh

# modules_install into /lib/modules/<release>/updates, then depmod, so
# that `modprobe evsteer` finds it
install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates modules_install
	depmod -a $(KRELEASE)

# DKMS: the driver's sources in $(DKMS_SRC), built and installed for the
# kernel of KDIR (KVER=...), and rebuilt by DKMS for new kernels
dkms-install:
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)/drivers $(DKMS_SRC)/include
	cp -r dkms.conf Kbuild $(DKMS_SRC)/
	cp -r drivers/evsteer $(DKMS_SRC)/drivers/
	cp -r include/evsteer $(DKMS_SRC)/include/
	find $(DKMS_SRC) \( -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o \
		-name '.*.cmd' -o -name kcompat_generated.h -o -name modules.order \
		\) -delete
	dkms add -m evsteer -v $(DKMS_VERSION) || true
	dkms install -m evsteer -v $(DKMS_VERSION) -k $(KRELEASE) \
		--kernelsourcedir $(KDIR)

dkms-remove:
	-dkms remove -m evsteer -v $(DKMS_VERSION) --all
	rm -rf $(DKMS_SRC)

clean:
	-test -z "$(KDIR)" || $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf $(BUILD)/host $(BUILD)/tools $(YNL_OUT)
