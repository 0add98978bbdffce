/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The server side of QEMU's ivshmem protocol (docs/specs/ivshmem-spec.txt)
 * for one guest at a time: hands out the shared memory and the eventfds
 * that raise the guest's MSI-X vectors, and owns the eventfd the guest
 * rings through its Doorbell register.
 */
#ifndef _EVSTEER_DEVICE_IVSHMEM_SERVER_H
#define _EVSTEER_DEVICE_IVSHMEM_SERVER_H

#include <evsteer/abi.h>

#define EVS_IVSHMEM_PROTOCOL	0	/* the only version QEMU speaks */
#define EVS_IVSHMEM_SHM_MSG	(-1)	/* message that carries the memory */

/*
 * The device is a peer of its own, with one vector: the guest rings it
 * by writing (EVS_DEVICE_PEER_ID << 16) | 0 to Doorbell.  Guests get
 * ids from EVS_FIRST_GUEST_ID on, like ivshmem-server hands them out.
 */
#define EVS_DEVICE_PEER_ID	0
#define EVS_DEVICE_VECTORS	1
#define EVS_FIRST_GUEST_ID	1
#define EVS_MAX_PEER_ID		65535	/* Doorbell has 16 bits for it */

/**
 * struct evs_ivshmem_server - listener and the connected guest, if any
 * @path:        socket path, unlinked on close
 * @listen_fd:   listening socket
 * @shm_fd:      the shared memory, sent to every guest
 * @num_vectors: guest vectors, one eventfd each
 * @next_id:     id of the next guest
 * @sock:        connection to the guest (QEMU), -1 if none
 * @id:          the guest's peer id
 * @doorbell_fd: eventfd the guest's doorbell writes, -1 if none
 * @vector_fd:   eventfds that raise the guest's vectors
 */
struct evs_ivshmem_server {
	const char *path;
	int listen_fd;
	int shm_fd;
	u32 num_vectors;
	u32 next_id;
	int sock;
	u32 id;
	int doorbell_fd;
	int vector_fd[EVS_MAX_VECTORS];
};

enum evs_ivshmem_accepted {
	EVS_IVSHMEM_NONE,	/* nothing to accept after all */
	EVS_IVSHMEM_NEW,	/* a guest to welcome */
	EVS_IVSHMEM_REFUSED,	/* a second guest, turned away */
};

void evs_ivshmem_init(struct evs_ivshmem_server *srv);
int evs_ivshmem_listen(struct evs_ivshmem_server *srv, const char *path,
		       int shm_fd, u32 num_vectors);
int evs_ivshmem_accept(struct evs_ivshmem_server *srv, int *fd);
int evs_ivshmem_welcome(struct evs_ivshmem_server *srv, int fd);
bool evs_ivshmem_connected(const struct evs_ivshmem_server *srv);
enum evs_guest_state {
	EVS_GUEST_PRESENT,	/* nothing happened */
	EVS_GUEST_GONE,		/* QEMU disconnected */
	EVS_GUEST_NOT_QEMU,	/* a probe that talked: drop it quietly */
};

int evs_ivshmem_guest_state(struct evs_ivshmem_server *srv);
u64 evs_ivshmem_doorbells(struct evs_ivshmem_server *srv);
int evs_ivshmem_raise(struct evs_ivshmem_server *srv, u32 vector);
void evs_ivshmem_drop(struct evs_ivshmem_server *srv);
void evs_ivshmem_close(struct evs_ivshmem_server *srv);

#endif /* _EVSTEER_DEVICE_IVSHMEM_SERVER_H */
