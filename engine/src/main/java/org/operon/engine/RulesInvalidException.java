package org.operon.engine;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The rules directory holds rules that cannot run: they do not compile, collide with a packaged rule,
 * or fail while the engine rebuilds its state with them. Carries every error found, each naming its
 * file and, where known, line and column.
 */
public class RulesInvalidException extends Exception {
    private final List<RuleError> errors;

    public RulesInvalidException(List<RuleError> errors) {
        // No stack trace: the errors are about the user's files, not about where Operon noticed them.
        super(summary(errors), null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<RuleError> errors() {
        return errors;
    }

    private static String summary(List<RuleError> errors) {
        if (errors.isEmpty()) {
            return "the rules are invalid";
        }
        String first = errors.get(0).toString().lines().findFirst().orElse("");
        return errors.size() == 1 ? first : first + " (and " + (errors.size() - 1) + " more error"
                + (errors.size() == 2 ? "" : "s") + ")";
    }

    /** Every error, one per line, for logs and start-up failures. */
    public String describe() {
        return errors.stream().map(RuleError::toString).collect(Collectors.joining("\n"));
    }
}
