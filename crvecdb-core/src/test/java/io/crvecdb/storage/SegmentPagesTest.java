package io.crvecdb.storage;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

/** The arrays behind heap float and byte pages, which the kernels read in place of the segments. */
class SegmentPagesTest {

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    @Test
    void aHeapFloatPageExposesItsArrayAtEachRecord() {
        SegmentPages pages = new SegmentPages(704, SegmentPages.heapFloatPages());
        for (int ordinal : new int[] {0, 1, 4095, 4096, 3 * SegmentPages.RECORDS_PER_PAGE + 17}) {
            pages.ensureCapacity(ordinal);
            pages.page(ordinal).set(FLOAT, pages.offset(ordinal), ordinal + 0.5f);
            pages.page(ordinal).set(FLOAT, pages.offset(ordinal) + 700, -ordinal);
            float[] array = pages.floatArray(ordinal);
            assertThat(array).as("array of %d", ordinal).isNotNull();
            assertThat(array[pages.floatIndex(ordinal)]).as("first float of %d", ordinal).isEqualTo(ordinal + 0.5f);
            assertThat(array[pages.floatIndex(ordinal) + 175]).as("last float of %d", ordinal).isEqualTo(-ordinal);
        }
    }

    @Test
    void aHeapBytePageExposesItsArrayAtEachRecord() {
        SegmentPages pages = new SegmentPages(130, SegmentPages.heapBytePages());
        for (int ordinal : new int[] {0, 1, 4095, 4096, 2 * SegmentPages.RECORDS_PER_PAGE + 5}) {
            pages.ensureCapacity(ordinal);
            pages.page(ordinal).set(ValueLayout.JAVA_BYTE, pages.offset(ordinal), (byte) ordinal);
            pages.page(ordinal).set(ValueLayout.JAVA_BYTE, pages.offset(ordinal) + 129, (byte) -ordinal);
            byte[] array = pages.byteArray(ordinal);
            assertThat(array).as("array of %d", ordinal).isNotNull();
            assertThat(array[pages.byteIndex(ordinal)]).as("first byte of %d", ordinal).isEqualTo((byte) ordinal);
            assertThat(array[pages.byteIndex(ordinal) + 129]).as("last byte of %d", ordinal).isEqualTo((byte) -ordinal);
            assertThat(pages.floatArray(ordinal)).isNull();
        }
    }

    @Test
    void otherPagesHaveNoArray() {
        SegmentPages longs = new SegmentPages(512, SegmentPages.heapPages());
        longs.ensureCapacity(0);
        assertThat(longs.floatArray(0)).isNull();

        assertThat(longs.byteArray(0)).isNull();

        // An adopted page (a mapped file's, in the engine) is read as a segment even if an array backs it.
        SegmentPages adopted = new SegmentPages(512, SegmentPages.heapFloatPages());
        adopted.adopt(0, MemorySegment.ofArray(new float[512 * SegmentPages.RECORDS_PER_PAGE / 4]));
        adopted.ensureCapacity(SegmentPages.RECORDS_PER_PAGE);
        assertThat(adopted.floatArray(0)).isNull();
        assertThat(adopted.floatArray(SegmentPages.RECORDS_PER_PAGE)).isNotNull();
        assertThat(adopted.floatArray(1 << 30)).as("beyond the table").isNull();
    }
}
