package org.operon.engine.session;

/**
 * A rule's consequence threw. Names the rule, so that a failure can be traced to the file that holds
 * it; the consequence's own exception is the cause.
 */
public final class RuleFailedException extends RuntimeException {
    private final String packageName;
    private final String ruleName;

    RuleFailedException(String packageName, String ruleName, Throwable cause) {
        super("rule \"" + ruleName + "\" (package " + packageName + ") failed: " + cause, cause);
        this.packageName = packageName;
        this.ruleName = ruleName;
    }

    public String packageName() {
        return packageName;
    }

    public String ruleName() {
        return ruleName;
    }
}
