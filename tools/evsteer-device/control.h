/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The control socket: a UNIX stream server of text lines.  Every line
 * is one command and gets exactly one reply line.  What the commands
 * mean is not known here; a handler supplies the replies.
 */
#ifndef _EVSTEER_DEVICE_CONTROL_H
#define _EVSTEER_DEVICE_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include "strbuf.h"

#define EVS_CTL_MAX_CONN	8	/* control connections at once */
#define EVS_CTL_LINE_MAX	256	/* longest command line, newline included */

/**
 * struct evs_ctl_conn - one control connection
 * @fd:       socket, -1 if the slot is free
 * @line:     bytes of the line being received
 * @len:      bytes in @line
 * @overlong: the current line did not fit; discard it up to its newline
 */
struct evs_ctl_conn {
	int fd;
	char line[EVS_CTL_LINE_MAX];
	size_t len;
	bool overlong;
};

/* Executes one command line and writes the reply, without a newline. */
typedef void (*evs_ctl_handler)(void *arg, const char *line,
				struct evs_strbuf *reply);

/**
 * struct evs_control - control socket server
 * @path:      socket path, unlinked on close
 * @listen_fd: listening socket, -1 when there is no control socket
 * @handler:   executes commands
 * @arg:       handler's argument
 * @reply:     reply being built
 * @conn:      connections
 */
struct evs_control {
	const char *path;
	int listen_fd;
	evs_ctl_handler handler;
	void *arg;
	struct evs_strbuf reply;
	struct evs_ctl_conn conn[EVS_CTL_MAX_CONN];
};

void evs_control_init(struct evs_control *ctl, evs_ctl_handler handler,
		      void *arg);
int evs_control_listen(struct evs_control *ctl, const char *path);
void evs_control_accept(struct evs_control *ctl);
void evs_control_readable(struct evs_control *ctl, struct evs_ctl_conn *c);
void evs_control_close(struct evs_control *ctl);

#endif /* _EVSTEER_DEVICE_CONTROL_H */
