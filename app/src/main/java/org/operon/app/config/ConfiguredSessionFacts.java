package org.operon.app.config;

import org.operon.engine.RuleError;
import org.operon.engine.SessionFacts;
import org.operon.engine.SessionFactsInvalidException;
import org.operon.model.AlertLimits;
import org.operon.model.IncidentPolicy;
import org.operon.model.IncidentSnapshot;
import org.operon.state.incident.IncidentQuery;
import org.operon.state.incident.IncidentStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The facts every session starts with, from configuration: the {@link IncidentPolicy} and
 * {@link AlertLimits} of the settings (fixed at start), the inhibition rules of {@code operon.inhibit.file}
 * and the services and teams of {@code operon.reference.dir}. The two files are read anew on every
 * {@link #load()}, so an edit takes effect with the next session the engine opens (it opens one when
 * {@link #fingerprint()} changes).
 *
 * <p>With an {@link IncidentStore}, every load also gives one {@link IncidentSnapshot} per active (open or
 * acknowledged) incident kept there, so that the rules continue those incidents in the new session
 * (incident-restore.drl): a restart or a reload replays only the last minutes of the journal. These are
 * state, not configuration: they do not count in the {@link #fingerprint()}.
 */
final class ConfiguredSessionFacts implements SessionFacts {
    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredSessionFacts.class);

    private final IncidentPolicy policy;
    private final AlertLimits limits;
    private final Path inhibitFile;
    private final Path referenceDir;
    private final IncidentStore incidents;
    private final Clock wallClock;
    private Path schedulesFile;

    /**
     * @param inhibitFile  null for none
     * @param referenceDir null for none
     * @param incidents    the store whose active incidents every session starts with; null for none
     * @param wallClock    stamps each {@link IncidentSnapshot} with the time it was read; null without a store
     */
    ConfiguredSessionFacts(IncidentPolicy policy, AlertLimits limits, Path inhibitFile, Path referenceDir,
                           IncidentStore incidents, Clock wallClock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.inhibitFile = inhibitFile;
        this.referenceDir = referenceDir;
        this.incidents = incidents;
        this.wallClock = incidents == null ? wallClock : Objects.requireNonNull(wallClock, "wallClock");
    }

    /** Adds the {@link org.operon.model.Schedule}s of {@code file} (null for none) to the facts. */
    ConfiguredSessionFacts withSchedules(Path file) {
        this.schedulesFile = file;
        return this;
    }

    /**
     * The incident policy, the alert limits, the inhibition rules, the services and teams, the schedules, then the active
     * incidents of the store (newest update first); new instances on every call.
     *
     * @throws SessionFactsInvalidException with one error per invalid source, naming its file
     */
    @Override
    public List<Object> load() throws SessionFactsInvalidException {
        List<Object> facts = new ArrayList<>();
        facts.add(new IncidentPolicy(policy.getGroupBy(), policy.getGroupingWindow(), policy.getReopenWindow(),
                policy.getGroupWait(), policy.getGroupInterval(), policy.getRepeatInterval()));
        facts.add(new AlertLimits(limits.getFlappingChanges(), limits.getFlappingWindow(),
                limits.getStormThreshold(), limits.getStormWindow()));
        List<RuleError> errors = new ArrayList<>();
        if (inhibitFile != null) {
            try {
                facts.addAll(InhibitRuleFile.read(inhibitFile));
            } catch (ConfigFileException e) {
                errors.add(errorOf(e));
            }
        }
        if (referenceDir != null) {
            try {
                facts.addAll(ReferenceData.load(referenceDir));
            } catch (ConfigFileException e) {
                errors.add(errorOf(e));
            }
        }
        if (schedulesFile != null) {
            try {
                facts.addAll(ScheduleFile.read(schedulesFile));
            } catch (ConfigFileException e) {
                errors.add(errorOf(e));
            }
        }
        if (!errors.isEmpty()) {
            throw new SessionFactsInvalidException(errors);
        }
        facts.addAll(activeIncidents());
        return facts;
    }

    /**
     * The store's active incidents, at most {@link IncidentQuery#MAX_LIMIT} (a warning says so when that
     * many were read: the least recently updated beyond it start no session). A snapshot that cannot be
     * restored is skipped with a warning naming it, so that one damaged record cannot stop a start.
     */
    private List<IncidentSnapshot> activeIncidents() {
        if (incidents == null) {
            return List.of();
        }
        List<Map<String, Object>> active = incidents.list(
                new IncidentQuery(IncidentQuery.StatusFilter.ACTIVE, null, IncidentQuery.MAX_LIMIT));
        if (active.size() == IncidentQuery.MAX_LIMIT) {
            LOG.warn("{} or more incidents are open or acknowledged; only the {} most recently updated continue in "
                    + "the new rule session, the others stay open in the incident store until resolved through the API",
                    IncidentQuery.MAX_LIMIT, IncidentQuery.MAX_LIMIT);
        }
        Instant readAt = wallClock.instant();
        List<IncidentSnapshot> snapshots = new ArrayList<>(active.size());
        for (Map<String, Object> snapshot : active) {
            try {
                snapshots.add(IncidentSnapshot.of(snapshot, readAt));
            } catch (IllegalArgumentException e) {
                LOG.warn("incident {} in the incident store cannot continue in the new rule session, skipped: {}",
                        snapshot.get("id"), e.getMessage());
            }
        }
        return snapshots;
    }

    private static RuleError errorOf(ConfigFileException e) {
        return new RuleError(e.file().toString(), e.line(), 0, e.problem());
    }

    /** Sizes and modification times of the inhibit file and the reference files; {@code ""} without either. */
    @Override
    public String fingerprint() {
        StringBuilder s = new StringBuilder();
        if (inhibitFile != null) {
            s.append(SessionFacts.fingerprintOf(List.of(inhibitFile)));
        }
        if (referenceDir != null) {
            s.append(ReferenceData.fingerprint(referenceDir));
        }
        if (schedulesFile != null) {
            s.append(SessionFacts.fingerprintOf(List.of(schedulesFile)));
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return "configuration facts (inhibit file " + (inhibitFile == null ? "none" : inhibitFile)
                + ", reference directory " + (referenceDir == null ? "none" : referenceDir)
                + ", schedules file " + (schedulesFile == null ? "none" : schedulesFile) + ")"
                + (incidents == null ? "" : " and the active incidents");
    }
}
