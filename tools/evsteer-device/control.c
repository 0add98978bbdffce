// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Control socket server.  Input is untrusted: lines are bounded, a
 * line that is too long or holds a NUL is answered with an error and
 * dropped, and a client that does not read its replies is dropped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "control.h"
#include "sockutil.h"

void evs_control_init(struct evs_control *ctl, evs_ctl_handler handler,
		      void *arg)
{
	unsigned int i;

	ctl->path = NULL;
	ctl->listen_fd = -1;
	ctl->handler = handler;
	ctl->arg = arg;
	for (i = 0; i < EVS_CTL_MAX_CONN; i++)
		ctl->conn[i].fd = -1;
}

int evs_control_listen(struct evs_control *ctl, const char *path)
{
	ctl->path = path;
	ctl->listen_fd = evs_unix_listen(path);
	return ctl->listen_fd < 0 ? -1 : 0;
}

static void evs_control_drop(struct evs_ctl_conn *c)
{
	close(c->fd);
	c->fd = -1;
}

/* Accept a connection; when every slot is taken, say so and hang up. */
void evs_control_accept(struct evs_control *ctl)
{
	static const char busy[] = "error: too many control connections\n";
	unsigned int i;
	int fd;

	fd = accept4(ctl->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	for (i = 0; i < EVS_CTL_MAX_CONN; i++) {
		struct evs_ctl_conn *c = &ctl->conn[i];

		if (c->fd < 0) {
			c->fd = fd;
			c->len = 0;
			c->overlong = false;
			return;
		}
	}
	/* best effort: the connection is closed either way */
	send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	close(fd);
}

/* Send one reply line; a client that cannot take it is dropped. */
static void evs_control_reply(struct evs_control *ctl, struct evs_ctl_conn *c)
{
	struct evs_strbuf *r = &ctl->reply;
	ssize_t n;

	if (r->truncated) {
		evs_strbuf_reset(r);
		evs_strbuf_printf(r, "error: reply too long");
	}
	evs_strbuf_printf(r, "\n");
	n = send(c->fd, r->s, r->len, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n != (ssize_t)r->len)
		evs_control_drop(c);
}

static void evs_control_line(struct evs_control *ctl, struct evs_ctl_conn *c)
{
	evs_strbuf_reset(&ctl->reply);
	if (c->overlong)
		evs_strbuf_printf(&ctl->reply, "error: line longer than %d bytes",
				  EVS_CTL_LINE_MAX - 1);
	else if (memchr(c->line, '\0', c->len))
		evs_strbuf_printf(&ctl->reply, "error: NUL byte in command");
	else
		ctl->handler(ctl->arg, c->line, &ctl->reply);
	c->len = 0;
	c->overlong = false;
	evs_control_reply(ctl, c);
}

/* Append received bytes; run every completed line. */
static void evs_control_feed(struct evs_control *ctl, struct evs_ctl_conn *c,
			     const char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n && c->fd >= 0; i++) {
		if (buf[i] == '\n') {
			if (c->len && c->line[c->len - 1] == '\r')
				c->len--;
			c->line[c->len] = '\0';
			evs_control_line(ctl, c);
		} else if (c->len < sizeof(c->line) - 1) {
			c->line[c->len++] = buf[i];
		} else {
			c->overlong = true;
		}
	}
}

/**
 * evs_control_readable() - handle input on a control connection
 * @ctl: server
 * @c:   connection that poll() reported readable or hung up
 */
void evs_control_readable(struct evs_control *ctl, struct evs_ctl_conn *c)
{
	char buf[512];
	ssize_t n;

	n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		evs_control_drop(c);
		return;
	}
	evs_control_feed(ctl, c, buf, n);
}

void evs_control_close(struct evs_control *ctl)
{
	unsigned int i;

	for (i = 0; i < EVS_CTL_MAX_CONN; i++)
		if (ctl->conn[i].fd >= 0)
			evs_control_drop(&ctl->conn[i]);
	if (ctl->listen_fd >= 0) {
		close(ctl->listen_fd);
		unlink(ctl->path);
		ctl->listen_fd = -1;
	}
}
