package io.crvecdb.cli;

import java.util.Map;

/** Writes one flat JSON object on one line; values are strings, numbers, booleans or null. */
final class Json {

    private Json() {
    }

    static String line(Map<String, ?> fields) {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, ?> field : fields.entrySet()) {
            if (json.length() > 1) {
                json.append(", ");
            }
            quote(json, field.getKey()).append(": ");
            switch (field.getValue()) {
                case null -> json.append("null");
                // JSON has no NaN or Infinity; a figure that could not be measured is null
                case Double d when !Double.isFinite(d) -> json.append("null");
                case Float f when !Float.isFinite(f) -> json.append("null");
                case Number number -> json.append(number);
                case Boolean bool -> json.append(bool);
                case Object other -> quote(json, other.toString());
            }
        }
        return json.append('}').toString();
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
