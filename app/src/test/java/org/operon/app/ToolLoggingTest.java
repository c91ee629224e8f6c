package org.operon.app;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ToolLoggingTest {

    @Test
    void writesWarningsAndErrorsOnlyOneLineEachWithTheirStackTrace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Logger log = new ToolLogging.Loggers(err).getLogger("org.drools.Example");

        log.info("loaded {} rules", 12);
        log.debug("detail");
        log.warn("Ignoring {} in the rules directory", "notes.txt");
        log.error("cannot read {}", "index", new IllegalStateException("broken"));

        String written = bytes.toString(StandardCharsets.UTF_8);
        assertThat(written).doesNotContain("loaded").doesNotContain("detail");
        assertThat(written.lines().limit(3)).containsExactly(
                "WARN org.drools.Example - Ignoring notes.txt in the rules directory",
                "ERROR org.drools.Example - cannot read index",
                "java.lang.IllegalStateException: broken");
        assertThat(log.isInfoEnabled()).isFalse();
        assertThat(log.isWarnEnabled()).isTrue();
    }

    @Test
    void oneLoggerPerName() {
        ToolLogging.Loggers loggers = new ToolLogging.Loggers(System.err);
        assertThat(loggers.getLogger("a")).isSameAs(loggers.getLogger("a")).isNotSameAs(loggers.getLogger("b"));
    }
}
