package org.operon.engine;

import org.operon.engine.session.CompiledRules;
import org.operon.engine.session.RuleFailedException;
import org.operon.engine.session.RulesCompiler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;

/**
 * Loads the user's rules directory next to the packaged rules, and the {@link SessionFacts} every
 * session starts with, at start and on every reload, and keeps the answer to "which rules run, and
 * how did the last load go".
 *
 * <p>A reload reads the directory and the facts, compiles the rules ({@link RulesCompiler}, on the
 * calling thread: the engine keeps deciding meanwhile) and, on success, has the engine switch to a
 * session of the new rules holding the new facts, keeping its state ({@link Engine#replaceRules}). On
 * any failure the rules and facts that were running keep running and the failure is kept for
 * {@link #status()} and logged. Reloads run one at a time.
 *
 * <p>At start, rules that do not compile, or facts that cannot be read, stop Operon from starting
 * ({@link #loadAtStart()} throws): running without some of the rules or settings an operator wrote
 * would make wrong decisions while looking healthy.
 */
public final class RuleReloader implements ReloadableRules {
    private static final Logger LOG = LoggerFactory.getLogger(RuleReloader.class);

    private final RulesDirectory directory;
    private final SessionFacts facts;
    private final LongSupplier wallClock;
    private volatile Engine engine;
    private volatile CompiledRules active = CompiledRules.packaged();
    private volatile Reload lastReload;
    private volatile String lastFingerprint;

    /**
     * A reloader without session facts.
     *
     * @param directory the rules directory, or null when none is configured (the packaged rules only)
     * @param wallClock epoch milliseconds, for the time of each reload and its duration
     */
    public RuleReloader(RulesDirectory directory, LongSupplier wallClock) {
        this(directory, SessionFacts.none(), wallClock);
    }

    /**
     * @param directory the rules directory, or null when none is configured (the packaged rules only)
     * @param facts     the facts inserted into every session, read at start and on every reload
     * @param wallClock epoch milliseconds, for the time of each reload and its duration
     */
    public RuleReloader(RulesDirectory directory, SessionFacts facts, LongSupplier wallClock) {
        this.directory = directory;
        this.facts = Objects.requireNonNull(facts, "facts");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
    }

    @Override
    public boolean hasDirectory() {
        return directory != null;
    }

    /**
     * {@inheritDoc} Session facts count when they have sources (a non-empty
     * {@link SessionFacts#fingerprint()}). {@link RulesDirectoryWatcher} needs one or the other.
     */
    @Override
    public boolean hasWatchedSources() {
        return directory != null || !facts.fingerprint().isEmpty();
    }

    /**
     * Compiles the packaged rules and the rules directory, and reads the session facts, for the
     * engine's start; pass the result to the {@link Engine} constructor, then {@link #attach} the
     * engine.
     *
     * @throws RulesInvalidException when the directory is missing or a rule file is invalid, or (as a
     *                               {@link SessionFactsInvalidException}) the facts cannot be read;
     *                               the exception names every file and line
     */
    public synchronized SessionOpener loadAtStart() throws RulesInvalidException {
        long began = wallClock.getAsLong();
        Loaded loaded = load();
        active = loaded.rules();
        long now = wallClock.getAsLong();
        lastReload = new Reload(now, true, "start", List.of(), now - began);
        long userRules = active.rules().stream().filter(r -> !r.isPackaged()).count();
        LOG.info("Rules loaded: {} packaged rules{}{}", active.rules().size() - userRules,
                directory == null ? " (no rules directory configured)"
                        : " and " + userRules + " rules from " + directory + " in " + (now - began) + " ms",
                loaded.facts().isEmpty() ? "" : "; " + loaded.facts().size() + " session facts");
        return loaded.opener();
    }

    /** The engine whose rules {@link #reload} replaces; it must have been built with {@link #loadAtStart()}'s rules. */
    public void attach(Engine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /** {@inheritDoc} Also throws {@link IllegalStateException} when no engine is attached. */
    @Override
    public synchronized Reload reload(String trigger) {
        if (!hasWatchedSources()) {
            throw new IllegalStateException("no rules directory (operon.rules.dir) and no session fact files are "
                    + "configured: there is nothing to reload");
        }
        Engine target = engine;
        if (target == null) {
            throw new IllegalStateException("no engine is attached");
        }
        long began = wallClock.getAsLong();
        Reload outcome;
        try {
            Loaded loaded = load();
            long compiledAt = wallClock.getAsLong();
            Engine.RulesSwitched switched = awaitSwitch(target, loaded);
            long now = wallClock.getAsLong();
            outcome = new Reload(now, true, trigger, List.of(), now - began);
            long userRules = loaded.rules().rules().stream().filter(r -> !r.isPackaged()).count();
            LOG.info("Rules reloaded ({}): {} rules from {} now run beside the packaged rules, with {} session facts; "
                            + "compiled in {} ms, state rebuilt from {} events in {} ms", trigger, userRules,
                    directory == null ? "no rules directory" : directory, loaded.facts().size(),
                    compiledAt - began, switched.replayedEvents(), switched.millis());
        } catch (RulesInvalidException e) {
            long now = wallClock.getAsLong();
            outcome = new Reload(now, false, trigger, e.errors(), now - began);
            LOG.error("Rules reload ({}) failed; the previous rules and session facts keep running. Operon will "
                    + "refuse to start with these files until they are fixed:\n{}", trigger, e.describe());
        }
        lastReload = outcome;
        return outcome;
    }

    /** What one load read: the compiled rules, the facts, and the session opener of both. */
    private record Loaded(CompiledRules rules, List<Object> facts, SessionOpener opener) {
    }

    /**
     * Reads and compiles the rules directory and reads the facts, reporting the errors of both
     * together. Records the fingerprint of what it read, also when that was invalid, so that the
     * watcher does not retry an unchanged content.
     */
    private Loaded load() throws RulesInvalidException {
        // The facts' fingerprint before they are read: a change while reading is then seen as a change.
        String factsFingerprint = facts.fingerprint();
        String directoryFingerprint = "";
        CompiledRules compiled = CompiledRules.packaged();
        RulesInvalidException rulesInvalid = null;
        if (directory != null) {
            try {
                RulesDirectory.Snapshot snapshot;
                try {
                    snapshot = directory.read();
                } catch (RulesInvalidException e) {
                    directoryFingerprint = RulesDirectory.unreadable(e);
                    throw e;
                }
                directoryFingerprint = snapshot.fingerprint();
                compiled = RulesCompiler.compile(snapshot.sources());
            } catch (RulesInvalidException e) {
                rulesInvalid = e;
            }
        }
        List<Object> seeds = List.of();
        SessionFactsInvalidException factsInvalid = null;
        try {
            seeds = List.copyOf(facts.load());
        } catch (SessionFactsInvalidException e) {
            factsInvalid = e;
        } catch (RuntimeException e) {
            // Against the contract of load(), but the outcome is the same: these facts cannot be used.
            factsInvalid = new SessionFactsInvalidException(List.of(new RuleError("session facts (" + facts + ")",
                    0, 0, "cannot be read: " + e)));
        }
        lastFingerprint = combined(directoryFingerprint, factsFingerprint);
        if (rulesInvalid != null && factsInvalid != null) {
            List<RuleError> errors = new ArrayList<>(rulesInvalid.errors());
            errors.addAll(factsInvalid.errors());
            throw new RulesInvalidException(errors);
        }
        if (rulesInvalid != null) {
            throw rulesInvalid;
        }
        if (factsInvalid != null) {
            throw factsInvalid;
        }
        return new Loaded(compiled, seeds, compiled.withFacts(seeds));
    }

    @Override
    public Status status() {
        return new Status(active.rules(), lastReload, directory == null ? null : directory.path().toString());
    }

    /**
     * The fingerprint of the rules directory and the facts as last read by a load (also a failed
     * one), or null before the first; compare with {@link #currentFingerprint()}.
     */
    String lastFingerprint() {
        return lastFingerprint;
    }

    /** The fingerprint of the rules directory and the facts as they are now. Never throws. */
    String currentFingerprint() {
        return combined(directory == null ? "" : directory.fingerprint(), facts.fingerprint());
    }

    private static String combined(String directoryFingerprint, String factsFingerprint) {
        return directoryFingerprint + "\n--facts--\n" + factsFingerprint;
    }

    SessionFacts facts() {
        return facts;
    }

    RulesDirectory directory() {
        return directory;
    }

    private Engine.RulesSwitched awaitSwitch(Engine target, Loaded loaded) throws RulesInvalidException {
        CompiledRules compiled = loaded.rules();
        CompletableFuture<Engine.RulesSwitched> switching = target.replaceRules(loaded.opener());
        // Recorded when the engine switches, also if this thread stops waiting first.
        switching.thenRun(() -> active = compiled);
        try {
            Engine.RulesSwitched switched = switching.get();
            active = compiled; // also here: get() may return before the callback above has run
            return switched;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the engine switched rules; the switch may still happen", e);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuleFailedException failed) {
                throw new RulesInvalidException(List.of(new RuleError(originOf(compiled, failed), 0, 0,
                        "while rebuilding the state from the journal: " + failed.getMessage())));
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** The file of the rule that failed; "" for a packaged rule (failing only with the user's rules beside it). */
    private static String originOf(CompiledRules compiled, RuleFailedException failed) {
        return compiled.rules().stream()
                .filter(r -> r.name().equals(failed.ruleName()) && r.packageName().equals(failed.packageName()))
                .filter(r -> !r.isPackaged())
                .map(RuleInfo::origin)
                .findFirst().orElse("");
    }
}
