// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ivshmem client for host tests.  It accepts the setup messages the
 * way QEMU's ivshmem.c does: version, own id, then messages in any
 * order until the shared memory and all of its own vectors arrived.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ivshmem_client.h"
#include "../sockutil.h"

#define EVS_IVC_MAX_FDS		4	/* per message; one is correct */

/* Take the fds out of a control message; keep the first, close others. */
static void evs_ivc_take_fds(struct msghdr *mh, struct evs_ivc_msg *m)
{
	struct cmsghdr *cmsg;

	for (cmsg = CMSG_FIRSTHDR(mh); cmsg; cmsg = CMSG_NXTHDR(mh, cmsg)) {
		unsigned int i, n;

		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int),
			       sizeof(int));
			if (m->fd < 0)
				m->fd = fd;
			else
				close(fd);
			m->nfds++;
		}
	}
}

/**
 * evs_ivc_recv() - receive one message
 * @sock:       connection
 * @timeout_ms: how long to wait for each part of it
 * @m:          the message
 *
 * Return: 0, or -1 on timeout, end of stream or error.
 */
int evs_ivc_recv(int sock, int timeout_ms, struct evs_ivc_msg *m)
{
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(EVS_IVC_MAX_FDS * sizeof(int))];
	} ctl;
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	uint8_t le[8];
	uint64_t raw;
	size_t got = 0;

	m->fd = -1;
	m->nfds = 0;
	while (got < sizeof(le)) {
		struct iovec iov = { le + got, sizeof(le) - got };
		struct msghdr mh = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
		};
		ssize_t n;

		if (poll(&pfd, 1, timeout_ms) != 1)
			return -1;
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
		if (n <= 0)
			return -1;
		evs_ivc_take_fds(&mh, m);
		got += n;
	}
	memcpy(&raw, le, sizeof(raw));
	m->value = (int64_t)le64toh(raw);
	return 0;
}

static void evs_ivc_init(struct evs_ivc *c)
{
	memset(c, 0, sizeof(*c));
	c->sock = -1;
	c->shm_fd = -1;
	c->own_id = -1;
	c->peer_id = -1;
}

/* Sort one setup message into the client, as QEMU's process_msg(). */
static int evs_ivc_take(struct evs_ivc *c, const struct evs_ivc_msg *m)
{
	if (m->value == -1 && m->fd >= 0 && c->shm_fd < 0) {
		c->shm_fd = m->fd;
		return 0;
	}
	if (m->fd < 0 || m->value < 0)
		return -1;
	if (m->value == c->own_id) {
		if (c->num_vec_fds == EVS_MAX_VECTORS)
			return -1;
		c->vec_fd[c->num_vec_fds++] = m->fd;
		return 0;
	}
	if (c->num_peer_fds == EVS_MAX_VECTORS ||
	    (c->peer_id >= 0 && c->peer_id != m->value))
		return -1;
	c->peer_id = m->value;
	c->peer_fd[c->num_peer_fds++] = m->fd;
	return 0;
}

static int evs_ivc_map(struct evs_ivc *c)
{
	struct stat st;

	if (fstat(c->shm_fd, &st) || st.st_size <= 0)
		return -1;
	c->shm_size = st.st_size;
	c->shm = mmap(NULL, c->shm_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      c->shm_fd, 0);
	if (c->shm == MAP_FAILED) {
		c->shm = NULL;
		return -1;
	}
	return 0;
}

/**
 * evs_ivc_attach() - connect and complete the setup like QEMU
 * @c:           client
 * @path:        server socket
 * @num_vectors: our vectors; the setup is complete when all arrived
 * @timeout_ms:  for each message
 *
 * Return: 0, or -1 (and @c is detached).
 */
int evs_ivc_attach(struct evs_ivc *c, const char *path,
		   unsigned int num_vectors, int timeout_ms)
{
	struct evs_ivc_msg m;

	evs_ivc_init(c);
	c->sock = evs_unix_connect(path);
	if (c->sock < 0)
		return -1;
	if (evs_ivc_recv(c->sock, timeout_ms, &m) || m.value != 0 ||
	    m.fd >= 0)
		goto detach;
	if (evs_ivc_recv(c->sock, timeout_ms, &m) || m.value < 0 || m.fd >= 0)
		goto detach;
	c->own_id = m.value;
	while (c->shm_fd < 0 || c->num_vec_fds < num_vectors) {
		if (evs_ivc_recv(c->sock, timeout_ms, &m))
			goto detach;
		if (evs_ivc_take(c, &m)) {
			if (m.fd >= 0)
				close(m.fd);
			goto detach;
		}
	}
	if (evs_ivc_map(c))
		goto detach;
	return 0;

detach:
	evs_ivc_detach(c);
	return -1;
}

/* Ring the device: what QEMU does when the guest writes Doorbell. */
int evs_ivc_doorbell(const struct evs_ivc *c)
{
	uint64_t one = 1;

	if (!c->num_peer_fds)
		return -1;
	return write(c->peer_fd[0], &one, sizeof(one)) == sizeof(one) ? 0 : -1;
}

void evs_ivc_detach(struct evs_ivc *c)
{
	unsigned int i;

	if (c->shm)
		munmap(c->shm, c->shm_size);
	if (c->shm_fd >= 0)
		close(c->shm_fd);
	for (i = 0; i < c->num_peer_fds; i++)
		close(c->peer_fd[i]);
	for (i = 0; i < c->num_vec_fds; i++)
		close(c->vec_fd[i]);
	if (c->sock >= 0)
		close(c->sock);
	evs_ivc_init(c);
}
