/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * offsched user-space interface: commands go through ioctls on /dev/offsched (they take a CPU
 * away from Linux and must report errors atomically); status and counters are read from
 * /sys/kernel/offsched/ (see docs/KERNEL.md). Shared by the module and tools/offschedctl.
 */
#ifndef OFFSCHED_UAPI_H
#define OFFSCHED_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define OFFSCHED_DEVICE "/dev/offsched"
#define OFFSCHED_SYSFS "/sys/kernel/offsched"
#define OFFSCHED_NAME_LEN 32
#define OFFSCHED_ERROR_LEN 192

/* Take `cpu` offline and run `service` there on NIC `nic` ("" = first free one). */
struct offsched_attach {
	__u32 cpu;
	__u32 config_len;                  /* must equal the service's config size */
	__u64 config_ptr;                  /* user pointer to the service's POD Config */
	char service[OFFSCHED_NAME_LEN];
	char nic[OFFSCHED_NAME_LEN];       /* PCI name, e.g. 0000:00:05.0 */
	char error[OFFSCHED_ERROR_LEN];    /* out: why the attach failed, NUL-terminated */
};

/* Stop the service on `cpu` and give the CPU back to Linux (online again). */
struct offsched_detach {
	__u32 cpu;
	__u32 reserved;
	char error[OFFSCHED_ERROR_LEN];
};

/* Give the service running on `cpu` a new config without stopping it (hitless reload): the
 * config is validated whole, then the service's reload check against the running one decides;
 * on refusal the running config stays. `service` must name the service running there. */
struct offsched_reload {
	__u32 cpu;
	__u32 config_len;
	__u64 config_ptr;
	char service[OFFSCHED_NAME_LEN];
	char error[OFFSCHED_ERROR_LEN];
};

#define OFFSCHED_IOC_MAGIC 0xB7
#define OFFSCHED_IOC_ATTACH _IOWR(OFFSCHED_IOC_MAGIC, 1, struct offsched_attach)
#define OFFSCHED_IOC_DETACH _IOWR(OFFSCHED_IOC_MAGIC, 2, struct offsched_detach)
#define OFFSCHED_IOC_RELOAD _IOWR(OFFSCHED_IOC_MAGIC, 3, struct offsched_reload)

#endif
