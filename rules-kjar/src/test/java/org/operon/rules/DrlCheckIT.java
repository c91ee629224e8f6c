package org.operon.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build-time DRL check (src/build/DrlCheck.java, run by this module's build before the kjar is
 * built) names the file and the line of an unknown type or field, which the executable-model build
 * reports without a line.
 */
class DrlCheckIT {
    @TempDir
    Path rules;

    @Test
    void anUnknownFactTypeIsReportedWithItsFileAndLine() throws Exception {
        write("broken-type.drl", """
                package org.operon.rules;
                import org.operon.model.Event;

                rule "uses a type that does not exist"
                when
                    Evnt(type == "x")
                then
                end
                """);
        Result r = check();
        assertThat(r.exitCode).isEqualTo(1);
        assertThat(r.output).contains("org/operon/rules/broken-type.drl:6:").contains("Evnt");
    }

    @Test
    void anUnknownFieldIsReportedWithItsFileAndLine() throws Exception {
        write("broken-field.drl", """
                package org.operon.rules;
                import org.operon.model.Event;

                rule "uses a field that does not exist"
                when
                    Event(type == "x")
                    Event(severety == "critical")
                then
                end
                """);
        Result r = check();
        assertThat(r.exitCode).isEqualTo(1);
        assertThat(r.output).contains("org/operon/rules/broken-field.drl:7:").contains("severety");
    }

    @Test
    void correctRulesPass() throws Exception {
        write("fine.drl", """
                package org.operon.rules;
                import org.operon.model.Event;

                rule "fine"
                when
                    Event(type == "x")
                then
                end
                """);
        Result r = check();
        assertThat(r.exitCode).as(r.output).isZero();
    }

    private void write(String name, String drl) throws Exception {
        Path dir = rules.resolve("org/operon/rules");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name), drl);
    }

    private record Result(int exitCode, String output) {
    }

    private Result check() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                "src/build/DrlCheck.java", rules.toString()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
