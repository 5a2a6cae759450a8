// SPDX-License-Identifier: GPL-2.0
/*
 * Running a service on a hot-unplugged CPU without patching the kernel: the x86 offline path
 * ends in smp_ops.play_dead() (exported, writable). We swap it; a CPU we claimed acks its death
 * exactly as the kernel's play_dead_common() does, then runs the backend loop with interrupts
 * off; every other CPU takes the original path. Before the CPU is brought up again the loop is
 * stopped cooperatively (INIT/SIPI would kill it mid-step) and the CPU parks in the kernel's
 * own hlt_play_dead(), so no module text runs on it once we let go.
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/delay.h>
#include <linux/math64.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/panic_notifier.h>
#include <linux/reboot.h>
#include <asm/msr.h>
#include <asm/smp.h>
#include <asm/tsc.h>

#include "nic.h"
#include "offsched.h"

static void (*orig_play_dead)(void);
static void (*kernel_play_dead_common)(void);
static void (*kernel_hlt_play_dead)(void);
static int prepare_state = -1;

/* Not exported: a kprobe registered on the name resolves its address (6.1 has no IBT). */
static void *resolve(const char *name)
{
	struct kprobe kp = { .symbol_name = name };
	void *addr;

	if (register_kprobe(&kp) < 0)
		return NULL;
	addr = kp.addr;
	unregister_kprobe(&kp);
	return addr;
}

/* Runs on the dying CPU, from do_idle() with interrupts off. Never returns. */
static notrace void offsched_play_dead(void)
{
	unsigned int cpu = raw_smp_processor_id();
	struct offsched_slot *slot = &offsched_slots[cpu];

	if (READ_ONCE(slot->state) != OSK_CLAIMED || !READ_ONCE(slot->run)) {
		orig_play_dead();
		return;
	}
	/* The ack: without it the control CPU reports "CPU N didn't die" and onlining fails. */
	kernel_play_dead_common();
	smp_store_release(&slot->loop_state, OSK_LOOP_RUNNING);
	osk_instance_run(slot->inst, &slot->run);
	smp_store_release(&slot->loop_state, OSK_LOOP_STOPPED);
	kernel_hlt_play_dead();
}

bool osk_stop_loop(struct offsched_slot *slot)
{
	int i;

	smp_store_release(&slot->run, 0);
	if (READ_ONCE(slot->loop_state) == OSK_LOOP_NONE)
		return true; /* never started */
	for (i = 0; i < 2000; i++) {
		if (smp_load_acquire(&slot->loop_state) == OSK_LOOP_STOPPED)
			return true;
		usleep_range(500, 1000);
	}
	return false;
}

bool osk_wait_loop_running(struct offsched_slot *slot)
{
	int i;

	for (i = 0; i < 2000; i++) {
		if (smp_load_acquire(&slot->loop_state) == OSK_LOOP_RUNNING)
			return true;
		usleep_range(500, 1000);
	}
	return false;
}

/*
 * CPUHP_BP_PREPARE_DYN startup: runs on the control CPU before INIT/SIPI when anyone brings a
 * CPU up (our detach, or `echo 1 > .../online` behind our back). Cannot take offsched_lock:
 * detach holds it while onlining. The loop's own flags are enough to stop it.
 */
static int offsched_cpu_prepare(unsigned int cpu)
{
	struct offsched_slot *slot = &offsched_slots[cpu];

	if (READ_ONCE(slot->loop_state) != OSK_LOOP_RUNNING)
		return 0;
	if (!osk_stop_loop(slot)) {
		pr_err("offsched: CPU %u: service loop did not stop, refusing to bring it up\n", cpu);
		return -EBUSY;
	}
	if (READ_ONCE(slot->state) == OSK_RUNNING) {
		pr_warn("offsched: CPU %u brought online while running %s: service stopped\n", cpu,
			slot->service);
		WRITE_ONCE(slot->state, OSK_ORPHANED);
	}
	return 0;
}

/* Reboot/kexec/poweroff: stop every loop so no CPU keeps driving a NIC into the next kernel. */
static int offsched_reboot(struct notifier_block *nb, unsigned long action, void *data)
{
	unsigned int cpu;

	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (READ_ONCE(offsched_slots[cpu].loop_state) == OSK_LOOP_RUNNING)
			osk_stop_loop(&offsched_slots[cpu]);
	return NOTIFY_DONE;
}

static struct notifier_block offsched_reboot_nb = {
	.notifier_call = offsched_reboot,
	.priority = INT_MAX, /* before device shutdown stops the NICs under the loop */
};

/*
 * Panic: the dead CPUs get no stop NMI (they are offline), so without this they would keep
 * polling and DMA would keep landing in the crashed kernel's memory while a crash kernel or the
 * next boot probes the NIC. Atomic context: no sleeping, so the wait is a bounded TSC poll.
 * With kdump, panic() jumps to the crash kernel before the notifiers unless the kernel runs
 * with crash_kexec_post_notifiers (docs/KERNEL.md).
 *
 * Every loop is told at once and all share one deadline: Linux's own 1 s for the online CPUs
 * (native_stop_other_cpus). It is measured on the TSC at the rate the attach measured against
 * ktime (tsc_rate.c), not with mdelay: when the TSC is marked unstable, mdelay runs on the
 * boot-time PIT estimate, seen 2.7x off on a loaded host, and 100 "ms" passed in under 40.
 */
#define OSK_PANIC_WAIT_MS 1000

static int offsched_panic(struct notifier_block *nb, unsigned long action, void *data)
{
	const u64 told = rdtsc_ordered();
	u64 khz = 0, deadline;
	unsigned int cpu;

	/* A slot that was never RUNNING has no loop; one that was is told to stop. */
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (READ_ONCE(offsched_slots[cpu].loop_state) != OSK_LOOP_RUNNING)
			continue;
		smp_store_release(&offsched_slots[cpu].run, 0);
		khz = max_t(u64, khz, READ_ONCE(offsched_slots[cpu].tsc_khz));
	}
	deadline = told + (khz ? khz : tsc_khz) * OSK_PANIC_WAIT_MS;
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct offsched_slot *slot = &offsched_slots[cpu];
		u64 seen = 0, now;

		if (READ_ONCE(slot->loop_state) == OSK_LOOP_NONE || READ_ONCE(slot->state) == OSK_FREE)
			continue;
		if (slot->inst)
			seen = osk_loop_iterations(slot->inst);
		while (smp_load_acquire(&slot->loop_state) != OSK_LOOP_STOPPED &&
		       (s64)(rdtsc_ordered() - deadline) < 0)
			cpu_relax();
		now = rdtsc_ordered();
		if (smp_load_acquire(&slot->loop_state) == OSK_LOOP_STOPPED)
			pr_emerg("offsched: panic: CPU %u stopped its service loop (%llu us after the notifier told it)\n",
				 cpu, khz ? div64_u64((now - told) * 1000, khz) : 0);
		else
			/* Iterations during the wait tell a starved vCPU (none) from a stuck step. */
			pr_emerg("offsched: panic: CPU %u did not stop its service loop within %u ms (%llu loop iterations meanwhile)\n",
				 cpu, OSK_PANIC_WAIT_MS, slot->inst ? osk_loop_iterations(slot->inst) - seen : 0);
	}
	osk_nic_quiesce_all();
	return NOTIFY_DONE;
}

static struct notifier_block offsched_panic_nb = {
	.notifier_call = offsched_panic,
	.priority = INT_MAX,
};

int osk_takeover_init(void)
{
	int ret;

	/*
	 * With kernel IBT every indirect call must land on an ENDBR: the addresses a kprobe
	 * resolves are past it, and the play_dead hook is itself reached indirectly. Refuse rather
	 * than take a #CP fault on a CPU that is going down. (Debian's 6.1 is built without it.)
	 */
	if (IS_ENABLED(CONFIG_X86_KERNEL_IBT) && cpu_feature_enabled(X86_FEATURE_IBT)) {
		pr_err("offsched: this kernel enforces IBT (CONFIG_X86_KERNEL_IBT): the takeover's resolved calls would fault; boot with ibt=off to use offsched\n");
		return -EOPNOTSUPP;
	}
	kernel_play_dead_common = resolve("play_dead_common");
	kernel_hlt_play_dead = resolve("hlt_play_dead");
	if (!kernel_play_dead_common || !kernel_hlt_play_dead) {
		pr_err("offsched: cannot resolve play_dead_common/hlt_play_dead: the takeover needs CONFIG_KPROBES and both symbols (CPU hot-unplug on x86); refusing to load\n");
		return -ENOENT;
	}
	ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "offsched:prepare",
					offsched_cpu_prepare, NULL);
	if (ret < 0)
		return ret;
	prepare_state = ret;
	register_reboot_notifier(&offsched_reboot_nb);
	atomic_notifier_chain_register(&panic_notifier_list, &offsched_panic_nb);

	cpus_read_lock();
	orig_play_dead = smp_ops.play_dead;
	smp_ops.play_dead = offsched_play_dead;
	cpus_read_unlock();
	return 0;
}

/* Called after every slot was detached: no CPU can be inside offsched_play_dead's loop. */
void osk_takeover_exit(void)
{
	cpus_read_lock();
	smp_ops.play_dead = orig_play_dead;
	cpus_read_unlock();
	unregister_reboot_notifier(&offsched_reboot_nb);
	atomic_notifier_chain_unregister(&panic_notifier_list, &offsched_panic_nb);
	if (prepare_state >= 0)
		cpuhp_remove_state_nocalls(prepare_state);
}
