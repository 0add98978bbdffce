// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evsteer-ctl: send one command to an evsteer-device control socket
 * and print its one-line reply.  Exit 0 on "ok ...", 1 on "error: ..."
 * or when the device cannot be reached, 2 on bad usage.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "control.h"
#include "sockutil.h"

#define EVS_CTL_TIMEOUT_MS	5000

static void evs_ctl_usage(FILE *f)
{
	fprintf(f,
"usage: evsteer-ctl SOCKET COMMAND [ARG...]\n"
"\n"
"Commands (one reply line each, \"ok ...\" or \"error: ...\"):\n"
"  rate N | flows N | skew S | mix D,L,E,C | cost NS | pause | resume\n"
"  stats                      one JSON line: totals (backend and TX counters\n"
"                             too), per ring, per vector, per TX queue\n"
"  inject bad-prod RING       publish a producer index out of range\n"
"  inject corrupt RING code|len|ring   write an entry with a bad field\n"
"  inject flood on|off        ignore the armed flag, signal every event\n"
"  inject stall MS            stop producing for MS milliseconds\n"
"  inject tx-stall MS         consume no TX for MS milliseconds (0 resumes)\n"
"  inject config-stall MS     acknowledge no configuration for MS milliseconds\n"
"  inject link up|down        link event to the default processor\n"
"  inject error               error event to the default processor\n"
"  quit                       stop the device\n");
}

/* Join the words of the command into one line ending in a newline. */
static int evs_ctl_join(int argc, char **argv, char *line, size_t size)
{
	size_t len = 0;
	int i;

	for (i = 0; i < argc; i++) {
		int n = snprintf(line + len, size - len, "%s%s",
				 i ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= size - len)
			return -1;
		len += n;
	}
	if (len + 1 >= size)
		return -1;
	line[len++] = '\n';
	line[len] = '\0';
	return 0;
}

/* Read one reply line into @buf; return its length, or -1. */
static int evs_ctl_read_reply(int fd, char *buf, size_t size)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t len = 0;

	while (len < size - 1) {
		ssize_t n;

		if (poll(&pfd, 1, EVS_CTL_TIMEOUT_MS) <= 0)
			return -1;
		n = read(fd, buf + len, size - 1 - len);
		if (n <= 0)
			return -1;
		len += n;
		buf[len] = '\0';
		if (memchr(buf, '\n', len))
			return len;
	}
	return -1;
}

int main(int argc, char **argv)
{
	static char reply[EVS_STRBUF_SIZE + 2];
	char line[EVS_CTL_LINE_MAX];
	int fd;

	if (argc == 2 && !strcmp(argv[1], "--help")) {
		evs_ctl_usage(stdout);
		return 0;
	}
	if (argc < 3) {
		evs_ctl_usage(stderr);
		return 2;
	}
	if (evs_ctl_join(argc - 2, argv + 2, line, sizeof(line))) {
		fprintf(stderr, "evsteer-ctl: command longer than %d bytes\n",
			EVS_CTL_LINE_MAX - 1);
		return 2;
	}
	fd = evs_unix_connect(argv[1]);
	if (fd < 0) {
		fprintf(stderr, "evsteer-ctl: %s: %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	if (write(fd, line, strlen(line)) != (ssize_t)strlen(line) ||
	    evs_ctl_read_reply(fd, reply, sizeof(reply)) < 0) {
		fprintf(stderr, "evsteer-ctl: %s: no reply\n", argv[1]);
		close(fd);
		return 1;
	}
	close(fd);
	fputs(reply, stdout);
	return strncmp(reply, "ok", 2) ? 1 : 0;
}
