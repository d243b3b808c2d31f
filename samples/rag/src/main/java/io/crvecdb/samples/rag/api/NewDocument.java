package io.crvecdb.samples.rag.api;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.ai.document.Document;

/**
 * A document to add, as JSON.
 *
 * @param id       its id, without commas; default a random UUID. Adding an existing id replaces that document
 * @param text     its text (required): what is embedded and searched
 * @param metadata values to filter on: strings, finite numbers and booleans; default none
 */
record NewDocument(@Nullable String id, @Nullable String text, @Nullable Map<String, @Nullable Object> metadata) {

    /**
     * The Spring AI document.
     *
     * @param position where this document is in the request, to name it in errors
     * @throws InvalidInputException if the text is empty or a metadata value is neither a scalar nor a list of them
     */
    Document toDocument(int position) {
        String where = "documents[" + position + "]";
        if (this.text == null || this.text.isBlank()) {
            throw new InvalidInputException(where + ".text", "The text of a document must not be empty");
        }
        Document.Builder document = Document.builder().text(this.text);
        if (this.id != null) {
            if (this.id.isBlank()) {
                throw new InvalidInputException(where + ".id", "An id must not be blank; leave it out for a random one");
            }
            if (this.id.contains(",")) {
                // DELETE /api/documents?ids=a,b splits at commas: such a document could never be deleted.
                throw new InvalidInputException(where + ".id", "An id must not contain a comma, got \"" + this.id
                        + "\": DELETE /api/documents?ids=a,b separates ids with commas");
            }
            document.id(this.id);
        }
        if (this.metadata != null) {
            this.metadata.forEach((key, value) -> {
                if (!(isScalar(value) || value instanceof List<?> list && list.stream().allMatch(NewDocument::isScalar))) {
                    throw new InvalidInputException(where + ".metadata." + key,
                            "A metadata value must be a string, a number, a boolean or a list of them, got "
                                    + (value == null ? "null" : value));
                }
                document.metadata(key, value);
            });
        }
        return document.build();
    }

    /**
     * What JSON's strings, numbers and booleans arrive as; a number too large for a double (1e400)
     * arrives as infinity, which JSON cannot carry back: it would come out of a search as a string.
     */
    private static boolean isScalar(@Nullable Object value) {
        return value instanceof String || value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Double number && Double.isFinite(number);
    }
}
