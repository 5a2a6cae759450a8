// SPDX-License-Identifier: GPL-2.0
/*
 * The e1000 family: Intel 82540EM/82545EM (8086:100e/100f, "e1000") and 82574L (8086:10d3,
 * "e1000e"). Both take the same legacy descriptors and ring registers for queue 0; they differ
 * in how the EEPROM read register is laid out. Interrupts stay masked; the dead CPU polls the
 * RX descriptors' DD bit and writes TX descriptors. Setup and teardown run on online CPUs; only
 * the notrace functions marked "dead CPU" run on the service CPU, touching nothing but MMIO and
 * DMA-coherent memory.
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/io.h>
#include <linux/pci.h>

#include "nic_driver.h"

#define E1000_CTRL 0x0000
#define E1000_STATUS 0x0008
#define E1000_EERD 0x0014
#define E1000_IMC 0x00d8
#define E1000_RCTL 0x0100
#define E1000_TCTL 0x0400
#define E1000_TIPG 0x0410
#define E1000_RDBAL 0x2800
#define E1000_RDBAH 0x2804
#define E1000_RDLEN 0x2808
#define E1000_RDH 0x2810
#define E1000_RDT 0x2818
#define E1000_TDBAL 0x3800
#define E1000_TDBAH 0x3804
#define E1000_TDLEN 0x3808
#define E1000_TDH 0x3810
#define E1000_TDT 0x3818
#define E1000_MTA 0x5200
#define E1000_RAL0 0x5400
#define E1000_RAH0 0x5404

#define CTRL_ASDE BIT(5)
#define CTRL_SLU BIT(6)
#define CTRL_RST BIT(26)
#define EERD_START BIT(0)
#define EERD_DONE BIT(4)
#define RCTL_EN BIT(1)
#define RCTL_MPE BIT(4)
#define RCTL_BAM BIT(15)
#define RCTL_SECRC BIT(26) /* BSIZE 00 = 2048-byte buffers */
#define TCTL_EN BIT(1)
#define TCTL_PSP BIT(3)
#define TCTL_CT (0x0f << 4)
#define TCTL_COLD (0x40 << 12)
#define TIPG_DEFAULT (10 | (8 << 10) | (6 << 20))
#define RAH_AV BIT(31)

#define RXD_DD BIT(0)
#define TXD_CMD_EOP BIT(0)
#define TXD_CMD_IFCS BIT(1)
#define TXD_CMD_RS BIT(3)
#define TXD_DD BIT(0)

#define RING_SIZE 256 /* descriptors per ring (power of two, RDLEN multiple of 128) */
#define BUF_SIZE 2048

struct e1000_rx_desc {
	__le64 addr;
	__le16 length;
	__le16 csum;
	u8 status;
	u8 errors;
	__le16 special;
};

struct e1000_tx_desc {
	__le64 addr;
	__le16 length;
	u8 cso;
	u8 cmd;
	u8 status;
	u8 css;
	__le16 special;
};

/* The EEPROM read register: same address, different field positions per part. */
struct e1000_variant {
	u32 eerd_done;
	u32 eerd_addr_shift;
};

static const struct e1000_variant e1000_8254x = { BIT(4), 8 };
static const struct e1000_variant e1000_82574 = { BIT(1), 2 };

struct e1000 {
	u8 __iomem *regs;
	const struct e1000_variant *variant;
	struct e1000_rx_desc *rx_ring;
	struct e1000_tx_desc *tx_ring;
	u8 *rx_bufs, *tx_bufs;
	dma_addr_t rx_ring_dma, tx_ring_dma, rx_bufs_dma, tx_bufs_dma;
	/* dead CPU state */
	u32 rx_next;     /* next descriptor to look at */
	u32 rx_lent;     /* descriptors handed to the service, returned at the next rx */
	u32 tx_next;     /* next descriptor to fill */
	u32 tx_clean;    /* oldest descriptor not yet known done */
};

static __always_inline u32 rd(struct e1000 *n, u32 reg)
{
	return readl(n->regs + reg);
}

static __always_inline void wr(struct e1000 *n, u32 reg, u32 v)
{
	writel(v, n->regs + reg);
}

static __always_inline struct e1000 *e1000_of(struct osk_nic *port)
{
	return port->dev->priv; /* one queue pair: the port is the device */
}

notrace static unsigned int e1000_rx(struct osk_nic *nic, struct osk_frame *out, unsigned int max)
{
	struct e1000 *n = e1000_of(nic);
	unsigned int got = 0;

	/* Give the buffers of the previous burst back to the NIC (their frames are now stale). */
	if (n->rx_lent) {
		u32 last = (n->rx_next - 1) & (RING_SIZE - 1);

		n->rx_lent = 0;
		wmb(); /* descriptors reset before the NIC may reuse them */
		wr(n, E1000_RDT, last);
	}
	while (got < max) {
		struct e1000_rx_desc *d = &n->rx_ring[n->rx_next];

		if (!(READ_ONCE(d->status) & RXD_DD))
			break;
		dma_rmb(); /* read length/data only after seeing DD */
		out[got].data = n->rx_bufs + (size_t)n->rx_next * BUF_SIZE;
		out[got].len = le16_to_cpu(d->length);
		d->status = 0;
		n->rx_next = (n->rx_next + 1) & (RING_SIZE - 1);
		got++;
	}
	n->rx_lent = got;
	return got;
}

notrace static int e1000_tx(struct osk_nic *nic, const void *data, unsigned int len)
{
	struct e1000 *n = e1000_of(nic);
	struct e1000_tx_desc *d;
	u32 next = (n->tx_next + 1) & (RING_SIZE - 1);

	/* Reclaim finished descriptors lazily, only when the ring looks full. */
	while (next == n->tx_clean && (READ_ONCE(n->tx_ring[n->tx_clean].status) & TXD_DD))
		n->tx_clean = (n->tx_clean + 1) & (RING_SIZE - 1);
	if (next == n->tx_clean)
		return 0;
	if (len > BUF_SIZE)
		len = BUF_SIZE;
	d = &n->tx_ring[n->tx_next];
	memcpy(n->tx_bufs + (size_t)n->tx_next * BUF_SIZE, data, len);
	d->length = cpu_to_le16(len);
	d->status = 0;
	d->cmd = TXD_CMD_EOP | TXD_CMD_IFCS | TXD_CMD_RS;
	n->tx_next = next;
	return 1;
}

notrace static void e1000_tx_flush(struct osk_nic *nic)
{
	struct e1000 *n = e1000_of(nic);

	wmb(); /* descriptors visible before the tail moves */
	wr(n, E1000_TDT, n->tx_next);
}

/* ---- online side ---- */

static u16 eeprom_read(struct e1000 *n, u8 word)
{
	int i;

	wr(n, E1000_EERD, EERD_START | (word << n->variant->eerd_addr_shift));
	for (i = 0; i < 1000; i++) {
		u32 v = rd(n, E1000_EERD);

		if (v & n->variant->eerd_done)
			return v >> 16;
		udelay(5);
	}
	return 0xffff;
}

static void nic_reset(struct e1000 *n)
{
	wr(n, E1000_IMC, ~0u);
	wr(n, E1000_RCTL, 0);
	wr(n, E1000_TCTL, 0);
	rd(n, E1000_STATUS);
	msleep(10);
	wr(n, E1000_CTRL, rd(n, E1000_CTRL) | CTRL_RST);
	msleep(20);
	wr(n, E1000_IMC, ~0u); /* reset re-enables nothing, but be explicit: polled only */
}

static int e1000_start(struct osk_nic_dev *dev)
{
	struct e1000 *n = dev->priv;
	const u8 *mac = dev->mac;
	int i;

	nic_reset(n);
	wr(n, E1000_CTRL, rd(n, E1000_CTRL) | CTRL_SLU | CTRL_ASDE);
	wr(n, E1000_RAL0, mac[0] | mac[1] << 8 | mac[2] << 16 | (u32)mac[3] << 24);
	wr(n, E1000_RAH0, mac[4] | mac[5] << 8 | RAH_AV);
	for (i = 0; i < 128; i++)
		wr(n, E1000_MTA + 4 * i, 0);

	memset(n->rx_ring, 0, RING_SIZE * sizeof(*n->rx_ring));
	for (i = 0; i < RING_SIZE; i++)
		n->rx_ring[i].addr = cpu_to_le64(n->rx_bufs_dma + (u64)i * BUF_SIZE);
	memset(n->tx_ring, 0, RING_SIZE * sizeof(*n->tx_ring));
	for (i = 0; i < RING_SIZE; i++)
		n->tx_ring[i].addr = cpu_to_le64(n->tx_bufs_dma + (u64)i * BUF_SIZE);
	n->rx_next = n->rx_lent = n->tx_next = n->tx_clean = 0;

	wr(n, E1000_RDBAL, lower_32_bits(n->rx_ring_dma));
	wr(n, E1000_RDBAH, upper_32_bits(n->rx_ring_dma));
	wr(n, E1000_RDLEN, RING_SIZE * sizeof(*n->rx_ring));
	wr(n, E1000_RDH, 0);
	wr(n, E1000_RDT, RING_SIZE - 1);
	wr(n, E1000_TDBAL, lower_32_bits(n->tx_ring_dma));
	wr(n, E1000_TDBAH, upper_32_bits(n->tx_ring_dma));
	wr(n, E1000_TDLEN, RING_SIZE * sizeof(*n->tx_ring));
	wr(n, E1000_TDH, 0);
	wr(n, E1000_TDT, 0);
	wr(n, E1000_TIPG, TIPG_DEFAULT);
	wmb();
	wr(n, E1000_TCTL, TCTL_EN | TCTL_PSP | TCTL_CT | TCTL_COLD);
	/* Broadcast and every multicast: IPv6 neighbour discovery (solicited-node groups), router
	 * advertisements and MLD must reach the service, which decides on them as on any frame
	 * (Linux's driver would program the MTA from osdN's group list instead). */
	wr(n, E1000_RCTL, RCTL_EN | RCTL_BAM | RCTL_MPE | RCTL_SECRC);
	return 0;
}

/* Register writes only: also the panic-time quiesce. */
static void e1000_stop(struct osk_nic_dev *dev)
{
	struct e1000 *n = dev->priv;

	wr(n, E1000_RCTL, 0);
	wr(n, E1000_TCTL, 0);
	wr(n, E1000_IMC, ~0u);
}

static void e1000_remove(struct osk_nic_dev *dev)
{
	nic_reset(dev->priv); /* the rings and BAR mapping are devres: freed after this */
}

static const struct osk_nic_ops e1000_ops = {
	.model = "e1000",
	.rx = e1000_rx, .tx = e1000_tx, .tx_flush = e1000_tx_flush,
	.start = e1000_start, .stop = e1000_stop, .remove = e1000_remove, .quiesce = e1000_stop,
};

static const struct osk_nic_ops e1000e_ops = {
	.model = "e1000e",
	.rx = e1000_rx, .tx = e1000_tx, .tx_flush = e1000_tx_flush,
	.start = e1000_start, .stop = e1000_stop, .remove = e1000_remove, .quiesce = e1000_stop,
};

static const struct e1000_variant *variant_of(const struct pci_dev *pdev)
{
	if (pdev->vendor != PCI_VENDOR_ID_INTEL)
		return NULL;
	switch (pdev->device) {
	case 0x100e: case 0x100f: return &e1000_8254x;
	case 0x10d3: return &e1000_82574;
	default: return NULL;
	}
}

static bool e1000_matches(const struct pci_dev *pdev)
{
	return variant_of(pdev) != NULL;
}

static int e1000_probe(struct osk_nic_dev *dev)
{
	struct pci_dev *pdev = dev->pdev;
	struct e1000 *n;
	int err, i;
	u16 w;

	n = devm_kzalloc(&pdev->dev, sizeof(*n), GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	n->variant = variant_of(pdev);
	err = pcim_iomap_regions(pdev, BIT(0), "offsched");
	if (err)
		return err;
	n->regs = pcim_iomap_table(pdev)[0];
	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (err)
		return err;
	n->rx_ring = dmam_alloc_coherent(&pdev->dev, RING_SIZE * sizeof(*n->rx_ring), &n->rx_ring_dma, GFP_KERNEL);
	n->tx_ring = dmam_alloc_coherent(&pdev->dev, RING_SIZE * sizeof(*n->tx_ring), &n->tx_ring_dma, GFP_KERNEL);
	n->rx_bufs = dmam_alloc_coherent(&pdev->dev, RING_SIZE * BUF_SIZE, &n->rx_bufs_dma, GFP_KERNEL);
	n->tx_bufs = dmam_alloc_coherent(&pdev->dev, RING_SIZE * BUF_SIZE, &n->tx_bufs_dma, GFP_KERNEL);
	if (!n->rx_ring || !n->tx_ring || !n->rx_bufs || !n->tx_bufs)
		return -ENOMEM;

	nic_reset(n);
	for (i = 0; i < 3; i++) {
		w = eeprom_read(n, i);
		dev->mac[2 * i] = w & 0xff;
		dev->mac[2 * i + 1] = w >> 8;
	}
	if (!is_valid_ether_addr(dev->mac)) {
		/* The part loads its address into RAL0/RAH0 at reset. */
		u32 lo = rd(n, E1000_RAL0), hi = rd(n, E1000_RAH0);

		dev->mac[0] = lo; dev->mac[1] = lo >> 8; dev->mac[2] = lo >> 16; dev->mac[3] = lo >> 24;
		dev->mac[4] = hi; dev->mac[5] = hi >> 8;
	}
	dev->priv = n;
	dev->ops = n->variant == &e1000_82574 ? &e1000e_ops : &e1000_ops;
	return 0;
}

const struct osk_nic_family osk_e1000_family = {
	.matches = e1000_matches,
	.probe = e1000_probe,
	.devices = "e1000 (8086:100e/100f), e1000e (8086:10d3)",
};
