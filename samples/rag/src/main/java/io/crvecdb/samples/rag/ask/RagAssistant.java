package io.crvecdb.samples.rag.ask;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.document.Document;
import org.springframework.ai.rag.advisor.RetrievalAugmentationAdvisor;
import org.springframework.ai.rag.retrieval.search.VectorStoreDocumentRetriever;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import io.crvecdb.samples.rag.SampleProperties;

/**
 * Answers questions with the chat model, given the documents the vector store finds for them:
 * Spring AI's {@link RetrievalAugmentationAdvisor} searches the store and adds the documents to
 * the prompt. Enabled when the application has a {@link ChatModel} (a Spring AI chat model
 * starter, such as Ollama's or OpenAI's, and its settings); without one the sample only searches.
 */
@Component
public class RagAssistant {

    private final @Nullable ChatClient chatClient;

    RagAssistant(ObjectProvider<ChatModel> chatModel, VectorStore vectorStore, SampleProperties properties) {
        ChatModel model = chatModel.getIfUnique();
        this.chatClient = model == null ? null
                : ChatClient.builder(model).defaultAdvisors(retrievalAdvisor(vectorStore, properties.rag())).build();
    }

    private static RetrievalAugmentationAdvisor retrievalAdvisor(VectorStore vectorStore, SampleProperties.Rag rag) {
        return RetrievalAugmentationAdvisor.builder()
            .documentRetriever(VectorStoreDocumentRetriever.builder()
                .vectorStore(vectorStore)
                .topK(rag.topK())
                .similarityThreshold(rag.similarityThreshold())
                .build())
            .build();
    }

    /** Whether a chat model is configured, so that {@link #ask} works. */
    public boolean enabled() {
        return this.chatClient != null;
    }

    /**
     * Asks the chat model, with the documents most similar to the question in the prompt.
     *
     * @param filter restricts the documents retrieved; {@code null} for none
     * @throws IllegalStateException if no chat model is configured
     */
    @SuppressWarnings("unchecked")
    public Answer ask(String question, Filter.@Nullable Expression filter) {
        if (this.chatClient == null) {
            throw new IllegalStateException("No chat model is configured");
        }
        ChatClientResponse response = this.chatClient.prompt()
            .user(question)
            .advisors(advisor -> {
                if (filter != null) {
                    advisor.param(VectorStoreDocumentRetriever.FILTER_EXPRESSION, filter);
                }
            })
            .call()
            .chatClientResponse();
        ChatResponse chatResponse = Objects.requireNonNull(response.chatResponse(), "the chat model answered");
        List<Document> documents = (List<Document>) Objects.requireNonNullElse(
                response.context().get(RetrievalAugmentationAdvisor.DOCUMENT_CONTEXT), List.of());
        return new Answer(Objects.requireNonNullElse(chatResponse.getResult().getOutput().getText(), ""), documents);
    }

    /**
     * The chat model's answer.
     *
     * @param text      what it said
     * @param documents the documents retrieved for the prompt, best first
     */
    public record Answer(String text, List<Document> documents) {
    }
}
