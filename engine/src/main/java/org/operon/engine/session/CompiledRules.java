package org.operon.engine.session;

import org.kie.api.KieBase;
import org.operon.engine.DecisionListener;
import org.operon.engine.RuleInfo;
import org.operon.engine.SessionOpener;

import java.util.List;

/**
 * A set of rules ready to run: the packaged rules alone ({@link #packaged()}), or a kbase holding
 * the packaged rules plus the user's rule files, built by {@link RulesCompiler}. Immutable; opens any
 * number of sessions, each on a pseudo clock (see {@link RuleSession}).
 */
public final class CompiledRules implements SessionOpener {
    private static final CompiledRules PACKAGED = new CompiledRules(null, null);

    /** Null for the packaged rules, which are opened through the classpath container's ksession. */
    private final KieBase kieBase;
    private volatile List<RuleInfo> rules;

    CompiledRules(KieBase kieBase, List<RuleInfo> rules) {
        this.kieBase = kieBase;
        this.rules = rules;
    }

    /** The rules built into Operon's jar, and nothing else. */
    public static CompiledRules packaged() {
        return PACKAGED;
    }

    @Override
    public RuleSession open(long startTime, DecisionListener listener) {
        return kieBase == null ? RuleSession.openPackaged(startTime, listener)
                : RuleSession.open(kieBase, startTime, listener, true);
    }

    /**
     * Every rule these sessions run (queries left out): the packaged ones first, then the user's by
     * file, each sorted by package and name.
     */
    public List<RuleInfo> rules() {
        List<RuleInfo> known = rules;
        if (known == null) {
            // Only the packaged set is listed lazily: reading it builds the packaged kbase.
            known = RulesCompiler.describe(ClasspathRules.packaged(), List.of());
            rules = known;
        }
        return known;
    }

    /** The kbase of the packaged rules plus the user's; null for the packaged rules alone. */
    KieBase kieBase() {
        return kieBase;
    }

    /** True when these are the packaged rules alone. */
    public boolean isPackagedOnly() {
        return kieBase == null;
    }
}
