package io.crvecdb.samples.rag.api;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/documents} embeds and adds documents; {@code DELETE /api/documents?ids=a,b}
 * deletes documents by id.
 */
@RestController
class DocumentController {

    static final int MAX_DOCUMENTS = 1000;

    private final VectorStore vectorStore;

    DocumentController(VectorStore vectorStore) {
        this.vectorStore = vectorStore;
    }

    @PostMapping("/api/documents")
    @ResponseStatus(HttpStatus.CREATED)
    Added add(@RequestBody List<@Nullable NewDocument> documents) {
        if (documents.isEmpty() || documents.size() > MAX_DOCUMENTS) {
            throw new InvalidInputException("documents",
                    "Send 1 to " + MAX_DOCUMENTS + " documents per request, got " + documents.size());
        }
        List<Document> added = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            NewDocument document = documents.get(i);
            if (document == null) {
                // Jackson reads a JSON null in the array as a null element.
                throw new InvalidInputException("documents[" + i + "]",
                        "A document must be an object with a text, such as {\"text\": \"...\"}, got null");
            }
            added.add(document.toDocument(i));
        }
        try {
            this.vectorStore.add(added);
        } catch (IllegalArgumentException rejected) {
            // The store and its embedding batching refuse a document they cannot take (for
            // example one longer than the model's input): the request is what must change.
            throw new InvalidInputException("documents", rejected.getMessage()
                    + ". Nothing was added; split long texts into passages and send well-formed text");
        }
        return new Added(added.stream().map(Document::getId).toList());
    }

    @DeleteMapping("/api/documents")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@RequestParam List<String> ids) {
        if (ids.isEmpty() || ids.stream().anyMatch(String::isBlank)) {
            throw new InvalidInputException("ids", "Give the ids to delete, comma-separated: ?ids=a,b");
        }
        this.vectorStore.delete(ids);
    }

    /**
     * The answer to an add.
     *
     * @param ids the ids of the added documents, in request order
     */
    record Added(List<String> ids) {
    }
}
