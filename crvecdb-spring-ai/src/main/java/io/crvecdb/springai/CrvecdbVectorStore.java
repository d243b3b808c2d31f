package io.crvecdb.springai;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import org.springframework.ai.document.Document;
import org.springframework.ai.document.DocumentMetadata;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.vectorstore.AbstractVectorStoreBuilder;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.ai.vectorstore.filter.FilterExpressionTextParser;
import org.springframework.ai.vectorstore.observation.AbstractObservationVectorStore;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationContext;
import org.springframework.util.Assert;

import io.crvecdb.Durability;
import io.crvecdb.Metric;
import io.crvecdb.SearchFilter;
import io.crvecdb.SearchHit;
import io.crvecdb.VectorIndex;
import io.crvecdb.VectorRecord;
import io.crvecdb.springai.filter.FilterCompiler;
import io.crvecdb.springai.filter.MetadataFilter;
import io.crvecdb.springai.filter.MetadataIndex;

/**
 * A Spring AI {@link org.springframework.ai.vectorstore.VectorStore} on a crvecdb HNSW index, in
 * the JVM: no server, no schema.
 *
 * <pre>{@code
 * CrvecdbVectorStore store = CrvecdbVectorStore.builder(embeddingModel)
 *         .metric(Metric.COSINE)          // index settings, all optional
 *         .observationRegistry(registry)
 *         .build();
 * store.add(List.of(new Document("Spring Boot auto-configuration", Map.of("year", 2024))));
 * List<Document> hits = store.similaritySearch(SearchRequest.builder()
 *         .query("auto configuration").topK(5).similarityThreshold(0.5)
 *         .filterExpression("year >= 2020").build());
 * }</pre>
 *
 * <p><b>Storage.</b> Each document is one index record: its embedding as the vector, its text and
 * metadata as the payload (a compact binary encoding), written atomically; adding an existing id
 * replaces the document. The store keeps every document's metadata decoded in a
 * {@link MetadataIndex} for filtering. Metadata values must be {@code String}, {@code Boolean},
 * {@code Byte}, {@code Short}, {@code Integer}, {@code Long}, {@code Float} or {@code Double}, or
 * {@code List}s of them (as Spring AI's readers store), and come back with their types.
 *
 * <p><b>Scores.</b> Each result has a {@linkplain Document#getScore() score} (higher is more
 * similar) and a {@code distance} metadata entry (lower is more similar), chosen so that a
 * similarity threshold means what it means in Spring AI's own stores:
 *
 * <table>
 *   <caption>score and distance per metric</caption>
 *   <tr><th>metric</th><th>score</th><th>distance</th><th>as in</th></tr>
 *   <tr><td>cosine</td><td>{@code cos(q, v)}</td><td>{@code 1 - cos(q, v)}</td>
 *       <td>{@code SimpleVectorStore}, {@code PgVectorStore}</td></tr>
 *   <tr><td>dot product</td><td>{@code q·v}</td><td>{@code 1 - q·v}</td><td>{@code PgVectorStore}</td></tr>
 *   <tr><td>L2</td><td>{@code 1 / (1 + |q - v|²)}, in (0, 1]</td><td>{@code |q - v|}</td>
 *       <td>distance as {@code PgVectorStore}, whose score {@code 1 - |q - v|} goes negative</td></tr>
 * </table>
 *
 * <p>Results are ordered by descending score. Scores are in [0, 1] for vectors pointing the same
 * way (cosine) or unit vectors with a non-negative product (dot); opposite vectors score below 0,
 * as in those stores. A threshold of {@link SearchRequest#SIMILARITY_THRESHOLD_ACCEPT_ALL} returns
 * the {@code topK} nearest whatever their score (unlike {@code SimpleVectorStore}, which drops
 * negative cosine similarities); a higher threshold keeps the results scoring at least that.
 *
 * <p><b>Filters.</b> Every Spring AI filter expression is compiled once per call and evaluated
 * inside the graph search, with {@code SimpleVectorStore}'s semantics ({@link FilterCompiler}); a
 * filtered search returns {@code topK} results whenever that many documents pass. Very selective
 * filters are answered from the metadata index and scanned exactly: {@code ==}, {@code IN},
 * {@code >}, {@code >=}, {@code IS NOT NULL}; {@code <}, {@code <=} and {@code IS NULL} on keys
 * every document has; {@code AND}s and {@code OR}s of them. A filter comparing values of
 * different types (a string with a number) fails exactly when it fails in
 * {@code SimpleVectorStore}: when it would compare them on some stored document.
 *
 * <p><b>Concurrency.</b> All methods are thread-safe. Searches never wait. Writes (adds and
 * deletes) are serialised with each other after embedding, so that the index and the metadata
 * stay in step; each batch is inserted with {@link Builder#addParallelism} threads.
 *
 * <p><b>Bad input</b> fails with an {@link IllegalArgumentException} and leaves the store
 * unchanged: a null or empty document list, a document without text, an unsupported metadata
 * value, a non-positive {@code topK} ({@code SimpleVectorStore} answers {@code topK = 0} with an
 * empty list), a malformed filter, an embedding of the wrong dimensions.
 *
 * <p>On an {@linkplain VectorIndex#unavailable unavailable} index (a store that could not be
 * opened), the store is created, and every operation throws the index's {@link
 * IllegalStateException} naming the store and the cause.
 */
public class CrvecdbVectorStore extends AbstractObservationVectorStore implements AutoCloseable {

    /** The {@code db.system} of this store's observations. */
    public static final String DATABASE_SYSTEM = "crvecdb";

    /** The name of a store when none is given: its {@link #getName()} and observed collection name. */
    public static final String DEFAULT_NAME = "crvecdb";

    /**
     * How many times the search beam ({@code max(efSearch, topK)}) the metadata index may list for
     * an exact scan. Listing and testing a few hundred ids costs microseconds, while the core only
     * scans listed ids when they are at most twice the beam; beyond that it walks the graph.
     */
    private static final int EXACT_SCAN_FACTOR = 8;

    private final VectorIndex index;

    private final boolean ownsIndex;

    private final String name;

    private final int addParallelism;

    /**
     * The metadata index and write lock of every index a store is built on, shared by all the
     * stores on one index (two store beans on the one {@code VectorIndex} bean, say), so that each
     * sees the documents the others write; gone with the index. Guarded by itself.
     */
    private static final Map<VectorIndex, Shared> SHARED = new WeakHashMap<>();

    private final MetadataIndex metadataIndex;

    private final ReentrantLock writeLock;

    /** What the stores on one index share; holds nothing that refers to the index. */
    private record Shared(MetadataIndex metadataIndex, ReentrantLock writeLock) {
    }

    /**
     * Creates a store from a builder's settings; {@link Builder#build()} is the usual way.
     *
     * @throws IllegalArgumentException if the embedding model's dimensions differ from the
     *                                  index's, or the settings are invalid
     */
    protected CrvecdbVectorStore(Builder builder) {
        super(builder);
        this.index = builder.resolveIndex();
        this.ownsIndex = builder.index == null;
        this.name = builder.name;
        this.addParallelism = builder.addParallelism;
        // A reopened store, or an adopted populated index: decode every document's metadata once.
        Shared shared = new Shared(new MetadataIndex(), new ReentrantLock());
        if (this.index.unavailableReason().isEmpty()) {
            try {
                shared = shared(this.index);
            } catch (RuntimeException failure) {
                // A record no store wrote: an index this store opened must not stay open (and its store locked).
                if (this.ownsIndex) {
                    try {
                        this.index.close();
                    } catch (RuntimeException closing) {
                        failure.addSuppressed(closing);
                    }
                }
                throw failure;
            }
        }
        this.metadataIndex = shared.metadataIndex();
        this.writeLock = shared.writeLock();
    }

    /**
     * The metadata index and write lock of the stores on this index; the first store on it decodes
     * every document's metadata.
     */
    private static Shared shared(VectorIndex index) {
        synchronized (SHARED) {
            Shared shared = SHARED.get(index);
            if (shared == null) {
                MetadataIndex metadataIndex = new MetadataIndex();
                index.forEach(record -> metadataIndex.put(record.id(),
                        DocumentCodec.decode(record.id(), record.payload()).build().getMetadata()));
                shared = new Shared(metadataIndex, new ReentrantLock());
                SHARED.put(index, shared);
            }
            return shared;
        }
    }

    /** Starts configuring a store that embeds with this model. */
    public static Builder builder(EmbeddingModel embeddingModel) {
        return new Builder(embeddingModel);
    }

    @Override
    public void doAdd(List<Document> documents) {
        Assert.notNull(documents, "Documents list must not be null");
        Assert.notEmpty(documents, "Documents list must not be empty");
        Assert.noNullElements(documents, "Documents list must not contain null documents");
        List<byte[]> payloads = documents.stream().map(DocumentCodec::encode).toList();
        // Before the embedding model is asked for embeddings that could not be stored.
        checkUsable();
        this.index.checkWritable();
        List<float[]> embeddings = this.embeddingModel.embed(documents, EmbeddingOptions.builder().build(),
                this.batchingStrategy);
        if (embeddings.size() != documents.size()) {
            throw new IllegalStateException("The embedding model returned " + embeddings.size() + " embeddings for "
                    + documents.size() + " documents");
        }
        List<VectorRecord> records = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            String id = documents.get(i).getId();
            records.add(new VectorRecord(id, checkDimensions(embeddings.get(i), "document '" + id + "'"),
                    payloads.get(i)));
        }
        this.writeLock.lock();
        try {
            this.index.addAll(records, this.addParallelism);
            documents.forEach(document -> this.metadataIndex.put(document.getId(), document.getMetadata()));
        } catch (RuntimeException failure) {
            // A failed write may have stored part of the batch: the metadata follows the index.
            try {
                documents.forEach(document -> followIndex(document.getId()));
            } catch (RuntimeException unreadable) {
                failure.addSuppressed(unreadable);
            }
            throw failure;
        } finally {
            this.writeLock.unlock();
        }
    }

    private void followIndex(String id) {
        this.index.get(id)
            .ifPresentOrElse(record -> this.metadataIndex.put(id,
                    DocumentCodec.decode(id, record.payload()).build().getMetadata()),
                    () -> this.metadataIndex.remove(id));
    }

    @Override
    public void doDelete(List<String> idList) {
        Assert.notNull(idList, "Document ids must not be null");
        idList.forEach(id -> Assert.hasText(id, "Document ids must not be null or empty"));
        this.writeLock.lock();
        try {
            removeAll(idList);
        } finally {
            this.writeLock.unlock();
        }
    }

    /**
     * Deletes the documents a filter in Spring AI's text syntax matches. A malformed or
     * pathologically nested filter is an {@link IllegalArgumentException}, never a stack overflow
     * in the parser; the store is then unchanged.
     */
    @Override
    public void delete(String filterExpression) {
        Assert.hasText(filterExpression, "Filter expression must not be empty");
        Filter.Expression parsed;
        try {
            parsed = new FilterExpressionTextParser().parse(filterExpression);
        } catch (StackOverflowError e) {
            throw new IllegalArgumentException("The filter expression is nested too deeply to parse ("
                    + filterExpression.length() + " characters); use IN for a list of values, or split the filter");
        }
        delete(parsed);
    }

    @Override
    protected void doDelete(Filter.Expression filterExpression) {
        MetadataFilter filter = FilterCompiler.compile(filterExpression);
        this.writeLock.lock();
        try {
            removeAll(this.metadataIndex.matchingIds(filter));
        } finally {
            this.writeLock.unlock();
        }
    }

    private void removeAll(Collection<String> ids) {
        try {
            this.index.deleteAll(ids); // one fsync for all
        } finally {
            // After a failed write some of the ids may be gone: the metadata follows the index.
            for (String id : ids) {
                if (!this.index.contains(id)) {
                    this.metadataIndex.remove(id);
                }
            }
        }
    }

    @Override
    public List<Document> doSimilaritySearch(SearchRequest request) {
        Assert.notNull(request, "Search request must not be null");
        int topK = request.getTopK();
        Assert.isTrue(topK > 0, () -> "topK must be positive, got " + topK);
        // Before any shortcut below answers from the (empty) metadata index.
        checkUsable();
        MetadataFilter compiled = request.getFilterExpression() == null ? null
                : FilterCompiler.compile(request.getFilterExpression());
        SearchFilter filter = searchFilter(compiled, topK);
        if (filter != null && filter.candidates() != null && filter.candidates().isEmpty()) {
            return List.of(); // no document passes, or there are none
        }
        float[] query = checkDimensions(this.embeddingModel.embed(request.getQuery()), "the query");
        // The core sizes its candidate queue by k: a topK meaning "all" must not allocate for billions.
        int k = Math.max(1, Math.min(topK, this.metadataIndex.size()));
        List<SearchHit> hits = this.index.search(query, k, 0, filter);
        double threshold = request.getSimilarityThreshold();
        List<Document> documents = new ArrayList<>(hits.size());
        for (SearchHit hit : hits) {
            double score = Similarity.score(this.index.metric(), hit);
            if (threshold > SearchRequest.SIMILARITY_THRESHOLD_ACCEPT_ALL && score < threshold) {
                break; // hits come best first
            }
            // A record deleted since the search found it is left out, and so is one whose upsert
            // since then no longer passes the filter.
            this.index.get(hit.id())
                .map(record -> DocumentCodec.decode(hit.id(), record.payload()).build())
                .filter(document -> compiled == null || MetadataIndex.matches(compiled, document.getMetadata()))
                .ifPresent(document -> documents.add(document.mutate()
                    .score(score)
                    .metadata(DocumentMetadata.DISTANCE.value(), (double) hit.distance())
                    .build()));
        }
        return documents;
    }

    /** Throws the index's own {@link IllegalStateException} when its store is unavailable or it is closed. */
    private void checkUsable() {
        this.index.unavailableReason().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        if (this.index.isClosed()) {
            throw new IllegalStateException("the index is closed; open or build a new one");
        }
    }

    /**
     * The core filter of a search: the compiled filter expression if any; else, when the search
     * asks for every document, one listing them all, so that the core returns exactly all of them
     * from a scan (cheaper than the graph at that size); else none.
     */
    private @Nullable SearchFilter searchFilter(@Nullable MetadataFilter filter, int topK) {
        if (filter != null) {
            long beam = Math.max(this.index.efSearch(), topK);
            return this.metadataIndex.searchFilter(filter, EXACT_SCAN_FACTOR * beam);
        }
        return topK >= this.metadataIndex.size() ? this.metadataIndex.everything() : null;
    }

    private float[] checkDimensions(float[] embedding, String what) {
        if (embedding == null || embedding.length != this.index.dimensions()) {
            throw new IllegalArgumentException("The embedding model returned a "
                    + (embedding == null ? "null" : embedding.length + "-dimensional") + " embedding for " + what
                    + "; the index holds " + this.index.dimensions() + "-dimensional vectors");
        }
        return embedding;
    }

    @Override
    public VectorStoreObservationContext.Builder createObservationContextBuilder(String operationName) {
        VectorStoreObservationContext.Builder builder = VectorStoreObservationContext
            .builder(DATABASE_SYSTEM, operationName)
            .collectionName(this.name);
        // An index whose store could not be opened knows neither; its failing operations are still observed.
        if (this.index.unavailableReason().isEmpty()) {
            builder.dimensions(this.index.dimensions()).similarityMetric(Similarity.observationName(this.index.metric()));
        }
        return builder;
    }

    /**
     * The crvecdb {@link VectorIndex} holding the documents, to inspect or tune; records written
     * to it directly bypass this store's metadata index, so filters would not see them.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T> Optional<T> getNativeClient() {
        return Optional.of((T) this.index);
    }

    /** This store's name, {@value #DEFAULT_NAME} unless {@linkplain Builder#name set}. */
    @Override
    public String getName() {
        return this.name;
    }

    /** Closes the index if this store created it; an index passed to {@link Builder#index} stays open. */
    @Override
    public void close() {
        if (this.ownsIndex) {
            this.index.close();
        }
    }

    /**
     * Settings of a {@link CrvecdbVectorStore}: the embedding model and Spring AI's common settings
     * ({@link #batchingStrategy}, {@link #observationRegistry}, {@link #customObservationConvention}),
     * plus either an existing {@link #index} or the settings of a new one.
     */
    public static final class Builder extends AbstractVectorStoreBuilder<Builder> {

        private @Nullable VectorIndex index;

        private boolean indexSettingsGiven;

        private @Nullable Integer dimensions;

        private @Nullable Metric metric;

        private @Nullable Integer m;

        private @Nullable Integer efConstruction;

        private @Nullable Integer efSearch;

        private @Nullable Path storagePath;

        private @Nullable Durability durability;

        private @Nullable Duration syncInterval;

        private String name = DEFAULT_NAME;

        private int addParallelism = Runtime.getRuntime().availableProcessors();

        private Builder(EmbeddingModel embeddingModel) {
            super(embeddingModel);
        }

        /**
         * Stores the documents in this existing index instead of creating one. It must have the
         * embedding model's dimensions, and hold nothing but documents a {@link CrvecdbVectorStore}
         * stored; the caller keeps owning it. Stores on one index share its documents: each sees,
         * and filters, what the others add. Cannot be combined with the index settings
         * ({@link #dimensions}, {@link #metric}, {@link #m}, {@link #efConstruction},
         * {@link #efSearch}, {@link #storagePath}).
         */
        public Builder index(VectorIndex index) {
            Assert.notNull(index, "VectorIndex must not be null");
            this.index = index;
            return this;
        }

        /** Dimensions of the new index; default the embedding model's {@link EmbeddingModel#dimensions()}. */
        public Builder dimensions(int dimensions) {
            this.dimensions = dimensions;
            return indexSetting();
        }

        /** How the new index compares vectors; default {@link Metric#COSINE}. */
        public Builder metric(Metric metric) {
            Assert.notNull(metric, "Metric must not be null");
            this.metric = metric;
            return indexSetting();
        }

        /** Links per node of the new index; default {@value VectorIndex#DEFAULT_M}. */
        public Builder m(int m) {
            this.m = m;
            return indexSetting();
        }

        /** Candidate list size while inserting; default {@value VectorIndex#DEFAULT_EF_CONSTRUCTION}. */
        public Builder efConstruction(int efConstruction) {
            this.efConstruction = efConstruction;
            return indexSetting();
        }

        /**
         * Candidate list size while searching (raised to {@code topK}); default
         * {@value VectorIndex#DEFAULT_EF_SEARCH}. Larger is slower and finds more of the true nearest.
         */
        public Builder efSearch(int efSearch) {
            this.efSearch = efSearch;
            return indexSetting();
        }

        /**
         * Keeps the documents durably in this directory: created if missing, reopened (with the
         * settings it was created with, and every document) if it holds a store. Absent, the store
         * lives in memory. See {@link VectorIndex} for the guarantees.
         */
        public Builder storagePath(Path storagePath) {
            Assert.notNull(storagePath, "Storage path must not be null");
            this.storagePath = storagePath;
            return indexSetting();
        }

        /**
         * When an added document is on disk; default {@link Durability#SYNC}. Needs a
         * {@linkplain #storagePath storage path}: without one, {@link #build()} refuses it.
         */
        public Builder durability(Durability durability) {
            Assert.notNull(durability, "Durability must not be null");
            this.durability = durability;
            return indexSetting();
        }

        /**
         * The fsync period under {@link Durability#INTERVAL}; default 100 ms. Needs a storage path,
         * as {@link #durability} does.
         */
        public Builder syncInterval(Duration syncInterval) {
            Assert.notNull(syncInterval, "Sync interval must not be null");
            this.syncInterval = syncInterval;
            return indexSetting();
        }

        private Builder indexSetting() {
            this.indexSettingsGiven = true;
            return this;
        }

        /**
         * The store's {@linkplain CrvecdbVectorStore#getName() name} and observed collection name; default
         * {@value CrvecdbVectorStore#DEFAULT_NAME}.
         */
        public Builder name(String name) {
            Assert.hasText(name, "Name must not be empty");
            this.name = name;
            return this;
        }

        /** Threads inserting each added batch into the index; default the number of processors. */
        public Builder addParallelism(int addParallelism) {
            Assert.isTrue(addParallelism >= 1, () -> "addParallelism must be at least 1, got " + addParallelism);
            this.addParallelism = addParallelism;
            return this;
        }

        /**
         * Creates the store, asking the embedding model for its {@link EmbeddingModel#dimensions()
         * dimensions} once to check them against the index.
         *
         * @throws IllegalArgumentException if the dimensions differ, an index setting is invalid,
         *                                  durability is set without a storage path, or the given
         *                                  index is closed
         * @throws IllegalStateException    if both an index and index settings were given
         */
        @Override
        public CrvecdbVectorStore build() {
            return new CrvecdbVectorStore(this);
        }

        private VectorIndex resolveIndex() {
            if (this.index != null && this.indexSettingsGiven) {
                throw new IllegalStateException("Give either an existing index or the settings of a new one "
                        + "(dimensions, metric, m, efConstruction, efSearch, storage), not both");
            }
            if (this.storagePath == null && (this.durability != null || this.syncInterval != null)) {
                throw new IllegalArgumentException((this.durability != null ? "durability" : "syncInterval")
                        + " is set but no storage path is: the store would live in memory only, and nothing of it "
                        + "would survive a restart; set storagePath for a durable store, or remove the setting");
            }
            int modelDimensions = this.embeddingModel.dimensions();
            if (this.dimensions != null && this.dimensions != modelDimensions) {
                throw new IllegalArgumentException("The embedding model produces " + modelDimensions
                        + "-dimensional embeddings but the index is set to " + this.dimensions
                        + "-dimensional vectors; use a matching model or index");
            }
            VectorIndex resolved = this.index != null ? this.index : createOrOpen(modelDimensions);
            if (resolved.unavailableReason().isPresent()) {
                return resolved; // its store could not be opened: every operation will say why
            }
            if (resolved.dimensions() != modelDimensions) {
                if (this.index == null) {
                    resolved.close();
                }
                throw new IllegalArgumentException("The embedding model produces " + modelDimensions
                        + "-dimensional embeddings but the index " + describe(resolved) + " "
                        + resolved.dimensions() + "-dimensional vectors; use a matching model or index");
            }
            Assert.isTrue(!resolved.isClosed(), "The given VectorIndex is closed");
            return resolved;
        }

        private static String describe(VectorIndex index) {
            return index.storagePath().map(path -> "stored at " + path + " holds").orElse("holds");
        }

        /** A new index, or the stored one: settings not given explicitly are the store's own. */
        private VectorIndex createOrOpen(int modelDimensions) {
            VectorIndex.Builder settings = VectorIndex.builder();
            boolean reopening = this.storagePath != null && VectorIndex.exists(this.storagePath);
            if (this.dimensions != null) {
                settings.dimensions(this.dimensions);
            } else if (!reopening) {
                settings.dimensions(modelDimensions);
            }
            if (this.metric != null) {
                settings.metric(this.metric);
            }
            if (this.m != null) {
                settings.m(this.m);
            }
            if (this.efConstruction != null) {
                settings.efConstruction(this.efConstruction);
            }
            if (this.efSearch != null) {
                settings.efSearch(this.efSearch);
            }
            if (this.storagePath != null) {
                settings.storage(this.storagePath);
            }
            if (this.durability != null) {
                settings.durability(this.durability);
            }
            if (this.syncInterval != null) {
                settings.syncInterval(this.syncInterval);
            }
            return settings.build();
        }
    }
}
