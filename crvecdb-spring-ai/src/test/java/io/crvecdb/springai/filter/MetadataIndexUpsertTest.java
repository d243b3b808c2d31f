package io.crvecdb.springai.filter;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.springframework.ai.vectorstore.filter.FilterExpressionTextParser;

import io.crvecdb.SearchFilter;

import static org.assertj.core.api.Assertions.assertThat;

/** The metadata index alone: a document red before and after each put must always be listed for colour == 'red'. */
class MetadataIndexUpsertTest {

    @Test
    void reputtingAMatchingDocumentNeverHidesIt() throws Exception {
        MetadataIndex index = new MetadataIndex();
        for (int i = 0; i < 200; i++) {
            index.put("other-" + i, Map.of("colour", "green"));
        }
        index.put("always-red", Map.of("colour", "red", "version", 0));
        MetadataFilter red = FilterCompiler.compile(new FilterExpressionTextParser().parse("colour == 'red'"));
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int version = 1; !stop.get(); version++) {
                index.put("always-red", Map.of("colour", "red", "version", version));
            }
        });
        writer.start();
        int lookups = 0;
        int misses = 0;
        long deadline = System.nanoTime() + 1_000_000_000L;
        try {
            while (System.nanoTime() < deadline) {
                lookups++;
                SearchFilter filter = index.searchFilter(red, 800);
                if (!filter.candidates().contains("always-red")) {
                    misses++;
                }
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        assertThat(misses).as("lookups (of %d) that did not list the always-red document", lookups).isZero();
    }
}
