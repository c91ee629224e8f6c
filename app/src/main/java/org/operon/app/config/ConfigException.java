package org.operon.app.config;

/** The configuration cannot be used; the message names the key, the value's origin and the fix. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
