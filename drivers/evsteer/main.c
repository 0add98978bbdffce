// SPDX-License-Identifier: GPL-2.0
/*
 * evsteer: PCI glue.  The device is a userspace process behind QEMU's
 * ivshmem-doorbell function (1af4:1110); probe maps it, checks that it
 * speaks our ABI, gives every ring a vector and a consumer, and
 * registers the net device; the device produces once that is up.
 * remove undoes it in reverse.
 */

#include <linux/idr.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "evsteer.h"
#include "kcompat.h"

static unsigned int device_peer;
module_param(device_peer, uint, 0444);
MODULE_PARM_DESC(device_peer,
		 "ivshmem peer id of the evsteer device, for the doorbell (default 0)");

static unsigned int lanes = EVS_DEFAULT_LANES;
module_param(lanes, uint, 0444);
MODULE_PARM_DESC(lanes, "lanes (deferred work items) per data ring, 1-8 (default 2)");

static char *bh_mode = "napi";
module_param(bh_mode, charp, 0444);
MODULE_PARM_DESC(bh_mode,
		 "how lanes run: napi (default: NAPI in softirq on the lane's CPU), threaded (NAPI kthreads pinned to it), workqueue, tasklet, or bh (BH work items, Linux 6.9+, where tasklet means bh)");

static DEFINE_IDA(evs_ida);

static int evs_parse_params(struct evs_dev *edev)
{
	int mode;

	if (lanes < 1 || lanes > EVS_MAX_LANES) {
		dev_err(edev->dev, "lanes=%u is out of range 1-%u\n", lanes,
			EVS_MAX_LANES);
		return -ERANGE;
	}
	mode = evs_bh_mode_parse(bh_mode);
	if (mode >= 0)
		mode = evs_lane_mode_effective(mode);
	if (mode < 0) {
		dev_err(edev->dev, "bh_mode=%s: use napi, threaded, workqueue, tasklet%s\n",
			bh_mode, evs_bh_wq() ? " or bh" : "");
		return mode;
	}
	edev->bh_mode = mode;
	return 0;
}

/* Data rings get the configured lanes; the admin ring needs only one. */
static int evs_rings_init(struct evs_dev *edev)
{
	unsigned int i;
	int err;

	for (i = 0; i < edev->geo.total_rings; i++) {
		err = evs_ring_init(edev, &edev->rings[i], i,
				    i < edev->geo.num_rings ? lanes : 1);
		if (err)
			return err;
	}
	return 0;
}

static void evs_rings_stop(struct evs_dev *edev)
{
	evs_dp_stop_rings(edev, 0, edev->geo.total_rings);
}

/*
 * The admin ring runs from now on; the data rings, and the device's
 * production, wait for the net device to go up (datapath.c).
 */
static void evs_dev_start(struct evs_dev *edev)
{
	evs_dp_start_rings(edev, edev->geo.num_rings, 1);
}

static int evs_probe_map(struct evs_dev *edev)
{
	struct pci_dev *pdev = edev->pdev;
	int err;

	err = pcim_enable_device(pdev);
	if (err)
		return dev_err_probe(&pdev->dev, err, "cannot enable device\n");
	/* without bus mastering the function's MSI-X writes are dropped */
	pci_set_master(pdev);
	err = evs_shm_map(edev);
	if (err)
		return err;
	edev->rings = devm_kcalloc(&pdev->dev, edev->geo.total_rings,
				   sizeof(*edev->rings), GFP_KERNEL);
	if (!edev->rings)
		return -ENOMEM;
	err = evs_tx_init(edev);
	if (err)
		return err;
	return evs_irq_alloc_vectors(edev);
}

static int evs_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct evs_dev *edev;
	int err;

	edev = devm_kzalloc(&pdev->dev, sizeof(*edev), GFP_KERNEL);
	if (!edev)
		return -ENOMEM;
	edev->pdev = pdev;
	edev->dev = &pdev->dev;
	edev->device_peer = device_peer;
	err = evs_parse_params(edev);
	if (err)
		return err;
	err = evs_probe_map(edev);
	if (err)
		return err;

	err = evs_monitor_init(edev, lanes);
	if (err)
		return err;
	err = evs_handoff_init(edev);
	if (err)
		return err;

	edev->id = ida_alloc(&evs_ida, GFP_KERNEL);
	if (edev->id < 0)
		return edev->id;
	snprintf(edev->name, sizeof(edev->name), EVS_DRV_NAME "%d", edev->id);
	edev->wq = alloc_workqueue("%s", WQ_HIGHPRI, 0, edev->name);
	if (!edev->wq) {
		err = -ENOMEM;
		goto err_free_id;
	}
	err = evs_rings_init(edev);
	if (err)
		goto err_destroy_wq;
	err = evs_irq_request_all(edev);
	if (err)
		goto err_destroy_wq;
	/* steering needs the vectors' CPUs and goes in before enabling */
	err = evs_rss_init(edev);
	if (err)
		goto err_free_irqs;
	evs_irq_follow_start(edev);
	err = evs_netdev_create(edev);
	if (err)
		goto err_free_irqs;

	pci_set_drvdata(pdev, edev);
	evs_debugfs_add(edev);
	evs_dev_start(edev);
	err = evs_monitor_start(edev);
	if (err)
		goto err_stop_rings;
	err = evs_sysfs_add(edev);
	if (err)
		goto err_stop_monitor;
	err = evs_netdev_register(edev);
	if (err)
		goto err_stop_monitor;
	evs_health_start(edev);
	dev_info(&pdev->dev, "%s: %u rings of %u entries with %u-byte buffers, %u vectors, ivshmem peer %u, device peer %u\n",
		 edev->name, edev->geo.num_rings, edev->geo.ring_size,
		 edev->geo.buf_size, edev->geo.total_rings, edev->ivposition,
		 edev->device_peer);
	return 0;

err_stop_monitor:
	evs_monitor_stop(edev);
err_stop_rings:
	evs_shm_disable(edev);
	evs_debugfs_remove(edev);
err_free_irqs:
	evs_irq_free_all(edev);
	evs_rings_stop(edev);
	evs_handoff_shutdown(edev);
err_destroy_wq:
	destroy_workqueue(edev->wq);
err_free_id:
	ida_free(&evs_ida, edev->id);
	return err;
}

static void evs_remove(struct pci_dev *pdev)
{
	struct evs_dev *edev = pci_get_drvdata(pdev);

	evs_health_stop(edev);
	/* first: ethtool must not reach rings that are going away */
	evs_netdev_unregister(edev);
	/* the watchdog is gone with the net device; its reset goes too */
	evs_tx_cancel_reset(edev);
	/* no tick, knob change or hotplug callback from here on */
	evs_monitor_stop(edev);
	evs_shm_disable(edev);
	evs_debugfs_remove(edev);
	evs_irq_free_all(edev);
	evs_rings_stop(edev);
	/* the rings ended every hand-off: no timer after this */
	evs_handoff_shutdown(edev);
	destroy_workqueue(edev->wq);
	ida_free(&evs_ida, edev->id);
	/* devres unmaps the BARs and frees the vectors */
}

static const struct pci_device_id evs_pci_ids[] = {
	{ PCI_DEVICE(EVS_PCI_VENDOR, EVS_PCI_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, evs_pci_ids);

static struct pci_driver evs_pci_driver = {
	.name		= EVS_DRV_NAME,
	.id_table	= evs_pci_ids,
	.probe		= evs_probe,
	.remove		= evs_remove,
};

static int __init evs_init(void)
{
	int err;

	evs_debugfs_init();
	err = evs_hotplug_init();
	if (err)
		goto err_debugfs_exit;
	err = pci_register_driver(&evs_pci_driver);
	if (err)
		goto err_hotplug_exit;
	return 0;

err_hotplug_exit:
	evs_hotplug_exit();
err_debugfs_exit:
	evs_debugfs_exit();
	return err;
}
module_init(evs_init);

static void __exit evs_exit(void)
{
	pci_unregister_driver(&evs_pci_driver);
	evs_hotplug_exit();
	evs_debugfs_exit();
}
module_exit(evs_exit);

MODULE_DESCRIPTION("Dynamic interrupt steering for the evsteer ivshmem device");
MODULE_AUTHOR("evsteer developers");
MODULE_LICENSE("GPL");
