/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Single-producer single-consumer frame ring between the dead CPU and an online CPU.
 * Lock-free by construction: the producer only writes head, the consumer only writes tail,
 * each publishes with a release store and reads the other's index with an acquire load.
 * Memory comes from kmalloc (direct map) while every CPU is online, so the dead CPU never
 * needs a TLB shootdown for it.
 */
#ifndef OFFSCHED_RING_H
#define OFFSCHED_RING_H

#include <linux/cache.h>
#include <linux/compiler.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/barrier.h>

#define OSK_RING_FRAME_MAX 1518

struct osk_ring_slot {
	u32 len;
	u8 data[1532]; /* 1536-byte slots: a full frame plus the length */
};

struct osk_ring {
	u32 head ____cacheline_aligned; /* next slot the producer fills */
	u32 tail ____cacheline_aligned; /* next slot the consumer reads */
	u32 mask;
	struct osk_ring_slot *slots;
};

static inline int osk_ring_init(struct osk_ring *r, u32 order)
{
	r->head = r->tail = 0;
	r->mask = (1u << order) - 1;
	r->slots = kcalloc(1u << order, sizeof(*r->slots), GFP_KERNEL);
	return r->slots ? 0 : -ENOMEM;
}

static inline void osk_ring_free(struct osk_ring *r)
{
	kfree(r->slots);
	r->slots = NULL;
}

/* Producer: a slot to fill, or NULL when full. Publish it with osk_ring_push(). */
static __always_inline struct osk_ring_slot *osk_ring_peek_free(struct osk_ring *r)
{
	u32 head = r->head; /* own index: plain read */

	if (head - smp_load_acquire(&r->tail) > r->mask)
		return NULL;
	return &r->slots[head & r->mask];
}

static __always_inline void osk_ring_push(struct osk_ring *r)
{
	smp_store_release(&r->head, r->head + 1);
}

/* Consumer: the oldest filled slot, or NULL when empty. Release it with osk_ring_pop(). */
static __always_inline struct osk_ring_slot *osk_ring_peek(struct osk_ring *r)
{
	u32 tail = r->tail;

	if (smp_load_acquire(&r->head) == tail)
		return NULL;
	return &r->slots[tail & r->mask];
}

static __always_inline void osk_ring_pop(struct osk_ring *r)
{
	smp_store_release(&r->tail, r->tail + 1);
}

static __always_inline bool osk_ring_empty(struct osk_ring *r)
{
	return READ_ONCE(r->head) == READ_ONCE(r->tail);
}

static __always_inline bool osk_ring_has_space(struct osk_ring *r)
{
	return READ_ONCE(r->head) - READ_ONCE(r->tail) <= r->mask;
}

#endif
