package io.crvecdb.springai;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.ai.document.Document;
import org.springframework.util.StringUtils;

/**
 * The payload a document is stored as, beside its vector, in a crvecdb record: its text and its
 * metadata with their exact Java types. The id is the record's own id.
 *
 * <p>Format 1, all integers big-endian: a format byte {@code 1}; the text as a string; a varint
 * count of metadata entries; per entry the key as a string, a type tag and the value. A string is a
 * varint byte length and UTF-8 bytes. Tags: {@code s} string, {@code t}/{@code f} true/false (no
 * value), {@code b} byte, {@code h} short, {@code i} int, {@code l} long, {@code F} float,
 * {@code D} double (1, 2, 4, 8, 4, 8 bytes), {@code L} a list: a varint count of elements, each a
 * tag and a value of the types before (Spring AI's readers store lists, such as the
 * {@code JsoupDocumentReader}'s link URLs).
 */
final class DocumentCodec {

    private static final byte FORMAT = 1;
    private static final String SCALARS = "String, Boolean, Byte, Short, Integer, Long, Float or Double";

    private DocumentCodec() {
    }

    /**
     * Encodes a document, checking on the way that it can be stored.
     *
     * @throws IllegalArgumentException if the document has no text, a metadata value of another
     *                                  type than String, Boolean, Byte, Short, Integer, Long, Float,
     *                                  Double or a List of them, or a string that is not well-formed
     *                                  text (an unpaired surrogate, which UTF-8 cannot encode)
     */
    static byte[] encode(Document document) {
        String text = document.getText();
        if (!StringUtils.hasText(text)) {
            throw new IllegalArgumentException("Document '" + document.getId() + "' has no text to embed");
        }
        Writer out = new Writer();
        out.write(FORMAT);
        out.string(text, "The text of document '" + document.getId() + "'");
        Map<String, Object> metadata = document.getMetadata();
        out.varint(metadata.size());
        metadata.forEach((key, value) -> {
            out.string(key, "A metadata key of document '" + document.getId() + "'");
            String what = "Metadata '" + key + "' of document '" + document.getId() + "'";
            if (value instanceof List<?> list) {
                out.tag('L').varint(list.size());
                for (Object element : list) {
                    if (element instanceof List<?> || !out.scalar(element, what)) {
                        throw new IllegalArgumentException(what + " is a list holding "
                                + (element == null ? "null" : "a " + element.getClass().getName())
                                + "; a list may hold " + SCALARS + " values");
                    }
                }
            } else if (!out.scalar(value, what)) {
                throw new IllegalArgumentException(what + " is a " + value.getClass().getName()
                        + "; a metadata value must be a " + SCALARS + ", or a List of them");
            }
        });
        return out.toByteArray();
    }

    /**
     * Decodes a payload into a builder holding the stored id, text and metadata.
     *
     * @throws IllegalStateException if the payload was not written by {@link #encode}
     */
    static Document.Builder decode(String id, byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload);
        try {
            if (payload.length == 0 || in.get() != FORMAT) {
                throw new IllegalStateException("Record '" + id + "' does not hold a document stored by "
                        + CrvecdbVectorStore.class.getSimpleName() + " (payload format "
                        + (payload.length == 0 ? "empty" : payload[0]) + ", expected " + FORMAT + ")");
            }
            String text = string(in);
            int entries = varint(in);
            Map<String, Object> metadata = HashMap.newHashMap(entries);
            for (int i = 0; i < entries; i++) {
                String key = string(in);
                char tag = (char) in.get();
                if (tag == 'L') {
                    int size = varint(in);
                    if (size > in.remaining()) { // every element takes a byte at least
                        throw new BufferUnderflowException();
                    }
                    List<Object> list = new ArrayList<>(size);
                    for (int e = 0; e < size; e++) {
                        list.add(scalar(id, (char) in.get(), in));
                    }
                    metadata.put(key, list);
                } else {
                    metadata.put(key, scalar(id, tag, in));
                }
            }
            return Document.builder().id(id).text(text).metadata(metadata);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IllegalStateException("Record '" + id + "' holds a truncated or corrupt document payload", e);
        }
    }

    private static Object scalar(String id, char tag, ByteBuffer in) {
        return switch (tag) {
            case 's' -> string(in);
            case 't' -> true;
            case 'f' -> false;
            case 'b' -> in.get();
            case 'h' -> in.getShort();
            case 'i' -> in.getInt();
            case 'l' -> in.getLong();
            case 'F' -> in.getFloat();
            case 'D' -> in.getDouble();
            default -> throw new IllegalStateException("Record '" + id + "' holds unknown metadata type tag '" + tag + "'");
        };
    }

    private static String string(ByteBuffer in) {
        int length = varint(in);
        if (length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        String value = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return value;
    }

    private static int varint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            byte b = in.get();
            value |= (b & 0x7f) << shift;
            if (b >= 0) {
                if (value < 0) { // lengths and counts only: a fifth byte past 31 bits is damage
                    throw new IllegalArgumentException("varint out of range: " + value);
                }
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than 5 bytes");
    }

    /** A growable big-endian byte sink. */
    private static final class Writer extends ByteArrayOutputStream {

        Writer() {
            super(256);
        }

        /** Writes a tagged scalar; false, writing nothing, for a value of another type (or null). */
        boolean scalar(@Nullable Object value, String what) {
            switch (value) {
                case String s -> tag('s').string(s, what);
                case Boolean b -> tag(b ? 't' : 'f');
                case Byte b -> tag('b').fixed(b, 1);
                case Short s -> tag('h').fixed(s, 2);
                case Integer i -> tag('i').fixed(i, 4);
                case Long l -> tag('l').fixed(l, 8);
                case Float f -> tag('F').fixed(Float.floatToRawIntBits(f), 4);
                case Double d -> tag('D').fixed(Double.doubleToRawLongBits(d), 8);
                case null, default -> {
                    return false;
                }
            }
            return true;
        }

        Writer tag(char tag) {
            write(tag);
            return this;
        }

        void fixed(long value, int bytes) {
            for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
                write((int) (value >>> shift));
            }
        }

        void varint(int value) {
            int rest = value;
            while ((rest & ~0x7f) != 0) {
                write((rest & 0x7f) | 0x80);
                rest >>>= 7;
            }
            write(rest);
        }

        /** Writes a string as UTF-8, refusing what it cannot encode: {@code getBytes} would store a '?'. */
        void string(String value, String what) {
            ByteBuffer utf8;
            try {
                utf8 = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(value));
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException(what + " is not well-formed text (an unpaired surrogate); "
                        + "UTF-8, in which documents are stored, cannot encode it", e);
            }
            varint(utf8.remaining());
            write(utf8.array(), utf8.arrayOffset() + utf8.position(), utf8.remaining());
        }
    }
}
