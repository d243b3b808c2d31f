package io.crvecdb.springai;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class DocumentCodecTest {

    @Test
    void roundTripsTextAndMetadataWithTheirTypes() {
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("string", "Ünïcödé ✓ 𝄞");
        metadata.put("", "empty key");
        metadata.put("true", true);
        metadata.put("false", false);
        metadata.put("byte", Byte.MIN_VALUE);
        metadata.put("short", Short.MAX_VALUE);
        metadata.put("int", -123456789);
        metadata.put("long", Long.MIN_VALUE);
        metadata.put("float", Float.MIN_VALUE);
        metadata.put("double", Double.NaN);
        String text = "x".repeat(70_000) + " ✓";
        Document document = Document.builder().id("id-1").text(text).metadata(metadata).build();

        Document decoded = DocumentCodec.decode("id-1", DocumentCodec.encode(document)).build();

        assertThat(decoded.getId()).isEqualTo("id-1");
        assertThat(decoded.getText()).isEqualTo(text);
        assertThat(decoded.getMetadata()).containsExactlyInAnyOrderEntriesOf(metadata);
        decoded.getMetadata().forEach((key, value) -> assertThat(value).isExactlyInstanceOf(metadata.get(key).getClass()));
    }

    @Test
    void roundTripsListsWithTheTypesOfTheirElements() {
        List<Object> mixed = List.of("a", 1, 2L, 3.5, 4.5f, (short) 6, (byte) 7, true);
        Map<String, Object> metadata = Map.of("linkUrls", List.of("https://a.example/", "https://b.example/"),
                "empty", List.of(), "mixed", mixed);
        Document document = Document.builder().id("id").text("hello").metadata(metadata).build();

        Map<String, Object> decoded = DocumentCodec.decode("id", DocumentCodec.encode(document)).build().getMetadata();

        assertThat(decoded).containsExactlyInAnyOrderEntriesOf(metadata);
        List<?> decodedMixed = (List<?>) decoded.get("mixed");
        for (int i = 0; i < mixed.size(); i++) {
            assertThat(decodedMixed.get(i)).isExactlyInstanceOf(mixed.get(i).getClass());
        }
    }

    @Test
    void refusesListsOfWhatItCannotStore() {
        Map<String, Object> nested = Map.of("k", List.of(List.of("a")));
        List<Object> withNull = new ArrayList<>();
        withNull.add("a");
        withNull.add(null);

        assertThatIllegalArgumentException()
            .isThrownBy(() -> DocumentCodec.encode(new Document("d", "text", nested)))
            .withMessageContaining("Metadata 'k' of document 'd' is a list holding a java.util.")
            .withMessageContaining("a list may hold String, Boolean, Byte, Short, Integer, Long, Float or Double values");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> DocumentCodec.encode(new Document("d", "text", Map.of("k", withNull))))
            .withMessageContaining("is a list holding null");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> DocumentCodec.encode(new Document("d", "text", Map.of("k", List.of(Map.of("a", 1))))))
            .withMessageContaining("is a list holding a java.util.");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> DocumentCodec.encode(new Document("d", "text", Map.of("k", Map.of("a", 1)))))
            .withMessageContaining("a metadata value must be a String, Boolean, Byte, Short, Integer, Long, Float or Double, or a List of them");
    }

    @Test
    void isCompact() {
        Document document = new Document("id", "hello", Map.of("year", 2020, "country", "BG"));

        assertThat(DocumentCodec.encode(document)).hasSize(1 + 6 + 1 + (5 + 1 + 4) + (8 + 1 + 3));
    }

    @Test
    void rejectsPayloadsItDidNotWrite() {
        byte[] valid = DocumentCodec.encode(new Document("id", "hello", Map.of("k", "value")));

        assertThatIllegalStateException().isThrownBy(() -> DocumentCodec.decode("r", new byte[0]))
            .withMessageContaining("Record 'r' does not hold a document");
        assertThatIllegalStateException().isThrownBy(() -> DocumentCodec.decode("r", new byte[] {7, 1, 2}))
            .withMessageContaining("format 7");
        assertThatIllegalStateException()
            .isThrownBy(() -> DocumentCodec.decode("r", Arrays.copyOf(valid, valid.length - 2)))
            .withMessageContaining("truncated or corrupt");
        byte[] negativeLength = valid.clone(); // the text's length as a 5-byte varint of -1
        System.arraycopy(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}, 0, negativeLength, 1, 5);
        assertThatIllegalStateException().isThrownBy(() -> DocumentCodec.decode("r", negativeLength))
            .withMessageContaining("truncated or corrupt");
        byte[] badTag = valid.clone();
        badTag[valid.length - 7] = 'z';
        assertThatIllegalStateException().isThrownBy(() -> DocumentCodec.decode("r", badTag))
            .withMessageContaining("unknown metadata type tag 'z'");
    }
    /** UTF-8 has no encoding for half a surrogate pair: storing a '?' in its place would merge keys and change values. */
    @Test
    void refusesTextThatIsNotWellFormed() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> DocumentCodec.encode(new Document("d", "x\uD800", Map.of())))
            .withMessageContaining("The text of document 'd' is not well-formed text");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> DocumentCodec.encode(new Document("d", "text", Map.of("a\uD800", "v"))))
            .withMessageContaining("A metadata key of document 'd'");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> DocumentCodec.encode(new Document("d", "text", Map.of("k", "x\uDC00y"))))
            .withMessageContaining("Metadata 'k' of document 'd'").withMessageContaining("unpaired surrogate");
        Document pair = new Document("d", "clef \uD834\uDD1E", Map.of("k", "\uD834\uDD1E"));
        Document back = DocumentCodec.decode("d", DocumentCodec.encode(pair)).build();
        assertThat(back.getText()).isEqualTo(pair.getText());
        assertThat(back.getMetadata()).isEqualTo(pair.getMetadata());
    }
}
