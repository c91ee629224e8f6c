package org.operon.state;

import java.util.List;
import java.util.Map;

/**
 * What explains one decision after the fact, kept by the {@link LineageStore} next to the audit log.
 *
 * @param decisionId the decision's id
 * @param actionIds  the ids of its actions (one per configured target), in target order
 * @param lineage    the decision's lineage as {@code org.operon.model.Lineage#toMap()} gives it (rule, facts,
 *                   events); null when the decision carried none
 */
public record DecisionTrace(String decisionId, List<String> actionIds, Map<String, Object> lineage) {
    public DecisionTrace {
        actionIds = actionIds == null ? List.of() : List.copyOf(actionIds);
    }
}
