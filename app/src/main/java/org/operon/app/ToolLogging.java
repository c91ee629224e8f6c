package org.operon.app;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the command-line tools ({@code test}, {@code replay}, {@code diff}) log: warnings and errors, one line
 * each, to standard error; nothing below WARN. The tools print what they report themselves; the server logs
 * through Log4j 2 ({@code log4j2.xml}), whose start (its configuration and some 600 classes) would add a third
 * of a second to every run of a tool. {@link #install} selects this provider through SLF4J's
 * {@code slf4j.provider} property unless one was given ({@code -Dslf4j.provider=...}), before the first logger.
 */
public final class ToolLogging implements SLF4JServiceProvider {
    private static final String PROVIDER_PROPERTY = "slf4j.provider";

    private final ILoggerFactory loggers = new Loggers(System.err);
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    /** Makes SLF4J use this provider, unless the JVM was told another; call before any logger is made. */
    static void install() {
        if (System.getProperty(PROVIDER_PROPERTY) == null) {
            if (System.getProperty("slf4j.internal.verbosity") == null) {
                System.setProperty("slf4j.internal.verbosity", "WARN"); // not SLF4J's note that it loads this
            }
            System.setProperty(PROVIDER_PROPERTY, ToolLogging.class.getName());
        }
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // nothing to start
    }

    /** One logger per name, each writing to {@code out}. */
    static final class Loggers implements ILoggerFactory {
        private final Map<String, Logger> byName = new ConcurrentHashMap<>();
        private final PrintStream out;

        Loggers(PrintStream out) {
            this.out = out;
        }

        @Override
        public Logger getLogger(String name) {
            return byName.computeIfAbsent(name, n -> new WarningsLogger(n, out));
        }
    }

    /** Writes WARN and ERROR as {@code LEVEL logger - message}, then the stack trace of a throwable. */
    static final class WarningsLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;
        private final transient PrintStream out;

        WarningsLogger(String name, PrintStream out) {
            this.name = name;
            this.out = out;
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public boolean isInfoEnabled() {
            return false;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                                   Throwable throwable) {
            String line = level + " " + name + " - " + MessageFormatter.basicArrayFormat(pattern, arguments);
            synchronized (out) {
                out.println(line);
                if (throwable != null) {
                    throwable.printStackTrace(out);
                }
            }
        }
    }
}
