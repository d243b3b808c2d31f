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
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kill -9 at random moments while a child JVM imports (and checkpoints), then reopen: the store
 * opens, every acknowledged record is there with its exact vector and payload, and any record
 * beyond is either absent or exact — never half there. The same store goes through every round,
 * so recovered stores are recovered again.
 */
class KillTest {

    /** Rounds in CI; {@code -Dcrvecdb.kill.rounds=200} for a longer run. */
    private static final int ROUNDS = Integer.getInteger("crvecdb.kill.rounds", 20);

    @TempDir
    Path store;

    @Test
    void everyAcknowledgedRecordSurvivesSigkill() throws Exception {
        Random random = new Random(20261125);
        int acknowledged = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Durability durability = round % 3 == 2 ? Durability.INTERVAL : Durability.SYNC;
            int killAfterMillis = 100 + random.nextInt(900);
            int acked = importThenKill(durability, killAfterMillis);
            assertThat(acked).as("round %d: the child acknowledged at least what survived before", round)
                    .isGreaterThanOrEqualTo(acknowledged);
            acknowledged = acked;
            verify(acked, round);
            System.out.printf("kill round %d: %s, SIGKILL after %d ms, %d records acknowledged and intact%n",
                    round, durability, killAfterMillis, acked);
        }
    }

    /** Runs the importer, kills it with SIGKILL after the delay, returns the last count it acknowledged. */
    private int importThenKill(Durability durability, int killAfterMillis) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "-Xmx256m", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), CrashImporter.class.getName(), store.toString(),
                durability.name())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        AtomicInteger acked = new AtomicInteger(-1);
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("acked ")) {
                        acked.set(Integer.parseInt(line.substring(6)));
                    }
                }
            } catch (IOException ignored) {
                // the child died: that is the point
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acked.get() < 0 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(acked.get()).as("the importer started and reported (it exited with %s)",
                child.isAlive() ? "nothing yet" : child.exitValue()).isGreaterThanOrEqualTo(0);
        Thread.sleep(killAfterMillis);
        child.destroyForcibly(); // SIGKILL on Linux
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
        return acked.get();
    }

    private void verify(int acked, int round) {
        try (VectorIndex index = VectorIndex.open(store)) {
            for (int i = 0; i < acked; i++) {
                int ordinal = i;
                assertThat(index.get(Integer.toString(i))).as("round %d: acknowledged record %d", round, i)
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
                    .isEqualTo(acked + beyond.size());
            assertThat(index.unreachableCount()).as("round %d: unreachable records", round).isZero();
            if (acked > 0) {
                List<SearchHit> self = index.search(CrashImporter.vector(acked - 1), 1);
                assertThat(self).extracting(SearchHit::id).containsExactly(Integer.toString(acked - 1));
            }
        }
    }
}
