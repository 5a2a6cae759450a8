// SPDX-License-Identifier: GPL-2.0
/*
 * The runtime symbols the freestanding C++ objects need, defined once. Trap worth knowing: an
 * undefined __cxa_pure_virtual is a weak reference that resolves to address 0, so without this
 * a pure virtual call would jump to 0 instead of stopping here.
 * Everything else a C++ runtime would bring is absent on purpose: operator new/delete (services
 * use placement new into backend storage), __cxa_guard_* (-fno-threadsafe-statics),
 * __cxa_atexit (-fno-use-cxa-atexit), exceptions and RTTI (off). Referencing one fails modpost.
 */
#include <linux/bug.h>

#include "cxx/service_ports.h"

void __cxa_pure_virtual(void)
{
	BUG();
}
