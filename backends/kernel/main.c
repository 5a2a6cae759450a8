// SPDX-License-Identifier: GPL-2.0
/*
 * offsched: runs one service alone on a hot-unplugged x86 CPU, polling a NIC it owns.
 * Module entry: set up in dependency order, tear down in reverse; unloading first gives every
 * claimed CPU back to Linux.
 */
#include <linux/module.h>
#include <linux/slab.h>

#include "nic.h"
#include "offsched.h"

DEFINE_MUTEX(offsched_lock);
struct offsched_slot *offsched_slots;

static int __init offsched_init(void)
{
	unsigned int cpu;
	int ret;

	offsched_slots = kcalloc(nr_cpu_ids, sizeof(*offsched_slots), GFP_KERNEL);
	if (!offsched_slots)
		return -ENOMEM;
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		offsched_slots[cpu].cpu = cpu;

	ret = osk_nic_driver_init();
	if (ret)
		goto fail_slots;
	ret = osk_sysfs_init();
	if (ret)
		goto fail_nic;
	ret = osk_takeover_init();
	if (ret)
		goto fail_sysfs;
	ret = osk_ctl_init();
	if (ret)
		goto fail_takeover;
	pr_info("offsched: loaded (%u services)\n", osk_service_count());
	return 0;

fail_takeover:
	osk_takeover_exit();
fail_sysfs:
	osk_sysfs_exit();
fail_nic:
	osk_nic_driver_exit();
fail_slots:
	kfree(offsched_slots);
	return ret;
}

static void __exit offsched_exit(void)
{
	osk_ctl_exit();
	mutex_lock(&offsched_lock);
	osk_detach_all();
	mutex_unlock(&offsched_lock);
	osk_takeover_exit();
	osk_sysfs_exit();
	osk_nic_driver_exit();
	kfree(offsched_slots);
	pr_info("offsched: unloaded\n");
}

module_init(offsched_init);
module_exit(offsched_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Run a polling service on a hot-unplugged CPU");
