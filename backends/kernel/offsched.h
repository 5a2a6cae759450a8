/* SPDX-License-Identifier: GPL-2.0 */
/* Shared state of the offsched module: one slot per CPU, the lock that orders commands. */
#ifndef OFFSCHED_H
#define OFFSCHED_H

#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "cxx/service_ports.h"
#include "uapi/offsched_lat.h"

#define OFFSCHED_MAX_NICS 4
#define OFFSCHED_ERROR_LEN_INTERNAL 192

/* Online-side lifecycle of a slot (changed only under offsched_lock). */
enum osk_slot_state {
	OSK_FREE,      /* CPU belongs to Linux */
	OSK_CLAIMED,   /* instance built; CPU is being taken offline */
	OSK_RUNNING,   /* the dead CPU runs the loop */
	OSK_ORPHANED,  /* loop stopped because someone onlined the CPU behind our back */
};

/* What the dead CPU reports back (written only by the dead CPU). */
enum osk_loop_state { OSK_LOOP_NONE, OSK_LOOP_RUNNING, OSK_LOOP_STOPPED };

struct osk_stat_attr;

/* What the companion learns from a service's completion records (it is their only reader and
 * these figures' only writer): model/channels.h's CompletionSummary, accumulated. */
struct osk_completion_client {
	struct osk_lat_hist err;  /* how late each drained completion came */
	u64 last_seq;
	u64 seq_gaps;             /* completions missing from the sequence (ring was full) */
	u64 periods;              /* the periods the records account for */
};

/* The prefix sets a config blob may carry: 8 sets of a million IPv4 prefixes take at most 34 MB
 * (4 bytes an entry), 8 of a million IPv6 ranges 258 MB (32 bytes an entry): the worst case fits. */
#define OSK_MAX_CONFIG_DATA (256u << 20)

struct offsched_slot {
	unsigned int cpu;
	int state;       /* enum osk_slot_state */
	int run;         /* control -> loop: keep going while 1 */
	int loop_state;  /* loop -> control: enum osk_loop_state */
	void *inst;      /* C++ instance (kvzalloc'ed while this CPU was online) */
	void *config;    /* the config blob in effect (kvzalloc): POD config, then its prefix sets */
	u32 config_len;
	void *reload_late; /* a reload the loop had not taken within its wait: freed with the slot */
	u32 reload_late_len;
	char service[32];
	struct osk_nic *nic;
	struct kobject *kobj;  /* sysfs cpuN/ while attached (its own allocation: kobject rules) */
	bool pins_module;   /* its loop would not stop: the module holds a reference until it does */
	struct attribute_group stats_group, backend_group;
	struct osk_stat_attr *stat_attrs;
	struct attribute **stat_attr_ptrs;
	struct delayed_work companion;      /* service_companion.c: online-CPU duties */
	bool companion_running;
	struct osk_cpu_sample *os_samples;  /* OS statistics channel: scratch for one sample */
	unsigned int *runnable;             /* OS statistics: runnable tasks per CPU id, recounted ... */
	unsigned long runnable_next;        /* ... when jiffies reaches this */
	u64 client_completions;             /* completions drained (companion only writes) */
	struct osk_completion_client *completions; /* their figures (NULL: the service reports none) */
	unsigned int tsc_khz;               /* the rate the instance converts ns with */
	bool aperfmperf;                    /* the loop measures the CPU's real rate (sysfs effective_khz) */
};

extern struct mutex offsched_lock;
extern struct offsched_slot *offsched_slots; /* nr_cpu_ids entries */
extern unsigned int offsched_step_budget;

/* takeover.c: the play_dead hook and the cooperative stop */
int osk_takeover_init(void);
void osk_takeover_exit(void);
/* Tells the loop on slot's CPU to stop and waits for it; true when it stopped. */
bool osk_stop_loop(struct offsched_slot *slot);
bool osk_wait_loop_running(struct offsched_slot *slot);

/* lifecycle.c: attach / detach (caller holds offsched_lock) */
int osk_attach(unsigned int cpu, const char *service, const char *nic_name,
	       const void __user *config, u32 config_len, char *err, size_t errlen);
int osk_detach(unsigned int cpu, char *err, size_t errlen);
int osk_reload(unsigned int cpu, const char *service, const void __user *uconfig, u32 config_len,
	       char *err, size_t errlen);
void osk_detach_all(void);
/* The NIC is going away (PCI unbind, hot removal): the CPU that owns it stops first. Takes
 * offsched_lock. */
struct osk_nic;
void osk_detach_nic(struct osk_nic *nic);
void osk_reap_orphans(void);

/* tsc_rate.c: the TSC rate services convert ns with, checked against the kernel clock */
unsigned int osk_tsc_khz(void);

/* service_companion.c: what a service needs from an online CPU (no-op for most) */
int osk_companion_start(struct offsched_slot *slot);
void osk_companion_stop(struct offsched_slot *slot);

/* ctl.c: /dev/offsched */
int osk_ctl_init(void);
void osk_ctl_exit(void);

/* sysfs.c: /sys/kernel/offsched */
int osk_sysfs_init(void);
void osk_sysfs_exit(void);
int osk_sysfs_add_slot(struct offsched_slot *slot);
void osk_sysfs_del_slot(struct offsched_slot *slot);

#endif
