package org.operon.engine;

import org.operon.engine.session.CompiledRules;
import org.operon.engine.session.RuleFailedException;
import org.operon.engine.session.RulesCompiler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;

/**
 * Loads the user's rules directory next to the packaged rules, at start and on every reload, and
 * keeps the answer to "which rules run, and how did the last load go".
 *
 * <p>A reload reads the directory, compiles it ({@link RulesCompiler}, on the calling thread: the
 * engine keeps deciding meanwhile) and, on success, has the engine switch to the new rules keeping
 * its state ({@link Engine#replaceRules}). On any failure the rules that were running keep running
 * and the failure is kept for {@link #status()} and logged. Reloads run one at a time.
 *
 * <p>At start, rules that do not compile stop Operon from starting ({@link #loadAtStart()} throws):
 * running without some of the rules an operator wrote would make wrong decisions while looking
 * healthy.
 */
public final class RuleReloader implements ReloadableRules {
    private static final Logger LOG = LoggerFactory.getLogger(RuleReloader.class);

    private final RulesDirectory directory;
    private final LongSupplier wallClock;
    private volatile Engine engine;
    private volatile CompiledRules active = CompiledRules.packaged();
    private volatile Reload lastReload;
    private volatile String lastFingerprint;

    /**
     * @param directory the rules directory, or null when none is configured (the packaged rules only)
     * @param wallClock epoch milliseconds, for the time of each reload and its duration
     */
    public RuleReloader(RulesDirectory directory, LongSupplier wallClock) {
        this.directory = directory;
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
    }

    @Override
    public boolean hasDirectory() {
        return directory != null;
    }

    /**
     * Compiles the packaged rules and the rules directory for the engine's start; pass the result to
     * the {@link Engine} constructor, then {@link #attach} the engine.
     *
     * @throws RulesInvalidException when the directory is missing or a rule file is invalid; the
     *                               exception names every file and line
     */
    public synchronized SessionOpener loadAtStart() throws RulesInvalidException {
        long began = wallClock.getAsLong();
        if (directory == null) {
            active = CompiledRules.packaged();
        } else {
            RulesDirectory.Snapshot snapshot = directory.read();
            lastFingerprint = snapshot.fingerprint();
            active = RulesCompiler.compile(snapshot.sources());
        }
        long now = wallClock.getAsLong();
        lastReload = new Reload(now, true, "start", List.of(), now - began);
        long userRules = active.rules().stream().filter(r -> !r.isPackaged()).count();
        LOG.info("Rules loaded: {} packaged rules{}", active.rules().size() - userRules,
                directory == null ? " (no rules directory configured)"
                        : " and " + userRules + " rules from " + directory + " in " + (now - began) + " ms");
        return active;
    }

    /** The engine whose rules {@link #reload} replaces; it must have been built with {@link #loadAtStart()}'s rules. */
    public void attach(Engine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /** {@inheritDoc} Also throws {@link IllegalStateException} when no engine is attached. */
    @Override
    public synchronized Reload reload(String trigger) {
        if (directory == null) {
            throw new IllegalStateException("no rules directory is configured (operon.rules.dir)");
        }
        Engine target = engine;
        if (target == null) {
            throw new IllegalStateException("no engine is attached");
        }
        long began = wallClock.getAsLong();
        Reload outcome;
        try {
            RulesDirectory.Snapshot snapshot = directory.read();
            lastFingerprint = snapshot.fingerprint();
            CompiledRules compiled = RulesCompiler.compile(snapshot.sources());
            long compiledAt = wallClock.getAsLong();
            Engine.RulesSwitched switched = awaitSwitch(target, compiled);
            long now = wallClock.getAsLong();
            outcome = new Reload(now, true, trigger, List.of(), now - began);
            long userRules = compiled.rules().stream().filter(r -> !r.isPackaged()).count();
            LOG.info("Rules reloaded ({}): {} rules from {} now run beside the packaged rules; compiled in {} ms, "
                            + "state rebuilt from {} events in {} ms", trigger, userRules, directory,
                    compiledAt - began, switched.replayedEvents(), switched.millis());
        } catch (RulesInvalidException e) {
            long now = wallClock.getAsLong();
            outcome = new Reload(now, false, trigger, e.errors(), now - began);
            LOG.error("Rules reload ({}) failed; the previous rules keep running. Operon will refuse to start with "
                    + "these files until they are fixed:\n{}", trigger, e.describe());
        }
        lastReload = outcome;
        return outcome;
    }

    @Override
    public Status status() {
        return new Status(active.rules(), lastReload, directory == null ? null : directory.path().toString());
    }

    /** The fingerprint of the directory content last read by a load, or null before the first. */
    String lastFingerprint() {
        return lastFingerprint;
    }

    RulesDirectory directory() {
        return directory;
    }

    private Engine.RulesSwitched awaitSwitch(Engine target, CompiledRules compiled) throws RulesInvalidException {
        CompletableFuture<Engine.RulesSwitched> switching = target.replaceRules(compiled);
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
