/* SPDX-License-Identifier: GPL-2.0 */
/* The NICs offsched owns (bound through driver_override: nic.c) and their host netdevs. */
#ifndef OFFSCHED_NIC_H
#define OFFSCHED_NIC_H

#include <linux/types.h>

struct osk_nic;
struct osk_host;

/* Counters of one NIC and its host path; each field has a single writer (noted). */
struct osk_nic_counters {
	u64 rx_frames;        /* dead CPU: frames taken from the RX ring */
	u64 tx_frames;        /* dead CPU: frames queued on the TX ring */
	u64 tx_ring_full;     /* dead CPU: frames not sent because the TX ring was full */
	u64 host_passed;      /* dead CPU: frames copied into the host RX ring */
	u64 host_ring_full;   /* dead CPU: frames dropped because the host RX ring was full */
	u64 host_too_long;    /* dead CPU: frames longer than a ring slot (1518 bytes), dropped */
	u64 host_delivered;   /* NAPI (online): frames handed to the Linux stack */
	u64 host_tx_queued;   /* xmit (online): frames Linux sent on the host netdev */
	u64 host_tx_dropped;  /* xmit (online): frames dropped, ring full or oversized */
	u64 host_tx_sent;     /* dead CPU: host frames put on the wire */
};

int osk_nic_driver_init(void);
void osk_nic_driver_exit(void);

/* Online-side NIC ownership (caller holds offsched_lock). */
struct osk_nic *osk_nic_claim(const char *pci_name);
void osk_nic_release(struct osk_nic *nic);
/* Starts/stops RX+TX DMA and the host netdev's poll timer around a run. */
int osk_nic_start(struct osk_nic *nic);
void osk_nic_stop(struct osk_nic *nic);
/* Panic (atomic context, no sleeping): every owned NIC stops DMA. */
void osk_nic_quiesce_all(void);

struct osk_host *osk_nic_host(struct osk_nic *nic);
const char *osk_nic_name(const struct osk_nic *nic);
const char *osk_nic_netdev_name(const struct osk_nic *nic);
const struct osk_nic_counters *osk_nic_counters(const struct osk_nic *nic);
/* Writes one line per NIC ("pci netdev mac cpu|-") into buf; returns the length. */
ssize_t osk_nic_list(char *buf, size_t size);

/* hostdev.c */
struct osk_host *osk_host_create(struct osk_nic *nic, const u8 mac[6],
				 struct osk_nic_counters *counters);
void osk_host_destroy(struct osk_host *host);
void osk_host_start(struct osk_host *host);
void osk_host_stop(struct osk_host *host);
const char *osk_host_name(const struct osk_host *host);

#endif
