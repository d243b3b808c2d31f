package io.crvecdb.cli;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTest {

    @Test
    void writesOneObjectOnOneLineThatParsesBackToTheSameFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("lib", "crvecdb");
        fields.put("n", 100000);
        fields.put("recall@10", 0.9734);
        fields.put("warm", true);
        fields.put("note", "quote \" backslash \\ newline \n tab \t bell \u0007 é");
        fields.put("missing", null);

        String line = Json.line(fields);

        assertThat(line).doesNotContain("\n").startsWith("{\"lib\": \"crvecdb\", \"n\": 100000, \"recall@10\": 0.9734");
        assertThat(Cli.parse(line)).containsExactlyEntriesOf(fields);
    }

    @Test
    void figuresThatCouldNotBeMeasuredBecomeNull() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("qps", Double.POSITIVE_INFINITY);
        fields.put("ratio", Float.NaN);

        assertThat(Json.line(fields)).isEqualTo("{\"qps\": null, \"ratio\": null}");
    }
}
