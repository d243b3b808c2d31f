package io.crvecdb;

import io.crvecdb.storage.DataFile;
import io.crvecdb.storage.StoreCorruptedException;
import io.crvecdb.storage.StoreDirectory;
import io.crvecdb.storage.StoreIO;
import io.crvecdb.storage.WriteAheadLog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An HNSW vector index: add vectors under string ids, search the nearest ones.
 *
 * <pre>{@code
 * try (VectorIndex index = VectorIndex.builder().dimensions(384).metric(Metric.COSINE)
 *         .storage(Path.of("data/index")).build()) {
 *     index.add("doc-1", embedding);
 *     List<SearchHit> hits = index.search(query, 10);
 * }
 * }</pre>
 *
 * <p>All methods are thread-safe: adds, deletes and searches may run concurrently from any number
 * of threads, without a global lock. The index has no fixed capacity; it grows as vectors arrive.
 *
 * <p><b>Updates and deletes.</b> Adding an id that exists replaces its vector and payload
 * (upsert). A deleted or replaced vector is never returned again. Its node stays in the graph as a
 * routing-only tombstone, so neighbourhoods remain connected and recall holds; when tombstones
 * exceed a quarter of the graph the index repairs the neighbourhoods around them (each node that
 * linked to a tombstone relinks to the tombstone's live neighbours, chosen with the same diversity
 * heuristic) so searches stop paying for them. {@link #compact()} drops them for good.
 *
 * <p><b>Durability.</b> Without a {@linkplain Builder#storage storage path} the index lives in
 * memory only. With one, every write is first appended to a write-ahead log (CRC32C per record)
 * and, under {@link Durability#SYNC}, on disk when the call returns; a write is visible to
 * searches slightly before that. A checkpoint writes the whole index to a new data file (temporary
 * name, fsync, atomic rename, directory fsync) and starts an empty log; the data file's vectors
 * and payloads are then read from a memory mapping, so the index can be far larger than the heap.
 * Reopening maps the newest data file and replays the log written after it; a torn record at the
 * log's end (a write cut off by a crash, never acknowledged) is dropped, any other damage is a
 * {@link StoreCorruptedException} naming the file and offset. One index at a time may open a
 * store for writing (a file lock); any number may {@linkplain #openReadOnly read} it while no
 * writer does.
 */
public final class VectorIndex implements AutoCloseable {

    /** Default maximum links per node on the upper layers (twice as many on the base layer). */
    public static final int DEFAULT_M = 16;
    /** Default size of the candidate list while inserting. */
    public static final int DEFAULT_EF_CONSTRUCTION = 200;
    /** Default size of the candidate list while searching (raised to k when k is larger). */
    public static final int DEFAULT_EF_SEARCH = 100;
    /**
     * The most dimensions an index takes: records are stored in pages of 4,096, each page one Java
     * array, and beyond this a page of vectors (or of int8 codes) no longer fits in one.
     */
    public static final int MAX_DIMENSIONS = 500_000;
    /** Interrupts in a row after which a checkpoint's step fails (see {@link #despiteInterrupts}). */
    private static final int MAX_INTERRUPTED_ATTEMPTS = 100;
    /** Default period of the background fsync under {@link Durability#INTERVAL}. */
    public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofMillis(100);

    private static final byte[] NO_PAYLOAD = new byte[0];
    private static final int ID_LOCK_STRIPES = 1024;
    /** The log is checkpointed into a new data file once it outgrows this and the data file. */
    private static final long MIN_CHECKPOINT_LOG_BYTES = 64L << 20;

    private final int efSearch;
    private final Durability durability;
    private final Duration syncInterval;
    private final StoreDirectory directory;
    /** Replaced by compaction; every operation reads it once. */
    private volatile Engine engine;
    /** Replaced by checkpoints, under the write side of {@link #gate}. */
    private volatile WriteAheadLog log;
    private long generation;
    /** See {@link DataFile.Header#storeId()}. */
    private long storeId;
    private long dataFileBytes;
    /** The efSearch the current data file holds, the default of an open that gives none. */
    private int efSearchOnDisk;
    /**
     * Writers hold the read side (they run concurrently); checkpoints, compaction and close take the
     * write side, so they see no write half done. Searches take neither.
     */
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private final ReentrantLock checkpointLock = new ReentrantLock();
    /** Serialises writers of the same id, so the log and the index see its writes in one order. */
    private final ReentrantLock[] idLocks = new ReentrantLock[ID_LOCK_STRIPES];
    private final ScheduledExecutorService syncer;
    private volatile boolean closed;
    /**
     * Set by a close that left every applied write in its data file (a checkpoint, or a log with
     * nothing in it): a write it overtook between applying and syncing is on disk, not failed.
     */
    private volatile boolean closedDurably;
    /**
     * The first write to the store's files that failed. From then on the index is read-only:
     * writes fail fast with this reason, searches go on. Continuing could append after a torn
     * record, or trust an fsync that failed (whose data the OS may already have dropped).
     */
    private volatile RuntimeException writeFailure;
    private final LongAdder writes = new LongAdder();
    private final LongAdder writeNanos = new LongAdder();
    private final LongAdder searches = new LongAdder();
    private final LongAdder searchNanos = new LongAdder();
    /** Opened with {@link #openReadOnly}: writes are refused and the store's files never change. */
    private final boolean readOnly;
    /** Why the store could not be opened, for an index made by {@link #unavailable}; else null. */
    private final String unavailable;
    private final Path unavailableStore;

    private VectorIndex(Builder builder) {
        this.readOnly = builder.readOnly;
        this.unavailable = null;
        this.unavailableStore = null;
        for (int i = 0; i < ID_LOCK_STRIPES; i++) {
            idLocks[i] = new ReentrantLock();
        }
        this.durability = builder.durability;
        this.syncInterval = builder.syncInterval;
        if (builder.storage == null) {
            this.directory = null;
            this.engine = Engine.inMemory(builder.requireDimensions(), builder.metric(), builder.m(),
                    builder.efConstruction(), builder.seed(), builder.quantization());
            this.efSearch = builder.efSearch();
            this.syncer = null;
            return;
        }
        if (!StoreDirectory.holdsStore(builder.storage) && !StoreDirectory.isEmptyIgnoringTemporaries(builder.storage)) {
            // Refused before locking, so nothing is written into someone else's directory.
            throw new IllegalArgumentException("storage directory " + builder.storage + " holds files but no crvecdb "
                    + "store; give an empty or new directory");
        }
        this.directory = readOnly ? StoreDirectory.lockForReading(builder.storage, builder.io)
                : StoreDirectory.lock(builder.storage, builder.io);
        try {
            OptionalLong current = directory.currentGeneration();
            this.efSearch = (int) withoutInterrupt(() -> {
                if (current.isPresent()) {
                    return reopen(current.getAsLong(), builder);
                }
                create(builder);
                return builder.efSearch();
            });
        } catch (RuntimeException e) {
            releaseStore();
            throw e;
        }
        this.syncer = durability == Durability.INTERVAL && !readOnly ? startSyncer() : null;
    }

    private VectorIndex(Path store, RuntimeException cause) {
        this.readOnly = false;
        this.unavailable = "the store at " + store + " could not be opened (" + cause.getMessage()
                + "); fix the cause and open it again";
        this.unavailableStore = store;
        this.durability = Durability.SYNC;
        this.syncInterval = DEFAULT_SYNC_INTERVAL;
        this.directory = null;
        this.efSearch = 0;
        this.syncer = null;
    }

    /**
     * An index standing in for a store that could not be opened (damaged, held by another
     * process, unreadable), so that an application can start and report the problem instead of
     * failing, as the Spring Boot starter's health does. Every operation throws an {@link
     * IllegalStateException} naming the store and the cause, except {@link #storagePath}, {@link
     * #unavailableReason}, {@link #stats} (all zero), {@link #isClosed} and {@link #close}. Nothing
     * is read or written.
     *
     * @param store the store's directory
     * @param cause why opening it failed
     */
    public static VectorIndex unavailable(Path store, RuntimeException cause) {
        if (store == null || cause == null) {
            throw new IllegalArgumentException("give the store's directory and why it could not be opened");
        }
        return new VectorIndex(store, cause);
    }

    /** Why the store could not be opened, for an index made by {@link #unavailable}; empty otherwise. */
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(unavailable);
    }

    /** Writes generation 0 of a new store: an empty data file and an empty log. */
    private void create(Builder builder) {
        engine = Engine.inMemory(builder.requireDimensions(), builder.metric(), builder.m(), builder.efConstruction(),
                builder.seed(), builder.quantization());
        generation = -1;
        storeId = newStoreId();
        log = null;
        writeGeneration(false, builder.efSearch());
    }

    /** Maps the newest data file, checks the builder against it, and replays the log. */
    private int reopen(long current, Builder builder) {
        DataFile file = DataFile.open(directory.io(), directory.dataFile(current));
        DataFile.Header header = file.header();
        engine = load(file, () -> {
            builder.checkAgainst(directory.path(), header);
            checkOneStore(current, file.file(), header.storeId());
        });
        storeId = header.storeId() != 0 ? header.storeId() : newStoreId();
        generation = current;
        efSearchOnDisk = header.efSearch();
        dataFileBytes = fileSize(file.file());
        Path logFile = directory.path().resolve(WriteAheadLog.fileName(current));
        Engine target = engine;
        AtomicInteger replayed = new AtomicInteger();
        WriteAheadLog.RecordConsumer replay = body -> {
            try {
                LogRecords.apply(body, target);
                replayed.incrementAndGet();
            } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
                throw new StoreCorruptedException(logFile, 0, "record " + replayed.get()
                        + " passed its checksum but is not a valid record: " + e.getMessage());
            }
        };
        if (readOnly) {
            WriteAheadLog.replayReadOnly(directory, current, header.storeId(), replay);
        } else if (Files.exists(logFile)) {
            log = WriteAheadLog.openAndReplay(directory, current, header.lastSeq(), header.storeId(), replay);
        } else {
            // The checkpoint committed its data file and crashed before it created the new log.
            log = WriteAheadLog.create(directory, current, header.lastSeq(), storeId);
        }
        if (replayed.get() > 0 && engine.quantizationDue()) {
            engine.trainQuantizer();
        }
        if (!readOnly) {
            // Replayed inserts can leave islands, and so can a compaction killed after it committed
            // its file but before it relinked the graph it loaded: relink them now, whatever the log
            // held. (Read-only, the graph is taken as stored: `crvecdb check` reports such islands.)
            engine.reconnectUnreachable();
            directory.deleteGarbage(current);
        }
        return builder.efSearch == null ? header.efSearch() : builder.efSearch;
    }

    private ScheduledExecutorService startSyncer() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "crvecdb-sync " + directory.path());
            thread.setDaemon(true);
            return thread;
        });
        long period = syncInterval.toNanos();
        executor.scheduleWithFixedDelay(this::syncNow, period, period, TimeUnit.NANOSECONDS);
        return executor;
    }

    private void syncNow() {
        gate.readLock().lock();
        try {
            if (!closed && writeFailure == null) {
                try {
                    log.syncAll();
                } catch (RuntimeException e) {
                    writeFailure = e; // the next write reports it
                }
            }
        } finally {
            gate.readLock().unlock();
        }
    }

    /** Starts configuring a new index, or the opening of a stored one. */
    public static Builder builder() {
        return new Builder();
    }

    /** Opens the store at {@code path} with the settings it was created with. */
    public static VectorIndex open(Path path) {
        requireStore(path);
        return builder().storage(path).build();
    }

    /**
     * Opens the store at {@code path} for reading only: searches and reads work, writes, {@link
     * #checkpoint} and {@link #compact} throw {@link IllegalStateException}. Nothing in the
     * directory changes (the log is replayed in memory with a torn tail left in place, and the
     * graph is taken as stored, islands included), so a backup or a copy on read-only media can be
     * inspected. A shared lock keeps writers out meanwhile; readers, in this JVM or others, share it.
     *
     * @throws IllegalStateException if a writer has the store open (in another process, or in this one)
     */
    public static VectorIndex openReadOnly(Path path) {
        requireStore(path);
        Builder builder = builder().storage(path);
        builder.readOnly = true;
        return builder.build();
    }

    /** Whether {@code path} is a directory holding a crvecdb store (that {@link #open} would open). */
    public static boolean exists(Path path) {
        requirePath(path);
        return Files.isDirectory(path) && StoreDirectory.holdsStore(path);
    }

    /** Refuses a path that holds no store: {@link #open} and {@link #openReadOnly} never create one. */
    private static void requireStore(Path path) {
        if (!exists(path)) {
            throw new IllegalArgumentException("no crvecdb store at " + path
                    + (Files.isDirectory(path) ? ": the directory holds no data file" : ": not a directory"));
        }
    }

    private static void requirePath(Path path) {
        if (path == null) {
            throw new IllegalArgumentException("the store's path is null; give the directory of a crvecdb store");
        }
    }

    /** The number of vectors the index holds (deleted ones excluded). */
    public int size() {
        checkOpen();
        return engine.size();
    }

    /** Deleted and replaced records still taking space in the graph (0 after {@link #compact()}). */
    public int deletedCount() {
        checkOpen();
        return engine.deletedCount();
    }

    public int dimensions() {
        checkAvailable();
        return engine.dimensions;
    }

    public Metric metric() {
        checkAvailable();
        return engine.metric;
    }

    public int m() {
        checkAvailable();
        return engine.m;
    }

    public int efConstruction() {
        checkAvailable();
        return engine.efConstruction;
    }

    public Quantization quantization() {
        checkAvailable();
        return engine.quantization;
    }

    /** The candidate list size a search uses when it gives none. */
    public int efSearch() {
        checkAvailable();
        return efSearch;
    }

    /** The store's directory, empty for an in-memory index. */
    public Optional<Path> storagePath() {
        return directory == null ? Optional.ofNullable(unavailableStore) : Optional.of(directory.path());
    }

    public Durability durability() {
        checkAvailable();
        return durability;
    }

    /** Bytes of the store's files on disk; 0 in memory. */
    public long storeSizeBytes() {
        checkOpen();
        return directory == null ? 0 : directory.sizeOnDisk();
    }

    /**
     * Bytes of memory that searches walk: the graph's links, plus the int8 codes of an
     * {@link Quantization#INT8} index (once its quantizer is trained) or the float vectors
     * otherwise. Counted by allocated pages of 4,096 records, so cheap enough for a metrics gauge.
     * An int8 index also keeps its float vectors, which a search reads only to re-score its best
     * few; they are not counted (a durable index leaves them in the mapped file, where the page
     * cache can evict them).
     */
    public long searchMemoryBytes() {
        checkOpen();
        return engine.searchMemoryBytes();
    }

    // ---------------------------------------------------------------------------------------------
    // Writes

    /** Adds a vector, or replaces the vector stored under {@code id}. */
    public void add(String id, float[] vector) {
        add(id, vector, null);
    }

    /**
     * Adds a vector with a payload (opaque bytes returned by {@link #get}), or replaces both when
     * {@code id} exists. The vector and payload are copied. On a durable index under
     * {@link Durability#SYNC}, the record is on disk when this returns.
     *
     * @throws IllegalArgumentException if the id is null or empty, the vector is null, has the wrong
     *                                  number of dimensions, contains NaN or infinity, or (cosine)
     *                                  is all zeros or of extreme length; the index is then unchanged
     * @throws IllegalStateException    if the index is closed
     */
    public void add(String id, float[] vector, byte[] payload) {
        checkOpen();
        checkId(id);
        checkVector(vector, "vector of '" + id + "'");
        long start = System.nanoTime();
        long seq = insert(id, vector.clone(), payload == null ? NO_PAYLOAD : payload.clone());
        afterWrites(seq);
        countWrites(1, start);
    }

    private void countWrites(long count, long start) {
        writes.add(count);
        writeNanos.add(System.nanoTime() - start);
    }

    /** Operation counts and times since the index was opened. */
    public IndexStats stats() {
        return new IndexStats(writes.sum(), writeNanos.sum(), searches.sum(), searchNanos.sum());
    }

    /**
     * Adds many records using {@code parallelism} threads (1 = the calling thread only). Every
     * record is validated before any is added, so a bad record leaves the index unchanged. When
     * one id appears several times, the last record wins. On a durable index under {@link
     * Durability#SYNC} the whole batch is on disk when this returns (one fsync for the batch).
     * A batch is not a transaction: a {@link #close()} while it runs keeps (and checkpoints) the
     * records written so far and fails the rest, and this throws {@link IllegalStateException}.
     */
    public void addAll(List<VectorRecord> records, int parallelism) {
        checkOpen();
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        if (records == null) {
            throw new IllegalArgumentException("records is null; pass a list of VectorRecord");
        }
        for (int i = 0; i < records.size(); i++) {
            VectorRecord record = records.get(i);
            if (record == null) {
                throw new IllegalArgumentException("record " + i + " is null; nothing was added");
            }
            checkId(record.id());
            checkVector(record.vector(), "vector of '" + record.id() + "' (record " + i + ")");
            checkRecordSize(record);
        }
        // Later duplicates win: insert only the last occurrence of each id.
        Map<String, Integer> last = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            last.put(records.get(i).id(), i);
        }
        long start = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        AtomicLong lastSeq = new AtomicLong();
        Runnable worker = () -> {
            for (int i; (i = next.getAndIncrement()) < records.size(); ) {
                VectorRecord record = records.get(i);
                if (last.get(record.id()) == i) {
                    long seq = insert(record.id(), record.vector().clone(), record.payload().clone());
                    lastSeq.accumulateAndGet(seq, Math::max);
                }
            }
        };
        Engine.runParallel(worker, Math.min(parallelism, Math.max(1, records.size())));
        afterWrites(lastSeq.get());
        countWrites(last.size(), start); // records written: an id given twice is written once
    }

    /** Logs and applies one add; returns its log sequence number (0 in memory). */
    private long insert(String id, float[] vector, byte[] payload) {
        gate.readLock().lock();
        try {
            checkWritable();
            ReentrantLock lock = idLock(id);
            lock.lock();
            try {
                long seq = log == null ? 0 : failOnIo(() -> log.append(LogRecords.add(id, vector, payload)));
                engine.insert(id, vector, payload);
                return seq;
            } finally {
                lock.unlock();
            }
        } finally {
            gate.readLock().unlock();
        }
    }

    /** Deletes the record stored under {@code id}; returns whether there was one. Durable like {@link #add}. */
    public boolean delete(String id) {
        checkOpen();
        checkId(id);
        long start = System.nanoTime();
        long seq = remove(id);
        if (seq < 0) {
            return false;
        }
        afterWrites(seq);
        countWrites(1, start);
        return true;
    }

    /**
     * Deletes the records stored under {@code ids}; returns how many there were. Every id is
     * checked before any record is deleted, so a bad id leaves the index unchanged. On a durable
     * index under {@link Durability#SYNC} the deletes are on disk when this returns (one fsync for
     * all); a crash before that keeps a prefix of them, in the order given.
     */
    public int deleteAll(Collection<String> ids) {
        checkOpen();
        if (ids == null) {
            throw new IllegalArgumentException("ids is null; pass a collection of record ids");
        }
        ids.forEach(VectorIndex::checkId);
        long start = System.nanoTime();
        long lastSeq = 0;
        int deleted = 0;
        for (String id : ids) {
            long seq = remove(id);
            if (seq >= 0) {
                lastSeq = Math.max(lastSeq, seq);
                deleted++;
            }
        }
        afterWrites(lastSeq);
        countWrites(deleted, start);
        return deleted;
    }

    /** Logs and applies one delete; returns its log sequence number (0 in memory), or -1 if there was no record. */
    private long remove(String id) {
        gate.readLock().lock();
        try {
            checkWritable();
            ReentrantLock lock = idLock(id);
            lock.lock();
            try {
                if (!engine.contains(id)) {
                    return -1;
                }
                long seq = log == null ? 0 : failOnIo(() -> log.append(LogRecords.delete(id)));
                engine.delete(id);
                return seq;
            } finally {
                lock.unlock();
            }
        } finally {
            gate.readLock().unlock();
        }
    }

    /**
     * After writes return from the index: repairs the graph around tombstones when due, makes the
     * writes durable (sync mode), and checkpoints when the log has grown large.
     */
    private void afterWrites(long seq) {
        if (engine.quantizationDue()) {
            gate.writeLock().lock(); // (re)encoding every record must not race writers
            try {
                if (!closed && engine.quantizationDue()) {
                    engine.trainQuantizer();
                }
            } finally {
                gate.writeLock().unlock();
            }
        }
        boolean repaired;
        gate.readLock().lock();
        try {
            if (closedDurably) {
                return; // the close waited for this write's insert and stored it: it succeeded
            }
            checkOpen();
            repaired = engine.repairIfDue();
            if (log != null && durability == Durability.SYNC) {
                failOnIo(() -> {
                    log.sync(seq);
                    return seq;
                });
            }
        } finally {
            gate.readLock().unlock();
        }
        if (repaired) {
            // Relinking around tombstones can leave a few records out of reach (most often under
            // dot product): link them back now, not only at the next checkpoint or compaction.
            gate.writeLock().lock();
            try {
                if (!closed) {
                    engine.reconnectUnreachable();
                }
            } finally {
                gate.writeLock().unlock();
            }
        }
        if (log != null && log.size() > Math.max(MIN_CHECKPOINT_LOG_BYTES, dataFileBytes) && checkpointLock.tryLock()) {
            try {
                checkpoint();
            } finally {
                checkpointLock.unlock();
            }
        }
    }

    /**
     * Writes the index to a new data file and starts an empty log, so a reopen replays nothing.
     * Writers wait meanwhile; searches go on. Runs by itself when the log outgrows the data file;
     * a no-op in memory.
     */
    public void checkpoint() {
        if (directory == null) {
            checkOpen();
            return;
        }
        gate.writeLock().lock();
        try {
            checkWritable();
            failOnIo(() -> {
                writeGeneration(false, efSearch);
                return 0L;
            });
        } finally {
            gate.writeLock().unlock();
        }
    }

    /**
     * Drops deleted and replaced records for good: the graph is first relinked around them, then
     * the live records are written to a new data file (crash-safe like a checkpoint) that the index
     * switches to. They are stored in the graph's breadth-first order, so that nodes a search visits
     * together sit together in memory: worth doing after a bulk load even with nothing deleted
     * (1.1–1.2× the search throughput on SIFT-100k's 128-dimension vectors; no change measured at
     * 384 dimensions, where one vector spans many cache lines anyway). Searches keep working
     * throughout, on the old records until the switch; writers wait. In memory, the same happens
     * without a file: the index switches to a renumbered copy, which takes about as much memory
     * again while it is made.
     */
    public void compact() {
        gate.writeLock().lock();
        try {
            checkWritable();
            if (directory != null) {
                failOnIo(() -> {
                    writeGeneration(true, efSearch);
                    return 0L;
                });
            } else {
                engine = engine.compacted();
            }
        } finally {
            gate.writeLock().unlock();
        }
    }

    /**
     * Commits the next generation: data file under a temporary name, fsync, rename, directory
     * fsync; then a fresh log, then the old generation's files are deleted. A crash anywhere
     * leaves either the old generation (with its log) or the new one. Caller holds the write gate.
     */
    private void writeGeneration(boolean compact, int storedEfSearch) {
        long next = generation + 1;
        Path target = directory.dataFile(next);
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        long lastSeq = log == null ? 0 : log.lastSeq();
        despiteInterrupts(() -> {
            try (DataFile.Writer writer = new DataFile.Writer(directory.io(), temporary)) {
                engine.writeTo(writer, storedEfSearch, next, lastSeq, storeId, compact);
            }
            return null;
        });
        despiteInterrupts(() -> {
            directory.commit(temporary, target);
            return null;
        });
        WriteAheadLog previous = log;
        log = despiteInterrupts(() -> WriteAheadLog.create(directory, next, lastSeq, storeId));
        if (previous != null) {
            previous.close();
        }
        generation = next;
        efSearchOnDisk = storedEfSearch;
        dataFileBytes = fileSize(target);
        directory.deleteGarbage(next);
        if (compact) {
            Engine replaced = engine;
            engine = despiteInterrupts(() -> load(DataFile.open(directory.io(), target), () -> { }));
            replaced.reads.retire();
            // Dropping tombstones can cut a path that only they carried: relink, and commit that too.
            if (engine.reconnectUnreachable() > 0) {
                writeGeneration(false, storedEfSearch);
            }
        }
    }

    /**
     * Refuses a directory where another data file belongs to a different store than the newest
     * one: a file copied in from elsewhere (a restore into the wrong place) must not replace the
     * store, whose own files the reopen would then delete as garbage.
     */
    private void checkOneStore(long current, Path newest, long id) {
        for (Path other : directory.dataFilesExcept(current)) {
            long otherId;
            try {
                otherId = DataFile.readHeader(directory.io(), other).storeId();
            } catch (StoreCorruptedException | io.crvecdb.storage.StoreFormatException e) {
                continue; // an older generation's file is garbage whatever it holds
            }
            if (id != 0 && otherId != 0 && otherId != id) {
                throw new IllegalStateException("the storage directory " + directory.path() + " holds data files of two "
                        + "stores: " + newest.getFileName() + " (store " + Long.toHexString(id) + ") and "
                        + other.getFileName() + " (store " + Long.toHexString(otherId) + "); one was copied in from "
                        + "another store. Move the file that does not belong out of the directory and open it again; "
                        + "nothing was changed");
            }
        }
    }

    private static long newStoreId() {
        long id;
        do {
            id = new java.security.SecureRandom().nextLong();
        } while (id == 0);
        return id;
    }

    /** An engine over {@code file}, which it owns from then on; the file is closed if that fails. */
    private static Engine load(DataFile file, Runnable check) {
        try {
            check.run();
            return Engine.load(file);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Reads

    /**
     * Runs a read on the current engine, whose mapped file stays mapped until the read is done
     * although a compaction or a close may replace the engine meanwhile.
     */
    private <T> T read(java.util.function.Function<Engine, T> read) {
        while (true) {
            checkOpen();
            Engine current = engine;
            if (current.reads.begin()) {
                try {
                    return read.apply(current);
                } finally {
                    current.reads.end();
                }
            }
        }
    }

    /** The record stored under {@code id}, if any. */
    public Optional<VectorRecord> get(String id) {
        checkOpen();
        checkId(id);
        return Optional.ofNullable(read(current -> current.get(id)));
    }

    public boolean contains(String id) {
        checkOpen();
        checkId(id);
        return engine.contains(id);
    }

    /**
     * Calls {@code action} with every live record (vector and payload copied), in storage order:
     * the order of insertion, until a {@link #compact()} stores the records in the graph's
     * breadth-first order. Writes that run meanwhile may or may not be seen; a record is never seen
     * twice, nor missed if it exists throughout.
     */
    public void forEach(java.util.function.Consumer<VectorRecord> action) {
        checkOpen();
        if (action == null) {
            throw new IllegalArgumentException("action must not be null");
        }
        read(current -> {
            current.forEach(action);
            return null;
        });
    }

    /** The {@code k} nearest records, best first, searched with the index's default ef. */
    public List<SearchHit> search(float[] query, int k) {
        return search(query, k, 0, null);
    }

    /** The {@code k} nearest records that {@code filter} accepts, best first. */
    public List<SearchHit> search(float[] query, int k, SearchFilter filter) {
        return search(query, k, 0, filter);
    }

    /**
     * The {@code k} nearest records that {@code filter} accepts, best first.
     *
     * @param ef     candidate list size; larger is slower and more accurate. 0 uses
     *               {@link #efSearch()}; a value below {@code k} is raised to {@code k}
     * @param filter null to accept every record
     * @throws IllegalArgumentException if {@code k <= 0}, {@code ef < 0} or the query is invalid
     *                                  (as for {@link #add})
     * @throws IllegalStateException    if the index is closed
     */
    public List<SearchHit> search(float[] query, int k, int ef, SearchFilter filter) {
        checkOpen();
        if (k <= 0) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (ef < 0) {
            throw new IllegalArgumentException("ef must be 0 (the index default) or positive, got " + ef);
        }
        checkVector(query, "query");
        long start = System.nanoTime();
        int beam = ef == 0 ? efSearch : ef;
        List<SearchHit> hits = read(current -> current.search(query, k, beam, filter));
        searches.increment();
        searchNanos.add(System.nanoTime() - start);
        return hits;
    }

    /**
     * Live records that a walk of the graph from its entry point does not reach; a healthy graph
     * has 0. A search returns them only where it scans: when its beam covers every record, or
     * when the graph yields fewer than k. Deletes and updates can leave a few behind (most often
     * under dot product, whose nearest neighbours are not symmetric) until the graph's next
     * repair around deleted records (after every quarter of the live records deleted or
     * replaced), {@link #checkpoint}, {@link #compact} or reopen, which link them back in.
     */
    public int unreachableCount() {
        checkOpen();
        return engine.countUnreachable();
    }

    // ---------------------------------------------------------------------------------------------
    // Lifecycle

    /**
     * Closes the index: later reads, searches and writes fail with {@link IllegalStateException}
     * (its settings, {@link #storagePath}, {@link #readOnlyReason}, {@link #stats} and {@link
     * #isClosed} still answer). A durable index first waits for writes in flight, checkpoints if its
     * log holds anything (so a reopen replays nothing) or its efSearch was given at the open and
     * differs from the stored one, then releases the store's lock; a write it overtook before its
     * sync returns normally, being in the checkpoint. Idempotent.
     */
    @Override
    public void close() {
        if (directory == null) {
            closed = true;
            return;
        }
        gate.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            if (syncer != null) {
                syncer.shutdownNow();
            }
            try {
                // After a write failure the log still holds every acknowledged write: leave it to the reopen.
                // An efSearch given at the open replaces the stored one whether or not anything was written.
                if (log != null && (log.size() > 0 || efSearch != efSearchOnDisk) && writeFailure == null) {
                    withoutInterrupt(() -> {
                        writeGeneration(false, efSearch);
                        return 0L;
                    });
                }
                closedDurably = writeFailure == null && !readOnly;
            } finally {
                closed = true;
                releaseStore();
            }
        } finally {
            gate.writeLock().unlock();
        }
    }

    private void releaseStore() {
        if (log != null) {
            log.close();
        }
        if (engine != null) {
            engine.reads.retire();
        }
        directory.close();
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Whether the index was {@linkplain #openReadOnly opened for reading only}: it refuses writes by
     * design, while a {@link #readOnlyReason} on an index opened for writing means a write failed.
     */
    public boolean isOpenedReadOnly() {
        return readOnly;
    }

    /**
     * Why the index no longer accepts writes: the failure of a write to its files (disk full, an
     * I/O error, a failed fsync), or an {@linkplain #openReadOnly open for reading only}. Empty while
     * it is writable. Searches keep working either way; reopen the store once the cause is fixed:
     * everything acknowledged is there.
     */
    public Optional<String> readOnlyReason() {
        checkAvailable();
        if (readOnly) {
            return Optional.of("opened read-only (VectorIndex.openReadOnly)");
        }
        RuntimeException failure = writeFailure;
        return failure == null ? Optional.empty() : Optional.of(failure.getMessage());
    }

    private void checkAvailable() {
        if (unavailable != null) {
            throw new IllegalStateException(unavailable);
        }
    }

    private void checkOpen() {
        checkAvailable();
        if (closed) {
            throw new IllegalStateException("the index is closed; open or build a new one");
        }
    }

    /**
     * Throws the exception a write would throw now, without writing: for a caller with costly work
     * to do before its write (the Spring AI store embeds its documents first).
     *
     * @throws IllegalStateException if the index is closed, {@linkplain #isOpenedReadOnly opened for
     *                               reading only}, or read-only since a write failed (see
     *                               {@link #readOnlyReason})
     */
    public void checkWritable() {
        checkOpen();
        if (readOnly) {
            throw new IllegalStateException("the index at " + directory.path() + " was opened read-only "
                    + "(VectorIndex.openReadOnly); open it with VectorIndex.open to write");
        }
        RuntimeException failure = writeFailure;
        if (failure != null) {
            throw new IllegalStateException("the index at " + directory.path() + " is read-only since a write to its "
                    + "files failed (" + failure.getMessage() + "); searches still work. Fix the cause (e.g. free "
                    + "disk space) and reopen it: every acknowledged write is kept", failure);
        }
    }

    /** A write to the store's files: on an I/O failure, the index turns read-only and the failure is rethrown. */
    private long failOnIo(java.util.function.LongSupplier write) {
        try {
            return withoutInterrupt(write);
        } catch (java.io.UncheckedIOException | StoreCorruptedException e) {
            if (writeFailure == null) {
                writeFailure = e;
            }
            throw e;
        }
    }

    /**
     * Runs I/O on the store's channels with the caller's interrupt status cleared, and restores it
     * after: a {@code FileChannel} that an interrupted thread writes or syncs is closed for good
     * ({@code ClosedByInterruptException}), which would fail the write and turn the index read-only
     * for every thread, although no file failed.
     */
    private static long withoutInterrupt(java.util.function.LongSupplier io) {
        boolean interrupted = Thread.interrupted();
        try {
            return io.getAsLong();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs a step of a checkpoint or compaction again, on fresh channels, when an interrupt that
     * arrived meanwhile closed one under it ({@code ClosedByInterruptException}): the step is
     * repeatable (a temporary file rewritten from the start, a rename already made, a new log
     * created again), and failing it would turn the index read-only although no file failed. The
     * thread keeps its interrupt. More than {@value #MAX_INTERRUPTED_ATTEMPTS} interrupts in a row
     * fail the step.
     */
    private static <T> T despiteInterrupts(java.util.function.Supplier<T> step) {
        boolean interrupted = false;
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    return step.get();
                } catch (java.io.UncheckedIOException e) {
                    if (!(e.getCause() instanceof java.nio.channels.ClosedByInterruptException)
                            || attempt == MAX_INTERRUPTED_ATTEMPTS) {
                        throw e;
                    }
                    Thread.interrupted();
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long fileSize(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the size of " + file + ": " + e.getMessage(), e);
        }
    }

    private static void checkId(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("id must be a non-empty string, got " + (id == null ? "null" : "\"\""));
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < id.length() && Character.isLowSurrogate(id.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                // UTF-8, in which ids are stored, has no encoding for half a pair: two such ids would
                // be stored as one.
                throw new IllegalArgumentException("id has an unpaired surrogate \\u" + Integer.toHexString(c)
                        + " at index " + i + "; ids must be well-formed text");
            }
        }
    }

    /** A durable index's log bounds a record's size: checked before a batch applies any of it. */
    private void checkRecordSize(VectorRecord record) {
        if (log != null && LogRecords.addBytes(record.id(), record.vector().length, record.payload().length)
                > WriteAheadLog.MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("the payload of '" + record.id() + "' takes " + record.payload().length
                    + " bytes, over the log's limit of " + WriteAheadLog.MAX_RECORD_BYTES + " bytes per record; store "
                    + "large payloads elsewhere and keep a reference. Nothing was added");
        }
    }

    private void checkVector(float[] vector, String what) {
        int dimensions = engine.dimensions;
        if (vector == null) {
            throw new IllegalArgumentException(what + " is null; expected " + dimensions + " floats");
        }
        if (vector.length != dimensions) {
            throw new IllegalArgumentException(what + " has " + vector.length + " dimensions; this index expects "
                    + dimensions);
        }
        engine.metric.checkIndexable(vector, what);
    }

    private ReentrantLock idLock(String id) {
        return idLocks[id.hashCode() & (ID_LOCK_STRIPES - 1)];
    }

    /**
     * Settings of a new index, or of the opening of a stored one. A new index needs
     * {@link #dimensions}; a stored one takes every setting from its store, and a setting given
     * here that contradicts the store is an error, never a silent rebuild.
     */
    public static final class Builder {
        private Integer dimensions;
        private Metric metric;
        private Integer m;
        private Integer efConstruction;
        private Integer efSearch;
        private Long seed;
        private Quantization quantization;
        private Path storage;
        private Durability durability = Durability.SYNC;
        private Duration syncInterval = DEFAULT_SYNC_INTERVAL;
        /** The durability setting given, if any: without a storage path it would be void. */
        private String durabilitySetting;
        /** How the store touches its files; tests inject failures here. */
        StoreIO io = StoreIO.DEFAULT;
        /** Set by {@link VectorIndex#openReadOnly}. */
        boolean readOnly;

        private Builder() {
        }

        /** Number of components of every vector; required for a new index, from 1 to {@link #MAX_DIMENSIONS}. */
        public Builder dimensions(int dimensions) {
            this.dimensions = dimensions;
            return this;
        }

        /** How vectors are compared; default cosine. */
        public Builder metric(Metric metric) {
            if (metric == null) {
                throw new IllegalArgumentException("metric must not be null; use cosine, l2 or dot");
            }
            this.metric = metric;
            return this;
        }

        /** Same as {@link #metric(Metric)} with a name parsed by {@link Metric#parse}. */
        public Builder metric(String metric) {
            return metric(Metric.parse(metric));
        }

        /** Maximum links per node on upper layers (2·m on the base layer); default 16, from 2 to 512. */
        public Builder m(int m) {
            this.m = m;
            return this;
        }

        /** Candidate list size while inserting; default 200, at least 1 (raised to m). */
        public Builder efConstruction(int efConstruction) {
            this.efConstruction = efConstruction;
            return this;
        }

        /**
         * Default candidate list size while searching; default 100, at least 1. Not a property of
         * the stored data: given when reopening a store, it replaces the stored default, which later
         * opens that give none use (written at the close, whether or not anything else was).
         */
        public Builder efSearch(int efSearch) {
            this.efSearch = efSearch;
            return this;
        }

        /** Seed of the level assignment, for reproducible graphs; default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** How the graph search reads vectors; default {@link Quantization#NONE}. */
        public Builder quantization(Quantization quantization) {
            if (quantization == null) {
                throw new IllegalArgumentException("quantization must not be null; use NONE or INT8");
            }
            this.quantization = quantization;
            return this;
        }

        /**
         * Makes the index durable in this directory: created if missing, reopened if it holds a
         * store. Absent (the default), the index lives in memory only.
         */
        public Builder storage(Path directory) {
            if (directory == null) {
                throw new IllegalArgumentException("storage path must not be null; leave it unset for an in-memory index");
            }
            this.storage = directory;
            return this;
        }

        /**
         * When writes are on disk; default {@link Durability#SYNC}. Only for a durable index:
         * {@link #build} refuses it without a {@linkplain #storage storage path}.
         */
        public Builder durability(Durability durability) {
            if (durability == null) {
                throw new IllegalArgumentException("durability must not be null; use SYNC or INTERVAL");
            }
            this.durability = durability;
            this.durabilitySetting = "durability";
            return this;
        }

        /**
         * The fsync period under {@link Durability#INTERVAL}; default 100 ms, from 1 ms to 1 minute.
         * Only for a durable index, as {@link #durability}.
         */
        public Builder syncInterval(Duration interval) {
            if (interval == null || interval.compareTo(Duration.ofMillis(1)) < 0 || interval.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("sync interval must be between 1 ms and 1 minute, got " + interval);
            }
            this.syncInterval = interval;
            this.durabilitySetting = "syncInterval";
            return this;
        }

        /**
         * Validates the settings and creates the index, or opens the store at the storage path.
         *
         * @throws IllegalArgumentException  for an invalid setting, one that contradicts the store, or
         *                                   durability or syncInterval without a storage path
         * @throws IllegalStateException     if another process has the store open
         * @throws StoreCorruptedException   if a store file fails its checks
         * @throws java.io.UncheckedIOException if the store cannot be read or written
         */
        public VectorIndex build() {
            if (dimensions != null && dimensions < 1) {
                throw new IllegalArgumentException("dimensions must be at least 1, got " + dimensions
                        + "; set it to the length of your vectors (e.g. 384 for all-MiniLM-L6-v2)");
            }
            if (dimensions != null && dimensions > MAX_DIMENSIONS) {
                throw new IllegalArgumentException("dimensions must be at most " + MAX_DIMENSIONS + ", got " + dimensions
                        + "; reduce the vectors' dimensions (e.g. with PCA) before indexing them");
            }
            if (m != null && m < 2) {
                throw new IllegalArgumentException("m must be at least 2, got " + m + "; 16 is a good default");
            }
            if (m != null && m > 512) {
                throw new IllegalArgumentException("m must be at most 512, got " + m + "; 16 to 64 is typical");
            }
            if (efConstruction != null && efConstruction < 1) {
                throw new IllegalArgumentException("efConstruction must be at least 1, got " + efConstruction
                        + "; 200 is a good default");
            }
            if (efSearch != null && efSearch < 1) {
                throw new IllegalArgumentException("efSearch must be at least 1, got " + efSearch
                        + "; " + DEFAULT_EF_SEARCH + " is a good default");
            }
            if (storage == null && durabilitySetting != null) {
                // Silently void otherwise: an application that asked for durable writes would lose them all.
                throw new IllegalArgumentException(durabilitySetting + " is set but no storage path is: the index "
                        + "would live in memory only, and nothing of it would survive a restart; set storage for a "
                        + "durable index, or remove the setting");
            }
            return new VectorIndex(this);
        }

        private int requireDimensions() {
            if (dimensions == null) {
                throw new IllegalArgumentException("dimensions must be at least 1, got 0"
                        + "; set it to the length of your vectors (e.g. 384 for all-MiniLM-L6-v2)");
            }
            return dimensions;
        }

        private Metric metric() {
            return metric == null ? Metric.COSINE : metric;
        }

        private int m() {
            return m == null ? DEFAULT_M : m;
        }

        private int efConstruction() {
            return efConstruction == null ? DEFAULT_EF_CONSTRUCTION : efConstruction;
        }

        private int efSearch() {
            return efSearch == null ? DEFAULT_EF_SEARCH : efSearch;
        }

        private long seed() {
            return seed == null ? 42 : seed;
        }

        private Quantization quantization() {
            return quantization == null ? Quantization.NONE : quantization;
        }

        /** Every setting given explicitly must match the store's. */
        private void checkAgainst(Path path, DataFile.Header stored) {
            conflict(path, "dimensions", dimensions, stored.dimensions());
            conflict(path, "metric", metric, stored.metric());
            conflict(path, "m", m, stored.m());
            conflict(path, "efConstruction", efConstruction, stored.efConstruction());
            conflict(path, "seed", seed, stored.seed());
            conflict(path, "quantization", quantization, stored.quantization());
        }

        private static void conflict(Path path, String setting, Object given, Object stored) {
            if (given != null && !given.equals(stored)) {
                throw new IllegalArgumentException("the store at " + path + " has " + setting + " " + stored
                        + " but " + given + " was given; drop the setting to use the stored one, or choose another "
                        + "storage path for a new index");
            }
        }
    }
}
