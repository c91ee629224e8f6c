package org.operon.engine.session;

import org.drools.base.definitions.rule.impl.RuleImpl;
import org.kie.api.definition.rule.Rule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The file a rule was written in, for the lineage of its decisions.
 *
 * <p>A rule compiled from DRL at run time (the rules directory, test kmodules) knows its resource:
 * {@code RuleImpl.getResource().getSourcePath()}, e.g. {@code team/disk.drl} or
 * {@code org/operon/engine/testrules/echo.drl}. A rule of the packaged executable-model kjar does not:
 * the executable model builds its rules from generated Java and sets no resource, no metadata, and the kjar
 * holds no DRL. For those the kjar's build writes an index, {@value #INDEX} (rules-kjar
 * {@code src/build/DrlCheck.java}, which compiles the same files with the classic compiler), of lines
 * {@code <package>/<rule name>=<resource path>}; every such resource on the classpath is read once.
 * A rule found in neither has no known file (null).
 */
final class RuleFiles {
    /** The classpath resource that maps packaged rules to their files. */
    static final String INDEX = "META-INF/operon/rule-files.properties";
    private static final Logger LOG = LoggerFactory.getLogger(RuleFiles.class);

    private RuleFiles() {
    }

    /**
     * The file {@code rule} was written in, or null when unknown. A rule loaded from a directory of the
     * classpath has an absolute source path; it is given from its package's folder on
     * ({@code org/operon/engine/testrules/echo.drl}), as from a jar, so that no host path is shown.
     */
    static String fileOf(Rule rule) {
        if (rule instanceof RuleImpl impl && impl.getResource() != null && impl.getResource().getSourcePath() != null) {
            return relativeToClasspath(impl.getResource().getSourcePath(), rule.getPackageName());
        }
        return Index.FILES.get(rule.getPackageName() + "/" + rule.getName());
    }

    static String relativeToClasspath(String path, String packageName) {
        String normal = path.replace('\\', '/');
        boolean absolute = normal.startsWith("/") || (normal.length() > 2 && normal.charAt(1) == ':');
        if (!absolute || packageName == null || packageName.isEmpty()) {
            return normal;
        }
        int at = normal.lastIndexOf('/' + packageName.replace('.', '/') + '/');
        return at < 0 ? normal.substring(normal.lastIndexOf('/') + 1) : normal.substring(at + 1);
    }

    private static final class Index {
        static final Map<String, String> FILES = load();

        private static Map<String, String> load() {
            Map<String, String> files = new HashMap<>();
            try {
                Enumeration<URL> indexes = RuleFiles.class.getClassLoader().getResources(INDEX);
                while (indexes.hasMoreElements()) {
                    URL url = indexes.nextElement();
                    Properties p = new Properties();
                    try (InputStream in = url.openStream()) {
                        p.load(in);
                    }
                    p.stringPropertyNames().forEach(k -> files.put(k, p.getProperty(k)));
                }
            } catch (IOException e) {
                LOG.warn("cannot read the rule file index {}; decisions of packaged rules name no file: {}", INDEX,
                        e.toString());
            }
            return Map.copyOf(files);
        }
    }
}
