package io.crvecdb.springai;

import java.util.function.Consumer;

import org.springframework.ai.test.vectorstore.BaseVectorStoreTests;
import org.springframework.ai.vectorstore.VectorStore;

/** Spring AI's own acceptance tests for vector stores, each run on a fresh store. */
class CrvecdbVectorStoreBaseTests extends BaseVectorStoreTests {

    @Override
    protected void executeTest(Consumer<VectorStore> testFunction) {
        try (CrvecdbVectorStore store = CrvecdbVectorStore.builder(new HashingEmbeddingModel(64)).build()) {
            testFunction.accept(store);
        }
    }
}
