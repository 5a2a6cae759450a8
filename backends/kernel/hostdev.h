/* SPDX-License-Identifier: GPL-2.0 */
/* The host netdev ("osdN") of an owned NIC, one queue (struct osk_host) per queue pair: see
 * hostdev.c. It knows the NIC only through the wire ops it is given, so hostdev.c and the NIC
 * layer do not call each other. */
#ifndef OFFSCHED_HOSTDEV_H
#define OFFSCHED_HOSTDEV_H

#include <linux/types.h>

#include "nic_counters.h"

struct osk_host;     /* one queue: what a dead CPU fills and drains (cxx/service_ports.h) */
struct osk_host_dev; /* the netdev */

/* Where the host's transmitted frames go: the owned NIC's TX ring (dead CPU, notrace). */
struct osk_host_wire {
	int (*tx)(void *ctx, const void *data, unsigned int len); /* 0: ring full */
	void (*flush)(void *ctx);
	void *ctx;
};

/* Queue i's way to the wire and the counters it updates (its port's). */
struct osk_host_queue_cfg {
	struct osk_host_wire wire;
	struct osk_nic_counters *counters;
};

struct osk_host_dev *osk_host_create(const u8 mac[6], const struct osk_host_queue_cfg *cfg,
				     unsigned int nqueues);
void osk_host_destroy(struct osk_host_dev *hd);
struct osk_host *osk_host_queue(struct osk_host_dev *hd, unsigned int i);
void osk_host_start(struct osk_host *host);
void osk_host_stop(struct osk_host *host);
const char *osk_host_name(const struct osk_host_dev *hd);

#endif
