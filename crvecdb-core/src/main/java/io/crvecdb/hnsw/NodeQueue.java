package io.crvecdb.hnsw;

import java.util.Arrays;

/**
 * A binary heap of (distance, node) pairs packed into longs, so pushing and popping move primitive
 * values only. The high 32 bits hold the distance as a sortable int, the low 32 bits the node:
 * comparing the longs compares distances, ties broken by node.
 *
 * <p>{@link Order#NEAREST_FIRST} pops the closest node first (the candidate frontier of a search);
 * {@link Order#FARTHEST_FIRST} keeps the farthest on top (the bounded result set, whose top is the
 * one to evict).
 */
public final class NodeQueue {

    public enum Order { NEAREST_FIRST, FARTHEST_FIRST }

    private final boolean farthestFirst;
    private long[] heap;
    private int size;

    public NodeQueue(Order order, int initialCapacity) {
        this.farthestFirst = order == Order.FARTHEST_FIRST;
        this.heap = new long[Math.max(1, initialCapacity) + 1];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void clear() {
        size = 0;
    }

    public void push(int node, float distance) {
        long key = encode(node, distance);
        if (++size == heap.length) {
            heap = Arrays.copyOf(heap, heap.length * 2);
        }
        int i = size;
        while (i > 1 && heap[i >>> 1] > key) {
            heap[i] = heap[i >>> 1];
            i >>>= 1;
        }
        heap[i] = key;
    }

    /** Pushes, then pops the top if the queue holds more than {@code capacity}. */
    public void pushBounded(int node, float distance, int capacity) {
        push(node, distance);
        if (size > capacity) {
            pop();
        }
    }

    public int topNode() {
        return (int) decode(heap[1]);
    }

    public float topDistance() {
        return sortableIntToFloat((int) (decode(heap[1]) >> 32));
    }

    /** Removes the top and returns its node. */
    public int pop() {
        long top = heap[1];
        long last = heap[size--];
        int i = 1;
        int half = size >>> 1;
        while (i <= half) {
            int child = i << 1;
            if (child < size && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= last) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = last;
        return (int) decode(top);
    }

    private long encode(int node, float distance) {
        long key = ((long) floatToSortableInt(distance) << 32) | (node & 0xFFFFFFFFL);
        return farthestFirst ? ~key : key;
    }

    private long decode(long stored) {
        return farthestFirst ? ~stored : stored;
    }

    /** Maps a float to an int with the same ordering (as Lucene's NumericUtils does). */
    static int floatToSortableInt(float value) {
        int bits = Float.floatToIntBits(value);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    static float sortableIntToFloat(int sortable) {
        return Float.intBitsToFloat(sortable ^ ((sortable >> 31) & 0x7fffffff));
    }
}
