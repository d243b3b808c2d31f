package io.crvecdb.samples.rag.corpus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.ai.document.Document;
import org.springframework.core.io.Resource;

/**
 * Reads the bundled corpus: one WordNet 3.0 synset per line ({@code corpus/build_corpus.py}
 * wrote it from Debian's {@code wordnet-base}), as a document whose text is
 * {@code "lemma, lemma: gloss"} and whose metadata can be filtered on:
 * <ul>
 *   <li>{@value #POS}: {@code noun}, {@code verb}, {@code adjective} or {@code adverb};</li>
 *   <li>{@value #CATEGORY}: the WordNet lexicographer file without its part of speech, such as
 *       {@code animal}, {@code food}, {@code motion} or {@code emotion};</li>
 *   <li>{@value #WORDS}: how many synonyms the synset has (an integer).</li>
 * </ul>
 * Document ids are WordNet's synset ids ({@code n02958343} is the car).
 */
public final class WordNetCorpus {

    /** Metadata key of the part of speech. */
    public static final String POS = "pos";

    /** Metadata key of the lexicographer category. */
    public static final String CATEGORY = "category";

    /** Metadata key of the synonym count. */
    public static final String WORDS = "words";

    private static final String HEADER = "id\tpos\tcategory\twords\ttext";

    private WordNetCorpus() {
    }

    /**
     * The corpus documents in file order: all of them, or {@code limit} of them evenly spaced
     * through the file (so a small subset still covers every part of speech).
     *
     * @throws IllegalArgumentException if the file is not a corpus file
     * @throws UncheckedIOException     if it cannot be read
     */
    public static List<Document> read(Resource location, int limit) {
        List<Document> documents = readAll(location);
        if (limit == 0 || limit >= documents.size()) {
            return documents;
        }
        List<Document> subset = new ArrayList<>(limit);
        for (int i = 0; i < limit; i++) {
            subset.add(documents.get((int) ((long) i * documents.size() / limit)));
        }
        return subset;
    }

    private static List<Document> readAll(Resource location) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(location.getInputStream(), StandardCharsets.UTF_8))) {
            String header = reader.readLine();
            if (!HEADER.equals(header)) {
                throw new IllegalArgumentException(location + " is not a corpus file: its first line should be '"
                        + HEADER.replace("\t", "<tab>") + "'");
            }
            List<Document> documents = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null) {
                documents.add(parse(line, location, documents.size() + 2));
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the corpus " + location, e);
        }
    }

    private static Document parse(String line, Resource location, int lineNumber) {
        String[] fields = line.split("\t", -1);
        if (fields.length != 5) {
            throw new IllegalArgumentException(location + ", line " + lineNumber + ": expected 5 tab-separated fields, found "
                    + fields.length);
        }
        return new Document(fields[0], fields[4],
                Map.of(POS, fields[1], CATEGORY, fields[2], WORDS, Integer.parseInt(fields[3])));
    }
}
