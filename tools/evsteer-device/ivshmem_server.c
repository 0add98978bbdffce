// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ivshmem server.  On connect QEMU expects, as little-endian int64
 * messages, each sent on its own so that a passed fd stays with it:
 *
 *   1. the protocol version, 0
 *   2. its own peer id
 *   3. -1 with the shared-memory fd
 *   4. per other peer: its id once per vector, each with the eventfd
 *      that interrupts that peer (here: the device, one vector)
 *   5. its own id once per vector, each with the eventfd that raises
 *      that MSI-X vector in the guest
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ivshmem_server.h"
#include "sockutil.h"

static void evs_ivshmem_reset_guest(struct evs_ivshmem_server *srv)
{
	unsigned int i;

	srv->sock = -1;
	srv->doorbell_fd = -1;
	for (i = 0; i < EVS_MAX_VECTORS; i++)
		srv->vector_fd[i] = -1;
}

void evs_ivshmem_init(struct evs_ivshmem_server *srv)
{
	srv->path = NULL;
	srv->listen_fd = -1;
	srv->shm_fd = -1;
	srv->num_vectors = 0;
	srv->next_id = EVS_FIRST_GUEST_ID;
	evs_ivshmem_reset_guest(srv);
}

int evs_ivshmem_listen(struct evs_ivshmem_server *srv, const char *path,
		       int shm_fd, u32 num_vectors)
{
	srv->path = path;
	srv->shm_fd = shm_fd;
	srv->num_vectors = num_vectors;
	srv->listen_fd = evs_unix_listen(path);
	return srv->listen_fd < 0 ? -1 : 0;
}

bool evs_ivshmem_connected(const struct evs_ivshmem_server *srv)
{
	return srv->sock >= 0;
}

/**
 * evs_ivshmem_accept() - take a pending connection
 * @srv: server
 * @fd:  the new connection when EVS_IVSHMEM_NEW is returned
 *
 * Only one guest is served at a time: a second one is closed at once,
 * which QEMU reports as a failed handshake.
 *
 * Return: enum evs_ivshmem_accepted.
 */
int evs_ivshmem_accept(struct evs_ivshmem_server *srv, int *fd)
{
	int conn = accept4(srv->listen_fd, NULL, NULL,
			   SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (conn < 0)
		return EVS_IVSHMEM_NONE;
	if (evs_ivshmem_connected(srv)) {
		close(conn);
		return EVS_IVSHMEM_REFUSED;
	}
	*fd = conn;
	return EVS_IVSHMEM_NEW;
}

/* One protocol message: an int64 and, if @fd >= 0, that fd with it. */
static int evs_ivshmem_send(int sock, int64_t value, int fd)
{
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	__le64 le = cpu_to_le64((u64)value);
	struct iovec iov = { .iov_base = &le, .iov_len = sizeof(le) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cmsg;

	if (fd >= 0) {
		memset(&ctl, 0, sizeof(ctl));
		msg.msg_control = ctl.buf;
		msg.msg_controllen = sizeof(ctl.buf);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	}
	return sendmsg(sock, &msg, MSG_NOSIGNAL) == sizeof(le) ? 0 : -1;
}

static int evs_ivshmem_make_eventfds(struct evs_ivshmem_server *srv)
{
	unsigned int i;

	srv->doorbell_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (srv->doorbell_fd < 0)
		return -1;
	for (i = 0; i < srv->num_vectors; i++) {
		srv->vector_fd[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (srv->vector_fd[i] < 0)
			return -1;
	}
	return 0;
}

static int evs_ivshmem_send_setup(struct evs_ivshmem_server *srv, int fd)
{
	unsigned int i;

	if (evs_ivshmem_send(fd, EVS_IVSHMEM_PROTOCOL, -1) ||
	    evs_ivshmem_send(fd, srv->id, -1) ||
	    evs_ivshmem_send(fd, EVS_IVSHMEM_SHM_MSG, srv->shm_fd))
		return -1;
	for (i = 0; i < EVS_DEVICE_VECTORS; i++)
		if (evs_ivshmem_send(fd, EVS_DEVICE_PEER_ID, srv->doorbell_fd))
			return -1;
	for (i = 0; i < srv->num_vectors; i++)
		if (evs_ivshmem_send(fd, srv->id, srv->vector_fd[i]))
			return -1;
	return 0;
}

/**
 * evs_ivshmem_welcome() - make a new connection the served guest
 * @srv: server without a guest
 * @fd:  connection from evs_ivshmem_accept(); closed on failure
 *
 * Creates fresh eventfds and sends the whole setup sequence.  The
 * caller prepares the shared memory first: the guest may look at it
 * as soon as the fd arrives.
 *
 * Return: 0, or -1 with errno set.
 */
int evs_ivshmem_welcome(struct evs_ivshmem_server *srv, int fd)
{
	srv->id = srv->next_id;
	srv->next_id = srv->next_id == EVS_MAX_PEER_ID ? EVS_FIRST_GUEST_ID :
							 srv->next_id + 1;
	srv->sock = fd;
	if (evs_ivshmem_make_eventfds(srv) || evs_ivshmem_send_setup(srv, fd))
		goto drop_guest;
	return 0;

drop_guest:
	evs_ivshmem_drop(srv);
	return -1;
}

/**
 * evs_ivshmem_guest_state() - handle the guest socket becoming readable
 * @srv: server with a guest
 *
 * QEMU sends nothing after connecting, so readable means gone.  A peer
 * that sends bytes is not QEMU but a probe (another device checking
 * whether this socket is served, see evs_unix_listen()): it is dropped
 * without counting as the guest's disconnect.
 *
 * Return: enum evs_guest_state.
 */
int evs_ivshmem_guest_state(struct evs_ivshmem_server *srv)
{
	char buf[64];
	ssize_t n;

	do
		n = recv(srv->sock, buf, sizeof(buf), MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		return EVS_GUEST_NOT_QEMU;
	if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
		return EVS_GUEST_GONE;
	return EVS_GUEST_PRESENT;
}

/* Doorbell rings since the last call; each QEMU doorbell write adds 1. */
u64 evs_ivshmem_doorbells(struct evs_ivshmem_server *srv)
{
	u64 count;

	if (srv->doorbell_fd < 0 ||
	    read(srv->doorbell_fd, &count, sizeof(count)) != sizeof(count))
		return 0;
	return count;
}

/* Raise a guest vector.  Return: 0, or -1 if it could not be raised. */
int evs_ivshmem_raise(struct evs_ivshmem_server *srv, u32 vector)
{
	u64 one = 1;

	if (vector >= srv->num_vectors || srv->vector_fd[vector] < 0)
		return -1;
	return write(srv->vector_fd[vector], &one, sizeof(one)) ==
	       sizeof(one) ? 0 : -1;
}

/* Forget the guest: close its connection and its eventfds. */
void evs_ivshmem_drop(struct evs_ivshmem_server *srv)
{
	unsigned int i;

	if (srv->sock >= 0)
		close(srv->sock);
	if (srv->doorbell_fd >= 0)
		close(srv->doorbell_fd);
	for (i = 0; i < EVS_MAX_VECTORS; i++)
		if (srv->vector_fd[i] >= 0)
			close(srv->vector_fd[i]);
	evs_ivshmem_reset_guest(srv);
}

void evs_ivshmem_close(struct evs_ivshmem_server *srv)
{
	evs_ivshmem_drop(srv);
	if (srv->listen_fd >= 0) {
		close(srv->listen_fd);
		unlink(srv->path);
		srv->listen_fd = -1;
	}
}
