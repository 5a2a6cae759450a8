// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/offsched/: read-only status, one value per file.
 *   services            one line per service: name config_bytes summary
 *   nics                one line per owned NIC: pci netdev mac claimed|free model
 *   cpuN/service, cpuN/nic, cpuN/netdev, cpuN/state
 *   cpuN/stats/<counter>    the service's own counters (names from its StatDesc table)
 *   cpuN/stat_names         those names, one per line, in StatDesc order (directories are unordered)
 *   cpuN/backend/<counter>  loop, NIC and host-path counters; for a service that reports
 *                           completions also what its clients see in them (completion_*)
 *   cpuN/request            (write; a service that takes requests) one request in its text form
 * Counters are read without locks: each has a single writer (see model/stats.h).
 */
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "nic.h"
#include "offsched.h"

static struct kobject *root;

struct osk_stat_attr {
	struct kobj_attribute attr;
	struct offsched_slot *slot;
	unsigned int index;
	bool backend;
};

static const char *const backend_names[] = {
	"loop_iterations", "loop_idle",
	/* what the service reported doing with the frames it took (NicQueue::verdict) */
	"rx_dropped", "rx_answered", "rx_passed", "rx_frames", "tx_frames", "tx_ring_full",
	"host_passed", "host_ring_full", "host_too_long", "host_delivered", "host_tx_queued",
	"host_tx_dropped", "host_tx_sent", "client_completions", "loop_gap_max_ns", "clock_khz",
	/* only where the CPU has APERF/MPERF (never under QEMU TCG): what it really runs at */
	"effective_khz", "effective_khz_min",
	/* services that report completions only: from the drained records */
	"completion_seq_gaps", "completion_periods", "completion_err_p50_ns",
	"completion_err_p99_ns", "completion_err_p999_ns", "completion_err_max_ns",
};
#define OSK_BACKEND_COMMON 20 /* names up to effective_khz_min: every service has them */
#define OSK_BACKEND_EFFECTIVE (OSK_BACKEND_COMMON - 2) /* effective_khz: first of the two */
#define OSK_BACKEND_VERDICTS 3
#define OSK_BACKEND_NIC_END 15 /* rx_dropped .. host_tx_sent: frame counters, only with a NIC */

/* A service attached without a NIC has no frame counters at all, not zeros. */
static bool backend_shown(const struct offsched_slot *slot, unsigned int i, unsigned int nback)
{
	if (i >= OSK_BACKEND_EFFECTIVE && i < OSK_BACKEND_COMMON && !slot->aperfmperf)
		return false;
	return i < nback && (slot->nic || i < 2 || i >= OSK_BACKEND_NIC_END);
}

static u64 completion_value(const struct osk_completion_client *t, unsigned int i)
{
	switch (i) {
	case 0: return READ_ONCE(t->seq_gaps);
	case 1: return READ_ONCE(t->periods);
	case 2: return osk_lat_percentile(&t->err, 500);
	case 3: return osk_lat_percentile(&t->err, 990);
	case 4: return osk_lat_percentile(&t->err, 999);
	default: return READ_ONCE(t->err.max_ns);
	}
}

static u64 nic_value(const struct osk_nic_counters *c, unsigned int i)
{
	const u64 nic[] = { c->rx_frames, c->tx_frames, c->tx_ring_full, c->host_passed,
			    c->host_ring_full, c->host_too_long, c->host_delivered, c->host_tx_queued,
			    c->host_tx_dropped, c->host_tx_sent };

	BUILD_BUG_ON(2 + OSK_BACKEND_VERDICTS + ARRAY_SIZE(nic) != OSK_BACKEND_NIC_END);
	return READ_ONCE(nic[i]);
}

static u64 backend_value(struct offsched_slot *slot, unsigned int i)
{
	if (i == 0)
		return osk_loop_iterations(slot->inst);
	if (i == 1)
		return osk_loop_idle(slot->inst);
	if (i - 2 < OSK_BACKEND_VERDICTS)
		return osk_rx_verdicts(slot->inst, i - 2);
	if (i < OSK_BACKEND_NIC_END)
		return nic_value(osk_nic_counters(slot->nic), i - 2 - OSK_BACKEND_VERDICTS);
	if (i == OSK_BACKEND_EFFECTIVE - 3)
		return READ_ONCE(slot->client_completions);
	if (i == OSK_BACKEND_EFFECTIVE - 2)
		return osk_loop_gap_max_ns(slot->inst);
	if (i == OSK_BACKEND_EFFECTIVE - 1)
		return slot->tsc_khz;
	if (i == OSK_BACKEND_EFFECTIVE)
		return osk_loop_effective_khz(slot->inst);
	if (i == OSK_BACKEND_EFFECTIVE + 1)
		return osk_loop_effective_khz_min(slot->inst);
	return slot->completions ? completion_value(slot->completions, i - OSK_BACKEND_COMMON) : 0;
}

static ssize_t stat_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct osk_stat_attr *a = container_of(attr, struct osk_stat_attr, attr);

	return sysfs_emit(buf, "%llu\n", a->backend ? backend_value(a->slot, a->index) :
			  osk_stat_value(a->slot->inst, a->index));
}

/* A slot's directory: allocated per attach and freed by its release, never reused, because a
 * kobject may outlive kobject_put() while someone still holds a reference. */
struct osk_slot_dir {
	struct kobject kobj;
	struct offsched_slot *slot;
};

static struct offsched_slot *kobj_slot(struct kobject *kobj)
{
	return container_of(kobj, struct osk_slot_dir, kobj)->slot;
}

static const char *const state_names[] = { "free", "starting", "running", "stopped" };

static ssize_t state_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%s\n", state_names[READ_ONCE(kobj_slot(k)->state)]);
}

static ssize_t service_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%s\n", kobj_slot(k)->service);
}

/* "-" for a service that owns no NIC. */
static ssize_t nic_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	const struct osk_nic *nic = kobj_slot(k)->nic;

	return sysfs_emit(buf, "%s\n", nic ? osk_nic_name(nic) : "-");
}

static ssize_t netdev_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	const struct osk_nic *nic = kobj_slot(k)->nic;

	return sysfs_emit(buf, "%s\n", nic ? osk_nic_netdev_name(nic) : "-");
}

/* The queue pair of that NIC this CPU polls ("-" without a NIC). */
static ssize_t queue_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	const struct osk_nic *nic = kobj_slot(k)->nic;

	return nic ? sysfs_emit(buf, "%u\n", osk_nic_queue(nic)) : sysfs_emit(buf, "-\n");
}

static ssize_t stat_names_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	struct offsched_slot *slot = kobj_slot(k);
	unsigned int i, n = osk_stat_count(slot->inst);
	ssize_t len = 0;

	for (i = 0; i < n; i++)
		len += sysfs_emit_at(buf, len, "%s\n", osk_stat_name(slot->inst, i));
	return len;
}

/* Requests from online CPUs to a service that takes them, in its text form (for the timer:
 * "arm ID DELAY_NS PERIOD_NS" | "cancel ID"); the ring is multi-producer. */
static ssize_t request_store(struct kobject *k, struct kobj_attribute *a, const char *buf,
			     size_t len)
{
	struct offsched_slot *slot = kobj_slot(k);
	int ret;

	if (len > PAGE_SIZE)
		return -EINVAL;
	ret = osk_instance_post_request_text(slot->inst, buf, len);
	return ret ? ret : len;
}

static struct kobj_attribute request_attr = __ATTR_WO(request);

static struct kobj_attribute slot_attrs[] = {
	__ATTR_RO(state), __ATTR_RO(service), __ATTR_RO(nic), __ATTR_RO(netdev), __ATTR_RO(queue), __ATTR_RO(stat_names),
};
static struct attribute *slot_attr_ptrs[] = {
	&slot_attrs[0].attr, &slot_attrs[1].attr, &slot_attrs[2].attr, &slot_attrs[3].attr,
	&slot_attrs[4].attr, &slot_attrs[5].attr, NULL,
};
/* One pointer per attribute: a file added above and not here would silently not exist. */
static_assert(ARRAY_SIZE(slot_attr_ptrs) == ARRAY_SIZE(slot_attrs) + 1);

static void slot_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct osk_slot_dir, kobj));
}

static struct kobj_type slot_ktype = {
	.release = slot_release,
	.sysfs_ops = &kobj_sysfs_ops,
};

int osk_sysfs_add_slot(struct offsched_slot *slot)
{
	unsigned int nstat = osk_stat_count(slot->inst);
	unsigned int all = osk_instance_completes(slot->inst) ? ARRAY_SIZE(backend_names) :
			   OSK_BACKEND_COMMON;
	unsigned int i, b, nback = 0, n;
	struct osk_slot_dir *dir;
	int ret;

	for (i = 0; i < all; i++)
		nback += backend_shown(slot, i, all);
	n = nstat + nback;

	BUILD_BUG_ON(ARRAY_SIZE(backend_names) != OSK_BACKEND_COMMON + 6);
	dir = kzalloc(sizeof(*dir), GFP_KERNEL);
	if (!dir)
		return -ENOMEM;
	dir->slot = slot;
	ret = kobject_init_and_add(&dir->kobj, &slot_ktype, root, "cpu%u", slot->cpu);
	if (ret) {
		kobject_put(&dir->kobj); /* frees dir */
		return ret;
	}
	slot->kobj = &dir->kobj;
	ret = sysfs_create_files(slot->kobj, (const struct attribute * const *)slot_attr_ptrs);
	if (!ret && osk_instance_takes_requests(slot->inst))
		ret = sysfs_create_file(slot->kobj, &request_attr.attr);
	if (ret)
		return ret;

	slot->stat_attrs = kcalloc(n, sizeof(*slot->stat_attrs), GFP_KERNEL);
	slot->stat_attr_ptrs = kcalloc(n + 2, sizeof(*slot->stat_attr_ptrs), GFP_KERNEL);
	if (!slot->stat_attrs || !slot->stat_attr_ptrs)
		return -ENOMEM;
	for (i = 0, b = 0; i < n; i++) {
		struct osk_stat_attr *a = &slot->stat_attrs[i];

		a->slot = slot;
		a->backend = i >= nstat;
		if (a->backend)
			while (!backend_shown(slot, b, all))
				b++;
		a->index = a->backend ? b++ : i;
		sysfs_attr_init(&a->attr.attr);
		a->attr.attr.name = a->backend ? backend_names[a->index] : osk_stat_name(slot->inst, i);
		a->attr.attr.mode = 0444;
		a->attr.show = stat_show;
	}
	/* Two NULL-terminated lists in one array: service stats, then backend counters. */
	for (i = 0; i < nstat; i++)
		slot->stat_attr_ptrs[i] = &slot->stat_attrs[i].attr.attr;
	for (i = 0; i < nback; i++)
		slot->stat_attr_ptrs[nstat + 1 + i] = &slot->stat_attrs[nstat + i].attr.attr;
	slot->stats_group.name = "stats";
	slot->stats_group.attrs = slot->stat_attr_ptrs;
	slot->backend_group.name = "backend";
	slot->backend_group.attrs = slot->stat_attr_ptrs + nstat + 1;
	ret = sysfs_create_group(slot->kobj, &slot->stats_group);
	if (!ret)
		ret = sysfs_create_group(slot->kobj, &slot->backend_group);
	return ret;
}

void osk_sysfs_del_slot(struct offsched_slot *slot)
{
	if (slot->kobj) {
		/* Removing the kobject drains readers before the instance is freed. */
		kobject_del(slot->kobj);
		kobject_put(slot->kobj);
		slot->kobj = NULL;
	}
	kfree(slot->stat_attrs);
	kfree(slot->stat_attr_ptrs);
	slot->stat_attrs = NULL;
	slot->stat_attr_ptrs = NULL;
}

static ssize_t services_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	ssize_t len = 0;
	unsigned int i;

	for (i = 0; i < osk_service_count(); i++) {
		long size = osk_service_config_size(osk_service_name(i));

		if (size >= 0)
			len += sysfs_emit_at(buf, len, "%s %ld %s\n", osk_service_name(i), size,
					     osk_service_summary(i));
	}
	return len;
}

static ssize_t nics_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return osk_nic_list(buf, PAGE_SIZE);
}

static struct kobj_attribute root_attrs[] = { __ATTR_RO(services), __ATTR_RO(nics) };
static const struct attribute *root_attr_ptrs[] = {
	&root_attrs[0].attr, &root_attrs[1].attr, NULL,
};

int osk_sysfs_init(void)
{
	int ret;

	root = kobject_create_and_add("offsched", kernel_kobj);
	if (!root)
		return -ENOMEM;
	ret = sysfs_create_files(root, root_attr_ptrs);
	if (ret)
		kobject_put(root);
	return ret;
}

void osk_sysfs_exit(void)
{
	kobject_put(root);
}
