// SPDX-License-Identifier: GPL-2.0
/* /dev/offsched: the attach/detach/reload commands (root only), serialised by offsched_lock. */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/uaccess.h>

#include "offsched.h"
#include "uapi/offsched.h"

static long osk_ioctl_attach(void __user *uarg)
{
	struct offsched_attach a;
	long ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	a.service[sizeof(a.service) - 1] = 0;
	a.nic[sizeof(a.nic) - 1] = 0;
	a.error[0] = 0;
	mutex_lock(&offsched_lock);
	ret = osk_attach(a.cpu, a.service, a.nic, u64_to_user_ptr(a.config_ptr), a.config_len,
			 a.error, sizeof(a.error));
	mutex_unlock(&offsched_lock);
	if (ret && copy_to_user(uarg, &a, sizeof(a)))
		return -EFAULT;
	return ret;
}

static long osk_ioctl_detach(void __user *uarg)
{
	struct offsched_detach d;
	long ret;

	if (copy_from_user(&d, uarg, sizeof(d)))
		return -EFAULT;
	d.error[0] = 0;
	mutex_lock(&offsched_lock);
	ret = osk_detach(d.cpu, d.error, sizeof(d.error));
	mutex_unlock(&offsched_lock);
	if (ret && copy_to_user(uarg, &d, sizeof(d)))
		return -EFAULT;
	return ret;
}

static long osk_ioctl_reload(void __user *uarg)
{
	struct offsched_reload r;
	long ret;

	if (copy_from_user(&r, uarg, sizeof(r)))
		return -EFAULT;
	r.service[sizeof(r.service) - 1] = 0;
	r.error[0] = 0;
	mutex_lock(&offsched_lock);
	ret = osk_reload(r.cpu, r.service, u64_to_user_ptr(r.config_ptr), r.config_len, r.error,
			 sizeof(r.error));
	mutex_unlock(&offsched_lock);
	if (ret && copy_to_user(uarg, &r, sizeof(r)))
		return -EFAULT;
	return ret;
}

static long osk_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	switch (cmd) {
	case OFFSCHED_IOC_ATTACH:
		return osk_ioctl_attach((void __user *)arg);
	case OFFSCHED_IOC_DETACH:
		return osk_ioctl_detach((void __user *)arg);
	case OFFSCHED_IOC_RELOAD:
		return osk_ioctl_reload((void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations osk_ctl_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = osk_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice osk_ctl_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "offsched",
	.fops = &osk_ctl_fops,
	.mode = 0600,
};

int osk_ctl_init(void)
{
	return misc_register(&osk_ctl_dev);
}

void osk_ctl_exit(void)
{
	misc_deregister(&osk_ctl_dev);
}
