// SPDX-License-Identifier: GPL-2.0
/*
 * OS statistics for services that report on the OS (rtop): a delayed work on an online CPU
 * samples every possible CPU's cputime and the memory totals and publishes them through the
 * service's seqlock (bridge.cc). The dead CPU only reads; it never calls into these kernel APIs.
 */
#include <linux/kernel_stat.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/tick.h>
#include <linux/workqueue.h>

#include "offsched.h"

static unsigned int os_stats_ms = 50;
module_param(os_stats_ms, uint, 0444);
MODULE_PARM_DESC(os_stats_ms, "period of the OS statistics published to rtop-like services (ms)");

static void osk_os_stats_sample(struct work_struct *work)
{
	struct offsched_slot *slot = container_of(to_delayed_work(work), struct offsched_slot,
						  os_stats_work);
	struct osk_cpu_sample *s = slot->os_samples;
	unsigned int cpu, n = 0;
	struct sysinfo si;

	for_each_possible_cpu(cpu) {
		struct kernel_cpustat kcs;
		u64 idle_us;

		if (n == nr_cpu_ids)
			break;
		kcpustat_cpu_fetch(&kcs, cpu);
		s[n].busy_ns = kcs.cpustat[CPUTIME_USER] + kcs.cpustat[CPUTIME_NICE] +
			       kcs.cpustat[CPUTIME_SYSTEM] + kcs.cpustat[CPUTIME_STEAL];
		idle_us = get_cpu_idle_time_us(cpu, NULL);
		s[n].idle_ns = idle_us != (u64)-1 ? idle_us * NSEC_PER_USEC :
			       kcs.cpustat[CPUTIME_IDLE] + kcs.cpustat[CPUTIME_IOWAIT];
		s[n].irq_ns = kcs.cpustat[CPUTIME_IRQ];
		s[n].softirq_ns = kcs.cpustat[CPUTIME_SOFTIRQ];
		s[n].nr_running = 0; /* per-CPU run-queue length is not exported to modules */
		n++;
	}
	si_meminfo(&si);
	osk_instance_publish_os_stats(slot->inst, s, n, (u64)si.totalram * si.mem_unit / 1024,
				      (u64)si_mem_available() * PAGE_SIZE / 1024);
	schedule_delayed_work(&slot->os_stats_work, msecs_to_jiffies(os_stats_ms));
}

int osk_os_stats_start(struct offsched_slot *slot)
{
	if (!osk_instance_wants_os_stats(slot->inst))
		return 0;
	slot->os_samples = kcalloc(nr_cpu_ids, sizeof(*slot->os_samples), GFP_KERNEL);
	if (!slot->os_samples)
		return -ENOMEM;
	INIT_DELAYED_WORK(&slot->os_stats_work, osk_os_stats_sample);
	/* First sample now, so the service never reports an empty machine. */
	osk_os_stats_sample(&slot->os_stats_work.work);
	return 0;
}

void osk_os_stats_stop(struct offsched_slot *slot)
{
	if (!slot->os_samples)
		return;
	cancel_delayed_work_sync(&slot->os_stats_work);
	kfree(slot->os_samples);
	slot->os_samples = NULL;
}
