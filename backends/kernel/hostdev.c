// SPDX-License-Identifier: GPL-2.0
/*
 * The pass-to-host path: a virtual Ethernet netdev ("osdN") per owned NIC, with one queue (an
 * osk_host) per queue pair of the NIC. Frames a service passes up are copied by its dead CPU into
 * its queue's RX ring; that queue's NAPI on an online CPU drains it into the Linux stack, recording
 * the queue in the skb. Frames Linux transmits go into the TX ring of the queue its socket last
 * received on (sk_rx_queue_get), which the same dead CPU drains onto the wire: a connection's two
 * directions stay on one service CPU, which a SYN proxy's translation state needs.
 *
 * Doorbells follow services/ring/doorbell_arm.h (the protocol the sim models): when NAPI finds
 * the RX ring empty it arms it (rx_armed = 1, full barrier, look again); the dead CPU's doorbell
 * claims an armed ring with xchg and only then signals. Whoever takes the flag owns the wake-up,
 * so a frame is never left unsignalled and a polling NAPI is never signalled. The dead CPU may
 * not send IPIs, so its signal is rx_rung, which an hrtimer on the online side turns into
 * napi_schedule (the timer's period bounds the wake-up delay; it costs nothing while NAPI polls).
 */
#include <linux/etherdevice.h>
#include <linux/hrtimer.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/sock.h>

#include "cxx/service_ports.h"
#include "hostdev.h"
#include "ring.h"

static unsigned int host_poll_us = 100;
module_param(host_poll_us, uint, 0444);
MODULE_PARM_DESC(host_poll_us, "period of the online CPU's poll of the host RX ring (us)");

#define OSK_HOST_RING_ORDER 9 /* 512 frames each way, per queue */

/* One queue: the two rings between one dead CPU and Linux. */
struct osk_host {
	struct osk_host_dev *hd;
	unsigned int index;
	struct napi_struct napi;
	struct osk_ring rx;  /* dead CPU -> Linux */
	struct osk_ring tx;  /* Linux -> dead CPU -> wire */
	struct osk_host_wire wire;
	struct osk_nic_counters *counters;
	u32 doorbells;       /* dead CPU: doorbells that found the ring armed (diagnostics only) */
	u32 rx_armed;        /* online side: 1 = NAPI stopped polling rx and wants a doorbell */
	u32 rx_rung;         /* dead CPU: 1 = a doorbell is pending for the poll timer */
	bool running;        /* a dead CPU drains tx and fills rx */
	/* netdev statistics: rx ones written by this queue's NAPI, tx ones under its txq lock */
	u64 rx_packets, rx_bytes, rx_dropped, tx_packets, tx_bytes, tx_dropped;
};

#define OSK_FLOW_SLOTS 4096 /* a power of two */

struct osk_host_dev {
	struct net_device *dev;
	struct hrtimer poll_timer;
	unsigned int nqueues;
	/* With several queues: the queue (+1; 0 = none yet) each flow, by symmetric hash, last came
	 * up on, for frames whose socket does not say (TIME_WAIT ACKs and RSTs leave through the
	 * stack's control socket). A collision only sends a frame through another CPU, which puts
	 * it on the wire unchanged. */
	u8 flow_queue[OSK_FLOW_SLOTS];
	struct osk_host q[];
};

static __always_inline void count(u64 *c, u64 n)
{
	WRITE_ONCE(*c, *c + n);
}

/* ---- dead CPU side ---- */

notrace int osk_host_pass(struct osk_host *host, const void *data, unsigned int len)
{
	struct osk_ring_slot *s;

	/* Slots hold one Ethernet frame; a longer one (a GRO-merged batch) is refused whole and
	 * counted, never truncated into a corrupt packet. */
	if (len > OSK_RING_FRAME_MAX) {
		count(&host->counters->host_too_long, 1);
		return 0;
	}
	s = osk_ring_peek_free(&host->rx);
	if (!s) {
		count(&host->counters->host_ring_full, 1);
		return 0;
	}
	memcpy(s->data, data, len);
	s->len = len;
	osk_ring_push(&host->rx);
	count(&host->counters->host_passed, 1);
	return 1;
}

notrace void osk_host_doorbell(struct osk_host *host)
{
	/* Orders the frames published before (osk_ring_push) against reading rx_armed: pairs with
	 * the barrier in osk_host_rearm(). */
	smp_mb();
	if (!READ_ONCE(host->rx_armed) || !xchg(&host->rx_armed, 0))
		return; /* NAPI is polling: it will see the frames */
	WRITE_ONCE(host->rx_rung, 1);
	WRITE_ONCE(host->doorbells, host->doorbells + 1);
}

notrace unsigned int osk_host_tx_drain(struct osk_host *host, unsigned int budget)
{
	struct osk_ring_slot *s;
	unsigned int sent = 0;

	while (sent < budget && (s = osk_ring_peek(&host->tx))) {
		if (!host->wire.tx(host->wire.ctx, s->data, s->len))
			break; /* wire ring full: retry next loop */
		osk_ring_pop(&host->tx);
		sent++;
	}
	if (sent) {
		host->wire.flush(host->wire.ctx);
		count(&host->counters->host_tx_sent, sent);
	}
	return sent;
}

/*
 * For a service that handles the host's frames itself (ServiceNeeds::host_tx): lends it up to
 * max frames from the TX ring without consuming them (they stay valid, and writable, until the
 * next call), after giving back the ones lent last time.
 */
notrace unsigned int osk_host_tx_lend(struct osk_host *host, unsigned int returned,
				      struct osk_frame *out, unsigned int max)
{
	struct osk_ring *r = &host->tx;
	u32 tail = r->tail, avail, i;

	if (returned) {
		tail += returned;
		smp_store_release(&r->tail, tail); /* the xmit side may reuse those slots */
		count(&host->counters->host_tx_sent, returned);
	}
	avail = smp_load_acquire(&r->head) - tail;
	if (avail > max)
		avail = max;
	for (i = 0; i < avail; i++) {
		struct osk_ring_slot *s = &r->slots[(tail + i) & r->mask];

		out[i].data = s->data;
		out[i].len = s->len;
	}
	return avail;
}

/* ---- online side ---- */

/* NAPI found the RX ring empty: arm it for the next doorbell. True when frames raced in and this
 * side claimed them back (poll again; no doorbell will come for them). */
static bool osk_host_rearm(struct osk_host *host)
{
	WRITE_ONCE(host->rx_armed, 1);
	smp_mb(); /* pairs with osk_host_doorbell() */
	return !osk_ring_empty(&host->rx) && xchg(&host->rx_armed, 0);
}

static int osk_host_napi_poll(struct napi_struct *napi, int budget)
{
	struct osk_host *host = container_of(napi, struct osk_host, napi);
	struct osk_ring_slot *s;
	int done = 0;

	while (done < budget && (s = osk_ring_peek(&host->rx))) {
		struct sk_buff *skb = napi_alloc_skb(napi, s->len);

		if (!skb) {
			host->rx_dropped++;
			osk_ring_pop(&host->rx);
			continue;
		}
		skb_put_data(skb, s->data, s->len);
		osk_ring_pop(&host->rx);
		skb->protocol = eth_type_trans(skb, host->hd->dev);
		/* The socket learns it (sk_rx_queue_set): its replies take this queue's TX ring. */
		skb_record_rx_queue(skb, host->index);
		if (host->hd->nqueues > 1) {
			skb_reset_network_header(skb); /* the flow dissector starts there */
			WRITE_ONCE(host->hd->flow_queue[__skb_get_hash_symmetric(skb) & (OSK_FLOW_SLOTS - 1)],
				   host->index + 1);
		}
		host->rx_packets++;
		host->rx_bytes += skb->len;
		napi_gro_receive(napi, skb);
		done++;
	}
	count(&host->counters->host_delivered, done);
	if (done < budget && napi_complete_done(napi, done) && osk_host_rearm(host))
		napi_schedule(napi);
	return done;
}

/* The online CPUs' half of every doorbell and TX wake-up: the dead CPUs may not send IPIs. */
static enum hrtimer_restart osk_host_poll(struct hrtimer *t)
{
	struct osk_host_dev *hd = container_of(t, struct osk_host_dev, poll_timer);
	unsigned int i;

	for (i = 0; i < hd->nqueues; i++) {
		struct osk_host *host = &hd->q[i];
		struct netdev_queue *txq = netdev_get_tx_queue(hd->dev, i);

		if (READ_ONCE(host->rx_rung) && xchg(&host->rx_rung, 0))
			napi_schedule(&host->napi);
		if (netif_tx_queue_stopped(txq) && osk_ring_has_space(&host->tx))
			netif_tx_wake_queue(txq);
	}
	hrtimer_forward_now(t, ns_to_ktime(host_poll_us * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

/* The queue the socket last received on when a CPU serves it (so both directions of a connection
 * meet one service); else the queue the flow last came up on; otherwise (a flow never seen, or
 * its queue lost its CPU) a hash over the queues that run. */
static u16 osk_host_select_queue(struct net_device *dev, struct sk_buff *skb,
				 struct net_device *sb_dev)
{
	struct osk_host_dev *hd = netdev_priv(dev);
	int q = sk_rx_queue_get(skb->sk);
	unsigned int i, start;

	if (q >= 0 && q < hd->nqueues && READ_ONCE(hd->q[q].running))
		return q;
	if (hd->nqueues > 1) {
		q = READ_ONCE(hd->flow_queue[__skb_get_hash_symmetric(skb) & (OSK_FLOW_SLOTS - 1)]) - 1;
		if (q >= 0 && READ_ONCE(hd->q[q].running))
			return q;
	}
	start = reciprocal_scale(skb_get_hash(skb), hd->nqueues);
	for (i = 0; i < hd->nqueues; i++) {
		q = (start + i) % hd->nqueues;
		if (READ_ONCE(hd->q[q].running))
			return q;
	}
	return start; /* none runs: xmit drops it and counts */
}

static void tx_drop(struct osk_host *host, struct sk_buff *skb)
{
	count(&host->counters->host_tx_dropped, 1);
	host->tx_dropped++;
	dev_kfree_skb_any(skb);
}

static netdev_tx_t osk_host_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct osk_host_dev *hd = netdev_priv(dev);
	u16 qi = skb_get_queue_mapping(skb);
	struct osk_host *host = &hd->q[qi < hd->nqueues ? qi : 0];
	struct osk_ring_slot *s;

	/* Only a running dead CPU drains the ring; otherwise the frame has nowhere to go. */
	if (!READ_ONCE(host->running) || skb->len > OSK_RING_FRAME_MAX) {
		tx_drop(host, skb);
		return NETDEV_TX_OK;
	}
	s = osk_ring_peek_free(&host->tx);
	if (!s) { /* only if the queue was woken early; the stop below normally prevents it */
		tx_drop(host, skb);
		return NETDEV_TX_OK;
	}
	skb_copy_bits(skb, 0, s->data, skb->len);
	s->len = skb->len;
	osk_ring_push(&host->tx);
	count(&host->counters->host_tx_queued, 1);
	host->tx_packets++;
	host->tx_bytes += skb->len;
	dev_consume_skb_any(skb);
	/* Ring now full: stop before the next frame; the poll timer wakes the queue once the
	 * dead CPU has drained some (it never signals us itself). */
	if (!osk_ring_has_space(&host->tx))
		netif_tx_stop_queue(netdev_get_tx_queue(dev, host->index));
	return NETDEV_TX_OK;
}

static void osk_host_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *st)
{
	struct osk_host_dev *hd = netdev_priv(dev);
	unsigned int i;

	for (i = 0; i < hd->nqueues; i++) {
		const struct osk_host *h = &hd->q[i];

		st->rx_packets += READ_ONCE(h->rx_packets);
		st->rx_bytes += READ_ONCE(h->rx_bytes);
		st->rx_dropped += READ_ONCE(h->rx_dropped);
		st->tx_packets += READ_ONCE(h->tx_packets);
		st->tx_bytes += READ_ONCE(h->tx_bytes);
		st->tx_dropped += READ_ONCE(h->tx_dropped);
	}
}

static int osk_host_open(struct net_device *dev)
{
	struct osk_host_dev *hd = netdev_priv(dev);
	unsigned int i;

	for (i = 0; i < hd->nqueues; i++)
		napi_enable(&hd->q[i].napi);
	hrtimer_start(&hd->poll_timer, ns_to_ktime(host_poll_us * NSEC_PER_USEC), HRTIMER_MODE_REL);
	netif_carrier_on(dev);
	netif_tx_start_all_queues(dev);
	return 0;
}

static int osk_host_close(struct net_device *dev)
{
	struct osk_host_dev *hd = netdev_priv(dev);
	unsigned int i;

	netif_tx_stop_all_queues(dev);
	hrtimer_cancel(&hd->poll_timer);
	for (i = 0; i < hd->nqueues; i++)
		napi_disable(&hd->q[i].napi);
	return 0;
}

static const struct net_device_ops osk_host_ops = {
	.ndo_open = osk_host_open,
	.ndo_stop = osk_host_close,
	.ndo_start_xmit = osk_host_xmit,
	.ndo_select_queue = osk_host_select_queue,
	.ndo_get_stats64 = osk_host_get_stats64,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

static void free_queues(struct osk_host_dev *hd)
{
	unsigned int i;

	for (i = 0; i < hd->nqueues; i++) {
		if (hd->q[i].napi.poll)
			netif_napi_del(&hd->q[i].napi);
		osk_ring_free(&hd->q[i].tx);
		osk_ring_free(&hd->q[i].rx);
	}
}

struct osk_host_dev *osk_host_create(const u8 mac[6], const struct osk_host_queue_cfg *cfg,
				     unsigned int nqueues)
{
	struct osk_host_dev *hd;
	struct net_device *dev;
	unsigned int i;
	int err = 0;

	dev = alloc_etherdev_mqs(struct_size(hd, q, nqueues), nqueues, nqueues);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	strscpy(dev->name, "osd%d", IFNAMSIZ);
	hd = netdev_priv(dev);
	hd->dev = dev;
	hd->nqueues = nqueues;
	for (i = 0; i < nqueues && !err; i++) {
		struct osk_host *host = &hd->q[i];

		host->hd = hd;
		host->index = i;
		host->wire = cfg[i].wire;
		host->counters = cfg[i].counters;
		err = osk_ring_init(&host->rx, OSK_HOST_RING_ORDER);
		if (!err)
			err = osk_ring_init(&host->tx, OSK_HOST_RING_ORDER);
		if (!err)
			netif_napi_add(dev, &host->napi, osk_host_napi_poll);
	}
	if (err)
		goto fail;
	dev->netdev_ops = &osk_host_ops;
	dev->max_mtu = ETH_DATA_LEN;
	eth_hw_addr_set(dev, mac);
	hrtimer_init(&hd->poll_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	hd->poll_timer.function = osk_host_poll;
	netif_carrier_off(dev);
	err = register_netdev(dev);
	if (err)
		goto fail;
	return hd;

fail:
	free_queues(hd);
	free_netdev(dev);
	return ERR_PTR(err);
}

void osk_host_destroy(struct osk_host_dev *hd)
{
	struct net_device *dev = hd->dev;

	unregister_netdev(dev);
	free_queues(hd);
	free_netdev(dev);
}

struct osk_host *osk_host_queue(struct osk_host_dev *hd, unsigned int i)
{
	return &hd->q[i];
}

/* Called around a run: frames queued while no CPU drained the ring are stale, drop them. */
void osk_host_start(struct osk_host *host)
{
	WRITE_ONCE(host->tx.tail, READ_ONCE(host->tx.head));
	WRITE_ONCE(host->rx_rung, 0);
	WRITE_ONCE(host->rx_armed, 1); /* nothing polls rx until the first doorbell */
	WRITE_ONCE(host->running, true);
}

void osk_host_stop(struct osk_host *host)
{
	WRITE_ONCE(host->running, false);
}

const char *osk_host_name(const struct osk_host_dev *hd)
{
	return hd->dev->name;
}
