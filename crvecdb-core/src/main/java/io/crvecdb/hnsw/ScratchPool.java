package io.crvecdb.hnsw;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A small lock-free pool of per-operation scratch objects. Unlike a ThreadLocal it keeps memory
 * bounded when many (virtual) threads come and go: a released object goes back to a free slot,
 * or is dropped when all slots are full.
 */
final class ScratchPool<T> {

    private final AtomicReferenceArray<T> slots;
    private final Supplier<T> factory;

    ScratchPool(int size, Supplier<T> factory) {
        this.slots = new AtomicReferenceArray<>(size);
        this.factory = factory;
    }

    T acquire() {
        int start = start();
        for (int i = 0; i < slots.length(); i++) {
            int slot = (start + i) % slots.length();
            if (slots.getPlain(slot) != null) {
                T taken = slots.getAndSet(slot, null);
                if (taken != null) {
                    return taken;
                }
            }
        }
        return factory.get();
    }

    void release(T scratch) {
        int start = start();
        for (int i = 0; i < slots.length(); i++) {
            int slot = (start + i) % slots.length();
            if (slots.getPlain(slot) == null && slots.compareAndSet(slot, null, scratch)) {
                return;
            }
        }
    }

    /** Spreads threads over the slots so they rarely contend for the same one. */
    private int start() {
        return Math.floorMod(Long.hashCode(Thread.currentThread().threadId() * 0x9E3779B97F4A7C15L), slots.length());
    }
}
