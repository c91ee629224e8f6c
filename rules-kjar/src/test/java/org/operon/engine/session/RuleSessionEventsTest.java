package org.operon.engine.session;

import org.drools.base.base.ClassObjectType;
import org.drools.core.impl.InternalRuleBase;
import org.drools.core.reteoo.ObjectTypeNode;
import org.junit.jupiter.api.Test;
import org.kie.api.KieBase;
import org.operon.engine.RuleSource;
import org.operon.model.Decision;
import org.operon.model.Event;
import org.operon.model.Severity;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How long events stay in working memory: until the rules have fired on them when only the packaged rules
 * (or rule files that cannot match an Event) are loaded, 5 minutes when a rule of the rules directory may
 * match one later (a window, a join, a temporal operator).
 */
class RuleSessionEventsTest {
    private static final long T0 = Instant.parse("2025-03-01T12:00:00Z").toEpochMilli();

    private static final String COUNTING_RULE = """
            package org.operon.user;

            import java.util.List;
            import org.operon.model.Decision;
            import org.operon.model.Event;
            import org.operon.model.Severity;

            rule "two warnings of a subject within a minute"
            when
                $e : Event(severity == Severity.WARNING, $s : subject)
                Number(intValue == 2) from accumulate(
                    Event(severity == Severity.WARNING, subject == $s) over window:time(1m), count(1))
            then
                channels["decisions"].send(Decision.of("warned-twice", $s, drools.getRule().getName(),
                        List.of($e.getId())));
            end
            """;

    private static final String NO_EVENT_RULE = """
            package org.operon.user;

            import java.util.List;
            import org.operon.model.Decision;
            import org.operon.rules.CriticalBursts;

            rule "critical bursts are tracked"
            when
                CriticalBursts()
            then
            end
            """;

    private static Event event(String id, String subject, Severity severity, long arrival) {
        return Event.builder().id(id).source("/test").type("alert").subject(subject).severity(severity).build()
                .stamped(1, arrival);
    }

    private static CompiledRules compile(String drl) throws Exception {
        return RulesCompiler.compile(List.of(new RuleSource("user.drl", drl.getBytes(StandardCharsets.UTF_8))));
    }

    /** The expiration offset of the Event object type node: what Drools schedules an expiry job by (-1: none). */
    private static long eventExpiry(KieBase kieBase) {
        for (ObjectTypeNode node : ((InternalRuleBase) kieBase).getRete().getObjectTypeNodes()) {
            if (node.getObjectType() instanceof ClassObjectType type && type.getClassType() == Event.class) {
                return node.getExpirationOffset();
            }
        }
        throw new AssertionError("no Event node");
    }

    @Test
    void eventsThatLeaveOnceTheRulesFiredScheduleNoExpiry() throws Exception {
        try (RuleSession session = RuleSession.openPackaged(T0, d -> { })) {
            assertThat(eventExpiry(ClasspathRules.packaged())).isEqualTo(-1);
        }
        CompiledRules letGo = compile(NO_EVENT_RULE);
        try (RuleSession session = letGo.open(T0, d -> { })) {
            assertThat(eventExpiry(letGo.kieBase())).isEqualTo(-1);
        }
        // Such a kbase cannot be opened to keep its events: they would never leave.
        assertThatThrownBy(() -> RuleSession.open(letGo.kieBase(), T0, d -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no longer expire");

        // Nor the other way round: a kbase whose sessions keep events cannot then open one without expiry.
        CompiledRules keptFirst = compile(NO_EVENT_RULE + "\n// another file than letGo's, so another kbase\n");
        try (RuleSession session = RuleSession.open(keptFirst.kieBase(), T0, d -> { })) {
            assertThat(session.keepsEvents()).isTrue();
            assertThatThrownBy(() -> keptFirst.open(T0, d -> { }))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("keep their events");
            assertThat(eventExpiry(keptFirst.kieBase())).isEqualTo(300_001);
        }

        CompiledRules keep = compile(COUNTING_RULE);
        try (RuleSession session = keep.open(T0, d -> { })) {
            assertThat(eventExpiry(keep.kieBase())).isEqualTo(300_001); // @expires(5m), which Drools counts inclusively
        }
    }

    @Test
    void thePackagedRulesAloneLetEachEventGoOnceTheyFiredOnIt() {
        List<Decision> decisions = new ArrayList<>();
        try (RuleSession session = RuleSession.openPackaged(T0, decisions::add)) {
            assertThat(session.keepsEvents()).isFalse();
            for (int i = 1; i <= 3; i++) {
                session.process(List.of(event("c" + i, "db1", Severity.CRITICAL, T0 + i * 1_000L)));
                assertThat(session.facts(Event.class)).isEmpty();
            }
            // What the rules needed of the events was taken when they arrived: the burst of three is decided.
            assertThat(decisions).extracting(Decision::getType).containsExactly("notify");
            assertThat(decisions.get(0).getEventIds()).containsExactly("c1", "c2", "c3");
        }
    }

    @Test
    void aRuleOfTheRulesDirectoryThatMatchesEventsKeepsThemForFiveMinutes() throws Exception {
        List<Decision> decisions = new ArrayList<>();
        try (RuleSession session = compile(COUNTING_RULE).open(T0, decisions::add)) {
            assertThat(session.keepsEvents()).isTrue();
            session.process(List.of(event("w1", "web1", Severity.WARNING, T0)));
            session.process(List.of(event("w2", "web1", Severity.WARNING, T0 + 30_000)));

            // The window still held w1 when w2 arrived: the rule matched each of the two, at w2's arrival.
            assertThat(decisions).filteredOn(d -> d.getType().equals("warned-twice"))
                    .allSatisfy(d -> assertThat(d.getTime()).isEqualTo(T0 + 30_000))
                    .extracting(d -> d.getEventIds().get(0)).containsExactlyInAnyOrder("w1", "w2");
            assertThat(session.facts(Event.class)).extracting(Event::getId).containsExactlyInAnyOrder("w1", "w2");

            session.advanceTo(T0 + 300_001); // w1 is past arrival + 5 minutes
            assertThat(session.facts(Event.class)).extracting(Event::getId).containsExactly("w2");
            session.advanceTo(T0 + 330_001);
            assertThat(session.facts(Event.class)).isEmpty();
        }
    }

    @Test
    void ruleFilesThatCannotMatchAnEventLetEventsGo() throws Exception {
        try (RuleSession session = compile(NO_EVENT_RULE).open(T0, d -> { })) {
            assertThat(session.keepsEvents()).isFalse();
            session.process(List.of(event("i1", "web1", Severity.INFO, T0)));
            assertThat(session.facts(Event.class)).isEmpty();
        }
    }

    @Test
    void aPatternThatMayMatchAnEventLaterKeepsThem() throws Exception {
        for (String rule : List.of("when Object() String() then", "when not Event(subject == \"x\") then",
                "when exists (String() and Event()) then", "when $n : Number() from accumulate(Object(), count(1)) then",
                "when $e : Event() over window:time(1m) then", "when Event() String() then",
                "timer (int: 1m) when Event() then", "agenda-group \"later\" when Event() then",
                "when $e : Event() $f : Event(this after[0, 1m] $e) then",
                "when Event() org.operon.model.IncidentPolicy() String() then")) {
            String drl = "package org.operon.user;\nimport org.operon.model.Event;\nrule \"r\" " + rule + " end\n";
            try (RuleSession session = compile(drl).open(T0, d -> { })) {
                assertThat(session.keepsEvents()).as(rule).isTrue();
            }
        }
    }

    @Test
    void aRuleThatFiresOnAnEventOnlyAtItsArrivalLetsEventsGo() throws Exception {
        String drl = """
                package org.operon.user;
                import java.util.List;
                import org.operon.model.Decision;
                import org.operon.model.Event;
                rule "each critical event is reported" salience -10
                when
                    $e : Event(severity == org.operon.model.Severity.CRITICAL)
                then
                    channels["decisions"].send(Decision.of("seen", $e.getSubject(), drools.getRule().getName(),
                            List.of($e.getId())));
                end
                """;
        // Alone, and joined with IncidentPolicy() as docs/rules-directory.md advises against Drools 10.1's leak.
        for (String rule : List.of(drl, drl.replace("CRITICAL)", "CRITICAL)\n    org.operon.model.IncidentPolicy()"))) {
            List<Decision> decisions = new ArrayList<>();
            try (RuleSession session = compile(rule).open(T0, decisions::add)) {
                assertThat(session.keepsEvents()).as(rule).isFalse();
                session.process(List.of(event("c1", "db1", Severity.CRITICAL, T0),
                        event("c2", "db2", Severity.CRITICAL, T0)));
                assertThat(decisions).filteredOn(d -> d.getType().equals("seen")).hasSize(2);
                assertThat(session.facts(Event.class)).isEmpty();
            }
        }
    }
}
