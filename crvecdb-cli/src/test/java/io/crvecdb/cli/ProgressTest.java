package io.crvecdb.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {

    @Test
    void onATerminalRedrawsOneLineInPlace() {
        StringWriter out = new StringWriter();
        try (Progress progress = new Progress("building", 4, new PrintWriter(out), true)) {
            for (int i = 0; i < 4; i++) {
                progress.advance();
            }
        }

        assertThat(out.toString()).startsWith("\rbuilding [").endsWith("\n").contains("100% 4/4");
        assertThat(out.toString().chars().filter(c -> c == '\n')).hasSize(1);
    }

    @Test
    void elsewhereWritesALinePerTenthReached() {
        StringWriter out = new StringWriter();
        try (Progress progress = new Progress("building", 1000, new PrintWriter(out), false)) {
            for (int i = 0; i < 1000; i++) {
                progress.advance();
            }
        }

        assertThat(out.toString()).doesNotContain("\r");
        assertThat(out.toString().lines()).allMatch(line -> line.matches("building \\d+% \\(.*/s\\)"))
                .last().asString().startsWith("building 100% (1,000/1,000");
    }
}
