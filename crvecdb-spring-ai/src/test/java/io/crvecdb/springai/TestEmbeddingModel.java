package io.crvecdb.springai;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;

/** A local, deterministic embedding model that counts what it is asked to embed. */
public abstract class TestEmbeddingModel implements EmbeddingModel {

    private final int dimensions;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger texts = new AtomicInteger();

    protected TestEmbeddingModel(int dimensions) {
        this.dimensions = dimensions;
    }

    /** The embedding of one text. */
    protected abstract float[] vector(String text);

    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
        calls.incrementAndGet();
        List<Embedding> embeddings = new ArrayList<>();
        for (String text : request.getInstructions()) {
            texts.incrementAndGet();
            embeddings.add(new Embedding(vector(text), embeddings.size()));
        }
        return new EmbeddingResponse(embeddings);
    }

    @Override
    public float[] embed(Document document) {
        return embed(document.getText());
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    /** How many {@link #call} requests were made. */
    public int calls() {
        return calls.get();
    }

    /** How many texts were embedded. */
    public int texts() {
        return texts.get();
    }
}
