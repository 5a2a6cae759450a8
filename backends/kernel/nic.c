// SPDX-License-Identifier: GPL-2.0
/*
 * The NICs a service may own: one PCI driver, "offsched", with no ID table, so it binds only a
 * device the admin hands it through driver_override and never steals a NIC Linux uses. Each
 * bound device is driven by the family that recognises it (e1000.c: 82540EM/82545EM/82574L;
 * virtio_net.c: virtio-net). This file keeps what every family shares: the claim of a queue pair
 * (a port) by a CPU, the counters, the host netdev, and the dead-CPU entry points the service
 * loop calls. A device with several queue pairs serves as many CPUs; it runs while any does.
 */
#include <linux/etherdevice.h>
#include <linux/module.h>

#include "nic_driver.h"
#include "offsched.h"

static struct osk_nic_dev *nics[OFFSCHED_MAX_NICS];

static const struct osk_nic_family *const families[] = {
	&osk_e1000_family,
	&osk_virtio_net_family,
};

/* ---- dead CPU ---- */

notrace unsigned int osk_nic_rx(struct osk_nic *n, struct osk_frame *out, unsigned int max)
{
	unsigned int got = n->dev->ops->rx(n, out, max);

	if (got)
		osk_count(&n->counters.rx_frames, got);
	return got;
}

notrace int osk_nic_tx(struct osk_nic *n, const void *data, unsigned int len)
{
	if (!n->dev->ops->tx(n, data, len)) {
		osk_count(&n->counters.tx_ring_full, 1);
		return 0;
	}
	osk_count(&n->counters.tx_frames, 1);
	return 1;
}

notrace void osk_nic_tx_flush(struct osk_nic *n)
{
	n->dev->ops->tx_flush(n);
}

notrace void osk_nic_mac(const struct osk_nic *n, unsigned char out[6])
{
	memcpy(out, n->dev->mac, 6);
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

/* The device steers flows to ports 0..n-1, n the highest running port + 1: claims take the
 * lowest free port, so that is every running one unless an earlier port was detached first. */
static void update_active(struct osk_nic_dev *d)
{
	unsigned int i, n = 1;
	int err;

	if (!d->ops->set_active)
		return;
	for (i = 0; i < d->nports; i++)
		if (d->ports[i].running)
			n = i + 1;
	err = d->ops->set_active(d, n);
	if (err)
		dev_warn(&d->pdev->dev, "could not steer flows to %u queue pairs (%d)\n", n, err);
}

/* start, stop and release take NULL: the slot of a service that owns no NIC. */
int osk_nic_start(struct osk_nic *n)
{
	struct osk_nic_dev *d;
	int err;

	if (!n)
		return 0;
	d = n->dev;
	if (!d->running) {
		err = d->ops->start(d);
		if (err)
			return err;
		d->running = true;
	} else if (d->ops->port_start) {
		d->ops->port_start(n);
	}
	n->running = true;
	osk_host_start(n->host);
	update_active(d);
	return 0;
}

void osk_nic_stop(struct osk_nic *n)
{
	struct osk_nic_dev *d;
	unsigned int i;

	if (!n || !n->running)
		return;
	d = n->dev;
	osk_host_stop(n->host);
	n->running = false;
	for (i = 0; i < d->nports; i++)
		if (d->ports[i].running)
			break;
	if (i < d->nports) {
		update_active(d);
		return;
	}
	d->ops->stop(d);
	d->running = false;
}

void osk_nic_quiesce_all(void)
{
	int i;

	for (i = 0; i < OFFSCHED_MAX_NICS; i++)
		if (nics[i])
			nics[i]->ops->quiesce(nics[i]);
}

/* The lowest free port of the device named (any device when want is ""). */
struct osk_nic *osk_nic_claim(const char *want)
{
	unsigned int i, p;

	for (i = 0; i < OFFSCHED_MAX_NICS; i++) {
		struct osk_nic_dev *d = nics[i];

		if (!d || (want[0] && strcmp(want, pci_name(d->pdev))))
			continue;
		for (p = 0; p < d->nports; p++) {
			if (!d->ports[p].claimed) {
				d->ports[p].claimed = true;
				return &d->ports[p];
			}
		}
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
	return pci_name(n->dev->pdev);
}

unsigned int osk_nic_queue(const struct osk_nic *n)
{
	return n->index;
}

const char *osk_nic_netdev_name(const struct osk_nic *n)
{
	return osk_host_name(n->dev->host);
}

const struct osk_nic_counters *osk_nic_counters(const struct osk_nic *n)
{
	return &n->counters;
}

ssize_t osk_nic_list(char *buf, size_t size)
{
	ssize_t len = 0;
	unsigned int i, p, claimed;

	for (i = 0; i < OFFSCHED_MAX_NICS; i++) {
		struct osk_nic_dev *d = nics[i];

		if (!d)
			continue;
		for (p = claimed = 0; p < d->nports; p++)
			claimed += d->ports[p].claimed;
		len += scnprintf(buf + len, size - len, "%s %s %pM %s %s queues %u/%u\n",
				 pci_name(d->pdev), osk_host_name(d->host), d->mac,
				 claimed == d->nports ? "claimed" : "free", d->ops->model,
				 claimed, d->nports);
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
	struct osk_host_queue_cfg cfg[OSK_NIC_MAX_PORTS];
	struct osk_nic_dev *d;
	unsigned int p;
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
	d = devm_kzalloc(&pdev->dev, sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->pdev = pdev;
	d->nports = 1;
	err = pcim_enable_device(pdev);
	if (err)
		return err;
	err = family->probe(d);
	if (err)
		return err;
	if (WARN_ON(!d->nports || d->nports > OSK_NIC_MAX_PORTS))
		d->nports = 1;
	if (!is_valid_ether_addr(d->mac))
		eth_random_addr(d->mac);
	for (p = 0; p < d->nports; p++) {
		d->ports[p].dev = d;
		d->ports[p].index = p;
		cfg[p] = (struct osk_host_queue_cfg){
			.wire = { .tx = host_wire_tx, .flush = host_wire_flush, .ctx = &d->ports[p] },
			.counters = &d->ports[p].counters,
		};
	}
	d->host = osk_host_create(d->mac, cfg, d->nports);
	if (IS_ERR(d->host)) {
		d->ops->remove(d);
		return PTR_ERR(d->host);
	}
	for (p = 0; p < d->nports; p++)
		d->ports[p].host = osk_host_queue(d->host, p);
	pci_set_master(pdev);
	pci_set_drvdata(pdev, d);
	nics[slot] = d;
	dev_info(&pdev->dev, "offsched owns this %s NIC (%pM, %u queue pair%s), host path %s\n",
		 d->ops->model, d->mac, d->nports, d->nports > 1 ? "s" : "", osk_host_name(d->host));
	return 0;
}

static void osk_nic_remove(struct pci_dev *pdev)
{
	struct osk_nic_dev *d = pci_get_drvdata(pdev);
	unsigned int p;
	int i;

	/* Unbind or hot removal while attached: the dead CPUs would write to a BAR about to be
	 * unmapped. (At module exit every CPU is already detached.) */
	for (p = 0; p < d->nports; p++)
		osk_detach_nic(&d->ports[p]);
	if (d->running)
		d->ops->stop(d);
	d->ops->remove(d);
	osk_host_destroy(d->host);
	for (i = 0; i < OFFSCHED_MAX_NICS; i++)
		if (nics[i] == d)
			nics[i] = NULL;
}

/* Reboot/kexec: stop DMA so the next kernel does not find a NIC writing into its memory. */
static void osk_nic_shutdown(struct pci_dev *pdev)
{
	struct osk_nic_dev *d = pci_get_drvdata(pdev);

	d->ops->stop(d);
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
