/* SPDX-License-Identifier: GPL-2.0 */
/* The NICs offsched owns (bound through driver_override: nic.c) and their host netdevs. */
#ifndef OFFSCHED_NIC_H
#define OFFSCHED_NIC_H

#include <linux/types.h>

#include "hostdev.h"
#include "nic_counters.h"

struct osk_nic; /* one queue pair of an owned NIC: what one CPU claims */

int osk_nic_driver_init(void);
void osk_nic_driver_exit(void);

/* Online-side NIC ownership (caller holds offsched_lock): the lowest free queue pair of the
 * device named, or of any device when pci_name is "". */
struct osk_nic *osk_nic_claim(const char *pci_name);
void osk_nic_release(struct osk_nic *nic);
/* Around a run: the queue pair and its host netdev queue start/stop; the device's DMA runs
 * while any of its queue pairs does. */
int osk_nic_start(struct osk_nic *nic);
void osk_nic_stop(struct osk_nic *nic);
/* Panic (atomic context, no sleeping): every owned NIC stops DMA. */
void osk_nic_quiesce_all(void);

struct osk_host *osk_nic_host(struct osk_nic *nic);
const char *osk_nic_name(const struct osk_nic *nic); /* the device's PCI name */
unsigned int osk_nic_queue(const struct osk_nic *nic); /* the queue pair */
const char *osk_nic_netdev_name(const struct osk_nic *nic);
const struct osk_nic_counters *osk_nic_counters(const struct osk_nic *nic);
/* Writes one line per NIC ("pci netdev mac claimed|free model queues C/N", claimed when no queue
 * pair is free) into buf; returns the length. */
ssize_t osk_nic_list(char *buf, size_t size);

#endif
