package io.crvecdb.boot.autoconfigure;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.crvecdb.VectorIndex;
import io.crvecdb.VectorRecord;
import io.crvecdb.testing.Tmpfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real full disk (a 3 MiB tmpfs, mounted for the test: root only, skipped with the reason
 * elsewhere): the write that fails turns the index read-only, and the health and the
 * {@code crvecdb.index.read.only} gauge say so; {@code VectorStore.add} reports the full disk, and
 * once there is room again every document it acknowledged is back.
 */
class CrvecdbHealthOnAFullDiskTest {

    @RegisterExtension
    final Tmpfs disk = new Tmpfs("size=3m");

    @Test
    void aFailedWriteMakesTheHealthDownAndTheGaugeOne() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CrvecdbIndexAutoConfiguration.class,
                    CrvecdbHealthAutoConfiguration.class, CrvecdbMetricsAutoConfiguration.class))
            .withPropertyValues("crvecdb.dimensions=64", "crvecdb.metric=l2",
                    "crvecdb.storage.path=" + this.disk.mountPoint().resolve("store"), "crvecdb.health.min-free-disk=0B")
            .run(context -> {
                VectorIndex index = context.getBean(VectorIndex.class);
                CrvecdbHealthIndicator health = context.getBean(CrvecdbHealthIndicator.class);
                MeterRegistry registry = new SimpleMeterRegistry();
                context.getBean(CrvecdbMetrics.class).bindTo(registry);
                assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                assertThat(registry.get("crvecdb.index.read.only").gauge().value()).isZero();

                fillUntilAWriteFails(index);

                Health down = health.health();
                assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                assertThat(down.getDetails().get("reason").toString()).startsWith("read-only since a write failed")
                    .contains("No space left on device");
                assertThat(down.getDetails()).containsEntry("dimensions", 64).containsKey("freeDiskBytes");
                assertThat(registry.get("crvecdb.index.read.only").gauge().value()).isOne();
                // Room again, so that closing the context can checkpoint the store.
                this.disk.remount("size=64m");
            });
    }

    @Test
    void vectorStoreAddReportsTheFullDiskAndEveryAcknowledgedDocumentSurvives() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CrvecdbIndexAutoConfiguration.class,
                    CrvecdbVectorStoreAutoConfiguration.class))
            .withBean(EmbeddingModel.class, () -> new WordEmbeddingModel(64))
            .withPropertyValues("crvecdb.storage.path=" + this.disk.mountPoint().resolve("store"));
        List<String> acknowledged = new ArrayList<>();
        runner.run(context -> {
            VectorStore store = context.getBean(VectorStore.class);
            Throwable failure = null;
            for (int batch = 0; failure == null && batch < 10_000; batch++) {
                List<Document> documents = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    int n = batch * 50 + i;
                    documents.add(new Document("doc-" + n, "document number " + n + " " + "filler ".repeat(n % 40),
                            Map.of("n", n)));
                }
                try {
                    store.add(documents);
                    documents.forEach(document -> acknowledged.add(document.getId()));
                }
                catch (RuntimeException full) {
                    failure = full;
                }
            }
            assertThat(failure).as("3 MiB filled up").isNotNull().hasMessageContaining("No space left on device");
            assertThatThrownBy(() -> store.add(List.of(new Document("late", "after the failure", Map.of()))))
                .hasMessageContaining("is read-only since a write to its files failed").hasMessageContaining("free disk space");
            this.disk.remount("size=64m");
        });
        runner.run(context -> {
            VectorIndex index = context.getBean(VectorIndex.class);
            assertThat(index.readOnlyReason()).isEmpty();
            acknowledged.forEach(id -> assertThat(index.contains(id)).as("acknowledged %s", id).isTrue());
            List<Document> found = context.getBean(VectorStore.class)
                .similaritySearch(SearchRequest.builder().query("document number 7 " + "filler ".repeat(7)).topK(1).build());
            assertThat(found).extracting(Document::getId).containsExactly("doc-7");
        });
    }

    private static void fillUntilAWriteFails(VectorIndex index) {
        Random random = new Random(7);
        for (int added = 0; added < 1_000_000; added += 100) {
            List<VectorRecord> batch = new ArrayList<>();
            for (int i = added; i < added + 100; i++) {
                float[] vector = new float[64];
                for (int d = 0; d < vector.length; d++) {
                    vector[d] = random.nextFloat();
                }
                batch.add(new VectorRecord(Integer.toString(i), vector, new byte[0]));
            }
            try {
                index.addAll(batch, 1);
            }
            catch (UncheckedIOException full) {
                return;
            }
        }
        throw new AssertionError("3 MiB never filled up");
    }

}
