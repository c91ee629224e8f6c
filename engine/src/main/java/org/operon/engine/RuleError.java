package org.operon.engine;

/**
 * What is wrong with a rule file.
 *
 * @param file    the file's path relative to the rules directory ({@code ""} when the error concerns
 *                the directory itself)
 * @param line    1-based line in the file, 0 when unknown (always 0 for decision tables: Drools
 *                reports lines of the DRL it generates from them, which the user never sees)
 * @param column  1-based column in the line, 0 when unknown
 * @param message what the compiler said
 */
public record RuleError(String file, int line, int column, String message) {

    /** {@code file:line:column: message}, leaving out what is unknown. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(file.isEmpty() ? "(rules directory)" : file);
        if (line > 0) {
            s.append(':').append(line);
            if (column > 0) {
                s.append(':').append(column);
            }
        }
        return s.append(": ").append(message).toString();
    }
}
