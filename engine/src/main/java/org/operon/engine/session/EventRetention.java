package org.operon.engine.session;

import org.drools.base.base.ClassObjectType;
import org.drools.base.base.ObjectType;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.base.rule.Pattern;
import org.drools.base.rule.PatternSource;
import org.drools.base.rule.RuleConditionElement;
import org.drools.core.impl.InternalRuleBase;
import org.drools.core.reteoo.ObjectTypeNode;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.operon.model.Event;
import org.operon.model.IncidentPolicy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Whether a session must keep its events after the rules fired on them.
 *
 * <p>No packaged rule needs an event after its arrival (see {@code events.drl}): each takes what it needs
 * when the event arrives, into a registry fact or a decision. The events' 5 minutes in working memory
 * ({@code @expires(5m)}) are for the rules of the rules directory, whose windows, temporal operators and
 * joins over {@code Event} see at most that much. So a session keeps its events only when some rule that
 * is not one of the packaged rules has a pattern that can match an {@link Event} (of type {@code Event},
 * a supertype such as {@code Object}, at any depth: inside {@code not}, {@code exists}, {@code accumulate},
 * {@code from}, ...), unless the rule can fire on an event only at its arrival (its whole condition is one
 * plain pattern, alone or joined with {@code IncidentPolicy()}, and no timer or agenda group defers its firing).
 * Otherwise {@link RuleSession} deletes each event once the rules have fired on it:
 * nothing can see the difference, and the session neither holds millions of events at high rates nor
 * pays their expiry timers and the garbage collector's copying of them.
 *
 * <p>When in doubt (a rule whose conditions cannot be read this way) the events are kept.
 *
 * <p>A kbase whose sessions let events go needs no expiry for them either: {@link #openAs} stops Drools
 * scheduling an expiry job for each event inserted (and cancelling it when the event is deleted), about a tenth
 * of a session's work at a thousand events per call. Its sessions must then let every event go.
 */
final class EventRetention {
    /** Drools' expiration offset for "never expires" ({@code PropagationEntry.Insert} schedules nothing). */
    private static final long NO_EXPIRY = -1;
    /**
     * Whether the sessions of each kbase opened so far keep their events (true) or let them go (false, and its
     * events no longer expire). One mode per kbase: a session of the other mode would leak events or lose them.
     */
    private static final Map<KieBase, Boolean> MODES = new WeakHashMap<>();

    private EventRetention() {
    }

    /**
     * Fixes whether the sessions of {@code kieBase} keep their events, before one is opened. For a kbase whose
     * sessions let them go, events inserted no longer schedule an expiry job: the object type nodes of
     * {@link Event} and of its supertypes get no expiration offset.
     *
     * @throws IllegalStateException when sessions of this kbase were opened in the other mode (a session that
     *                               kept events of a kbase without expiry would keep them forever; one opened
     *                               before the expiry was stopped would lose it)
     */
    static void openAs(KieBase kieBase, boolean keepsEvents) {
        synchronized (MODES) {
            Boolean mode = MODES.get(kieBase);
            if (mode == null) {
                if (!keepsEvents) {
                    for (ObjectTypeNode node : ((InternalRuleBase) kieBase).getRete().getObjectTypeNodes()) {
                        if (node.getObjectType() instanceof ClassObjectType type && type.getClassType() != null
                                && type.getClassType().isAssignableFrom(Event.class)) {
                            node.setExpirationOffset(NO_EXPIRY);
                        }
                    }
                }
                MODES.put(kieBase, keepsEvents);
            } else if (mode != keepsEvents) {
                throw new IllegalStateException(mode
                        ? "sessions of this kbase keep their events, so it cannot also open one that lets them go"
                        : "the sessions of this kbase let events go once the rules fired, so its events no longer "
                        + "expire: open it with deduplicate, as CompiledRules does");
            }
        }
    }

    /** True when a rule of {@code kieBase} that is not among {@code packaged}'s rules may match an Event later. */
    static boolean othersMatchEvents(KieBase kieBase, KieBase packaged) {
        Set<String> packagedRules = new HashSet<>();
        for (KiePackage p : packaged.getKiePackages()) {
            for (Rule r : p.getRules()) {
                packagedRules.add(r.getPackageName() + "\u0000" + r.getName());
            }
        }
        for (KiePackage p : kieBase.getKiePackages()) {
            for (Rule r : p.getRules()) {
                if (packagedRules.contains(r.getPackageName() + "\u0000" + r.getName())) {
                    continue;
                }
                if (!(r instanceof RuleImpl rule) || (mayMatchEvents(rule) && !firesOnlyAtArrival(rule))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether the rule can only fire on an event when it arrives: its whole condition is one plain pattern
     * (no window, no {@code from}), or that pattern joined with {@code IncidentPolicy()} only (in every session
     * from its start; the join docs/rules-directory.md advises against Drools 10.1's leak of one-pattern rules),
     * and nothing defers its firing (a timer, an agenda group other than MAIN, a ruleflow group). Such a rule
     * has fired on each event before the event leaves.
     */
    static boolean firesOnlyAtArrival(RuleImpl rule) {
        if (rule.isQuery() || rule.getTimer() != null || !"MAIN".equals(rule.getAgendaGroup())
                || (rule.getRuleFlowGroup() != null && !rule.getRuleFlowGroup().isEmpty())) {
            return false;
        }
        var lhs = rule.getLhs();
        if (lhs == null || !lhs.isAnd() || lhs.getChildren().isEmpty()) {
            return false;
        }
        int eventPatterns = 0;
        for (RuleConditionElement child : lhs.getChildren()) {
            if (!(child instanceof Pattern pattern) || pattern.getSource() != null || !pattern.getBehaviors().isEmpty()
                    || !(pattern.getObjectType() instanceof ClassObjectType type)) {
                return false;
            }
            if (type.getClassType() == IncidentPolicy.class) {
                continue;
            }
            eventPatterns++;
        }
        return eventPatterns == 1;
    }

    /** Whether any pattern of the rule's conditions may match an Event. */
    static boolean mayMatchEvents(RuleImpl rule) {
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        Deque<Object> todo = new ArrayDeque<>();
        todo.push(rule.getLhs());
        while (!todo.isEmpty()) {
            Object element = todo.pop();
            if (element == null || seen.put(element, Boolean.TRUE) != null) {
                continue;
            }
            if (element instanceof Pattern pattern) {
                ObjectType type = pattern.getObjectType();
                if (!(type instanceof ClassObjectType classType)) {
                    return true; // not a Java class (a prototype, a trait): cannot tell, so keep
                }
                Class<?> cls = classType.getClassType();
                if (cls == null || cls.isAssignableFrom(Event.class) || Event.class.isAssignableFrom(cls)) {
                    return true;
                }
                PatternSource source = pattern.getSource();
                if (source != null) {
                    todo.push(source);
                }
            }
            if (element instanceof RuleConditionElement ce) {
                for (RuleConditionElement nested : ce.getNestedElements()) {
                    todo.push(nested);
                }
            }
        }
        return false;
    }
}
