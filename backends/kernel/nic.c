// SPDX-License-Identifier: GPL-2.0
/*
 * The NICs a service may own: one PCI driver, "offsched", with no ID table, so it binds only a
 * device the admin hands it through driver_override and never steals a NIC Linux uses. Each
 * bound device is driven by the family that recognises it (e1000.c: 82540EM/82545EM/82574L;
 * virtio_net.c: virtio-net). This file keeps what every family shares: the claim by a CPU,
 * the counters, the host netdev, and the dead-CPU entry points the service loop calls.
 */
#include <linux/etherdevice.h>
#include <linux/module.h>

#include "nic_driver.h"
#include "offsched.h"

static struct osk_nic *nics[OFFSCHED_MAX_NICS];

static const struct osk_nic_family *const families[] = {
	&osk_e1000_family,
	&osk_virtio_net_family,
};

/* ---- dead CPU ---- */

notrace unsigned int osk_nic_rx(struct osk_nic *n, struct osk_frame *out, unsigned int max)
{
	unsigned int got = n->ops->rx(n, out, max);

	if (got)
		osk_count(&n->counters.rx_frames, got);
	return got;
}

notrace int osk_nic_tx(struct osk_nic *n, const void *data, unsigned int len)
{
	if (!n->ops->tx(n, data, len)) {
		osk_count(&n->counters.tx_ring_full, 1);
		return 0;
	}
	osk_count(&n->counters.tx_frames, 1);
	return 1;
}

notrace void osk_nic_tx_flush(struct osk_nic *n)
{
	n->ops->tx_flush(n);
}

notrace void osk_nic_mac(const struct osk_nic *n, unsigned char out[6])
{
	memcpy(out, n->mac, 6);
}

/* The host netdev's way to the wire (hostdev.h): this NIC's TX ring. */
notrace static int host_wire_tx(void *ctx, const void *data, unsigned int len)
{
	return osk_nic_tx(ctx, data, len);
}

notrace static void host_wire_flush(void *ctx)
{
	osk_nic_tx_flush(ctx);
}

/* ---- online side ---- */

/* start, stop and release take NULL: the slot of a service that owns no NIC. */
int osk_nic_start(struct osk_nic *n)
{
	int err = n ? n->ops->start(n) : 0;

	if (n && !err)
		osk_host_start(n->host);
	return err;
}

void osk_nic_stop(struct osk_nic *n)
{
	if (!n)
		return;
	osk_host_stop(n->host);
	n->ops->stop(n);
}

void osk_nic_quiesce_all(void)
{
	int i;

	for (i = 0; i < OFFSCHED_MAX_NICS; i++)
		if (nics[i])
			nics[i]->ops->quiesce(nics[i]);
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
	if (n)
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
			len += scnprintf(buf + len, size - len, "%s %s %pM %s %s\n", pci_name(n->pdev),
					 osk_host_name(n->host), n->mac,
					 n->claimed ? "claimed" : "free", n->ops->model);
	}
	return len;
}

static const struct osk_nic_family *family_of(const struct pci_dev *pdev)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(families); i++)
		if (families[i]->matches(pdev))
			return families[i];
	return NULL;
}

static int osk_nic_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	const struct osk_nic_family *family = family_of(pdev);
	struct osk_host_wire wire;
	struct osk_nic *n;
	int slot, err;

	if (!family) {
		dev_err(&pdev->dev, "offsched cannot drive %04x:%04x; it drives %s, %s\n",
			pdev->vendor, pdev->device, osk_e1000_family.devices, osk_virtio_net_family.devices);
		return -ENODEV;
	}
	for (slot = 0; slot < OFFSCHED_MAX_NICS && nics[slot]; slot++)
		;
	if (slot == OFFSCHED_MAX_NICS) {
		dev_err(&pdev->dev, "offsched already owns %d NICs\n", OFFSCHED_MAX_NICS);
		return -ENOSPC;
	}
	n = devm_kzalloc(&pdev->dev, sizeof(*n), GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	n->pdev = pdev;
	err = pcim_enable_device(pdev);
	if (err)
		return err;
	err = family->probe(n);
	if (err)
		return err;
	if (!is_valid_ether_addr(n->mac))
		eth_random_addr(n->mac);
	wire = (struct osk_host_wire){ .tx = host_wire_tx, .flush = host_wire_flush, .ctx = n };
	n->host = osk_host_create(n->mac, &n->counters, &wire);
	if (IS_ERR(n->host)) {
		n->ops->remove(n);
		return PTR_ERR(n->host);
	}
	pci_set_master(pdev);
	pci_set_drvdata(pdev, n);
	nics[slot] = n;
	dev_info(&pdev->dev, "offsched owns this %s NIC (%pM), host path %s\n", n->ops->model, n->mac,
		 osk_host_name(n->host));
	return 0;
}

static void osk_nic_remove(struct pci_dev *pdev)
{
	struct osk_nic *n = pci_get_drvdata(pdev);
	int i;

	/* Unbind or hot removal while attached: the dead CPU would write to a BAR about to be
	 * unmapped. (At module exit every CPU is already detached.) */
	osk_detach_nic(n);
	n->ops->stop(n);
	n->ops->remove(n);
	osk_host_destroy(n->host);
	for (i = 0; i < OFFSCHED_MAX_NICS; i++)
		if (nics[i] == n)
			nics[i] = NULL;
}

/* Reboot/kexec: stop DMA so the next kernel does not find a NIC writing into its memory. */
static void osk_nic_shutdown(struct pci_dev *pdev)
{
	struct osk_nic *n = pci_get_drvdata(pdev);

	n->ops->stop(n);
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
