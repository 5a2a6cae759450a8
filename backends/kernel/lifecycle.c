// SPDX-License-Identifier: GPL-2.0
/*
 * attach: validate -> build the instance -> claim a NIC -> start it -> take the CPU offline
 * (our play_dead hook starts the loop). detach: stop the loop -> stop the NIC -> bring the CPU
 * online -> free. Every failing step undoes the earlier ones in reverse order.
 * Callers hold offsched_lock.
 */
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/cpufeature.h>

#include "nic.h"
#include "offsched.h"

unsigned int offsched_step_budget = 32;
module_param_named(step_budget, offsched_step_budget, uint, 0644);
MODULE_PARM_DESC(step_budget, "packets per service step on the dead CPU");

static void free_slot(struct offsched_slot *slot)
{
	kvfree(slot->inst);
	kvfree(slot->config);
	kvfree(slot->reload_late);
	slot->inst = NULL;
	slot->config = NULL;
	slot->reload_late = NULL;
	slot->service[0] = 0;
	WRITE_ONCE(slot->loop_state, OSK_LOOP_NONE);
	WRITE_ONCE(slot->state, OSK_FREE);
}

/* "rules[].action" + index 2 -> "rules[2].action", as offschedctl's loader prints it. */
static void format_config_error(const struct osk_config_error *e, char *err, size_t errlen)
{
	const char *hole = strstr(e->field, "[]");
	char range[64] = "";
	int n;

	if (e->has_range)
		snprintf(range, sizeof(range), " [%llu, %llu]", e->min, e->max);
	if (hole)
		n = snprintf(err, errlen, "config rejected: field '%.*s[%u]%s': %s",
			     (int)(hole - e->field), e->field, e->index, hole + 2, e->message);
	else if (e->index)
		n = snprintf(err, errlen, "config rejected: field '%s' of list item %u: %s", e->field,
			     e->index, e->message);
	else
		n = snprintf(err, errlen, "config rejected: field '%s': %s", e->field, e->message);
	if (n > 0 && n < errlen)
		strlcat(err, range, errlen);
}

static int check_cpu(unsigned int cpu, char *err, size_t errlen)
{
	if (cpu >= nr_cpu_ids || !cpu_possible(cpu)) {
		snprintf(err, errlen, "CPU %u does not exist (this machine has CPUs 0-%u)", cpu,
			 nr_cpu_ids - 1);
		return -EINVAL;
	}
	if (cpu == 0) {
		snprintf(err, errlen, "CPU 0 cannot be taken: it is the boot CPU, which x86 Linux does not hot-unplug");
		return -EINVAL;
	}
	if (offsched_slots[cpu].state != OSK_FREE) {
		snprintf(err, errlen, "CPU %u is already claimed by offsched (service %s)", cpu,
			 offsched_slots[cpu].service);
		return -EBUSY;
	}
	if (!cpu_online(cpu)) {
		snprintf(err, errlen, "CPU %u is offline for another reason: bring it online first (echo 1 > /sys/devices/system/cpu/cpu%u/online)",
			 cpu, cpu);
		return -EBUSY;
	}
	return 0;
}

/*
 * The config blob user space sent for `service` (known to the module): the service's POD config,
 * then the data image its prefix sets make, if any (model/service.h). Size checked, copied, then
 * checked again, since user space is never trusted: the schema's ranges, the service's own rules,
 * the data image. A blob of up to a page is kmalloc memory; a larger one may be vmalloc memory,
 * allocated while the service's CPU may be dead: the loop flushes its TLB before it reads a new
 * one (osk_instance_run). NULL with *ret and err set on failure.
 */
static void *config_from_user(const char *service, const void __user *uconfig, u32 config_len,
			      char *err, size_t errlen, int *ret)
{
	const long want = osk_service_config_size(service);
	struct osk_config_error cerr = {};
	void *cfg;

	if (config_len < want) {
		snprintf(err, errlen, "config for '%s' is %u bytes, the module expects %ld (offschedctl and module built from different sources?)",
			 service, config_len, want);
		*ret = -EINVAL;
		return NULL;
	}
	if (config_len - want > OSK_MAX_CONFIG_DATA) {
		snprintf(err, errlen, "config for '%s' carries %u bytes of prefix sets; the module takes at most %u MiB",
			 service, config_len - (u32)want, OSK_MAX_CONFIG_DATA >> 20);
		*ret = -E2BIG;
		return NULL;
	}
	cfg = kvzalloc(max_t(u32, config_len, 1), GFP_KERNEL);
	if (!cfg) {
		*ret = -ENOMEM;
		return NULL;
	}
	if (copy_from_user(cfg, uconfig, config_len)) {
		*ret = -EFAULT;
		goto fail;
	}
	if (osk_config_check(service, cfg, config_len, &cerr)) {
		format_config_error(&cerr, err, errlen);
		*ret = -EINVAL;
		goto fail;
	}
	return cfg;
fail:
	kvfree(cfg);
	return NULL;
}

int osk_attach(unsigned int cpu, const char *service, const char *nic_name,
	       const void __user *uconfig, u32 config_len, char *err, size_t errlen)
{
	struct offsched_slot *slot;
	struct osk_hw hw = {};
	unsigned long size;
	int ret;

	osk_reap_orphans();
	ret = check_cpu(cpu, err, errlen);
	if (ret)
		return ret;
	slot = &offsched_slots[cpu];

	if (osk_service_config_size(service) < 0) {
		snprintf(err, errlen, "unknown service '%s' (see %s/services)", service, "/sys/kernel/offsched");
		return -ENOENT;
	}
	slot->config = config_from_user(service, uconfig, config_len, err, errlen, &ret);
	if (!slot->config)
		return ret;
	slot->config_len = config_len;

	if (!osk_service_needs_nic(service, slot->config)) {
		if (nic_name[0]) {
			snprintf(err, errlen, "service '%s' uses no NIC: drop --nic %s", service, nic_name);
			ret = -EINVAL;
			goto fail_free;
		}
	} else if (!(slot->nic = osk_nic_claim(nic_name))) {
		snprintf(err, errlen, nic_name[0] ? "NIC %s is not bound to offsched, or each of its queue pairs is in use (/sys/kernel/offsched/nics)" :
			 "no free NIC bound to offsched (echo offsched > /sys/bus/pci/devices/<dev>/driver_override, then bind it)%s",
			 nic_name);
		ret = -ENODEV;
		goto fail_free;
	}

	size = osk_instance_size(service, slot->config);
	/* kvzalloc while this CPU is online: it never sees a mapping change while dead. */
	slot->inst = size ? kvzalloc(size, GFP_KERNEL) : NULL;
	if (!slot->inst) {
		ret = -ENOMEM;
		goto fail_nic;
	}
	hw.nic = slot->nic;
	hw.host = slot->nic ? osk_nic_host(slot->nic) : NULL;
	hw.cpu = cpu;
	hw.tsc_khz = slot->tsc_khz = osk_tsc_khz();
	hw.budget = offsched_step_budget ? offsched_step_budget : 1;
	/* Without the feature the MSRs #GP (QEMU TCG has none): the loop must not read them. */
	hw.aperfmperf = slot->aperfmperf = cpu_has(&cpu_data(cpu), X86_FEATURE_APERFMPERF);
	osk_instance_create(slot->inst, service, slot->config, slot->config_len, &hw);
	strscpy(slot->service, service, sizeof(slot->service));
	ret = osk_companion_start(slot);
	if (ret)
		goto fail_nic;

	ret = osk_nic_start(slot->nic);
	if (ret)
		goto fail_companion;
	WRITE_ONCE(slot->loop_state, OSK_LOOP_NONE);
	WRITE_ONCE(slot->run, 1);
	WRITE_ONCE(slot->state, OSK_CLAIMED);

	/* 1 means someone else offlined it since check_cpu(): with the slot already claimed, our
	 * hook took it over all the same, which the wait below tells. */
	ret = remove_cpu(cpu);
	if (ret < 0) {
		snprintf(err, errlen, "taking CPU %u offline failed (%d)", cpu, ret);
		goto fail_stop;
	}
	if (!osk_wait_loop_running(slot)) {
		/* Offline but our hook did not run: the CPU parks in the stock path. */
		snprintf(err, errlen, "CPU %u went offline but the service loop did not start", cpu);
		ret = -EIO;
		WRITE_ONCE(slot->run, 0);
		add_cpu(cpu);
		goto fail_stop;
	}
	WRITE_ONCE(slot->state, OSK_RUNNING);
	ret = osk_sysfs_add_slot(slot);
	if (ret)
		pr_warn("offsched: CPU %u runs %s but its sysfs directory failed (%d)\n", cpu, service, ret);
	if (slot->nic)
		pr_info("offsched: CPU %u runs %s on %s queue pair %u (host path %s)\n", cpu, service,
			osk_nic_name(slot->nic), osk_nic_queue(slot->nic), osk_nic_netdev_name(slot->nic));
	else
		pr_info("offsched: CPU %u runs %s (no NIC)\n", cpu, service);
	return 0;

fail_stop:
	/* A loop that did start must be off the NIC before the NIC stops. */
	if (!osk_stop_loop(slot))
		pr_err("offsched: CPU %u: loop of a failed attach did not stop\n", cpu);
	osk_nic_stop(slot->nic);
fail_companion:
	osk_companion_stop(slot);
fail_nic:
	osk_nic_release(slot->nic);
	slot->nic = NULL;
fail_free:
	free_slot(slot);
	return ret;
}

/*
 * Hitless reload: the new config is checked whole (schema, the service's own rules, then its
 * reload check against the running config) on this CPU; only then does the loop take it between
 * two steps. Refused: the running config stays, untouched.
 */
int osk_reload(unsigned int cpu, const char *service, const void __user *uconfig, u32 config_len,
	       char *err, size_t errlen)
{
	struct offsched_slot *slot;
	struct osk_config_error cerr = {};
	void *next;
	int i, ret;

	if (cpu >= nr_cpu_ids || READ_ONCE(offsched_slots[cpu].state) != OSK_RUNNING ||
	    smp_load_acquire(&offsched_slots[cpu].loop_state) != OSK_LOOP_RUNNING) {
		snprintf(err, errlen, "CPU %u is not running an offsched service", cpu);
		return -ENOENT;
	}
	slot = &offsched_slots[cpu];
	if (strcmp(service, slot->service)) {
		snprintf(err, errlen, "CPU %u runs %s, not %s", cpu, slot->service, service);
		return -EINVAL;
	}
	if (slot->reload_late && osk_instance_reload_taken(slot->inst)) {
		/* A late reload the loop has taken since: it is the config in effect. */
		kvfree(slot->config);
		slot->config = slot->reload_late;
		slot->config_len = slot->reload_late_len;
		slot->reload_late = NULL;
	}
	if (slot->reload_late) {
		snprintf(err, errlen, "CPU %u has not taken its previous reload yet (loop stuck?)", cpu);
		return -EBUSY;
	}
	next = config_from_user(service, uconfig, config_len, err, errlen, &ret);
	if (!next) {
		if (err[0])
			strlcat(err, "; the running config stays", errlen);
		return ret;
	}
	if (osk_service_reload_check(service, slot->config, next, &cerr)) {
		format_config_error(&cerr, err, errlen);
		strlcat(err, "; the running config stays", errlen);
		kvfree(next);
		return -EINVAL;
	}
	osk_instance_post_reload(slot->inst, next, config_len);
	for (i = 0; i < 2000 && !osk_instance_reload_taken(slot->inst); i++)
		usleep_range(500, 1000);
	if (!osk_instance_reload_taken(slot->inst)) {
		/* It may still take it: keep the buffer until the slot goes. */
		slot->reload_late = next;
		slot->reload_late_len = config_len;
		snprintf(err, errlen, "CPU %u: the loop did not take the new config within 2 s; it may still take it", cpu);
		return -ETIMEDOUT;
	}
	kvfree(slot->config);
	slot->config = next;
	slot->config_len = config_len;
	pr_info("offsched: CPU %u: %s reloaded its config\n", cpu, service);
	return 0;
}

/* Stops the loop (if the CPU was not already brought up behind our back) and frees the slot. */
static int release_slot(struct offsched_slot *slot, char *err, size_t errlen)
{
	unsigned int cpu = slot->cpu;
	int ret = 0;

	if (!osk_stop_loop(slot)) {
		/* Its text may still be running there: rmmod must not free it. Pinned until a later
		 * detach finds the loop stopped. */
		if (!slot->pins_module) {
			__module_get(THIS_MODULE);
			slot->pins_module = true;
		}
		snprintf(err, errlen, "CPU %u: service loop did not stop within 2 s; CPU left offline and the module pinned (retry the detach)", cpu);
		return -ETIMEDOUT;
	}
	if (slot->pins_module) {
		slot->pins_module = false;
		module_put(THIS_MODULE);
	}
	osk_sysfs_del_slot(slot);
	osk_companion_stop(slot);
	osk_nic_stop(slot->nic);
	if (!cpu_online(cpu)) {
		/* INIT/SIPI resets the CPU, after which no module text or data is in use. */
		ret = add_cpu(cpu);
		if (ret > 0) /* 1: someone onlined it meanwhile, which is what we wanted */
			ret = 0;
		if (ret)
			snprintf(err, errlen, "service stopped but bringing CPU %u online failed (%d)", cpu, ret);
	}
	osk_nic_release(slot->nic);
	slot->nic = NULL;
	free_slot(slot);
	pr_info("offsched: CPU %u returned to Linux\n", cpu);
	return ret;
}

int osk_detach(unsigned int cpu, char *err, size_t errlen)
{
	int ret;

	if (cpu >= nr_cpu_ids || offsched_slots[cpu].state == OSK_FREE) {
		snprintf(err, errlen, "CPU %u is not attached to offsched", cpu);
		return -ENOENT;
	}
	/* A slot whose CPU was onlined behind our back is detached like any other. */
	ret = release_slot(&offsched_slots[cpu], err, errlen);
	osk_reap_orphans();
	return ret;
}

/* Slots whose CPU someone onlined directly: their loop has stopped, free what is left. */
void osk_reap_orphans(void)
{
	char err[8];
	unsigned int cpu;

	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (READ_ONCE(offsched_slots[cpu].state) == OSK_ORPHANED)
			release_slot(&offsched_slots[cpu], err, sizeof(err));
}

/* For callers that cannot give up (rmmod, NIC removal: the text or the BAR goes when they
 * return): a loop that will not stop is waited for, saying so every 2 s, never abandoned. */
static int release_slot_waiting(struct offsched_slot *slot, const char *who, char *err, size_t errlen)
{
	int ret;

	while ((ret = release_slot(slot, err, errlen)) == -ETIMEDOUT)
		pr_err("offsched: %s waits: %s\n", who, err);
	return ret;
}

void osk_detach_nic(struct osk_nic *nic)
{
	char err[OFFSCHED_ERROR_LEN_INTERNAL];
	unsigned int cpu;

	mutex_lock(&offsched_lock);
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct offsched_slot *slot = &offsched_slots[cpu];

		if (slot->state == OSK_FREE || slot->nic != nic)
			continue;
		pr_warn("offsched: CPU %u: its NIC %s is being removed; stopping %s first\n", cpu,
			osk_nic_name(nic), slot->service);
		/* A removal cannot be refused, and the BAR goes when we return. */
		if (release_slot_waiting(slot, "NIC removal", err, sizeof(err)))
			pr_err("offsched: %s\n", err);
	}
	mutex_unlock(&offsched_lock);
}

/* Module exit: the text is about to be freed. */
void osk_detach_all(void)
{
	char err[OFFSCHED_ERROR_LEN_INTERNAL];
	unsigned int cpu;

	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (offsched_slots[cpu].state != OSK_FREE &&
		    release_slot_waiting(&offsched_slots[cpu], "rmmod", err, sizeof(err)))
			pr_err("offsched: %s\n", err);
}
