/* SPDX-License-Identifier: GPL-2.0 */
/*
 * evsteer: the kernel API differences between Linux 6.1 and 6.12, in
 * one place.  kcompat_generated.h (kcompat-gen.sh, run by Kbuild) says
 * which APIs the headers being built against have; the wrappers below
 * give the driver one spelling for each.  Nothing else in the driver
 * looks at kernel versions.
 */
#ifndef _EVSTEER_KCOMPAT_H
#define _EVSTEER_KCOMPAT_H

#include <linux/err.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/workqueue.h>

#include "kcompat_generated.h"

/* 6.10: __assign_str(dst) copies what __string(dst, src) named */
#ifdef EVS_HAVE_ASSIGN_STR_1ARG
#define evs_assign_str(dst, src)	__assign_str(dst)
#else
#define evs_assign_str(dst, src)	__assign_str(dst, src)
#endif

/*
 * 6.8: ethtool's get_rxfh/set_rxfh take struct ethtool_rxfh_param.
 * The driver writes them the old way, (indir, key, hfunc); this makes
 * the ops of either shape out of them.
 */
#ifdef EVS_HAVE_ETHTOOL_RXFH_PARAM
#define EVS_DEFINE_RXFH_OPS(get, set)					\
static int get##_op(struct net_device *nd, struct ethtool_rxfh_param *p) \
{									\
	return get(nd, p->indir, p->key, &p->hfunc);			\
}									\
static int set##_op(struct net_device *nd, struct ethtool_rxfh_param *p, \
		    struct netlink_ext_ack *extack)			\
{									\
	if (p->rss_context)						\
		return -EOPNOTSUPP;					\
	return set(nd, p->indir, p->key, p->hfunc);			\
}
#else
#define EVS_DEFINE_RXFH_OPS(get, set)					\
static int get##_op(struct net_device *nd, u32 *indir, u8 *key, u8 *hfunc) \
{									\
	return get(nd, indir, key, hfunc);				\
}									\
static int set##_op(struct net_device *nd, const u32 *indir,		\
		    const u8 *key, const u8 hfunc)			\
{									\
	return set(nd, indir, key, hfunc);				\
}
#endif

/**
 * evs_pcim_iomap_bar() - request and map one BAR, device-managed
 * @pdev: PCI function, enabled with pcim_enable_device()
 * @bar:  BAR number
 * @name: owner of the region
 *
 * Return: the mapping, or an IOMEM_ERR_PTR().
 */
static inline void __iomem *evs_pcim_iomap_bar(struct pci_dev *pdev, int bar,
					       const char *name)
{
#ifdef EVS_HAVE_PCIM_IOMAP_REGION
	return pcim_iomap_region(pdev, bar, name);
#else
	int err = pcim_iomap_regions(pdev, BIT(bar), name);

	return err ? IOMEM_ERR_PTR(err) : pcim_iomap_table(pdev)[bar];
#endif
}

/* 6.8: netdev netlink shows each RX queue's NAPI, each NAPI's IRQ */
static inline void evs_queue_set_napi(struct net_device *nd, unsigned int q,
				      struct napi_struct *napi)
{
#ifdef EVS_HAVE_NETIF_QUEUE_SET_NAPI
	netif_queue_set_napi(nd, q, NETDEV_QUEUE_TYPE_RX, napi);
#endif
}

static inline void evs_txq_set_napi(struct net_device *nd, unsigned int q,
				    struct napi_struct *napi)
{
#ifdef EVS_HAVE_NETIF_QUEUE_SET_NAPI
	netif_queue_set_napi(nd, q, NETDEV_QUEUE_TYPE_TX, napi);
#endif
}

static inline void evs_napi_set_irq(struct napi_struct *napi, int irq)
{
#ifdef EVS_HAVE_NETIF_NAPI_SET_IRQ
	netif_napi_set_irq(napi, irq);
#endif
}

/* 6.9: BH workqueues, the tasklets' successor; NULL before */
static inline struct workqueue_struct *evs_bh_wq(void)
{
#ifdef EVS_HAVE_SYSTEM_BH_WQ
	return system_bh_wq;
#else
	return NULL;
#endif
}

/*
 * PREEMPT_RT runs softirqs in threads and warns when an IPI callback
 * raises one (do_softirq_post_smp_call_flush()); its own RPS backlog
 * uses threads there instead.
 */
static inline bool evs_softirq_from_ipi(void)
{
	return !IS_ENABLED(CONFIG_PREEMPT_RT);
}

/* 6.9: per-queue statistics over netdev netlink (qstats.c) */
#ifdef EVS_HAVE_NETDEV_STAT_OPS
void evs_qstats_set_ops(struct net_device *nd);
#else
static inline void evs_qstats_set_ops(struct net_device *nd)
{
}
#endif

#endif /* _EVSTEER_KCOMPAT_H */
