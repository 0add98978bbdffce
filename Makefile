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
# the guest's UDP receiver: static, for the busybox initramfs
RX := $(BUILD)/tools/evsteer-rx
RX_CFLAGS := -std=gnu11 -static -O2 -pthread -Wall -Wextra -Werror \
	-I$(CURDIR)/include
# the guest's netdev netlink reader (queues, NAPIs, qstats): static too
NL := $(BUILD)/tools/evsteer-nl
NL_CFLAGS := -std=gnu11 -static -O2 -Wall -Wextra -Werror
# UDP request/response for the NIC comparison of make bench: static, it
# runs in the guest (echo) and on the host (client)
UDPRR := $(BUILD)/tools/udprr

DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
DKMS_SRC := /usr/src/evsteer-$(DKMS_VERSION)
# the release KDIR is for: /lib/modules/<release>/build or
# /usr/src/linux-headers-<release>
KRELEASE = $(patsubst linux-headers-%,%,$(notdir $(patsubst %/build,%,$(KDIR))))

.PHONY: install dkms-install dkms-remove
.PHONY: all module tools host-tests host-test kunit vmtest check demo lint \
	bench deps clean

all: module tools

module:
	@test -n "$(KDIR)" || { echo "no kernel headers: run scripts/deps.sh" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools: $(RX) $(NL) $(UDPRR)
	$(MAKE) -C tools/evsteer-device O=$(BUILD)

$(RX): tests/vm/rx/evsteer-rx.c $(wildcard include/evsteer/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(RX_CFLAGS) $< -o $@

$(NL): tests/vm/nl/evsteer-nl.c
	@mkdir -p $(dir $@)
	$(CC) $(NL_CFLAGS) $< -o $@

$(UDPRR): tests/vm/bench/udprr.c
	@mkdir -p $(dir $@)
	$(CC) $(NL_CFLAGS) $< -o $@

$(BUILD)/host/%: tests/host/%.c $(wildcard tests/host/*.h include/evsteer/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $< -o $@

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
	rm -rf $(BUILD)/host $(BUILD)/tools
