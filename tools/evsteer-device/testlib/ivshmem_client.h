/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The QEMU side of the ivshmem protocol, for host tests: receive the
 * setup messages with their fds, map the shared memory, ring the
 * device's doorbell.
 */
#ifndef _EVSTEER_TESTLIB_IVSHMEM_CLIENT_H
#define _EVSTEER_TESTLIB_IVSHMEM_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <evsteer/abi.h>

/**
 * struct evs_ivc_msg - one protocol message
 * @value: the little-endian int64, converted
 * @fd:    the fd that came with it, or -1
 * @nfds:  fds that came with it (more than one is a protocol error)
 */
struct evs_ivc_msg {
	int64_t value;
	int fd;
	unsigned int nfds;
};

/**
 * struct evs_ivc - a connected client, as QEMU's ivshmem-doorbell is
 * @sock:         connection to the server
 * @own_id:       our peer id
 * @shm_fd:       shared memory
 * @shm:          its mapping
 * @shm_size:     its size
 * @peer_id:      the other peer's (the device's) id
 * @peer_fd:      eventfds that interrupt the peer, per its vector
 * @num_peer_fds: entries in @peer_fd
 * @vec_fd:       eventfds that the server raises our vectors with
 * @num_vec_fds:  entries in @vec_fd
 */
struct evs_ivc {
	int sock;
	int64_t own_id;
	int shm_fd;
	void *shm;
	size_t shm_size;
	int64_t peer_id;
	int peer_fd[EVS_MAX_VECTORS];
	unsigned int num_peer_fds;
	int vec_fd[EVS_MAX_VECTORS];
	unsigned int num_vec_fds;
};

int evs_ivc_recv(int sock, int timeout_ms, struct evs_ivc_msg *m);
int evs_ivc_attach(struct evs_ivc *c, const char *path,
		   unsigned int num_vectors, int timeout_ms);
int evs_ivc_doorbell(const struct evs_ivc *c);
void evs_ivc_detach(struct evs_ivc *c);

#endif /* _EVSTEER_TESTLIB_IVSHMEM_CLIENT_H */
