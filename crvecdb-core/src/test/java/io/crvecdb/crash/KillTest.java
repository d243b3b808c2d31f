package io.crvecdb.crash;

import io.crvecdb.Durability;
import io.crvecdb.SearchHit;
import io.crvecdb.VectorIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kill -9 while a child JVM imports, bulk-deletes, checkpoints and compacts, then reopen: the store
 * opens, every acknowledged record is there with its exact vector and payload, every acknowledged
 * delete holds, and any record beyond is either absent or exact — never half there. Each round
 * aims its kill at one of those operations in turn (a moment after the child announces it); the
 * same store goes through every round, so recovered stores are recovered again.
 */
class KillTest {

    /** Rounds: 20 in CI, 200 under the {@code long-reliability} Maven profile ({@code -Dcrvecdb.kill.rounds=N}). */
    private static final int ROUNDS = Integer.getInteger("crvecdb.kill.rounds", 20);

    @TempDir
    Path store;

    /** The operations a round aims its kill at, in turn. */
    private static final List<String> TARGETS = List.of("import", "delete", "checkpoint", "compact");

    /** What the child reported before it was killed. */
    private static final class Report {
        volatile int acked = -1;
        final Set<Integer> deleted = ConcurrentHashMap.newKeySet();
        /** The long operation the kill interrupted ("import" between them). */
        volatile String operation = "import";
        /** Operations begun so far. */
        final Set<String> begun = ConcurrentHashMap.newKeySet();
    }

    @Test
    void everyAcknowledgedRecordSurvivesSigkill() throws Exception {
        Random random = new Random(20261125);
        Set<Integer> deleted = new HashSet<>();
        Map<String, Integer> killsDuring = new TreeMap<>();
        int acknowledged = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Durability durability = round % 3 == 2 ? Durability.INTERVAL : Durability.SYNC;
            String target = TARGETS.get(round % TARGETS.size());
            // An import is killed anywhere in its first second; the others a moment after they begin.
            long delayMicros = target.equals("import") ? 100_000 + random.nextInt(900_000) : random.nextInt(3_000);
            Report report = runThenKill(durability, target, delayMicros);
            assertThat(report.acked).as("round %d: the child acknowledged at least what survived before", round)
                    .isGreaterThanOrEqualTo(acknowledged);
            acknowledged = report.acked;
            deleted.addAll(report.deleted);
            verify(report.acked, deleted, round);
            killsDuring.merge(report.operation, 1, Integer::sum);
            System.out.printf("kill round %d: %s, SIGKILL %d µs after %s began, during %s; %d records acknowledged, "
                    + "%d deleted, all as acknowledged%n", round, durability, delayMicros, target, report.operation,
                    report.acked, deleted.size());
        }
        System.out.printf("KillTest: %d SIGKILL rounds, by operation interrupted: %s%n", ROUNDS, killsDuring);
        if (ROUNDS >= 4 * TARGETS.size()) {
            assertThat(killsDuring).as("each long operation was interrupted at least once").containsKeys(
                    TARGETS.toArray(String[]::new));
        }
    }

    /** Runs the importer, kills it with SIGKILL the delay after {@code target} begins, returns what it acknowledged. */
    private Report runThenKill(Durability durability, String target, long delayMicros) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "-Xmx256m", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), CrashImporter.class.getName(), store.toString(),
                durability.name())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Report report = new Report();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("acked ")) {
                        report.acked = Integer.parseInt(line.substring(6));
                    } else if (line.startsWith("deleted ")) {
                        report.deleted.add(Integer.parseInt(line.substring(8)));
                    } else if (line.startsWith("begin ")) {
                        report.operation = line.substring(6);
                        report.begun.add(report.operation);
                    } else if (line.startsWith("end ")) {
                        report.operation = "import";
                    }
                }
            } catch (IOException ignored) {
                // the child died: that is the point
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((report.acked < 0 || !target.equals("import") && !report.begun.contains(target)) && child.isAlive()
                && System.nanoTime() < deadline) {
            LockSupport.parkNanos(20_000); // polls often enough to kill inside a millisecond-long operation
        }
        assertThat(report.acked).as("the importer started and reported (it exited with %s)",
                child.isAlive() ? "nothing yet" : child.exitValue()).isGreaterThanOrEqualTo(0);
        assertThat(target.equals("import") || report.begun.contains(target)).as("the importer began a %s", target).isTrue();
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(delayMicros));
        child.destroyForcibly(); // SIGKILL on Linux
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
        return report;
    }

    /**
     * Acknowledged adds are there exactly, acknowledged deletes are gone; an id the importer
     * deletes (divisible by {@value CrashImporter#DELETED_EVERY}) may be either, as its delete may have been in flight.
     */
    private void verify(int acked, Set<Integer> deleted, int round) {
        try (VectorIndex index = VectorIndex.open(store)) {
            int live = 0;
            for (int i = 0; i < acked; i++) {
                int ordinal = i;
                Optional<io.crvecdb.VectorRecord> record = index.get(Integer.toString(i));
                if (deleted.contains(i)) {
                    assertThat(record).as("round %d: acknowledged delete of %d", round, i).isEmpty();
                    continue;
                }
                if (i % CrashImporter.DELETED_EVERY == 0 && record.isEmpty()) {
                    continue; // its delete was in flight
                }
                live++;
                assertThat(record).as("round %d: acknowledged record %d", round, i)
                        .hasValueSatisfying(r -> {
                            assertThat(r.vector()).containsExactly(CrashImporter.vector(ordinal));
                            assertThat(r.payload()).containsExactly(CrashImporter.payload(ordinal));
                        });
            }
            List<Integer> beyond = new ArrayList<>();
            for (int i = acked; i < acked + 1024; i++) {
                int ordinal = i;
                index.get(Integer.toString(i)).ifPresent(r -> {
                    beyond.add(ordinal);
                    assertThat(r.vector()).as("round %d: unacknowledged record %d", round, ordinal)
                            .containsExactly(CrashImporter.vector(ordinal));
                    assertThat(r.payload()).containsExactly(CrashImporter.payload(ordinal));
                });
            }
            assertThat(index.size()).as("round %d: no records but 0..%d and the intact ones beyond %s", round, acked, beyond)
                    .isEqualTo(live + beyond.size());
            assertThat(index.unreachableCount()).as("round %d: unreachable records", round).isZero();
            int probe = acked - 1;
            if (probe >= 0 && probe % CrashImporter.DELETED_EVERY != 0 && !deleted.contains(probe)) {
                List<SearchHit> self = index.search(CrashImporter.vector(probe), 1);
                assertThat(self).extracting(SearchHit::id).containsExactly(Integer.toString(probe));
            }
        }
    }
}
