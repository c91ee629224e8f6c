package org.operon.state.silence;

import org.operon.model.Matcher;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Validation and state of silences and silence requests. */
class SilenceTest {
    private static final Instant T0 = Instant.parse("2026-11-27T20:00:00Z");
    private static final Instant T1 = T0.plusSeconds(3600);

    private static Silence silence(List<Matcher> matchers, Instant startsAt, Instant endsAt) {
        return new Silence("id-1", matchers, startsAt, endsAt, "ops", "maintenance", T0);
    }

    private static String fieldOf(Runnable creation) {
        try {
            creation.run();
        } catch (InvalidSilenceException e) {
            return e.field() + ": " + e.problem();
        }
        throw new AssertionError("no InvalidSilenceException");
    }

    @Test
    void stateIsPendingBeforeTheStartActiveUntilTheEndAndExpiredFromTheEndOn() {
        Silence s = silence(List.of(Matcher.equal("alertname", "disk")), T0, T1);

        assertThat(s.state(T0.minusMillis(1))).isEqualTo(SilenceState.PENDING);
        assertThat(s.state(T0)).isEqualTo(SilenceState.ACTIVE);
        assertThat(s.state(T1.minusMillis(1))).isEqualTo(SilenceState.ACTIVE);
        assertThat(s.state(T1)).isEqualTo(SilenceState.EXPIRED);
        assertThat(s.state(T1.plusSeconds(1))).isEqualTo(SilenceState.EXPIRED);
        assertThat(SilenceState.PENDING.apiName()).isEqualTo("pending");
    }

    @Test
    void aPendingSilenceExpiredEarlyStartsAndEndsAtTheSameInstantAndIsExpired() {
        Silence s = silence(List.of(Matcher.equal("alertname", "disk")), T1, T1);

        assertThat(s.state(T1)).isEqualTo(SilenceState.EXPIRED);
        assertThat(s.state(T1.plusSeconds(1))).isEqualTo(SilenceState.EXPIRED);
    }

    @Test
    void aSilenceMatchesWhenAllItsMatchersMatch() {
        Silence s = silence(List.of(Matcher.equal("service", "db"), Matcher.regex("instance", "db-.*")), T0, T1);

        assertThat(s.matches(Map.of("service", "db", "instance", "db-2"))).isTrue();
        assertThat(s.matches(Map.of("service", "db", "instance", "web-2"))).isFalse();
        assertThat(s.matches(Map.of("service", "db"))).isFalse();
    }

    @Test
    void silencesAreValidatedLikeAlertmanagerNamingTheField() {
        assertThat(fieldOf(() -> silence(List.of(), T0, T1)))
                .isEqualTo("matchers: at least one matcher is required");
        assertThat(fieldOf(() -> silence(null, T0, T1))).startsWith("matchers: ");
        assertThat(fieldOf(() -> silence(List.of(Matcher.equal("env", ""), Matcher.regex("x", ".*")), T0, T1)))
                .isEqualTo("matchers: at least one matcher must not match the empty string");
        assertThat(fieldOf(() -> silence(List.of(Matcher.equal("a", "b")), T1, T0)))
                .isEqualTo("endsAt: must not be before startsAt");
        assertThat(fieldOf(() -> silence(List.of(Matcher.equal("a", "b")), null, T1)))
                .isEqualTo("startsAt: is required");
        assertThat(fieldOf(() -> new Silence("", List.of(Matcher.equal("a", "b")), T0, T1, "", "", T0)))
                .startsWith("id: ");
        assertThat(fieldOf(() -> new Silence("x", List.of(Matcher.equal("a", "b")), T0, T1, null, "", T0)))
                .isEqualTo("createdBy: is required");
    }

    @Test
    void aNegativeMatcherAloneIsAcceptedAsAlertmanagerAcceptsIt() {
        Silence s = silence(List.of(Matcher.notEqual("env", "prod")), T0, T1);

        assertThat(s.matches(Map.of())).isTrue();
        assertThat(s.matches(Map.of("env", "prod"))).isFalse();
    }

    @Test
    void matchersAreCopiedAndKeptInOrder() {
        java.util.ArrayList<Matcher> given = new java.util.ArrayList<>(
                List.of(Matcher.equal("b", "1"), Matcher.equal("a", "2")));
        Silence s = silence(given, T0, T1);
        given.clear();

        assertThat(s.matchers()).extracting(Matcher::name).containsExactly("b", "a");
        assertThatThrownBy(() -> s.matchers().add(Matcher.equal("c", "3")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void requestsNeedAnEndAfterTheStartAnAuthorAndAComment() {
        List<Matcher> m = List.of(Matcher.equal("alertname", "disk"));

        assertThat(new SilenceRequest(m, null, T1, "ops", "").startsAt()).isNull();
        assertThat(fieldOf(() -> new SilenceRequest(m, T1, T1, "ops", "c")))
                .isEqualTo("endsAt: start time must be before end time");
        assertThat(fieldOf(() -> new SilenceRequest(m, T0, null, "ops", "c"))).isEqualTo("endsAt: is required");
        assertThat(fieldOf(() -> new SilenceRequest(m, T0, T1, null, "c"))).isEqualTo("createdBy: is required");
        assertThat(fieldOf(() -> new SilenceRequest(m, T0, T1, "ops", null))).isEqualTo("comment: is required");
        assertThat(fieldOf(() -> new SilenceRequest(List.of(Matcher.regex("a", ".*")), T0, T1, "ops", "c")))
                .isEqualTo("matchers: at least one matcher must not match the empty string");
    }

    @Test
    void aProblemCanBeLocatedInsideItsParent() {
        InvalidSilenceException e = new InvalidSilenceException("value", "bad").within("matchers[2]");

        assertThat(e.field()).isEqualTo("matchers[2].value");
        assertThat(e.getMessage()).isEqualTo("matchers[2].value: bad");
    }
}
