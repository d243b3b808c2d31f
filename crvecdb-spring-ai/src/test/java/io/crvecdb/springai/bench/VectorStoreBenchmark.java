package io.crvecdb.springai.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.ai.vectorstore.VectorStore;

import io.crvecdb.Metric;
import io.crvecdb.SearchFilter;
import io.crvecdb.SearchHit;
import io.crvecdb.VectorIndex;
import io.crvecdb.VectorRecord;
import io.crvecdb.dataset.Texmex;
import io.crvecdb.springai.CrvecdbVectorStore;
import io.crvecdb.springai.PrecomputedEmbeddingModel;

/**
 * Add throughput and search latency of {@link CrvecdbVectorStore} against the raw core index it
 * wraps and against Spring AI's {@link SimpleVectorStore}, on the shared text-wordnet-10k set
 * (10,000 × 384 all-MiniLM-L6-v2 embeddings, cosine, with their texts). The embedding model
 * returns the precomputed vectors, so the numbers are the stores' own cost.
 *
 * <p>Every document gets {@code bucket = i % 100}: {@code bucket == 42} and {@code bucket < 1}
 * each select 1% of the documents and are answered from the metadata index (an exact scan of the
 * 100 documents); {@code bucket < 50} selects half of them, filtered inside the graph search.
 *
 * <p>Run: {@code ./mvnw -q -B -pl crvecdb-spring-ai -Pbench test-compile exec:exec@bench}
 * (options: {@code -Dbench.args="--rounds 7 --threads 2"}).
 */
public final class VectorStoreBenchmark {

    private static final int TOP_K = 10;

    private final float[][] base;
    private final String[] baseTexts;
    private final float[][] queries;
    private final String[] queryTexts;
    private final int[][] truth;
    private final PrecomputedEmbeddingModel model;
    private final int rounds;
    private final int threads;

    private VectorStoreBenchmark(Path dataset, int rounds, int threads) throws IOException {
        this.base = Texmex.readFvecs(dataset.resolve("base.fvecs"));
        this.baseTexts = Files.readAllLines(dataset.resolve("base.txt")).toArray(String[]::new);
        this.queries = Texmex.readFvecs(dataset.resolve("query.fvecs"));
        this.queryTexts = Files.readAllLines(dataset.resolve("query.txt")).toArray(String[]::new);
        this.truth = Texmex.readIvecs(dataset.resolve("groundtruth.ivecs"), queries.length);
        this.model = new PrecomputedEmbeddingModel(base[0].length);
        for (int i = 0; i < base.length; i++) {
            model.put(baseTexts[i], base[i]);
        }
        for (int i = 0; i < queries.length; i++) {
            model.put(queryTexts[i], queries[i]);
        }
        this.rounds = rounds;
        this.threads = threads;
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = options(args);
        Path shared = Path.of(System.getProperty("crvecdb.shared.dir", "../shared"));
        VectorStoreBenchmark benchmark = new VectorStoreBenchmark(shared.resolve("data/text-wordnet-10k"),
                Integer.parseInt(options.getOrDefault("rounds", "7")),
                Integer.parseInt(options.getOrDefault("threads", Integer.toString(Runtime.getRuntime().availableProcessors()))));
        benchmark.run();
    }

    private void run() {
        System.out.printf(Locale.ROOT, "text-wordnet-10k: %d documents x %d dims, %d queries, cosine, topK %d; "
                + "%d rounds (median), add parallelism %d, %s%n", base.length, base[0].length, queries.length, TOP_K,
                rounds, threads, Runtime.version());
        List<Document> documents = documents();

        // Add: a fresh index per round, the core given exactly the vectors the store gets.
        List<VectorRecord> records = new ArrayList<>();
        for (int i = 0; i < base.length; i++) {
            records.add(new VectorRecord(Integer.toString(i), base[i]));
        }
        // Rounds alternate between the core and the store, so that both see the same machine.
        double[] coreAdds = new double[rounds];
        double[] storeAdds = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            VectorIndex index = VectorIndex.builder().dimensions(base[0].length).metric(Metric.COSINE).build();
            coreAdds[r] = seconds(() -> index.addAll(records, threads));
            CrvecdbVectorStore store = store();
            storeAdds[r] = seconds(() -> store.add(documents));
        }
        double coreAdd = median(coreAdds);
        double storeAdd = median(storeAdds);
        VectorStore simpleForAdd = SimpleVectorStore.builder(model).build();
        double simpleAdd = seconds(() -> simpleForAdd.add(documents));
        System.out.println();
        System.out.println("add 10,000 documents          seconds   documents/s   vs core");
        printAdd("core VectorIndex.addAll", coreAdd, coreAdd);
        printAdd("CrvecdbVectorStore.add", storeAdd, coreAdd);
        printAdd("SimpleVectorStore.add", simpleAdd, coreAdd);

        // Searches compare the store with the core on the store's own index: the same graph.
        CrvecdbVectorStore store = store();
        store.add(documents);
        VectorIndex index = store.<VectorIndex>getNativeClient().orElseThrow();
        VectorStore simple = SimpleVectorStore.builder(model).build();
        simple.add(documents);

        System.out.println();
        System.out.println("search, 1 thread, topK 10      mean us    p50 us    p99 us   recall@10   p50 vs core");
        section(index, store, simple, "no filter", null, null);
        section(index, store, simple, "bucket == 42 (1%, indexed)", "bucket == 42", i -> i % 100 == 42);
        section(index, store, simple, "bucket < 1 (1%, indexed)", "bucket < 1", i -> i % 100 < 1);
        section(index, store, simple, "bucket < 50 (50%, in graph)", "bucket < 50", i -> i % 100 < 50);
    }

    /**
     * One filter: the core searched with the ids passing it (listed when few, as the store's
     * metadata index does), the store with the filter text, SimpleVectorStore with the same
     * requests (on the first 100 queries: it is slow).
     */
    private void section(VectorIndex index, CrvecdbVectorStore store, VectorStore simple, String title,
            String filter, IntPredicate passes) {
        Set<String> kept = null;
        SearchFilter coreFilter = null;
        if (passes != null) {
            kept = new HashSet<>();
            for (int i = 0; i < base.length; i++) {
                if (passes.test(i)) {
                    kept.add(Integer.toString(i));
                }
            }
            coreFilter = kept.size() <= base.length / 10 ? SearchFilter.anyOf(kept) : kept::contains;
        }
        SearchFilter searchFilter = coreFilter;
        List<Set<String>> exact = exact(kept);
        SearchRequest[] requests = new SearchRequest[queries.length];
        for (int q = 0; q < queries.length; q++) {
            SearchRequest.Builder request = SearchRequest.builder().query(queryTexts[q]).topK(TOP_K);
            requests[q] = filter == null ? request.build() : request.filterExpression(filter).build();
        }
        System.out.println(title);
        Latency[] crvecdb = latencies(exact, queries.length,
                q -> hitIds(index.search(queries[q], TOP_K, searchFilter)),
                q -> documentIds(store.similaritySearch(requests[q])));
        print("  core VectorIndex.search", crvecdb[0], crvecdb[0]);
        print("  CrvecdbVectorStore", crvecdb[1], crvecdb[0]);
        print("  SimpleVectorStore", latencies(exact, 100, q -> documentIds(simple.similaritySearch(requests[q])))[0],
                crvecdb[0]);
    }

    private CrvecdbVectorStore store() {
        return CrvecdbVectorStore.builder(model).addParallelism(threads).build();
    }

    private List<Document> documents() {
        List<Document> documents = new ArrayList<>(base.length);
        for (int i = 0; i < base.length; i++) {
            documents.add(new Document(Integer.toString(i), baseTexts[i], Map.of("bucket", i % 100)));
        }
        return documents;
    }

    /** The exact top 10 of every query among the documents a filter keeps (all when null). */
    private List<Set<String>> exact(Set<String> kept) {
        List<Set<String>> exact = new ArrayList<>();
        for (int q = 0; q < queries.length; q++) {
            Set<String> top = new HashSet<>();
            if (kept == null) {
                for (int i = 0; i < TOP_K; i++) {
                    top.add(Integer.toString(truth[q][i]));
                }
            } else {
                float[] query = queries[q];
                kept.stream()
                    .sorted((a, b) -> Double.compare(cosine(query, base[Integer.parseInt(b)]),
                            cosine(query, base[Integer.parseInt(a)])))
                    .limit(TOP_K)
                    .forEach(top::add);
            }
            exact.add(top);
        }
        return exact;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private record Latency(double meanMicros, double p50Micros, double p99Micros, double recall) {
    }

    /**
     * Runs the first {@code count} queries through each search once to warm up, then {@code rounds}
     * times, the searches taking turns round by round so that they see the same machine. Latency
     * percentiles are over every measured query, the mean is the median round's; ratios compare
     * medians, which a shared machine disturbs least.
     */
    @SafeVarargs
    private Latency[] latencies(List<Set<String>> exact, int count, IntFunction<List<String>>... searches) {
        for (IntFunction<List<String>> search : searches) {
            for (int q = 0; q < count; q++) {
                search.apply(q);
            }
        }
        long[][] nanos = new long[searches.length][count * rounds];
        double[][] roundMeans = new double[searches.length][rounds];
        double[] found = new double[searches.length];
        for (int r = 0; r < rounds; r++) {
            for (int s = 0; s < searches.length; s++) {
                long roundStart = System.nanoTime();
                for (int q = 0; q < count; q++) {
                    long start = System.nanoTime();
                    List<String> ids = searches[s].apply(q);
                    nanos[s][r * count + q] = System.nanoTime() - start;
                    if (r == 0) {
                        found[s] += ids.stream().filter(exact.get(q)::contains).count();
                    }
                }
                roundMeans[s][r] = (System.nanoTime() - roundStart) / 1e3 / count;
            }
        }
        Latency[] latencies = new Latency[searches.length];
        for (int s = 0; s < searches.length; s++) {
            Arrays.sort(nanos[s]);
            latencies[s] = new Latency(median(roundMeans[s]), nanos[s][nanos[s].length / 2] / 1e3,
                    nanos[s][nanos[s].length * 99 / 100] / 1e3, found[s] / (count * TOP_K));
        }
        return latencies;
    }

    private static List<String> hitIds(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::id).toList();
    }

    private static List<String> documentIds(List<Document> documents) {
        return documents.stream().map(Document::getId).toList();
    }

    private static double seconds(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private void printAdd(String name, double seconds, double coreSeconds) {
        System.out.printf(Locale.ROOT, "%-28s %9.3f %13.0f %8.2fx%n", name, seconds, base.length / seconds,
                coreSeconds / seconds);
    }

    private static void print(String name, Latency latency, Latency core) {
        System.out.printf(Locale.ROOT, "%-28s %9.1f %9.1f %9.1f %11.3f %8.2fx%n", name, latency.meanMicros(),
                latency.p50Micros(), latency.p99Micros(), latency.recall(), latency.p50Micros() / core.p50Micros());
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }
}
