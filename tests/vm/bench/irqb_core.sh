#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# irqbalance --policyscript for the "irqbalance, core level" benchmark:
# irqbalance runs it as "SCRIPT SYSFS_DEVPATH IRQ" for every interrupt
# and reads key=value lines.  By default irqbalance balances an IRQ of
# PCI class 0x05 (memory controller, as ivshmem is) at package level,
# i.e. over the whole package; this asks for its finest level, one
# core, for every interrupt.
echo balance_level=core
