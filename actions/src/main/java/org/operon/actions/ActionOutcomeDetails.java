package org.operon.actions;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/** The details of an action's result, for its {@link org.operon.model.ActionOutcome}. */
final class ActionOutcomeDetails {
    private ActionOutcomeDetails() {
    }

    /**
     * What the sink reported in {@value ActionOutcomeListener#DETAILS_PROPERTY}: string keys with string, number
     * or boolean values (texts cut to {@value ActionOutcomeListener#MAX_DETAIL_CHARS} characters); other values
     * are left out. An {@code HttpOperationFailedException} adds its status as {@code httpStatus}.
     */
    static Map<String, Object> of(Exchange result) {
        Map<String, Object> details = new LinkedHashMap<>();
        Object reported = result.getProperty(ActionOutcomeListener.DETAILS_PROPERTY);
        Map<?, ?> map = reported instanceof Map<?, ?> m ? m : Map.of();
        map.forEach((k, v) -> {
            if (v instanceof String s) {
                details.put(String.valueOf(k), s.length() > ActionOutcomeListener.MAX_DETAIL_CHARS
                        ? s.substring(0, ActionOutcomeListener.MAX_DETAIL_CHARS) : s);
            } else if (v instanceof Number || v instanceof Boolean) {
                details.put(String.valueOf(k), v);
            }
        });
        // An HTTP target that answered with an error status reports it through the exception.
        for (Throwable t = result.getException(); t != null && !details.containsKey("httpStatus"); t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                details.put("httpStatus", http.getStatusCode());
            }
        }
        return details;
    }
}
