package io.crvecdb.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
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
 * it leaves unused. Lazy beans not created yet are left out: listing them must not create them.
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
        created(beans, VectorIndex.class).forEach((bean, index) -> add(named, properties.name(), bean, index));
        return named;
    }

    private static <T> Map<String, T> created(ListableBeanFactory beans, Class<T> type) {
        Map<String, T> found = new LinkedHashMap<>();
        for (String name : beans.getBeanNamesForType(type)) {
            if (!(beans instanceof ConfigurableListableBeanFactory factory && factory.containsBeanDefinition(name)
                    && factory.getBeanDefinition(name).isLazyInit() && !factory.containsSingleton(name))) {
                found.put(name, beans.getBean(name, type));
            }
        }
        return found;
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
            created(beans, CrvecdbVectorStore.class)
                .forEach((bean, store) -> store.<VectorIndex>getNativeClient()
                    .ifPresent(index -> add(named, store.getName(), bean, index)));
        }

    }

}
