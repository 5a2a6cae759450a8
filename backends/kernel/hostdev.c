// SPDX-License-Identifier: GPL-2.0
/*
 * The pass-to-host path: a virtual Ethernet netdev ("osdN") per owned NIC. Frames the service
 * passes up are copied by the dead CPU into an RX ring; NAPI on an online CPU drains it into the
 * Linux stack. Frames Linux transmits on the netdev go into a TX ring that the dead CPU drains
 * onto the wire.
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

#include "cxx/bridge.h"
#include "hostdev.h"
#include "ring.h"

static unsigned int host_poll_us = 100;
module_param(host_poll_us, uint, 0444);
MODULE_PARM_DESC(host_poll_us, "period of the online CPU's poll of the host RX ring (us)");

#define OSK_HOST_RING_ORDER 9 /* 512 frames each way */

struct osk_host {
	struct net_device *dev;
	struct napi_struct napi;
	struct hrtimer poll_timer;
	struct osk_ring rx;  /* dead CPU -> Linux */
	struct osk_ring tx;  /* Linux -> dead CPU -> wire */
	struct osk_host_wire wire;
	struct osk_nic_counters *counters;
	u32 doorbells;       /* dead CPU: doorbells that found the ring armed (diagnostics only) */
	u32 rx_armed;        /* online side: 1 = NAPI stopped polling rx and wants a doorbell */
	u32 rx_rung;         /* dead CPU: 1 = a doorbell is pending for the poll timer */
	bool running;        /* a dead CPU drains tx and fills rx */
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
			host->dev->stats.rx_dropped++;
			osk_ring_pop(&host->rx);
			continue;
		}
		skb_put_data(skb, s->data, s->len);
		osk_ring_pop(&host->rx);
		skb->protocol = eth_type_trans(skb, host->dev);
		host->dev->stats.rx_packets++;
		host->dev->stats.rx_bytes += skb->len;
		napi_gro_receive(napi, skb);
		done++;
	}
	count(&host->counters->host_delivered, done);
	if (done < budget && napi_complete_done(napi, done) && osk_host_rearm(host))
		napi_schedule(napi);
	return done;
}

static enum hrtimer_restart osk_host_poll(struct hrtimer *t)
{
	struct osk_host *host = container_of(t, struct osk_host, poll_timer);

	if (READ_ONCE(host->rx_rung) && xchg(&host->rx_rung, 0))
		napi_schedule(&host->napi);
	if (netif_queue_stopped(host->dev) && osk_ring_has_space(&host->tx))
		netif_wake_queue(host->dev);
	hrtimer_forward_now(t, ns_to_ktime(host_poll_us * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

static netdev_tx_t osk_host_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct osk_host *host = netdev_priv(dev);
	struct osk_ring_slot *s;

	/* Only a running dead CPU drains the ring; otherwise the frame has nowhere to go. */
	if (!READ_ONCE(host->running) || skb->len > OSK_RING_FRAME_MAX) {
		count(&host->counters->host_tx_dropped, 1);
		dev->stats.tx_dropped++;
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	s = osk_ring_peek_free(&host->tx);
	if (!s) { /* only if the queue was woken early; the stop below normally prevents it */
		count(&host->counters->host_tx_dropped, 1);
		dev->stats.tx_dropped++;
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	skb_copy_bits(skb, 0, s->data, skb->len);
	s->len = skb->len;
	osk_ring_push(&host->tx);
	count(&host->counters->host_tx_queued, 1);
	dev->stats.tx_packets++;
	dev->stats.tx_bytes += skb->len;
	dev_consume_skb_any(skb);
	/* Ring now full: stop before the next frame; the poll timer wakes the queue once the
	 * dead CPU has drained some (it never signals us itself). */
	if (!osk_ring_has_space(&host->tx))
		netif_stop_queue(dev);
	return NETDEV_TX_OK;
}

static int osk_host_open(struct net_device *dev)
{
	struct osk_host *host = netdev_priv(dev);

	napi_enable(&host->napi);
	hrtimer_start(&host->poll_timer, ns_to_ktime(host_poll_us * NSEC_PER_USEC),
		      HRTIMER_MODE_REL);
	netif_carrier_on(dev);
	netif_start_queue(dev);
	return 0;
}

static int osk_host_close(struct net_device *dev)
{
	struct osk_host *host = netdev_priv(dev);

	netif_stop_queue(dev);
	hrtimer_cancel(&host->poll_timer);
	napi_disable(&host->napi);
	return 0;
}

static const struct net_device_ops osk_host_ops = {
	.ndo_open = osk_host_open,
	.ndo_stop = osk_host_close,
	.ndo_start_xmit = osk_host_xmit,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

struct osk_host *osk_host_create(const u8 mac[6], struct osk_nic_counters *counters,
				 const struct osk_host_wire *wire)
{
	struct net_device *dev;
	struct osk_host *host;
	int err;

	dev = alloc_etherdev(sizeof(*host));
	if (!dev)
		return ERR_PTR(-ENOMEM);
	strscpy(dev->name, "osd%d", IFNAMSIZ);
	host = netdev_priv(dev);
	host->dev = dev;
	host->wire = *wire;
	host->counters = counters;
	err = osk_ring_init(&host->rx, OSK_HOST_RING_ORDER);
	if (!err)
		err = osk_ring_init(&host->tx, OSK_HOST_RING_ORDER);
	if (err)
		goto fail;
	dev->netdev_ops = &osk_host_ops;
	dev->max_mtu = ETH_DATA_LEN;
	eth_hw_addr_set(dev, mac);
	netif_napi_add(dev, &host->napi, osk_host_napi_poll);
	hrtimer_init(&host->poll_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	host->poll_timer.function = osk_host_poll;
	netif_carrier_off(dev);
	err = register_netdev(dev);
	if (err)
		goto fail_napi;
	return host;

fail_napi:
	netif_napi_del(&host->napi);
fail:
	osk_ring_free(&host->tx);
	osk_ring_free(&host->rx);
	free_netdev(dev);
	return ERR_PTR(err);
}

void osk_host_destroy(struct osk_host *host)
{
	struct net_device *dev = host->dev;

	unregister_netdev(dev);
	netif_napi_del(&host->napi);
	osk_ring_free(&host->tx);
	osk_ring_free(&host->rx);
	free_netdev(dev);
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

const char *osk_host_name(const struct osk_host *host)
{
	return host->dev->name;
}
