import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;

import org.drools.base.definitions.rule.impl.RuleImpl;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Build-time check of the packaged DRL, run by the rules-kjar build before kie-maven-plugin (see
 * its pom). The executable-model compiler reports an unknown type or field without a line
 * (line=-1); the classic DRL compiler, run here on the same files and classpath, reports file, line
 * and column. Run as a single-file Java program: {@code java -cp <compile classpath> DrlCheck.java DIR}.
 * Exits 1 after printing each error as {@code file:line:column: message}.
 *
 * <p>Given a second argument, the classes directory, it also writes the rule file index
 * {@code META-INF/operon/rule-files.properties} there: one line {@code <package>/<rule name>=<resource path>}
 * per rule. The executable model keeps no trace of the file a rule came from; the engine reads this index to
 * name it in the lineage of the rule's decisions (engine {@code RuleFiles}).
 */
public class DrlCheck {
    /** Names in messages that come without a line: an unknown field (method) or class. */
    private static final List<Pattern> CULPRITS = List.of(
            Pattern.compile("strict-mode: [\\w.$]+\\.(\\w+)\\(\\)"),
            Pattern.compile("Unable to find class: ([\\w.$]+)"),
            Pattern.compile("Unable to resolve ObjectType '([\\w.$]+)'"));

    /**
     * For a message without a line, the first line of the file that holds the name the message
     * complains about as a whole word; -1 when there is none.
     */
    static int locate(Path file, String text) throws java.io.IOException {
        for (Pattern p : CULPRITS) {
            Matcher m = p.matcher(text);
            if (m.find()) {
                Pattern word = Pattern.compile("\\b" + Pattern.quote(m.group(1)) + "\\b");
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String l = lines.get(i).trim();
                    if (!l.startsWith("//") && word.matcher(l).find()) {
                        return i + 1;
                    }
                }
            }
        }
        return -1;
    }

    /** Writes {@code META-INF/operon/rule-files.properties} under {@code classes}, sorted, without a date. */
    static void writeRuleFileIndex(KieBase kieBase, Path classes) throws java.io.IOException {
        Properties index = new Properties();
        for (KiePackage p : kieBase.getKiePackages()) {
            for (Rule r : p.getRules()) {
                if (r instanceof RuleImpl impl && !impl.isQuery() && impl.getResource() != null
                        && impl.getResource().getSourcePath() != null) {
                    String path = impl.getResource().getSourcePath().replace('\\', '/');
                    if (path.startsWith("src/main/resources/")) {
                        path = path.substring("src/main/resources/".length());
                    }
                    index.setProperty(p.getName() + "/" + r.getName(), path);
                }
            }
        }
        StringWriter text = new StringWriter();
        index.store(text, null);
        List<String> lines = text.toString().lines().filter(l -> !l.startsWith("#")).sorted().toList();
        Path file = classes.resolve("META-INF/operon/rule-files.properties");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "# Written by src/build/DrlCheck.java: the file of each packaged rule (engine RuleFiles).\n"
                + String.join("\n", lines) + "\n", StandardCharsets.ISO_8859_1);
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        KieServices ks = KieServices.get();
        KieFileSystem kfs = ks.newKieFileSystem();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".drl") || n.endsWith(".drl.xlsx") || n.endsWith(".drl.xls") || n.endsWith(".drl.csv");
            }).sorted().toList();
        }
        for (Path f : files) {
            kfs.write("src/main/resources/" + root.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
        }
        KieBuilder builder = ks.newKieBuilder(kfs).buildAll();
        List<Message> errors = builder.getResults().getMessages(Message.Level.ERROR);
        for (Message m : errors) {
            String path = m.getPath() == null ? "?" : "src/main/resources/" + m.getPath();
            int line = m.getLine();
            if (line < 1 && m.getPath() != null) {
                line = locate(root.resolve(m.getPath()), m.getText());
            }
            System.err.println("[DRL ERROR] " + path + ":" + line + ":" + m.getColumn() + ": "
                    + m.getText().replace('\n', ' ').replaceAll("\\s{2,}", " "));
        }
        if (!errors.isEmpty()) {
            System.err.println("[DRL ERROR] " + errors.size() + " error(s) in the packaged rules; see the lines above.");
            System.exit(1);
        }
        if (args.length > 1) {
            writeRuleFileIndex(ks.newKieContainer(builder.getKieModule().getReleaseId()).getKieBase(), Path.of(args[1]));
        }
        System.out.println("DRL check: " + files.size() + " file(s) (rules and decision tables), no errors");
    }
}
