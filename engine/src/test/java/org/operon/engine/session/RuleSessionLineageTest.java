package org.operon.engine.session;

import org.drools.base.definitions.rule.impl.RuleImpl;
import org.junit.jupiter.api.Test;
import org.operon.engine.RuleSource;
import org.operon.engine.testrules.Seed;
import org.operon.model.Decision;
import org.operon.model.Event;
import org.operon.model.Lineage;
import org.operon.model.Severity;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The lineage RuleSession attaches to every decision, on this module's test rules (echo.drl). */
class RuleSessionLineageTest {
    private static final long T0 = Instant.parse("2026-01-05T10:00:00Z").toEpochMilli();

    private static Event event(String id, String type, long seq, long arrival) {
        return Event.builder().id(id).source("/test/lineage").type(type).subject("db-1").severity(Severity.CRITICAL)
                .build().stamped(seq, arrival);
    }

    @Test
    void aDecisionNamesItsRuleFileAndTheEventItMatched() {
        List<Decision> decisions = new ArrayList<>();
        try (RuleSession session = RuleSession.openPackaged(T0, decisions::add)) {
            session.process(List.of(event("e1", "disk.full", 1, T0 + 1_000), event("e2", "cpu.hot", 2, T0 + 2_000)));
        }

        assertThat(decisions).hasSize(2);
        Lineage first = decisions.get(0).getLineage();
        assertThat(first).isNotNull();
        assertThat(first.getRule()).isEqualTo("echo");
        assertThat(first.getRulePackage()).isEqualTo("org.operon.engine.testrules");
        assertThat(first.getFile()).isEqualTo("org/operon/engine/testrules/echo.drl");
        assertThat(first.getFacts()).singleElement().satisfies(fact -> {
            assertThat(fact).containsEntry("kind", "Event").containsEntry("key", "e1");
            assertThat((Map<String, Object>) fact.get("fields")).containsEntry("type", "disk.full")
                    .containsEntry("subject", "db-1").containsEntry("severity", "critical")
                    .containsEntry("source", "/test/lineage").containsEntry("arrivalTime", "2026-01-05T10:00:01Z");
        });
        assertThat(first.getEvents()).extracting(e -> e.get("id")).containsExactly("e1");
        // Each decision carries its own match, not the previous one's.
        assertThat(decisions.get(1).getLineage().getEvents()).extracting(e -> e.get("id")).containsExactly("e2");
        // The lineage does not change the id.
        assertThat(decisions.get(0).getId())
                .isEqualTo(Decision.of("seen-disk.full", "db-1", "echo", List.of("e1")).stamped(T0 + 1_000).getId());
    }

    @Test
    void aRuleJoiningSeveralFactsNamesEachOfThem() {
        List<Decision> decisions = new ArrayList<>();
        try (RuleSession session = RuleSession.openPackaged(T0, decisions::add)) {
            session.insert(new Seed("alpha"));
            session.process(List.of(event("ask", "ask-seed", 1, T0 + 1_000)));
        }

        assertThat(decisions).singleElement().satisfies(d -> {
            Lineage lineage = d.getLineage();
            assertThat(lineage.getRule()).isEqualTo("seed");
            assertThat(lineage.getFacts()).extracting(f -> f.get("kind")).containsExactly("Event", "Seed");
            assertThat(lineage.getFacts().get(1)).containsEntry("key", "Seed(alpha)");
            assertThat(lineage.getEvents()).extracting(e -> e.get("id")).containsExactly("ask");
        });
    }

    @Test
    void aPackagedRuleWithoutResourceIsFoundInTheIndexAndAnUnknownOneHasNoFile() {
        RuleImpl indexed = new RuleImpl("indexed rule: one");
        indexed.setPackage("org.operon.test");
        RuleImpl unknown = new RuleImpl("not in the index");
        unknown.setPackage("org.operon.test");

        assertThat(RuleFiles.fileOf(indexed)).isEqualTo("org/operon/test/indexed.drl");
        assertThat(RuleFiles.fileOf(unknown)).isNull();
    }

    @Test
    void aHostPathIsNeverShownRulesDirectoryPathsStayAsTheyAre() {
        assertThat(RuleFiles.relativeToClasspath("/srv/app/classes/org/acme/rules/a.drl", "org.acme.rules"))
                .isEqualTo("org/acme/rules/a.drl");
        assertThat(RuleFiles.relativeToClasspath("/srv/elsewhere/a.drl", "org.acme.rules")).isEqualTo("a.drl");
        assertThat(RuleFiles.relativeToClasspath("team/disk.drl", "org.acme.rules")).isEqualTo("team/disk.drl");
    }

    @Test
    void aRuleOfTheRulesDirectoryNamesItsFileThere() throws Exception {
        String drl = """
                package team.rules;
                import java.util.List;
                import org.operon.model.Decision;
                import org.operon.model.Event;
                rule "disk full"
                when
                    $e : Event(type == "disk.full")
                then
                    channels["decisions"].send(Decision.of("page", $e.getSubject(), "disk full", List.of($e.getId())));
                end
                """;
        CompiledRules rules = RulesCompiler.compile(List.of(
                new RuleSource("team/disk.drl", drl.getBytes(StandardCharsets.UTF_8))));
        List<Decision> decisions = new ArrayList<>();
        try (RuleSession session = rules.open(T0, decisions::add)) {
            session.process(List.of(event("d1", "disk.full", 1, T0 + 1_000)));
        }

        assertThat(decisions).filteredOn(d -> d.getType().equals("page")).singleElement().satisfies(d -> {
            assertThat(d.getLineage().getRule()).isEqualTo("disk full");
            assertThat(d.getLineage().getRulePackage()).isEqualTo("team.rules");
            assertThat(d.getLineage().getFile()).isEqualTo("team/disk.drl");
        });
        // The packaged (test) rule in the same session keeps its own file.
        assertThat(decisions).filteredOn(d -> d.getRule().equals("echo")).singleElement()
                .satisfies(d -> assertThat(d.getLineage().getFile()).isEqualTo("org/operon/engine/testrules/echo.drl"));
    }
}
