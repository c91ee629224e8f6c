package org.operon.engine.session;

import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.drl.extensions.DecisionTableFactory;
import org.drools.drl.parser.ParserError;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.io.Resource;
import org.kie.api.io.ResourceType;
import org.kie.internal.builder.CompositeKnowledgeBuilder;
import org.kie.internal.builder.DecisionTableConfiguration;
import org.kie.internal.builder.DecisionTableInputType;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderConfiguration;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.builder.KnowledgeBuilderResult;
import org.kie.internal.builder.ResultSeverity;
import org.kie.internal.io.ResourceFactory;
import org.operon.engine.RuleError;
import org.operon.engine.RuleInfo;
import org.operon.engine.RuleSource;
import org.operon.engine.RulesInvalidException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles the user's rule files, at run time, next to the packaged rules.
 *
 * <p>The packaged rules are never recompiled: they were built into an executable model when the jar
 * was built. Each compilation starts from a fresh instance of the packaged kbase (instantiated from
 * that model, no compiler involved) and compiles the user's files into it with the classic DRL
 * compiler ({@code KnowledgeBuilderFactory.newKnowledgeBuilder(kbase)}). Compiling against the
 * packaged kbase is what lets a user's rule see the kjar's declarations: {@code Event} is an event
 * with {@code @timestamp(arrivalTime)}, so {@code over window:time(5m)} and {@code after} work on it
 * without being declared again. All files are compiled as one batch, so a file may use what another
 * declares.
 *
 * <p>Decision tables ({@code *.drl.xlsx}, {@code *.drl.xls}, {@code *.drl.csv}) are first turned into
 * DRL by drools-decisiontables, one file at a time so that a table that cannot be read is reported
 * with its own name.
 *
 * <p>Refused, with every error found: a file that does not parse or compile; two user rules with the
 * same package and name; a user rule with the package and name of a packaged rule (by default Drools
 * would silently replace the packaged one).
 *
 * <p>The last successful compilation is kept, by a SHA-256 digest of its files' paths and bytes:
 * compiling exactly the same files again returns the same {@link CompiledRules} at once (a reload
 * for changed session facts, or one whose files are byte for byte what runs). Any other set of files
 * is compiled in full and, if it compiles, replaces the kept one; a failed compilation keeps it.
 * Compiling is costly: the classic compiler turns each rule (each row of a decision table) into a
 * Java class of its own, so 10,000 rows take about 12 s of one core (see docs/performance.md).
 *
 * <p>Only files are compiled: nothing that arrives in an event ever is. Thread-safe; compilations
 * may run on any thread, beside a running engine (they share nothing with its session).
 */
public final class RulesCompiler {
    private static final Pattern LINE_COLUMN = Pattern.compile("\\[Line: (\\d+), Column: (\\d+)]");
    private static final String NULL_PACKAGE = "Parser returned a null Package";
    private static final Pattern DUPLICATE_RULE = Pattern.compile("Rule name (.+) already exists in package\\s+(\\S+)");

    /**
     * The last compilation that succeeded, or null. One entry, so at most the kbase of the rules that
     * run (or last ran) is held here; {@link CompiledRules} is immutable and opens any number of
     * sessions, so handing it out again is safe.
     */
    private static final AtomicReference<Compiled> LAST = new AtomicReference<>();

    private record Compiled(String digest, CompiledRules rules) {
    }

    private RulesCompiler() {
    }

    /**
     * Compiles {@code sources} next to the packaged rules. With no sources, returns
     * {@link CompiledRules#packaged()} without compiling anything; with the same paths and bytes, in
     * the same order, as the last call that succeeded, returns that call's result without compiling.
     *
     * @throws RulesInvalidException with every error found, each naming its file
     */
    public static CompiledRules compile(List<RuleSource> sources) throws RulesInvalidException {
        if (sources.isEmpty()) {
            LAST.set(null);
            return CompiledRules.packaged();
        }
        String digest = digest(sources);
        Compiled last = LAST.get();
        if (last != null && last.digest().equals(digest)) {
            return last.rules();
        }
        CompiledRules compiled = compileAll(sources);
        LAST.set(new Compiled(digest, compiled));
        return compiled;
    }

    /** A digest of every source's path and bytes, in order: equal digests, same files. */
    static String digest(List<RuleSource> sources) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        for (RuleSource source : sources) {
            byte[] path = source.path().getBytes(StandardCharsets.UTF_8);
            // Lengths first, so that no two different lists of (path, content) feed the same bytes.
            sha.update(ByteBuffer.allocate(12).putInt(path.length).putLong(source.content().length).array());
            sha.update(path);
            sha.update(source.content());
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : sha.digest()) {
            hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }

    private static CompiledRules compileAll(List<RuleSource> sources) throws RulesInvalidException {
        List<RuleError> errors = new ArrayList<>();
        // Decision tables are compiled with a cache keyed by resource; start each compilation clean so
        // that an edited table is read again and old tables do not accumulate.
        DecisionTableFactory.clearCompilerCache();
        Map<RuleSource, String> drl = new LinkedHashMap<>();
        for (RuleSource source : sources) {
            try {
                drl.put(source, source.kind() == RuleSource.Kind.DRL
                        ? new String(source.content(), StandardCharsets.UTF_8) : decisionTableToDrl(source));
            } catch (RuntimeException e) {
                errors.add(new RuleError(source.path(), 0, 0, "cannot read the decision table: " + rootMessage(e)));
            }
        }
        if (!errors.isEmpty()) {
            throw new RulesInvalidException(errors);
        }

        KieBase packaged = ClasspathRules.packaged();
        KieBase kieBase = ClasspathRules.newPackaged();
        KnowledgeBuilder builder = KnowledgeBuilderFactory.newKnowledgeBuilder(kieBase, builderConfiguration());
        CompositeKnowledgeBuilder batch = builder.batch();
        for (Map.Entry<RuleSource, String> e : drl.entrySet()) {
            Resource resource = ResourceFactory.newByteArrayResource(e.getValue().getBytes(StandardCharsets.UTF_8))
                    .setSourcePath(e.getKey().path());
            resource.setResourceType(ResourceType.DRL);
            batch.add(resource, ResourceType.DRL);
        }
        try {
            batch.build();
        } catch (RuntimeException e) {
            throw new RulesInvalidException(List.of(new RuleError("", 0, 0, "the compiler failed: " + rootMessage(e))));
        }
        Map<String, RuleSource.Kind> kinds = new LinkedHashMap<>();
        sources.forEach(s -> kinds.put(s.path(), s.kind()));
        for (KnowledgeBuilderResult result : builder.getResults(ResultSeverity.ERROR)) {
            errors.add(toError(result, kinds));
        }
        dropConsequentialErrors(errors);
        explainCollisions(errors, packaged);
        if (!errors.isEmpty()) {
            throw new RulesInvalidException(errors);
        }
        return new CompiledRules(kieBase, describe(kieBase, sources));
    }

    /** The rules of {@code kieBase}: origin is the user file that holds a rule, else packaged. */
    static List<RuleInfo> describe(KieBase kieBase, List<RuleSource> sources) {
        Set<String> userPaths = new HashSet<>();
        sources.forEach(s -> userPaths.add(s.path()));
        List<RuleInfo> out = new ArrayList<>();
        for (KiePackage p : kieBase.getKiePackages()) {
            for (Rule r : p.getRules()) {
                if (r instanceof RuleImpl impl && impl.isQuery()) {
                    continue;
                }
                String origin = userFile(r, userPaths);
                out.add(new RuleInfo(r.getName(), p.getName(), origin == null ? RuleInfo.PACKAGED : origin));
            }
        }
        out.sort(Comparator.comparing((RuleInfo i) -> !i.isPackaged())
                .thenComparing(i -> i.isPackaged() ? "" : i.origin())
                .thenComparing(RuleInfo::packageName)
                .thenComparing(RuleInfo::name));
        return List.copyOf(out);
    }

    /** The user file a rule was compiled from, or null for a packaged rule. */
    private static String userFile(Rule rule, Set<String> userPaths) {
        if (rule instanceof RuleImpl impl && impl.getResource() != null) {
            String path = impl.getResource().getSourcePath();
            return userPaths.contains(path) ? path : null;
        }
        return null;
    }

    private static KnowledgeBuilderConfiguration builderConfiguration() {
        // Two user rules with one name: an error, not the default warning (the later would replace the
        // earlier). Set through properties: KBuilderSeverityOption via setOption recurses endlessly in 10.1.
        Properties properties = new Properties();
        properties.setProperty("drools.kbuilder.severity.duplicateRule", "ERROR");
        properties.setProperty("drools.kbuilder.severity.duplicateFunction", "ERROR");
        return KnowledgeBuilderFactory.newKnowledgeBuilderConfiguration(properties, RulesCompiler.class.getClassLoader());
    }

    private static String decisionTableToDrl(RuleSource source) {
        DecisionTableConfiguration configuration = KnowledgeBuilderFactory.newDecisionTableConfiguration();
        configuration.setInputType(source.kind() == RuleSource.Kind.CSV ? DecisionTableInputType.CSV
                : DecisionTableInputType.XLS);
        Resource resource = ResourceFactory.newByteArrayResource(source.content()).setSourcePath(source.path());
        resource.setResourceType(ResourceType.DTABLE);
        String generated = DecisionTableFactory.loadFromResource(resource, configuration);
        if (generated == null || generated.isBlank()) {
            throw new IllegalArgumentException("it holds no RuleSet/RuleTable");
        }
        return generated;
    }

    private static RuleError toError(KnowledgeBuilderResult result, Map<String, RuleSource.Kind> kinds) {
        String file = result.getResource() == null || result.getResource().getSourcePath() == null ? ""
                : result.getResource().getSourcePath();
        String message = result.getMessage() == null ? result.toString() : result.getMessage().strip();
        if (kinds.get(file) != RuleSource.Kind.DRL) {
            // Lines of a decision table's generated DRL mean nothing to its author; the rule names
            // (table name and row) in the message locate the row.
            return new RuleError(file, 0, 0, message);
        }
        int[] lines = result.getLines();
        int line = lines != null && lines.length > 0 && lines[0] > 0 ? lines[0] : 0;
        int column = 0;
        if (result instanceof ParserError parserError) {
            column = parserError.getCol() + 1; // ANTLR counts columns from 0
        } else {
            Matcher m = LINE_COLUMN.matcher(message);
            if (m.find()) {
                // Expression errors name the line and column of the pattern, also counted from 0.
                line = Integer.parseInt(m.group(1));
                column = Integer.parseInt(m.group(2)) + 1;
            }
        }
        return new RuleError(file, line, column, message);
    }

    /** A parse error is followed by "Parser returned a null Package" for the same file; keep only the cause. */
    private static void dropConsequentialErrors(List<RuleError> errors) {
        Set<String> filesWithCause = new HashSet<>();
        errors.stream().filter(e -> !e.message().contains(NULL_PACKAGE)).forEach(e -> filesWithCause.add(e.file()));
        errors.removeIf(e -> e.message().contains(NULL_PACKAGE) && filesWithCause.contains(e.file()));
    }

    /**
     * With duplicate rules made errors, Drools reports a user rule named like a packaged one as
     * "Rule name X already exists in package P"; say what that means here.
     */
    private static void explainCollisions(List<RuleError> errors, KieBase packaged) {
        Set<String> packagedNames = new HashSet<>();
        for (KiePackage p : packaged.getKiePackages()) {
            p.getRules().forEach(r -> packagedNames.add(p.getName() + '\u0000' + r.getName()));
        }
        errors.replaceAll(e -> {
            Matcher m = DUPLICATE_RULE.matcher(e.message());
            if (m.find() && packagedNames.contains(m.group(2) + '\u0000' + m.group(1))) {
                return new RuleError(e.file(), e.line(), e.column(), "rule \"" + m.group(1) + "\" in package "
                        + m.group(2) + " has the name of a packaged rule, which it would replace; give it another "
                        + "name or package");
            }
            return e;
        });
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        String message = e.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
