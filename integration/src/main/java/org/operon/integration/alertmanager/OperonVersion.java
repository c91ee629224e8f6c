package org.operon.integration.alertmanager;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Operon's version as {@code GET /api/v2/status} reports it: the Maven project version written into
 * {@value #RESOURCE} at build time (resource filtering), else the {@code Implementation-Version} of the
 * jar's manifest, else {@value #UNKNOWN}. Never null.
 */
final class OperonVersion {
    static final String RESOURCE = "operon-version.properties";
    static final String UNKNOWN = "unknown";

    private OperonVersion() {
    }

    /** The version, read once per call (the status endpoint is rarely asked). */
    static String current() {
        String filtered = fromResource();
        if (filtered != null) {
            return filtered;
        }
        String manifest = OperonVersion.class.getPackage().getImplementationVersion();
        return manifest == null || manifest.isBlank() ? UNKNOWN : manifest;
    }

    private static String fromResource() {
        try (InputStream in = OperonVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "").trim();
            // An unfiltered copy (an IDE build that skipped filtering) still holds the placeholder.
            return v.isEmpty() || v.startsWith("${") ? null : v;
        } catch (IOException e) {
            return null;
        }
    }
}
