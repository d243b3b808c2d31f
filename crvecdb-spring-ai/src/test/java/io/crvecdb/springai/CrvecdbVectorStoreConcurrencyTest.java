package io.crvecdb.springai;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

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
    /**
     * Upserts of the same documents with changing metadata, against filtered searches: a search
     * never returns a document whose metadata contradicts its filter, nor misses one that matches
     * before and after every upsert, whether the core scans the documents the filter passes or
     * searches the graph.
     */
    @Test
    void upsertsNeitherLeakNorHideDocumentsOfAFilteredSearch() throws Exception {
        try (CrvecdbVectorStore store = CrvecdbVectorStore.builder(new HashingEmbeddingModel(32)).addParallelism(1).build()) {
            List<Document> seed = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                seed.add(new Document("other-" + i, "filler word" + i, Map.of("colour", "green")));
            }
            seed.add(new Document("always-red", "red word", Map.of("colour", "red", "version", 0)));
            store.add(seed);
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread writer = Thread.ofPlatform().start(() -> {
                for (int round = 1; !stop.get(); round++) {
                    String colour = round % 2 == 0 ? "red" : "blue";
                    store.add(List.of(new Document("flip", "red word flipped", Map.of("colour", colour)),
                            new Document("always-red", "red word", Map.of("colour", "red", "version", round))));
                }
            });
            // The first two pass a document or two, which the core scans; the third passes 201,
            // which it searches through the graph.
            Map<String, Predicate<Object>> filters = Map.of("colour == 'red'", "red"::equals,
                    "colour != 'green'", colour -> !"green".equals(colour),
                    "colour != 'blue'", colour -> !"blue".equals(colour));
            List<String> violations = new ArrayList<>();
            int searches = 0;
            try {
                long deadline = System.nanoTime() + 2_000_000_000L;
                while (System.nanoTime() < deadline && violations.size() < 10) {
                    for (Map.Entry<String, Predicate<Object>> filter : filters.entrySet()) {
                        searches++;
                        List<Document> hits = store.similaritySearch(SearchRequest.builder().query("red word").topK(3)
                            .filterExpression(filter.getKey()).build());
                        hits.stream().filter(hit -> !filter.getValue().test(hit.getMetadata().get("colour")))
                            .forEach(hit -> violations.add(filter.getKey() + " returned " + hit.getId() + " " + hit.getMetadata()));
                        if (hits.stream().noneMatch(hit -> hit.getId().equals("always-red"))) {
                            violations.add(filter.getKey() + " missed always-red");
                        }
                    }
                }
            }
            finally {
                stop.set(true);
                writer.join();
            }
            assertThat(violations).as("violations in %d searches", searches).isEmpty();
        }
    }
}
