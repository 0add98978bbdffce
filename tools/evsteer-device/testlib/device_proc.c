// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Starting and stopping evsteer-device for host tests.  Every child is
 * bounded: it gets --duration, dies with the test (PR_SET_PDEATHSIG),
 * and is stopped by its pid with SIGTERM, then SIGKILL if it hangs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "device_proc.h"
#include "json_scan.h"
#include "../sockutil.h"

#define EVS_PROC_MAX_ARGS	48
#define EVS_PROC_DURATION	"90"	/* seconds: outlives any test */
#define EVS_PROC_START_MS	5000
#define EVS_PROC_STOP_MS	5000

/* build/tools/<tool>, found from build/host/<test>. */
const char *evs_tool_path(const char *tool)
{
	static char path[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0)
		return tool;
	exe[n] = '\0';
	snprintf(path, sizeof(path), "%s/../tools/%s", dirname(exe), tool);
	return path;
}

bool evs_path_exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

static void evs_sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* In the child: redirect, die with the parent, exec. */
static void evs_child_exec(const char *const *argv, const char *out,
			   const char *err)
{
	int fd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0)
		dup2(fd, STDOUT_FILENO);
	if (!strcmp(out, err)) {
		dup2(STDOUT_FILENO, STDERR_FILENO);
	} else {
		fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0)
			dup2(fd, STDERR_FILENO);
	}
	execv(argv[0], (char *const *)argv);
	_exit(127);
}

static int evs_devproc_paths(struct evs_devproc *p)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->dir, sizeof(p->dir), "/tmp/evsteer-test-XXXXXX");
	if (!mkdtemp(p->dir))
		return -1;
	snprintf(p->sock, sizeof(p->sock), "%s/ivshmem.sock", p->dir);
	snprintf(p->ctl, sizeof(p->ctl), "%s/ctl.sock", p->dir);
	snprintf(p->out, sizeof(p->out), "%s/stdout", p->dir);
	snprintf(p->err, sizeof(p->err), "%s/stderr", p->dir);
	return 0;
}

/**
 * evs_devproc_start() - start evsteer-device and wait for its sockets
 * @p:    filled in
 * @args: extra options, NULL-terminated; --socket, --ctl and --duration
 *        are added
 *
 * Return: 0, or -1 if it did not come up (it is stopped then).
 */
int evs_devproc_start(struct evs_devproc *p, const char *const *args)
{
	const char *argv[EVS_PROC_MAX_ARGS];
	int argc = 0, waited, status;

	if (evs_devproc_paths(p))
		return -1;
	argv[argc++] = evs_tool_path("evsteer-device");
	argv[argc++] = "--socket";
	argv[argc++] = p->sock;
	argv[argc++] = "--ctl";
	argv[argc++] = p->ctl;
	argv[argc++] = "--duration";
	argv[argc++] = EVS_PROC_DURATION;
	while (args && *args && argc < EVS_PROC_MAX_ARGS - 1)
		argv[argc++] = *args++;
	argv[argc] = NULL;

	fflush(stdout);
	p->pid = fork();
	if (p->pid < 0)
		return -1;
	if (!p->pid)
		evs_child_exec(argv, p->out, p->err);
	for (waited = 0; waited < EVS_PROC_START_MS; waited += 5) {
		if (evs_path_exists(p->sock) && evs_path_exists(p->ctl))
			return 0;
		if (!evs_devproc_wait(p, 0, &status))
			return -1;
		evs_sleep_ms(5);
	}
	evs_devproc_stop(p, &status);
	return -1;
}

/**
 * evs_devproc_wait() - wait for the device to exit by itself
 * @p:          device
 * @timeout_ms: how long
 * @status:     its wait status
 *
 * Return: 0 once it exited, -1 if it still runs.
 */
int evs_devproc_wait(struct evs_devproc *p, int timeout_ms, int *status)
{
	int waited = 0;

	if (!p->pid)
		return 0;
	for (;;) {
		pid_t r = waitpid(p->pid, status, WNOHANG);

		if (r == p->pid || (r < 0 && errno == ECHILD)) {
			p->pid = 0;
			return 0;
		}
		if (waited >= timeout_ms)
			return -1;
		evs_sleep_ms(5);
		waited += 5;
	}
}

/* SIGTERM, then SIGKILL if it does not exit.  Return: 0 if it exited. */
int evs_devproc_stop(struct evs_devproc *p, int *status)
{
	if (!p->pid)
		return 0;
	kill(p->pid, SIGTERM);
	if (!evs_devproc_wait(p, EVS_PROC_STOP_MS, status))
		return 0;
	kill(p->pid, SIGKILL);
	evs_devproc_wait(p, EVS_PROC_STOP_MS, status);
	return -1;
}

/* Stop the device if needed and remove its directory. */
void evs_devproc_cleanup(struct evs_devproc *p)
{
	int status;

	evs_devproc_stop(p, &status);
	unlink(p->sock);
	unlink(p->ctl);
	unlink(p->out);
	unlink(p->err);
	rmdir(p->dir);
}

/**
 * evs_devproc_cmd() - one control command
 * @p:     device
 * @cmd:   command without newline
 * @reply: its reply line, without newline
 * @size:  size of @reply
 *
 * Return: 0 on "ok ...", 1 on any other reply, -1 without a reply.
 */
int evs_devproc_cmd(const struct evs_devproc *p, const char *cmd,
		    char *reply, size_t size)
{
	struct pollfd pfd = { .events = POLLIN };
	size_t len = 0;
	char *nl;
	int fd;

	fd = evs_unix_connect(p->ctl);
	if (fd < 0)
		return -1;
	pfd.fd = fd;
	if (write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd) ||
	    write(fd, "\n", 1) != 1)
		goto close_fd;
	while (len < size - 1 && poll(&pfd, 1, 5000) == 1) {
		ssize_t n = read(fd, reply + len, size - 1 - len);

		if (n <= 0)
			break;
		len += n;
		reply[len] = '\0';
		nl = strchr(reply, '\n');
		if (nl) {
			*nl = '\0';
			close(fd);
			return strncmp(reply, "ok ", 3) ? 1 : 0;
		}
	}
close_fd:
	close(fd);
	return -1;
}

/**
 * evs_devproc_stat() - one number of the device's "stats" JSON line
 * @p:     the device
 * @field: its name
 * @reply: scratch for the reply
 * @size:  size of @reply
 *
 * Return: the value, or ~0 if the device did not answer or has no such
 * field.
 */
u64 evs_devproc_stat(const struct evs_devproc *p, const char *field,
		     char *reply, size_t size)
{
	u64 v = ~0ull;

	if (!evs_devproc_cmd(p, "stats", reply, size))
		evs_json_u64(reply, field, &v);
	return v;
}

/**
 * evs_run_tool() - run a program to completion, capturing its output
 * @argv:       program and arguments
 * @timeout_ms: it is killed after this
 * @out:        its stdout and stderr, NUL-terminated
 * @out_size:   size of @out
 * @status:     its wait status
 *
 * Return: 0 if it exited in time, -1 otherwise.
 */
int evs_run_tool(const char *const *argv, int timeout_ms, char *out,
		 size_t out_size, int *status)
{
	struct evs_devproc p;
	FILE *f;
	size_t n = 0;
	int ret;

	if (evs_devproc_paths(&p))
		return -1;
	fflush(stdout);
	p.pid = fork();
	if (p.pid < 0)
		return -1;
	if (!p.pid)
		evs_child_exec(argv, p.out, p.out);
	ret = evs_devproc_wait(&p, timeout_ms, status);
	if (ret)
		evs_devproc_stop(&p, status);
	f = fopen(p.out, "r");
	if (f) {
		n = fread(out, 1, out_size - 1, f);
		fclose(f);
	}
	out[n] = '\0';
	evs_devproc_cleanup(&p);
	return ret;
}
