package io.crvecdb.boot.autoconfigure;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.BatchingStrategy;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.observation.DefaultVectorStoreObservationConvention;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationConvention;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.util.unit.DataSize;

import io.crvecdb.Durability;
import io.crvecdb.Metric;
import io.crvecdb.Quantization;
import io.crvecdb.VectorIndex;
import io.crvecdb.springai.CrvecdbVectorStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every condition of the auto-configurations, with {@link ApplicationContextRunner}. */
class CrvecdbAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CrvecdbIndexAutoConfiguration.class,
                CrvecdbVectorStoreAutoConfiguration.class, CrvecdbHealthAutoConfiguration.class,
                CrvecdbMetricsAutoConfiguration.class));

    private final ApplicationContextRunner withModel = this.runner
        .withBean(EmbeddingModel.class, () -> new WordEmbeddingModel(24));

    @TempDir
    Path dir;

    @Test
    void indexFromPropertiesWithoutSpringAi() {
        this.runner.withClassLoader(new FilteredClassLoader(EmbeddingModel.class, VectorStore.class))
            .withPropertyValues("crvecdb.dimensions=8", "crvecdb.metric=l2", "crvecdb.m=12", "crvecdb.ef-construction=64",
                    "crvecdb.ef-search=30", "crvecdb.quantization=int8")
            .run(context -> {
                assertThat(context).hasNotFailed().hasSingleBean(VectorIndex.class).doesNotHaveBean(VectorStore.class);
                VectorIndex index = context.getBean(VectorIndex.class);
                assertThat(index.dimensions()).isEqualTo(8);
                assertThat(index.metric()).isEqualTo(Metric.L2);
                assertThat(index.m()).isEqualTo(12);
                assertThat(index.efConstruction()).isEqualTo(64);
                assertThat(index.efSearch()).isEqualTo(30);
                assertThat(index.quantization()).isEqualTo(Quantization.INT8);
                assertThat(index.storagePath()).isEmpty();
            });
    }

    @Test
    void vectorStoreWithAnEmbeddingModel() {
        this.withModel.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(VectorIndex.class).hasBean("vectorStore")
                .hasSingleBean(BatchingStrategy.class);
            CrvecdbVectorStore store = context.getBean("vectorStore", CrvecdbVectorStore.class);
            VectorIndex index = context.getBean(VectorIndex.class);
            assertThat(store.<VectorIndex>getNativeClient()).containsSame(index);
            assertThat(index.dimensions()).as("taken from the model").isEqualTo(24);
            store.add(List.of(new Document("a", "spring boot starter", Map.of("kind", "doc"))));
            assertThat(store.similaritySearch(SearchRequest.builder().query("starter").topK(1).build()))
                .extracting(Document::getId).containsExactly("a");
        });
    }

    /** Auto-configurations are sorted by name first: ours must not depend on it to see a model's. */
    @Test
    void anEmbeddingModelFromALaterAutoConfigurationIsUsed() {
        this.runner.withConfiguration(AutoConfigurations.of(WordEmbeddingModelAutoConfiguration.class)).run(context -> {
            assertThat(context).hasNotFailed().hasBean("vectorStore");
            assertThat(context.getBean(VectorIndex.class).dimensions()).as("taken from the model").isEqualTo(24);
        });
    }

    @Test
    void noVectorStoreWithoutAnEmbeddingModelOrSpringAi() {
        this.runner.withPropertyValues("crvecdb.dimensions=8").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(VectorIndex.class).doesNotHaveBean(VectorStore.class);
        });
        this.withModel.withClassLoader(new FilteredClassLoader(VectorStore.class)).withPropertyValues("crvecdb.dimensions=24")
            .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(VectorStore.class));
    }

    @Test
    void anotherVectorStoreTypeTurnsOursOff() {
        this.withModel.withPropertyValues("spring.ai.vectorstore.type=pgvector")
            .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(VectorStore.class).hasSingleBean(VectorIndex.class));
        this.withModel.withPropertyValues("spring.ai.vectorstore.type=crvecdb")
            .run(context -> assertThat(context).hasSingleBean(VectorStore.class));
    }

    @Test
    void userBeansWin() {
        VectorIndex mine = VectorIndex.builder().dimensions(24).metric(Metric.DOT_PRODUCT).build();
        this.withModel.withBean(VectorIndex.class, () -> mine).run(context -> {
            assertThat(context.getBean(VectorIndex.class)).isSameAs(mine);
            assertThat(context.getBean(CrvecdbVectorStore.class).<VectorIndex>getNativeClient()).containsSame(mine);
        });
        this.withModel.withBean("myStore", VectorStore.class, () -> SimpleVectorStore.builder(new WordEmbeddingModel(24)).build())
            .run(context -> assertThat(context).getBean(VectorStore.class).isInstanceOf(SimpleVectorStore.class));
        AtomicInteger batched = new AtomicInteger();
        BatchingStrategy batching = documents -> {
            batched.incrementAndGet();
            return List.of(documents);
        };
        this.withModel.withBean(BatchingStrategy.class, () -> batching).run(context -> {
            assertThat(context.getBean(BatchingStrategy.class)).isSameAs(batching);
            context.getBean(VectorStore.class).add(List.of(new Document("a", "batched by the user's strategy", Map.of())));
            assertThat(batched).hasValue(1);
        });
        CrvecdbHealthIndicator health = new CrvecdbHealthIndicator(mine, DataSize.ofBytes(0));
        CrvecdbMetrics metrics = new CrvecdbMetrics(mine, "mine");
        this.withModel.withBean("crvecdbHealthIndicator", CrvecdbHealthIndicator.class, () -> health)
            .withBean(CrvecdbMetrics.class, () -> metrics)
            .run(context -> {
                assertThat(context.getBean(CrvecdbHealthIndicator.class)).isSameAs(health);
                assertThat(context.getBean(CrvecdbMetrics.class)).isSameAs(metrics);
            });
        mine.close();
    }

    @Test
    void theStoreReportsToTheObservationRegistryWithTheCustomConvention() {
        List<String> observed = new CopyOnWriteArrayList<>();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStop(Observation.Context context) {
                observed.add(context.getName() + " " + context.getContextualName());
            }

        });
        this.withModel.withBean(ObservationRegistry.class, () -> registry)
            .withBean(VectorStoreObservationConvention.class,
                    () -> new DefaultVectorStoreObservationConvention("my.vector.operation"))
            .withPropertyValues("crvecdb.name=docs")
            .run(context -> {
                VectorStore store = context.getBean(VectorStore.class);
                store.add(List.of(new Document("a", "observed", Map.of())));
                store.similaritySearch(SearchRequest.builder().query("observed").topK(1).build());
                assertThat(store.getName()).isEqualTo("docs");
            });
        assertThat(observed).containsExactly("my.vector.operation crvecdb add", "my.vector.operation crvecdb query");
    }

    @Test
    void aStoreReopensWithItsOwnSettings() {
        Path store = this.dir.resolve("store");
        this.withModel.withPropertyValues("crvecdb.storage.path=" + store, "crvecdb.metric=l2", "crvecdb.m=10")
            .run(context -> {
                assertThat(context).hasNotFailed();
                context.getBean(CrvecdbVectorStore.class).add(List.of(new Document("a", "kept across restarts", Map.of())));
            });
        this.withModel.withPropertyValues("crvecdb.storage.path=" + store, "crvecdb.storage.durability=interval")
            .run(context -> {
                VectorIndex index = context.getBean(VectorIndex.class);
                assertThat(index.metric()).isEqualTo(Metric.L2);
                assertThat(index.m()).isEqualTo(10);
                assertThat(index.durability()).isEqualTo(Durability.INTERVAL);
                assertThat(index.size()).isEqualTo(1);
            });
    }

    /** Closing the context closes the index: the store's lock is released for the next one. */
    @Test
    void theIndexClosesWithTheContext() {
        Path store = this.dir.resolve("store");
        VectorIndex[] index = new VectorIndex[1];
        this.withModel.withPropertyValues("crvecdb.storage.path=" + store).run(context -> {
            index[0] = context.getBean(VectorIndex.class);
            assertThat(index[0].isClosed()).isFalse();
        });
        assertThat(index[0].isClosed()).isTrue();
        try (VectorIndex reopened = VectorIndex.open(store)) {
            assertThat(reopened.dimensions()).isEqualTo(24);
        }
    }

    @Test
    void healthIsUpWithDetailsAndDownWhenDiskIsShortOrClosed() {
        this.withModel.withPropertyValues("crvecdb.storage.path=" + this.dir.resolve("h")).run(context -> {
            CrvecdbHealthIndicator health = context.getBean("crvecdbHealthIndicator", CrvecdbHealthIndicator.class);
            Health up = health.health();
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsEntry("count", 0).containsEntry("dimensions", 24)
                .containsEntry("metric", "cosine").containsEntry("durability", "sync")
                .containsKeys("freeDiskBytes", "storagePath", "storeBytes");
        });
        this.withModel.withPropertyValues("crvecdb.storage.path=" + this.dir.resolve("h2"),
                "crvecdb.health.min-free-disk=1000000TB").run(context -> {
                    Health down = context.getBean(CrvecdbHealthIndicator.class).health();
                    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(down.getDetails().get("reason").toString()).contains("crvecdb.health.min-free-disk");
                    context.getBean(VectorIndex.class).close();
                    assertThat(context.getBean(CrvecdbHealthIndicator.class).health().getDetails())
                        .containsEntry("reason", "the index is closed");
                });
        this.withModel.withPropertyValues("management.health.crvecdb.enabled=false")
            .run(context -> assertThat(context).doesNotHaveBean("crvecdbHealthIndicator"));
        this.withModel.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
            .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("crvecdbHealthIndicator"));
    }

    /**
     * crvecdb.storage.fail-fast=false: a store held by another process (or damaged) lets the
     * application start; the health is DOWN with the reason, operations throw it, gauges are NaN.
     */
    @Test
    void aStoreThatCannotBeOpenedIsHealthDownWhenNotFailingFast() {
        Path path = this.dir.resolve("store");
        try (VectorIndex held = VectorIndex.builder().dimensions(24).storage(path).build()) {
            this.withModel.withPropertyValues("crvecdb.storage.path=" + path, "crvecdb.storage.fail-fast=false")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(VectorIndex.class).hasSingleBean(VectorStore.class);
                    Health health = context.getBean("crvecdbHealthIndicator", HealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails()).containsEntry("storagePath", path.toString());
                    assertThat(health.getDetails().get("reason").toString())
                        .startsWith("the store at " + path + " could not be opened")
                        .contains("is open in another process");
                    VectorStore store = context.getBean(VectorStore.class);
                    assertThatThrownBy(() -> store.add(List.of(new Document("a document"))))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("could not be opened");
                    assertThatThrownBy(() -> store.similaritySearch("a document"))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("could not be opened");
                    MeterRegistry registry = new SimpleMeterRegistry();
                    context.getBean(CrvecdbMetrics.class).bindTo(registry);
                    assertThat(registry.get("crvecdb.index.size").gauge().value()).isNaN();
                });
            this.withModel.withPropertyValues("crvecdb.storage.path=" + path)
                .run(context -> assertThat(context).hasFailed().getFailure()
                    .rootCause().hasMessageContaining("is open in another process"));
            assertThat(held.size()).as("the other process's index is untouched").isZero();
        }
        this.withModel.withPropertyValues("crvecdb.storage.path=" + path, "crvecdb.storage.fail-fast=false")
            .run(context -> {
                HealthIndicator health = context.getBean("crvecdbHealthIndicator", HealthIndicator.class);
                assertThat(health.health().getStatus()).as("once the store is free").isEqualTo(Status.UP);
            });
    }

    /**
     * An index the application opened with VectorIndex.openReadOnly (a snapshot, a copy on
     * read-only media) refuses writes by design: no write failed, so the health stays UP, free disk
     * space (none on read-only media) does not matter, and the read-only gauge stays 0.
     */
    @Test
    void anIndexOpenedReadOnlyIsHealthyAndNotReportedAsAFailedWrite() {
        Path path = this.dir.resolve("snapshot");
        try (VectorIndex writer = VectorIndex.builder().dimensions(24).storage(path).build()) {
            float[] vector = new float[24];
            vector[0] = 1;
            writer.add("a", vector);
        }
        this.runner.withBean(VectorIndex.class, () -> VectorIndex.openReadOnly(path))
            .withPropertyValues("crvecdb.health.min-free-disk=1000000TB")
            .run(context -> {
                Health health = context.getBean("crvecdbHealthIndicator", HealthIndicator.class).health();
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails()).containsEntry("count", 1)
                    .containsEntry("readOnly", "opened read-only (VectorIndex.openReadOnly)")
                    .doesNotContainKey("reason");
                MeterRegistry registry = new SimpleMeterRegistry();
                context.getBean(CrvecdbMetrics.class).bindTo(registry);
                assertThat(registry.get("crvecdb.index.read.only").gauge().value()).isZero();
            });
    }

    @Test
    void metersAreRegistered() {
        this.withModel.run(context -> {
            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(CrvecdbMetrics.class).bindTo(registry);
            CrvecdbVectorStore store = context.getBean(CrvecdbVectorStore.class);
            store.add(List.of(new Document("a", "one", Map.of()), new Document("b", "two", Map.of())));
            store.similaritySearch(SearchRequest.builder().query("one").topK(1).build());
            assertThat(registry.get("crvecdb.index.size").gauge().value()).isEqualTo(2);
            assertThat(registry.get("crvecdb.index.deleted").gauge().value()).isZero();
            assertThat(registry.get("crvecdb.store.size").gauge().value()).isZero();
            assertThat(registry.get("crvecdb.index.memory").gauge().value()).isPositive();
            assertThat(registry.get("crvecdb.add").functionTimer().count()).isEqualTo(2);
            assertThat(registry.get("crvecdb.search").functionTimer().count()).isEqualTo(1);
            assertThat(registry.get("crvecdb.search").tag("name", "crvecdb").functionTimer().totalTime(
                    java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
        });
        this.withModel.withClassLoader(new FilteredClassLoader(MeterBinder.class))
            .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CrvecdbMetrics.class));
    }

    /**
     * A store the application builds on an index of its own: health and meters report that index
     * (under the store's name) beside the auto-configured one, not the auto-configured one alone.
     */
    @Test
    void aStoreOfTheApplicationsOwnIsReportedUnderItsName() {
        this.withModel.withUserConfiguration(OwnIndexStore.class).run(context -> {
            assertThat(context).hasNotFailed();
            context.getBean(CrvecdbVectorStore.class).add(List.of(new Document("a", "in the store's own index", Map.of())));
            HealthContributor health = context.getBean("crvecdbHealthIndicator", HealthContributor.class);
            assertThat(health).isInstanceOf(CompositeHealthContributor.class);
            CompositeHealthContributor entries = (CompositeHealthContributor) health;
            assertThat(((HealthIndicator) entries.getContributor("docs")).health().getDetails()).containsEntry("count", 1);
            assertThat(((HealthIndicator) entries.getContributor("crvecdb")).health().getDetails()).containsEntry("count", 0);
            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(CrvecdbMetrics.class).bindTo(registry);
            assertThat(registry.get("crvecdb.index.size").tag("name", "docs").gauge().value()).isEqualTo(1);
            assertThat(registry.get("crvecdb.index.size").tag("name", "crvecdb").gauge().value()).isZero();
        });
        // The store under the default name too: the auto-configured index goes by its bean name.
        this.withModel.withUserConfiguration(OwnIndexStore.class).withPropertyValues("crvecdb.name=docs").run(context -> {
            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(CrvecdbMetrics.class).bindTo(registry);
            assertThat(registry.find("crvecdb.index.size").gauges()).extracting(gauge -> gauge.getId().getTag("name"))
                .containsExactlyInAnyOrder("docs", "crvecdbIndex");
        });
        // A store of its own on the auto-configured index: one index, reported as before.
        this.withModel.withUserConfiguration(SharedIndexStore.class).run(context -> {
            assertThat(context.getBean("crvecdbHealthIndicator")).isInstanceOf(CrvecdbHealthIndicator.class);
            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(CrvecdbMetrics.class).bindTo(registry);
            assertThat(registry.find("crvecdb.index.size").gauges()).extracting(gauge -> gauge.getId().getTag("name"))
                .containsExactly("docs");
        });
    }

    /**
     * Names the health composite cannot take, or that clash twice, and lazy stores: a '/' stopped
     * start-up; a second store whose bean name was the first one's store name dropped an index from
     * health and meters; a lazy store is reported too (created for it, as Boot's health creates lazy
     * data sources), not left out for good.
     */
    @Test
    void everyIndexIsReportedUnderANameOfItsOwnLazyStoresIncluded() {
        this.withModel.withUserConfiguration(ClashingStores.class).run(context -> {
            assertThat(context).hasNotFailed();
            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(CrvecdbMetrics.class).bindTo(registry);
            assertThat(registry.find("crvecdb.index.size").gauges()).extracting(gauge -> gauge.getId().getTag("name"))
                .containsExactlyInAnyOrder("docs_en", "docs_en-2", "docs", "crvecdb");
            assertThat(((CompositeHealthContributor) context.getBean("crvecdbHealthIndicator")).stream())
                .extracting(HealthContributors.Entry::name)
                .containsExactlyInAnyOrder("docs_en", "docs_en-2", "docs", "crvecdb");
        });
        this.withModel.withUserConfiguration(LazyStore.class).run(context -> {
            assertThat(context).hasNotFailed();
            context.getBean("lazyStore", CrvecdbVectorStore.class)
                .add(List.of(new Document("a", "in the lazy store", Map.of())));
            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(CrvecdbMetrics.class).bindTo(registry);
            assertThat(registry.get("crvecdb.index.size").tag("name", "lazy").gauge().value()).isEqualTo(1);
            assertThat(((CompositeHealthContributor) context.getBean("crvecdbHealthIndicator")).getContributor("lazy"))
                .isNotNull();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class ClashingStores {

        @Bean
        CrvecdbVectorStore first(EmbeddingModel model) {
            return CrvecdbVectorStore.builder(model).name("docs/en").build();
        }

        @Bean("docs_en")
        CrvecdbVectorStore second(EmbeddingModel model) {
            return CrvecdbVectorStore.builder(model).name("docs/en").build();
        }

        @Bean
        CrvecdbVectorStore third(EmbeddingModel model) {
            return CrvecdbVectorStore.builder(model).name("docs").build();
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class LazyStore {

        @Bean
        @Lazy
        CrvecdbVectorStore lazyStore(EmbeddingModel model) {
            return CrvecdbVectorStore.builder(model).name("lazy").build();
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class OwnIndexStore {

        @Bean
        CrvecdbVectorStore myStore(EmbeddingModel model) {
            return CrvecdbVectorStore.builder(model).name("docs").build();
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class SharedIndexStore {

        @Bean
        CrvecdbVectorStore myStore(EmbeddingModel model, VectorIndex index) {
            return CrvecdbVectorStore.builder(model).index(index).name("docs").build();
        }

    }

}
