package org.operon.app.config;

import java.util.function.Function;

/**
 * One typed, documented configuration option.
 *
 * @param key          the property name in {@code application.properties}, e.g. {@code operon.http.port}
 * @param defaultValue the value when nothing sets it, as text; empty means "not set"
 * @param description  what it does, for people (shown in docs/configuration.md and in errors)
 * @param parser       turns the text into the typed value; throws IllegalArgumentException with the
 *                     expected form when the text is wrong
 * @param secret       whether the value must never be printed
 */
public record Setting<T>(String key, String defaultValue, String description, Function<String, T> parser,
                         boolean secret) {

    /** The environment variable that overrides this setting: upper case, with dots and dashes as underscores. */
    public String envName() {
        return key.toUpperCase().replace('.', '_').replace('-', '_');
    }
}
