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

    /** Sorts nodes by ascending distance: insertion sort for link lists, packed keys for repair's longer lists. */
    public static void sortByDistance(int[] nodes, float[] distances, int n) {
        if (n > 64) {
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = ((long) floatToSortableInt(distances[i]) << 32) | (nodes[i] & 0xFFFFFFFFL);
            }
            Arrays.sort(keys);
            for (int i = 0; i < n; i++) {
                nodes[i] = (int) keys[i];
                distances[i] = sortableIntToFloat((int) (keys[i] >> 32));
            }
            return;
        }
        for (int i = 1; i < n; i++) {
            int node = nodes[i];
            float distance = distances[i];
            int j = i - 1;
            while (j >= 0 && distances[j] > distance) {
                nodes[j + 1] = nodes[j];
                distances[j + 1] = distances[j];
                j--;
            }
            nodes[j + 1] = node;
            distances[j + 1] = distance;
        }
    }
}
