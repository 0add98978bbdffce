/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Running evsteer-device and evsteer-ctl from host tests: start the
 * device on sockets in a private temporary directory, talk to its
 * control socket, stop it by pid.
 */
#ifndef _EVSTEER_TESTLIB_DEVICE_PROC_H
#define _EVSTEER_TESTLIB_DEVICE_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <evsteer/compat.h>

#define EVS_PROC_DIR_MAX	32	/* "/tmp/evsteer-test-XXXXXX" */
#define EVS_PROC_PATH_MAX	(EVS_PROC_DIR_MAX + 32)

/**
 * struct evs_devproc - one running device
 * @pid:  its pid, 0 once reaped
 * @dir:  private directory (mkdtemp) holding everything below
 * @sock: ivshmem socket
 * @ctl:  control socket
 * @out:  file receiving the device's stdout
 * @err:  file receiving the device's stderr
 */
struct evs_devproc {
	pid_t pid;
	char dir[EVS_PROC_DIR_MAX];
	char sock[EVS_PROC_PATH_MAX];
	char ctl[EVS_PROC_PATH_MAX];
	char out[EVS_PROC_PATH_MAX];
	char err[EVS_PROC_PATH_MAX];
};

const char *evs_tool_path(const char *tool);
int evs_devproc_start(struct evs_devproc *p, const char *const *args);
int evs_devproc_wait(struct evs_devproc *p, int timeout_ms, int *status);
int evs_devproc_stop(struct evs_devproc *p, int *status);
void evs_devproc_cleanup(struct evs_devproc *p);
int evs_devproc_cmd(const struct evs_devproc *p, const char *cmd,
		    char *reply, size_t size);
u64 evs_devproc_stat(const struct evs_devproc *p, const char *field,
		     char *reply, size_t size);
int evs_run_tool(const char *const *argv, int timeout_ms, char *out,
		 size_t out_size, int *status);
bool evs_path_exists(const char *path);

#endif /* _EVSTEER_TESTLIB_DEVICE_PROC_H */
