package org.operon.engine;

import java.util.Locale;
import java.util.Objects;

/**
 * One file of the user's rules directory, read into memory.
 *
 * @param path    the file's path relative to the rules directory, with {@code /} separators; it names
 *                the file in errors and is the {@code origin} of the rules it holds
 * @param content the file's bytes
 */
public record RuleSource(String path, byte[] content) {

    /** What a rule file holds, told by the end of its name. */
    public enum Kind {
        /** {@code *.drl}: rules in the Drools Rule Language. */
        DRL,
        /** {@code *.drl.xlsx} or {@code *.drl.xls}: a decision table in a spreadsheet. */
        SPREADSHEET,
        /** {@code *.drl.csv}: a decision table as comma-separated values. */
        CSV
    }

    public RuleSource {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
        if (kindOf(path) == null) {
            throw new IllegalArgumentException("not a rule file name (*.drl, *.drl.xlsx, *.drl.xls, *.drl.csv): " + path);
        }
    }

    public Kind kind() {
        return kindOf(path);
    }

    /**
     * The kind of rule file a name denotes, or null when it is not one. Decision tables must carry
     * {@code .drl.} before their extension, as in the packaged kjar (Drools 10 ignores a plain
     * {@code routing.xlsx}).
     */
    public static Kind kindOf(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".drl")) {
            return Kind.DRL;
        }
        if (name.endsWith(".drl.xlsx") || name.endsWith(".drl.xls")) {
            return Kind.SPREADSHEET;
        }
        if (name.endsWith(".drl.csv")) {
            return Kind.CSV;
        }
        return null;
    }

    @Override
    public String toString() {
        return "RuleSource[" + path + ", " + content.length + " bytes]";
    }
}
