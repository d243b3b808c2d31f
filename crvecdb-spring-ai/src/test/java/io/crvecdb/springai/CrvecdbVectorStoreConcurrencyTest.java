package io.crvecdb.springai;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adds, upserts, deletes (by id and by filter) and filtered searches from several threads at once
 * on a small id space, then checks that the store came to rest consistent: every document's
 * stored metadata is what its filters see.
 */
class CrvecdbVectorStoreConcurrencyTest {

    private static final int IDS = 60;
    private static final int OPERATIONS = 300;

    @Test
    void writesAndSearchesFromManyThreadsLeaveTheMetadataInStepWithTheDocuments() throws Exception {
        try (CrvecdbVectorStore store = CrvecdbVectorStore.builder(new HashingEmbeddingModel(32)).build()) {
            ExecutorService threads = Executors.newFixedThreadPool(4);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int role = t;
                work.add(threads.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int op = 0; op < OPERATIONS; op++) {
                        switch (role) {
                            case 0, 1 -> store.add(List.of(document(random), document(random)));
                            case 2 -> {
                                if (random.nextBoolean()) {
                                    store.delete(List.of("id-" + random.nextInt(IDS)));
                                } else {
                                    store.delete("n == " + random.nextInt(10));
                                }
                            }
                            default -> store.similaritySearch(SearchRequest.builder()
                                .query("word" + random.nextInt(5))
                                .topK(1 + random.nextInt(20))
                                .filterExpression("n >= " + random.nextInt(10) + " && tag IN ['a', 'b']")
                                .build());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
            threads.shutdown();

            List<Document> all = store.similaritySearch(SearchRequest.builder().query("word0").topK(IDS).build());
            assertThat(all).hasSize(store.<io.crvecdb.VectorIndex>getNativeClient().orElseThrow().size());
            for (Document document : all) {
                Map<String, Object> metadata = document.getMetadata();
                String exact = "n == " + metadata.get("n") + " && tag == '" + metadata.get("tag") + "'";
                assertThat(store.similaritySearch(SearchRequest.builder().query("word0").topK(IDS)
                        .filterExpression(exact).build()))
                    .as("%s: %s", document.getId(), exact)
                    .extracting(Document::getId)
                    .contains(document.getId());
            }
        }
    }

    private static Document document(ThreadLocalRandom random) {
        return new Document("id-" + random.nextInt(IDS), "word" + random.nextInt(5) + " word" + random.nextInt(5),
                Map.of("n", random.nextInt(10), "tag", List.of("a", "b", "c").get(random.nextInt(3))));
    }
}
