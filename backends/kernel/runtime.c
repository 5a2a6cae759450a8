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
#include <asm/processor-flags.h>

#include "cxx/service_ports.h"

void __cxa_pure_virtual(void)
{
	BUG();
}

/*
 * Toggling CR4.PGE invalidates every TLB entry, global ones and the paging-structure caches of
 * every PCID included (Intel SDM vol. 3, 4.10.4.1); the value written back is the one read, so
 * Linux's shadow of CR4 stays right. Raw instructions: this runs on the dead CPU, where no kernel
 * helper (paravirt hooks, tracing) may.
 */
notrace void osk_local_tlb_flush(void)
{
	unsigned long cr4;

	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	asm volatile("mov %0, %%cr4" : : "r"(cr4 ^ X86_CR4_PGE) : "memory");
	asm volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
}
