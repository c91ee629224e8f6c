package org.operon.actions.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads and checks the exec file ({@value ExecOptions#FILE}), a YAML document:
 *
 * <pre>
 * ansible-playbook: /usr/bin/ansible-playbook     # optional; this is the default
 * commands:
 *   restart-unit:
 *     command: ["/usr/bin/systemctl", "restart", "{{params.unit}}"]
 *     timeout: 30s                  # default 60s
 *     working-dir: /var/tmp         # optional
 *     env: {LANG: C.UTF-8}          # optional, literal values
 *     retry-on-exit-codes: [75]     # optional
 * playbooks:
 *   restart-web:
 *     playbook: /etc/operon/playbooks/restart.yml
 *     inventory: /etc/operon/inventory.ini        # optional
 *     timeout: 10m                  # default 60s; working-dir, env, retry-on-exit-codes as above
 * </pre>
 *
 * Everything is checked here, at start, so that a mistake stops the start rather than an action at
 * night: unknown keys, the program (first element of {@code command}) must be a literal absolute path to an
 * executable file, playbooks and inventories absolute paths to existing files, {@code ansible-playbook}
 * executable when there are playbooks, working directories existing directories, every argument a valid
 * {@link ArgTemplate}. Each message names the file and the entry.
 */
public final class ExecCommandFile {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern ENTRY_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Set<String> TOP_KEYS = Set.of("ansible-playbook", "commands", "playbooks");
    private static final Set<String> COMMAND_KEYS = Set.of("command", "timeout", "working-dir", "env",
            "retry-on-exit-codes");
    private static final Set<String> PLAYBOOK_KEYS = Set.of("playbook", "inventory", "timeout", "working-dir", "env",
            "retry-on-exit-codes");

    private ExecCommandFile() {
    }

    /**
     * Reads {@code file}.
     *
     * @throws IllegalArgumentException naming the file, the entry and the problem
     */
    public static ExecOptions read(Path file) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new IllegalArgumentException(file + ": is empty; it must hold 'commands' or 'playbooks'");
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(file + ": must be a mapping with 'commands' and/or 'playbooks'");
        }
        checkKeys(root, TOP_KEYS, file + ": ");
        Map<String, ExecCommand> commands = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : entries(root.get("commands"), file + ": commands")) {
            String where = file + ": commands." + e.getKey() + ": ";
            commands.put(e.getKey(), command(e.getKey(), e.getValue(), where));
        }
        Map<String, Playbook> playbooks = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : entries(root.get("playbooks"), file + ": playbooks")) {
            String where = file + ": playbooks." + e.getKey() + ": ";
            playbooks.put(e.getKey(), playbook(e.getKey(), e.getValue(), where));
        }
        if (commands.isEmpty() && playbooks.isEmpty()) {
            throw new IllegalArgumentException(file + ": lists no commands and no playbooks");
        }
        Path ansible = ExecOptions.DEFAULT_ANSIBLE_PLAYBOOK;
        if (root.has("ansible-playbook")) {
            ansible = absolute(text(root.get("ansible-playbook"), file + ": ansible-playbook: "),
                    file + ": ansible-playbook: ");
        }
        if (!playbooks.isEmpty()) {
            checkExecutable(ansible, file + ": ansible-playbook: ");
        }
        return new ExecOptions(file, commands, playbooks, ansible);
    }

    private static ExecCommand command(String name, JsonNode node, String where) {
        checkKeys(node, COMMAND_KEYS, where);
        JsonNode argv = node.get("command");
        if (argv == null || !argv.isArray() || argv.isEmpty()) {
            throw new IllegalArgumentException(where + "'command' must be a list: the program's absolute path, then "
                    + "one element per argument (no shell: write [\"/bin/sh\", \"-c\", …] only if you mean it)");
        }
        List<ArgTemplate> templates = new ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            JsonNode element = argv.get(i);
            if (!element.isValueNode() || element.isNull()) {
                throw new IllegalArgumentException(where + "command[" + i + "] must be a string");
            }
            try {
                templates.add(ArgTemplate.parse(element.asText()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "command[" + i + "]: " + e.getMessage());
            }
        }
        if (!templates.get(0).isLiteral()) {
            throw new IllegalArgumentException(where + "command[0] (the program) must be a literal path, not a template");
        }
        Path program = absolute(templates.get(0).toString(), where + "command[0]: ");
        checkExecutable(program, where + "command[0]: ");
        return new ExecCommand(name, templates, timeout(node, where), workingDir(node, where), env(node, where),
                exitCodes(node, where));
    }

    private static Playbook playbook(String name, JsonNode node, String where) {
        checkKeys(node, PLAYBOOK_KEYS, where);
        if (!node.has("playbook")) {
            throw new IllegalArgumentException(where + "'playbook' (the playbook file's absolute path) is missing");
        }
        Path playbook = existingFile(text(node.get("playbook"), where + "playbook: "), where + "playbook: ");
        Path inventory = node.has("inventory")
                ? existingFile(text(node.get("inventory"), where + "inventory: "), where + "inventory: ") : null;
        return new Playbook(name, playbook, inventory, timeout(node, where), workingDir(node, where), env(node, where),
                exitCodes(node, where));
    }

    private static List<Map.Entry<String, JsonNode>> entries(JsonNode node, String where) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " must be a mapping of names to entries");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!ENTRY_NAME.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException(where + "." + e.getKey()
                        + ": names are letters, digits, '_', '.' and '-'");
            }
            if (!e.getValue().isObject()) {
                throw new IllegalArgumentException(where + "." + e.getKey() + " must be a mapping");
            }
            out.add(e);
        }
        return out;
    }

    private static void checkKeys(JsonNode node, Set<String> known, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw new IllegalArgumentException(where + "unknown key '" + key + "'; known: " + known);
            }
        }
    }

    private static Duration timeout(JsonNode node, String where) {
        if (!node.has("timeout")) {
            return DEFAULT_TIMEOUT;
        }
        String text = text(node.get("timeout"), where + "timeout: ");
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException(where + "timeout must be a positive duration such as 500ms, 30s, 10m "
                    + "or 1h, not '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private static Path workingDir(JsonNode node, String where) {
        if (!node.has("working-dir")) {
            return null;
        }
        Path dir = absolute(text(node.get("working-dir"), where + "working-dir: "), where + "working-dir: ");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(where + "working-dir " + dir + " is not a directory");
        }
        return dir;
    }

    private static Map<String, String> env(JsonNode node, String where) {
        JsonNode env = node.get("env");
        Map<String, String> out = new LinkedHashMap<>();
        if (env == null || env.isNull()) {
            return out;
        }
        if (!env.isObject()) {
            throw new IllegalArgumentException(where + "env must be a mapping of names to values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException(where + "env." + e.getKey() + " is not a valid variable name");
            }
            out.put(e.getKey(), text(e.getValue(), where + "env." + e.getKey() + ": "));
        }
        return out;
    }

    private static Set<Integer> exitCodes(JsonNode node, String where) {
        JsonNode codes = node.get("retry-on-exit-codes");
        Set<Integer> out = new LinkedHashSet<>();
        if (codes == null || codes.isNull()) {
            return out;
        }
        if (!codes.isArray()) {
            throw new IllegalArgumentException(where + "retry-on-exit-codes must be a list of exit codes (1-255)");
        }
        for (JsonNode c : codes) {
            if (!c.canConvertToInt() || !c.isIntegralNumber() || c.asInt() < 1 || c.asInt() > 255) {
                throw new IllegalArgumentException(where + "retry-on-exit-codes: " + c + " is not an exit code (1-255)");
            }
            out.add(c.asInt());
        }
        return out;
    }

    private static String text(JsonNode node, String where) {
        if (node == null || !node.isValueNode() || node.isNull() || node.asText().isBlank()) {
            throw new IllegalArgumentException(where + "must be a non-empty string");
        }
        return node.asText();
    }

    private static Path absolute(String path, String where) {
        Path p = Path.of(path);
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException(where + "'" + path + "' must be an absolute path");
        }
        return p;
    }

    private static Path existingFile(String path, String where) {
        Path p = absolute(path, where);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(where + p + " does not exist or is not a file");
        }
        return p;
    }

    private static void checkExecutable(Path program, String where) {
        if (!Files.isRegularFile(program)) {
            throw new IllegalArgumentException(where + program + " does not exist or is not a file");
        }
        if (!Files.isExecutable(program)) {
            throw new IllegalArgumentException(where + program + " is not executable");
        }
    }
}
