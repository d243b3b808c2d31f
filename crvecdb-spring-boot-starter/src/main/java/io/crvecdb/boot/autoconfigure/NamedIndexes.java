package io.crvecdb.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;

import io.crvecdb.VectorIndex;
import io.crvecdb.springai.CrvecdbVectorStore;

/**
 * The crvecdb indexes of the application, each under the name that its health entry and its
 * meters carry: an index a {@link CrvecdbVectorStore} bean holds under the store's name (the
 * auto-configured store's is {@code crvecdb.name}), any other {@link VectorIndex} bean under
 * {@code crvecdb.name}; under its bean name once that name is taken, and with a number after it
 * once that is taken too. A '/' becomes '_': the health endpoint's paths cannot hold one. A store
 * the application builds on an index of its own is reported too, beside the auto-configured index
 * it leaves unused. Listing them creates lazy ones, as Boot's health of data sources does: an index
 * created later would otherwise never be reported.
 */
final class NamedIndexes {

    /**
     * The store class needs Spring AI and crvecdb-spring-ai, which an application using only the
     * index (or Spring AI with another vector store) may leave out.
     */
    private static final boolean STORES_PRESENT = ClassUtils.isPresent(
            "org.springframework.ai.vectorstore.VectorStore", NamedIndexes.class.getClassLoader())
            && ClassUtils.isPresent("io.crvecdb.springai.CrvecdbVectorStore", NamedIndexes.class.getClassLoader());

    private NamedIndexes() {
    }

    static Map<String, VectorIndex> in(ListableBeanFactory beans, CrvecdbProperties properties) {
        Map<String, VectorIndex> named = new LinkedHashMap<>();
        if (STORES_PRESENT) {
            StoreIndexes.addTo(named, beans);
        }
        beans.getBeansOfType(VectorIndex.class).forEach((bean, index) -> add(named, properties.name(), bean, index));
        return named;
    }

    /** Adds an index not listed yet (one index can back several stores), under a name not taken yet. */
    private static void add(Map<String, VectorIndex> named, String name, String beanName, VectorIndex index) {
        if (named.values().stream().anyMatch(listed -> listed == index)) {
            return;
        }
        String key = name.replace('/', '_');
        if (named.containsKey(key)) {
            key = beanName.replace('/', '_');
        }
        String base = key;
        for (int n = 2; named.containsKey(key); n++) {
            key = base + "-" + n;
        }
        named.put(key, index);
    }

    /** Loaded only with the store class present: its signatures name it. */
    private static final class StoreIndexes {

        static void addTo(Map<String, VectorIndex> named, ListableBeanFactory beans) {
            beans.getBeansOfType(CrvecdbVectorStore.class)
                .forEach((bean, store) -> store.<VectorIndex>getNativeClient()
                    .ifPresent(index -> add(named, store.getName(), bean, index)));
        }

    }

}
