package io.crvecdb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.crvecdb.storage.StoreCorruptedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A durable index reopens to exactly what it held: records, payloads, deletes and search results. */
class DurableStoreTest {

    private static final int DIMENSIONS = 24;
    private static final int RECORDS = 3000;

    @TempDir
    Path dir;

    static float[] vector(int i) {
        return Datasets.gaussian(new Random(i * 7919L + 1), DIMENSIONS);
    }

    static byte[] payload(int i) {
        return ("payload of " + i).repeat(i % 4).getBytes(StandardCharsets.UTF_8);
    }

    private static VectorIndex.Builder settings(Path path) {
        return VectorIndex.builder().dimensions(DIMENSIONS).metric(Metric.L2).m(12).efConstruction(100).storage(path);
    }

    /** Adds every record, upserts every 10th, deletes every 7th: returns the expected content. */
    private static float[][] fill(VectorIndex index) {
        List<VectorRecord> records = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            records.add(new VectorRecord(Datasets.id(i), vector(i), payload(i)));
        }
        index.addAll(records, 2);
        float[][] expected = new float[RECORDS][];
        for (int i = 0; i < RECORDS; i++) {
            expected[i] = vector(i);
            if (i % 10 == 0) {
                expected[i] = vector(i + RECORDS);
                index.add(Datasets.id(i), expected[i], payload(i));
            }
            if (i % 7 == 0) {
                assertThat(index.delete(Datasets.id(i))).isTrue();
                expected[i] = null;
            }
        }
        return expected;
    }

    private static List<List<SearchHit>> searches(VectorIndex index) {
        List<List<SearchHit>> results = new ArrayList<>();
        for (int q = 0; q < 50; q++) {
            results.add(index.search(vector(-q - 1), 10));
            results.add(index.search(vector(-q - 1), 5, 40, id -> Integer.parseInt(id) % 3 == 0));
        }
        return results;
    }

    static void assertHolds(VectorIndex index, float[][] expected) {
        int live = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] == null) {
                assertThat(index.get(Datasets.id(i))).as("deleted record %d", i).isEmpty();
                continue;
            }
            live++;
            int ordinal = i;
            assertThat(index.get(Datasets.id(i))).as("record %d", i).hasValueSatisfying(r -> {
                assertThat(r.vector()).containsExactly(expected[ordinal]);
                assertThat(r.payload()).containsExactly(payload(ordinal));
            });
        }
        assertThat(index.size()).isEqualTo(live);
        java.util.Set<String> listed = new java.util.HashSet<>();
        index.forEach(r -> {
            assertThat(listed.add(r.id())).as("listed twice: %s", r.id()).isTrue();
            int i = Integer.parseInt(r.id());
            assertThat(r.vector()).containsExactly(expected[i]);
            assertThat(r.payload()).containsExactly(payload(i));
        });
        assertThat(listed).hasSize(live);
    }

    @Test
    void reopensWithIdenticalRecordsAndResults() {
        float[][] expected;
        List<List<SearchHit>> before;
        int deleted;
        try (VectorIndex index = settings(dir).build()) {
            expected = fill(index);
            before = searches(index);
            deleted = index.deletedCount();
            assertThat(index.storagePath()).contains(dir);
        }
        try (VectorIndex reopened = VectorIndex.open(dir)) {
            assertThat(reopened.dimensions()).isEqualTo(DIMENSIONS);
            assertThat(reopened.metric()).isEqualTo(Metric.L2);
            assertThat(reopened.m()).isEqualTo(12);
            assertThat(reopened.efConstruction()).isEqualTo(100);
            assertThat(reopened.deletedCount()).isEqualTo(deleted);
            assertHolds(reopened, expected);
            assertThat(searches(reopened)).isEqualTo(before);
            assertThat(reopened.unreachableCount()).isZero();
        }
    }

    @Test
    void closeLeavesNothingToReplay() throws IOException {
        try (VectorIndex index = settings(dir).build()) {
            fill(index);
        }
        try (var files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names).hasSize(3).contains("LOCK");
            String log = names.stream().filter(n -> n.startsWith("wal-")).findFirst().orElseThrow();
            assertThat(Files.size(dir.resolve(log))).as("log after close").isEqualTo(32);
        }
    }

    @Test
    void writesAfterReopenAndCheckpointsSurvive() {
        float[][] expected;
        try (VectorIndex index = settings(dir).build()) {
            expected = fill(index);
        }
        try (VectorIndex index = VectorIndex.open(dir)) {
            for (int i = 0; i < RECORDS; i += 3) {
                if (expected[i] == null) {
                    expected[i] = vector(i);
                    index.add(Datasets.id(i), expected[i], payload(i));
                }
            }
            index.checkpoint();
            index.delete(Datasets.id(1));
            expected[1] = null;
        }
        try (VectorIndex index = VectorIndex.open(dir)) {
            assertHolds(index, expected);
        }
    }

    @Test
    void aBulkDeleteIsDurableAndCountsWhatItDeleted() {
        float[][] expected;
        try (VectorIndex index = settings(dir).build()) {
            expected = fill(index);
            List<String> ids = new ArrayList<>();
            int present = 0;
            for (int i = 0; i < RECORDS; i += 5) {
                ids.add(Datasets.id(i));
                ids.add(Datasets.id(i)); // a repeated id is deleted once
                present += expected[i] == null ? 0 : 1;
                expected[i] = null;
            }
            ids.add("never-added");
            assertThat(index.deleteAll(ids)).isEqualTo(present);
            assertThat(index.deleteAll(List.of())).isZero();
            assertHolds(index, expected);
        }
        try (VectorIndex index = VectorIndex.open(dir)) {
            assertHolds(index, expected);
            assertThat(index.unreachableCount()).isZero();
        }
    }

    @Test
    void compactionDropsTombstonesAndKeepsResults() {
        float[][] expected;
        try (VectorIndex index = settings(dir).build()) {
            expected = fill(index);
            for (int i = 0; i < RECORDS; i += 2) {
                if (expected[i] != null) {
                    index.delete(Datasets.id(i));
                    expected[i] = null;
                }
            }
            long before = index.storeSizeBytes();
            index.compact();
            assertThat(index.deletedCount()).isZero();
            assertHolds(index, expected);
            assertThat(index.unreachableCount()).isZero();
            assertExactEnough(index, expected);
            index.checkpoint();
            assertThat(index.storeSizeBytes()).isLessThan(before);
        }
        try (VectorIndex index = VectorIndex.open(dir)) {
            assertThat(index.deletedCount()).isZero();
            assertHolds(index, expected);
            assertExactEnough(index, expected);
        }
    }

    /**
     * With nothing to drop, a compaction only renumbers the records into the graph's order: the
     * graph is the same up to the numbering, so every search returns exactly what it did. Durable
     * and in memory, full precision and int8.
     */
    @ParameterizedTest(name = "durable {0}, {1}")
    @CsvSource({"true, NONE", "true, INT8", "false, NONE", "false, INT8"})
    void compactionWithNothingDeletedRenumbersAndKeepsEverySearchResult(boolean durable, Quantization quantization) {
        VectorIndex.Builder builder = VectorIndex.builder().dimensions(DIMENSIONS).metric(Metric.L2).m(12)
                .efConstruction(100).quantization(quantization);
        List<List<SearchHit>> before;
        try (VectorIndex index = (durable ? builder.storage(dir) : builder).build()) {
            List<VectorRecord> records = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                records.add(new VectorRecord(Datasets.id(i), vector(i), payload(i)));
            }
            index.addAll(records, 2);
            before = searches(index);
            long searchMemory = index.searchMemoryBytes();
            index.compact();
            assertThat(searches(index)).isEqualTo(before);
            if (durable && quantization == Quantization.NONE) {
                // The float vectors move to the mapped data file; their lists, no longer beside
                // them, are packed into pages of their own.
                assertThat(index.searchMemoryBytes()).isLessThan(searchMemory);
            } else {
                assertThat(index.searchMemoryBytes()).isEqualTo(searchMemory);
            }
            assertThat(index.unreachableCount()).isZero();
            assertThat(index.get(Datasets.id(17)).orElseThrow().payload()).containsExactly(payload(17));
        }
        if (durable) {
            try (VectorIndex index = VectorIndex.open(dir)) {
                assertThat(searches(index)).isEqualTo(before);
            }
        }
    }

    /** The soak found this: a compaction of a store whose every record is deleted (entry point included). */
    @Test
    void compactingAStoreWithEveryRecordDeletedLeavesAnEmptyStoreThatTakesWritesAgain() {
        try (VectorIndex index = settings(dir).build()) {
            fill(index);
            List<String> all = new ArrayList<>();
            index.forEach(record -> all.add(record.id()));
            assertThat(index.deleteAll(all)).isEqualTo(all.size());
            index.compact();
            assertThat(index.size()).isZero();
            assertThat(index.deletedCount()).isZero();
            assertThat(index.search(vector(1), 5)).isEmpty();
        }
        try (VectorIndex index = VectorIndex.open(dir)) {
            assertThat(index.size()).isZero();
            for (int i = 0; i < 100; i++) {
                index.add(Datasets.id(i), vector(i), payload(i));
            }
            assertThat(index.search(vector(7), 1)).extracting(SearchHit::id).containsExactly(Datasets.id(7));
        }
        try (VectorIndex index = VectorIndex.open(dir)) {
            assertThat(index.size()).isEqualTo(100);
            assertThat(index.unreachableCount()).isZero();
        }
    }

    @Test
    void inMemoryCompactionDropsTombstonesAndKeepsResults() {
        try (VectorIndex index = VectorIndex.builder().dimensions(DIMENSIONS).metric(Metric.L2).build()) {
            float[][] expected = fill(index);
            index.compact();
            assertThat(index.deletedCount()).isZero();
            assertHolds(index, expected);
            assertThat(index.unreachableCount()).isZero();
            assertExactEnough(index, expected);
        }
    }

    /** Recall@10 against brute force over the live records. */
    private static void assertExactEnough(VectorIndex index, float[][] expected) {
        double recall = 0;
        int queries = 50;
        for (int q = 0; q < queries; q++) {
            float[] query = vector(-q - 1);
            int[] truth = Datasets.exactNeighbors(Metric.L2, expected, query, 10, i -> expected[i] != null);
            recall += Datasets.recall(index.search(query, 10), truth, 10);
        }
        assertThat(recall / queries).isGreaterThan(0.95);
    }

    @Test
    void storedSettingsWinAndContradictionsAreErrors() {
        try (VectorIndex index = settings(dir).efSearch(77).build()) {
            index.add("a", vector(1));
        }
        try (VectorIndex index = VectorIndex.builder().storage(dir).build()) {
            assertThat(index.efSearch()).isEqualTo(77);
            assertThat(index.dimensions()).isEqualTo(DIMENSIONS);
        }
        try (VectorIndex index = VectorIndex.builder().storage(dir).efSearch(12).build()) {
            assertThat(index.efSearch()).as("efSearch is a search default, not stored data").isEqualTo(12);
        }
        assertThatThrownBy(() -> VectorIndex.builder().storage(dir).dimensions(384).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("dimensions " + DIMENSIONS)
                .hasMessageContaining("384 was given");
        assertThatThrownBy(() -> VectorIndex.builder().storage(dir).metric(Metric.COSINE).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metric L2");
        assertThatThrownBy(() -> VectorIndex.builder().storage(dir).m(16).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("m 12");
        try (VectorIndex index = VectorIndex.open(dir)) {
            assertThat(index.get("a")).isPresent();
        }
    }

    /**
     * An efSearch given at a reopen replaces the stored default (its Javadoc): whether the session
     * wrote anything must not decide whether the next open sees it.
     */
    @Test
    void anEfSearchGivenAtAReopenReplacesTheStoredDefaultWithOrWithoutWrites() {
        try (VectorIndex index = settings(dir).efSearch(77).build()) {
            index.add("a", vector(1));
        }
        try (VectorIndex index = VectorIndex.builder().storage(dir).efSearch(12).build()) {
            index.add("b", vector(2));
        }
        try (VectorIndex index = VectorIndex.open(dir)) {
            assertThat(index.efSearch()).as("after a session that wrote").isEqualTo(12);
        }
        try (VectorIndex index = VectorIndex.builder().storage(dir).efSearch(33).build()) {
            assertThat(index.search(vector(3), 1)).hasSize(1); // reads only
        }
        try (VectorIndex index = VectorIndex.open(dir)) {
            assertThat(index.efSearch()).as("after a session that only read").isEqualTo(33);
        }
    }

    @Test
    void badStoragePaths() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertThatThrownBy(() -> settings(file).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("is a file");
        Path foreign = Files.createDirectories(dir.resolve("foreign"));
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> settings(foreign).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(foreign.toString()).hasMessageContaining("no crvecdb store");
        assertThat(foreign.resolve("notes.txt")).hasContent("mine");
        assertThatThrownBy(() -> VectorIndex.open(dir.resolve("missing"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no crvecdb store");
        assertThat(foreign.resolve("LOCK")).as("nothing written into a foreign directory").doesNotExist();
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> VectorIndex.open(empty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no crvecdb store");
        assertThat(empty).isEmptyDirectory();
    }

    @Test
    void filesThatOnlyLookLikeTheStoresAreLeftAlone() throws IOException {
        Path users = Files.writeString(dir.resolve("upload-7f3a.tmp"), "an application's file");
        assertThatThrownBy(() -> settings(dir).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no crvecdb store");
        assertThat(users).hasContent("an application's file");
        Files.delete(users);
        try (VectorIndex index = settings(dir).build()) {
            index.add("a", vector(1));
        }
        Path stray = Files.writeString(dir.resolve("data-99999999999999999999.crv"), "not a generation");
        try (VectorIndex index = VectorIndex.open(dir)) {
            assertThat(index.get("a")).isPresent();
        }
        assertThat(stray).as("a name that is no generation of the store's").exists();
    }

    /**
     * Read-only, a store is inspected exactly as a writer's open would find it, and nothing in its
     * directory changes: not the log a crash left (torn tail included), not the generation.
     */
    @Test
    void aReadOnlyOpenReadsACrashImageAndChangesNoFile() throws IOException {
        Path live = dir.resolve("live");
        Path image = dir.resolve("image");
        float[][] expected;
        VectorIndex writer = settings(live).build();
        expected = fill(writer);
        Files.createDirectories(image);
        for (String name : fileNames(live)) {
            Files.copy(live.resolve(name), image.resolve(name)); // kill -9 now: the log holds everything
        }
        writer.close();
        Path log = image.resolve(fileNames(image).stream().filter(name -> name.startsWith("wal-")).findFirst().orElseThrow());
        Files.write(log, new byte[] {7, 0, 0, 0, 1}, java.nio.file.StandardOpenOption.APPEND); // a torn record
        Map<String, byte[]> before = contents(image);
        try (VectorIndex index = VectorIndex.openReadOnly(image)) {
            assertHolds(index, expected);
            assertThat(index.readOnlyReason()).contains("opened read-only (VectorIndex.openReadOnly)");
            assertThat(index.isOpenedReadOnly()).isTrue();
            assertThatThrownBy(() -> index.add("x", vector(1))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("opened read-only").hasMessageContaining("VectorIndex.open to write");
            assertThatThrownBy(() -> index.delete(Datasets.id(1))).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(index::checkpoint).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(index::compact).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> VectorIndex.open(image)).as("a writer while a reader has it")
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("is open in another process");
        }
        assertThat(contents(image)).as("every file, byte for byte").containsOnlyKeys(before.keySet())
                .allSatisfy((name, bytes) -> assertThat(bytes).as(name).isEqualTo(before.get(name)));
        try (VectorIndex index = VectorIndex.open(image)) {
            assertHolds(index, expected);
            assertThatThrownBy(() -> VectorIndex.openReadOnly(image)).as("a reader while a writer has it")
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("is open in another process");
        }
    }

    /** Readers in one JVM share its lock: a writer waits for the last of them to close. */
    @Test
    void readOnlyOpensInOneJvmShareTheStoreUntilTheLastCloses() throws IOException {
        Path store = dir.resolve("shared");
        float[][] expected;
        try (VectorIndex writer = settings(store).build()) {
            expected = fill(writer);
        }
        VectorIndex first = VectorIndex.openReadOnly(store);
        try (VectorIndex second = VectorIndex.openReadOnly(store)) {
            assertHolds(first, expected);
            assertHolds(second, expected);
            first.close();
            assertHolds(second, expected);
            assertThatThrownBy(() -> VectorIndex.open(store)).as("a writer while one reader is left")
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("is open in another process");
        } finally {
            first.close();
        }
        try (VectorIndex writer = VectorIndex.open(store)) {
            assertHolds(writer, expected);
            writer.add("after the readers", vector(1));
            assertThat(writer.get("after the readers")).isPresent();
        }
    }

    private static Map<String, byte[]> contents(Path directory) throws IOException {
        Map<String, byte[]> contents = new java.util.TreeMap<>();
        for (String name : fileNames(directory)) {
            contents.put(name, Files.readAllBytes(directory.resolve(name)));
        }
        return contents;
    }

    /** A restore into the wrong directory must not replace the store, whose own files the reopen would delete. */
    @Test
    void aDataFileOfAnotherStoreIsRefusedAndNothingIsDeleted() throws IOException {
        Path other = dir.resolve("other");
        try (VectorIndex index = VectorIndex.builder().dimensions(3).metric(Metric.COSINE).storage(other).build()) {
            index.add("theirs", new float[] {1, 2, 3});
            for (int i = 0; i < 4; i++) {
                index.checkpoint(); // generation 4, newer than the other store's
            }
        }
        Path mine = dir.resolve("mine");
        try (VectorIndex index = settings(mine).build()) {
            index.add("mine", vector(1));
        }
        List<String> before = fileNames(mine);
        Files.copy(other.resolve("data-4.crv"), mine.resolve("data-4.crv"));
        assertThatThrownBy(() -> VectorIndex.open(mine)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds data files of two stores: data-4.crv")
                .hasMessageContaining("and data-1.crv").hasMessageContaining("Move the file that does not belong");
        assertThat(fileNames(mine)).containsAll(before);
        Files.delete(mine.resolve("data-4.crv"));
        try (VectorIndex index = VectorIndex.open(mine)) {
            assertThat(index.get("mine")).isPresent();
        }
        // Generations of one store are one store: a checkpoint's older file left by a crash is fine.
        Files.copy(mine.resolve("data-1.crv"), mine.resolve("data-0.crv"));
        try (VectorIndex index = VectorIndex.open(mine)) {
            assertThat(index.get("mine")).isPresent();
        }
    }

    /**
     * A log copied over this store's from another store of the same generation and dimensions (a
     * backup restored into the wrong directory, or one store's file among another's): its records
     * were replayed into this store, whose own unsaved writes were lost.
     */
    @Test
    void aLogOfAnotherStoreIsRefused() throws IOException {
        Map<String, Path> images = new java.util.HashMap<>();
        for (String name : List.of("mine", "theirs")) {
            Path live = dir.resolve(name);
            Path image = dir.resolve(name + "-image");
            try (VectorIndex index = settings(live).build()) {
                index.add(name, vector(name.length()));
                Files.createDirectories(image);
                for (String file : fileNames(live)) {
                    Files.copy(live.resolve(file), image.resolve(file)); // kill -9 now: the log holds the add
                }
            }
            images.put(name, image);
        }
        Path mine = images.get("mine");
        String log = fileNames(mine).stream().filter(name -> name.startsWith("wal-")).findFirst().orElseThrow();
        assertThat(fileNames(images.get("theirs"))).contains(log);
        byte[] own = Files.readAllBytes(mine.resolve(log));
        Files.copy(images.get("theirs").resolve(log), mine.resolve(log), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> VectorIndex.open(mine)).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("a log of another store").hasMessageContaining("put back this store's own log");
        assertThatThrownBy(() -> VectorIndex.openReadOnly(mine)).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("a log of another store");
        Files.write(mine.resolve(log), own);
        try (VectorIndex index = VectorIndex.open(mine)) {
            assertThat(index.get("mine")).isPresent();
            assertThat(index.get("theirs")).isEmpty();
        }
    }

    /** A log written before logs named their store (format version 1) is still replayed. */
    @Test
    void aLogOfFormatVersion1IsStillReplayed() throws IOException {
        Path live = dir.resolve("live");
        Path image = dir.resolve("image");
        try (VectorIndex index = settings(live).build()) {
            index.add("logged", vector(3));
            Files.createDirectories(image);
            for (String file : fileNames(live)) {
                Files.copy(live.resolve(file), image.resolve(file));
            }
        }
        String log = fileNames(image).stream().filter(name -> name.startsWith("wal-")).findFirst().orElseThrow();
        byte[] bytes = Files.readAllBytes(image.resolve(log));
        java.nio.ByteBuffer header = java.nio.ByteBuffer.wrap(bytes, 0, 32).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long generation = header.getLong(12);
        header.putInt(8, 1).putLong(12, generation); // version 1: [magic][1][generation][crc of those 20 bytes]
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, 0, 20);
        header.putInt(20, (int) crc.getValue()).putLong(24, 0);
        Files.write(image.resolve(log), bytes);

        try (VectorIndex index = VectorIndex.open(image)) {
            assertThat(index.get("logged")).isPresent();
        }
    }

    private static List<String> fileNames(Path directory) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aBulkAddWithARecordOverTheLogsLimitAddsNothing() {
        try (VectorIndex index = settings(dir).build()) {
            List<VectorRecord> batch = List.of(new VectorRecord("ok-1", vector(1)),
                    new VectorRecord("huge", vector(2), new byte[io.crvecdb.storage.WriteAheadLog.MAX_RECORD_BYTES]),
                    new VectorRecord("ok-2", vector(3)));
            assertThatThrownBy(() -> index.addAll(batch, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("payload of 'huge'").hasMessageContaining("limit").hasMessageContaining("Nothing was added");
            assertThat(index.size()).isZero();
            assertThat(index.readOnlyReason()).isEmpty();
        }
    }

    /** A store written in another format version is refused, naming the file and both versions. */
    @Test
    void otherFormatVersionsAreRefused() throws IOException {
        try (VectorIndex index = settings(dir).build()) {
            index.add("a", vector(1));
        }
        Path dataFile;
        try (var files = Files.list(dir)) {
            dataFile = files.filter(p -> p.getFileName().toString().endsWith(".crv")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(dataFile);
        java.nio.ByteBuffer header = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        header.putInt(8, io.crvecdb.storage.DataFile.VERSION - 1);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, 0, 4092);
        header.putInt(4092, (int) crc.getValue()); // a well-formed header of the previous version
        Files.write(dataFile, bytes);
        assertThatThrownBy(() -> VectorIndex.open(dir)).isInstanceOf(io.crvecdb.storage.StoreFormatException.class)
                .hasMessageContaining(dataFile.getFileName().toString())
                .hasMessageContaining("version " + (io.crvecdb.storage.DataFile.VERSION - 1))
                .hasMessageContaining("reads version " + io.crvecdb.storage.DataFile.VERSION);
    }

    @Test
    void oneOpenIndexPerStore() {
        try (VectorIndex first = settings(dir).build()) {
            first.add("a", vector(1));
            assertThatThrownBy(() -> VectorIndex.open(dir)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(dir.toString()).hasMessageContaining("is open in another process");
            first.add("b", vector(2));
            assertThat(first.size()).isEqualTo(2);
        }
        try (VectorIndex again = VectorIndex.open(dir)) {
            assertThat(again.size()).isEqualTo(2);
        }
    }

    @Test
    void anUnavailableIndexNamesTheStoreAndTheCauseOnEveryOperation() {
        try (VectorIndex held = settings(dir).build()) {
            held.add("a", vector(1));
            RuntimeException cause = null;
            try {
                VectorIndex.open(dir);
            } catch (IllegalStateException e) {
                cause = e;
            }
            assertThat(cause).as("a second open is refused").isNotNull();
            VectorIndex unavailable = VectorIndex.unavailable(dir, cause);
            assertThat(unavailable.unavailableReason()).hasValueSatisfying(reason -> assertThat(reason)
                    .startsWith("the store at " + dir + " could not be opened").contains("is open in another process"));
            assertThat(unavailable.storagePath()).contains(dir);
            assertThat(unavailable.isClosed()).isFalse();
            assertThat(held.unavailableReason()).isEmpty();
            for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                    unavailable::size, unavailable::deletedCount, unavailable::dimensions, unavailable::metric,
                    unavailable::m, unavailable::efConstruction, unavailable::efSearch, unavailable::quantization,
                    unavailable::durability, unavailable::storeSizeBytes, unavailable::checkpoint, unavailable::compact,
                    unavailable::unreachableCount, unavailable::readOnlyReason, () -> unavailable.add("b", vector(2)),
                    () -> unavailable.addAll(List.of(new VectorRecord("b", vector(2))), 1), () -> unavailable.get("a"),
                    () -> unavailable.contains("a"), () -> unavailable.delete("a"),
                    () -> unavailable.deleteAll(List.of("a")), () -> unavailable.search(vector(1), 1),
                    () -> unavailable.search(vector(1), 1, id -> true), () -> unavailable.forEach(r -> { }))) {
                assertThatThrownBy(call::execute).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("the store at " + dir + " could not be opened")
                        .hasMessageContaining("is open in another process");
            }
            unavailable.close();
            assertThat(unavailable.isClosed()).isTrue();
            assertThat(held.size()).as("the real index is untouched").isOne();
        }
        assertThatThrownBy(() -> VectorIndex.unavailable(null, new IllegalStateException("x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeIsIdempotentAndFinal() {
        VectorIndex index = settings(dir).durability(Durability.INTERVAL).build();
        index.add("a", vector(1));
        index.close();
        index.close();
        assertThatThrownBy(() -> index.add("b", vector(2))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(index::checkpoint).isInstanceOf(IllegalStateException.class);
        try (VectorIndex reopened = VectorIndex.open(dir)) {
            assertThat(reopened.get("a")).isPresent();
        }
    }
}
