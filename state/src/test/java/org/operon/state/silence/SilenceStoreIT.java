package org.operon.state.silence;

import org.operon.model.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.state.OperonState;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import org.operon.testkit.MovableClock;

/** The silence store on a real Infinispan with its file store, across close and reopen. */
class SilenceStoreIT {
    private static final Instant T0 = Instant.parse("2026-11-27T20:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    /** One state for the class (opening Infinispan takes most of a second); each test empties the cache. */
    @TempDir
    static Path dataDir;
    private static OperonState state;

    private final MovableClock clock = new MovableClock(T0);
    private SilenceStore store;

    @BeforeEach
    void open() {
        if (state == null) {
            state = OperonState.open(dataDir, clock);
        }
        state.durableCache(SilenceStore.CACHE).clear();
        store = SilenceStore.open(state, clock);
    }

    @AfterAll
    static void close() {
        if (state != null) {
            state.close();
            state = null;
        }
    }

    private void reopen() {
        state.close();
        state = OperonState.open(dataDir, clock);
        store = SilenceStore.open(state, clock);
    }

    private static SilenceRequest request(List<Matcher> matchers, Instant startsAt, Instant endsAt, String comment) {
        return new SilenceRequest(matchers, startsAt, endsAt, "ops", comment);
    }

    private static final List<Matcher> DISK = List.of(Matcher.equal("alertname", "DiskFull"));
    private static final List<Matcher> DB = List.of(Matcher.equal("service", "db"), Matcher.regex("env", "prod|stage"));

    @Test
    void createdSilencesHaveNewUuidsAndAreReadBack() {
        Silence disk = store.create(request(DISK, T0, T0.plus(HOUR), "disk swap"));
        Silence db = store.create(request(DB, null, T0.plus(HOUR.multipliedBy(2)), "db upgrade"));

        assertThat(disk.id()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(db.id()).isNotEqualTo(disk.id());
        assertThat(store.get(disk.id())).contains(disk);
        assertThat(disk).isEqualTo(new Silence(disk.id(), DISK, T0, T0.plus(HOUR), "ops", "disk swap", T0));
        assertThat(db.startsAt()).isEqualTo(T0);
        assertThat(db.matchers()).isEqualTo(DB);
        assertThat(store.get("no-such-id")).isEmpty();
        assertThat(store.get(null)).isEmpty();
    }

    @Test
    void aStartInThePastBecomesNowAndTimesAreKeptToTheMillisecond() {
        clock.advance(Duration.ofNanos(1_234_567));
        Silence s = store.create(request(DISK, T0.minus(HOUR), T0.plus(HOUR).plusNanos(999_999), "late"));

        assertThat(s.startsAt()).isEqualTo(T0.plusMillis(1));
        assertThat(s.updatedAt()).isEqualTo(T0.plusMillis(1));
        assertThat(s.endsAt()).isEqualTo(T0.plus(HOUR));
    }

    @Test
    void anEndThatIsNotInTheFutureIsRefused() {
        clock.advance(HOUR);

        assertThatThrownBy(() -> store.create(request(DISK, T0.minus(HOUR), T0, "too late")))
                .isInstanceOf(InvalidSilenceException.class)
                .satisfies(e -> assertThat(((InvalidSilenceException) e).field()).isEqualTo("endsAt"))
                .hasMessageContaining("end time must be in the future");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void listsActiveThenPendingThenExpiredAsAlertmanagerOrdersThem() {
        Silence activeLong = store.create(request(DISK, T0, T0.plus(HOUR.multipliedBy(5)), "a"));
        Silence activeShort = store.create(request(DISK, T0, T0.plus(HOUR), "b"));
        Silence pendingLate = store.create(request(DISK, T0.plus(HOUR.multipliedBy(3)), T0.plus(HOUR.multipliedBy(9)), "c"));
        Silence pendingSoon = store.create(request(DISK, T0.plus(HOUR), T0.plus(HOUR.multipliedBy(9)), "d"));
        Silence expiredFirst = store.create(request(DISK, T0, T0.plus(HOUR.multipliedBy(9)), "e"));
        clock.advance(Duration.ofMinutes(1));
        store.expire(expiredFirst.id());
        clock.advance(Duration.ofMinutes(1));
        Silence expiredLast = store.expire(store.create(request(DISK, T0, T0.plus(HOUR.multipliedBy(9)), "f")).id());

        assertThat(store.list()).extracting(Silence::id).containsExactly(activeShort.id(), activeLong.id(),
                pendingSoon.id(), pendingLate.id(), expiredLast.id(), expiredFirst.id());
    }

    @Test
    void theFilterSelectsSilencesHavingEachFilterMatcherExactly() {
        Silence disk = store.create(request(DISK, T0, T0.plus(HOUR), "disk"));
        Silence db = store.create(request(DB, T0, T0.plus(HOUR), "db"));
        Silence both = store.create(request(List.of(Matcher.equal("alertname", "DiskFull"),
                Matcher.equal("service", "db")), T0, T0.plus(HOUR), "both"));

        assertThat(store.list(List.of(Matcher.parse("alertname=\"DiskFull\"")))).extracting(Silence::id)
                .containsExactlyInAnyOrder(disk.id(), both.id());
        assertThat(store.list(List.of(Matcher.parse("alertname=DiskFull"), Matcher.parse("service=db"))))
                .extracting(Silence::id).containsExactly(both.id());
        assertThat(store.list(List.of(Matcher.parse("env=~\"prod|stage\"")))).extracting(Silence::id)
                .containsExactly(db.id());
        // A filter selects by matcher, not by the labels a silence would match.
        assertThat(store.list(List.of(Matcher.parse("env=\"prod\"")))).isEmpty();
        assertThat(store.list(List.of(Matcher.parse("alertname!=\"DiskFull\"")))).isEmpty();
    }

    @Test
    void activeForReturnsTheActiveSilencesMatchingTheLabelsAtTheGivenTime() {
        Silence disk = store.create(request(DISK, T0, T0.plus(HOUR), "disk"));
        Silence db = store.create(request(DB, T0.plus(HOUR), T0.plus(HOUR.multipliedBy(2)), "db later"));
        Silence anyDisk = store.create(request(List.of(Matcher.regex("alertname", "Disk.*")), T0,
                T0.plus(HOUR.multipliedBy(2)), "any disk"));
        Map<String, String> diskLabels = Map.of("alertname", "DiskFull", "instance", "web-1");
        Map<String, String> dbLabels = Map.of("service", "db", "env", "stage");

        assertThat(store.activeFor(diskLabels, T0)).containsExactlyElementsOf(
                java.util.stream.Stream.of(disk.id(), anyDisk.id()).sorted().toList());
        assertThat(store.activeFor(diskLabels, T0.plus(HOUR))).containsExactly(anyDisk.id());
        assertThat(store.activeFor(dbLabels, T0)).isEmpty();
        assertThat(store.activeFor(dbLabels, T0.plus(HOUR))).containsExactly(db.id());
        assertThat(store.activeFor(Map.of("service", "db", "env", "dev"), T0.plus(HOUR))).isEmpty();
        assertThat(store.activeFor(dbLabels, T0.plus(HOUR.multipliedBy(2)))).isEmpty();

        store.expire(disk.id());
        assertThat(store.activeFor(diskLabels, T0)).containsExactly(anyDisk.id());
    }

    @Test
    void anActiveSilenceWhoseStartIsKeptIsUpdatedInPlace() {
        Silence s = store.create(request(DISK, T0, T0.plus(HOUR), "first"));
        clock.advance(Duration.ofMinutes(10));

        Silence updated = store.update(s.id(), request(DISK, T0.plusMillis(500), T0.plus(HOUR.multipliedBy(3)),
                "extended"));

        assertThat(updated.id()).isEqualTo(s.id());
        assertThat(updated.endsAt()).isEqualTo(T0.plus(HOUR.multipliedBy(3)));
        assertThat(updated.comment()).isEqualTo("extended");
        assertThat(updated.updatedAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        assertThat(store.list()).containsExactly(updated);
    }

    @Test
    void changingTheMatchersExpiresTheOldSilenceAndCreatesANewOne() {
        Silence s = store.create(request(DISK, T0, T0.plus(HOUR), "disk"));
        clock.advance(Duration.ofMinutes(10));
        Instant now = T0.plus(Duration.ofMinutes(10));

        Silence replacement = store.update(s.id(), request(DB, T0, T0.plus(HOUR), "db instead"));

        assertThat(replacement.id()).isNotEqualTo(s.id());
        assertThat(replacement.startsAt()).isEqualTo(now);
        assertThat(replacement.matchers()).isEqualTo(DB);
        assertThat(replacement.state(now)).isEqualTo(SilenceState.ACTIVE);
        Silence old = store.get(s.id()).orElseThrow();
        assertThat(old.state(now)).isEqualTo(SilenceState.EXPIRED);
        assertThat(old.endsAt()).isEqualTo(now);
        assertThat(old.matchers()).isEqualTo(DISK);
    }

    @Test
    void movingTheStartOfAnActiveSilenceReplacesIt() {
        Silence s = store.create(request(DISK, T0, T0.plus(HOUR), "disk"));
        clock.advance(Duration.ofMinutes(10));

        Silence replacement = store.update(s.id(), request(DISK, T0.plusSeconds(1), T0.plus(HOUR), "moved"));

        assertThat(replacement.id()).isNotEqualTo(s.id());
        assertThat(store.get(s.id()).orElseThrow().state(clock.instant())).isEqualTo(SilenceState.EXPIRED);
    }

    @Test
    void aPendingSilenceIsUpdatedInPlaceWhileItsStartStaysInTheFuture() {
        Silence s = store.create(request(DISK, T0.plus(HOUR), T0.plus(HOUR.multipliedBy(2)), "later"));

        Silence moved = store.update(s.id(), request(DISK, T0.plus(Duration.ofMinutes(30)),
                T0.plus(HOUR.multipliedBy(2)), "sooner"));
        Silence startingNowish = store.update(s.id(), request(DISK, T0.minusSeconds(1),
                T0.plus(HOUR.multipliedBy(2)), "now"));

        assertThat(moved.id()).isEqualTo(s.id());
        assertThat(moved.startsAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
        assertThat(startingNowish.id()).isNotEqualTo(s.id());
        assertThat(startingNowish.startsAt()).isEqualTo(T0);
        Silence old = store.get(s.id()).orElseThrow();
        assertThat(old.startsAt()).isEqualTo(T0);
        assertThat(old.endsAt()).isEqualTo(T0);
    }

    @Test
    void updatingAnExpiredSilenceCreatesANewOneAndLeavesTheOldAsItWas() {
        Silence s = store.create(request(DISK, T0, T0.plus(HOUR), "disk"));
        clock.advance(HOUR.multipliedBy(2));
        Instant now = clock.instant();

        Silence again = store.update(s.id(), request(DISK, now, now.plus(HOUR), "again"));

        assertThat(again.id()).isNotEqualTo(s.id());
        assertThat(store.get(s.id())).contains(s);
    }

    @Test
    void updatingAnUnknownSilenceIsNotFound() {
        assertThatThrownBy(() -> store.update("3d8a4a76-0000-4000-8000-000000000000",
                request(DISK, T0, T0.plus(HOUR), "x")))
                .isInstanceOf(SilenceNotFoundException.class)
                .hasMessageContaining("3d8a4a76-0000-4000-8000-000000000000");
    }

    @Test
    void expiringEndsAnActiveSilenceNowAndAPendingOneBeforeItStarts() {
        Silence active = store.create(request(DISK, T0, T0.plus(HOUR), "a"));
        Silence pending = store.create(request(DISK, T0.plus(HOUR), T0.plus(HOUR.multipliedBy(2)), "p"));
        clock.advance(Duration.ofMinutes(5));
        Instant now = clock.instant();

        Silence expiredActive = store.expire(active.id());
        Silence expiredPending = store.expire(pending.id());

        assertThat(expiredActive.startsAt()).isEqualTo(T0);
        assertThat(expiredActive.endsAt()).isEqualTo(now);
        assertThat(expiredActive.updatedAt()).isEqualTo(now);
        assertThat(expiredActive.state(now)).isEqualTo(SilenceState.EXPIRED);
        assertThat(expiredPending.startsAt()).isEqualTo(now);
        assertThat(expiredPending.endsAt()).isEqualTo(now);
        assertThat(store.get(pending.id())).contains(expiredPending);
    }

    @Test
    void expiringAnExpiredSilenceChangesNothingAndAnUnknownOneIsNotFound() {
        Silence s = store.create(request(DISK, T0, T0.plus(HOUR), "a"));
        Silence expired = store.expire(s.id());
        clock.advance(Duration.ofMinutes(5));

        assertThat(store.expire(s.id())).isEqualTo(expired);
        assertThat(store.get(s.id())).contains(expired);
        assertThatThrownBy(() -> store.expire("nope")).isInstanceOf(SilenceNotFoundException.class);
    }

    @Test
    void silencesSurviveCloseAndReopenWithTheirStates() {
        Silence active = store.create(request(DB, T0, T0.plus(HOUR), "active"));
        Silence pending = store.create(request(DISK, T0.plus(HOUR), T0.plus(HOUR.multipliedBy(2)), "pending"));
        Silence expired = store.expire(store.create(request(DISK, T0, T0.plus(HOUR), "expired")).id());

        reopen();

        assertThat(store.list()).containsExactly(active, pending, expired);
        assertThat(store.activeFor(Map.of("service", "db", "env", "prod"), T0)).containsExactly(active.id());
        clock.advance(HOUR);
        assertThat(store.activeFor(Map.of("alertname", "DiskFull"), clock.instant())).containsExactly(pending.id());
    }

    @Test
    void expiredSilencesAreKeptForTheRetentionThenRemovedAlsoFromTheFileStore() {
        Silence s = store.create(request(DISK, T0, T0.plus(HOUR), "a"));
        Silence later = store.create(request(DB, T0, T0.plus(HOUR.multipliedBy(2)), "b"));
        clock.advance(HOUR);
        assertThat(store.get(s.id()).orElseThrow().state(clock.instant())).isEqualTo(SilenceState.EXPIRED);

        clock.advance(SilenceStore.DEFAULT_RETENTION.minusMillis(1));
        assertThat(store.get(s.id())).isPresent();
        assertThat(store.list()).hasSize(2);

        clock.advance(Duration.ofMillis(1));
        assertThat(store.get(s.id())).isEmpty();
        assertThat(store.list()).containsExactly(later);
        assertThatThrownBy(() -> store.expire(s.id())).isInstanceOf(SilenceNotFoundException.class);
        assertThat(state.durableCache(SilenceStore.CACHE).containsKey(s.id())).isTrue();

        assertThat(store.collectGarbage()).isEqualTo(1);
        assertThat(state.durableCache(SilenceStore.CACHE).containsKey(s.id())).isFalse();
        assertThat(store.collectGarbage()).isZero();

        reopen();
        assertThat(store.list()).containsExactly(later);
    }

    @Test
    void openingRemovesSilencesThatPassedTheirRetentionWhileOperonWasDown() {
        Silence s = store.create(request(DISK, T0, T0.plus(HOUR), "a"));
        state.close();
        state = null;
        clock.advance(HOUR.plus(SilenceStore.DEFAULT_RETENTION));

        state = OperonState.open(dataDir, clock);
        store = SilenceStore.open(state, clock);

        assertThat(store.get(s.id())).isEmpty();
        assertThat(state.durableCache(SilenceStore.CACHE).containsKey(s.id())).isFalse();
    }

    @Test
    void aShorterRetentionCanBeChosenAndMustBePositive() {
        store = SilenceStore.open(state, clock, Duration.ofMinutes(1));
        Silence s = store.expire(store.create(request(DISK, T0, T0.plus(HOUR), "a")).id());

        clock.advance(Duration.ofMinutes(1));

        assertThat(store.get(s.id())).isEmpty();
        assertThatThrownBy(() -> SilenceStore.open(state, clock, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
    }

    @Test
    void theCachesOfOperonStateAreNotHandedOut() {
        assertThatThrownBy(() -> state.durableCache("audit")).isInstanceOf(IllegalArgumentException.class);
        assertThat(state.durableCache(SilenceStore.CACHE)).isSameAs(state.durableCache(SilenceStore.CACHE));
    }
}
