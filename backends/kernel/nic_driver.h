/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the NIC layer: what nic.c (PCI binding, claims, counters, host netdev) shares with one
 * file per NIC family (e1000.c, virtio_net.c). A family fills in an osk_nic_ops; everything else
 * in the module sees only nic.h.
 */
#ifndef OFFSCHED_NIC_DRIVER_H
#define OFFSCHED_NIC_DRIVER_H

#include <linux/pci.h>

#include "cxx/bridge.h"
#include "nic.h"

struct osk_nic_ops {
	const char *model; /* shown in sysfs `nics` and dmesg: "e1000", "e1000e", "virtio-net" */
	/* dead CPU, notrace: the family's polled rings (counters are kept by nic.c) */
	unsigned int (*rx)(struct osk_nic *n, struct osk_frame *out, unsigned int max);
	int (*tx)(struct osk_nic *n, const void *data, unsigned int len);
	void (*tx_flush)(struct osk_nic *n);
	/* online: rings reset and DMA on (start) or off (stop, shutdown); remove undoes probe */
	int (*start)(struct osk_nic *n);
	void (*stop)(struct osk_nic *n);
	void (*remove)(struct osk_nic *n);
	/* panic, atomic context: DMA off with register writes only, no waiting */
	void (*quiesce)(struct osk_nic *n);
};

struct osk_nic {
	struct pci_dev *pdev;
	const struct osk_nic_ops *ops;
	void *priv;      /* the family's state (devm memory) */
	u8 mac[6];
	struct osk_nic_counters counters;
	struct osk_host *host;
	bool claimed;    /* under offsched_lock */
};

/* A family's probe: 0 with ops, priv and mac filled in; -ENODEV when the device is not its. */
struct osk_nic_family {
	bool (*matches)(const struct pci_dev *pdev);
	int (*probe)(struct osk_nic *n);
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
