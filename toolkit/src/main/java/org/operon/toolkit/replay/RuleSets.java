package org.operon.toolkit.replay;

import org.operon.engine.RuleError;
import org.operon.engine.RulesDirectory;
import org.operon.engine.RulesInvalidException;
import org.operon.engine.session.CompiledRules;
import org.operon.engine.session.RulesCompiler;

import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * The rules a replay or scenario runs: the packaged rules, plus the rule files of a directory compiled
 * next to them exactly as the running app compiles {@code operon.rules.dir} ({@link RulesDirectory},
 * {@link RulesCompiler}).
 */
public final class RuleSets {

    private RuleSets() {
    }

    /**
     * The packaged rules plus those of {@code dir}; the packaged rules alone when {@code dir} is null.
     *
     * @throws RulesInvalidException with every error, each naming its file (relative to {@code dir}),
     *                               line and column; {@link #describe} words them for a terminal
     */
    public static CompiledRules load(Path dir) throws RulesInvalidException {
        if (dir == null) {
            return CompiledRules.packaged();
        }
        return RulesCompiler.compile(new RulesDirectory(dir).read().sources());
    }

    /** Every error on a line of its own, as {@code <dir>/<file>:<line>:<column>: <message>}. */
    public static String describe(Path dir, RulesInvalidException e) {
        return e.errors().stream().map(error -> located(dir, error)).collect(Collectors.joining("\n"));
    }

    private static String located(Path dir, RuleError error) {
        if (error.file().isEmpty() || dir == null) {
            return error.toString();
        }
        return new RuleError(dir.resolve(error.file()).toString(), error.line(), error.column(), error.message())
                .toString();
    }
}
