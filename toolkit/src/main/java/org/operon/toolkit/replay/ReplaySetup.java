package org.operon.toolkit.replay;

import org.operon.actions.mute.Muter;
import org.operon.engine.SessionFacts;
import org.operon.engine.SessionFactsInvalidException;
import org.operon.engine.SessionOpener;
import org.operon.engine.ThrottlePolicy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the commands replay with besides the rules and the events: the app passes its configuration
 * here so that a replay decides as production does; {@link #DEFAULT} is the packaged behaviour with
 * no configuration.
 *
 * @param facts           the facts every session starts with (incident policy, inhibit rules, ...)
 * @param throttles       the decision throttles ({@code operon.throttles.file})
 * @param muter           asked after the decision's own {@code mutedBy}, e.g. maintenance windows;
 *                        silences are not replayed (they live in the running app's store)
 * @param targetsFor      the targets of each decision type ({@code operon.actions.targets.*})
 * @param referenceReader reads a reference data directory ({@code --reference DIR}) into facts; null
 *                        when the caller offers none, and {@code --reference} is then refused
 */
public record ReplaySetup(SessionFacts facts, List<ThrottlePolicy> throttles, Muter muter,
                          Function<String, List<String>> targetsFor, Function<Path, List<Object>> referenceReader) {

    /** The packaged rules' own behaviour: no facts, no throttles, nothing muted but by the rules, every action to {@code log}. */
    public static final ReplaySetup DEFAULT = new ReplaySetup(SessionFacts.none(), List.of(), Muter.NONE,
            type -> Replay.DEFAULT_TARGETS, null);

    public ReplaySetup {
        Objects.requireNonNull(facts, "facts");
        throttles = List.copyOf(throttles);
        Objects.requireNonNull(muter, "muter");
        Objects.requireNonNull(targetsFor, "targetsFor");
    }

    /**
     * A replay of {@code rules} with this setup, plus the facts of {@code referenceDir} when not null.
     *
     * @throws SessionFactsInvalidException when the facts cannot be read
     * @throws IllegalArgumentException     when a reference directory is given but no reader, or the
     *                                      reader refuses it (the message names the problem)
     */
    public Replay replay(SessionOpener rules, Path referenceDir) throws SessionFactsInvalidException {
        List<Object> seeds = new ArrayList<>(facts.load());
        if (referenceDir != null) {
            if (referenceReader == null) {
                throw new IllegalArgumentException("--reference is not available here");
            }
            seeds.addAll(referenceReader.apply(referenceDir));
        }
        return Replay.builder().rules(rules).facts(SessionFacts.of(seeds)).throttles(throttles).muter(muter)
                .targets(targetsFor).build();
    }
}
