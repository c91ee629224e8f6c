package org.operon.app.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.engine.RuleError;
import org.operon.engine.SessionFacts;
import org.operon.engine.SessionFactsInvalidException;
import org.operon.model.AlertLimits;
import org.operon.model.IncidentPolicy;
import org.operon.model.InhibitRule;
import org.operon.model.reference.Service;
import org.operon.model.reference.Team;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfiguredSessionFactsTest {
    @TempDir
    Path dir;

    private Path inhibitFile;
    private Path referenceDir;

    private SessionFacts facts() throws IOException {
        inhibitFile = dir.resolve("inhibit.yaml");
        Files.writeString(inhibitFile, "inhibit_rules:\n  - {source_matchers: [severity=critical], "
                + "target_matchers: [severity=warning], equal: [service]}\n");
        referenceDir = Files.createDirectories(dir.resolve("reference"));
        Files.writeString(referenceDir.resolve("services.yaml"), "services:\n  - {name: checkout, team: payments}\n");
        Files.writeString(referenceDir.resolve("teams.csv"), "name,on_call\npayments,alice@example.com\n");
        return OperonConfig.load(Map.of("OPERON_INHIBIT_FILE", inhibitFile.toString(),
                "OPERON_REFERENCE_DIR", referenceDir.toString(), "OPERON_INCIDENTS_GROUP_BY", "service,env",
                "OPERON_STORM_THRESHOLD", "7"), new Properties()).sessionFacts();
    }

    /** Sets a file's content with a modification time that surely differs from the previous one. */
    private static void edit(Path file, String text, String modified) throws IOException {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse(modified)));
    }

    @Test
    void loadsPolicyLimitsInhibitRulesServicesAndTeamsInThatOrder() throws Exception {
        List<Object> loaded = facts().load();

        assertThat(loaded).hasSize(5);
        assertThat(loaded.get(0)).isInstanceOfSatisfying(IncidentPolicy.class,
                p -> assertThat(p.getGroupBy()).containsExactly("service", "env"));
        assertThat(loaded.get(1)).isInstanceOfSatisfying(AlertLimits.class,
                l -> assertThat(l.getStormThreshold()).isEqualTo(7));
        assertThat(loaded.get(2)).isInstanceOfSatisfying(InhibitRule.class,
                r -> assertThat(r.getEqual()).containsExactly("service"));
        assertThat(loaded.get(3)).isEqualTo(new Service("checkout", "payments", null, List.of()));
        assertThat(loaded.get(4)).isEqualTo(new Team("payments", List.of("alice@example.com")));
    }

    @Test
    void eachLoadReadsTheFilesAnewAndReturnsNewInstances() throws Exception {
        SessionFacts facts = facts();
        List<Object> first = facts.load();
        String before = facts.fingerprint();

        edit(inhibitFile, "inhibit_rules:\n  - {source_matchers: [a=b], target_matchers: [c=d]}\n"
                + "  - {source_matchers: [e=f], target_matchers: [g=h]}\n", "2026-01-01T00:00:00Z");
        String afterInhibitEdit = facts.fingerprint();
        assertThat(afterInhibitEdit).isNotEqualTo(before);
        edit(referenceDir.resolve("services.yaml"), "services: []\n", "2026-01-01T00:00:00Z");
        assertThat(facts.fingerprint()).isNotEqualTo(afterInhibitEdit);
        List<Object> second = facts.load();

        assertThat(second.stream().filter(InhibitRule.class::isInstance)).hasSize(2);
        assertThat(second.stream().filter(Service.class::isInstance)).isEmpty();
        assertThat(second.get(0)).isNotSameAs(first.get(0));
        assertThat(facts.fingerprint()).as("unchanged files, unchanged fingerprint").isEqualTo(facts.fingerprint());
    }

    @Test
    void invalidFilesAreReportedTogetherNamingFileAndProblem() throws Exception {
        SessionFacts facts = facts();
        Files.writeString(inhibitFile, "inhibit_rules:\n  - {source_matchers: [a=b]}\n");
        Files.writeString(referenceDir.resolve("services.csv"), "name\nx\n");

        assertThatThrownBy(facts::load).isInstanceOfSatisfying(SessionFactsInvalidException.class, e -> {
            assertThat(e.errors()).extracting(RuleError::file)
                    .containsExactly(inhibitFile.toString(), referenceDir.toString());
            assertThat(e.errors().get(0).message()).isEqualTo("rule 1: no target matchers: give \"target_matchers\" "
                    + "(or the deprecated \"target_match\" / \"target_match_re\")");
            assertThat(e.errors().get(1).message()).contains("holds both services.yaml and services.csv");
        });
        Files.delete(inhibitFile);
        assertThatThrownBy(facts::load).isInstanceOf(SessionFactsInvalidException.class)
                .hasMessageContainingAll(inhibitFile.toString(), "cannot be read");
    }

    @Test
    void withoutFilesTheFactsAreTheSettingsAndTheFingerprintIsEmpty() throws Exception {
        SessionFacts facts = OperonConfig.load(Map.of("OPERON_INCIDENTS_GROUPING_WINDOW", "1h"), new Properties())
                .sessionFacts();
        assertThat(facts.fingerprint()).isEmpty();
        List<Object> loaded = facts.load();
        assertThat(loaded).hasSize(2);
        assertThat(((IncidentPolicy) loaded.get(0)).getGroupingWindow()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void anEmptyReferenceDirectoryStillHasAFingerprintSoThatAddedFilesAreSeen() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        SessionFacts facts = OperonConfig.load(Map.of("OPERON_REFERENCE_DIR", empty.toString()), new Properties())
                .sessionFacts();
        String before = facts.fingerprint();
        assertThat(before).isNotEmpty();
        Files.writeString(empty.resolve("teams.yaml"), "teams: []\n");
        assertThat(facts.fingerprint()).isNotEqualTo(before);
    }
}
