// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio-net family (virtio 1.0 "modern" PCI, 1af4:1041 or transitional 1af4:1000): the NIC
 * of every KVM/QEMU guest and of the cloud VMs that give one. The kernel's virtio_pci_modern_dev
 * library finds and maps the capabilities and does the status/feature/queue register work on
 * online CPUs; this file owns the split virtqueues (spec 1.0, section 2.4).
 *
 * Several queue pairs (VIRTIO_NET_F_MQ, with its control queue): each pair is a port that one CPU
 * claims. The device starts with one pair active and spreads flows over the pairs the control
 * command VQ_PAIRS_SET names (spec 5.1.6.5.5); with a tap backend it is the host's tun driver
 * that picks the queue, by a symmetric flow hash it pins to the queue the flow's last frame from
 * the guest left on, so a connection stays on one pair in both directions.
 *
 * Polled, as on every other offsched NIC: no MSI-X vector on any queue, the device asked not to
 * interrupt (VRING_AVAIL_F_NO_INTERRUPT), and the device notified only when it says it is
 * waiting (VRING_USED_F_NO_NOTIFY clear). No offloads are negotiated (no CSUM, GSO, MRG_RXBUF):
 * every buffer holds one whole frame behind the 12-byte virtio_net_hdr_v1, which TX sends zeroed.
 */
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/pci.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <linux/virtio_pci_modern.h>
#include <linux/virtio_ring.h>

#include "nic_driver.h"

#define VQ_MAX 256     /* descriptors per queue: the device's size if smaller (a power of two) */
#define BUF_SIZE 2048  /* >= 1526 (hdr + 1514-byte frame), what the spec asks without MRG_RXBUF */
#define HDR_LEN sizeof(struct virtio_net_hdr_v1)
#define RESET_WAIT_MS 1000
#define CTRL_WAIT_MS 1000
#define CTRL_VQ_SIZE 4  /* one command in flight: header, data, ack */

/* Split virtqueue layout (little-endian: VIRTIO_F_VERSION_1 is required). */
struct vq_desc {
	__le64 addr;
	__le32 len;
	__le16 flags;
	__le16 next;
};

struct vq_avail {
	__le16 flags;
	__le16 idx;
	__le16 ring[];
};

struct vq_used_elem {
	__le32 id;
	__le32 len;
};

struct vq_used {
	__le16 flags;
	__le16 idx;
	struct vq_used_elem ring[];
};

struct vq {
	u16 index, size;
	struct vq_desc *desc;
	struct vq_avail *avail;
	struct vq_used *used;
	dma_addr_t ring_dma;          /* desc | avail | used, in one coherent block */
	size_t avail_off, used_off, ring_bytes;
	u8 *bufs;                     /* descriptor i's buffer: bufs + i * BUF_SIZE */
	dma_addr_t bufs_dma;
	__le16 __iomem *notify;
	/* dead CPU state */
	u16 avail_idx;                /* our avail->idx, published at flush */
	u16 last_used;                /* next used entry to read */
	u16 pending;                  /* avail entries added since the last publish */
	u16 nfree, free_ids[VQ_MAX];  /* TX: descriptors not in flight */
	u16 lent, lent_ids[32];       /* RX: descriptors handed to the service until the next rx */
};

/* One queue pair: receiveqN is virtqueue 2(N-1), transmitqN 2(N-1)+1. */
struct vnet_pair {
	struct vq rx, tx;
};

struct vnet {
	struct virtio_pci_modern_device mdev;
	u64 features;
	u16 max_pairs;  /* the device's; the control queue is virtqueue 2 * max_pairs */
	u16 active;     /* pairs the device spreads flows over (1 after every reset) */
	struct vq ctrl; /* only with VIRTIO_NET_F_MQ */
	struct vnet_pair pair[OSK_NIC_MAX_PORTS];
};

static __always_inline struct vnet_pair *pair_of(struct osk_nic *port)
{
	struct vnet *v = port->dev->priv;

	return &v->pair[port->index];
}

/* ---- dead CPU ---- */

/* Publishes the avail entries added so far and notifies the device if it waits for it. */
notrace static void vq_publish(struct vq *q)
{
	if (!q->pending)
		return;
	dma_wmb(); /* ring entries and buffers before the index */
	WRITE_ONCE(q->avail->idx, cpu_to_le16(q->avail_idx));
	q->pending = 0;
	mb(); /* the index is visible before we read whether the device sleeps */
	if (!(le16_to_cpu(READ_ONCE(q->used->flags)) & VRING_USED_F_NO_NOTIFY))
		iowrite16(q->index, q->notify);
}

notrace static void vq_offer(struct vq *q, u16 id)
{
	q->avail->ring[q->avail_idx & (q->size - 1)] = cpu_to_le16(id);
	q->avail_idx++;
	q->pending++;
}

notrace static unsigned int vnet_rx(struct osk_nic *port, struct osk_frame *out, unsigned int max)
{
	struct vq *q = &pair_of(port)->rx;
	unsigned int got = 0, i;
	u16 used_idx;

	/* The previous burst's buffers go back to the device (their frames are now stale). */
	for (i = 0; i < q->lent; i++)
		vq_offer(q, q->lent_ids[i]);
	q->lent = 0;
	vq_publish(q);

	if (max > ARRAY_SIZE(q->lent_ids))
		max = ARRAY_SIZE(q->lent_ids);
	used_idx = le16_to_cpu(READ_ONCE(q->used->idx));
	/* Bounded by lent (>= got): entries without a frame are lent too, until the next call. */
	while (q->lent < max && q->last_used != used_idx) {
		const struct vq_used_elem *e = &q->used->ring[q->last_used & (q->size - 1)];
		u32 id, len;

		dma_rmb(); /* the entry and the buffer only after seeing the index */
		id = le32_to_cpu(e->id);
		len = le32_to_cpu(e->len);
		q->last_used++;
		if (id >= q->size) /* a device bug: never index outside the buffers */
			continue;
		q->lent_ids[q->lent++] = id;
		if (len <= HDR_LEN || len > BUF_SIZE) /* no frame: give it back next time */
			continue;
		out[got].data = q->bufs + (size_t)id * BUF_SIZE + HDR_LEN;
		out[got].len = len - HDR_LEN;
		got++;
	}
	return got;
}

/* The id of the next entry the device used before used_idx; false when there is none. Ids
 * outside the ring are skipped: a device bug must never index outside the buffers. */
notrace static bool vq_take_used(struct vq *q, u16 used_idx, u32 *id)
{
	while (q->last_used != used_idx) {
		dma_rmb(); /* the entry only after seeing the index */
		*id = le32_to_cpu(q->used->ring[q->last_used & (q->size - 1)].id);
		q->last_used++;
		if (*id < q->size)
			return true;
	}
	return false;
}

/* TX descriptors the device has finished with go back on the free list. */
notrace static void vnet_tx_reclaim(struct vq *q)
{
	u16 used_idx = le16_to_cpu(READ_ONCE(q->used->idx));
	u32 id;

	while (vq_take_used(q, used_idx, &id))
		if (q->nfree < q->size)
			q->free_ids[q->nfree++] = id;
}

notrace static int vnet_tx(struct osk_nic *port, const void *data, unsigned int len)
{
	struct vq *q = &pair_of(port)->tx;
	struct vq_desc *d;
	u8 *buf;
	u16 id;

	if (!q->nfree)
		vnet_tx_reclaim(q);
	if (!q->nfree)
		return 0;
	if (len > BUF_SIZE - HDR_LEN)
		len = BUF_SIZE - HDR_LEN;
	id = q->free_ids[--q->nfree];
	buf = q->bufs + (size_t)id * BUF_SIZE;
	memset(buf, 0, HDR_LEN); /* no checksum or segmentation offload asked */
	memcpy(buf + HDR_LEN, data, len);
	d = &q->desc[id];
	d->len = cpu_to_le32(HDR_LEN + len);
	d->flags = 0;
	vq_offer(q, id);
	return 1;
}

notrace static void vnet_tx_flush(struct osk_nic *port)
{
	vq_publish(&pair_of(port)->tx);
}

/* ---- online side ---- */

static void vnet_reset(struct vnet *v)
{
	int ms;

	vp_modern_set_status(&v->mdev, 0);
	/* The spec: reset is done when status reads 0 again. */
	for (ms = 0; ms < RESET_WAIT_MS && vp_modern_get_status(&v->mdev); ms++)
		msleep(1);
	v->active = 1;
}

static int vq_alloc(struct pci_dev *pdev, struct vnet *v, struct vq *q, u16 index, u16 max)
{
	u16 size = vp_modern_get_queue_size(&v->mdev, index);

	if (!size || (size & (size - 1))) { /* absent, or not a power of two (split queues need one) */
		dev_err(&pdev->dev, "virtqueue %u: size %u unusable\n", index, size);
		return -EINVAL;
	}
	q->index = index;
	q->size = min_t(u16, size, max);
	q->avail_off = ALIGN(sizeof(struct vq_desc) * q->size, 2);
	q->used_off = ALIGN(q->avail_off + sizeof(struct vq_avail) + 2 * q->size + 2, 4);
	q->ring_bytes = q->used_off + sizeof(struct vq_used) + sizeof(struct vq_used_elem) * q->size + 2;
	q->desc = dmam_alloc_coherent(&pdev->dev, q->ring_bytes, &q->ring_dma, GFP_KERNEL);
	q->bufs = dmam_alloc_coherent(&pdev->dev, (size_t)q->size * BUF_SIZE, &q->bufs_dma, GFP_KERNEL);
	if (!q->desc || !q->bufs)
		return -ENOMEM;
	q->avail = (void *)((u8 *)q->desc + q->avail_off);
	q->used = (void *)((u8 *)q->desc + q->used_off);
	return 0;
}

/* Rings to their start: RX offers every buffer, TX has every descriptor free. */
static void vq_reset_rings(struct vq *q, bool device_writes)
{
	u16 i;

	memset(q->desc, 0, q->ring_bytes);
	for (i = 0; i < q->size; i++) {
		q->desc[i].addr = cpu_to_le64(q->bufs_dma + (u64)i * BUF_SIZE);
		q->desc[i].len = cpu_to_le32(BUF_SIZE);
		q->desc[i].flags = cpu_to_le16(device_writes ? VRING_DESC_F_WRITE : 0);
	}
	q->avail->flags = cpu_to_le16(VRING_AVAIL_F_NO_INTERRUPT);
	q->avail_idx = q->last_used = q->pending = q->lent = 0;
	q->nfree = 0;
	for (i = 0; i < q->size; i++) {
		if (device_writes)
			q->avail->ring[i] = cpu_to_le16(i);
		else
			q->free_ids[q->nfree++] = q->size - 1 - i;
	}
	if (device_writes) {
		q->avail_idx = q->size;
		q->avail->idx = cpu_to_le16(q->size);
	}
}

static int vq_enable(struct vnet *v, struct vq *q)
{
	struct virtio_pci_modern_device *mdev = &v->mdev;

	vp_modern_set_queue_size(mdev, q->index, q->size);
	vp_modern_queue_address(mdev, q->index, q->ring_dma, q->ring_dma + q->avail_off,
				q->ring_dma + q->used_off);
	if (vp_modern_queue_vector(mdev, q->index, VIRTIO_MSI_NO_VECTOR) != VIRTIO_MSI_NO_VECTOR)
		return -EIO;
	if (!q->notify)
		q->notify = vp_modern_map_vq_notify(mdev, q->index, NULL);
	if (!q->notify)
		return -EIO;
	vp_modern_set_queue_enable(mdev, q->index, true);
	return 0;
}

static bool vnet_has_mq(const struct vnet *v)
{
	return v->features & BIT_ULL(VIRTIO_NET_F_MQ);
}

/*
 * One control command (spec 5.1.6.5), polled: a chain of the class/command header and the data,
 * both device-read, and the ack byte the device writes. Online only, under offsched_lock.
 */
static int vnet_ctrl(struct vnet *v, u8 class, u8 cmd, const void *data, u16 len)
{
	struct vq *q = &v->ctrl;
	struct virtio_net_ctrl_hdr *hdr = (void *)q->bufs;
	u8 *payload = q->bufs + 16, *ack = q->bufs + 32 + len;
	dma_addr_t base = q->bufs_dma;
	unsigned long deadline = jiffies + msecs_to_jiffies(CTRL_WAIT_MS);
	u16 used_idx;

	if (len > 16)
		return -EINVAL;
	hdr->class = class;
	hdr->cmd = cmd;
	memcpy(payload, data, len);
	*ack = VIRTIO_NET_ERR;
	q->desc[0] = (struct vq_desc){ cpu_to_le64(base), cpu_to_le32(sizeof(*hdr)),
				       cpu_to_le16(VRING_DESC_F_NEXT), cpu_to_le16(1) };
	q->desc[1] = (struct vq_desc){ cpu_to_le64(base + 16), cpu_to_le32(len),
				       cpu_to_le16(VRING_DESC_F_NEXT), cpu_to_le16(2) };
	q->desc[2] = (struct vq_desc){ cpu_to_le64(base + 32 + len), cpu_to_le32(1),
				       cpu_to_le16(VRING_DESC_F_WRITE), 0 };
	vq_offer(q, 0);
	vq_publish(q);
	/* QEMU answers within the notify's exit; hardware may take longer, but not a second. */
	while ((used_idx = le16_to_cpu(READ_ONCE(q->used->idx))) == q->last_used) {
		if (time_after(jiffies, deadline))
			return -ETIMEDOUT;
		usleep_range(50, 100);
	}
	q->last_used = used_idx;
	dma_rmb();
	return READ_ONCE(*ack) == VIRTIO_NET_OK ? 0 : -EIO;
}

/* Flows go to pairs 0..n-1 (VQ_PAIRS_SET; a device without MQ has one pair). */
static int vnet_set_active(struct osk_nic_dev *d, unsigned int n)
{
	struct vnet *v = d->priv;
	struct virtio_net_ctrl_mq mq = { .virtqueue_pairs = (__force __virtio16)cpu_to_le16(n) };
	int err;

	if (!vnet_has_mq(v) || n == v->active)
		return 0;
	if (n < VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN || n > d->nports)
		return -EINVAL;
	err = vnet_ctrl(v, VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, &mq, sizeof(mq));
	if (!err)
		v->active = n;
	return err;
}

/*
 * A pair of a running device gets a CPU: what its RX ring received meanwhile is stale (every
 * used buffer goes back to the device), and TX descriptors the device finished are free again.
 * No dead CPU polls this pair now (nic.c calls this before the port runs).
 */
static void vnet_port_start(struct osk_nic *port)
{
	struct vnet_pair *p = pair_of(port);
	struct vq *rx = &p->rx;
	unsigned int i;
	u16 used_idx;
	u32 id;

	for (i = 0; i < rx->lent; i++)
		vq_offer(rx, rx->lent_ids[i]);
	rx->lent = 0;
	used_idx = le16_to_cpu(READ_ONCE(rx->used->idx));
	while (vq_take_used(rx, used_idx, &id))
		vq_offer(rx, id);
	vq_publish(rx);
	vnet_tx_reclaim(&p->tx);
	vq_publish(&p->tx);
}

/* Spec 3.1.1 from reset to FEATURES_OK. Only then are the queues the features imply there: a
 * device (QEMU's) adds the pairs beyond the first and moves the control queue when MQ is acked. */
static int vnet_negotiate(struct vnet *v)
{
	struct virtio_pci_modern_device *mdev = &v->mdev;

	vnet_reset(v);
	vp_modern_set_status(mdev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	vp_modern_set_status(mdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	vp_modern_set_features(mdev, v->features);
	vp_modern_set_status(mdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
			     VIRTIO_CONFIG_S_FEATURES_OK);
	if (!(vp_modern_get_status(mdev) & VIRTIO_CONFIG_S_FEATURES_OK)) {
		dev_err(&mdev->pci_dev->dev, "virtio-net refused features %#llx\n", v->features);
		vp_modern_set_status(mdev, VIRTIO_CONFIG_S_FAILED);
		return -EIO;
	}
	return 0;
}

/* The device initialisation of spec 3.1.1, from reset to DRIVER_OK, polled. */
static int vnet_start(struct osk_nic_dev *d)
{
	struct vnet *v = d->priv;
	struct virtio_pci_modern_device *mdev = &v->mdev;
	unsigned int i;
	int err = vnet_negotiate(v);

	if (err)
		return err;
	for (i = 0; i < d->nports && !err; i++) {
		vq_reset_rings(&v->pair[i].rx, true);
		vq_reset_rings(&v->pair[i].tx, false);
		err = vq_enable(v, &v->pair[i].rx);
		if (!err)
			err = vq_enable(v, &v->pair[i].tx);
	}
	if (!err && vnet_has_mq(v)) {
		vq_reset_rings(&v->ctrl, false);
		err = vq_enable(v, &v->ctrl);
	}
	if (err) {
		dev_err(&d->pdev->dev, "virtio-net queue setup failed (%d)\n", err);
		goto fail;
	}
	vp_modern_set_status(mdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
			     VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
	for (i = 0; i < d->nports; i++) /* every RX ring is full of buffers */
		iowrite16(v->pair[i].rx.index, v->pair[i].rx.notify);
	return 0;
fail:
	vp_modern_set_status(mdev, VIRTIO_CONFIG_S_FAILED);
	return err;
}

/* Reset stops all DMA; the next start renegotiates from scratch. */
static void vnet_stop(struct osk_nic_dev *d)
{
	vnet_reset(d->priv);
}

/* Panic: a reset stops the device's DMA; the wait for it to complete is left out (atomic). */
static void vnet_quiesce(struct osk_nic_dev *d)
{
	struct vnet *v = d->priv;

	vp_modern_set_status(&v->mdev, 0);
}

static void vnet_unmap_notify(struct vnet *v, struct vq *q)
{
	/* Mapped one by one only when the notify area was too large to map whole. */
	if (q->notify && !v->mdev.notify_base)
		pci_iounmap(v->mdev.pci_dev, q->notify);
	q->notify = NULL;
}

static void vnet_remove(struct osk_nic_dev *d)
{
	struct vnet *v = d->priv;
	unsigned int i;

	vnet_reset(v);
	for (i = 0; i < d->nports; i++) {
		vnet_unmap_notify(v, &v->pair[i].rx);
		vnet_unmap_notify(v, &v->pair[i].tx);
	}
	vnet_unmap_notify(v, &v->ctrl);
	vp_modern_remove(&v->mdev);
}

static const struct osk_nic_ops vnet_ops = {
	.model = "virtio-net",
	.rx = vnet_rx, .tx = vnet_tx, .tx_flush = vnet_tx_flush,
	.start = vnet_start, .stop = vnet_stop, .remove = vnet_remove, .quiesce = vnet_quiesce,
	.port_start = vnet_port_start, .set_active = vnet_set_active,
};

static bool vnet_matches(const struct pci_dev *pdev)
{
	if (pdev->vendor != PCI_VENDOR_ID_REDHAT_QUMRANET)
		return false;
	return pdev->device == 0x1041 || (pdev->device == 0x1000 && pdev->subsystem_device == 1);
}

/* The device's queue pairs when it offers VIRTIO_NET_F_MQ (with its control queue), else 1. */
static u16 vnet_read_max_pairs(struct vnet *v, u64 offered)
{
	u16 n;

	if (!(offered & BIT_ULL(VIRTIO_NET_F_MQ)) || !(offered & BIT_ULL(VIRTIO_NET_F_CTRL_VQ)) ||
	    !v->mdev.device)
		return 1;
	n = ioread16(v->mdev.device + offsetof(struct virtio_net_config, max_virtqueue_pairs));
	if (n < VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN || n > VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MAX)
		return 1; /* out of the spec's range: use the one pair every device has */
	return n;
}

static int vnet_probe(struct osk_nic_dev *d)
{
	struct pci_dev *pdev = d->pdev;
	struct vnet *v;
	u64 offered;
	unsigned int i;
	int err;

	v = devm_kzalloc(&pdev->dev, sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	v->mdev.pci_dev = pdev;
	err = vp_modern_probe(&v->mdev);
	if (err) {
		dev_err(&pdev->dev, "no virtio 1.0 (modern) interface: offsched needs one (%d)\n", err);
		return err;
	}
	vnet_reset(v);
	offered = vp_modern_get_features(&v->mdev);
	if (!(offered & BIT_ULL(VIRTIO_F_VERSION_1))) {
		dev_err(&pdev->dev, "device lacks VIRTIO_F_VERSION_1\n");
		err = -ENODEV;
		goto fail;
	}
	/* Nothing but what a polled, offload-free driver needs. DMA goes through the DMA API, so a
	 * device behind an IOMMU (ACCESS_PLATFORM) is fine. */
	v->features = offered & (BIT_ULL(VIRTIO_F_VERSION_1) | BIT_ULL(VIRTIO_F_ACCESS_PLATFORM) |
				 BIT_ULL(VIRTIO_NET_F_MAC));
	v->max_pairs = vnet_read_max_pairs(v, offered);
	if (v->max_pairs > 1)
		v->features |= BIT_ULL(VIRTIO_NET_F_MQ) | BIT_ULL(VIRTIO_NET_F_CTRL_VQ);
	err = vnet_negotiate(v); /* the queue sizes below are those of the negotiated layout */
	if (err)
		goto fail;
	d->nports = min_t(unsigned int, v->max_pairs, OSK_NIC_MAX_PORTS);
	if ((v->features & BIT_ULL(VIRTIO_NET_F_MAC)) && v->mdev.device)
		for (i = 0; i < 6; i++)
			d->mac[i] = ioread8(v->mdev.device + offsetof(struct virtio_net_config, mac) + i);
	for (i = 0; i < d->nports && !err; i++) {
		err = vq_alloc(pdev, v, &v->pair[i].rx, 2 * i, VQ_MAX);
		if (!err)
			err = vq_alloc(pdev, v, &v->pair[i].tx, 2 * i + 1, VQ_MAX);
	}
	if (!err && vnet_has_mq(v))
		err = vq_alloc(pdev, v, &v->ctrl, 2 * v->max_pairs, CTRL_VQ_SIZE);
	vnet_reset(v);
	if (err) {
		dev_err(&pdev->dev, "virtio-net queues unusable (%d)\n", err);
		goto fail;
	}
	d->priv = v;
	d->ops = &vnet_ops;
	return 0;
fail:
	vp_modern_remove(&v->mdev);
	return err;
}

const struct osk_nic_family osk_virtio_net_family = {
	.matches = vnet_matches,
	.probe = vnet_probe,
	.devices = "virtio-net (1af4:1041, 1af4:1000 with a modern interface)",
};
