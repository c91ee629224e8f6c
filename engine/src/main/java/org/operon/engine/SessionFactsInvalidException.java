package org.operon.engine;

import java.util.List;

/**
 * A source of {@link SessionFacts} cannot be read or holds something invalid. Each error names the
 * file and, where known, the line, as for rule files; a subclass of {@link RulesInvalidException}
 * because it refuses a start or a reload in the same way.
 */
public class SessionFactsInvalidException extends RulesInvalidException {

    public SessionFactsInvalidException(List<RuleError> errors) {
        super(errors);
    }
}
