package org.operon.toolkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command line of the toolkit's commands: options {@code --name value} or {@code --name=value}
 * (each may be repeated), flags {@code --name}, and the remaining words (paths). {@code --} ends the
 * options.
 */
public final class Arguments {
    private final Map<String, List<String>> options = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Arguments() {
    }

    /**
     * @param valued the options that take a value, e.g. {@code --events}
     * @param flags  the options that take none, e.g. {@code --help}
     * @throws UsageException for an unknown option or a missing value
     */
    public static Arguments parse(String[] args, Set<String> valued, Set<String> flags) throws UsageException {
        Arguments a = new Arguments();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                a.positional.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new UsageException(name + " takes no value");
                }
                a.options.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        throw new UsageException(name + " needs a value");
                    }
                    value = args[++i];
                }
                a.options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw new UsageException("unknown option " + name);
            }
        }
        return a;
    }

    /** Every value given for the option, in order; empty when absent. */
    public List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    /** The option's value, or null when absent. @throws UsageException when it is given more than once */
    public String one(String name) throws UsageException {
        List<String> values = all(name);
        if (values.size() > 1) {
            throw new UsageException(name + " may be given once");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    /** The words that are not options. */
    public List<String> positional() {
        return positional;
    }
}
