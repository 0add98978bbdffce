// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: receive.  A lane turns each of its entries into an skb: the
 * frame is copied out of shared memory first (the device may rewrite
 * its memory at any time, so only the copy is parsed), then it gets
 * the device's Toeplitz hash with its real type, its ring as the RX
 * queue, and the time its window was taken as its timestamp, so that
 * SO_TIMESTAMPNS measures hard IRQ -> socket.  NAPI lanes deliver
 * through GRO; the others collect a list and hand it over at the end
 * of their run.
 */

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "evsteer.h"

/**
 * evs_rx_hash_type() - the kernel's hash type for the device's
 * @type: enum evs_hash_type, already checked
 *
 * Return: PKT_HASH_TYPE_L4 for a hash over addresses and ports,
 * PKT_HASH_TYPE_L3 for one over addresses only, else PKT_HASH_TYPE_NONE.
 */
enum pkt_hash_types evs_rx_hash_type(u32 type)
{
	switch (type) {
	case EVS_HASH_IPV4_L4:
	case EVS_HASH_IPV6_L4:
		return PKT_HASH_TYPE_L4;
	case EVS_HASH_IPV4:
	case EVS_HASH_IPV6:
		return PKT_HASH_TYPE_L3;
	default:
		return PKT_HASH_TYPE_NONE;
	}
}

static void evs_rx_count_alloc_fail(struct evs_lane *lane)
{
	u64_stats_update_begin(&lane->stats.syncp);
	u64_stats_inc(&lane->stats.rx_alloc_fail);
	u64_stats_update_end(&lane->stats.syncp);
}

/**
 * evs_rx_build_skb() - copy one frame out of shared memory into an skb
 * @lane: lane that owns the entry
 * @slot: its descriptor, checked by the window's taker: ETH_HLEN <=
 *        @slot->len <= the buffer size
 * @buf:  the entry's receive buffer in shared memory
 *
 * Return: the skb, or NULL (counted in rx_alloc_fail) if none could be
 * allocated.
 */
struct sk_buff *evs_rx_build_skb(struct evs_lane *lane,
				 const struct evs_slot *slot, const u8 *buf)
{
	struct evs_ring *ring = lane->ring;
	struct net_device *nd = ring->edev->netdev;
	enum pkt_hash_types type = evs_rx_hash_type(slot->hash_type);
	struct sk_buff *skb;

	if (lane->napi_on)
		skb = napi_alloc_skb(&lane->napi, slot->len);
	else
		skb = netdev_alloc_skb_ip_align(nd, slot->len);
	if (unlikely(!skb)) {
		evs_rx_count_alloc_fail(lane);
		return NULL;
	}
	skb_put_data(skb, buf, slot->len);
	skb->protocol = eth_type_trans(skb, nd);
	if (type != PKT_HASH_TYPE_NONE)
		skb_set_hash(skb, slot->hash, type);
	/* the admin ring, and rings ethtool -L just retired, are no queue */
	if (ring->id < READ_ONCE(nd->real_num_rx_queues))
		skb_record_rx_queue(skb, ring->id);
	skb->tstamp = ring->win_taken_real;
	return skb;
}

/**
 * evs_rx_deliver() - hand one skb to the stack, or queue it for that
 * @lane: lane
 * @skb:  from evs_rx_build_skb()
 * @list: where lanes outside NAPI collect their skbs
 */
void evs_rx_deliver(struct evs_lane *lane, struct sk_buff *skb,
		    struct list_head *list)
{
	if (lane->napi_on)
		napi_gro_receive(&lane->napi, skb);
	else
		list_add_tail(&skb->list, list);
}

/**
 * evs_rx_flush() - deliver what evs_rx_deliver() collected
 * @lane: lane
 * @list: its skbs, in order
 *
 * A work item runs in process context: the stack wants bottom halves
 * disabled around netif_receive_skb_list(), and runs the softirqs it
 * raised when they are enabled again.
 */
void evs_rx_flush(struct evs_lane *lane, struct list_head *list)
{
	if (list_empty(list))
		return;
	local_bh_disable();
	netif_receive_skb_list(list);
	local_bh_enable();
}
