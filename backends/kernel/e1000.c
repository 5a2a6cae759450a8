// SPDX-License-Identifier: GPL-2.0
/*
 * The NIC a service owns: an Intel 82540EM/82545EM (e1000) bound to the "offsched" PCI driver
 * through driver_override (the driver has no ID table, so it never steals a NIC Linux uses).
 * Interrupts stay masked; the dead CPU polls the RX descriptors' DD bit and writes TX
 * descriptors. Setup and teardown run on online CPUs; only the notrace functions below marked
 * "dead CPU" run on the service CPU, touching nothing but MMIO and DMA-coherent memory.
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "cxx/bridge.h"
#include "nic.h"
#include "offsched.h"

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

struct osk_nic {
	struct pci_dev *pdev;
	u8 __iomem *regs;
	u8 mac[6];
	struct e1000_rx_desc *rx_ring;
	struct e1000_tx_desc *tx_ring;
	u8 *rx_bufs, *tx_bufs;
	dma_addr_t rx_ring_dma, tx_ring_dma, rx_bufs_dma, tx_bufs_dma;
	/* dead CPU state */
	u32 rx_next;     /* next descriptor to look at */
	u32 rx_lent;     /* descriptors handed to the service, returned at the next rx */
	u32 tx_next;     /* next descriptor to fill */
	u32 tx_clean;    /* oldest descriptor not yet known done */
	struct osk_nic_counters counters;
	struct osk_host *host;
	bool claimed;    /* under offsched_lock */
};

static struct osk_nic *nics[OFFSCHED_MAX_NICS];

static __always_inline u32 rd(struct osk_nic *n, u32 reg)
{
	return readl(n->regs + reg);
}

static __always_inline void wr(struct osk_nic *n, u32 reg, u32 v)
{
	writel(v, n->regs + reg);
}

static __always_inline void count(u64 *c, u64 v)
{
	WRITE_ONCE(*c, *c + v);
}

/* ---- dead CPU ---- */

notrace unsigned int osk_nic_rx(struct osk_nic *n, struct osk_frame *out, unsigned int max)
{
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
	if (got)
		count(&n->counters.rx_frames, got);
	return got;
}

notrace int osk_nic_tx(struct osk_nic *n, const void *data, unsigned int len)
{
	struct e1000_tx_desc *d;
	u32 next = (n->tx_next + 1) & (RING_SIZE - 1);

	/* Reclaim finished descriptors lazily, only when the ring looks full. */
	while (next == n->tx_clean && (READ_ONCE(n->tx_ring[n->tx_clean].status) & TXD_DD))
		n->tx_clean = (n->tx_clean + 1) & (RING_SIZE - 1);
	if (next == n->tx_clean) {
		count(&n->counters.tx_ring_full, 1);
		return 0;
	}
	if (len > BUF_SIZE)
		len = BUF_SIZE;
	d = &n->tx_ring[n->tx_next];
	memcpy(n->tx_bufs + (size_t)n->tx_next * BUF_SIZE, data, len);
	d->length = cpu_to_le16(len);
	d->status = 0;
	d->cmd = TXD_CMD_EOP | TXD_CMD_IFCS | TXD_CMD_RS;
	n->tx_next = next;
	count(&n->counters.tx_frames, 1);
	return 1;
}

notrace void osk_nic_tx_flush(struct osk_nic *n)
{
	wmb(); /* descriptors visible before the tail moves */
	wr(n, E1000_TDT, n->tx_next);
}

notrace void osk_nic_mac(const struct osk_nic *n, unsigned char out[6])
{
	memcpy(out, n->mac, 6);
}

/* ---- online side ---- */

static u16 eeprom_read(struct osk_nic *n, u8 word)
{
	int i;

	wr(n, E1000_EERD, EERD_START | (word << 8));
	for (i = 0; i < 1000; i++) {
		u32 v = rd(n, E1000_EERD);

		if (v & EERD_DONE)
			return v >> 16;
		udelay(5);
	}
	return 0xffff;
}

static void nic_reset(struct osk_nic *n)
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

int osk_nic_start(struct osk_nic *n)
{
	int i;

	nic_reset(n);
	wr(n, E1000_CTRL, rd(n, E1000_CTRL) | CTRL_SLU | CTRL_ASDE);
	wr(n, E1000_RAL0, n->mac[0] | n->mac[1] << 8 | n->mac[2] << 16 | (u32)n->mac[3] << 24);
	wr(n, E1000_RAH0, n->mac[4] | n->mac[5] << 8 | RAH_AV);
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
	wr(n, E1000_RCTL, RCTL_EN | RCTL_BAM | RCTL_SECRC);
	osk_host_start(n->host);
	return 0;
}

void osk_nic_stop(struct osk_nic *n)
{
	osk_host_stop(n->host);
	wr(n, E1000_RCTL, 0);
	wr(n, E1000_TCTL, 0);
	wr(n, E1000_IMC, ~0u);
}

struct osk_nic *osk_nic_claim(const char *want)
{
	int i;

	for (i = 0; i < OFFSCHED_MAX_NICS; i++) {
		struct osk_nic *n = nics[i];

		if (!n || n->claimed)
			continue;
		if (want[0] && strcmp(want, pci_name(n->pdev)))
			continue;
		n->claimed = true;
		return n;
	}
	return NULL;
}

void osk_nic_release(struct osk_nic *n)
{
	n->claimed = false;
}

struct osk_host *osk_nic_host(struct osk_nic *n)
{
	return n->host;
}

const char *osk_nic_name(const struct osk_nic *n)
{
	return pci_name(n->pdev);
}

const char *osk_nic_netdev_name(const struct osk_nic *n)
{
	return osk_host_name(n->host);
}

const struct osk_nic_counters *osk_nic_counters(const struct osk_nic *n)
{
	return &n->counters;
}

ssize_t osk_nic_list(char *buf, size_t size)
{
	ssize_t len = 0;
	int i;

	for (i = 0; i < OFFSCHED_MAX_NICS; i++) {
		struct osk_nic *n = nics[i];

		if (n)
			len += scnprintf(buf + len, size - len, "%s %s %pM %s\n", pci_name(n->pdev),
					 osk_host_name(n->host), n->mac,
					 n->claimed ? "claimed" : "free");
	}
	return len;
}

static int osk_nic_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct osk_nic *n;
	int slot, err, i;
	u16 w;

	/* Bound only through driver_override; refuse anything that is not a plain e1000. */
	if (pdev->vendor != PCI_VENDOR_ID_INTEL || (pdev->device != 0x100e && pdev->device != 0x100f)) {
		dev_err(&pdev->dev, "offsched drives only 82540EM/82545EM (8086:100e/100f)\n");
		return -ENODEV;
	}
	for (slot = 0; slot < OFFSCHED_MAX_NICS && nics[slot]; slot++)
		;
	if (slot == OFFSCHED_MAX_NICS)
		return -ENOSPC;
	n = devm_kzalloc(&pdev->dev, sizeof(*n), GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	n->pdev = pdev;
	err = pcim_enable_device(pdev);
	if (err)
		return err;
	err = pcim_iomap_regions(pdev, BIT(0), "offsched");
	if (err)
		return err;
	n->regs = pcim_iomap_table(pdev)[0];
	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (err)
		return err;
	pci_set_master(pdev);
	n->rx_ring = dmam_alloc_coherent(&pdev->dev, RING_SIZE * sizeof(*n->rx_ring), &n->rx_ring_dma, GFP_KERNEL);
	n->tx_ring = dmam_alloc_coherent(&pdev->dev, RING_SIZE * sizeof(*n->tx_ring), &n->tx_ring_dma, GFP_KERNEL);
	n->rx_bufs = dmam_alloc_coherent(&pdev->dev, RING_SIZE * BUF_SIZE, &n->rx_bufs_dma, GFP_KERNEL);
	n->tx_bufs = dmam_alloc_coherent(&pdev->dev, RING_SIZE * BUF_SIZE, &n->tx_bufs_dma, GFP_KERNEL);
	if (!n->rx_ring || !n->tx_ring || !n->rx_bufs || !n->tx_bufs)
		return -ENOMEM;

	nic_reset(n);
	for (i = 0; i < 3; i++) {
		w = eeprom_read(n, i);
		n->mac[2 * i] = w & 0xff;
		n->mac[2 * i + 1] = w >> 8;
	}
	if (!is_valid_ether_addr(n->mac)) {
		u32 lo = rd(n, E1000_RAL0), hi = rd(n, E1000_RAH0);

		n->mac[0] = lo; n->mac[1] = lo >> 8; n->mac[2] = lo >> 16; n->mac[3] = lo >> 24;
		n->mac[4] = hi; n->mac[5] = hi >> 8;
	}
	if (!is_valid_ether_addr(n->mac))
		eth_random_addr(n->mac);

	n->host = osk_host_create(n, n->mac, &n->counters);
	if (IS_ERR(n->host))
		return PTR_ERR(n->host);
	pci_set_drvdata(pdev, n);
	nics[slot] = n;
	dev_info(&pdev->dev, "offsched owns this NIC (%pM), host path %s\n", n->mac,
		 osk_host_name(n->host));
	return 0;
}

static void osk_nic_remove(struct pci_dev *pdev)
{
	struct osk_nic *n = pci_get_drvdata(pdev);
	int i;

	/* Module exit detached every CPU before unregistering the driver. */
	nic_reset(n);
	osk_host_destroy(n->host);
	for (i = 0; i < OFFSCHED_MAX_NICS; i++)
		if (nics[i] == n)
			nics[i] = NULL;
}

/* Reboot/kexec: stop DMA so the next kernel does not find a NIC writing into its memory. */
static void osk_nic_shutdown(struct pci_dev *pdev)
{
	struct osk_nic *n = pci_get_drvdata(pdev);

	wr(n, E1000_RCTL, 0);
	wr(n, E1000_TCTL, 0);
	pci_clear_master(pdev);
}

static struct pci_driver osk_pci_driver = {
	.name = "offsched",
	.id_table = NULL, /* bind only via /sys/bus/pci/devices/X/driver_override */
	.probe = osk_nic_probe,
	.remove = osk_nic_remove,
	.shutdown = osk_nic_shutdown,
};

int osk_nic_driver_init(void)
{
	return pci_register_driver(&osk_pci_driver);
}

void osk_nic_driver_exit(void)
{
	pci_unregister_driver(&osk_pci_driver);
}
