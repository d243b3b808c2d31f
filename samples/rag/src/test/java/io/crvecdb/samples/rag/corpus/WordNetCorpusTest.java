package io.crvecdb.samples.rag.corpus;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.ai.document.Document;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WordNetCorpusTest {

    static final Resource CORPUS = new ClassPathResource("corpus/wordnet-glosses.tsv");

    @Test
    void readsEverySynsetWithItsMetadata() {
        List<Document> documents = WordNetCorpus.read(CORPUS, 0);
        assertThat(documents).hasSize(5341);
        assertThat(documents).extracting(Document::getId).doesNotHaveDuplicates();
        Document car = documents.stream().filter(document -> document.getId().equals("n02958343")).findFirst().orElseThrow();
        assertThat(car.getText()).startsWith("car, auto, automobile, machine, motorcar: a motor vehicle with four wheels");
        assertThat(car.getMetadata()).containsEntry("pos", "noun").containsEntry("category", "artifact").containsEntry("words", 5);
    }

    @Test
    void aLimitTakesDocumentsEvenlySpacedSoEveryPartOfSpeechIsIn() {
        List<Document> all = WordNetCorpus.read(CORPUS, 0);
        List<Document> subset = WordNetCorpus.read(CORPUS, 100);
        assertThat(subset).hasSize(100);
        assertThat(subset.getFirst()).isEqualTo(all.getFirst());
        assertThat(subset.get(50)).isEqualTo(all.get(50 * all.size() / 100));
        assertThat(subset).extracting(document -> document.getMetadata().get("pos"))
            .contains("noun", "verb", "adjective", "adverb");
        assertThat(WordNetCorpus.read(CORPUS, 10_000)).hasSize(all.size());
    }

    @Test
    void aFileThatIsNotACorpusIsRejectedWithItsProblem() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> WordNetCorpus.read(new ByteArrayResource("id,text\n1,x\n".getBytes()), 0))
            .withMessageContaining("is not a corpus file: its first line should be 'id<tab>pos<tab>category<tab>words<tab>text'");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> WordNetCorpus.read(
                    new ByteArrayResource("id\tpos\tcategory\twords\ttext\nn1\tnoun\tanimal\t1\n".getBytes()), 0))
            .withMessageContaining("line 2: expected 5 tab-separated fields, found 4");
    }
}
