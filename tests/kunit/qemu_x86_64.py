# SPDX-License-Identifier: GPL-2.0
#
# kunit.py --qemu_config for x86_64: as the stock config, but explicitly
# on TCG (KVM hangs on the project's machines) with multi-threaded TCG,
# and with SMP so that -smp N gives the tests real CPUs.

from ..qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch='x86_64',
			   kconfig='''
CONFIG_SERIAL_8250=y
CONFIG_SERIAL_8250_CONSOLE=y
CONFIG_SMP=y''',
			   qemu_arch='x86_64',
			   kernel_path='arch/x86/boot/bzImage',
			   kernel_command_line='console=ttyS0',
			   extra_qemu_params=['-accel', 'tcg,thread=multi',
					      '-cpu', 'max',
					      '-bios', 'qboot.rom'])
