package org.operon.app.config;

import org.operon.engine.RuleError;
import org.operon.engine.SessionFacts;
import org.operon.engine.SessionFactsInvalidException;
import org.operon.model.AlertLimits;
import org.operon.model.IncidentPolicy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The facts every session starts with, from configuration: the {@link IncidentPolicy} and
 * {@link AlertLimits} of the settings (fixed at start), the inhibition rules of {@code operon.inhibit.file}
 * and the services and teams of {@code operon.reference.dir}. The two files are read anew on every
 * {@link #load()}, so an edit takes effect with the next session the engine opens (it opens one when
 * {@link #fingerprint()} changes).
 */
final class ConfiguredSessionFacts implements SessionFacts {
    private final IncidentPolicy policy;
    private final AlertLimits limits;
    private final Path inhibitFile;
    private final Path referenceDir;

    /**
     * @param inhibitFile  null for none
     * @param referenceDir null for none
     */
    ConfiguredSessionFacts(IncidentPolicy policy, AlertLimits limits, Path inhibitFile, Path referenceDir) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.inhibitFile = inhibitFile;
        this.referenceDir = referenceDir;
    }

    /**
     * The incident policy, the alert limits, the inhibition rules, then the services and teams; new
     * instances on every call.
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
        if (!errors.isEmpty()) {
            throw new SessionFactsInvalidException(errors);
        }
        return facts;
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
        return s.toString();
    }

    @Override
    public String toString() {
        return "configuration facts (inhibit file " + (inhibitFile == null ? "none" : inhibitFile)
                + ", reference directory " + (referenceDir == null ? "none" : referenceDir) + ")";
    }
}
