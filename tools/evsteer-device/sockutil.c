// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * UNIX stream sockets by path.  A listener replaces a socket file that
 * a dead process left behind, but never one that someone still serves.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sockutil.h"

static int evs_unix_addr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun->sun_path, path);
	return 0;
}

/*
 * A socket file that refuses connections belongs to nobody.  A probe
 * that gets through says so with one byte: QEMU never sends anything
 * on the ivshmem socket, so the serving device can tell the probe from
 * its guest leaving (see evs_ivshmem_guest_state()).
 */
static bool evs_unix_stale(const char *path)
{
	struct stat st;
	int fd;

	if (lstat(path, &st) || !S_ISSOCK(st.st_mode))
		return false;
	fd = evs_unix_connect(path);
	if (fd >= 0) {
		if (send(fd, "\n", 1, MSG_NOSIGNAL) != 1)
			perror("evsteer-device: probe");
		close(fd);
		return false;
	}
	return errno == ECONNREFUSED;
}

/* After EADDRINUSE: take the path over if its socket is stale. */
static int evs_unix_rebind(int fd, const char *path,
			   const struct sockaddr_un *sun)
{
	if (errno != EADDRINUSE)
		return -1;
	if (!evs_unix_stale(path)) {
		errno = EADDRINUSE;
		return -1;
	}
	if (unlink(path))
		return -1;
	return bind(fd, (const struct sockaddr *)sun, sizeof(*sun));
}

/**
 * evs_unix_listen() - listen on a UNIX stream socket
 * @path: socket path
 *
 * Return: a non-blocking, close-on-exec listening socket, or -1 with
 * errno set (EADDRINUSE if another process serves @path).
 */
int evs_unix_listen(const char *path)
{
	struct sockaddr_un sun;
	int fd, err;

	if (evs_unix_addr(path, &sun))
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) &&
	    evs_unix_rebind(fd, path, &sun))
		goto close_fd;
	if (listen(fd, 8))
		goto unlink_path;
	return fd;

unlink_path:
	err = errno;
	unlink(path);
	errno = err;
close_fd:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

/* Return: a blocking, close-on-exec connected socket, or -1 with errno. */
int evs_unix_connect(const char *path)
{
	struct sockaddr_un sun;
	int fd, err;

	if (evs_unix_addr(path, &sun))
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}
