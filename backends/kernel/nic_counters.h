/* SPDX-License-Identifier: GPL-2.0 */
/* The counters of an owned NIC and its host path, shared by nic.c and hostdev.c. */
#ifndef OFFSCHED_NIC_COUNTERS_H
#define OFFSCHED_NIC_COUNTERS_H

#include <linux/types.h>

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

#endif
