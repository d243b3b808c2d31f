package io.crvecdb.cli;

import java.util.Map;

/**
 * Writes one JSON object on one line; values are strings, numbers, booleans, null, float arrays or
 * nested maps.
 */
final class Json {

    private Json() {
    }

    static String line(Map<String, ?> fields) {
        return object(new StringBuilder(), fields).toString();
    }

    private static StringBuilder object(StringBuilder json, Map<?, ?> fields) {
        json.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> field : fields.entrySet()) {
            if (!first) {
                json.append(", ");
            }
            first = false;
            quote(json, field.getKey().toString()).append(": ");
            value(json, field.getValue());
        }
        return json.append('}');
    }

    private static void value(StringBuilder json, Object value) {
        switch (value) {
            case null -> json.append("null");
            // JSON has no NaN or Infinity; a figure that could not be measured is null
            case Double d when !Double.isFinite(d) -> json.append("null");
            case Float f when !Float.isFinite(f) -> json.append("null");
            case Number number -> json.append(number);
            case Boolean bool -> json.append(bool);
            case Map<?, ?> map -> object(json, map);
            case float[] floats -> {
                json.append('[');
                for (int i = 0; i < floats.length; i++) {
                    json.append(i == 0 ? "" : ", ").append(floats[i]);
                }
                json.append(']');
            }
            case Object other -> quote(json, other.toString());
        }
    }

    private static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
