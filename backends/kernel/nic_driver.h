/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the NIC layer: what nic.c (PCI binding, claims, counters, host netdev) shares with one
 * file per NIC family (e1000.c, virtio_net.c). A family fills in an osk_nic_ops; everything else
 * in the module sees only nic.h.
 */
#ifndef OFFSCHED_NIC_DRIVER_H
#define OFFSCHED_NIC_DRIVER_H

#include <linux/pci.h>

#include "cxx/service_ports.h"
#include "nic.h"

struct osk_nic_dev;

/* A device offers one or more queue pairs (ports); each is claimed by one CPU. The dead-CPU
 * ops take the port, the online ones the device: a device runs while any of its ports does. */
struct osk_nic_ops {
	const char *model; /* shown in sysfs `nics` and dmesg: "e1000", "e1000e", "virtio-net" */
	/* dead CPU, notrace: the port's polled rings (counters are kept by nic.c) */
	unsigned int (*rx)(struct osk_nic *port, struct osk_frame *out, unsigned int max);
	int (*tx)(struct osk_nic *port, const void *data, unsigned int len);
	void (*tx_flush)(struct osk_nic *port);
	/* online: rings of every port reset and DMA on (start) or off (stop, shutdown); remove
	 * undoes probe */
	int (*start)(struct osk_nic_dev *d);
	void (*stop)(struct osk_nic_dev *d);
	void (*remove)(struct osk_nic_dev *d);
	/* panic, atomic context: DMA off with register writes only, no waiting */
	void (*quiesce)(struct osk_nic_dev *d);
	/* Several ports only (may be NULL otherwise), online. port_start: a port of a running device
	 * gets a CPU; frames that waited in its rings meanwhile are stale and dropped.
	 * set_active: the device steers flows to ports 0..n-1 only. */
	void (*port_start)(struct osk_nic *port);
	int (*set_active)(struct osk_nic_dev *d, unsigned int n);
};

#define OSK_NIC_MAX_PORTS 8

/* One queue pair: what a CPU claims. Its counters have one writer, that CPU. */
struct osk_nic {
	struct osk_nic_dev *dev;
	unsigned int index;   /* queue pair */
	struct osk_nic_counters counters;
	struct osk_host *host; /* this port's queue of the device's host netdev */
	bool claimed;         /* under offsched_lock */
	bool running;         /* under offsched_lock: between osk_nic_start and osk_nic_stop */
};

struct osk_nic_dev {
	struct pci_dev *pdev;
	const struct osk_nic_ops *ops;
	void *priv;      /* the family's state (devm memory) */
	u8 mac[6];
	unsigned int nports; /* set by the family's probe, 1..OSK_NIC_MAX_PORTS */
	struct osk_host_dev *host;
	bool running;    /* under offsched_lock: ops->start done, ops->stop not yet */
	struct osk_nic ports[OSK_NIC_MAX_PORTS];
};

/* A family's probe: 0 with ops, priv, mac and nports filled in; -ENODEV when the device is not its. */
struct osk_nic_family {
	bool (*matches)(const struct pci_dev *pdev);
	int (*probe)(struct osk_nic_dev *d);
	const char *devices; /* for the refusal message: "8086:100e/100f" ... */
};

extern const struct osk_nic_family osk_e1000_family;
extern const struct osk_nic_family osk_virtio_net_family;

/* Single-writer counter update, readable by sysfs on any CPU. */
static __always_inline void osk_count(u64 *c, u64 v)
{
	WRITE_ONCE(*c, *c + v);
}

#endif
