// SPDX-License-Identifier: GPL-2.0
/*
 * The online-CPU companion of a service: a delayed work serving the channels its kind declares
 * (model/channels.h) while it runs on the dead CPU, the same for every service.
 *  - OS statistics: samples every possible CPU's cputime, its runnable tasks and the memory
 *    totals and publishes them into the service's seqlock-protected page (service_ports.cc).
 *    The dead CPU only reads.
 *  - completions: drains the completion ring (its single reader) so none is dropped, and keeps
 *    what a client would measure from the records: how late each came (histogram), sequence
 *    gaps and the periods accounted for. Requests come from sysfs writes (sysfs.c) on any online
 *    CPU.
 */
#include <linux/kernel_stat.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/tick.h>
#include <linux/workqueue.h>

#include "offsched.h"

static unsigned int companion_ms = 20;
module_param(companion_ms, uint, 0444);
MODULE_PARM_DESC(companion_ms, "period of the online-CPU companion work: OS statistics published, completions drained (ms)");

/*
 * Tasks on each CPU's run queue (running or waiting). The run queue's own nr_running is not
 * exported to modules, so walk the task list under RCU and count the tasks queued (on_rq == 1,
 * TASK_ON_RQ_QUEUED) on their CPU (__state == TASK_RUNNING also holds for a task being woken
 * before it is queued anywhere). At
 * most every RUNNABLE_REFRESH_MS, so a host with many threads pays little; the first count is
 * taken at attach, while the service's own CPU is still online.
 */
#define RUNNABLE_REFRESH_MS 200

static void count_runnable(struct offsched_slot *slot)
{
	struct task_struct *g, *p;

	if (!time_after_eq(jiffies, slot->runnable_next))
		return;
	slot->runnable_next = jiffies + msecs_to_jiffies(RUNNABLE_REFRESH_MS);
	memset(slot->runnable, 0, nr_cpu_ids * sizeof(*slot->runnable));
	rcu_read_lock();
	for_each_process_thread(g, p) {
		unsigned int cpu = task_cpu(p);

		if (READ_ONCE(p->on_rq) == 1 && cpu < nr_cpu_ids)
			slot->runnable[cpu]++;
	}
	rcu_read_unlock();
}

static void publish_os_stats(struct offsched_slot *slot)
{
	struct osk_cpu_sample *s = slot->os_samples;
	unsigned int cpu, n = 0;
	struct sysinfo si;

	count_runnable(slot);
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
		s[n].nr_running = slot->runnable[cpu];
		n++;
	}
	si_meminfo(&si);
	osk_instance_publish_os_stats(slot->inst, s, n, (u64)si.totalram * si.mem_unit / 1024,
				      (u64)si_mem_available() * PAGE_SIZE / 1024);
}

static void drain_completions(struct offsched_slot *slot)
{
	struct osk_completion_client *t = slot->completions;
	struct osk_completion c;
	u64 n = 0;

	while (osk_instance_pop_completion(slot->inst, &c)) {
		n++;
		if (!t)
			continue;
		osk_lat_record(&t->err, c.err_ns);
		if (c.seq > t->last_seq + 1)
			t->seq_gaps += c.seq - t->last_seq - 1;
		t->last_seq = c.seq;
		t->periods += c.periods;
	}
	WRITE_ONCE(slot->client_completions, slot->client_completions + n);
}

static void companion_work(struct work_struct *work)
{
	struct offsched_slot *slot = container_of(to_delayed_work(work), struct offsched_slot,
						  companion);

	if (slot->os_samples)
		publish_os_stats(slot);
	drain_completions(slot);
	schedule_delayed_work(&slot->companion, msecs_to_jiffies(companion_ms));
}

int osk_companion_start(struct offsched_slot *slot)
{
	bool stats = osk_instance_wants_os_stats(slot->inst);
	bool completes = osk_instance_completes(slot->inst);

	slot->client_completions = 0;
	slot->companion_running = false;
	if (!stats && !completes)
		return 0;
	if (stats) {
		slot->os_samples = kcalloc(nr_cpu_ids, sizeof(*slot->os_samples), GFP_KERNEL);
		slot->runnable = kcalloc(nr_cpu_ids, sizeof(*slot->runnable), GFP_KERNEL);
		slot->runnable_next = jiffies;
		if (!slot->os_samples || !slot->runnable) {
			osk_companion_stop(slot);
			return -ENOMEM;
		}
	}
	if (completes) {
		slot->completions = kvzalloc(sizeof(*slot->completions), GFP_KERNEL);
		if (!slot->completions) {
			osk_companion_stop(slot);
			return -ENOMEM;
		}
	}
	INIT_DELAYED_WORK(&slot->companion, companion_work);
	slot->companion_running = true;
	/* First round now, so a statistics reader never sees an empty machine. */
	companion_work(&slot->companion.work);
	return 0;
}

void osk_companion_stop(struct offsched_slot *slot)
{
	if (slot->companion_running)
		cancel_delayed_work_sync(&slot->companion);
	slot->companion_running = false;
	kfree(slot->os_samples);
	slot->os_samples = NULL;
	kfree(slot->runnable);
	slot->runnable = NULL;
	kvfree(slot->completions);
	slot->completions = NULL;
}
